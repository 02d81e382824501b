#!/usr/bin/env bash
# Run a command with pcscd running (and its vpcd virtual readers listening), then stop the
# pcscd this script started, by its PID. An already running pcscd is used as it is.
#
#   scripts/with-pcscd.sh cargo test --workspace
set -euo pipefail

vpcd_listening() { ss -ltn 2>/dev/null | grep -q ':35963 '; }

started=""
log="${TMPDIR:-/tmp}/cccd-pcscd.$$.log"
if pgrep -x pcscd >/dev/null 2>&1 && vpcd_listening; then
  echo "with-pcscd: using the pcscd already running" >&2
else
  if pgrep -x pcscd >/dev/null 2>&1; then
    echo "with-pcscd: a pcscd runs without vpcd listening; restarting it" >&2
    pkill -x pcscd || true
    sleep 1
  fi
  # No systemd here: run the daemon in the foreground, in the background of this shell.
  pcscd -f >"$log" 2>&1 &
  started=$!
  cleanup() {
    kill "$started" 2>/dev/null || true
    wait "$started" 2>/dev/null || true
    rm -f "$log"
  }
  trap cleanup EXIT
  for _ in $(seq 1 100); do
    vpcd_listening && break
    if ! kill -0 "$started" 2>/dev/null; then
      echo "with-pcscd: pcscd exited at start:" >&2
      cat "$log" >&2
      exit 3
    fi
    sleep 0.1
  done
  if ! vpcd_listening; then
    echo "with-pcscd: vpcd is not listening on port 35963 after 10 s; pcscd log:" >&2
    cat "$log" >&2
    exit 3
  fi
  echo "with-pcscd: pcscd started (pid $started), vpcd listening on 35963/35964" >&2
fi
export CCCD_PCSC_AVAILABLE=1
"$@"
