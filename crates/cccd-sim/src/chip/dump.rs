//! A chip for a dump: its files, and the access secrets a real chip would hold, derived from
//! the dump itself (the MRZ from DG1; the CAN from the 12-digit ID).

use super::{AccessConfig, CardFiles, ChipConfig, VirtualChip};
use cccd::document::Document;
use cccd::lds::{DataGroup, FileId};
use cccd::mrz::{Can, Mrz};

/// Why a dump cannot be served as a chip.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChipSetupError {
    /// DG1 is missing or unreadable, so there is no MRZ key for BAC.
    #[error("the dump has no readable DG1 (MRZ): {0}")]
    NoMrz(String),
    /// A key in the secrets folder is unreadable.
    #[error("chip key: {0}")]
    Key(super::ChipKeyError),
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
        // The chip's CAN is printed on the card: the last 6 digits of its 12-digit number,
        // whatever province code the (possibly altered) data holds.
        let can = id
            .as_deref()
            .filter(|id| id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|id| Can::new(id.get(6..)?).ok());
        let secrets = AccessConfig {
            mrz: Some(mrz.bac_key()),
            can,
        };
        let mut files = CardFiles::from_document(doc);
        // A dump never holds DG3 (fingerprints need terminal authentication, which no reader
        // here has). When EF.COM lists it, as on real cards, the chip still has the file, so
        // SELECT finds it and READ BINARY answers 6982 (`ChipConfig::eac_protected`).
        let dg3 = FileId::Dg(DataGroup::Dg3);
        let com_lists_dg3 = doc
            .com()
            .and_then(Result::ok)
            .is_some_and(|com| com.data_groups.contains(&DataGroup::Dg3));
        if com_lists_dg3 && files.get(dg3).is_none() {
            files.insert(dg3, cccd::tlv::encode(cccd::tlv::Tag::new(0x63), &[]));
        }
        Ok(Self::new(files, secrets, config))
    }

    /// As [`VirtualChip::from_document`], with the AA and CA private keys from `secrets`
    /// (`aa-private.pem`, `ca-private.pem`) when those files exist.
    pub fn from_document_with_keys(
        doc: &Document,
        config: ChipConfig,
        secrets: &std::path::Path,
    ) -> Result<Self, ChipSetupError> {
        let mut chip = Self::from_document(doc, config)?;
        // The printed MRZ and CAN open the chip, even when DG1 was altered after issue.
        let mut secrets_config = chip.secrets.clone();
        if let Ok(text) = std::fs::read_to_string(secrets.join("mrz.txt")) {
            let mrz = Mrz::parse(text.trim()).map_err(|e| ChipSetupError::NoMrz(e.to_string()))?;
            secrets_config.mrz = Some(mrz.bac_key());
        }
        if let Ok(text) = std::fs::read_to_string(secrets.join("can.txt")) {
            let can = Can::new(text.trim()).map_err(|e| ChipSetupError::NoMrz(e.to_string()))?;
            secrets_config.can = Some(can);
        }
        chip.set_access(secrets_config);
        if let Some(aa) = super::load_aa(secrets).map_err(ChipSetupError::Key)? {
            chip = chip.with_active_authentication(aa);
        }
        if let Some(ca) = super::load_ca(secrets, doc).map_err(ChipSetupError::Key)? {
            chip = chip.with_chip_authentication(ca);
        }
        Ok(chip)
    }
}
