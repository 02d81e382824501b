//! The field arithmetic the verification formulas run on: each curve's own field element,
//! except P-256, whose field is [`P256Element`] (`ec::p256_field`).
//!
//! An Active Authentication answer is usually a P-256 signature by a key seen once, so its
//! verification is 256 Jacobian doublings (`ec::variable_base`): field multiplications and
//! squarings are most of a P-256 dump's time. The `p256` crate multiplies through
//! crypto-bigint's generic schoolbook product and has no dedicated squaring; `P256Element`
//! uses the shape of the prime and squares with half the limb products. Both keep elements
//! in Montgomery form with `R = 2^256`, fully reduced, so an element converts through its
//! canonical bytes and equality is equality of limbs.

use std::ops::{Add, Mul, Neg, Sub};

use elliptic_curve::FieldBytes;
use elliptic_curve::ff::{Field, PrimeField};
use primeorder::PrimeCurveParams;

use super::p256_field::P256Element;

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

impl JacobianField for P256Element {
    const ZERO: Self = P256Element::ZERO;
    const ONE: Self = P256Element::ONE;

    fn square(&self) -> Self {
        P256Element::square(*self)
    }

    fn double(&self) -> Self {
        *self + *self
    }

    fn is_zero(&self) -> bool {
        P256Element::is_zero(*self)
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
