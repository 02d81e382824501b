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

/// A private CA and a server certificate it signed for 127.0.0.1 and localhost, made in the
/// test with rcgen (ECDSA P-256), as PEM files in a temporary folder.
pub struct TestPki {
    _dir: tempfile::TempDir,
    /// The CA certificate.
    pub ca: PathBuf,
    /// The server's certificate.
    pub cert: PathBuf,
    /// The server's private key (PKCS#8).
    pub key: PathBuf,
}

impl TestPki {
    pub fn new() -> Self {
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "cccd test CA");
        ca_params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        let ca =
            rcgen::CertifiedIssuer::self_signed(ca_params, rcgen::KeyPair::generate().unwrap())
                .unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params =
            rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
                .unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "cccd test server");
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        let cert = params.signed_by(&key, &ca).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, pem: String| {
            let path = dir.path().join(name);
            std::fs::write(&path, pem).unwrap();
            path
        };
        Self {
            ca: write("ca.pem", ca.pem()),
            cert: write("server.pem", cert.pem()),
            key: write("server-key.pem", key.serialize_pem()),
            _dir: dir,
        }
    }

    /// The server's TLS configuration.
    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        cccd_service::tls::server_config(&self.cert, &self.key).unwrap()
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
        tls: None,
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

/// A JSON `/v1/verify` body with every file of `card`, base64.
pub fn json_upload(card: &serde_json::Value, token: Option<&str>) -> serde_json::Value {
    use base64::Engine;
    let dir = testdata().join(card["dir"].as_str().unwrap());
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
