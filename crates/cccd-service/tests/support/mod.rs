//! Shared helpers: the sample-card manifest, a trust store, and a real server on an ephemeral
//! loopback port that stops when its handle is dropped.

#![allow(dead_code, clippy::unwrap_used)]

use cccd::pki::TrustStore;
use cccd_service::challenge::ChallengeIssuer;
use cccd_service::protocol::{ClaimsInput, DeviceMessage, KeyInput, PROTOCOL_VERSION};
use cccd_service::relay_client::RelayOptions;
use cccd_service::server::{AppState, Limits, ServiceConfig};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The repository's testdata folder.
pub fn testdata() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata"))
}

/// testdata/manifest.json.
pub fn manifest() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(testdata().join("manifest.json")).unwrap())
        .unwrap()
}

/// Every sample card.
pub fn cards() -> Vec<serde_json::Value> {
    manifest()["cards"].as_array().unwrap().clone()
}

/// A card by its folder name.
pub fn card(name: &str) -> serde_json::Value {
    cards()
        .into_iter()
        .find(|c| c["dir"].as_str().unwrap().ends_with(name))
        .unwrap()
}

/// The time the sample cards are valid at.
pub fn reference_time() -> time::OffsetDateTime {
    let text = manifest()["reference_date"].as_str().unwrap().to_owned();
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(&text, &format)
        .unwrap()
        .midnight()
        .assume_utc()
}

/// The test trust anchors and CRLs.
pub fn trust_store() -> TrustStore {
    let m = manifest();
    let mut store = TrustStore::new();
    for a in m["trust_anchors"]
        .as_array()
        .unwrap()
        .iter()
        .chain(m["crls"].as_array().unwrap())
    {
        let _ = store
            .load_path(&testdata().join(a.as_str().unwrap()))
            .unwrap();
    }
    store
}

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
                cccd_service::server::serve(listener, served, async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
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
pub fn hello_for(card: &serde_json::Value) -> DeviceMessage {
    DeviceMessage::Hello {
        version: PROTOCOL_VERSION,
        key: KeyInput {
            can: Some(card["can"].as_str().unwrap().to_owned()),
            ..KeyInput::default()
        },
        claims: ClaimsInput {
            full_name: Some(card["name"].as_str().unwrap().to_owned()),
            ..ClaimsInput::default()
        },
        qr: None,
        face: false,
        extended_length: true,
    }
}

/// Relay options for `card` against `server`.
pub fn options(server: &TestServer, card: &serde_json::Value) -> RelayOptions {
    RelayOptions {
        server: server.ws_url(),
        api_key: None,
        hello: hello_for(card),
        rtt: Duration::ZERO,
        timeout: Duration::from_secs(20),
    }
}

/// The in-process chip of `card`.
pub fn sim_card(card: &serde_json::Value) -> cccd_service::relay_client::SimCard {
    cccd_service::relay_client::SimCard::from_dump(
        &testdata().join(card["dir"].as_str().unwrap()),
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
