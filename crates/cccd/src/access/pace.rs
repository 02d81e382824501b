//! PACE v2, reader side (ICAO 9303-11 §4.4): generic mapping (ECDH and DH), integrated
//! mapping (ECDH and DH) and chip authentication mapping (ECDH), on the standardized domain
//! parameters this crate implements ([`group::PaceGroup`]).
//!
//! [`establish`] runs MSE:Set AT and the four chained GENERAL AUTHENTICATE commands, checks
//! the chip's token in constant time and returns a [`SecureChannel`] with SSC zero;
//! [`establish_detailed`] also returns the PACE-CAM evidence to check against the chip's
//! static key ([`CamEvidence::verify`]). The
//! password is an [`AccessKey`]: the CAN (on Vietnamese cards the last 6 digits of the ID
//! number) or the MRZ information.
//!
//! Pass `&mut transport` to keep the transport after a failure (to fall back to BAC).

pub mod cam;
pub mod dh_groups;
pub mod group;
pub mod integrated;
mod prime_field;
pub mod protocol;

pub use self::cam::{CamError, CamEvidence};
use self::group::{GroupElement, GroupError, PaceGroup};
use self::protocol::{PaceComputationError, PaceRandomness, SystemRandomness, tags};
use crate::apdu::{Command, EXTENDED_LE_MAX, Response, StatusWord};
use crate::crypto::{Cipher, ct_eq};
use crate::lds::security_infos::{KeyAgreement, Mapping, PaceInfo, PaceProtocol, SecurityInfos};
use crate::mrz::AccessKey;
use crate::sm::{SecureChannel, Ssc};
use crate::tlv::{self, Tag, Tlv};
use crate::transport::{Transport, TransportError};
use std::fmt;

/// The most data a short APDU carries.
const SHORT_LC_MAX: usize = 255;

/// The step of PACE at which something went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaceStep {
    /// MSE:Set AT (choosing protocol and password).
    SetAuthenticationTemplate,
    /// GENERAL AUTHENTICATE 1: the encrypted nonce.
    EncryptedNonce,
    /// GENERAL AUTHENTICATE 2: the mapping.
    Mapping,
    /// GENERAL AUTHENTICATE 3: the ephemeral key agreement.
    KeyAgreement,
    /// GENERAL AUTHENTICATE 4: the authentication tokens.
    MutualAuthentication,
}

impl fmt::Display for PaceStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SetAuthenticationTemplate => "MSE:Set AT",
            Self::EncryptedNonce => "encrypted nonce",
            Self::Mapping => "mapping",
            Self::KeyAgreement => "key agreement",
            Self::MutualAuthentication => "mutual authentication",
        })
    }
}

/// Why PACE failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaceError {
    /// The chip refused the password (6300, 63CX or 6982). The hint says what to check.
    #[error("the chip refused the password ({sw}): {hint}")]
    AccessDenied {
        /// What the user should check.
        hint: String,
        /// The status word the chip answered.
        sw: StatusWord,
    },
    /// A protocol, curve or password type this reader or the chip does not support.
    #[error("PACE not possible: {what}")]
    Unsupported {
        /// What is missing.
        what: String,
    },
    /// The transport failed (card removed, reader error).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The chip answered something that does not fit the protocol.
    #[error("invalid chip response at {step}: {reason}")]
    ChipResponseInvalid {
        /// Where.
        step: PaceStep,
        /// What was wrong.
        reason: String,
    },
    /// The chip's authentication token is wrong: the chip did not derive the same keys, so it
    /// is not the chip that knows the password (or the exchange was tampered with).
    #[error("the chip's authentication token does not verify")]
    TokenMismatch,
}

fn access_denied_hint(password: &AccessKey) -> String {
    match password {
        AccessKey::Can(_) => {
            "wrong CAN: the CAN is the last 6 digits of the 12-digit ID number".to_string()
        }
        AccessKey::Mrz(_) => "wrong MRZ key: check the document number (the last 9 digits of \
                              the ID number), the date of birth and the date of expiry"
            .to_string(),
    }
}

/// The password reference of MSE:Set AT (tag 83): 01 MRZ, 02 CAN.
pub fn password_reference(password: &AccessKey) -> u8 {
    match password {
        AccessKey::Mrz(_) => 0x01,
        AccessKey::Can(_) => 0x02,
    }
}

/// Run PACE with system randomness; see the module documentation.
pub fn establish<T: Transport>(
    transport: T,
    password: &AccessKey,
    info: &PaceInfo,
) -> Result<SecureChannel<T>, PaceError> {
    establish_with(transport, password, info, &mut SystemRandomness)
}

/// Run PACE drawing the terminal's private keys from `randomness` (tests inject fixed keys).
pub fn establish_with<T: Transport>(
    transport: T,
    password: &AccessKey,
    info: &PaceInfo,
    randomness: &mut dyn PaceRandomness,
) -> Result<SecureChannel<T>, PaceError> {
    establish_detailed(transport, password, info, randomness).map(|done| done.channel)
}

/// What a successful PACE run yields: the secure channel, the protocol it ran and, for
/// PACE-CAM, the chip's authentication evidence (to check against its static key).
#[derive(Debug)]
pub struct Established<T: Transport> {
    /// The secure channel, SSC zero.
    pub channel: SecureChannel<T>,
    /// The protocol that ran.
    pub protocol: PaceProtocol,
    /// PACE-CAM only: the chip's mapping key and its decrypted Chip Authentication Data.
    pub chip_authentication: Option<CamEvidence>,
}

/// Whether this crate can run `info` (its protocol and standardized domain parameters).
pub fn is_supported(info: &PaceInfo) -> bool {
    check_supported(info).is_ok()
}

/// Refuse the protocol combinations ICAO does not define (or this crate does not run), by
/// name, before anything is sent.
fn check_supported(info: &PaceInfo) -> Result<PaceGroup, PaceError> {
    let protocol = info.protocol;
    if protocol.mapping == Mapping::ChipAuthentication
        && (protocol.key_agreement != KeyAgreement::Ecdh || protocol.cipher == Cipher::TripleDes)
    {
        return Err(PaceError::Unsupported {
            what: format!(
                "chip authentication mapping with {:?} and {:?} (ICAO defines PACE-CAM for ECDH with AES only)",
                protocol.key_agreement, protocol.cipher
            ),
        });
    }
    let group = PaceGroup::of(info).map_err(|e| PaceError::Unsupported {
        what: e.to_string(),
    })?;
    // The integrated mapping's point encoding needs p = 3 mod 4 (ICAO 9303-11 §4.4.3.3.2):
    // every standardized curve but secp224r1 (id 10).
    if let PaceGroup::Ec(curve) = group
        && protocol.mapping == Mapping::Integrated
        && curve.params().p.last().is_none_or(|b| b & 3 != 3)
    {
        return Err(PaceError::Unsupported {
            what: format!(
                "integrated mapping on {curve} (its point encoding needs p = 3 mod 4; ICAO \
                 defines ECDH-IM for no such curve)"
            ),
        });
    }
    Ok(group)
}

/// Run PACE (any mapping: generic, integrated, chip authentication; ECDH or DH) and return
/// the channel with what the run established.
pub fn establish_detailed<T: Transport>(
    mut transport: T,
    password: &AccessKey,
    info: &PaceInfo,
    randomness: &mut dyn PaceRandomness,
) -> Result<Established<T>, PaceError> {
    let protocol = info.protocol;
    let group = check_supported(info)?;
    let cipher = protocol.cipher;
    let mut exchange = Exchange {
        transport: &mut transport,
        password,
    };

    exchange.set_authentication_template(info)?;

    // 1. The nonce, encrypted with Kπ.
    let step = PaceStep::EncryptedNonce;
    let response = exchange.general_authenticate(step, &protocol::empty_dynamic_data(), true)?;
    let encrypted = chip_object(step, &response, tags::ENCRYPTED_NONCE)?;
    if encrypted.is_empty() || encrypted.len() % cipher.block_len() != 0 {
        return Err(invalid(
            step,
            "the encrypted nonce is not a whole number of blocks",
        ));
    }
    let k_pi = protocol::password_key(&password.pace_secret(), cipher);
    let nonce = protocol::decrypt_nonce(cipher, &k_pi, encrypted)
        .map_err(|e| invalid(step, e.to_string()))?;
    drop(k_pi);

    // 2. The mapping to the ephemeral generator.
    let (mapped_generator, chip_mapping_key) = exchange.map(protocol, group, &nonce, randomness)?;
    drop(nonce);

    // 3. Ephemeral key agreement on the mapped generator.
    let step = PaceStep::KeyAgreement;
    let ephemeral_secret = protocol::group_secret(randomness, group);
    let ephemeral_public = mapped_generator
        .exp(&ephemeral_secret)
        .map_err(|e| group_error(step, &e))?;
    let response = exchange.general_authenticate(
        step,
        &protocol::dynamic_data(
            tags::EPHEMERAL_TERMINAL,
            &ephemeral_public
                .encode()
                .map_err(|e| group_error(step, &e))?,
        ),
        true,
    )?;
    let chip_ephemeral = group
        .decode(chip_object(step, &response, tags::EPHEMERAL_CHIP)?)
        .map_err(|e| group_error(step, &e))?;
    if chip_ephemeral == ephemeral_public {
        return Err(invalid(
            step,
            "the chip echoed the terminal's ephemeral public key",
        ));
    }
    let keys = protocol::group_session_keys(cipher, &ephemeral_secret, &chip_ephemeral)
        .map_err(|e| group_error(step, &e))?;
    drop(ephemeral_secret);

    // 4. Tokens: ours over the chip's key, the chip's over ours.
    let step = PaceStep::MutualAuthentication;
    let token = protocol::group_authentication_token(&protocol, &keys, &chip_ephemeral)
        .map_err(|e| computation(step, &e))?;
    let response = exchange.general_authenticate(
        step,
        &protocol::dynamic_data(tags::TOKEN_TERMINAL, &token),
        false,
    )?;
    let chip_token = chip_object(step, &response, tags::TOKEN_CHIP)?;
    let expected = protocol::group_authentication_token(&protocol, &keys, &ephemeral_public)
        .map_err(|e| computation(step, &e))?;
    if !ct_eq(chip_token, &expected) {
        return Err(PaceError::TokenMismatch);
    }
    let chip_authentication = match chip_mapping_key {
        Some(GroupElement::Ec(mapping_key)) if protocol.mapping == Mapping::ChipAuthentication => {
            let encrypted = chip_object(step, &response, tags::ENCRYPTED_CHIP_AUTHENTICATION_DATA)?;
            let data = cam::decrypt_chip_authentication_data(&keys, encrypted)
                .map_err(|e| invalid(step, e.to_string()))?;
            Some(CamEvidence::new(mapping_key, data))
        }
        _ => None,
    };
    Ok(Established {
        channel: SecureChannel::new(transport, keys, Ssc::zero()),
        protocol,
        chip_authentication,
    })
}

struct Exchange<'a, T: Transport> {
    transport: &'a mut T,
    password: &'a AccessKey,
}

impl<T: Transport> Exchange<'_, T> {
    /// MSE:Set AT: protocol, password reference, and the domain parameter id when given.
    fn set_authentication_template(&mut self, info: &PaceInfo) -> Result<(), PaceError> {
        let mut template = tlv::encode(Tag::new(0x80), &info.protocol.oid());
        tlv::write(
            Tag::new(0x83),
            &[password_reference(self.password)],
            &mut template,
        );
        if let Some(id) = info.parameter_id {
            let id = u8::try_from(id).map_err(|_| PaceError::Unsupported {
                what: format!("PACE domain parameter id {id}"),
            })?;
            tlv::write(Tag::new(0x84), &[id], &mut template);
        }
        self.send(
            PaceStep::SetAuthenticationTemplate,
            &Command::new(0x00, 0x22, 0xC1, 0xA4).with_data(template),
        )?;
        Ok(())
    }
    /// GENERAL AUTHENTICATE 2: the generic mapping (a key agreement on G) or the integrated
    /// mapping (the terminal's nonce t, answered with empty data). Returns the mapped
    /// generator and, for the generic mappings, the chip's mapping key.
    fn map(
        &mut self,
        protocol: PaceProtocol,
        group: PaceGroup,
        nonce: &[u8],
        randomness: &mut dyn PaceRandomness,
    ) -> Result<(GroupElement, Option<GroupElement>), PaceError> {
        let step = PaceStep::Mapping;
        if protocol.mapping == Mapping::Integrated {
            let t = randomness.nonce(integrated::terminal_nonce_len(protocol.cipher));
            let response = self.general_authenticate(
                step,
                &protocol::dynamic_data(tags::MAPPING_TERMINAL, &t),
                true,
            )?;
            check_empty_mapping_response(&response.data)?;
            let mapped = group
                .map_integrated(protocol.cipher, nonce, &t)
                .map_err(|e| group_error(step, &e))?;
            return Ok((mapped, None));
        }
        let secret = protocol::group_secret(randomness, group);
        let public = group
            .generator()
            .exp(&secret)
            .and_then(|p| p.encode())
            .map_err(|e| group_error(step, &e))?;
        let response = self.general_authenticate(
            step,
            &protocol::dynamic_data(tags::MAPPING_TERMINAL, &public),
            true,
        )?;
        let chip_mapping = group
            .decode(chip_object(step, &response, tags::MAPPING_CHIP)?)
            .map_err(|e| group_error(step, &e))?;
        let mapped = group
            .map_generic(nonce, &secret, &chip_mapping)
            .map_err(|e| group_error(step, &e))?;
        Ok((mapped, Some(chip_mapping)))
    }

    fn send(&mut self, step: PaceStep, command: &Command) -> Result<Response, PaceError> {
        let response = self.transport.transmit(command)?;
        match response.sw {
            StatusWord::Ok => Ok(response),
            sw @ (StatusWord::VerificationFailed
            | StatusWord::TriesLeft(_)
            | StatusWord::SecurityStatusNotSatisfied) => Err(PaceError::AccessDenied {
                hint: access_denied_hint(self.password),
                sw,
            }),
            sw @ (StatusWord::ReferencedDataNotFound
            | StatusWord::IncorrectData
            | StatusWord::IncorrectP1P2
            | StatusWord::InsNotSupported
            | StatusWord::ClaNotSupported)
                if step == PaceStep::SetAuthenticationTemplate =>
            {
                Err(PaceError::Unsupported {
                    what: format!("the chip refused this protocol or password type ({sw})"),
                })
            }
            sw => Err(invalid(step, format!("status {sw}"))),
        }
    }

    fn general_authenticate(
        &mut self,
        step: PaceStep,
        data: &[u8],
        chained: bool,
    ) -> Result<Response, PaceError> {
        // Command chaining (CLA bit 0x10) on every GENERAL AUTHENTICATE but the last.
        let cla = if chained { 0x10 } else { 0x00 };
        // A 2048-bit DH value does not fit a short APDU, nor does the chip's answer: once the
        // command is extended, ask for an extended answer too.
        let le = if data.len() > SHORT_LC_MAX {
            EXTENDED_LE_MAX
        } else {
            256
        };
        let command = Command::new(cla, 0x86, 0x00, 0x00)
            .with_data(data.to_vec())
            .with_le(le);
        self.send(step, &command)
    }
}

fn invalid(step: PaceStep, reason: impl Into<String>) -> PaceError {
    PaceError::ChipResponseInvalid {
        step,
        reason: reason.into(),
    }
}

fn computation(step: PaceStep, error: &PaceComputationError) -> PaceError {
    invalid(step, error.to_string())
}

fn group_error(step: PaceStep, error: &GroupError) -> PaceError {
    invalid(step, error.to_string())
}

/// The chip's answer to the integrated mapping carries no data: nothing, `7C 00`, or an empty
/// `82` inside `7C` (ICAO 9303-11 §4.4.5.2.2) are accepted; anything else is refused.
fn check_empty_mapping_response(data: &[u8]) -> Result<(), PaceError> {
    let step = PaceStep::Mapping;
    if data.is_empty() {
        return Ok(());
    }
    let template = Tlv::parse_exact(data, protocol::DYNAMIC_AUTHENTICATION_DATA)
        .map_err(|e| invalid(step, e.to_string()))?;
    for child in template.children() {
        let child = child.map_err(|e| invalid(step, e.to_string()))?;
        if child.tag() != tags::MAPPING_CHIP || !child.value().is_empty() {
            return Err(invalid(
                step,
                "the integrated mapping's response must carry no mapping data",
            ));
        }
    }
    Ok(())
}

fn chip_object(step: PaceStep, response: &Response, tag: Tag) -> Result<&[u8], PaceError> {
    protocol::parse_dynamic_data(&response.data, tag).map_err(|reason| invalid(step, reason))
}

// Which PACE to run is the reader's choice, so it lives with the protocol, not with the file
// model in `lds` (which must not depend on the protocols).
impl SecurityInfos {
    /// The PACEInfo a reader should use: of those whose protocol and domain parameters this
    /// crate implements, the strongest, in this order: ECDH before DH (ICAO recommends the
    /// curves, and they are faster); then chip authentication mapping (it also proves the
    /// chip genuine, saving the separate CA), generic mapping, integrated mapping; then the
    /// longer cipher key (AES-256, -192, -128, 3DES); then the larger group. Ties keep file
    /// order.
    pub fn preferred_pace(&self) -> Option<&PaceInfo> {
        let rank = |info: &PaceInfo| {
            let key_agreement = match info.protocol.key_agreement {
                KeyAgreement::Ecdh => 1,
                KeyAgreement::Dh => 0,
            };
            let mapping = match info.protocol.mapping {
                Mapping::ChipAuthentication => 2,
                Mapping::Generic => 1,
                Mapping::Integrated => 0,
            };
            let size = crate::access::pace::group::PaceGroup::of(info)
                .map(|group| group.prime().len())
                .unwrap_or_default();
            (key_agreement, mapping, info.protocol.cipher.key_len(), size)
        };
        let mut best: Option<&PaceInfo> = None;
        for info in self
            .pace_infos()
            .filter(|info| crate::access::pace::is_supported(info))
        {
            if best.is_none_or(|b| rank(info) > rank(b)) {
                best = Some(info);
            }
        }
        best
    }
}
