//! The holder's identity as the chip states it: DG13 (Vietnamese data, with diacritics) and
//! DG1 (the MRZ), each parsed once.

use crate::document::Document;
use crate::lds::LdsError;
use crate::lds::dg13::{Dg13, Expiry};
use crate::mrz::{Mrz, dates};
use cccd_qr::Sex;
use time::Date;

/// What DG1 says, decoded.
#[derive(Clone)]
pub struct MrzView {
    /// The parsed zone.
    pub mrz: Mrz,
    /// Date of birth with the century resolved (from the ID number, else the latest century
    /// not in the future: [`crate::mrz::dates::birth_date`]).
    pub date_of_birth: Option<Date>,
    /// Date of expiry, `None` when the field is not a date (no expiry); the century puts it
    /// within 50 years of the verification time ([`crate::mrz::dates::expiry_date`]).
    pub date_of_expiry: Option<Date>,
    /// Sex from the MRZ (`None` for `<`).
    pub sex: Option<Sex>,
    /// `primary secondary`, as the MRZ spells it.
    pub name: String,
    /// Whether the name fills its field, so it may have been cut short.
    pub name_truncated: bool,
}

/// The chip's statement of identity.
#[derive(Default, Clone)]
pub struct ChipIdentity {
    /// DG13, if read and parsed.
    pub dg13: Option<Dg13>,
    /// DG1, if read and parsed.
    pub mrz: Option<MrzView>,
    /// Parse failures, by file, in plain words.
    pub errors: Vec<(String, String)>,
}

impl ChipIdentity {
    /// Parse DG1 and DG13 from a document, resolving MRZ centuries against today.
    pub fn from_document(doc: &Document) -> Self {
        Self::from_document_at(doc, time::OffsetDateTime::now_utc().date())
    }

    /// Parse DG1 and DG13, resolving MRZ centuries against `today` (the verification time).
    pub fn from_document_at(doc: &Document, today: Date) -> Self {
        let mut out = Self::default();
        match doc.dg13() {
            Some(Ok(dg13)) => out.dg13 = Some(dg13),
            Some(Err(e)) => out.errors.push(("DG13".into(), e.to_string())),
            None => {}
        }
        match doc.dg1() {
            Some(Ok(dg1)) => match Mrz::parse(dg1.mrz()) {
                Ok(mrz) => {
                    let century_hint = out.dg13_id().or(mrz.vn_id_number.clone());
                    out.mrz = Some(MrzView::new(mrz, century_hint.as_deref(), today));
                }
                Err(e) => out.errors.push(("DG1".into(), e.to_string())),
            },
            Some(Err(e)) => out.errors.push(("DG1".into(), describe(&e))),
            None => {}
        }
        out
    }

    /// The issuing state DG1 names (ICAO alpha-3 code, fillers removed), if DG1 parsed.
    pub fn issuing_state(&self) -> Option<String> {
        self.mrz
            .as_ref()
            .map(|v| v.mrz.issuing_state.trim_end_matches('<').to_owned())
    }

    /// The 12-digit ID: DG13's, else the MRZ's optional data.
    pub fn id_number(&self) -> Option<String> {
        self.dg13_id()
            .or_else(|| self.mrz.as_ref().and_then(|m| m.mrz.vn_id_number.clone()))
    }

    fn dg13_id(&self) -> Option<String> {
        self.dg13
            .as_ref()
            .and_then(|d| d.id_number.as_ref())
            .map(|f| f.value().trim().to_owned())
            // An empty entry is normal on 2024 cards: it states nothing.
            .filter(|s| !s.is_empty())
    }

    /// The full name with diacritics (DG13).
    pub fn full_name(&self) -> Option<String> {
        self.dg13
            .as_ref()
            .and_then(|d| d.full_name.as_ref())
            .map(|f| f.value().trim().to_owned())
            .filter(|s| !s.is_empty())
    }

    /// The card generation the chip's data shows (DG13 date of issue, or an expiry at 14);
    /// see [`crate::lds::dg13::labels::generation`].
    pub fn generation(&self) -> cccd_qr::CardGeneration {
        self.dg13
            .as_ref()
            .map_or(cccd_qr::CardGeneration::Unknown, |d| {
                crate::lds::dg13::labels::generation(d, self.date_of_birth())
            })
    }

    /// Date of birth: DG13's, else DG1's.
    pub fn date_of_birth(&self) -> Option<Date> {
        self.dg13_dob()
            .or_else(|| self.mrz.as_ref().and_then(|m| m.date_of_birth))
    }

    fn dg13_dob(&self) -> Option<Date> {
        self.dg13
            .as_ref()
            .and_then(|d| d.date_of_birth.as_ref())
            .and_then(|f| *f.value())
    }

    /// Sex: DG13's, else DG1's.
    pub fn sex(&self) -> Option<Sex> {
        self.dg13_sex()
            .or_else(|| self.mrz.as_ref().and_then(|m| m.sex))
    }

    fn dg13_sex(&self) -> Option<Sex> {
        *self.dg13.as_ref()?.sex.as_ref()?.value()
    }

    /// Expiry: `Some(Some(date))`, `Some(None)` for "no expiry", `None` when unknown.
    pub fn expiry(&self) -> Option<Option<Date>> {
        if let Some(f) = self.dg13.as_ref().and_then(|d| d.date_of_expiry.as_ref()) {
            return Some(match f.value() {
                Expiry::Date(d) => Some(*d),
                Expiry::NoExpiry(_) => None,
            });
        }
        self.mrz.as_ref().map(|m| m.date_of_expiry)
    }
}

fn describe(e: &LdsError) -> String {
    e.to_string()
}

impl MrzView {
    fn new(mrz: Mrz, id_for_century: Option<&str>, today: Date) -> Self {
        let (date_of_birth, date_of_expiry) = match id_for_century.and_then(century_of_id) {
            // A Vietnamese ID names the birth century; its cards expire in 20YY (991231 is
            // how the MRZ of a card without expiry is written).
            Some(century) => (
                dates::date_in_century(&mrz.date_of_birth, century),
                dates::date_in_century(&mrz.date_of_expiry, 2000),
            ),
            // Other documents: nobody is born in the future; expiry within 50 years of today.
            None => (
                dates::birth_date(&mrz.date_of_birth, today),
                dates::expiry_date(&mrz.date_of_expiry, today),
            ),
        };
        let sex = Sex::from_mrz_letter(mrz.sex);
        let name = format!("{} {}", mrz.primary_identifier, mrz.secondary_identifier)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        // TD1 line 3 holds 30 characters; a name that reaches the end may be cut.
        let name_truncated =
            mrz.primary_identifier.len() + mrz.secondary_identifier.len() + 2 >= 30;
        Self {
            mrz,
            date_of_birth,
            date_of_expiry,
            sex,
            name,
            name_truncated,
        }
    }
}

/// The century (1900, 2000, ...) from the 4th digit of a 12-digit ID.
fn century_of_id(id: &str) -> Option<i32> {
    let d = id.as_bytes().get(3)?;
    if !d.is_ascii_digit() || id.len() != 12 {
        return None;
    }
    Some(1900 + i32::from((d - b'0') / 2) * 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn century_digit() {
        assert_eq!(century_of_id("001099000001"), Some(1900));
        assert_eq!(century_of_id("001203000001"), Some(2000));
        assert_eq!(century_of_id("001503000001"), Some(2100));
        assert_eq!(century_of_id("0010"), None);
    }
}
