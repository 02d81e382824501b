//! Authentication: passive (SOD), active (AA) and chip (CA).
//!
//! | submodule | job |
//! |---|---|
//! | [`signature`] | X.509 / CMS signature verification for every algorithm an eMRTD PKI uses |
//! | [`chain`] | document signer -> CSCA chain validation against a [`crate::trust::TrustStore`] |

pub mod chain;
pub mod signature;
