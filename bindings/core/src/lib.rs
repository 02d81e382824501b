//! The part of cccd's language bindings that does not depend on the language: errors sorted
//! into the kinds a caller acts on, access keys from one input, reading a card over PC/SC,
//! loading trust material, and verification options from plain values.
//!
//! The Python module (`bindings/python`) and the C ABI (`bindings/c`) are thin layers over
//! this crate, so both give the same errors and the same reports for the same inputs.

mod error;
mod identity;
mod read;
mod request;

pub use error::{Error, ErrorKind, save_document};
pub use identity::Identity;
pub use read::{CardRequest, access_keys, read_card};
pub use request::{
    TrustKind, VerifyRequest, add_trust_bytes, add_trust_path, parse_challenge, parse_date,
};
