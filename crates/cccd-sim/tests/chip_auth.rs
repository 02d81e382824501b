//! Chip Authentication round trips: the reader (`cccd::access::chip`) against the chip side
//! (`cccd_sim::ca::CaResponder`) behind a small chip that speaks secure messaging with
//! `cccd::sm::SmCodec`, answers the CA commands under the old keys, switches to the new keys
//! with SSC 0, and serves one file by READ BINARY.
#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use cccd::access::chip::{CaError, CaPlan, chip_authenticate};
use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::{Cipher, SessionKeys};
use cccd::ec::Curve;
use cccd::lds::dg14::Dg14;
use cccd::lds::security_infos::SecurityInfos;
use cccd::sm::{SecureChannel, SmCodec, Ssc};
use cccd::transport::{Transport, TransportError};
use cccd_sim::ca::{CaResponder, CaStep};

const FILE: &[u8] = b"\x61\x0BDG1 content";

/// A chip with secure messaging up, a CA key, and one readable file.
struct CaCard {
    codec: Option<SmCodec>,
    ca: CaResponder,
    new_keys_installed: bool,
}

impl CaCard {
    fn file_command(command: &Command) -> Response {
        if command.ins != 0xB0 {
            return Response::new(Vec::new(), StatusWord::InsNotSupported);
        }
        let offset = usize::from(u16::from_be_bytes([command.p1 & 0x7F, command.p2]));
        let le = command.le.unwrap_or(256);
        let start = offset.min(FILE.len());
        let end = (start + le).min(FILE.len());
        Response::new(FILE[start..end].to_vec(), StatusWord::Ok)
    }
}

impl Transport for CaCard {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        let Some(codec) = self.codec.as_mut() else {
            return Ok(Response::new(
                Vec::new(),
                StatusWord::SecurityStatusNotSatisfied,
            ));
        };
        let plain = match codec.unprotect_command(command) {
            Ok(c) => c,
            Err(e) => {
                // ICAO 9303-11 §9.8.8: an SM error ends the session.
                self.codec = None;
                return Ok(Response::new(Vec::new(), e.status_word()));
            }
        };
        let (answer, keys) = match self.ca.handle(&plain) {
            Some(CaStep::Reply(r)) => (r, None),
            Some(CaStep::Established { response, keys }) => (response, Some(keys)),
            None => (Self::file_command(&plain), None),
        };
        let protected = codec
            .protect_response(&answer, plain.ins & 1 == 1)
            .expect("protect");
        if let Some(keys) = keys {
            self.codec = Some(SmCodec::new(keys, Ssc::zero()));
            self.new_keys_installed = true;
        }
        Ok(protected)
    }
}

/// Both sides start with the same keys, as after PACE or BAC.
fn session(cipher: Cipher, ca: CaResponder) -> SecureChannel<CaCard> {
    let mut seed = [0u8; 32];
    rand::Rng::fill_bytes(&mut rand::rng(), &mut seed);
    let keys = SessionKeys::derive(&seed, cipher);
    let card = CaCard {
        codec: Some(SmCodec::new(keys.clone(), Ssc::zero())),
        ca,
        new_keys_installed: false,
    };
    SecureChannel::new(card, keys, Ssc::zero())
}

fn read_file<T: Transport>(channel: &mut SecureChannel<T>) -> Result<Response, TransportError> {
    channel.transmit(&Command::new(0x00, 0xB0, 0x00, 0x00).with_le(FILE.len()))
}

fn dg14_of(responder: &CaResponder) -> Dg14 {
    Dg14::parse(&responder.dg14(&[]).unwrap()).unwrap()
}

/// EF.CardAccess of the Vietnamese cards (from /work/shared/CARD-FACTS.md): id-TA v1,
/// id-CA-ECDH-AES-CBC-CMAC-128 v1, id-PACE-ECDH-GM-AES-CBC-CMAC-128 v2 on parameter 13.
const VN_CARD_ACCESS: &str = "3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn cccd_profile_aes128_brainpool_p256() {
    let genuine = CaResponder::generate(Curve::BrainpoolP256r1, Cipher::Aes128, &mut rand::rng());
    let dg14 = dg14_of(&genuine);
    let plan = CaPlan::from_dg14(&dg14, None).unwrap();
    assert_eq!(plan.protocol().cipher, Cipher::Aes128);
    assert_eq!(plan.curve(), Curve::BrainpoolP256r1);

    let channel = session(Cipher::Aes128, genuine);
    let mut channel = plan.run(channel).unwrap();
    assert!(channel.inner().new_keys_installed);
    assert_eq!(channel.ssc(), Ssc::zero());
    let response = read_file(&mut channel).unwrap();
    assert_eq!(response.sw, StatusWord::Ok);
    assert_eq!(response.data, FILE);
}

#[test]
fn protocol_from_the_vietnamese_card_access_when_dg14_lists_only_the_key() {
    let genuine = CaResponder::generate(Curve::BrainpoolP256r1, Cipher::Aes128, &mut rand::rng());
    // DG14 with the ChipAuthenticationPublicKeyInfo only.
    let infos = genuine.security_infos().unwrap();
    let set = cccd::lds::asn1::enc_set_of(&[&infos[1]]);
    let dg14 = Dg14::parse(&cccd::tlv::encode(cccd::tlv::Tag::new(0x6E), &set)).unwrap();
    let card_access = SecurityInfos::parse(&hex(VN_CARD_ACCESS)).unwrap();
    let plan = CaPlan::from_dg14(&dg14, Some(&card_access)).unwrap();
    assert_eq!(plan.protocol().cipher, Cipher::Aes128);
    assert!(!plan.protocol_assumed());
    let mut channel = plan.run(session(Cipher::Aes128, genuine)).unwrap();
    assert_eq!(read_file(&mut channel).unwrap().data, FILE);
}

#[test]
fn tripledes_with_mse_set_kat_on_p256_and_a_key_id() {
    let genuine =
        CaResponder::generate(Curve::NistP256, Cipher::TripleDes, &mut rand::rng()).with_key_id(7);
    let dg14 = dg14_of(&genuine);
    let mut channel = chip_authenticate(session(Cipher::TripleDes, genuine), &dg14, None).unwrap();
    assert_eq!(channel.cipher(), Cipher::TripleDes);
    assert!(channel.inner().new_keys_installed);
    let response = read_file(&mut channel).unwrap();
    assert_eq!(response.data, FILE);
}

#[test]
fn cloned_chip_is_caught_by_the_first_protected_response() {
    for (curve, cipher) in [
        (Curve::BrainpoolP256r1, Cipher::Aes128),
        (Curve::NistP256, Cipher::TripleDes),
    ] {
        let genuine = CaResponder::generate(curve, cipher, &mut rand::rng());
        let dg14 = dg14_of(&genuine);
        // Same DG14, other private key.
        let clone = CaResponder::generate(curve, cipher, &mut rand::rng());
        let mut channel = chip_authenticate(session(cipher, clone), &dg14, None).unwrap();
        let err = read_file(&mut channel).unwrap_err();
        assert!(
            matches!(err, TransportError::SecureMessaging(_)),
            "{cipher:?}: {err}"
        );
        assert!(channel.is_closed());
        // And the channel stays closed.
        assert!(read_file(&mut channel).is_err());
    }
}

#[test]
fn wrong_key_id_is_refused_with_a_typed_error() {
    let genuine = CaResponder::generate(Curve::BrainpoolP256r1, Cipher::Aes128, &mut rand::rng())
        .with_key_id(1);
    let dg14 = dg14_of(&genuine);
    // The chip's key carries id 2: MSE:Set AT names key 1 and is refused.
    let other = CaResponder::new(
        Curve::BrainpoolP256r1.random_scalar(&mut rand::rng()),
        Cipher::Aes128,
    )
    .unwrap()
    .with_key_id(2);
    let err = chip_authenticate(session(Cipher::Aes128, other), &dg14, None).unwrap_err();
    assert_eq!(
        err,
        CaError::Refused {
            step: "MSE:Set AT",
            sw: StatusWord::ReferencedDataNotFound
        }
    );
}

#[test]
fn chip_rejects_an_ephemeral_key_off_the_curve() {
    let mut chip = CaResponder::generate(Curve::NistP256, Cipher::TripleDes, &mut rand::rng());
    let mut point = vec![0x04];
    point.extend_from_slice(&[0x01; 64]);
    let command = Command::new(0x00, 0x22, 0x41, 0xA6)
        .with_data(cccd::tlv::encode(cccd::tlv::Tag::new(0x91), &point));
    assert_eq!(
        chip.mse_set_kat(&command).unwrap_err(),
        StatusWord::IncorrectData
    );
    // GENERAL AUTHENTICATE without MSE:Set AT is refused.
    let ga = Command::new(0x00, 0x86, 0x00, 0x00).with_data(vec![0x7C, 0x00]);
    assert!(!chip.handles(&ga));
    assert_eq!(
        chip.general_authenticate(&ga).unwrap_err(),
        StatusWord::ConditionsNotSatisfied
    );
}

/// The chip's CA key agreement against an independent ECDH: `openssl pkeyutl -derive` on the
/// same brainpoolP256r1 keys gives the shared secret whose ICAO KDF keys the chip derived.
#[test]
fn chip_key_agreement_matches_openssl_ecdh() {
    let dir = std::env::temp_dir().join(format!("cccd-sim-ca-openssl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| cccd_testkit::openssl_ok(&dir, args);
    for name in ["chip", "reader"] {
        run(&[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:brainpoolP256r1",
            "-out",
            &format!("{name}.key"),
        ]);
    }
    run(&[
        "pkey",
        "-in",
        "chip.key",
        "-traditional",
        "-outform",
        "DER",
        "-out",
        "chip.sec1.der",
    ]);
    run(&[
        "pkey",
        "-in",
        "reader.key",
        "-pubout",
        "-out",
        "reader.pub.pem",
    ]);
    run(&[
        "pkey",
        "-in",
        "reader.key",
        "-pubout",
        "-outform",
        "DER",
        "-out",
        "reader.pub.der",
    ]);
    run(&[
        "pkeyutl",
        "-derive",
        "-inkey",
        "chip.key",
        "-peerkey",
        "reader.pub.pem",
        "-out",
        "shared.bin",
    ]);
    let chip_der = std::fs::read(dir.join("chip.sec1.der")).unwrap();
    let reader_spki = std::fs::read(dir.join("reader.pub.der")).unwrap();
    let shared = std::fs::read(dir.join("shared.bin")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    // SEC 1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING privateKey, ... }.
    let (sec1, _) = cccd::tlv::Tlv::parse(&chip_der).unwrap();
    let secret = cccd::tlv::Tlvs::new(sec1.value())
        .nth(1)
        .unwrap()
        .unwrap()
        .value()
        .to_vec();
    let scalar = Curve::BrainpoolP256r1
        .scalar_from_be_bytes(&secret)
        .unwrap();
    let mut chip = CaResponder::new(scalar, Cipher::Aes128).unwrap();
    // The uncompressed point ends the SubjectPublicKeyInfo.
    let reader_point = &reader_spki[reader_spki.len() - 65..];
    assert_eq!(reader_point[0], 0x04);

    // id-CA-ECDH-AES-CBC-CMAC-128 = 0.4.0.127.0.7.2.2.3.2.2
    let oid = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02];
    let set_at = Command::new(0x00, 0x22, 0x41, 0xA4)
        .with_data(cccd::tlv::encode(cccd::tlv::Tag::new(0x80), &oid));
    assert_eq!(chip.mse_set_at(&set_at).unwrap().sw, StatusWord::Ok);
    let inner = cccd::tlv::encode(cccd::tlv::Tag::new(0x80), reader_point);
    let ga = Command::new(0x00, 0x86, 0x00, 0x00)
        .with_data(cccd::tlv::encode(cccd::tlv::Tag::new(0x7C), &inner))
        .with_le(256);
    let (response, keys) = chip.general_authenticate(&ga).unwrap();
    assert_eq!(response.data, [0x7C, 0x00]);
    assert_eq!(shared.len(), 32);
    assert!(keys == SessionKeys::derive(&shared, Cipher::Aes128));
}
