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

/// Every sample card's recorded AA answer, and a sweep of one-bit changes over it (and over
/// the challenge), gets the same verdict from the prepared key (the wNAF path for EC keys)
/// as from the plain `verify_signature_der` (the `ecdsa` crate).
#[test]
fn prepared_aa_verdicts_equal_plain_ones_on_sample_cards() {
    let cards = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/cards");
    let mut dirs: Vec<_> = std::fs::read_dir(cards)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let mut compared = 0;
    let mut valid = 0;
    for dir in dirs {
        let doc = crate::document::Document::load(&dir).unwrap();
        let (Some(record), Some(Ok(dg15))) = (&doc.meta.active_authentication, doc.dg15()) else {
            continue;
        };
        if !matches!(dg15.key(), AaPublicKey::Ec { .. }) {
            continue;
        }
        let challenge = crate::hex::decode(&record.challenge, 1024).unwrap();
        let response = crate::hex::decode(&record.response, 1024).unwrap();
        let algorithm = enc_seq(&[&enc_oid(&sig_oid::ECDSA_PLAIN_SHA256)]);
        let mut both = |c: &[u8], r: &[u8]| {
            let plain = signature::verify_signature_der(dg15.spki_der(), &algorithm, c, r);
            let prepared = verify_with_prepared_key(dg15.spki_der(), &algorithm, c, r);
            assert_eq!(prepared, plain, "{}", dir.display());
            compared += 1;
            plain.is_ok()
        };
        valid += usize::from(both(&challenge, &response));
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
            let mut tampered = challenge.clone();
            tampered[bit / 8] ^= 1 << (bit % 8);
            assert!(!both(&tampered, &response));
        }
    }
    assert!(
        valid >= 5,
        "too few sample cards with a valid EC AA answer: {valid}"
    );
    assert!(compared > 500, "{compared}");
}

/// The e = 65537 path of the RSA AA public operation against the `rsa` crate's, on every
/// sample card's RSA AA key: the recorded answer and values derived from it.
#[test]
fn rsa_aa_f4_path_equals_the_crate() {
    let cards = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/cards");
    let mut keys = 0;
    for entry in std::fs::read_dir(cards).unwrap() {
        let doc = crate::document::Document::load(entry.unwrap().path()).unwrap();
        let (Some(record), Some(Ok(dg15))) = (&doc.meta.active_authentication, doc.dg15()) else {
            continue;
        };
        let AaPublicKey::Rsa { modulus, exponent } = dg15.key() else {
            continue;
        };
        let key = iso9796::public_key(modulus, exponent).unwrap();
        assert!(crate::pki::signature::is_f4(&key));
        let response = crate::hex::decode(&record.response, 1024).unwrap();
        let n = rsa::traits::PublicKeyParts::n(&key).as_ref().clone();
        for shift in 0..16u32 {
            let s = rsa::BoxedUint::from_be_slice(&response, n.bits_precision()).unwrap();
            // s >> shift (still below n), and s = 1, 2 at the ends.
            let s = match shift {
                14 => rsa::BoxedUint::one_with_precision(n.bits_precision()),
                15 => rsa::BoxedUint::from_be_slice(&[2], n.bits_precision()).unwrap(),
                _ => s.shr_vartime(shift).unwrap(),
            };
            let ours = crate::pki::signature::pow_f4(&key, s.clone());
            let crates = rsa::hazmat::rsa_encrypt(&key, &s).unwrap();
            assert_eq!(ours, crates);
        }
        keys += 1;
    }
    assert!(keys >= 5, "too few RSA AA keys in the samples: {keys}");
}
