//! The P-256 base field for verification: Montgomery arithmetic that uses the shape of
//! `p = 2^256 − 2^224 + 2^192 + 2^96 − 1`.
//!
//! An Active Authentication answer is usually a P-256 signature by a key seen once, so its
//! verification is 256 Jacobian doublings (`ec::variable_base`), each three multiplications
//! and five squarings: these two operations are most of a P-256 dump's time. Generic
//! word-by-word Montgomery code (fiat-crypto's `p256_64`, the `p256` crate) multiplies the
//! reduction factor by every limb of `p` and squares through the general product. Here:
//! - `p ≡ −1 (mod 2^64)`, so the reduction factor of each round is the lowest limb itself;
//!   of `p`'s limbs `2^64 − 1` and `2^32 − 1` become a shift and `0` is skipped, one
//!   multiplication by the top limb remains: 4 multiplications per reduction instead of 16;
//! - squaring computes each cross product once: 10 limb products instead of 16.
//!
//! Elements stay fully reduced below `p`, so equality is equality of limbs. Everything is
//! checked against fiat-crypto's formally verified implementation and the `p256` crate
//! (`p256_field_tests.rs`), on random values and on limb patterns chosen to hit every carry.
//! Only verification uses this type: its inputs are public, so its running time may depend
//! on them (it happens not to: the reductions use masks, not branches).

use std::ops::{Add, Mul, Neg, Sub};

/// `p`, little-endian 64-bit limbs.
const P: [u64; 4] = [
    0xFFFF_FFFF_FFFF_FFFF,
    0x0000_0000_FFFF_FFFF,
    0x0000_0000_0000_0000,
    0xFFFF_FFFF_0000_0001,
];

/// `R² mod p` with `R = 2^256`: multiplying by it enters the Montgomery domain.
const R_SQUARED: [u64; 4] = [
    0x0000_0000_0000_0003,
    0xFFFF_FFFB_FFFF_FFFF,
    0xFFFF_FFFF_FFFF_FFFE,
    0x0000_0004_FFFF_FFFD,
];

/// `p`, big-endian, for range checks on encodings.
pub(crate) const P256_MODULUS: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
];

/// An element of the P-256 field as `a·R mod p`, always below `p`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct P256Element([u64; 4]);

/// `a + b + carry`: the low limb and the carry out (0 or 1 for carry ≤ 1; any carry fits).
#[inline]
fn add_carry(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let sum = u128::from(a) + u128::from(b) + u128::from(carry);
    // The low half is the limb; the high half is the carry.
    #[allow(clippy::cast_possible_truncation)]
    (sum as u64, (sum >> 64) as u64)
}

/// `a − b − borrow` (borrow 0 or 1): the low limb and the borrow out.
#[inline]
fn sub_borrow(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    // Two overflowing subtractions compile to one `sbb`; a 128-bit subtraction did not.
    let (difference, first) = a.overflowing_sub(b);
    let (difference, second) = difference.overflowing_sub(borrow);
    (difference, u64::from(first | second))
}

/// `t + a·b + carry` (never overflows 128 bits): the low limb and the high limb.
#[inline]
fn multiply_add(t: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let sum = u128::from(t) + u128::from(a) * u128::from(b) + u128::from(carry);
    #[allow(clippy::cast_possible_truncation)]
    (sum as u64, (sum >> 64) as u64)
}

/// `value + high·2^256`, known to be below `2p`, reduced below `p`.
#[inline]
fn subtract_p_if_needed(value: [u64; 4], high: u64) -> [u64; 4] {
    let (d0, borrow) = sub_borrow(value[0], P[0], 0);
    let (d1, borrow) = sub_borrow(value[1], P[1], borrow);
    let (d2, borrow) = sub_borrow(value[2], P[2], borrow);
    let (d3, borrow) = sub_borrow(value[3], P[3], borrow);
    let (_, borrow) = sub_borrow(high, 0, borrow);
    // A borrow out of the top means the value was below p: keep it.
    let keep = 0u64.wrapping_sub(borrow);
    [
        (value[0] & keep) | (d0 & !keep),
        (value[1] & keep) | (d1 & !keep),
        (value[2] & keep) | (d2 & !keep),
        (value[3] & keep) | (d3 & !keep),
    ]
}

/// Montgomery reduction `t·R⁻¹ mod p` of a 512-bit `t < p·R`.
///
/// Round `i` adds `u·p·2^(64i)` with `u = t[i]`, which clears limb `i` because
/// `−p⁻¹ ≡ 1 (mod 2^64)`. Limb by limb, `u·p` contributes: `u·(2^64 − 1)` to limb `i`,
/// which with `t[i] = u` is exactly a carry of `u` into limb `i + 1`; `u·(2^32 − 1)` plus that
/// carry to limb `i + 1`, i.e. `u·2^32` split over limbs `i + 1` and `i + 2`; nothing to limb
/// `i + 2` itself; and `u·(2^64 − 2^32 + 1)` to limbs `i + 3` and `i + 4`. The carry out of
/// limb `i + 4` waits for the next round, which adds to that limb's neighbour. After four
/// rounds `t / R = t[4..8] + carry·R`, below `(p·R + R·p) / R = 2p`.
#[inline]
fn reduce(mut t: [u64; 8]) -> [u64; 4] {
    let mut pending = 0u64;
    for i in 0..4 {
        let u = t[i];
        let (x1, carry) = add_carry(t[i + 1], u << 32, 0);
        let (x2, carry) = add_carry(t[i + 2], u >> 32, carry);
        let top = u128::from(u) * u128::from(P[3]);
        #[allow(clippy::cast_possible_truncation)]
        let (top_low, top_high) = (top as u64, (top >> 64) as u64);
        let (x3, carry) = add_carry(t[i + 3], top_low, carry);
        let (x4, carry_a) = add_carry(t[i + 4], top_high, carry);
        let (x4, carry_b) = add_carry(x4, pending, 0);
        t[i + 1] = x1;
        t[i + 2] = x2;
        t[i + 3] = x3;
        t[i + 4] = x4;
        // `top_high ≤ 2^64 − 2`, so limb + top_high + carry + pending < 2^65: at most one of
        // the two carries is set.
        pending = carry_a + carry_b;
    }
    subtract_p_if_needed([t[4], t[5], t[6], t[7]], pending)
}

/// `a·b·R⁻¹ mod p` for `a, b < p`.
#[inline]
fn montgomery_multiply(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let mut t = [0u64; 8];
    for i in 0..4 {
        let mut carry = 0;
        for j in 0..4 {
            (t[i + j], carry) = multiply_add(t[i + j], a[i], b[j], carry);
        }
        t[i + 4] = carry;
    }
    reduce(t)
}

/// `a²·R⁻¹ mod p` for `a < p`: each cross product once, doubled, plus the squares.
#[inline]
fn montgomery_square(a: &[u64; 4]) -> [u64; 4] {
    // Cross products a_i·a_j, i < j, at limb i + j.
    let (t1, carry) = multiply_add(0, a[0], a[1], 0);
    let (t2, carry) = multiply_add(0, a[0], a[2], carry);
    let (t3, t4) = multiply_add(0, a[0], a[3], carry);
    let (t3, carry) = multiply_add(t3, a[1], a[2], 0);
    let (t4, t5) = multiply_add(t4, a[1], a[3], carry);
    let (t5, t6) = multiply_add(t5, a[2], a[3], 0);
    // Doubled: the sum of cross products is below 2^448, so its double fits 7 limbs + 1 bit.
    let t7 = t6 >> 63;
    let t6 = (t6 << 1) | (t5 >> 63);
    let t5 = (t5 << 1) | (t4 >> 63);
    let t4 = (t4 << 1) | (t3 >> 63);
    let t3 = (t3 << 1) | (t2 >> 63);
    let t2 = (t2 << 1) | (t1 >> 63);
    let t1 = t1 << 1;
    // Plus the squares a_i² at limb 2i; the total is a² < 2^512, so no carry leaves limb 7.
    let (t0, carry) = multiply_add(0, a[0], a[0], 0);
    let (t1, carry) = add_carry(t1, carry, 0);
    let (low, high) = multiply_add(0, a[1], a[1], 0);
    let (t2, carry) = add_carry(t2, low, carry);
    let (t3, carry) = add_carry(t3, high, carry);
    let (low, high) = multiply_add(0, a[2], a[2], 0);
    let (t4, carry) = add_carry(t4, low, carry);
    let (t5, carry) = add_carry(t5, high, carry);
    let (low, high) = multiply_add(0, a[3], a[3], 0);
    let (t6, carry) = add_carry(t6, low, carry);
    let (t7, _) = add_carry(t7, high, carry);
    reduce([t0, t1, t2, t3, t4, t5, t6, t7])
}

impl P256Element {
    /// Zero.
    pub(crate) const ZERO: Self = Self([0; 4]);
    /// One: `R mod p`.
    pub(crate) const ONE: Self = Self([
        0x0000_0000_0000_0001,
        0xFFFF_FFFF_0000_0000,
        0xFFFF_FFFF_FFFF_FFFF,
        0x0000_0000_FFFF_FFFE,
    ]);

    /// The element of a big-endian value below `p` (`None` from `p` up).
    pub(crate) fn from_be_bytes(bytes: &[u8; 32]) -> Option<Self> {
        // Big-endian arrays of equal length compare as the numbers they encode.
        if *bytes >= P256_MODULUS {
            return None;
        }
        let mut limbs = [0u64; 4];
        for (limb, chunk) in limbs.iter_mut().zip(bytes.rchunks_exact(8)) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            *limb = u64::from_be_bytes(word);
        }
        Some(Self(montgomery_multiply(&limbs, &R_SQUARED)))
    }

    /// The canonical big-endian encoding, for the tests' comparisons with the curve crates.
    #[cfg(test)]
    pub(crate) fn to_be_bytes(self) -> [u8; 32] {
        // Multiplying by 1 leaves the Montgomery domain.
        let plain = montgomery_multiply(&self.0, &[1, 0, 0, 0]);
        let mut out = [0u8; 32];
        for (chunk, limb) in out.rchunks_exact_mut(8).zip(plain) {
            chunk.copy_from_slice(&limb.to_be_bytes());
        }
        out
    }

    /// `self²`.
    #[inline]
    pub(crate) fn square(self) -> Self {
        Self(montgomery_square(&self.0))
    }

    /// Whether this is zero.
    pub(crate) fn is_zero(self) -> bool {
        self.0 == [0; 4]
    }
}

impl Add for P256Element {
    type Output = Self;
    #[inline]
    fn add(self, rhs: Self) -> Self {
        let (a, b) = (self.0, rhs.0);
        let (r0, carry) = add_carry(a[0], b[0], 0);
        let (r1, carry) = add_carry(a[1], b[1], carry);
        let (r2, carry) = add_carry(a[2], b[2], carry);
        let (r3, carry) = add_carry(a[3], b[3], carry);
        // a + b < 2p.
        Self(subtract_p_if_needed([r0, r1, r2, r3], carry))
    }
}

impl Sub for P256Element {
    type Output = Self;
    #[inline]
    fn sub(self, rhs: Self) -> Self {
        let (a, b) = (self.0, rhs.0);
        let (r0, borrow) = sub_borrow(a[0], b[0], 0);
        let (r1, borrow) = sub_borrow(a[1], b[1], borrow);
        let (r2, borrow) = sub_borrow(a[2], b[2], borrow);
        let (r3, borrow) = sub_borrow(a[3], b[3], borrow);
        // A borrow means a − b wrapped below zero: add p back (the carry out is that wrap).
        let mask = 0u64.wrapping_sub(borrow);
        let (r0, carry) = add_carry(r0, P[0] & mask, 0);
        let (r1, carry) = add_carry(r1, P[1] & mask, carry);
        let (r2, carry) = add_carry(r2, P[2] & mask, carry);
        let (r3, _) = add_carry(r3, P[3] & mask, carry);
        Self([r0, r1, r2, r3])
    }
}

impl Mul for P256Element {
    type Output = Self;
    #[inline]
    fn mul(self, rhs: Self) -> Self {
        Self(montgomery_multiply(&self.0, &rhs.0))
    }
}

impl Neg for P256Element {
    type Output = Self;
    #[inline]
    fn neg(self) -> Self {
        Self::ZERO - self
    }
}

#[cfg(test)]
#[path = "p256_field_tests.rs"]
mod tests;
