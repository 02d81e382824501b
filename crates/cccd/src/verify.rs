//! Checks on a read card -> a [`Report`] of typed checks and a verdict under a [`Policy`].
//!
//! The same [`verify`] runs on a card just read and on a dump received from a phone: a kiosk
//! and a backend share one code path. What differs is the evidence's [`Provenance`]: a chip
//! authentication this process performed proves the chip genuine; one recorded in a dump's
//! `card.json` proves nothing by itself (anyone can edit the file) and counts only under
//! [`Policy::trust_recorded_chip_auth`]. An active-authentication answer in a dump counts when
//! its challenge is the one this verifier issued ([`Options::aa_challenge`]).
//!
//! Each check is `pass`, `fail`, `skip` or `warn` with a reason in plain words; the verdict is
//! - `not_verified` when any check fails (tampered data, a wrong claim, a cloned chip...);
//! - `inconclusive` when nothing failed but a check the policy requires did not pass (no CSCA
//!   to anchor the signer, chip genuineness not proven to this verifier...), listed in
//!   [`Report::unproven`];
//! - `verified` otherwise.
//!
//! No check prints personal data in its reason: reasons name fields, not their values.

mod check_id;
mod checks;
mod chip;
pub mod contract;
mod holder;
mod identity;
pub mod names;
mod passive;
mod policy;
pub mod redact;

pub use check_id::{CheckId, UnknownCheck};
pub use holder::{HolderIdentity, RawEntryView};
pub use identity::{ChipIdentity, MrzView};
pub use names::NameMatch;
pub use policy::{DEFAULT_REQUIRED, Policy};

pub use crate::document::Provenance;
use crate::document::{AccessProtocol, Document};
use crate::pki::TrustStore;
use cccd_qr::{QrData, Sex};
use serde::Serialize;
use time::{Date, OffsetDateTime};

pub use crate::passive::Status;

/// One check and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Which check; serialized as its stable dotted name (`sod.signature`, `dg.hash.DG1`...).
    #[serde(rename = "name")]
    pub id: CheckId,
    /// The outcome.
    pub status: Status,
    /// Why, in plain words (never the holder's data).
    pub reason: String,
}

impl Check {
    /// A check result.
    pub fn new(id: CheckId, status: Status, reason: impl Into<String>) -> Self {
        Self {
            id,
            status,
            reason: reason.into(),
        }
    }
}

/// The overall conclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Genuine, unaltered, from the original chip, and consistent with every claim made.
    Verified,
    /// Something failed.
    NotVerified,
    /// Nothing failed, but a check the policy requires was not proven.
    Inconclusive,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Verified => "verified",
            Self::NotVerified => "not_verified",
            Self::Inconclusive => "inconclusive",
        })
    }
}

/// Every check, the verdict and the holder's identity.
///
/// Its JSON is the versioned report document (`schemas/report.schema.json`): the
/// [`contract`] header (`schema_version`, `tool`), then `verdict`, `provenance`,
/// `unproven`, `access`, `identity` and `checks`. Serialize [`Report::redacted`] for output
/// that must not identify the holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The verdict.
    pub verdict: Verdict,
    /// Where the evidence came from: read by this process, or loaded from a dump.
    pub provenance: Provenance,
    /// Checks the policy requires that did not pass (why the verdict is not `verified`
    /// when nothing failed).
    pub unproven: Vec<CheckId>,
    /// Every check, in the order run.
    pub checks: Vec<Check>,
    /// The access protocol that opened the chip, as the document records it.
    pub access: Option<AccessProtocol>,
    /// The PACE protocol with its mapping (`pace_ecdh_cam_can`), when PACE opened the chip.
    pub pace: Option<String>,
    /// The holder's identity as the chip states it.
    pub identity: HolderIdentity,
}

impl Serialize for Report {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Body<'a> {
            verdict: Verdict,
            provenance: Provenance,
            unproven: &'a [CheckId],
            access: Option<AccessProtocol>,
            #[serde(skip_serializing_if = "Option::is_none")]
            pace: Option<&'a str>,
            identity: &'a HolderIdentity,
            checks: &'a [Check],
        }
        contract::Versioned::new(Body {
            verdict: self.verdict,
            provenance: self.provenance,
            unproven: &self.unproven,
            access: self.access,
            pace: self.pace.as_deref(),
            identity: &self.identity,
            checks: &self.checks,
        })
        .serialize(serializer)
    }
}

impl Report {
    /// Build a report from checks, deciding the verdict under `policy`.
    pub fn decide(checks: Vec<Check>, policy: &Policy, provenance: Provenance) -> Self {
        let unproven: Vec<CheckId> = policy
            .required
            .iter()
            .copied()
            .filter(|id| {
                !checks
                    .iter()
                    .any(|c| c.id == *id && c.status == Status::Pass)
            })
            .chain(checks.iter().filter_map(|c| {
                // Every data group read and every claim made must pass; a group listed but
                // not read, or a claim not made, is a skip and no gap.
                let implied = policy.requires(c.id) && !policy.required.contains(&c.id);
                (implied && c.status == Status::Warn).then_some(c.id)
            }))
            .collect();
        let verdict = if checks.iter().any(|c| c.status == Status::Fail) {
            Verdict::NotVerified
        } else if unproven.is_empty() {
            Verdict::Verified
        } else {
            Verdict::Inconclusive
        };
        Self {
            verdict,
            provenance,
            unproven,
            checks,
            access: None,
            pace: None,
            identity: HolderIdentity::default(),
        }
    }

    /// The same report with the holder's personal data masked
    /// ([`HolderIdentity::redacted`]); checks never hold personal data.
    #[must_use]
    pub fn redacted(&self) -> Self {
        Self {
            identity: self.identity.redacted(),
            ..self.clone()
        }
    }

    /// The check with this id.
    pub fn check(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// The failed checks.
    pub fn failures(&self) -> Vec<CheckId> {
        self.checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .map(|c| c.id)
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
#[non_exhaustive]
pub struct Options {
    /// The time at which certificates and the card must be valid.
    pub at: OffsetDateTime,
    /// How names are compared.
    pub name_match: NameMatch,
    /// The active-authentication challenge this verifier issued to the device that made the
    /// dump: the dump's AA answer must be over exactly this challenge, and a dump without one
    /// fails `chip.authentication`.
    pub aa_challenge: Option<[u8; 8]>,
    /// What a `verified` verdict requires.
    pub policy: Policy,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            at: OffsetDateTime::now_utc(),
            name_match: NameMatch::Strict,
            aa_challenge: None,
            policy: Policy::default(),
        }
    }
}

impl Options {
    /// Verify as of `at`.
    #[must_use]
    pub fn at(mut self, at: OffsetDateTime) -> Self {
        self.at = at;
        self
    }

    /// Compare names this way.
    #[must_use]
    pub fn name_match(mut self, mode: NameMatch) -> Self {
        self.name_match = mode;
        self
    }

    /// The AA challenge this verifier issued.
    #[must_use]
    pub fn aa_challenge(mut self, challenge: Option<[u8; 8]>) -> Self {
        self.aa_challenge = challenge;
        self
    }

    /// Decide under this policy.
    #[must_use]
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }
}

/// Run every check on `doc`.
///
/// # Examples
///
/// A dump whose files say nothing provable is not verified, and the report says which
/// checks failed:
///
/// ```
/// use cccd::document::Document;
/// use cccd::pki::TrustStore;
/// use cccd::verify::{verify, Claims, Options, Status, Verdict};
///
/// let document = Document::from_files([("DG1", &[0x61, 0x00][..])])?;
/// let report = verify(&document, &TrustStore::new(), &Claims::default(), None, &Options::default());
/// assert_eq!(report.verdict, Verdict::NotVerified);
/// let failed: Vec<String> = report.checks.iter()
///     .filter(|c| c.status == Status::Fail)
///     .map(|c| c.id.to_string())
///     .collect();
/// assert!(!failed.is_empty());
/// println!("failed: {}", failed.join(", "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify(
    doc: &Document,
    store: &TrustStore,
    claims: &Claims,
    qr: Option<&QrData>,
    options: &Options,
) -> Report {
    let identity = ChipIdentity::from_document_at(doc, options.at.date());
    let mut out = passive::checks(doc, store, options.at, identity.issuing_state().as_deref());
    out.extend(passive::card_security_checks(doc, store, options.at));
    let chip_check = chip::chip_authentication(doc, options);
    out.push(chip::cam_key_authenticated(chip_check, doc, &out));
    out.push(checks::mrz_check_digits(&identity));
    out.push(checks::dg1_matches_dg13(&identity));
    out.push(checks::id_number_structure(&identity));
    out.push(checks::not_expired(&identity, options.at.date()));
    out.extend(checks::claims(&identity, claims, qr, options.name_match));
    out.push(checks::qr_matches_chip(&identity, qr, options.name_match));
    let mut report = Report::decide(out, &options.policy, doc.provenance());
    report.access = doc.meta.access;
    report.pace = doc.meta.pace.as_ref().map(|p| p.name.clone());
    report.identity = HolderIdentity::from_chip(&identity);
    log::info!(
        "verify: {} ({} checks; failed: {:?}; unproven: {:?})",
        report.verdict,
        report.checks.len(),
        report.failures(),
        report.unproven
    );
    report
}

#[cfg(test)]
mod tests;
