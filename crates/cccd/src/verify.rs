//! Checks on a read card -> a [`Report`] of named checks and a verdict.
//!
//! The same [`verify`] runs on a card just read and on a dump received from a phone: a kiosk
//! and a backend share one code path. Each check is `pass`, `fail`, `skip` or `warn` with a
//! reason in plain words; the verdict is
//! - `not_verified` when any check fails (tampered data, a wrong claim, a cloned chip...);
//! - `inconclusive` when nothing failed but the proof is incomplete (no CSCA to anchor the
//!   document signer, or the signature could not be checked);
//! - `verified` otherwise.
//!
//! No check prints personal data in its reason: reasons name fields, not their values.

mod checks;
mod identity;
pub mod names;
mod passive;

pub use identity::{ChipIdentity, MrzView};
pub use names::NameMatch;

use crate::document::Document;
use crate::trust::TrustStore;
use cccd_qr::{QrData, Sex};
use serde::Serialize;
use time::{Date, OffsetDateTime};

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The check ran and succeeded.
    Pass,
    /// The check ran and found a problem.
    Fail,
    /// The check could not run (input absent); says nothing either way.
    Skip,
    /// Not a failure, but the proof is weaker than it could be.
    Warn,
}

/// One named check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// A stable dotted name, e.g. `sod.signature`, `dg.hash.DG1`, `claim.name`.
    pub name: String,
    /// The outcome.
    pub status: Status,
    /// Why, in plain words (never the holder's data).
    pub reason: String,
}

impl Check {
    /// A check result.
    pub fn new(name: impl Into<String>, status: Status, reason: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            status,
            reason: reason.into(),
        }
    }
}

/// The overall conclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Genuine, unaltered, and consistent with every claim made.
    Verified,
    /// Something failed.
    NotVerified,
    /// Nothing failed, but the chain of proof is incomplete.
    Inconclusive,
}

/// Checks whose `warn` or `skip` leaves the proof incomplete.
const REQUIRED: [&str; 3] = ["sod.signature", "sod.chain", "mrz.check_digits"];

/// Every check and the verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The verdict.
    pub verdict: Verdict,
    /// Every check, in the order run.
    pub checks: Vec<Check>,
}

impl Report {
    /// Build a report from checks, deciding the verdict.
    pub fn from_checks(checks: Vec<Check>) -> Self {
        let verdict = if checks.iter().any(|c| c.status == Status::Fail) {
            Verdict::NotVerified
        } else if REQUIRED.iter().any(|name| {
            !checks
                .iter()
                .any(|c| c.name == *name && c.status == Status::Pass)
        }) || checks
            .iter()
            .any(|c| c.name.starts_with("dg.hash.") && c.status == Status::Warn)
        {
            Verdict::Inconclusive
        } else {
            Verdict::Verified
        };
        Self { verdict, checks }
    }

    /// The check with this name.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// The names of the failed checks.
    pub fn failures(&self) -> Vec<&str> {
        self.checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .map(|c| c.name.as_str())
            .collect()
    }
}

/// What the person in front of the reader claims to be. Any subset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claims {
    /// The 12-digit ID number.
    pub id_number: Option<String>,
    /// The full name (with or without diacritics, see [`Options::name_match`]).
    pub full_name: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<Date>,
    /// Sex.
    pub sex: Option<Sex>,
}

/// How to verify.
#[derive(Debug, Clone)]
pub struct Options {
    /// The time at which certificates and the card must be valid.
    pub at: OffsetDateTime,
    /// How names are compared.
    pub name_match: NameMatch,
    /// The active-authentication challenge this verifier issued (for a dump made elsewhere,
    /// e.g. by a phone): the recorded AA answer must be over exactly this challenge.
    pub aa_challenge: Option<[u8; 8]>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            at: OffsetDateTime::now_utc(),
            name_match: NameMatch::Strict,
            aa_challenge: None,
        }
    }
}

/// Run every check on `doc`.
pub fn verify(
    doc: &Document,
    store: &TrustStore,
    claims: &Claims,
    qr: Option<&QrData>,
    options: &Options,
) -> Report {
    let identity = ChipIdentity::from_document_at(doc, options.at.date());
    let mut out = passive::checks(doc, store, options.at);
    out.push(checks::chip_authentication(
        doc,
        options.aa_challenge.as_ref().map(<[u8; 8]>::as_slice),
    ));
    out.push(checks::mrz_check_digits(&identity));
    out.push(checks::dg1_matches_dg13(&identity));
    out.push(checks::id_number_structure(&identity));
    out.push(checks::not_expired(&identity, options.at.date()));
    out.extend(checks::claims(&identity, claims, options.name_match));
    out.push(checks::qr_matches_chip(&identity, qr, options.name_match));
    let report = Report::from_checks(out);
    log::info!(
        "verify: {:?} ({} checks; failed: {:?})",
        report.verdict,
        report.checks.len(),
        report.failures()
    );
    report
}

#[cfg(test)]
mod tests;
