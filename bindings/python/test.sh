#!/usr/bin/env bash
# Build the cccd wheel with maturin, install it into a fresh venv, and run the pytest suite:
# every sample dump against the manifest's verdicts, bad input raising the right exception,
# and (under scripts/with-pcscd.sh) a read through pcscd + the virtual chip.
#
# The wheel is built in the dev profile: it reuses the workspace's already-built dependencies
# (the dev profile optimizes them, [profile.dev.package."*"] opt-level 2), where a release
# wheel would rebuild the whole dependency tree; the benchmark builds its own release wheel.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
tools="$root/target/py-tests/bin"   # maturin and pytest, installed by scripts/setup.sh
wheels="$root/target/wheels/dev"
rm -rf "$wheels"
"$tools/maturin" build --quiet -m bindings/python/Cargo.toml --compatibility linux --out "$wheels"
# The CLI serves the virtual card for the read test (scripts/test.sh has just built it; a
# build here would rebuild the CLI with other features).
[ -x "$root/target/debug/cccd" ] || cargo build --quiet -p cccd-cli --features sim --bin cccd
venv="$root/target/py-bindings"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheels"/cccd-*.whl pytest
export CCCD_TESTDATA="$root/testdata"
export CCCD_BIN="$root/target/debug/cccd"
# Run from outside the source tree so `import cccd` is the installed wheel.
cd "$venv"
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/bindings/python/tests" "$@"
