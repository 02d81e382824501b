//! QR text → [`QrData`].
//!
//! Two strategies, tried in order:
//! 1. **The CCCD-2021 layout** `ID|CMND|name|DOB|sex|residence|issue date[|extra...]`, also
//!    with the CMND slot missing altogether. It is recognised by where the date-shaped fields
//!    sit; once recognised, every field is read by position and an error names the position.
//! 2. **By field shape**, for layouts whose order is not known (the 2024 Căn cước QR): the ID
//!    comes first; then dates, "Nam"/"Nữ", 9/12-digit numbers and text are told apart by their
//!    shape. Whatever is not understood is kept in [`QrData::extra_fields`].

use std::fmt;

use serde::Serialize;
use time::{Date, Month};

use crate::date::{looks_like_date, parse_card_date, serialize_iso, serialize_iso_opt};
use crate::error::{FieldProblem, QrError};
use crate::id_number::{IdNumber, Inconsistency};
use crate::sex::Sex;
use crate::text::{clean_field, decode_cp1252, fold_diacritics_lowercase};

/// Longest input accepted, in bytes. A version-40 QR holds at most 2,953 bytes, so anything
/// longer did not come from a card.
pub const MAX_INPUT_BYTES: usize = 4096;

/// The fewest fields of any known layout (2021 layout with the CMND slot left out).
const MIN_FIELDS: usize = 6;

/// First day of the Căn cước (2024) card; CCCD cards were issued before it.
const CAN_CUOC_FIRST_DAY: Date = match Date::from_calendar_date(2024, Month::July, 1) {
    Ok(d) => d,
    Err(_) => Date::MIN,
};

/// Which card generation a QR came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CardGeneration {
    /// CCCD with chip, issued from 2021 until 30 June 2024 (QR on the front).
    #[serde(rename = "cccd_2021")]
    Cccd2021,
    /// Căn cước, issued from 1 July 2024 (QR on the back).
    #[serde(rename = "can_cuoc_2024")]
    CanCuoc2024,
    /// Could not be told (no issue date in the QR).
    Unknown,
}

/// What kind of document the QR is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A citizen ID card with a chip (CCCD 2021 or Căn cước 2024).
    IdCard,
    /// The certificate of identity (giấy chứng nhận căn cước) for people of Vietnamese origin
    /// whose nationality is undetermined: paper with a QR and **no chip**. Recognised by a
    /// field naming the certificate or stating the nationality as undetermined (an
    /// assumption: no sample of this QR is public).
    CertificateOfIdentity,
}

impl DocumentKind {
    /// Whether the document carries a chip that can be read and verified.
    pub fn has_chip(self) -> bool {
        self == DocumentKind::IdCard
    }
}

/// The parents' names a Căn cước QR holds for a child under 14.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QrParents {
    /// Father's full name (the first name-shaped field after the holder's own).
    pub father: String,
    /// Mother's full name (the second), when present.
    pub mother: Option<String>,
}

/// A field that was kept but not understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtraField {
    /// 0-based position among the `|`-separated fields.
    pub index: usize,
    /// The field's text (cleaned: NFC, mojibake repaired, spaces collapsed).
    pub value: String,
}

/// The typed content of a card's QR code.
///
/// `Debug` shows only the card generation and which fields are present; the values are
/// personal data. Serialize it (serde) to get them, with stable lower_snake field names and
/// ISO 8601 dates.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct QrData {
    generation: CardGeneration,
    document: DocumentKind,
    id_number: IdNumber,
    old_id_number: Option<String>,
    #[serde(rename = "cancelled_id_numbers")]
    other_id_numbers: Vec<String>,
    full_name: String,
    #[serde(serialize_with = "serialize_iso")]
    date_of_birth: Date,
    sex: Sex,
    residence: Option<String>,
    #[serde(serialize_with = "serialize_iso_opt")]
    issue_date: Option<Date>,
    parents: Option<QrParents>,
    extra_fields: Vec<ExtraField>,
}

impl QrData {
    /// Which card generation the QR came from, told by the issue date.
    pub fn generation(&self) -> CardGeneration {
        self.generation
    }
    /// The 12-digit personal ID number.
    pub fn id_number(&self) -> &IdNumber {
        &self.id_number
    }
    /// The old 9-digit CMND number (or an older 12-digit number in that slot), if present.
    pub fn old_id_number(&self) -> Option<&str> {
        self.old_id_number.as_deref()
    }
    /// Further 9/12-digit numbers found outside the CMND slot (cancelled ID numbers on 2024
    /// cards), in QR order.
    pub fn other_id_numbers(&self) -> &[String] {
        &self.other_id_numbers
    }
    /// The cancelled ID numbers a 2024 Căn cước QR lists: every 9/12-digit number besides the
    /// current ID and the old CMND slot (the same list as [`QrData::other_id_numbers`]).
    pub fn cancelled_id_numbers(&self) -> &[String] {
        &self.other_id_numbers
    }
    /// Whether `number` is one this card replaced: a cancelled ID number or the old CMND
    /// number the QR lists (spaces ignored). The card's current number is not superseded.
    pub fn supersedes(&self, number: &str) -> bool {
        let n: String = number.chars().filter(|c| !c.is_whitespace()).collect();
        !n.is_empty()
            && n != self.id_number.as_str()
            && (self.old_id_number.as_deref() == Some(n.as_str())
                || self.other_id_numbers.contains(&n))
    }
    /// What the QR is printed on: an ID card with a chip, or the chipless certificate of
    /// identity.
    pub fn document(&self) -> DocumentKind {
        self.document
    }
    /// The parents' names (2024 QR of a child under 14), when the QR holds them.
    pub fn parents(&self) -> Option<&QrParents> {
        self.parents.as_ref()
    }
    /// Full name, NFC-normalised, as written (upper/lower case kept).
    pub fn full_name(&self) -> &str {
        &self.full_name
    }
    /// Date of birth.
    pub fn date_of_birth(&self) -> Date {
        self.date_of_birth
    }
    /// Sex.
    pub fn sex(&self) -> Sex {
        self.sex
    }
    /// Place of residence (addresses contain commas; they are kept).
    pub fn residence(&self) -> Option<&str> {
        self.residence.as_deref()
    }
    /// Date the card was issued, when the QR holds one.
    pub fn issue_date(&self) -> Option<Date> {
        self.issue_date
    }
    /// Fields kept but not understood (extra trailing fields, parents' names...).
    pub fn extra_fields(&self) -> &[ExtraField] {
        &self.extra_fields
    }
    /// Checks that the ID number agrees with the QR's own date of birth and sex.
    pub fn check_consistency(&self) -> Result<(), Inconsistency> {
        self.id_number.consistent_with(self.date_of_birth, self.sex)
    }
}

impl fmt::Debug for QrData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QrData")
            .field("generation", &self.generation)
            .field("document", &self.document)
            .field("parents", &self.parents.is_some())
            .field("id_number", &self.id_number)
            .field("old_id_number", &self.old_id_number.as_ref().map(|_| ".."))
            .field("other_id_numbers", &self.other_id_numbers.len())
            .field("full_name", &"..")
            .field("residence", &self.residence.as_ref().map(|_| ".."))
            .field("issue_date", &self.issue_date.map(|_| ".."))
            .field("extra_fields", &self.extra_fields.len())
            .finish_non_exhaustive()
    }
}

/// Parses the text of a card QR. See the crate docs for what is tolerated.
pub fn parse(text: &str) -> Result<QrData, QrError> {
    check_size(text.len())?;
    parse_unchecked(text)
}

/// Parses QR bytes that may not be UTF-8: a UTF-8 BOM is dropped, UTF-16 with a BOM is
/// decoded, and other non-UTF-8 input is read as Windows-1252 (then repaired if it is
/// mis-decoded UTF-8).
pub fn parse_bytes(bytes: &[u8]) -> Result<QrData, QrError> {
    check_size(bytes.len())?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return parse_unchecked(text);
    }
    if let Some(text) = decode_utf16_with_bom(bytes) {
        return parse_unchecked(&text);
    }
    parse_unchecked(&decode_cp1252(bytes))
}

fn check_size(len: usize) -> Result<(), QrError> {
    if len > MAX_INPUT_BYTES {
        return Err(QrError::TooLarge {
            len,
            max: MAX_INPUT_BYTES,
        });
    }
    Ok(())
}

fn decode_utf16_with_bom(bytes: &[u8]) -> Option<String> {
    let (little_endian, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => return None,
    };
    if body.len() % 2 != 0 {
        return None;
    }
    let units = body.chunks_exact(2).map(|p| {
        let pair = [p[0], p[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

fn parse_unchecked(text: &str) -> Result<QrData, QrError> {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\0');
    if trimmed.is_empty() {
        return Err(QrError::Empty);
    }
    if !trimmed.contains('|') {
        return Err(QrError::NotACardQr);
    }
    // A card QR opens with the ID number. A first field without any digit (text, a URL) or
    // far longer than a number means another kind of QR; a near-miss is reported as a bad ID.
    // Checked on the raw field, before the (costlier) cleaning of every field.
    let first_raw = trimmed.split('|').next().unwrap_or_default().trim();
    let first_is_numberish = first_raw.len() <= 48 && first_raw.bytes().any(|b| b.is_ascii_digit());
    if !first_is_numberish {
        return Err(QrError::NotACardQr);
    }
    // Bounded: at most MAX_INPUT_BYTES * 3 bytes of text, so at most that many fields.
    let fields: Vec<String> = trimmed.split('|').map(clean_field).collect();
    if fields.len() < MIN_FIELDS {
        return Err(QrError::FieldCount {
            found: fields.len(),
            min: MIN_FIELDS,
        });
    }
    let id_number = IdNumber::parse(&fields[0]).map_err(|e| bad(0, "id_number", e.into()))?;
    match detect_2021_layout(&fields) {
        Some(name_index) => parse_2021_layout(&fields, id_number, name_index),
        None => parse_by_shape(&fields, id_number),
    }
}

fn bad(index: usize, field: &'static str, reason: FieldProblem) -> QrError {
    QrError::BadField {
        index,
        field,
        reason,
    }
}

fn digits_only(text: &str) -> Option<String> {
    let d: String = text.chars().filter(|&c| c != ' ').collect();
    (!d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
}

/// Empty, or only digits but not a date: what the CMND slot holds.
fn is_old_id_slot(text: &str) -> bool {
    text.is_empty() || (digits_only(text).is_some() && !looks_like_date(text))
}

/// Index of the name field if the fields follow the 2021 order (with or without the CMND
/// slot), judged by where the dates are.
fn detect_2021_layout(fields: &[String]) -> Option<usize> {
    let date_at = |i: usize| fields.get(i).is_some_and(|f| looks_like_date(f));
    let slot = fields.get(1).is_some_and(|f| is_old_id_slot(f));
    let name_at_1 = fields
        .get(1)
        .is_some_and(|f| !f.is_empty() && digits_only(f).is_none() && !looks_like_date(f));
    if fields.len() >= 7 && slot && date_at(3) {
        Some(2)
    } else if fields.len() >= 6 && name_at_1 && date_at(2) {
        Some(1)
    } else {
        None
    }
}

fn generation_from(issue_date: Option<Date>) -> CardGeneration {
    match issue_date {
        Some(d) if d >= CAN_CUOC_FIRST_DAY => CardGeneration::CanCuoc2024,
        Some(_) => CardGeneration::Cccd2021,
        None => CardGeneration::Unknown,
    }
}

fn parse_2021_layout(
    fields: &[String],
    id_number: IdNumber,
    name_index: usize,
) -> Result<QrData, QrError> {
    let field = |i: usize| fields.get(i).map_or("", String::as_str);
    let old_id_number = if name_index == 2 {
        match digits_only(field(1)) {
            None => None,
            Some(d) if d.len() == 9 || d.len() == 12 => Some(d),
            Some(d) => {
                return Err(bad(
                    1,
                    "old_id_number",
                    FieldProblem::OldIdLength { found: d.len() },
                ));
            }
        }
    } else {
        None
    };
    let full_name = field(name_index);
    if full_name.is_empty() {
        return Err(bad(name_index, "full_name", FieldProblem::Empty));
    }
    let dob_index = name_index + 1;
    let date_of_birth =
        parse_card_date(field(dob_index)).map_err(|e| bad(dob_index, "date_of_birth", e.into()))?;
    let sex_index = name_index + 2;
    let sex = Sex::from_card_text(field(sex_index))
        .ok_or_else(|| bad(sex_index, "sex", FieldProblem::NotASex))?;
    let residence = Some(field(name_index + 3))
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    let issue_index = name_index + 4;
    let issue_date = match field(issue_index) {
        "" => None,
        text => Some(parse_card_date(text).map_err(|e| bad(issue_index, "issue_date", e.into()))?),
    };
    let mut ids = IdNumbers {
        old: old_id_number,
        others: Vec::new(),
    };
    let mut extra_fields = Vec::new();
    for (index, value) in fields.iter().enumerate().skip(issue_index + 1) {
        keep_extra(index, value, &mut ids, &mut extra_fields);
    }
    Ok(finish(QrData {
        generation: generation_from(issue_date),
        document: DocumentKind::IdCard,
        id_number,
        old_id_number: ids.old,
        other_id_numbers: ids.others,
        full_name: full_name.to_owned(),
        date_of_birth,
        sex,
        residence,
        issue_date,
        parents: None,
        extra_fields,
    }))
}

/// The old (CMND) number and any further ID numbers found.
#[derive(Default)]
struct IdNumbers {
    old: Option<String>,
    others: Vec<String>,
}

impl IdNumbers {
    /// The first 9-digit number is the old CMND number; the rest are kept in order.
    fn add(&mut self, digits: String) {
        if self.old.is_none() && digits.len() == 9 {
            self.old = Some(digits);
        } else {
            self.others.push(digits);
        }
    }
}

/// Files a field nobody claimed: 9/12-digit numbers as ID numbers, the rest as extras.
fn keep_extra(index: usize, value: &str, ids: &mut IdNumbers, extra_fields: &mut Vec<ExtraField>) {
    if value.is_empty() {
        return;
    }
    match digits_only(value) {
        Some(d) if d.len() == 9 || d.len() == 12 => ids.add(d),
        _ => extra_fields.push(ExtraField {
            index,
            value: value.to_owned(),
        }),
    }
}

fn parse_by_shape(fields: &[String], id_number: IdNumber) -> Result<QrData, QrError> {
    let mut ids = IdNumbers::default();
    let mut dates: Vec<(usize, Date)> = Vec::new();
    let mut sex = None;
    let mut texts: Vec<(usize, &str)> = Vec::new();
    let mut extra_fields = Vec::new();
    for (index, value) in fields.iter().enumerate().skip(1) {
        let value = value.as_str();
        if value.is_empty() {
            continue;
        }
        if looks_like_date(value) {
            let d = parse_card_date(value).map_err(|e| bad(index, "date", e.into()))?;
            dates.push((index, d));
        } else if let Some(d) = digits_only(value).filter(|d| d.len() == 9 || d.len() == 12) {
            ids.add(d);
        } else if let Some(s) = Sex::from_card_text(value).filter(|_| sex.is_none()) {
            sex = Some(s);
        } else if marks_certificate(value) {
            // Not a name or an address: kept, and recognised in `finish`.
            extra_fields.push(ExtraField {
                index,
                value: value.to_owned(),
            });
        } else {
            texts.push((index, value));
        }
    }
    let sex = sex.ok_or(QrError::MissingField { field: "sex" })?;
    // A person is born before their card is issued: the earliest date is the birth date,
    // the next one the issue date; any later one (an expiry?) is kept as an extra.
    dates.sort_by_key(|&(_, d)| d);
    let mut dates = dates.into_iter();
    let (_, date_of_birth) = dates.next().ok_or(QrError::MissingField {
        field: "date_of_birth",
    })?;
    let issue_date = dates.next().map(|(_, d)| d);
    for (index, _) in dates {
        extra_fields.push(ExtraField {
            index,
            value: fields.get(index).cloned().unwrap_or_default(),
        });
    }
    // The name is the first text without digits or commas; the residence is the first other
    // text with a digit or comma, else the first other text after the name.
    let name_pos = texts
        .iter()
        .position(|(_, t)| !t.chars().any(|c| c.is_ascii_digit() || c == ','))
        .ok_or(QrError::MissingField { field: "full_name" })?;
    let (name_index, full_name) = texts.remove(name_pos);
    let residence_pos = texts
        .iter()
        .position(|(_, t)| t.chars().any(|c| c.is_ascii_digit() || c == ','))
        .or_else(|| texts.iter().position(|&(i, _)| i > name_index));
    let residence = residence_pos.map(|p| texts.remove(p).1.to_owned());
    for (index, value) in texts {
        keep_extra(index, value, &mut ids, &mut extra_fields);
    }
    extra_fields.sort_by_key(|e| e.index);
    Ok(finish(QrData {
        generation: generation_from(issue_date),
        document: DocumentKind::IdCard,
        id_number,
        old_id_number: ids.old,
        other_id_numbers: ids.others,
        full_name: full_name.to_owned(),
        date_of_birth,
        sex,
        residence,
        issue_date,
        parents: None,
        extra_fields,
    }))
}

/// Whether a field marks the certificate of identity: it names the certificate, or states
/// the nationality as undetermined.
fn marks_certificate(value: &str) -> bool {
    let folded = fold_diacritics_lowercase(value);
    [
        "chung nhan can cuoc",
        "chua xac dinh quoc tich",
        "khong xac dinh quoc tich",
    ]
    .iter()
    .any(|m| folded.contains(m))
        || folded == "chua xac dinh"
}

/// A person's name: two to eight words of letters only.
fn is_name_shaped(value: &str) -> bool {
    let words = value.split(' ').count();
    (2..=8).contains(&words) && value.chars().all(|c| c.is_alphabetic() || c == ' ')
}

/// Recognise what the kept extra fields mean: a certificate-of-identity marker, and on a QR
/// not known to be CCCD 2021, the parents' names (the name-shaped extras, father first).
fn finish(mut data: QrData) -> QrData {
    if data
        .extra_fields
        .iter()
        .any(|e| marks_certificate(&e.value))
    {
        data.document = DocumentKind::CertificateOfIdentity;
    }
    if data.generation != CardGeneration::Cccd2021 {
        let mut names = data
            .extra_fields
            .iter()
            .filter(|e| is_name_shaped(&e.value) && !marks_certificate(&e.value))
            .map(|e| (e.index, e.value.clone()));
        if let Some((father_at, father)) = names.next() {
            let mother = names.next();
            let taken = [Some(father_at), mother.as_ref().map(|m| m.0)];
            data.extra_fields
                .retain(|e| !taken.contains(&Some(e.index)));
            data.parents = Some(QrParents {
                father,
                mother: mother.map(|m| m.1),
            });
        }
    }
    data
}
