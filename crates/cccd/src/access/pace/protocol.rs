//! The steps of PACE that both sides compute (ICAO 9303-11 §4.4,
//! BSI TR-03110-2 §3.2): the password key, the nonce, the mapped generator, the session keys
//! and the authentication tokens; and the dynamic authentication data (tag 7C) encoding.
//!
//! Public so that the chip side (`cccd-sim`) is built from the same, tested, primitives.

use super::dh_groups::DhGroup;
use super::group::{GroupElement, GroupError, GroupSecret, PaceGroup, random_dh_exponent};
use crate::crypto::{self, Cipher, CryptoError, KdfCounter, SecretKey, SessionKeys};
use crate::ec::{Curve, EcError, EcPoint, EcScalar};
use crate::lds::security_infos::PaceProtocol;
use crate::tlv::{self, Tag, Tlv};
use zeroize::Zeroizing;

/// Tag of the dynamic authentication data template.
pub const DYNAMIC_AUTHENTICATION_DATA: Tag = Tag::new(0x7C);
/// Tags inside 7C (ICAO 9303-11 §4.4.4.2): encrypted nonce, mapping data (terminal, chip),
/// ephemeral public keys (terminal, chip), authentication tokens (terminal, chip).
pub mod tags {
    use crate::tlv::Tag;
    /// Encrypted nonce (chip).
    pub const ENCRYPTED_NONCE: Tag = Tag::new(0x80);
    /// Mapping data (terminal).
    pub const MAPPING_TERMINAL: Tag = Tag::new(0x81);
    /// Mapping data (chip).
    pub const MAPPING_CHIP: Tag = Tag::new(0x82);
    /// Ephemeral public key (terminal).
    pub const EPHEMERAL_TERMINAL: Tag = Tag::new(0x83);
    /// Ephemeral public key (chip).
    pub const EPHEMERAL_CHIP: Tag = Tag::new(0x84);
    /// Authentication token (terminal).
    pub const TOKEN_TERMINAL: Tag = Tag::new(0x85);
    /// Authentication token (chip).
    pub const TOKEN_CHIP: Tag = Tag::new(0x86);
    /// Encrypted Chip Authentication Data (chip, PACE-CAM only).
    pub const ENCRYPTED_CHIP_AUTHENTICATION_DATA: Tag = Tag::new(0x8A);
}

/// Where PACE gets its randomness; tests inject fixed values to replay published examples.
pub trait PaceRandomness {
    /// A fresh private key (1..n) on `curve`.
    fn private_key(&mut self, curve: Curve) -> EcScalar;
    /// A fresh nonce of `len` bytes (the chip's s; the terminal's t of the integrated
    /// mapping).
    fn nonce(&mut self, len: usize) -> Zeroizing<Vec<u8>>;
    /// A fresh DH exponent (1..q-1, big-endian) in `group`. The default draws from the
    /// operating system.
    fn dh_private_key(&mut self, group: &DhGroup) -> Zeroizing<Vec<u8>> {
        random_dh_exponent(group, &mut rand::rng())
    }
}

/// A fresh private key of the group's kind.
pub fn group_secret(randomness: &mut dyn PaceRandomness, group: PaceGroup) -> GroupSecret {
    match group {
        PaceGroup::Ec(curve) => GroupSecret::Ec(randomness.private_key(curve)),
        PaceGroup::Dh(dh) => GroupSecret::Dh(randomness.dh_private_key(dh)),
    }
}

/// Randomness from the operating system, through `rand`'s thread-local CSPRNG.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemRandomness;

impl PaceRandomness for SystemRandomness {
    fn private_key(&mut self, curve: Curve) -> EcScalar {
        curve.random_scalar(&mut rand::rng())
    }

    fn nonce(&mut self, len: usize) -> Zeroizing<Vec<u8>> {
        use rand::Rng as _;
        let mut nonce = Zeroizing::new(vec![0u8; len]);
        rand::rng().fill_bytes(&mut nonce);
        nonce
    }
}

/// Kπ = KDF(password secret, 3) for the protocol's cipher.
pub fn password_key(password_secret: &SecretKey, cipher: Cipher) -> SecretKey {
    crypto::kdf(password_secret.as_bytes(), KdfCounter::Pace, cipher)
}

/// z = E(Kπ, s): CBC with a zero IV (the chip's step).
pub fn encrypt_nonce(
    cipher: Cipher,
    k_pi: &SecretKey,
    nonce: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    crypto::encrypt_cbc(cipher, k_pi, &vec![0; cipher.block_len()], nonce)
}

/// s = D(Kπ, z) (the terminal's step).
pub fn decrypt_nonce(
    cipher: Cipher,
    k_pi: &SecretKey,
    encrypted: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    crypto::decrypt_nonce(cipher, k_pi, encrypted).map(Zeroizing::new)
}

/// Generic Mapping: H = own mapping secret · peer's mapping key, G' = s·G + H. Fails if H or
/// G' is the point at infinity.
pub fn map_generator(
    curve: Curve,
    nonce: &[u8],
    mapping_secret: &EcScalar,
    peer_mapping_key: &EcPoint,
) -> Result<EcPoint, EcError> {
    let h = peer_mapping_key.mul(mapping_secret)?;
    if h.is_identity() {
        return Err(EcError::InvalidPoint {
            curve,
            reason: "the mapping produced the point at infinity (H)",
        });
    }
    let s = curve.scalar_from_be_bytes_reduced(nonce)?;
    let mapped = curve.mul_generator(&s)?.add(&h)?;
    if mapped.is_identity() {
        return Err(EcError::InvalidPoint {
            curve,
            reason: "the mapped generator is the point at infinity",
        });
    }
    Ok(mapped)
}

/// The shared secret K = x(own ephemeral secret · peer's ephemeral key) and the session keys
/// KSenc = KDF(K, 1), KSmac = KDF(K, 2).
pub fn session_keys(
    cipher: Cipher,
    ephemeral_secret: &EcScalar,
    peer_ephemeral_key: &EcPoint,
) -> Result<SessionKeys, EcError> {
    let shared = peer_ephemeral_key.mul(ephemeral_secret)?;
    let x = shared.x_coordinate()?;
    Ok(SessionKeys::derive(&x, cipher))
}

/// The public key data object `7F49 { 06 protocol OID, 86 point }` that tokens MAC
/// (ICAO 9303-11 §4.4.3.4, BSI TR-03110-3 D.3.3).
pub fn public_key_data_object(
    protocol: &PaceProtocol,
    point: &EcPoint,
) -> Result<Vec<u8>, EcError> {
    let encoded = point.to_uncompressed()?;
    Ok(tlv::encode_constructed(
        Tag::new(0x7F49),
        [
            &tlv::encode(Tag::new(0x06), &protocol.oid())[..],
            &tlv::encode(Tag::new(0x86), &encoded)[..],
        ],
    ))
}

/// The authentication token over the *peer's* ephemeral public key: `MAC(KSmac, 7F49{...})`,
/// CMAC truncated to 8 bytes for AES, the padded retail MAC for 3DES.
pub fn authentication_token(
    protocol: &PaceProtocol,
    keys: &SessionKeys,
    peer_ephemeral_key: &EcPoint,
) -> Result<[u8; 8], PaceComputationError> {
    let data = public_key_data_object(protocol, peer_ephemeral_key)?;
    token_over(keys, data)
}

/// The authentication token over the peer's ephemeral public key in any PACE group.
pub fn group_authentication_token(
    protocol: &PaceProtocol,
    keys: &SessionKeys,
    peer_ephemeral_key: &GroupElement,
) -> Result<[u8; 8], PaceComputationError> {
    let data = peer_ephemeral_key.public_key_data_object(protocol)?;
    token_over(keys, data)
}

/// KSenc and KSmac from the key agreement of own `secret` with the peer's ephemeral key.
pub fn group_session_keys(
    cipher: Cipher,
    secret: &GroupSecret,
    peer_ephemeral_key: &GroupElement,
) -> Result<SessionKeys, GroupError> {
    let shared = peer_ephemeral_key.shared_secret(secret)?;
    Ok(SessionKeys::derive(&shared, cipher))
}

fn token_over(keys: &SessionKeys, data: Vec<u8>) -> Result<[u8; 8], PaceComputationError> {
    let input = match keys.cipher {
        Cipher::TripleDes => crypto::pad(&data, 8),
        Cipher::Aes128 | Cipher::Aes192 | Cipher::Aes256 => data,
    };
    Ok(crypto::mac(keys.cipher, &keys.mac, &input)?)
}

/// A failure inside a computation step (not a protocol or transport failure).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaceComputationError {
    /// A curve operation failed (an invalid point, the identity).
    #[error(transparent)]
    Ec(#[from] EcError),
    /// A cipher or MAC refused its input.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// A group operation failed.
    #[error(transparent)]
    Group(#[from] GroupError),
}

/// `7C { tag value }`.
pub fn dynamic_data(tag: Tag, value: &[u8]) -> Vec<u8> {
    tlv::encode(DYNAMIC_AUTHENTICATION_DATA, &tlv::encode(tag, value))
}

/// An empty `7C 00` (the first GENERAL AUTHENTICATE).
pub fn empty_dynamic_data() -> Vec<u8> {
    tlv::encode(DYNAMIC_AUTHENTICATION_DATA, &[])
}

/// The value of the object `tag` inside a `7C` template that fills `data` exactly.
pub fn parse_dynamic_data(data: &[u8], tag: Tag) -> Result<&[u8], String> {
    let template =
        Tlv::parse_exact(data, DYNAMIC_AUTHENTICATION_DATA).map_err(|e| e.to_string())?;
    match template.find(tag) {
        Ok(Some(object)) => Ok(object.value()),
        Ok(None) => Err(format!("dynamic authentication data without object {tag}")),
        Err(e) => Err(e.to_string()),
    }
}
