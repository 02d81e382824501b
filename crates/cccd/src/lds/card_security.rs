//! EF.CardSecurity (ICAO 9303-11 §9.2.3): the chip's SecurityInfos, signed by a document
//! signer, so PACE-CAM and chip authentication keys can be proven without DG14.

use super::asn1::{SEQUENCE, objects_at, root};
use super::dg14::security_infos_error;
use super::security_infos::SecurityInfos;
use super::sod::SignedData;
use super::{FileId, LdsError};

/// EF.CardSecurity: a CMS SignedData (no outer application tag) whose content is SecurityInfos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSecurity {
    /// The signed container (signer, certificates, signed attributes).
    pub signed_data: SignedData,
    /// The SecurityInfos inside.
    pub security_infos: SecurityInfos,
}

impl CardSecurity {
    /// Parse EF.CardSecurity.
    pub fn parse(input: &[u8]) -> Result<Self, LdsError> {
        let file = FileId::CardSecurity;
        let ci = root(input, SEQUENCE, file)?;
        let signed_data =
            SignedData::parse_content_info(&ci).map_err(|e| LdsError::cms(file, e))?;
        // id-SecurityObject (bsi-de 3.2.1).
        if signed_data.content_type != crate::oid::SECURITY_OBJECT {
            return Err(LdsError::invalid(
                file,
                signed_data.content_offset,
                "eContentType is not id-SecurityObject",
            ));
        }
        let objs = objects_at(&signed_data.content, file)
            .map_err(|e| shift(e, signed_data.content_offset))?;
        if objs.len() != 1 {
            return Err(LdsError::invalid(
                file,
                signed_data.content_offset,
                "content must be one SET",
            ));
        }
        // The content is exactly that one object, so it is the SET's DER.
        let security_infos = SecurityInfos::parse(&signed_data.content)
            .map_err(|e| security_infos_error(file, signed_data.content_offset, e))?;
        Ok(Self {
            signed_data,
            security_infos,
        })
    }
}

/// Move an error's offset from a sub-slice to the file.
fn shift(e: LdsError, by: usize) -> LdsError {
    match e {
        LdsError::Malformed {
            file,
            offset,
            reason,
        } => LdsError::Malformed {
            file,
            offset: offset + by,
            reason,
        },
        other => other,
    }
}
