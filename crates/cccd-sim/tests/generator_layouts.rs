//! The sample cards' byte layouts, by their manifest entry: the real-card DG13 layout
//! (CARD-FACTS), the legacy variant kept on one card, the assumed thin 2024 layout, and the
//! 2024 Căn cước persons (adult, child under 6 without DG2, child under 14 with parents in
//! the QR).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failure

use cccd::document::Document;
use cccd::lds::dg13::{Dg13, Field};
use cccd::tlv::{Tag, Tlv, Tlvs};
use cccd_testkit::{CardEntry, cards, testdata};

const UTF8: Tag = Tag::new(0x0C);
const PRINTABLE: Tag = Tag::new(0x13);
const SEQUENCE: Tag = Tag::new(0x30);

/// The tags of the TLVs in `raw`, and their values.
fn tlvs(raw: &[u8]) -> Vec<(Tag, Vec<u8>)> {
    Tlvs::new(raw)
        .map(|t| {
            let t: Tlv<'_> = t.unwrap();
            (t.tag(), t.value().to_vec())
        })
        .collect()
}

fn raw_of(g: &Dg13, index: u32) -> Option<Vec<u8>> {
    let typed: Option<&[u8]> = match index {
        1 => g.id_number.as_ref().map(Field::raw),
        2 => g.full_name.as_ref().map(Field::raw),
        3 => g.date_of_birth.as_ref().map(Field::raw),
        4 => g.sex.as_ref().map(Field::raw),
        5 => g.nationality.as_ref().map(Field::raw),
        6 => g.ethnicity.as_ref().map(Field::raw),
        7 => g.religion.as_ref().map(Field::raw),
        8 => g.place_of_origin.as_ref().map(Field::raw),
        9 => g.place_of_residence.as_ref().map(Field::raw),
        10 => g.identifying_marks.as_ref().map(Field::raw),
        11 => g.date_of_issue.as_ref().map(Field::raw),
        12 => g.date_of_expiry.as_ref().map(Field::raw),
        13 => g.parents.as_ref().map(Field::raw),
        14 => g.spouse.as_ref().map(Field::raw),
        _ => g.other_entry(index).map(|e| e.raw.as_slice()),
    };
    typed.map(<[u8]>::to_vec)
}

fn dg13(card: &CardEntry) -> Option<Dg13> {
    let dir = card.dir.as_str();
    if dir.contains("truncated") {
        return None;
    }
    let doc = Document::load(testdata().join(dir)).unwrap();
    Some(doc.dg13().unwrap().unwrap())
}

#[test]
fn real_card_layout_string_types_per_index() {
    let mut seen = 0;
    for card in cards() {
        if card.dg13_layout.as_str() == "legacy-utf8" {
            continue;
        }
        let Some(g) = dg13(&card) else { continue };
        let dir = card.dir.as_str();
        for index in [1, 3, 11, 15, 16] {
            let Some(raw) = raw_of(&g, index) else {
                assert_eq!(index, 15, "{dir}: index {index} missing");
                continue;
            };
            let t = tlvs(&raw);
            assert_eq!(t.len(), 1, "{dir}: index {index}");
            assert_eq!(t[0].0, PRINTABLE, "{dir}: index {index}");
        }
        for index in [2, 4, 5, 6, 7, 8, 9, 10, 12] {
            let t = tlvs(&raw_of(&g, index).unwrap());
            assert_eq!(t.len(), 1, "{dir}: index {index}");
            assert_eq!(t[0].0, UTF8, "{dir}: index {index}");
        }
        // Parents: two SEQUENCEs after the index, one UTF8String each.
        let parents = tlvs(&raw_of(&g, 13).unwrap());
        assert_eq!(parents.len(), 2, "{dir}: parents");
        for (tag, inner) in &parents {
            assert_eq!(*tag, SEQUENCE, "{dir}");
            let names = tlvs(inner);
            assert_eq!(names.len(), 1, "{dir}");
            assert_eq!(names[0].0, UTF8, "{dir}");
        }
        // Spouse: the index alone when there is none.
        let spouse = raw_of(&g, 14).unwrap();
        let has_spouse = g.spouse.as_ref().unwrap().value().is_some();
        assert_eq!(spouse.is_empty(), !has_spouse, "{dir}: spouse");
        // 15: the previous document number; 16: a 16-character code.
        assert_eq!(
            g.previous_document_number().as_deref(),
            card.dg13_previous_document_number.as_deref(),
            "{dir}"
        );
        if let Some(p) = g.previous_document_number() {
            assert!(
                (p.len() == 9 || p.len() == 12) && p.bytes().all(|b| b.is_ascii_digit()),
                "{dir}: previous number shape"
            );
        }
        let code = g.index16().unwrap().texts();
        assert_eq!(
            code,
            [card
                .dg13_index_16
                .as_deref()
                .expect("index 16 in the manifest")],
            "{dir}"
        );
        assert_eq!(code[0].len(), 16, "{dir}");
        seen += 1;
    }
    assert!(seen >= 20, "only {seen} real-layout cards");
}

#[test]
fn one_card_keeps_the_legacy_layout() {
    let legacy: Vec<_> = cards()
        .into_iter()
        .filter(|c| c.dg13_layout.as_str() == "legacy-utf8")
        .collect();
    assert!(!legacy.is_empty());
    for card in legacy {
        let dir = card.dir.as_str();
        let g = dg13(&card).unwrap();
        for index in 1..=12 {
            let t = tlvs(&raw_of(&g, index).unwrap());
            assert_eq!(t[0].0, UTF8, "{dir}: index {index}");
        }
        let parents = tlvs(&raw_of(&g, 13).unwrap());
        assert_eq!(parents.len(), 1, "{dir}: one SEQUENCE of two names");
        assert_eq!(tlvs(&parents[0].1).len(), 2, "{dir}");
        assert_eq!(tlvs(&raw_of(&g, 14).unwrap())[0].0, SEQUENCE, "{dir}");
        assert!(g.index16().is_none(), "{dir}");
        assert!(card.dg13_index_16.is_none(), "{dir}");
        let com: Vec<_> = card.ef_com_data_groups.clone();
        assert!(!com.iter().any(|d| d == "DG3"), "{dir}");
    }
}

#[test]
fn the_2024_persons_are_present_with_their_qr() {
    let cards = cards();
    let valid_2024: Vec<_> = cards
        .iter()
        .filter(|c| {
            c.generation.as_str() == "can-cuoc-2024" && c.expected_verdict.as_str() == "verified"
        })
        .collect();
    let age_at_issue = |c: &CardEntry| {
        let born: i32 = c.dob.as_str()[..4].parse().unwrap();
        let issued: i32 = c.date_of_issue.as_str()[..4].parse().unwrap();
        issued - born
    };
    let adult = valid_2024.iter().find(|c| age_at_issue(c) >= 18).unwrap();
    let under_6 = valid_2024
        .iter()
        .find(|c| c.face_format.as_str() == "none")
        .unwrap();
    assert!(age_at_issue(under_6) < 6);
    let under_14 = valid_2024
        .iter()
        .find(|c| c.qr_has_parents && c.face_format.as_str() != "none")
        .unwrap();
    assert!(age_at_issue(under_14) < 14);
    for c in [adult, under_6, under_14] {
        assert!(testdata().join(c.qr_png.as_str()).is_file());
        assert!(c.layout_is_assumption);
        let qr = cccd_qr::parse(c.qr_text.as_str()).unwrap();
        assert_eq!(qr.generation(), cccd_qr::CardGeneration::CanCuoc2024);
        assert_eq!(qr.parents().is_some(), c.qr_has_parents);
        let cancelled: Vec<&str> = c
            .qr_cancelled_id_numbers
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(qr.cancelled_id_numbers(), cancelled.as_slice());
    }
    // Some 2024 QR lists a cancelled number, and the chip records it at DG13 index 15.
    let with_cancelled = cards
        .iter()
        .find(|c| !c.qr_cancelled_id_numbers.is_empty())
        .unwrap();
    assert_eq!(
        Some(&with_cancelled.qr_cancelled_id_numbers[0]),
        with_cancelled.dg13_previous_document_number.as_ref()
    );
    // The thin 2024 layout keeps the entries a 2024 chip may hold encrypted empty.
    let g = dg13(under_6).unwrap();
    assert_eq!(under_6.dg13_layout.as_str(), "thin-2024-assumed");
    for f in [&g.ethnicity, &g.religion, &g.identifying_marks] {
        assert_eq!(f.as_ref().unwrap().value(), "");
    }
}
