//! Access keys: the MRZ information for BAC (and PACE with the MRZ), and the CAN.

use super::dates::yymmdd;
use super::{Mrz, MrzError, check_digit, expiry};
use crate::crypto::SecretKey;
use cccd_qr::IdNumber;
use sha1::Digest as _;
use std::fmt;
use time::Date;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Where the fields of a [`BacKey`] came from; lets BAC explain a rejection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// Read from a full MRZ.
    Mrz,
    /// Typed as document number, date of birth and date of expiry.
    Document {
        /// The document number given was 12 digits: almost surely the ID number, which BAC
        /// does not accept (it needs the last 9 digits).
        looked_like_id_number: bool,
    },
    /// Derived from the 12-digit ID with a known expiry date.
    IdNumber,
    /// Derived from the 12-digit ID and date of birth with a guessed expiry date.
    IdAndBirthDate {
        /// The guessed expiry's age threshold (14, 25, 40, 60), or `None` for a "no expiry"
        /// encoding.
        age: Option<u8>,
    },
}

/// The MRZ information that BAC keys derive from: document number, date of birth and date of
/// expiry, each with its check digit. Zeroized on drop; `Debug` shows none of it.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct BacKey {
    /// `docno<filler> cd YYMMDD cd YYMMDD cd`.
    information: String,
    #[zeroize(skip)]
    source: KeySource,
}

impl fmt::Debug for BacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BacKey({:?}, redacted)", self.source)
    }
}

fn digit_char(field: &str) -> char {
    check_digit(field).map_or('<', |d| char::from(b'0' + d))
}

fn mrz_field(field: &'static str, value: &str) -> Result<String, MrzError> {
    let upper = value.trim().to_ascii_uppercase();
    if upper.is_empty()
        || !upper
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'<')
    {
        return Err(MrzError::InvalidField {
            field,
            reason: "must be letters, digits or '<'",
        });
    }
    Ok(upper)
}

impl BacKey {
    /// The key from fields as printed in the MRZ (check digits given).
    pub(crate) fn from_printed(
        document_number: &str,
        document_number_check: char,
        date_of_birth: &str,
        date_of_birth_check: char,
        date_of_expiry: &str,
        date_of_expiry_check: char,
        source: KeySource,
    ) -> Self {
        Self {
            information: format!(
                "{document_number}{document_number_check}{date_of_birth}{date_of_birth_check}{date_of_expiry}{date_of_expiry_check}"
            ),
            source,
        }
    }

    /// The key of a Vietnamese card from its ID number (the document number is the last 9
    /// digits, always valid MRZ characters) and a date-of-expiry field of MRZ characters.
    fn from_id_number(
        id: &IdNumber,
        date_of_birth: Date,
        date_of_expiry: &str,
        source: KeySource,
    ) -> Self {
        let document_number = id.document_number();
        let date_of_birth = yymmdd(date_of_birth);
        Self::from_printed(
            document_number,
            digit_char(document_number),
            &date_of_birth,
            digit_char(&date_of_birth),
            date_of_expiry,
            digit_char(date_of_expiry),
            source,
        )
    }

    /// The key from raw MRZ field values: document number (filled to 9 with `<`), and dates as
    /// `YYMMDD` (any MRZ characters, so "no expiry" encodings such as `<<<<<<` work). The
    /// check digits are computed.
    pub fn from_fields(
        document_number: &str,
        date_of_birth: &str,
        date_of_expiry: &str,
    ) -> Result<Self, MrzError> {
        let mut doc = mrz_field("document number", document_number)?;
        let looked_like_id_number = doc.len() == 12 && doc.bytes().all(|c| c.is_ascii_digit());
        while doc.len() < 9 {
            doc.push('<');
        }
        let dob = mrz_field("date of birth", date_of_birth)?;
        let exp = mrz_field("date of expiry", date_of_expiry)?;
        if dob.len() != 6 || exp.len() != 6 {
            return Err(MrzError::InvalidField {
                field: "date",
                reason: "must be 6 characters YYMMDD",
            });
        }
        Ok(Self::from_printed(
            &doc,
            digit_char(&doc),
            &dob,
            digit_char(&dob),
            &exp,
            digit_char(&exp),
            KeySource::Document {
                looked_like_id_number,
            },
        ))
    }

    /// A key from the MRZ information string itself (`docno cd YYMMDD cd YYMMDD cd`, as the
    /// chip side stores it). Only the alphabet and the minimum length (24) are checked.
    pub fn from_information(information: &str) -> Result<Self, MrzError> {
        if information.len() < 24
            || !information
                .bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'<')
        {
            return Err(MrzError::InvalidField {
                field: "MRZ information",
                reason: "must be at least 24 MRZ characters",
            });
        }
        Ok(Self {
            information: information.to_string(),
            source: KeySource::Mrz,
        })
    }

    /// Where the fields came from.
    pub fn source(&self) -> KeySource {
        self.source
    }

    /// The MRZ information string that is hashed (`docno cd dob cd exp cd`). Secret.
    pub fn information(&self) -> Zeroizing<String> {
        Zeroizing::new(self.information.clone())
    }

    /// The date-of-expiry field of this key (`YYMMDD` or a filler encoding).
    pub fn date_of_expiry(&self) -> &str {
        let n = self.information.len();
        self.information
            .get(n.saturating_sub(7)..n.saturating_sub(1))
            .unwrap_or("")
    }

    /// The BAC key seed: the first 16 bytes of SHA-1 of the MRZ information (9303-11 §9.7.2).
    pub fn seed(&self) -> SecretKey {
        let digest = sha1::Sha1::digest(self.information.as_bytes());
        SecretKey::from_bytes(&digest[..16])
    }

    /// The PACE password secret for the MRZ: the whole SHA-1 of the MRZ information
    /// (9303-11 §9.7.3); Kπ = KDF(this, 3).
    pub fn pace_secret(&self) -> SecretKey {
        SecretKey::from_bytes(&sha1::Sha1::digest(self.information.as_bytes()))
    }
}

/// A card access number. On Vietnamese cards: the last 6 digits of the 12-digit ID.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Can(String);

impl Can {
    /// A CAN from its digits (6 on Vietnamese cards; ICAO allows other lengths of digits).
    pub fn new(digits: &str) -> Result<Self, MrzError> {
        let d = digits.trim();
        if d.is_empty() || d.len() > 10 || !d.bytes().all(|c| c.is_ascii_digit()) {
            return Err(MrzError::InvalidField {
                field: "CAN",
                reason: "must be digits (6 on Vietnamese cards)",
            });
        }
        Ok(Self(d.to_string()))
    }

    /// The CAN of a Vietnamese card: the last 6 digits of its 12-digit ID.
    pub fn from_id(id: &IdNumber) -> Self {
        Self(id.can().to_owned())
    }

    /// The PACE password secret: the CAN's ASCII digits; Kπ = KDF(this, 3).
    pub fn pace_secret(&self) -> SecretKey {
        SecretKey::from_bytes(self.0.as_bytes())
    }
}

impl fmt::Debug for Can {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Can(redacted)")
    }
}

/// A password for chip access: the MRZ information (BAC, or PACE with the MRZ) or a CAN
/// (PACE only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessKey {
    /// The MRZ information.
    Mrz(BacKey),
    /// A card access number.
    Can(Can),
}

impl AccessKey {
    /// From a full MRZ text (TD1 or TD3). Check digits are taken as printed.
    pub fn from_mrz(text: &str) -> Result<Self, MrzError> {
        Ok(Self::Mrz(Mrz::parse(text)?.bac_key()))
    }

    /// From document number and dates. A 12-digit number is kept as given (BAC will then
    /// fail and say that it needs the 9-digit document number).
    pub fn from_document(
        document_number: &str,
        date_of_birth: Date,
        date_of_expiry: Date,
    ) -> Result<Self, MrzError> {
        Ok(Self::Mrz(BacKey::from_fields(
            document_number,
            &yymmdd(date_of_birth),
            &yymmdd(date_of_expiry),
        )?))
    }

    /// From the 12-digit ID (the document number is its last 9 digits) and dates.
    pub fn from_id(id: &IdNumber, date_of_birth: Date, date_of_expiry: Date) -> Self {
        Self::Mrz(BacKey::from_id_number(
            id,
            date_of_birth,
            &yymmdd(date_of_expiry),
            KeySource::IdNumber,
        ))
    }

    /// A CAN (on Vietnamese cards: the last 6 digits of the ID).
    pub fn can(digits: &str) -> Result<Self, MrzError> {
        Ok(Self::Can(Can::new(digits)?))
    }

    /// Candidate BAC keys from the 12-digit ID and the date of birth alone, most likely first,
    /// trying the expiry dates the Vietnamese rules allow ([`expiry::candidates`]).
    pub fn from_id_and_dob(id: &IdNumber, date_of_birth: Date, today: Date) -> Vec<BacKey> {
        expiry::candidates(date_of_birth, today)
            .into_iter()
            .map(|candidate| {
                BacKey::from_id_number(
                    id,
                    date_of_birth,
                    &candidate.encoding,
                    KeySource::IdAndBirthDate { age: candidate.age },
                )
            })
            .collect()
    }

    /// The PACE password secret (before KDF with counter 3).
    pub fn pace_secret(&self) -> SecretKey {
        match self {
            Self::Mrz(k) => k.pace_secret(),
            Self::Can(c) => c.pace_secret(),
        }
    }
}
