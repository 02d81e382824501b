//! The library's own verifier (`cccd::verify`) reaches the verdict the manifest promises for
//! every sample card: with the test CSCAs and the CRL as trust anchors, and with none.
//! Every check the manifest names as failing must be among the report's failures.

use cccd::document::Document;
use cccd::trust::TrustStore;
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
    Options {
        at: time::macros::datetime!(2025-06-01 12:00 UTC),
        ..Options::default()
    }
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
        store
            .load_file(&testdata().join(a.as_str().expect("path")))
            .expect("trust anchor loads");
    }
    let empty = TrustStore::new();
    let mut problems = Vec::new();
    for card in m["cards"].as_array().expect("cards") {
        let dir = card["dir"].as_str().expect("dir");
        let doc = Document::load(testdata().join(dir)).expect("dump");
        let report = verify(&doc, &store, &Claims::default(), None, &options());
        let failures = report.failures();
        let want = card["expected_verdict"].as_str().expect("verdict");
        if verdict_name(report.verdict) != want {
            problems.push(format!(
                "{dir}: verdict {:?}, want {want}; failures {failures:?}",
                report.verdict
            ));
        }
        for f in card["failing_checks"].as_array().expect("failing") {
            let f = f.as_str().expect("check");
            if !failures.contains(&f) {
                problems.push(format!("{dir}: {f} did not fail; failures {failures:?}"));
            }
        }
        let bare = verify(&doc, &empty, &Claims::default(), None, &options());
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
