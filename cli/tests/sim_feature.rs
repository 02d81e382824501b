//! The `sim` feature decides whether `cccd` links the simulator (cccd-sim): without it the
//! binary has no `simulate` subcommand and no `relay --sim`, and the tests that need them
//! (pcscd, service) are not built; this file says so as an ignored test instead of silence.

#![allow(clippy::unwrap_used)]

mod support;
use support::cccd;

#[test]
fn simulate_is_there_exactly_with_the_sim_feature() {
    let out = cccd().args(["simulate", "--help"]).output().unwrap();
    let relay = cccd().args(["relay", "--help"]).output().unwrap();
    let relay_help = String::from_utf8(relay.stdout).unwrap();
    if cfg!(feature = "sim") {
        assert_eq!(out.status.code(), Some(0));
        assert!(relay_help.contains("--sim <DIR>"), "{relay_help}");
    } else {
        assert_eq!(
            out.status.code(),
            Some(2),
            "a build without `sim` has no simulate"
        );
        assert!(!relay_help.contains("--sim"), "{relay_help}");
    }
}

#[cfg(not(feature = "sim"))]
#[test]
#[ignore = "the simulator tests (readers_pcsc, verify_pcsc, relay_pcsc, shared_reader_pcsc, \
            service, service_tls, service_load) need `--features sim`; scripts/test.sh enables it"]
fn simulator_tests_need_the_sim_feature() {}
