//! The device side of the relay protocol (`cccd relay`): connect to `/v1/read`, say what is
//! known, then pass each command APDU to the card and its response back, until the server
//! sends the report or an error. Blocking (one thread per session): a reader is a blocking
//! device anyway.

use crate::protocol::{DeviceMessage, ErrorCode, ServerMessage};
use cccd::apdu::{Command, Response};
use cccd::document::Document;
use cccd::transport::{Transport, TransportError};
use cccd_sim::chip::SimTransport;
use cccd_sim::chip::{ChipConfig, VirtualChip};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tungstenite::client::IntoClientRequest;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

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
    /// `ws://HOST:PORT/v1/read`.
    pub server: String,
    /// A bearer API key.
    pub api_key: Option<String>,
    /// The hello to send (key, claims, QR, face).
    pub hello: DeviceMessage,
    /// Added before each response, to model a mobile network's round-trip time.
    pub rtt: Duration,
    /// The longest wait for one server message.
    pub timeout: Duration,
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
    let (socket, _) = tungstenite::connect(request).map_err(|e| match e {
        tungstenite::Error::Http(response) => {
            RelayError::Connect(format!("the server answered HTTP {}", response.status()))
        }
        other => RelayError::Connect(other.to_string()),
    })?;
    if let MaybeTlsStream::Plain(stream) = socket.get_ref() {
        stream
            .set_read_timeout(Some(options.timeout))
            .map_err(|e| RelayError::Connect(e.to_string()))?;
        // Small request-response messages: no Nagle delay.
        stream
            .set_nodelay(true)
            .map_err(|e| RelayError::Connect(e.to_string()))?;
    }
    Ok(socket)
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
#[derive(Debug)]
pub struct SimCard {
    transport: SimTransport,
    /// Whether the card comes back after an injected removal.
    pub comes_back: bool,
}

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
