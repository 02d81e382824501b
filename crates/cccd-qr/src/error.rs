//! Errors of QR text parsing. They name the field and the reason, never the field's value
//! (which is personal data), except for a province code.

use crate::id_number::IdError;

/// Why a date field could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not `DDMMYYYY` (nor `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY`).
    #[error("not a date of the form DDMMYYYY")]
    BadShape,
    /// The shape is right but the day does not exist, e.g. 31/02.
    #[error("day {day} of month {month} does not exist in {year}")]
    NoSuchDay {
        /// Day as written.
        day: u8,
        /// Month as written.
        month: u8,
        /// Year as written.
        year: i32,
    },
    /// A year no card can hold (outside 1900–2399, the range the ID number can encode).
    #[error("year {year} is outside 1900-2399")]
    YearOutOfRange {
        /// Year as written.
        year: i32,
    },
}

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldProblem {
    /// The field is empty but must not be.
    #[error("the field is empty")]
    Empty,
    /// The ID number is malformed.
    #[error(transparent)]
    Id(#[from] IdError),
    /// The date is malformed or does not exist.
    #[error(transparent)]
    Date(#[from] DateError),
    /// The sex field is neither "Nam" nor "Nữ".
    #[error("sex must be \"Nam\" or \"Nữ\"")]
    NotASex,
    /// A field in the old-ID (CMND) slot that is digits of the wrong length.
    #[error("an old ID number has 9 or 12 digits, found {found}")]
    OldIdLength {
        /// Number of digits found.
        found: usize,
    },
}

/// Why QR text is not a valid card QR.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// Nothing but whitespace (and byte-order marks).
    #[error("the QR text is empty")]
    Empty,
    /// Longer than any card QR can be; refused before any work is done.
    #[error("the QR text is {len} bytes; a card QR is at most {max}")]
    TooLarge {
        /// Input length in bytes.
        len: usize,
        /// The limit, [`crate::MAX_INPUT_BYTES`].
        max: usize,
    },
    /// Not `|`-separated fields starting with a 12-digit number: some other QR code.
    #[error("this is not the QR code of a Vietnamese ID card")]
    NotACardQr,
    /// Too few fields for any known layout.
    #[error("a card QR has at least {min} '|'-separated fields, found {found}")]
    FieldCount {
        /// Fields found.
        found: usize,
        /// The minimum of any known layout.
        min: usize,
    },
    /// A field was found but is wrong.
    #[error("field {index} ({field}): {reason}")]
    BadField {
        /// 0-based position among the `|`-separated fields.
        index: usize,
        /// Which field it was read as, e.g. `"date_of_birth"`.
        field: &'static str,
        /// What is wrong with it.
        reason: FieldProblem,
    },
    /// A required field could not be found anywhere (layouts recognised by field shape).
    #[error("no field looks like the {field}")]
    MissingField {
        /// The field looked for, e.g. `"sex"`.
        field: &'static str,
    },
}
