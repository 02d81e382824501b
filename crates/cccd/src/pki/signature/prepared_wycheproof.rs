//! Wycheproof vectors (github.com/C2SP/wycheproof, testvectors_v1 at commit
//! dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166, Apache-2.0) through the prepared path with its
//! tables built, and through the plain path: both must give the published verdict (valid
//! accepted, invalid refused) and the same error; "acceptable" vectors must only agree.

use serde_json::Value;

// The DER builders of the signature tests: one test-side encoder, independent of the parser.
use super::super::tests::{algorithm_der, tlv};
use super::super::{HashAlgorithm, PreparedKey, oid, parse_spki, verify_signature};

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/wycheproof/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn hash_named(name: &str) -> HashAlgorithm {
    match name {
        "SHA-1" => HashAlgorithm::Sha1,
        "SHA-224" => HashAlgorithm::Sha224,
        "SHA-256" => HashAlgorithm::Sha256,
        "SHA-384" => HashAlgorithm::Sha384,
        "SHA-512" => HashAlgorithm::Sha512,
        other => panic!("hash {other}"),
    }
}

/// Run every test of a file; `algorithm` gives each group's AlgorithmIdentifier DER; `tables`
/// builds each key's table first (the DER files only add signature decoding, which the two
/// paths share, so they run without).
fn run(name: &str, tables: bool, algorithm: impl Fn(&Value) -> Vec<u8>) -> usize {
    let file = fixture(name);
    let mut count = 0;
    for group in file["testGroups"].as_array().unwrap() {
        let spki_der = unhex(group["publicKeyDer"].as_str().unwrap());
        let spki = parse_spki(&spki_der).unwrap();
        let alg_der = algorithm(group);
        let alg = super::super::parse_algorithm(&alg_der).unwrap();
        let hash = hash_named(group["sha"].as_str().unwrap());
        let prepared = PreparedKey::new(&spki);
        if tables {
            prepared.build_table();
            assert!(prepared.table_bytes() > 0 || !name.starts_with("ecdsa"));
        }
        for test in group["tests"].as_array().unwrap() {
            let msg = unhex(test["msg"].as_str().unwrap());
            let sig = unhex(test["sig"].as_str().unwrap());
            let id = test["tcId"].as_u64().unwrap();
            let plain = verify_signature(&spki, &alg, &msg, &sig);
            let fast = prepared.verify_cms(&spki, &alg, hash, &msg, &sig);
            assert_eq!(plain, fast, "{name} tcId {id}: the paths disagree");
            match test["result"].as_str().unwrap() {
                "valid" => assert_eq!(fast, Ok(()), "{name} tcId {id} is valid"),
                "invalid" => assert!(fast.is_err(), "{name} tcId {id} is invalid"),
                _ => {}
            }
            count += 1;
        }
    }
    count
}

fn ecdsa_plain_oid(hash: HashAlgorithm) -> oid::ObjectIdentifier {
    match hash {
        HashAlgorithm::Sha1 => oid::ECDSA_PLAIN_SHA1,
        HashAlgorithm::Sha224 => oid::ECDSA_PLAIN_SHA224,
        HashAlgorithm::Sha256 => oid::ECDSA_PLAIN_SHA256,
        HashAlgorithm::Sha384 => oid::ECDSA_PLAIN_SHA384,
        HashAlgorithm::Sha512 => oid::ECDSA_PLAIN_SHA512,
    }
}

fn ecdsa_der_oid(hash: HashAlgorithm) -> oid::ObjectIdentifier {
    match hash {
        HashAlgorithm::Sha1 => oid::ECDSA_WITH_SHA1,
        HashAlgorithm::Sha224 => oid::ECDSA_WITH_SHA224,
        HashAlgorithm::Sha256 => oid::ECDSA_WITH_SHA256,
        HashAlgorithm::Sha384 => oid::ECDSA_WITH_SHA384,
        HashAlgorithm::Sha512 => oid::ECDSA_WITH_SHA512,
    }
}

#[test]
fn wycheproof_ecdsa_p1363_every_curve() {
    for name in [
        "ecdsa_secp256r1_sha256_p1363_test",
        "ecdsa_secp384r1_sha384_p1363_test",
        "ecdsa_secp521r1_sha512_p1363_test",
        "ecdsa_brainpoolP256r1_sha256_p1363_test",
        "ecdsa_brainpoolP384r1_sha384_p1363_test",
        "ecdsa_brainpoolP512r1_sha512_p1363_test",
    ] {
        let count = run(name, true, |g| {
            algorithm_der(
                ecdsa_plain_oid(hash_named(g["sha"].as_str().unwrap())),
                None,
            )
        });
        assert!(count > 200, "{name}: {count} tests");
    }
}

#[test]
fn wycheproof_ecdsa_der() {
    for name in [
        "ecdsa_secp256r1_sha256_test",
        "ecdsa_brainpoolP384r1_sha384_test",
    ] {
        let count = run(name, false, |g| {
            algorithm_der(ecdsa_der_oid(hash_named(g["sha"].as_str().unwrap())), None)
        });
        assert!(count > 200, "{name}: {count} tests");
    }
}

#[test]
fn wycheproof_rsa_pkcs1_and_pss() {
    let count = run("rsa_signature_2048_sha256_test", true, |_| {
        algorithm_der(oid::SHA256_WITH_RSA, Some(&[0x05, 0x00]))
    });
    assert!(count > 100, "PKCS#1: {count} tests");
    let count = run("rsa_pss_2048_sha256_mgf1_32_test", true, |g| {
        let hash = hash_named(g["sha"].as_str().unwrap());
        assert_eq!(g["mgfSha"], g["sha"]);
        let hash_alg = algorithm_der(hash.oid(), Some(&[0x05, 0x00]));
        let mgf = algorithm_der(oid::MGF1, Some(&hash_alg));
        let salt = u8::try_from(g["sLen"].as_u64().unwrap()).unwrap();
        let mut content = tlv(0xA0, &hash_alg);
        content.extend(tlv(0xA1, &mgf));
        content.extend(tlv(0xA2, &tlv(0x02, &[salt])));
        algorithm_der(oid::RSASSA_PSS, Some(&tlv(0x30, &content)))
    });
    assert!(count > 50, "PSS: {count} tests");
}
