//! The P-256 field against two independent implementations: fiat-crypto's formally verified
//! `p256_64` on Montgomery-domain limbs (limb patterns chosen to hit every carry and borrow,
//! and a long pseudo-random run), and the `p256` crate through canonical encodings.

use elliptic_curve::ff::{Field, PrimeField};
use elliptic_curve::hazmat::FieldArithmetic;
use fiat::fiat_p256_montgomery_domain_field_element as FiatElement;
use fiat_crypto::p256_64 as fiat;

use super::{P, P256_MODULUS, P256Element, R_SQUARED};
use crate::ec::field::{CurveField, JacobianField};
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

/// Limb values at the carry and borrow boundaries, and `p`'s own limbs and neighbours.
const LIMB_EDGES: [u64; 14] = [
    0,
    1,
    2,
    0x0000_0000_FFFF_FFFE,
    0x0000_0000_FFFF_FFFF,
    0x0000_0001_0000_0000,
    0x0000_0001_0000_0001,
    0x7FFF_FFFF_FFFF_FFFF,
    0x8000_0000_0000_0000,
    0xFFFF_FFFF_0000_0000,
    0xFFFF_FFFF_0000_0001,
    0xFFFF_FFFF_0000_0002,
    0xFFFF_FFFF_FFFF_FFFE,
    0xFFFF_FFFF_FFFF_FFFF,
];

/// Little-endian limbs below `p`.
fn below_p(limbs: &[u64; 4]) -> bool {
    for i in (0..4).rev() {
        if limbs[i] != P[i] {
            return limbs[i] < P[i];
        }
    }
    false
}

/// Every 4-limb combination of [`LIMB_EDGES`] below `p` (some 25,000 values).
fn edge_elements() -> Vec<P256Element> {
    let mut out = Vec::new();
    for &a in &LIMB_EDGES {
        for &b in &LIMB_EDGES {
            for &c in &LIMB_EDGES {
                for &d in &LIMB_EDGES {
                    let limbs = [a, b, c, d];
                    if below_p(&limbs) {
                        out.push(P256Element(limbs));
                    }
                }
            }
        }
    }
    out
}

/// xorshift64: a long reproducible stream of limbs (no need for quality beyond coverage).
struct Limbs(u64);

impl Limbs {
    fn element(&mut self) -> P256Element {
        loop {
            let mut limbs = [0u64; 4];
            for limb in &mut limbs {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                *limb = self.0;
            }
            if below_p(&limbs) {
                return P256Element(limbs);
            }
        }
    }
}

fn fiat_binary(
    f: fn(&mut FiatElement, &FiatElement, &FiatElement),
    a: P256Element,
    b: P256Element,
) -> [u64; 4] {
    let mut out = FiatElement([0; 4]);
    f(&mut out, &FiatElement(a.0), &FiatElement(b.0));
    out.0
}

fn fiat_square(a: P256Element) -> [u64; 4] {
    let mut out = FiatElement([0; 4]);
    fiat::fiat_p256_square(&mut out, &FiatElement(a.0));
    out.0
}

/// Every operation on `a` and `b` equals fiat-crypto's on the same Montgomery limbs.
fn agrees_with_fiat(a: P256Element, b: P256Element) {
    let what = |op: &str| format!("{op} of {:016x?} and {:016x?}", a.0, b.0);
    assert_eq!(
        (a * b).0,
        fiat_binary(fiat::fiat_p256_mul, a, b),
        "{}",
        what("mul")
    );
    assert_eq!(
        (a + b).0,
        fiat_binary(fiat::fiat_p256_add, a, b),
        "{}",
        what("add")
    );
    assert_eq!(
        (a - b).0,
        fiat_binary(fiat::fiat_p256_sub, a, b),
        "{}",
        what("sub")
    );
    assert_eq!(a.square().0, fiat_square(a), "{}", what("square"));
    let mut negated = FiatElement([0; 4]);
    fiat::fiat_p256_opp(&mut negated, &FiatElement(a.0));
    assert_eq!((-a).0, negated.0, "{}", what("neg"));
}

#[test]
fn limb_edge_patterns_agree_with_fiat_crypto() {
    let edges = edge_elements();
    assert!(edges.len() > 20_000, "{} edge elements", edges.len());
    let mut stream = Limbs(0x243F_6A88_85A3_08D3);
    // Each edge value against a neighbouring edge value, a far one, itself and a random one.
    for (i, &a) in edges.iter().enumerate() {
        for b in [
            edges[(i + 1) % edges.len()],
            edges[(i * 7919) % edges.len()],
            a,
            stream.element(),
        ] {
            agrees_with_fiat(a, b);
        }
    }
}

#[test]
fn pseudo_random_values_agree_with_fiat_crypto() {
    let mut stream = Limbs(0x1319_8A2E_0370_7344);
    for _ in 0..200_000 {
        let (a, b) = (stream.element(), stream.element());
        agrees_with_fiat(a, b);
    }
    // Chains feed results back in, as the point formulas do.
    let (mut x, mut fx) = (stream.element(), FiatElement([0; 4]));
    fx.0 = x.0;
    let y = stream.element();
    for _ in 0..100_000 {
        x = (x * y).square() - y;
        let mut t = FiatElement([0; 4]);
        fiat::fiat_p256_mul(&mut t, &fx, &FiatElement(y.0));
        let mut u = FiatElement([0; 4]);
        fiat::fiat_p256_square(&mut u, &t);
        fiat::fiat_p256_sub(&mut fx, &u, &FiatElement(y.0));
        assert_eq!(x.0, fx.0);
    }
}

#[test]
fn montgomery_conversion_agrees_with_fiat_crypto() {
    // R² mod p, and the conversion of the canonical encodings, are fiat's.
    let mut one = FiatElement([0; 4]);
    fiat::fiat_p256_set_one(&mut one);
    assert_eq!(P256Element::ONE.0, one.0, "R mod p");
    let mut plain = fiat::fiat_p256_non_montgomery_domain_field_element([0; 4]);
    for (i, (ours, _)) in pairs().into_iter().enumerate() {
        let bytes = ours.to_be_bytes();
        let mut little = bytes;
        little.reverse();
        fiat::fiat_p256_from_bytes(&mut plain.0, &little);
        let mut theirs = FiatElement([0; 4]);
        fiat::fiat_p256_to_montgomery(&mut theirs, &plain);
        assert_eq!(ours.0, theirs.0, "value {i}");
    }
    // R² itself: 2^512 mod p, from R·R computed by fiat.
    let mut r_squared = FiatElement([0; 4]);
    fiat::fiat_p256_to_montgomery(
        &mut r_squared,
        &fiat::fiat_p256_non_montgomery_domain_field_element(one.0),
    );
    assert_eq!(R_SQUARED, r_squared.0, "R² mod p");
}
