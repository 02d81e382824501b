//! The one error of the top-level API: whatever `Session`, `Document`, `TrustStore` or a
//! transport reports, with its cause kept, and sorted by [`ErrorKind`] into what a caller can
//! do about it (ask for another key, present the card again, fix a file, fix the reader).

use crate::document::DocumentError;
use crate::pki::TrustError;
use crate::session::SessionError;
use crate::transport::TransportError;

/// Any failure of the top-level API. The module errors convert into it with `?`; the variant
/// keeps the module's own error as the cause.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Opening or reading a card.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// Loading or saving a dump.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// Loading trust material (CSCAs, CRLs, master lists).
    #[error(transparent)]
    Trust(#[from] TrustError),
    /// The reader, below any session.
    #[error(transparent)]
    Transport(#[from] TransportError),
}

/// What a caller can do about an [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The chip refused the key: ask for the CAN, MRZ or ID number and date of birth again.
    AccessDenied,
    /// The card left the reader, or the secure channel broke: present it again and resume.
    CardRemoved,
    /// The card is not an eMRTD, or its answers do not fit the protocol.
    Card,
    /// The reader is missing, busy, or the PC/SC service is down.
    Reader,
    /// The chip or the caller asked for something this library does not support.
    Unsupported,
    /// A file, folder, dump or trust input is unreadable or malformed.
    BadInput,
}

impl Error {
    /// What a caller can do about this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Session(e) => session_kind(e),
            Self::Document(_) | Self::Trust(_) => ErrorKind::BadInput,
            Self::Transport(e) => transport_kind(e),
        }
    }

    /// Whether presenting the card again (and resuming) may succeed.
    pub fn is_retryable(&self) -> bool {
        self.kind() == ErrorKind::CardRemoved
    }
}

fn session_kind(e: &SessionError) -> ErrorKind {
    match e {
        SessionError::AccessDenied { .. } => ErrorKind::AccessDenied,
        SessionError::CardRemoved | SessionError::SecureMessaging(_) => ErrorKind::CardRemoved,
        SessionError::Unsupported(_) => ErrorKind::Unsupported,
        SessionError::Transport(t) => transport_kind(t),
        _ => ErrorKind::Card,
    }
}

fn transport_kind(e: &TransportError) -> ErrorKind {
    match e {
        TransportError::CardRemoved | TransportError::SecureMessaging(_) => ErrorKind::CardRemoved,
        TransportError::Apdu(_) => ErrorKind::Card,
        _ => ErrorKind::Reader,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn kinds_follow_what_a_caller_can_do() {
        let denied: Error = SessionError::AccessDenied { hint: "CAN".into() }.into();
        assert_eq!(denied.kind(), ErrorKind::AccessDenied);
        let removed: Error = SessionError::Transport(TransportError::CardRemoved).into();
        assert!(removed.is_retryable());
        let reader: Error = TransportError::NoCard.into();
        assert_eq!(reader.kind(), ErrorKind::Reader);
        assert!(!reader.is_retryable());
        let trust: Error = TrustError::Input("x".into()).into();
        assert_eq!(trust.kind(), ErrorKind::BadInput);
    }

    #[test]
    fn the_cause_is_kept() {
        let pace = crate::access::pace::PaceError::Unsupported {
            what: "PACE-DH with group 7".into(),
        };
        let session: SessionError = pace.clone().into();
        let error: Error = session.into();
        assert!(error.to_string().contains("PACE-DH with group 7"));
        let _ = error.source();
    }
}
