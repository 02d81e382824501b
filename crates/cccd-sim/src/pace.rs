//! The chip side of PACE v2 with ECDH Generic Mapping (ICAO 9303-11 §4.4).
//!
//! [`PaceResponder`] holds the card's passwords (CAN and MRZ information) and the PACEInfos it
//! offers, and answers MSE:Set AT (`00 22 C1 A4`) and the four GENERAL AUTHENTICATE commands.
//! It is an honest peer: it checks the terminal's points and token, and a wrong password makes
//! the terminal's token fail, which it answers with `6300` (never accepting the wrong key). On
//! success it yields the chip's session keys, with SSC zero. It knows nothing of files: the
//! dispatcher routes commands to it and builds the secure channel from the result.
//!
//! The computation steps are `cccd::access::pace::protocol`'s, shared with the reader.

use cccd::access::pace::protocol::{
    self, PaceRandomness, SystemRandomness, authentication_token, tags,
};
use cccd::access::security_infos::{KeyAgreement, Mapping, PaceInfo, PaceProtocol};
use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::{SecretKey, SessionKeys, ct_eq};
use cccd::ec::{Curve, EcPoint};
use cccd::mrz::{BacKey, Can};
use cccd::sm::Ssc;
use cccd::tlv::{Tag, Tlvs};
use std::fmt;

/// The length of the chip's nonce s: one AES block (two 3DES blocks).
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
    curve: Curve,
    k_pi: SecretKey,
}

enum State {
    Idle,
    Selected(Selected),
    NonceSent {
        selected: Selected,
        nonce: zeroize::Zeroizing<Vec<u8>>,
    },
    Mapped {
        selected: Selected,
        generator: EcPoint,
    },
    // Boxed: the two points make this variant much larger than the others.
    Agreed(Box<Agreed>),
}

struct Agreed {
    selected: Selected,
    keys: SessionKeys,
    chip_public: EcPoint,
    terminal_public: EcPoint,
}

/// The chip's PACE state machine; see the module documentation.
pub struct PaceResponder {
    can: Option<Can>,
    mrz: Option<BacKey>,
    supported: Vec<PaceInfo>,
    state: State,
    randomness: Box<dyn PaceRandomness + Send>,
}

impl fmt::Debug for PaceResponder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Idle => "idle",
            State::Selected(_) => "selected",
            State::NonceSent { .. } => "nonce sent",
            State::Mapped { .. } => "mapped",
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
    /// is then refused with `6A88`) offering these PACEInfos (ECDH-GM ones are usable).
    pub fn new(can: Option<Can>, mrz: Option<BacKey>, supported: Vec<PaceInfo>) -> Self {
        Self {
            can,
            mrz,
            supported,
            state: State::Idle,
            randomness: Box::new(SystemRandomness),
        }
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
        if info.protocol.mapping != Mapping::Generic
            || info.protocol.key_agreement != KeyAgreement::Ecdh
        {
            return reply(StatusWord::ReferencedDataNotFound);
        }
        let Ok(curve) = info.curve() else {
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
            curve,
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
            State::Mapped {
                selected,
                generator,
            } if chained => self.agree(command, selected, generator),
            State::Agreed(agreed) if !chained => mutual_authentication(command, *agreed),
            // Out of order, or the chaining bit where it does not belong.
            _ => reply(StatusWord::ConditionsNotSatisfied),
        }
    }

    fn send_nonce(&mut self, command: &Command, selected: Selected) -> PaceOutcome {
        if command.data != protocol::empty_dynamic_data() {
            return reply(StatusWord::IncorrectData);
        }
        let nonce = self.randomness.nonce(NONCE_LEN);
        let Ok(encrypted) =
            protocol::encrypt_nonce(selected.protocol.cipher, &selected.k_pi, &nonce)
        else {
            return reply(StatusWord::NoPreciseDiagnosis);
        };
        self.state = State::NonceSent { selected, nonce };
        data_reply(tags::ENCRYPTED_NONCE, &encrypted)
    }

    fn map(&mut self, command: &Command, selected: Selected, nonce: &[u8]) -> PaceOutcome {
        let curve = selected.curve;
        let Some(terminal_mapping) = terminal_point(command, tags::MAPPING_TERMINAL, curve) else {
            return reply(StatusWord::IncorrectData);
        };
        let secret = self.randomness.private_key(curve);
        let (Ok(public), Ok(generator)) = (
            curve
                .mul_generator(&secret)
                .and_then(|p| p.to_uncompressed()),
            protocol::map_generator(curve, nonce, &secret, &terminal_mapping),
        ) else {
            return reply(StatusWord::IncorrectData);
        };
        self.state = State::Mapped {
            selected,
            generator,
        };
        data_reply(tags::MAPPING_CHIP, &public)
    }

    fn agree(&mut self, command: &Command, selected: Selected, generator: EcPoint) -> PaceOutcome {
        let curve = selected.curve;
        let Some(terminal_public) = terminal_point(command, tags::EPHEMERAL_TERMINAL, curve) else {
            return reply(StatusWord::IncorrectData);
        };
        let secret = self.randomness.private_key(curve);
        let Ok(chip_public) = generator.mul(&secret) else {
            return reply(StatusWord::NoPreciseDiagnosis);
        };
        // ICAO 9303-11 §4.4.3.3.2: the two ephemeral keys must differ.
        if chip_public == terminal_public {
            return reply(StatusWord::IncorrectData);
        }
        let (Ok(keys), Ok(encoded)) = (
            protocol::session_keys(selected.protocol.cipher, &secret, &terminal_public),
            chip_public.to_uncompressed(),
        ) else {
            return reply(StatusWord::IncorrectData);
        };
        self.state = State::Agreed(Box::new(Agreed {
            selected,
            keys,
            chip_public,
            terminal_public,
        }));
        data_reply(tags::EPHEMERAL_CHIP, &encoded)
    }
}

fn mutual_authentication(command: &Command, agreed: Agreed) -> PaceOutcome {
    let Agreed {
        selected,
        keys,
        chip_public,
        terminal_public,
    } = agreed;
    let Ok(token) = protocol::parse_dynamic_data(&command.data, tags::TOKEN_TERMINAL) else {
        return reply(StatusWord::IncorrectData);
    };
    let (Ok(expected), Ok(ours)) = (
        authentication_token(&selected.protocol, &keys, &chip_public),
        authentication_token(&selected.protocol, &keys, &terminal_public),
    ) else {
        return reply(StatusWord::NoPreciseDiagnosis);
    };
    // A wrong password gives the terminal other keys, so its token fails here.
    if !ct_eq(token, &expected) {
        return reply(StatusWord::VerificationFailed);
    }
    PaceOutcome::Established {
        response: Response::new(
            protocol::dynamic_data(tags::TOKEN_CHIP, &ours),
            StatusWord::Ok,
        ),
        keys,
        ssc: Ssc::zero(),
    }
}

/// The terminal's point in `7C { tag point }`, validated on the curve.
fn terminal_point(command: &Command, tag: Tag, curve: Curve) -> Option<EcPoint> {
    let bytes = protocol::parse_dynamic_data(&command.data, tag).ok()?;
    curve.decode_point(bytes).ok()
}

#[cfg(test)]
mod tests;
