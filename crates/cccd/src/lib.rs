//! # cccd — read and verify Vietnam's chipped citizen ID cards
//!
//! The chip of a CCCD (2021) or Căn cước (2024) card is an ICAO 9303 eMRTD in TD1 size.
//! This crate talks to it and proves its data genuine:
//!
//! | layer | module | job |
//! |---|---|---|
//! | encoding | [`tlv`], [`hex`], [`input`] | BER-TLV read and write; hex; bounded reads of untrusted files |
//! | commands | [`apdu`] | command/response APDUs, status words |
//! | primitives | [`crypto`], [`ec`] | ICAO KDF, ciphers, MACs, hashes; curves (named, explicit, brainpoolP512r1) |
//! | identity | [`mrz`] | MRZ parsing, check digits, BAC key seeds, expiry candidates |
//! | I/O | [`transport`] | the [`transport::Transport`] trait and the PC/SC backend |
//! | channel | [`sm`] | secure messaging over any transport |
//! | files | [`lds`] | EF.COM, EF.SOD, DG1, DG2, DG13, DG14, DG15, SecurityInfos: parsers and encoders |
//! | PKI | [`pki`] | signatures, certificates, chains, trust store, CRLs, master lists, CMS |
//! | protocols | [`access`] | BAC, PACE; active and chip authentication |
//! | proof | [`passive`] | passive authentication: SOD signature, chain, data group hashes |
//! | results | [`document`], [`verify`], [`session`] | a card's files; the verdict; reading a card |
//!
//! Each layer uses only the ones above it. Parsers take `&[u8]`, never panic, and never
//! allocate in proportion to a length they have not bounded by the input.
//!
//! ```
//! use cccd::tlv::Tlv;
//! // EF.COM starts with tag 0x60; its first child is the LDS version 5F01.
//! let bytes = [0x60, 0x08, 0x5F, 0x01, 0x04, b'0', b'1', b'0', b'7', 0x5C, 0x00];
//! let (com, rest) = Tlv::parse(&bytes[..10]).unwrap();
//! assert_eq!(com.tag().value(), 0x60);
//! assert!(rest.is_empty());
//! ```
#![forbid(unsafe_code)]

pub mod access;
pub mod apdu;
pub mod crypto;
pub mod document;
pub mod ec;
mod error;
pub mod hex;
pub mod input;
pub mod lds;
pub mod mrz;
pub mod passive;
pub mod pki;
pub mod session;
pub mod sm;
pub mod tlv;
pub mod transport;
pub mod verify;

/// The QR crate of [`verify::Claims::sex`] and the [`verify::verify`] QR argument,
/// re-exported so a caller uses the same version.
pub use cccd_qr;
pub use error::{Error, ErrorKind};
/// The date-time crate of [`verify::Options::at`] and [`verify::Claims`], re-exported so a
/// caller uses the same version.
pub use time;

// The crate's own README (packaged with it); the repository README's examples, which read
// the sample cards, are doc-tested by cccd-sim (not published).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
