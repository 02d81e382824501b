//! Reader (`cccd::access::pace`) against this responder, in process: every curve and cipher,
//! CAN and MRZ passwords, then a READ BINARY through the secure channel; and the failures.

use super::*;
use crate::sm::ChipChannel;
use cccd::access::pace::{PaceError, PaceStep, establish, establish_detailed};
use cccd::ec::Curve;
use cccd::lds::security_infos::KeyAgreement;
use cccd::mrz::AccessKey;
use cccd::transport::{Transport, TransportError};

const FILE: &[u8] = b"EF.COM contents";
const ID: &str = "001099000001";

/// The CAN of [`ID`]: its last 6 digits.
fn can_of_id() -> Can {
    Can::from_id(&ID.parse().expect("ID number"))
}

fn info(curve: Curve, cipher: Cipher) -> PaceInfo {
    info_with(
        Mapping::Generic,
        KeyAgreement::Ecdh,
        cipher,
        curve.pace_parameter_id(),
    )
}

fn info_with(
    mapping: Mapping,
    key_agreement: KeyAgreement,
    cipher: Cipher,
    parameter_id: u8,
) -> PaceInfo {
    PaceInfo {
        protocol: PaceProtocol {
            mapping,
            key_agreement,
            cipher,
        },
        version: 2,
        parameter_id: Some(u64::from(parameter_id)),
    }
}

const CIPHERS: [Cipher; 4] = [
    Cipher::TripleDes,
    Cipher::Aes128,
    Cipher::Aes192,
    Cipher::Aes256,
];

fn mrz_key() -> BacKey {
    BacKey::from_fields("099000001", "990101", "390101").expect("MRZ fields")
}

/// A card: PACE until established, then secure messaging with a one-file READ BINARY.
struct TestCard {
    pace: PaceResponder,
    channel: Option<ChipChannel>,
    /// Rewrites the chip's PACE responses (for tampering tests).
    tamper: Tamper,
}

impl TestCard {
    fn new(infos: Vec<PaceInfo>) -> Self {
        Self {
            pace: PaceResponder::new(Some(can_of_id()), Some(mrz_key()), infos),
            channel: None,
            tamper: |_, r| r,
        }
    }
}

impl Transport for TestCard {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        if let Some(channel) = &mut self.channel {
            let plain = match channel.unwrap_command(command) {
                Ok(plain) => plain,
                Err(sw) => return Ok(Response::new(Vec::new(), sw)),
            };
            let answer = if plain.ins == 0xB0 {
                let le = plain.le.unwrap_or(0).min(FILE.len());
                Response::new(FILE[..le].to_vec(), StatusWord::Ok)
            } else {
                Response::new(Vec::new(), StatusWord::InsNotSupported)
            };
            return Ok(channel.wrap_response(&answer));
        }
        if !PaceResponder::handles(command) {
            return Ok(Response::new(
                Vec::new(),
                StatusWord::SecurityStatusNotSatisfied,
            ));
        }
        let response = match self.pace.handle(command) {
            PaceOutcome::Reply(response) => response,
            PaceOutcome::Established {
                response,
                keys,
                ssc,
            } => {
                self.channel = Some(ChipChannel::new(keys, ssc));
                response
            }
        };
        Ok((self.tamper)(command, response))
    }
}

fn read_through(channel: &mut impl Transport) -> Vec<u8> {
    let response = channel
        .transmit(&Command::new(0x00, 0xB0, 0x00, 0x00).with_le(FILE.len()))
        .expect("READ BINARY");
    assert_eq!(response.sw, StatusWord::Ok);
    response.data
}

#[test]
fn can_and_mrz_on_every_curve_and_cipher() {
    for curve in Curve::ALL {
        for cipher in [
            Cipher::TripleDes,
            Cipher::Aes128,
            Cipher::Aes192,
            Cipher::Aes256,
        ] {
            let info = info(curve, cipher);
            for password in [AccessKey::Can(can_of_id()), AccessKey::Mrz(mrz_key())] {
                let mut card = TestCard::new(vec![info]);
                let mut channel = establish(&mut card, &password, &info)
                    .unwrap_or_else(|e| panic!("{curve} {cipher:?}: {e}"));
                assert_eq!(channel.cipher(), cipher);
                assert_eq!(read_through(&mut channel), FILE, "{curve} {cipher:?}");
                assert!(!card.pace.in_progress());
            }
        }
    }
}

/// Open `info` with both passwords and read through the channel.
fn open_and_read(info: PaceInfo, ca_key: Option<&EcScalar>) {
    for password in [AccessKey::Can(can_of_id()), AccessKey::Mrz(mrz_key())] {
        let mut card = TestCard::new(vec![info]);
        if let Some(key) = ca_key {
            card.pace = card.pace.with_chip_authentication_key(key.clone());
        }
        let mut done = establish_detailed(&mut card, &password, &info, &mut SystemRandomness)
            .unwrap_or_else(|e| panic!("{info:?}: {e}"));
        assert_eq!(done.channel.cipher(), info.protocol.cipher);
        assert_eq!(read_through(&mut done.channel), FILE, "{info:?}");
        assert_eq!(
            done.chip_authentication.is_some(),
            info.protocol.mapping == Mapping::ChipAuthentication
        );
        assert!(!card.pace.in_progress());
    }
}

#[test]
fn integrated_mapping_on_every_curve_and_cipher() {
    for curve in Curve::ALL {
        if curve == Curve::NistP224 {
            // p = 1 mod 4: no point encoding, refused by name before anything is sent.
            let info = info_with(Mapping::Integrated, KeyAgreement::Ecdh, Cipher::Aes128, 10);
            let mut card = TestCard::new(vec![info]);
            let refused = establish(&mut card, &AccessKey::Can(can_of_id()), &info);
            assert!(
                matches!(refused, Err(PaceError::Unsupported { ref what }) if what.contains("secp224r1")),
                "{refused:?}"
            );
            assert!(!cccd::access::pace::is_supported(&info));
            continue;
        }
        for cipher in CIPHERS {
            open_and_read(
                info_with(
                    Mapping::Integrated,
                    KeyAgreement::Ecdh,
                    cipher,
                    curve.pace_parameter_id(),
                ),
                None,
            );
        }
    }
}

#[test]
fn dh_generic_and_integrated_mapping_on_every_group() {
    for id in 0..=2 {
        for mapping in [Mapping::Generic, Mapping::Integrated] {
            for cipher in [Cipher::TripleDes, Cipher::Aes256] {
                open_and_read(info_with(mapping, KeyAgreement::Dh, cipher, id), None);
            }
        }
    }
}

#[test]
fn chip_authentication_mapping_proves_the_static_key() {
    for curve in Curve::ALL {
        let (secret, public) = curve.generate_keypair(&mut rand::rng());
        let info = info_with(
            Mapping::ChipAuthentication,
            KeyAgreement::Ecdh,
            Cipher::Aes128,
            curve.pace_parameter_id(),
        );
        open_and_read(info, Some(&secret));
        let mut card = TestCard::new(vec![info]);
        card.pace = card.pace.with_chip_authentication_key(secret);
        let done = establish_detailed(
            &mut card,
            &AccessKey::Can(can_of_id()),
            &info,
            &mut SystemRandomness,
        )
        .expect("PACE-CAM");
        let evidence = done.chip_authentication.expect("evidence");
        assert_eq!(evidence.verify(&public), Ok(()), "{curve}");
        // A chip with another static key (a clone) does not verify against this one.
        let (_, other) = curve.generate_keypair(&mut rand::rng());
        assert!(evidence.verify(&other).is_err());
    }
}

#[test]
fn chip_authentication_mapping_without_a_key_is_refused() {
    let info = info_with(
        Mapping::ChipAuthentication,
        KeyAgreement::Ecdh,
        Cipher::Aes128,
        13,
    );
    let mut card = TestCard::new(vec![info]);
    let can = AccessKey::Can(can_of_id());
    assert!(matches!(
        establish(&mut card, &can, &info),
        Err(PaceError::Unsupported { .. })
    ));
}

#[test]
fn wrong_can_is_access_denied_with_the_hint() {
    let info = info(Curve::BrainpoolP256r1, Cipher::Aes128);
    let mut card = TestCard::new(vec![info]);
    let wrong = AccessKey::can("123456").expect("digits");
    match establish(&mut card, &wrong, &info) {
        Err(PaceError::AccessDenied { hint, sw }) => {
            assert_eq!(sw, StatusWord::VerificationFailed);
            assert!(
                hint.contains("last 6 digits of the 12-digit ID number"),
                "{hint}"
            );
        }
        other => panic!("{other:?}"),
    }
    // The chip did not open: a plain READ BINARY is still refused, and a retry with the right
    // CAN works.
    assert!(card.channel.is_none());
    let right = AccessKey::Can(can_of_id());
    let mut channel = establish(&mut card, &right, &info).expect("right CAN");
    assert_eq!(read_through(&mut channel), FILE);
}

#[test]
fn wrong_mrz_is_access_denied() {
    let info = info(Curve::NistP256, Cipher::Aes256);
    let mut card = TestCard::new(vec![info]);
    let wrong = AccessKey::Mrz(BacKey::from_fields("099000002", "990101", "390101").expect("MRZ"));
    assert!(matches!(
        establish(&mut card, &wrong, &info),
        Err(PaceError::AccessDenied { .. })
    ));
}

#[test]
fn tampered_chip_token_is_a_token_mismatch() {
    let info = info(Curve::BrainpoolP256r1, Cipher::Aes128);
    let mut card = TestCard::new(vec![info]);
    card.tamper = |command, mut response| {
        if command.cla == 0x00
            && command.ins == 0x86
            && let Some(last) = response.data.last_mut()
        {
            *last ^= 0x01;
        }
        response
    };
    let can = AccessKey::Can(can_of_id());
    assert!(matches!(
        establish(&mut card, &can, &info),
        Err(PaceError::TokenMismatch)
    ));
}

/// Replace the chip's point in the given step's response by `bytes`.
/// A rewrite of the chip's responses.
type Tamper = fn(&Command, Response) -> Response;

fn with_chip_point(step_tag: u8, bytes: &[u8]) -> Response {
    Response::new(
        protocol::dynamic_data(Tag::new(u32::from(step_tag)), bytes),
        StatusWord::Ok,
    )
}

#[test]
fn invalid_chip_points_are_typed_errors() {
    let info = info(Curve::BrainpoolP256r1, Cipher::Aes128);
    let can = AccessKey::Can(can_of_id());
    let tampers: [(Tamper, PaceStep); 4] = [
        // Off the curve: the generator with y changed.
        (
            |command, response| {
                if command.data.first() == Some(&0x7C) && command.data.get(2) == Some(&0x81) {
                    let mut g = Curve::BrainpoolP256r1
                        .generator()
                        .to_uncompressed()
                        .expect("G");
                    if let Some(last) = g.last_mut() {
                        *last ^= 1;
                    }
                    with_chip_point(0x82, &g)
                } else {
                    response
                }
            },
            PaceStep::Mapping,
        ),
        // The point at infinity.
        (
            |command, response| {
                if command.data.get(2) == Some(&0x81) {
                    with_chip_point(0x82, &[0x00])
                } else {
                    response
                }
            },
            PaceStep::Mapping,
        ),
        // A point of another curve.
        (
            |command, response| {
                if command.data.get(2) == Some(&0x83) {
                    with_chip_point(
                        0x84,
                        &Curve::NistP256.generator().to_uncompressed().expect("G"),
                    )
                } else {
                    response
                }
            },
            PaceStep::KeyAgreement,
        ),
        // The terminal's own ephemeral key echoed back.
        (
            |command, response| {
                if command.data.get(2) == Some(&0x83) {
                    let mut echoed = command.data.clone();
                    echoed[2] = 0x84;
                    Response::new(echoed, StatusWord::Ok)
                } else {
                    response
                }
            },
            PaceStep::KeyAgreement,
        ),
    ];
    for (tamper, expected_step) in tampers {
        let mut card = TestCard::new(vec![info]);
        card.tamper = tamper;
        match establish(&mut card, &can, &info) {
            Err(PaceError::ChipResponseInvalid { step, .. }) => assert_eq!(step, expected_step),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn chip_refuses_invalid_terminal_points_and_out_of_order_commands() {
    let info = info(Curve::BrainpoolP256r1, Cipher::Aes128);
    let mut chip = PaceResponder::new(Some(can_of_id()), None, vec![info]);
    let mut mse = protocol::dynamic_data(Tag::new(0x80), &info.protocol.oid());
    // Drop the 7C wrapper: MSE data is a plain list of objects.
    mse.drain(..2);
    mse.extend_from_slice(&[0x83, 0x01, 0x02]);
    let mse = Command::new(0x00, 0x22, 0xC1, 0xA4).with_data(mse);
    let sw = |outcome: PaceOutcome| match outcome {
        PaceOutcome::Reply(r) => r.sw,
        PaceOutcome::Established { .. } => StatusWord::Ok,
    };
    // GENERAL AUTHENTICATE before MSE:Set AT.
    let ga = |cla, data: Vec<u8>| Command::new(cla, 0x86, 0, 0).with_data(data).with_le(256);
    assert_eq!(
        sw(chip.handle(&ga(0x10, protocol::empty_dynamic_data()))),
        StatusWord::ConditionsNotSatisfied
    );
    // The MRZ password is not available on this chip.
    let mut mrz_mse = mse.clone();
    if let Some(last) = mrz_mse.data.last_mut() {
        *last = 0x01;
    }
    assert_eq!(
        sw(chip.handle(&mrz_mse)),
        StatusWord::ReferencedDataNotFound
    );
    // An off-curve mapping key.
    assert_eq!(sw(chip.handle(&mse)), StatusWord::Ok);
    assert_eq!(
        sw(chip.handle(&ga(0x10, protocol::empty_dynamic_data()))),
        StatusWord::Ok
    );
    let mut g = Curve::BrainpoolP256r1
        .generator()
        .to_uncompressed()
        .expect("G");
    if let Some(last) = g.last_mut() {
        *last ^= 1;
    }
    assert_eq!(
        sw(chip.handle(&ga(
            0x10,
            protocol::dynamic_data(tags::MAPPING_TERMINAL, &g)
        ))),
        StatusWord::IncorrectData
    );
    assert!(!chip.in_progress());
    // The last command sent chained.
    assert_eq!(sw(chip.handle(&mse)), StatusWord::Ok);
    assert_eq!(
        sw(chip.handle(&ga(0x00, protocol::empty_dynamic_data()))),
        StatusWord::ConditionsNotSatisfied
    );
    // An unknown protocol.
    let mut other = mse.clone();
    other.data[11] = 0x04;
    assert_eq!(sw(chip.handle(&other)), StatusWord::ReferencedDataNotFound);
}
