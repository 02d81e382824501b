//! Passive authentication as report checks: `sod.parse`, `sod.content_type`,
//! `sod.message_digest`, `sod.signature`, `sod.signing_time`, `sod.algorithms`, `sod.chain`,
//! `sod.issuing_state` and `dg.hash.DGn`; `card_security.signature` and
//! `card_security.chain` when EF.CardSecurity was read (after PACE-CAM).

use super::{Check, CheckId, Status};
use crate::document::Document;
use crate::lds::{DataGroup, FileId};
use crate::passive::{self, ChainOutcome, Outcome, PassiveReport};
use crate::pki::TrustStore;
use time::OffsetDateTime;

/// The passive-authentication checks for a document whose DG1 names `issuing_state`.
pub fn checks(
    doc: &Document,
    store: &TrustStore,
    at: OffsetDateTime,
    issuing_state: Option<&str>,
) -> Vec<Check> {
    let Some(sod) = doc.get(FileId::Sod) else {
        return vec![Check::new(
            CheckId::SodSignature,
            Status::Fail,
            "EF.SOD was not read: nothing proves the data was issued unaltered",
        )];
    };
    let files = doc.files().filter_map(|(id, bytes)| match id {
        FileId::Dg(dg) => Some((dg, bytes)),
        _ => None,
    });
    let report = passive::verify_sod(sod, files, store, at);
    let outcome = |id: CheckId, o: &Outcome| {
        let reason = match o.reason() {
            "" => "verified".to_owned(),
            r => r.to_owned(),
        };
        Check::new(id, o.status(), reason)
    };
    let mut out = vec![
        outcome(CheckId::SodParse, &report.sod),
        outcome(CheckId::SodContentType, &report.content_type),
        outcome(CheckId::SodMessageDigest, &report.message_digest),
        outcome(CheckId::SodSignature, &report.signature),
        outcome(CheckId::SodSigningTime, &report.signing_time),
        outcome(CheckId::SodAlgorithms, &report.algorithms),
        chain_check(&report, store),
        issuing_state_check(&report, issuing_state),
    ];
    out.extend(report.data_groups.iter().map(|c| {
        Check::new(
            CheckId::DgHash(c.data_group),
            c.outcome.status(),
            c.outcome.reason(),
        )
    }));
    // A card with no face at all (Căn cước cards of children under 6): the SOD parsed, lists
    // no DG2, and none was read, so the passive report has no DG2 entry to speak for it.
    if report.sod.is_pass() && report.data_group(DataGroup::Dg2).is_none() {
        out.push(Check::new(
            CheckId::DgHash(DataGroup::Dg2),
            Status::Skip,
            "face checks skipped: the card has no face image (its SOD lists no DG2), as on Căn cước cards of children under 6",
        ));
    }
    for c in &mut out {
        if let Some(why) = empty_file_reason(doc, sod, c) {
            c.reason = why;
        }
    }
    out
}

/// `card_security.signature` and `card_security.chain` when the document holds
/// EF.CardSecurity (none otherwise: a reader reads it only for PACE-CAM).
pub fn card_security_checks(doc: &Document, store: &TrustStore, at: OffsetDateTime) -> Vec<Check> {
    let Some(bytes) = doc.get(FileId::CardSecurity) else {
        return Vec::new();
    };
    let report = passive::verify_card_security(bytes, store, at);
    let signature = match report.signature.reason() {
        "" => "EF.CardSecurity's SecurityInfos are what its document signer signed".to_owned(),
        r => r.to_owned(),
    };
    let mut chain_status: Status = report.chain.status();
    let mut chain_reason = report.chain.reason();
    if matches!(report.chain, ChainOutcome::NoAnchor { .. }) && !store.is_empty() {
        chain_status = Status::Fail;
        chain_reason = format!(
            "{chain_reason}; none of the {} trust anchors given issued EF.CardSecurity's signer",
            store.len()
        );
    }
    vec![
        Check::new(
            CheckId::CardSecuritySignature,
            report.signature.status(),
            signature,
        ),
        Check::new(CheckId::CardSecurityChain, chain_status, chain_reason),
    ]
}

/// An empty file read from the chip, said in plain words instead of a parse or hash error.
fn empty_file_reason(doc: &Document, sod: &[u8], check: &Check) -> Option<String> {
    if check.status != Status::Fail {
        return None;
    }
    match check.id {
        CheckId::SodParse if sod.is_empty() => Some(
            "EF.SOD is empty: the chip holds no security object, so nothing proves the data \
             was issued unaltered"
                .to_owned(),
        ),
        CheckId::DgHash(dg) => doc.dg(dg).filter(|b| b.is_empty()).map(|_| {
            format!(
                "{dg} is empty on the chip, but the signed security object lists a hash for \
                 it: the file's data is missing (an altered or faulty chip)"
            )
        }),
        _ => None,
    }
}

/// `sod.chain`. No anchor at all: the chain is simply unchecked (the ID-card CSCA is not
/// public), a warning. Anchors given, none of them the signer's: the card claims an issuer
/// the operator does not trust, a failure.
fn chain_check(report: &PassiveReport, store: &TrustStore) -> Check {
    let mut status: Status = report.chain.status();
    let mut reason = report.chain.reason();
    if matches!(report.chain, ChainOutcome::NoAnchor { .. }) && !store.is_empty() {
        status = Status::Fail;
        reason = format!(
            "{reason}; none of the {} trust anchors given issued this document signer",
            store.len()
        );
    }
    Check::new(CheckId::SodChain, status, reason)
}

/// `sod.issuing_state`: the state DG1 names must be the document signer's country (ICAO
/// 9303-12: a state's CSCA signs only its own documents), and so its CSCA's, which the chain
/// check already ties to the signer's.
fn issuing_state_check(report: &PassiveReport, issuing_state: Option<&str>) -> Check {
    let check = |status, reason: String| Check::new(CheckId::IssuingState, status, reason);
    let Some(state) = issuing_state else {
        return check(Status::Skip, "DG1 was not read or does not parse".into());
    };
    let Some(signer) = &report.signer else {
        return check(
            Status::Skip,
            "no document signer certificate to compare with".into(),
        );
    };
    let Some(expected) = crate::mrz::alpha2_for_issuing_state(state) else {
        return check(
            Status::Fail,
            "DG1's issuing state is not a known ICAO state code".into(),
        );
    };
    match signer.country.as_deref() {
        None => check(
            Status::Fail,
            "the document signer certificate names no country".into(),
        ),
        Some(c) if c == expected => {
            let csca = match &report.chain {
                ChainOutcome::Verified { country, .. } if country.as_deref() == Some(c) => {
                    " and its CSCA's"
                }
                _ => "",
            };
            check(
                Status::Pass,
                format!("DG1's issuing state {state} is the document signer's country {c}{csca}"),
            )
        }
        Some(c) => check(
            Status::Fail,
            format!(
                "DG1 says issued by {state}, but the document signer's country is {c}: a \
                 foreign signer cannot issue this state's documents"
            ),
        ),
    }
}
