//! Two readers at once through the real pcscd: two virtual chips, each serving a different
//! sample card on its own vpcd reader ("Virtual PCD 00 00" on port 35963, "Virtual PCD 00 01"
//! on 35964), read and verified by two threads that start together. Each thread must get its
//! own card (the ID number the manifest gives) and its own verdict: no cross-talk between
//! the readers' PC/SC contexts, sessions or secure channels. Several rounds, with other pairs.
//!
//! Needs pcscd with vsmartcard-vpcd: ignored by plain `cargo test`; `scripts/test.sh` runs it,
//! or `scripts/with-pcscd.sh cargo test -p cccd-sim --test concurrency_pcsc -- --include-ignored --nocapture`.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use cccd::document::Document;
use cccd::mrz::{AccessKey, Mrz};
use cccd::pki::TrustStore;
use cccd::session::{AccessKeys, ReadPlan, Session};
use cccd::transport::pcsc::PcscTransport;
use cccd::verify::{Claims, Options, Verdict, verify};
use cccd_sim::chip::{ChipConfig, VirtualChip};
use cccd_sim::vpcd::{VPCD_PORT_0, VPCD_PORT_1, VPCD_READER_0, VPCD_READER_1, VpcdConnection};
use cccd_testkit::{card, pcscd, testdata, trust_store};
use std::sync::{Barrier, Mutex};
use std::time::Instant;

/// This test takes both readers: one test at a time in this binary.
static BOTH_READERS: Mutex<()> = Mutex::new(());

/// Pairs of different sample cards read at the same time, one per reader. Each pair mixes
/// verdicts or signature algorithms, so a mix-up shows in the identity or in the verdict.
const ROUNDS: [(&str, &str); 4] = [
    ("v03-minh-rsa-pkcs1", "b01-altered-dg1"),
    ("v02-huong-rsa-pss", "v04-ngoc-ec-p256"),
    ("b02-altered-dg2", "v09-khoi-rsa-pkcs1"),
    ("v07-lananh-rsa-pss", "v03-minh-rsa-pkcs1"),
];

fn options() -> Options {
    Options::default().at(time::macros::datetime!(2025-06-01 12:00 UTC))
}

/// Put `name`'s chip (with its CA/AA keys) into the vpcd reader listening on `port`.
fn insert(name: &str, port: u16, reader: &str) -> VpcdConnection<VirtualChip> {
    let doc = Document::load(testdata().join("cards").join(name)).unwrap();
    let chip = VirtualChip::from_document_with_keys(
        &doc,
        ChipConfig::default(),
        &testdata().join("secrets").join(name),
    )
    .unwrap();
    pcscd::insert(chip, port, reader)
}

/// What one thread read: the ID number in DG1's MRZ and the verdict.
struct Seen {
    id_number: String,
    verdict: Verdict,
    reader: &'static str,
    /// When the session opened and when the verdict was reached.
    span: (Instant, Instant),
}

/// Open, read with the face and verify the card in `reader`, with `name`'s printed MRZ.
fn read_and_verify(reader: &'static str, mrz: &str, store: &TrustStore, start: &Barrier) -> Seen {
    let keys = AccessKeys::from_key(AccessKey::from_mrz(mrz).unwrap());
    start.wait();
    let begin = Instant::now();
    let transport = PcscTransport::connect(reader).unwrap();
    let mut session = Session::open(transport, &keys).unwrap();
    let doc = session.read(&ReadPlan::with_face(), &mut |_| {}).unwrap();
    let report = verify(&doc, store, &Claims::default(), None, &options());
    let mrz = Mrz::parse(doc.dg1().unwrap().unwrap().mrz()).unwrap();
    Seen {
        id_number: mrz.vn_id_number.unwrap(),
        verdict: report.verdict,
        reader,
        span: (begin, Instant::now()),
    }
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Verified => "verified",
        Verdict::NotVerified => "not_verified",
        Verdict::Inconclusive => "inconclusive",
    }
}

#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn two_readers_read_two_cards_at_once_without_cross_talk() {
    let _both = BOTH_READERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let store = trust_store();
    let started = Instant::now();
    for (round, (first, second)) in ROUNDS.iter().enumerate() {
        let cards = [
            (*first, VPCD_PORT_0, VPCD_READER_0),
            (*second, VPCD_PORT_1, VPCD_READER_1),
        ];
        let connections: Vec<_> = cards
            .iter()
            .map(|(name, port, reader)| insert(name, *port, reader))
            .collect();
        let start = Barrier::new(2);
        let seen: Vec<Seen> = std::thread::scope(|s| {
            let threads: Vec<_> = cards
                .iter()
                .map(|(name, _, reader)| {
                    let mrz = card(name).mrz;
                    let (store, start) = (&store, &start);
                    s.spawn(move || read_and_verify(reader, &mrz, store, start))
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        for ((name, _, reader), got) in cards.iter().zip(&seen) {
            let entry = card(name);
            assert_eq!(got.reader, *reader);
            assert_eq!(
                got.id_number, entry.id_number,
                "round {round}: {reader} returned another card's identity"
            );
            assert_eq!(
                verdict_name(got.verdict),
                entry.expected_verdict,
                "round {round}: {reader} ({name}) got the wrong verdict"
            );
        }
        // The two reads really ran at the same time.
        let (a, b) = (seen[0].span, seen[1].span);
        assert!(
            a.0 < b.1 && b.0 < a.1,
            "round {round}: the reads did not overlap"
        );
        for conn in connections {
            conn.remove().unwrap();
        }
        pcscd::assert_empties(VPCD_READER_0);
        pcscd::assert_empties(VPCD_READER_1);
        println!(
            "round {round}: {first} on {VPCD_READER_0} and {second} on {VPCD_READER_1}: identities and verdicts as in the manifest"
        );
    }
    println!(
        "{} concurrent rounds in {:.1} s",
        ROUNDS.len(),
        started.elapsed().as_secs_f64()
    );
}
