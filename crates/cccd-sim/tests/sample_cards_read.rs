//! Every valid sample card, served by the in-process virtual chip, read back with BAC and with
//! PACE (CAN and MRZ), byte-identical to the dump.

#![allow(clippy::unwrap_used)]

use cccd::document::{AccessProtocol, Document};
use cccd::mrz::{AccessKey, Can};
use cccd::session::{AccessKeys, ReadPlan, Session};
use cccd_sim::chip::{ChipConfig, Profile, SimTransport, VirtualChip};
use cccd_testkit::{CardEntry, cards, testdata};

fn valid_cards() -> Vec<CardEntry> {
    cards()
        .into_iter()
        .filter(|c| c.expected_verdict == "verified")
        .collect()
}

fn read(
    card: &CardEntry,
    profile: Profile,
    keys: &AccessKeys,
) -> (Document, Document, AccessProtocol) {
    let dir = card.dir.as_str();
    let name = dir.rsplit('/').next().unwrap();
    let dump = Document::load(testdata().join(dir)).unwrap();
    let chip = VirtualChip::from_document_with_keys(
        &dump,
        ChipConfig {
            profile,
            ..ChipConfig::default()
        },
        &testdata().join("secrets").join(name),
    )
    .unwrap();
    let mut session = Session::open(SimTransport::new(chip), keys).unwrap();
    let access = session.access_protocol();
    let read = session.read(&ReadPlan::with_face(), &mut |_| {}).unwrap();
    (dump, read, access)
}

fn assert_identical(dump: &Document, read: &Document, what: &str) {
    let mut n = 0;
    for (id, bytes) in dump.files() {
        // A BAC-only chip has no EF.CardAccess to read.
        if id == cccd::lds::FileId::CardAccess && what.ends_with(" BAC") {
            assert!(read.get(id).is_none());
            continue;
        }
        // EF.CardSecurity is read exactly when PACE-CAM needs its key (fewest APDUs).
        if id == cccd::lds::FileId::CardSecurity {
            let cam = read
                .meta
                .pace
                .as_ref()
                .is_some_and(|p| p.name.contains("_cam_"));
            assert_eq!(read.get(id).is_some(), cam, "{what}: EF.CardSecurity");
            if !cam {
                continue;
            }
        }
        let got = read
            .get(id)
            .unwrap_or_else(|| panic!("{what}: {id} not read"));
        assert_eq!(got, bytes, "{what}: {id} differs");
        n += 1;
    }
    // A card without a face (a Căn cước child under 6) has no DG2: one file fewer.
    let has_dg2 = dump
        .get(cccd::lds::FileId::Dg(cccd::lds::DataGroup::Dg2))
        .is_some();
    let least = if has_dg2 { 7 } else { 6 };
    assert!(n >= least, "{what}: only {n} files");
    // DG3 (listed in EF.COM on real-layout cards) is EAC-protected: never read.
    assert!(
        read.get(cccd::lds::FileId::Dg(cccd::lds::DataGroup::Dg3))
            .is_none(),
        "{what}: DG3 read"
    );
}

#[test]
fn every_valid_card_reads_back_identically_with_bac_and_pace() {
    let cards = valid_cards();
    assert!(cards.len() >= 10);
    for card in &cards {
        let dir = card.dir.as_str();
        let mrz = AccessKey::from_mrz(card.mrz.as_str()).unwrap();
        let can = Can::new(card.can.as_str()).unwrap();

        let (dump, got, access) = read(card, Profile::BacOnly, &AccessKeys::from_key(mrz.clone()));
        assert_eq!(access, AccessProtocol::Bac);
        assert_identical(&dump, &got, &format!("{dir} BAC"));

        let (dump, got, access) = read(
            card,
            Profile::Cccd2021,
            &AccessKeys::from_key(AccessKey::Can(can)),
        );
        assert_eq!(access, AccessProtocol::PaceCan);
        assert_identical(&dump, &got, &format!("{dir} PACE-CAN"));

        let (dump, got, access) = read(card, Profile::PaceOnly, &AccessKeys::from_key(mrz));
        assert_eq!(access, AccessProtocol::PaceMrz);
        assert_identical(&dump, &got, &format!("{dir} PACE-MRZ"));
    }
}
