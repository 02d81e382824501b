//! Active Authentication against an independent RSA and ECDSA implementation: the `openssl`
//! command-line tool makes the keys and performs the raw RSA private operation (no padding)
//! on ISO/IEC 9796-2 scheme 1 message representatives laid out here by hand, as ICAO 9303-11
//! §6.1 describes them (`6A || M1 || H(M1 || challenge) || BC`, or `... || 34 CC` for an
//! explicit SHA-256), and signs challenges with ECDSA; `cccd::access::active::verify_aa` must
//! accept them, and reject a representative whose hash does not match.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

mod lds_support;

use cccd::access::active::{AaAlgorithm, AaError, verify_aa};
use cccd::crypto::HashAlgorithm;
use cccd::lds::dg14::Dg14;
use cccd::lds::dg15::Dg15;
use lds_support::{TempDir, openssl_ok};
use sha2::Digest;

const CHALLENGE: [u8; 8] = [0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6, 0x07, 0x18];

fn rsa_key(dir: &TempDir, bits: u32) -> Dg15 {
    openssl_ok(
        &dir.0,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            &format!("rsa_keygen_bits:{bits}"),
            "-out",
            "aa.key",
        ],
    );
    openssl_ok(
        &dir.0,
        &[
            "pkey",
            "-in",
            "aa.key",
            "-pubout",
            "-outform",
            "DER",
            "-out",
            "aa.pub.der",
        ],
    );
    Dg15::from_spki(&std::fs::read(dir.path("aa.pub.der")).unwrap()).unwrap()
}

/// openssl's raw RSA private operation on `representative` (`pkeyutl -decrypt` without
/// padding computes f^d mod n; `-sign` refuses inputs longer than a hash).
fn raw_sign(dir: &TempDir, representative: &[u8]) -> Vec<u8> {
    std::fs::write(dir.path("f.bin"), representative).unwrap();
    openssl_ok(
        &dir.0,
        &[
            "pkeyutl",
            "-decrypt",
            "-inkey",
            "aa.key",
            "-pkeyopt",
            "rsa_padding_mode:none",
            "-in",
            "f.bin",
            "-out",
            "sig.bin",
        ],
    );
    std::fs::read(dir.path("sig.bin")).unwrap()
}

/// `6A || M1 || H(M1 || challenge) || trailer` for a `k`-byte modulus.
fn representative(k: usize, trailer: &[u8], hash: fn(&[u8]) -> Vec<u8>, h_len: usize) -> Vec<u8> {
    let m1: Vec<u8> = (0..k - 1 - h_len - trailer.len())
        .map(|i| (i * 7 + 3) as u8)
        .collect();
    let mut message = m1.clone();
    message.extend_from_slice(&CHALLENGE);
    let mut f = vec![0x6A];
    f.extend_from_slice(&m1);
    f.extend_from_slice(&hash(&message));
    f.extend_from_slice(trailer);
    assert_eq!(f.len(), k);
    f
}

fn sha1(m: &[u8]) -> Vec<u8> {
    sha1::Sha1::digest(m).to_vec()
}

fn sha256(m: &[u8]) -> Vec<u8> {
    sha2::Sha256::digest(m).to_vec()
}

#[test]
fn rsa_1024_sha1_implicit_trailer_signed_by_openssl() {
    let dir = TempDir::new("aa-openssl-sha1");
    let dg15 = rsa_key(&dir, 1024);
    let f = representative(128, &[0xBC], sha1, 20);
    let signature = raw_sign(&dir, &f);
    assert_eq!(
        verify_aa(&dg15, None, &CHALLENGE, &signature),
        Ok(AaAlgorithm::RsaIso9796_2 {
            hash: HashAlgorithm::Sha1
        })
    );
    // The same signature answers no other challenge.
    let mut other = CHALLENGE;
    other[0] ^= 1;
    assert!(matches!(
        verify_aa(&dg15, None, &other, &signature),
        Err(AaError::Invalid { .. })
    ));
    // A representative whose embedded hash is wrong is refused.
    let mut bad = f.clone();
    bad[128 - 2] ^= 0x01;
    let signature = raw_sign(&dir, &bad);
    assert!(matches!(
        verify_aa(&dg15, None, &CHALLENGE, &signature),
        Err(AaError::Invalid { .. })
    ));
    // A representative with a PKCS#1-like header instead of 6A is refused.
    let mut bad = f;
    bad[0] = 0x01;
    let signature = raw_sign(&dir, &bad);
    assert!(verify_aa(&dg15, None, &CHALLENGE, &signature).is_err());
}

#[test]
fn rsa_2048_sha256_explicit_trailer_signed_by_openssl() {
    let dir = TempDir::new("aa-openssl-sha256");
    let dg15 = rsa_key(&dir, 2048);
    // ISO/IEC 10118-3 identifier 0x34 = SHA-256.
    let f = representative(256, &[0x34, 0xCC], sha256, 32);
    let signature = raw_sign(&dir, &f);
    assert_eq!(
        verify_aa(&dg15, None, &CHALLENGE, &signature),
        Ok(AaAlgorithm::RsaIso9796_2 {
            hash: HashAlgorithm::Sha256
        })
    );
    // An unknown hash identifier is reported as unsupported, not as a pass.
    let f = representative(256, &[0x37, 0xCC], sha256, 32);
    let signature = raw_sign(&dir, &f);
    assert!(matches!(
        verify_aa(&dg15, None, &CHALLENGE, &signature),
        Err(AaError::UnsupportedAlgorithm { .. })
    ));
}

/// DG14 with an ActiveAuthenticationInfo naming `algorithm` (dotted-arc list).
fn dg14_naming(arcs: &[u64]) -> Dg14 {
    use cccd::lds::asn1::{enc_oid, enc_seq, enc_set_of, enc_uint, oid_from_arcs};
    let info = enc_seq(&[
        &enc_oid(&oid_from_arcs(&[2, 23, 136, 1, 1, 5])),
        &enc_uint(1),
        &enc_oid(&oid_from_arcs(arcs)),
    ]);
    let set = enc_set_of(&[&info]);
    Dg14::parse(&cccd::tlv::encode(cccd::tlv::Tag::new(0x6E), &set)).unwrap()
}

#[test]
fn ecdsa_brainpool_p256_signed_by_openssl() {
    let dir = TempDir::new("aa-openssl-ec");
    openssl_ok(
        &dir.0,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:brainpoolP256r1",
            "-out",
            "ec.key",
        ],
    );
    openssl_ok(
        &dir.0,
        &[
            "pkey",
            "-in",
            "ec.key",
            "-pubout",
            "-outform",
            "DER",
            "-out",
            "ec.pub.der",
        ],
    );
    let dg15 = Dg15::from_spki(&std::fs::read(dir.path("ec.pub.der")).unwrap()).unwrap();
    std::fs::write(dir.path("challenge.bin"), CHALLENGE).unwrap();
    openssl_ok(
        &dir.0,
        &[
            "dgst",
            "-sha256",
            "-sign",
            "ec.key",
            "-out",
            "sig.der",
            "challenge.bin",
        ],
    );
    let der = std::fs::read(dir.path("sig.der")).unwrap();
    // DG14 names ecdsa-with-SHA256 (X9.62): openssl's DER signature is accepted.
    let x962 = dg14_naming(&[1, 2, 840, 10045, 4, 3, 2]);
    assert_eq!(
        verify_aa(&dg15, Some(&x962), &CHALLENGE, &der),
        Ok(AaAlgorithm::Ecdsa {
            hash: HashAlgorithm::Sha256,
            defaulted: false
        })
    );
    // The same signature as plain r || s under ecdsa-plain-SHA256 (BSI TR-03111).
    let plain = der_to_plain(&der, 32);
    let bsi = dg14_naming(&[0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 3]);
    assert!(verify_aa(&dg15, Some(&bsi), &CHALLENGE, &plain).is_ok());
    // DG14 naming SHA-384 makes the SHA-256 signature fail.
    let sha384 = dg14_naming(&[0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 4]);
    assert!(verify_aa(&dg15, Some(&sha384), &CHALLENGE, &plain).is_err());
}

/// `SEQUENCE { INTEGER r, INTEGER s }` to `r || s`, each left-padded to `n` bytes.
fn der_to_plain(der: &[u8], n: usize) -> Vec<u8> {
    let (seq, _) = cccd::tlv::Tlv::parse(der).unwrap();
    let mut out = Vec::new();
    for int in cccd::tlv::Tlvs::new(seq.value()) {
        let int = int.unwrap();
        let v: Vec<u8> = int
            .value()
            .iter()
            .copied()
            .skip_while(|&b| b == 0)
            .collect();
        out.extend(std::iter::repeat_n(0, n - v.len()));
        out.extend_from_slice(&v);
    }
    out
}
