//! Shared helpers for the CLI tests: the sample-card manifest and running `cccd`.

#![allow(dead_code, unused_imports, clippy::unwrap_used)]

pub use cccd_testkit::{CardEntry, assert_exit, cards, manifest, testdata};
use std::path::PathBuf;
use std::process::{Command, Output};

/// The reference date the sample cards are valid at.
pub fn reference_date() -> String {
    manifest().reference_date
}

/// `--aa-challenge` with the challenge recorded in the card's dump: it stands for the one
/// a backend issued, so the dump proves its chip genuine to the verifier.
pub fn challenge_args(card: &CardEntry) -> Vec<String> {
    vec![
        "--aa-challenge".to_owned(),
        card.aa_challenge
            .clone()
            .expect("the card records an AA challenge"),
    ]
}

/// The trust anchors and CRL, plus the card's AA challenge.
pub fn proven_args(card: &CardEntry) -> Vec<String> {
    let mut out = trust_args();
    out.extend(challenge_args(card));
    out
}

/// `--csca X --csca Y ... --crl Z` for the test trust anchors.
pub fn trust_args() -> Vec<String> {
    let m = manifest();
    let mut out = Vec::new();
    for a in &m.trust_anchors {
        out.push("--csca".to_owned());
        out.push(testdata().join(a).display().to_string());
    }
    for c in &m.crls {
        out.push("--crl".to_owned());
        out.push(testdata().join(c).display().to_string());
    }
    out
}

/// The `cccd` binary, in English whatever the machine's locale (a test that wants
/// Vietnamese passes `--lang vi` or sets `LANG` itself).
pub fn cccd() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cccd"));
    command
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    command
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
pub fn expected_failures(card: &CardEntry) -> Vec<String> {
    card.failing_checks.clone()
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
pub fn assert_verdict(card: &CardEntry, out: &Output, verdict: &str, must_fail: &[String]) {
    let report = json_of(out);
    let dir = card.dir.as_str();
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

/// The repository's `schemas/` folder.
pub fn schemas_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas"))
}

/// Every schema in `schemas/`, by file stem (`report`, `batch-line`...).
pub fn schemas() -> Vec<(String, serde_json::Value)> {
    let mut out: Vec<_> = std::fs::read_dir(schemas_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".schema.json"))
        .map(|p| {
            let name = p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace(".schema.json", "");
            let text = std::fs::read_to_string(&p).unwrap();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Validate `doc` against `schemas/<name>.schema.json`, with the other schemas registered
/// for `$ref` and no retrieval from the network; panics listing every violation.
pub fn assert_schema(name: &str, doc: &serde_json::Value) {
    let all = schemas();
    let mut registry = jsonschema::Registry::new();
    for (_, schema) in &all {
        let id = schema["$id"].as_str().unwrap().to_owned();
        registry = registry.add(id, schema.clone()).unwrap();
    }
    let registry = registry.prepare().unwrap();
    let schema = &all.iter().find(|(n, _)| n == name).unwrap().1;
    let validator = jsonschema::options()
        .with_registry(&registry)
        .build(schema)
        .unwrap_or_else(|e| panic!("{name}.schema.json does not build: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{doc:#}");
}

/// The message of the error document a `--json` run printed on standard output (checked
/// against `schemas/error.schema.json`).
pub fn error_message(out: &Output) -> String {
    let doc = json_of(out);
    assert_schema("error", &doc);
    doc["error"]["message"].as_str().unwrap().to_owned()
}
