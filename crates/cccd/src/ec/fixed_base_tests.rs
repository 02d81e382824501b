//! The table arithmetic against the curve crates' own scalar multiplication.

use crate::ec::field::CurveField;
use crate::ec::test_scalars::{on_every_curve, scalar};
use elliptic_curve::Field;
use elliptic_curve::group::Group;
use elliptic_curve::point::AffineCoordinates;
use elliptic_curve::{FieldBytes, Scalar};
use primeorder::ProjectivePoint;

use super::*;

/// The Jacobian accumulator's affine x, for comparison with the crate.
/// The inversion is the curve crate's, on the coordinates' bytes.
fn affine_x<C: CurveField>(acc: &Jacobian<C::Element>) -> Option<FieldBytes<C>> {
    if acc.is_infinity() {
        return None;
    }
    let crate_element = |e: &C::Element| {
        Option::<C::FieldElement>::from(C::FieldElement::from_repr(C::bytes(e)))
            .expect("canonical bytes")
    };
    let z_inv = Option::<C::FieldElement>::from(crate_element(&acc.z).invert())?;
    Some((crate_element(&acc.x) * z_inv.square()).to_repr())
}

fn check_recoding(window: u32) {
    let windows = window_count::<p256::NistP256>(window);
    for i in 0..64u64 {
        let k = scalar::<p256::NistP256>("recode", i).to_repr();
        let digits = signed_digits(&k, window, windows);
        let half = 1i32 << (window - 1);
        assert!(digits.iter().all(|d| (-half..=half).contains(d)));
        // Σ digit · 2^(w·i) rebuilt as a scalar equals k.
        let base = Scalar::<p256::NistP256>::from(1u64 << window);
        let mut acc = Scalar::<p256::NistP256>::ZERO;
        for d in digits.iter().rev() {
            acc *= base;
            let magnitude = Scalar::<p256::NistP256>::from(u64::from(d.unsigned_abs()));
            acc += if *d < 0 { -magnitude } else { magnitude };
        }
        assert_eq!(acc.to_repr(), k, "window {window}, scalar {i}");
    }
}

#[test]
fn signed_recoding_rebuilds_the_scalar() {
    for window in 2..=8 {
        check_recoding(window);
    }
}

fn sums_match_the_crate<C: CurveField>() {
    let g = ProjectivePoint::<C>::generator();
    let q = g * scalar::<C>("key", 0);
    let g_table = FixedBaseTable::build(&g, GENERATOR_WINDOW);
    let q_table = FixedBaseTable::build(&q, SIGNER_WINDOW);
    for i in 0..8 {
        let (u1, u2) = (scalar::<C>("u1", i), scalar::<C>("u2", i));
        let mut acc = Jacobian::infinity();
        g_table.accumulate(&mut acc, &u1);
        q_table.accumulate(&mut acc, &u2);
        let expected = (g * u1 + q * u2).to_affine().x();
        assert_eq!(affine_x::<C>(&acc), Some(expected));
    }
}

#[test]
fn table_sums_equal_scalar_multiplication_on_every_curve() {
    on_every_curve!(sums_match_the_crate);
}

fn exceptional_additions<C: CurveField>() {
    let g = ProjectivePoint::<C>::generator();
    let table = FixedBaseTable::build(&g, SIGNER_WINDOW);
    let neg_table = FixedBaseTable::build(&(-g), SIGNER_WINDOW);
    let five = Scalar::<C>::from(5u64);
    // 5G + 5G: the second addition meets its own point and must double.
    let mut acc = Jacobian::infinity();
    table.accumulate(&mut acc, &five);
    table.accumulate(&mut acc, &five);
    assert_eq!(
        affine_x::<C>(&acc),
        Some((g * Scalar::<C>::from(10u64)).to_affine().x())
    );
    // 5G + 5(-G): P + (-P) is the point at infinity.
    let mut acc = Jacobian::infinity();
    table.accumulate(&mut acc, &five);
    neg_table.accumulate(&mut acc, &five);
    assert!(acc.is_infinity());
    assert!(!x_matches::<C>(&acc, &five));
    // ... and the sum continues correctly from infinity: 5G + (5 + 2^w)(-G) = -2^w G.
    let mut acc = Jacobian::infinity();
    table.accumulate(&mut acc, &five);
    neg_table.accumulate(&mut acc, &(five + Scalar::<C>::from(1u64 << SIGNER_WINDOW)));
    let expected = (g * Scalar::<C>::from(1u64 << SIGNER_WINDOW))
        .to_affine()
        .x();
    assert_eq!(affine_x::<C>(&acc), Some(expected));
    // A random large scalar against its negation, window by window, also ends at infinity.
    let k = scalar::<C>("cancel", 1);
    let mut acc = Jacobian::infinity();
    table.accumulate(&mut acc, &k);
    table.accumulate(&mut acc, &-k);
    assert!(acc.is_infinity());
    assert!(bool::from((g * k + g * -k).is_identity()));
}

#[test]
fn doubling_and_inverse_additions_on_every_curve() {
    on_every_curve!(exceptional_additions);
}

/// Both doubling formulas against the crate's doubling, from points whose `Z ≠ 1`, and the
/// `a = −3` one against the general one wherever `a = −3`.
fn doublings_match_the_crate<C: CurveField>() {
    let a = CoefficientA::new(C::equation_a());
    let g = ProjectivePoint::<C>::generator();
    let table = FixedBaseTable::build(&g, SIGNER_WINDOW);
    for i in 0..8 {
        let k = scalar::<C>("double", i);
        // k·G as a sum of table entries: a Jacobian point with a non-trivial Z.
        let mut p = Jacobian::infinity();
        table.accumulate(&mut p, &k);
        let expected = Some((g * k).double().to_affine().x());
        assert_eq!(affine_x::<C>(&p.double(&a)), expected, "scalar {i}");
        let general = p.double_any_a(&C::equation_a());
        assert_eq!(
            affine_x::<C>(&general),
            expected,
            "general formula, scalar {i}"
        );
        if matches!(a, CoefficientA::MinusThree) {
            let special = p.double_a_minus_3();
            assert_eq!(
                affine_x::<C>(&special),
                expected,
                "a = -3 formula, scalar {i}"
            );
        }
    }
    // The point at infinity doubles to itself under either formula.
    assert!(Jacobian::<C::Element>::infinity().double(&a).is_infinity());
    assert!(
        Jacobian::<C::Element>::infinity()
            .double_any_a(&C::equation_a())
            .is_infinity()
    );
}

#[test]
fn doublings_equal_the_crates_on_every_curve() {
    on_every_curve!(doublings_match_the_crate);
}

fn is_minus_three<C: CurveField>() -> bool {
    matches!(CoefficientA::new(C::equation_a()), CoefficientA::MinusThree)
}

#[test]
fn a_is_minus_three_on_the_nist_curves_only() {
    assert!(is_minus_three::<p256::NistP256>());
    assert!(is_minus_three::<p384::NistP384>());
    assert!(is_minus_three::<p521::NistP521>());
    assert!(!is_minus_three::<bp256::r1::BrainpoolP256r1>());
    assert!(!is_minus_three::<bp384::r1::BrainpoolP384r1>());
    assert!(!is_minus_three::<crate::ec::bp512::BrainpoolP512r1>());
}

#[test]
fn order_bytes_is_the_group_order() {
    // n·G is the identity and (n - 1)·G = -G.
    let n = order_bytes::<p256::NistP256>();
    assert_eq!(
        hex::encode(n),
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"
    );
    let n = order_bytes::<bp384::r1::BrainpoolP384r1>();
    assert_eq!(
        hex::encode(n),
        "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7cf3ab6af6b7fc3103b883202e9046565"
    );
}

mod hex {
    use std::fmt::Write;

    pub fn encode(bytes: impl AsRef<[u8]>) -> String {
        bytes.as_ref().iter().fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
    }
}

/// Bit `i` of a big-endian byte string, the slow obvious way.
fn bit(bytes: &[u8], i: usize) -> u32 {
    let Some(index) = bytes.len().checked_sub(1 + i / 8) else {
        return 0;
    };
    u32::from((bytes[index] >> (i % 8)) & 1)
}

#[test]
fn scalar_windows_equal_bit_by_bit_extraction() {
    // Lengths that are and are not multiples of 8 bytes (P-521's 66), and windows that
    // straddle limbs and run past the top.
    let inputs: Vec<Vec<u8>> = (0u8..66)
        .map(|len| (0..len).map(|k| k.wrapping_mul(37) ^ 0xA5 ^ len).collect())
        .chain([vec![0xFF; 32], vec![0x80; 48], vec![0x01], Vec::new()])
        .collect();
    for bytes in &inputs {
        let bits = ScalarBits::new(bytes);
        for width in [1, 2, 5, 7, 10, 16, 32] {
            for start in 0..8 * bytes.len() + 40 {
                let expected =
                    (0..width).fold(0u32, |acc, k| acc | bit(bytes, start + k as usize) << k);
                assert_eq!(
                    bits.window(start, width),
                    expected,
                    "{bytes:02x?} at {start}, width {width}"
                );
            }
        }
    }
}
