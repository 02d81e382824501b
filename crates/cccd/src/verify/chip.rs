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
//!
//! A PACE-CAM pass rests on the chip authentication key of the file the record names
//! (`key_source`): it stays a pass only if passive authentication vouches for that file
//! (`card_security.signature`, or `sod.signature` and `dg.hash.DG14`).

use super::{Check, CheckId, Options, Provenance, Status};
use crate::document::{
    ActiveAuthRecord, CaKeySource, ChipAuthRecord, Document, Genuineness, GenuinenessProof,
};

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
    // The recorded key proof (chip authentication or PACE-CAM), read as the session read it.
    let key_proof = doc
        .meta
        .chip_authentication
        .as_ref()
        .map(ChipAuthRecord::genuineness);
    if let Some(Genuineness::Failed { proof, reason }) = &key_proof {
        let by = if read_here {
            "performed here"
        } else {
            "recorded in the dump"
        };
        let proof = match proof {
            GenuinenessProof::PaceCam => "PACE-CAM: ",
            _ => "",
        };
        return check(
            Status::Fail,
            format!("chip authentication failed ({by}): {proof}{reason}; the chip may be a copy"),
        );
    }
    let ca = key_proof.filter(Genuineness::is_proven);
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

/// A passing `chip.authentication` by PACE-CAM, downgraded unless the passive checks in
/// `passive` vouch for the file its key came from: a chip proving a key nobody signed proves
/// nothing about the document. A failed check of that file fails it; a skipped or merely
/// warned one leaves it a warning.
pub fn cam_key_authenticated(check: Check, doc: &Document, passive: &[Check]) -> Check {
    let Some(Genuineness::PaceCam { key_source: source }) = doc
        .meta
        .chip_authentication
        .as_ref()
        .map(ChipAuthRecord::genuineness)
    else {
        return check;
    };
    if check.status != Status::Pass {
        return check;
    }
    let (needed, file): (&[CheckId], &str) = match source {
        CaKeySource::CardSecurity => (&[CheckId::CardSecuritySignature], "EF.CardSecurity"),
        CaKeySource::Dg14 => (
            &[
                CheckId::SodSignature,
                CheckId::DgHash(crate::lds::DataGroup::Dg14),
            ],
            "DG14",
        ),
    };
    let status_of = |id: &CheckId| passive.iter().find(|c| c.id == *id).map(|c| c.status);
    if needed.iter().any(|id| status_of(id) == Some(Status::Fail)) {
        return self::check(
            Status::Fail,
            format!(
                "PACE-CAM proved the chip holds the {file} key, but {file} fails passive \
                 authentication: the key is not the issuer's"
            ),
        );
    }
    if needed.iter().all(|id| status_of(id) == Some(Status::Pass)) {
        return Check::new(
            ID,
            Status::Pass,
            format!(
                "{} (PACE-CAM, with the chip authentication key of the passively authenticated \
                 {file})",
                check.reason
            ),
        );
    }
    self::check(
        Status::Warn,
        format!(
            "PACE-CAM proved the chip holds the {file} key, but passive authentication of \
             {file} is not complete"
        ),
    )
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
