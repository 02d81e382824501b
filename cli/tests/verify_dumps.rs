//! `cccd verify` on every sample dump in testdata/, without pcscd: each reaches the verdict and
//! exit code testdata/manifest.json gives, with and without trust anchors, claims and QR.

#![allow(clippy::unwrap_used)]

mod support;
use support::*;

fn verify(card: &CardEntry, extra: &[String]) -> std::process::Output {
    let dir = testdata().join(card.dir.as_str());
    cccd()
        .arg("verify")
        .arg(&dir)
        .args(["--at", &reference_date(), "--json"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn every_sample_card_with_the_test_cscas() {
    let cards = cards();
    assert!(cards.len() >= 20, "manifest lists {} cards", cards.len());
    for card in &cards {
        let out = verify(card, &proven_args(card));
        assert_verdict(
            card,
            &out,
            card.expected_verdict.as_str(),
            &expected_failures(card),
        );
        // The dump alone: nothing proves the chip genuine to this verifier.
        let out = verify(card, &trust_args());
        assert_verdict(card, &out, card.expected_verdict_dump_alone.as_str(), &[]);
    }
}

#[test]
fn every_sample_card_without_trust_anchors() {
    for card in cards() {
        let out = verify(&card, &challenge_args(&card));
        let verdict = card.expected_verdict_without_trust_anchors.as_str();
        assert_verdict(&card, &out, verdict, &[]);
        let report = json_of(&out);
        let chain = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "sod.chain");
        if let Some(chain) = chain
            && verdict == "inconclusive"
        {
            assert_eq!(chain["status"], "warn", "{}", card.dir);
        }
    }
}

fn valid_cards() -> Vec<CardEntry> {
    cards()
        .into_iter()
        .filter(|c| c.expected_verdict == "verified")
        .collect()
}

fn claim_args(card: &CardEntry) -> Vec<String> {
    vec![
        "--id".into(),
        card.id_number.as_str().into(),
        "--name".into(),
        card.name.as_str().into(),
        "--dob".into(),
        card.dob.as_str().into(),
        "--sex".into(),
        card.sex.as_str().into(),
    ]
}

#[test]
fn matching_claims_and_qr_keep_valid_cards_verified() {
    for card in valid_cards() {
        let mut args = proven_args(&card);
        args.extend(claim_args(&card));
        args.extend(["--qr".into(), card.qr_text.as_str().into()]);
        let out = verify(&card, &args);
        assert_verdict(&card, &out, "verified", &[]);
        let report = json_of(&out);
        for name in [
            "claim.id_number",
            "claim.name",
            "claim.dob",
            "claim.sex",
            "qr.matches.chip",
        ] {
            let c = report["checks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["name"] == name)
                .unwrap();
            assert_eq!(c["status"], "pass", "{}: {name}: {c}", card.dir);
        }
    }
}

#[test]
fn mismatching_claims_and_qr_fail_with_the_check_named() {
    let valid = valid_cards();
    for (i, card) in valid.iter().enumerate() {
        let other = &valid[(i + 1) % valid.len()];
        // Another persona's name and QR.
        let mut args = trust_args();
        args.extend(["--name".into(), other.name.as_str().into()]);
        args.extend(["--qr".into(), other.qr_text.as_str().into()]);
        let out = verify(card, &args);
        if other.name == card.name {
            continue;
        }
        assert_verdict(
            card,
            &out,
            "not_verified",
            &["claim.name".into(), "qr.matches.chip".into()],
        );
    }
}

#[test]
fn the_qr_picture_of_each_persona_matches_its_card() {
    for card in valid_cards().iter().take(3) {
        let mut args = proven_args(card);
        args.extend([
            "--qr-image".into(),
            testdata().join(card.qr_png.as_str()).display().to_string(),
        ]);
        let out = verify(card, &args);
        assert_verdict(card, &out, "verified", &[]);
    }
}

#[test]
fn bad_inputs_exit_2_with_a_message() {
    let out = cccd().args(["verify", "/no/such/dump"]).output().unwrap();
    assert_exit(&out, 2);
    assert!(!out.stderr.is_empty());
    let card = &cards()[0];
    let out = verify(card, &["--dob".into(), "1999-02-30".into()]);
    assert_exit(&out, 2);
    let out = verify(card, &["--qr".into(), "not a card qr".into()]);
    assert_exit(&out, 2);
    let out = verify(card, &["--csca".into(), "/no/such/csca.pem".into()]);
    assert_exit(&out, 2);
}

#[test]
fn redact_hides_personal_data_in_json() {
    let card = &valid_cards()[0];
    let out = verify(card, &["--redact".into()]);
    let text = String::from_utf8(out.stdout).unwrap();
    for secret in [
        card.id_number.as_str(),
        card.name.as_str(),
        card.dob.as_str(),
    ] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
}

#[test]
fn html_report_is_written_private_and_self_contained() {
    let card = &valid_cards()[0];
    let path = std::env::temp_dir().join(format!("cccd-report-{}.html", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut args = proven_args(card);
    args.extend(["--html".into(), path.display().to_string()]);
    let out = verify(card, &args);
    assert_exit(&out, 0);
    let page = std::fs::read_to_string(&path).unwrap();
    assert!(page.contains(r#"id="verdict" class="verified""#));
    assert!(page.contains(r#"<img id="face""#));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "external resources"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    std::fs::remove_file(&path).unwrap();
}
