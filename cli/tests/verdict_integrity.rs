//! Attacks on the verdict, through the CLI as an operator runs it: an edited or deleted
//! `card.json`, a replayed dump under `--aa-challenge`, trust files given under the wrong flag,
//! a master list whose signature fails (tampered with Python, outside our parser), hostile
//! dump folders (symlinks out, FIFOs, devices) and control characters aimed at the terminal.
//! Each test would pass for the attacker before this was fixed.

#![allow(clippy::unwrap_used)]

mod support;
use std::path::{Path, PathBuf};
use support::*;

/// A private copy of a sample dump, removed on drop.
struct Copy(PathBuf);

impl Copy {
    fn of(card: &str, tag: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("cccd-attack-{tag}-{}-{card}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(testdata().join("cards").join(card)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
        Self(dir)
    }

    fn meta(&self) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(self.0.join("card.json")).unwrap()).unwrap()
    }

    fn set_meta(&self, meta: &serde_json::Value) {
        std::fs::write(self.0.join("card.json"), meta.to_string()).unwrap();
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn verify(dir: &Path, extra: &[String]) -> std::process::Output {
    cccd()
        .arg("verify")
        .arg(dir)
        .args(["--at", &reference_date(), "--json"])
        .args(extra)
        .output()
        .unwrap()
}

fn check<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {report:#}"))
}

#[test]
fn an_edited_card_json_cannot_make_a_cloned_chip_verified() {
    let dump = Copy::of("b12-cloned-chip", "clone");
    let mut meta = dump.meta();
    meta["chip_authentication"]["passed"] = true.into();
    meta["chip_authentication"]["detail"] = "".into();
    // The AA answer would give the copy away: the attacker drops it too.
    meta.as_object_mut()
        .unwrap()
        .remove("active_authentication");
    dump.set_meta(&meta);
    let out = verify(&dump.0, &trust_args());
    let report = json_of(&out);
    assert_eq!(report["verdict"], "inconclusive", "{report:#}");
    assert_exit(&out, 4);
    let ca = check(&report, "chip.authentication");
    assert_eq!(ca["status"], "warn");
    let reason = ca["reason"].as_str().unwrap();
    assert!(reason.contains("not provable offline"), "{reason}");
    assert!(
        !reason.contains("proved"),
        "a record is not a proof: {reason}"
    );
    assert_eq!(report["provenance"], "dump");
    assert!(
        report["unproven"]
            .as_array()
            .unwrap()
            .contains(&"chip.authentication".into())
    );
    // Only an operator who trusts the reader that made the dump can let it count.
    let mut trusting = trust_args();
    trusting.push("--trust-recorded-auth".into());
    assert_eq!(json_of(&verify(&dump.0, &trusting))["verdict"], "verified");
}

#[test]
fn a_deleted_card_json_leaves_the_chip_unproven() {
    let dump = Copy::of("v01-hung-ec-bp384", "nometa");
    std::fs::remove_file(dump.0.join("card.json")).unwrap();
    let out = verify(&dump.0, &trust_args());
    let report = json_of(&out);
    assert_eq!(report["verdict"], "inconclusive");
    assert_exit(&out, 4);
    assert_eq!(check(&report, "chip.authentication")["status"], "skip");
}

#[test]
fn the_verifiers_challenge_is_enforced() {
    let card = cards()
        .into_iter()
        .find(|c| c.dir == "cards/v04-ngoc-ec-p256")
        .unwrap();
    let dump = Copy::of("v04-ngoc-ec-p256", "challenge");
    // The right challenge: AA proves the chip genuine to this verifier.
    let out = verify(&dump.0, &proven_args(&card));
    assert_eq!(json_of(&out)["verdict"], "verified");
    assert_exit(&out, 0);
    // Another challenge (the dump replays someone's earlier answer): fail.
    let mut other = trust_args();
    other.extend(["--aa-challenge".into(), "0011223344556677".into()]);
    let out = verify(&dump.0, &other);
    let report = json_of(&out);
    assert_eq!(report["verdict"], "not_verified");
    assert_exit(&out, 1);
    assert_eq!(check(&report, "chip.authentication")["status"], "fail");
    // A challenge was issued but the dump holds no answer: fail, even with CA recorded.
    let mut meta = dump.meta();
    meta.as_object_mut()
        .unwrap()
        .remove("active_authentication");
    dump.set_meta(&meta);
    let out = verify(&dump.0, &proven_args(&card));
    let report = json_of(&out);
    assert_eq!(report["verdict"], "not_verified", "{report:#}");
    let reason = check(&report, "chip.authentication")["reason"]
        .as_str()
        .unwrap();
    assert!(reason.contains("no answer"), "{reason}");
}

#[test]
fn batch_takes_the_challenge_too() {
    let out = cccd()
        .args(["verify", "--batch"])
        .arg(testdata().join("cards"))
        .args(["--aa-challenge", "0011223344556677", "--json"])
        .args(["--at", &reference_date()])
        .args(trust_args())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().count() >= 20);
    // No sample dump answered this challenge: none is verified.
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_ne!(v["verdict"], "verified", "{line}");
    }
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn trust_files_only_do_what_their_flag_says() {
    let v01 = testdata().join("cards/v01-hung-ec-bp384");
    let csca = testdata().join("pki/csca-ec.crt.pem");
    let crl = testdata().join("pki/csca-ec.crl.pem");
    // A certificate passed as a CRL does not become an anchor: refused, exit 2, named.
    let out = verify(&v01, &["--crl".into(), csca.display().to_string()]);
    assert_exit(&out, 2);
    let err = error_message(&out);
    assert!(
        err.contains("csca-ec.crt.pem") && err.contains("CRL"),
        "{err}"
    );
    // Nor a master list.
    if let Some(ml) = real_master_list() {
        let out = verify(&v01, &["--crl".into(), ml.display().to_string()]);
        assert_exit(&out, 2);
    }
    // A CRL given as a CSCA adds nothing either.
    let out = verify(&v01, &["--csca".into(), crl.display().to_string()]);
    assert_exit(&out, 2);
    // A document signer given as a CSCA is skipped with a warning: not an anchor.
    let dsc = testdata().join("pki/dsc-ec-bp384.crt.pem");
    let out = verify(&v01, &["--csca".into(), dsc.display().to_string()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a CA certificate"), "{err}");
    assert_eq!(json_of(&out)["verdict"], "inconclusive");
}

fn real_master_list() -> Option<PathBuf> {
    cccd_testkit::realworld("icao-masterlist-2025-07.ml")
}

#[test]
fn a_master_list_whose_signature_fails_is_refused_whole() {
    let Some(ml) = real_master_list() else {
        panic!("shared/realworld/icao-masterlist-2025-07.ml is needed");
    };
    // Tampered outside our parser: Python flips one letter of Vietnam's CSCA name.
    let bad = std::env::temp_dir().join(format!("cccd-tampered-{}.ml", std::process::id()));
    let script = "import sys\n\
b = bytearray(open(sys.argv[1], 'rb').read())\n\
i = b.index(b'CSCA ePassport Vietnam')\n\
b[i] ^= 0x20\n\
open(sys.argv[2], 'wb').write(bytes(b))\n";
    let python = std::env::var_os("CCCD_PYTHON").unwrap_or_else(|| "python3".into());
    let status = std::process::Command::new(python)
        .args(["-c", script])
        .arg(&ml)
        .arg(&bad)
        .status()
        .unwrap();
    assert!(status.success());
    let v01 = testdata().join("cards/v01-hung-ec-bp384");
    let out = verify(&v01, &["--masterlist".into(), bad.display().to_string()]);
    assert_exit(&out, 2);
    let err = error_message(&out);
    assert!(
        err.contains("signature invalid") && err.contains("nothing loaded"),
        "{err}"
    );
    // The genuine list loads.
    let out = verify(&v01, &["--masterlist".into(), ml.display().to_string()]);
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `cccd trust` still shows the broken list, as invalid, with nothing added.
    let out = cccd()
        .arg("trust")
        .arg(&bad)
        .arg("--json")
        .output()
        .unwrap();
    let j = json_of(&out);
    assert_eq!(j["master_lists"][0]["signature_valid"], false);
    assert_eq!(j["certificates"].as_array().unwrap().len(), 0);
    std::fs::remove_file(&bad).unwrap();
}

#[test]
fn hostile_dump_folders_are_refused_naming_the_file() {
    // A DG1 that links out of the folder (the hash check would become a file oracle).
    let dump = Copy::of("v01-hung-ec-bp384", "symlink");
    std::fs::remove_file(dump.0.join("DG1")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dump.0.join("DG1")).unwrap();
    let out = verify(&dump.0, &trust_args());
    assert_exit(&out, 2);
    let err = error_message(&out);
    assert!(err.contains("DG1") && err.contains("outside"), "{err}");
    assert!(!err.contains("root:"), "file content echoed: {err}");
    // A link to a file inside the folder is fine (same bytes).
    std::fs::remove_file(dump.0.join("DG1")).unwrap();
    std::fs::copy(
        testdata().join("cards/v01-hung-ec-bp384/DG1"),
        dump.0.join("dg1.orig"),
    )
    .unwrap();
    std::os::unix::fs::symlink(dump.0.join("dg1.orig"), dump.0.join("DG1")).unwrap();
    let out = verify(&dump.0, &trust_args());
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A FIFO named DG13: refused at once, not a hang (the test would time out).
    std::fs::remove_file(dump.0.join("DG13")).unwrap();
    let fifo = dump.0.join("DG13");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = verify(&dump.0, &trust_args());
    assert_exit(&out, 2);
    let err = error_message(&out);
    assert!(err.contains("DG13") && err.contains("FIFO"), "{err}");
}

#[test]
fn devices_as_trust_or_qr_files_are_refused_at_once() {
    let v01 = testdata().join("cards/v01-hung-ec-bp384");
    for flag in ["--csca", "--crl", "--masterlist", "--qr-image"] {
        let out = verify(&v01, &[flag.into(), "/dev/zero".into()]);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let err = error_message(&out);
        assert!(err.contains("/dev/zero"), "{flag}: {err}");
    }
}

#[test]
fn control_characters_never_reach_the_terminal() {
    // A dump folder whose name would clear the screen and print a fake verdict.
    let evil = "\u{1b}[2J\u{1b}[HVERIFIED\u{202e}";
    let base = std::env::temp_dir().join(format!("cccd-evil-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    std::os::unix::fs::symlink(
        testdata().join("cards/b01-altered-dg1"),
        base.join(format!("card{evil}")),
    )
    .unwrap();
    let out = cccd()
        .args(["verify", "--batch"])
        .arg(&base)
        .args(["--at", &reference_date()])
        .args(trust_args())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(text.contains("\\u{001B}[2J"), "{text:?}");
    assert_eq!(out.status.code(), Some(1));
    let out = cccd()
        .arg("verify")
        .arg(base.join(format!("card{evil}")))
        .args(["--at", &reference_date()])
        .args(trust_args())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(text.starts_with("NOT VERIFIED"), "{text:?}");
    std::fs::remove_dir_all(&base).unwrap();
}
