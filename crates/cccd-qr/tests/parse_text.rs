//! QR text parsing: realistic personas in both card generations, each scanner tolerance on
//! its own, and refusals with the exact error.

mod common;

use cccd_qr::{
    CardGeneration, DateError, ExtraField, FieldProblem, IdError, QrError, Sex, parse, parse_bytes,
};
use common::{ALL, ANH, BAO, DUC, HA, NAM, Persona};
use time::macros::date;

fn assert_persona(data: &cccd_qr::QrData, p: &Persona) {
    assert_eq!(data.id_number().as_str(), p.id);
    assert_eq!(data.full_name(), p.name);
    assert_eq!(data.date_of_birth(), p.dob_date);
    assert_eq!(data.sex(), p.sex);
    assert_eq!(data.residence(), Some(p.residence));
    assert_eq!(data.issue_date(), Some(p.issued_date));
    let cmnd = (!p.cmnd.is_empty()).then_some(p.cmnd);
    assert_eq!(data.old_id_number(), cmnd);
}

// ---------- realistic samples ----------

#[test]
fn every_persona_parses_in_the_2021_form() {
    for p in ALL {
        let data = parse(&p.qr_2021()).unwrap();
        assert_persona(&data, p);
        assert!(data.extra_fields().is_empty());
        assert!(data.check_consistency().is_ok(), "{}", p.id);
    }
}

#[test]
fn generation_is_told_by_issue_date() {
    assert_eq!(
        parse(&HA.qr_2021()).unwrap().generation(),
        CardGeneration::Cccd2021
    );
    assert_eq!(
        parse(&NAM.qr_2021()).unwrap().generation(),
        CardGeneration::Cccd2021
    );
    assert_eq!(
        parse(&ANH.qr_2021()).unwrap().generation(),
        CardGeneration::CanCuoc2024
    );
    // The last CCCD day and the first Căn cước day.
    let qr = |issued: &str| {
        format!(
            "{}|||{}|{}|{}|{}|{issued}",
            DUC.id, DUC.name, DUC.dob, DUC.sex_text, DUC.residence
        )
        .replacen("|||", "||", 1)
    };
    assert_eq!(
        parse(&qr("30062024")).unwrap().generation(),
        CardGeneration::Cccd2021
    );
    assert_eq!(
        parse(&qr("01072024")).unwrap().generation(),
        CardGeneration::CanCuoc2024
    );
}

#[test]
fn generation_unknown_without_issue_date() {
    let qr = format!(
        "{}|{}|{}|{}|{}|{}|",
        DUC.id, DUC.cmnd, DUC.name, DUC.dob, DUC.sex_text, DUC.residence
    );
    let data = parse(&qr).unwrap();
    assert_eq!(data.issue_date(), None);
    assert_eq!(data.generation(), CardGeneration::Unknown);
}

#[test]
fn can_cuoc_2021_order_with_parents_reads_them() {
    let qr = format!(
        "{}|{}|{}|{}|{}|{}|{}|Phạm Văn Bình|Võ Thị Lan",
        ANH.id, ANH.cmnd, ANH.name, ANH.dob, ANH.sex_text, ANH.residence, ANH.issued
    );
    let data = parse(&qr).unwrap();
    assert_persona(&data, &ANH);
    assert_eq!(data.generation(), CardGeneration::CanCuoc2024);
    // The parents' names are now understood: read as parents, no longer left as extras.
    let parents = data.parents().unwrap();
    assert_eq!(parents.father, "Phạm Văn Bình");
    assert_eq!(parents.mother.as_deref(), Some("Võ Thị Lan"));
    assert!(data.extra_fields().is_empty());
}

#[test]
fn can_cuoc_old_numbers_at_the_end() {
    // Hypothetical order: ID|name|DOB|sex|residence|issue|CMND|cancelled ID.
    let qr = format!(
        "{}|{}|{}|{}|{}|{}|{}|031095001111",
        BAO.id, BAO.name, BAO.dob, BAO.sex_text, BAO.residence, BAO.issued, BAO.cmnd
    );
    let data = parse(&qr).unwrap();
    assert_persona(&data, &BAO);
    assert_eq!(data.other_id_numbers(), ["031095001111"]);
    assert_eq!(data.generation(), CardGeneration::CanCuoc2024);
}

#[test]
fn can_cuoc_unknown_order_is_read_by_field_shape() {
    // Hypothetical order: ID|name|sex|issue|residence|DOB|CMND|cancelled ID|father|mother.
    let qr = format!(
        "{}|{}|{}|{}|{}|{}|{}|031095001111|Đặng Văn Hùng|Ngô Thị Mai",
        BAO.id, BAO.name, BAO.sex_text, BAO.issued, BAO.residence, BAO.dob, BAO.cmnd
    );
    let data = parse(&qr).unwrap();
    assert_persona(&data, &BAO);
    assert_eq!(data.other_id_numbers(), ["031095001111"]);
    assert_eq!(data.generation(), CardGeneration::CanCuoc2024);
    assert_eq!(data.cancelled_id_numbers(), ["031095001111"]);
    let parents = data.parents().unwrap();
    assert_eq!(parents.father, "Đặng Văn Hùng");
    assert_eq!(parents.mother.as_deref(), Some("Ngô Thị Mai"));
    assert!(data.extra_fields().is_empty());
}

#[test]
fn shape_mode_with_dob_first_and_residence_last() {
    let qr = format!(
        "{}|{}|{}|{}|{}|{}",
        ANH.id, ANH.dob, ANH.issued, ANH.sex_text, ANH.name, ANH.residence
    );
    let data = parse(&qr).unwrap();
    assert_persona(&data, &ANH);
}

#[test]
fn shape_mode_when_a_date_sits_in_the_cmnd_slot() {
    // Hypothetical order ID|DOB|name|issue|sex|residence: dates at 1 and 3 must not be taken
    // for the 2021 layout with an 8-digit CMND.
    let qr = format!(
        "{}|{}|{}|{}|{}|{}",
        ANH.id, ANH.dob, ANH.name, ANH.issued, ANH.sex_text, ANH.residence
    );
    assert_persona(&parse(&qr).unwrap(), &ANH);
}

#[test]
fn shape_mode_keeps_a_third_date() {
    let qr = format!(
        "{}|{}|{}|{}|{}|{}|14022026",
        ANH.id, ANH.name, ANH.sex_text, ANH.residence, ANH.dob, ANH.issued
    );
    let data = parse(&qr).unwrap();
    assert_persona(&data, &ANH);
    assert_eq!(
        data.extra_fields(),
        [ExtraField {
            index: 6,
            value: "14022026".into()
        }]
    );
}

#[test]
fn serializes_with_stable_snake_case_names_and_iso_dates() {
    let json = serde_json::to_value(parse(&DUC.qr_2021()).unwrap()).unwrap();
    assert_eq!(json["generation"], "cccd_2021");
    assert_eq!(json["residence"], DUC.residence);
    assert_eq!(json["id_number"], "079085001234");
    assert_eq!(json["old_id_number"], "025123456");
    assert_eq!(json["full_name"], "Trần Văn Đức");
    assert_eq!(json["date_of_birth"], "1985-08-17");
    assert_eq!(json["sex"], "male");
    assert_eq!(json["issue_date"], "2021-06-10");
    assert_eq!(json["extra_fields"], serde_json::json!([]));
    let json = serde_json::to_value(parse(&ANH.qr_2021()).unwrap()).unwrap();
    assert_eq!(json["generation"], "can_cuoc_2024");
    assert_eq!(json["old_id_number"], serde_json::Value::Null);
}

#[test]
fn debug_output_hides_personal_data() {
    let dbg = format!("{:?}", parse(&HA.qr_2021()).unwrap());
    assert!(!dbg.contains("Nguyễn"));
    assert!(!dbg.contains("012345"));
    assert!(!dbg.contains("Phố Huế"));
}

#[test]
fn inconsistent_qr_is_parsed_but_flagged() {
    // ID says female born 1990; the QR claims a man born 1991.
    let qr = format!(
        "{}|{}|{}|05031991|Nam|{}|{}",
        HA.id, HA.cmnd, HA.name, HA.residence, HA.issued
    );
    let err = parse(&qr).unwrap().check_consistency().unwrap_err();
    assert_eq!(
        err.birth_year.map(|m| (m.id_number_says, m.other_says)),
        Some((1990, 1991))
    );
    assert_eq!(
        err.sex.map(|m| (m.id_number_says, m.other_says)),
        Some((Sex::Female, Sex::Male))
    );
}

// ---------- tolerances, one each ----------

#[test]
fn tolerates_trailing_newline() {
    assert_persona(&parse(&format!("{}\n", HA.qr_2021())).unwrap(), &HA);
}

#[test]
fn tolerates_crlf() {
    assert_persona(&parse(&format!("{}\r\n", HA.qr_2021())).unwrap(), &HA);
}

#[test]
fn tolerates_line_breaks_inside_the_address() {
    let qr = HA.qr_2021().replace("Phố Huế, ", "Phố Huế,\r\n");
    assert_persona(&parse(&qr).unwrap(), &HA);
}

#[test]
fn tolerates_stray_spaces() {
    let qr = format!(
        "  {} | {} |  Nguyễn  Thị Thu   Hà |{} | {}\t|{}  | {} ",
        HA.id, HA.cmnd, HA.dob, HA.sex_text, HA.residence, HA.issued
    );
    assert_persona(&parse(&qr).unwrap(), &HA);
}

#[test]
fn tolerates_utf8_bom_in_text() {
    assert_persona(&parse(&format!("\u{feff}{}", HA.qr_2021())).unwrap(), &HA);
}

#[test]
fn tolerates_utf8_bom_in_bytes() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(HA.qr_2021().as_bytes());
    assert_persona(&parse_bytes(&bytes).unwrap(), &HA);
}

#[test]
fn normalises_nfd_to_nfc() {
    use unicode_normalization::UnicodeNormalization;
    let nfd: String = HA.qr_2021().nfd().collect();
    assert_ne!(nfd, HA.qr_2021(), "the sample must really differ in NFD");
    let data = parse(&nfd).unwrap();
    assert_persona(&data, &HA);
    assert_eq!(
        data.full_name().chars().count(),
        "Nguyễn Thị Thu Hà".chars().count()
    );
}

#[test]
fn repairs_latin1_mojibake_text() {
    // The UTF-8 bytes read as Windows-1252, as some scanner apps do.
    let mojibake: String = HA.qr_2021().bytes().map(cp1252_char).collect();
    assert!(mojibake.contains("Nguyá»…n"));
    assert_persona(&parse(&mojibake).unwrap(), &HA);
}

#[test]
fn repairs_double_mojibake() {
    let once: String = DUC.qr_2021().bytes().map(cp1252_char).collect();
    let twice: String = once.bytes().map(cp1252_char).collect();
    assert_persona(&parse(&twice).unwrap(), &DUC);
}

#[test]
fn reads_latin1_bytes_that_are_not_utf8() {
    // "Lê Hà" fits Latin-1: a scanner that re-encodes to Latin-1 sends 0xEA and 0xE0 bytes.
    let text = format!("{}||Lê Hà|{}|Nu|Xã Tân Hà, 12|{}", HA.id, HA.dob, HA.issued);
    let latin1: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    assert!(std::str::from_utf8(&latin1).is_err());
    let data = parse_bytes(&latin1).unwrap();
    assert_eq!(data.full_name(), "Lê Hà");
    assert_eq!(data.residence(), Some("Xã Tân Hà, 12"));
    assert_eq!(data.sex(), Sex::Female);
}

#[test]
fn reads_utf16_with_bom() {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(HA.qr_2021().encode_utf16().flat_map(u16::to_le_bytes));
    assert_persona(&parse_bytes(&bytes).unwrap(), &HA);
}

#[test]
fn tolerates_empty_cmnd_field() {
    let data = parse(&NAM.qr_2021()).unwrap();
    assert_eq!(data.old_id_number(), None);
    assert_persona(&data, &NAM);
}

#[test]
fn tolerates_missing_cmnd_field() {
    let qr = format!(
        "{}|{}|{}|{}|{}|{}",
        DUC.id, DUC.name, DUC.dob, DUC.sex_text, DUC.residence, DUC.issued
    );
    let data = parse(&qr).unwrap();
    assert_eq!(data.full_name(), DUC.name);
    assert_eq!(data.old_id_number(), None);
    assert_eq!(data.issue_date(), Some(DUC.issued_date));
}

#[test]
fn keeps_extra_trailing_fields() {
    let data = parse(&format!("{}|ABC-123|Ghi chú", DUC.qr_2021())).unwrap();
    assert_persona(&data, &DUC);
    assert_eq!(
        data.extra_fields(),
        [
            ExtraField {
                index: 7,
                value: "ABC-123".into()
            },
            ExtraField {
                index: 8,
                value: "Ghi chú".into()
            },
        ]
    );
}

#[test]
fn tolerates_trailing_separator() {
    let data = parse(&format!("{}|", DUC.qr_2021())).unwrap();
    assert_persona(&data, &DUC);
    assert!(data.extra_fields().is_empty());
}

#[test]
fn keeps_commas_in_addresses() {
    let data = parse(&DUC.qr_2021()).unwrap();
    assert_eq!(data.residence().map(|r| r.matches(',').count()), Some(3));
}

#[test]
fn sex_words_any_case_with_or_without_diacritics() {
    for (word, sex) in [
        ("NỮ", Sex::Female),
        ("nu", Sex::Female),
        ("Nu", Sex::Female),
        ("nữ", Sex::Female),
        ("NAM", Sex::Male),
        ("nam", Sex::Male),
        ("Nu\u{303}", Sex::Female),
    ] {
        let qr = format!(
            "{}|{}|{}|{}|{word}|{}|{}",
            HA.id, HA.cmnd, HA.name, HA.dob, HA.residence, HA.issued
        );
        assert_eq!(parse(&qr).unwrap().sex(), sex, "{word}");
    }
}

#[test]
fn dates_with_slashes() {
    let qr = format!(
        "{}|{}|{}|05/03/1990|Nữ|{}|20/04/2021",
        HA.id, HA.cmnd, HA.name, HA.residence
    );
    assert_persona(&parse(&qr).unwrap(), &HA);
}

#[test]
fn spaces_inside_the_id_number() {
    let qr = HA.qr_2021().replacen(HA.id, "001 190 012 345", 1);
    assert_eq!(parse(&qr).unwrap().id_number().as_str(), HA.id);
}

// ---------- refusals ----------

#[test]
fn refuses_empty_and_blank() {
    assert_eq!(parse(""), Err(QrError::Empty));
    assert_eq!(parse(" \r\n\t\u{feff}"), Err(QrError::Empty));
    assert_eq!(parse_bytes(b""), Err(QrError::Empty));
}

#[test]
fn refuses_too_few_fields() {
    let qr = format!("{}|{}|{}", HA.id, HA.name, HA.dob);
    assert_eq!(parse(&qr), Err(QrError::FieldCount { found: 3, min: 6 }));
}

#[test]
fn refuses_other_qr_codes() {
    assert_eq!(parse("https://example.com/?a=1"), Err(QrError::NotACardQr));
    assert_eq!(
        parse("WIFI:S:home|T:WPA|P:x|||||"),
        Err(QrError::NotACardQr)
    );
}

#[test]
fn refuses_31_february() {
    let qr = format!(
        "{}|{}|{}|31021990|Nữ|{}|{}",
        HA.id, HA.cmnd, HA.name, HA.residence, HA.issued
    );
    assert_eq!(
        parse(&qr),
        Err(QrError::BadField {
            index: 3,
            field: "date_of_birth",
            reason: FieldProblem::Date(DateError::NoSuchDay {
                day: 31,
                month: 2,
                year: 1990
            }),
        })
    );
}

#[test]
fn refuses_bad_issue_date() {
    let qr = format!(
        "{}|{}|{}|{}|Nữ|{}|20132021",
        HA.id, HA.cmnd, HA.name, HA.dob, HA.residence
    );
    assert!(matches!(
        parse(&qr),
        Err(QrError::BadField {
            index: 6,
            field: "issue_date",
            reason: FieldProblem::Date(DateError::NoSuchDay { .. })
        })
    ));
}

#[test]
fn refuses_bad_sex() {
    let qr = format!(
        "{}|{}|{}|{}|X|{}|{}",
        HA.id, HA.cmnd, HA.name, HA.dob, HA.residence, HA.issued
    );
    assert_eq!(
        parse(&qr),
        Err(QrError::BadField {
            index: 4,
            field: "sex",
            reason: FieldProblem::NotASex
        })
    );
}

#[test]
fn refuses_11_digit_id() {
    let qr = HA.qr_2021().replacen(HA.id, "00119001234", 1);
    assert_eq!(
        parse(&qr),
        Err(QrError::BadField {
            index: 0,
            field: "id_number",
            reason: FieldProblem::Id(IdError::WrongLength { found: 11 })
        })
    );
}

#[test]
fn refuses_non_digit_id() {
    let qr = HA.qr_2021().replacen(HA.id, "00119001234O", 1);
    assert_eq!(
        parse(&qr),
        Err(QrError::BadField {
            index: 0,
            field: "id_number",
            reason: FieldProblem::Id(IdError::NotDigits { offset: 11 })
        })
    );
}

#[test]
fn refuses_unknown_province_quoting_the_code() {
    let qr = HA.qr_2021().replacen(HA.id, "003190012345", 1);
    let err = parse(&qr).unwrap_err();
    assert_eq!(
        err,
        QrError::BadField {
            index: 0,
            field: "id_number",
            reason: FieldProblem::Id(IdError::UnknownProvince { code: "003".into() })
        }
    );
    assert!(err.to_string().contains("003"));
}

#[test]
fn refuses_bad_cmnd_length() {
    let qr = HA.qr_2021().replacen(HA.cmnd, "12345", 1);
    assert_eq!(
        parse(&qr),
        Err(QrError::BadField {
            index: 1,
            field: "old_id_number",
            reason: FieldProblem::OldIdLength { found: 5 }
        })
    );
}

#[test]
fn refuses_empty_name() {
    let qr = format!(
        "{}|{}||{}|Nữ|{}|{}",
        HA.id, HA.cmnd, HA.dob, HA.residence, HA.issued
    );
    assert_eq!(
        parse(&qr),
        Err(QrError::BadField {
            index: 2,
            field: "full_name",
            reason: FieldProblem::Empty
        })
    );
}

#[test]
fn shape_mode_reports_missing_sex() {
    let qr = format!(
        "{}|{}|{}|{}|{}|{}",
        ANH.id, ANH.dob, ANH.issued, ANH.name, ANH.residence, "Việt Nam"
    );
    assert_eq!(parse(&qr), Err(QrError::MissingField { field: "sex" }));
}

#[test]
fn refuses_binary_garbage() {
    let garbage: Vec<u8> = (0u8..=255)
        .rev()
        .filter(|&b| b != b'|')
        .cycle()
        .take(600)
        .collect();
    assert_eq!(parse_bytes(&garbage), Err(QrError::NotACardQr));
    let with_bars: Vec<u8> = [0x00, 0x9F, b'|', 0xFF, b'|', 0x80, b'|', b'|', b'|', b'|'].to_vec();
    assert_eq!(parse_bytes(&with_bars), Err(QrError::NotACardQr));
}

#[test]
fn refuses_oversize_input_before_parsing() {
    let big = format!("{}|{}", HA.qr_2021(), "x".repeat(5000));
    assert_eq!(
        parse(&big),
        Err(QrError::TooLarge {
            len: big.len(),
            max: 4096
        })
    );
    assert_eq!(
        parse_bytes(big.as_bytes()),
        Err(QrError::TooLarge {
            len: big.len(),
            max: 4096
        })
    );
    // Exactly at the limit is still parsed.
    let at_limit = format!(
        "{}|{}",
        HA.qr_2021(),
        "x".repeat(4096 - HA.qr_2021().len() - 1)
    );
    assert_eq!(at_limit.len(), 4096);
    assert!(parse(&at_limit).is_ok());
}

#[test]
fn errors_do_not_quote_personal_data() {
    let qr = format!(
        "{}|{}|{}|31021990|Nữ|{}|{}",
        HA.id, HA.cmnd, HA.name, HA.residence, HA.issued
    );
    let msg = parse(&qr).unwrap_err().to_string();
    assert!(!msg.contains(HA.id) && !msg.contains("Nguyễn"), "{msg}");
    assert!(msg.contains("date_of_birth"));
}

#[test]
fn date_of_birth_accessor_matches_a_bac_input() {
    // What a BAC key builder needs: the MRZ document number and the date of birth.
    let data = parse(&DUC.qr_2021()).unwrap();
    assert_eq!(data.id_number().document_number(), "085001234");
    assert_eq!(data.date_of_birth(), date!(1985 - 08 - 17));
}

/// Windows-1252 decoding of one byte (for building mojibake in tests).
fn cp1252_char(b: u8) -> char {
    const HIGH: &str = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8d}Ž\u{8f}\u{90}‘’“”•–—˜™š›œ\u{9d}žŸ";
    match b {
        0x80..=0x9F => HIGH.chars().nth(usize::from(b - 0x80)).expect("32 entries"),
        _ => char::from(b),
    }
}
