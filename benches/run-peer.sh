#!/bin/sh
# Verifications per second on one core: cccd (Rust) vs a Python peer (cryptography/OpenSSL +
# asn1crypto), same sample dumps, back to back in one run, alternating twice; prints the
# ratios as a Markdown table. Installs the peer's packages from PyPI into a venv under target/.
# Usage: benches/run-peer.sh [SECONDS_PER_MEASUREMENT]
set -eu
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-3}"
. benches/peer-setup.sh
OUT="target/peer-run.jsonl"
: > "$OUT"
# OpenSSL's own primitive on one core, same curves and key size (verify/s).
$PIN openssl speed -seconds "$SECONDS_EACH" ecdsabrp384r1 ecdsap256 rsa2048 2>/dev/null \
    | awk '/^rsa 2048 bits/ {print "{\"impl\":\"openssl-speed\",\"prim\":\"rsa2048\",\"verify_per_s\":" $NF "}"}
           /ecdsa \(nistp256\)/ {print "{\"impl\":\"openssl-speed\",\"prim\":\"p256\",\"verify_per_s\":" $NF "}"}
           /ecdsa \(brainpoolP384r1\)/ {print "{\"impl\":\"openssl-speed\",\"prim\":\"bp384\",\"verify_per_s\":" $NF "}"}' >> "$OUT"
for round in 1 2; do
    $PIN target/release/examples/verify_rate "$SECONDS_EACH" | sed "s/^{/{\"round\":$round,/" >> "$OUT"
    $PIN "$VENV/bin/python" benches/peer_pa.py testdata "$SECONDS_EACH" | sed "s/^{/{\"round\":$round,/" >> "$OUT"
    $PIN "$VENV/bin/python" benches/peer_pa.py testdata "$SECONDS_EACH" --chain | sed "s/^{/{\"round\":$round,/" >> "$OUT"
done
"$VENV/bin/python" - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
best = {}
for r in rows:
    if "alg" not in r:  # OpenSSL's speed rows name a primitive, not a sample algorithm
        continue
    key = (r["impl"], r.get("chain", None), r["alg"])
    best[key] = max(best.get(key, 0), r["verify_per_s"])
    if r["impl"] == "cccd":
        k = ("cccd-floor", None, r["alg"])
        best[k] = max(best.get(k, 0), r["floor_per_s"])
        k = ("cccd-passive", None, r["alg"])
        best[k] = max(best.get(k, 0), r["passive_per_s"])
algs = sorted({r.get("alg") for r in rows if r.get("alg")})
speed = {r["prim"]: r["verify_per_s"] for r in rows if r["impl"] == "openssl-speed"}
for r in rows:
    if r["impl"] == "cccd":
        for k in ("sig_plain_per_s", "sig_prepared_per_s"):
            key = ("cccd-" + k, None, r["alg"])
            best[key] = max(best.get(key, 0), r[k])
print("| DSC algorithm | cccd verify/s (all checks) | cccd PA/s | cccd floor/s | Python PA/s | Python PA+chain/s | PA ours/theirs | verify ours/theirs | PA ours/theirs+chain |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for a in algs:
    ours = best[("cccd", None, a)]
    pa = best[("cccd-passive", None, a)]
    floor = best[("cccd-floor", None, a)]
    t0 = best[("python-cryptography", False, a)]
    t1 = best[("python-cryptography", True, a)]
    print(f"| {a} | {ours:.0f} | {pa:.0f} | {floor:.0f} | {t0:.0f} | {t1:.0f} | {pa/t0:.2f} | {ours/t0:.2f} | {pa/t1:.2f} |")
print("\nSignature alone (one verification of the SOD's signed attributes), per second:\n")
print("| DSC algorithm | RustCrypto plain | cccd prepared | OpenSSL speed | prepared/plain | prepared/OpenSSL | µs prepared | µs OpenSSL |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
prim_of = lambda a: "bp384" if "bp384" in a else "p256" if "p256" in a else "rsa2048"
for a in algs:
    plain = best[("cccd-sig_plain_per_s", None, a)]
    prep = best[("cccd-sig_prepared_per_s", None, a)]
    ossl = speed.get(prim_of(a), 0)
    ratio = f"{prep/ossl:.2f}" if ossl else "n/a"
    ossl_us = f"{1e6/ossl:.0f}" if ossl else "n/a"
    print(f"| {a} | {plain:.0f} | {prep:.0f} | {ossl:.0f} | {prep/plain:.2f} | {ratio} | {1e6/prep:.0f} | {ossl_us} |")
print("\n(best of 2 alternating rounds each; one core, pinned with taskset when available)")
PY
