#!/usr/bin/env bash
# The main job on the bundled sample: put the virtual card into pcscd's virtual reader and
# talk to it through the real PC/SC stack, exactly as with a physical reader.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --quiet -p cccd-cli
cccd="$(realpath "${CARGO_TARGET_DIR:-target}")/debug/cccd"
run() {
  "$cccd" simulate --port 35963 &
  sim=$!
  trap 'kill $sim 2>/dev/null || true; wait $sim 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do
    "$cccd" readers --json | grep -q '"card_present": true' && break
    sleep 0.1
  done
  "$cccd" readers --probe "$@"
}
export -f run
export cccd
scripts/with-pcscd.sh bash -c 'run "$@"' run "$@"
