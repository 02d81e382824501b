//! Opening a card and reading it: access control (PACE, falling back to BAC), then the files a
//! [`ReadPlan`] names, with the largest reads the link and the secure channel allow.
//!
//! ```no_run
//! # #[cfg(feature = "pcsc")] {
//! use cccd::session::{AccessKeys, ReadPlan, Session};
//! use cccd::transport::pcsc::PcscTransport;
//!
//! let reader = PcscTransport::connect("Virtual PCD 00 00")?;
//! // From the QR: the 12-digit ID and the date of birth are enough (PACE with the CAN, or BAC
//! // with the expiry dates the Vietnamese rules allow).
//! let dob = time::macros::date!(1999 - 01 - 01);
//! let id: cccd::IdNumber = "001099000001".parse()?;
//! let keys = AccessKeys::from_id_and_dob(&id, dob, time::OffsetDateTime::now_utc().date());
//! let mut session = Session::open(reader, &keys)?;
//! let document = session.read(&ReadPlan::verification(), &mut |_| {})?;
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A card pulled away mid-read gives [`SessionError::CardRemoved`]; the bytes read so far stay
//! in the session, and [`Session::resume`] (new transport) or [`Session::reconnect`] (same
//! transport, card back) authenticates again and the next [`Session::read`] continues where it
//! stopped.

mod chip_auth;
mod error;
pub mod extended_length;
mod files;
mod keys;
mod options;
mod plan;

pub use crate::document::{Genuineness, GenuinenessProof};
pub use crate::sm::SmError;
pub use chip_auth::ChipAuthOptions;
pub use error::SessionError;
pub use keys::AccessKeys;
pub use options::{BacFallback, OpenOptions};
pub use plan::{Progress, ReadPlan, ReadStrategy};

use crate::access::{bac, pace};
use crate::apdu::{Command, Response, StatusWord};
use crate::document::{AccessProtocol, Document, PaceRecord};
use crate::lds::FileId;
use crate::lds::security_infos::SecurityInfos;
use crate::sm::{SecureChannel, SmCodec};
use crate::transport::{Transport, TransportError};

/// Whether the secure channel can carry commands. It closes for good on any secure-messaging
/// failure (ICAO 9303-11 §9.8.3: the chip drops its keys too); only a new authentication
/// opens it again. The codec, with its send-sequence counter, is moved in and out, never
/// copied, so no two holders can reuse a counter value.
#[derive(Debug)]
enum ChannelState {
    /// Keys and counter of the running channel.
    Open(SmCodec),
    /// Failed or not yet opened: the next exchange needs [`Session::reconnect`].
    Closed,
}

impl ChannelState {
    /// The codec, leaving the state closed until it is put back.
    fn take(&mut self) -> Result<SmCodec, SessionError> {
        match std::mem::replace(self, ChannelState::Closed) {
            ChannelState::Open(codec) => Ok(codec),
            ChannelState::Closed => Err(SessionError::SecureMessaging(
                "the secure channel was closed by an earlier error; reconnect",
            )),
        }
    }

    fn is_open(&self) -> bool {
        matches!(self, ChannelState::Open(_))
    }
}

/// The eMRTD application identifier (ICAO 9303-10).
pub const EMRTD_AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];

/// An open card: a secure channel and what has been read so far.
///
/// # Examples
///
/// ```no_run
/// # #[cfg(feature = "pcsc")] {
/// use cccd::mrz::AccessKey;
/// use cccd::session::{AccessKeys, ReadPlan, Session};
/// use cccd::transport::pcsc::{wait_for_card, PcscTransport};
/// use std::time::Duration;
///
/// let keys = AccessKeys::from_key(AccessKey::can("082497")?);
/// let reader = wait_for_card(None, Duration::from_secs(30))?;
/// let mut session = Session::open(PcscTransport::connect(&reader)?, &keys)?;
/// println!("genuineness: {}", session.genuineness());
/// let document = session.read(&ReadPlan::verification(), &mut |p| {
///     eprintln!("{} {}/{}", p.file, p.done, p.total);
/// })?;
/// document.save("dump")?;
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Session<T: Transport> {
    transport: T,
    /// The secure-messaging state.
    channel: ChannelState,
    keys: AccessKeys,
    access: AccessProtocol,
    card_access: Option<Vec<u8>>,
    document: Document,
    /// A file whose reading was interrupted: its id and the bytes already read.
    partial: Option<(FileId, Vec<u8>)>,
    /// What the genuineness proofs concluded.
    genuineness: Genuineness,
    /// The chip refused an extended-length read: short APDUs only.
    short_only: bool,
    /// Whether BAC may follow a failed PACE, at opening and at every re-authentication.
    bac_fallback: BacFallback,
    /// PACE-CAM's evidence from the last opening, checked against DG14's key.
    cam: Option<pace::CamEvidence>,
}

impl<T: Transport> std::fmt::Debug for Session<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("access", &self.access)
            .field("open", &self.channel.is_open())
            .field("document", &self.document)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Session<T> {
    /// Open the card: read EF.CardAccess, run PACE when the chip offers it and a password
    /// fits, else (or when PACE fails) BAC with each MRZ key in turn; then prove the chip
    /// genuine (chip authentication, else active authentication). The outcome is in
    /// [`Session::genuineness`] and in the document's metadata.
    pub fn open(transport: T, keys: &AccessKeys) -> Result<Self, SessionError> {
        Self::open_with(transport, keys, OpenOptions::default())
    }

    /// [`Session::open`] under `options`: the BAC fallback policy and which genuineness
    /// proofs run.
    pub fn open_with(
        transport: T,
        keys: &AccessKeys,
        options: OpenOptions,
    ) -> Result<Self, SessionError> {
        let mut session = Self::establish_session(transport, keys, options.bac_fallback)?;
        if let Some(chip_auth) = options.chip_auth {
            session.genuineness = session.authenticate_chip(chip_auth)?;
        }
        Ok(session)
    }

    /// Access control only: no chip or active authentication
    /// ([`OpenOptions::access_only`]).
    pub fn open_access(transport: T, keys: &AccessKeys) -> Result<Self, SessionError> {
        Self::open_with(transport, keys, OpenOptions::access_only())
    }

    fn establish_session(
        mut transport: T,
        keys: &AccessKeys,
        bac_fallback: BacFallback,
    ) -> Result<Self, SessionError> {
        // Learn a short-only chip behind an extended reader before the first extended READ
        // BINARY, rather than from its refusal (which costs a second PACE).
        let short_only = transport.supports_extended_length()
            && !transport.extended_length_confirmed()
            && extended_length::chip_declares_short_only(&mut transport)?;
        if short_only {
            log::info!("EF.ATR/INFO says short APDUs only");
        }
        let Opened {
            codec,
            access,
            card_access,
            pace,
        } = establish(&mut transport, keys, bac_fallback)?;
        let mut document = Document::new();
        // Everything this session records (CA, AA over its own random challenge) is this
        // process's own evidence.
        document.mark_read_here();
        if let Some(bytes) = &card_access {
            document.insert(FileId::CardAccess, bytes.clone());
        }
        document.meta.access = Some(access);
        document.meta.pace = pace.as_ref().map(|run| run.record.clone());
        if let Some(bytes) = pace.as_ref().and_then(|run| run.card_security.clone()) {
            document.insert(FileId::CardSecurity, bytes);
        }
        Ok(Self {
            transport,
            channel: ChannelState::Open(codec),
            keys: keys.clone(),
            access,
            card_access,
            document,
            partial: None,
            genuineness: Genuineness::NotAvailable,
            short_only,
            bac_fallback,
            cam: pace.and_then(|run| run.cam),
        })
    }

    /// What the genuineness proofs at opening (and at the last re-authentication)
    /// concluded.
    pub fn genuineness(&self) -> &Genuineness {
        &self.genuineness
    }

    /// The access protocol that opened the chip.
    pub fn access_protocol(&self) -> AccessProtocol {
        self.access
    }

    /// EF.CardAccess as read (absent on BAC-only chips).
    pub fn card_access(&self) -> Option<&[u8]> {
        self.card_access.as_deref()
    }

    /// The transport below the channel (e.g. to put a virtual card back).
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// What has been read so far.
    pub fn document(&self) -> &Document {
        &self.document
    }

    /// Send one command over the secure channel; the answer is the chip's, MAC-verified and
    /// decrypted. For files or commands [`Session::read`] does not cover. A failure that
    /// closes the channel ends the session state: the next call needs [`Session::reconnect`].
    pub fn transmit(&mut self, command: &Command) -> Result<Response, SessionError> {
        Ok(self.with_channel(|channel| channel.transmit(command))??)
    }

    /// Run `f` over the secure channel. A failure that closes the channel ends the session
    /// state: the next call needs [`Session::reconnect`].
    pub(crate) fn with_channel<R>(
        &mut self,
        f: impl FnOnce(&mut SecureChannel<&mut T>) -> R,
    ) -> Result<R, SessionError> {
        let codec = self.channel.take()?;
        let mut channel = SecureChannel::from_parts(&mut self.transport, codec);
        let result = f(&mut channel);
        if !channel.is_closed() {
            self.channel = ChannelState::Open(channel.into_parts().1);
        }
        Ok(result)
    }

    /// Read the files of `plan` not read yet; return everything read so far.
    ///
    /// `progress` is called after each READ BINARY. Files the chip does not have (6A82) are
    /// skipped. When the chip loses its security status mid-session (6982, 6987, 6988 or a
    /// failed response MAC: another program's APDU, or interference), the session
    /// authenticates again and continues from the bytes already read, up to
    /// [`SECURITY_RESETS_PER_FILE`] times per file; a file that still answers 6982 after that
    /// with nothing read is protected by terminal authentication (e.g. DG3) and skipped.
    pub fn read(
        &mut self,
        plan: &ReadPlan,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Document, SessionError> {
        for &file in plan.files() {
            let mut resets = 0;
            loop {
                match self.read_one(file, plan, progress)? {
                    FileStep::Done => break,
                    // The session was reopened for short reads; this happens once.
                    FileStep::Again => {}
                    FileStep::SecurityLost { error, read } => {
                        let protected = read == 0
                            && resets > 0
                            && matches!(error, SessionError::Status { sw, .. } if sw == StatusWord::SecurityStatusNotSatisfied);
                        if protected {
                            log::debug!(
                                "{file}: protected (6982 after re-authentication), skipped"
                            );
                            break;
                        }
                        if resets == SECURITY_RESETS_PER_FILE {
                            return Err(error);
                        }
                        resets += 1;
                        log::info!(
                            "{file}: the chip lost its security status after {read} bytes ({error}); authenticating again"
                        );
                        self.reconnect()?;
                    }
                }
            }
        }
        Ok(self.document.clone())
    }

    /// Read one file unless already read.
    fn read_one(
        &mut self,
        file: FileId,
        plan: &ReadPlan,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<FileStep, SessionError> {
        if self.document.get(file).is_some() {
            return Ok(FileStep::Done);
        }
        let start = match self.partial.take() {
            Some((f, bytes)) if f == file => bytes,
            other => {
                self.partial = other;
                Vec::new()
            }
        };
        let mut strategy = plan.strategy();
        strategy.extended &= !self.short_only;
        if !self.channel.is_open() {
            // The channel was closed by an earlier failure: authenticate again.
            let read = start.len();
            self.keep_partial(file, start);
            return Ok(FileStep::SecurityLost {
                error: SessionError::SecureMessaging("the secure channel was closed"),
                read,
            });
        }
        let outcome = self.with_channel(|channel| {
            files::read_file(channel, file, start, &mut strategy, progress)
        })?;
        match outcome {
            Ok(Some(bytes)) => {
                log::debug!("read {file}: {} bytes", bytes.len());
                self.document.insert(file, bytes);
                Ok(FileStep::Done)
            }
            Ok(None) => {
                log::debug!("{file}: absent, skipped");
                Ok(FileStep::Done)
            }
            Err(files::ReadError::Interrupted {
                bytes,
                error: SessionError::ExtendedLengthRefused,
            }) if !self.short_only => {
                self.short_only = true;
                self.keep_partial(file, bytes);
                self.reconnect()?;
                Ok(FileStep::Again)
            }
            Err(files::ReadError::Interrupted { bytes, error }) => {
                log::info!(
                    "read of {file} interrupted after {} bytes: {error}",
                    bytes.len()
                );
                let read = bytes.len();
                self.keep_partial(file, bytes);
                if security_lost(&error) {
                    Ok(FileStep::SecurityLost { error, read })
                } else {
                    Err(error)
                }
            }
            Err(files::ReadError::Failed(error)) => Err(error),
        }
    }

    fn keep_partial(&mut self, file: FileId, bytes: Vec<u8>) {
        if !bytes.is_empty() {
            self.partial = Some((file, bytes));
        }
    }

    /// Bytes already read of a file whose read was interrupted.
    pub fn partial(&self) -> Option<(FileId, usize)> {
        self.partial.as_ref().map(|(f, b)| (*f, b.len()))
    }

    /// After [`SessionError::CardRemoved`]: authenticate again over `transport` (the card is
    /// back) and keep what was read; call [`Session::read`] again to continue.
    pub fn resume(&mut self, transport: T) -> Result<(), SessionError> {
        self.transport = transport;
        self.reconnect()
    }

    /// As [`Session::resume`], on the same transport. When chip authentication had passed,
    /// it runs again: the card that came back must be the same genuine chip.
    pub fn reconnect(&mut self) -> Result<(), SessionError> {
        self.channel = ChannelState::Closed;
        let opened = establish(&mut self.transport, &self.keys, self.bac_fallback)?;
        self.channel = ChannelState::Open(opened.codec);
        self.access = opened.access;
        self.cam = opened.pace.and_then(|run| run.cam);
        let key_proven = matches!(
            self.genuineness,
            Genuineness::ChipAuthentication | Genuineness::PaceCam { .. }
        );
        if key_proven && let Some(Ok(dg14)) = self.document.dg14() {
            self.genuineness = self.reauthenticate(&dg14)?;
        }
        Ok(())
    }

    /// End the session, returning the transport.
    pub fn into_transport(self) -> T {
        self.transport
    }
}

/// How many times [`Session::read`] authenticates again for one file after the chip lost its
/// security status.
pub const SECURITY_RESETS_PER_FILE: usize = 2;

/// What reading one file came to.
enum FileStep {
    /// Read, or absent.
    Done,
    /// Read it again (the session reopened for short APDUs).
    Again,
    /// The chip's security status is gone after `read` bytes: authenticate again and resume.
    SecurityLost {
        /// What the chip answered.
        error: SessionError,
        /// Bytes of the file read so far.
        read: usize,
    },
}

/// Whether `error` means the chip dropped the secure session (ISO 7816-4 6982 "security
/// status not satisfied", 6987/6988 SM errors, or a response that failed verification).
fn security_lost(error: &SessionError) -> bool {
    match error {
        SessionError::SecureMessaging(_) => true,
        SessionError::Status { sw, .. } => matches!(
            sw,
            StatusWord::SecurityStatusNotSatisfied
                | StatusWord::SmObjectsMissing
                | StatusWord::SmObjectsIncorrect
        ),
        _ => false,
    }
}

/// What access control established.
struct Opened {
    codec: SmCodec,
    access: AccessProtocol,
    card_access: Option<Vec<u8>>,
    pace: Option<PaceRun>,
}

/// The PACE run that opened the chip: its record for `card.json`, PACE-CAM's evidence and
/// EF.CardSecurity (read after PACE-CAM only).
struct PaceRun {
    record: PaceRecord,
    cam: Option<pace::CamEvidence>,
    card_security: Option<Vec<u8>>,
}

/// Run access control over `transport`; return the session state, the protocol used and
/// EF.CardAccess if the chip has one.
fn establish<T: Transport>(
    transport: &mut T,
    keys: &AccessKeys,
    bac_fallback: BacFallback,
) -> Result<Opened, SessionError> {
    let card_access = files::read_card_access(transport)?;
    log::debug!(
        "EF.CardAccess: {}",
        card_access
            .as_ref()
            .map_or_else(|| "absent".to_owned(), |b| format!("{} bytes", b.len()))
    );
    let mut pace_failure = None;
    if let Some(bytes) = &card_access
        && let Ok(infos) = SecurityInfos::parse(bytes)
        && let Some(info) = infos.preferred_pace()
    {
        for (password, protocol) in keys.pace_passwords() {
            log::debug!("PACE with {protocol} on {:?}", info.protocol);
            match pace::establish_detailed(
                &mut *transport,
                &password,
                info,
                &mut pace::protocol::SystemRandomness,
            ) {
                Ok(pace::Established {
                    mut channel,
                    chip_authentication,
                    ..
                }) => {
                    let record = PaceRecord::new(info, protocol);
                    log::info!("access: {}", record.name);
                    // PACE-CAM's key is checked against EF.CardSecurity's (ICAO 9303-11
                    // §4.4.3.5.2); it sits in the master file, read before the application
                    // is selected.
                    let card_security = match chip_authentication {
                        Some(_) => files::read_card_security(&mut channel)?,
                        None => None,
                    };
                    let (_, codec) = channel.into_parts();
                    let codec = select_application_protected(transport, codec)?;
                    return Ok(Opened {
                        codec,
                        access: protocol,
                        card_access,
                        pace: Some(PaceRun {
                            record,
                            cam: chip_authentication,
                            card_security,
                        }),
                    });
                }
                Err(pace::PaceError::Transport(e)) => return Err(e.into()),
                // Some chips refuse PACE and accept BAC; fall through.
                Err(e) => {
                    log::info!("PACE failed ({e}); trying the next password or BAC");
                    pace_failure = Some(e);
                }
            }
        }
    }
    // A chip that advertises PACE but is opened with BAC has been downgraded (see
    // `BacFallback`).
    if pace_failure.is_some() && bac_fallback == BacFallback::Refused {
        return Err(SessionError::AccessDenied {
            hint: "PACE failed and falling back to BAC is disabled; present the card again".into(),
        });
    }
    if keys.mrz_keys().is_empty() {
        return Err(match pace_failure {
            Some(e) => SessionError::from(e),
            None => SessionError::AccessDenied {
                hint: "the chip does not offer PACE, and BAC needs the MRZ (or ID number and date of birth)".into(),
            },
        });
    }
    select_application(transport)?;
    log::debug!("BAC with {} candidate key(s)", keys.mrz_keys().len());
    match bac::establish_any(&mut *transport, keys.mrz_keys()) {
        Ok((channel, index)) => {
            log::info!(
                "access: BAC (candidate {} of {})",
                index + 1,
                keys.mrz_keys().len()
            );
            let (_, codec) = channel.into_parts();
            Ok(Opened {
                codec,
                access: AccessProtocol::Bac,
                card_access,
                pace: None,
            })
        }
        Err(e) => Err(e.into()),
    }
}

fn select_command() -> Command {
    Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(EMRTD_AID.to_vec())
}

/// SELECT the eMRTD application in the clear (before BAC).
fn select_application(transport: &mut impl Transport) -> Result<(), SessionError> {
    let sw = transport.transmit(&select_command())?.sw;
    select_outcome(sw, false)
}

/// SELECT the eMRTD application through the new secure channel. The codec moves through the
/// channel and back, so there is only ever one send sequence counter.
fn select_application_protected(
    transport: &mut impl Transport,
    codec: SmCodec,
) -> Result<SmCodec, SessionError> {
    let mut channel = SecureChannel::from_parts(&mut *transport, codec);
    let sw = channel.transmit(&select_command())?.sw;
    select_outcome(sw, true)?;
    Ok(channel.into_parts().1)
}

fn select_outcome(sw: StatusWord, protected: bool) -> Result<(), SessionError> {
    match sw {
        StatusWord::Ok => Ok(()),
        // Refused for lack of security status right after access control: the chip ended the
        // new session (another program's APDU, a reset); not a verdict on the card.
        StatusWord::SecurityStatusNotSatisfied
        | StatusWord::SmObjectsMissing
        | StatusWord::SmObjectsIncorrect
            if protected =>
        {
            Err(SessionError::SecureMessaging(
                "the chip ended the secure session before the application was selected",
            ))
        }
        sw => Err(SessionError::NotAnIdCard { sw }),
    }
}

/// Map transport errors.
impl From<TransportError> for SessionError {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::CardRemoved => SessionError::CardRemoved,
            TransportError::SecureMessaging(reason) => SessionError::SecureMessaging(reason),
            other => SessionError::Transport(other),
        }
    }
}
