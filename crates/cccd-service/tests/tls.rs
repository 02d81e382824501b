//! Built-in TLS over real loopback connections, with a CA and a server certificate made in the
//! test: `/v1/verify` over https, a relayed read over wss through the virtual chip, a client
//! that does not trust the certificate refused, plain HTTP to the TLS port failing cleanly,
//! and broken TLS files refused with the file named.

#![allow(clippy::unwrap_used)]

mod support;
use cccd_service::relay_client::{RelayError, RelayOutcome, relay};
use cccd_service::tls::{TlsError, client_config, server_config};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;

/// An HTTPS client that trusts exactly the given CA (`None`: its built-in public roots).
fn agent(ca: Option<&std::path::Path>) -> ureq::Agent {
    let roots = match ca {
        Some(path) => {
            let pem = std::fs::read(path).unwrap();
            let ca = ureq::tls::Certificate::from_pem(&pem).unwrap();
            ureq::tls::RootCerts::Specific(Arc::new(vec![ca]))
        }
        None => ureq::tls::RootCerts::WebPki,
    };
    ureq::Agent::config_builder()
        .tls_config(ureq::tls::TlsConfig::builder().root_certs(roots).build())
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

fn relay_over(
    server: &TestServer,
    url: String,
    tls: Option<Arc<rustls::ClientConfig>>,
) -> Result<RelayOutcome, RelayError> {
    let card = card("v04-ngoc-ec-p256");
    let mut sim = sim_card(&card);
    let mut options = options(server, &card);
    options.server = url;
    options.tls = tls;
    relay(&mut sim, &options, &mut |_| {})
}

#[test]
fn verify_over_https_and_a_relayed_read_over_wss_with_a_private_ca() {
    let pki = TestPki::new();
    let server = TestServer::start_tls(config(), server_tls(&pki));
    let card = card("v01-hung-ec-bp384");
    let mut response = agent(Some(&pki.ca))
        .post(&server.https_url("/v1/verify"))
        .send_json(json_upload(&card, None))
        .unwrap();
    assert_eq!(response.status(), 200);
    let report: serde_json::Value = response.body_mut().read_json().unwrap();
    assert_eq!(report["verdict"], card.expected_verdict_dump_alone);
    assert_eq!(report["source"], "upload");

    let trusted = client_config(Some(&pki.ca)).unwrap();
    let outcome = relay_over(&server, server.wss_url(), Some(trusted)).unwrap();
    let RelayOutcome::Report { report, apdus, .. } = outcome else {
        panic!("no report over wss: {outcome:?}");
    };
    assert_eq!(report["verdict"], "verified", "{report}");
    assert_eq!(report["source"], "relay");
    assert_eq!(status(&report, "chip.authentication"), "pass");
    assert!(apdus >= 15, "{apdus}");
    let metrics = server.state.metrics.render();
    assert!(
        metrics.contains("cccd_read_sessions_total{outcome=\"report\"} 1"),
        "{metrics}"
    );
}

#[test]
fn a_client_that_does_not_trust_the_certificate_is_refused() {
    let pki = TestPki::new();
    let server = TestServer::start_tls(config(), server_tls(&pki));
    // The relay with the system roots only: the private CA is unknown.
    let system_only = client_config(None).unwrap();
    let refused = relay_over(&server, server.wss_url(), Some(system_only));
    match &refused {
        Err(RelayError::Connect(message)) => {
            assert!(message.contains("certificate"), "{message}");
            assert!(message.contains("--ca-cert"), "{message}");
        }
        other => panic!("expected a TLS refusal, got {other:?}"),
    }
    // An HTTPS client with public roots only.
    let refused = agent(None).get(&server.https_url("/healthz")).call();
    let certificate_refused = match &refused {
        Err(ureq::Error::Rustls(rustls::Error::InvalidCertificate(_))) => true,
        // rustls' refusal surfaces as an I/O error of the stream.
        Err(ureq::Error::Io(e)) => matches!(
            e.get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>()),
            Some(rustls::Error::InvalidCertificate(_))
        ),
        _ => false,
    };
    assert!(certificate_refused, "{refused:?}");
    // No session ever started, and a trusting client is served.
    assert!(
        !server
            .state
            .metrics
            .render()
            .contains("cccd_read_sessions_total{")
    );
    let ok = agent(Some(&pki.ca))
        .get(&server.https_url("/healthz"))
        .call()
        .unwrap();
    assert_eq!(ok.status(), 200);
}

#[test]
fn plain_http_to_the_tls_port_fails_cleanly_and_the_server_keeps_serving() {
    let pki = TestPki::new();
    let server = TestServer::start_tls(config(), server_tls(&pki));
    let started = Instant::now();
    let plain = agent(None).get(&server.http_url("/healthz")).call();
    assert!(plain.is_err(), "plain HTTP was answered: {plain:?}");
    let plain_ws = relay_over(&server, server.ws_url(), None);
    assert!(
        matches!(&plain_ws, Err(RelayError::Connect(_))),
        "{plain_ws:?}"
    );
    // Refused at once, not after a timeout.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let ok = agent(Some(&pki.ca))
        .get(&server.https_url("/healthz"))
        .call()
        .unwrap();
    assert_eq!(ok.status(), 200);
}

#[test]
fn broken_tls_files_are_refused_naming_the_file() {
    let pki = TestPki::new();
    let other = TestPki::new();
    let missing = pki.key.with_file_name("absent.pem");
    assert!(matches!(
        server_config(&pki.cert, &missing),
        Err(TlsError::Read { path, .. }) if path == missing
    ));
    // The certificate given as the key, and the key as the certificate.
    assert!(matches!(
        server_config(&pki.cert, &pki.cert),
        Err(TlsError::NoPrivateKey { path }) if path == pki.cert
    ));
    assert!(matches!(
        server_config(&pki.key, &pki.key),
        Err(TlsError::NoCertificate { path }) if path == pki.key
    ));
    // A key that is not the certificate's.
    let mismatch = server_config(&pki.cert, &other.key);
    assert!(
        matches!(&mismatch, Err(TlsError::Rustls { .. })),
        "{mismatch:?}"
    );
    assert!(matches!(
        client_config(Some(&pki.key)),
        Err(TlsError::NoCertificate { .. })
    ));
}
