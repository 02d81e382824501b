#!/usr/bin/env python3
"""Verifications per second from Python: the cccd wheel (every check: passive, chain, AA/CA,
MRZ, expiry) on 1 thread and on a thread pool of 2 (the GIL is released during `verify`),
against the pure-Python peer benches/peer_pa.py (passive authentication with
cryptography/OpenSSL + asn1crypto, optionally the DSC's chain) on 1 thread and on a pool of 2,
same valid sample dumps, grouped by DSC algorithm, in one run.

Usage: bindings_rate.py TESTDATA [SECONDS]    (prints a Markdown table)
"""

import concurrent.futures
import importlib.util
import json
import sys
import time
from pathlib import Path

import cccd

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("peer_pa", HERE / "peer_pa.py")
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)


def rate(task, items, threads, seconds):
    """Calls of task(item) per second over `seconds`, cycling through items."""
    done = 0
    start = time.perf_counter()
    if threads == 1:
        while time.perf_counter() - start < seconds:
            for item in items:
                task(item)
                done += 1
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
            while time.perf_counter() - start < seconds:
                batch = items * 8
                for _ in pool.map(task, batch):
                    pass
                done += len(batch)
    return done / (time.perf_counter() - start)


def main():
    root = Path(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    manifest = json.loads((root / "manifest.json").read_text())
    trust = cccd.TrustStore()
    for p in manifest["trust_anchors"]:
        trust.add_csca(root / p)
    for p in manifest["crls"]:
        trust.add_crl(root / p)
    cscas = {}
    for p in manifest["trust_anchors"]:
        try:
            c = peer.x509.load_pem_x509_certificate((root / p).read_bytes())
            c.public_key()
            cscas[c.subject.rfc4514_string()] = c
        except Exception:  # explicit curve parameters: not loadable by cryptography
            pass
    groups = {}
    for card in manifest["cards"]:
        if card["expected_verdict"] != "verified":
            continue
        alg = card["dsc_algorithm"]
        label = ("rsa-pss-2048" if "PSS" in alg else "rsa-pkcs1-2048" if "RSA" in alg
                 else "ecdsa-p256" if "P-256" in alg else "ecdsa-bp384")
        folder = root / card["dir"]
        files = {p.name: p.read_bytes() for p in folder.iterdir()}
        groups.setdefault(label, []).append((card, files, peer.load_dump(folder)))

    def ours(job):
        card, files, _ = job
        report = cccd.verify(files, trust, aa_challenge=card["aa_challenge"], at="2025-06-01")
        assert report.verdict == "verified", report

    def theirs(job):
        assert peer.verify(job[2], None)

    def theirs_chain(job):
        assert peer.verify(job[2], cscas)

    print(f"cccd {cccd.__version__}; {seconds:g} s per measurement\n")
    print("| DSC algorithm | cards | cccd 1 thread /s | cccd pool(2) /s | Python PA 1 thread /s | Python PA pool(2) /s | Python PA+chain pool(2) /s | pool(2): cccd / Python PA |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label in sorted(groups):
        jobs = groups[label]
        # Two rounds, alternating ours and theirs, best of each: on a shared machine the load
        # changes between measurements, and the best is the least disturbed.
        o1 = o2 = t1 = t2 = tc = 0.0
        for _ in range(2):
            o1 = max(o1, rate(ours, jobs, 1, seconds))
            t1 = max(t1, rate(theirs, jobs, 1, seconds))
            o2 = max(o2, rate(ours, jobs, 2, seconds))
            t2 = max(t2, rate(theirs, jobs, 2, seconds))
            tc = max(tc, rate(theirs_chain, jobs, 2, seconds))
        print(f"| {label} | {len(jobs)} | {o1:,.0f} | {o2:,.0f} | {t1:,.0f} | {t2:,.0f} | {tc:,.0f} | {o2 / t2:.2f}x |")


if __name__ == "__main__":
    main()
