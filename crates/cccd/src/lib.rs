//! # cccd — read and verify Vietnam's chipped citizen ID cards
//!
//! The chip of a CCCD (2021) or Căn cước (2024) card is an ICAO 9303 eMRTD in TD1 size.
//! This crate proves its data genuine and its chip the original, and reads it.
//!
//! ## Verify a dump
//!
//! What a backend does with the files a phone or kiosk read: load them, load the trust
//! anchors, and [`verify()`] them against what the holder claims. "Verified" is earned only by
//! the checks of the [`Policy`]; a dump alone cannot prove its chip was present, so the
//! backend's own AA challenge (or a read by this process) is needed for that.
//!
//! ```no_run
//! use cccd::{verify, Claims, Document, Options, TrustStore, Verdict};
//!
//! // A dump folder (EF.SOD, DG1, ..., card.json) and the issuing state's CSCA certificates.
//! // The repository's README runs this flow on its sample card.
//! let document = Document::load("dump")?;
//! let mut trust = TrustStore::new();
//! let _summary = trust.load_cscas("csca.pem".as_ref())?;
//! let claims = Claims { full_name: Some("Nguyễn Văn Hùng".into()), ..Claims::default() };
//! // The challenge this backend issued to the device for the session.
//! let challenge = [0x8c, 0x57, 0xd2, 0x8d, 0x20, 0x66, 0xfd, 0xb8];
//! let options = Options::default()
//!     .at(cccd::time::macros::datetime!(2025-06-01 12:00 UTC))
//!     .aa_challenge(Some(challenge));
//! let report = verify(&document, &trust, &claims, None, &options);
//! assert_eq!(report.verdict, Verdict::Verified);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Read a card
//!
//! What a kiosk does: open the chip with PACE (or BAC) from the CAN or MRZ, run chip
//! authentication, and read the files a verification needs (never DG2 unless asked).
//!
//! ```no_run
//! # #[cfg(feature = "pcsc")] {
//! use cccd::transport::pcsc::{wait_for_card, PcscTransport};
//! use cccd::{AccessKey, AccessKeys, Can, ReadPlan, Session};
//! use std::time::Duration;
//!
//! let keys = AccessKeys::from_key(AccessKey::Can(Can::new("123456")?));
//! let reader = wait_for_card(None, Duration::from_secs(30))?;
//! let mut session = Session::open(PcscTransport::connect(&reader)?, &keys)?;
//! let document = session.read(&ReadPlan::verification(), &mut |_| {})?;
//! document.save("dump")?;
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Layers
//!
//! The root re-exports what those two tasks use; the modules hold the rest, bottom to top:
//!
//! | layer | module | job |
//! |---|---|---|
//! | encoding | [`hex`], [`oid`], `tlv` (public with `chip-side`), `input` (private) | BER-TLV; hex; OID constants; bounded reads of untrusted files |
//! | commands | [`apdu`] | command/response APDUs, status words |
//! | primitives | [`crypto`], [`ec`] | ICAO KDF, ciphers, MACs, hashes; curves (named, explicit, brainpoolP512r1) |
//! | identity | [`mrz`] | MRZ parsing, check digits, BAC key seeds, expiry candidates |
//! | I/O | [`transport`] | the [`Transport`] trait and the PC/SC backend |
//! | channel | [`sm`] | secure messaging over any transport |
//! | PKI | [`pki`] | signatures, certificates, chains, trust store, CRLs, master lists, CMS SignedData |
//! | files | [`lds`] | EF.COM, EF.SOD, DG1, DG2, DG13, DG14, DG15, SecurityInfos: parsers and encoders |
//! | protocols | [`access`] | BAC, PACE; active and chip authentication |
//! | proof | [`passive`] | passive authentication: SOD signature, chain, data group hashes |
//! | results | [`document`], [`verify`](mod@verify), [`session`] | a card's files; the verdict; reading a card |
//!
//! Each layer uses only the ones above it. Parsers take `&[u8]`, never panic, and never
//! allocate in proportion to a length they have not bounded by the input.
//!
//! ## Features
//!
//! - `pcsc` (default): the PC/SC reader backend.
//! - `face`: DG2 face images to PNG (JPEG and JPEG 2000, pure Rust).
//! - `chip-side`: the card's half of secure messaging, the SOD builder and the TLV/DER
//!   encoders, for simulators and test-card generators (`cccd-sim`). Not needed to read or
//!   verify, and not part of the stable API.
#![forbid(unsafe_code)]
#![warn(unnameable_types)]

pub mod access;
pub mod apdu;
pub mod crypto;
pub mod document;
pub mod ec;
mod error;
pub mod hex;
mod input;
pub mod lds;
pub mod mrz;
pub mod oid;
pub mod passive;
pub mod pki;
pub mod session;
pub mod sm;
#[cfg(feature = "chip-side")]
pub mod tlv;
#[cfg(not(feature = "chip-side"))]
mod tlv;
pub mod transport;
pub mod verify;

/// The QR crate of [`verify::Claims::sex`] and the [`verify::verify`] QR argument,
/// re-exported so a caller uses the same version.
pub use cccd_qr;
/// The validated 12-digit ID number that [`AccessKeys::from_id_and_dob`], [`Can::from_id`]
/// and [`AccessKey::from_id`] take: parse it once where the text comes in.
pub use cccd_qr::IdNumber;
pub use error::{Error, ErrorKind};

// The curated root: what "verify a dump" and "read a card" need, by name.
pub use document::{Document, DocumentError, Genuineness, Provenance};
pub use lds::{DataGroup, FileId, LdsError};
pub use mrz::{AccessKey, BacKey, Can, Mrz};
pub use pki::{LoadSummary, TrustError, TrustStore};
pub use session::{
    AccessKeys, BacFallback, OpenOptions, Progress, ReadPlan, Session, SessionError,
};
/// The date-time crate of [`verify::Options::at`] and [`verify::Claims`], re-exported so a
/// caller uses the same version.
pub use time;
pub use transport::{Transport, TransportError};
pub use verify::{
    CheckId, Claims, HolderIdentity, NameMatch, Options, Policy, Report, Status, Verdict, verify,
};

// The crate's own README (packaged with it); the repository README's examples, which read
// the sample cards, are doc-tested by cccd-sim (not published).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
