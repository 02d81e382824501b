//! Chip and active authentication in the session, against the virtual chip serving the
//! generated sample cards with their private keys: genuine chips pass, a cloned chip (right
//! DG14/DG15, other private keys) is caught, and the outcome reaches `verify`.

#![allow(clippy::unwrap_used)]

use cccd::document::Document;
use cccd::pki::TrustStore;
use cccd::session::{
    AccessKeys, ChipAuthOptions, Genuineness, GenuinenessProof, OpenOptions, ReadPlan, Session,
};
use cccd::verify::{CheckId, Claims, Options, Status, Verdict, verify};
use cccd_sim::chip::{ChipConfig, Faults, SimTransport, VirtualChip};
use cccd_testkit::testdata;

fn chip(card: &str) -> (SimTransport, Document) {
    let doc = Document::load(testdata().join("cards").join(card)).unwrap();
    let chip = VirtualChip::from_document_with_keys(
        &doc,
        ChipConfig::default(),
        &testdata().join("secrets").join(card),
    )
    .unwrap();
    (SimTransport::new(chip), doc)
}

fn keys(doc: &Document) -> AccessKeys {
    let mrz = doc.dg1().unwrap().unwrap().mrz().to_owned();
    AccessKeys::from_key(cccd::mrz::AccessKey::from_mrz(&mrz).unwrap())
}

fn anchors() -> TrustStore {
    let mut store = TrustStore::new();
    for a in [
        "csca-rsa.crt.pem",
        "csca-ec.crt.pem",
        "csca-ec-explicit.crt.pem",
    ] {
        let _ = store.load_cscas(&testdata().join("pki").join(a)).unwrap();
    }
    store
}

fn reference_options() -> Options {
    Options::default().at(time::macros::datetime!(2025-06-01 12:00 UTC))
}

#[test]
fn a_genuine_chip_passes_chip_authentication_and_verifies() {
    let (t, doc) = chip("v01-hung-ec-bp384");
    let mut s = Session::open(t, &keys(&doc)).unwrap();
    assert_eq!(s.genuineness(), &Genuineness::ChipAuthentication);
    let read = s.read(&ReadPlan::verification(), &mut |_| {}).unwrap();
    assert!(read.meta.chip_authentication.as_ref().unwrap().passed);
    let report = verify(
        &read,
        &anchors(),
        &Claims::default(),
        None,
        &reference_options(),
    );
    assert_eq!(
        report.check(CheckId::ChipAuthentication).unwrap().status,
        Status::Pass
    );
    assert_eq!(report.verdict, Verdict::Verified, "{:?}", report.failures());
}

#[test]
fn a_cloned_chip_is_caught_and_the_rest_still_reads() {
    let (t, _) = chip("b12-cloned-chip");
    let doc = Document::load(testdata().join("cards/b12-cloned-chip")).unwrap();
    let mut s = Session::open(t, &keys(&doc)).unwrap();
    assert!(
        matches!(
            s.genuineness(),
            Genuineness::Failed {
                proof: GenuinenessProof::ChipAuthentication,
                ..
            }
        ),
        "{:?}",
        s.genuineness()
    );
    let read = s.read(&ReadPlan::verification(), &mut |_| {}).unwrap();
    let report = verify(
        &read,
        &anchors(),
        &Claims::default(),
        None,
        &reference_options(),
    );
    assert_eq!(
        report.check(CheckId::ChipAuthentication).unwrap().status,
        Status::Fail
    );
    assert_eq!(report.verdict, Verdict::NotVerified);
    // Passive authentication alone would not have caught it.
    assert_eq!(
        report.check(CheckId::SodSignature).unwrap().status,
        Status::Pass
    );
}

#[test]
fn active_authentication_when_asked_and_rechecked_offline() {
    let (t, doc) = chip("v02-huong-rsa-pss");
    let options = ChipAuthOptions {
        chip_authentication: false,
        active_authentication_always: true,
    };
    let mut s = Session::open_with(
        t,
        &keys(&doc),
        OpenOptions::default().chip_auth(Some(options)),
    )
    .unwrap();
    assert_eq!(s.genuineness(), &Genuineness::ActiveAuthentication);
    let read = s.read(&ReadPlan::verification(), &mut |_| {}).unwrap();
    let record = read.meta.active_authentication.clone().unwrap();
    assert_eq!(record.challenge.len(), 16);
    // A server re-checks the recorded answer with the challenge it issued.
    let mut challenge = [0u8; 8];
    for (i, b) in challenge.iter_mut().enumerate() {
        *b = u8::from_str_radix(&record.challenge[2 * i..2 * i + 2], 16).unwrap();
    }
    let mut opts = reference_options();
    opts.aa_challenge = Some(challenge);
    let report = verify(&read, &anchors(), &Claims::default(), None, &opts);
    assert_eq!(
        report.check(CheckId::ChipAuthentication).unwrap().status,
        Status::Pass
    );
    // Another challenge: the recorded answer is a replay.
    opts.aa_challenge = Some([0; 8]);
    let report = verify(&read, &anchors(), &Claims::default(), None, &opts);
    assert_eq!(
        report.check(CheckId::ChipAuthentication).unwrap().status,
        Status::Fail
    );
}

#[test]
fn a_cloned_chip_fails_active_authentication_too() {
    let (t, doc) = chip("b12-cloned-chip");
    let options = ChipAuthOptions {
        chip_authentication: false,
        active_authentication_always: true,
    };
    let s = Session::open_with(
        t,
        &keys(&doc),
        OpenOptions::default().chip_auth(Some(options)),
    )
    .unwrap();
    assert!(
        matches!(
            s.genuineness(),
            Genuineness::Failed {
                proof: GenuinenessProof::ActiveAuthentication,
                ..
            }
        ),
        "{:?}",
        s.genuineness()
    );
}

#[test]
fn after_removal_the_chip_is_authenticated_again() {
    let (mut t, doc) = chip("v03-minh-rsa-pkcs1");
    let mut s = Session::open(&mut t, &keys(&doc)).unwrap();
    assert_eq!(s.genuineness(), &Genuineness::ChipAuthentication);
    let n = s.transport_mut().chip().stats().apdus;
    s.transport_mut().chip_mut().config_mut().faults = Faults {
        remove_after: Some(n + 3),
        ..Faults::default()
    };
    let e = s.read(&ReadPlan::with_face(), &mut |_| {}).unwrap_err();
    assert_eq!(e, cccd::session::SessionError::CardRemoved);
    s.transport_mut().reinsert();
    s.reconnect().unwrap();
    assert_eq!(s.genuineness(), &Genuineness::ChipAuthentication);
    let read = s.read(&ReadPlan::with_face(), &mut |_| {}).unwrap();
    for (id, bytes) in doc.files() {
        if let Some(got) = read.get(id) {
            assert_eq!(got, bytes, "{id}");
        }
    }
    assert!(read.dg(cccd::lds::DataGroup::Dg2).is_some());
}

#[test]
fn a_chip_that_refuses_chip_authentication_stays_on_pace_and_is_flagged() {
    // The dump's DG14 offers CA, but this chip has no CA key: it answers 6D00.
    let doc = Document::load(testdata().join("cards/v01-hung-ec-bp384")).unwrap();
    let chip = VirtualChip::from_document(&doc, ChipConfig::default()).unwrap();
    let s = Session::open(SimTransport::new(chip), &keys(&doc)).unwrap();
    assert!(
        matches!(
            s.genuineness(),
            Genuineness::Failed {
                proof: GenuinenessProof::ChipAuthentication,
                ..
            }
        ),
        "{:?}",
        s.genuineness()
    );
    // Reopening after the failed attempts keeps PACE: no downgrade to BAC.
    assert_eq!(s.access_protocol(), cccd::document::AccessProtocol::PaceMrz);
}
