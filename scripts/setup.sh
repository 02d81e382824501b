#!/usr/bin/env bash
# Install what cccd needs on Debian/Ubuntu, only where missing: the PC/SC daemon, the vpcd
# virtual reader driver, libpcsclite for the `pcsc` crate, and openssl (tests use it as an
# outside verifier). Safe to run again.
set -euo pipefail

need=()
command -v pcscd >/dev/null 2>&1 || need+=(pcscd)
[ -e /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || need+=(vsmartcard-vpcd)
{ [ -e /usr/include/PCSC/winscard.h ] && pkg-config --exists libpcsclite 2>/dev/null; } || need+=(libpcsclite-dev pkg-config)
command -v pcsc_scan >/dev/null 2>&1 || need+=(pcsc-tools)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v ss >/dev/null 2>&1 || need+=(iproute2)
# The sample-card generator encodes JPEG 2000 faces with opj_compress (its determinism test).
command -v opj_compress >/dev/null 2>&1 || need+=(libopenjp2-tools)
command -v python3 >/dev/null 2>&1 || need+=(python3)
# The C binding's test program is compiled with cc under AddressSanitizer (libasan comes with gcc).
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
# A venv for the attack tests' Python tools needs ensurepip (Debian's python3-venv).
python3 -c 'import ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
# The HTML-report test renders the page in headless Chromium.
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-dejavu-core)

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The forgery tests build attack inputs with Python's asn1crypto and cryptography, outside
# cccd's own parser: in a venv of their own (scripts/test.sh points CCCD_PYTHON at it), so a
# system Python that refuses pip installs (PEP 668) is left alone.
pyvenv="$(cd "$(dirname "$0")/.." && pwd)/target/py-tests"
if ! "$pyvenv/bin/python" -c 'import asn1crypto, cryptography' >/dev/null 2>&1; then
  echo "setup: creating $pyvenv with asn1crypto and cryptography" >&2
  rm -rf "$pyvenv"
  python3 -m venv "$pyvenv"
  "$pyvenv/bin/python" -m pip install --quiet --disable-pip-version-check asn1crypto cryptography
fi
# The Python binding's tests: maturin builds the wheel, pytest runs the suite
# (bindings/python/test.sh).
if [ ! -x "$pyvenv/bin/maturin" ] || ! "$pyvenv/bin/python" -c 'import pytest' >/dev/null 2>&1; then
  echo "setup: installing maturin and pytest into $pyvenv" >&2
  "$pyvenv/bin/python" -m pip install --quiet --disable-pip-version-check 'maturin>=1.9.4,<2' pytest
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found; install Rust (https://rustup.rs) first" >&2
  exit 2
fi
