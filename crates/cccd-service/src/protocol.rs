//! The relay protocol, version 1: JSON text frames over one WebSocket per card session.
//! `docs/RELAY-PROTOCOL.md` is the specification; these types are its only encoder and decoder.
//!
//! The device opens with [`DeviceMessage::Hello`]; the server answers [`ServerMessage::Ready`],
//! then sends [`ServerMessage::Command`]s, one at a time, each answered by exactly one
//! [`DeviceMessage::Response`] (or [`DeviceMessage::CardRemoved`]) with the same `seq`. It
//! ends with one [`ServerMessage::Result`] or [`ServerMessage::Error`] and closes.

use serde::{Deserialize, Serialize};

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// The largest message either side accepts (a response APDU is at most 65,538 bytes, 131,076
/// hex digits; the final report is larger and only flows from the server).
pub const MAX_DEVICE_MESSAGE: usize = 160 * 1024;

/// The largest APDU carried, in bytes (extended length: 65,535 data bytes + header + Le).
pub const MAX_APDU: usize = 65_545;

/// How the device tells the server to open the chip. Exactly one way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyInput {
    /// The card access number (6 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can: Option<String>,
    /// The MRZ (3 lines separated by `\n` or `|`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrz: Option<String>,
    /// The card's QR text (its ID number and date of birth open the chip).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr: Option<String>,
    /// The 12-digit ID number, with `dob`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Date of birth, `YYYY-MM-DD`, with `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dob: Option<String>,
    /// Date of expiry, `YYYY-MM-DD`, when known (with `id` and `dob`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
    /// Refuse BAC when the chip offers PACE and PACE fails (a possible downgrade).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_bac_fallback: bool,
}

/// What the person claims to be; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimsInput {
    /// The 12-digit ID number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    /// The full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// `M` or `F`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    /// Compare names without diacritics.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignore_diacritics: bool,
}

/// A message from the device (phone, kiosk, `cccd relay`).
// One message lives at a time and briefly; boxing the hello would only complicate matching.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum DeviceMessage {
    /// The first message: what the device knows, and what it wants read.
    Hello {
        /// The protocol version the device speaks.
        version: u32,
        /// How to open the chip.
        key: KeyInput,
        /// Claims to check against the chip.
        #[serde(default)]
        claims: ClaimsInput,
        /// The card's QR text, to compare with the chip.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        qr: Option<String>,
        /// Read the face (DG2) too.
        #[serde(default)]
        face: bool,
        /// Whether the device's reader takes extended-length APDUs.
        #[serde(default)]
        extended_length: bool,
    },
    /// The chip's answer to command `seq`: data and status word, hex.
    Response {
        /// The command's sequence number.
        seq: u64,
        /// The response APDU (data || SW1 SW2), hex.
        apdu: String,
    },
    /// The card left the field while command `seq` was pending (or before it was sent).
    CardRemoved {
        /// The pending command's sequence number.
        seq: u64,
    },
    /// The card is back after [`DeviceMessage::CardRemoved`]; the server may resume.
    CardPresent,
}

/// A message from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The hello was accepted.
    Ready {
        /// The protocol version in use.
        version: u32,
        /// This session's id (also in the receipt and the logs).
        session_id: String,
    },
    /// Send this command APDU to the chip and answer with its response.
    Command {
        /// Sequence number, from 1, one more per command.
        seq: u64,
        /// The command APDU, hex.
        apdu: String,
    },
    /// Where the session stands.
    Progress {
        /// `access`, `chip_authentication`, `reading`, `verifying`, `waiting_for_card`.
        stage: String,
        /// The file being read, for `reading`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        /// Bytes of it read so far.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        done: Option<usize>,
        /// Its size.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        total: Option<usize>,
    },
    /// The end: the verification report (the same JSON as `cccd verify --json`) and, when
    /// the server signs receipts, the receipt (a JWS).
    Result {
        /// The session id.
        session_id: String,
        /// The report.
        report: serde_json::Value,
        /// The signed receipt (JWS compact serialization), if the server has a key.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        receipt: Option<String>,
    },
    /// The end: the session failed. `code` is one of [`ErrorCode`]'s names.
    Error {
        /// What went wrong, for programs.
        code: ErrorCode,
        /// What went wrong, for people (never personal data).
        message: String,
    },
}

/// Why a session ended without a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A message was not valid protocol JSON, or a field was wrong.
    BadMessage,
    /// A message came at the wrong moment (a response to no command, a wrong `seq`).
    OutOfOrder,
    /// A message was larger than [`MAX_DEVICE_MESSAGE`].
    TooLarge,
    /// The hello asked for a protocol version this server does not speak.
    UnsupportedVersion,
    /// The key, the claims or the QR in the hello is malformed.
    BadInput,
    /// The chip refused the key.
    AccessDenied,
    /// The card left the field and did not come back.
    CardRemoved,
    /// The device did not answer a command in time.
    ApduTimeout,
    /// The whole session took too long.
    SessionTimeout,
    /// The card is not an ID card, or answered wrongly.
    Card,
    /// The server is at its concurrent-session limit.
    Busy,
    /// Anything else on the server side.
    Internal,
}

impl ErrorCode {
    /// Whether the device (not the card or the server) caused the failure.
    pub fn is_device_fault(self) -> bool {
        matches!(
            self,
            Self::BadMessage | Self::OutOfOrder | Self::TooLarge | Self::UnsupportedVersion
        )
    }

    /// The stable name, as on the wire and in metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadMessage => "bad_message",
            Self::OutOfOrder => "out_of_order",
            Self::TooLarge => "too_large",
            Self::UnsupportedVersion => "unsupported_version",
            Self::BadInput => "bad_input",
            Self::AccessDenied => "access_denied",
            Self::CardRemoved => "card_removed",
            Self::ApduTimeout => "apdu_timeout",
            Self::SessionTimeout => "session_timeout",
            Self::Card => "card",
            Self::Busy => "busy",
            Self::Internal => "internal",
        }
    }
}

/// Decode a hex APDU from a message, bounded.
pub fn decode_apdu(hex: &str) -> Option<Vec<u8>> {
    cccd::hex::decode(hex, MAX_APDU)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_round_trips_and_rejects_unknown_fields() {
        let text = r#"{"type":"hello","version":1,"key":{"can":"123456"},"face":true}"#;
        let msg: DeviceMessage = serde_json::from_str(text).unwrap();
        assert!(matches!(
            msg,
            DeviceMessage::Hello {
                version: 1,
                face: true,
                ..
            }
        ));
        let back: DeviceMessage =
            serde_json::from_str(&serde_json::to_string(&msg).unwrap()).unwrap();
        assert_eq!(back, msg);
        let extra = r#"{"type":"hello","version":1,"key":{"can":"1","pin":"2"}}"#;
        assert!(serde_json::from_str::<DeviceMessage>(extra).is_err());
        let unknown = r#"{"type":"reboot"}"#;
        assert!(serde_json::from_str::<DeviceMessage>(unknown).is_err());
    }

    #[test]
    fn error_codes_serialize_as_their_names() {
        for code in [
            ErrorCode::CardRemoved,
            ErrorCode::OutOfOrder,
            ErrorCode::Busy,
        ] {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, code.as_str());
        }
    }
}
