#!/bin/sh
# Verifications per second from Python (cccd wheel, thread pool on both cores) vs the
# pure-Python peer benches/peer_pa.py, one run. The wheel is built in the dev profile with the
# workspace's crates optimized too (--config): the dependencies are already optimized there
# ([profile.dev.package."*"]), so this avoids a whole release build of the dependency tree.
# Usage: benches/bindings-rate.sh [SECONDS_PER_MEASUREMENT]
set -eu
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-3}"
MATURIN="target/py-tests/bin/maturin"   # from scripts/setup.sh
OUT="target/wheels/bench"
rm -rf "$OUT"
opt=""
for p in cccd cccd-qr cccd-bindings cccd-python; do
    opt="$opt --config profile.dev.package.$p.opt-level=3 --config profile.dev.package.$p.debug-assertions=false --config profile.dev.package.$p.overflow-checks=false"
done
# shellcheck disable=SC2086
"$MATURIN" build --quiet -m bindings/python/Cargo.toml --compatibility linux --out "$OUT" $opt
VENV="target/py-bench"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check cryptography asn1crypto
"$VENV/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$OUT"/cccd-*.whl
"$VENV/bin/python" benches/bindings_rate.py testdata "$SECONDS_EACH"
