//! The field arithmetic the verification formulas run on: each curve's own field element,
//! except P-256, whose field runs on fiat-crypto's `p256_64`.
//!
//! An Active Authentication answer is usually a P-256 signature by a key seen once, so its
//! verification is 256 Jacobian doublings (`ec::variable_base`): field multiplications and
//! squarings are most of a P-256 dump's time. The `p256` crate multiplies through
//! crypto-bigint's generic schoolbook product and has no dedicated squaring; fiat-crypto's
//! formally verified Montgomery code for the same field measured 1.4–1.6x faster per
//! multiplication and squaring here (the P-384 crate already uses fiat-crypto). Both keep
//! elements in Montgomery form with `R = 2^256`, fully reduced, so an element converts
//! through its canonical bytes and equality is equality of limbs.

use std::ops::{Add, Mul, Neg, Sub};

use elliptic_curve::FieldBytes;
use elliptic_curve::ff::{Field, PrimeField};
use fiat_crypto::p256_64 as fiat;
use primeorder::PrimeCurveParams;

/// What the Jacobian formulas need of a field element.
pub(crate) trait JacobianField:
    Copy + PartialEq + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Neg<Output = Self>
{
    /// The additive identity.
    const ZERO: Self;
    /// The multiplicative identity.
    const ONE: Self;
    /// `self²`.
    fn square(&self) -> Self;
    /// `2·self`.
    fn double(&self) -> Self;
    /// Whether `self` is zero.
    fn is_zero(&self) -> bool;
}

impl<F: Field> JacobianField for F {
    const ZERO: Self = <F as Field>::ZERO;
    const ONE: Self = <F as Field>::ONE;

    fn square(&self) -> Self {
        Field::square(self)
    }

    fn double(&self) -> Self {
        Field::double(self)
    }

    fn is_zero(&self) -> bool {
        bool::from(Field::is_zero(self))
    }
}

/// A curve's choice of field arithmetic for verification, and the conversions into it.
pub(crate) trait CurveField: PrimeCurveParams {
    /// The element type the Jacobian formulas use.
    type Element: JacobianField;

    /// The element of a canonical big-endian encoding (`None` if it is not below `p`).
    fn element(bytes: &FieldBytes<Self>) -> Option<Self::Element>;

    /// The curve's coefficient `a`.
    fn equation_a() -> Self::Element;

    /// The canonical big-endian encoding, for the tests' comparisons with the curve crates.
    #[cfg(test)]
    fn bytes(element: &Self::Element) -> FieldBytes<Self>;
}

/// Curves that verify on their own field element type.
macro_rules! own_field {
    ($($curve:ty),+ $(,)?) => {$(
        impl CurveField for $curve {
            type Element = <$curve as elliptic_curve::hazmat::FieldArithmetic>::FieldElement;

            fn element(bytes: &FieldBytes<Self>) -> Option<Self::Element> {
                Option::from(Self::Element::from_repr(bytes.clone()))
            }

            fn equation_a() -> Self::Element {
                <$curve as PrimeCurveParams>::EQUATION_A
            }

            #[cfg(test)]
            fn bytes(element: &Self::Element) -> FieldBytes<Self> {
                element.to_repr()
            }
        }
    )+};
}

own_field!(
    bp256::BrainpoolP256r1,
    bp384::BrainpoolP384r1,
    super::bp512::BrainpoolP512r1,
    super::brainpool::bp192::BrainpoolP192r1,
    super::brainpool::bp224::BrainpoolP224r1,
    super::brainpool::bp320::BrainpoolP320r1,
    p192::NistP192,
    p224::NistP224,
    p384::NistP384,
    p521::NistP521,
);

/// An element of the P-256 field in fiat-crypto's Montgomery domain, always below `p`.
#[derive(Clone, Copy)]
pub(crate) struct P256Element(fiat::fiat_p256_montgomery_domain_field_element);

/// `p = 2^256 − 2^224 + 2^192 + 2^96 − 1`, big-endian.
const P256_MODULUS: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
];

impl P256Element {
    /// The element of a big-endian value below `p`.
    fn from_be_bytes(bytes: &[u8; 32]) -> Option<Self> {
        // Big-endian arrays of equal length compare as the numbers they encode.
        if *bytes >= P256_MODULUS {
            return None;
        }
        let mut little = *bytes;
        little.reverse();
        let mut plain = fiat::fiat_p256_non_montgomery_domain_field_element([0; 4]);
        fiat::fiat_p256_from_bytes(&mut plain.0, &little);
        let mut out = fiat::fiat_p256_montgomery_domain_field_element([0; 4]);
        fiat::fiat_p256_to_montgomery(&mut out, &plain);
        Some(Self(out))
    }

    /// The canonical big-endian encoding.
    #[cfg(test)]
    pub(crate) fn to_be_bytes(self) -> [u8; 32] {
        let mut plain = fiat::fiat_p256_non_montgomery_domain_field_element([0; 4]);
        fiat::fiat_p256_from_montgomery(&mut plain, &self.0);
        let mut out = [0u8; 32];
        fiat::fiat_p256_to_bytes(&mut out, &plain.0);
        out.reverse();
        out
    }

    /// `R mod p`: one in the Montgomery domain.
    const fn one() -> Self {
        Self(fiat::fiat_p256_montgomery_domain_field_element([
            0x0000_0000_0000_0001,
            0xFFFF_FFFF_0000_0000,
            0xFFFF_FFFF_FFFF_FFFF,
            0x0000_0000_FFFF_FFFE,
        ]))
    }
}

impl PartialEq for P256Element {
    fn eq(&self, other: &Self) -> bool {
        // Both fully reduced: one value, one representation.
        self.0.0 == other.0.0
    }
}

/// `impl $op for P256Element` through fiat-crypto's `$f(out, self, rhs)`.
macro_rules! fiat_operator {
    ($op:ident, $method:ident, $f:ident) => {
        impl $op for P256Element {
            type Output = Self;
            fn $method(self, rhs: Self) -> Self {
                let mut out = fiat::fiat_p256_montgomery_domain_field_element([0; 4]);
                fiat::$f(&mut out, &self.0, &rhs.0);
                Self(out)
            }
        }
    };
}

fiat_operator!(Add, add, fiat_p256_add);
fiat_operator!(Sub, sub, fiat_p256_sub);
fiat_operator!(Mul, mul, fiat_p256_mul);

impl Neg for P256Element {
    type Output = Self;
    fn neg(self) -> Self {
        let mut out = fiat::fiat_p256_montgomery_domain_field_element([0; 4]);
        fiat::fiat_p256_opp(&mut out, &self.0);
        Self(out)
    }
}

impl JacobianField for P256Element {
    const ZERO: Self = Self(fiat::fiat_p256_montgomery_domain_field_element([0; 4]));
    const ONE: Self = Self::one();

    fn square(&self) -> Self {
        let mut out = fiat::fiat_p256_montgomery_domain_field_element([0; 4]);
        fiat::fiat_p256_square(&mut out, &self.0);
        Self(out)
    }

    fn double(&self) -> Self {
        *self + *self
    }

    fn is_zero(&self) -> bool {
        self.0.0 == [0; 4]
    }
}

impl CurveField for p256::NistP256 {
    type Element = P256Element;

    fn element(bytes: &FieldBytes<Self>) -> Option<P256Element> {
        P256Element::from_be_bytes(&(*bytes).into())
    }

    fn equation_a() -> P256Element {
        // a = −3.
        -(P256Element::ONE.double() + P256Element::ONE)
    }

    #[cfg(test)]
    fn bytes(element: &P256Element) -> FieldBytes<Self> {
        element.to_be_bytes().into()
    }
}

#[cfg(test)]
#[path = "field_tests.rs"]
mod tests;
