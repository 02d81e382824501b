//! What can go wrong with a session, as things a caller can act on.

use crate::access::{bac::BacError, pace::PaceError};
use crate::apdu::StatusWord;
use crate::lds::FileId;
use crate::transport::TransportError;

/// Why a session could not open or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The chip refused every key; the hint says which input is probably wrong.
    #[error("access denied: {hint}")]
    AccessDenied {
        /// Plain-words advice.
        hint: String,
    },
    /// The card left the reader. Retryable: present it again and resume.
    #[error("the card was removed during the read; present it again to continue")]
    CardRemoved,
    /// The secure channel failed (a bad MAC: interference, or a chip that is not what it
    /// claims). The session must authenticate again.
    #[error("secure messaging failed: {0}")]
    SecureMessaging(&'static str),
    /// The card does not have the eMRTD application.
    #[error("not an ICAO eMRTD (SELECT of the application answered {sw})")]
    NotAnIdCard {
        /// The status word.
        sw: StatusWord,
    },
    /// The chip answered a READ or SELECT with an unexpected status word.
    #[error("reading {file} failed: {sw}")]
    Status {
        /// The file being read.
        file: FileId,
        /// The status word.
        sw: StatusWord,
    },
    /// A file's length header is broken or claims more than any chip file holds.
    #[error("{file} has a malformed length header: {reason}")]
    Malformed {
        /// The file.
        file: FileId,
        /// What was wrong.
        reason: String,
    },
    /// Access control needs something this library or the chip does not support.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The chip's answers to BAC do not fit the protocol.
    #[error("the chip answered access control wrongly: {0}")]
    Protocol(String),
    /// PACE failed other than by a refused password: the chip's answers do not fit the
    /// protocol, or a public value failed its checks. The PACE error is kept as the cause.
    #[error("PACE failed: {0}")]
    Pace(#[source] PaceError),
    /// The chip refused an extended-length READ BINARY (6700). [`super::Session::read`]
    /// handles this itself (reconnect, then short reads); callers do not see it.
    #[error("the chip does not accept extended-length APDUs")]
    ExtendedLengthRefused,
    /// Any other reader failure.
    #[error(transparent)]
    Transport(TransportError),
}

impl SessionError {
    /// Whether presenting the card again and resuming may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::CardRemoved | Self::SecureMessaging(_))
    }
}

impl From<BacError> for SessionError {
    fn from(e: BacError) -> Self {
        match e {
            BacError::AccessDenied { hint, .. } => Self::AccessDenied { hint },
            BacError::Transport(t) => t.into(),
            BacError::ChipResponseInvalid { what, .. } => Self::Protocol(what.into()),
            BacError::NoKeys => Self::AccessDenied {
                hint: "no key to try: give the MRZ, the ID number and date of birth, or the CAN"
                    .into(),
            },
        }
    }
}

impl From<PaceError> for SessionError {
    fn from(e: PaceError) -> Self {
        match e {
            PaceError::AccessDenied { hint, .. } => Self::AccessDenied { hint },
            PaceError::Transport(t) => t.into(),
            PaceError::Unsupported { what } => Self::Unsupported(what),
            other => Self::Pace(other),
        }
    }
}
