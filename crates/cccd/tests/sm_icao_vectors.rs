//! Secure messaging against the worked example of ICAO Doc 9303 Part 11, Appendix D.4
//! (SELECT EF.COM, READ BINARY 4 bytes, READ BINARY 18 bytes at offset 4), byte for byte.
//! The values are those printed in the appendix, also reproduced in ZeroPass dmrtd's
//! `test/mrtd_sm_test.dart` and gmrtd's `iso7816/secure_messaging_test.go`.
#![allow(clippy::unwrap_used)]

use cccd::apdu::{Command, Response};
use cccd::crypto::{Cipher, SecretKey, SessionKeys};
use cccd::sm::{SecureChannel, Ssc};
use cccd::transport::{Transport, TransportError};
use hex_literal::hex;
use std::collections::VecDeque;

/// Checks each command against the expected bytes and answers with scripted bytes.
struct Scripted {
    script: VecDeque<(Vec<u8>, Vec<u8>)>,
}

impl Transport for Scripted {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        let (expected, answer) = self.script.pop_front().expect("script exhausted");
        assert_eq!(
            hex(&command.to_bytes().unwrap()),
            hex(&expected),
            "protected command"
        );
        Ok(Response::parse(&answer).unwrap())
    }
}

fn hex(b: &[u8]) -> String {
    use std::fmt::Write as _;
    b.iter().fold(String::new(), |mut s, x| {
        let _ = write!(s, "{x:02X}");
        s
    })
}

fn d4_keys() -> SessionKeys {
    SessionKeys {
        cipher: Cipher::TripleDes,
        enc: SecretKey::from_bytes(&hex!("979EC13B1CBFE9DCD01AB0FED307EAE5")),
        mac: SecretKey::from_bytes(&hex!("F1CB1F1FB5ADF208806B89DC579DC1F8")),
    }
}

fn d4_script() -> VecDeque<(Vec<u8>, Vec<u8>)> {
    VecDeque::from([
        (
            hex!("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800").to_vec(),
            hex!("990290008E08FA855A5D4C50A8ED9000").to_vec(),
        ),
        (
            hex!("0CB000000D9701048E08ED6705417E96BA5500").to_vec(),
            hex!("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000").to_vec(),
        ),
        (
            hex!("0CB000040D9701128E082EA28A70F3C7B53500").to_vec(),
            hex!(
                "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000"
            )
            .to_vec(),
        ),
    ])
}

#[test]
fn icao_d4_select_and_read_ef_com() {
    // SSC from D.3: 887022120C06C226 (low 4 bytes of RND.ICC || low 4 bytes of RND.IFD).
    let ssc = Ssc::for_bac(&hex!("4608F91988702212"), &hex!("781723860C06C226"));
    assert_eq!(ssc.to_bytes(Cipher::TripleDes), hex!("887022120C06C226"));
    let mut channel = SecureChannel::new(
        Scripted {
            script: d4_script(),
        },
        d4_keys(),
        ssc,
    );

    let select = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(hex!("011E"));
    let r = channel.transmit(&select).unwrap();
    assert!(r.is_ok() && r.data.is_empty());
    assert_eq!(
        channel.ssc().to_bytes(Cipher::TripleDes),
        hex!("887022120C06C228")
    );

    let r = channel
        .transmit(&Command::new(0x00, 0xB0, 0x00, 0x00).with_le(4))
        .unwrap();
    assert_eq!(r.data, hex!("60145F01"));
    assert!(r.is_ok());
    assert_eq!(
        channel.ssc().to_bytes(Cipher::TripleDes),
        hex!("887022120C06C22A")
    );

    let r = channel
        .transmit(&Command::new(0x00, 0xB0, 0x00, 0x04).with_le(0x12))
        .unwrap();
    assert_eq!(r.data, hex!("04303130365F36063034303030305C026175"));
    assert_eq!(
        channel.ssc().to_bytes(Cipher::TripleDes),
        hex!("887022120C06C22C")
    );
    assert!(!channel.is_closed());
}

#[test]
fn icao_d4_tampered_response_closes_the_channel() {
    let mut script = d4_script();
    // Flip one bit of the first response's MAC.
    script[0].1[6] ^= 0x01;
    let ssc = Ssc::from_bytes(&hex!("887022120C06C226"));
    let mut channel = SecureChannel::new(Scripted { script }, d4_keys(), ssc);
    let select = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(hex!("011E"));
    assert!(matches!(
        channel.transmit(&select),
        Err(TransportError::SecureMessaging(_))
    ));
    assert!(channel.is_closed());
    // Every later transmit fails without reaching the card.
    let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_le(4);
    assert!(matches!(
        channel.transmit(&read),
        Err(TransportError::SecureMessaging(_))
    ));
    assert_eq!(channel.inner().script.len(), 2);
}

#[test]
fn icao_d4_tampered_cryptogram_is_rejected_before_decryption() {
    let mut script = d4_script();
    // Change a byte of the DO'87' cryptogram of the second response: the MAC covers it.
    script[1].1[4] ^= 0x80;
    let ssc = Ssc::from_bytes(&hex!("887022120C06C226"));
    let mut channel = SecureChannel::new(Scripted { script }, d4_keys(), ssc);
    channel
        .transmit(&Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(hex!("011E")))
        .unwrap();
    let err = channel
        .transmit(&Command::new(0x00, 0xB0, 0x00, 0x00).with_le(4))
        .unwrap_err();
    assert_eq!(err, TransportError::SecureMessaging("MAC does not verify"));
}

#[test]
fn icao_d4_replayed_response_is_rejected() {
    let mut script = d4_script();
    // Answer the second command with the first (valid, but older) response.
    script[1].1 = script[0].1.clone();
    let ssc = Ssc::from_bytes(&hex!("887022120C06C226"));
    let mut channel = SecureChannel::new(Scripted { script }, d4_keys(), ssc);
    channel
        .transmit(&Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(hex!("011E")))
        .unwrap();
    assert!(matches!(
        channel.transmit(&Command::new(0x00, 0xB0, 0x00, 0x00).with_le(4)),
        Err(TransportError::SecureMessaging(_))
    ));
    assert!(channel.is_closed());
}

#[test]
fn plain_error_status_passes_but_plain_success_does_not() {
    let mut script = d4_script();
    script[0].1 = hex!("6A82").to_vec();
    let ssc = Ssc::from_bytes(&hex!("887022120C06C226"));
    let mut channel = SecureChannel::new(Scripted { script }, d4_keys(), ssc);
    let r = channel
        .transmit(&Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(hex!("011E")))
        .unwrap();
    assert_eq!(r.sw, cccd::apdu::StatusWord::FileNotFound);
    assert!(r.data.is_empty());
    assert!(!channel.is_closed());

    let mut script = d4_script();
    script[0].1 = hex!("9000").to_vec();
    let mut channel = SecureChannel::new(Scripted { script }, d4_keys(), ssc);
    assert!(
        channel
            .transmit(&Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(hex!("011E")))
            .is_err()
    );
    assert!(channel.is_closed());

    // Data without a MAC object is never passed through.
    let mut script = d4_script();
    script[0].1 = hex!("8709016375432908C044F6990290009000").to_vec();
    let mut channel = SecureChannel::new(Scripted { script }, d4_keys(), ssc);
    assert_eq!(
        channel
            .transmit(&Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(hex!("011E")))
            .unwrap_err(),
        TransportError::SecureMessaging("no MAC object (DO'8E')")
    );

    // 6988 in the clear means the card ended the session.
    let mut script = d4_script();
    script[0].1 = hex!("6988").to_vec();
    let mut channel = SecureChannel::new(Scripted { script }, d4_keys(), ssc);
    assert!(
        channel
            .transmit(&Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(hex!("011E")))
            .is_err()
    );
    assert!(channel.is_closed());
}
