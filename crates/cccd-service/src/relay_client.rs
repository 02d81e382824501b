//! The device side of the relay protocol (`cccd relay`): connect to `/v1/read`, say what is
//! known, then pass each command APDU to the card and its response back, until the server
//! sends the report or an error. Blocking (one thread per session): a reader is a blocking
//! device anyway.

use crate::protocol::{DeviceMessage, ErrorCode, ServerMessage};
use cccd::apdu::{Command, Response};
#[cfg(feature = "sim")]
use cccd::document::Document;
use cccd::transport::{Transport, TransportError};
#[cfg(feature = "sim")]
use cccd_sim::chip::{ChipConfig, SimTransport, VirtualChip};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tungstenite::client::IntoClientRequest;
use tungstenite::handshake::HandshakeError;
use tungstenite::http::Uri;
use tungstenite::stream::{MaybeTlsStream, Mode};
use tungstenite::{Connector, Message, WebSocket};

/// A card the relay talks to.
pub trait RelayCard {
    /// Exchange one APDU.
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError>;
    /// Whether the reader carries extended-length APDUs.
    fn extended_length(&self) -> bool;
    /// After a removal: wait for the card to come back. `false`: it did not.
    fn wait_for_return(&mut self) -> bool;
}

/// How to reach the server and what to ask.
#[derive(Debug, Clone)]
pub struct RelayOptions {
    /// `ws://HOST:PORT/v1/read`, or `wss://` for a server with TLS.
    pub server: String,
    /// A bearer API key.
    pub api_key: Option<String>,
    /// The hello to send (key, claims, QR, face).
    pub hello: DeviceMessage,
    /// Added before each response, to model a mobile network's round-trip time.
    pub rtt: Duration,
    /// The longest wait for one server message.
    pub timeout: Duration,
    /// Whom to trust for a `wss://` server; `None`: the system's root certificates
    /// ([`crate::tls::client_config`] without an extra CA). Unused for `ws://`.
    pub tls: Option<Arc<rustls::ClientConfig>>,
}

/// How a relayed session ended, as the server said.
#[derive(Debug, Clone, PartialEq)]
pub enum RelayOutcome {
    /// The server's report (and receipt).
    Report {
        /// The session id.
        session_id: String,
        /// The report JSON.
        report: serde_json::Value,
        /// The signed receipt, if the server signs.
        receipt: Option<String>,
        /// Command APDUs relayed.
        apdus: u64,
    },
    /// The server's typed error.
    Failed {
        /// The code.
        code: ErrorCode,
        /// The message.
        message: String,
    },
}

/// Why the relay itself failed (before any server verdict).
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// The server could not be reached, or refused the connection (status, e.g. 401, 503).
    #[error("cannot connect to the server: {0}")]
    Connect(String),
    /// The server broke the protocol or the connection dropped.
    #[error("relay protocol: {0}")]
    Protocol(String),
}

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

fn connect(options: &RelayOptions) -> Result<Socket, RelayError> {
    let mut request = options
        .server
        .as_str()
        .into_client_request()
        .map_err(|e| RelayError::Connect(e.to_string()))?;
    if let Some(key) = &options.api_key {
        let value = format!("Bearer {key}")
            .parse()
            .map_err(|_| RelayError::Connect("the API key is not a valid header value".into()))?;
        request.headers_mut().insert("authorization", value);
    }
    let mode = tungstenite::client::uri_mode(request.uri())
        .map_err(|e| RelayError::Connect(e.to_string()))?;
    let stream = tcp_connect(request.uri(), mode, options.timeout)?;
    let connector = match mode {
        Mode::Plain => Connector::Plain,
        Mode::Tls => Connector::Rustls(match &options.tls {
            Some(config) => config.clone(),
            None => crate::tls::client_config(None)
                .map_err(|e| RelayError::Connect(format!("TLS: {e}")))?,
        }),
    };
    let (socket, _) = tungstenite::client_tls_with_config(request, stream, None, Some(connector))
        .map_err(|e| match e {
        HandshakeError::Failure(tungstenite::Error::Http(response)) => {
            RelayError::Connect(format!("the server answered HTTP {}", response.status()))
        }
        HandshakeError::Failure(tungstenite::Error::Tls(e)) => tls_refused(&e),
        // rustls' refusal of the certificate surfaces as an I/O error of the stream.
        HandshakeError::Failure(tungstenite::Error::Io(e))
            if e.get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                .is_some() =>
        {
            tls_refused(&e)
        }
        other => RelayError::Connect(other.to_string()),
    })?;
    Ok(socket)
}

fn tls_refused(error: &dyn std::fmt::Display) -> RelayError {
    RelayError::Connect(format!(
        "TLS: {error} (for a server certificate from a private CA, give --ca-cert)"
    ))
}

/// The TCP connection under the WebSocket: timeouts on connecting, reading and writing, so a
/// silent server (or a TLS handshake that never ends) cannot hang the relay.
fn tcp_connect(uri: &Uri, mode: Mode, timeout: Duration) -> Result<TcpStream, RelayError> {
    let host = uri
        .host()
        .ok_or_else(|| RelayError::Connect("the server URL has no host".into()))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(match mode {
        Mode::Plain => 80,
        Mode::Tls => 443,
    });
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|e| RelayError::Connect(format!("{host}: {e}")))?;
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(stream) => {
                let configured = stream
                    .set_read_timeout(Some(timeout))
                    .and_then(|()| stream.set_write_timeout(Some(timeout)))
                    // Small request-response messages: no Nagle delay.
                    .and_then(|()| stream.set_nodelay(true));
                configured.map_err(|e| RelayError::Connect(e.to_string()))?;
                return Ok(stream);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(RelayError::Connect(match last {
        Some(e) => format!("{host}:{port}: {e}"),
        None => format!("{host}: no address"),
    }))
}

fn send(socket: &mut Socket, message: &DeviceMessage) -> Result<(), RelayError> {
    let text = serde_json::to_string(message).map_err(|e| RelayError::Protocol(e.to_string()))?;
    socket
        .send(Message::text(text))
        .map_err(|e| RelayError::Protocol(e.to_string()))
}

fn receive(socket: &mut Socket) -> Result<ServerMessage, RelayError> {
    loop {
        match socket.read() {
            Ok(Message::Text(text)) => {
                return serde_json::from_str(text.as_str())
                    .map_err(|e| RelayError::Protocol(format!("bad server message: {e}")));
            }
            Ok(Message::Close(_)) | Err(tungstenite::Error::ConnectionClosed) => {
                return Err(RelayError::Protocol(
                    "the server closed the connection without a result".into(),
                ));
            }
            Ok(_) => {}
            Err(e) => return Err(RelayError::Protocol(e.to_string())),
        }
    }
}

/// Run one relayed session; `progress` sees every server message before it is handled.
pub fn relay(
    card: &mut dyn RelayCard,
    options: &RelayOptions,
    progress: &mut dyn FnMut(&ServerMessage),
) -> Result<RelayOutcome, RelayError> {
    let mut socket = connect(options)?;
    let mut hello = options.hello.clone();
    if let DeviceMessage::Hello {
        extended_length, ..
    } = &mut hello
    {
        *extended_length = card.extended_length();
    }
    send(&mut socket, &hello)?;
    let mut apdus = 0;
    loop {
        let message = receive(&mut socket)?;
        progress(&message);
        match message {
            ServerMessage::Command { seq, apdu } => {
                apdus += 1;
                let answer = exchange(card, &apdu, options.rtt)?;
                if let Some(response) = answer {
                    let apdu = cccd::hex::encode(&response);
                    send(&mut socket, &DeviceMessage::Response { seq, apdu })?;
                } else {
                    send(&mut socket, &DeviceMessage::CardRemoved { seq })?;
                    if card.wait_for_return() {
                        send(&mut socket, &DeviceMessage::CardPresent)?;
                    }
                }
            }
            ServerMessage::Result {
                session_id,
                report,
                receipt,
            } => {
                let _ = socket.close(None);
                return Ok(RelayOutcome::Report {
                    session_id,
                    report,
                    receipt,
                    apdus,
                });
            }
            ServerMessage::Error { code, message } => {
                let _ = socket.close(None);
                return Ok(RelayOutcome::Failed { code, message });
            }
            ServerMessage::Ready { .. } | ServerMessage::Progress { .. } => {}
        }
    }
}

/// One exchange with the card: `None` when the card left.
fn exchange(
    card: &mut dyn RelayCard,
    apdu: &str,
    rtt: Duration,
) -> Result<Option<Vec<u8>>, RelayError> {
    let bytes = crate::protocol::decode_apdu(apdu)
        .ok_or_else(|| RelayError::Protocol("the server sent a command that is not hex".into()))?;
    let command = Command::parse(&bytes)
        .map_err(|e| RelayError::Protocol(format!("the server sent a bad command: {e}")))?;
    if !rtt.is_zero() {
        std::thread::sleep(rtt);
    }
    match card.transmit(&command) {
        Ok(response) => Ok(Some(response.to_bytes())),
        Err(TransportError::Apdu(e)) => Err(RelayError::Protocol(format!(
            "the server sent a command the reader cannot carry: {e}"
        ))),
        // A reader that fails mid-session has lost the card (PC/SC reports a vanished card in
        // several ways); the server decides whether to wait for it.
        Err(e) => {
            log::info!("relay: the card is unreachable ({e})");
            Ok(None)
        }
    }
}

/// A virtual chip in-process (`cccd relay --sim`): for tests and load generation.
#[cfg(feature = "sim")]
#[derive(Debug)]
pub struct SimCard {
    transport: SimTransport,
    /// Whether the card comes back after an injected removal.
    pub comes_back: bool,
}

#[cfg(feature = "sim")]
impl SimCard {
    /// The chip of a dump folder, with its keys from `secrets` (default: `DIR/secrets` or the
    /// sample layout `testdata/secrets/<name>`).
    pub fn from_dump(
        dir: &Path,
        secrets: Option<&Path>,
        config: ChipConfig,
    ) -> Result<Self, String> {
        let doc = Document::load(dir).map_err(|e| e.to_string())?;
        let secrets = secrets
            .map(Path::to_path_buf)
            .or_else(|| default_secrets(dir));
        let chip = match &secrets {
            Some(s) => VirtualChip::from_document_with_keys(&doc, config, s),
            None => VirtualChip::from_document(&doc, config),
        }
        .map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Self {
            transport: SimTransport::new(chip),
            comes_back: false,
        })
    }

    /// The chip, to inject faults.
    pub fn chip_mut(&mut self) -> &mut VirtualChip {
        self.transport.chip_mut()
    }
}

#[cfg(feature = "sim")]
impl RelayCard for SimCard {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        self.transport.transmit(command)
    }
    fn extended_length(&self) -> bool {
        self.transport.supports_extended_length()
    }
    fn wait_for_return(&mut self) -> bool {
        if self.comes_back {
            self.transport.reinsert();
        }
        self.comes_back
    }
}

/// `DIR/secrets`, or `../../secrets/NAME` for the `testdata/cards/NAME` layout.
pub fn default_secrets(dump: &Path) -> Option<PathBuf> {
    let inside = dump.join("secrets");
    if inside.is_dir() {
        return Some(inside);
    }
    let name = dump.file_name()?;
    let beside = dump.parent()?.parent()?.join("secrets").join(name);
    beside.is_dir().then_some(beside)
}

/// A card in a PC/SC reader (`cccd relay --reader`).
#[derive(Debug)]
pub struct PcscCard {
    reader: String,
    transport: cccd::transport::pcsc::PcscTransport,
    wait: Duration,
}

impl PcscCard {
    /// Wait up to `wait` for a card in `reader` (`None`: the first reader with a card), then
    /// connect.
    pub fn connect(reader: Option<&str>, wait: Duration) -> Result<Self, TransportError> {
        let reader = cccd::transport::pcsc::wait_for_card(reader, wait)?;
        let transport = cccd::transport::pcsc::PcscTransport::connect(&reader)?;
        Ok(Self {
            reader,
            transport,
            wait,
        })
    }

    /// The reader's name.
    pub fn reader(&self) -> &str {
        &self.reader
    }
}

impl RelayCard for PcscCard {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        self.transport.transmit(command)
    }
    fn extended_length(&self) -> bool {
        self.transport.supports_extended_length()
    }
    fn wait_for_return(&mut self) -> bool {
        let Ok(reader) = cccd::transport::pcsc::wait_for_card(Some(&self.reader), self.wait) else {
            return false;
        };
        match cccd::transport::pcsc::PcscTransport::connect(&reader) {
            Ok(transport) => {
                self.transport = transport;
                true
            }
            Err(_) => false,
        }
    }
}
