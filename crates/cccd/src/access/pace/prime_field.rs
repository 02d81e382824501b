//! Arithmetic modulo a public prime p, over `crypto-bigint`'s constant-time Montgomery form:
//! what PACE needs beyond the curve crates (the integrated mapping's point encoding works on
//! the curve's field, and DH works in the multiplicative group mod p).

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, NonZero, Odd};

/// The integers modulo an odd prime p, with its byte length (the length of every encoded
/// element).
#[derive(Clone)]
pub(crate) struct PrimeField {
    params: BoxedMontyParams,
    p: NonZero<BoxedUint>,
    len: usize,
}

/// Why a prime field could not be set up (only for a malformed constant).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotAnOddModulus;

impl PrimeField {
    /// The field of the big-endian odd modulus `p` (leading zero bytes are dropped).
    pub(crate) fn new(p: &[u8]) -> Result<Self, NotAnOddModulus> {
        let zeros = p.iter().take_while(|&&b| b == 0).count();
        let p = &p[zeros..];
        let value = BoxedUint::from_be_slice_vartime(p);
        let odd: Option<Odd<BoxedUint>> = Odd::new(value.clone()).into();
        let nonzero: Option<NonZero<BoxedUint>> = NonZero::new(value).into();
        match (odd, nonzero) {
            (Some(odd), Some(nonzero)) => Ok(Self {
                params: BoxedMontyParams::new_vartime(odd),
                p: nonzero,
                len: p.len(),
            }),
            _ => Err(NotAnOddModulus),
        }
    }

    /// Bytes in an encoded element (the length of p).
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn bits(&self) -> u32 {
        self.p.bits_precision()
    }

    /// p itself.
    pub(crate) fn modulus(&self) -> &BoxedUint {
        self.p.as_ref()
    }

    /// The big-endian integer `bytes` (any length) reduced modulo p.
    pub(crate) fn reduce(&self, bytes: &[u8]) -> BoxedMontyForm {
        let wide_bits = u32::try_from(bytes.len() * 8)
            .unwrap_or(u32::MAX)
            .max(self.bits());
        let wide = BoxedUint::from_be_slice_truncated(bytes, wide_bits);
        let reduced: BoxedUint = wide.rem(&self.p);
        BoxedMontyForm::new(reduced, &self.params)
    }

    /// The integer `value` (below p) as a field element.
    pub(crate) fn element(&self, value: &BoxedUint) -> BoxedMontyForm {
        let reduced: BoxedUint = value.rem(&self.p);
        BoxedMontyForm::new(reduced, &self.params)
    }

    /// The big-endian integer `bytes` if it is below p, else `None` (no silent reduction of a
    /// peer's value).
    pub(crate) fn canonical(&self, bytes: &[u8]) -> Option<BoxedUint> {
        let zeros = bytes.iter().take_while(|&&b| b == 0).count();
        let significant = &bytes[zeros..];
        if significant.len() > self.len {
            return None;
        }
        let value = BoxedUint::from_be_slice_truncated(significant, self.bits());
        let below = value < *self.p.as_ref();
        below.then_some(value)
    }

    /// 1.
    pub(crate) fn one(&self) -> BoxedMontyForm {
        BoxedMontyForm::one(&self.params)
    }

    /// The fixed-length big-endian encoding of an element (FE2OS / I2OS with the length of p).
    pub(crate) fn encode(&self, value: &BoxedMontyForm) -> Vec<u8> {
        self.encode_integer(&value.retrieve())
    }

    /// The fixed-length big-endian encoding of an integer below p.
    pub(crate) fn encode_integer(&self, value: &BoxedUint) -> Vec<u8> {
        let bytes = value.to_be_bytes();
        let start = bytes.len().saturating_sub(self.len);
        let mut out = vec![0u8; self.len - (bytes.len() - start)];
        out.extend_from_slice(&bytes[start..]);
        out
    }
}
