//! Active Authentication round trips: the reader (`cccd::access::active`) against the chip side
//! (`cccd_sim::aa::AaResponder`), for RSA ISO 9796-2 with the implicit SHA-1 trailer and the
//! explicit SHA-256 trailer, and ECDSA on P-256 and brainpoolP256r1. Negative cases: a cloned
//! chip (right DG15, other private key), a tampered response, a wrong challenge.
#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use cccd::access::active::{AaAlgorithm, AaError, active_authenticate, verify_aa};
use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::HashAlgorithm;
use cccd::lds::dg14::Dg14;
use cccd::lds::dg15::Dg15;
use cccd::transport::{Transport, TransportError};
use cccd_sim::aa::{AaKey, AaResponder};

/// The chip as a plain transport that only knows INTERNAL AUTHENTICATE.
struct AaCard<'a>(&'a AaResponder);

impl Transport for AaCard<'_> {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        if AaResponder::handles(command) {
            Ok(self.0.handle(command))
        } else {
            Ok(Response::new(Vec::new(), StatusWord::InsNotSupported))
        }
    }
}

fn rsa_key(bits: usize) -> rsa::PrivateKey {
    rsa::PrivateKey::new(&mut rand::rng(), bits).unwrap()
}

fn dg14_for(responder: &AaResponder) -> Option<Dg14> {
    let info = responder.active_authentication_info()?;
    let set = cccd::lds::asn1::enc_set_of(&[&info]);
    Some(Dg14::parse(&cccd::tlv::encode(cccd::tlv::Tag::new(0x6E), &set)).unwrap())
}

fn p256_key() -> p256::ecdsa::SigningKey {
    let secret = cccd::ec::Curve::NistP256.random_scalar(&mut rand::rng());
    p256::ecdsa::SigningKey::from_slice(&secret.to_be_bytes()).unwrap()
}

fn bp256_key() -> ecdsa::SigningKey<bp256::BrainpoolP256r1> {
    let secret = cccd::ec::Curve::BrainpoolP256r1.random_scalar(&mut rand::rng());
    ecdsa::SigningKey::from_slice(&secret.to_be_bytes()).unwrap()
}

const CHALLENGE: [u8; 8] = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];

/// Run AA against `chip` with `genuine`'s DG15/DG14; return the outcome's result.
fn run(genuine: &AaResponder, chip: &AaResponder) -> Result<AaAlgorithm, AaError> {
    let dg15 = Dg15::parse(&genuine.dg15().unwrap()).unwrap();
    let dg14 = dg14_for(genuine);
    let outcome = active_authenticate(&mut AaCard(chip), &dg15, dg14.as_ref(), CHALLENGE).unwrap();
    assert_eq!(outcome.challenge, CHALLENGE);
    // The recorded exchange re-verifies offline to the same answer.
    assert_eq!(
        verify_aa(&dg15, dg14.as_ref(), &outcome.challenge, &outcome.response),
        outcome.result
    );
    outcome.result
}

fn negative_cases(genuine: &AaResponder, clone: &AaResponder) {
    // Cloned chip: same DG15, other key.
    let err = run(genuine, clone).unwrap_err();
    assert!(
        matches!(
            err,
            AaError::Invalid { .. } | AaError::MalformedResponse { .. }
        ),
        "{err}"
    );
    let dg15 = Dg15::parse(&genuine.dg15().unwrap()).unwrap();
    let dg14 = dg14_for(genuine);
    let response = genuine.internal_authenticate(&CHALLENGE).unwrap();
    assert!(verify_aa(&dg15, dg14.as_ref(), &CHALLENGE, &response).is_ok());
    // Tampered response: every position flipped in turn fails (a sample of positions).
    for at in [
        0,
        1,
        response.len() / 2,
        response.len() - 2,
        response.len() - 1,
    ] {
        let mut bad = response.clone();
        bad[at] ^= 0x01;
        assert!(
            verify_aa(&dg15, dg14.as_ref(), &CHALLENGE, &bad).is_err(),
            "flip at {at} accepted"
        );
    }
    // Truncated response.
    assert!(
        verify_aa(
            &dg15,
            dg14.as_ref(),
            &CHALLENGE,
            &response[..response.len() - 1]
        )
        .is_err()
    );
    // Wrong challenge.
    let mut other = CHALLENGE;
    other[7] ^= 0x80;
    assert!(matches!(
        verify_aa(&dg15, dg14.as_ref(), &other, &response),
        Err(AaError::Invalid { .. })
    ));
}

#[test]
fn rsa_1024_sha1_implicit_trailer() {
    let genuine = AaResponder::new(AaKey::RsaSha1(rsa_key(1024)));
    assert_eq!(
        run(&genuine, &genuine),
        Ok(AaAlgorithm::RsaIso9796_2 {
            hash: HashAlgorithm::Sha1
        })
    );
    let clone = AaResponder::new(AaKey::RsaSha1(rsa_key(1024)));
    negative_cases(&genuine, &clone);
}

#[test]
fn rsa_2048_sha256_explicit_trailer() {
    let key = rsa_key(2048);
    let genuine = AaResponder::new(AaKey::RsaExplicit(key.clone(), HashAlgorithm::Sha256));
    assert_eq!(
        run(&genuine, &genuine),
        Ok(AaAlgorithm::RsaIso9796_2 {
            hash: HashAlgorithm::Sha256
        })
    );
    // The same key with the minimal form min(s, n - s), which ISO 9796-2 allows.
    for _ in 0..4 {
        let minimal = AaResponder::new(AaKey::RsaExplicit(key.clone(), HashAlgorithm::Sha256))
            .with_minimal_rsa_signature(true);
        assert!(run(&minimal, &minimal).is_ok());
    }
    let clone = AaResponder::new(AaKey::RsaExplicit(rsa_key(2048), HashAlgorithm::Sha256));
    negative_cases(&genuine, &clone);
}

#[test]
fn ecdsa_p256_plain_sha256() {
    let genuine = AaResponder::new(AaKey::EcdsaP256(p256_key()));
    assert_eq!(
        run(&genuine, &genuine),
        Ok(AaAlgorithm::Ecdsa {
            hash: HashAlgorithm::Sha256,
            defaulted: false
        })
    );
    let clone = AaResponder::new(AaKey::EcdsaP256(p256_key()));
    negative_cases(&genuine, &clone);
}

#[test]
fn ecdsa_brainpool_p256_plain_sha256() {
    let genuine = AaResponder::new(AaKey::EcdsaBrainpoolP256(bp256_key()));
    assert!(run(&genuine, &genuine).is_ok());
    let clone = AaResponder::new(AaKey::EcdsaBrainpoolP256(bp256_key()));
    negative_cases(&genuine, &clone);
}

#[test]
fn ecdsa_without_dg14_defaults_to_sha256_and_says_so() {
    let chip = AaResponder::new(AaKey::EcdsaP256(p256_key()));
    let dg15 = Dg15::parse(&chip.dg15().unwrap()).unwrap();
    let response = chip.internal_authenticate(&CHALLENGE).unwrap();
    assert_eq!(
        verify_aa(&dg15, None, &CHALLENGE, &response),
        Ok(AaAlgorithm::Ecdsa {
            hash: HashAlgorithm::Sha256,
            defaulted: true
        })
    );
}

/// A chip that refuses everything.
struct Refusing;
impl Transport for Refusing {
    fn transmit(&mut self, _: &Command) -> Result<Response, TransportError> {
        Ok(Response::new(
            Vec::new(),
            StatusWord::SecurityStatusNotSatisfied,
        ))
    }
}

#[test]
fn chip_refusal_is_a_typed_error() {
    let chip = AaResponder::new(AaKey::EcdsaP256(p256_key()));
    assert_eq!(
        chip.internal_authenticate(&[1, 2, 3]),
        Err(StatusWord::WrongLength)
    );
    let dg15 = Dg15::parse(&chip.dg15().unwrap()).unwrap();
    let err = active_authenticate(&mut Refusing, &dg15, None, CHALLENGE).unwrap_err();
    assert_eq!(
        err,
        AaError::Refused {
            sw: StatusWord::SecurityStatusNotSatisfied
        }
    );
}

/// The chip's RSA signature opened by an independent implementation: `openssl pkeyutl
/// -verifyrecover` without padding gives the ISO 9796-2 representative, whose layout and hash
/// are checked here by hand (`6A || M1 || SHA-1(M1 || challenge) || BC`).
#[test]
fn rsa_signature_opens_with_openssl_to_the_iso_9796_2_layout() {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    let dir = std::env::temp_dir().join(format!("cccd-sim-aa-openssl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| cccd_testkit::openssl_ok(&dir, args);
    run(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:1024",
        "-outform",
        "DER",
        "-out",
        "aa.p8.der",
    ]);
    let der = std::fs::read(dir.join("aa.p8.der")).unwrap();
    let chip = AaResponder::new(AaKey::RsaSha1(
        rsa::PrivateKey::from_pkcs8_der(&der)
            .or_else(|_| rsa::PrivateKey::from_pkcs1_der(&der))
            .unwrap(),
    ));
    std::fs::write(
        dir.join("sig.bin"),
        chip.internal_authenticate(&CHALLENGE).unwrap(),
    )
    .unwrap();
    run(&[
        "pkeyutl",
        "-verifyrecover",
        "-keyform",
        "DER",
        "-inkey",
        "aa.p8.der",
        "-pkeyopt",
        "rsa_padding_mode:none",
        "-in",
        "sig.bin",
        "-out",
        "f.bin",
    ]);
    let f = std::fs::read(dir.join("f.bin")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(f.len(), 128);
    assert_eq!(f[0], 0x6A);
    assert_eq!(f[127], 0xBC);
    let (m1, rest) = f[1..127].split_at(126 - 20);
    let mut message = m1.to_vec();
    message.extend_from_slice(&CHALLENGE);
    assert_eq!(HashAlgorithm::Sha1.digest(&message), rest);
}
