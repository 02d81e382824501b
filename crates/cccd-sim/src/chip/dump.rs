//! A chip for a dump: its files, and the access secrets a real chip would hold, derived from
//! the dump itself (the MRZ from DG1; the CAN from the 12-digit ID).

use super::{AccessConfig, CardFiles, ChipConfig, VirtualChip};
use cccd::document::Document;
use cccd::mrz::{Can, Mrz};

/// Why a dump cannot be served as a chip.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChipSetupError {
    /// DG1 is missing or unreadable, so there is no MRZ key for BAC.
    #[error("the dump has no readable DG1 (MRZ): {0}")]
    NoMrz(String),
}

impl VirtualChip {
    /// Serve `doc`: BAC and PACE-MRZ open with its MRZ, PACE-CAN with the last 6 digits of its
    /// ID number (from DG1's optional data, else DG13).
    pub fn from_document(doc: &Document, config: ChipConfig) -> Result<Self, ChipSetupError> {
        let dg1 = doc
            .dg1()
            .ok_or_else(|| ChipSetupError::NoMrz("DG1 absent".into()))?
            .map_err(|e| ChipSetupError::NoMrz(e.to_string()))?;
        let mrz = Mrz::parse(dg1.mrz()).map_err(|e| ChipSetupError::NoMrz(e.to_string()))?;
        let id = mrz.vn_id_number.clone().or_else(|| {
            doc.dg13()
                .and_then(Result::ok)
                .and_then(|d| d.id_number.map(|f| f.value().trim().to_owned()))
        });
        let can = id.as_deref().and_then(|id| Can::from_id(id).ok());
        let secrets = AccessConfig {
            mrz: Some(mrz.bac_key()),
            can,
        };
        Ok(Self::new(CardFiles::from_document(doc), secrets, config))
    }
}
