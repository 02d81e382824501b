//! Cryptographic primitives of ICAO 9303: key derivation, 3DES/AES, retail MAC, CMAC, padding.
//!
//! Everything here is a thin, typed layer over RustCrypto crates (`des`, `aes`, `cbc`, `cmac`,
//! `retail-mac`, `sha1`, `sha2`). Keys live in [`SecretKey`], which is zeroized on drop and
//! never printed.
//!
//! Who pads: the MAC functions ([`mac`], [`cmac_full`]) and the CBC functions
//! ([`encrypt_cbc`], [`decrypt_cbc`]) take data that the caller has already padded with
//! [`pad`] (ISO/IEC 9797-1 method 2), as ICAO 9303-11 specifies the padding explicitly for
//! secure messaging and BAC. The one exception is the PACE authentication token with AES,
//! which ICAO MACs without padding: CMAC handles any length itself.

mod hash;

pub use hash::HashAlgorithm;

use aes::cipher::{
    Array, BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt,
    BlockSizeUser, KeyInit, KeyIvInit,
};
use cmac::Mac as _;
use sha1::Digest as _;
use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The block ciphers ICAO 9303 uses for secure messaging and key agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cipher {
    /// Two-key triple DES (EDE, 16-byte key) in CBC mode; retail MAC (BAC, old PACE).
    TripleDes,
    /// AES with a 128-bit key; CMAC.
    Aes128,
    /// AES with a 192-bit key; CMAC.
    Aes192,
    /// AES with a 256-bit key; CMAC.
    Aes256,
}

impl Cipher {
    /// Key length in bytes (16 for two-key 3DES).
    pub const fn key_len(self) -> usize {
        match self {
            Self::TripleDes | Self::Aes128 => 16,
            Self::Aes192 => 24,
            Self::Aes256 => 32,
        }
    }

    /// Block length in bytes: 8 for DES, 16 for AES. Also the SSC length in secure messaging.
    pub const fn block_len(self) -> usize {
        match self {
            Self::TripleDes => 8,
            Self::Aes128 | Self::Aes192 | Self::Aes256 => 16,
        }
    }
}

/// The counter appended to the shared secret in the ICAO KDF (9303-11 §9.7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum KdfCounter {
    /// Encryption key (`00000001`).
    Enc = 1,
    /// MAC key (`00000002`).
    Mac = 2,
    /// PACE password key Kπ (`00000003`).
    Pace = 3,
}

/// A symmetric key (or key seed). Zeroized when dropped; `Debug` shows only its length.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey(Vec<u8>);

impl SecretKey {
    /// Copy key bytes into a new key.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }

    /// The key bytes. Keep the borrow short and do not copy them into unzeroized buffers.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the key has no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<u8>> for SecretKey {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({} bytes, redacted)", self.0.len())
    }
}

/// The pair of session keys of a secure channel, with the cipher they belong to.
/// Both keys are zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionKeys {
    /// The cipher of the channel.
    pub cipher: Cipher,
    /// KSenc.
    pub enc: SecretKey,
    /// KSmac.
    pub mac: SecretKey,
}

impl SessionKeys {
    /// Derive KSenc and KSmac from a shared secret (BAC key seed, PACE or CA shared secret)
    /// with the ICAO KDF.
    pub fn derive(shared_secret: &[u8], cipher: Cipher) -> Self {
        Self {
            cipher,
            enc: kdf(shared_secret, KdfCounter::Enc, cipher),
            mac: kdf(shared_secret, KdfCounter::Mac, cipher),
        }
    }
}

impl fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionKeys({:?}, redacted)", self.cipher)
    }
}

/// Why a cryptographic operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// The key length does not fit the cipher.
    #[error("key of {actual} bytes does not fit {cipher:?} (needs {expected})")]
    KeyLength {
        /// The cipher.
        cipher: Cipher,
        /// The length it needs.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// The IV is not one block long.
    #[error("IV of {actual} bytes; {cipher:?} needs {expected}")]
    IvLength {
        /// The cipher.
        cipher: Cipher,
        /// The block length.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// The data is not a whole number of blocks.
    #[error("{len} bytes is not a multiple of the {block}-byte block")]
    NotBlockAligned {
        /// The data length.
        len: usize,
        /// The block length.
        block: usize,
    },
    /// ISO/IEC 9797-1 method 2 padding is missing or malformed.
    #[error("bad ISO 9797-1 padding")]
    BadPadding,
}

/// ICAO 9303-11 §9.7.1 key derivation: `H(shared_secret || counter)` truncated to the key
/// length, with SHA-1 for 3DES and AES-128 and SHA-256 for AES-192/256. 3DES keys get their DES
/// parity bits adjusted (the low bit of each byte makes the byte's bit count odd).
pub fn kdf(shared_secret: &[u8], counter: KdfCounter, cipher: Cipher) -> SecretKey {
    let counter = (counter as u32).to_be_bytes();
    let mut digest: Vec<u8> = match cipher {
        Cipher::TripleDes | Cipher::Aes128 => {
            let mut h = sha1::Sha1::new();
            h.update(shared_secret);
            h.update(counter);
            h.finalize().to_vec()
        }
        Cipher::Aes192 | Cipher::Aes256 => {
            let mut h = sha2::Sha256::new();
            h.update(shared_secret);
            h.update(counter);
            h.finalize().to_vec()
        }
    };
    digest.truncate(cipher.key_len());
    if cipher == Cipher::TripleDes {
        adjust_des_parity(&mut digest);
    }
    SecretKey(digest)
}

/// Set each byte's lowest bit so the byte has an odd number of one bits (DES key parity).
pub fn adjust_des_parity(key: &mut [u8]) {
    for byte in key {
        let high = *byte & 0xFE;
        *byte = high | u8::from(high.count_ones() % 2 == 0);
    }
}

fn check_key(cipher: Cipher, key: &SecretKey) -> Result<(), CryptoError> {
    if key.len() == cipher.key_len() {
        Ok(())
    } else {
        Err(CryptoError::KeyLength {
            cipher,
            expected: cipher.key_len(),
            actual: key.len(),
        })
    }
}

fn check_aligned(cipher: Cipher, data: &[u8]) -> Result<(), CryptoError> {
    let block = cipher.block_len();
    if data.len().is_multiple_of(block) {
        Ok(())
    } else {
        Err(CryptoError::NotBlockAligned {
            len: data.len(),
            block,
        })
    }
}

fn check_iv(cipher: Cipher, iv: &[u8]) -> Result<(), CryptoError> {
    if iv.len() == cipher.block_len() {
        Ok(())
    } else {
        Err(CryptoError::IvLength {
            cipher,
            expected: cipher.block_len(),
            actual: iv.len(),
        })
    }
}

/// Two-key triple DES (EDE with K1, K2, K1); takes the 16-byte key K1 || K2.
type Tdes = des::TdesEde2;

fn key_error(cipher: Cipher, key: &SecretKey) -> CryptoError {
    CryptoError::KeyLength {
        cipher,
        expected: cipher.key_len(),
        actual: key.len(),
    }
}

fn cbc_encrypt_with<C>(
    cipher: Cipher,
    key: &SecretKey,
    iv: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, CryptoError>
where
    C: BlockCipherEncrypt + KeyInit,
{
    let mut mode = cbc::Encryptor::<C>::new_from_slices(key.as_bytes(), iv)
        .map_err(|_| key_error(cipher, key))?;
    let mut out = data.to_vec();
    let (blocks, _) = Array::slice_as_chunks_mut(&mut out);
    mode.encrypt_blocks(blocks);
    Ok(out)
}

fn cbc_decrypt_with<C>(
    cipher: Cipher,
    key: &SecretKey,
    iv: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, CryptoError>
where
    C: BlockCipherDecrypt + KeyInit,
{
    let mut mode = cbc::Decryptor::<C>::new_from_slices(key.as_bytes(), iv)
        .map_err(|_| key_error(cipher, key))?;
    let mut out = data.to_vec();
    let (blocks, _) = Array::slice_as_chunks_mut(&mut out);
    mode.decrypt_blocks(blocks);
    Ok(out)
}

/// CBC-encrypt `data` (already padded to whole blocks) with `iv`.
pub fn encrypt_cbc(
    cipher: Cipher,
    key: &SecretKey,
    iv: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    check_key(cipher, key)?;
    check_iv(cipher, iv)?;
    check_aligned(cipher, data)?;
    match cipher {
        Cipher::TripleDes => cbc_encrypt_with::<Tdes>(cipher, key, iv, data),
        Cipher::Aes128 => cbc_encrypt_with::<aes::Aes128>(cipher, key, iv, data),
        Cipher::Aes192 => cbc_encrypt_with::<aes::Aes192>(cipher, key, iv, data),
        Cipher::Aes256 => cbc_encrypt_with::<aes::Aes256>(cipher, key, iv, data),
    }
}

/// CBC-decrypt `data` (whole blocks) with `iv`. Padding is left in place; see [`unpad`].
pub fn decrypt_cbc(
    cipher: Cipher,
    key: &SecretKey,
    iv: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    check_key(cipher, key)?;
    check_iv(cipher, iv)?;
    check_aligned(cipher, data)?;
    match cipher {
        Cipher::TripleDes => cbc_decrypt_with::<Tdes>(cipher, key, iv, data),
        Cipher::Aes128 => cbc_decrypt_with::<aes::Aes128>(cipher, key, iv, data),
        Cipher::Aes192 => cbc_decrypt_with::<aes::Aes192>(cipher, key, iv, data),
        Cipher::Aes256 => cbc_decrypt_with::<aes::Aes256>(cipher, key, iv, data),
    }
}

fn ecb_with<C>(
    cipher: Cipher,
    key: &SecretKey,
    data: &[u8],
    encrypt: bool,
) -> Result<Vec<u8>, CryptoError>
where
    C: BlockCipherEncrypt + BlockCipherDecrypt + BlockSizeUser + KeyInit,
{
    let engine = C::new_from_slice(key.as_bytes()).map_err(|_| key_error(cipher, key))?;
    let mut out = data.to_vec();
    let (blocks, _) = Array::slice_as_chunks_mut(&mut out);
    if encrypt {
        engine.encrypt_blocks(blocks);
    } else {
        engine.decrypt_blocks(blocks);
    }
    Ok(out)
}

fn ecb(
    cipher: Cipher,
    key: &SecretKey,
    data: &[u8],
    encrypt: bool,
) -> Result<Vec<u8>, CryptoError> {
    check_key(cipher, key)?;
    check_aligned(cipher, data)?;
    match cipher {
        Cipher::TripleDes => ecb_with::<Tdes>(cipher, key, data, encrypt),
        Cipher::Aes128 => ecb_with::<aes::Aes128>(cipher, key, data, encrypt),
        Cipher::Aes192 => ecb_with::<aes::Aes192>(cipher, key, data, encrypt),
        Cipher::Aes256 => ecb_with::<aes::Aes256>(cipher, key, data, encrypt),
    }
}

/// Encrypt whole blocks independently (ECB). Used for the AES secure-messaging IV
/// (`E(KSenc, SSC)`) and by PACE.
pub fn encrypt_block(cipher: Cipher, key: &SecretKey, data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    ecb(cipher, key, data, true)
}

/// Decrypt whole blocks independently (ECB).
pub fn decrypt_block(cipher: Cipher, key: &SecretKey, data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    ecb(cipher, key, data, false)
}

/// Decrypt the PACE nonce `z` with Kπ (ICAO 9303-11 §4.4.3.3): 3DES in CBC mode with a zero IV,
/// AES in CBC mode with a zero IV (which for one block equals ECB). The nonce is a whole
/// number of blocks.
pub fn decrypt_nonce(
    cipher: Cipher,
    key: &SecretKey,
    encrypted: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    decrypt_cbc(cipher, key, &vec![0; cipher.block_len()], encrypted)
}

/// The 8-byte MAC of ICAO secure messaging and BAC:
/// - 3DES: ISO/IEC 9797-1 MAC algorithm 3 (retail MAC) with single DES and the two key halves.
///   `data` must already be padded (method 2) by the caller; data that is not whole 8-byte
///   blocks is refused ([`CryptoError::NotBlockAligned`]) rather than silently zero-padded.
/// - AES: CMAC, truncated to 8 bytes. For secure messaging the caller pads first (ICAO pads
///   the MAC input for AES too); PACE tokens are MACed unpadded.
pub fn mac(cipher: Cipher, key: &SecretKey, data: &[u8]) -> Result<[u8; 8], CryptoError> {
    check_key(cipher, key)?;
    if cipher == Cipher::TripleDes {
        check_aligned(cipher, data)?;
    }
    let full = mac_full(cipher, key, data)?;
    let mut out = [0u8; 8];
    out.copy_from_slice(full.get(..8).ok_or(CryptoError::BadPadding)?);
    Ok(out)
}

/// The untruncated MAC: 8 bytes for the 3DES retail MAC (whole blocks only, as [`mac`]),
/// 16 bytes of CMAC for AES (any length).
pub fn cmac_full(cipher: Cipher, key: &SecretKey, data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    check_key(cipher, key)?;
    if cipher == Cipher::TripleDes {
        check_aligned(cipher, data)?;
    }
    mac_full(cipher, key, data)
}

fn mac_full(cipher: Cipher, key: &SecretKey, data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let bad = |_| key_error(cipher, key);
    Ok(match cipher {
        Cipher::TripleDes => {
            let mut m =
                <retail_mac::RetailMac<des::Des> as KeyInit>::new_from_slice(key.as_bytes())
                    .map_err(bad)?;
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Cipher::Aes128 => {
            let mut m = <cmac::Cmac<aes::Aes128> as KeyInit>::new_from_slice(key.as_bytes())
                .map_err(bad)?;
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Cipher::Aes192 => {
            let mut m = <cmac::Cmac<aes::Aes192> as KeyInit>::new_from_slice(key.as_bytes())
                .map_err(bad)?;
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Cipher::Aes256 => {
            let mut m = <cmac::Cmac<aes::Aes256> as KeyInit>::new_from_slice(key.as_bytes())
                .map_err(bad)?;
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
    })
}

/// ISO/IEC 9797-1 padding method 2: append `80`, then `00` up to a multiple of `block`.
/// Always adds at least one byte.
pub fn pad(data: &[u8], block: usize) -> Vec<u8> {
    let block = block.max(1);
    let padded_len = (data.len() / block + 1) * block;
    let mut out = Vec::with_capacity(padded_len);
    out.extend_from_slice(data);
    out.push(0x80);
    out.resize(padded_len, 0);
    out
}

/// Remove ISO/IEC 9797-1 method 2 padding: trailing `00` bytes, then one `80`.
pub fn unpad(data: &[u8]) -> Result<&[u8], CryptoError> {
    let end = data
        .iter()
        .rposition(|&b| b != 0)
        .ok_or(CryptoError::BadPadding)?;
    match data.get(end) {
        Some(0x80) => Ok(&data[..end]),
        _ => Err(CryptoError::BadPadding),
    }
}

/// Compare two byte strings in constant time (for equal lengths; the length is not secret).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq as _;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests;
