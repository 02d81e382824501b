//! What the CLI shows of the real-card DG13 layout and the 2024 Căn cước: indices 15, 16 and
//! unknown ones in `inspect` and `verify` (human, JSON, HTML), DG13 labels by generation, a
//! card without a face, and the 2024 QR's cancelled numbers, parents and certificate form.

#![allow(clippy::unwrap_used)]

mod support;
use support::*;

fn card_where(f: impl Fn(&CardEntry) -> bool) -> CardEntry {
    cards().into_iter().find(|c| f(c)).unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn inspect_json_shows_indices_15_and_16_and_the_generation() {
    let card = card_where(|c| {
        c.generation == "cccd-2021"
            && c.dg13_previous_document_number.is_some()
            && c.dg13_layout == "real-card"
            && c.expected_verdict == "verified"
    });
    let dir = testdata().join(card.dir.as_str());
    let out = cccd()
        .arg("inspect")
        .arg(&dir)
        .arg("--json")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let j = json_of(&out);
    let id = &j["identity"];
    assert_eq!(id["card_generation"], "cccd_2021");
    assert_eq!(
        id["previous_document_number"],
        serde_json::json!(card.dg13_previous_document_number)
    );
    assert_eq!(id["dg13_index_16"]["index"], 16);
    assert_eq!(
        id["dg13_index_16"]["text"],
        serde_json::json!(card.dg13_index_16)
    );
    assert!(
        id["dg13_index_16"]["hex"]
            .as_str()
            .unwrap()
            .starts_with("13")
    );
    // 2021: index 8 is the place of origin.
    assert!(id["place_of_origin"].is_string());
    assert!(id["place_of_birth_registration"].is_null());
    // Human output: the labels.
    let out = cccd().arg("inspect").arg(&dir).output().unwrap();
    let text = stdout(&out);
    assert!(text.contains("Previous document number"), "{text}");
    assert!(text.contains("Index 16"), "{text}");
    assert!(text.contains("Place of origin"), "{text}");
    assert!(text.contains("Place of permanent residence"), "{text}");
    // Redacted: index 15 and 16 are masked.
    let out = cccd()
        .arg("inspect")
        .arg(&dir)
        .arg("--redact")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(!text.contains(card.dg13_index_16.as_deref().unwrap()));
    assert!(!text.contains(card.dg13_previous_document_number.as_deref().unwrap()));
}

#[test]
fn a_2024_card_uses_the_2024_labels_in_verify_and_html() {
    let card = card_where(|c| {
        c.generation == "can-cuoc-2024"
            && c.expected_verdict == "verified"
            && c.face_format != "none"
    });
    let dir = testdata().join(card.dir.as_str());
    let out = cccd()
        .arg("verify")
        .arg(&dir)
        .args(proven_args(&card))
        .args(["--at", &reference_date()])
        .arg("--json")
        .output()
        .unwrap();
    let j = json_of(&out);
    assert_eq!(j["identity"]["card_generation"], "can_cuoc_2024");
    assert!(j["identity"]["place_of_birth_registration"].is_string());
    assert!(j["identity"]["place_of_origin"].is_null());
    assert!(j["identity"]["dg13_index_16"]["text"].is_string());
    let out = cccd()
        .arg("verify")
        .arg(&dir)
        .args(proven_args(&card))
        .args(["--at", &reference_date()])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("Place of birth registration"), "{text}");
    assert!(text.contains("Place of residence"), "{text}");
    assert!(!text.contains("Place of origin"), "{text}");
    let html = std::env::temp_dir().join(format!("cccd-2024-{}.html", std::process::id()));
    let out = cccd()
        .arg("verify")
        .arg(&dir)
        .args(proven_args(&card))
        .args(["--at", &reference_date()])
        .arg("--html")
        .arg(&html)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let page = std::fs::read_to_string(&html).unwrap();
    std::fs::remove_file(&html).unwrap();
    assert!(page.contains("<th>Place of birth registration</th>"));
    assert!(page.contains("<th>Index 16 (raw code)</th>"));
}

#[test]
fn a_card_without_a_face_verifies_and_says_why_there_is_no_face() {
    let card = card_where(|c| c.face_format == "none");
    assert_eq!(card.expected_verdict, "verified");
    let dir = testdata().join(card.dir.as_str());
    let out = cccd()
        .arg("verify")
        .arg(&dir)
        .args(proven_args(&card))
        .args(["--at", &reference_date()])
        .arg("--json")
        .output()
        .unwrap();
    assert_verdict(&card, &out, "verified", &[]);
    let j = json_of(&out);
    let face = j["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "dg.hash.DG2")
        .unwrap();
    assert_eq!(face["status"], "skip");
    let html = std::env::temp_dir().join(format!("cccd-noface-{}.html", std::process::id()));
    cccd()
        .arg("verify")
        .arg(&dir)
        .args(proven_args(&card))
        .args(["--at", &reference_date()])
        .arg("--html")
        .arg(&html)
        .output()
        .unwrap();
    let page = std::fs::read_to_string(&html).unwrap();
    std::fs::remove_file(&html).unwrap();
    assert!(page.contains("this card has no DG2"), "{page}");
    // `inspect --face` explains instead of asking to read DG2.
    let out = cccd()
        .arg("inspect")
        .arg(&dir)
        .arg("--face")
        .arg(std::env::temp_dir().join("cccd-never-written.png"))
        .output()
        .unwrap();
    assert_exit(&out, 2);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no face image"), "{err}");
}

#[test]
fn qr_command_shows_cancelled_numbers_parents_and_certificates() {
    let card = card_where(|c| !c.qr_cancelled_id_numbers.is_empty());
    let out = cccd()
        .args(["qr", card.qr_text.as_str(), "--json"])
        .output()
        .unwrap();
    let j = json_of(&out);
    assert_eq!(
        j["cancelled_id_numbers"],
        serde_json::json!(card.qr_cancelled_id_numbers)
    );
    assert_eq!(j["has_chip"], true);
    let child = card_where(|c| c.qr_has_parents);
    let out = cccd()
        .args(["qr", child.qr_text.as_str(), "--json"])
        .output()
        .unwrap();
    let j = json_of(&out);
    assert!(j["father"].is_string() && j["mother"].is_string());
    let cert = "001099000001|Nguyễn Văn A|01011999|Nam|Số 1, Phố Huế, Hà Nội|01082024|Chưa xác định quốc tịch";
    let out = cccd().args(["qr", cert, "--json"]).output().unwrap();
    let j = json_of(&out);
    assert_eq!(j["document"], "certificate_of_identity");
    assert_eq!(j["has_chip"], false);
    let out = cccd().args(["qr", cert]).output().unwrap();
    assert!(stdout(&out).contains("no chip"));
}

#[test]
fn verify_with_a_superseded_id_claim_warns() {
    let card =
        card_where(|c| !c.qr_cancelled_id_numbers.is_empty() && c.expected_verdict == "verified");
    let dir = testdata().join(card.dir.as_str());
    let cancelled = card.qr_cancelled_id_numbers[0].as_str();
    let out = cccd()
        .arg("verify")
        .arg(&dir)
        .args(proven_args(&card))
        .args(["--at", &reference_date()])
        .args(["--id", cancelled, "--json"])
        .output()
        .unwrap();
    let j = json_of(&out);
    let c = j["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "claim.id_number")
        .unwrap_or_else(|| panic!("{j}"));
    assert_eq!(c["status"], "warn", "{c}");
    assert!(c["reason"].as_str().unwrap().contains("superseded"));
    // Not a plain match: the claim is unproven, so the card is not `verified`.
    assert_eq!(j["verdict"], "inconclusive", "{j}");
    assert!(
        j["unproven"]
            .as_array()
            .unwrap()
            .contains(&"claim.id_number".into())
    );
    assert_exit(&out, 4);
}
