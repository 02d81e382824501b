//! The virtual chip: an eMRTD file system behind access control and secure messaging, with
//! injectable faults. It answers raw APDUs (for vpcd) and is a [`Transport`](cccd::transport::Transport) in-process
//! (through [`SimTransport`]).
//!
//! What it models, because readers observe it:
//! - SELECT by AID (`A0000002471001`), by file id in the current DF, and the MF files
//!   (EF.CardAccess `011C`, EF.CardSecurity `011D`) from anywhere, with P2 `0C` (no answer) or
//!   `00`/`04` (an FCP template with the file size);
//! - READ BINARY `B0` (15-bit offset, or short EF id in P1) and `B1` (offset in DO'54', answer
//!   in DO'53', for offsets above 32767), short and extended Le, capped at the chip's maximum
//!   and so that a protected answer to a short APDU fits 256 bytes (223 plain bytes under AES,
//!   the 0xDF cards use); `6282` when the file ends before Le bytes, `6B00` for an offset at or
//!   past the end (ISO 7816-4 §11.3.3);
//! - the short-only profile: extended APDUs refused, and said so in the ATR's card
//!   capabilities and in EF.ATR/INFO (`2F01`);
//! - access control: nothing in the eMRTD application is readable until BAC or PACE has set up
//!   secure messaging; after that a plain APDU is refused with `6982` and ends the session;
//! - data groups that need terminal authentication (DG3) answer `6982`;
//! - faults, counted in APDUs: removal, a corrupted response MAC, a wrong status word, a
//!   truncated response, another program's SELECT in between.

mod access;
mod dump;
mod files;
mod keys;
mod read;
mod transport;

pub use access::AccessConfig;
pub use dump::ChipSetupError;
pub use files::{CardFiles, Df};
pub use keys::{ChipKeyError, load_aa, load_ca};
pub use read::{ATR_INFO_FID, card_capabilities, short_only_atr};
pub use transport::SimTransport;

use cccd::apdu::{Command, EXTENDED_LE_MAX, Response, SHORT_LE_MAX, StatusWord};
use cccd::crypto::Cipher;
use cccd::lds::FileId;
use cccd::lds::security_infos::{KeyAgreement, Mapping, PaceProtocol, SecurityInfos};
use cccd::tlv::{self, Tag};

/// Which access protocols the chip offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// Like the CCCD cards seen: PACE-GM brainpoolP256r1 (CAN or MRZ) and BAC.
    #[default]
    Cccd2021,
    /// BAC only (no EF.CardAccess).
    BacOnly,
    /// PACE only: GET CHALLENGE / EXTERNAL AUTHENTICATE are refused.
    PaceOnly,
    /// No access control at all; files read in plain. Only for tests of the file layer.
    Open,
    /// PACE DH generic mapping (RFC 5114 1024-bit group, parameter id 0) and BAC; EF.CardAccess
    /// is rewritten to offer only that.
    PaceDhGm,
    /// PACE ECDH integrated mapping on the card's curve and cipher, and BAC.
    PaceEcdhIm,
    /// PACE DH integrated mapping (parameter id 0) and BAC.
    PaceDhIm,
    /// PACE ECDH chip authentication mapping on the card's curve (AES), with the chip's CA
    /// key, and BAC.
    PaceEcdhCam,
}

impl Profile {
    /// Parse a profile name as the CLI takes it.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "cccd-2021" => Some(Self::Cccd2021),
            "bac-only" => Some(Self::BacOnly),
            "pace-only" => Some(Self::PaceOnly),
            "open" => Some(Self::Open),
            "pace-dh-gm" => Some(Self::PaceDhGm),
            "pace-ecdh-im" => Some(Self::PaceEcdhIm),
            "pace-dh-im" => Some(Self::PaceDhIm),
            "pace-ecdh-cam" => Some(Self::PaceEcdhCam),
            _ => None,
        }
    }

    /// Whether BAC is offered.
    pub fn offers_bac(self) -> bool {
        !matches!(self, Self::PaceOnly | Self::Open)
    }

    /// Whether PACE is offered.
    pub fn offers_pace(self) -> bool {
        !matches!(self, Self::BacOnly | Self::Open)
    }

    /// The PACE mapping and key agreement a profile forces, if any.
    pub fn pace_mapping(self) -> Option<(Mapping, KeyAgreement)> {
        match self {
            Self::PaceDhGm => Some((Mapping::Generic, KeyAgreement::Dh)),
            Self::PaceEcdhIm => Some((Mapping::Integrated, KeyAgreement::Ecdh)),
            Self::PaceDhIm => Some((Mapping::Integrated, KeyAgreement::Dh)),
            Self::PaceEcdhCam => Some((Mapping::ChipAuthentication, KeyAgreement::Ecdh)),
            Self::Cccd2021 | Self::BacOnly | Self::PaceOnly | Self::Open => None,
        }
    }

    /// EF.CardAccess offering only this profile's PACE protocol, built from the card's own
    /// (its curve and cipher are kept for ECDH; DH uses the 1024-bit group, id 0, whose
    /// values fit short APDUs). `None` when the profile forces nothing or the card has no
    /// usable PACEInfo.
    pub fn card_access(self, original: &[u8]) -> Option<Vec<u8>> {
        let (mapping, key_agreement) = self.pace_mapping()?;
        let infos = SecurityInfos::parse(original).ok()?;
        let base = infos.preferred_pace()?;
        let cipher = match (mapping, base.protocol.cipher) {
            (Mapping::ChipAuthentication, Cipher::TripleDes) => Cipher::Aes128,
            (_, cipher) => cipher,
        };
        let parameter_id = match key_agreement {
            KeyAgreement::Dh => 0,
            KeyAgreement::Ecdh => base.parameter_id?,
        };
        let protocol = PaceProtocol {
            mapping,
            key_agreement,
            cipher,
        };
        let info = tlv::encode_constructed(
            Tag::new(0x30),
            [
                &tlv::encode(Tag::new(0x06), &protocol.oid())[..],
                &[0x02, 0x01, 0x02][..],
                &tlv::encode(Tag::new(0x02), &[u8::try_from(parameter_id).ok()?])[..],
            ],
        );
        Some(tlv::encode(Tag::new(0x31), &info))
    }
}

/// Faults to inject, each at a 1-based APDU number counted from power-on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    /// The card leaves the field after answering APDU N.
    pub remove_after: Option<usize>,
    /// The response MAC of APDU N is corrupted (one bit flipped in DO'8E').
    pub corrupt_mac_at: Option<usize>,
    /// APDU N is answered with this status word and no data.
    pub wrong_sw_at: Option<(usize, StatusWord)>,
    /// The response to APDU N loses its last data byte.
    pub truncate_at: Option<usize>,
    /// Just before APDU N, another program's plain SELECT of the eMRTD application reaches
    /// the chip (a shared PC/SC connection without transactions). Inside a secure session the
    /// chip refuses it and ends the session, as ICAO 9303-11 §9.8.8 has it.
    pub foreign_select_before: Option<usize>,
    /// After answering APDU N the card leaves the field and comes back at once, faster than
    /// the reader reports it: the next APDU meets a freshly powered chip with no session.
    pub power_cycle_after: Option<usize>,
}

/// A radio link to model: each APDU takes the latency plus its bytes at the bit rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkModel {
    /// Bits per second (ISO 14443: 106, 212, 424 or 848 kbit/s).
    pub bit_rate: u32,
    /// Fixed cost per APDU (reader turnaround, chip processing).
    pub apdu_latency: std::time::Duration,
}

impl LinkModel {
    /// The time one exchange of `bytes` (command and response) takes on this link.
    pub fn exchange_time(&self, bytes: usize) -> std::time::Duration {
        let bits = bytes as u64 * 8;
        self.apdu_latency
            + std::time::Duration::from_micros(bits * 1_000_000 / u64::from(self.bit_rate.max(1)))
    }
}

/// How the chip behaves: profile, link limits and faults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChipConfig {
    /// Access protocols offered.
    pub profile: Profile,
    /// Whether extended-length APDUs are accepted (`6700` otherwise).
    pub extended_length: bool,
    /// Say that the chip takes short APDUs only, in the ATR's card capabilities and in
    /// EF.ATR/INFO, so readers can learn it before trying (the `short-only` profile, with
    /// `extended_length` off).
    pub advertise_short_only: bool,
    /// The most response data bytes the chip returns for one READ BINARY.
    pub max_read: usize,
    /// Files that need terminal authentication: SELECT works, READ answers `6982`.
    pub eac_protected: Vec<FileId>,
    /// Injected faults.
    pub faults: Faults,
    /// When set, each APDU is slowed down to what this link would take (for demos and the
    /// read-time model; tests leave it off).
    pub link: Option<LinkModel>,
}

impl Default for ChipConfig {
    fn default() -> Self {
        Self {
            profile: Profile::default(),
            extended_length: true,
            advertise_short_only: false,
            max_read: EXTENDED_LE_MAX,
            eac_protected: vec![FileId::Dg(cccd::lds::DataGroup::Dg3)],
            faults: Faults::default(),
            link: None,
        }
    }
}

impl ChipConfig {
    /// The short-only profile: extended APDUs refused, and advertised as such.
    #[must_use]
    pub fn short_only(mut self) -> Self {
        self.extended_length = false;
        self.advertise_short_only = true;
        self
    }
}

/// The elementary file last selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selected {
    /// A file of the dump.
    File(FileId),
    /// EF.ATR/INFO in the master file (short-only profile).
    AtrInfo,
}

/// Counters a test or the read-cost model looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChipStats {
    /// APDUs received since power-on.
    pub apdus: usize,
    /// Command bytes received.
    pub bytes_in: usize,
    /// Response bytes sent (data and status words).
    pub bytes_out: usize,
}

/// The virtual chip.
pub struct VirtualChip {
    config: ChipConfig,
    files: CardFiles,
    access: access::AccessState,
    responders: access::Responders,
    secrets: AccessConfig,
    aa: Option<crate::aa::AaResponder>,
    ca: Option<crate::ca::CaResponder>,
    /// Keys that take over after the current response (chip authentication).
    next_codec: Option<cccd::sm::SmCodec>,
    df: Df,
    ef: Option<Selected>,
    /// The most response data bytes the current command may be answered with: 256 or 65536
    /// plain, less under secure messaging so the protected answer fits.
    response_room: usize,
    stats: ChipStats,
    present: bool,
}

impl std::fmt::Debug for VirtualChip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VirtualChip")
            .field("config", &self.config)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl VirtualChip {
    /// A chip holding `files`, opened by the secrets in `access`, behaving as `config` says.
    pub fn new(mut files: CardFiles, access: AccessConfig, config: ChipConfig) -> Self {
        // A BAC-only chip has no EF.CardAccess (nothing to advertise).
        if config.profile == Profile::BacOnly {
            files.remove(FileId::CardAccess);
        }
        if let Some(card_access) = files
            .get(FileId::CardAccess)
            .and_then(|original| config.profile.card_access(original))
        {
            files.insert(FileId::CardAccess, card_access);
        }
        let responders =
            access::Responders::new(&access, config.profile, files.get(FileId::CardAccess), None);
        Self {
            config,
            files,
            access: access::AccessState::Locked,
            responders,
            secrets: access,
            aa: None,
            ca: None,
            next_codec: None,
            df: Df::Master,
            ef: None,
            response_room: SHORT_LE_MAX,
            stats: ChipStats::default(),
            present: true,
        }
    }

    /// BAC and PACE engines in their initial state, for the current secrets and profile.
    fn fresh_responders(&self) -> access::Responders {
        access::Responders::new(
            &self.secrets,
            self.config.profile,
            self.files.get(FileId::CardAccess),
            self.ca.as_ref().map(crate::ca::CaResponder::secret),
        )
    }

    /// Replace the secrets that open the chip (MRZ key, CAN).
    pub fn set_access(&mut self, access: AccessConfig) {
        self.secrets = access;
        self.responders = self.fresh_responders();
    }

    /// Give the chip its active-authentication key.
    #[must_use]
    pub fn with_active_authentication(mut self, aa: crate::aa::AaResponder) -> Self {
        self.aa = Some(aa);
        self
    }

    /// Give the chip its chip-authentication key.
    #[must_use]
    pub fn with_chip_authentication(mut self, ca: crate::ca::CaResponder) -> Self {
        self.ca = Some(ca);
        // PACE-CAM proves the same key.
        self.responders = self.fresh_responders();
        self
    }

    /// Counters since power-on.
    pub fn stats(&self) -> ChipStats {
        self.stats
    }

    /// The configuration (faults can be changed between runs).
    pub fn config_mut(&mut self) -> &mut ChipConfig {
        &mut self.config
    }

    /// Whether the card is still in the field (false after an injected removal).
    pub fn is_present(&self) -> bool {
        self.present
    }

    /// Power cycle: the field drops and comes back. Sessions and selections are forgotten,
    /// counters restart, and the card is present again.
    pub fn power_cycle(&mut self) {
        self.access = access::AccessState::Locked;
        self.responders = self.fresh_responders();
        self.df = Df::Master;
        self.ef = None;
        self.stats = ChipStats::default();
        self.present = true;
        self.next_codec = None;
    }

    /// Answer one command. Faults apply here.
    pub fn process_command(&mut self, command: &Command) -> Response {
        self.stats.apdus += 1;
        self.stats.bytes_in += command.to_bytes().map_or(0, |b| b.len());
        let n = self.stats.apdus;
        if self.config.faults.foreign_select_before == Some(n) {
            let select = Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(cccd_emrtd_aid().to_vec());
            let _ = self.process_secured(&select);
        }
        self.response_room = if command.is_extended() {
            EXTENDED_LE_MAX
        } else {
            SHORT_LE_MAX
        };
        let mut response =
            if let Some((_, sw)) = self.config.faults.wrong_sw_at.filter(|(at, _)| *at == n) {
                Response::new(Vec::new(), sw)
            } else {
                self.process_secured(command)
            };
        if self.config.faults.corrupt_mac_at == Some(n) {
            corrupt_mac(&mut response);
        }
        if self.config.faults.truncate_at == Some(n) {
            response.data.pop();
        }
        if self.config.faults.remove_after == Some(n) {
            self.present = false;
        }
        self.stats.bytes_out += response.data.len() + 2;
        if self.config.faults.power_cycle_after == Some(n) {
            // Once: the counters restart from zero with the power cycle.
            self.config.faults.power_cycle_after = None;
            self.power_cycle();
        }
        if let Some(link) = self.config.link {
            let bytes = command.to_bytes().map_or(0, |b| b.len()) + response.data.len() + 2;
            std::thread::sleep(link.exchange_time(bytes));
        }
        response
    }

    /// Unwrap secure messaging when a session is up, run the command, wrap the answer.
    fn process_secured(&mut self, command: &Command) -> Response {
        if command.is_extended() && !self.config.extended_length {
            // The chip cannot even parse the command: it answers in the clear and, like many
            // chips after an SM-level error, ends the secure session.
            self.access = access::AccessState::Locked;
            return sw(StatusWord::WrongLength);
        }
        let Some(codec) = self.access.codec_mut() else {
            if command.cla & 0x0C == 0x0C {
                // A protected command with no session (it ended: another program's plain
                // APDU, an SM error): nothing to verify it with.
                return sw(StatusWord::SecurityStatusNotSatisfied);
            }
            return self.process_plain(command);
        };
        if command.cla & 0x0C != 0x0C {
            // A plain command after authentication: refused, and the session ends
            // (ICAO 9303-11 9.8.8).
            self.access = access::AccessState::Locked;
            return sw(StatusWord::SecurityStatusNotSatisfied);
        }
        let plain = match codec.unprotect_command(command) {
            Ok(c) => c,
            Err(e) => {
                // ICAO 9303-11 9.8.8: on an SM error the chip ends the session.
                self.access = access::AccessState::Locked;
                return sw(e.status_word());
            }
        };
        // ISO 7816-4: a short APDU gets at most 256 bytes of response data, SM objects
        // included; the plain answer must leave room for them.
        self.response_room = cccd::sm::max_response_data(codec.cipher(), command.is_extended());
        let answer = self.process_inner(&plain);
        let odd = plain.ins & 1 == 1;
        let Some(codec) = self.access.codec_mut() else {
            return answer;
        };
        let protected = match codec.protect_response(&answer, odd) {
            Ok(r) => r,
            Err(e) => sw(e.status_word()),
        };
        if let Some(next) = self.next_codec.take() {
            self.access = access::AccessState::Secure(next);
        }
        protected
    }

    fn process_plain(&mut self, command: &Command) -> Response {
        match command.ins {
            // Access-control commands run without SM.
            0x84 | 0x82 | 0x22 | 0x86 => self.access_command(command),
            // AA and CA need an access-controlled session.
            0x88 => sw(StatusWord::SecurityStatusNotSatisfied),
            _ => self.process_inner(command),
        }
    }

    fn internal_authenticate(&mut self, command: &Command) -> Response {
        match &self.aa {
            Some(aa) => aa.handle(command),
            None => sw(StatusWord::InsNotSupported),
        }
    }

    fn chip_authentication(&mut self, command: &Command) -> Response {
        let Some(ca) = &mut self.ca else {
            return sw(StatusWord::InsNotSupported);
        };
        if !ca.handles(command) {
            return sw(StatusWord::ConditionsNotSatisfied);
        }
        match ca.handle(command) {
            Some(crate::ca::CaStep::Reply(r)) => r,
            Some(crate::ca::CaStep::Established { response, keys }) => {
                self.next_codec = Some(cccd::sm::SmCodec::new(keys, cccd::sm::Ssc::zero()));
                response
            }
            None => sw(StatusWord::InsNotSupported),
        }
    }

    fn access_command(&mut self, command: &Command) -> Response {
        let (response, session) = self.responders.handle(command);
        if let Some(codec) = session {
            self.access = access::AccessState::Secure(codec);
        }
        response
    }

    /// The file-system commands, after SM was removed (or without SM).
    fn process_inner(&mut self, command: &Command) -> Response {
        match command.ins {
            0xA4 => self.select(command),
            0xB0 | 0xB1 => self.read_binary(command),
            // Under secure messaging: AA and CA.
            0x88 => self.internal_authenticate(command),
            0x22 | 0x86 => self.chip_authentication(command),
            _ => sw(StatusWord::InsNotSupported),
        }
    }

    fn readable(&self, id: FileId) -> Result<(), StatusWord> {
        if self.config.eac_protected.contains(&id) {
            return Err(StatusWord::SecurityStatusNotSatisfied);
        }
        let secured = self.access.codec().is_some() || self.config.profile == Profile::Open;
        if id.in_master_file() || secured {
            Ok(())
        } else {
            Err(StatusWord::SecurityStatusNotSatisfied)
        }
    }

    fn select(&mut self, command: &Command) -> Response {
        let target = match (command.p1, command.data.as_slice()) {
            (0x04, aid) if aid == cccd_emrtd_aid() => {
                self.df = Df::Emrtd;
                self.ef = None;
                return fcp_answer(command, None);
            }
            (0x04, _) => return sw(StatusWord::FileNotFound),
            (0x00, [] | [0x3F, 0x00]) => {
                self.df = Df::Master;
                self.ef = None;
                return fcp_answer(command, None);
            }
            (0x00 | 0x02, [hi, lo]) => u16::from_be_bytes([*hi, *lo]),
            _ => return sw(StatusWord::IncorrectP1P2),
        };
        if target == ATR_INFO_FID && self.config.advertise_short_only {
            self.ef = Some(Selected::AtrInfo);
            let size = self.atr_info().map_or(0, |b| b.len());
            return fcp_answer(command, Some((target, size)));
        }
        match self.files.find(self.df, target) {
            Some(id) => {
                self.ef = Some(Selected::File(id));
                let size = self.files.get(id).map_or(0, <[u8]>::len);
                fcp_answer(command, Some((target, size)))
            }
            None => sw(StatusWord::FileNotFound),
        }
    }
}

fn cccd_emrtd_aid() -> &'static [u8] {
    &crate::vpcd::EMRTD_AID
}

fn sw(s: StatusWord) -> Response {
    Response::new(Vec::new(), s)
}

/// P2 `0C`: no answer data; otherwise an FCP template with the file id and size.
fn fcp_answer(command: &Command, file: Option<(u16, usize)>) -> Response {
    if command.p2 & 0x0C == 0x0C {
        return sw(StatusWord::Ok);
    }
    let mut fcp = Vec::new();
    if let Some((fid, size)) = file {
        let size = u16::try_from(size).unwrap_or(u16::MAX);
        cccd::tlv::write(cccd::tlv::Tag::new(0x80), &size.to_be_bytes(), &mut fcp);
        cccd::tlv::write(cccd::tlv::Tag::new(0x82), &[0x01], &mut fcp);
        cccd::tlv::write(cccd::tlv::Tag::new(0x83), &fid.to_be_bytes(), &mut fcp);
    } else {
        cccd::tlv::write(cccd::tlv::Tag::new(0x82), &[0x38], &mut fcp);
    }
    Response::new(
        cccd::tlv::encode(cccd::tlv::Tag::new(0x62), &fcp),
        StatusWord::Ok,
    )
}

/// Flip one bit of the MAC object (the last 8 bytes of a protected response), or of the last
/// data byte when there is no SM.
fn corrupt_mac(response: &mut Response) {
    if let Some(last) = response.data.last_mut() {
        *last ^= 0x01;
    } else {
        response.data.push(0x8E);
    }
}

impl crate::vpcd::Card for VirtualChip {
    fn atr(&self) -> Vec<u8> {
        if self.config.advertise_short_only {
            short_only_atr()
        } else {
            crate::vpcd::CONTACTLESS_ATR.to_vec()
        }
    }

    fn reset(&mut self) {
        self.power_cycle();
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        if let Ok(c) = Command::parse(apdu) {
            return self.process_command(&c).to_bytes();
        }
        // A malformed APDU still counts: faults are placed by APDU number.
        self.stats.apdus += 1;
        self.stats.bytes_in += apdu.len();
        if self.config.faults.remove_after == Some(self.stats.apdus) {
            self.present = false;
        }
        StatusWord::WrongLength.to_bytes().to_vec()
    }

    fn present(&self) -> bool {
        self.present
    }

    fn apdu_count(&self) -> Option<usize> {
        Some(self.stats.apdus)
    }
}

#[cfg(test)]
mod tests;
