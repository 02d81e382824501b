//! PACE v2 with ECDH Generic Mapping, reader side (ICAO 9303-11 §4.4).
//!
//! [`establish`] runs MSE:Set AT and the four chained GENERAL AUTHENTICATE commands, checks
//! the chip's token in constant time and returns a [`SecureChannel`] with SSC zero. The
//! password is an [`AccessKey`]: the CAN (on Vietnamese cards the last 6 digits of the ID
//! number) or the MRZ information.
//!
//! Pass `&mut transport` to keep the transport after a failure (to fall back to BAC).

pub mod protocol;

use self::protocol::{PaceComputationError, PaceRandomness, SystemRandomness, tags};
use crate::access::security_infos::{KeyAgreement, Mapping, PaceInfo};
use crate::apdu::{Command, Response, StatusWord};
use crate::crypto::ct_eq;
use crate::ec::{Curve, EcError, EcPoint};
use crate::mrz::AccessKey;
use crate::sm::{SecureChannel, Ssc};
use crate::tlv::{self, Tag};
use crate::transport::{Transport, TransportError};
use std::fmt;

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
    mut transport: T,
    password: &AccessKey,
    info: &PaceInfo,
    randomness: &mut dyn PaceRandomness,
) -> Result<SecureChannel<T>, PaceError> {
    let protocol = info.protocol;
    if protocol.mapping != Mapping::Generic || protocol.key_agreement != KeyAgreement::Ecdh {
        return Err(PaceError::Unsupported {
            what: format!(
                "{:?} mapping with {:?} key agreement (only ECDH generic mapping is implemented)",
                protocol.mapping, protocol.key_agreement
            ),
        });
    }
    let curve = info.curve().map_err(|e| PaceError::Unsupported {
        what: e.to_string(),
    })?;
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

    // 2. Generic Mapping: G' = s·G + H.
    let step = PaceStep::Mapping;
    let mapping_secret = randomness.private_key(curve);
    let mapping_public = curve
        .mul_generator(&mapping_secret)
        .map_err(|e| ec(step, &e))?;
    let response = exchange.general_authenticate(
        step,
        &protocol::dynamic_data(tags::MAPPING_TERMINAL, &encoded(step, &mapping_public)?),
        true,
    )?;
    let chip_mapping = decode_point(
        step,
        curve,
        chip_object(step, &response, tags::MAPPING_CHIP)?,
    )?;
    let mapped_generator = protocol::map_generator(curve, &nonce, &mapping_secret, &chip_mapping)
        .map_err(|e| ec(step, &e))?;
    drop((nonce, mapping_secret));

    // 3. Ephemeral key agreement on G'.
    let step = PaceStep::KeyAgreement;
    let ephemeral_secret = randomness.private_key(curve);
    let ephemeral_public = mapped_generator
        .mul(&ephemeral_secret)
        .map_err(|e| ec(step, &e))?;
    let response = exchange.general_authenticate(
        step,
        &protocol::dynamic_data(tags::EPHEMERAL_TERMINAL, &encoded(step, &ephemeral_public)?),
        true,
    )?;
    let chip_ephemeral = decode_point(
        step,
        curve,
        chip_object(step, &response, tags::EPHEMERAL_CHIP)?,
    )?;
    if chip_ephemeral == ephemeral_public {
        return Err(invalid(
            step,
            "the chip echoed the terminal's ephemeral public key",
        ));
    }
    let keys = protocol::session_keys(cipher, &ephemeral_secret, &chip_ephemeral)
        .map_err(|e| ec(step, &e))?;
    drop(ephemeral_secret);

    // 4. Tokens: ours over the chip's key, the chip's over ours.
    let step = PaceStep::MutualAuthentication;
    let token = protocol::authentication_token(&protocol, &keys, &chip_ephemeral)
        .map_err(|e| computation(step, &e))?;
    let response = exchange.general_authenticate(
        step,
        &protocol::dynamic_data(tags::TOKEN_TERMINAL, &token),
        false,
    )?;
    let chip_token = chip_object(step, &response, tags::TOKEN_CHIP)?;
    let expected = protocol::authentication_token(&protocol, &keys, &ephemeral_public)
        .map_err(|e| computation(step, &e))?;
    if !ct_eq(chip_token, &expected) {
        return Err(PaceError::TokenMismatch);
    }
    Ok(SecureChannel::new(transport, keys, Ssc::zero()))
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
        let command = Command::new(cla, 0x86, 0x00, 0x00)
            .with_data(data.to_vec())
            .with_le(256);
        self.send(step, &command)
    }
}

fn invalid(step: PaceStep, reason: impl Into<String>) -> PaceError {
    PaceError::ChipResponseInvalid {
        step,
        reason: reason.into(),
    }
}

fn ec(step: PaceStep, error: &EcError) -> PaceError {
    invalid(step, error.to_string())
}

fn computation(step: PaceStep, error: &PaceComputationError) -> PaceError {
    invalid(step, error.to_string())
}

fn chip_object(step: PaceStep, response: &Response, tag: Tag) -> Result<&[u8], PaceError> {
    protocol::parse_dynamic_data(&response.data, tag).map_err(|reason| invalid(step, reason))
}

fn decode_point(step: PaceStep, curve: Curve, bytes: &[u8]) -> Result<EcPoint, PaceError> {
    curve.decode_point(bytes).map_err(|e| ec(step, &e))
}

fn encoded(step: PaceStep, point: &EcPoint) -> Result<Vec<u8>, PaceError> {
    point.to_uncompressed().map_err(|e| ec(step, &e))
}
