//! The identity checks: MRZ check digits, DG1 against DG13, the ID number's structure,
//! expiry, claims and the QR. Reasons name fields, never their values.

use super::identity::ChipIdentity;
use super::names::{NameMatch, matches_mrz_name, person_names_match};
use super::{Check, CheckId, Claims, Status};
use crate::lds::dg13::Field;
use cccd_qr::{IdNumber, QrData};
use time::Date;

fn check(id: CheckId, status: Status, reason: impl Into<String>) -> Check {
    Check::new(id, status, reason)
}

/// `mrz.check_digits`.
pub fn mrz_check_digits(id: &ChipIdentity) -> Check {
    const NAME: CheckId = CheckId::MrzCheckDigits;
    if let Some((_, e)) = id.errors.iter().find(|(f, _)| f == "DG1") {
        return check(NAME, Status::Fail, format!("DG1 does not parse: {e}"));
    }
    let Some(view) = &id.mrz else {
        return check(NAME, Status::Skip, "DG1 was not read");
    };
    let failures = view.mrz.checks.failures();
    if failures.is_empty() {
        let n = view.mrz.checks.iter().count();
        check(NAME, Status::Pass, format!("all {n} check digits agree"))
    } else {
        let names: Vec<String> = failures.iter().map(ToString::to_string).collect();
        check(
            NAME,
            Status::Fail,
            format!("wrong check digit for: {}", names.join(", ")),
        )
    }
}

/// `dg1.matches.dg13`: the MRZ and the Vietnamese data group state the same person.
///
/// Only what both sides hold is compared: an absent or empty DG13 entry is normal (2024 cards
/// may keep entries empty), and the reason names each field that could not be compared.
pub fn dg1_matches_dg13(id: &ChipIdentity) -> Check {
    const NAME: CheckId = CheckId::Dg1MatchesDg13;
    if let Some((f, e)) = id.errors.iter().find(|(f, _)| f == "DG13") {
        return check(NAME, Status::Fail, format!("{f} does not parse: {e}"));
    }
    let (Some(view), Some(dg13)) = (&id.mrz, &id.dg13) else {
        return check(NAME, Status::Skip, "needs both DG1 and DG13");
    };
    let mut differ = Vec::new();
    let mut not_compared = Vec::new();
    let mut compared = 0;
    let mut compare = |field: &'static str, outcome: Option<bool>| match outcome {
        Some(agree) => {
            compared += 1;
            if !agree {
                differ.push(field);
            }
        }
        None => not_compared.push(field),
    };
    let dg13_id = dg13
        .id_number
        .as_ref()
        .map(|f| f.value().trim().to_owned())
        .filter(|s| !s.is_empty());
    compare(
        "ID number",
        dg13_id.map(|dg13_id| {
            let doc_no_ok = dg13_id.len() == 12
                && dg13_id
                    .get(3..)
                    .is_some_and(|t| view.mrz.document_number == t);
            let optional_ok = view
                .mrz
                .vn_id_number
                .as_deref()
                .is_none_or(|v| v == dg13_id);
            doc_no_ok && optional_ok
        }),
    );
    compare(
        "date of birth",
        dg13.date_of_birth
            .as_ref()
            .and_then(|f| *f.value())
            .map(|dob| view.date_of_birth == Some(dob)),
    );
    compare(
        "sex",
        id_sex_dg13(dg13)
            .zip(view.sex)
            .map(|(sex, mrz_sex)| sex == mrz_sex),
    );
    compare(
        "name",
        dg13.full_name
            .as_ref()
            .map(|f| f.value().trim())
            .filter(|n| !n.is_empty())
            .map(|n| matches_mrz_name(n, &view.name, view.name_truncated)),
    );
    compare(
        "date of expiry",
        match dg13.date_of_expiry.as_ref().map(Field::value) {
            Some(crate::lds::dg13::Expiry::Date(d)) => Some(view.date_of_expiry == Some(*d)),
            _ => None,
        },
    );
    let missing = if not_compared.is_empty() {
        String::new()
    } else {
        format!(
            "; not compared (absent, empty or not a date on one side): {}",
            not_compared.join(", ")
        )
    };
    if !differ.is_empty() {
        check(
            NAME,
            Status::Fail,
            format!("DG1 and DG13 disagree on: {}{missing}", differ.join(", ")),
        )
    } else if compared == 0 {
        check(
            NAME,
            Status::Skip,
            format!("DG13 holds none of the fields DG1 has{missing}"),
        )
    } else {
        check(
            NAME,
            Status::Pass,
            format!("{compared} fields agree{missing}"),
        )
    }
}

fn id_sex_dg13(dg13: &crate::lds::dg13::Dg13) -> Option<cccd_qr::Sex> {
    *dg13.sex.as_ref()?.value()
}

/// `id_number.structure`: a known province, and century/sex digits that agree with the
/// chip's date of birth and sex.
pub fn id_number_structure(id: &ChipIdentity) -> Check {
    const NAME: CheckId = CheckId::IdNumberStructure;
    let Some(text) = id.id_number() else {
        return check(NAME, Status::Skip, "no 12-digit ID number on the chip");
    };
    let number = match IdNumber::parse(&text) {
        Ok(n) => n,
        Err(e) => {
            return check(
                NAME,
                Status::Fail,
                format!("the ID number is not valid: {}", redact_id_error(&e)),
            );
        }
    };
    match (id.date_of_birth(), id.sex()) {
        (Some(dob), Some(sex)) => match number.consistent_with(dob, sex) {
            Ok(()) => check(
                NAME,
                Status::Pass,
                "province code known; century and sex digits agree with the date of birth and sex",
            ),
            Err(e) => check(
                NAME,
                Status::Fail,
                format!(
                    "the ID number disagrees with the chip: {}",
                    inconsistency_fields(&e)
                ),
            ),
        },
        _ => check(
            NAME,
            Status::Pass,
            "province code known (no date of birth/sex to cross-check)",
        ),
    }
}

fn redact_id_error(e: &cccd_qr::IdError) -> String {
    // IdError messages quote the province code, which is not personal on its own.
    e.to_string()
}

fn inconsistency_fields(e: &cccd_qr::Inconsistency) -> String {
    let mut fields = Vec::new();
    if e.birth_year.is_some() {
        fields.push("birth year");
    }
    if e.sex.is_some() {
        fields.push("sex");
    }
    if fields.is_empty() {
        "structure".into()
    } else {
        fields.join(", ")
    }
}

/// `card.not_expired`.
pub fn not_expired(id: &ChipIdentity, today: Date) -> Check {
    const NAME: CheckId = CheckId::CardNotExpired;
    match id.expiry() {
        None => check(NAME, Status::Skip, "no expiry date read"),
        Some(None) => check(NAME, Status::Pass, "the card has no expiry date"),
        Some(Some(d)) if d >= today => check(NAME, Status::Pass, "valid at the verification date"),
        Some(Some(_)) => check(
            NAME,
            Status::Fail,
            "the card expired before the verification date",
        ),
    }
}

/// `claim.*`: one check per claim made; unclaimed ones are skipped.
pub fn claims(
    id: &ChipIdentity,
    claims: &Claims,
    qr: Option<&QrData>,
    mode: NameMatch,
) -> Vec<Check> {
    let id_number = claim_id_number(id, claims.id_number.as_deref(), qr);
    let name = match (&claims.full_name, id.full_name()) {
        (None, _) => check(CheckId::ClaimName, Status::Skip, "not claimed"),
        (Some(_), None) => check(
            CheckId::ClaimName,
            Status::Fail,
            "the chip holds no full name (DG13) to compare",
        ),
        (Some(c), Some(chip)) if person_names_match(c, &chip, mode) => check(
            CheckId::ClaimName,
            Status::Pass,
            match mode {
                NameMatch::Strict => "matches the chip (case and spacing ignored)",
                NameMatch::IgnoreDiacritics => "matches the chip ignoring diacritics",
            },
        ),
        (Some(_), Some(_)) => check(CheckId::ClaimName, Status::Fail, "differs from the chip"),
    };
    let dob = match (claims.date_of_birth, id.date_of_birth()) {
        (None, _) => check(CheckId::ClaimDob, Status::Skip, "not claimed"),
        (Some(_), None) => check(
            CheckId::ClaimDob,
            Status::Fail,
            "the chip holds no date of birth to compare",
        ),
        (Some(c), Some(chip)) if c == chip => {
            check(CheckId::ClaimDob, Status::Pass, "matches the chip")
        }
        (Some(_), Some(_)) => check(CheckId::ClaimDob, Status::Fail, "differs from the chip"),
    };
    let sex = match (claims.sex, id.sex()) {
        (None, _) => check(CheckId::ClaimSex, Status::Skip, "not claimed"),
        (Some(_), None) => check(
            CheckId::ClaimSex,
            Status::Fail,
            "the chip holds no sex to compare",
        ),
        (Some(c), Some(chip)) if c == chip => {
            check(CheckId::ClaimSex, Status::Pass, "matches the chip")
        }
        (Some(_), Some(_)) => check(CheckId::ClaimSex, Status::Fail, "differs from the chip"),
    };
    vec![id_number, name, dob, sex]
}

fn claim_id_number(id: &ChipIdentity, claim: Option<&str>, qr: Option<&QrData>) -> Check {
    const NAME: CheckId = CheckId::ClaimIdNumber;
    let Some(claim) = claim.map(str::trim) else {
        return check(NAME, Status::Skip, "not claimed");
    };
    let Some(chip) = id.id_number() else {
        return check(NAME, Status::Fail, "the chip holds no ID number to compare");
    };
    if claim == chip {
        return check(NAME, Status::Pass, "matches the chip");
    }
    let previous_on_chip = id
        .dg13
        .as_ref()
        .and_then(crate::lds::dg13::Dg13::previous_document_number);
    if previous_on_chip.as_deref() == Some(claim) {
        return check(
            NAME,
            Status::Warn,
            "superseded by the card's current number: the claimed number is the previous document number the chip records (DG13 index 15)",
        );
    }
    if qr.is_some_and(|q| q.id_number().as_str() == chip && q.supersedes(claim)) {
        return check(
            NAME,
            Status::Warn,
            "superseded by the card's current number: the claimed number is a cancelled or old number listed in the QR (printed, not signed)",
        );
    }
    check(NAME, Status::Fail, "differs from the chip")
}

/// `qr.matches.chip`: the printed QR states the same person as the chip.
pub fn qr_matches_chip(id: &ChipIdentity, qr: Option<&QrData>, mode: NameMatch) -> Check {
    const NAME: CheckId = CheckId::QrMatchesChip;
    let Some(qr) = qr else {
        return check(NAME, Status::Skip, "no QR given");
    };
    if !qr.document().has_chip() {
        return check(
            NAME,
            Status::Fail,
            "the QR is from a certificate of identity, a paper document with no chip; it cannot belong to this chip",
        );
    }
    let mut differ = Vec::new();
    let mut compared = 0;
    if let Some(chip) = id.id_number() {
        compared += 1;
        if qr.id_number().as_str() != chip {
            differ.push("ID number");
        }
    }
    if let Some(chip) = id.full_name() {
        compared += 1;
        if !person_names_match(qr.full_name(), &chip, mode) {
            differ.push("name");
        }
    }
    if let Some(chip) = id.date_of_birth() {
        compared += 1;
        if qr.date_of_birth() != chip {
            differ.push("date of birth");
        }
    }
    if let Some(chip) = id.sex() {
        compared += 1;
        if qr.sex() != chip {
            differ.push("sex");
        }
    }
    let chip_issue = id
        .dg13
        .as_ref()
        .and_then(|d| d.date_of_issue.as_ref())
        .and_then(|f| *f.value());
    if let (Some(q), Some(c)) = (qr.issue_date(), chip_issue) {
        compared += 1;
        if q != c {
            differ.push("date of issue");
        }
    }
    if !differ.is_empty() {
        check(
            NAME,
            Status::Fail,
            format!("the QR and the chip disagree on: {}", differ.join(", ")),
        )
    } else if compared == 0 {
        check(
            NAME,
            Status::Skip,
            "the chip holds nothing to compare the QR with",
        )
    } else {
        check(NAME, Status::Pass, format!("{compared} fields agree"))
    }
}
