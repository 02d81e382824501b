//! RSA verification with a key decoded once, and an exponent-65537 path.
//!
//! The `rsa` crate raises the signature to `e` with a generic windowed exponentiation: about
//! 40 Montgomery operations for e = 65537 (F4), where 16 squarings and one multiplication
//! suffice. [`PreparedRsa`] keeps the decoded key and, for F4 keys, computes `s^e mod n` on the
//! crate's own Montgomery types (`crypto-bigint`'s `BoxedMontyForm`) that way. The padding
//! checks follow RFC 8017: PKCS#1 v1.5 by encoding the expected block and comparing
//! (§8.2.2 step 3-4), PSS by EMSA-PSS-VERIFY (§9.1.2) with the stated salt length. Keys with
//! any other exponent use the `rsa` crate's verification unchanged.

use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, Pkcs1v15Sign, PublicKey};
use spki::SubjectPublicKeyInfoRef as SubjectPublicKeyInfo;

use super::rsa::{PssParameters, modulus_bits, public_key};
use super::{HashAlgorithm, SignatureError};

/// A decoded RSA public key, with whether its exponent is 65537.
#[derive(Debug)]
pub(crate) struct PreparedRsa {
    key: PublicKey,
    f4: bool,
}

/// The DigestInfo prefix of PKCS#1 v1.5 for `hash` (RFC 8017 §9.2 note 1).
fn digest_info_prefix(hash: HashAlgorithm) -> Box<[u8]> {
    use sha2::{Sha224, Sha256, Sha384, Sha512};
    match hash {
        HashAlgorithm::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>().prefix,
        HashAlgorithm::Sha224 => Pkcs1v15Sign::new::<Sha224>().prefix,
        HashAlgorithm::Sha256 => Pkcs1v15Sign::new::<Sha256>().prefix,
        HashAlgorithm::Sha384 => Pkcs1v15Sign::new::<Sha384>().prefix,
        HashAlgorithm::Sha512 => Pkcs1v15Sign::new::<Sha512>().prefix,
    }
}

impl PreparedRsa {
    /// Decode the key of an rsaEncryption or id-RSASSA-PSS SubjectPublicKeyInfo.
    pub(crate) fn new(spki: &SubjectPublicKeyInfo<'_>) -> Result<Self, SignatureError> {
        let key = public_key(spki)?;
        Ok(Self::from_key(key))
    }

    /// Wrap an already decoded key.
    pub fn from_key(key: PublicKey) -> Self {
        let f4 = is_f4(&key);
        Self { key, f4 }
    }

    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        modulus_bits(&self.key)
    }

    /// `s^65537 mod n` as `k` big-endian bytes (`k` the modulus length), after RFC 8017's
    /// length and range checks on `s`.
    fn raw_f4(&self, signature: &[u8]) -> Result<Vec<u8>, SignatureError> {
        let k = self.key.size();
        if signature.len() != k {
            return Err(SignatureError::BadSignatureEncoding);
        }
        let s = BoxedUint::from_be_slice(signature, self.key.n_bits_precision())
            .map_err(|_| SignatureError::Invalid)?;
        if s >= *self.key.n().as_ref() {
            return Err(SignatureError::Invalid);
        }
        let m = pow_f4(&self.key, s);
        let bytes = m.to_be_bytes();
        // m < n < 2^(8k): the bytes beyond the last k are zero padding of the precision.
        Ok(bytes[bytes.len() - k..].to_vec())
    }

    /// RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2).
    pub fn verify_pkcs1v15(
        &self,
        hash: HashAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        if !self.f4 {
            return super::rsa::verify_pkcs1v15_with_key(&self.key, hash, message, signature);
        }
        let em = self.raw_f4(signature)?;
        let k = em.len();
        let prefix = digest_info_prefix(hash);
        let digest = hash.digest(message);
        let t_len = prefix.len() + digest.len();
        if k < t_len + 11 {
            return Err(SignatureError::Invalid);
        }
        let mut expected = Vec::with_capacity(k);
        expected.extend_from_slice(&[0x00, 0x01]);
        expected.resize(k - t_len - 1, 0xFF);
        expected.push(0x00);
        expected.extend_from_slice(&prefix);
        expected.extend_from_slice(&digest);
        if em == expected {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }

    /// RSASSA-PSS verification (RFC 8017 §8.1.2) with the stated salt length.
    pub fn verify_pss(
        &self,
        params: PssParameters,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        if !self.f4 {
            return super::rsa::verify_pss_with_key(&self.key, params, message, signature);
        }
        let m = self.raw_f4(signature)?;
        let em_bits = self.bits() - 1;
        let em_len = em_bits.div_ceil(8);
        // I2OSP(m, emLen): a nonzero octet beyond emLen means m is too large.
        let (high, em) = m.split_at(m.len() - em_len);
        if high.iter().any(|&b| b != 0) {
            return Err(SignatureError::Invalid);
        }
        let digest = params.hash.digest(message);
        if emsa_pss_verify(&digest, em, em_bits, params) {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}

/// Whether the key's public exponent is 65537.
pub(crate) fn is_f4(key: &PublicKey) -> bool {
    let e = key.e_bytes();
    let first = e.iter().position(|&b| b != 0).unwrap_or(e.len());
    e[first..] == [0x01, 0x00, 0x01]
}

/// `s^65537 mod n` (the caller checked `s < n` and that the exponent is 65537): one conversion
/// into Montgomery form, 16 Montgomery squarings and one Montgomery multiplication.
///
/// Two savings over `BoxedMontyForm`'s `square()`/`mul()`/`retrieve()` (1.09x at 2048 bits,
/// 1.04-1.06x at 1024, 1.04x at 3072 and 4096: the cccd-benches example `pow_f4_ab`):
/// - the last multiplication takes `s` itself *as* a Montgomery representation (it is below
///   `n`, the crate's invariant for one): `(s^65536·R)·s·R⁻¹ = s^65537`, so the product's
///   Montgomery representation is already the result and the final reduction out of
///   Montgomery form (`retrieve`) is not needed;
/// - one [`crypto_bigint::MontyMultiplier`] does every operation in place, where each
///   `square()` allocated a new value and a new multiplier.
pub(crate) fn pow_f4(key: &PublicKey, s: BoxedUint) -> BoxedUint {
    use crypto_bigint::modular::BoxedMontyForm;
    use crypto_bigint::{MontyForm, MontyMultiplier};
    let params = key.n_params();
    let mut multiplier = <BoxedMontyForm as MontyForm>::Multiplier::from(params);
    let s_as_montgomery = BoxedMontyForm::from_montgomery(s.clone(), params);
    // s·R mod n.
    let mut acc = BoxedMontyForm::new(s, params);
    for _ in 0..16 {
        multiplier.square_assign(&mut acc);
    }
    // s^65536·R · s · R⁻¹ mod n.
    multiplier.mul_assign(&mut acc, &s_as_montgomery);
    acc.into_montgomery()
}

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with MGF1 over the message hash and a fixed salt length.
fn emsa_pss_verify(m_hash: &[u8], em: &[u8], em_bits: usize, params: PssParameters) -> bool {
    let hash = params.hash;
    let (h_len, s_len, em_len) = (hash.output_len(), params.salt_len, em.len());
    // Step 3.
    if em_len < h_len + s_len + 2 {
        return false;
    }
    // Step 4.
    if em[em_len - 1] != 0xBC {
        return false;
    }
    // Step 5.
    let (masked_db, rest) = em.split_at(em_len - h_len - 1);
    let h = &rest[..h_len];
    // Step 6: the leftmost 8·emLen − emBits bits of maskedDB must be zero.
    let unused_bits = 8 * em_len - em_bits;
    let top_mask = (0xFFu16 << (8 - unused_bits)) as u8;
    if masked_db[0] & top_mask != 0 {
        return false;
    }
    // Steps 7-9.
    let mut db = mgf1(hash, h, masked_db.len());
    for (d, m) in db.iter_mut().zip(masked_db) {
        *d ^= m;
    }
    db[0] &= !top_mask;
    // Step 10.
    let separator = em_len - h_len - s_len - 2;
    if db[..separator].iter().any(|&b| b != 0) || db[separator] != 0x01 {
        return false;
    }
    // Steps 11-14.
    let salt = &db[db.len() - s_len..];
    let mut m_prime = Vec::with_capacity(8 + m_hash.len() + s_len);
    m_prime.extend_from_slice(&[0u8; 8]);
    m_prime.extend_from_slice(m_hash);
    m_prime.extend_from_slice(salt);
    hash.digest(&m_prime) == h
}

/// MGF1 (RFC 8017 §B.2.1): `len` bytes of `Hash(seed || counter)` blocks.
fn mgf1(hash: HashAlgorithm, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + hash.output_len());
    let mut input = Vec::with_capacity(seed.len() + 4);
    let mut counter = 0u32;
    while out.len() < len {
        input.clear();
        input.extend_from_slice(seed);
        input.extend_from_slice(&counter.to_be_bytes());
        out.extend_from_slice(&hash.digest(&input));
        counter += 1;
    }
    out.truncate(len);
    out
}
