//! The scalar field of brainpoolP512r1, integers modulo the group order q.

// primefield 0.14's params macro calls a crypto-bigint method that was since deprecated.
#![allow(deprecated)]

// The primefield and elliptic-curve macros name these traits and types unqualified.
use super::{BrainpoolP512r1, ORDER, ORDER_HEX};
use elliptic_curve::bigint::U512;
use elliptic_curve::ff::PrimeField;
use elliptic_curve::scalar::{FromUintUnchecked, IsHigh};
use elliptic_curve::subtle::{Choice, ConstantTimeEq, ConstantTimeGreater, CtOption};
use primeorder::wnaf;

primefield::monty_field_params! {
    name: ScalarParams,
    modulus: ORDER_HEX,
    uint: U512,
    byte_order: primefield::ByteOrder::BigEndian,
    // 7 is the smallest quadratic non-residue mod q, as Tonelli-Shanks needs (q = 1 mod 8).
    multiplicative_generator: 7,
    doc: "Montgomery parameters for the brainpoolP512r1 group order"
}

primefield::monty_field_element! {
    name: Scalar,
    params: ScalarParams,
    uint: U512,
    doc: "An element of the brainpoolP512r1 scalar field"
}

primefield::monty_field_arithmetic! {
    name: Scalar,
    params: ScalarParams,
    uint: U512
}

primefield::monty_field_reduce! {
    name: Scalar,
    params: ScalarParams,
    uint: U512,
}

elliptic_curve::scalar_impls!(BrainpoolP512r1, Scalar);

wnaf::impl_wnaf_size_for_scalar!(Scalar);

impl AsRef<Scalar> for Scalar {
    fn as_ref(&self) -> &Scalar {
        self
    }
}

impl FromUintUnchecked for Scalar {
    type Uint = U512;

    fn from_uint_unchecked(uint: Self::Uint) -> Self {
        Self::from_uint_unchecked(uint)
    }
}

impl IsHigh for Scalar {
    fn is_high(&self) -> Choice {
        const MODULUS_SHR1: U512 = ORDER.as_ref().shr_vartime(1);
        self.to_canonical().ct_gt(&MODULUS_SHR1)
    }
}

#[cfg(test)]
mod tests {
    use super::{Scalar, U512};
    primefield::test_primefield!(Scalar, U512);
}
