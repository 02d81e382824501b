//! The base field of brainpoolP512r1, integers modulo p, in Montgomery form.

// primefield 0.14's params macro calls a crypto-bigint method that was since deprecated.
#![allow(deprecated)]

// The primefield macros name these traits and types unqualified.
use elliptic_curve::bigint::U512;
use elliptic_curve::ff::PrimeField;
use elliptic_curve::ops::BatchInvert;
use elliptic_curve::subtle::{Choice, ConstantTimeEq, CtOption};

primefield::monty_field_params! {
    name: FieldParams,
    modulus: super::MODULUS_HEX,
    uint: U512,
    byte_order: primefield::ByteOrder::BigEndian,
    // 2 is a quadratic non-residue mod p (p = 3 mod 4), which is what square roots need.
    multiplicative_generator: 2,
    doc: "Montgomery parameters for the brainpoolP512r1 field modulus"
}

primefield::monty_field_element! {
    name: FieldElement,
    params: FieldParams,
    uint: U512,
    doc: "An element of the brainpoolP512r1 base field"
}

primefield::monty_field_arithmetic! {
    name: FieldElement,
    params: FieldParams,
    uint: U512
}

impl BatchInvert for FieldElement {}

#[cfg(test)]
mod tests {
    use super::{FieldElement, U512};
    primefield::test_primefield!(FieldElement, U512);
}
