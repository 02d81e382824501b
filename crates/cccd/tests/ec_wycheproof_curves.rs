//! The curves added for PACE domain parameter ids 8-14 against published and independent
//! values: Wycheproof ECDH and ECDSA vectors (secp192r1, secp224r1, brainpoolP224r1,
//! brainpoolP320r1; copied unchanged into `tests/vectors/wycheproof`), and ECDH with keys
//! made by the `openssl` CLI and a shared secret from `openssl pkeyutl -derive` for all five
//! curves (Wycheproof has no brainpoolP192r1 vectors).

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

mod lds_support;

use cccd::ec::Curve;
use cccd::pki::signature::verify_signature_der;
use der::{Decode, Encode};
use lds_support::{TempDir, openssl_ok};
use serde_json::Value;
use spki::SubjectPublicKeyInfoRef;

fn vectors(name: &str) -> Value {
    let path = format!(
        "{}/tests/vectors/wycheproof/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The shared secret for a private key and a peer's public point, through `cccd::ec`: the
/// point is decoded (uncompressed, on the curve), the x-coordinate of d·Q returned.
fn ecdh(curve: Curve, private: &[u8], point: &[u8]) -> Option<Vec<u8>> {
    let secret = curve.scalar_from_be_bytes(private).ok()?;
    let peer = curve.decode_point(point).ok()?;
    Some(peer.mul(&secret).ok()?.x_coordinate().ok()?.to_vec())
}

/// The curve and point of a DER SubjectPublicKeyInfo; `None` where the encoding or the curve
/// is refused.
fn spki_point(der: &[u8]) -> Option<(Curve, Vec<u8>)> {
    // Trailing bytes are refused by the decoder.
    let spki = SubjectPublicKeyInfoRef::from_der(der).ok()?;
    let params = spki.algorithm.parameters?;
    let curve = Curve::from_ec_parameters_der(&params.to_der().ok()?).ok()?;
    Some((curve, spki.subject_public_key.raw_bytes().to_vec()))
}

/// Every vector: a valid one must give Wycheproof's shared secret, an invalid one must be
/// refused (or give a different value), an acceptable one (e.g. a compressed point) may be
/// refused but never give a wrong secret. Returns how many valid vectors agreed.
fn ecdh_vectors(file: &str, curve: Curve, spki: bool) -> usize {
    let data = vectors(file);
    let mut agreed = 0;
    for group in data["testGroups"].as_array().unwrap() {
        for test in group["tests"].as_array().unwrap() {
            let id = &test["tcId"];
            let public = unhex(test["public"].as_str().unwrap());
            let expected = unhex(test["shared"].as_str().unwrap());
            let private = unhex(test["private"].as_str().unwrap());
            let got = if spki {
                spki_point(&public)
                    .filter(|(c, _)| *c == curve)
                    .and_then(|(_, point)| ecdh(curve, &private, &point))
            } else {
                ecdh(curve, &private, &public)
            };
            // Explicit parameters without the cofactor: Wycheproof calls the key invalid, but
            // RFC 3279 makes the cofactor OPTIONAL and the rest equals the named curve exactly
            // (as on Vietnam's CSCA), so cccd accepts it; then the secret must be right.
            let no_cofactor = test["flags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "NoCofactor");
            let result = match test["result"].as_str().unwrap() {
                "invalid" if no_cofactor => "acceptable",
                other => other,
            };
            match result {
                "valid" => {
                    assert_eq!(got.as_deref(), Some(&expected[..]), "{file} tcId {id}");
                    agreed += 1;
                }
                "invalid" => assert!(
                    got.as_deref() != Some(&expected[..]) || expected.is_empty(),
                    "{file} tcId {id}: an invalid vector was accepted"
                ),
                _ => {
                    if let Some(got) = got {
                        assert_eq!(got, expected, "{file} tcId {id}");
                    }
                }
            }
        }
    }
    agreed
}

#[test]
fn wycheproof_ecdh_brainpool_p224r1() {
    assert!(ecdh_vectors("ecdh_brainpoolP224r1_test", Curve::BrainpoolP224r1, true) > 100);
}

#[test]
fn wycheproof_ecdh_brainpool_p320r1() {
    assert!(ecdh_vectors("ecdh_brainpoolP320r1_test", Curve::BrainpoolP320r1, true) > 100);
}

#[test]
fn wycheproof_ecdh_secp224r1() {
    assert!(ecdh_vectors("ecdh_secp224r1_ecpoint_test", Curve::NistP224, false) > 100);
}

/// ECDSA through the reader's own signature verification (`verify_signature_der`, as DS and
/// CSCA certificates are checked): valid vectors verify, invalid ones are refused.
fn ecdsa_vectors(file: &str, algorithm_oid_der: &[u8]) -> (usize, usize) {
    let data = vectors(file);
    let algorithm = [
        &[0x30, algorithm_oid_der.len() as u8][..],
        algorithm_oid_der,
    ]
    .concat();
    let (mut valid, mut invalid) = (0, 0);
    for group in data["testGroups"].as_array().unwrap() {
        let spki = unhex(group["publicKeyDer"].as_str().unwrap());
        for test in group["tests"].as_array().unwrap() {
            let msg = unhex(test["msg"].as_str().unwrap());
            let sig = unhex(test["sig"].as_str().unwrap());
            let verdict = verify_signature_der(&spki, &algorithm, &msg, &sig);
            let id = &test["tcId"];
            match test["result"].as_str().unwrap() {
                "valid" => {
                    assert!(verdict.is_ok(), "{file} tcId {id}: {verdict:?}");
                    valid += 1;
                }
                "invalid" => {
                    assert!(verdict.is_err(), "{file} tcId {id}: invalid accepted");
                    invalid += 1;
                }
                _ => {}
            }
        }
    }
    (valid, invalid)
}

// ecdsa-with-SHA224/256/384 (RFC 5758 §3.2), DER OBJECT IDENTIFIERs.
const ECDSA_SHA224: [u8; 10] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x01];
const ECDSA_SHA256: [u8; 10] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02];
const ECDSA_SHA384: [u8; 10] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03];

#[test]
fn wycheproof_ecdsa_secp192r1_sha256() {
    let (valid, invalid) = ecdsa_vectors("ecdsa_secp192r1_sha256_test", &ECDSA_SHA256);
    assert!(
        valid > 50 && invalid > 100,
        "{valid} valid, {invalid} invalid"
    );
}

#[test]
fn wycheproof_ecdsa_secp224r1_sha224() {
    let (valid, invalid) = ecdsa_vectors("ecdsa_secp224r1_sha224_test", &ECDSA_SHA224);
    assert!(
        valid > 50 && invalid > 100,
        "{valid} valid, {invalid} invalid"
    );
}

#[test]
fn wycheproof_ecdsa_brainpool_p224r1_sha224() {
    let (valid, invalid) = ecdsa_vectors("ecdsa_brainpoolP224r1_sha224_test", &ECDSA_SHA224);
    assert!(
        valid > 50 && invalid > 100,
        "{valid} valid, {invalid} invalid"
    );
}

#[test]
fn wycheproof_ecdsa_brainpool_p320r1_sha384() {
    let (valid, invalid) = ecdsa_vectors("ecdsa_brainpoolP320r1_sha384_test", &ECDSA_SHA384);
    assert!(
        valid > 50 && invalid > 100,
        "{valid} valid, {invalid} invalid"
    );
}

/// The private scalar and public point of an OpenSSL EC key, from `openssl ec -text`.
fn openssl_key(dir: &TempDir, name: &str, curve: Curve) -> (Vec<u8>, Vec<u8>) {
    let key = dir.path(&format!("{name}.pem"));
    let key = key.to_str().unwrap();
    let openssl_curve = match curve {
        Curve::NistP192 => "prime192v1",
        other => other.name(),
    };
    openssl_ok(
        &dir.0,
        &[
            "ecparam",
            "-name",
            openssl_curve,
            "-genkey",
            "-noout",
            "-out",
            key,
        ],
    );
    let der = dir.path(&format!("{name}.der"));
    let der = der.to_str().unwrap();
    openssl_ok(&dir.0, &["ec", "-in", key, "-outform", "DER", "-out", der]);
    // ECPrivateKey (RFC 5915): SEQUENCE { INTEGER 1, OCTET STRING d, [0] params, [1] BIT STRING Q }.
    let bytes = std::fs::read(der).unwrap();
    let header = if bytes[1] == 0x81 { 3 } else { 2 };
    assert_eq!(
        bytes[header..header + 5],
        [0x02, 0x01, 0x01, 0x04, bytes[header + 4]]
    );
    let d_len = usize::from(bytes[header + 4]);
    let private = bytes[header + 5..header + 5 + d_len].to_vec();
    let point_len = 1 + 2 * curve.field_size();
    let public = bytes[bytes.len() - point_len..].to_vec();
    assert_eq!(public[0], 0x04);
    (private, public)
}

#[test]
fn ecdh_agrees_with_openssl_pkeyutl_derive_on_the_new_curves() {
    for curve in [
        Curve::NistP192,
        Curve::BrainpoolP192r1,
        Curve::NistP224,
        Curve::BrainpoolP224r1,
        Curve::BrainpoolP320r1,
    ] {
        let dir = TempDir::new(&format!("ecdh-{}", curve.name()));
        let (a_private, a_public) = openssl_key(&dir, "a", curve);
        let (_, b_public) = openssl_key(&dir, "b", curve);
        // The reader's side: a's scalar times b's point, each decoded by cccd::ec.
        let ours = ecdh(curve, &a_private, &b_public).unwrap();
        assert_eq!(ours.len(), curve.field_size());
        // OpenSSL's side: `pkeyutl -derive` with a's key and b's public key.
        let b_pub = dir.path("b.pub.pem");
        let (a_pem, b_pem, secret) = (dir.path("a.pem"), dir.path("b.pem"), dir.path("z"));
        openssl_ok(
            &dir.0,
            &[
                "ec",
                "-in",
                b_pem.to_str().unwrap(),
                "-pubout",
                "-out",
                b_pub.to_str().unwrap(),
            ],
        );
        openssl_ok(
            &dir.0,
            &[
                "pkeyutl",
                "-derive",
                "-inkey",
                a_pem.to_str().unwrap(),
                "-peerkey",
                b_pub.to_str().unwrap(),
                "-out",
                secret.to_str().unwrap(),
            ],
        );
        assert_eq!(ours, std::fs::read(&secret).unwrap(), "{curve}");
        // And our a·G is OpenSSL's public key.
        let d = curve.scalar_from_be_bytes(&a_private).unwrap();
        assert_eq!(
            curve.mul_generator(&d).unwrap().to_uncompressed().unwrap(),
            a_public
        );
    }
}
