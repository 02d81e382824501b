//! Writing MRZs (TD1, TD3), with every check digit computed.

use super::{MrzError, check_digit};

/// The fields of a zone to write. Values use the MRZ alphabet (`A-Z 0-9 <`); spaces in names
/// become `<`. Dates are `YYMMDD`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct MrzFields {
    /// Document code, 1-2 characters (`ID`, `I`, `P`).
    pub document_code: String,
    /// Issuing state, 3 letters.
    pub issuing_state: String,
    /// Document number (TD1: up to 9 characters here; longer ones are not written).
    pub document_number: String,
    /// Date of birth `YYMMDD`.
    pub date_of_birth: String,
    /// `M`, `F` or `<`.
    pub sex: char,
    /// Date of expiry `YYMMDD` (or a filler).
    pub date_of_expiry: String,
    /// Nationality, 3 letters.
    pub nationality: String,
    /// TD1 upper-line optional data (15) or TD3 personal number (14).
    pub optional_data_1: String,
    /// TD1 middle-line optional data (11).
    pub optional_data_2: String,
    /// Surname.
    pub primary_identifier: String,
    /// Given names.
    pub secondary_identifier: String,
}

fn field(name: &'static str, value: &str, width: usize) -> Result<String, MrzError> {
    let v: String = value
        .trim()
        .chars()
        .map(|c| {
            if c == ' ' {
                '<'
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect();
    if v.len() > width
        || !v
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'<')
    {
        return Err(MrzError::InvalidField {
            field: name,
            reason: "too long or not in the MRZ alphabet",
        });
    }
    Ok(format!("{v:<<width$}"))
}

fn digit(data: &str) -> char {
    check_digit(data).map_or('<', |d| char::from(b'0' + d))
}

fn name_field(fields: &MrzFields, width: usize) -> Result<String, MrzError> {
    let primary = field("primary identifier", &fields.primary_identifier, width)?;
    let secondary = field("secondary identifier", &fields.secondary_identifier, width)?;
    let mut name = primary.trim_end_matches('<').to_string();
    let given = secondary.trim_end_matches('<');
    if !given.is_empty() {
        name.push_str("<<");
        name.push_str(given);
    }
    // ICAO truncates long names; we do too.
    name.truncate(width);
    Ok(format!("{name:<<width$}"))
}

/// Write a TD1 zone (3 lines of 30).
pub fn format_td1(fields: &MrzFields) -> Result<[String; 3], MrzError> {
    let code = field("document code", &fields.document_code, 2)?;
    let state = field("issuing state", &fields.issuing_state, 3)?;
    let doc = field("document number", &fields.document_number, 9)?;
    let opt1 = field("optional data", &fields.optional_data_1, 15)?;
    let dob = field("date of birth", &fields.date_of_birth, 6)?;
    let exp = field("date of expiry", &fields.date_of_expiry, 6)?;
    let nat = field("nationality", &fields.nationality, 3)?;
    let opt2 = field("optional data", &fields.optional_data_2, 11)?;
    let sex = field("sex", &fields.sex.to_string(), 1)?;
    let upper = format!("{code}{state}{doc}{}{opt1}", digit(&doc));
    let middle_start = format!("{dob}{}{sex}{exp}{}{nat}{opt2}", digit(&dob), digit(&exp));
    let composite = format!(
        "{}{}{}{}",
        &upper[5..30],
        &middle_start[0..7],
        &middle_start[8..15],
        &middle_start[18..29]
    );
    let middle = format!("{middle_start}{}", digit(&composite));
    Ok([upper, middle, name_field(fields, 30)?])
}

/// Write a TD3 zone (2 lines of 44).
pub fn format_td3(fields: &MrzFields) -> Result<[String; 2], MrzError> {
    let code = field("document code", &fields.document_code, 2)?;
    let state = field("issuing state", &fields.issuing_state, 3)?;
    let doc = field("document number", &fields.document_number, 9)?;
    let dob = field("date of birth", &fields.date_of_birth, 6)?;
    let exp = field("date of expiry", &fields.date_of_expiry, 6)?;
    let nat = field("nationality", &fields.nationality, 3)?;
    let personal = field("personal number", &fields.optional_data_1, 14)?;
    let sex = field("sex", &fields.sex.to_string(), 1)?;
    let personal_digit = if personal.bytes().all(|c| c == b'<') {
        '<'
    } else {
        digit(&personal)
    };
    let start = format!(
        "{doc}{}{nat}{dob}{}{sex}{exp}{}{personal}{personal_digit}",
        digit(&doc),
        digit(&dob),
        digit(&exp)
    );
    let composite = format!("{}{}{}", &start[0..10], &start[13..20], &start[21..43]);
    let lower = format!("{start}{}", digit(&composite));
    let name = name_field(fields, 39)?;
    Ok([format!("{code}{state}{name}"), lower])
}

/// Write the TD1 zone of a Vietnamese card: document code `ID`, state and nationality `VNM`,
/// document number = last 9 digits of the 12-digit ID, optional data = `ID<<d`.
pub fn vietnam_td1(
    id: &str,
    date_of_birth: &str,
    sex: char,
    date_of_expiry: &str,
    surname: &str,
    given_names: &str,
) -> Result<[String; 3], MrzError> {
    if id.len() != 12 || !id.bytes().all(|c| c.is_ascii_digit()) {
        return Err(MrzError::InvalidField {
            field: "ID number",
            reason: "must be exactly 12 digits",
        });
    }
    format_td1(&MrzFields {
        document_code: "ID".into(),
        issuing_state: "VNM".into(),
        document_number: id[3..].to_string(),
        date_of_birth: date_of_birth.into(),
        sex,
        date_of_expiry: date_of_expiry.into(),
        nationality: "VNM".into(),
        optional_data_1: format!("{id}<<{}", digit(id)),
        optional_data_2: String::new(),
        primary_identifier: surname.into(),
        secondary_identifier: given_names.into(),
    })
}
