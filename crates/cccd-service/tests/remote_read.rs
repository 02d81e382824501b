//! Remote reading over the real HTTP/WebSocket stack on loopback: the server runs the session
//! (PACE, chip authentication, reads) through `RelayTransport`; the device is the relay client
//! with the in-process virtual chip of each sample card.

#![allow(clippy::unwrap_used)]

mod support;
use cccd_service::protocol::{DeviceMessage, ErrorCode};
use cccd_service::relay_client::{RelayOutcome, relay};
use support::*;

fn relay_card(server: &TestServer, card: &CardEntry) -> RelayOutcome {
    let mut sim = sim_card(card);
    relay(&mut sim, &options(server, card), &mut |_| {}).unwrap()
}

#[test]
fn every_valid_card_is_verified_with_chip_authentication_run_by_the_server() {
    let server = TestServer::start(config());
    let valid: Vec<_> = cards()
        .into_iter()
        .filter(|c| c.expected_verdict == "verified")
        .collect();
    assert!(valid.len() >= 10);
    for card in &valid {
        let RelayOutcome::Report { report, apdus, .. } = relay_card(&server, card) else {
            panic!("{}: no report", card.dir);
        };
        assert_eq!(report["verdict"], "verified", "{}: {report}", card.dir);
        assert_eq!(report["source"], "relay");
        assert_eq!(
            status(&report, "chip.authentication"),
            "pass",
            "{}",
            card.dir
        );
        assert_eq!(status(&report, "claim.name"), "pass", "{}", card.dir);
        assert_eq!(report["identity"]["full_name"], card.name);
        // PACE + CA + the verification plan: the target is at most 25 round trips.
        assert!(apdus <= 30, "{}: {apdus} APDUs", card.dir);
    }
    let metrics = server.state.metrics.render();
    assert!(metrics.contains("outcome=\"report\""), "{metrics}");
}

#[test]
fn the_cloned_chip_fails_against_the_server_and_no_broken_card_is_verified() {
    let server = TestServer::start(config());
    let cloned = card("b12-cloned-chip");
    match relay_card(&server, &cloned) {
        RelayOutcome::Report { report, .. } => {
            assert_eq!(report["verdict"], "not_verified", "{report}");
            assert_eq!(status(&report, "chip.authentication"), "fail", "{report}");
        }
        RelayOutcome::Failed { code, .. } => panic!("cloned chip: error {code:?}, not a verdict"),
    }
    // With the face, so that an altered DG2 is read and caught too.
    for card in cards().iter().filter(|c| c.expected_verdict != "verified") {
        let mut sim = sim_card(card);
        let mut options = options(&server, card);
        if let DeviceMessage::Hello { face, .. } = &mut options.hello {
            *face = true;
        }
        if let RelayOutcome::Report { report, .. } = relay(&mut sim, &options, &mut |_| {}).unwrap()
        {
            assert_ne!(report["verdict"], "verified", "{}", card.dir);
        }
    }
}

#[test]
fn a_card_pulled_mid_read_gives_card_removed_or_resumes_when_it_comes_back() {
    let server = TestServer::start(config());
    let card = card("v01-hung-ec-bp384");
    // Pulled for good during the reads (after access control and CA).
    let mut sim = sim_card(&card);
    sim.chip_mut().config_mut().faults.remove_after = Some(18);
    let outcome = relay(&mut sim, &options(&server, &card), &mut |_| {}).unwrap();
    assert!(
        matches!(
            outcome,
            RelayOutcome::Failed {
                code: ErrorCode::CardRemoved,
                ..
            }
        ),
        "{outcome:?}"
    );
    // Pulled and presented again: the server authenticates again (CA too) and finishes.
    let mut sim = sim_card(&card);
    sim.chip_mut().config_mut().faults.remove_after = Some(18);
    sim.comes_back = true;
    let outcome = relay(&mut sim, &options(&server, &card), &mut |_| {}).unwrap();
    let RelayOutcome::Report { report, .. } = outcome else {
        panic!("no report after the card came back: {outcome:?}");
    };
    assert_eq!(report["verdict"], "verified");
    assert_eq!(status(&report, "chip.authentication"), "pass");
}

#[test]
fn a_wrong_can_is_access_denied() {
    let server = TestServer::start(config());
    let mut card = card("v02-huong-rsa-pss");
    let mut sim = sim_card(&card);
    card.can = "000000".into();
    let outcome = relay(&mut sim, &options(&server, &card), &mut |_| {}).unwrap();
    assert!(
        matches!(
            outcome,
            RelayOutcome::Failed {
                code: ErrorCode::AccessDenied,
                ..
            }
        ),
        "{outcome:?}"
    );
}

#[test]
fn concurrent_sessions_all_end_in_reports_and_nothing_is_lost() {
    let server = TestServer::start(config());
    let valid: Vec<_> = cards()
        .into_iter()
        .filter(|c| c.expected_verdict == "verified")
        .collect();
    let threads: Vec<_> = (0..24)
        .map(|i| {
            let card = valid[i % valid.len()].clone();
            let options = options(&server, &card);
            std::thread::spawn(move || {
                let mut sim = sim_card(&card);
                relay(&mut sim, &options, &mut |_| {}).unwrap()
            })
        })
        .collect();
    let mut verified = 0;
    for thread in threads {
        if let RelayOutcome::Report { report, .. } = thread.join().unwrap() {
            assert_eq!(report["verdict"], "verified");
            verified += 1;
        }
    }
    assert_eq!(verified, 24);
    let metrics = server.state.metrics.render();
    assert!(
        metrics.contains("cccd_read_sessions_total{outcome=\"report\"} 24"),
        "{metrics}"
    );
    assert!(metrics.contains("cccd_read_sessions_open 0"), "{metrics}");
}
