//! Errors sorted into the kinds a caller of a binding acts on.

use cccd::document::DocumentError;
use cccd::pki::TrustError;
use cccd::session::SessionError;
use cccd::transport::TransportError;

/// What kind of failure, in the terms an application acts on. The Python exceptions and the
/// C error codes are one-to-one with these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// An argument, a file, a dump, a QR text or trust material is not what it must be.
    BadInput,
    /// The chip refused every key given (a wrong CAN, MRZ or QR).
    AccessDenied,
    /// The card left the reader during the read.
    CardRemoved,
    /// No reader, no card, the card in use by another program, or the smart-card service
    /// failed.
    Reader,
    /// The chip answered in a way the protocol does not allow, or does not hold an eMRTD.
    Card,
    /// Writing a file failed, or the destination exists.
    Io,
    /// A bug in cccd (a caught panic): report it.
    Internal,
}

/// A failure with its kind and a message in plain words (never the holder's data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The kind.
    pub kind: ErrorKind,
    /// What went wrong.
    pub message: String,
}

impl Error {
    /// An error of `kind`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// A bad argument or input.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadInput, message)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

// The sorting itself is the library's (`cccd::Error::kind`); a binding only adds the kinds
// that are its own (a failed write, a caught panic).
impl From<cccd::Error> for Error {
    fn from(e: cccd::Error) -> Self {
        let kind = match e.kind() {
            cccd::ErrorKind::AccessDenied => ErrorKind::AccessDenied,
            cccd::ErrorKind::CardRemoved => ErrorKind::CardRemoved,
            cccd::ErrorKind::Reader => ErrorKind::Reader,
            cccd::ErrorKind::BadInput => ErrorKind::BadInput,
            _ => ErrorKind::Card,
        };
        Self::new(kind, e.to_string())
    }
}

impl From<DocumentError> for Error {
    fn from(e: DocumentError) -> Self {
        cccd::Error::from(e).into()
    }
}

impl From<TrustError> for Error {
    fn from(e: TrustError) -> Self {
        cccd::Error::from(e).into()
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        cccd::Error::from(e).into()
    }
}

impl From<SessionError> for Error {
    fn from(e: SessionError) -> Self {
        cccd::Error::from(e).into()
    }
}

/// Save a dump like `cccd read -o` (atomically, 0700 folder, 0600 files): the destination
/// existing or a write failing is an I/O error, not bad input.
pub fn save_document(doc: &cccd::document::Document, dir: &std::path::Path) -> Result<(), Error> {
    doc.save(dir)
        .map_err(|e| Error::new(ErrorKind::Io, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_errors_map_to_their_kinds() {
        let denied = SessionError::AccessDenied { hint: "CAN".into() };
        assert_eq!(Error::from(denied).kind, ErrorKind::AccessDenied);
        assert_eq!(
            Error::from(SessionError::CardRemoved).kind,
            ErrorKind::CardRemoved
        );
        assert_eq!(
            Error::from(SessionError::Transport(TransportError::CardRemoved)).kind,
            ErrorKind::CardRemoved
        );
        assert_eq!(
            Error::from(SessionError::Transport(TransportError::Timeout)).kind,
            ErrorKind::Reader
        );
        assert_eq!(
            Error::from(SessionError::Protocol("x".into())).kind,
            ErrorKind::Card
        );
    }
}
