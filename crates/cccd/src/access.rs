//! The on-card protocols, reader side: getting in (BAC, PACE) and proving the chip genuine
//! (active authentication, chip authentication), in JMRTD's `protocol` sense.
//!
//! The SecurityInfos these protocols consume (EF.CardAccess, DG14, EF.CardSecurity) are the
//! one model in [`crate::lds::security_infos`].
//!
//! - [`pace`]: PACE (generic, integrated and chip-authentication mapping), reader side, plus the
//!   key agreement steps a chip needs (used by `cccd-sim`).
//! - [`bac`]: Basic Access Control.
//! - [`active`]: active authentication (INTERNAL AUTHENTICATE; ISO 9796-2 RSA, ECDSA).
//! - [`chip`]: chip authentication (CA v1 ECDH; new secure messaging keys).

pub mod active;
pub mod bac;
pub mod chip;
pub mod pace;
