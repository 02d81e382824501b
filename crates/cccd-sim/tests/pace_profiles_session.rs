//! Every PACE mapping through the session, against the virtual chip serving a sample card
//! with its EF.CardAccess rewritten by the profile (`pace-dh-gm`, `pace-ecdh-im`,
//! `pace-dh-im`, `pace-ecdh-cam`): the card opens, `card.json` names the protocol with its
//! mapping, the read verifies; PACE-CAM counts as chip authentication (no separate CA), and
//! a cloned chip (other private key than DG14's) fails it. Also the APDU count of each
//! variant's opening.

#![allow(clippy::unwrap_used)]

use cccd::crypto::Cipher;
use cccd::document::{CaKeySource, Document};
use cccd::lds::FileId;
use cccd::session::{AccessKeys, Genuineness, GenuinenessProof, ReadPlan, Session};
use cccd::verify::{CheckId, Claims, Options, Report, Status, Verdict, verify};
use cccd_sim::chip::{ChipConfig, Profile, SimTransport, VirtualChip};
use cccd_testkit::{testdata, trust_store};

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
fn open(card: &str, profile: Profile) -> (Document, Genuineness, usize) {
    let (t, doc) = chip(card, profile);
    let mut s = Session::open(t, &keys(&doc)).unwrap();
    let opening = s.transport_mut().chip().stats().apdus;
    let outcome = s.genuineness().clone();
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
        assert_eq!(outcome, proven_by(profile), "{profile:?}");
        let json = serde_json::to_string(&read.meta).unwrap();
        assert!(json.contains(name), "{json}");
        eprintln!("{name}: {apdus} APDUs to open and prove the chip");
    }
}

/// What proves the chip genuine under `profile`: PACE-CAM with EF.CardSecurity's key, else
/// chip authentication with DG14's.
fn proven_by(profile: Profile) -> Genuineness {
    if profile == Profile::PaceEcdhCam {
        Genuineness::PaceCam {
            key_source: CaKeySource::CardSecurity,
        }
    } else {
        Genuineness::ChipAuthentication
    }
}

#[test]
fn pace_cam_is_the_chip_authentication() {
    let (read, outcome, cam_apdus) = open("v01-hung-ec-bp384", Profile::PaceEcdhCam);
    assert_eq!(outcome, proven_by(Profile::PaceEcdhCam));
    let record = read.meta.chip_authentication.clone().unwrap();
    assert!(record.passed);
    assert_eq!(record.detail, "PACE-CAM");
    assert!(
        record.protocol.starts_with("0.4.0.127.0.7.2.2.4.6."),
        "{record:?}"
    );
    // No separate CA (MSE:Set AT, GENERAL AUTHENTICATE, the protected SELECT that proves
    // the new keys: 3 APDUs), but EF.CardSecurity is read from the master file with short
    // APDUs (SELECT, then 223 plain bytes per READ BINARY under AES).
    let (_, _, gm_apdus) = open("v01-hung-ec-bp384", Profile::Cccd2021);
    let card_security = read.get(FileId::CardSecurity).unwrap().len();
    let card_security_apdus =
        1 + card_security.div_ceil(cccd::sm::max_response_data(Cipher::Aes128, false));
    assert_eq!(
        cam_apdus,
        gm_apdus - 3 + card_security_apdus,
        "CAM {cam_apdus}, GM+CA {gm_apdus}, EF.CardSecurity {card_security} bytes"
    );
}

fn options() -> Options {
    Options::default().at(time::macros::datetime!(2025-06-01 12:00 UTC))
}

fn status(report: &Report, id: CheckId) -> Status {
    report.check(id).unwrap_or_else(|| panic!("no {id}")).status
}

/// PACE-CAM reads EF.CardSecurity and checks the chip against its key; the verifier then
/// passively authenticates EF.CardSecurity, and chip authentication rests on that.
#[test]
fn pace_cam_relies_on_the_passively_authenticated_card_security() {
    let (read, _, _) = open("v01-hung-ec-bp384", Profile::PaceEcdhCam);
    let (_, dump) = chip("v01-hung-ec-bp384", Profile::PaceEcdhCam);
    assert_eq!(
        read.get(FileId::CardSecurity),
        dump.get(FileId::CardSecurity)
    );
    let record = read.meta.chip_authentication.clone().unwrap();
    assert_eq!(record.key_source, Some(CaKeySource::CardSecurity));
    let json = serde_json::to_string(&read.meta).unwrap();
    assert!(json.contains("\"key_source\":\"card_security\""), "{json}");
    let report = verify(&read, &trust_store(), &Claims::default(), None, &options());
    assert_eq!(
        status(&report, CheckId::CardSecuritySignature),
        Status::Pass
    );
    assert_eq!(status(&report, CheckId::CardSecurityChain), Status::Pass);
    assert_eq!(status(&report, CheckId::ChipAuthentication), Status::Pass);
    let reason = &report.check(CheckId::ChipAuthentication).unwrap().reason;
    assert!(reason.contains("EF.CardSecurity"), "{reason}");
    assert_eq!(report.verdict, Verdict::Verified, "{:?}", report.failures());

    // Generic mapping reads no EF.CardSecurity: no such checks then.
    let (gm, _, _) = open("v01-hung-ec-bp384", Profile::Cccd2021);
    assert_eq!(gm.get(FileId::CardSecurity), None);
    let report = verify(&gm, &trust_store(), &Claims::default(), None, &options());
    assert!(report.check(CheckId::CardSecuritySignature).is_none());
}

/// A chip whose EF.CardSecurity signature is broken: PACE-CAM still matches its key, but
/// the key is no longer the issuer's, so chip authentication fails in the report.
#[test]
fn pace_cam_with_a_forged_card_security_fails_chip_authentication() {
    let card = "v01-hung-ec-bp384";
    let mut doc = Document::load(testdata().join("cards").join(card)).unwrap();
    let mut forged = doc.get(FileId::CardSecurity).unwrap().to_vec();
    // The last byte is the signature's (ECDSA brainpoolP384r1, DER).
    *forged.last_mut().unwrap() ^= 0x01;
    doc.insert(FileId::CardSecurity, forged);
    let config = ChipConfig {
        profile: Profile::PaceEcdhCam,
        ..ChipConfig::default()
    };
    let chip =
        VirtualChip::from_document_with_keys(&doc, config, &testdata().join("secrets").join(card))
            .unwrap();
    let mut s = Session::open(SimTransport::new(chip), &keys(&doc)).unwrap();
    assert_eq!(s.genuineness(), &proven_by(Profile::PaceEcdhCam));
    let read = s.read(&ReadPlan::verification(), &mut |_| {}).unwrap();
    let report = verify(&read, &trust_store(), &Claims::default(), None, &options());
    assert_eq!(
        status(&report, CheckId::CardSecuritySignature),
        Status::Fail
    );
    assert_eq!(status(&report, CheckId::ChipAuthentication), Status::Fail);
    assert_eq!(report.verdict, Verdict::NotVerified);
}

#[test]
fn pace_cam_catches_a_cloned_chip() {
    let (read, outcome, _) = open("b12-cloned-chip", Profile::PaceEcdhCam);
    assert!(
        matches!(
            outcome,
            Genuineness::Failed {
                proof: GenuinenessProof::PaceCam,
                ..
            }
        ),
        "{outcome:?}"
    );
    let record = read.meta.chip_authentication.unwrap();
    assert!(!record.passed);
    assert!(record.detail.contains("PACE-CAM"), "{record:?}");
}

/// Each new profile end to end through the real PC/SC stack (PcscTransport -> pcscd ->
/// vpcd -> the virtual chip): opens, names its mapping, proves the chip, reads back the
/// dump's files. Needs pcscd with vsmartcard-vpcd (scripts/with-pcscd.sh).
#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn every_profile_through_pcscd() {
    use cccd::transport::pcsc::{PcscTransport, wait_for_card};
    use cccd_sim::vpcd::{VPCD_PORT_1, VPCD_READER_1, VpcdConnection};
    use std::time::Duration;

    let card = "v04-ngoc-ec-p256";
    for (profile, name) in [
        (Profile::PaceDhGm, "pace_dh_gm_mrz"),
        (Profile::PaceEcdhIm, "pace_ecdh_im_mrz"),
        (Profile::PaceDhIm, "pace_dh_im_mrz"),
        (Profile::PaceEcdhCam, "pace_ecdh_cam_mrz"),
    ] {
        let (t, dump) = chip(card, profile);
        let conn = VpcdConnection::insert(
            ("127.0.0.1", VPCD_PORT_1),
            t.into_chip(),
            Duration::from_secs(10),
        )
        .expect("vpcd is not listening on 35964: is pcscd running with vsmartcard-vpcd?");
        wait_for_card(Some(VPCD_READER_1), Duration::from_secs(10)).expect("card arrives");
        let transport = PcscTransport::connect(VPCD_READER_1).unwrap();
        let mut s = Session::open(transport, &keys(&dump)).unwrap();
        assert_eq!(s.genuineness(), &proven_by(profile), "{name}");
        let read = s.read(&ReadPlan::verification(), &mut |_| {}).unwrap();
        assert_eq!(read.meta.pace.as_ref().unwrap().name, name);
        for group in [1, 13, 14] {
            let id = cccd::lds::FileId::Dg(cccd::lds::DataGroup::from_number(group).unwrap());
            assert_eq!(read.get(id), dump.get(id), "{name}: DG{group}");
        }
        drop(s);
        conn.remove().unwrap();
        std::thread::sleep(Duration::from_millis(300));
    }
}
