//! End-to-end through the real PC/SC stack: our `PcscTransport` -> libpcsclite -> pcscd ->
//! the vpcd driver -> TCP -> a card served by `cccd_sim::vpcd`.
//!
//! These need a running pcscd with vsmartcard-vpcd, so plain `cargo test` lists them as
//! ignored; `scripts/test.sh` (and CI) starts pcscd and runs them with `--include-ignored`.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use cccd::apdu::{Command, StatusWord};
use cccd::transport::pcsc::{PcscTransport, list_readers};
use cccd::transport::{Transport, TransportError};
use cccd_sim::vpcd::{Card, SelectOnlyCard, VPCD_PORT_0, VPCD_READER_0, VpcdConnection};
use cccd_testkit::pcscd;

fn insert<C: Card + 'static>(card: C) -> VpcdConnection<C> {
    pcscd::insert(card, VPCD_PORT_0, VPCD_READER_0)
}

fn wait_until_absent() {
    pcscd::assert_empties(VPCD_READER_0);
}

fn select_emrtd() -> Command {
    Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(vec![0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01])
}

#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn the_virtual_readers_are_listed() {
    let readers = list_readers().unwrap();
    let names: Vec<_> = readers.iter().map(|r| r.name.as_str()).collect();
    assert!(names.contains(&VPCD_READER_0), "readers: {names:?}");
    assert!(names.contains(&"Virtual PCD 00 01"), "readers: {names:?}");
}

#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn select_of_the_emrtd_application_answers_9000() {
    let _g = pcscd::lock_reader();
    let conn = insert(SelectOnlyCard);
    let mut t = PcscTransport::connect(VPCD_READER_0).unwrap();
    assert_eq!(t.atr().unwrap(), cccd_sim::vpcd::CONTACTLESS_ATR);
    let r = t.transmit(&select_emrtd()).unwrap();
    assert_eq!(r.sw, StatusWord::Ok);
    let r = t
        .transmit(&Command::new(0x00, 0x84, 0x00, 0x00).with_le(8))
        .unwrap();
    assert_eq!(r.sw, StatusWord::InsNotSupported);
    drop(t);
    conn.remove().unwrap();
    wait_until_absent();
}

#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn a_card_pulled_mid_session_is_card_removed() {
    let _g = pcscd::lock_reader();
    let conn = insert(SelectOnlyCard);
    let mut t = PcscTransport::connect(VPCD_READER_0).unwrap();
    assert!(t.transmit(&select_emrtd()).unwrap().is_ok());
    conn.remove().unwrap();
    wait_until_absent();
    let e = t.transmit(&select_emrtd()).unwrap_err();
    assert_eq!(e, TransportError::CardRemoved);
    // Sessions connect exclusively: while the old handle is held, nobody else gets in.
    let e = PcscTransport::connect_exclusive(VPCD_READER_0, std::time::Duration::ZERO).unwrap_err();
    assert!(matches!(e, TransportError::InUse { .. }), "{e:?}");
    // Once it is let go, a new connection to the empty reader says there is no card.
    drop(t);
    let e = PcscTransport::connect(VPCD_READER_0).unwrap_err();
    assert_eq!(e, TransportError::NoCard);
}

#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn an_unknown_reader_is_reader_unavailable() {
    let e = PcscTransport::connect("No Such Reader 99").unwrap_err();
    assert!(
        matches!(e, TransportError::ReaderUnavailable { .. }),
        "{e:?}"
    );
}

/// Records every APDU and answers a fixed pattern of the length asked for.
#[derive(Default)]
struct EchoCard {
    received: Vec<Vec<u8>>,
    pending: Vec<u8>,
}

impl Card for EchoCard {
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        self.received.push(apdu.to_vec());
        let cmd = Command::parse(apdu).unwrap();
        match cmd.ins {
            // GET RESPONSE: hand out what is pending.
            0xC0 => {
                let mut out = std::mem::take(&mut self.pending);
                out.extend_from_slice(&[0x90, 0x00]);
                out
            }
            // A T=0-style card: answer 61XX and keep the data for GET RESPONSE.
            0xCA => {
                self.pending = (0..100u8).collect();
                vec![0x61, 100]
            }
            _ => {
                let n = cmd.le.unwrap_or(0);
                let mut out: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
                out.extend_from_slice(&[0x90, 0x00]);
                out
            }
        }
    }
}

#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn an_extended_apdu_round_trips_intact() {
    let _g = pcscd::lock_reader();
    let conn = insert(EchoCard::default());
    let mut t = PcscTransport::connect(VPCD_READER_0).unwrap();
    let data: Vec<u8> = (0..600u32).map(|i| (i * 7 % 256) as u8).collect();
    let cmd = Command::new(0x00, 0xDA, 0x01, 0x02)
        .with_data(data)
        .with_le(1000);
    assert!(cmd.is_extended());
    let r = t.transmit(&cmd).unwrap();
    assert!(r.is_ok());
    assert_eq!(r.data.len(), 1000);
    assert!(
        r.data
            .iter()
            .enumerate()
            .all(|(i, &b)| b == (i % 251) as u8)
    );
    let card = conn.card();
    let seen = card.lock().unwrap().received.last().cloned().unwrap();
    assert_eq!(
        seen,
        cmd.to_bytes().unwrap(),
        "the card must receive the exact bytes sent"
    );
    drop(t);
    conn.remove().unwrap();
    wait_until_absent();
}

#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn a_61xx_answer_is_collected_with_get_response() {
    let _g = pcscd::lock_reader();
    let conn = insert(EchoCard::default());
    let mut t = PcscTransport::connect(VPCD_READER_0).unwrap();
    let r = t
        .transmit(&Command::new(0x00, 0xCA, 0x01, 0x01).with_le(256))
        .unwrap();
    assert!(r.is_ok());
    assert_eq!(r.data, (0..100u8).collect::<Vec<_>>());
    let card = conn.card();
    let received = card.lock().unwrap().received.clone();
    assert_eq!(received.last().unwrap(), &vec![0x00, 0xC0, 0x00, 0x00, 100]);
    drop(t);
    conn.remove().unwrap();
    wait_until_absent();
}
