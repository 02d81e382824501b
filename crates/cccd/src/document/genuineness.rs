//! What proved the chip the original: one model for the session that runs the proofs and the
//! verifier that weighs what a read recorded.
//!
//! `card.json` keeps its two records ([`ChipAuthRecord`] for chip authentication and
//! PACE-CAM, [`super::ActiveAuthRecord`] for the AA exchange a verifier re-checks against
//! DG15); [`ChipAuthRecord::genuineness`] is the one reading of the first, so the session's
//! conclusion and the verifier's input cannot drift apart.

use super::meta::{CaKeySource, ChipAuthRecord};
use std::fmt;

/// The proof a [`Genuineness`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GenuinenessProof {
    /// PACE with chip authentication mapping (ICAO 9303-11 §4.4.3.5): chip authentication
    /// folded into PACE, checked against the key of EF.CardSecurity or DG14.
    PaceCam,
    /// Chip authentication (ICAO 9303-11 §6.2) with the DG14 key, proven by a MAC-protected
    /// answer on the new session keys.
    ChipAuthentication,
    /// Active authentication (ICAO 9303-11 §6.1): the chip signs a challenge with the DG15
    /// key.
    ActiveAuthentication,
}

impl fmt::Display for GenuinenessProof {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::PaceCam => "PACE-CAM",
            Self::ChipAuthentication => "chip authentication",
            Self::ActiveAuthentication => "active authentication",
        })
    }
}

/// What proved the chip the original rather than a copy of its data, or why that failed.
///
/// [`crate::Session::genuineness`] gives the conclusion of the proofs run at opening;
/// [`ChipAuthRecord::genuineness`] reads a recorded chip authentication or PACE-CAM back for
/// the verifier (whose `chip.authentication` check also weighs who recorded it and re-checks
/// an AA answer itself).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Genuineness {
    /// PACE-CAM passed: the chip's mapping data matched the chip authentication public key of
    /// `key_source`. The key is the issuer's only if passive authentication vouches for that
    /// file.
    PaceCam {
        /// The file whose key the chip proved it holds.
        key_source: CaKeySource,
    },
    /// Chip authentication passed: the chip proved it holds the DG14 private key.
    ChipAuthentication,
    /// Active authentication passed: the chip signed the challenge with the DG15 key.
    ActiveAuthentication,
    /// A proof ran and failed: the chip is probably a copy.
    Failed {
        /// The proof that failed.
        proof: GenuinenessProof,
        /// Why, in plain words (from the chip's data: treat as untrusted text).
        reason: String,
    },
    /// The chip offers neither chip authentication (DG14) nor active authentication (DG15),
    /// or no proof was run.
    NotAvailable,
}

impl Genuineness {
    /// A failure of `proof`.
    pub(crate) fn failed(proof: GenuinenessProof, reason: impl Into<String>) -> Self {
        Self::Failed {
            proof,
            reason: reason.into(),
        }
    }

    /// Whether a proof passed.
    pub fn is_proven(&self) -> bool {
        matches!(
            self,
            Self::PaceCam { .. } | Self::ChipAuthentication | Self::ActiveAuthentication
        )
    }

    /// Whether a proof ran and failed.
    pub fn is_failed(&self) -> bool {
        matches!(self, Self::Failed { .. })
    }
}

impl fmt::Display for Genuineness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PaceCam { key_source } => {
                let file = match key_source {
                    CaKeySource::CardSecurity => "EF.CardSecurity",
                    CaKeySource::Dg14 => "DG14",
                };
                write!(f, "PACE-CAM passed (the {file} key)")
            }
            Self::ChipAuthentication => f.write_str("chip authentication passed"),
            Self::ActiveAuthentication => f.write_str("active authentication passed"),
            Self::Failed { proof, reason } => write!(f, "{proof} failed: {reason}"),
            Self::NotAvailable => f.write_str("no chip or active authentication offered"),
        }
    }
}

impl ChipAuthRecord {
    /// What the record says: a record naming the file of its key is PACE-CAM's, any other
    /// chip authentication's; a failed one carries its recorded detail.
    pub fn genuineness(&self) -> Genuineness {
        let proof = match self.key_source {
            Some(_) => GenuinenessProof::PaceCam,
            None => GenuinenessProof::ChipAuthentication,
        };
        match (self.passed, self.key_source) {
            (true, Some(key_source)) => Genuineness::PaceCam { key_source },
            (true, None) => Genuineness::ChipAuthentication,
            // The session writes PACE-CAM's details with the proof's name in front.
            (false, _) => Genuineness::failed(
                proof,
                self.detail
                    .strip_prefix("PACE-CAM: ")
                    .unwrap_or(&self.detail),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(passed: bool, key_source: Option<CaKeySource>) -> ChipAuthRecord {
        ChipAuthRecord {
            passed,
            protocol: "0.4.0.127.0.7.2.2.3.2.2".into(),
            detail: if passed {
                String::new()
            } else {
                "no MAC".into()
            },
            key_source,
        }
    }

    #[test]
    fn a_record_reads_as_the_proof_it_names() {
        assert_eq!(
            record(true, None).genuineness(),
            Genuineness::ChipAuthentication
        );
        assert_eq!(
            record(true, Some(CaKeySource::CardSecurity)).genuineness(),
            Genuineness::PaceCam {
                key_source: CaKeySource::CardSecurity
            }
        );
        assert_eq!(
            record(false, None).genuineness(),
            Genuineness::failed(GenuinenessProof::ChipAuthentication, "no MAC")
        );
        let mut cam = record(false, Some(CaKeySource::Dg14));
        cam.detail = "PACE-CAM: no match".into();
        assert_eq!(
            cam.genuineness(),
            Genuineness::failed(GenuinenessProof::PaceCam, "no match")
        );
    }

    #[test]
    fn proven_failed_and_absent_are_distinct() {
        let all = [
            Genuineness::PaceCam {
                key_source: CaKeySource::Dg14,
            },
            Genuineness::ChipAuthentication,
            Genuineness::ActiveAuthentication,
            Genuineness::failed(GenuinenessProof::ActiveAuthentication, "bad signature"),
            Genuineness::NotAvailable,
        ];
        let proven: Vec<bool> = all.iter().map(Genuineness::is_proven).collect();
        let failed: Vec<bool> = all.iter().map(Genuineness::is_failed).collect();
        assert_eq!(proven, [true, true, true, false, false]);
        assert_eq!(failed, [false, false, false, true, false]);
        assert_eq!(
            all[3].to_string(),
            "active authentication failed: bad signature"
        );
        assert_eq!(all[0].to_string(), "PACE-CAM passed (the DG14 key)");
    }
}
