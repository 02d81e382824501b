//! The 12-digit ID number: structure, every century digit, provinces, cross-checks.
//! Expected values come from the rules in CARD-FACTS.md, written out by hand.

use cccd_qr::{IdError, IdNumber, PROVINCES, Sex, province_name};
use time::macros::date;

#[test]
fn every_century_digit() {
    // (4th digit, century, sex) per CARD-FACTS.md.
    let table = [
        (0, 1900, Sex::Male),
        (1, 1900, Sex::Female),
        (2, 2000, Sex::Male),
        (3, 2000, Sex::Female),
        (4, 2100, Sex::Male),
        (5, 2100, Sex::Female),
        (6, 2200, Sex::Male),
        (7, 2200, Sex::Female),
        (8, 2300, Sex::Male),
        (9, 2300, Sex::Female),
    ];
    for (digit, century, sex) in table {
        let id = IdNumber::parse(&format!("079{digit}47123456")).unwrap();
        assert_eq!(id.century(), century, "digit {digit}");
        assert_eq!(id.sex(), sex, "digit {digit}");
        assert_eq!(id.birth_year(), century + 47, "digit {digit}");
    }
}

#[test]
fn explains_a_number() {
    let id: IdNumber = "079190012345".parse().unwrap();
    let e = id.explain();
    assert_eq!(e.province_code, "079");
    assert_eq!(e.province, "Hồ Chí Minh");
    assert_eq!(e.century, 1900);
    assert_eq!(e.sex, Sex::Female);
    assert_eq!(e.birth_year, 1990);
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["province_code"], "079");
    assert_eq!(json["sex"], "female");
}

#[test]
fn can_is_the_last_six_digits() {
    assert_eq!(IdNumber::parse("001099000001").unwrap().can(), "000001");
}

#[test]
fn document_number_is_the_last_nine_digits() {
    // CARD-FACTS.md's MRZ example: ID 001099000001 → document number 099000001.
    let id = IdNumber::parse("001099000001").unwrap();
    assert_eq!(id.document_number(), "099000001");
    assert_eq!(id.to_string(), "001099000001");
}

#[test]
fn consistent_with_matching_dob_and_sex() {
    let id = IdNumber::parse("001099000001").unwrap();
    assert_eq!(id.consistent_with(date!(1999 - 01 - 01), Sex::Male), Ok(()));
    let id = IdNumber::parse("048312345678").unwrap();
    assert_eq!(
        id.consistent_with(date!(2012 - 02 - 14), Sex::Female),
        Ok(())
    );
}

#[test]
fn inconsistent_year_only() {
    let id = IdNumber::parse("001099000001").unwrap();
    let err = id
        .consistent_with(date!(2099 - 01 - 01), Sex::Male)
        .unwrap_err();
    let m = err.birth_year.clone().unwrap();
    assert_eq!((m.id_number_says, m.other_says), (1999, 2099));
    assert!(err.sex.is_none());
    assert!(err.to_string().contains("1999"));
}

#[test]
fn inconsistent_sex_only() {
    let id = IdNumber::parse("001099000001").unwrap();
    let err = id
        .consistent_with(date!(1999 - 12 - 31), Sex::Female)
        .unwrap_err();
    assert!(err.birth_year.is_none());
    let m = err.sex.unwrap();
    assert_eq!((m.id_number_says, m.other_says), (Sex::Male, Sex::Female));
}

#[test]
fn inconsistent_both() {
    let id = IdNumber::parse("001099000001").unwrap();
    let err = id
        .consistent_with(date!(1998 - 01 - 01), Sex::Female)
        .unwrap_err();
    assert!(err.birth_year.is_some() && err.sex.is_some());
}

#[test]
fn named_provinces() {
    for (code, name) in [
        ("001", "Hà Nội"),
        ("079", "Hồ Chí Minh"),
        ("096", "Cà Mau"),
        ("048", "Đà Nẵng"),
        ("046", "Thừa Thiên Huế"),
        ("077", "Bà Rịa–Vũng Tàu"),
        ("011", "Điện Biên"),
    ] {
        let id = IdNumber::parse(&format!("{code}190000001")).unwrap();
        assert_eq!(id.province(), name, "{code}");
    }
}

#[test]
fn every_province_code_in_the_table_resolves() {
    assert_eq!(PROVINCES.len(), 63);
    for (code, name) in PROVINCES {
        let id = IdNumber::parse(&format!("{code:03}085000001")).unwrap();
        assert_eq!(id.province(), name);
        assert_eq!(id.province_code(), code);
    }
}

#[test]
fn codes_outside_the_table_are_unknown() {
    let known: Vec<u16> = PROVINCES.iter().map(|&(c, _)| c).collect();
    let mut unknown = 0;
    for code in 0u16..1000 {
        let result = IdNumber::parse(&format!("{code:03}085000001"));
        if known.contains(&code) {
            assert!(result.is_ok(), "{code}");
        } else {
            assert_eq!(
                result,
                Err(IdError::UnknownProvince {
                    code: format!("{code:03}")
                })
            );
            assert_eq!(province_name(code), None);
            unknown += 1;
        }
    }
    assert_eq!(unknown, 1000 - 63);
}

#[test]
fn code_003_is_unknown() {
    assert_eq!(
        IdNumber::parse("003190012345"),
        Err(IdError::UnknownProvince { code: "003".into() })
    );
}

#[test]
fn wrong_lengths_and_characters() {
    assert_eq!(
        IdNumber::parse("00119001234"),
        Err(IdError::WrongLength { found: 11 })
    );
    assert_eq!(IdNumber::parse(""), Err(IdError::WrongLength { found: 0 }));
    assert_eq!(
        IdNumber::parse("00119001234５"),
        Err(IdError::NotDigits { offset: 11 })
    );
    assert_eq!(
        IdNumber::parse("-01190012345"),
        Err(IdError::NotDigits { offset: 0 })
    );
}

#[test]
fn serializes_as_a_string() {
    let id = IdNumber::parse("096205000777").unwrap();
    assert_eq!(serde_json::to_string(&id).unwrap(), "\"096205000777\"");
}
