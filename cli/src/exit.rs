//! The CLI's documented exit codes and its error type.

use cccd::transport::TransportError;
use std::process::ExitCode;

/// How a command ended, as a process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: success; for `verify`, the card is verified.
    Success = 0,
    /// 1: the card is not verified (a check failed); for `mrz`, a check digit is wrong.
    NotVerified = 1,
    /// 2: bad input or usage.
    BadInput = 2,
    /// 3: reader or card I/O error.
    Io = 3,
    /// 4: nothing failed, but the proof is incomplete (e.g. no CSCA to anchor the signer).
    Inconclusive = 4,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// A failure of a command, carrying the exit code it maps to.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Input the user gave is wrong (exit 2).
    #[error("{0}")]
    BadInput(String),
    /// The reader or the card failed (exit 3).
    #[error("{0}")]
    Io(String),
}

impl CliError {
    /// The exit code for this error.
    pub fn exit_code(&self) -> Exit {
        match self {
            Self::BadInput(_) => Exit::BadInput,
            Self::Io(_) => Exit::Io,
        }
    }
}

impl From<TransportError> for CliError {
    fn from(e: TransportError) -> Self {
        Self::Io(e.to_string())
    }
}
