//! Machine readable zone: TD1/TD3 parsing, check digits, the Vietnamese document-number rule, BAC key seeds.
//!
//! [`Mrz::parse`] reads a TD1 (3 × 30, ID cards) or TD3 (2 × 44, passports) zone and evaluates
//! every check digit, reporting each by name in [`CheckDigits`]; a wrong digit is a finding,
//! not a parse error. [`format_td1`] / [`format_td3`] write one, computing the digits.
//! The access keys for the chip live in [`key`]: [`BacKey`] (document number, birth and expiry
//! dates), [`AccessKey`] (MRZ or CAN), and the expiry candidates that let the BAC key be
//! found from the 12-digit ID number and the date of birth alone ([`expiry`]).
//!
//! Vietnamese cards (CARD-FACTS): the document number is the last 9 digits of the 12-digit ID;
//! the TD1 optional data holds the full ID, `<<`, and a 7-3-1 check digit over the 12 digits.
//!
//! ```
//! use cccd::mrz::Mrz;
//! let mrz = Mrz::parse("IDVNM0990000017001099000001<<8\n9901018M3901016VNM<<<<<<<<<<<4\nNGUYEN<<VAN<A<<<<<<<<<<<<<<<<<").unwrap();
//! assert!(mrz.checks.all_valid());
//! assert_eq!(mrz.vn_id_number.as_deref(), Some("001099000001"));
//! ```

pub mod dates;
pub mod expiry;
mod format;
mod issuing_state;
pub mod key;

pub use format::{MrzFields, format_td1, format_td3, vietnam_td1};
pub use issuing_state::alpha2_for_issuing_state;
pub use key::{AccessKey, BacKey, Can, KeySource};

use std::fmt;

/// Why a text is not an MRZ (wrong shape). Wrong check digits are not errors: see
/// [`CheckDigits`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MrzError {
    /// Not 3 lines of 30 (TD1) or 2 lines of 44 (TD3).
    #[error(
        "not an MRZ: expected 3 lines of 30 or 2 lines of 44 characters, got {lines} line(s) of lengths {lengths:?}"
    )]
    Shape {
        /// Number of lines found.
        lines: usize,
        /// Their lengths.
        lengths: Vec<usize>,
    },
    /// A character outside `A-Z 0-9 <`.
    #[error("invalid MRZ character {found:?} at line {line}, column {column}")]
    InvalidCharacter {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The character.
        found: char,
    },
    /// A field value that cannot be used (named), e.g. a date that is not YYMMDD.
    #[error("invalid {field}: {reason}")]
    InvalidField {
        /// Which field.
        field: &'static str,
        /// What is wrong, without echoing personal data.
        reason: &'static str,
    },
}

/// The value of one MRZ character in the 7-3-1 check digit: digits as themselves, `A`-`Z` as
/// 10-35, `<` as 0.
fn char_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        b'<' => Some(0),
        _ => None,
    }
}

/// The ICAO 9303-3 §4.9 check digit (weights 7, 3, 1 repeating, sum mod 10) of `field`.
/// `None` if a character is not an MRZ character.
pub fn check_digit(field: &str) -> Option<u8> {
    let mut sum = 0u32;
    for (i, c) in field.bytes().enumerate() {
        let weight = [7, 3, 1][i % 3];
        sum += char_value(c)? * weight;
    }
    Some((sum % 10) as u8)
}

/// Which check digit a [`CheckResult`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckField {
    /// Document number.
    DocumentNumber,
    /// Date of birth.
    DateOfBirth,
    /// Date of expiry.
    DateOfExpiry,
    /// TD3 personal number (optional data).
    PersonalNumber,
    /// The composite check digit over the upper and middle lines.
    Composite,
    /// The Vietnamese 12-digit ID in the TD1 optional data (`ID<<d`).
    VietnamIdNumber,
}

impl fmt::Display for CheckField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::DocumentNumber => "document number",
            Self::DateOfBirth => "date of birth",
            Self::DateOfExpiry => "date of expiry",
            Self::PersonalNumber => "personal number",
            Self::Composite => "composite",
            Self::VietnamIdNumber => "Vietnamese ID number",
        })
    }
}

/// One evaluated check digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckResult {
    /// Which field.
    pub field: CheckField,
    /// The digit as printed (`<` allowed where ICAO allows an empty field).
    pub found: char,
    /// The digit computed from the field.
    pub computed: u8,
    /// Whether they agree. An all-`<` optional field with a `<` (or `0`) check digit is valid.
    pub valid: bool,
}

impl CheckResult {
    fn evaluate(field: CheckField, data: &str, found: u8) -> Self {
        let computed = check_digit(data).unwrap_or(u8::MAX);
        let empty_field = data.bytes().all(|c| c == b'<');
        let valid = found == b'0' + computed || (empty_field && found == b'<');
        Self {
            field,
            found: char::from(found),
            computed,
            valid,
        }
    }
}

/// Every check digit of a zone, each by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckDigits {
    /// Document number (for a long TD1 number, the digit in the optional data).
    pub document_number: CheckResult,
    /// Date of birth.
    pub date_of_birth: CheckResult,
    /// Date of expiry.
    pub date_of_expiry: CheckResult,
    /// TD3 only: the personal number.
    pub personal_number: Option<CheckResult>,
    /// The composite digit.
    pub composite: CheckResult,
    /// TD1 with Vietnamese optional data only: the check over the 12-digit ID.
    pub vietnam_id_number: Option<CheckResult>,
}

impl CheckDigits {
    /// All results, in zone order.
    pub fn iter(&self) -> impl Iterator<Item = &CheckResult> {
        [
            Some(&self.document_number),
            Some(&self.date_of_birth),
            Some(&self.date_of_expiry),
        ]
        .into_iter()
        .chain([
            self.personal_number.as_ref(),
            Some(&self.composite),
            self.vietnam_id_number.as_ref(),
        ])
        .flatten()
    }

    /// Whether every check digit agrees.
    pub fn all_valid(&self) -> bool {
        self.iter().all(|c| c.valid)
    }

    /// The fields whose check digit does not agree.
    pub fn failures(&self) -> Vec<CheckField> {
        self.iter().filter(|c| !c.valid).map(|c| c.field).collect()
    }
}

/// The size of the zone (ICAO 9303-5, -6, -4). DG1 recognises all three; [`Mrz::parse`]
/// reads TD1 and TD3, the two formats a CCCD reader meets (ID cards and passports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MrzFormat {
    /// 3 lines of 30 (ID cards, including Vietnam's).
    Td1,
    /// 2 lines of 36.
    Td2,
    /// 2 lines of 44 (passports).
    Td3,
}

/// A parsed MRZ. Text fields keep the MRZ alphabet; trailing filler `<` is removed from the
/// document number and optional data.
#[derive(Clone, PartialEq, Eq)]
pub struct Mrz {
    /// TD1 or TD3.
    pub format: MrzFormat,
    /// Document code (`ID`, `I<`, `P<` ...), as printed.
    pub document_code: String,
    /// Issuing state (3 letters).
    pub issuing_state: String,
    /// Document number without filler (the full number for a long TD1 number).
    pub document_number: String,
    /// Date of birth as printed, `YYMMDD` (may hold `<` for unknown parts).
    pub date_of_birth: String,
    /// Sex: `M`, `F` or `<`.
    pub sex: char,
    /// Date of expiry as printed, `YYMMDD` (or a filler for "no expiry").
    pub date_of_expiry: String,
    /// Nationality (3 letters).
    pub nationality: String,
    /// TD1 upper-line optional data, or TD3 personal number, without trailing filler.
    pub optional_data_1: String,
    /// TD1 middle-line optional data, without trailing filler (empty for TD3).
    pub optional_data_2: String,
    /// Primary identifier (surname), `<` turned into spaces.
    pub primary_identifier: String,
    /// Secondary identifier (given names), `<` turned into spaces.
    pub secondary_identifier: String,
    /// Every check digit.
    pub checks: CheckDigits,
    /// The 12-digit ID number when the optional data follows the Vietnamese rule.
    pub vn_id_number: Option<String>,
    /// The BAC fields exactly as the key needs them: the document number field with its
    /// filler (9 characters, or the long number), and its check digit character.
    document_number_field: String,
    document_number_check: char,
    date_of_birth_check: char,
    date_of_expiry_check: char,
}

// The MRZ is personal data: show only the shape and the check results.
impl fmt::Debug for Mrz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mrz")
            .field("format", &self.format)
            .field("document_code", &self.document_code)
            .field("issuing_state", &self.issuing_state)
            .field("checks_valid", &self.checks.all_valid())
            .finish_non_exhaustive()
    }
}

fn trim_filler(s: &str) -> String {
    s.trim_end_matches('<').to_string()
}

fn name_part(s: &str) -> String {
    s.split('<')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn split_name(line: &str) -> (String, String) {
    match line.split_once("<<") {
        Some((primary, secondary)) => (name_part(primary), name_part(secondary)),
        None => (name_part(line), String::new()),
    }
}

/// Normalise the input to MRZ lines: accept `\n`, `\r\n`, surrounding whitespace, spaces
/// inside lines, and a single concatenated string of 90 or 88 characters.
fn lines_of(text: &str) -> Result<Vec<String>, MrzError> {
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() == 1 {
        let one = &lines[0];
        if one.len() == 90 && one.is_ascii() {
            lines = vec![
                one[..30].to_string(),
                one[30..60].to_string(),
                one[60..].to_string(),
            ];
        } else if one.len() == 88 && one.is_ascii() {
            lines = vec![one[..44].to_string(), one[44..].to_string()];
        }
    }
    for (i, line) in lines.iter().enumerate() {
        if let Some((col, found)) = line
            .chars()
            .enumerate()
            .find(|(_, c)| !matches!(c, 'A'..='Z' | '0'..='9' | '<'))
        {
            return Err(MrzError::InvalidCharacter {
                line: i + 1,
                column: col + 1,
                found,
            });
        }
    }
    Ok(lines)
}

/// The 7-3-1 check over a 12-digit ID in the TD1 optional data (`ID<<d`), if it has that shape.
fn vietnam_optional_data(optional: &str) -> Option<(String, CheckResult)> {
    let bytes = optional.as_bytes();
    if bytes.len() == 15 && bytes[..12].iter().all(u8::is_ascii_digit) && &bytes[12..14] == b"<<" {
        let id = &optional[..12];
        Some((
            id.to_string(),
            CheckResult::evaluate(CheckField::VietnamIdNumber, id, bytes[14]),
        ))
    } else {
        None
    }
}

impl Mrz {
    /// Parse a TD1 or TD3 zone. Every check digit is evaluated and reported in
    /// [`Mrz::checks`]; only the shape (line count, lengths, alphabet) is an error.
    pub fn parse(text: &str) -> Result<Self, MrzError> {
        let lines = lines_of(text)?;
        let lengths: Vec<usize> = lines.iter().map(String::len).collect();
        match lengths.as_slice() {
            [30, 30, 30] => Ok(Self::parse_td1(&lines[0], &lines[1], &lines[2])),
            [44, 44] => Ok(Self::parse_td3(&lines[0], &lines[1])),
            _ => Err(MrzError::Shape {
                lines: lines.len(),
                lengths,
            }),
        }
    }

    // Lines are ASCII of checked lengths here, so the slices below are in range.
    fn parse_td1(l1: &str, l2: &str, l3: &str) -> Self {
        let b1 = l1.as_bytes();
        let b2 = l2.as_bytes();
        let mut doc_field = l1[5..14].to_string();
        let mut doc_check = b1[14];
        let mut optional_1 = trim_filler(&l1[15..30]);
        // ICAO 9303-5 note j: a number longer than 9 characters continues in the optional
        // data, followed by its check digit; the check position then holds '<'.
        if doc_check == b'<' && !optional_1.is_empty() {
            let ext = optional_1.clone();
            let (rest, digit) = ext.split_at(ext.len() - 1);
            doc_field.push_str(rest);
            doc_check = digit.as_bytes()[0];
            optional_1 = String::new();
        }
        let vn = vietnam_optional_data(&l1[15..30]);
        let composite_data = format!("{}{}{}{}", &l1[5..30], &l2[0..7], &l2[8..15], &l2[18..29]);
        let (primary, secondary) = split_name(l3);
        let checks = CheckDigits {
            document_number: CheckResult::evaluate(
                CheckField::DocumentNumber,
                &doc_field,
                doc_check,
            ),
            date_of_birth: CheckResult::evaluate(CheckField::DateOfBirth, &l2[0..6], b2[6]),
            date_of_expiry: CheckResult::evaluate(CheckField::DateOfExpiry, &l2[8..14], b2[14]),
            personal_number: None,
            composite: CheckResult::evaluate(CheckField::Composite, &composite_data, b2[29]),
            vietnam_id_number: vn.as_ref().map(|(_, c)| *c),
        };
        Self {
            format: MrzFormat::Td1,
            document_code: l1[0..2].to_string(),
            issuing_state: l1[2..5].to_string(),
            document_number: trim_filler(&doc_field),
            date_of_birth: l2[0..6].to_string(),
            sex: char::from(b2[7]),
            date_of_expiry: l2[8..14].to_string(),
            nationality: l2[15..18].to_string(),
            optional_data_1: optional_1,
            optional_data_2: trim_filler(&l2[18..29]),
            primary_identifier: primary,
            secondary_identifier: secondary,
            checks,
            vn_id_number: vn.map(|(id, _)| id),
            document_number_field: doc_field,
            document_number_check: char::from(doc_check),
            date_of_birth_check: char::from(b2[6]),
            date_of_expiry_check: char::from(b2[14]),
        }
    }

    fn parse_td3(l1: &str, l2: &str) -> Self {
        let b2 = l2.as_bytes();
        let composite_data = format!("{}{}{}", &l2[0..10], &l2[13..20], &l2[21..43]);
        let (primary, secondary) = split_name(&l1[5..44]);
        let checks = CheckDigits {
            document_number: CheckResult::evaluate(CheckField::DocumentNumber, &l2[0..9], b2[9]),
            date_of_birth: CheckResult::evaluate(CheckField::DateOfBirth, &l2[13..19], b2[19]),
            date_of_expiry: CheckResult::evaluate(CheckField::DateOfExpiry, &l2[21..27], b2[27]),
            personal_number: Some(CheckResult::evaluate(
                CheckField::PersonalNumber,
                &l2[28..42],
                b2[42],
            )),
            composite: CheckResult::evaluate(CheckField::Composite, &composite_data, b2[43]),
            vietnam_id_number: None,
        };
        Self {
            format: MrzFormat::Td3,
            document_code: l1[0..2].to_string(),
            issuing_state: l1[2..5].to_string(),
            document_number: trim_filler(&l2[0..9]),
            date_of_birth: l2[13..19].to_string(),
            sex: char::from(b2[20]),
            date_of_expiry: l2[21..27].to_string(),
            nationality: l2[10..13].to_string(),
            optional_data_1: trim_filler(&l2[28..42]),
            optional_data_2: String::new(),
            primary_identifier: primary,
            secondary_identifier: secondary,
            checks,
            vn_id_number: None,
            document_number_field: l2[0..9].to_string(),
            document_number_check: char::from(b2[9]),
            date_of_birth_check: char::from(b2[19]),
            date_of_expiry_check: char::from(b2[27]),
        }
    }

    /// The MRZ information BAC and PACE hash (ICAO 9303-11 §9.7.2): document number field
    /// with filler and check digit, date of birth and check digit, date of expiry and check
    /// digit, exactly as printed.
    pub fn bac_key(&self) -> BacKey {
        BacKey::from_printed(
            &self.document_number_field,
            self.document_number_check,
            &self.date_of_birth,
            self.date_of_birth_check,
            &self.date_of_expiry,
            self.date_of_expiry_check,
            KeySource::Mrz,
        )
    }
}

#[cfg(test)]
mod tests;
