//! fiat-crypto's P-256 field against the `p256` crate's: the same results for every
//! operation the Jacobian formulas use, on pseudo-random and edge values.

use elliptic_curve::ff::{Field, PrimeField};
use elliptic_curve::hazmat::FieldArithmetic;

use super::{CurveField, JacobianField, P256_MODULUS, P256Element};
use crate::ec::test_scalars::field_bytes;

type Curve = p256::NistP256;
type Reference = <Curve as FieldArithmetic>::FieldElement;

/// Big-endian `p − k` for a small `k`.
fn p_minus(k: u8) -> [u8; 32] {
    let mut out = P256_MODULUS;
    out[31] -= k;
    out
}

/// Values in both representations: edges, then pseudo-random values below `p`.
fn pairs() -> Vec<(P256Element, Reference)> {
    let mut values: Vec<[u8; 32]> = vec![[0; 32], p_minus(1), p_minus(2)];
    for small in [1u8, 2, 3] {
        let mut v = [0u8; 32];
        v[31] = small;
        values.push(v);
    }
    // All-ones limbs below p, and 2^255.
    let mut high = [0u8; 32];
    high[0] = 0x80;
    values.push(high);
    let mut ones = [0xFFu8; 32];
    ones[0] = 0x7F;
    values.push(ones);
    for i in 0..200 {
        let bytes: [u8; 32] = field_bytes::<Curve>("fiat-p256", i).into();
        if bytes < P256_MODULUS {
            values.push(bytes);
        }
    }
    values
        .into_iter()
        .map(|v| {
            let ours = <Curve as CurveField>::element(&v.into()).expect("below p");
            let theirs = Option::<Reference>::from(Reference::from_repr(v.into())).unwrap();
            (ours, theirs)
        })
        .collect()
}

fn same(ours: P256Element, theirs: Reference, what: &str) {
    assert_eq!(
        ours.to_be_bytes(),
        <[u8; 32]>::from(theirs.to_repr()),
        "{what}"
    );
}

#[test]
fn encoding_round_trips_and_refuses_values_from_p() {
    for (ours, theirs) in pairs() {
        same(ours, theirs, "round trip");
    }
    let mut above = [0xFFu8; 32];
    assert!(<Curve as CurveField>::element(&P256_MODULUS.into()).is_none());
    assert!(<Curve as CurveField>::element(&above.into()).is_none());
    // p + 2^96: a zero byte of p set.
    above = P256_MODULUS;
    above[19] = 0x01;
    assert!(<Curve as CurveField>::element(&above.into()).is_none());
}

#[test]
fn constants_are_the_crates() {
    same(P256Element::ONE, Reference::ONE, "one");
    same(P256Element::ZERO, Reference::ZERO, "zero");
    same(
        <Curve as CurveField>::equation_a(),
        <Curve as primeorder::PrimeCurveParams>::EQUATION_A,
        "a",
    );
    assert!(JacobianField::is_zero(&P256Element::ZERO));
    assert!(!JacobianField::is_zero(&P256Element::ONE));
}

#[test]
fn every_operation_agrees_with_the_crate() {
    let values = pairs();
    for (i, &(a, ra)) in values.iter().enumerate() {
        same(-a, -ra, "neg");
        same(JacobianField::square(&a), Field::square(&ra), "square");
        same(JacobianField::double(&a), Field::double(&ra), "double");
        assert_eq!(
            JacobianField::is_zero(&a),
            bool::from(Field::is_zero(&ra)),
            "is_zero"
        );
        // Each value against its neighbour and against itself (x − x, x + (−x)).
        for (b, rb) in [values[(i + 1) % values.len()], (a, ra)] {
            same(a + b, ra + rb, "add");
            same(a - b, ra - rb, "sub");
            same(a * b, ra * rb, "mul");
            assert_eq!(a == b, ra == rb, "eq");
        }
        same(a + -a, Reference::ZERO, "x + (−x)");
    }
}
