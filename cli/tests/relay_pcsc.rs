//! End to end through the real stack: `cccd simulate` (vpcd) → pcscd → `cccd relay --reader`
//! → WebSocket → `cccd serve`, which reads the card itself and verifies it. Every valid sample
//! card is verified with chip authentication run by the server; the cloned chip fails; a card
//! pulled mid-session gives a typed error, never a verified report. Ignored by plain
//! `cargo test`; run under the pcscd lock with `--include-ignored`.

#![allow(clippy::unwrap_used)]

mod service_support;
mod support;
use cccd_testkit::pcscd::{Simulated, VPCD_READER_1 as READER, lock_reader, wait_while_present};
use service_support::Served;
use std::process::Stdio;
use std::time::Duration;
use support::*;

fn simulate(card: &CardEntry) -> Simulated {
    let dir = testdata().join(&card.dir);
    // A card left by an earlier test (another binary) must be gone first, or "present" below
    // would describe the old card and the relay would see it leave.
    wait_while_present(READER);
    Simulated::start(
        || {
            let mut command = cccd();
            command.arg("simulate").arg(&dir).args(["--port", "35964"]);
            command
        },
        READER,
        &format!("cccd simulate {}", dir.display()),
    )
}

fn relay(served: &Served, card: &CardEntry, extra: &[&str]) -> std::process::Command {
    let mut command = cccd();
    command
        .args(["relay", "--server", &served.ws_url(), "--reader", READER])
        .args(["--can", card.can.as_str(), "--json", "--wait", "2"])
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
    let _reader = lock_reader();
    let served = Served::start(&[]);
    for card in cards().iter().filter(|c| c.expected_verdict == "verified") {
        let _sim = simulate(card);
        let out = relay(&served, card, &[]).output().unwrap();
        let report = json_of(&out);
        assert_eq!(out.status.code(), Some(0), "{}: {report}", card.dir);
        assert_eq!(report["verdict"], "verified", "{}", card.dir);
        assert_eq!(report["source"], "relay");
        assert_eq!(
            check_status(&report, "chip.authentication"),
            "pass",
            "{}",
            card.dir
        );
    }
    let cloned = cards()
        .into_iter()
        .find(|c| c.dir.as_str().ends_with("b12-cloned-chip"))
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
    let _reader = lock_reader();
    let served = Served::start(&["--card-return-timeout".into(), "2".into()]);
    let card = cards()
        .into_iter()
        .find(|c| c.expected_verdict == "verified")
        .unwrap();
    let mut sim = simulate(&card);
    // 100 ms per round trip: the session lasts seconds; the card leaves after one.
    let relay = relay(&served, &card, &["--rtt-ms", "100"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(1));
    let _ = sim.child().kill();
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
