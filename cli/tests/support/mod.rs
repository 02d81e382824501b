//! Shared helpers for the CLI tests: the sample-card manifest and running `cccd`.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The repository's testdata folder.
pub fn testdata() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata"))
}

/// testdata/manifest.json.
pub fn manifest() -> serde_json::Value {
    let text = std::fs::read_to_string(testdata().join("manifest.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every sample card.
pub fn cards() -> Vec<serde_json::Value> {
    manifest()["cards"].as_array().unwrap().clone()
}

/// The reference date the sample cards are valid at.
pub fn reference_date() -> String {
    manifest()["reference_date"].as_str().unwrap().to_owned()
}

/// `--csca X --csca Y ... --crl Z` for the test trust anchors.
/// `--aa-challenge` with the challenge recorded in the card's dump: it stands for the one
/// a backend issued, so the dump proves its chip genuine to the verifier.
pub fn challenge_args(card: &serde_json::Value) -> Vec<String> {
    vec![
        "--aa-challenge".to_owned(),
        card["aa_challenge"].as_str().unwrap().to_owned(),
    ]
}

/// The trust anchors and CRL, plus the card's AA challenge.
pub fn proven_args(card: &serde_json::Value) -> Vec<String> {
    let mut out = trust_args();
    out.extend(challenge_args(card));
    out
}

pub fn trust_args() -> Vec<String> {
    let m = manifest();
    let mut out = Vec::new();
    for a in m["trust_anchors"].as_array().unwrap() {
        out.push("--csca".to_owned());
        out.push(testdata().join(a.as_str().unwrap()).display().to_string());
    }
    for c in m["crls"].as_array().unwrap() {
        out.push("--crl".to_owned());
        out.push(testdata().join(c.as_str().unwrap()).display().to_string());
    }
    out
}

/// The `cccd` binary.
pub fn cccd() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cccd"))
}

/// Run and parse `--json` output.
pub fn json_of(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Names of failed checks in a verify JSON.
pub fn failed(report: &serde_json::Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The checks the manifest says must fail for a card.
pub fn expected_failures(card: &serde_json::Value) -> Vec<String> {
    card["failing_checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// The exit code a verdict must give.
pub fn exit_for(verdict: &str) -> i32 {
    match verdict {
        "verified" => 0,
        "not_verified" => 1,
        "inconclusive" => 4,
        other => panic!("unknown verdict {other}"),
    }
}

/// Assert a verify run reached the manifest's verdict and failed the named checks.
pub fn assert_verdict(card: &serde_json::Value, out: &Output, verdict: &str, must_fail: &[String]) {
    let report = json_of(out);
    let dir = card["dir"].as_str().unwrap();
    assert_eq!(report["verdict"], verdict, "{dir}: {report:#}");
    assert_eq!(out.status.code(), Some(exit_for(verdict)), "{dir}");
    let got = failed(&report);
    for name in must_fail {
        assert!(
            got.contains(name),
            "{dir}: expected {name} to fail, failed: {got:?}"
        );
    }
}
