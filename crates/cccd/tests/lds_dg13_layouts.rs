//! DG13 in the byte layout real cards use (CARD-FACTS "The byte layout real cards use"):
//! the encoders write it, the parser reads it, and indices 15, 16 and unknown ones are kept
//! and reachable. Fixtures are assembled with the generic TLV writer. All data is invented.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use cccd::lds::dg13::{Dg13, Field, Parents, is_printable_string, labels};
use cccd::tlv::{Tag, Tlv, encode};
use cccd_qr::CardGeneration;
use time::macros::date;

fn utf8(s: &str) -> Vec<u8> {
    encode(Tag::new(0x0C), s.as_bytes())
}
fn printable(s: &str) -> Vec<u8> {
    encode(Tag::new(0x13), s.as_bytes())
}
fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    encode(Tag::new(0x30), &parts.concat())
}
fn entry(n: u8, value: &[Vec<u8>]) -> Vec<u8> {
    let mut parts = vec![vec![0x02, 0x01, n]];
    parts.extend_from_slice(value);
    seq(&parts)
}
fn dg13(entries: &[Vec<u8>]) -> Vec<u8> {
    let body = [
        vec![0x02, 0x01, 0x01],
        vec![0x06, 0x06, 0x28, 0xD3, 0x16, 0x01, 0x00, 0x08],
        encode(Tag::new(0x31), &entries.concat()),
    ];
    encode(Tag::new(0x6D), &seq(&body))
}

/// A DG13 as a real card lays it out.
fn real_card() -> Vec<u8> {
    dg13(&[
        entry(1, &[printable("001099000001")]),
        entry(2, &[utf8("Nguyễn Văn Ánh")]),
        entry(3, &[printable("01/01/1999")]),
        entry(4, &[utf8("Nam")]),
        entry(11, &[printable("15/08/2021")]),
        entry(
            13,
            &[seq(&[utf8("Nguyễn Văn Bố")]), seq(&[utf8("Lê Thị Mẹ")])],
        ),
        entry(14, &[]),
        entry(15, &[printable("123456789")]),
        entry(16, &[printable("0A1B2C3D4E5F6071")]),
        entry(21, &[utf8("future field")]),
    ])
}

#[test]
fn reads_the_real_card_layout() {
    let d = Dg13::parse(&real_card()).unwrap();
    assert_eq!(d.id_number.as_ref().unwrap().value(), "001099000001");
    assert_eq!(
        *d.date_of_birth.as_ref().unwrap().value(),
        Some(date!(1999 - 01 - 01))
    );
    assert_eq!(
        *d.date_of_issue.as_ref().unwrap().value(),
        Some(date!(2021 - 08 - 15))
    );
    let parents = d.parents.as_ref().unwrap().value();
    assert_eq!(parents.father.as_deref(), Some("Nguyễn Văn Bố"));
    assert_eq!(parents.mother.as_deref(), Some("Lê Thị Mẹ"));
    // The index alone: a spouse entry that states no spouse.
    assert_eq!(*d.spouse.as_ref().unwrap().value(), None);
    assert_eq!(d.previous_document_number().as_deref(), Some("123456789"));
    assert_eq!(d.index16().unwrap().texts(), ["0A1B2C3D4E5F6071"]);
    let unknown = d.unknown_entries();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].index, 21);
    assert_eq!(unknown[0].texts(), ["future field"]);
    // Byte for byte.
    assert_eq!(d.encode(), real_card());
}

#[test]
fn encoders_write_the_real_card_layout() {
    let mut d = Dg13::new();
    d.id_number = Some(Field::printable_value("001099000001").unwrap());
    d.date_of_birth = Some(Field::date_printable(date!(1999 - 01 - 01)));
    d.parents = Some(Field::parents_two_sequences(Parents {
        father: Some("Nguyễn Văn Bố".into()),
        mother: Some("Lê Thị Mẹ".into()),
    }));
    d.spouse = Some(Field::spouse_or_index_only(None));
    assert_eq!(
        d.id_number.as_ref().unwrap().raw(),
        printable("001099000001")
    );
    assert_eq!(
        d.date_of_birth.as_ref().unwrap().raw(),
        printable("01/01/1999")
    );
    assert_eq!(
        d.parents.as_ref().unwrap().raw(),
        [seq(&[utf8("Nguyễn Văn Bố")]), seq(&[utf8("Lê Thị Mẹ")])].concat()
    );
    assert!(d.spouse.as_ref().unwrap().raw().is_empty());
    assert_eq!(
        Field::spouse_or_index_only(Some("Trần Thị C")).raw(),
        seq(&[utf8("Trần Thị C")])
    );
    // The encoding parses back to the same values.
    let back = Dg13::parse(&d.encode()).unwrap();
    assert_eq!(back.encode(), d.encode());
    assert_eq!(back.id_number, d.id_number);
    assert_eq!(back.date_of_birth, d.date_of_birth);
    assert_eq!(back.parents, d.parents);
    assert_eq!(back.spouse, d.spouse);
    // Only the entry's own tag is PrintableString: the ID's value TLV is tag 13.
    let (tlv, _) = Tlv::parse(d.id_number.as_ref().unwrap().raw()).unwrap();
    assert_eq!(tlv.tag(), Tag::new(0x13));
}

#[test]
fn printable_string_refuses_what_it_cannot_hold() {
    assert!(is_printable_string("01/01/1999"));
    assert!(!is_printable_string("Nguyễn"));
    assert!(!is_printable_string("a@b"));
    assert!(Field::printable_value("Nguyễn").is_none());
}

#[test]
fn single_sequence_parents_variant_still_reads() {
    let d = Dg13::parse(&dg13(&[entry(
        13,
        &[seq(&[utf8("Nguyễn Văn Bố"), utf8("Lê Thị Mẹ")])],
    )]))
    .unwrap();
    let p = d.parents.unwrap();
    assert_eq!(p.value().mother.as_deref(), Some("Lê Thị Mẹ"));
}

#[test]
fn dates_in_both_forms() {
    for text in ["05/03/2015", "05032015"] {
        let d = Dg13::parse(&dg13(&[entry(3, &[printable(text)])])).unwrap();
        assert_eq!(
            *d.date_of_birth.unwrap().value(),
            Some(date!(2015 - 03 - 05)),
            "{text}"
        );
    }
}

#[test]
fn empty_entries_of_a_thin_2024_card_read() {
    let d = Dg13::parse(&dg13(&[
        entry(1, &[printable("048221000001")]),
        entry(6, &[utf8("")]),
        entry(7, &[]),
        entry(15, &[]),
    ]))
    .unwrap();
    assert_eq!(d.ethnicity.as_ref().unwrap().value(), "");
    assert_eq!(d.religion.as_ref().unwrap().value(), "");
    assert_eq!(d.previous_document_number(), None);
}

#[test]
fn labels_follow_the_generation_the_dg13_shows() {
    let mut d = Dg13::new();
    d.date_of_issue = Some(Field::date_printable(date!(2024 - 11 - 20)));
    let g = labels::generation(&d, None);
    assert_eq!(g, CardGeneration::CanCuoc2024);
    assert_eq!(labels::label(8, g), Some("Place of birth registration"));
    assert_eq!(labels::label(9, g), Some("Place of residence"));
    d.date_of_issue = Some(Field::date_printable(date!(2021 - 08 - 15)));
    let g = labels::generation(&d, None);
    assert_eq!(g, CardGeneration::Cccd2021);
    assert_eq!(labels::label(8, g), Some("Place of origin"));
}
