//! Inputs are checked before any reader or chip is touched: malformed IDs and CANs are usage
//! errors (exit 2), an input that opens nothing is said, an unwritable output is "cannot
//! write" (exit 2), and `verify` alone shows its three forms.

#![allow(clippy::unwrap_used)]

mod support;
use support::*;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn dump() -> std::path::PathBuf {
    testdata().join(cards()[0].dir.as_str())
}

/// `cccd verify` of the first sample dump with `args` after it.
fn verify_dump(args: &[&str]) -> std::process::Output {
    cccd()
        .arg("verify")
        .arg(dump())
        .args(args)
        .output()
        .unwrap()
}

/// A message that shows a reader or the smart-card service was reached.
fn touched_a_reader(text: &str) -> bool {
    let t = text.to_lowercase();
    t.contains("smart card") || t.contains("reader") || t.contains("timed out")
}

#[test]
fn a_malformed_id_is_a_usage_error_not_a_failed_claim() {
    let out = verify_dump(&["--id", "abc"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("12 digits"), "{}", stderr(&out));
    // Under --json: an error document on stdout, the same exit code.
    let out = verify_dump(&["--id", "04007808249", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(error_message(&out).contains("12 digits"));
    // Twelve digits of no province: the ID-number rules refuse it at the edge too.
    let out = verify_dump(&["--id", "990078082497", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        error_message(&out).contains("province code 990"),
        "{}",
        error_message(&out)
    );
    // Spaces between digits are how people type them: accepted.
    let id = cards()[0].id_number.as_str().to_owned();
    let spaced = format!("{} {} {}", &id[..4], &id[4..8], &id[8..]);
    let out = cccd()
        .arg("verify")
        .arg(dump())
        .args(["--id", &spaced, "--json"])
        .args(trust_args())
        .output()
        .unwrap();
    let report = json_of(&out);
    let claim = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "claim.id_number")
        .unwrap();
    assert_eq!(claim["status"], "pass", "{claim}");
}

#[test]
fn a_short_can_is_refused_before_the_reader() {
    for args in [
        vec!["read", "-o", "/tmp/never-written", "--can", "12345"],
        vec!["verify", "--reader", "", "--can", "12345"],
        vec!["verify", "--reader", "", "--can", "12345a"],
    ] {
        let out = cccd().args(&args).args(["--wait", "1"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let text = stderr(&out);
        assert!(text.contains("6 digits"), "{args:?}: {text}");
        assert!(!touched_a_reader(&text), "{args:?}: {text}");
    }
}

#[test]
fn inputs_that_open_nothing_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("dump");
    let out_dir = out_dir.to_str().unwrap();
    // A CAN opens the chip; the DOB given with it is unused by `read`.
    let out = cccd()
        .args([
            "read",
            "-o",
            out_dir,
            "--can",
            "123456",
            "--dob",
            "1999-01-01",
        ])
        .args(["--wait", "1"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("--dob was not used to open the chip: --can opens it"),
        "{}",
        stderr(&out)
    );
    // The QR opens it; the CAN is unused.
    let qr = cards()[0].qr_text.as_str().to_owned();
    let out = cccd()
        .args(["read", "-o", out_dir, "--qr", &qr, "--can", "123456"])
        .args(["--wait", "1"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("--can was not used to open the chip: --qr opens it"),
        "{}",
        stderr(&out)
    );
    // For verify, --dob is also a claim to check: not unused.
    let out = cccd()
        .args([
            "verify",
            "--reader",
            "",
            "--can",
            "123456",
            "--dob",
            "1999-01-01",
        ])
        .args(["--wait", "1"])
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("not used"), "{}", stderr(&out));
    assert!(!out_dir.is_empty() && !std::path::Path::new(out_dir).exists());
}

/// A local file that could not be written: exit 2 (a usage problem), saying so.
fn assert_cannot_write(out: &std::process::Output) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    assert!(stderr(out).contains("cannot write"), "{}", stderr(out));
}

#[test]
fn unwritable_outputs_are_exit_2_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder");
    // --html on a dump.
    let out = cccd()
        .arg("verify")
        .arg(dump())
        .arg("--html")
        .arg(missing.join("r.html"))
        .output()
        .unwrap();
    assert_cannot_write(&out);
    // --face of inspect.
    let out = cccd()
        .arg("inspect")
        .arg(dump())
        .arg("--face")
        .arg(missing.join("f.png"))
        .output()
        .unwrap();
    assert_cannot_write(&out);
    // -o of read: found before the reader is touched, and under --json as an error document.
    let out = cccd()
        .arg("read")
        .arg("-o")
        .arg(missing.join("dump"))
        .args(["--can", "123456", "--wait", "1", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let message = error_message(&out);
    assert!(message.contains("cannot write"), "{message}");
    assert!(!touched_a_reader(&message), "{message}");
    // --html with a reader: also before the reader.
    let out = cccd()
        .args(["verify", "--reader", "", "--can", "123456", "--wait", "1"])
        .arg("--html")
        .arg(missing.join("r.html"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!touched_a_reader(&stderr(&out)), "{}", stderr(&out));
    // Nothing was left behind in the folder that exists.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn verify_alone_shows_its_three_forms() {
    let out = cccd().arg("verify").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    for form in [
        "cccd verify <DIR>",
        "cccd verify --reader <NAME> <KEY>",
        "cccd verify --batch <DIR>",
    ] {
        assert!(text.contains(form), "{form} missing from:\n{text}");
    }
}
