//! The holder's identity view lives in the library ([`cccd::verify::HolderIdentity`], with
//! `redacted()`); this name is kept for the service's callers.

pub use cccd::verify::{HolderIdentity as IdentityView, RawEntryView};
