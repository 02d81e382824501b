//! The holder's identity as labelled rows for people (`verify`, `inspect`, the HTML report),
//! each row knowing the data group its value was read from, so that a value from a data
//! group whose hash failed can be marked untrusted beside it, and only such values.

use crate::translations;
use cccd::lds::DataGroup;
use cccd::verify::{ChipIdentity, HolderIdentity, Report, Status};
use cccd_qr::CardGeneration;
use rust_i18n::t;

/// One row: a label in the `--lang` language, the value as the chip states it (or masked),
/// and the data group the value was read from (`None` for what no data group states).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityRow {
    /// The field's name for people.
    pub label: String,
    /// The value.
    pub value: String,
    /// DG1 or DG13.
    pub source: Option<DataGroup>,
}

/// The data groups whose hash check failed in `report`: their values are untrusted.
pub fn failed_groups(report: &Report) -> Vec<DataGroup> {
    report
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .filter_map(|c| match c.id {
            cccd::verify::CheckId::DgHash(dg) => Some(dg),
            _ => None,
        })
        .collect()
}

/// The rows of `identity` (possibly redacted) in reading order. `chip` is the parsed data
/// the identity was built from: it tells, for the fields DG13 states with DG1 as fallback
/// (ID number, date of birth, sex, expiry), which of the two the value came from.
pub fn identity_rows(identity: &HolderIdentity, chip: &ChipIdentity) -> Vec<IdentityRow> {
    // The identity DG13 alone gives: a fallback field present there came from DG13 (the
    // library's rule is DG13 first), else from DG1.
    let dg13_alone = dg13_alone(chip);
    let from = |in_dg13: bool| Some(source_of(in_dg13));
    let dg13 = Some(DataGroup::Dg13);
    let (card, card_source, index8, index9) = generation_labels(identity.card_generation);
    let expiry = if identity.no_expiry {
        Some(t!("field.no_expiry").into_owned())
    } else {
        identity.date_of_expiry.clone()
    };
    let place = identity
        .place_of_origin
        .clone()
        .or_else(|| identity.place_of_birth_registration.clone())
        .or_else(|| identity.place_of_origin_or_birth_registration.clone());
    let fields: Vec<(&str, Option<String>, Option<DataGroup>)> = vec![
        (
            "field.id_number",
            identity.id_number.clone(),
            from(dg13_alone.id_number.is_some()),
        ),
        ("field.full_name", identity.full_name.clone(), dg13),
        (
            "field.mrz_name",
            identity.mrz_name.clone(),
            Some(DataGroup::Dg1),
        ),
        (
            "field.date_of_birth",
            identity.date_of_birth.clone(),
            from(dg13_alone.date_of_birth.is_some()),
        ),
        (
            "field.sex",
            identity.sex.map(translations::sex),
            from(dg13_alone.sex.is_some()),
        ),
        ("field.nationality", identity.nationality.clone(), dg13),
        ("field.ethnicity", identity.ethnicity.clone(), dg13),
        ("field.religion", identity.religion.clone(), dg13),
        (index8, place, dg13),
        (index9, identity.place_of_residence.clone(), dg13),
        (
            "field.identifying_marks",
            identity.identifying_marks.clone(),
            dg13,
        ),
        ("field.date_of_issue", identity.date_of_issue.clone(), dg13),
        (
            "field.date_of_expiry",
            expiry,
            from(dg13_alone.date_of_expiry.is_some() || dg13_alone.no_expiry),
        ),
        ("field.father", identity.father.clone(), dg13),
        ("field.mother", identity.mother.clone(), dg13),
        ("field.spouse", identity.spouse.clone(), dg13),
        (
            "field.previous_document_number",
            identity.previous_document_number.clone(),
            dg13,
        ),
        (
            "field.dg13_index_16",
            identity
                .dg13_index_16
                .as_ref()
                .map(|e| e.display().to_owned()),
            dg13,
        ),
    ];
    let mut rows = vec![IdentityRow {
        label: t!("field.card").into_owned(),
        value: card,
        source: card_source,
    }];
    rows.extend(fields.into_iter().filter_map(|(key, value, source)| {
        value.map(|value| IdentityRow {
            label: t!(key).into_owned(),
            value,
            source,
        })
    }));
    rows.extend(identity.dg13_unknown_entries.iter().map(|e| IdentityRow {
        label: t!("field.dg13_index", index = e.index).into_owned(),
        value: e.display().to_owned(),
        source: dg13,
    }));
    rows
}

/// The identity DG13 alone gives (DG1 left out).
fn dg13_alone(chip: &ChipIdentity) -> HolderIdentity {
    let mut dg13_only = chip.clone();
    dg13_only.mrz = None;
    HolderIdentity::from_chip(&dg13_only)
}

/// The source of a field DG13 states with DG1 as fallback: DG13 when DG13 alone gives it.
fn source_of(in_dg13: bool) -> DataGroup {
    if in_dg13 {
        DataGroup::Dg13
    } else {
        DataGroup::Dg1
    }
}

/// The card row's value and source, and the label keys of DG13 indices 8 and 9, which
/// depend on the card generation.
fn generation_labels(g: CardGeneration) -> (String, Option<DataGroup>, &'static str, &'static str) {
    let dg13 = Some(DataGroup::Dg13);
    match g {
        CardGeneration::Cccd2021 => (
            "CCCD (2021)".to_owned(),
            dg13,
            "field.place_of_origin",
            "field.place_of_permanent_residence",
        ),
        CardGeneration::CanCuoc2024 => (
            "Căn cước (2024)".to_owned(),
            dg13,
            "field.place_of_birth_registration",
            "field.place_of_residence",
        ),
        CardGeneration::Unknown => (
            t!("field.generation_unknown").into_owned(),
            None,
            "field.place_of_origin_or_birth_registration",
            "field.residence",
        ),
    }
}

/// Whether a row's value comes from a data group in `failed`.
pub fn untrusted(row: &IdentityRow, failed: &[DataGroup]) -> bool {
    row.source.is_some_and(|dg| failed.contains(&dg))
}
