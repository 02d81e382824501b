//! BAC reader side against ICAO Doc 9303 Part 11, Appendix D.2 and D.3 (the worked example
//! with MRZ information "L898902C<369080619406236"), byte for byte. The same values are
//! reproduced in gmrtd's and ZeroPass dmrtd's BAC tests.
#![allow(clippy::unwrap_used)]

use cccd::access::bac::{self, BacError};
use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::Cipher;
use cccd::mrz::{BacKey, Mrz};
use cccd::transport::{Transport, TransportError};
use hex_literal::hex;
use std::collections::VecDeque;

/// Returns scripted bytes; checks every command against the expected bytes.
struct Scripted(VecDeque<(Vec<u8>, Vec<u8>)>);

impl Transport for Scripted {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        let (expected, answer) = self.0.pop_front().expect("script exhausted");
        assert_eq!(command.to_bytes().unwrap(), expected);
        Ok(Response::parse(&answer).unwrap())
    }
}

/// A "random" source that yields RND.IFD then K.IFD of Appendix D.3.
struct Fixed(VecDeque<u8>);

impl rand_core::TryRng for Fixed {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_be_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_be_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for d in dst {
            *d = self.0.pop_front().expect("fixed bytes exhausted");
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for Fixed {}

fn d3_rng() -> Fixed {
    let mut bytes = hex!("781723860C06C226").to_vec(); // RND.IFD
    bytes.extend_from_slice(&hex!("0B795240CB7049B01C19B33E32804F0B")); // K.IFD
    Fixed(bytes.into())
}

fn d2_key() -> BacKey {
    let key = BacKey::from_fields("L898902C", "690806", "940623").unwrap();
    assert_eq!(*key.information(), "L898902C<369080619406236");
    key
}

const GET_CHALLENGE: [u8; 5] = hex!("0084000008");
const RND_ICC_RESPONSE: [u8; 10] = hex!("4608F919887022129000");
const EXT_AUTH: [u8; 46] = hex!(
    "0082000028"
    "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2" // E.IFD
    "5F1448EEA8AD90A7" // M.IFD
    "28"
);
const CHIP_ANSWER: [u8; 42] = hex!(
    "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F" // E.ICC
    "2F2D235D074D7449" // M.ICC
    "9000"
);

#[test]
fn d2_key_seed_and_document_keys() {
    let key = d2_key();
    assert_eq!(
        key.seed().as_bytes(),
        hex!("239AB9CB282DAF66231DC5A4DF6BFBAE")
    );
    let (k_enc, k_mac) = bac::document_keys(&key);
    assert_eq!(k_enc.as_bytes(), hex!("AB94FDECF2674FDFB9B391F85D7F76F2"));
    assert_eq!(k_mac.as_bytes(), hex!("7962D9ECE03D1ACD4C76089DCE131543"));
    // And from the MRZ of the specimen.
    let mrz = Mrz::parse(
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C<3UTO6908061F9406236ZE184226B<<<<<14",
    )
    .unwrap();
    assert_eq!(mrz.bac_key().seed(), key.seed());
}

#[test]
fn d3_mutual_authentication_exact_bytes() {
    let script = Scripted(VecDeque::from([
        (GET_CHALLENGE.to_vec(), RND_ICC_RESPONSE.to_vec()),
        (EXT_AUTH.to_vec(), CHIP_ANSWER.to_vec()),
    ]));
    let mut transport = script;
    let (keys, ssc) = bac::handshake(&mut transport, &d2_key(), &mut d3_rng()).unwrap();
    assert_eq!(keys.cipher, Cipher::TripleDes);
    assert_eq!(
        keys.enc.as_bytes(),
        hex!("979EC13B1CBFE9DCD01AB0FED307EAE5")
    );
    assert_eq!(
        keys.mac.as_bytes(),
        hex!("F1CB1F1FB5ADF208806B89DC579DC1F8")
    );
    assert_eq!(ssc.to_bytes(Cipher::TripleDes), hex!("887022120C06C226"));
    assert!(transport.0.is_empty());

    // establish_with_rng gives a channel at that SSC.
    let script = Scripted(VecDeque::from([
        (GET_CHALLENGE.to_vec(), RND_ICC_RESPONSE.to_vec()),
        (EXT_AUTH.to_vec(), CHIP_ANSWER.to_vec()),
    ]));
    let channel = bac::establish_with_rng(script, &d2_key(), &mut d3_rng()).unwrap();
    assert_eq!(
        channel.ssc().to_bytes(Cipher::TripleDes),
        hex!("887022120C06C226")
    );
}

#[test]
fn d3_tampered_chip_answer_is_invalid() {
    for flip in [0usize, 31, 32, 39] {
        let mut answer = CHIP_ANSWER.to_vec();
        answer[flip] ^= 0x04;
        let script = Scripted(VecDeque::from([
            (GET_CHALLENGE.to_vec(), RND_ICC_RESPONSE.to_vec()),
            (EXT_AUTH.to_vec(), answer),
        ]));
        let err = bac::establish_with_rng(script, &d2_key(), &mut d3_rng()).unwrap_err();
        assert!(
            matches!(err, BacError::ChipResponseInvalid { .. }),
            "{err:?}"
        );
    }
    // A short answer.
    let script = Scripted(VecDeque::from([
        (GET_CHALLENGE.to_vec(), RND_ICC_RESPONSE.to_vec()),
        (EXT_AUTH.to_vec(), hex!("46B99000").to_vec()),
    ]));
    assert!(matches!(
        bac::establish_with_rng(script, &d2_key(), &mut d3_rng()),
        Err(BacError::ChipResponseInvalid { .. })
    ));
}

#[test]
fn rejection_says_which_input_is_wrong() {
    // The chip rejects; the key was typed with the 12-digit ID as document number.
    let key = BacKey::from_fields("001099000001", "990101", "390101").unwrap();
    let mut transport = RejectingChip;
    let err = bac::establish(&mut transport, &key).unwrap_err();
    match err {
        BacError::AccessDenied { hint, status } => {
            assert_eq!(status, StatusWord::VerificationFailed);
            assert!(hint.contains("9-digit document number"), "{hint}");
            assert!(hint.contains("12-digit ID"), "{hint}");
        }
        other => panic!("{other:?}"),
    }
    let key = BacKey::from_fields("099000001", "990101", "390101").unwrap();
    let Err(BacError::AccessDenied { hint, .. }) = bac::establish(&mut transport, &key) else {
        panic!()
    };
    assert!(
        hint.contains("date of birth") && hint.contains("date of expiry"),
        "{hint}"
    );
    // Several keys, all rejected: the last rejection is returned.
    let id: cccd::IdNumber = "001099000001".parse().unwrap();
    let keys = cccd::mrz::AccessKey::from_id_and_dob(
        &id,
        time::macros::date!(1999 - 01 - 01),
        time::macros::date!(2026 - 11 - 24),
    );
    let Err(BacError::AccessDenied { hint, .. }) = bac::establish_any(&mut transport, &keys) else {
        panic!()
    };
    assert!(hint.contains("expiry"), "{hint}");
    assert_eq!(
        bac::establish_any(&mut transport, &[]).unwrap_err(),
        BacError::NoKeys
    );
}

struct RejectingChip;

impl Transport for RejectingChip {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        Ok(match command.ins {
            0x84 => Response::new(hex!("0102030405060708"), StatusWord::Ok),
            _ => Response::new(Vec::new(), StatusWord::VerificationFailed),
        })
    }
}

#[test]
fn transport_errors_pass_through() {
    struct Gone;
    impl Transport for Gone {
        fn transmit(&mut self, _: &Command) -> Result<Response, TransportError> {
            Err(TransportError::CardRemoved)
        }
    }
    assert_eq!(
        bac::establish(Gone, &d2_key()).unwrap_err(),
        BacError::Transport(TransportError::CardRemoved)
    );
}
