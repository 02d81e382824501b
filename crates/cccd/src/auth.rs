//! Authentication: passive (SOD), active (AA) and chip (CA).
//!
//! | submodule | job |
//! |---|---|
//! | [`signature`] | X.509 / CMS signature verification for every algorithm an eMRTD PKI uses |
//! | [`chain`] | document signer -> CSCA chain validation against a [`crate::trust::TrustStore`] |
//! | [`passive`] | passive authentication: EF.SOD signature, chain, data group hashes |
//! | [`active`] | active authentication (INTERNAL AUTHENTICATE; ISO 9796-2 RSA, ECDSA) |
//! | [`chip`] | chip authentication (CA v1 ECDH; new secure messaging keys) |

pub mod active;
pub mod chain;
pub mod chip;
pub mod passive;
pub mod signature;
