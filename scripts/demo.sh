#!/usr/bin/env bash
# The main job on the bundled sample card: the virtual chip serves testdata/cards/v01-… through
# the real pcscd (vpcd reader "Virtual PCD 00 00"), and `cccd verify` reads it exactly as it
# would a physical card — PACE with the CAN taken from the card's QR, chip authentication,
# passive authentication against the test CSCA — and checks it against the QR and a claimed name.
#
#   scripts/demo.sh            human output
#   scripts/demo.sh --json     machine output
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --quiet -p cccd-cli --features sim
cccd="$(realpath "${CARGO_TARGET_DIR:-target}")/debug/cccd"
card=testdata/cards/v01-hung-ec-bp384
qr=$(python3 -c 'import json;m=json.load(open("testdata/manifest.json"));print([c for c in m["cards"] if c["dir"].endswith("v01-hung-ec-bp384")][0]["qr_text"])')
export cccd card qr
run() {
  "$cccd" simulate "$card" --port 35963 2>/dev/null &
  sim=$!
  trap 'kill $sim 2>/dev/null || true; wait $sim 2>/dev/null || true' EXIT
  # The sample card's certificates are dated around 2025-06-01 (see testdata/README.md).
  "$cccd" verify --reader "Virtual PCD 00 00" --qr "$qr" --name "Nguyễn Văn Hùng" \
    --csca testdata/pki/csca-ec.crt.pem --at 2025-06-01 "$@"
}
export -f run
scripts/with-pcscd.sh bash -c 'run "$@"' run "$@"
