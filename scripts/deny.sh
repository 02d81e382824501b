#!/usr/bin/env bash
# The dependency policy (deny.toml): licenses, banned/duplicate crates, and sources, checked
# offline with cargo-deny. Installs cargo-deny once (from crates.io) when it is missing.
# Advisories need the RustSec database from the network: `scripts/deny.sh advisories`.
#
#   scripts/deny.sh               # licenses bans sources, offline
#   scripts/deny.sh advisories    # fetches the advisory database, then checks it
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo-deny >/dev/null 2>&1; then
  echo "deny: installing cargo-deny (once; a few minutes)" >&2
  cargo install cargo-deny --locked
fi
if [ "${1:-}" = "advisories" ]; then
  exec cargo deny --locked check advisories
fi
exec cargo deny --offline --locked check licenses bans sources
