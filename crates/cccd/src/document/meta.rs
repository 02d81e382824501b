//! `card.json`: the circumstances of a read, kept beside the raw files.

use serde::{Deserialize, Serialize};

/// The file name of the metadata in a dump folder.
pub const META_FILE: &str = "card.json";

/// How, when and with what a card was read. Every field is optional: dumps made by other
/// tools have none of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadMeta {
    /// When the card was read (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_at: Option<String>,
    /// The reader's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reader: Option<String>,
    /// The access protocol that opened the chip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<AccessProtocol>,
    /// The PACE protocol that opened the chip, with its mapping (absent after BAC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pace: Option<PaceRecord>,
    /// The outcome of chip authentication, if it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chip_authentication: Option<ChipAuthRecord>,
    /// Active authentication's challenge and the chip's answer, so a server can re-check AA
    /// offline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_authentication: Option<ActiveAuthRecord>,
    /// The program that wrote the dump.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
}

impl ReadMeta {
    /// Record a read that just finished: the reader, the time (now, UTC) and the program
    /// (`tool`, e.g. `cccd 0.1.0`). The protocol fields are the session's own.
    pub fn record_read(&mut self, reader: impl Into<String>, tool: impl Into<String>) {
        self.reader = Some(reader.into());
        self.read_at = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .ok();
        self.tool = Some(tool.into());
    }
}

/// The access protocol used to open the chip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessProtocol {
    /// Basic Access Control (MRZ).
    Bac,
    /// PACE with the CAN.
    PaceCan,
    /// PACE with the MRZ.
    PaceMrz,
    /// No access control (only for test chips).
    None,
}

impl std::fmt::Display for AccessProtocol {
    /// The JSON name (`bac`, `pace_can`, `pace_mrz`, `none`), also used in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Bac => "bac",
            Self::PaceCan => "pace_can",
            Self::PaceMrz => "pace_mrz",
            Self::None => "none",
        })
    }
}

/// The PACE run that opened the chip: a name that says the key agreement, the mapping and
/// the password (`pace_ecdh_gm_can`, `pace_dh_im_mrz`, `pace_ecdh_cam_can`), the protocol OID
/// and the standardized domain parameter id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaceRecord {
    /// `pace_<ecdh|dh>_<gm|im|cam>_<can|mrz>`.
    pub name: String,
    /// The PACE protocol OID (dotted).
    pub protocol: String,
    /// The standardized domain parameter id (13 = brainpoolP256r1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_id: Option<u64>,
}

impl PaceRecord {
    /// The record of a run of `info` with the password that `access` names.
    pub fn new(info: &crate::lds::security_infos::PaceInfo, access: AccessProtocol) -> Self {
        use crate::lds::security_infos::{KeyAgreement, Mapping};
        let key_agreement = match info.protocol.key_agreement {
            KeyAgreement::Dh => "dh",
            KeyAgreement::Ecdh => "ecdh",
        };
        let mapping = match info.protocol.mapping {
            Mapping::Generic => "gm",
            Mapping::Integrated => "im",
            Mapping::ChipAuthentication => "cam",
        };
        let password = match access {
            AccessProtocol::PaceMrz => "mrz",
            AccessProtocol::PaceCan | AccessProtocol::Bac | AccessProtocol::None => "can",
        };
        Self {
            name: format!("pace_{key_agreement}_{mapping}_{password}"),
            protocol: crate::ec::oid_to_string(&info.protocol.oid()).unwrap_or_default(),
            parameter_id: info.parameter_id,
        }
    }
}

/// What chip authentication concluded while the card was in the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChipAuthRecord {
    /// Whether the chip proved it holds the DG14 private key.
    pub passed: bool,
    /// The protocol OID used (dotted).
    pub protocol: String,
    /// A plain-words note (why it failed, or which key id).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// For PACE-CAM: the file whose chip authentication public key the chip's evidence
    /// matched, so a verifier knows which passive authentication the result rests on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_source: Option<CaKeySource>,
}

/// Where a chip authentication public key came from; passive authentication of that file
/// is what makes the key the issuer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaKeySource {
    /// EF.CardSecurity (its own CMS signature).
    CardSecurity,
    /// DG14 (hashed in EF.SOD).
    Dg14,
}

/// An active-authentication exchange, as hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveAuthRecord {
    /// The 8-byte challenge sent (hex).
    pub challenge: String,
    /// The chip's signature (hex).
    pub response: String,
}
