//! Logical Data Structure: parsers and encoders for EF.COM, EF.SOD and the data groups.
//!
//! Every parser takes the whole file as read from the chip (`&[u8]`) and returns a typed value or
//! an [`LdsError`] naming the file and the byte offset of the fault. Nothing here does I/O,
//! nothing panics on input, and nothing allocates in proportion to a length that has not been
//! bounded by the input (all lengths come from `tlv`, which checks them).
//!
//! | file | parser | encoder |
//! |---|---|---|
//! | EF.COM | [`com::Com::parse`] | [`com::Com::encode`] |
//! | DG1 | [`dg1::Dg1::parse`] | [`dg1::Dg1::encode`] |
//! | DG2 | [`dg2::Dg2::parse`] | [`dg2::Dg2::encode`] |
//! | DG11, DG12 | [`details::TaggedDetails::parse`] | [`details::TaggedDetails::encode`] |
//! | DG13 (Vietnam) | [`dg13::Dg13::parse`] | [`dg13::Dg13::encode`] |
//! | DG14, EF.CardSecurity | [`dg14::Dg14::parse`], [`card_security::CardSecurity::parse`] | [`dg14::Dg14::encode`] |
//! | DG15 | [`dg15::Dg15::parse`] | [`dg15::Dg15::encode`] |
//! | EF.SOD | [`sod::Sod::parse`] | `sod_builder::SodBuilder` (feature `chip-side`) |

pub mod asn1;
pub mod card_security;
pub mod com;
pub mod details;
pub mod dg1;
pub mod dg13;
pub mod dg14;
pub mod dg15;
pub mod dg2;
pub mod security_infos;
pub mod sod;
#[cfg(any(test, feature = "chip-side"))]
pub mod sod_builder;

/// The BER-TLV layer every LDS file is read with: its errors carry the offset.
pub use crate::tlv::{Tag, TagClass, TlvError, TlvErrorKind};
use std::fmt;

/// A data group of the LDS1 eMRTD application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum DataGroup {
    Dg1,
    Dg2,
    Dg3,
    Dg4,
    Dg5,
    Dg6,
    Dg7,
    Dg8,
    Dg9,
    Dg10,
    Dg11,
    Dg12,
    Dg13,
    Dg14,
    Dg15,
    Dg16,
}

/// Outer tags of DG1..DG16 (ICAO 9303-10, table of LDS1 data groups), indexed by number - 1.
const DG_TAGS: [u8; 16] = [
    0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70,
];

const ALL_DGS: [DataGroup; 16] = [
    DataGroup::Dg1,
    DataGroup::Dg2,
    DataGroup::Dg3,
    DataGroup::Dg4,
    DataGroup::Dg5,
    DataGroup::Dg6,
    DataGroup::Dg7,
    DataGroup::Dg8,
    DataGroup::Dg9,
    DataGroup::Dg10,
    DataGroup::Dg11,
    DataGroup::Dg12,
    DataGroup::Dg13,
    DataGroup::Dg14,
    DataGroup::Dg15,
    DataGroup::Dg16,
];

impl DataGroup {
    /// All sixteen data groups in order.
    pub const ALL: [DataGroup; 16] = ALL_DGS;

    /// The data group number, 1..=16.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    /// The data group with this number (1..=16).
    pub fn from_number(n: u32) -> Option<Self> {
        let i = usize::try_from(n).ok()?.checked_sub(1)?;
        ALL_DGS.get(i).copied()
    }

    /// The outer tag of the file (DG1 = 0x61, DG2 = 0x75, ..., DG16 = 0x70).
    pub fn tag(self) -> u8 {
        DG_TAGS[usize::from(self.number() - 1)]
    }

    /// The data group whose outer tag is `tag` (as listed in EF.COM's tag list 5C).
    pub fn from_tag(tag: u8) -> Option<Self> {
        DG_TAGS
            .iter()
            .position(|&t| t == tag)
            .and_then(|i| ALL_DGS.get(i).copied())
    }

    /// The file identifier inside the eMRTD application (DG1 = 0x0101 ... DG16 = 0x0110).
    pub fn fid(self) -> u16 {
        0x0100 + u16::from(self.number())
    }

    /// The short EF identifier (DG1 = 0x01 ... DG16 = 0x10).
    pub fn sfi(self) -> u8 {
        self.number()
    }
}

impl fmt::Display for DataGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DG{}", self.number())
    }
}

/// An elementary file of the chip, for error messages and file selection.
///
/// File identifiers (ICAO 9303-10 section 4): EF.CardAccess `011C` and EF.CardSecurity `011D`
/// live in the master file; EF.COM `011E`, EF.SOD `011D` and DG1..DG16 `0101..0110` live in the
/// eMRTD (LDS1) application. EF.SOD and EF.CardSecurity share `011D` but sit in different DFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileId {
    /// EF.COM (tag 0x60).
    Com,
    /// EF.SOD (tag 0x77).
    Sod,
    /// EF.CardAccess (a bare SET OF SecurityInfo).
    CardAccess,
    /// EF.CardSecurity (a CMS SignedData holding SecurityInfos).
    CardSecurity,
    /// A data group.
    Dg(DataGroup),
}

impl FileId {
    /// The two-byte file identifier (see the type's documentation for which DF).
    pub fn fid(self) -> u16 {
        match self {
            FileId::Com => 0x011E,
            FileId::Sod | FileId::CardSecurity => 0x011D,
            FileId::CardAccess => 0x011C,
            FileId::Dg(dg) => dg.fid(),
        }
    }

    /// The short EF identifier (the low 5 bits of the file identifier).
    pub fn sfi(self) -> u8 {
        (self.fid() & 0x1F) as u8
    }

    /// Whether the file lives in the master file rather than the eMRTD application.
    pub fn in_master_file(self) -> bool {
        matches!(self, FileId::CardAccess | FileId::CardSecurity)
    }
}

impl fmt::Display for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileId::Com => f.write_str("EF.COM"),
            FileId::Sod => f.write_str("EF.SOD"),
            FileId::CardAccess => f.write_str("EF.CardAccess"),
            FileId::CardSecurity => f.write_str("EF.CardSecurity"),
            FileId::Dg(dg) => dg.fmt(f),
        }
    }
}

/// Why a file was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    /// The TLV/DER framing is broken (truncated, over-long, wrong tag, trailing bytes...).
    #[error("{0}")]
    Tlv(TlvErrorKind),
    /// The framing is fine but a value is not what the structure requires.
    #[error("{0}")]
    Invalid(&'static str),
    /// A SecurityInfos structure (EF.CardAccess, DG14, EF.CardSecurity) is malformed; the
    /// SecurityInfos parser's own error, kept.
    #[error("{0}")]
    SecurityInfos(security_infos::SecurityInfosError),
    /// An embedded X.509 certificate could not be parsed by x509-parser.
    #[error("certificate: {0}")]
    Certificate(String),
}

/// An error from an LDS parser or encoder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LdsError {
    /// The file's bytes do not form the structure the file must have.
    #[error("{file} malformed at offset {offset}: {reason}")]
    Malformed {
        /// Which file.
        file: FileId,
        /// Byte offset from the start of the file.
        offset: usize,
        /// What was wrong.
        reason: Reason,
    },
    /// A well-formed structure that this library does not support.
    #[error("{file}: unsupported {what}")]
    Unsupported {
        /// Which file.
        file: FileId,
        /// What is not supported.
        what: &'static str,
    },
    /// An encoder was given values it cannot encode (e.g. a bad MRZ length, a failed signature).
    #[error("cannot encode {file}: {what}")]
    Encode {
        /// Which file.
        file: FileId,
        /// What was wrong.
        what: String,
    },
}

impl LdsError {
    /// A [`LdsError::Malformed`] with a plain-words reason.
    pub(crate) fn invalid(file: FileId, offset: usize, what: &'static str) -> Self {
        LdsError::Malformed {
            file,
            offset,
            reason: Reason::Invalid(what),
        }
    }

    /// Attach a file to a CMS error (EF.SOD, EF.CardSecurity), keeping offset and reason.
    pub(crate) fn cms(file: FileId, e: crate::pki::cms::CmsError) -> Self {
        use crate::pki::cms::CmsReason;
        let reason = match e.reason {
            CmsReason::Tlv(kind) => Reason::Tlv(kind),
            CmsReason::Invalid(what) => Reason::Invalid(what),
        };
        LdsError::Malformed {
            file,
            offset: e.offset,
            reason,
        }
    }

    /// Attach a file to a TLV error.
    pub(crate) fn tlv(file: FileId, e: TlvError) -> Self {
        LdsError::Malformed {
            file,
            offset: e.offset,
            reason: Reason::Tlv(e.kind),
        }
    }

    /// The offset, for [`LdsError::Malformed`].
    pub fn offset(&self) -> Option<usize> {
        match self {
            LdsError::Malformed { offset, .. } => Some(*offset),
            _ => None,
        }
    }

    /// The file the error is about.
    pub fn file(&self) -> FileId {
        match self {
            LdsError::Malformed { file, .. }
            | LdsError::Unsupported { file, .. }
            | LdsError::Encode { file, .. } => *file,
        }
    }
}

#[cfg(test)]
mod tests;
