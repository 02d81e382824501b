//! The reader's BAC and secure messaging (crate `cccd`) against this chip side, in process.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::sm::ChipChannel;
use cccd::access::bac::{self as reader_bac, BacError};
use cccd::mrz::{AccessKey, Mrz};
use cccd::sm::SecureChannel;
use cccd::transport::{Transport, TransportError};

/// The CARD-FACTS example MRZ (fake data, all check digits valid).
const VN: &str = "IDVNM0990000017001099000001<<8\n9901018M3901016VNM<<<<<<<<<<<4\nNGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";

/// A minimal test chip: BAC, then SM around READ BINARY of one in-memory file.
struct TestChip {
    bac: BacResponder,
    channel: Option<ChipChannel>,
    file: Vec<u8>,
    tamper_next_response: bool,
    replay_next_response: bool,
    last_response: Option<Response>,
    extended: bool,
}

impl TestChip {
    fn new(file_len: usize) -> Self {
        let key = Mrz::parse(VN).unwrap().bac_key();
        Self {
            bac: BacResponder::new(&key),
            channel: None,
            file: (0..file_len).map(|i| (i % 251) as u8).collect(),
            tamper_next_response: false,
            replay_next_response: false,
            last_response: None,
            extended: true,
        }
    }

    fn read_binary(&self, command: &Command) -> Response {
        let offset = usize::from(u16::from_be_bytes([command.p1 & 0x7F, command.p2]));
        let le = command.le.unwrap_or(0);
        match self.file.get(offset..) {
            Some(rest) => Response::new(rest[..le.min(rest.len())].to_vec(), StatusWord::Ok),
            None => Response::new(Vec::new(), StatusWord::WrongP1P2),
        }
    }
}

impl Transport for TestChip {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        if let Some(channel) = self.channel.as_mut() {
            let plain = match channel.unwrap_command(command) {
                Ok(p) => p,
                Err(sw) => {
                    self.channel = None;
                    return Ok(Response::new(Vec::new(), sw));
                }
            };
            let answer = match plain.ins {
                0xB0 => self.read_binary(&plain),
                _ => Response::new(Vec::new(), StatusWord::FileNotFound),
            };
            let Some(channel) = self.channel.as_mut() else {
                unreachable!()
            };
            let mut wrapped = channel.wrap_response(&answer);
            if self.replay_next_response {
                self.replay_next_response = false;
                if let Some(old) = self.last_response.clone() {
                    wrapped = old;
                }
            }
            if self.tamper_next_response {
                self.tamper_next_response = false;
                let last = wrapped.data.len() - 1;
                wrapped.data[last] ^= 0x01;
            }
            self.last_response = Some(wrapped.clone());
            return Ok(wrapped);
        }
        match self.bac.handle(command) {
            Some(BacStep::Reply(r)) => Ok(r),
            Some(BacStep::Established {
                response,
                keys,
                ssc,
            }) => {
                self.channel = Some(ChipChannel::new(keys, ssc));
                Ok(response)
            }
            None => Ok(Response::new(
                Vec::new(),
                StatusWord::SecurityStatusNotSatisfied,
            )),
        }
    }

    fn supports_extended_length(&self) -> bool {
        self.extended
    }
}

fn vn_key() -> cccd::mrz::BacKey {
    let AccessKey::Mrz(key) = AccessKey::from_mrz(VN).unwrap() else {
        panic!()
    };
    key
}

fn open(chip: TestChip) -> SecureChannel<TestChip> {
    reader_bac::establish(chip, &vn_key()).unwrap()
}

#[test]
fn bac_then_read_binary_through_secure_messaging() {
    let mut channel = open(TestChip::new(600));
    let r = channel
        .transmit(&Command::new(0x00, 0xB0, 0x00, 0x00).with_le(4))
        .unwrap();
    assert!(r.is_ok());
    assert_eq!(r.data, [0, 1, 2, 3]);
    // Several short reads in a row keep both counters in step.
    let mut all = Vec::new();
    for offset in (0..600u16).step_by(200) {
        let [hi, lo] = offset.to_be_bytes();
        let r = channel
            .transmit(&Command::new(0x00, 0xB0, hi, lo).with_le(200))
            .unwrap();
        all.extend_from_slice(&r.data);
    }
    assert_eq!(all, channel.inner().file);
    assert_eq!(
        channel.ssc(),
        channel.inner().channel.as_ref().unwrap().ssc()
    );
    // An error status inside SM arrives protected and is passed on.
    let r = channel
        .transmit(&Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(vec![0x01, 0x1E]))
        .unwrap();
    assert_eq!(r.sw, StatusWord::FileNotFound);
    assert!(!channel.is_closed());
}

#[test]
fn extended_length_read_round_trips() {
    let mut channel = open(TestChip::new(5000));
    assert!(channel.supports_extended_length());
    let r = channel
        .transmit(&Command::new(0x00, 0xB0, 0x00, 0x00).with_le(4096))
        .unwrap();
    assert_eq!(r.data.len(), 4096);
    assert_eq!(r.data, channel.inner().file[..4096]);
    let r = channel
        .transmit(&Command::new(0x00, 0xB0, 0x10, 0x00).with_le(65_536))
        .unwrap();
    assert_eq!(r.data, channel.inner().file[4096..]);
}

#[test]
fn idand_dob_candidates_open_the_card() {
    let keys = AccessKey::from_id_and_dob(
        &"001099000001".parse().unwrap(),
        time::macros::date!(1999 - 01 - 01),
        time::macros::date!(2026 - 11 - 24),
    );
    // Put the right key last to make the chip reject the others first.
    let mut reordered: Vec<_> = keys.iter().skip(1).cloned().collect();
    reordered.push(keys[0].clone());
    let (mut channel, index) = reader_bac::establish_any(TestChip::new(10), &reordered).unwrap();
    assert_eq!(index, reordered.len() - 1);
    assert!(
        channel
            .transmit(&Command::new(0, 0xB0, 0, 0).with_le(2))
            .unwrap()
            .is_ok()
    );
}

#[test]
fn wrong_mrz_is_access_denied_with_a_hint() {
    let wrong = cccd::mrz::BacKey::from_fields("001099000001", "990101", "390101").unwrap();
    let err = reader_bac::establish(TestChip::new(10), &wrong).unwrap_err();
    let BacError::AccessDenied { hint, status } = err else {
        panic!("{err:?}")
    };
    assert_eq!(status, StatusWord::VerificationFailed);
    assert!(hint.contains("not the 12-digit ID"), "{hint}");
    // Wrong date of birth.
    let wrong = cccd::mrz::BacKey::from_fields("099000001", "990102", "390101").unwrap();
    assert!(matches!(
        reader_bac::establish(TestChip::new(10), &wrong),
        Err(BacError::AccessDenied { .. })
    ));
}

#[test]
fn tampered_response_mac_closes_the_channel() {
    let mut channel = open(TestChip::new(100));
    channel.inner_mut().tamper_next_response = true;
    let err = channel
        .transmit(&Command::new(0, 0xB0, 0, 0).with_le(8))
        .unwrap_err();
    assert!(matches!(err, TransportError::SecureMessaging(_)), "{err:?}");
    assert!(channel.is_closed());
    assert!(matches!(
        channel.transmit(&Command::new(0, 0xB0, 0, 0).with_le(8)),
        Err(TransportError::SecureMessaging(_))
    ));
}

#[test]
fn replayed_response_is_rejected() {
    let mut channel = open(TestChip::new(100));
    let first = channel
        .transmit(&Command::new(0, 0xB0, 0, 0).with_le(8))
        .unwrap();
    assert_eq!(first.data.len(), 8);
    channel.inner_mut().replay_next_response = true;
    assert!(matches!(
        channel.transmit(&Command::new(0, 0xB0, 0, 0).with_le(8)),
        Err(TransportError::SecureMessaging(_))
    ));
    assert!(channel.is_closed());
}

#[test]
fn responder_refuses_out_of_order_and_wrong_macs() {
    let mut chip = BacResponder::new(&vn_key());
    let mut rng = rand::rng();
    // EXTERNAL AUTHENTICATE without a challenge.
    let auth = Command::new(0, 0x82, 0, 0)
        .with_data(vec![0; 40])
        .with_le(40);
    let Some(BacStep::Reply(r)) = chip.handle_with_rng(&auth, &mut rng) else {
        panic!()
    };
    assert_eq!(r.sw, StatusWord::ConditionsNotSatisfied);
    // Wrong GET CHALLENGE length.
    let Some(BacStep::Reply(r)) = chip.handle(&Command::new(0, 0x84, 0, 0).with_le(16)) else {
        panic!()
    };
    assert_eq!(r.sw, StatusWord::WrongLength);
    // A garbage cryptogram after a challenge: 6300, and the challenge is spent.
    let Some(BacStep::Reply(r)) = chip.handle(&Command::new(0, 0x84, 0, 0).with_le(8)) else {
        panic!()
    };
    assert_eq!(r.data.len(), 8);
    let Some(BacStep::Reply(r)) = chip.handle(&auth) else {
        panic!()
    };
    assert_eq!(r.sw, StatusWord::VerificationFailed);
    let Some(BacStep::Reply(r)) = chip.handle(&auth) else {
        panic!()
    };
    assert_eq!(r.sw, StatusWord::ConditionsNotSatisfied);
    // Wrong length.
    chip.handle(&Command::new(0, 0x84, 0, 0).with_le(8));
    let short = Command::new(0, 0x82, 0, 0)
        .with_data(vec![0; 39])
        .with_le(40);
    let Some(BacStep::Reply(r)) = chip.handle(&short) else {
        panic!()
    };
    assert_eq!(r.sw, StatusWord::WrongLength);
    assert!(chip.handle(&Command::new(0, 0xB0, 0, 0)).is_none());
    assert!(!format!("{chip:?}").contains("k_enc"));
}

#[test]
fn responder_never_accepts_a_cryptogram_for_another_challenge() {
    // A correct cryptogram made for challenge A is refused when the chip issued challenge B.
    struct Recorder<'a> {
        chip: &'a mut BacResponder,
        auth: Option<Command>,
    }
    impl Transport for Recorder<'_> {
        fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
            if command.ins == 0x82 {
                self.auth = Some(command.clone());
            }
            match self.chip.handle(command) {
                Some(BacStep::Reply(r) | BacStep::Established { response: r, .. }) => Ok(r),
                None => unreachable!(),
            }
        }
    }
    let key = vn_key();
    let mut chip = BacResponder::new(&key);
    let mut rec = Recorder {
        chip: &mut chip,
        auth: None,
    };
    reader_bac::establish(&mut rec, &key).unwrap();
    let old_auth = rec.auth.take().unwrap();
    chip.handle(&Command::new(0, 0x84, 0, 0).with_le(8));
    let Some(BacStep::Reply(r)) = chip.handle(&old_auth) else {
        panic!()
    };
    assert_eq!(r.sw, StatusWord::VerificationFailed);
}

#[test]
fn chip_channel_refuses_bad_commands_and_closes() {
    let keys = cccd::crypto::SessionKeys::derive(b"seed", cccd::crypto::Cipher::Aes128);
    let mut reader = cccd::sm::SmCodec::new(keys.clone(), Ssc::zero());
    let mut chip = ChipChannel::new(keys, Ssc::zero());
    let cmd = Command::new(0, 0xB0, 0, 0).with_le(4);
    // Unprotected command: 6987.
    assert_eq!(chip.unwrap_command(&cmd), Err(StatusWord::SmObjectsMissing));
    assert!(chip.is_closed());
    let mut chip = ChipChannel::new(reader_keys(), Ssc::zero());
    let mut protected = reader.protect_command(&cmd).unwrap();
    let n = protected.data.len();
    protected.data[n - 1] ^= 0x40;
    assert_eq!(
        chip.unwrap_command(&protected),
        Err(StatusWord::SmObjectsIncorrect)
    );
    // Even a good command is refused afterwards.
    assert_eq!(
        chip.unwrap_command(&reader.protect_command(&cmd).unwrap()),
        Err(StatusWord::SmObjectsIncorrect)
    );
}

fn reader_keys() -> cccd::crypto::SessionKeys {
    cccd::crypto::SessionKeys::derive(b"seed", cccd::crypto::Cipher::Aes128)
}

#[test]
fn aes_chip_channel_round_trip_with_odd_ins() {
    let keys = reader_keys();
    let mut reader = cccd::sm::SmCodec::new(keys.clone(), Ssc::zero());
    let mut chip = ChipChannel::new(keys, Ssc::zero());
    let cmd = Command::new(0, 0xB1, 0, 0)
        .with_data(vec![0x54, 0x02, 0x01, 0x00])
        .with_le(300);
    let plain = chip
        .unwrap_command(&reader.protect_command(&cmd).unwrap())
        .unwrap();
    assert_eq!(plain, cmd);
    let answer = Response::new(vec![0x53, 0x82, 0x01, 0x00], StatusWord::Ok);
    let wrapped = chip.wrap_response(&answer);
    assert_eq!(wrapped.data[0], 0x85);
    assert_eq!(reader.unprotect_response(&wrapped).unwrap(), answer);
    assert_eq!(reader.ssc(), chip.ssc());
}
