//! What a shell and an operator's environment see: completion scripts, the manual page,
//! `--color`, and trust-store paths from the environment (CCCD_CSCA, CCCD_CRL,
//! CCCD_MASTERLIST).

#![allow(clippy::unwrap_used)]

mod support;
use support::*;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn completions_for_each_shell_name_every_subcommand() {
    for (shell, marker) in [
        ("bash", "_cccd()"),
        ("zsh", "#compdef cccd"),
        ("fish", "complete -c cccd"),
    ] {
        let out = cccd().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = stdout(&out);
        assert!(text.contains(marker), "{shell}: no {marker}");
        for sub in ["verify", "inspect", "trust", "completions", "man"] {
            assert!(text.contains(sub), "{shell}: {sub} missing");
        }
        assert!(
            text.contains("aa-challenge"),
            "{shell}: verify's options missing"
        );
    }
    // The bash script parses.
    let out = cccd().args(["completions", "bash"]).output().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("cccd.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
    let out = cccd().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_manual_page_covers_every_subcommand_and_renders() {
    let out = cccd().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(
        page.starts_with(".ie") || page.contains(".TH cccd 1"),
        "{}",
        &page[..200]
    );
    for sub in [
        "VERIFY", "READ", "INSPECT", "QR", "MRZ", "TRUST", "READERS", "RELAY",
    ] {
        assert!(
            page.contains(&format!(".SH \"CCCD {sub}\"")),
            "{sub} missing"
        );
    }
    assert!(page.contains("EXIT STATUS"));
    assert!(page.contains("CCCD_CSCA"));
    // man renders it (when installed: the man-db of Debian).
    if std::path::Path::new("/usr/bin/man").exists() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cccd.1");
        std::fs::write(&file, &page).unwrap();
        let shown = std::process::Command::new("man")
            .arg("-l")
            .arg(&file)
            .env("MANWIDTH", "100")
            .env("MANPAGER", "cat")
            .output()
            .unwrap();
        assert!(shown.status.success());
        let text = String::from_utf8_lossy(&shown.stdout);
        assert!(text.contains("--aa-challenge"), "{text}");
    }
}

#[test]
fn color_always_never_and_auto() {
    let mrz = "IDVNM0990000017001099000001<<8|9901018M3901016VNM<<<<<<<<<<<4|NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";
    let run = |color: Option<&str>| {
        let mut c = cccd();
        c.args(["mrz", mrz]).env_remove("NO_COLOR");
        if let Some(color) = color {
            c.args(["--color", color]);
        }
        stdout(&c.output().unwrap())
    };
    assert!(run(Some("always")).contains("\x1b[32m"));
    assert!(!run(Some("never")).contains('\x1b'));
    // auto: standard output is a pipe here, so no colour.
    assert!(!run(None).contains('\x1b'));
    assert!(!run(Some("auto")).contains('\x1b'));
    let out = cccd()
        .args(["mrz", mrz, "--color", "sometimes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn trust_store_paths_come_from_the_environment() {
    let card = cards()
        .into_iter()
        .find(|c| c.expected_verdict == "verified")
        .unwrap();
    let dir = testdata().join(&card.dir);
    let m = manifest();
    let csca = testdata().join(&m.trust_anchors[0]);
    let run = |env: &[(&str, &std::path::Path)]| {
        let mut c = cccd();
        c.arg("verify").arg(&dir).args(challenge_args(&card)).args([
            "--at",
            &reference_date(),
            "--json",
        ]);
        for (k, v) in env {
            c.env(k, v);
        }
        json_of(&c.output().unwrap())
    };
    let chain = |report: &serde_json::Value| {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "sod.chain")
            .unwrap()["status"]
            .clone()
    };
    // Without anchors the chain is not proven; with CCCD_CSCA (the folder of anchors) it is.
    assert_ne!(chain(&run(&[])), "pass");
    let anchors = csca.parent().unwrap();
    let with_env = run(&[("CCCD_CSCA", anchors)]);
    assert_eq!(chain(&with_env), "pass", "{with_env:#}");
    assert_eq!(with_env["verdict"], card.expected_verdict.as_str());
    // A wrong path in the environment is bad input, named.
    let out = cccd()
        .arg("verify")
        .arg(&dir)
        .env("CCCD_CRL", "/no/such/crl.pem")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/crl.pem"));
    // --help documents the variables.
    let help = stdout(&cccd().args(["verify", "--help"]).output().unwrap());
    for var in ["CCCD_CSCA", "CCCD_CRL", "CCCD_MASTERLIST"] {
        assert!(help.contains(var), "{var} not in --help");
    }
}
