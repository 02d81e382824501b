#!/bin/sh
# Full `verify` (cccd) against the peer's bare passive authentication, per DSC algorithm, on
# one core: ROUNDS rounds of short measurements, cccd and the peer back to back for each
# algorithm, so both see the same machine load; prints each algorithm's per-round ratios
# with their median. On a shared machine the median of adjacent pairs is steadier than a
# ratio of two long runs, which a load burst in one of them skews.
# Usage: benches/full-verify-ratio.sh [ROUNDS] [SECONDS_PER_MEASUREMENT]
set -eu
cd "$(dirname "$0")/.."
ROUNDS="${1:-8}"
SECONDS_EACH="${2:-0.5}"
. benches/peer-setup.sh
OUT="target/full-verify-ratio.jsonl"
: > "$OUT"
round=1
while [ "$round" -le "$ROUNDS" ]; do
    for alg in ecdsa-bp384 rsa-pss-2048 rsa-pkcs1-2048 ecdsa-p256; do
        $PIN target/release/examples/verify_rate "$SECONDS_EACH" "$alg" verify \
            | sed "s/^{/{\"round\":$round,/" >> "$OUT"
        $PIN "$VENV/bin/python" benches/peer_pa.py testdata "$SECONDS_EACH" "--alg=$alg" \
            | sed "s/^{/{\"round\":$round,/" >> "$OUT"
    done
    round=$((round + 1))
done
"$VENV/bin/python" - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
rate = {(r["round"], r["alg"], r["impl"]): r["verify_per_s"] for r in rows}
print("| DSC | cccd verify/s (median) | peer PA/s (median) | ratio per round | median ratio |")
print("|---|---:|---:|---|---:|")
for alg in ["ecdsa-bp384", "rsa-pss-2048", "rsa-pkcs1-2048", "ecdsa-p256"]:
    rounds = sorted({k[0] for k in rate if k[1] == alg})
    ours = [rate[(n, alg, "cccd")] for n in rounds]
    peer = [rate[(n, alg, "python-cryptography")] for n in rounds]
    ratios = [o / p for o, p in zip(ours, peer)]
    print(f"| {alg} | {statistics.median(ours):,.0f} | {statistics.median(peer):,.0f} | "
          f"{' '.join(f'{x:.2f}' for x in ratios)} | **{statistics.median(ratios):.2f}x** |")
PY
