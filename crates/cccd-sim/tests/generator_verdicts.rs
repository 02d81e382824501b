//! The library's own verifier (`cccd::verify`) reaches the verdict the manifest promises for
//! every sample card: with the test CSCAs and the CRL as trust anchors, and with none.
//! Every check the manifest names as failing must be among the report's failures.

use cccd::document::Document;
use cccd::pki::TrustStore;
use cccd::verify::{Claims, Options, Verdict, verify};
use std::path::{Path, PathBuf};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

fn manifest() -> serde_json::Value {
    let text = std::fs::read_to_string(testdata().join("manifest.json")).expect("manifest");
    serde_json::from_str(&text).expect("manifest JSON")
}

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
    let mut store = TrustStore::new();
    for a in m["trust_anchors"]
        .as_array()
        .expect("anchors")
        .iter()
        .chain(m["crls"].as_array().expect("crls"))
    {
        let _ = store
            .load_path(&testdata().join(a.as_str().expect("path")))
            .expect("trust anchor loads");
    }
    let empty = TrustStore::new();
    let mut problems = Vec::new();
    for card in m["cards"].as_array().expect("cards") {
        let dir = card["dir"].as_str().expect("dir");
        let doc = Document::load(testdata().join(dir)).expect("dump");
        let challenge = card["aa_challenge"]
            .as_str()
            .and_then(|h| cccd::hex::decode(h, 8))
            .and_then(|b| <[u8; 8]>::try_from(b).ok());
        let proven = options().aa_challenge(challenge);
        let report = verify(&doc, &store, &Claims::default(), None, &proven);
        let failures: Vec<String> = report.failures().iter().map(ToString::to_string).collect();
        let want = card["expected_verdict"].as_str().expect("verdict");
        if verdict_name(report.verdict) != want {
            problems.push(format!(
                "{dir}: verdict {:?}, want {want}; failures {failures:?}",
                report.verdict
            ));
        }
        for f in card["failing_checks"].as_array().expect("failing") {
            let f = f.as_str().expect("check");
            if !failures.iter().any(|x| x == f) {
                problems.push(format!("{dir}: {f} did not fail; failures {failures:?}"));
            }
        }
        let alone = verify(&doc, &store, &Claims::default(), None, &options());
        let want = card["expected_verdict_dump_alone"]
            .as_str()
            .expect("verdict");
        if verdict_name(alone.verdict) != want {
            problems.push(format!(
                "{dir}: dump alone verdict {:?}, want {want}; unproven {:?}",
                alone.verdict, alone.unproven
            ));
        }
        let bare = verify(&doc, &empty, &Claims::default(), None, &proven);
        let want = card["expected_verdict_without_trust_anchors"]
            .as_str()
            .expect("verdict");
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
