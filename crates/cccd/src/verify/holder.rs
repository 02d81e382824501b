//! The holder's identity as a view for people and programs: the fields the chip states
//! (DG13 first, DG1 as fallback), as strings ready to print or serialize, with
//! [`HolderIdentity::redacted`] for output that must not identify the holder.
//!
//! It is part of [`super::Report`]'s JSON (`identity`), so a backend, the CLI, the HTML
//! report and the bindings show one identity built one way.

use super::ChipIdentity;
use super::redact::{MASKED_DATE, initials, mask};
use crate::lds::dg13::{Dg13, RawEntry, labels};
use cccd_qr::{CardGeneration, Sex};
use serde::Serialize;

/// A DG13 entry with no typed field (index 16, unknown indices, repeats), kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RawEntryView {
    /// The DG13 index.
    pub index: u32,
    /// The string(s) in the value, joined by " / " (empty when it holds none).
    pub text: String,
    /// The exact value bytes after the index, hex (`••` when redacted).
    pub hex: String,
}

impl RawEntryView {
    fn new(entry: &RawEntry) -> Self {
        Self {
            index: entry.index,
            text: entry.texts().join(" / "),
            hex: crate::hex::encode(&entry.raw),
        }
    }

    fn redacted(&self) -> Self {
        Self {
            index: self.index,
            text: mask(&self.text, 0),
            hex: "••".to_owned(),
        }
    }

    /// What a human reads: the text, else the hex.
    pub fn display(&self) -> &str {
        if self.text.is_empty() {
            &self.hex
        } else {
            &self.text
        }
    }
}

/// What the chip says about the holder. Dates are `YYYY-MM-DD` (or `••••-••-••` when
/// redacted); absent fields are `None` (omitted in JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HolderIdentity {
    /// Whether personal data is masked ([`HolderIdentity::redacted`]).
    pub redacted: bool,
    /// The card generation the chip's data shows; it decides the labels of DG13 8 and 9.
    pub card_generation: CardGeneration,
    /// The 12-digit ID number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    /// The full name with diacritics (DG13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// The name as the MRZ spells it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mrz_name: Option<String>,
    /// Date of birth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// Sex (`male` / `female` in JSON; absent when redacted: with the birth century it is
    /// the ID number's 4th digit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Date of expiry; `None` with [`HolderIdentity::no_expiry`] set for a card without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_expiry: Option<String>,
    /// The card states that it does not expire ("Không thời hạn").
    pub no_expiry: bool,
    /// Date of issue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_issue: Option<String>,
    /// Nationality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    /// Ethnicity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<String>,
    /// Religion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub religion: Option<String>,
    /// DG13 index 8 on a CCCD 2021: place of origin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_of_origin: Option<String>,
    /// DG13 index 8 on a Căn cước 2024: place of birth registration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_of_birth_registration: Option<String>,
    /// DG13 index 8 when the generation is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_of_origin_or_birth_registration: Option<String>,
    /// Place of residence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_of_residence: Option<String>,
    /// Identifying marks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifying_marks: Option<String>,
    /// Father's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub father: Option<String>,
    /// Mother's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mother: Option<String>,
    /// Spouse's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spouse: Option<String>,
    /// DG13 index 15: the previous document number (old CMND or previous 12-digit number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_document_number: Option<String>,
    /// DG13 index 16: a 16-character code of unknown meaning, kept raw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dg13_index_16: Option<RawEntryView>,
    /// DG13 entries with indices of no known meaning, and repeated indices.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dg13_unknown_entries: Vec<RawEntryView>,
}

impl Default for HolderIdentity {
    fn default() -> Self {
        Self::from_chip(&ChipIdentity::default())
    }
}

/// A DG13 text field, trimmed; an empty entry (normal on 2024 cards) states nothing.
fn text(field: Option<&crate::lds::dg13::Field<String>>) -> Option<String> {
    field
        .map(|f| f.value().trim().to_owned())
        .filter(|s| !s.is_empty())
}

impl HolderIdentity {
    /// The identity a document's DG1 and DG13 state, with MRZ centuries resolved against
    /// today. [`super::verify`] builds it against the verification time instead.
    pub fn from_document(doc: &crate::document::Document) -> Self {
        Self::from_chip(&ChipIdentity::from_document(doc))
    }

    /// The view of parsed chip data.
    pub fn from_chip(id: &ChipIdentity) -> Self {
        let dg13 = id.dg13.as_ref();
        let generation = id.generation();
        let index8 = text(dg13.and_then(|d| d.place_of_origin.as_ref()));
        let (origin, birth_registration, either) = match generation {
            CardGeneration::Cccd2021 => (index8, None, None),
            CardGeneration::CanCuoc2024 => (None, index8, None),
            CardGeneration::Unknown => (None, None, index8),
        };
        let expiry = id.expiry();
        let parents = dg13
            .and_then(|d| d.parents.as_ref())
            .map(crate::lds::dg13::Field::value);
        Self {
            redacted: false,
            card_generation: generation,
            id_number: id.id_number(),
            full_name: id.full_name(),
            mrz_name: id.mrz.as_ref().map(|m| m.name.clone()),
            date_of_birth: id.date_of_birth().map(|d| d.to_string()),
            sex: id.sex(),
            date_of_expiry: expiry.flatten().map(|d| d.to_string()),
            no_expiry: matches!(expiry, Some(None)),
            date_of_issue: dg13
                .and_then(|d| d.date_of_issue.as_ref())
                .and_then(|f| *f.value())
                .map(|d| d.to_string()),
            nationality: text(dg13.and_then(|d| d.nationality.as_ref())),
            ethnicity: text(dg13.and_then(|d| d.ethnicity.as_ref())),
            religion: text(dg13.and_then(|d| d.religion.as_ref())),
            place_of_origin: origin,
            place_of_birth_registration: birth_registration,
            place_of_origin_or_birth_registration: either,
            place_of_residence: text(dg13.and_then(|d| d.place_of_residence.as_ref())),
            identifying_marks: text(dg13.and_then(|d| d.identifying_marks.as_ref())),
            father: parents.and_then(|p| p.father.clone()),
            mother: parents.and_then(|p| p.mother.clone()),
            spouse: dg13
                .and_then(|d| d.spouse.as_ref())
                .and_then(|s| s.value().clone()),
            previous_document_number: dg13.and_then(Dg13::previous_document_number),
            dg13_index_16: dg13.and_then(|d| d.index16()).map(RawEntryView::new),
            dg13_unknown_entries: dg13
                .map(|d| {
                    d.unknown_entries()
                        .into_iter()
                        .map(RawEntryView::new)
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The same view with personal data masked: numbers keep their last 3 digits, names
    /// become initials, dates and free text are masked, and sex is dropped (it is a digit
    /// of the ID number). Nationality and the card generation stay.
    #[must_use]
    pub fn redacted(&self) -> Self {
        let masked = |s: &Option<String>, keep: usize| s.as_deref().map(|s| mask(s, keep));
        let name = |s: &Option<String>| s.as_deref().map(initials);
        let date = |s: &Option<String>| s.as_ref().map(|_| MASKED_DATE.to_owned());
        Self {
            redacted: true,
            card_generation: self.card_generation,
            id_number: masked(&self.id_number, 3),
            full_name: name(&self.full_name),
            mrz_name: name(&self.mrz_name),
            date_of_birth: date(&self.date_of_birth),
            sex: None,
            date_of_expiry: date(&self.date_of_expiry),
            no_expiry: self.no_expiry,
            date_of_issue: date(&self.date_of_issue),
            nationality: self.nationality.clone(),
            ethnicity: masked(&self.ethnicity, 0),
            religion: masked(&self.religion, 0),
            place_of_origin: masked(&self.place_of_origin, 0),
            place_of_birth_registration: masked(&self.place_of_birth_registration, 0),
            place_of_origin_or_birth_registration: masked(
                &self.place_of_origin_or_birth_registration,
                0,
            ),
            place_of_residence: masked(&self.place_of_residence, 0),
            identifying_marks: masked(&self.identifying_marks, 0),
            father: name(&self.father),
            mother: name(&self.mother),
            spouse: name(&self.spouse),
            previous_document_number: masked(&self.previous_document_number, 3),
            dg13_index_16: self.dg13_index_16.as_ref().map(RawEntryView::redacted),
            dg13_unknown_entries: self
                .dg13_unknown_entries
                .iter()
                .map(RawEntryView::redacted)
                .collect(),
        }
    }

    /// `(label, value)` rows for people, in reading order, English labels. DG13 8 and 9 are
    /// labelled by the card generation; unknown DG13 indices by their number.
    pub fn rows(&self) -> Vec<(String, String)> {
        let g = self.card_generation;
        let dg13 = |i: u32| labels::label(i, g).unwrap_or("?").to_owned();
        let expiry = if self.no_expiry {
            Some("no expiry".to_owned())
        } else {
            self.date_of_expiry.clone()
        };
        let sex = self.sex.map(|s| s.card_text().to_owned());
        let rows: Vec<(String, Option<String>)> = vec![
            ("ID number".into(), self.id_number.clone()),
            ("Full name".into(), self.full_name.clone()),
            ("MRZ name".into(), self.mrz_name.clone()),
            ("Date of birth".into(), self.date_of_birth.clone()),
            ("Sex".into(), sex),
            ("Nationality".into(), self.nationality.clone()),
            ("Ethnicity".into(), self.ethnicity.clone()),
            ("Religion".into(), self.religion.clone()),
            (dg13(8), self.place_of_origin.clone()),
            (dg13(8), self.place_of_birth_registration.clone()),
            (dg13(8), self.place_of_origin_or_birth_registration.clone()),
            (dg13(9), self.place_of_residence.clone()),
            ("Identifying marks".into(), self.identifying_marks.clone()),
            ("Date of issue".into(), self.date_of_issue.clone()),
            ("Date of expiry".into(), expiry),
            ("Father".into(), self.father.clone()),
            ("Mother".into(), self.mother.clone()),
            ("Spouse".into(), self.spouse.clone()),
            (dg13(15), self.previous_document_number.clone()),
        ];
        let card = match g {
            CardGeneration::Cccd2021 => "CCCD (2021)",
            CardGeneration::CanCuoc2024 => "Căn cước (2024)",
            CardGeneration::Unknown => "generation not known from the chip",
        };
        let mut out = vec![("Card".to_owned(), card.to_owned())];
        out.extend(rows.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
        if let Some(e) = &self.dg13_index_16 {
            out.push((dg13(16), e.display().to_owned()));
        }
        for e in &self.dg13_unknown_entries {
            out.push((format!("DG13 index {}", e.index), e.display().to_owned()));
        }
        out
    }
}
