//! `cccd serve`, `cccd relay --sim` and `cccd receipt verify` as processes over loopback:
//! `POST /v1/verify` agrees with `cccd verify --json` on every sample dump; the relay's exit
//! codes are verify's; a receipt from the service verifies with its public key.

#![allow(clippy::unwrap_used)]

mod service_support;
mod support;
use service_support::Served;
use support::*;

/// A multipart body with one part per file of `dir`.
fn multipart(dir: &std::path::Path) -> (String, Vec<u8>) {
    let boundary = "cccd-test-boundary-7d1e";
    let mut body = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries.iter().filter(|p| p.is_file()) {
        let name = path.file_name().unwrap().to_string_lossy();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(&std::fs::read(path).unwrap());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn post_verify_agrees_with_cccd_verify_json_on_every_sample_dump() {
    let served = Served::start(&[]);
    let cards = cards();
    assert!(cards.len() >= 20);
    for card in &cards {
        let dir = testdata().join(card.dir.as_str());
        let cli = cccd()
            .arg("verify")
            .arg(&dir)
            .args(["--at", &reference_date(), "--json"])
            .args(trust_args())
            .output()
            .unwrap();
        let mut expected = json_of(&cli);
        let (content_type, body) = multipart(&dir);
        let mut response = ureq::post(&format!("http://{}/v1/verify", served.addr))
            .header("Content-Type", &content_type)
            .send(&body[..])
            .unwrap();
        let mut got: serde_json::Value = response.body_mut().read_json().unwrap();
        assert_eq!(got["source"], "upload");
        // Everything but the source (a path for the CLI) must be the same.
        expected.as_object_mut().unwrap().remove("source");
        got.as_object_mut().unwrap().remove("source");
        assert_eq!(got, expected, "{}", card.dir);
        // An upload is a dump: without this service's challenge it proves nothing about
        // the chip, exactly as `cccd verify` says of the same folder.
        assert_eq!(
            got["verdict"], card.expected_verdict_dump_alone,
            "{}",
            card.dir
        );
        assert_eq!(got["provenance"], "dump");
    }
}

fn relay(served: &Served, card: &CardEntry, can: &str, extra: &[&str]) -> std::process::Output {
    cccd()
        .args([
            "relay",
            "--server",
            &format!("ws://{}/v1/read", served.addr),
        ])
        .arg("--sim")
        .arg(testdata().join(card.dir.as_str()))
        .args(["--can", can])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn relay_sim_exit_codes_and_a_receipt_that_verifies() {
    let tmp = std::env::temp_dir().join(format!("cccd-service-test-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let private = tmp.join("receipt.pem");
    let public = tmp.join("receipt-pub.pem");
    let openssl = |args: &[&str]| cccd_testkit::openssl_ok(&tmp, args);
    openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        private.to_str().unwrap(),
    ]);
    openssl(&[
        "pkey",
        "-in",
        private.to_str().unwrap(),
        "-pubout",
        "-out",
        public.to_str().unwrap(),
    ]);
    let served = Served::start(&["--receipt-key".into(), private.display().to_string()]);

    let valid = cards()
        .into_iter()
        .find(|c| c.expected_verdict == "verified")
        .unwrap();
    let receipt = tmp.join("receipt.jws");
    let out = relay(
        &served,
        &valid,
        valid.can.as_str(),
        &["--json", "--receipt-out", receipt.to_str().unwrap()],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_of(&out);
    assert_eq!(report["verdict"], "verified");

    let check = cccd()
        .args(["receipt", "verify"])
        .arg(&receipt)
        .arg("--key")
        .arg(&public)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0));
    assert_eq!(json_of(&check)["report"], report);
    // A receipt altered by one character fails.
    let mut text = std::fs::read_to_string(&receipt).unwrap();
    let middle = text.len() / 2;
    let flipped = if &text[middle..=middle] == "A" {
        "B"
    } else {
        "A"
    };
    text.replace_range(middle..=middle, flipped);
    std::fs::write(&receipt, text).unwrap();
    let check = cccd()
        .args(["receipt", "verify"])
        .arg(&receipt)
        .arg("--key")
        .arg(&public)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));

    let cloned = cards()
        .into_iter()
        .find(|c| c.dir.as_str().ends_with("b12-cloned-chip"))
        .unwrap();
    let out = relay(&served, &cloned, cloned.can.as_str(), &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = relay(&served, &valid, "000000", &[]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn serve_refuses_an_open_listen_without_keys() {
    let out = cccd()
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("API keys"));
}

#[test]
fn the_service_logs_are_json_and_hold_no_personal_data() {
    let log_path =
        std::env::temp_dir().join(format!("cccd-serve-log-{}.jsonl", std::process::id()));
    let log = std::fs::File::create(&log_path).unwrap();
    let served = Served::start_logging(&[], log);
    let card = cards()
        .into_iter()
        .find(|c| c.expected_verdict == "verified")
        .unwrap();
    let out = relay(
        &served,
        &card,
        card.can.as_str(),
        &["--name", card.name.as_str()],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (content_type, body) = multipart(&testdata().join(card.dir.as_str()));
    ureq::post(&format!("http://{}/v1/verify", served.addr))
        .header("Content-Type", &content_type)
        .send(&body[..])
        .unwrap();
    drop(served);
    let text = std::fs::read_to_string(&log_path).unwrap();
    let _ = std::fs::remove_file(&log_path);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == "session ended"),
        "{text}"
    );
    let mrz_line = card.mrz.lines().next().unwrap().to_owned();
    for secret in [
        card.name.as_str(),
        card.id_number.as_str(),
        card.can.as_str(),
        card.dob.as_str(),
        card.mrz_name.as_str(),
        &mrz_line,
    ] {
        assert!(!text.contains(secret), "the log holds personal data");
    }
}
