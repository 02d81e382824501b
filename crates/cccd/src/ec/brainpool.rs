//! brainpoolP192r1, brainpoolP224r1 and brainpoolP320r1 (RFC 5639 §3.2, §3.3, §3.5) on
//! RustCrypto's `primeorder` and `primefield`, declared exactly as [`super::bp512`] is.
//!
//! RustCrypto publishes no crates for these curves; ICAO 9303-11 §9.5.1 gives them PACE
//! domain parameter ids 9, 11 and 14. The field and scalar types come from `primefield`'s
//! Montgomery macros (constant-time `crypto-bigint` arithmetic) and the group law from
//! `primeorder`'s complete formulas for a generic `a`; no arithmetic is written here. The
//! constants are RFC 5639's (the same values `openssl ecparam -param_enc explicit` prints).

/// Declare one brainpool curve: the marker type, its base and scalar fields and the
/// `primeorder` parameters. Hex constants of `modulus` and `order` are as wide as `uint`
/// (zero-padded where the curve is narrower than the limbs); the others as wide as the field.
macro_rules! brainpool_curve {
    (
        curve: $curve:ident,
        name: $name:literal,
        uint: $uint:ident,
        field_bytes: $bytes:ident,
        modulus: $modulus:literal,
        order: $order:literal,
        field_non_residue: $field_generator:literal,
        scalar_non_residue: $scalar_generator:literal,
        a: $a:literal,
        b: $b:literal,
        gx: $gx:literal,
        gy: $gy:literal,
        digest: $digest:ty
    ) => {
        use elliptic_curve::bigint::{Odd, $uint};
        use elliptic_curve::consts::$bytes;
        use elliptic_curve::{CurveArithmetic, PrimeCurveArithmetic, hazmat::FieldArithmetic};
        use primeorder::{PrimeCurveParams, mul_backend, point_arithmetic};

        /// The prime p of the base field, big-endian hex as wide as the limbs.
        pub(crate) const MODULUS_HEX: &str = $modulus;
        /// The group order q, big-endian hex as wide as the limbs.
        pub(crate) const ORDER_HEX: &str = $order;
        const ORDER: Odd<$uint> = Odd::<$uint>::from_be_hex(ORDER_HEX);

        #[doc = concat!("The ", $name, " curve (RFC 5639), a zero-sized marker type.")]
        #[derive(Copy, Clone, Debug, Default, Eq, PartialEq, PartialOrd, Ord)]
        pub struct $curve;

        impl elliptic_curve::Curve for $curve {
            type FieldBytesSize = $bytes;
            type Uint = $uint;
            const ORDER: Odd<$uint> = ORDER;
        }

        impl elliptic_curve::PrimeCurve for $curve {}

        impl elliptic_curve::point::PointCompression for $curve {
            // eMRTDs and X.509 use uncompressed points.
            const COMPRESS_POINTS: bool = false;
        }

        /// A point in affine coordinates.
        pub type AffinePoint = primeorder::AffinePoint<$curve>;
        /// A point in projective coordinates.
        pub type ProjectivePoint = primeorder::ProjectivePoint<$curve>;
        /// An ECDSA public key over this curve.
        pub type VerifyingKey = ecdsa::VerifyingKey<$curve>;
        /// An ECDSA signature over this curve.
        pub type Signature = ecdsa::Signature<$curve>;

        impl CurveArithmetic for $curve {
            type AffinePoint = AffinePoint;
            type ProjectivePoint = ProjectivePoint;
            type Scalar = Scalar;
        }

        impl FieldArithmetic for $curve {
            type FieldElement = FieldElement;
        }

        impl PrimeCurveArithmetic for $curve {
            type CurveGroup = ProjectivePoint;
        }

        impl PrimeCurveParams for $curve {
            type PointArithmetic = point_arithmetic::EquationAIsGeneric;
            type Backend = mul_backend::VariableOnly;

            const EQUATION_A: FieldElement = FieldElement::from_hex_vartime($a);
            const EQUATION_B: FieldElement = FieldElement::from_hex_vartime($b);
            const GENERATOR: (FieldElement, FieldElement) = (
                FieldElement::from_hex_vartime($gx),
                FieldElement::from_hex_vartime($gy),
            );
        }

        impl ecdsa::EcdsaCurve for $curve {
            // Brainpool signatures are not low-S normalised.
            const NORMALIZE_S: bool = false;
        }

        impl ecdsa::DigestAlgorithm for $curve {
            type Digest = $digest;
        }

        pub use field::FieldElement;
        pub use scalar::Scalar;

        /// The base field, integers modulo p, in Montgomery form.
        mod field {
            // primefield 0.14's params macro calls a crypto-bigint method since deprecated.
            #![allow(deprecated)]

            // The primefield macros name these traits and types unqualified.
            use elliptic_curve::bigint::$uint;
            use elliptic_curve::ff::PrimeField;
            use elliptic_curve::ops::BatchInvert;
            use elliptic_curve::subtle::{Choice, ConstantTimeEq, CtOption};

            primefield::monty_field_params! {
                name: FieldParams,
                modulus: super::MODULUS_HEX,
                uint: $uint,
                byte_order: primefield::ByteOrder::BigEndian,
                // The smallest quadratic non-residue mod p (p = 3 mod 4).
                multiplicative_generator: $field_generator,
                doc: concat!("Montgomery parameters for the ", $name, " field modulus")
            }

            primefield::monty_field_element! {
                name: FieldElement,
                params: FieldParams,
                uint: $uint,
                doc: concat!("An element of the ", $name, " base field")
            }

            primefield::monty_field_arithmetic! {
                name: FieldElement,
                params: FieldParams,
                uint: $uint
            }

            impl BatchInvert for FieldElement {}

            #[cfg(test)]
            mod tests {
                use super::{FieldElement, $uint};
                primefield::test_primefield!(FieldElement, $uint);
            }
        }

        /// The scalar field, integers modulo the group order q.
        mod scalar {
            // primefield 0.14's params macro calls a crypto-bigint method since deprecated.
            #![allow(deprecated)]

            // The primefield and elliptic-curve macros name these traits and types unqualified.
            use super::{ORDER, ORDER_HEX, $curve};
            use elliptic_curve::bigint::$uint;
            use elliptic_curve::ff::PrimeField;
            use elliptic_curve::scalar::{FromUintUnchecked, IsHigh};
            use elliptic_curve::subtle::{Choice, ConstantTimeEq, ConstantTimeGreater, CtOption};
            use primeorder::wnaf;

            primefield::monty_field_params! {
                name: ScalarParams,
                modulus: ORDER_HEX,
                uint: $uint,
                byte_order: primefield::ByteOrder::BigEndian,
                // The smallest quadratic non-residue mod q, as Tonelli-Shanks needs.
                multiplicative_generator: $scalar_generator,
                doc: concat!("Montgomery parameters for the ", $name, " group order")
            }

            primefield::monty_field_element! {
                name: Scalar,
                params: ScalarParams,
                uint: $uint,
                doc: concat!("An element of the ", $name, " scalar field")
            }

            primefield::monty_field_arithmetic! {
                name: Scalar,
                params: ScalarParams,
                uint: $uint
            }

            // By hand rather than `monty_field_reduce!`, which needs the field bytes to be as
            // wide as the limbs (not so for 224 bits in four limbs or 320 in six).
            impl primefield::bigint::Reduce<$uint> for Scalar {
                fn reduce(w: &$uint) -> Self {
                    Self(<primefield::MontyFieldElement<
                        ScalarParams,
                        { <$uint>::LIMBS },
                    > as primefield::bigint::Reduce<$uint>>::reduce(
                        w
                    ))
                }
            }

            impl primefield::bigint::Reduce<elliptic_curve::FieldBytes<$curve>> for Scalar {
                fn reduce(bytes: &elliptic_curve::FieldBytes<$curve>) -> Self {
                    let mut wide = [0u8; <$uint>::BYTES];
                    let start = wide.len() - bytes.len();
                    wide[start..].copy_from_slice(bytes);
                    <Self as primefield::bigint::Reduce<$uint>>::reduce(&<$uint>::from_be_slice(
                        &wide,
                    ))
                }
            }

            elliptic_curve::scalar_impls!($curve, Scalar);

            wnaf::impl_wnaf_size_for_scalar!(Scalar);

            impl AsRef<Scalar> for Scalar {
                fn as_ref(&self) -> &Scalar {
                    self
                }
            }

            impl FromUintUnchecked for Scalar {
                type Uint = $uint;

                fn from_uint_unchecked(uint: Self::Uint) -> Self {
                    Self::from_uint_unchecked(uint)
                }
            }

            impl IsHigh for Scalar {
                fn is_high(&self) -> Choice {
                    const MODULUS_SHR1: $uint = ORDER.as_ref().shr_vartime(1);
                    self.to_canonical().ct_gt(&MODULUS_SHR1)
                }
            }

            #[cfg(test)]
            mod tests {
                use super::{Scalar, $uint};
                primefield::test_primefield!(Scalar, $uint);
            }
        }
    };
}

/// brainpoolP192r1 (RFC 5639 §3.2); PACE parameter id 9.
pub mod bp192 {
    brainpool_curve! {
        curve: BrainpoolP192r1,
        name: "brainpoolP192r1",
        uint: U192,
        field_bytes: U24,
        modulus: "c302f41d932a36cda7a3463093d18db78fce476de1a86297",
        order: "c302f41d932a36cda7a3462f9e9e916b5be8f1029ac4acc1",
        field_non_residue: 3,
        scalar_non_residue: 7,
        a: "6a91174076b1e0e19c39c031fe8685c1cae040e5c69a28ef",
        b: "469a28ef7c28cca3dc721d044f4496bcca7ef4146fbf25c9",
        gx: "c0a0647eaab6a48753b033c56cb0f0900a2f5c4853375fd6",
        gy: "14b690866abd5bb88b5f4828c1490002e6773fa2fa299b8f",
        digest: sha2::Sha256
    }
}

/// brainpoolP224r1 (RFC 5639 §3.3); PACE parameter id 11. 224 bits are held in four 64-bit
/// limbs, so the modulus and order hex carry 32 leading zero bits.
pub mod bp224 {
    brainpool_curve! {
        curve: BrainpoolP224r1,
        name: "brainpoolP224r1",
        uint: U256,
        field_bytes: U28,
        modulus: "00000000d7c134aa264366862a18302575d1d787b09f075797da89f57ec8c0ff",
        order: "00000000d7c134aa264366862a18302575d0fb98d116bc4b6ddebca3a5a7939f",
        field_non_residue: 3,
        scalar_non_residue: 3,
        a: "68a5e62ca9ce6c1c299803a6c1530b514e182ad8b0042a59cad29f43",
        b: "2580f63ccfe44138870713b1a92369e33e2135d266dbb372386c400b",
        gx: "0d9029ad2c7e5cf4340823b2a87dc68c9e4ce3174c1e6efdee12c07d",
        gy: "58aa56f772c0726f24c6b89e4ecdac24354b9e99caa3f6d3761402cd",
        digest: sha2::Sha224
    }
}

/// brainpoolP320r1 (RFC 5639 §3.5); PACE parameter id 14. crypto-bigint encodes no 320-bit
/// integers to byte arrays, so 320 bits are held in six 64-bit limbs (64 leading zero bits).
pub mod bp320 {
    brainpool_curve! {
        curve: BrainpoolP320r1,
        name: "brainpoolP320r1",
        uint: U384,
        field_bytes: U40,
        modulus: "0000000000000000d35e472036bc4fb7e13c785ed201e065f98fcfa6f6f40def4f92b9ec7893ec28fcd412b1f1b32e27",
        order: "0000000000000000d35e472036bc4fb7e13c785ed201e065f98fcfa5b68f12a32d482ec7ee8658e98691555b44c59311",
        field_non_residue: 5,
        scalar_non_residue: 3,
        a: "3ee30b568fbab0f883ccebd46d3f3bb8a2a73513f5eb79da66190eb085ffa9f492f375a97d860eb4",
        b: "520883949dfdbc42d3ad198640688a6fe13f41349554b49acc31dccd884539816f5eb4ac8fb1f1a6",
        gx: "43bd7e9afb53d8b85289bcc48ee5bfe6f20137d10a087eb6e7871e2a10a599c710af8d0d39e20611",
        gy: "14fdd05545ec1cc8ab4093247f77275e0743ffed117182eaa9c77877aaac6ac7d35245d1692e8ee1",
        digest: sha2::Sha384
    }
}

#[cfg(test)]
mod tests;
