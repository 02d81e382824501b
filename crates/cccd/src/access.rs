//! Access control: EF.CardAccess SecurityInfos, BAC and PACE (reader side).
//!
//! - [`security_infos`]: EF.CardAccess and DG14 `SecurityInfos` (PACE, CA, TA, AA infos).
//! - [`pace`]: PACE v2 with ECDH Generic Mapping, reader side, plus the key agreement steps a
//!   chip needs (used by `cccd-sim`).
//! - [`bac`]: Basic Access Control.

pub mod bac;
pub mod pace;
pub mod security_infos;
