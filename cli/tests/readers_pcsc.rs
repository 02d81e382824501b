//! `cccd simulate` + `cccd readers --probe` through the real pcscd and vpcd.
//! Ignored by plain `cargo test`; `scripts/test.sh` runs it with pcscd started.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use cccd_testkit::assert_exit;
use cccd_testkit::pcscd::{Simulated, VPCD_READER_1};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn cccd() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cccd"))
}

#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn simulate_then_probe_finds_the_emrtd_application() {
    // Dropped last: kills the simulator and leaves the reader empty for the next test binary.
    let _sim = Simulated::from_child(
        cccd()
            .args(["simulate", "--port", "35964"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
        VPCD_READER_1,
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    let rows = loop {
        let out = cccd()
            .args(["readers", "--probe", "--json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let found = rows["readers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "Virtual PCD 00 01" && r["card_present"] == true);
        if found || Instant::now() > deadline {
            break rows;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let row = rows["readers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Virtual PCD 00 01")
        .expect("second virtual reader listed");
    assert_eq!(row["card_present"], true, "{rows}");
    assert_eq!(row["emrtd"], true, "{rows}");
    assert_eq!(row["atr"], "3B80800101");
    // The first reader holds no card (nobody inserted one) and is not probed.
    let first = rows["readers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Virtual PCD 00 00")
        .unwrap();
    assert!(first.get("emrtd").is_none());
}

#[test]
fn readers_without_pcscd_or_with_it_never_panics_and_uses_documented_codes() {
    let out = cccd().args(["readers", "--json"]).output().unwrap();
    // 0 with pcscd running, 3 (reader I/O) without it: never a panic (101).
    assert!(matches!(out.status.code(), Some(0 | 3)), "{out:?}");
}

#[test]
fn usage_errors_exit_2_and_help_has_examples() {
    let out = cccd().args(["no-such-command"]).output().unwrap();
    assert_exit(&out, 2);
    let out = cccd().args(["readers", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Examples:"));
    let out = cccd().args(["--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Exit codes:"));
}

#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn an_unknown_reader_name_lists_the_readers_there_are() {
    let out = cccd()
        .args(["verify", "--reader", "No Such Reader 99", "--can", "123456"])
        .args(["--wait", "2", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(message.contains("No Such Reader 99"), "{message}");
    // vpcd's two virtual readers are always there, card or not.
    assert!(
        message.contains("readers present: 'Virtual PCD 00 00', 'Virtual PCD 00 01'"),
        "{message}"
    );
}
