//! DG14 (tag 0x6E): the chip's SecurityInfos for chip authentication and active
//! authentication (ICAO 9303-10 §4.7.14). The model itself is [`super::security_infos`], the
//! one parser EF.CardAccess, DG14 and EF.CardSecurity share.

use super::asn1::root;
use super::security_infos::{SecurityInfos, SecurityInfosError};
use super::{DataGroup, FileId, LdsError, Reason};
use crate::tlv::{self, Tag};

const DG14_TAG: Tag = Tag::new(0x6E);
const FILE: FileId = FileId::Dg(DataGroup::Dg14);

/// DG14: `6E { SET OF SecurityInfo }`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dg14 {
    /// The infos.
    pub security_infos: SecurityInfos,
}

impl Dg14 {
    /// Parse DG14.
    pub fn parse(input: &[u8]) -> Result<Self, LdsError> {
        let outer = root(input, DG14_TAG, FILE)?;
        let security_infos = SecurityInfos::parse(outer.value())
            .map_err(|e| security_infos_error(FILE, outer.header_len(), e))?;
        Ok(Self { security_infos })
    }

    /// Encode DG14.
    pub fn encode(&self) -> Vec<u8> {
        tlv::encode(DG14_TAG, &self.security_infos.encode())
    }

    /// The exact `SET OF SecurityInfo` bytes inside the `6E` wrapper.
    pub fn security_infos_der(input: &[u8]) -> Result<&[u8], LdsError> {
        Ok(root(input, DG14_TAG, FILE)?.value())
    }
}

/// A SecurityInfos error inside `file`, its offset moved from the SET to the file.
pub(super) fn security_infos_error(file: FileId, base: usize, e: SecurityInfosError) -> LdsError {
    LdsError::Malformed {
        file,
        offset: base + e.offset(),
        reason: Reason::SecurityInfos(e),
    }
}
