//! The holder's identity for display (human and JSON), with `--redact` applied.

use crate::redact;
use cccd::document::Document;
use cccd::verify::ChipIdentity;
use serde::Serialize;

/// What the chip says about the holder, ready to print.
#[derive(Debug, Serialize, Default)]
pub struct IdentityView {
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
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Place of origin.
    pub place_of_origin: Option<String>,
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
        let field = |f: Option<String>| f.map(text);
        Self {
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
                .map(|f| f.value().clone()),
            ethnicity: field(
                dg13.and_then(|d| d.ethnicity.as_ref())
                    .map(|f| f.value().clone()),
            ),
            religion: field(
                dg13.and_then(|d| d.religion.as_ref())
                    .map(|f| f.value().clone()),
            ),
            place_of_origin: field(
                dg13.and_then(|d| d.place_of_origin.as_ref())
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

    /// `(label, value)` rows for human output, in reading order.
    pub fn rows(&self) -> Vec<(&'static str, &str)> {
        [
            ("ID number", &self.id_number),
            ("Full name", &self.full_name),
            ("MRZ name", &self.mrz_name),
            ("Date of birth", &self.date_of_birth),
            ("Sex", &self.sex),
            ("Nationality", &self.nationality),
            ("Ethnicity", &self.ethnicity),
            ("Religion", &self.religion),
            ("Place of origin", &self.place_of_origin),
            ("Residence", &self.place_of_residence),
            ("Identifying marks", &self.identifying_marks),
            ("Date of issue", &self.date_of_issue),
            ("Date of expiry", &self.date_of_expiry),
            ("Father", &self.father),
            ("Mother", &self.mother),
            ("Spouse", &self.spouse),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}
