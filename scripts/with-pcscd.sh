#!/usr/bin/env bash
# Run a command with pcscd running (and its vpcd virtual readers listening), then stop the
# pcscd this script started, by its PID. An already running pcscd with vpcd is used as it is;
# one running without vpcd is left alone and the script exits 3 with what to do.
#
#   scripts/with-pcscd.sh cargo test --workspace
set -euo pipefail

# The vpcd port to look for (overridable so a test can ask for a port nobody listens on).
vpcd_port="${CCCD_VPCD_PORT:-35963}"
vpcd_listening() { ss -ltn 2>/dev/null | grep -q ":${vpcd_port} "; }

started=""
log="${TMPDIR:-/tmp}/cccd-pcscd.$$.log"
if pgrep -x pcscd >/dev/null 2>&1 && vpcd_listening; then
  echo "with-pcscd: using the pcscd already running" >&2
else
  if pgrep -x pcscd >/dev/null 2>&1; then
    # Never stop a pcscd we did not start: on a kiosk it serves the real reader.
    cat >&2 <<MSG
with-pcscd: a pcscd is already running, but vpcd (the virtual reader) is not listening on
port ${vpcd_port}. This script does not stop a smart-card service it did not start. Either:
  - install vpcd (sudo apt-get install vsmartcard-vpcd) and restart the service
    (sudo systemctl restart pcscd), then run this again; or
  - use a real reader: run cccd against it directly (cccd readers; cccd read --reader NAME).
MSG
    exit 3
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
    echo "with-pcscd: vpcd is not listening on port ${vpcd_port} after 10 s; pcscd log:" >&2
    cat "$log" >&2
    exit 3
  fi
  echo "with-pcscd: pcscd started (pid $started), vpcd listening on 35963/35964" >&2
fi
export CCCD_PCSC_AVAILABLE=1
"$@"
