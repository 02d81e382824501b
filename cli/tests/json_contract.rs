//! The machine-readable contract: every `--json` output of real runs validates against its
//! schema in `schemas/`, errors under `--json` are error documents on standard output with
//! the documented exit codes, and values have one representation (snake_case, no Rust type
//! names, `null` + flag for "no expiry").

#![allow(clippy::unwrap_used)]

mod support;
use support::*;

const MRZ: &str =
    "IDVNM0990000017001099000001<<8|9901018M3901016VNM<<<<<<<<<<<4|NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";

#[test]
fn every_schema_is_a_valid_json_schema() {
    let all = schemas();
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    for want in [
        "report",
        "batch-line",
        "inspect",
        "qr",
        "mrz",
        "trust",
        "readers",
        "read",
        "error",
    ] {
        assert!(names.contains(&want), "no {want}.schema.json in {names:?}");
    }
    for (name, schema) in &all {
        assert!(
            jsonschema::meta::is_valid(schema),
            "{name}.schema.json is not a valid JSON Schema"
        );
    }
}

/// Verify every sample card; each report validates, and a redacted one too.
#[test]
fn verify_reports_of_every_card_match_the_schema() {
    for card in cards() {
        let dir = testdata().join(card.dir.as_str());
        for redact in [false, true] {
            let mut cmd = cccd();
            cmd.arg("verify").arg(&dir).args(trust_args());
            cmd.args(["--json", "--at", &reference_date()]);
            if redact {
                cmd.arg("--redact");
            }
            let out = cmd.output().unwrap();
            let j = json_of(&out);
            assert_schema("report", &j);
            assert_eq!(j["schema_version"], 1);
            assert_eq!(j["tool"]["name"], "cccd");
            assert_eq!(j["identity"]["redacted"], redact);
            let text = serde_json::to_string(&j).unwrap();
            // No Rust type names leak into values.
            for rust_name in [
                "\"Cccd2021\"",
                "\"CanCuoc2024\"",
                "\"Td1\"",
                "\"Sha256\"",
                "PaceCan",
            ] {
                assert!(!text.contains(rust_name), "{rust_name} in {text}");
            }
            if redact {
                let id = card.id_number.as_str();
                assert!(
                    !text.contains(id),
                    "{}: ID number in a redacted report",
                    card.dir
                );
            }
        }
    }
}

#[test]
fn no_expiry_is_null_and_a_flag() {
    let Some(card) = cards().into_iter().find(|c| c.date_of_expiry.is_none()) else {
        return;
    };
    let dir = testdata().join(card.dir.as_str());
    let out = cccd()
        .arg("verify")
        .arg(&dir)
        .args(["--json", "--at", &reference_date()])
        .output()
        .unwrap();
    let j = json_of(&out);
    assert_schema("report", &j);
    assert_eq!(j["identity"]["no_expiry"], true, "{j:#}");
    assert!(j["identity"].get("date_of_expiry").is_none());
}

#[test]
fn batch_lines_are_reports_or_errors() {
    let out = cccd()
        .args(["verify", "--batch"])
        .arg(testdata().join("cards"))
        .args(trust_args())
        .args(["--json", "--at", &reference_date()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut n = 0;
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_schema("batch-line", &v);
        assert_schema("report", &v);
        n += 1;
    }
    assert_eq!(n, cards().len());
}

#[test]
fn inspect_of_every_card_matches_the_schema() {
    for card in cards() {
        let dir = testdata().join(card.dir.as_str());
        for redact in [&[][..], &["--redact"][..]] {
            let out = cccd()
                .arg("inspect")
                .arg(&dir)
                .arg("--json")
                .args(redact)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{}", card.dir);
            assert_schema("inspect", &json_of(&out));
        }
    }
}

#[test]
fn qr_and_mrz_match_their_schemas() {
    let card = &cards()[0];
    let qr = card.qr_text.as_str();
    let out = cccd().args(["qr", qr, "--json"]).output().unwrap();
    let j = json_of(&out);
    assert_schema("qr", &j);
    assert!(
        matches!(j["sex"].as_str(), Some("male" | "female")),
        "{j:#}"
    );
    assert!(j["province"].is_string());
    // --redact also hides what the ID number's first digits encode.
    let out = cccd()
        .args(["qr", qr, "--json", "--redact"])
        .output()
        .unwrap();
    let j = json_of(&out);
    assert_schema("qr", &j);
    for hidden in [
        "province_code",
        "province",
        "birth_year_from_id",
        "sex_from_id",
        "sex",
    ] {
        assert!(j[hidden].is_null(), "{hidden} shown under --redact: {j:#}");
    }
    let out = cccd().args(["mrz", MRZ, "--json"]).output().unwrap();
    let j = json_of(&out);
    assert_schema("mrz", &j);
    assert_eq!(j["format"], "td1");
    assert_eq!(j["sex"], "male");
    assert!(
        j["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["found"].is_u64())
    );
}

#[test]
fn trust_and_readers_match_their_schemas() {
    let out = cccd()
        .arg("trust")
        .arg(testdata().join("pki"))
        .arg("--json")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_schema("trust", &json_of(&out));
    // Without pcscd this is an error document; with it, the reader list.
    let out = cccd().args(["readers", "--json"]).output().unwrap();
    let j = json_of(&out);
    if out.status.code() == Some(0) {
        assert_schema("readers", &j);
    } else {
        assert_schema("error", &j);
        assert_eq!(j["error"]["exit_code"], out.status.code().unwrap());
    }
}

/// Errors under --json: an error document on stdout, nothing on stdout otherwise, and the
/// exit code the document states.
#[test]
fn errors_are_json_documents_with_their_exit_codes() {
    let cases: Vec<(Vec<String>, &str, i32)> = vec![
        (
            vec!["verify".into(), "/nonexistent/cccd-dump".into()],
            "bad_input",
            2,
        ),
        (vec!["qr".into(), "garbage".into()], "bad_input", 2),
        (vec!["verify".into(), "--no-such-flag".into()], "usage", 2),
        (vec!["mrz".into()], "usage", 2),
        (
            vec![
                "read".into(),
                "-o".into(),
                "/tmp/x".into(),
                "--can".into(),
                "12345".into(),
            ],
            "bad_input",
            2,
        ),
    ];
    for (args, kind, code) in cases {
        let out = cccd().args(&args).arg("--json").output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let j = json_of(&out);
        assert_schema("error", &j);
        assert_eq!(j["error"]["kind"], kind, "{args:?}: {j:#}");
        assert_eq!(j["error"]["exit_code"], code);
        // Without --json the same error is text on stderr and stdout stays empty.
        let out = cccd().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// Contradictory arguments are usage errors, not silently ignored.
#[test]
fn contradictory_arguments_are_refused() {
    let dump = testdata().join("cards/v01-hung-ec-bp384");
    let dump = dump.to_str().unwrap();
    for args in [
        vec!["verify", dump, "--reader", "x"],
        vec!["verify", dump, "--can", "082497"],
        vec![
            "read",
            "-o",
            "/tmp/cccd-never",
            "--can",
            "082497",
            "--mrz",
            "X",
        ],
    ] {
        let out = cccd().args(&args).arg("--json").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let j = json_of(&out);
        assert_eq!(j["error"]["kind"], "usage", "{args:?}");
    }
}

/// An MRZ typed in lower case is upper-cased, with a note.
#[test]
fn a_lower_case_mrz_is_upper_cased() {
    let out = cccd()
        .args(["mrz", &MRZ.to_lowercase(), "--json"])
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_eq!(json_of(&out)["vietnam_id_number"], "001099000001");
    assert!(String::from_utf8_lossy(&out.stderr).contains("upper-cased"));
}
