//! A real-layout sample card on the virtual chip answers as a real CCCD does: EF.COM lists
//! DG3, SELECT finds DG3 but READ BINARY answers 6982 (terminal authentication needed), DG11
//! is absent (6A82), and none of it disturbs the session. A legacy card's chip has no DG3.

#![allow(clippy::unwrap_used)]

use cccd::apdu::{Command, StatusWord};
use cccd::document::Document;
use cccd::lds::{DataGroup, FileId};
use cccd::mrz::AccessKey;
use cccd::session::{AccessKeys, ReadPlan, Session};
use cccd_sim::chip::{ChipConfig, SimTransport, VirtualChip};
use cccd_testkit::{CardEntry, cards, testdata};

fn card(layout: &str) -> CardEntry {
    cards()
        .into_iter()
        .find(|c| c.dg13_layout == layout && c.expected_verdict == "verified")
        .unwrap()
}

fn session(card: &CardEntry) -> Session<SimTransport> {
    let dir = card.dir.as_str();
    let dump = Document::load(testdata().join(dir)).unwrap();
    let name = dir.rsplit('/').next().unwrap();
    let chip = VirtualChip::from_document_with_keys(
        &dump,
        ChipConfig::default(),
        &testdata().join("secrets").join(name),
    )
    .unwrap();
    let key = AccessKey::from_mrz(card.mrz.as_str()).unwrap();
    Session::open(SimTransport::new(chip), &AccessKeys::from_key(key)).unwrap()
}

fn select(fid: u16) -> Command {
    Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(fid.to_be_bytes().to_vec())
}

#[test]
fn dg3_answers_6982_and_dg11_6a82_on_a_real_layout_card() {
    let card = card("real-card");
    let mut s = session(&card);
    let dg3_select = s.transmit(&select(0x0103)).unwrap().sw;
    let dg3_read = s
        .transmit(&Command::new(0x00, 0xB0, 0x00, 0x00).with_le(4))
        .unwrap()
        .sw;
    let dg11_select = s.transmit(&select(0x010B)).unwrap().sw;
    assert_eq!(dg3_select, StatusWord::Ok);
    assert_eq!(dg3_read, StatusWord::SecurityStatusNotSatisfied);
    assert_eq!(dg11_select, StatusWord::FileNotFound);
    // The session goes on: a plan with DG3 and DG11 reads the rest and skips those two.
    let plan = ReadPlan::files_only(vec![
        FileId::Com,
        FileId::Dg(DataGroup::Dg1),
        FileId::Dg(DataGroup::Dg3),
        FileId::Dg(DataGroup::Dg11),
        FileId::Dg(DataGroup::Dg13),
    ]);
    let doc = s.read(&plan, &mut |_| {}).unwrap();
    assert!(doc.dg(DataGroup::Dg3).is_none());
    assert!(doc.dg(DataGroup::Dg11).is_none());
    assert!(doc.dg1().unwrap().is_ok());
    assert!(doc.dg13().unwrap().is_ok());
    let com = doc.com().unwrap().unwrap();
    assert!(com.data_groups.contains(&DataGroup::Dg3));
}

#[test]
fn a_legacy_card_has_no_dg3() {
    let card = card("legacy-utf8");
    let mut s = session(&card);
    let sw = s.transmit(&select(0x0103)).unwrap().sw;
    assert_eq!(sw, StatusWord::FileNotFound);
}
