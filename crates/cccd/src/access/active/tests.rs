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
