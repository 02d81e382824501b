#![allow(clippy::unwrap_used)] // tests: a panic is a failure
use super::*;

#[test]
fn garbage_sod_fails_parse_and_skips_the_rest() {
    let store = TrustStore::new();
    let dg1: &[u8] = &[0x61, 0x00];
    let report = verify_sod(
        &[0x77, 0x03, 0x30, 0x01, 0x00],
        [(DataGroup::Dg1, dg1)],
        &store,
        OffsetDateTime::UNIX_EPOCH,
    );
    assert_eq!(report.sod.status(), Status::Fail);
    assert_eq!(report.signature.status(), Status::Skip);
    assert_eq!(report.chain.status(), Status::Skip);
    assert!(!report.passed());
    assert!(!report.fully_verified());
    let names: Vec<String> = report.checks().into_iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            "sod.parse",
            "sod.content_type",
            "sod.message_digest",
            "sod.signature",
            "sod.signing_time",
            "sod.algorithms",
            "sod.chain"
        ]
    );
}

#[test]
fn truncated_sod_is_a_parse_failure_not_a_panic() {
    let store = TrustStore::new();
    for len in 0..8 {
        let bytes = vec![0x77; len];
        let report = verify_sod(&bytes, [], &store, OffsetDateTime::UNIX_EPOCH);
        assert_eq!(report.sod.status(), Status::Fail, "length {len}");
    }
}

#[test]
fn no_anchor_is_a_warning_with_the_issuer_named() {
    let outcome = ChainOutcome::NoAnchor {
        issuer: "CN=CSCA X".to_owned(),
    };
    assert_eq!(outcome.status(), Status::Warn);
    assert_eq!(outcome.reason(), "unverified: no CSCA for CN=CSCA X");
}

#[test]
fn dg_outcome_statuses() {
    assert_eq!(DgHashOutcome::Match.status(), Status::Pass);
    assert_eq!(DgHashOutcome::Mismatch.status(), Status::Fail);
    assert_eq!(DgHashOutcome::NotInSod.status(), Status::Fail);
    assert_eq!(DgHashOutcome::NotRead.status(), Status::Skip);
}
