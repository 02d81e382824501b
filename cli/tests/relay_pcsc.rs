//! End to end through the real stack: `cccd simulate` (vpcd) → pcscd → `cccd relay --reader`
//! → WebSocket → `cccd serve`, which reads the card itself and verifies it. Every valid sample
//! card is verified with chip authentication run by the server; the cloned chip fails; a card
//! pulled mid-session gives a typed error, never a verified report. Ignored by plain
//! `cargo test`; run under the pcscd lock with `--include-ignored`.

#![allow(clippy::unwrap_used)]

mod service_support;
mod support;
use service_support::Served;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use support::*;

const READER: &str = "Virtual PCD 00 01";

/// One card at a time in the reader.
static READER_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn lock() -> std::sync::MutexGuard<'static, ()> {
    READER_LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

struct Simulated(Child);

impl Drop for Simulated {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        // Wait until pcscd has seen the card leave, so the next card starts clean.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && card_present() {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn card_present() -> bool {
    let out = cccd().args(["readers", "--json"]).output().unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    rows["readers"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|r| r["name"] == READER && r["card_present"] == true)
}

fn simulate(card: &serde_json::Value) -> Simulated {
    let dir = testdata().join(card["dir"].as_str().unwrap());
    // A card left by an earlier test (another binary) must be gone first, or "present" below
    // would describe the old card and the relay would see it leave.
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline && card_present() {
        std::thread::sleep(Duration::from_millis(50));
    }
    for _attempt in 0..2 {
        let child = cccd()
            .arg("simulate")
            .arg(&dir)
            .args(["--port", "35964"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut sim = Simulated(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if card_present() {
                return sim;
            }
            if let Ok(Some(status)) = sim.0.try_wait() {
                panic!("cccd simulate {} exited: {status}", dir.display());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        drop(sim);
    }
    panic!("pcscd never reported the card {}", dir.display());
}

fn relay(served: &Served, card: &serde_json::Value, extra: &[&str]) -> std::process::Command {
    let mut command = cccd();
    command
        .args(["relay", "--server", &served.ws_url(), "--reader", READER])
        .args([
            "--can",
            card["can"].as_str().unwrap(),
            "--json",
            "--wait",
            "2",
        ])
        .args(extra);
    command
}

fn check_status(report: &serde_json::Value, name: &str) -> String {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .map(|c| c["status"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[test]
#[ignore = "needs pcscd with vsmartcard-vpcd (scripts/with-pcscd.sh)"]
fn every_valid_card_is_verified_by_the_server_through_pcscd_and_the_clone_fails() {
    let _reader = lock();
    let served = Served::start(&[]);
    for card in cards()
        .iter()
        .filter(|c| c["expected_verdict"] == "verified")
    {
        let _sim = simulate(card);
        let out = relay(&served, card, &[]).output().unwrap();
        let report = json_of(&out);
        assert_eq!(out.status.code(), Some(0), "{}: {report}", card["dir"]);
        assert_eq!(report["verdict"], "verified", "{}", card["dir"]);
        assert_eq!(report["source"], "relay");
        assert_eq!(
            check_status(&report, "chip.authentication"),
            "pass",
            "{}",
            card["dir"]
        );
    }
    let cloned = cards()
        .into_iter()
        .find(|c| c["dir"].as_str().unwrap().ends_with("b12-cloned-chip"))
        .unwrap();
    let _sim = simulate(&cloned);
    let out = relay(&served, &cloned, &[]).output().unwrap();
    let report = json_of(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert_eq!(
        check_status(&report, "chip.authentication"),
        "fail",
        "{report}"
    );
}

#[test]
#[ignore = "needs pcscd with vsmartcard-vpcd (scripts/with-pcscd.sh)"]
fn a_card_pulled_mid_session_gives_a_typed_error_and_never_a_report() {
    let _reader = lock();
    let served = Served::start(&["--card-return-timeout".into(), "2".into()]);
    let card = cards()
        .into_iter()
        .find(|c| c["expected_verdict"] == "verified")
        .unwrap();
    let mut sim = simulate(&card);
    // 100 ms per round trip: the session lasts seconds; the card leaves after one.
    let relay = relay(&served, &card, &["--rtt-ms", "100"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(1));
    let _ = sim.0.kill();
    let out = relay.wait_with_output().unwrap();
    drop(sim);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let error = json_of(&out);
    assert!(error.get("verdict").is_none(), "{error}");
    assert_eq!(error["error"]["kind"], "io", "{error}");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("card_removed"),
        "{error}"
    );
}
