//! The passwords a session may try: the CAN (PACE) and MRZ keys (PACE-MRZ, BAC).

use crate::document::AccessProtocol;
use crate::mrz::{AccessKey, BacKey, Can};
use cccd_qr::IdNumber;
use time::Date;

/// Every password the session may try, in order.
#[derive(Debug, Clone, Default)]
pub struct AccessKeys {
    can: Option<Can>,
    mrz: Vec<BacKey>,
}

impl AccessKeys {
    /// From one key (MRZ text, document data, or CAN).
    pub fn from_key(key: AccessKey) -> Self {
        match key {
            AccessKey::Can(can) => Self {
                can: Some(can),
                ..Self::default()
            },
            AccessKey::Mrz(k) => Self {
                mrz: vec![k],
                ..Self::default()
            },
        }
    }

    /// From the 12-digit ID and the date of birth (what the card's QR holds): the CAN is the
    /// ID's last 6 digits, and BAC gets one key per plausible expiry date, likeliest first.
    pub fn from_id_and_dob(id: &IdNumber, date_of_birth: Date, today: Date) -> Self {
        Self {
            can: Some(Can::from_id(id)),
            mrz: AccessKey::from_id_and_dob(id, date_of_birth, today),
        }
    }

    /// Add a CAN.
    #[must_use]
    pub fn with_can(mut self, can: Can) -> Self {
        self.can = Some(can);
        self
    }

    /// The MRZ keys, for BAC.
    pub fn mrz_keys(&self) -> &[BacKey] {
        &self.mrz
    }

    /// PACE passwords to try: the CAN first (no expiry guessing), then the first MRZ key when
    /// it is not a guess (PACE with the MRZ is uncertain on these cards; BAC follows anyway).
    pub fn pace_passwords(&self) -> Vec<(AccessKey, AccessProtocol)> {
        let mut out = Vec::new();
        if let Some(can) = &self.can {
            out.push((AccessKey::Can(can.clone()), AccessProtocol::PaceCan));
        }
        if self.mrz.len() == 1 {
            out.push((AccessKey::Mrz(self.mrz[0].clone()), AccessProtocol::PaceMrz));
        }
        out
    }
}
