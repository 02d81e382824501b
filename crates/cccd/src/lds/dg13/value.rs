//! DG13 values: a typed view plus the exact bytes it came from.

use crate::tlv::{self, Tlv, Tlvs};
pub use cccd_qr::Sex;
use std::fmt;
use time::{Date, Month};
use unicode_normalization::UnicodeNormalization;

const UTF8_STRING: u32 = 0x0C;
const PRINTABLE_STRING: u32 = 0x13;
const T61_STRING: u32 = 0x14;
const IA5_STRING: u32 = 0x16;
const VISIBLE_STRING: u32 = 0x1A;
const BMP_STRING: u32 = 0x1E;
const MAX_DEPTH: usize = 4;

/// A DG13 value: the typed view and the exact bytes it was read from (or will be written as).
///
/// The fields are private so the two cannot disagree; build new values with the constructors.
/// `Debug` does not print personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct Field<T> {
    value: T,
    raw: Vec<u8>,
}

impl<T> fmt::Debug for Field<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field({} bytes)", self.raw.len())
    }
}

impl<T> Field<T> {
    pub(super) fn from_parts(value: T, raw: Vec<u8>) -> Self {
        Self { value, raw }
    }

    /// The typed value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The exact encoded value (the TLVs after the index inside the entry).
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The first string in the value, as text (empty if there is none).
    pub fn text(&self) -> String {
        leaves(&self.raw, 0)
            .ok()
            .and_then(|l| l.into_iter().next())
            .unwrap_or_default()
    }
}

fn utf8(s: &str) -> Vec<u8> {
    tlv::encode(tlv::Tag::new(UTF8_STRING), s.as_bytes())
}

fn printable(s: &str) -> Vec<u8> {
    tlv::encode(tlv::Tag::new(PRINTABLE_STRING), s.as_bytes())
}

/// Whether every character of `s` is allowed in an ASN.1 PrintableString (X.680 41.4).
pub fn is_printable_string(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b))
}

impl Field<String> {
    /// A text value written as a UTF8String.
    pub fn text_value(s: &str) -> Self {
        Self::from_parts(s.to_owned(), utf8(s))
    }

    /// A text value written as a PrintableString, as real cards write indices 1, 15 and 16;
    /// `None` if `s` has a character PrintableString cannot hold.
    pub fn printable_value(s: &str) -> Option<Self> {
        is_printable_string(s).then(|| Self::from_parts(s.to_owned(), printable(s)))
    }
}

/// Format a date as DG13 writes it, `DD/MM/YYYY`.
pub fn format_dmy(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}

impl Field<Option<Date>> {
    /// A date written as the UTF8String `DD/MM/YYYY`.
    pub fn date(d: Date) -> Self {
        Self::from_parts(Some(d), utf8(&format_dmy(d)))
    }

    /// A date written as the PrintableString `DD/MM/YYYY`, as real cards write indices 3
    /// and 11.
    pub fn date_printable(d: Date) -> Self {
        Self::from_parts(Some(d), printable(&format_dmy(d)))
    }

    /// A date field whose text is not a full date (e.g. `00/00/1950` for a year-only birth
    /// date); the typed value is what `parse_dmy` makes of it.
    pub fn date_text(text: &str) -> Self {
        Self::from_parts(parse_dmy(text), utf8(text))
    }
}

/// Reads DG13's sex entry: "Nam" or "Nữ" (either Unicode normalization form, any case,
/// "Nu" without its diacritic); any other text is `None`, its bytes kept in the [`Field`].
pub(super) fn sex_from_text(s: &str) -> Option<Sex> {
    let nfc: String = s.trim().nfc().collect();
    match nfc.to_lowercase().as_str() {
        "nam" => Some(Sex::Male),
        "nữ" | "nu" => Some(Sex::Female),
        _ => None,
    }
}

impl Field<Option<Sex>> {
    /// A sex value written as its Vietnamese word.
    pub fn sex(sex: Sex) -> Self {
        Self::from_parts(Some(sex), utf8(sex.card_text()))
    }

    /// A sex entry holding `text` as written, read as DG13 reads it.
    pub fn sex_text(text: &str) -> Self {
        Self::from_parts(sex_from_text(text), utf8(text))
    }
}

/// The expiry entry: a date, or a text meaning the card does not expire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expiry {
    /// A `DD/MM/YYYY` date.
    Date(Date),
    /// Any text that is not a date, such as "Không thời hạn" (no time limit).
    NoExpiry(String),
}

impl Expiry {
    pub(super) fn from_text(s: &str) -> Self {
        match parse_dmy(s) {
            Some(d) => Expiry::Date(d),
            None => Expiry::NoExpiry(s.to_owned()),
        }
    }
}

impl Field<Expiry> {
    /// An expiry value written as a UTF8String.
    pub fn expiry(e: Expiry) -> Self {
        let raw = match &e {
            Expiry::Date(d) => utf8(&format_dmy(*d)),
            Expiry::NoExpiry(s) => utf8(s),
        };
        Self::from_parts(e, raw)
    }
}

/// Entry 13: the parents' names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parents {
    /// Father's full name.
    pub father: Option<String>,
    /// Mother's full name.
    pub mother: Option<String>,
}

impl Field<Parents> {
    /// Parents written as `SEQUENCE { UTF8String father, UTF8String mother }` (an absent name
    /// is written as an empty string so the mother stays second).
    pub fn parents(p: Parents) -> Self {
        let mut inner = utf8(p.father.as_deref().unwrap_or(""));
        inner.extend_from_slice(&utf8(p.mother.as_deref().unwrap_or("")));
        let raw = tlv::encode(super::SEQUENCE, &inner);
        Self::from_parts(p, raw)
    }
}

impl Field<Parents> {
    /// Parents written as real cards do: `SEQUENCE { UTF8String father }`,
    /// `SEQUENCE { UTF8String mother }` directly after the index (an absent name is an empty
    /// string so the mother stays second).
    pub fn parents_two_sequences(p: Parents) -> Self {
        let mut raw = tlv::encode(super::SEQUENCE, &utf8(p.father.as_deref().unwrap_or("")));
        raw.extend_from_slice(&tlv::encode(
            super::SEQUENCE,
            &utf8(p.mother.as_deref().unwrap_or("")),
        ));
        Self::from_parts(p, raw)
    }
}

impl Field<Option<String>> {
    /// A spouse written as `SEQUENCE { UTF8String name }`, or an empty SEQUENCE.
    pub fn spouse(name: Option<&str>) -> Self {
        let inner = name.map(utf8).unwrap_or_default();
        let raw = tlv::encode(super::SEQUENCE, &inner);
        Self::from_parts(name.map(str::to_owned), raw)
    }

    /// A spouse as real cards write it: `SEQUENCE { UTF8String name }`, or, with no spouse,
    /// nothing after the index.
    pub fn spouse_or_index_only(name: Option<&str>) -> Self {
        match name {
            Some(n) => Self::spouse(Some(n)),
            None => Self::from_parts(None, Vec::new()),
        }
    }
}

/// Parse `DD/MM/YYYY` (also `DD-MM-YYYY`, `DD.MM.YYYY`, `DDMMYYYY`); `None` if not a real date.
pub fn parse_dmy(s: &str) -> Option<Date> {
    let digits: Vec<u8> = s.trim().bytes().filter(u8::is_ascii_digit).collect();
    let seps = s.trim().bytes().filter(|b| !b.is_ascii_digit()).count();
    let (d, rest) = digits.split_at_checked(2)?;
    let (m, y) = rest.split_at_checked(2)?;
    if y.len() != 4 || !(seps == 0 || seps == 2) {
        return None;
    }
    let num = |b: &[u8]| {
        b.iter()
            .fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'))
    };
    let month = Month::try_from(u8::try_from(num(m)).ok()?).ok()?;
    Date::from_calendar_date(
        i32::try_from(num(y)).ok()?,
        month,
        u8::try_from(num(d)).ok()?,
    )
    .ok()
}

/// The character strings in `raw`, depth-first, descending into constructed objects.
/// Errors carry (offset within `raw`, reason).
pub(super) fn leaves(raw: &[u8], depth: usize) -> Result<Vec<String>, (usize, &'static str)> {
    let mut out = Vec::new();
    collect(raw, depth, 0, &mut out)?;
    Ok(out)
}

fn collect(
    raw: &[u8],
    depth: usize,
    base: usize,
    out: &mut Vec<String>,
) -> Result<(), (usize, &'static str)> {
    for item in Tlvs::new(raw) {
        let item: Tlv<'_> = item.map_err(|e| (base + e.offset, "malformed TLV in value"))?;
        let at = base + item.offset();
        let v = item.value();
        match item.tag().value() {
            UTF8_STRING => out.push(
                std::str::from_utf8(v)
                    .map_err(|_| (at, "UTF8String is not valid UTF-8"))?
                    .to_owned(),
            ),
            PRINTABLE_STRING | IA5_STRING | VISIBLE_STRING => {
                if !v.is_ascii() {
                    return Err((at, "ASCII string has non-ASCII bytes"));
                }
                out.push(v.iter().map(|&b| char::from(b)).collect());
            }
            // T.61 is treated as Latin-1, the common practice.
            T61_STRING => out.push(v.iter().map(|&b| char::from(b)).collect()),
            BMP_STRING => {
                if !v.len().is_multiple_of(2) {
                    return Err((at, "BMPString has an odd length"));
                }
                let units = v.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
                out.push(
                    char::decode_utf16(units)
                        .map(|c| c.unwrap_or('\u{FFFD}'))
                        .collect(),
                );
            }
            _ if item.tag().is_constructed() => {
                if depth >= MAX_DEPTH {
                    return Err((at, "value nested too deeply"));
                }
                collect(v, depth + 1, at + item.header_len(), out)?;
            }
            _ => {}
        }
    }
    Ok(())
}
