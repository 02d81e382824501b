//! The chip side of PACE v2 (ICAO 9303-11 §4.4): generic and integrated mapping with ECDH
//! or DH, and chip authentication mapping with ECDH.
//!
//! [`PaceResponder`] holds the card's passwords (CAN and MRZ information) and the PACEInfos it
//! offers, and answers MSE:Set AT (`00 22 C1 A4`) and the four GENERAL AUTHENTICATE commands.
//! It is an honest peer: it checks the terminal's points and token, and a wrong password makes
//! the terminal's token fail, which it answers with `6300` (never accepting the wrong key). On
//! success it yields the chip's session keys, with SSC zero. It knows nothing of files: the
//! dispatcher routes commands to it and builds the secure channel from the result.
//!
//! The computation steps are `cccd::access::pace::protocol`'s, shared with the reader.

use cccd::access::pace::cam;
use cccd::access::pace::group::{GroupElement, GroupSecret, PaceGroup};
use cccd::access::pace::integrated;
use cccd::access::pace::protocol::{self, PaceRandomness, SystemRandomness, tags};
use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::{Cipher, SecretKey, SessionKeys, ct_eq};
use cccd::ec::EcScalar;
use cccd::lds::security_infos::{Mapping, PaceInfo, PaceProtocol};
use cccd::mrz::{BacKey, Can};
use cccd::sm::Ssc;
use cccd::tlv::{self, Tag, Tlvs};
use std::fmt;

/// The length of the chip's nonce s for the generic mappings: one AES block (two 3DES
/// blocks). The integrated mapping needs l bits ([`integrated::nonce_len`]).
const NONCE_LEN: usize = 16;

/// The result of one PACE command on the chip.
#[derive(Debug)]
pub enum PaceOutcome {
    /// Answer this and stay where the protocol is (or was reset to, after an error status).
    Reply(Response),
    /// PACE succeeded: send `response` (the chip's token, unprotected), then protect
    /// everything with these keys.
    Established {
        /// `7C { 86 token }`, status 9000.
        response: Response,
        /// The chip's session keys.
        keys: SessionKeys,
        /// The start send sequence counter: zero.
        ssc: Ssc,
    },
}

/// What MSE:Set AT chose.
struct Selected {
    protocol: PaceProtocol,
    group: PaceGroup,
    k_pi: SecretKey,
}

enum State {
    Idle,
    Selected(Selected),
    NonceSent {
        selected: Selected,
        nonce: zeroize::Zeroizing<Vec<u8>>,
    },
    // Boxed, as Agreed: the generator and the secret make it much larger than the others.
    Mapped(Box<Mapped>),
    // Boxed: the two points make this variant much larger than the others.
    Agreed(Box<Agreed>),
}

struct Mapped {
    selected: Selected,
    generator: GroupElement,
    /// PACE-CAM: the chip's mapping secret SK_Map,IC, for the CA data.
    mapping_secret: Option<EcScalar>,
}

struct Agreed {
    selected: Selected,
    keys: SessionKeys,
    chip_public: GroupElement,
    terminal_public: GroupElement,
    mapping_secret: Option<EcScalar>,
}

/// The chip's PACE state machine; see the module documentation.
pub struct PaceResponder {
    can: Option<Can>,
    mrz: Option<BacKey>,
    supported: Vec<PaceInfo>,
    /// The static Chip Authentication private key that PACE-CAM proves possession of.
    chip_authentication_key: Option<EcScalar>,
    state: State,
    randomness: Box<dyn PaceRandomness + Send>,
}

impl fmt::Debug for PaceResponder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Idle => "idle",
            State::Selected(_) => "selected",
            State::NonceSent { .. } => "nonce sent",
            State::Mapped(_) => "mapped",
            State::Agreed(_) => "agreed",
        };
        f.debug_struct("PaceResponder")
            .field("can", &self.can.is_some())
            .field("mrz", &self.mrz.is_some())
            .field("supported", &self.supported)
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

fn reply(sw: StatusWord) -> PaceOutcome {
    PaceOutcome::Reply(Response::new(Vec::new(), sw))
}

fn data_reply(tag: Tag, value: &[u8]) -> PaceOutcome {
    PaceOutcome::Reply(Response::new(
        protocol::dynamic_data(tag, value),
        StatusWord::Ok,
    ))
}

impl PaceResponder {
    /// A responder for a card with these passwords (either may be absent: that password type
    /// is then refused with `6A88`) offering these PACEInfos (every mapping on the
    /// standardized groups `cccd` implements; PACE-CAM also needs
    /// [`Self::with_chip_authentication_key`]).
    pub fn new(can: Option<Can>, mrz: Option<BacKey>, supported: Vec<PaceInfo>) -> Self {
        Self {
            can,
            mrz,
            supported,
            chip_authentication_key: None,
            state: State::Idle,
            randomness: Box::new(SystemRandomness),
        }
    }

    /// The chip's static Chip Authentication private key (the one in EF.CardSecurity and
    /// DG14): without it, PACE-CAM protocols are refused at MSE:Set AT.
    #[must_use]
    pub fn with_chip_authentication_key(mut self, key: EcScalar) -> Self {
        self.chip_authentication_key = Some(key);
        self
    }

    /// Draw nonces and private keys from `randomness` (tests inject fixed values).
    #[must_use]
    pub fn with_randomness(mut self, randomness: impl PaceRandomness + Send + 'static) -> Self {
        self.randomness = Box::new(randomness);
        self
    }

    /// Whether `command` is MSE:Set AT for PACE or GENERAL AUTHENTICATE.
    pub fn handles(command: &Command) -> bool {
        (command.ins == 0x22 && command.p1 == 0xC1 && command.p2 == 0xA4) || command.ins == 0x86
    }

    /// Whether a PACE run is under way (MSE:Set AT accepted, not finished).
    pub fn in_progress(&self) -> bool {
        !matches!(self.state, State::Idle)
    }

    /// Answer one PACE command. Any error status resets the protocol.
    pub fn handle(&mut self, command: &Command) -> PaceOutcome {
        let outcome = match command.ins {
            0x22 => self.set_authentication_template(command),
            0x86 => self.general_authenticate(command),
            _ => reply(StatusWord::InsNotSupported),
        };
        if let PaceOutcome::Reply(response) = &outcome
            && response.sw != StatusWord::Ok
        {
            self.state = State::Idle;
        }
        outcome
    }

    fn set_authentication_template(&mut self, command: &Command) -> PaceOutcome {
        self.state = State::Idle;
        if command.p1 != 0xC1 || command.p2 != 0xA4 {
            return reply(StatusWord::IncorrectP1P2);
        }
        let (mut oid, mut reference, mut parameter_id) = (None, None, None);
        for object in Tlvs::new(&command.data) {
            let Ok(object) = object else {
                return reply(StatusWord::IncorrectData);
            };
            match object.tag().value() {
                0x80 => oid = Some(object.value()),
                0x83 => reference = Some(object.value()),
                0x84 => parameter_id = Some(object.value()),
                _ => {}
            }
        }
        let Some(oid) = oid else {
            return reply(StatusWord::IncorrectData);
        };
        let Some(info) = self.supported.iter().copied().find(|info| {
            info.protocol.oid() == oid
                && match parameter_id {
                    None => true,
                    Some(&[id]) => info.parameter_id == Some(u64::from(id)),
                    Some(_) => false,
                }
        }) else {
            return reply(StatusWord::ReferencedDataNotFound);
        };
        let cam_possible = self
            .chip_authentication_key
            .as_ref()
            .is_some_and(|key| Ok(PaceGroup::Ec(key.curve())) == PaceGroup::of(&info))
            && info.protocol.cipher != Cipher::TripleDes;
        if info.protocol.mapping == Mapping::ChipAuthentication && !cam_possible {
            return reply(StatusWord::ReferencedDataNotFound);
        }
        let Ok(group) = PaceGroup::of(&info) else {
            return reply(StatusWord::ReferencedDataNotFound);
        };
        let secret = match reference {
            Some([0x01]) => self.mrz.as_ref().map(BacKey::pace_secret),
            Some([0x02]) => self.can.as_ref().map(Can::pace_secret),
            _ => None,
        };
        let Some(secret) = secret else {
            return reply(StatusWord::ReferencedDataNotFound);
        };
        self.state = State::Selected(Selected {
            protocol: info.protocol,
            group,
            k_pi: protocol::password_key(&secret, info.protocol.cipher),
        });
        reply(StatusWord::Ok)
    }

    fn general_authenticate(&mut self, command: &Command) -> PaceOutcome {
        if command.p1 != 0 || command.p2 != 0 {
            return reply(StatusWord::IncorrectP1P2);
        }
        let chained = command.cla & 0x10 != 0;
        match std::mem::replace(&mut self.state, State::Idle) {
            State::Selected(selected) if chained => self.send_nonce(command, selected),
            State::NonceSent { selected, nonce } if chained => self.map(command, selected, &nonce),
            State::Mapped(mapped) if chained => {
                let Mapped {
                    selected,
                    generator,
                    mapping_secret,
                } = *mapped;
                self.agree(command, selected, &generator, mapping_secret)
            }
            State::Agreed(agreed) if !chained => {
                mutual_authentication(command, *agreed, self.chip_authentication_key.as_ref())
            }
            // Out of order, or the chaining bit where it does not belong.
            _ => reply(StatusWord::ConditionsNotSatisfied),
        }
    }

    fn send_nonce(&mut self, command: &Command, selected: Selected) -> PaceOutcome {
        if command.data != protocol::empty_dynamic_data() {
            return reply(StatusWord::IncorrectData);
        }
        let len = match selected.protocol.mapping {
            Mapping::Integrated => integrated::nonce_len(selected.protocol.cipher),
            Mapping::Generic | Mapping::ChipAuthentication => NONCE_LEN,
        };
        let nonce = self.randomness.nonce(len);
        let Ok(encrypted) =
            protocol::encrypt_nonce(selected.protocol.cipher, &selected.k_pi, &nonce)
        else {
            return reply(StatusWord::NoPreciseDiagnosis);
        };
        self.state = State::NonceSent { selected, nonce };
        data_reply(tags::ENCRYPTED_NONCE, &encrypted)
    }

    fn map(&mut self, command: &Command, selected: Selected, nonce: &[u8]) -> PaceOutcome {
        let group = selected.group;
        let Ok(mapping_data) = protocol::parse_dynamic_data(&command.data, tags::MAPPING_TERMINAL)
        else {
            return reply(StatusWord::IncorrectData);
        };
        if selected.protocol.mapping == Mapping::Integrated {
            // The terminal's nonce t; the chip answers with an empty template.
            let Ok(generator) = group.map_integrated(selected.protocol.cipher, nonce, mapping_data)
            else {
                return reply(StatusWord::IncorrectData);
            };
            self.state = State::Mapped(Box::new(Mapped {
                selected,
                generator,
                mapping_secret: None,
            }));
            return PaceOutcome::Reply(Response::new(
                protocol::empty_dynamic_data(),
                StatusWord::Ok,
            ));
        }
        let Ok(terminal_mapping) = group.decode(mapping_data) else {
            return reply(StatusWord::IncorrectData);
        };
        let secret = protocol::group_secret(self.randomness.as_mut(), group);
        let (Ok(public), Ok(generator)) = (
            group.generator().exp(&secret).and_then(|p| p.encode()),
            group.map_generic(nonce, &secret, &terminal_mapping),
        ) else {
            return reply(StatusWord::IncorrectData);
        };
        let mapping_secret = match secret {
            GroupSecret::Ec(scalar) if selected.protocol.mapping == Mapping::ChipAuthentication => {
                Some(scalar)
            }
            _ => None,
        };
        self.state = State::Mapped(Box::new(Mapped {
            selected,
            generator,
            mapping_secret,
        }));
        data_reply(tags::MAPPING_CHIP, &public)
    }

    fn agree(
        &mut self,
        command: &Command,
        selected: Selected,
        generator: &GroupElement,
        mapping_secret: Option<EcScalar>,
    ) -> PaceOutcome {
        let group = selected.group;
        let Some(terminal_public) =
            protocol::parse_dynamic_data(&command.data, tags::EPHEMERAL_TERMINAL)
                .ok()
                .and_then(|bytes| group.decode(bytes).ok())
        else {
            return reply(StatusWord::IncorrectData);
        };
        let secret = protocol::group_secret(self.randomness.as_mut(), group);
        let Ok(chip_public) = generator.exp(&secret) else {
            return reply(StatusWord::NoPreciseDiagnosis);
        };
        // ICAO 9303-11 §4.4.1: the two ephemeral keys must differ.
        if chip_public == terminal_public {
            return reply(StatusWord::IncorrectData);
        }
        let (Ok(keys), Ok(encoded)) = (
            protocol::group_session_keys(selected.protocol.cipher, &secret, &terminal_public),
            chip_public.encode(),
        ) else {
            return reply(StatusWord::IncorrectData);
        };
        self.state = State::Agreed(Box::new(Agreed {
            selected,
            keys,
            chip_public,
            terminal_public,
            mapping_secret,
        }));
        data_reply(tags::EPHEMERAL_CHIP, &encoded)
    }
}

fn mutual_authentication(
    command: &Command,
    agreed: Agreed,
    chip_authentication_key: Option<&EcScalar>,
) -> PaceOutcome {
    let Agreed {
        selected,
        keys,
        chip_public,
        terminal_public,
        mapping_secret,
    } = agreed;
    let Ok(token) = protocol::parse_dynamic_data(&command.data, tags::TOKEN_TERMINAL) else {
        return reply(StatusWord::IncorrectData);
    };
    let (Ok(expected), Ok(ours)) = (
        protocol::group_authentication_token(&selected.protocol, &keys, &chip_public),
        protocol::group_authentication_token(&selected.protocol, &keys, &terminal_public),
    ) else {
        return reply(StatusWord::NoPreciseDiagnosis);
    };
    // A wrong password gives the terminal other keys, so its token fails here.
    if !ct_eq(token, &expected) {
        return reply(StatusWord::VerificationFailed);
    }
    let mut data = tlv::encode(tags::TOKEN_CHIP, &ours);
    if let (Some(static_key), Some(mapping_secret)) = (chip_authentication_key, mapping_secret) {
        // PACE-CAM: CA = SK_IC⁻¹ · SK_Map,IC, encrypted under KSenc (§4.4.3.5).
        let Some(encrypted) = cam::chip_authentication_data(static_key, &mapping_secret)
            .ok()
            .and_then(|ca| cam::encrypt_chip_authentication_data(&keys, &ca).ok())
        else {
            return reply(StatusWord::NoPreciseDiagnosis);
        };
        tlv::write(
            tags::ENCRYPTED_CHIP_AUTHENTICATION_DATA,
            &encrypted,
            &mut data,
        );
    }
    PaceOutcome::Established {
        response: Response::new(
            tlv::encode(protocol::DYNAMIC_AUTHENTICATION_DATA, &data),
            StatusWord::Ok,
        ),
        keys,
        ssc: Ssc::zero(),
    }
}

#[cfg(test)]
mod tests;
