//! Shared helpers: the sample-card manifest, a trust store, and a real server on an ephemeral
//! loopback port that stops when its handle is dropped.

#![allow(dead_code, unused_imports, clippy::unwrap_used)]

use cccd_service::challenge::ChallengeIssuer;
use cccd_service::protocol::{ClaimsInput, DeviceMessage, KeyInput, PROTOCOL_VERSION};
use cccd_service::relay_client::RelayOptions;
use cccd_service::server::{AppState, Limits, ServiceConfig};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use cccd_testkit::{CardEntry, card, cards, manifest, reference_time, testdata, trust_store};

/// A configuration for tests: the test trust store, the reference time, short timeouts.
pub fn config() -> ServiceConfig {
    let mut limits = Limits::default();
    limits.relay.apdu_timeout = Duration::from_secs(3);
    limits.relay.session_timeout = Duration::from_secs(30);
    limits.relay.card_return_timeout = Duration::from_secs(1);
    ServiceConfig {
        trust: trust_store(),
        api_keys: Vec::new(),
        challenges: ChallengeIssuer::new(vec![7; 32], time::Duration::minutes(5)).unwrap(),
        receipts: None,
        limits,
        fixed_time: Some(reference_time()),
    }
}

/// A running server; stops when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    pub fn start(config: ServiceConfig) -> Self {
        Self::start_with(config, None)
    }

    /// A server with built-in TLS (`https://`, `wss://`).
    pub fn start_tls(config: ServiceConfig, tls: Arc<rustls::ServerConfig>) -> Self {
        Self::start_with(config, Some(tls))
    }

    fn start_with(config: ServiceConfig, tls: Option<Arc<rustls::ServerConfig>>) -> Self {
        let state = AppState::new(config);
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = state.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let stopped = async {
                    let _ = stopped.await;
                };
                match tls {
                    Some(tls) => cccd_service::server::serve_tls(listener, served, tls, stopped)
                        .await
                        .unwrap(),
                    None => cccd_service::server::serve(listener, served, stopped)
                        .await
                        .unwrap(),
                }
            });
        });
        let addr = addr_rx.recv_timeout(Duration::from_secs(10)).unwrap();
        Self {
            addr,
            state,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/v1/read", self.addr)
    }

    pub fn http_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn wss_url(&self) -> String {
        format!("wss://{}/v1/read", self.addr)
    }

    pub fn https_url(&self, path: &str) -> String {
        format!("https://{}{path}", self.addr)
    }
}

/// The TLS test PKI (rcgen) of the test support crate.
pub use cccd_testkit::tls::TlsPki as TestPki;

/// The server's TLS configuration for `pki`'s server certificate and key.
pub fn server_tls(pki: &TestPki) -> Arc<rustls::ServerConfig> {
    cccd_service::tls::server_config(&pki.cert, &pki.key).unwrap()
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A hello opening `card` with its CAN and claiming its name.
pub fn hello_for(card: &CardEntry) -> DeviceMessage {
    DeviceMessage::Hello {
        version: PROTOCOL_VERSION,
        key: KeyInput {
            can: Some(card.can.clone()),
            ..KeyInput::default()
        },
        claims: ClaimsInput {
            full_name: Some(card.name.clone()),
            ..ClaimsInput::default()
        },
        qr: None,
        face: false,
        extended_length: true,
    }
}

/// Relay options for `card` against `server`.
pub fn options(server: &TestServer, card: &CardEntry) -> RelayOptions {
    RelayOptions {
        server: server.ws_url(),
        api_key: None,
        hello: hello_for(card),
        rtt: Duration::ZERO,
        timeout: Duration::from_secs(20),
        tls: None,
    }
}

/// The in-process chip of `card`.
pub fn sim_card(card: &CardEntry) -> cccd_service::relay_client::SimCard {
    cccd_service::relay_client::SimCard::from_dump(
        &testdata().join(&card.dir),
        None,
        cccd_sim::chip::ChipConfig::default(),
    )
    .unwrap()
}

/// The status of a named check in a report.
pub fn status(report: &serde_json::Value, name: &str) -> String {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .map(|c| c["status"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// A JSON `/v1/verify` body with every file of `card`, base64.
pub fn json_upload(card: &CardEntry, token: Option<&str>) -> serde_json::Value {
    use base64::Engine;
    let dir = testdata().join(&card.dir);
    let mut files = serde_json::Map::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.insert(
                name,
                base64::engine::general_purpose::STANDARD
                    .encode(std::fs::read(&path).unwrap())
                    .into(),
            );
        }
    }
    let mut body = serde_json::json!({ "files": files });
    if let Some(token) = token {
        body["challenge_token"] = token.into();
    }
    body
}
