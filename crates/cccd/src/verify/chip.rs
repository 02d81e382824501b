//! `chip.authentication`: is the chip the original, as proven to this verifier?
//!
//! The evidence and what it is worth:
//!
//! | evidence | read here | loaded from a dump |
//! |---|---|---|
//! | chip authentication passed | pass: performed by this process | warn: only recorded; pass under [`super::Policy::trust_recorded_chip_auth`] |
//! | chip authentication failed | fail | fail (a record of a failure is still a failure) |
//! | AA answer, challenge from this verifier | pass | pass when it equals [`super::Options::aa_challenge`] |
//! | AA answer, challenge from elsewhere | — | warn (a replay cannot be ruled out); fail if the verifier issued a different one |
//! | `aa_challenge` given, no AA answer | — | fail |
//! | nothing | skip | skip |

use super::{Check, CheckId, Options, Provenance, Status};
use crate::document::{ActiveAuthRecord, Document};

const ID: CheckId = CheckId::ChipAuthentication;

fn check(status: Status, reason: impl Into<String>) -> Check {
    Check::new(ID, status, reason)
}

/// What the recorded AA exchange proves.
enum AaEvidence {
    /// The signature verifies over the challenge this verifier issued.
    OwnChallenge,
    /// The signature verifies, but over a challenge the verifier did not supply.
    ForeignChallenge,
}

/// The `chip.authentication` check for `doc` under `options`.
pub fn chip_authentication(doc: &Document, options: &Options) -> Check {
    let read_here = doc.provenance() == Provenance::ReadHere;
    let trusted_record = read_here || options.policy.trust_recorded_chip_auth;
    let ca = doc.meta.chip_authentication.as_ref();
    if let Some(ca) = ca.filter(|ca| !ca.passed) {
        let by = if read_here {
            "performed here"
        } else {
            "recorded in the dump"
        };
        return check(
            Status::Fail,
            format!(
                "chip authentication failed ({by}): {}; the chip may be a copy",
                ca.detail
            ),
        );
    }
    // The challenge this verifier stands behind: the one it issued, or the one this process
    // sent to the chip itself.
    let own_challenge = options.aa_challenge.or_else(|| {
        read_here
            .then_some(doc.meta.active_authentication.as_ref())
            .flatten()
            .and_then(|r| crate::hex::decode(&r.challenge, 8))
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
    });
    let aa = match (&doc.meta.active_authentication, options.aa_challenge) {
        (Some(record), _) => Some(active_authentication(doc, record, own_challenge)),
        (None, Some(_)) => {
            return check(
                Status::Fail,
                "the verifier issued an active-authentication challenge, but the dump holds no \
                 answer to it",
            );
        }
        (None, None) => None,
    };
    match (ca, aa) {
        (_, Some(Err(reason))) => check(Status::Fail, reason),
        (Some(_), _) if read_here => check(
            Status::Pass,
            "chip authentication performed by this verifier: the chip proved it holds the DG14 \
             private key",
        ),
        (_, Some(Ok(AaEvidence::OwnChallenge))) => check(
            Status::Pass,
            "active authentication: the chip signed this verifier's own challenge with the DG15 \
             key",
        ),
        (Some(_), _) if trusted_record => check(
            Status::Pass,
            "chip authentication recorded by the reader that made the dump; accepted because \
             the policy trusts recorded results",
        ),
        (Some(_), _) => check(
            Status::Warn,
            "chip authentication recorded by the reader that made the dump; not provable \
             offline (verify with --aa-challenge, read the card here, or trust your own \
             readers' records with --trust-recorded-auth)",
        ),
        (None, Some(Ok(AaEvidence::ForeignChallenge))) if trusted_record => check(
            Status::Pass,
            "active authentication signature verifies over the recorded challenge; accepted \
             because the policy trusts recorded results",
        ),
        (None, Some(Ok(AaEvidence::ForeignChallenge))) => check(
            Status::Warn,
            "active authentication signature verifies, but the challenge was not supplied by \
             this verifier, so a replayed answer cannot be ruled out",
        ),
        (None, None) => check(
            Status::Skip,
            "not proven: nothing shows the chip is the original rather than a copy of its data",
        ),
    }
}

/// Re-verify a recorded AA exchange against DG15 (and DG14's algorithm info).
fn active_authentication(
    doc: &Document,
    record: &ActiveAuthRecord,
    expected: Option<[u8; 8]>,
) -> Result<AaEvidence, String> {
    let challenge = crate::hex::decode(&record.challenge, 1024)
        .ok_or("the recorded AA challenge is not hex")?;
    let response =
        crate::hex::decode(&record.response, 1024).ok_or("the recorded AA answer is not hex")?;
    if let Some(expected) = expected
        && expected.as_slice() != challenge.as_slice()
    {
        return Err("the recorded AA challenge is not the one the verifier issued".into());
    }
    let dg15 = match doc.dg15() {
        Some(Ok(d)) => d,
        Some(Err(e)) => return Err(format!("DG15 does not parse: {e}")),
        None => return Err("an AA answer is recorded but DG15 (the AA key) was not read".into()),
    };
    let dg14 = doc.dg14().and_then(Result::ok);
    crate::access::active::verify_aa(&dg15, dg14.as_ref(), &challenge, &response)
        .map(|_| {
            if expected.is_some() {
                AaEvidence::OwnChallenge
            } else {
                AaEvidence::ForeignChallenge
            }
        })
        .map_err(|e| format!("active authentication failed: {e}; the chip may be a copy"))
}
