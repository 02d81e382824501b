//! Chip Authentication version 1 (ICAO 9303-11 §6.2, BSI TR-03110-1 §3.4): an ECDH key
//! agreement with the chip's static key from DG14 that replaces the secure messaging keys.
//!
//! Only a chip that holds the private key of DG14's ChipAuthenticationPublicKeyInfo can derive
//! the new keys, so a copied chip (same files, other key) is caught when the first protected
//! response after CA fails its MAC. DG14 is itself covered by EF.SOD, so passive authentication
//! ties the key to the document.
//!
//! Steps, over the current secure channel:
//! 1. the reader makes an ephemeral key pair on the chip key's curve;
//! 2. 3DES: MSE:Set KAT (`00 22 41 A6`, data `91` ephemeral public key, `84` key id);
//!    AES: MSE:Set AT (`00 22 41 A4`, data `80` CA OID, `84` key id), then GENERAL
//!    AUTHENTICATE (`00 86 00 00`, data `7C { 80 ephemeral public key }`);
//! 3. both sides compute K = x(ephemeral secret · chip public key) and derive KSenc, KSmac
//!    with the cipher of the CA protocol; secure messaging restarts with SSC = 0.
//!
//! [`CaPlan::from_dg14`] decides everything that can be decided offline (key, curve, protocol)
//! without consuming the channel, so a reader can fall back when CA is unsupported.

use rand_core::CryptoRng;

use crate::apdu::{Command, StatusWord};
use crate::crypto::{Cipher, SessionKeys};
use crate::ec::{Curve, EcError, EcPoint};
use crate::lds::dg14::Dg14;
use crate::lds::security_infos::{CaProtocol, KeyAgreement, SecurityInfos};
use crate::sm::{SecureChannel, Ssc};
use crate::tlv::{self, Tag};
use crate::transport::{Transport, TransportError};

/// Why Chip Authentication did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CaError {
    /// DG14 has no ChipAuthenticationPublicKeyInfo.
    #[error("DG14 has no chip authentication public key")]
    NoKey,
    /// The key or protocol is one this crate does not run (DH keys, unknown curves).
    #[error("unsupported chip authentication: {what}")]
    Unsupported {
        /// What was found.
        what: String,
    },
    /// The DG14 key does not decode or is not a valid point of its curve.
    #[error("bad chip authentication public key: {reason}")]
    BadKey {
        /// What was wrong.
        reason: String,
    },
    /// The chip answered a CA command with an error status.
    #[error("the chip refused {step}: {sw}")]
    Refused {
        /// Which command.
        step: &'static str,
        /// The status word.
        sw: StatusWord,
    },
    /// The chip's answer is not what the protocol prescribes.
    #[error("malformed chip authentication response: {reason}")]
    MalformedResponse {
        /// What was wrong.
        reason: &'static str,
    },
    /// The APDU exchange or the (old) secure channel failed.
    #[error("chip authentication: {0}")]
    Transport(#[from] TransportError),
}

impl From<EcError> for CaError {
    fn from(e: EcError) -> Self {
        match e {
            EcError::Unsupported { what } => Self::Unsupported { what },
            other => Self::BadKey {
                reason: other.to_string(),
            },
        }
    }
}

/// Everything Chip Authentication needs, decided from DG14 (and EF.CardAccess).
#[derive(Debug, Clone)]
pub struct CaPlan {
    protocol: CaProtocol,
    protocol_oid: Vec<u8>,
    chip_key: EcPoint,
    key_id: Option<u64>,
    protocol_assumed: bool,
}

fn key_id_bytes(id: u64) -> Vec<u8> {
    let bytes = id.to_be_bytes();
    let first = bytes
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(bytes.len() - 1);
    bytes.get(first..).unwrap_or(&[0]).to_vec()
}

/// The ChipAuthenticationInfos of a SecurityInfos (DG14's or EF.CardAccess's), with their
/// protocols' OIDs.
fn ca_infos(infos: &SecurityInfos) -> impl Iterator<Item = (CaProtocol, Vec<u8>, Option<u64>)> {
    infos
        .chip_authentication_infos()
        .map(|i| (i.protocol, i.protocol.oid(), i.key_id))
}

impl CaPlan {
    /// Choose the key (the first ECDH ChipAuthenticationPublicKeyInfo) and the protocol (the
    /// ChipAuthenticationInfo for that key id in DG14, else in EF.CardAccess (as
    /// [`crate::lds::security_infos::SecurityInfos`] parses it); with none, CA v1
    /// with 3DES as ICAO 9303-11 prescribes for chips that list no ChipAuthenticationInfo).
    pub fn from_dg14(dg14: &Dg14, card_access: Option<&SecurityInfos>) -> Result<Self, CaError> {
        let mut saw_key = false;
        let mut unsupported = None;
        for key in dg14.security_infos.chip_authentication_public_keys() {
            saw_key = true;
            if key.key_agreement != KeyAgreement::Ecdh {
                unsupported =
                    Some("chip authentication with a DH key (DH is not implemented)".to_owned());
                continue;
            }
            let chip_key = key.ec_public_key()?;
            let key_id = &key.key_id;
            let matching = |(p, _, id): &(CaProtocol, Vec<u8>, Option<u64>)| {
                p.key_agreement == KeyAgreement::Ecdh && (key_id.is_none() || id == key_id)
            };
            let found = ca_infos(&dg14.security_infos)
                .find(matching)
                .or_else(|| card_access.and_then(|ca| ca_infos(ca).find(matching)));
            let (protocol, protocol_oid, assumed) = if let Some((p, oid, _)) = found {
                (p, oid, false)
            } else {
                let p = CaProtocol {
                    key_agreement: KeyAgreement::Ecdh,
                    cipher: Cipher::TripleDes,
                };
                (p, p.oid(), true)
            };
            return Ok(Self {
                protocol,
                protocol_oid,
                chip_key,
                key_id: *key_id,
                protocol_assumed: assumed,
            });
        }
        match (saw_key, unsupported) {
            (_, Some(what)) => Err(CaError::Unsupported { what }),
            _ => Err(CaError::NoKey),
        }
    }

    /// The protocol that will run.
    pub fn protocol(&self) -> CaProtocol {
        self.protocol
    }

    /// True when no ChipAuthenticationInfo named the protocol and 3DES was assumed.
    pub fn protocol_assumed(&self) -> bool {
        self.protocol_assumed
    }

    /// The curve of the chip's key.
    pub fn curve(&self) -> Curve {
        self.chip_key.curve()
    }

    /// The key id sent to the chip, if DG14 gave one.
    pub fn key_id(&self) -> Option<u64> {
        self.key_id
    }

    /// Run CA over `channel` with the thread RNG; see [`Self::run_with_rng`].
    pub fn run<T: Transport>(
        &self,
        channel: SecureChannel<T>,
    ) -> Result<SecureChannel<T>, CaError> {
        self.run_with_rng(channel, &mut rand::rng())
    }

    /// Run CA over `channel`; on success the channel with the new keys and SSC 0. The chip is
    /// authentic only once a response on the new channel verifies: read a file next.
    pub fn run_with_rng<T: Transport, R: CryptoRng + ?Sized>(
        &self,
        mut channel: SecureChannel<T>,
        rng: &mut R,
    ) -> Result<SecureChannel<T>, CaError> {
        let curve = self.chip_key.curve();
        let (secret, public) = curve.generate_keypair(rng);
        let public = public.to_uncompressed()?;
        let key_id = self.key_id.map(key_id_bytes);
        if self.protocol.cipher == Cipher::TripleDes {
            let mut data = tlv::encode(Tag::new(0x91), &public);
            if let Some(id) = &key_id {
                tlv::write(Tag::new(0x84), id, &mut data);
            }
            let command = Command::new(0x00, 0x22, 0x41, 0xA6).with_data(data);
            expect_ok(&mut channel, &command, "MSE:Set KAT")?;
        } else {
            let mut data = tlv::encode(Tag::new(0x80), &self.protocol_oid);
            if let Some(id) = &key_id {
                tlv::write(Tag::new(0x84), id, &mut data);
            }
            let command = Command::new(0x00, 0x22, 0x41, 0xA4).with_data(data);
            expect_ok(&mut channel, &command, "MSE:Set AT")?;
            let data = tlv::encode(Tag::new(0x7C), &tlv::encode(Tag::new(0x80), &public));
            let command = Command::new(0x00, 0x86, 0x00, 0x00)
                .with_data(data)
                .with_le(256);
            let answer = expect_ok(&mut channel, &command, "GENERAL AUTHENTICATE")?;
            // CA v1 answers an empty dynamic authentication data object.
            if !matches!(answer.as_slice(), [] | [0x7C, 0x00]) {
                return Err(CaError::MalformedResponse {
                    reason: "GENERAL AUTHENTICATE answered data other than an empty 7C",
                });
            }
        }
        let shared = self.chip_key.mul(&secret)?;
        let x = shared.x_coordinate()?;
        let keys = SessionKeys::derive(&x, self.protocol.cipher);
        Ok(SecureChannel::new(channel.into_inner(), keys, Ssc::zero()))
    }
}

fn expect_ok<T: Transport>(
    channel: &mut SecureChannel<T>,
    command: &Command,
    step: &'static str,
) -> Result<Vec<u8>, CaError> {
    let response = channel.transmit(command)?;
    if response.sw == StatusWord::Ok {
        Ok(response.data)
    } else {
        Err(CaError::Refused {
            step,
            sw: response.sw,
        })
    }
}

/// Chip Authentication in one call: plan from DG14 (and EF.CardAccess), then run over
/// `channel`. On success the returned channel carries the new keys; the caller proves the chip
/// genuine by reading a file through it (a cloned chip fails that read's MAC check).
pub fn chip_authenticate<T: Transport>(
    channel: SecureChannel<T>,
    dg14: &Dg14,
    card_access: Option<&SecurityInfos>,
) -> Result<SecureChannel<T>, CaError> {
    CaPlan::from_dg14(dg14, card_access)?.run(channel)
}

#[cfg(test)]
mod tests;
