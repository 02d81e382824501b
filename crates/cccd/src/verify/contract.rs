//! The machine-readable contract: every JSON document cccd writes (a report, an error, the
//! CLI's `--json` outputs) starts with the same two fields, so a program can tell which
//! shape it holds before reading the rest.
//!
//! - `schema_version`: [`SCHEMA_VERSION`], raised when a field is removed or changes meaning
//!   (adding a field is not a change of version);
//! - `tool`: the name and version of the code that wrote it.
//!
//! The JSON Schemas in the repository's `schemas/` folder describe each document.

use serde::Serialize;

/// The version of the JSON documents' shape.
pub const SCHEMA_VERSION: u32 = 1;

/// The program that wrote a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tool {
    /// `cccd`.
    pub name: &'static str,
    /// The `cccd` library's version.
    pub version: &'static str,
}

/// This library.
pub const TOOL: Tool = Tool {
    name: "cccd",
    version: env!("CARGO_PKG_VERSION"),
};

/// A document body with the contract's header: `{"schema_version": 1, "tool": {...}, ...body}`.
///
/// ```
/// use cccd::verify::contract::Versioned;
/// #[derive(serde::Serialize)]
/// struct Hello { greeting: &'static str }
/// let json = serde_json::to_value(Versioned::new(Hello { greeting: "xin chào" })).unwrap();
/// assert_eq!(json["schema_version"], 1);
/// assert_eq!(json["tool"]["name"], "cccd");
/// assert_eq!(json["greeting"], "xin chào");
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct Versioned<T> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// [`TOOL`].
    pub tool: Tool,
    /// The document's own fields.
    #[serde(flatten)]
    pub body: T,
}

impl<T> Versioned<T> {
    /// `body` under the current header.
    pub fn new(body: T) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            tool: TOOL,
            body,
        }
    }
}
