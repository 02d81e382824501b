//! The prepared-signer cache must not change a verdict: every sample card, and every byte of
//! a sweep over the SOD signature and signed attributes, gets the same passive report from a
//! fresh trust store (the DSC seen once: the plain path) and from a store that has seen the
//! DSC before (decoded key, EC tables built).
#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use cccd::document::Document;
use cccd::lds::FileId;
use cccd::passive::{PassiveReport, verify_sod};
use cccd::pki::TrustStore;
use cccd_testkit::testdata;
use time::OffsetDateTime;

fn store() -> TrustStore {
    let mut store = TrustStore::new();
    let pki = testdata().join("pki");
    for name in [
        "csca-rsa.crt.pem",
        "csca-ec.crt.pem",
        "csca-ec-explicit.crt.pem",
    ] {
        let _ = store.load_cscas(&pki.join(name)).unwrap();
    }
    let _ = store.load_crls(&pki.join("csca-ec.crl.pem")).unwrap();
    store
}

fn at() -> OffsetDateTime {
    time::macros::datetime!(2025-06-01 00:00 UTC)
}

fn passive(doc_sod: &[u8], doc: &Document, store: &TrustStore) -> PassiveReport {
    let dgs = doc.files().filter_map(|(f, b)| match f {
        FileId::Dg(dg) => Some((dg, b)),
        _ => None,
    });
    verify_sod(doc_sod, dgs, store, at())
}

fn cards() -> Vec<Document> {
    let mut dirs: Vec<_> = std::fs::read_dir(testdata().join("cards"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.iter().map(|d| Document::load(d).unwrap()).collect()
}

#[test]
fn every_sample_card_gets_the_same_report_prepared() {
    let warm = store();
    let mut with_tables = 0;
    for doc in cards() {
        let Some(sod) = doc.get(FileId::Sod) else {
            continue;
        };
        let plain = passive(sod, &doc, &store());
        // First sighting prepares the key, the second builds EC tables, the third uses them.
        for _ in 0..3 {
            assert_eq!(passive(sod, &doc, &warm), plain);
        }
        with_tables += usize::from(warm.prepared_stats().tables_built > 0);
    }
    let stats = warm.prepared_stats();
    assert!(stats.tables_built > 0 && stats.hits > 0, "{stats:?}");
    assert!(stats.entries <= cccd::pki::PREPARED_CAPACITY);
    assert!(with_tables > 0);
}

#[test]
fn tamper_sweep_over_signature_and_signed_attributes() {
    for doc in cards()
        .iter()
        .filter(|d| d.get(FileId::Sod).is_some())
        .take(11)
    {
        let sod_bytes = doc.get(FileId::Sod).unwrap();
        let Ok(sod) = cccd::lds::sod::Sod::parse(sod_bytes) else {
            continue;
        };
        let Some(signer) = sod.signed_data.signer_infos.first() else {
            continue;
        };
        // Where the signature sits in EF.SOD (its exact bytes, found once).
        let sig = &signer.signature;
        let Some(sig_at) = sod_bytes
            .windows(sig.len())
            .position(|w| w == sig.as_slice())
        else {
            continue;
        };
        let warm = store();
        for _ in 0..2 {
            passive(sod_bytes, doc, &warm);
        }
        // Every 7th byte of the signature, then bytes before it (signed attributes and the
        // SignerInfo's fields), each with one bit flipped.
        let positions = (sig_at..sig_at + sig.len())
            .step_by(7)
            .chain((sig_at.saturating_sub(160)..sig_at).step_by(5));
        for (i, pos) in positions.enumerate() {
            let mut tampered = sod_bytes.to_vec();
            tampered[pos] ^= 1 << (i % 8);
            let plain = passive(&tampered, doc, &store());
            let prepared = passive(&tampered, doc, &warm);
            assert_eq!(prepared, plain, "byte {pos}");
        }
    }
}
