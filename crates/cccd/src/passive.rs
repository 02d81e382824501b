//! Passive authentication (ICAO 9303-11 §5.1): proof that the data groups read from a chip are
//! the ones the issuing state signed.
//!
//! [`verify_sod`] runs every step and reports each one separately, so a caller can tell a
//! tampered document from one whose issuer is simply not in the trust store:
//!
//! | check | what it proves |
//! |---|---|
//! | `sod.parse` | EF.SOD is well-formed CMS SignedData carrying an LDSSecurityObject |
//! | `sod.content_type` | the signed contentType attribute names the LDSSecurityObject |
//! | `sod.message_digest` | the signed messageDigest attribute is the hash of the LDSSecurityObject |
//! | `sod.signature` | the document signer certificate (DSC) in EF.SOD signed the attributes |
//! | `sod.chain` | the DSC was issued by a CSCA in the [`TrustStore`], valid at the given time |
//! | `dg.hash.DGn` | each data group read hashes to the value in the LDSSecurityObject |
//!
//! [`verify_card_security`] runs the same SignerInfo and chain steps on EF.CardSecurity,
//! whose chip authentication keys PACE-CAM relies on (`card_security.signature`,
//! `card_security.chain`).
//!
//! Everything is computed once: EF.SOD is parsed once, every data group is hashed once, the
//! signature is checked once, and chain signature checks are cached by the trust store.
//!
//! ```no_run
//! # fn demo(sod: &[u8], dg1: &[u8], store: &cccd::pki::TrustStore) {
//! use cccd::passive::verify_sod;
//! use cccd::lds::DataGroup;
//! let report = verify_sod(sod, [(DataGroup::Dg1, dg1)], store, time::OffsetDateTime::now_utc());
//! for check in report.checks() {
//!     println!("{} {:?} {}", check.name, check.status, check.reason);
//! }
//! # }
//! ```

mod card_security;
mod signer;

use std::fmt;

use time::OffsetDateTime;

use crate::crypto::ct_eq;
use crate::lds::DataGroup;
use crate::lds::sod::Sod;
use crate::pki::TrustStore;
pub use crate::pki::chain::{ChainOutcome, Revocation};

pub use crate::pki::SignerCertificate;
pub use card_security::{CardSecurityReport, verify_card_security};

/// The status of one check, as a report shows it (the one status type of every report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The check passed.
    Pass,
    /// The check failed: the data is not what the issuer signed, or is malformed.
    Fail,
    /// The check could not run (an earlier step failed, or nothing to check).
    Skip,
    /// The check did not fail, but did not prove what it should (e.g. no trust anchor).
    Warn,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Skip => "skip",
            Self::Warn => "warn",
        })
    }
}

/// The outcome of one step, with its reason in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Passed.
    Pass,
    /// Failed, with why.
    Fail(String),
    /// Not run, with why.
    Skip(String),
    /// Not a failure, but weaker than it should be, with why.
    Warn(String),
}

impl Outcome {
    /// The status of this outcome.
    pub fn status(&self) -> Status {
        match self {
            Self::Pass => Status::Pass,
            Self::Fail(_) => Status::Fail,
            Self::Skip(_) => Status::Skip,
            Self::Warn(_) => Status::Warn,
        }
    }

    /// The reason, in plain words ("" for a pass).
    pub fn reason(&self) -> &str {
        match self {
            Self::Pass => "",
            Self::Fail(r) | Self::Skip(r) | Self::Warn(r) => r,
        }
    }

    /// Whether the step passed.
    pub fn is_pass(&self) -> bool {
        matches!(self, Self::Pass)
    }
}

// The chain step's outcome is the PKI's own type; how a report grades it lives here, beside
// `Status`, because grading is passive authentication's business, not the chain's.
impl ChainOutcome {
    /// The status of this outcome: `NoAnchor`, and a CRL past its nextUpdate, are warnings.
    pub fn status(&self) -> Status {
        match self {
            Self::NoAnchor { .. }
            | Self::Verified {
                revocation: Revocation::Stale { .. },
                ..
            } => Status::Warn,
            Self::Verified { .. } => Status::Pass,
            Self::Failed { .. } => Status::Fail,
            Self::Skipped { .. } => Status::Skip,
        }
    }

    /// The reason in plain words.
    pub fn reason(&self) -> String {
        match self {
            Self::Verified {
                csca_subject,
                revocation,
                ..
            } => format!("issued by CSCA {csca_subject}; {revocation}"),
            Self::NoAnchor { issuer } => format!("unverified: no CSCA for {issuer}"),
            Self::Failed { reason } => reason.to_string(),
            Self::Skipped { reason } => reason.clone(),
        }
    }
}

/// The outcome of one data group's hash check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DgHashOutcome {
    /// The data group hashes to the value in the LDSSecurityObject.
    Match,
    /// The data group was read but its hash differs: altered data.
    Mismatch,
    /// The data group was read but the LDSSecurityObject has no hash for it.
    NotInSod,
    /// The LDSSecurityObject lists the data group but it was not read (not a failure).
    NotRead,
    /// The LDSSecurityObject's hash algorithm is not one this crate knows.
    UnsupportedAlgorithm,
}

impl DgHashOutcome {
    /// The status of this outcome.
    pub fn status(self) -> Status {
        match self {
            Self::Match => Status::Pass,
            Self::Mismatch | Self::NotInSod | Self::UnsupportedAlgorithm => Status::Fail,
            Self::NotRead => Status::Skip,
        }
    }

    /// The reason in plain words.
    pub fn reason(self) -> &'static str {
        match self {
            Self::Match => "hash matches the signed security object",
            Self::Mismatch => "hash differs from the signed security object: the data was altered",
            Self::NotInSod => "data group read but the signed security object has no hash for it",
            Self::NotRead => "listed in the security object but not read",
            Self::UnsupportedAlgorithm => "the security object's hash algorithm is not supported",
        }
    }
}

/// One data group's hash check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DgHashCheck {
    /// The data group.
    pub data_group: DataGroup,
    /// The outcome.
    pub outcome: DgHashOutcome,
}

/// One named check, ready for a report (`sod.signature`, `dg.hash.DG1`...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedCheck {
    /// The check's name.
    pub name: String,
    /// Its status.
    pub status: Status,
    /// Why, in plain words.
    pub reason: String,
}

/// Everything passive authentication found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassiveReport {
    /// EF.SOD parsed.
    pub sod: Outcome,
    /// The contentType signed attribute names id-icao-mrtd-security-ldsSecurityObject.
    pub content_type: Outcome,
    /// The messageDigest signed attribute equals the LDSSecurityObject's hash.
    pub message_digest: Outcome,
    /// The signature over the signed attributes verifies with the embedded DSC.
    pub signature: Outcome,
    /// The signingTime attribute, when present, lies in the DSC's validity and not after
    /// the verification time.
    pub signing_time: Outcome,
    /// No weak algorithm: SHA-1, RSA under 2048 bits, a curve under 256 bits (a warning).
    pub algorithms: Outcome,
    /// The DSC -> CSCA chain.
    pub chain: ChainOutcome,
    /// Per data group hash checks, in data group order.
    pub data_groups: Vec<DgHashCheck>,
    /// The DSC, for display.
    pub signer: Option<SignerCertificate>,
}

impl PassiveReport {
    fn failed_parse(reason: String) -> Self {
        let skip = || Outcome::Skip("EF.SOD did not parse".to_owned());
        Self {
            sod: Outcome::Fail(reason),
            content_type: skip(),
            message_digest: skip(),
            signature: skip(),
            signing_time: skip(),
            algorithms: skip(),
            chain: ChainOutcome::Skipped {
                reason: "EF.SOD did not parse".to_owned(),
            },
            data_groups: Vec::new(),
            signer: None,
        }
    }

    /// The hash check of `dg`, if it was read or listed.
    pub fn data_group(&self, dg: DataGroup) -> Option<DgHashOutcome> {
        self.data_groups
            .iter()
            .find(|c| c.data_group == dg)
            .map(|c| c.outcome)
    }

    /// True when no check failed and the signature and messageDigest passed. The chain may
    /// still be only a warning ([`ChainOutcome::NoAnchor`]); see [`Self::fully_verified`].
    pub fn passed(&self) -> bool {
        self.checks().iter().all(|c| c.status != Status::Fail)
            && self.signature.is_pass()
            && self.message_digest.is_pass()
    }

    /// True when everything passed and the chain reached a trusted CSCA.
    pub fn fully_verified(&self) -> bool {
        self.passed() && matches!(self.chain, ChainOutcome::Verified { .. })
    }

    /// All checks with their names, statuses and reasons, in a fixed order.
    pub fn checks(&self) -> Vec<NamedCheck> {
        let named = |name: &str, o: &Outcome| NamedCheck {
            name: name.to_owned(),
            status: o.status(),
            reason: o.reason().to_owned(),
        };
        let mut out = vec![
            named("sod.parse", &self.sod),
            named("sod.content_type", &self.content_type),
            named("sod.message_digest", &self.message_digest),
            named("sod.signature", &self.signature),
            named("sod.signing_time", &self.signing_time),
            named("sod.algorithms", &self.algorithms),
            NamedCheck {
                name: "sod.chain".to_owned(),
                status: self.chain.status(),
                reason: self.chain.reason(),
            },
        ];
        out.extend(self.data_groups.iter().map(|c| NamedCheck {
            name: format!("dg.hash.{}", c.data_group),
            status: c.outcome.status(),
            reason: c.outcome.reason().to_owned(),
        }));
        out
    }
}

impl fmt::Display for PassiveReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.checks() {
            writeln!(f, "{:<20} {:?} {}", c.name, c.status, c.reason)?;
        }
        Ok(())
    }
}

/// Verify EF.SOD (`sod_bytes`, the whole file with its `77` tag) against the data groups read
/// (`files`: each data group's complete file bytes), with `store` as trust anchors, at time
/// `at` (validity of the DSC and CSCA).
pub fn verify_sod<'a>(
    sod_bytes: &[u8],
    files: impl IntoIterator<Item = (DataGroup, &'a [u8])>,
    store: &TrustStore,
    at: OffsetDateTime,
) -> PassiveReport {
    match Sod::parse(sod_bytes) {
        Ok(sod) => verify_parsed(&sod, files, store, at),
        Err(e) => PassiveReport::failed_parse(format!("EF.SOD is malformed: {e}")),
    }
}

/// [`verify_sod`] on an already parsed EF.SOD.
pub fn verify_parsed<'a>(
    sod: &Sod,
    files: impl IntoIterator<Item = (DataGroup, &'a [u8])>,
    store: &TrustStore,
    at: OffsetDateTime,
) -> PassiveReport {
    let signed = signer::check_signer(sod, store);
    let chain = signer::check_chain(&signed, store, at);
    let signing_time = signer::check_signing_time(&signed, at);
    let algorithms = signer::check_algorithms(sod, &signed);
    PassiveReport {
        sod: Outcome::Pass,
        content_type: signed.content_type,
        message_digest: signed.message_digest,
        signature: signed.signature,
        signing_time,
        algorithms,
        chain,
        data_groups: check_hashes(sod, files),
        signer: signed.signer,
    }
}

/// Hash every data group read with the LDSSecurityObject's algorithm and compare in constant
/// time; list the ones the object names that were not read.
fn check_hashes<'a>(
    sod: &Sod,
    files: impl IntoIterator<Item = (DataGroup, &'a [u8])>,
) -> Vec<DgHashCheck> {
    let lso = &sod.lds_security_object;
    let hash = lso.hash();
    let mut checks: Vec<DgHashCheck> = Vec::new();
    for (data_group, bytes) in files {
        let outcome = match (lso.hash_of(data_group), hash) {
            (None, _) => DgHashOutcome::NotInSod,
            (Some(_), None) => DgHashOutcome::UnsupportedAlgorithm,
            (Some(expected), Some(h)) => {
                if ct_eq(&h.digest(bytes), expected) {
                    DgHashOutcome::Match
                } else {
                    DgHashOutcome::Mismatch
                }
            }
        };
        // A data group given twice keeps its last result.
        checks.retain(|c| c.data_group != data_group);
        checks.push(DgHashCheck {
            data_group,
            outcome,
        });
    }
    for entry in &lso.data_group_hashes {
        if !checks.iter().any(|c| c.data_group == entry.data_group) {
            checks.push(DgHashCheck {
                data_group: entry.data_group,
                outcome: DgHashOutcome::NotRead,
            });
        }
    }
    checks.sort_by_key(|c| c.data_group);
    checks
}

#[cfg(test)]
mod tests;
