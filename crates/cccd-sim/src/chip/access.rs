//! The chip's access-control state: locked, in the middle of BAC or PACE, or secured.

use super::Profile;
use cccd::apdu::{Command, Response, StatusWord};
use cccd::sm::SmCodec;

/// The secrets a chip is opened with: the MRZ information (BAC, PACE-MRZ) and the CAN.
#[derive(Clone, Default)]
pub struct AccessConfig {
    /// The MRZ information: document number, date of birth and date of expiry, each with its
    /// check digit, concatenated (24 characters for a 9-character document number).
    pub mrz_information: Option<String>,
    /// The card access number (the last 6 digits of the ID number on CCCD cards).
    pub can: Option<String>,
}

// Secrets: never printed.
impl std::fmt::Debug for AccessConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessConfig")
            .field(
                "mrz_information",
                &self.mrz_information.as_ref().map(|_| "<set>"),
            )
            .field("can", &self.can.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// Where the chip is in access control.
#[derive(Default)]
pub(super) enum AccessState {
    /// Nothing established.
    #[default]
    Locked,
    /// Secure messaging is up.
    Secure(SmCodec),
}

impl AccessState {
    pub(super) fn codec_mut(&mut self) -> Option<&mut SmCodec> {
        match self {
            Self::Secure(c) => Some(c),
            Self::Locked => None,
        }
    }

    pub(super) fn codec(&self) -> Option<&SmCodec> {
        match self {
            Self::Secure(c) => Some(c),
            Self::Locked => None,
        }
    }
}

/// Run one access-control command; return the answer and the next state.
pub(super) fn handle(
    state: AccessState,
    _secrets: &AccessConfig,
    _profile: Profile,
    _command: &Command,
) -> (Response, AccessState) {
    (
        Response::new(Vec::new(), StatusWord::InsNotSupported),
        state,
    )
}
