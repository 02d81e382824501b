//! Redaction lives in the library ([`cccd::verify::redact`]); these names are kept for the
//! service's callers.

pub use cccd::verify::redact::{initials_if as name, mask_if as mask};
