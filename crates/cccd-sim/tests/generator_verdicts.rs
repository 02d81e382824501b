//! The library's own verifier (`cccd::verify`) reaches the verdict the manifest promises for
//! every sample card: with the test CSCAs and the CRL as trust anchors, and with none.
//! Every check the manifest names as failing must be among the report's failures.

use cccd::document::Document;
use cccd::pki::TrustStore;
use cccd::verify::{Claims, Options, Verdict, verify};
use cccd_testkit::{manifest, testdata};

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Verified => "verified",
        Verdict::NotVerified => "not_verified",
        Verdict::Inconclusive => "inconclusive",
    }
}

fn options() -> Options {
    Options::default().at(time::macros::datetime!(2025-06-01 12:00 UTC))
}

#[test]
fn verifier_reaches_the_manifest_verdicts() {
    let m = manifest();
    let store = cccd_testkit::trust_store();
    let empty = TrustStore::new();
    let mut problems = Vec::new();
    for card in &m.cards {
        let dir = card.dir.as_str();
        let doc = Document::load(testdata().join(dir)).expect("dump");
        let challenge = card
            .aa_challenge
            .as_deref()
            .and_then(|h| cccd::hex::decode(h, 8))
            .and_then(|b| <[u8; 8]>::try_from(b).ok());
        let proven = options().aa_challenge(challenge);
        let report = verify(&doc, &store, &Claims::default(), None, &proven);
        let failures: Vec<String> = report.failures().iter().map(ToString::to_string).collect();
        let want = card.expected_verdict.as_str();
        if verdict_name(report.verdict) != want {
            problems.push(format!(
                "{dir}: verdict {:?}, want {want}; failures {failures:?}",
                report.verdict
            ));
        }
        for f in &card.failing_checks {
            if !failures.iter().any(|x| x == f) {
                problems.push(format!("{dir}: {f} did not fail; failures {failures:?}"));
            }
        }
        let alone = verify(&doc, &store, &Claims::default(), None, &options());
        let want = card.expected_verdict_dump_alone.as_str();
        if verdict_name(alone.verdict) != want {
            problems.push(format!(
                "{dir}: dump alone verdict {:?}, want {want}; unproven {:?}",
                alone.verdict, alone.unproven
            ));
        }
        let bare = verify(&doc, &empty, &Claims::default(), None, &proven);
        let want = card.expected_verdict_without_trust_anchors.as_str();
        if verdict_name(bare.verdict) != want {
            problems.push(format!(
                "{dir}: without anchors verdict {:?}, want {want}; failures {:?}",
                bare.verdict,
                bare.failures()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
