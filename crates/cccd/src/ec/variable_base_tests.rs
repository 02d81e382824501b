//! The wNAF arithmetic against the curve crates' own scalar multiplication.

use crate::ec::field::CurveField;
use elliptic_curve::Field;
use elliptic_curve::group::Group;
use elliptic_curve::ops::Reduce;
use elliptic_curve::point::AffineCoordinates;
use elliptic_curve::{FieldBytes, Scalar};
use primeorder::ProjectivePoint;

use super::*;
use crate::ec::test_scalars::{on_every_curve, scalar};

/// Rebuild a scalar from its digits (as an i128 sum over bytes is too small, use the field
/// of scalars itself) and check the NAF shape.
fn check_wnaf<C: CurveField>(k: &Scalar<C>, width: u32) {
    let digits = wnaf(&k.to_repr(), width);
    let mut sum = Scalar::<C>::ZERO;
    let mut power = Scalar::<C>::ONE;
    let mut last_nonzero: Option<usize> = None;
    for (i, &d) in digits.iter().enumerate() {
        if d != 0 {
            assert!(d % 2 != 0, "even digit {d}");
            assert!(d.unsigned_abs() < 1 << (width - 1), "digit {d} too large");
            if let Some(j) = last_nonzero {
                assert!(
                    i - j >= width as usize,
                    "non-zero digits closer than {width}"
                );
            }
            last_nonzero = Some(i);
            let magnitude = Scalar::<C>::from(u64::from(d.unsigned_abs()));
            if d > 0 {
                sum += magnitude * power;
            } else {
                sum -= magnitude * power;
            }
        }
        power = power.double();
    }
    assert_eq!(sum, *k, "wNAF digits do not rebuild the scalar");
}

#[test]
fn wnaf_rebuilds_the_scalar() {
    type C = p256::NistP256;
    type B = crate::ec::bp512::BrainpoolP512r1;
    for width in 2..=GENERATOR_NAF_WIDTH {
        for i in 0..32 {
            check_wnaf::<C>(&scalar::<C>("wnaf", i), width);
        }
        check_wnaf::<C>(&-Scalar::<C>::ONE, width);
        check_wnaf::<C>(&Scalar::<C>::ONE, width);
        check_wnaf::<C>(&Scalar::<C>::ZERO, width);
    }
    check_wnaf::<B>(&-Scalar::<B>::ONE, KEY_NAF_WIDTH);
    check_wnaf::<B>(&scalar::<B>("wnaf", 1), GENERATOR_NAF_WIDTH);
}

/// `u1·G + u2·Q` by the crate, as the `r` the wNAF path must accept.
fn expected_r<C: CurveField>(
    u1: &Scalar<C>,
    u2: &Scalar<C>,
    q: &ProjectivePoint<C>,
) -> Option<Scalar<C>> {
    let sum = ProjectivePoint::<C>::generator() * u1 + *q * u2;
    if bool::from(sum.is_identity()) {
        return None;
    }
    Some(<Scalar<C> as Reduce<FieldBytes<C>>>::reduce(
        &sum.to_affine().x(),
    ))
}

fn sums_match_the_crate<C: CurveField>() {
    let odd = GeneratorOddMultiples::<C>::build();
    for i in 0..8 {
        let q = ProjectivePoint::<C>::generator() * scalar::<C>("d", i);
        let (qx, qy) = affine_coordinates::<C>(&q.to_affine()).unwrap();
        let (u1, u2) = (scalar::<C>("u1", i), scalar::<C>("u2", i));
        let r = expected_r(&u1, &u2, &q).unwrap();
        assert!(verify_scalars(&odd, &qx, &qy, &u1, &u2, &r));
        assert!(!verify_scalars(
            &odd,
            &qx,
            &qy,
            &u1,
            &u2,
            &(r + Scalar::<C>::ONE)
        ));
        assert!(!verify_scalars(&odd, &qx, &qy, &u2, &u1, &r));
    }
}

#[test]
fn wnaf_sums_equal_scalar_multiplication_on_every_curve() {
    on_every_curve!(sums_match_the_crate);
}

/// Q = ±G and Q = ±3G with equal or opposite scalars: the G and Q digits land on the same
/// positions, so the sum meets doublings (P + P) and cancellations (P + (−P)) mid-way; small
/// scalars, zero and n − 1 exercise the infinity cases.
fn exceptional_sums<C: CurveField>() {
    let odd = GeneratorOddMultiples::<C>::build();
    let g = ProjectivePoint::<C>::generator();
    let three = Scalar::<C>::from(3u64);
    let scalars = [
        Scalar::<C>::ONE,
        Scalar::<C>::from(2u64),
        three,
        Scalar::<C>::from(0x55u64),
        -Scalar::<C>::ONE,
        scalar::<C>("c", 0),
    ];
    for q in [g, -g, g * three, -(g * three)] {
        let (qx, qy) = affine_coordinates::<C>(&q.to_affine()).unwrap();
        for c in scalars {
            for (u1, u2) in [(c, c), (c, -c), (c * three, c), (Scalar::<C>::ZERO, c)] {
                let verdict = |r| verify_scalars(&odd, &qx, &qy, &u1, &u2, &r);
                if let Some(r) = expected_r(&u1, &u2, &q) {
                    assert!(verdict(r), "valid sum refused");
                    assert!(!verdict(r + Scalar::<C>::ONE), "wrong r accepted");
                } else {
                    // The sum is the point at infinity: no r is accepted.
                    assert!(!verdict(Scalar::<C>::ONE));
                    assert!(!verdict(-Scalar::<C>::ONE));
                }
            }
        }
    }
}

#[test]
fn doubling_and_inverse_additions_on_every_curve() {
    on_every_curve!(exceptional_sums);
}
