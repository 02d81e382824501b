//! # cccd-sim — a virtual Vietnamese ID card chip
//!
//! The card side of every protocol `cccd` speaks, so the reader can be tested with no hardware:
//! in-process as a [`cccd::transport::Transport`], or through the real `pcscd` via vpcd.
#![forbid(unsafe_code)]

// The repository README's examples (they read testdata/, two folders up as from crates/cccd).
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct RepositoryReadmeDoctests;

pub mod aa;
pub mod bac;
pub mod ca;
pub mod chip;
pub mod generator;
pub mod manifest;
pub mod pace;
pub mod sm;
pub mod vpcd;
