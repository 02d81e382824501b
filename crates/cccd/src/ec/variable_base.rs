//! ECDSA verification with a key seen once: interleaved wNAF over `u1·G + u2·Q`.
//!
//! A document signer's key earns a fixed-base table ([`super::fixed_base`]) because it signs
//! many documents; an Active Authentication key belongs to one chip and is used once per
//! verification, so a table would never pay for itself. Here `R = u1·G + u2·Q` is computed
//! left to right with both scalars in width-`w` non-adjacent form sharing one chain of
//! doublings: `G`'s odd multiples come from a small affine table built once per process and
//! curve ([`GeneratorOddMultiples`]), `Q`'s from a per-call Jacobian table of 8 points that
//! carries each point's `Z²` and `Z³`, two field operations fewer per addition. The
//! comparison is the fixed-base path's `X == r·Z²` (or `(r + n)·Z²`), without an inversion.
//!
//! Compared with the `ecdsa` crate's verification (complete projective formulas for both
//! points, wNAF tables for `G` and `Q` built per call, one field inversion at the end) this
//! uses Jacobian doublings and mixed additions, which cost fewer field multiplications.
//!
//! Everything here is variable-time, which is sound because every input of a signature
//! verification is public. The exceptional additions (a point plus itself, plus its
//! negation, or the point at infinity) are handled by the Jacobian arithmetic itself.

use elliptic_curve::ff::PrimeField;
use elliptic_curve::group::Group;
use elliptic_curve::point::AffineCoordinates;
use elliptic_curve::{FieldBytes, Scalar};
use primeorder::{AffinePoint, ProjectivePoint};

use super::field::{self, CurveField};
use super::fixed_base::{
    CachedJacobian, CoefficientA, Jacobian, ScalarBits, affine_entries, x_matches,
};

/// wNAF width for the generator: 256 affine odd multiples (16 KiB on P-256), built once per
/// process and curve. About `bits / (w + 1)` additions: 23 on P-256 where width 7 took 32.
pub const GENERATOR_NAF_WIDTH: u32 = 10;
/// wNAF width for the one-off key: 8 Jacobian odd multiples per verification.
pub const KEY_NAF_WIDTH: u32 = 5;

/// `1·G, 3·G, 5·G, …, (2^(w-1) − 1)·G` in affine coordinates.
pub struct GeneratorOddMultiples<C: CurveField> {
    entries: Vec<(C::Element, C::Element)>,
}

impl<C: CurveField> std::fmt::Debug for GeneratorOddMultiples<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneratorOddMultiples")
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl<C: CurveField> GeneratorOddMultiples<C> {
    /// Build the table of the curve's generator (one field inversion for all entries).
    pub fn build() -> Self {
        let g = ProjectivePoint::<C>::generator();
        let twice = g.double();
        let count = 1usize << (GENERATOR_NAF_WIDTH - 2);
        let mut projective = Vec::with_capacity(count);
        let mut multiple = g;
        for _ in 0..count {
            projective.push(multiple);
            multiple += twice;
        }
        // An odd multiple d·G with d < n is never the identity.
        let entries = affine_entries::<C>(&projective);
        Self { entries }
    }
}

/// Width-`w` non-adjacent form of a big-endian scalar, least significant digit first: every
/// non-zero digit is odd, `|digit| < 2^(w-1)`, and `k = Σ digit_i · 2^i`.
pub(crate) fn wnaf(bytes: &[u8], width: u32) -> Vec<i32> {
    let bits = 8 * bytes.len();
    let full = 1i32 << width;
    let half = full / 2;
    // One position more than the scalar's bits, for the final carry.
    let mut digits = vec![0i32; bits + 1];
    let mut carry = 0i32;
    let mut pos = 0usize;
    let scalar = ScalarBits::new(bytes);
    while pos <= bits {
        // At most 16 bits (the widths in use are 5 and 10): the value fits an i32.
        let window = scalar.window(pos, width).cast_signed() + carry;
        if window & 1 == 0 {
            // The digit here is 0; a pending carry moves on with the position.
            pos += 1;
            continue;
        }
        if window < half {
            digits[pos] = window;
            carry = 0;
        } else {
            digits[pos] = window - full;
            carry = 1;
        }
        pos += width as usize;
    }
    digits
}

/// `1·Q, 3·Q, …, (2^(w-1) − 1)·Q` in Jacobian coordinates, with their `Z²` and `Z³`.
fn key_odd_multiples<C: CurveField>(
    qx: &C::Element,
    qy: &C::Element,
) -> Vec<CachedJacobian<C::Element>> {
    let a = CoefficientA::new(C::equation_a());
    let q = Jacobian {
        x: *qx,
        y: *qy,
        z: <C::Element as field::JacobianField>::ONE,
    };
    let twice = CachedJacobian::new(q.double(&a));
    let count = 1usize << (KEY_NAF_WIDTH - 2);
    let mut out = Vec::with_capacity(count);
    let mut multiple = q;
    for _ in 0..count {
        out.push(CachedJacobian::new(multiple));
        multiple.add_cached(&twice, false, &a);
    }
    out
}

/// `x(u1·G + u2·Q) mod n == r` for an affine key `Q = (qx, qy)` (on the curve, not the
/// identity: the caller decoded it).
// ECDSA's own names (G, Q, u1, u2, r) keep the equation readable.
#[allow(clippy::many_single_char_names)]
pub fn verify_scalars<C: CurveField>(
    generator: &GeneratorOddMultiples<C>,
    qx: &C::Element,
    qy: &C::Element,
    u1: &Scalar<C>,
    u2: &Scalar<C>,
    r: &Scalar<C>,
) -> bool {
    let a = CoefficientA::new(C::equation_a());
    let g_digits = wnaf(&u1.to_repr(), GENERATOR_NAF_WIDTH);
    let q_digits = wnaf(&u2.to_repr(), KEY_NAF_WIDTH);
    let q_table = key_odd_multiples::<C>(qx, qy);
    let mut acc = Jacobian::<C::Element>::infinity();
    for pos in (0..g_digits.len()).rev() {
        if !acc.is_infinity() {
            acc = acc.double(&a);
        }
        let g = g_digits[pos];
        if g != 0 {
            let (x, y) = &generator.entries[g.unsigned_abs() as usize / 2];
            if g > 0 {
                acc.add_affine(x, y, &a);
            } else {
                acc.add_affine(x, &-*y, &a);
            }
        }
        let q = q_digits[pos];
        if q != 0 {
            acc.add_cached(&q_table[q.unsigned_abs() as usize / 2], q < 0, &a);
        }
    }
    x_matches::<C>(&acc, r)
}

/// The affine coordinates of a decoded key as field elements (`None` for the identity).
pub fn affine_coordinates<C: CurveField>(
    point: &AffinePoint<C>,
) -> Option<(C::Element, C::Element)> {
    if bool::from(ProjectivePoint::<C>::from(*point).is_identity()) {
        return None;
    }
    let x: FieldBytes<C> = point.x();
    Some((C::element(&x)?, C::element(&point.y())?))
}

#[cfg(test)]
#[path = "variable_base_tests.rs"]
mod tests;
