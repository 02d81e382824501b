//! PACE Integrated Mapping (ICAO 9303-11 §4.4.3.3.2, Appendix B; BSI TR-03110-2 §3.4.2):
//! the pseudo-random function R_p(s, t) and the maps from GF(p) into the group, f_G for ECDH
//! (the point encoding of Brier, Coron, Icart, Madore, Randriam and Tibouchi) and f_g for DH.
//!
//! Both sides compute the mapped generator from the chip's nonce s and the terminal's nonce t
//! alone, so the mapping costs no key agreement (and no extra point exchanged).

use super::prime_field::PrimeField;
use crate::crypto::{self, Cipher, CryptoError, SecretKey};
use crate::ec::{Curve, EcError, EcPoint};
use crypto_bigint::BoxedUint;
use zeroize::Zeroizing;

/// c0 and c1 for 3DES and AES-128 (l = 128).
const C0_128: [u8; 16] = hex16("a668892a7c41e3ca739f40b057d85904");
const C1_128: [u8; 16] = hex16("a4e136ac725f738b01c1f60217c188ad");
/// c0 and c1 for AES-192 and AES-256 (l = 256).
const C0_256: [u8; 32] = hex32("d463d65234124ef7897054986dca0a174e28df758cbaa03f240616414d5a1676");
const C1_256: [u8; 32] = hex32("54bd7255f0aaf831bec3423fcf39d69b6cbf066677d0faae5aadd99df8e53517");

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("bad hex digit in a constant"),
    }
}

const fn hex16(s: &str) -> [u8; 16] {
    let b = s.as_bytes();
    let mut out = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}

const fn hex32(s: &str) -> [u8; 32] {
    let b = s.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}

/// Why the integrated mapping could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IntegratedMappingError {
    /// A nonce of the wrong length for the cipher (s must be l bits, t k bits).
    #[error("the {which} nonce has {actual} bytes, {cipher:?} needs {expected}")]
    NonceLength {
        /// "chip" (s) or "terminal" (t).
        which: &'static str,
        /// The cipher.
        cipher: Cipher,
        /// The length it needs.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// The block cipher refused its input.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// The point encoding is defined for p ≡ 3 (mod 4) only (so not for secp224r1).
    #[error("the integrated mapping's point encoding is not defined on {0} (p is not 3 mod 4)")]
    CurveNotSupported(Curve),
    /// The mapped value is degenerate (a zero denominator, the identity, or ĝ = 1); with
    /// honest random nonces this does not happen.
    #[error("the integrated mapping produced a degenerate generator: {0}")]
    Degenerate(&'static str),
    /// The encoded point was refused by the curve (never for a correct encoding).
    #[error(transparent)]
    Ec(#[from] EcError),
}

/// l in bytes: the PRF's block output length (and the length of the chip's nonce s).
pub fn nonce_len(cipher: Cipher) -> usize {
    match cipher {
        Cipher::TripleDes | Cipher::Aes128 => 16,
        Cipher::Aes192 | Cipher::Aes256 => 32,
    }
}

/// k in bytes: the length of the terminal's nonce t ("in case of DES, k is 128 bits").
pub fn terminal_nonce_len(cipher: Cipher) -> usize {
    cipher.key_len()
}

/// E(key, data): CBC with a zero IV, the key truncated to the cipher's key size.
fn encrypt(cipher: Cipher, key: &[u8], data: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let key = SecretKey::from_bytes(key.get(..cipher.key_len()).unwrap_or(key));
    crypto::encrypt_cbc(cipher, &key, &vec![0; cipher.block_len()], data).map(Zeroizing::new)
}

/// R(s, t) = x1 || ... || xn (ICAO 9303-11 Figure 2): k0 = E(t, s), then xi = E(k(i-1), c1)
/// and ki = E(k(i-1), c0), with n the smallest number such that n·l ≥ log2 p + 64.
pub fn pseudo_random(
    cipher: Cipher,
    s: &[u8],
    t: &[u8],
    prime_bits: usize,
) -> Result<Zeroizing<Vec<u8>>, IntegratedMappingError> {
    let l = nonce_len(cipher);
    if s.len() != l {
        return Err(IntegratedMappingError::NonceLength {
            which: "chip",
            cipher,
            expected: l,
            actual: s.len(),
        });
    }
    let k = terminal_nonce_len(cipher);
    if t.len() != k {
        return Err(IntegratedMappingError::NonceLength {
            which: "terminal",
            cipher,
            expected: k,
            actual: t.len(),
        });
    }
    let (c0, c1): (&[u8], &[u8]) = if l == 16 {
        (&C0_128, &C1_128)
    } else {
        (&C0_256, &C1_256)
    };
    let blocks = (prime_bits + 64).div_ceil(l * 8);
    let mut output = Zeroizing::new(Vec::with_capacity(blocks * l));
    let mut key = encrypt(cipher, t, s)?;
    for _ in 0..blocks {
        output.extend_from_slice(&encrypt(cipher, &key, c1)?);
        key = encrypt(cipher, &key, c0)?;
    }
    Ok(output)
}

/// The bit length of a big-endian integer.
pub(crate) fn bit_length(bytes: &[u8]) -> usize {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    match bytes.get(zeros) {
        None => 0,
        Some(first) => (bytes.len() - zeros - 1) * 8 + (8 - first.leading_zeros() as usize),
    }
}

/// R_p(s, t) = int(R(s, t)) mod p, as a fixed-length big-endian field element.
pub fn pseudo_random_mod_p(
    cipher: Cipher,
    s: &[u8],
    t: &[u8],
    p: &[u8],
) -> Result<Zeroizing<Vec<u8>>, IntegratedMappingError> {
    let field = PrimeField::new(p).map_err(|_| IntegratedMappingError::Degenerate("modulus"))?;
    let raw = pseudo_random(cipher, s, t, bit_length(p))?;
    Ok(Zeroizing::new(field.encode(&field.reduce(&raw))))
}

/// f_G: the point encoding of ICAO 9303-11 Appendix B.2 (affine coordinates), for a field
/// element `t` (big-endian, reduced mod p). All standardized curves have cofactor 1, so no
/// cofactor multiplication follows. The result is checked to lie on the curve.
#[allow(
    clippy::many_single_char_names,
    reason = "the names of ICAO 9303-11 Appendix B"
)]
pub fn encode_point(curve: Curve, t: &[u8]) -> Result<EcPoint, IntegratedMappingError> {
    let params = curve.params();
    if params.p.last().is_none_or(|b| b & 3 != 3) {
        return Err(IntegratedMappingError::CurveNotSupported(curve));
    }
    let field =
        PrimeField::new(params.p).map_err(|_| IntegratedMappingError::CurveNotSupported(curve))?;
    let degenerate = IntegratedMappingError::Degenerate;
    let a = field.reduce(params.a);
    let b = field.reduce(params.b);
    let t = field.reduce(t);
    let one = field.one();
    // 1. α = -t² mod p
    let alpha = -(&t * &t);
    // 2. X2 = -b·a⁻¹·(1 + (α + α²)⁻¹) mod p
    let alpha_sum_inverse =
        Option::from((&alpha + &(&alpha * &alpha)).invert()).ok_or(degenerate("α + α² is zero"))?;
    let a_inverse = Option::from(a.invert()).ok_or(degenerate("a is zero"))?;
    let x2 = -(&b * &a_inverse * &(&one + &alpha_sum_inverse));
    // 3. X3 = α·X2 mod p
    let x3 = &alpha * &x2;
    // 4. h2 = X2³ + a·X2 + b mod p
    let h2 = &(&(&x2 * &x2) * &x2) + &(&(&a * &x2) + &b);
    // 6. U = t³·h2 mod p (step 5, h3, is not needed by steps 8 and 9)
    let u = &(&(&t * &t) * &t) * &h2;
    // 7. A = h2^(p - 1 - (p + 1)/4) mod p
    let p = field.modulus();
    let one_int = BoxedUint::one_with_precision(p.bits_precision());
    let quarter = p.wrapping_add(&one_int).shr(2);
    let exponent = p.wrapping_sub(&one_int).wrapping_sub(&quarter);
    let big_a = h2.pow(&exponent);
    // 8./9. (X2, A·h2) if A²·h2 = 1, else (X3, A·U).
    let (x, y) = if &(&big_a * &big_a) * &h2 == one {
        (x2, &big_a * &h2)
    } else {
        (x3, &big_a * &u)
    };
    let mut encoded = vec![0x04];
    let width = curve.field_size();
    for coordinate in [field.encode(&x), field.encode(&y)] {
        encoded.extend(std::iter::repeat_n(
            0,
            width.saturating_sub(coordinate.len()),
        ));
        encoded.extend_from_slice(&coordinate);
    }
    Ok(curve.decode_point(&encoded)?)
}

/// The ECDH integrated mapping: Ĝ = f_G(R_p(s, t)).
pub fn map_generator_ecdh(
    curve: Curve,
    cipher: Cipher,
    s: &[u8],
    t: &[u8],
) -> Result<EcPoint, IntegratedMappingError> {
    let field_element = pseudo_random_mod_p(cipher, s, t, curve.params().p)?;
    encode_point(curve, &field_element)
}
