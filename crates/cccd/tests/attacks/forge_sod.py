"""Forge EF.SOD variants outside cccd's parser (asn1crypto + cryptography), each re-signed
with the document signer's real key, so only the check under test can catch it.

usage: forge_sod.py MODE SOD_IN DSC_KEY_PEM OUT_DIR

Writes OUT_DIR/EF.SOD (and OUT_DIR/csca.pem for foreign_state). Modes:
  dup_digest        a second messageDigest attribute (same, correct value)
  dup_content_type  a second contentType attribute
  dup_dg            DG1 listed twice in the LDSSecurityObject (second hash wrong)
  nonminimal        the 0x77 length re-written in a longer, non-minimal form
  late_signing_time signingTime after the DSC's notAfter
  foreign_state     re-signed by a new DSC of country XX under a new CSCA of XX
  bad_dsc_validity  the embedded DSC's notBefore given month 13: the certificate keeps its
                    X.509 shape, issuer and serial, but is no valid X.509 (cryptography
                    refuses it, checked here)
"""
import datetime
import hashlib
import sys

from asn1crypto import cms, core, x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def unwrap(sod: bytes) -> bytes:
    assert sod[0] == 0x77
    n = sod[1]
    if n < 0x80:
        return sod[2:]
    k = n & 0x7F
    return sod[2 + k:]


def wrap(body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes([0x77, n]) + body
    ln = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x77, 0x80 | len(ln)]) + ln + body


def resign(ci, key, digest_name="sha256"):
    sd = ci["content"]
    si = sd["signer_infos"][0]
    der = si["signed_attrs"].dump(force=True)
    # The signature is over the SET OF form (tag 0x31) of the [0] IMPLICIT attributes.
    to_sign = b"\x31" + der[1:]
    si["signature"] = core.OctetString(key.sign(to_sign, ec.ECDSA(hashes.SHA256())))


def set_digest(ci):
    sd = ci["content"]
    content = sd["encap_content_info"]["content"].contents
    digest = hashlib.sha256(content).digest()
    for attr in sd["signer_infos"][0]["signed_attrs"]:
        if attr["type"].native == "message_digest":
            attr["values"] = cms.SetOfOctetString([digest])


def attrs(ci):
    return ci["content"]["signer_infos"][0]["signed_attrs"]


def foreign_pki(out_dir):
    def name(cn):
        return x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "XX"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Elsewhere TEST"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ])
    now = datetime.datetime(2021, 1, 1, tzinfo=datetime.timezone.utc)
    later = datetime.datetime(2034, 1, 1, tzinfo=datetime.timezone.utc)
    csca_key = ec.generate_private_key(ec.SECP384R1())
    dsc_key = ec.generate_private_key(ec.SECP256R1())
    csca = (x509.CertificateBuilder().subject_name(name("CSCA XX")).issuer_name(name("CSCA XX"))
            .public_key(csca_key.public_key()).serial_number(1).not_valid_before(now)
            .not_valid_after(later)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(csca_key.public_key()), critical=False)
            .sign(csca_key, hashes.SHA384()))
    dsc = (x509.CertificateBuilder().subject_name(name("DS XX")).issuer_name(name("CSCA XX"))
           .public_key(dsc_key.public_key()).serial_number(2).not_valid_before(now)
           .not_valid_after(later)
           .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
           .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(csca_key.public_key()), critical=False)
           .sign(csca_key, hashes.SHA256()))
    with open(f"{out_dir}/csca.pem", "wb") as f:
        f.write(csca.public_bytes(serialization.Encoding.PEM))
    return dsc, dsc_key


def main():
    mode, sod_in, key_pem, out_dir = sys.argv[1:5]
    swap = None
    sod = open(sod_in, "rb").read()
    key = serialization.load_pem_private_key(open(key_pem, "rb").read(), None)
    ci = cms.ContentInfo.load(unwrap(sod))
    sd = ci["content"]
    if mode == "nonminimal":
        body = unwrap(sod)
        ln = len(body).to_bytes(3, "big")  # 3 length bytes where 2 suffice
        open(f"{out_dir}/EF.SOD", "wb").write(bytes([0x77, 0x83]) + ln + body)
        return
    if mode == "dup_digest":
        existing = [a for a in attrs(ci) if a["type"].native == "message_digest"][0]
        attrs(ci).append(cms.CMSAttribute.load(existing.dump()))
    elif mode == "dup_content_type":
        existing = [a for a in attrs(ci) if a["type"].native == "content_type"][0]
        attrs(ci).append(cms.CMSAttribute.load(existing.dump()))
    elif mode == "dup_dg":
        content = sd["encap_content_info"]["content"].contents
        # LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm, dataGroupHashValues SEQUENCE OF ... }
        lso = core.Sequence.load(content)
        seq = lso[2]
        raw = seq.contents + core.Sequence.load(bytes([0x30, 0x25, 0x02, 0x01, 0x01, 0x04, 0x20]) + b"\xaa" * 32).dump()
        new_list = bytes([0x30]) + _len(len(raw)) + raw
        body = lso[0].dump() + lso[1].dump() + new_list + b"".join(lso[i].dump() for i in range(3, len(lso)))
        new_lso = bytes([0x30]) + _len(len(body)) + body
        sd["encap_content_info"]["content"] = core.ParsableOctetString(new_lso)
        set_digest(ci)
    elif mode == "late_signing_time":
        t = datetime.datetime(2031, 6, 1, tzinfo=datetime.timezone.utc)
        found = False
        for a in attrs(ci):
            if a["type"].native == "signing_time":
                a["values"] = cms.SetOfTime([cms.Time(name="utc_time", value=core.UTCTime(t))])
                found = True
        if not found:
            attrs(ci).append(cms.CMSAttribute({"type": "signing_time", "values": [cms.Time(name="utc_time", value=core.UTCTime(t))]}))
    elif mode == "foreign_state":
        dsc, key = foreign_pki(out_dir)
        cert = ax509.Certificate.load(dsc.public_bytes(serialization.Encoding.DER))
        sd["certificates"] = cms.CertificateSet([cms.CertificateChoices(name="certificate", value=cert)])
        si = sd["signer_infos"][0]
        if si["sid"].name == "issuer_and_serial_number":
            si["sid"] = cms.SignerIdentifier(name="issuer_and_serial_number", value=cms.IssuerAndSerialNumber({
                "issuer": cert.issuer, "serial_number": cert.serial_number}))
        else:
            si["sid"] = cms.SignerIdentifier(name="subject_key_identifier", value=cert.key_identifier)
    elif mode == "bad_dsc_validity":
        der = bytearray(sd["certificates"][0].chosen.dump())
        at = der.index(b"\x17\x0d")  # the first UTCTime of a certificate is notBefore
        der[at + 4:at + 6] = b"13"     # YYMMDD...: month 13
        try:
            x509.load_der_x509_certificate(bytes(der))
        except ValueError:
            pass
        else:
            raise SystemExit("cryptography accepted the month-13 certificate")
        # Same length: swapped into the output bytes, since asn1crypto would re-parse it.
        swap = (sd["certificates"][0].chosen.dump(), bytes(der))
    else:
        raise SystemExit(f"unknown mode {mode}")
    resign(ci, key)
    out = wrap(ci.dump(force=True))
    if swap is not None:
        assert out.count(swap[0]) == 1
        out = out.replace(*swap)
    open(f"{out_dir}/EF.SOD", "wb").write(out)


def _len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


if __name__ == "__main__":
    main()
