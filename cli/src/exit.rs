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

/// The `error` object of the error document (`schemas/error.schema.json`).
#[derive(Debug, serde::Serialize)]
pub struct ErrorBody<'a> {
    /// `bad_input`, `usage` or `io`.
    pub kind: &'static str,
    /// The process exit code that goes with it.
    pub exit_code: u8,
    /// What went wrong, in plain words.
    pub message: &'a str,
}

/// The error document's body: `{"error": {...}}`, plus the dump folder in a batch line.
#[derive(Debug, serde::Serialize)]
pub struct ErrorDocument<'a> {
    /// What went wrong.
    pub error: ErrorBody<'a>,
    /// The dump the error is about (a `verify --batch` line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
}

impl CliError {
    /// A local file the user named could not be written (`--html`, `--face`, `-o`): exit 2.
    pub fn cannot_write(path: &std::path::Path, e: &dyn std::fmt::Display) -> Self {
        Self::BadInput(format!("cannot write {}: {e}", path.display()))
    }

    /// The `kind` name in the error document.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::BadInput(_) => "bad_input",
            Self::Io(_) => "io",
        }
    }

    /// The error document for this error, as one line of JSON.
    pub fn to_json(&self) -> String {
        error_json(self.kind(), self.exit_code(), &self.to_string(), None)
    }
}

/// An error document (`schemas/error.schema.json`) as one line of JSON.
pub fn error_json(kind: &'static str, exit: Exit, message: &str, source: Option<&str>) -> String {
    let doc = cccd::verify::contract::Versioned::new(ErrorDocument {
        error: ErrorBody {
            kind,
            exit_code: exit as u8,
            message,
        },
        source,
    });
    serde_json::to_string(&doc).unwrap_or_else(|_| {
        format!(
            r#"{{"schema_version":1,"error":{{"kind":"{kind}","exit_code":{}}}}}"#,
            exit as u8
        )
    })
}

impl From<TransportError> for CliError {
    fn from(e: TransportError) -> Self {
        match e {
            // A mistyped reader name: say which readers there are, so the next try is right.
            TransportError::ReaderUnavailable { .. } => {
                Self::Io(format!("{e}; {}", readers_present()))
            }
            _ => Self::Io(e.to_string()),
        }
    }
}

/// "readers present: A, B" (each name quoted), or why none can be listed.
fn readers_present() -> String {
    match cccd::transport::pcsc::list_readers() {
        Ok(readers) if readers.is_empty() => "no readers are connected".to_owned(),
        Ok(readers) => {
            let names: Vec<String> = readers.iter().map(|r| format!("'{}'", r.name)).collect();
            format!("readers present: {}", names.join(", "))
        }
        Err(e) => format!("the readers cannot be listed: {e}"),
    }
}
