//! PACE with Chip Authentication Mapping (ICAO 9303-11 §4.4.3.5; BSI TR-03110-2 §3.4.2):
//! the chip proves its static key pair during PACE. It sends CA = SK_IC⁻¹ · SK_Map,IC mod n,
//! encrypted with KSenc (AES-CBC, IV = E(KSenc, 1…1), ISO 9797-1 padding method 2); the
//! terminal decrypts it and checks PK_Map,IC = CA · PK_IC with the static public key PK_IC
//! from EF.CardSecurity (or DG14), whose signature passive authentication then proves.

use crate::crypto::{self, Cipher, CryptoError, SessionKeys};
use crate::ec::{EcError, EcPoint, EcScalar};
use std::fmt;
use zeroize::Zeroizing;

/// Why the chip authentication data was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CamError {
    /// PACE-CAM is defined with AES only.
    #[error("chip authentication mapping needs AES, not {0:?}")]
    NotAes(Cipher),
    /// The data did not decrypt (length, padding).
    #[error("chip authentication data: {0}")]
    Crypto(#[from] CryptoError),
    /// The decrypted value is not a scalar in 1..n-1, or the curves differ.
    #[error("chip authentication data: {0}")]
    Ec(#[from] EcError),
    /// CA · PK_IC is not the chip's mapping key: the chip does not hold the private key of
    /// the static key it was checked against.
    #[error("the chip's authentication data does not match its static public key")]
    KeyMismatch,
}

fn iv(keys: &SessionKeys) -> Result<Vec<u8>, CamError> {
    if keys.cipher == Cipher::TripleDes {
        return Err(CamError::NotAes(keys.cipher));
    }
    Ok(crypto::encrypt_block(keys.cipher, &keys.enc, &[0xFF; 16])?)
}

/// A_IC = E(KSenc, CA_IC) with the IV and padding of §4.4.3.5 (the chip's step).
pub fn encrypt_chip_authentication_data(
    keys: &SessionKeys,
    chip_authentication_data: &[u8],
) -> Result<Vec<u8>, CamError> {
    let iv = iv(keys)?;
    let padded = Zeroizing::new(crypto::pad(chip_authentication_data, 16));
    Ok(crypto::encrypt_cbc(keys.cipher, &keys.enc, &iv, &padded)?)
}

/// CA_IC = D(KSenc, A_IC), padding removed (the terminal's step).
pub fn decrypt_chip_authentication_data(
    keys: &SessionKeys,
    encrypted: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CamError> {
    let iv = iv(keys)?;
    let plain = Zeroizing::new(crypto::decrypt_cbc(keys.cipher, &keys.enc, &iv, encrypted)?);
    Ok(Zeroizing::new(crypto::unpad(&plain)?.to_vec()))
}

/// CA_IC = SK_IC⁻¹ · SK_Map,IC mod n, encoded as long as n (FE2OS; the chip's step).
pub fn chip_authentication_data(
    static_secret: &EcScalar,
    mapping_secret: &EcScalar,
) -> Result<Zeroizing<Vec<u8>>, EcError> {
    let inverse = static_secret.invert().ok_or(EcError::InvalidScalar {
        curve: static_secret.curve(),
        reason: "zero",
    })?;
    Ok(inverse.mul(mapping_secret)?.to_be_bytes())
}

/// What PACE-CAM gave the terminal: the chip's mapping public key and the decrypted Chip
/// Authentication Data. Checking it needs the chip's static public key.
#[derive(Clone, PartialEq, Eq)]
pub struct CamEvidence {
    mapping_key: EcPoint,
    data: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for CamEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CamEvidence")
            .field("mapping_key", &self.mapping_key)
            .finish_non_exhaustive()
    }
}

impl CamEvidence {
    /// The evidence of one run.
    pub fn new(mapping_key: EcPoint, chip_authentication_data: Zeroizing<Vec<u8>>) -> Self {
        Self {
            mapping_key,
            data: chip_authentication_data,
        }
    }

    /// The chip's mapping public key PK_Map,IC.
    pub fn mapping_key(&self) -> &EcPoint {
        &self.mapping_key
    }

    /// The decrypted Chip Authentication Data CA_IC.
    pub fn chip_authentication_data(&self) -> &[u8] {
        &self.data
    }

    /// Check PK_Map,IC = CA_IC · PK_IC (§4.4.3.5.2) against the chip's static public key.
    pub fn verify(&self, chip_public_key: &EcPoint) -> Result<(), CamError> {
        let curve = chip_public_key.curve();
        if self.data.len() != curve.scalar_size() {
            return Err(CamError::Ec(EcError::InvalidScalar {
                curve,
                reason: "not as long as the group order",
            }));
        }
        let ca = curve.scalar_from_be_bytes(&self.data)?;
        if chip_public_key.mul(&ca)? == self.mapping_key {
            Ok(())
        } else {
            Err(CamError::KeyMismatch)
        }
    }
}
