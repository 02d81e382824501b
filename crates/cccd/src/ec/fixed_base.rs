//! Fixed-base ECDSA verification: precomputed signed-window tables for a point that is used
//! many times (a curve's generator G, a document signer's public key Q).
//!
//! ECDSA verification computes `R = u1·G + u2·Q` and accepts when `x(R) mod n == r`. With a
//! table holding `d · 2^(w·i) · P` for every window position `i` and digit `d` in
//! `1..=2^(w-1)`, a scalar recoded into signed `w`-bit digits needs no doubling at all: `R` is
//! a sum of one table entry (or its negation) per window, added to a Jacobian accumulator
//! with mixed (Jacobian + affine) additions. The final comparison is made in Jacobian
//! coordinates, `X == r·Z²` (or `(r + n)·Z²` when `r + n < p`), so no field inversion runs.
//!
//! Everything here is variable-time. That is sound because every input of a signature
//! verification (key, message digest, signature) is public.
//!
//! The additions handle their exceptional cases explicitly: adding to the point at
//! infinity, adding a point to itself (a doubling) and adding a point to its negation
//! (the result is the point at infinity).

use elliptic_curve::ff::PrimeField;
use elliptic_curve::group::Group;
use elliptic_curve::point::AffineCoordinates;
use elliptic_curve::{BatchNormalize, FieldBytes, Scalar};
use primeorder::{AffinePoint, PrimeCurveParams, ProjectivePoint};

use super::field::{self, CurveField};

/// Window width of a document signer key's table (`Q`): 2^5 entries per window, about
/// 195 KiB on brainpoolP384r1, built in a few milliseconds.
pub const SIGNER_WINDOW: u32 = 6;
/// Window width of a curve generator's table (`G`): built once per process and curve.
pub const GENERATOR_WINDOW: u32 = 8;

/// The curve's coefficient `a`, with `a = −3` singled out: its doubling is cheaper.
#[derive(Clone, Copy)]
pub(crate) enum CoefficientA<F> {
    /// `a = −3` (P-256, P-384).
    MinusThree,
    /// Any other `a` (the brainpool curves).
    Other(F),
}

impl<F: field::JacobianField> CoefficientA<F> {
    /// Classify `a` once per verification, not per doubling.
    pub(crate) fn new(a: F) -> Self {
        if (a + F::ONE.double() + F::ONE).is_zero() {
            Self::MinusThree
        } else {
            Self::Other(a)
        }
    }
}

/// A point with `Z = 0` meaning the point at infinity; otherwise `x = X/Z²`, `y = Y/Z³`.
#[derive(Clone, Copy)]
pub(crate) struct Jacobian<F> {
    pub(crate) x: F,
    pub(crate) y: F,
    pub(crate) z: F,
}

impl<F: field::JacobianField> Jacobian<F> {
    pub(crate) const fn infinity() -> Self {
        Self {
            x: F::ONE,
            y: F::ONE,
            z: F::ZERO,
        }
    }

    pub(crate) fn is_infinity(&self) -> bool {
        self.z.is_zero()
    }

    /// `2·self`. A point with `Y = 0` doubles to `Z = 0`, the point at infinity.
    pub(crate) fn double(&self, a: &CoefficientA<F>) -> Self {
        match a {
            CoefficientA::MinusThree => self.double_a_minus_3(),
            CoefficientA::Other(a) => self.double_any_a(a),
        }
    }

    /// dbl-2007-bl (1M + 8S + 1·a), any `a`: the brainpool curves.
    fn double_any_a(&self, a: &F) -> Self {
        let xx = self.x.square();
        let yy = self.y.square();
        let yyyy = yy.square();
        let zz = self.z.square();
        let s = ((self.x + yy).square() - xx - yyyy).double();
        let m = xx.double() + xx + *a * zz.square();
        let x3 = m.square() - s.double();
        let y3 = m * (s - x3) - yyyy.double().double().double();
        let z3 = (self.y + self.z).square() - yy - zz;
        Self {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// dbl-2001-b (3M + 5S), for `a = −3` (P-256, P-384): `3·X² + a·Z⁴` factors as
    /// `3·(X − Z²)·(X + Z²)`, two squarings and a multiplication by `a` fewer than the
    /// general formula, and doubling is most of a variable-base multiplication.
    fn double_a_minus_3(&self) -> Self {
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x * gamma;
        let t = (self.x - delta) * (self.x + delta);
        let alpha = t.double() + t;
        let beta4 = beta.double().double();
        let x3 = alpha.square() - beta4.double();
        let z3 = (self.y + self.z).square() - gamma - delta;
        let y3 = alpha * (beta4 - x3) - gamma.square().double().double().double();
        Self {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `self + (x2, y2)` for an affine point, with the doubling and inverse cases handled.
    pub(crate) fn add_affine(&mut self, x2: &F, y2: &F, a: &CoefficientA<F>) {
        if self.is_infinity() {
            *self = Self {
                x: *x2,
                y: *y2,
                z: F::ONE,
            };
            return;
        }
        let z1z1 = self.z.square();
        let u2 = *x2 * z1z1;
        let s2 = *y2 * self.z * z1z1;
        // Z2 = 1: U1 = X1, S1 = Y1, and the sum's Z is Z1·H.
        self.finish_sum(self.x, self.y, u2 - self.x, s2 - self.y, self.z, a);
    }

    /// `self + other` for two Jacobian points (add-1998-cmo-2, with `other`'s `Z²` and `Z³`
    /// computed once for all the additions of a table entry), with the infinity, doubling and
    /// inverse cases handled. `negate` adds `-other` instead.
    pub(crate) fn add_cached(
        &mut self,
        other: &CachedJacobian<F>,
        negate: bool,
        a: &CoefficientA<F>,
    ) {
        let point = &other.point;
        if point.is_infinity() {
            return;
        }
        let y2 = if negate { -point.y } else { point.y };
        if self.is_infinity() {
            *self = Self {
                x: point.x,
                y: y2,
                z: point.z,
            };
            return;
        }
        let z1z1 = self.z.square();
        let u1 = self.x * other.zz;
        let u2 = point.x * z1z1;
        let s1 = self.y * other.zzz;
        let s2 = y2 * self.z * z1z1;
        self.finish_sum(u1, s1, u2 - u1, s2 - s1, self.z * point.z, a);
    }

    /// The common end of both additions, from `U1`, `S1`, `H = U2 − U1`, `R = S2 − S1` and
    /// the product of the operands' Z. `H = 0` means equal x: the same point, which the
    /// formula cannot add (it divides by zero), doubles; its negation sums to infinity.
    #[inline]
    fn finish_sum(&mut self, u1: F, s1: F, h: F, r: F, z_product: F, a: &CoefficientA<F>) {
        if h.is_zero() {
            *self = if r.is_zero() {
                self.double(a)
            } else {
                Self::infinity()
            };
            return;
        }
        let hh = h.square();
        let hhh = h * hh;
        let v = u1 * hh;
        let x3 = r.square() - hhh - v.double();
        let y3 = r * (v - x3) - s1 * hhh;
        *self = Self {
            x: x3,
            y: y3,
            z: z_product * h,
        };
    }
}

/// A Jacobian point with its `Z²` and `Z³`.
#[derive(Clone, Copy)]
pub(crate) struct CachedJacobian<F> {
    point: Jacobian<F>,
    zz: F,
    zzz: F,
}

impl<F: field::JacobianField> CachedJacobian<F> {
    /// Compute `Z²` and `Z³` once for a point that will be added many times.
    pub(crate) fn new(point: Jacobian<F>) -> Self {
        let zz = point.z.square();
        Self {
            point,
            zz,
            zzz: zz * point.z,
        }
    }
}

/// `d · 2^(w·i) · P` for every window `i` and digit `d` in `1..=2^(w-1)`, affine.
pub struct FixedBaseTable<C: CurveField> {
    window: u32,
    windows: usize,
    /// Row-major: window `i`, digit `d` at `i · 2^(w-1) + (d - 1)`.
    entries: Vec<(C::Element, C::Element)>,
}

impl<C: CurveField> std::fmt::Debug for FixedBaseTable<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FixedBaseTable")
            .field("window", &self.window)
            .field("windows", &self.windows)
            .field("bytes", &self.size_bytes())
            .finish_non_exhaustive()
    }
}

/// Signed digits needed for a scalar of the curve with `w`-bit windows: one more window than
/// the scalar's byte length strictly needs, for the final carry of the signed recoding.
fn window_count<C: PrimeCurveParams>(window: u32) -> usize {
    let bits = 8 * FieldBytes::<C>::default().len();
    bits.div_ceil(window as usize) + 1
}

/// A big-endian scalar as little-endian 64-bit limbs, with one zero limb more so a window
/// that runs past the top reads zeros ([`ScalarBits::window`]).
pub(crate) struct ScalarBits(Vec<u64>);

impl ScalarBits {
    /// The limbs of a big-endian scalar of any length (the curves' 20 to 66 bytes).
    pub(crate) fn new(bytes: &[u8]) -> Self {
        let mut limbs: Vec<u64> = bytes
            .rchunks(8)
            .map(|chunk| {
                let mut word = [0u8; 8];
                word[8 - chunk.len()..].copy_from_slice(chunk);
                u64::from_be_bytes(word)
            })
            .collect();
        limbs.push(0);
        Self(limbs)
    }

    /// `width` bits (at most 32) starting at bit `start` (bit 0 the least significant);
    /// bits past the end read as zero.
    pub(crate) fn window(&self, start: usize, width: u32) -> u32 {
        let (index, shift) = (start / 64, start % 64);
        let Some(&low) = self.0.get(index) else {
            return 0;
        };
        let high = self.0.get(index + 1).copied().unwrap_or(0);
        // A window of at most 32 bits spans at most two limbs; a shift by 64 would overflow.
        let joined = if shift == 0 {
            low
        } else {
            (low >> shift) | (high << (64 - shift))
        };
        // `width` ≤ 32, so the mask and the result fit a u32.
        #[allow(clippy::cast_possible_truncation)]
        let bits = (joined & ((1u64 << width) - 1)) as u32;
        bits
    }
}

/// Recode a big-endian scalar into signed digits in `-2^(w-1)..=2^(w-1)`, least significant
/// window first, so that `k = Σ digit_i · 2^(w·i)`.
fn signed_digits(bytes: &[u8], window: u32, windows: usize) -> Vec<i32> {
    let full = 1i32 << window;
    let half = full / 2;
    let mut carry = 0i32;
    let mut digits = Vec::with_capacity(windows);
    let bits = ScalarBits::new(bytes);
    for i in 0..windows {
        // At most 8 bits: the value fits an i32.
        let value = bits.window(i * window as usize, window).cast_signed() + carry;
        if value > half {
            digits.push(value - full);
            carry = 1;
        } else {
            digits.push(value);
            carry = 0;
        }
    }
    // The extra window absorbs the last carry (the scalar has fewer bits than the windows).
    debug_assert_eq!(carry, 0, "signed recoding overflowed its windows");
    digits
}

impl<C: CurveField> FixedBaseTable<C> {
    /// Build the table of `point` (not the identity) with `window`-bit windows (2..=8).
    pub fn build(point: &ProjectivePoint<C>, window: u32) -> Self {
        assert!(
            (2..=8).contains(&window),
            "window width {window} out of range"
        );
        let windows = window_count::<C>(window);
        let half = 1usize << (window - 1);
        let mut projective = Vec::with_capacity(windows * half);
        let mut base = *point;
        for _ in 0..windows {
            let mut multiple = base;
            for _ in 0..half {
                projective.push(multiple);
                multiple += base;
            }
            for _ in 0..window {
                base = base.double();
            }
        }
        // A multiple d·2^(wi) of a point of prime order n is never the identity
        // (d·2^(wi) is not divisible by n).
        let entries = affine_entries::<C>(&projective);
        Self {
            window,
            windows,
            entries,
        }
    }

    /// Memory held by the table's entries.
    pub fn size_bytes(&self) -> usize {
        self.entries.len() * std::mem::size_of::<(C::Element, C::Element)>()
    }

    /// Add `k · P` to `acc`.
    fn accumulate(&self, acc: &mut Jacobian<C::Element>, k: &Scalar<C>) {
        let digits = signed_digits(&k.to_repr(), self.window, self.windows);
        let half = 1usize << (self.window - 1);
        let a = CoefficientA::new(C::equation_a());
        for (i, digit) in digits.into_iter().enumerate() {
            if digit == 0 {
                continue;
            }
            let index = i * half + digit.unsigned_abs() as usize - 1;
            let (x, y) = &self.entries[index];
            if digit > 0 {
                acc.add_affine(x, y, &a);
            } else {
                acc.add_affine(x, &-*y, &a);
            }
        }
    }
}

/// `n` as big-endian bytes of the field's length (`n - 1` is the scalar `-1`).
fn order_bytes<C: PrimeCurveParams>() -> FieldBytes<C> {
    let mut bytes = (-<Scalar<C> as elliptic_curve::Field>::ONE).to_repr();
    for byte in bytes.iter_mut().rev() {
        let (sum, overflow) = byte.overflowing_add(1);
        *byte = sum;
        if !overflow {
            break;
        }
    }
    bytes
}

/// Big-endian `a + b`, `None` on overflow of the length.
fn add_be<C: PrimeCurveParams>(a: &FieldBytes<C>, b: &FieldBytes<C>) -> Option<FieldBytes<C>> {
    let mut out = FieldBytes::<C>::default();
    let mut carry = 0u16;
    for i in (0..out.len()).rev() {
        let sum = u16::from(a[i]) + u16::from(b[i]) + carry;
        out[i] = sum as u8;
        carry = sum >> 8;
    }
    (carry == 0).then_some(out)
}

/// The affine coordinates of `points` as field elements, with one field inversion for them
/// all (Montgomery's trick inside `batch_normalize`). None of `points` may be the identity:
/// the tables hold nonzero multiples of a point of prime order.
pub(crate) fn affine_entries<C: CurveField>(
    points: &[ProjectivePoint<C>],
) -> Vec<(C::Element, C::Element)> {
    let affine: Vec<AffinePoint<C>> =
        <ProjectivePoint<C> as BatchNormalize<[ProjectivePoint<C>]>>::batch_normalize(points);
    affine
        .iter()
        .map(|p| {
            // Not the identity (the caller's precondition), and the curve's own encoding of a
            // coordinate is canonical: these conversions cannot fail.
            let x = C::element(&p.x()).expect("canonical x coordinate");
            let y = C::element(&p.y()).expect("canonical y coordinate");
            (x, y)
        })
        .collect()
}

/// Whether the Jacobian point's affine x, reduced mod n, equals `r` (`0 < r < n`).
pub(crate) fn x_matches<C: CurveField>(point: &Jacobian<C::Element>, r: &Scalar<C>) -> bool {
    if point.is_infinity() {
        return false;
    }
    let zz = field::JacobianField::square(&point.z);
    let r_bytes = r.to_repr();
    // r < n < p on every supported curve, so r is a canonical field element.
    let Some(r_field) = C::element(&r_bytes) else {
        return false;
    };
    if point.x == r_field * zz {
        return true;
    }
    // x(R) in [n, p) reduces to x - n: then x = r + n, possible only when r + n < p.
    add_be::<C>(&r_bytes, &order_bytes::<C>())
        .and_then(|sum| C::element(&sum))
        .is_some_and(|rn| point.x == rn * zz)
}

/// `x(u1·G + u2·Q) mod n == r` with both points taken from tables.
pub fn verify_scalars<C: CurveField>(
    generator: &FixedBaseTable<C>,
    key: &FixedBaseTable<C>,
    u1: &Scalar<C>,
    u2: &Scalar<C>,
    r: &Scalar<C>,
) -> bool {
    let mut acc = Jacobian::infinity();
    generator.accumulate(&mut acc, u1);
    key.accumulate(&mut acc, u2);
    x_matches::<C>(&acc, r)
}

#[cfg(test)]
#[path = "fixed_base_tests.rs"]
mod tests;
