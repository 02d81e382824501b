#!/usr/bin/env bash
# Run every check: formatting, lints, and all tests — the end-to-end ones through the real
# pcscd and the vpcd virtual reader included (they fail, not skip, when pcscd is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo fmt --all --check
# `cccd-cli/sim`: the cccd binary the tests run has `simulate` and `relay --sim` (the shipped
# binary builds without them and does not link the simulator); clippy checks both builds.
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy --workspace --all-targets --locked --features cccd-cli/sim -- -D warnings
# The library as a reader/verifier sees it: no chip-side tools, no PC/SC (the workspace build
# above has both, through cccd-sim and the CLI).
cargo clippy -p cccd --lib --no-default-features --locked -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc -p cccd --no-deps --no-default-features --locked
# The API docs build without a warning (broken links, private items in public docs).
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked
# The published crates (cccd-qr, cccd) package offline: metadata, no file reaching outside the
# package, manifests that normalize (scripts/check-package.sh says what it checks).
scripts/check-package.sh
export CCCD_REQUIRE_PCSC=1
# The Python with asn1crypto and cryptography that setup.sh prepared (attack tests).
export CCCD_PYTHON="$PWD/target/py-tests/bin/python"
# The C test program links the cdylib, which a test build does not produce by itself.
cargo build --locked -p cccd-c
scripts/with-pcscd.sh cargo test --workspace --locked --features cccd-cli/sim --lib --bins --tests --no-fail-fast -- --include-ignored
scripts/with-pcscd.sh cargo test --workspace --locked --features cccd-cli/sim --doc
# The Python binding: wheel built with maturin, installed into a fresh venv, pytest (the read
# test through pcscd and the virtual chip included).
scripts/with-pcscd.sh bindings/python/test.sh
