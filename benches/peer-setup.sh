# Sourced by run-peer.sh and full-verify-ratio.sh: the peer's venv (cryptography and
# asn1crypto from PyPI, under target/), cccd's verify_rate in release, and PIN, the command
# prefix that keeps both on one core when taskset exists.
VENV="target/peer-venv"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet cryptography asn1crypto
fi
cargo build --quiet --release -p cccd-benches --example verify_rate
PIN=""
if command -v taskset >/dev/null 2>&1; then PIN="taskset -c 0"; fi
