#!/usr/bin/env python3
"""Peer for the verification benchmark: passive authentication of the sample dumps with
`cryptography` (OpenSSL) and `asn1crypto`, on one thread.

Per dump, as cccd does: parse EF.SOD (the 0x77 wrapper, CMS SignedData), check the signed
messageDigest against the hash of the LDS security object, verify the signature over the
signed attributes (re-tagged as SET) with the embedded DSC's key, and compare every data
group's hash. With --chain the DSC's signature is also checked with its CSCA (skipped for
CSCAs with explicit curve parameters, which `cryptography` does not load).

Prints one JSON object per DSC algorithm, the same shape as the Rust example verify_rate.
Usage: peer_pa.py TESTDATA_DIR [SECONDS] [--chain]
"""

import hashlib
import json
import sys
import time
from pathlib import Path

from asn1crypto import cms, core
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils


class DataGroupHash(core.Sequence):
    _fields = [("number", core.Integer), ("value", core.OctetString)]


class DataGroupHashes(core.SequenceOf):
    _child_spec = DataGroupHash


class LdsSecurityObject(core.Sequence):
    _fields = [
        ("version", core.Integer),
        ("hash_algorithm", cms.DigestAlgorithm),
        ("hashes", DataGroupHashes),
        ("lds_version_info", core.Any, {"optional": True}),
    ]


HASHES = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
          "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def strip_77(data: bytes) -> bytes:
    """The value of the outer 0x77 TLV."""
    if data[0] != 0x77:
        raise ValueError("EF.SOD does not start with 0x77")
    first = data[1]
    if first < 0x80:
        return data[2:2 + first]
    n = first & 0x7F
    length = int.from_bytes(data[2:2 + n], "big")
    return data[2 + n:2 + n + length]


def load_dump(d: Path) -> dict:
    files = {p.name: p.read_bytes() for p in d.iterdir() if p.is_file()}
    dgs = {int(name[2:]): b for name, b in files.items()
           if name.startswith("DG") and name[2:].isdigit()}
    return {"sod": files["EF.SOD"], "dgs": dgs}


def verify(dump: dict, cscas=None) -> bool:
    ci = cms.ContentInfo.load(strip_77(dump["sod"]))
    sd = ci["content"]
    # eContent: an OCTET STRING holding the LDSSecurityObject DER.
    content = sd["encap_content_info"]["content"].contents
    si = sd["signer_infos"][0]
    digest_name = si["digest_algorithm"]["algorithm"].native
    h = HASHES[digest_name]
    attrs = si["signed_attrs"]
    md = None
    for a in attrs:
        if a["type"].native == "message_digest":
            md = a["values"][0].native
    ok = md == hashlib.new(digest_name, content).digest()
    signed = b"\x31" + attrs.dump()[1:]
    cert_der = sd["certificates"][0].chosen.dump()
    cert = x509.load_der_x509_certificate(cert_der)
    key = cert.public_key()
    sig = si["signature"].native
    sig_alg = si["signature_algorithm"]
    name = sig_alg["algorithm"].native
    if isinstance(key, rsa.RSAPublicKey):
        if name == "rsassa_pss":
            params = sig_alg["parameters"]
            salt = params["salt_length"].native
            mgf_hash = HASHES[params["mask_gen_algorithm"]["parameters"]["algorithm"].native]
            pad = padding.PSS(mgf=padding.MGF1(mgf_hash()), salt_length=salt)
            key.verify(sig, signed, pad, HASHES[params["hash_algorithm"]["algorithm"].native]())
        else:
            key.verify(sig, signed, padding.PKCS1v15(), h())
    else:
        if sig[0] != 0x30:  # plain r||s
            n = len(sig) // 2
            sig = utils.encode_dss_signature(int.from_bytes(sig[:n], "big"),
                                             int.from_bytes(sig[n:], "big"))
        key.verify(sig, signed, ec.ECDSA(h()))
    lso = LdsSecurityObject.load(content)
    dg_hash = lso["hash_algorithm"]["algorithm"].native
    listed = set()
    for entry in lso["hashes"]:
        number = entry["number"].native
        listed.add(number)
        data = dump["dgs"].get(number)
        if data is not None:
            ok &= hashlib.new(dg_hash, data).digest() == entry["value"].native
    # A data group read but not listed in the SOD is unprotected: fail, as cccd does.
    ok &= set(dump["dgs"]) <= listed
    if cscas is not None:
        issuer = cscas.get(cert.issuer.rfc4514_string())
        if issuer is not None:
            cert.verify_directly_issued_by(issuer)
    return ok


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    chain = "--chain" in sys.argv
    only = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--alg=")), None)
    root = Path(args[0])
    seconds = float(args[1]) if len(args) > 1 else 2.0
    manifest = json.loads((root / "manifest.json").read_text())
    cscas = None
    if chain:
        cscas = {}
        for p in manifest["trust_anchors"]:
            try:
                c = x509.load_pem_x509_certificate((root / p).read_bytes())
                c.public_key()
                cscas[c.subject.rfc4514_string()] = c
            except Exception:  # explicit curve parameters: not loadable here
                pass
    groups = {}
    for card in manifest["cards"]:
        if card["expected_verdict"] != "verified":
            continue
        alg = card["dsc_algorithm"]
        label = ("rsa-pss-2048" if "PSS" in alg else "rsa-pkcs1-2048" if "RSA" in alg
                 else "ecdsa-p256" if "P-256" in alg else "ecdsa-bp384")
        groups.setdefault(label, []).append(load_dump(root / card["dir"]))
    # The peer must also catch tampering, or its speed means nothing.
    for card in manifest["cards"]:
        if any(c.startswith("dg.hash.") for c in card["failing_checks"]):
            if verify(load_dump(root / card["dir"]), cscas):
                raise SystemExit(f"{card['dir']}: an altered data group was not caught")
    for label, dumps in groups.items():
        if only is not None and label != only:
            continue
        for d in dumps:
            if not verify(d, cscas):
                raise SystemExit(f"{label}: a valid dump did not verify")
        done = 0
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            for d in dumps:
                verify(d, cscas)
                done += 1
        rate = done / (time.perf_counter() - start)
        print(json.dumps({"impl": "python-cryptography", "alg": label, "cards": len(dumps),
                          "chain": chain, "verify_per_s": round(rate, 1)}))


if __name__ == "__main__":
    main()
