//! `SecurityInfos` (ICAO 9303-11 §9.2, BSI TR-03110-3 A.1): the DER `SET OF SecurityInfo` in
//! EF.CardAccess and DG14. Each `SecurityInfo` is `SEQUENCE { protocol OID, requiredData ANY,
//! optionalData ANY OPTIONAL }`; the protocol OID decides what the rest means.
//!
//! Known kinds are decoded into typed values (a malformed one is an error with its offset);
//! unknown protocols are kept raw, so nothing on the card is silently dropped.
//!
//! ```
//! use cccd::lds::security_infos::{SecurityInfos, Mapping};
//! // EF.CardAccess as read from Vietnamese ID cards (CARD-FACTS.md).
//! let bytes = [
//!     0x31, 0x34, 0x30, 0x0d, 0x06, 0x08, 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x02, 0x02,
//!     0x01, 0x01, 0x30, 0x0f, 0x06, 0x0a, 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02,
//!     0x02, 0x02, 0x01, 0x01, 0x30, 0x12, 0x06, 0x0a, 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02,
//!     0x04, 0x02, 0x02, 0x02, 0x01, 0x02, 0x02, 0x01, 0x0d,
//! ];
//! let infos = SecurityInfos::parse(&bytes)?;
//! let pace = infos.pace_infos().next().expect("PACEInfo");
//! assert_eq!(pace.protocol.mapping, Mapping::Generic);
//! assert_eq!(pace.parameter_id, Some(13));
//! # Ok::<(), cccd::lds::security_infos::SecurityInfosError>(())
//! ```

mod encode;
mod kinds;

pub use kinds::{
    ActiveAuthenticationInfo, CaProtocol, ChipAuthenticationDomainParameterInfo,
    ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo, KeyAgreement, Mapping,
    PaceDomainParameterInfo, PaceInfo, PaceProtocol, TerminalAuthenticationInfo,
    UnknownSecurityInfo,
};

use crate::tlv::{Tag, Tlv, TlvError, Tlvs};

const SET: Tag = Tag::new(0x31);
const SEQUENCE: Tag = Tag::new(0x30);
const OBJECT_IDENTIFIER: Tag = Tag::new(0x06);
const INTEGER: Tag = Tag::new(0x02);

/// Why SecurityInfos could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecurityInfosError {
    /// The DER structure itself is broken (truncated, bad length, wrong outer tag).
    #[error(transparent)]
    Tlv(#[from] TlvError),
    /// A SecurityInfo whose content does not fit its protocol.
    #[error("malformed SecurityInfo at offset {offset}: {what}")]
    Malformed {
        /// What was wrong.
        what: String,
        /// Offset of the offending object.
        offset: usize,
    },
}

impl SecurityInfosError {
    /// The byte offset the error points at.
    pub fn offset(&self) -> usize {
        match self {
            Self::Tlv(e) => e.offset,
            Self::Malformed { offset, .. } => *offset,
        }
    }
}

fn malformed(what: impl Into<String>, offset: usize) -> SecurityInfosError {
    SecurityInfosError::Malformed {
        what: what.into(),
        offset,
    }
}

/// One decoded SecurityInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityInfo {
    /// PACEInfo: a PACE protocol the chip supports.
    Pace(PaceInfo),
    /// PACEDomainParameterInfo: proprietary PACE domain parameters.
    PaceDomainParameters(PaceDomainParameterInfo),
    /// ChipAuthenticationInfo: a Chip Authentication protocol the chip supports.
    ChipAuthentication(ChipAuthenticationInfo),
    /// ChipAuthenticationDomainParameterInfo.
    ChipAuthenticationDomainParameters(ChipAuthenticationDomainParameterInfo),
    /// ChipAuthenticationPublicKeyInfo (DG14): the chip's static key agreement key.
    ChipAuthenticationPublicKey(ChipAuthenticationPublicKeyInfo),
    /// TerminalAuthenticationInfo.
    TerminalAuthentication(TerminalAuthenticationInfo),
    /// ActiveAuthenticationInfo (DG14): the signature algorithm of AA with an EC key.
    ActiveAuthentication(ActiveAuthenticationInfo),
    /// A protocol this crate does not interpret, kept as it was.
    Unknown(UnknownSecurityInfo),
}

/// All SecurityInfos of EF.CardAccess or DG14, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecurityInfos {
    /// The decoded infos.
    pub infos: Vec<SecurityInfo>,
}

/// The fields of one `SEQUENCE { OID, ... }`, with offsets for errors.
pub(crate) struct RawInfo<'a> {
    pub(crate) oid: &'a [u8],
    pub(crate) oid_offset: usize,
    pub(crate) rest: Vec<Tlv<'a>>,
    pub(crate) offset: usize,
    pub(crate) der: &'a [u8],
}

impl SecurityInfos {
    /// Decode a DER `SET OF SecurityInfo` (the whole of EF.CardAccess, or DG14's content inside
    /// its `6E` wrapper). Bytes after the SET are an error.
    pub fn parse(bytes: &[u8]) -> Result<Self, SecurityInfosError> {
        let set = Tlv::parse_exact(bytes, SET)?;
        let mut infos = Vec::new();
        for child in set.children() {
            let child = child?;
            if child.tag() != SEQUENCE {
                return Err(malformed(
                    format!(
                        "expected a SecurityInfo SEQUENCE (30), found tag {}",
                        child.tag()
                    ),
                    child.offset(),
                ));
            }
            let start = child.offset();
            let der = bytes
                .get(start..start + child.total_len())
                .ok_or_else(|| malformed("SecurityInfo outside the input", start))?;
            infos.push(parse_one(&child, der)?);
        }
        Ok(Self { infos })
    }

    /// The PACEInfos, in file order.
    pub fn pace_infos(&self) -> impl Iterator<Item = &PaceInfo> {
        self.infos.iter().filter_map(|i| match i {
            SecurityInfo::Pace(p) => Some(p),
            _ => None,
        })
    }

    /// The ChipAuthenticationInfos.
    pub fn chip_authentication_infos(&self) -> impl Iterator<Item = &ChipAuthenticationInfo> {
        self.infos.iter().filter_map(|i| match i {
            SecurityInfo::ChipAuthentication(c) => Some(c),
            _ => None,
        })
    }

    /// The ChipAuthenticationPublicKeyInfos (DG14).
    pub fn chip_authentication_public_keys(
        &self,
    ) -> impl Iterator<Item = &ChipAuthenticationPublicKeyInfo> {
        self.infos.iter().filter_map(|i| match i {
            SecurityInfo::ChipAuthenticationPublicKey(k) => Some(k),
            _ => None,
        })
    }

    /// The ActiveAuthenticationInfo, if any (DG14).
    pub fn active_authentication(&self) -> Option<&ActiveAuthenticationInfo> {
        self.infos.iter().find_map(|i| match i {
            SecurityInfo::ActiveAuthentication(a) => Some(a),
            _ => None,
        })
    }
}

fn parse_one<'a>(seq: &Tlv<'a>, der: &'a [u8]) -> Result<SecurityInfo, SecurityInfosError> {
    let mut children = seq.children();
    let oid = match children.next() {
        Some(Ok(oid)) if oid.tag() == OBJECT_IDENTIFIER => oid,
        Some(Ok(other)) => {
            return Err(malformed(
                format!(
                    "SecurityInfo must start with its protocol OID (06), found {}",
                    other.tag()
                ),
                other.offset(),
            ));
        }
        Some(Err(e)) => return Err(e.into()),
        None => return Err(malformed("empty SecurityInfo", seq.offset())),
    };
    let rest = collect(children)?;
    kinds::decode(&RawInfo {
        oid: oid.value(),
        oid_offset: oid.offset(),
        rest,
        offset: seq.offset(),
        der,
    })
}

fn collect(children: Tlvs<'_>) -> Result<Vec<Tlv<'_>>, SecurityInfosError> {
    // Bounded by the input: each child takes at least two bytes.
    children
        .map(|c| c.map_err(SecurityInfosError::from))
        .collect()
}

/// A non-negative DER INTEGER that fits 64 bits.
pub(crate) fn small_integer(tlv: &Tlv<'_>, what: &str) -> Result<u64, SecurityInfosError> {
    if tlv.tag() != INTEGER {
        return Err(malformed(
            format!("{what}: expected an INTEGER (02), found {}", tlv.tag()),
            tlv.offset(),
        ));
    }
    let value = tlv.value();
    match value.first() {
        None => return Err(malformed(format!("{what}: empty INTEGER"), tlv.offset())),
        Some(b) if b & 0x80 != 0 => {
            return Err(malformed(format!("{what}: negative INTEGER"), tlv.offset()));
        }
        _ => {}
    }
    let zeros = value.iter().take_while(|&&b| b == 0).count();
    let significant = &value[zeros..];
    if significant.len() > 8 {
        return Err(malformed(
            format!("{what}: INTEGER too large"),
            tlv.offset(),
        ));
    }
    Ok(significant
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

#[cfg(test)]
mod tests;
