//! Every PACE mapping through the session, against the virtual chip serving a sample card
//! with its EF.CardAccess rewritten by the profile (`pace-dh-gm`, `pace-ecdh-im`,
//! `pace-dh-im`, `pace-ecdh-cam`): the card opens, `card.json` names the protocol with its
//! mapping, the read verifies; PACE-CAM counts as chip authentication (no separate CA), and
//! a cloned chip (other private key than DG14's) fails it. Also the APDU count of each
//! variant's opening.

#![allow(clippy::unwrap_used)]

use cccd::document::Document;
use cccd::session::{AccessKeys, ChipAuthOutcome, ReadPlan, Session};
use cccd_sim::chip::{ChipConfig, Profile, SimTransport, VirtualChip};
use std::path::PathBuf;

fn testdata() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata"))
}

fn chip(card: &str, profile: Profile) -> (SimTransport, Document) {
    let doc = Document::load(testdata().join("cards").join(card)).unwrap();
    let config = ChipConfig {
        profile,
        ..ChipConfig::default()
    };
    let chip =
        VirtualChip::from_document_with_keys(&doc, config, &testdata().join("secrets").join(card))
            .unwrap();
    (SimTransport::new(chip), doc)
}

fn keys(doc: &Document) -> AccessKeys {
    let mrz = doc.dg1().unwrap().unwrap().mrz().to_owned();
    AccessKeys::from_key(cccd::mrz::AccessKey::from_mrz(&mrz).unwrap())
}

/// Open, read the verification set; return the session's document, its chip-authentication
/// outcome and the APDUs the opening (access control and genuineness proof) took.
fn open(card: &str, profile: Profile) -> (Document, ChipAuthOutcome, usize) {
    let (t, doc) = chip(card, profile);
    let mut s = Session::open(t, &keys(&doc)).unwrap();
    let opening = s.transport_mut().chip().stats().apdus;
    let outcome = s.chip_auth().clone();
    let read = s.read(&ReadPlan::verification(), &mut |_| {}).unwrap();
    (read, outcome, opening)
}

#[test]
fn every_mapping_opens_the_card_and_is_named() {
    for (profile, name) in [
        (Profile::Cccd2021, "pace_ecdh_gm_mrz"),
        (Profile::PaceDhGm, "pace_dh_gm_mrz"),
        (Profile::PaceEcdhIm, "pace_ecdh_im_mrz"),
        (Profile::PaceDhIm, "pace_dh_im_mrz"),
        (Profile::PaceEcdhCam, "pace_ecdh_cam_mrz"),
    ] {
        let (read, outcome, apdus) = open("v01-hung-ec-bp384", profile);
        let pace = read.meta.pace.clone().unwrap();
        assert_eq!(pace.name, name, "{profile:?}");
        assert!(
            pace.protocol.starts_with("0.4.0.127.0.7.2.2.4."),
            "{pace:?}"
        );
        assert_eq!(outcome, ChipAuthOutcome::ChipAuthenticated, "{profile:?}");
        let json = serde_json::to_string(&read.meta).unwrap();
        assert!(json.contains(name), "{json}");
        eprintln!("{name}: {apdus} APDUs to open and prove the chip");
    }
}

#[test]
fn pace_cam_is_the_chip_authentication() {
    let (read, outcome, cam_apdus) = open("v01-hung-ec-bp384", Profile::PaceEcdhCam);
    assert_eq!(outcome, ChipAuthOutcome::ChipAuthenticated);
    let record = read.meta.chip_authentication.unwrap();
    assert!(record.passed);
    assert_eq!(record.detail, "PACE-CAM");
    assert!(
        record.protocol.starts_with("0.4.0.127.0.7.2.2.4.6."),
        "{record:?}"
    );
    // No separate CA: fewer APDUs than generic mapping followed by CA.
    let (_, _, gm_apdus) = open("v01-hung-ec-bp384", Profile::Cccd2021);
    assert!(cam_apdus < gm_apdus, "CAM {cam_apdus}, GM+CA {gm_apdus}");
}

#[test]
fn pace_cam_catches_a_cloned_chip() {
    let (read, outcome, _) = open("b12-cloned-chip", Profile::PaceEcdhCam);
    assert!(matches!(outcome, ChipAuthOutcome::Failed(_)), "{outcome:?}");
    let record = read.meta.chip_authentication.unwrap();
    assert!(!record.passed);
    assert!(record.detail.contains("PACE-CAM"), "{record:?}");
}
