//! The informational commands: inspect, qr, mrz, trust — JSON shapes, exit codes, redaction.

#![allow(clippy::unwrap_used)]

mod support;
use support::*;

const MRZ: &str =
    "IDVNM0990000017001099000001<<8|9901018M3901016VNM<<<<<<<<<<<4|NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";

#[test]
fn mrz_reports_every_check_digit_and_the_key_seed() {
    let out = cccd().args(["mrz", MRZ, "--json"]).output().unwrap();
    assert_exit(&out, 0);
    let j = json_of(&out);
    assert_eq!(j["document_number"], "099000001");
    assert_eq!(j["vietnam_id_number"], "001099000001");
    assert_eq!(j["checks"].as_array().unwrap().len(), 5);
    assert_eq!(j["bac_key_seed"].as_str().unwrap().len(), 32);
    // A wrong check digit: exit 1, and the field is named.
    let bad = MRZ.replacen("<<8|", "<<7|", 1);
    let out = cccd().args(["mrz", &bad, "--json"]).output().unwrap();
    assert_exit(&out, 1);
    let j = json_of(&out);
    let failed: Vec<&str> = j["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["valid"] == false)
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    // The optional data's digit, and the composite digit that covers it.
    assert_eq!(failed, ["composite", "vietnamese_id_number"]);
    // Not an MRZ: exit 2.
    let out = cccd().args(["mrz", "hello"]).output().unwrap();
    assert_exit(&out, 2);
}

#[test]
fn qr_text_and_picture() {
    let card = &cards()[0];
    let out = cccd()
        .args(["qr", card.qr_text.as_str(), "--json"])
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let j = json_of(&out);
    assert_eq!(j["id_number"], card.id_number);
    assert_eq!(j["can"], card.can);
    assert_eq!(j["consistent"], true);
    let png = testdata().join(card.qr_png.as_str());
    let out = cccd()
        .arg("qr")
        .arg("--image")
        .arg(&png)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(json_of(&out)["id_number"], card.id_number);
    let out = cccd()
        .args(["qr", card.qr_text.as_str(), "--json", "--redact"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains(card.id_number.as_str()));
    assert!(!text.contains(card.name.as_str()));
    let out = cccd().args(["qr", "001|x"]).output().unwrap();
    assert_exit(&out, 2);
}

#[test]
fn inspect_shows_files_and_saves_the_face() {
    let card = cards()
        .into_iter()
        .find(|c| c.expected_verdict == "verified")
        .unwrap();
    let dir = testdata().join(card.dir.as_str());
    let face = std::env::temp_dir().join(format!("cccd-face-{}.png", std::process::id()));
    let out = cccd()
        .arg("inspect")
        .arg(&dir)
        .arg("--face")
        .arg(&face)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j = json_of(&out);
    assert_eq!(j["identity"]["id_number"], card.id_number);
    assert!(
        j["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["parses"] == true)
    );
    assert!(
        j["sod"]["data_groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d == "DG13")
    );
    let png = std::fs::read(&face).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    std::fs::remove_file(&face).unwrap();
    // A broken card: the truncated DG13 is reported, not a crash.
    let broken = testdata().join("cards/b15-truncated-dg13");
    let out = cccd()
        .arg("inspect")
        .arg(&broken)
        .arg("--json")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let j = json_of(&out);
    let dg13 = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "DG13")
        .unwrap();
    assert_eq!(dg13["parses"], false);
}

#[test]
fn trust_lists_the_real_icao_master_list() {
    let ml = cccd_testkit::realworld("icao-masterlist-2025-07.ml")
        .expect("shared/realworld/icao-masterlist-2025-07.ml not found: set CCCD_SHARED");
    let out = cccd().arg("trust").arg(&ml).arg("--json").output().unwrap();
    assert_exit(&out, 0);
    let j = json_of(&out);
    // 2 of the 520 are not CA certificates (China's without keyUsage, Turkey's CA:FALSE):
    // listed as skipped, never anchors.
    assert_eq!(j["certificates"].as_array().unwrap().len(), 518);
    let skipped: Vec<&str> = j["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped.iter().all(|s| s.contains("not a CA certificate")));
    assert_eq!(j["master_lists"][0]["signature_valid"], true);
    let vn = j["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["subject"]
                .as_str()
                .unwrap()
                .contains("CSCA ePassport Vietnam")
        })
        .unwrap();
    assert_eq!(vn["explicit_parameters"], true);
    assert_eq!(vn["self_signature_valid"], true);
    assert!(vn["key"].as_str().unwrap().contains("brainpoolP512r1"));
}

#[test]
fn inspect_names_protocols_and_the_signer_validity_in_data_group_order() {
    let card = cards()
        .into_iter()
        .find(|c| c.dir.as_str().ends_with("v01-hung-ec-bp384"))
        .unwrap();
    let dir = testdata().join(card.dir.as_str());
    let out = cccd()
        .arg("inspect")
        .arg(&dir)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let j = json_of(&out);
    assert_schema("inspect", &j);
    let pace = j["chip"]["pace"].as_array().unwrap();
    assert!(!pace.is_empty(), "{j:#}");
    assert!(pace[0].as_str().unwrap().starts_with("id-PACE-ECDH-GM-"));
    let ca = j["chip"]["chip_authentication"].as_array().unwrap();
    assert!(ca[0].as_str().unwrap().starts_with("id-CA-ECDH-"), "{j:#}");
    // No raw OID anywhere in the chip section.
    assert!(!j["chip"].to_string().contains("0.4.0.127"), "{j:#}");
    let v = &j["sod"]["signer_validity"];
    assert!(v["not_before"].as_str().unwrap() < v["not_after"].as_str().unwrap());
    assert!(v["valid_now"].is_boolean());
    // Files in LDS order: EF.COM/EF.CardAccess/EF.SOD before the data groups, DGs by number.
    let files: Vec<String> = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_owned())
        .collect();
    let dgs: Vec<u32> = files
        .iter()
        .filter_map(|f| f.strip_prefix("DG").and_then(|n| n.parse().ok()))
        .collect();
    let mut sorted = dgs.clone();
    sorted.sort_unstable();
    assert_eq!(dgs, sorted, "{files:?}");
    let first_dg = files.iter().position(|f| f.starts_with("DG")).unwrap();
    assert!(files[..first_dg].iter().any(|f| f == "EF.SOD"), "{files:?}");
    // Human output names them too.
    let out = cccd().arg("inspect").arg(&dir).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("PACE            id-PACE-"), "{text}");
    assert!(text.contains("Signer valid"), "{text}");
}
