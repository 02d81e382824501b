//! Verification of what changes with the 2024 Căn cước and the real-card DG13 layout: empty
//! DG13 entries, generation-dependent facts, a claimed number the card superseded, a QR from
//! the chipless certificate of identity, and a card without a face. All data is invented
//! (CARD-FACTS's example person: ID 001099000001, born 1999-01-01, male).

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use cccd::document::Document;
use cccd::lds::dg1::Dg1;
use cccd::lds::dg13::{Dg13, Expiry, Field, RawEntry, Sex};
use cccd::lds::{DataGroup, FileId};
use cccd::pki::TrustStore;
use cccd::tlv::{Tag, encode};
use cccd::verify::{ChipIdentity, Claims, NameMatch, Options, Report, Status, verify};
use cccd_qr::CardGeneration;
use time::macros::{date, datetime};

const MRZ: &str = "IDVNM0990000017001099000001<<8\n9901018M3901016VNM<<<<<<<<<<<4\nNGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";
const ID: &str = "001099000001";
const PREVIOUS_12: &str = "001099000777";

fn full_dg13() -> Dg13 {
    let mut d = Dg13::new();
    d.id_number = Some(Field::printable_value(ID).unwrap());
    d.full_name = Some(Field::text_value("Nguyễn Văn A"));
    d.date_of_birth = Some(Field::date_printable(date!(1999 - 01 - 01)));
    d.sex = Some(Field::sex(Sex::Male));
    d.date_of_issue = Some(Field::date_printable(date!(2024 - 08 - 01)));
    d.date_of_expiry = Some(Field::expiry(Expiry::Date(date!(2039 - 01 - 01))));
    d.other.push(RawEntry {
        index: 15,
        raw: encode(Tag::new(0x13), PREVIOUS_12.as_bytes()),
    });
    d
}

fn doc(dg13: &Dg13) -> Document {
    let mut doc = Document::new();
    doc.insert(
        FileId::Dg(DataGroup::Dg1),
        Dg1::from_mrz(MRZ).unwrap().encode(),
    );
    doc.insert(FileId::Dg(DataGroup::Dg13), dg13.encode());
    doc
}

fn run(doc: &Document, claims: &Claims, qr: Option<&cccd_qr::QrData>) -> Report {
    let options = Options::default()
        .at(datetime!(2025-06-01 12:00 UTC))
        .name_match(NameMatch::Strict);
    verify(doc, &TrustStore::new(), claims, qr, &options)
}

fn check<'a>(r: &'a Report, name: &str) -> &'a cccd::verify::Check {
    let id =
        cccd::verify::CheckId::from_name(name).unwrap_or_else(|| panic!("not a check: {name}"));
    r.check(id).unwrap_or_else(|| panic!("no check {name}"))
}

#[test]
fn empty_dg13_entries_are_not_compared_and_named() {
    let mut d = full_dg13();
    // A thin 2024 DG13: the ID and the sex entries present but empty.
    d.id_number = Some(Field::text_value(""));
    d.sex = Some(Field::sex_text(""));
    let r = run(&doc(&d), &Claims::default(), None);
    let c = check(&r, "dg1.matches.dg13");
    assert_eq!(c.status, Status::Pass, "{}", c.reason);
    assert!(c.reason.starts_with("3 fields agree"), "{}", c.reason);
    assert!(c.reason.contains("not compared"), "{}", c.reason);
    assert!(c.reason.contains("ID number"), "{}", c.reason);
    assert!(c.reason.contains("sex"), "{}", c.reason);
    // The ID then comes from the MRZ's optional data, not from the empty entry.
    let id = ChipIdentity::from_document(&doc(&d));
    assert_eq!(id.id_number().as_deref(), Some(ID));
}

#[test]
fn a_disagreement_still_fails_next_to_an_empty_entry() {
    let mut d = full_dg13();
    d.full_name = Some(Field::text_value(""));
    d.date_of_birth = Some(Field::date_printable(date!(1999 - 01 - 02)));
    let r = run(&doc(&d), &Claims::default(), None);
    let c = check(&r, "dg1.matches.dg13");
    assert_eq!(c.status, Status::Fail);
    assert!(
        c.reason.contains("disagree on: date of birth"),
        "{}",
        c.reason
    );
    assert!(c.reason.contains("not compared"), "{}", c.reason);
    assert!(c.reason.contains("name"), "{}", c.reason);
}

#[test]
fn the_generation_shows_in_the_chip_identity() {
    let id = ChipIdentity::from_document(&doc(&full_dg13()));
    assert_eq!(id.generation(), CardGeneration::CanCuoc2024);
    let mut d = full_dg13();
    d.date_of_issue = Some(Field::date_printable(date!(2021 - 08 - 01)));
    let id = ChipIdentity::from_document(&doc(&d));
    assert_eq!(id.generation(), CardGeneration::Cccd2021);
    d.date_of_issue = None;
    let id = ChipIdentity::from_document(&doc(&d));
    assert_eq!(id.generation(), CardGeneration::Unknown);
}

fn claim(id: &str) -> Claims {
    Claims {
        id_number: Some(id.into()),
        ..Claims::default()
    }
}

#[test]
fn a_previous_number_on_the_chip_is_superseded_not_matched() {
    let r = run(&doc(&full_dg13()), &claim(PREVIOUS_12), None);
    let c = check(&r, "claim.id_number");
    assert_eq!(c.status, Status::Warn);
    assert!(
        c.reason.contains("superseded by the card's current number"),
        "{}",
        c.reason
    );
    // The current number matches; any other number differs.
    let r = run(&doc(&full_dg13()), &claim(ID), None);
    assert_eq!(check(&r, "claim.id_number").status, Status::Pass);
    let r = run(&doc(&full_dg13()), &claim("001099000888"), None);
    assert_eq!(check(&r, "claim.id_number").status, Status::Fail);
}

#[test]
fn a_cancelled_number_in_the_qr_is_superseded() {
    let mut d = full_dg13();
    d.other.clear();
    let qr = cccd_qr::parse(&format!(
        "{ID}||Nguyễn Văn A|01011999|Nam|Số 1, Phố Huế, Hà Nội|01082024|001099000555"
    ))
    .unwrap();
    let r = run(&doc(&d), &claim("001099000555"), Some(&qr));
    let c = check(&r, "claim.id_number");
    assert_eq!(c.status, Status::Warn);
    assert!(c.reason.contains("superseded"), "{}", c.reason);
    assert!(c.reason.contains("QR"), "{}", c.reason);
    // Without the QR it is a plain mismatch.
    let r = run(&doc(&d), &claim("001099000555"), None);
    assert_eq!(check(&r, "claim.id_number").status, Status::Fail);
    // Another person's QR listing the number does not make it superseded for this card.
    let other = cccd_qr::parse(
        "001099000002||Nguyễn Văn B|01011999|Nam|Số 2, Phố Huế, Hà Nội|01082024|001099000555",
    )
    .unwrap();
    let r = run(&doc(&d), &claim("001099000555"), Some(&other));
    assert_eq!(check(&r, "claim.id_number").status, Status::Fail);
}

#[test]
fn a_certificate_of_identity_qr_is_reported_as_having_no_chip() {
    let qr = cccd_qr::parse(&format!(
        "{ID}|Nguyễn Văn A|01011999|Nam|Số 1, Phố Huế, Hà Nội|01082024|Chưa xác định quốc tịch"
    ))
    .unwrap();
    let r = run(&doc(&full_dg13()), &Claims::default(), Some(&qr));
    let c = check(&r, "qr.matches.chip");
    assert_eq!(c.status, Status::Fail);
    assert!(c.reason.contains("no chip"), "{}", c.reason);
}

#[test]
fn a_card_without_a_face_skips_the_face_with_a_reason() {
    // A SOD is needed to tell "no DG2 on the card" from "DG2 not read": use the sample
    // card of a child under 6 (testdata, generated).
    let doc = Document::load(cccd_testkit::testdata().join("cards/v11-an-child-no-photo")).unwrap();
    let r = run(&doc, &Claims::default(), None);
    let c = check(&r, "dg.hash.DG2");
    assert_eq!(c.status, Status::Skip);
    assert!(c.reason.contains("no face image"), "{}", c.reason);
    assert!(r.failures().is_empty(), "{:?}", r.failures());
    // A card whose SOD lists DG2 gets no such skip.
    let with_face = cccd_testkit::testdata().join("cards/v01-hung-ec-bp384");
    let r = run(
        &Document::load(with_face).unwrap(),
        &Claims::default(),
        None,
    );
    assert_eq!(check(&r, "dg.hash.DG2").status, Status::Pass);
}
