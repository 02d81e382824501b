#![allow(clippy::unwrap_used)] // tests: a panic is a failure
use super::iso9796::{hash_for_trailer_id, trailer_id};
use super::*;

#[test]
fn trailer_identifiers_follow_iso_10118_3() {
    // ISO/IEC 10118-3 hash-function identifiers used in 9796-2 explicit trailers.
    assert_eq!(hash_for_trailer_id(0x33), Some(HashAlgorithm::Sha1));
    assert_eq!(hash_for_trailer_id(0x34), Some(HashAlgorithm::Sha256));
    assert_eq!(hash_for_trailer_id(0x35), Some(HashAlgorithm::Sha512));
    assert_eq!(hash_for_trailer_id(0x36), Some(HashAlgorithm::Sha384));
    assert_eq!(hash_for_trailer_id(0x38), Some(HashAlgorithm::Sha224));
    assert_eq!(hash_for_trailer_id(0x31), None);
    for h in [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ] {
        assert_eq!(hash_for_trailer_id(trailer_id(h)), Some(h));
    }
}

#[test]
fn internal_authenticate_apdu_is_as_icao_prescribes() {
    let c = internal_authenticate_command(&[1, 2, 3, 4, 5, 6, 7, 8], false);
    assert_eq!(
        c.to_bytes().unwrap(),
        [0x00, 0x88, 0x00, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x00]
    );
}

#[test]
fn rsa_response_of_wrong_length_is_malformed() {
    // A 1024-bit modulus with its top bit set, exponent 65537.
    let mut modulus = vec![0xC5; 128];
    modulus[127] = 0x01;
    let key = iso9796::public_key(&modulus, &[1, 0, 1]).unwrap();
    for len in [0, 1, 127, 129] {
        let err = iso9796::verify(&key, &[0; 8], &vec![0x11; len]).unwrap_err();
        assert!(
            matches!(err, AaError::MalformedResponse { .. }),
            "{len}: {err}"
        );
    }
    // A full-length value not below the modulus is refused before any arithmetic.
    let err = iso9796::verify(&key, &[0; 8], &[0xFF; 128]).unwrap_err();
    assert!(matches!(err, AaError::MalformedResponse { .. }));
}

#[test]
fn small_rsa_keys_are_unsupported() {
    let err = iso9796::public_key(&[0xC5; 64], &[1, 0, 1]).unwrap_err();
    assert!(matches!(err, AaError::UnsupportedKey { .. }));
}

proptest::proptest! {
    /// Arbitrary responses against an RSA key and an EC key never panic (mirrors the
    /// `aa_response` fuzz target).
    #[test]
    fn arbitrary_responses_never_panic(response in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
        let mut modulus = vec![0xC5; 128];
        modulus[127] = 0x01;
        let key = iso9796::public_key(&modulus, &[1, 0, 1]).unwrap();
        let _ = iso9796::verify(&key, &[0; 8], &response);
        let mut padded = response.clone();
        padded.resize(128, 0);
        padded[0] &= 0x7F;
        let _ = iso9796::verify(&key, &[0; 8], &padded);
    }
}

/// AA answers of fresh P-256 chip keys (ecdsa-plain-SHA256 over the challenge, as the sample
/// chips sign), and a sweep of one-bit changes over each answer and challenge, get the same
/// verdict from the prepared key (the wNAF path: an AA key never has a table) as from the
/// plain `verify_signature_der` (the `ecdsa` crate). Keys are generated here so the test needs
/// no file outside the package.
#[test]
fn prepared_aa_verdicts_equal_plain_ones() {
    use ::ecdsa::signature::hazmat::PrehashSigner;
    use rand::RngExt as _;
    let mut rng = rand::rng();
    let algorithm = enc_seq(&[&enc_oid(&sig_oid::ECDSA_PLAIN_SHA256)]);
    let mut compared = 0;
    for _ in 0..6 {
        let key =
            <::ecdsa::SigningKey<p256::NistP256> as ::rsa::Generate>::generate_from_rng(&mut rng);
        let spki = crate::access::test_keys::ec_spki(
            crate::ec::Curve::NistP256,
            &key.verifying_key().to_sec1_bytes(),
        );
        let challenge: [u8; 8] = rng.random();
        let signature: ::ecdsa::Signature<p256::NistP256> = key
            .sign_prehash(&HashAlgorithm::Sha256.digest(&challenge))
            .unwrap();
        let response = signature.to_bytes().to_vec();
        let mut both = |c: &[u8], r: &[u8]| {
            let plain = signature::verify_signature_der(&spki, &algorithm, c, r);
            let prepared = verify_with_prepared_key(&spki, &algorithm, c, r);
            assert_eq!(prepared, plain);
            compared += 1;
            plain.is_ok()
        };
        assert!(both(&challenge, &response));
        for bit in (0..response.len() * 8).step_by(5) {
            let mut tampered = response.clone();
            tampered[bit / 8] ^= 1 << (bit % 8);
            assert!(!both(&challenge, &tampered));
        }
        let half = response.len() / 2;
        let swapped = [&response[half..], &response[..half]].concat();
        assert!(!both(&challenge, &swapped));
        assert!(!both(&challenge, &response[..response.len() - 1]));
        for bit in 0..challenge.len() * 8 {
            let mut tampered = challenge;
            tampered[bit / 8] ^= 1 << (bit % 8);
            assert!(!both(&tampered, &response));
        }
    }
    assert!(compared > 500, "{compared}");
}

/// The e = 65537 path of the RSA AA public operation against the `rsa` crate's, on fresh
/// RSA-1024 AA keys (the size the sample chips use): random values below the modulus, 1 and 2.
#[test]
fn rsa_aa_f4_path_equals_the_crate() {
    let mut rng = rand::rng();
    for _ in 0..3 {
        let private = ::rsa::PrivateKey::new(&mut rng, 1024).unwrap();
        let n_bytes = ::rsa::traits::PublicKeyParts::n(&private).to_be_bytes();
        let key = iso9796::public_key(&n_bytes, &[1, 0, 1]).unwrap();
        assert!(crate::pki::signature::is_f4(&key));
        let n = ::rsa::traits::PublicKeyParts::n(&key).as_ref().clone();
        for case in 0..16u32 {
            let s = match case {
                14 => ::rsa::BoxedUint::one_with_precision(n.bits_precision()),
                15 => ::rsa::BoxedUint::from_be_slice(&[2], n.bits_precision()).unwrap(),
                // A random value one byte shorter than the modulus: below it.
                _ => {
                    let bytes: Vec<u8> = (0..n_bytes.len() - 1)
                        .map(|_| rand::RngExt::random(&mut rng))
                        .collect();
                    ::rsa::BoxedUint::from_be_slice(&bytes, n.bits_precision()).unwrap()
                }
            };
            let ours = crate::pki::signature::pow_f4(&key, s.clone());
            let crates = ::rsa::hazmat::rsa_encrypt(&key, &s).unwrap();
            assert_eq!(ours, crates);
        }
    }
}
