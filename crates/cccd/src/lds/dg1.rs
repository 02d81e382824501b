//! DG1 (tag 0x61): the MRZ as stored on the chip (`61 { 5F1F mrz }`).
//!
//! DG1 keeps the raw MRZ and exposes the TD1 fields by position; [`Dg1::typed`] hands the lines
//! to [`crate::mrz::Mrz::parse`] for the typed view with every check digit evaluated.

use super::asn1::root;
use super::{DataGroup, FileId, LdsError};
use crate::tlv::{self, Tag, TlvErrorKind};

use crate::mrz::MrzFormat;

const FILE: FileId = FileId::Dg(DataGroup::Dg1);
const DG1_TAG: Tag = Tag::new(0x61);
const MRZ_TAG: Tag = Tag::new(0x5F1F);

/// The parsed DG1. `Debug` shows the format only: the MRZ is personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct Dg1 {
    mrz: String,
    format: MrzFormat,
}

/// TD1 fields by position, unchecked (check digits are in [`crate::mrz`]). No `Debug`: every
/// field is personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct Td1Fields<'a> {
    /// Document code (2), e.g. `ID`.
    pub document_code: &'a str,
    /// Issuing state (3), e.g. `VNM`.
    pub issuing_state: &'a str,
    /// Document number (9); on Vietnamese cards the last 9 digits of the ID number.
    pub document_number: &'a str,
    /// Optional data of line 1 (15).
    pub optional_data_1: &'a str,
    /// Date of birth YYMMDD.
    pub date_of_birth: &'a str,
    /// Sex (`M`, `F` or `<`).
    pub sex: &'a str,
    /// Date of expiry YYMMDD.
    pub date_of_expiry: &'a str,
    /// Nationality (3).
    pub nationality: &'a str,
    /// Optional data of line 2 (11).
    pub optional_data_2: &'a str,
    /// The name line (30), with `<` fillers.
    pub name: &'a str,
}

impl std::fmt::Debug for Dg1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dg1")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

fn mrz_format(len: usize) -> Option<MrzFormat> {
    match len {
        90 => Some(MrzFormat::Td1),
        72 => Some(MrzFormat::Td2),
        88 => Some(MrzFormat::Td3),
        _ => None,
    }
}

fn valid_mrz_chars(s: &[u8]) -> bool {
    s.iter()
        .all(|&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<')
}

impl Dg1 {
    /// Parse DG1.
    pub fn parse(input: &[u8]) -> Result<Self, LdsError> {
        let dg1 = root(input, DG1_TAG, FILE)?;
        let (mrz_tlv, rest) = tlv::Tlv::parse(dg1.value()).map_err(|e| {
            LdsError::tlv(
                FILE,
                crate::tlv::TlvError {
                    offset: e.offset + dg1.header_len(),
                    kind: e.kind,
                },
            )
        })?;
        let mrz_at = dg1.header_len();
        if mrz_tlv.tag() != MRZ_TAG {
            return Err(LdsError::Malformed {
                file: FILE,
                offset: mrz_at,
                reason: super::Reason::Tlv(TlvErrorKind::UnexpectedTag {
                    expected: MRZ_TAG,
                    found: mrz_tlv.tag(),
                }),
            });
        }
        if !rest.is_empty() {
            return Err(LdsError::invalid(
                FILE,
                mrz_at + mrz_tlv.total_len(),
                "bytes after the MRZ",
            ));
        }
        let value_at = mrz_at + mrz_tlv.header_len();
        let bytes = mrz_tlv.value();
        let format = mrz_format(bytes.len())
            .ok_or_else(|| LdsError::invalid(FILE, value_at, "MRZ length is not 90, 72 or 88"))?;
        if !valid_mrz_chars(bytes) {
            return Err(LdsError::invalid(
                FILE,
                value_at,
                "MRZ has characters outside A-Z 0-9 <",
            ));
        }
        let mrz = bytes.iter().map(|&b| char::from(b)).collect();
        Ok(Self { mrz, format })
    }

    /// A DG1 from an MRZ string; line breaks and surrounding whitespace are removed.
    pub fn from_mrz(mrz: &str) -> Result<Self, LdsError> {
        let joined: String = mrz.split_whitespace().collect();
        let format = mrz_format(joined.len()).ok_or_else(|| LdsError::Encode {
            file: FILE,
            what: "MRZ must have 90, 72 or 88 characters".into(),
        })?;
        if !valid_mrz_chars(joined.as_bytes()) {
            return Err(LdsError::Encode {
                file: FILE,
                what: "MRZ characters must be A-Z 0-9 <".into(),
            });
        }
        Ok(Self {
            mrz: joined,
            format,
        })
    }

    /// Encode DG1.
    pub fn encode(&self) -> Vec<u8> {
        tlv::encode(DG1_TAG, &tlv::encode(MRZ_TAG, self.mrz.as_bytes()))
    }

    /// The MRZ as one string without line breaks.
    pub fn mrz(&self) -> &str {
        &self.mrz
    }

    /// The MRZ format.
    pub fn format(&self) -> MrzFormat {
        self.format
    }

    /// The MRZ split into its lines.
    pub fn lines(&self) -> Vec<&str> {
        let width = match self.format {
            MrzFormat::Td1 => 30,
            MrzFormat::Td2 => 36,
            MrzFormat::Td3 => 44,
        };
        let mut out = Vec::with_capacity(3);
        let mut rest = self.mrz.as_str();
        while !rest.is_empty() {
            let (line, tail) = rest.split_at(width.min(rest.len()));
            out.push(line);
            rest = tail;
        }
        out
    }

    /// The typed MRZ (TD1 or TD3) with its check digits evaluated, from [`crate::mrz`].
    pub fn typed(&self) -> Result<crate::mrz::Mrz, crate::mrz::MrzError> {
        crate::mrz::Mrz::parse(&self.lines().join("\n"))
    }

    /// The TD1 fields, if this is a TD1 MRZ.
    pub fn td1(&self) -> Option<Td1Fields<'_>> {
        if self.format != MrzFormat::Td1 {
            return None;
        }
        let s = self.mrz.as_str();
        let f = |a: usize, b: usize| s.get(a..b);
        Some(Td1Fields {
            document_code: f(0, 2)?,
            issuing_state: f(2, 5)?,
            document_number: f(5, 14)?,
            optional_data_1: f(15, 30)?,
            date_of_birth: f(30, 36)?,
            sex: f(37, 38)?,
            date_of_expiry: f(38, 44)?,
            nationality: f(45, 48)?,
            optional_data_2: f(48, 59)?,
            name: f(60, 90)?,
        })
    }

    /// The Vietnamese 12-digit personal ID number: the first 12 characters of the TD1 optional
    /// data when they are all digits (CARD-FACTS: `ID12<<c`).
    pub fn vn_id_number(&self) -> Option<&str> {
        let opt = self.td1()?.optional_data_1;
        let id = opt.get(..12)?;
        id.bytes().all(|b| b.is_ascii_digit()).then_some(id)
    }
}
