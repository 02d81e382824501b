use super::*;
use crate::lds::dg1::Dg1;
use crate::lds::dg13::{Dg13, Expiry, Field};
use crate::lds::{DataGroup, FileId};
use cccd_qr::Sex as Dg13Sex;
use time::Month;

// CARD-FACTS.md's fictional example: ID 001099000001, born 1999-01-01, male, expires 2039-01-01.
const MRZ: &str = "IDVNM0990000017001099000001<<8\n9901018M3901016VNM<<<<<<<<<<<4\nNGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";

fn date(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap()
}

fn dg13() -> Dg13 {
    let mut d = Dg13::new();
    d.id_number = Some(Field::text_value("001099000001"));
    d.full_name = Some(Field::text_value("Nguyễn Văn A"));
    d.date_of_birth = Some(Field::date(date(1999, 1, 1)));
    d.sex = Some(Field::sex(Dg13Sex::Male));
    d.date_of_issue = Some(Field::date(date(2021, 5, 10)));
    d.date_of_expiry = Some(Field::expiry(Expiry::Date(date(2039, 1, 1))));
    d
}

fn doc_with(dg13: &Dg13) -> Document {
    let mut doc = Document::new();
    doc.insert(
        FileId::Dg(DataGroup::Dg1),
        Dg1::from_mrz(MRZ).unwrap().encode(),
    );
    doc.insert(FileId::Dg(DataGroup::Dg13), dg13.encode());
    doc
}

fn at(y: i32) -> Options {
    Options::default().at(date(y, 6, 1).midnight().assume_utc())
}

fn run(doc: &Document, claims: &Claims, qr: Option<&QrData>, y: i32) -> Report {
    verify(doc, &TrustStore::default(), claims, qr, &at(y))
}

fn status(r: &Report, name: &str) -> Status {
    let id = CheckId::from_name(name).unwrap_or_else(|| panic!("not a check name: {name}"));
    r.check(id)
        .unwrap_or_else(|| panic!("no check {name}"))
        .status
}

#[test]
fn consistent_card_passes_identity_checks() {
    let r = run(&doc_with(&dg13()), &Claims::default(), None, 2026);
    assert_eq!(status(&r, "mrz.check_digits"), Status::Pass);
    assert_eq!(status(&r, "dg1.matches.dg13"), Status::Pass);
    assert_eq!(status(&r, "id_number.structure"), Status::Pass);
    assert_eq!(status(&r, "card.not_expired"), Status::Pass);
    assert_eq!(status(&r, "claim.name"), Status::Skip);
    assert_eq!(status(&r, "qr.matches.chip"), Status::Skip);
}

#[test]
fn dg1_and_dg13_disagreeing_fails_and_names_the_field() {
    let mut d = dg13();
    d.date_of_birth = Some(Field::date(date(1999, 1, 2)));
    let r = run(&doc_with(&d), &Claims::default(), None, 2026);
    let c = r
        .check(CheckId::from_name("dg1.matches.dg13").unwrap())
        .unwrap();
    assert_eq!(c.status, Status::Fail);
    assert!(c.reason.contains("date of birth"), "{}", c.reason);
    assert_eq!(r.verdict, Verdict::NotVerified);

    let mut d = dg13();
    d.full_name = Some(Field::text_value("Nguyễn Văn B"));
    let r = run(&doc_with(&d), &Claims::default(), None, 2026);
    assert!(
        r.check(CheckId::from_name("dg1.matches.dg13").unwrap())
            .unwrap()
            .reason
            .contains("name")
    );
}

#[test]
fn bad_check_digit_is_named() {
    let mut doc = doc_with(&dg13());
    let broken = MRZ.replacen("<<8\n", "<<7\n", 1);
    doc.insert(
        FileId::Dg(DataGroup::Dg1),
        Dg1::from_mrz(&broken).unwrap().encode(),
    );
    let r = run(&doc, &Claims::default(), None, 2026);
    let c = r
        .check(CheckId::from_name("mrz.check_digits").unwrap())
        .unwrap();
    assert_eq!(c.status, Status::Fail);
    assert!(c.reason.contains("Vietnamese ID number"), "{}", c.reason);
}

#[test]
fn expiry_is_checked_at_the_given_time() {
    let r = run(&doc_with(&dg13()), &Claims::default(), None, 2040);
    assert_eq!(status(&r, "card.not_expired"), Status::Fail);
    let mut d = dg13();
    d.date_of_expiry = Some(Field::expiry(Expiry::NoExpiry("Không thời hạn".into())));
    let r = run(&doc_with(&d), &Claims::default(), None, 2090);
    assert_eq!(status(&r, "card.not_expired"), Status::Pass);
}

#[test]
fn claims_match_and_mismatch() {
    let doc = doc_with(&dg13());
    let good = Claims {
        id_number: Some("001099000001".into()),
        full_name: Some("  NGUYỄN văn a ".into()),
        date_of_birth: Some(date(1999, 1, 1)),
        sex: Some(Sex::Male),
    };
    let r = run(&doc, &good, None, 2026);
    for name in ["claim.id_number", "claim.name", "claim.dob", "claim.sex"] {
        assert_eq!(status(&r, name), Status::Pass, "{name}");
    }
    let bad = Claims {
        id_number: Some("001099000002".into()),
        full_name: Some("Nguyên Văn A".into()),
        date_of_birth: Some(date(1999, 1, 2)),
        sex: Some(Sex::Female),
    };
    let r = run(&doc, &bad, None, 2026);
    for name in ["claim.id_number", "claim.name", "claim.dob", "claim.sex"] {
        assert_eq!(status(&r, name), Status::Fail, "{name}");
    }
    assert_eq!(r.verdict, Verdict::NotVerified);
    // Without diacritics the name fails strictly and passes only when asked.
    let plain = Claims {
        full_name: Some("Nguyen Van A".into()),
        ..Claims::default()
    };
    assert_eq!(
        status(&run(&doc, &plain, None, 2026), "claim.name"),
        Status::Fail
    );
    let loose = verify(
        &doc,
        &TrustStore::default(),
        &plain,
        None,
        &at(2026).name_match(NameMatch::IgnoreDiacritics),
    );
    assert_eq!(status(&loose, "claim.name"), Status::Pass);
}

#[test]
fn qr_against_chip() {
    let doc = doc_with(&dg13());
    let qr = cccd_qr::parse("001099000001||Nguyễn Văn A|01011999|Nam|Hà Nội|10052021").unwrap();
    assert_eq!(
        status(
            &run(&doc, &Claims::default(), Some(&qr), 2026),
            "qr.matches.chip"
        ),
        Status::Pass
    );
    let other = cccd_qr::parse("001099000001||Nguyễn Văn A|01011999|Nam|Hà Nội|11052021").unwrap();
    let r = run(&doc, &Claims::default(), Some(&other), 2026);
    let c = r
        .check(CheckId::from_name("qr.matches.chip").unwrap())
        .unwrap();
    assert_eq!(c.status, Status::Fail);
    assert!(c.reason.contains("date of issue"));
}

#[test]
fn id_number_inconsistent_with_sex_fails() {
    let mut d = dg13();
    d.sex = Some(Field::sex(Dg13Sex::Female));
    let r = run(&doc_with(&d), &Claims::default(), None, 2026);
    assert_eq!(status(&r, "id_number.structure"), Status::Fail);
}

#[test]
fn reasons_never_carry_personal_data() {
    let doc = doc_with(&dg13());
    let bad = Claims {
        id_number: Some("001099000002".into()),
        full_name: Some("Trần Thị B".into()),
        ..Claims::default()
    };
    let r = run(&doc, &bad, None, 2026);
    // The report carries the holder's identity on purpose (a caller asked for it); the checks'
    // reasons never do, and the redacted report carries neither the ID nor the names.
    let reasons = serde_json::to_string(&r.checks).unwrap();
    for secret in ["001099000001", "001099000002", "Nguyễn", "Trần", "1999"] {
        assert!(!reasons.contains(secret), "{secret} leaked: {reasons}");
    }
    let redacted = serde_json::to_string(&r.redacted()).unwrap();
    for secret in ["001099000001", "001099000002", "Nguyễn", "Trần", "Văn"] {
        assert!(!redacted.contains(secret), "{secret} leaked: {redacted}");
    }
    assert!(serde_json::to_string(&r).unwrap().contains("001099000001"));
}

fn pass(n: &str) -> Check {
    Check::new(CheckId::from_name(n).unwrap(), Status::Pass, "")
}

fn all_required_pass() -> Vec<Check> {
    DEFAULT_REQUIRED
        .iter()
        .map(|id| Check::new(*id, Status::Pass, ""))
        .collect()
}

fn decide(checks: Vec<Check>) -> Report {
    Report::decide(checks, &Policy::default(), Provenance::Dump)
}

#[test]
fn verdict_rules() {
    assert_eq!(decide(all_required_pass()).verdict, Verdict::Verified);
    let mut no_anchor = all_required_pass();
    no_anchor
        .iter_mut()
        .find(|c| c.id == CheckId::SodChain)
        .unwrap()
        .status = Status::Warn;
    let r = decide(no_anchor);
    assert_eq!(r.verdict, Verdict::Inconclusive);
    assert_eq!(r.unproven, vec![CheckId::SodChain]);
    let mut failed = all_required_pass();
    failed.push(Check::new(CheckId::ClaimName, Status::Fail, ""));
    let r = decide(failed);
    assert_eq!(r.verdict, Verdict::NotVerified);
    assert_eq!(r.failures(), vec![CheckId::ClaimName]);
}

#[test]
fn every_required_check_is_needed() {
    // Leaving out any one required check (or only skipping it) denies `verified`.
    for missing in DEFAULT_REQUIRED {
        let mut checks = all_required_pass();
        checks.retain(|c| c.id != missing);
        assert_eq!(
            decide(checks.clone()).verdict,
            Verdict::Inconclusive,
            "{missing}"
        );
        checks.push(Check::new(missing, Status::Skip, ""));
        let r = decide(checks);
        assert_eq!(r.verdict, Verdict::Inconclusive, "{missing}");
        assert_eq!(r.unproven, vec![missing]);
    }
}

#[test]
fn data_group_hashes_beyond_dg1() {
    let mut checks = all_required_pass();
    checks.push(Check::new(
        CheckId::DgHash(DataGroup::Dg2),
        Status::Skip,
        "listed but not read",
    ));
    assert_eq!(decide(checks.clone()).verdict, Verdict::Verified);
    checks.push(Check::new(
        CheckId::DgHash(DataGroup::Dg13),
        Status::Warn,
        "",
    ));
    assert_eq!(decide(checks.clone()).verdict, Verdict::Inconclusive);
    checks.push(Check::new(
        CheckId::DgHash(DataGroup::Dg14),
        Status::Fail,
        "",
    ));
    assert_eq!(decide(checks).verdict, Verdict::NotVerified);
}

#[test]
fn a_waived_check_no_longer_blocks_but_still_fails() {
    let policy = Policy::default().waive(CheckId::ChipAuthentication);
    let mut checks = all_required_pass();
    checks.retain(|c| c.id != CheckId::ChipAuthentication);
    assert_eq!(
        Report::decide(checks.clone(), &policy, Provenance::Dump).verdict,
        Verdict::Verified
    );
    checks.push(Check::new(CheckId::ChipAuthentication, Status::Fail, ""));
    assert_eq!(
        Report::decide(checks, &policy, Provenance::Dump).verdict,
        Verdict::NotVerified
    );
    let _ = pass("sod.chain");
}
