//! The holder's identity for display (human and JSON), with `--redact` applied.

use crate::redact;
use cccd::document::Document;
use cccd::lds::dg13::{RawEntry, labels};
use cccd::verify::ChipIdentity;
use cccd_qr::CardGeneration;
use serde::Serialize;

/// A DG13 entry with no typed field (index 16, unknown indices, repeats), kept as written.
#[derive(Debug, Serialize)]
pub struct RawEntryView {
    /// The DG13 index.
    pub index: u32,
    /// The string(s) in the value, joined by " / " (empty when it holds none).
    pub text: String,
    /// The exact value bytes after the index, hex.
    pub hex: String,
}

impl RawEntryView {
    fn new(entry: &RawEntry, redact: bool) -> Self {
        Self {
            index: entry.index,
            text: redact::mask(&entry.texts().join(" / "), 0, redact),
            hex: if redact {
                "••".to_owned()
            } else {
                cccd::hex::encode(&entry.raw)
            },
        }
    }

    /// What a human reads: the text, else the hex.
    fn display(&self) -> &str {
        if self.text.is_empty() {
            &self.hex
        } else {
            &self.text
        }
    }
}

/// What the chip says about the holder, ready to print.
#[derive(Debug, Serialize)]
pub struct IdentityView {
    /// The card generation the chip's data shows; it decides the labels of DG13 8 and 9.
    pub card_generation: CardGeneration,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The 12-digit ID number.
    pub id_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The full name (DG13).
    pub full_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The name as in the MRZ.
    pub mrz_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Date of birth.
    pub date_of_birth: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Sex, as printed on the card.
    pub sex: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Date of expiry, or "no expiry".
    pub date_of_expiry: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Date of issue.
    pub date_of_issue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Nationality.
    pub nationality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Ethnicity.
    pub ethnicity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Religion.
    pub religion: Option<String>,
    /// DG13 index 8 on a CCCD 2021.
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Place of origin.
    pub place_of_origin: Option<String>,
    /// DG13 index 8 on a Căn cước 2024.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_of_birth_registration: Option<String>,
    /// DG13 index 8 when the generation is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_of_origin_or_birth_registration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Place of residence.
    pub place_of_residence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Identifying marks.
    pub identifying_marks: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Father's name.
    pub father: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Mother's name.
    pub mother: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Spouse's name.
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

impl IdentityView {
    /// Build from a document, masking personal data when `redact` is on.
    pub fn from_document(doc: &Document, redact: bool) -> Self {
        let id = ChipIdentity::from_document(doc);
        let text = |s: String| redact::mask(&s, 0, redact);
        let date = |d: time::Date| {
            if redact {
                "••••-••-••".to_owned()
            } else {
                d.to_string()
            }
        };
        let dg13 = id.dg13.as_ref();
        // An empty entry (normal on 2024 cards) states nothing, so it is not shown.
        let field = |f: Option<String>| f.filter(|s| !s.trim().is_empty()).map(text);
        let generation = id.generation();
        let index8 = field(
            dg13.and_then(|d| d.place_of_origin.as_ref())
                .map(|f| f.value().clone()),
        );
        let (origin, birth_registration, either) = match generation {
            CardGeneration::Cccd2021 => (index8, None, None),
            CardGeneration::CanCuoc2024 => (None, index8, None),
            CardGeneration::Unknown => (None, None, index8),
        };
        Self {
            card_generation: generation,
            place_of_origin: origin,
            place_of_birth_registration: birth_registration,
            place_of_origin_or_birth_registration: either,
            previous_document_number: dg13
                .and_then(cccd::lds::dg13::Dg13::previous_document_number)
                .map(|s| redact::mask(&s, 3, redact)),
            dg13_index_16: dg13
                .and_then(|d| d.index16())
                .map(|e| RawEntryView::new(e, redact)),
            dg13_unknown_entries: dg13
                .map(|d| {
                    d.unknown_entries()
                        .into_iter()
                        .map(|e| RawEntryView::new(e, redact))
                        .collect()
                })
                .unwrap_or_default(),
            id_number: id.id_number().map(|s| redact::mask(&s, 3, redact)),
            full_name: id.full_name().map(|s| redact::name(&s, redact)),
            mrz_name: id.mrz.as_ref().map(|m| redact::name(&m.name, redact)),
            date_of_birth: id.date_of_birth().map(date),
            sex: id.sex().map(|s| s.card_text().to_owned()),
            date_of_expiry: id
                .expiry()
                .map(|e| e.map_or_else(|| "no expiry".to_owned(), date)),
            date_of_issue: dg13
                .and_then(|d| d.date_of_issue.as_ref())
                .and_then(|f| *f.value())
                .map(date),
            nationality: dg13
                .and_then(|d| d.nationality.as_ref())
                .map(|f| f.value().clone())
                .filter(|s| !s.trim().is_empty()),
            ethnicity: field(
                dg13.and_then(|d| d.ethnicity.as_ref())
                    .map(|f| f.value().clone()),
            ),
            religion: field(
                dg13.and_then(|d| d.religion.as_ref())
                    .map(|f| f.value().clone()),
            ),
            place_of_residence: field(
                dg13.and_then(|d| d.place_of_residence.as_ref())
                    .map(|f| f.value().clone()),
            ),
            identifying_marks: field(
                dg13.and_then(|d| d.identifying_marks.as_ref())
                    .map(|f| f.value().clone()),
            ),
            father: dg13
                .and_then(|d| d.parents.as_ref())
                .and_then(|p| p.value().father.clone())
                .map(|n| redact::name(&n, redact)),
            mother: dg13
                .and_then(|d| d.parents.as_ref())
                .and_then(|p| p.value().mother.clone())
                .map(|n| redact::name(&n, redact)),
            spouse: dg13
                .and_then(|d| d.spouse.as_ref())
                .and_then(|s| s.value().clone())
                .map(|n| redact::name(&n, redact)),
        }
    }

    /// `(label, value)` rows for human output, in reading order. DG13 8 and 9 are labelled
    /// by the card generation; unknown DG13 indices are labelled by their number.
    pub fn rows(&self) -> Vec<(String, &str)> {
        let g = self.card_generation;
        let dg13 = |i: u32| labels::label(i, g).unwrap_or("?");
        let rows: Vec<(String, &Option<String>)> = vec![
            ("ID number".into(), &self.id_number),
            ("Full name".into(), &self.full_name),
            ("MRZ name".into(), &self.mrz_name),
            ("Date of birth".into(), &self.date_of_birth),
            ("Sex".into(), &self.sex),
            ("Nationality".into(), &self.nationality),
            ("Ethnicity".into(), &self.ethnicity),
            ("Religion".into(), &self.religion),
            (dg13(8).into(), &self.place_of_origin),
            (dg13(8).into(), &self.place_of_birth_registration),
            (dg13(8).into(), &self.place_of_origin_or_birth_registration),
            (dg13(9).into(), &self.place_of_residence),
            ("Identifying marks".into(), &self.identifying_marks),
            ("Date of issue".into(), &self.date_of_issue),
            ("Date of expiry".into(), &self.date_of_expiry),
            ("Father".into(), &self.father),
            ("Mother".into(), &self.mother),
            ("Spouse".into(), &self.spouse),
            (dg13(15).into(), &self.previous_document_number),
        ];
        let card = match g {
            CardGeneration::Cccd2021 => "CCCD (2021)",
            CardGeneration::CanCuoc2024 => "Căn cước (2024)",
            CardGeneration::Unknown => "generation not known from the chip",
        };
        let mut out: Vec<(String, &str)> = vec![("Card".into(), card)];
        out.extend(
            rows.into_iter()
                .filter_map(|(k, v)| v.as_deref().map(|v| (k, v))),
        );
        if let Some(e) = &self.dg13_index_16 {
            out.push((dg13(16).into(), e.display()));
        }
        for e in &self.dg13_unknown_entries {
            out.push((format!("DG13 index {}", e.index), e.display()));
        }
        out
    }
}
