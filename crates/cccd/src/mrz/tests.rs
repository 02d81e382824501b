//! MRZ tests. Specimens: ICAO Doc 9303 Part 4 (TD3, "ANNA MARIA ERIKSSON"), Part 5 (TD1),
//! Part 11 Appendix D.2 (BAC MRZ information "L898902C<369080619406236" and its Kseed);
//! the Vietnamese example is the fake MRZ of CARD-FACTS.
#![allow(clippy::unwrap_used)]

use super::expiry::{NO_EXPIRY_ENCODINGS, candidates};
use super::*;
use hex_literal::hex;
use time::macros::date;

const VN: &str = "IDVNM0990000017001099000001<<8\n9901018M3901016VNM<<<<<<<<<<<4\nNGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";
const TD1: [&str; 3] = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
];
const TD3: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];

#[test]
fn check_digits_of_icao_examples() {
    // ICAO 9303-3 §4.9 worked values: L898902C3 -> 6, 740812 -> 2, 120415 -> 9.
    assert_eq!(check_digit("L898902C3"), Some(6));
    assert_eq!(check_digit("740812"), Some(2));
    assert_eq!(check_digit("120415"), Some(9));
    assert_eq!(check_digit("<<<<"), Some(0));
    assert_eq!(check_digit("ab"), None);
}

#[test]
fn vietnamese_example_parses_with_every_check_valid() {
    let mrz = Mrz::parse(VN).unwrap();
    assert_eq!(mrz.format, MrzFormat::Td1);
    assert!(mrz.checks.all_valid(), "{:?}", mrz.checks.failures());
    assert_eq!(mrz.checks.iter().count(), 5);
    assert!(mrz.checks.vietnam_id_number.unwrap().valid);
    assert_eq!(mrz.document_code, "ID");
    assert_eq!(mrz.issuing_state, "VNM");
    assert_eq!(mrz.document_number, "099000001");
    assert_eq!(mrz.vn_id_number.as_deref(), Some("001099000001"));
    assert_eq!(mrz.optional_data_1, "001099000001<<8");
    assert_eq!(mrz.date_of_birth, "990101");
    assert_eq!(mrz.sex, 'M');
    assert_eq!(mrz.date_of_expiry, "390101");
    assert_eq!(mrz.nationality, "VNM");
    assert_eq!(mrz.primary_identifier, "NGUYEN");
    assert_eq!(mrz.secondary_identifier, "VAN A");
    assert_eq!(*mrz.bac_key().information(), "099000001799010183901016");
}

#[test]
fn vietnamese_example_is_formatted_back_exactly() {
    let lines = vietnam_td1("001099000001", "990101", 'M', "390101", "NGUYEN", "VAN A").unwrap();
    assert_eq!(lines.join("\n"), VN);
    assert!(vietnam_td1("99000001", "990101", 'M', "390101", "A", "B").is_err());
}

#[test]
fn icao_td1_specimen() {
    let mrz = Mrz::parse(&TD1.join("\n")).unwrap();
    assert!(mrz.checks.all_valid(), "{:?}", mrz.checks.failures());
    assert_eq!(mrz.document_code, "I<");
    assert_eq!(mrz.document_number, "D23145890");
    assert_eq!(mrz.date_of_birth, "740812");
    assert_eq!(mrz.sex, 'F');
    assert_eq!(mrz.date_of_expiry, "120415");
    assert_eq!(mrz.primary_identifier, "ERIKSSON");
    assert_eq!(mrz.secondary_identifier, "ANNA MARIA");
    assert_eq!(mrz.vn_id_number, None);
    // Concatenated, with CRLF or spaces, it parses the same.
    assert_eq!(Mrz::parse(&TD1.concat()).unwrap(), mrz);
    assert_eq!(
        Mrz::parse(&format!(" {}\r\n{}\r\n{} \n", TD1[0], TD1[1], TD1[2])).unwrap(),
        mrz
    );
    let written = format_td1(&MrzFields {
        document_code: "I".into(),
        issuing_state: "UTO".into(),
        document_number: "D23145890".into(),
        date_of_birth: "740812".into(),
        sex: 'F',
        date_of_expiry: "120415".into(),
        nationality: "UTO".into(),
        primary_identifier: "ERIKSSON".into(),
        secondary_identifier: "ANNA MARIA".into(),
        ..MrzFields::default()
    })
    .unwrap();
    assert_eq!(written, TD1.map(String::from));
}

#[test]
fn icao_td3_specimen() {
    let mrz = Mrz::parse(&TD3.join("\n")).unwrap();
    assert_eq!(mrz.format, MrzFormat::Td3);
    assert!(mrz.checks.all_valid(), "{:?}", mrz.checks.failures());
    assert!(mrz.checks.personal_number.unwrap().valid);
    assert_eq!(mrz.document_number, "L898902C3");
    assert_eq!(mrz.optional_data_1, "ZE184226B");
    assert_eq!(mrz.nationality, "UTO");
    let written = format_td3(&MrzFields {
        document_code: "P".into(),
        issuing_state: "UTO".into(),
        document_number: "L898902C3".into(),
        date_of_birth: "740812".into(),
        sex: 'F',
        date_of_expiry: "120415".into(),
        nationality: "UTO".into(),
        optional_data_1: "ZE184226B".into(),
        primary_identifier: "ERIKSSON".into(),
        secondary_identifier: "ANNA MARIA".into(),
        ..MrzFields::default()
    })
    .unwrap();
    assert_eq!(written, TD3.map(String::from));
}

#[test]
fn icao_d2_bac_key_seed() {
    // 9303-11 App. D.2: the older specimen, document number L898902C< (8 characters + filler).
    let mrz = Mrz::parse(&format!(
        "{}\nL898902C<3UTO6908061F9406236ZE184226B<<<<<14",
        TD3[0]
    ))
    .unwrap();
    assert!(mrz.checks.all_valid(), "{:?}", mrz.checks.failures());
    let key = mrz.bac_key();
    assert_eq!(*key.information(), "L898902C<369080619406236");
    assert_eq!(
        key.seed().as_bytes(),
        hex!("239AB9CB282DAF66231DC5A4DF6BFBAE")
    );
    // The same key from typed fields.
    let typed = BacKey::from_fields("l898902c", "690806", "940623").unwrap();
    assert_eq!(*typed.information(), "L898902C<369080619406236");
    assert_eq!(typed.seed(), key.seed());
}

#[test]
fn corrupted_check_digits_are_reported_by_name() {
    // DOB check digit 2 -> 3: the DOB check fails, and the composite (which covers it) too.
    let mrz = Mrz::parse(&format!(
        "{}\n7408123F1204159UTO<<<<<<<<<<<6\n{}",
        TD1[0], TD1[2]
    ))
    .unwrap();
    assert_eq!(
        mrz.checks.failures(),
        vec![CheckField::DateOfBirth, CheckField::Composite]
    );
    assert!(!mrz.checks.date_of_birth.valid);
    assert_eq!(mrz.checks.date_of_birth.computed, 2);
    assert_eq!(mrz.checks.date_of_birth.found, '3');
    // Only the composite digit wrong.
    let mrz = Mrz::parse(&format!(
        "{}\n7408122F1204159UTO<<<<<<<<<<<7\n{}",
        TD1[0], TD1[2]
    ))
    .unwrap();
    assert_eq!(mrz.checks.failures(), vec![CheckField::Composite]);
    // Expiry.
    let mrz = Mrz::parse(&format!(
        "{}\n7408122F1204158UTO<<<<<<<<<<<6\n{}",
        TD1[0], TD1[2]
    ))
    .unwrap();
    assert!(mrz.checks.failures().contains(&CheckField::DateOfExpiry));
    // Document number.
    let mrz = Mrz::parse(&format!(
        "I<UTOD231458908<<<<<<<<<<<<<<<\n{}\n{}",
        TD1[1], TD1[2]
    ))
    .unwrap();
    assert!(mrz.checks.failures().contains(&CheckField::DocumentNumber));
    // The Vietnamese ID check digit (8 -> 9).
    let vn = VN.replacen("<<8", "<<9", 1);
    let mrz = Mrz::parse(&vn).unwrap();
    assert!(mrz.checks.failures().contains(&CheckField::VietnamIdNumber));
    assert!(!mrz.checks.vietnam_id_number.unwrap().valid);
    // TD3 personal number.
    let mrz = Mrz::parse(&format!(
        "{}\nL898902C36UTO7408122F1204159ZE184226B<<<<<20",
        TD3[0]
    ))
    .unwrap();
    assert!(mrz.checks.failures().contains(&CheckField::PersonalNumber));
}

#[test]
fn long_td1_document_number_continues_in_optional_data() {
    // ICAO 9303-5 note j: D23145890123 (12 chars) -> 9 chars, '<', then "1233" (rest + check).
    let doc = "D23145890123";
    let cd = check_digit(doc).unwrap();
    let l1 = format!("I<UTOD23145890<123{cd}<<<<<<<<<<<");
    let mrz = Mrz::parse(&format!(
        "{l1}\n{}\n{}",
        "7408122F1204159UTO<<<<<<<<<<<0", TD1[2]
    ))
    .unwrap();
    assert_eq!(mrz.document_number, doc);
    assert!(mrz.checks.document_number.valid);
    assert_eq!(
        *mrz.bac_key().information(),
        format!("{doc}{cd}74081221204159")
    );
}

#[test]
fn shape_errors() {
    assert!(matches!(
        Mrz::parse("ABC"),
        Err(MrzError::Shape { lines: 1, .. })
    ));
    assert!(matches!(
        Mrz::parse(""),
        Err(MrzError::Shape { lines: 0, .. })
    ));
    let bad = VN.replacen("NGUYEN", "NGUYÊN", 1);
    assert!(matches!(
        Mrz::parse(&bad),
        Err(MrzError::InvalidCharacter {
            line: 3,
            column: 5,
            ..
        })
    ));
    let lower = VN.to_lowercase();
    assert!(matches!(
        Mrz::parse(&lower),
        Err(MrzError::InvalidCharacter {
            line: 1,
            column: 1,
            ..
        })
    ));
}

#[test]
fn access_keys_from_parts() {
    let from_mrz = AccessKey::from_mrz(VN).unwrap();
    let id: cccd_qr::IdNumber = "001099000001".parse().unwrap();
    let from_id = AccessKey::from_id(&id, date!(1999 - 01 - 01), date!(2039 - 01 - 01));
    let from_doc =
        AccessKey::from_document("099000001", date!(1999 - 01 - 01), date!(2039 - 01 - 01))
            .unwrap();
    let (AccessKey::Mrz(a), AccessKey::Mrz(b), AccessKey::Mrz(c)) =
        (&from_mrz, &from_id, &from_doc)
    else {
        panic!("expected MRZ keys");
    };
    assert_eq!(a.information(), b.information());
    assert_eq!(a.information(), c.information());
    assert_eq!(b.source(), KeySource::IdNumber);
    assert_eq!(
        c.source(),
        KeySource::Document {
            looked_like_id_number: false
        }
    );
    let wrong = BacKey::from_fields("001099000001", "990101", "390101").unwrap();
    assert_eq!(
        wrong.source(),
        KeySource::Document {
            looked_like_id_number: true
        }
    );
    // A malformed ID number is refused where the text is parsed, with the typed error.
    assert_eq!(
        "99000001".parse::<cccd_qr::IdNumber>(),
        Err(cccd_qr::IdError::WrongLength { found: 8 })
    );
    assert!(BacKey::from_fields("0990", "9901", "390101").is_err());
    assert!(BacKey::from_fields("09 90-", "990101", "390101").is_err());
    // CAN: last 6 digits of the ID.
    assert_eq!(Can::from_id(&id), Can::new("000001").unwrap());
    assert_eq!(
        AccessKey::can("123456").unwrap().pace_secret().as_bytes(),
        b"123456"
    );
    assert!(AccessKey::can("12a456").is_err());
    assert!(AccessKey::can("").is_err());
    // Nothing personal in Debug.
    let shown = format!(
        "{from_mrz:?} {:?} {:?}",
        Can::new("123456").unwrap(),
        Mrz::parse(VN).unwrap()
    );
    assert!(
        !shown.contains("0990") && !shown.contains("123456") && !shown.contains("NGUYEN"),
        "{shown}"
    );
}

#[test]
fn id_and_dob_candidates_find_the_example_key_first() {
    let id: cccd_qr::IdNumber = "001099000001".parse().unwrap();
    let keys = AccessKey::from_id_and_dob(&id, date!(1999 - 01 - 01), date!(2026 - 11 - 24));
    let AccessKey::Mrz(expected) = AccessKey::from_mrz(VN).unwrap() else {
        panic!()
    };
    assert_eq!(keys[0].information(), expected.information());
    assert_eq!(
        keys[0].source(),
        KeySource::IdAndBirthDate { age: Some(40) }
    );
    // The card issued before 2022 expired at 25 (2024-01-01): tried, but last.
    assert_eq!(keys.last().unwrap().date_of_expiry(), "240101");
    assert_eq!(keys.len(), 2);
}

fn encodings(dob: time::Date, today: time::Date) -> Vec<String> {
    candidates(dob, today)
        .into_iter()
        .map(|c| c.encoding)
        .collect()
}

#[test]
fn expiry_under_14_is_the_14th_birthday() {
    // Born 2015: no CCCD before 14; a Căn cước (from 2024-07-01) runs to 14.
    let c = candidates(date!(2015 - 03 - 10), date!(2026 - 11 - 24));
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].encoding, "290310");
    assert_eq!(c[0].age, Some(14));
    // Before 2024-07-01 a child had no chip card at all.
    assert!(candidates(date!(2015 - 03 - 10), date!(2024 - 01 - 01)).is_empty());
}

#[test]
fn expiry_between_14_and_25() {
    assert_eq!(
        encodings(date!(2005 - 06 - 15), date!(2026 - 11 - 24)),
        ["300615"]
    );
    // 12 years old in 2024-10: issued within 2 years of 14 -> runs to 25.
    assert_eq!(
        encodings(date!(2012 - 03 - 01), date!(2024 - 10 - 01)),
        ["370301"]
    );
}

#[test]
fn expiry_at_24_may_already_run_to_40() {
    // 24 now: issued before 2025-01-20 -> 25; after (within 2 years of 25) -> 40.
    let c = candidates(date!(2002 - 01 - 20), date!(2026 - 11 - 24));
    assert_eq!(
        c.iter().map(|c| c.encoding.as_str()).collect::<Vec<_>>(),
        ["270120", "420120"]
    );
    assert!(c[0].weight > c[1].weight);
    // Right after the window opens, the 25 card is far more likely...
    assert_eq!(
        encodings(date!(2002 - 01 - 20), date!(2025 - 02 - 01)),
        ["270120", "420120"]
    );
}

#[test]
fn expiry_between_40_and_60() {
    assert_eq!(
        encodings(date!(1975 - 08 - 01), date!(2026 - 11 - 24)),
        ["350801"]
    );
    // 38 in 2021: some cards run to 40 (expired), later ones to 60.
    let c = candidates(date!(1983 - 05 - 05), date!(2026 - 11 - 24));
    assert_eq!(c[0].encoding, "430505");
    assert_eq!(c.last().unwrap().encoding, "230505");
    assert!(c.last().unwrap().expired);
}

#[test]
fn expiry_over_60_tries_the_no_expiry_encodings() {
    let c = candidates(date!(1950 - 05 - 05), date!(2026 - 11 - 24));
    assert_eq!(
        c.iter().map(|c| c.encoding.as_str()).collect::<Vec<_>>(),
        NO_EXPIRY_ENCODINGS
    );
    assert!(c.iter().all(|c| c.age.is_none() && c.date.is_none()));
    // 62 now: issued at 58+ -> no expiry (most days); before -> expired at 60, tried last.
    let c = candidates(date!(1964 - 03 - 01), date!(2026 - 11 - 24));
    assert_eq!(c[0].encoding, "991231");
    assert_eq!(c.last().unwrap().encoding, "240301");
    // Every candidate makes a valid BAC key.
    let id: cccd_qr::IdNumber = "001064000001".parse().unwrap();
    let keys = AccessKey::from_id_and_dob(&id, date!(1964 - 03 - 01), date!(2026 - 11 - 24));
    assert_eq!(keys.len(), 5);
    assert_eq!(keys[1].date_of_expiry(), "<<<<<<");
}

#[test]
fn leap_day_birthdays_offer_both_dates() {
    let e = encodings(date!(2004 - 02 - 29), date!(2026 - 11 - 24));
    assert!(
        e.contains(&"290228".to_string()) && e.contains(&"290301".to_string()),
        "{e:?}"
    );
}

proptest::proptest! {
    #[test]
    fn parse_never_panics(s in "[A-Z0-9<\n]{0,100}") {
        let _ = Mrz::parse(&s);
    }

    #[test]
    fn td1_round_trip(id in "[0-9]{12}", dob in "[0-9]{6}", exp in "[0-9]{6}", name in "[A-Z]{1,10}") {
        let lines = vietnam_td1(&id, &dob, 'F', &exp, &name, "THI").unwrap();
        let mrz = Mrz::parse(&lines.join("\n")).unwrap();
        proptest::prop_assert!(mrz.checks.all_valid());
        proptest::prop_assert_eq!(mrz.vn_id_number.as_deref(), Some(id.as_str()));
        proptest::prop_assert_eq!(mrz.document_number, id[3..].to_string());
    }
}
