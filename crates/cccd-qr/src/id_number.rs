//! The 12-digit personal ID number: structure, explanation and cross-checks.
//!
//! Layout: province code (3) + century/sex digit (1) + year of birth YY (2) + 6 random digits.
//! There is no check digit, so the only structural checks are the digit count, a known
//! province code, and consistency with the holder's date of birth and sex.

use std::fmt;

use serde::Serialize;
use time::Date;

use crate::province::province_name;
use crate::sex::Sex;

/// Why a string is not a valid 12-digit ID number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The number does not have 12 digits.
    #[error("an ID number has 12 digits, found {found} characters")]
    WrongLength {
        /// How many characters were found (after removing spaces).
        found: usize,
    },
    /// A character that is not an ASCII digit.
    #[error("an ID number holds only digits; character {offset} is not a digit")]
    NotDigits {
        /// Character offset (0-based) of the first non-digit.
        offset: usize,
    },
    /// The first three digits are not one of the 63 province codes.
    #[error("province code {code} is not one of the 63 codes in use")]
    UnknownProvince {
        /// The three digits, as found.
        code: String,
    },
}

/// A structurally valid 12-digit personal ID number (CCCD / Căn cước / định danh cá nhân).
///
/// Its `Debug` output shows only the province code, so that logging a value does not leak
/// the holder's number; use [`IdNumber::as_str`] or `Display` to get the digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct IdNumber {
    digits: [u8; 12],
}

/// What a 12-digit ID number says about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdExplanation {
    /// The 3-digit province code as written, e.g. `"079"`.
    pub province_code: String,
    /// The province's name, e.g. `"Hồ Chí Minh"`.
    pub province: &'static str,
    /// First year of the century of birth: 1900, 2000, ... 2300.
    pub century: i32,
    /// The holder's sex as encoded in the 4th digit.
    pub sex: Sex,
    /// The full year of birth.
    pub birth_year: i32,
}

/// A disagreement between an ID number and a date of birth / sex claimed elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch<T> {
    /// What the ID number encodes.
    pub id_number_says: T,
    /// What the other source (QR, chip, claim) says.
    pub other_says: T,
}

/// The ways an ID number can disagree with a date of birth and sex. At least one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", describe_inconsistency(self))]
pub struct Inconsistency {
    /// The birth year encoded in the ID number differs from the date of birth's year.
    pub birth_year: Option<Mismatch<i32>>,
    /// The sex encoded in the ID number differs from the sex given.
    pub sex: Option<Mismatch<Sex>>,
}

fn describe_inconsistency(i: &Inconsistency) -> String {
    let mut parts = Vec::with_capacity(2);
    if let Some(m) = &i.birth_year {
        parts.push(format!(
            "the ID number encodes birth year {} but the date of birth is in {}",
            m.id_number_says, m.other_says
        ));
    }
    if let Some(m) = &i.sex {
        parts.push(format!(
            "the ID number encodes sex {} but {} was given",
            m.id_number_says, m.other_says
        ));
    }
    parts.join("; ")
}

impl IdNumber {
    /// Parses a 12-digit ID number. ASCII spaces between digits are ignored (scanners and
    /// people insert them); anything else that is not a digit is an error.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let mut digits = [0u8; 12];
        let mut count = 0usize;
        for (offset, ch) in text.trim().chars().enumerate() {
            if ch == ' ' {
                continue;
            }
            if !ch.is_ascii_digit() {
                return Err(IdError::NotDigits { offset });
            }
            if let Some(slot) = digits.get_mut(count) {
                *slot = ch as u8;
            }
            count += 1;
        }
        if count != 12 {
            return Err(IdError::WrongLength { found: count });
        }
        let id = IdNumber { digits };
        if province_name(id.province_code()).is_none() {
            return Err(IdError::UnknownProvince {
                code: id.as_str()[..3].to_owned(),
            });
        }
        Ok(id)
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored, so this cannot fail.
        std::str::from_utf8(&self.digits).unwrap_or_default()
    }

    fn digit(&self, i: usize) -> u16 {
        u16::from(self.digits[i] - b'0')
    }

    /// The province code as a number (`79` for `079`).
    pub fn province_code(&self) -> u16 {
        self.digit(0) * 100 + self.digit(1) * 10 + self.digit(2)
    }

    /// The province's name, e.g. `"Hà Nội"`.
    pub fn province(&self) -> &'static str {
        // Checked in `parse`.
        province_name(self.province_code()).unwrap_or("")
    }

    /// First year of the century of birth, from the 4th digit: 0/1 → 1900, 2/3 → 2000,
    /// 4/5 → 2100, 6/7 → 2200, 8/9 → 2300.
    pub fn century(&self) -> i32 {
        1900 + i32::from(self.digit(3) / 2) * 100
    }

    /// The holder's sex from the 4th digit: even is male, odd is female.
    pub fn sex(&self) -> Sex {
        if self.digit(3).is_multiple_of(2) {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The full year of birth (century + digits 5–6).
    pub fn birth_year(&self) -> i32 {
        self.century() + i32::from(self.digit(4) * 10 + self.digit(5))
    }

    /// The PACE password (CAN): the last 6 digits.
    pub fn can(&self) -> &str {
        &self.as_str()[6..]
    }

    /// The MRZ document number used for BAC: the last 9 digits (the province code is dropped).
    pub fn document_number(&self) -> &str {
        &self.as_str()[3..]
    }

    /// Everything the number says, as one serializable value.
    pub fn explain(&self) -> IdExplanation {
        IdExplanation {
            province_code: self.as_str()[..3].to_owned(),
            province: self.province(),
            century: self.century(),
            sex: self.sex(),
            birth_year: self.birth_year(),
        }
    }

    /// Checks that the number agrees with a date of birth and sex from another source.
    pub fn consistent_with(&self, date_of_birth: Date, sex: Sex) -> Result<(), Inconsistency> {
        let birth_year = (self.birth_year() != date_of_birth.year()).then(|| Mismatch {
            id_number_says: self.birth_year(),
            other_says: date_of_birth.year(),
        });
        let sex = (self.sex() != sex).then(|| Mismatch {
            id_number_says: self.sex(),
            other_says: sex,
        });
        if birth_year.is_none() && sex.is_none() {
            Ok(())
        } else {
            Err(Inconsistency { birth_year, sex })
        }
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({}*********)", &self.as_str()[..3])
    }
}

impl std::str::FromStr for IdNumber {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for IdNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_all_but_the_province() {
        let id = IdNumber::parse("079190012345").unwrap();
        let dbg = format!("{id:?}");
        assert!(dbg.contains("079"));
        assert!(!dbg.contains("012345"));
    }

    #[test]
    fn spaces_between_digits_are_ignored() {
        let id = IdNumber::parse(" 079 190 012 345 ").unwrap();
        assert_eq!(id.as_str(), "079190012345");
    }

    #[test]
    fn non_digit_offset_is_reported() {
        assert_eq!(
            IdNumber::parse("0791900123a5"),
            Err(IdError::NotDigits { offset: 10 })
        );
    }

    #[test]
    fn overlong_is_wrong_length_not_truncated() {
        assert_eq!(
            IdNumber::parse("0791900123456"),
            Err(IdError::WrongLength { found: 13 })
        );
    }
}
