//! DG13 (Vietnam personal data): every container and value shape we know of, byte-exact
//! re-encoding, Vietnamese diacritics, and rejection of broken input.
//!
//! Fixtures are assembled here with the generic TLV writer (not the DG13 encoder), following the
//! layout in CARD-FACTS.md. All personal data is invented.

#![allow(clippy::unwrap_used, clippy::match_wildcard_for_single_variants)] // tests: a panic is a failure

use cccd::lds::dg13::{Dg13, Expiry, Field, Layout, Parents, Sex};
use cccd::lds::{DataGroup, FileId, LdsError};
use cccd::tlv::{Tag, encode};
use proptest::prelude::*;
use time::{Date, Month};

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
/// INTEGER 1 and OID 1.0.10646.1.0.8.
fn prefix() -> Vec<Vec<u8>> {
    vec![
        vec![0x02, 0x01, 0x01],
        vec![0x06, 0x06, 0x28, 0xD3, 0x16, 0x01, 0x00, 0x08],
    ]
}
fn dg13(container: Option<u8>, entries: &[Vec<u8>]) -> Vec<u8> {
    let mut body = prefix();
    match container {
        Some(tag) => body.push(encode(Tag::new(u32::from(tag)), &entries.concat())),
        None => body.extend_from_slice(entries),
    }
    encode(Tag::new(0x6D), &seq(&body))
}

fn shape_a() -> Vec<u8> {
    dg13(
        Some(0x31),
        &[
            entry(1, &[utf8("001099000001")]),
            entry(2, &[utf8("Nguyễn Văn Ánh")]),
            entry(3, &[utf8("01/01/1999")]),
            entry(4, &[utf8("Nam")]),
            entry(5, &[utf8("Việt Nam")]),
            entry(6, &[utf8("Kinh")]),
            entry(7, &[utf8("Không")]),
            entry(8, &[utf8("Xã Đông Hưng, Huyện Tiên Lữ, Hưng Yên")]),
            entry(9, &[utf8("Số 1, Phố Huế, Hà Nội")]),
            entry(10, &[utf8("Nốt ruồi C:2cm trên mép phải")]),
            entry(11, &[utf8("15/08/2021")]),
            entry(12, &[utf8("01/01/2039")]),
            entry(13, &[seq(&[utf8("Nguyễn Văn Bình"), utf8("Trần Thị Cúc")])]),
            entry(14, &[seq(&[utf8("Lê Thị Dung")])]),
            entry(15, &[utf8("123456789")]),
            entry(16, &[utf8("")]),
        ],
    )
}

#[test]
fn shape_a_set_container_all_fields() {
    let bytes = shape_a();
    let dg = Dg13::parse(&bytes).unwrap();
    assert_eq!(dg.layout(), Layout::Set);
    assert_eq!(dg.id_number.as_ref().unwrap().value(), "001099000001");
    assert_eq!(dg.full_name.as_ref().unwrap().value(), "Nguyễn Văn Ánh");
    assert_eq!(
        *dg.date_of_birth.as_ref().unwrap().value(),
        Some(Date::from_calendar_date(1999, Month::January, 1).unwrap())
    );
    assert_eq!(*dg.sex.as_ref().unwrap().value(), Some(Sex::Male));
    assert_eq!(dg.nationality.as_ref().unwrap().value(), "Việt Nam");
    assert_eq!(
        dg.place_of_residence.as_ref().unwrap().value(),
        "Số 1, Phố Huế, Hà Nội"
    );
    assert_eq!(
        *dg.date_of_expiry.as_ref().unwrap().value(),
        Expiry::Date(Date::from_calendar_date(2039, Month::January, 1).unwrap())
    );
    assert_eq!(
        *dg.parents.as_ref().unwrap().value(),
        Parents {
            father: Some("Nguyễn Văn Bình".into()),
            mother: Some("Trần Thị Cúc".into())
        }
    );
    assert_eq!(
        dg.spouse.as_ref().unwrap().value().as_deref(),
        Some("Lê Thị Dung")
    );
    assert_eq!(dg.other.len(), 2);
    assert_eq!(
        dg.other_entry(15).unwrap().texts(),
        vec!["123456789".to_string()]
    );
    assert_eq!(dg.encode(), bytes, "byte-exact re-encode");
    // Debug must not leak personal data.
    let dbg = format!("{dg:?}");
    assert!(!dbg.contains("Nguy") && !dbg.contains("001099"), "{dbg}");
}

#[test]
fn shape_b_sequence_container_printable_flat_parents_empty_spouse_no_expiry() {
    let bytes = dg13(
        Some(0x30),
        &[
            entry(2, &[utf8("Phạm Thị Nữ")]),
            entry(1, &[printable("079199000002")]),
            entry(4, &[utf8("Nữ")]),
            entry(12, &[utf8("Không thời hạn")]),
            // 13 with the two names placed directly after the index.
            entry(13, &[utf8("Phạm Văn Em"), utf8("Đỗ Thị Gấm")]),
            // 14 with nothing after the index.
            entry(14, &[]),
        ],
    );
    let dg = Dg13::parse(&bytes).unwrap();
    assert_eq!(dg.layout(), Layout::Sequence);
    assert_eq!(dg.id_number.as_ref().unwrap().value(), "079199000002");
    assert_eq!(*dg.sex.as_ref().unwrap().value(), Some(Sex::Female));
    assert_eq!(
        *dg.date_of_expiry.as_ref().unwrap().value(),
        Expiry::NoExpiry("Không thời hạn".into())
    );
    let parents = dg.parents.as_ref().unwrap().value();
    assert_eq!(parents.mother.as_deref(), Some("Đỗ Thị Gấm"));
    assert_eq!(*dg.spouse.as_ref().unwrap().value(), None);
    assert_eq!(dg.indices(), vec![2, 1, 4, 12, 13, 14], "input order kept");
    assert_eq!(dg.encode(), bytes);
}

#[test]
fn shape_c_flat_nested_names_unknown_index_nfd_and_year_only_birth() {
    // "Nữ" in NFD: u + combining horn + combining tilde.
    let nfd_female = "Nu\u{31B}\u{303}";
    let bytes = dg13(
        None,
        &[
            entry(1, &[utf8("036150000003")]),
            entry(3, &[utf8("00/00/1950")]),
            entry(4, &[utf8(nfd_female)]),
            entry(
                13,
                &[seq(&[
                    seq(&[utf8("Vũ Văn Hải")]),
                    seq(&[utf8("Hồ Thị Hoa")]),
                ])],
            ),
            entry(14, &[seq(&[])]),
            entry(20, &[vec![0x04, 0x02, 0xAB, 0xCD]]),
            entry(16, &[utf8("X1")]),
        ],
    );
    let dg = Dg13::parse(&bytes).unwrap();
    assert_eq!(dg.layout(), Layout::Flat);
    assert_eq!(*dg.sex.as_ref().unwrap().value(), Some(Sex::Female));
    // A year-only birth date keeps its text and has no calendar date.
    let dob = dg.date_of_birth.as_ref().unwrap();
    assert_eq!(*dob.value(), None);
    assert_eq!(dob.text(), "00/00/1950");
    assert_eq!(
        dg.parents.as_ref().unwrap().value().father.as_deref(),
        Some("Vũ Văn Hải")
    );
    assert_eq!(*dg.spouse.as_ref().unwrap().value(), None);
    assert_eq!(
        dg.other_entry(20).unwrap().raw,
        vec![0x04, 0x02, 0xAB, 0xCD]
    );
    assert_eq!(dg.encode(), bytes);
}

#[test]
fn built_from_typed_fields_parses_back() {
    let mut dg = Dg13::new();
    dg.full_name = Some(Field::text_value("Đặng Thị Ửng"));
    dg.id_number = Some(Field::text_value("001099000001"));
    dg.sex = Some(Field::sex(Sex::Female));
    dg.date_of_issue = Some(Field::date(
        Date::from_calendar_date(2024, Month::July, 1).unwrap(),
    ));
    dg.date_of_expiry = Some(Field::expiry(Expiry::NoExpiry("Không thời hạn".into())));
    dg.parents = Some(Field::parents(Parents {
        father: Some("A".into()),
        mother: Some("Bà B".into()),
    }));
    dg.spouse = Some(Field::spouse(None));
    let bytes = dg.encode();
    let back = Dg13::parse(&bytes).unwrap();
    assert_eq!(
        back.indices(),
        vec![1, 2, 4, 11, 12, 13, 14],
        "ascending when built"
    );
    assert_eq!(back.full_name.as_ref().unwrap().value(), "Đặng Thị Ửng");
    assert_eq!(back.date_of_issue.as_ref().unwrap().text(), "01/07/2024");
    assert_eq!(back.encode(), bytes);
}

fn malformed_offset(e: &LdsError) -> usize {
    match e {
        LdsError::Malformed { file, offset, .. } => {
            assert_eq!(*file, FileId::Dg(DataGroup::Dg13));
            *offset
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn rejects_truncated_overlong_and_wrong_tag() {
    let bytes = shape_a();
    for cut in [0, 1, 2, 10, bytes.len() / 2, bytes.len() - 1] {
        let e = Dg13::parse(&bytes[..cut]).unwrap_err();
        let _ = malformed_offset(&e);
    }
    let mut long = bytes.clone();
    long.push(0x00);
    let e = Dg13::parse(&long).unwrap_err();
    assert_eq!(
        malformed_offset(&e),
        bytes.len(),
        "trailing byte reported where it is"
    );
    let mut wrong = bytes.clone();
    wrong[0] = 0x6C;
    assert_eq!(malformed_offset(&Dg13::parse(&wrong).unwrap_err()), 0);
    // An entry whose index is not an INTEGER.
    let bad = dg13(Some(0x31), &[seq(&[utf8("x"), utf8("y")])]);
    assert!(malformed_offset(&Dg13::parse(&bad).unwrap_err()) > 10);
    // Invalid UTF-8 inside a UTF8String.
    let bad = dg13(Some(0x31), &[entry(2, &[vec![0x0C, 0x02, 0xC3, 0x28]])]);
    assert!(Dg13::parse(&bad).is_err());
}

fn vn_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 ,/ăâđêôơưĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]{0,40}")
        .unwrap()
}

proptest! {
    #[test]
    fn roundtrip_byte_exact(
        texts in proptest::collection::vec((1u8..=30, vn_text(), any::<bool>()), 0..20),
        container in prop_oneof![Just(Some(0x31u8)), Just(Some(0x30u8)), Just(None)],
    ) {
        let entries: Vec<Vec<u8>> = texts
            .iter()
            .map(|(n, s, nested)| {
                if *nested { entry(*n, &[seq(&[utf8(s), utf8(s)])]) } else { entry(*n, &[utf8(s)]) }
            })
            .collect();
        let bytes = dg13(container, &entries);
        let dg = Dg13::parse(&bytes).unwrap();
        prop_assert_eq!(dg.encode(), bytes);
        prop_assert_eq!(dg.indices(), texts.iter().map(|t| u32::from(t.0)).collect::<Vec<_>>());
    }

    #[test]
    fn typed_fields_roundtrip(name in vn_text(), place in vn_text()) {
        let mut dg = Dg13::new();
        dg.full_name = Some(Field::text_value(&name));
        dg.place_of_origin = Some(Field::text_value(&place));
        let back = Dg13::parse(&dg.encode()).unwrap();
        prop_assert_eq!(back.full_name.as_ref().unwrap().value(), &name);
        prop_assert_eq!(back.place_of_origin.as_ref().unwrap().value(), &place);
        prop_assert_eq!(back.encode(), dg.encode());
    }

    #[test]
    fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = Dg13::parse(&data);
    }
}
