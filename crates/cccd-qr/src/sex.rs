//! The holder's sex as printed on the card ("Nam" / "Nữ").

use std::fmt;

use serde::Serialize;

use crate::text::fold_diacritics_lowercase;

/// Sex as recorded on the card and encoded in the ID number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// "Nam".
    Male,
    /// "Nữ".
    Female,
}

impl Sex {
    /// Reads the card's wording, tolerant of case, diacritics and surrounding spaces:
    /// "Nam", "NAM", "nam" → male; "Nữ", "NỮ", "Nu", "nữ" (NFC or NFD) → female.
    /// The English words "male"/"female" are accepted as well.
    pub fn from_card_text(text: &str) -> Option<Sex> {
        match fold_diacritics_lowercase(text.trim()).as_str() {
            "nam" | "male" => Some(Sex::Male),
            "nu" | "female" => Some(Sex::Female),
            _ => None,
        }
    }

    /// The MRZ letter (ICAO 9303-3): `M` or `F`.
    pub fn mrz_letter(self) -> char {
        match self {
            Sex::Male => 'M',
            Sex::Female => 'F',
        }
    }

    /// Reads an MRZ sex letter; `<` (unspecified) and anything else is `None`.
    pub fn from_mrz_letter(letter: char) -> Option<Sex> {
        match letter {
            'M' => Some(Sex::Male),
            'F' => Some(Sex::Female),
            _ => None,
        }
    }

    /// The card's wording: "Nam" or "Nữ".
    pub fn card_text(self) -> &'static str {
        match self {
            Sex::Male => "Nam",
            Sex::Female => "Nữ",
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.card_text())
    }
}
