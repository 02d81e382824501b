//! ISO/IEC 9796-2 digital signature scheme 1 verification with partial message recovery, as
//! RSA Active Authentication uses it (ICAO 9303-11 §6.1, 9796-2:2010 §8).
//!
//! The message representative is `6A || M1 || H(M1 || M2) || trailer`, where M2 is the
//! challenge (not recovered). The trailer is `BC` for SHA-1 (implicit), or `hh CC` with `hh`
//! the ISO/IEC 10118-3 hash-function identifier of an explicitly named hash.

use rsa::BoxedUint;
use rsa::PublicKey;
use rsa::traits::PublicKeyParts;
use zeroize::Zeroizing;

use super::AaError;
use crate::crypto::HashAlgorithm;
use crate::crypto::ct_eq;

/// Header byte: bits `01` (scheme 1), partial recovery flag, then padding `1010`.
const HEADER_PARTIAL_RECOVERY: u8 = 0x6A;
/// Header byte for total recovery (no non-recoverable part): `4A`. AA always has the challenge
/// as a non-recoverable part, so this header is refused.
const HEADER_TOTAL_RECOVERY: u8 = 0x4A;
/// Implicit trailer: SHA-1.
const TRAILER_IMPLICIT: u8 = 0xBC;
/// Last byte of an explicit two-byte trailer.
const TRAILER_EXPLICIT: u8 = 0xCC;

/// The hash named by an ISO/IEC 10118-3 hash-function identifier in an explicit trailer.
pub(crate) fn hash_for_trailer_id(id: u8) -> Option<HashAlgorithm> {
    match id {
        0x33 => Some(HashAlgorithm::Sha1),
        0x34 => Some(HashAlgorithm::Sha256),
        0x35 => Some(HashAlgorithm::Sha512),
        0x36 => Some(HashAlgorithm::Sha384),
        0x38 => Some(HashAlgorithm::Sha224),
        _ => None,
    }
}

/// The ISO/IEC 10118-3 identifier of `hash` (for the chip side's explicit trailers).
pub fn trailer_id(hash: HashAlgorithm) -> u8 {
    match hash {
        HashAlgorithm::Sha1 => 0x33,
        HashAlgorithm::Sha224 => 0x38,
        HashAlgorithm::Sha256 => 0x34,
        HashAlgorithm::Sha384 => 0x36,
        HashAlgorithm::Sha512 => 0x35,
    }
}

/// Build an RSA public key from DG15's modulus and exponent. AA keys of 1024 bits are common.
pub(crate) fn public_key(modulus: &[u8], exponent: &[u8]) -> Result<PublicKey, AaError> {
    let n = BoxedUint::from_be_slice_vartime(modulus);
    let e = BoxedUint::from_be_slice_vartime(exponent);
    PublicKey::new_with_size_limits(n, e, 1024..=8192).map_err(|e| AaError::UnsupportedKey {
        what: format!("RSA key: {e}"),
    })
}

/// The public RSA operation (RSAVP1) on `signature`, as `k` bytes, with the ISO 9796-2
/// alternative-signature rule applied: if the result does not end in nibble `C`, use `n - J`.
fn open(key: &PublicKey, signature: &[u8]) -> Result<Zeroizing<Vec<u8>>, AaError> {
    let k = key.size();
    if signature.len() != k {
        return Err(AaError::MalformedResponse {
            reason: format!(
                "the RSA signature is {} bytes, the key needs {k}",
                signature.len()
            ),
        });
    }
    let n = key.n().as_ref();
    let s = BoxedUint::from_be_slice(signature, n.bits_precision()).map_err(|_| {
        AaError::MalformedResponse {
            reason: "the RSA signature does not fit the modulus".to_owned(),
        }
    })?;
    if s >= *n {
        return Err(AaError::MalformedResponse {
            reason: "the RSA signature is not smaller than the modulus".to_owned(),
        });
    }
    // e = 65537 (as on most chips): 17 Montgomery operations instead of the crate's
    // generic windowed exponentiation; the same value (see the tests).
    let j = if crate::pki::signature::is_f4(key) {
        crate::pki::signature::pow_f4(key, s)
    } else {
        rsa::hazmat::rsa_encrypt(key, &s).map_err(|_| AaError::MalformedResponse {
            reason: "the RSA public operation failed".to_owned(),
        })?
    };
    let to_bytes = |v: &BoxedUint| -> Zeroizing<Vec<u8>> {
        let raw = v.to_be_bytes();
        let mut out = Zeroizing::new(vec![0u8; k]);
        let skip = raw.len().saturating_sub(k);
        let tail = raw.get(skip..).unwrap_or(&[]);
        let start = k - tail.len();
        if let Some(dst) = out.get_mut(start..) {
            dst.copy_from_slice(tail);
        }
        out
    };
    let bytes = to_bytes(&j);
    if bytes.last().is_some_and(|b| b & 0x0F == 0x0C) {
        return Ok(bytes);
    }
    let alternative = n.wrapping_sub(&j);
    Ok(to_bytes(&alternative))
}

/// Verify an ISO 9796-2 scheme 1 signature over `M1 || challenge`; returns the hash used.
pub(crate) fn verify(
    key: &PublicKey,
    challenge: &[u8],
    signature: &[u8],
) -> Result<HashAlgorithm, AaError> {
    let f = open(key, signature)?;
    let invalid = |reason: &'static str| Err(AaError::Invalid { reason });
    // The header first: a block opened with the wrong key (a cloned chip) is noise, and
    // must be reported as an invalid signature, not as an unknown hash in a random trailer.
    match f.first() {
        Some(&HEADER_PARTIAL_RECOVERY) => {}
        Some(&HEADER_TOTAL_RECOVERY) => {
            return invalid("the signature claims total message recovery; AA needs partial");
        }
        _ => return invalid("the recovered message header is not 6A"),
    }
    let (hash, trailer_len) = match f.as_slice() {
        [.., TRAILER_IMPLICIT] => (HashAlgorithm::Sha1, 1),
        [.., id, TRAILER_EXPLICIT] => match hash_for_trailer_id(*id) {
            Some(h) => (h, 2),
            None => {
                return Err(AaError::UnsupportedAlgorithm {
                    what: format!("ISO 9796-2 trailer hash identifier {id:02X}"),
                });
            }
        },
        _ => return invalid("the recovered message has no ISO 9796-2 trailer (BC or xxCC)"),
    };
    let h_len = hash.output_len();
    let Some(m1_end) = f.len().checked_sub(trailer_len + h_len) else {
        return invalid("the key is too small for the hash");
    };
    let (Some(m1), Some(embedded)) = (f.get(1..m1_end), f.get(m1_end..m1_end + h_len)) else {
        return invalid("the key is too small for the hash");
    };
    let mut message = Zeroizing::new(Vec::with_capacity(m1.len() + challenge.len()));
    message.extend_from_slice(m1);
    message.extend_from_slice(challenge);
    if ct_eq(&hash.digest(&message), embedded) {
        Ok(hash)
    } else {
        invalid("the hash in the signature does not match the recovered message and challenge")
    }
}
