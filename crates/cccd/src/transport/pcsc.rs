//! PC/SC backend on the `pcsc` crate: list readers, wait for a card, connect, transmit.
//!
//! Kiosk vendors drive any PC/SC reader (contact or contactless) through this. The virtual
//! reader of `cccd-sim` (via vpcd) is a PC/SC reader too, so the same code runs in tests.
//!
//! **Sharing.** A session connects *exclusively*. The chip's secure session lives between
//! APDUs: one plain APDU from any other program, at any point from access control to the last
//! read, makes the chip end it (ICAO 9303-11 §9.8.8). So the unit that must not be interleaved
//! is the whole session, not one exchange sequence; a transaction per sequence
//! (`SCardBeginTransaction`) would still let a SELECT in between two files break it, and one
//! transaction held for the session is what exclusive mode is (the `pcsc` crate's transaction
//! borrows the card, so it cannot be held across calls without `unsafe`). Another program that
//! holds the card is waited for, then reported as [`TransportError::InUse`]; nothing is sent.
//! [`PcscTransport::connect_shared`] remains for callers that accept sharing.

use super::{Transport, TransportError, transmit_with_retries};
use crate::apdu::{Command, Response};
use pcsc::{Context, Protocols, ReaderState, Scope, ShareMode, State};
use std::ffi::CString;
use std::time::Duration;

/// Receive buffer: the largest extended response (65536 data bytes) plus the status word.
const MAX_RESPONSE: usize = 65_536 + 2;

/// A reader known to the PC/SC service.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReaderInfo {
    /// The reader's name as the system reports it (pass it to [`PcscTransport::connect`]).
    pub name: String,
    /// Whether a card is in the reader (or in its field) now.
    pub card_present: bool,
    /// The card's ATR when one is present.
    #[serde(serialize_with = "hex_bytes")]
    pub atr: Vec<u8>,
}

fn hex_bytes<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::hex::encode_upper(bytes))
}

/// Map a PC/SC error to our typed transport error.
pub fn map_error(e: pcsc::Error, reader: &str) -> TransportError {
    match e {
        pcsc::Error::RemovedCard | pcsc::Error::ResetCard => TransportError::CardRemoved,
        pcsc::Error::NoSmartcard => TransportError::NoCard,
        pcsc::Error::Timeout => TransportError::Timeout,
        pcsc::Error::SharingViolation => TransportError::InUse {
            reader: reader.to_owned(),
        },
        pcsc::Error::UnknownReader | pcsc::Error::ReaderUnavailable => {
            TransportError::ReaderUnavailable {
                reader: reader.to_owned(),
            }
        }
        pcsc::Error::NoService | pcsc::Error::ServiceStopped | pcsc::Error::NoReadersAvailable => {
            TransportError::NoService(e.to_string())
        }
        other => TransportError::Other(other.to_string()),
    }
}

fn context() -> Result<Context, TransportError> {
    Context::establish(Scope::User).map_err(|e| map_error(e, ""))
}

/// List the readers and whether each holds a card. No readers at all is an empty list.
pub fn list_readers() -> Result<Vec<ReaderInfo>, TransportError> {
    let ctx = context()?;
    let names = match ctx.list_readers_owned() {
        Ok(names) => names,
        Err(pcsc::Error::NoReadersAvailable) => return Ok(Vec::new()),
        Err(e) => return Err(map_error(e, "")),
    };
    let mut states: Vec<ReaderState> = names
        .iter()
        .map(|n| ReaderState::new(n.clone(), State::UNAWARE))
        .collect();
    ctx.get_status_change(Duration::ZERO, &mut states)
        .map_err(|e| map_error(e, ""))?;
    Ok(states
        .iter()
        .map(|s| {
            let present = s.event_state().contains(State::PRESENT);
            ReaderInfo {
                name: s.name().to_string_lossy().into_owned(),
                card_present: present,
                atr: if present {
                    s.atr().to_vec()
                } else {
                    Vec::new()
                },
            }
        })
        .collect())
}

/// Wait up to `timeout` for a card in `reader` (or in any reader when `None`); return the
/// name of the reader that holds it.
pub fn wait_for_card(reader: Option<&str>, timeout: Duration) -> Result<String, TransportError> {
    let ctx = context()?;
    let names: Vec<CString> = match reader {
        Some(r) => vec![
            CString::new(r).map_err(|_| TransportError::ReaderUnavailable {
                reader: r.to_owned(),
            })?,
        ],
        None => ctx.list_readers_owned().map_err(|e| map_error(e, ""))?,
    };
    if names.is_empty() {
        return Err(TransportError::NoService("no readers".into()));
    }
    let mut states: Vec<ReaderState> = names
        .iter()
        .map(|n| ReaderState::new(n.clone(), State::UNAWARE))
        .collect();
    let deadline = std::time::Instant::now() + timeout;
    loop {
        let who = reader.unwrap_or("");
        ctx.get_status_change(Duration::ZERO, &mut states)
            .map_err(|e| map_error(e, who))?;
        if let Some(s) = states.iter().find(|s| {
            s.event_state().contains(State::PRESENT) && !s.event_state().contains(State::MUTE)
        }) {
            return Ok(s.name().to_string_lossy().into_owned());
        }
        for s in &mut states {
            if s.event_state().contains(State::UNKNOWN) {
                return Err(TransportError::ReaderUnavailable {
                    reader: s.name().to_string_lossy().into_owned(),
                });
            }
            s.sync_current_state();
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(TransportError::Timeout);
        }
        match ctx.get_status_change(left, &mut states) {
            Ok(()) | Err(pcsc::Error::Timeout) => {}
            Err(e) => return Err(map_error(e, who)),
        }
    }
}

/// A connection to the card in one PC/SC reader.
pub struct PcscTransport {
    card: pcsc::Card,
    reader: String,
    buffer: Vec<u8>,
    extended: bool,
    /// The ATR said the chip takes extended Lc/Le.
    extended_confirmed: bool,
}

impl std::fmt::Debug for PcscTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcscTransport")
            .field("reader", &self.reader)
            .field("extended", &self.extended)
            .finish_non_exhaustive()
    }
}

/// How long [`PcscTransport::connect`] waits for another program to let go of the card.
pub const IN_USE_WAIT: Duration = Duration::from_secs(5);

impl PcscTransport {
    /// Connect exclusively (T=0 or T=1) to the card in the named reader, waiting up to
    /// [`IN_USE_WAIT`] for another program to let go of it (see the module documentation).
    pub fn connect(reader: &str) -> Result<Self, TransportError> {
        Self::connect_exclusive(reader, IN_USE_WAIT)
    }

    /// Connect exclusively, waiting up to `wait` while another program holds the card.
    pub fn connect_exclusive(reader: &str, wait: Duration) -> Result<Self, TransportError> {
        let deadline = std::time::Instant::now() + wait;
        loop {
            match Self::connect_mode(reader, ShareMode::Exclusive) {
                Err(TransportError::InUse { .. }) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                other => return other,
            }
        }
    }

    /// Connect in shared mode: other programs may send APDUs between ours (and so may end
    /// the chip's secure session; a [`crate::session::Session`] then authenticates again).
    pub fn connect_shared(reader: &str) -> Result<Self, TransportError> {
        Self::connect_mode(reader, ShareMode::Shared)
    }

    fn connect_mode(reader: &str, mode: ShareMode) -> Result<Self, TransportError> {
        let ctx = context()?;
        let name = CString::new(reader).map_err(|_| TransportError::ReaderUnavailable {
            reader: reader.to_owned(),
        })?;
        let card = ctx
            .connect(&name, mode, Protocols::ANY)
            .map_err(|e| map_error(e, reader))?;
        let mut transport = Self {
            card,
            reader: reader.to_owned(),
            buffer: vec![0; MAX_RESPONSE],
            extended: true,
            extended_confirmed: false,
        };
        // A card whose ATR says "no extended Lc/Le" is read with short APDUs from the start.
        match transport
            .atr()
            .ok()
            .and_then(|atr| super::atr::extended_length(&atr))
        {
            Some(false) => {
                log::debug!("the ATR says short APDUs only");
                transport.extended = false;
            }
            Some(true) => transport.extended_confirmed = true,
            None => {}
        }
        Ok(transport)
    }

    /// Connect again to the card now in the reader, on the same handle (exclusively, the card
    /// powered up afresh): after [`TransportError::CardRemoved`], once the card is back.
    pub fn reconnect(&mut self) -> Result<(), TransportError> {
        self.card
            .reconnect(
                ShareMode::Exclusive,
                Protocols::ANY,
                pcsc::Disposition::ResetCard,
            )
            .map_err(|e| map_error(e, &self.reader))
    }

    /// Whether the card left the reader, waiting up to a second for pcscd to notice.
    fn card_gone(&self) -> bool {
        for _ in 0..10 {
            if self.card.status2_len().is_err() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }

    /// End the connection leaving the card as it is (no reset), for a probe that must not
    /// disturb the card's state for the next program.
    pub fn disconnect_leaving_card(self) -> Result<(), TransportError> {
        let reader = self.reader;
        self.card
            .disconnect(pcsc::Disposition::LeaveCard)
            .map_err(|(_, e)| map_error(e, &reader))
    }

    /// The reader's name.
    pub fn reader(&self) -> &str {
        &self.reader
    }

    /// Declare whether the reader carries extended-length APDUs (default: yes; some
    /// contactless readers do not, and then reads fall back to short APDUs).
    pub fn set_extended_length(&mut self, on: bool) {
        self.extended = on;
    }

    /// The ATR of the connected card.
    pub fn atr(&self) -> Result<Vec<u8>, TransportError> {
        let (_, atr_len) = self
            .card
            .status2_len()
            .map_err(|e| map_error(e, &self.reader))?;
        let mut names = vec![0u8; 2048];
        let mut atr = vec![0u8; atr_len.max(1)];
        let status = self
            .card
            .status2(&mut names, &mut atr)
            .map_err(|e| map_error(e, &self.reader))?;
        Ok(status.atr().to_vec())
    }

    fn raw_exchange(&mut self, command: &Command) -> Result<Response, TransportError> {
        let bytes = command.to_bytes()?;
        let len = match self.card.transmit(&bytes, &mut self.buffer) {
            Ok(answer) => answer.len(),
            Err(e) => {
                // The driver could not complete the exchange (pcsc-lite reports an IFD
                // communication error so): when the card is gone, that is a removal.
                if e == pcsc::Error::NotTransacted && self.card_gone() {
                    return Err(TransportError::CardRemoved);
                }
                return Err(map_error(e, &self.reader));
            }
        };
        let answer = &self.buffer[..len];
        if answer.len() < 2 {
            // No status word: the reader lost the card mid-exchange (a contactless card leaving
            // the field, or vpcd's card side gone) before pcscd noticed. Not a chip answer.
            log::debug!("reader returned {} bytes: card lost", answer.len());
            return Err(TransportError::CardRemoved);
        }
        Ok(Response::parse(answer)?)
    }
}

impl Transport for PcscTransport {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        // Debug of commands and responses shows headers, lengths and status words only:
        // never data, which may be personal or secret.
        log::trace!("apdu > {command:?}");
        let result = transmit_with_retries(|c| self.raw_exchange(c), command);
        match &result {
            Ok(r) => log::trace!("apdu < {r:?}"),
            Err(e) => log::debug!("apdu ! {e}"),
        }
        result
    }

    fn supports_extended_length(&self) -> bool {
        self.extended
    }

    fn extended_length_confirmed(&self) -> bool {
        self.extended && self.extended_confirmed
    }
}
