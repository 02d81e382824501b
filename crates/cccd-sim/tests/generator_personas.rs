//! The persona rules: expiry by age (CARD-FACTS "Expiry"; Law on Citizen Identification 2014
//! art. 21 and Law on Identification 2023 art. 21), MRZ transliteration (CARD-FACTS example
//! `NGUYEN<<VAN<A`), and the ID number's century/sex digit. Expected values are worked out by
//! hand from those rules, not produced by the generator.

use cccd_sim::generator::persona::{Generation, Sex, expiry, personas, transliterate};
use time::macros::date;

#[test]
fn expiry_follows_the_age_thresholds() {
    use Generation::{CanCuoc2024 as Cc, Cccd2021 as Cccd};
    // (born, issued, generation, expected expiry)
    let cases = [
        // 17 at issue: the birthday at 25.
        (
            date!(2003 - 07 - 20),
            date!(2021 - 05 - 15),
            Cccd,
            Some(date!(2028 - 07 - 20)),
        ),
        // 28: at 40.
        (
            date!(1992 - 11 - 05),
            date!(2021 - 03 - 02),
            Cccd,
            Some(date!(2032 - 11 - 05)),
        ),
        // 43: at 60.
        (
            date!(1978 - 04 - 30),
            date!(2021 - 08 - 10),
            Cccd,
            Some(date!(2038 - 04 - 30)),
        ),
        // 23 years 3 months, less than 2 years before 25: runs to 40.
        (
            date!(1998 - 12 - 01),
            date!(2022 - 03 - 15),
            Cccd,
            Some(date!(2038 - 12 - 01)),
        ),
        // 38 years 6 months, less than 2 years before 40: runs to 60.
        (
            date!(1983 - 01 - 10),
            date!(2021 - 07 - 10),
            Cccd,
            Some(date!(2043 - 01 - 10)),
        ),
        // 65: no expiry.
        (date!(1955 - 09 - 09), date!(2021 - 04 - 20), Cccd, None),
        // 58 years 8 months, less than 2 years before 60: no expiry.
        (date!(1966 - 01 - 15), date!(2024 - 10 - 01), Cc, None),
        // Căn cước for a 9-year-old: at 14.
        (
            date!(2015 - 03 - 12),
            date!(2024 - 09 - 10),
            Cc,
            Some(date!(2029 - 03 - 12)),
        ),
        // Căn cước at 12 years 10 months, less than 2 years before 14: runs to 25.
        (
            date!(2012 - 01 - 01),
            date!(2024 - 11 - 01),
            Cc,
            Some(date!(2037 - 01 - 01)),
        ),
        // A CCCD has no age-14 threshold.
        (
            date!(2006 - 03 - 01),
            date!(2021 - 02 - 01),
            Cccd,
            Some(date!(2031 - 03 - 01)),
        ),
    ];
    for (born, issued, generation, want) in cases {
        assert_eq!(
            expiry(born, issued, generation),
            want,
            "born {born}, issued {issued}"
        );
    }
}

#[test]
fn transliteration_matches_the_card_facts_example() {
    assert_eq!(transliterate("Nguyễn Văn A"), "NGUYEN VAN A");
    assert_eq!(transliterate("Đặng Văn Thắng"), "DANG VAN THANG");
    assert_eq!(transliterate("Huỳnh Ngọc Trâm"), "HUYNH NGOC TRAM");
    // Decomposed input (NFD) gives the same.
    assert_eq!(transliterate("Nguye\u{302}\u{303}n"), "NGUYEN");
}

#[test]
fn derived_fields_follow_the_id_number_rules() {
    for p in personas() {
        let d = p.derive(1).expect("derive");
        assert_eq!(d.id_number.len(), 12);
        assert_eq!(
            d.id_number[..3].parse::<u16>().expect("province"),
            p.province
        );
        let century_sex = d.id_number.as_bytes()[3] - b'0';
        let want = match (p.dob.year() / 100, p.sex) {
            (19, Sex::Male) => 0,
            (19, Sex::Female) => 1,
            (20, Sex::Male) => 2,
            (20, Sex::Female) => 3,
            _ => unreachable!("personas are born 1900-2099"),
        };
        assert_eq!(century_sex, want, "{}", p.key);
        assert_eq!(d.id_number[4..6], format!("{:02}", p.dob.year() % 100));
        assert_eq!(d.can, d.id_number[6..]);
        assert!(cccd_qr::province_name(p.province).is_some(), "{}", p.key);
        // Line 3 holds the transliterated name.
        assert!(d.mrz[2].starts_with(&d.mrz_name), "{}", p.key);
        assert!(
            d.mrz_name
                .bytes()
                .all(|c| c.is_ascii_uppercase() || c == b'<')
        );
        // A different seed gives a different random part, same structure.
        let other = p.derive(2).expect("derive");
        assert_eq!(other.id_number[..6], d.id_number[..6]);
    }
}

#[test]
fn personas_cover_every_rule_both_sexes_and_generations() {
    let all = personas();
    assert!(all.len() >= 8);
    assert!(all.iter().any(|p| p.sex == Sex::Male) && all.iter().any(|p| p.sex == Sex::Female));
    assert!(all.iter().any(|p| p.generation == Generation::Cccd2021));
    assert!(all.iter().any(|p| p.generation == Generation::CanCuoc2024));
    assert!(all.iter().any(|p| p.spouse.is_some()) && all.iter().any(|p| p.spouse.is_none()));
    assert!(all.iter().any(|p| p.old_cmnd.is_some()) && all.iter().any(|p| p.old_cmnd.is_none()));
    let ages: Vec<i32> = all.iter().map(|p| p.age_on(p.issued)).collect();
    for (lo, hi) in [(0, 14), (14, 25), (25, 40), (40, 60), (60, 200)] {
        assert!(
            ages.iter().any(|a| (lo..hi).contains(a)),
            "no holder aged {lo}-{hi} at issue"
        );
    }
    // No expiry for someone issued a card at 58 or later.
    assert!(
        all.iter()
            .any(|p| expiry(p.dob, p.issued, p.generation).is_none())
    );
}
