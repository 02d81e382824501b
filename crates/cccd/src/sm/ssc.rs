//! The send sequence counter.

use crate::crypto::Cipher;
use std::fmt;

/// The send sequence counter (SSC) of a secure channel: incremented before every protected
/// command and every protected response, and part of every MAC, so a replayed or reordered
/// message fails verification.
///
/// It is kept as a number and rendered as one cipher block: 8 bytes for 3DES, 16 for AES.
/// BAC starts it at the low 4 bytes of RND.ICC followed by the low 4 bytes of RND.IFD; PACE
/// and Chip Authentication start it at zero.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Ssc(u128);

impl Ssc {
    /// A counter at zero (PACE, Chip Authentication).
    pub const fn zero() -> Self {
        Self(0)
    }

    /// A counter from big-endian bytes (at most 16 are used: the last 16).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let tail = &bytes[bytes.len().saturating_sub(16)..];
        let mut buf = [0u8; 16];
        buf[16 - tail.len()..].copy_from_slice(tail);
        Self(u128::from_be_bytes(buf))
    }

    /// The BAC start value (ICAO 9303-11 §9.8.6.3): the last 4 bytes of RND.ICC followed by
    /// the last 4 bytes of RND.IFD. Inputs shorter than 4 bytes are used whole.
    pub fn for_bac(rnd_icc: &[u8], rnd_ifd: &[u8]) -> Self {
        let low4 = |b: &[u8]| b[b.len().saturating_sub(4)..].to_vec();
        let mut bytes = low4(rnd_icc);
        bytes.extend_from_slice(&low4(rnd_ifd));
        Self::from_bytes(&bytes)
    }

    /// The counter as one block of `cipher` (big-endian, high bits beyond the block dropped).
    pub fn to_bytes(self, cipher: Cipher) -> Vec<u8> {
        let all = self.0.to_be_bytes();
        all[16 - cipher.block_len()..].to_vec()
    }

    /// Increment modulo 2^(8 × block length).
    pub(crate) fn increment(&mut self, cipher: Cipher) {
        self.0 = self.0.wrapping_add(1);
        if cipher.block_len() < 16 {
            self.0 &= (1u128 << (8 * cipher.block_len())) - 1;
        }
    }
}

impl fmt::Debug for Ssc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ssc({:032X})", self.0)
    }
}
