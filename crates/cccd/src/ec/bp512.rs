//! brainpoolP512r1 (RFC 5639 §3.7) defined on RustCrypto's `primeorder` and `primefield`.
//!
//! RustCrypto publishes no crate for this curve, yet Vietnam's ePassport CSCA signs with it, so
//! the curve is declared here: the field and scalar types come from `primefield`'s Montgomery
//! macros (constant-time `crypto-bigint` arithmetic), the group law from `primeorder`'s
//! complete formulas for a generic `a`. No field arithmetic is written by hand.
//!
//! With these types `ecdsa::VerifyingKey<BrainpoolP512r1>` verifies signatures and
//! `primeorder::ProjectivePoint` does ECDH.

mod field;
mod scalar;

pub use field::FieldElement;
pub use scalar::Scalar;

use elliptic_curve::bigint::{Odd, U512};
use elliptic_curve::consts::U64;
use elliptic_curve::{CurveArithmetic, PrimeCurveArithmetic, hazmat::FieldArithmetic};
use primeorder::{PrimeCurveParams, mul_backend, point_arithmetic};

/// The prime p of the base field, big-endian hex (RFC 5639 §3.7).
pub(crate) const MODULUS_HEX: &str = "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca703308717d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3";
/// The group order q, big-endian hex (RFC 5639 §3.7).
pub(crate) const ORDER_HEX: &str = "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069";
const ORDER: Odd<U512> = Odd::<U512>::from_be_hex(ORDER_HEX);

/// The brainpoolP512r1 curve (verifiably pseudo-random variant), a zero-sized marker type.
#[derive(Copy, Clone, Debug, Default, Eq, PartialEq, PartialOrd, Ord)]
pub struct BrainpoolP512r1;

impl elliptic_curve::Curve for BrainpoolP512r1 {
    type FieldBytesSize = U64;
    type Uint = U512;
    const ORDER: Odd<U512> = ORDER;
}

impl elliptic_curve::PrimeCurve for BrainpoolP512r1 {}

impl elliptic_curve::point::PointCompression for BrainpoolP512r1 {
    // eMRTDs and X.509 use uncompressed points.
    const COMPRESS_POINTS: bool = false;
}

/// A point in affine coordinates.
pub type AffinePoint = primeorder::AffinePoint<BrainpoolP512r1>;
/// A point in projective coordinates.
pub type ProjectivePoint = primeorder::ProjectivePoint<BrainpoolP512r1>;
/// A non-zero scalar.
pub type NonZeroScalar = elliptic_curve::NonZeroScalar<BrainpoolP512r1>;
/// A SEC1-encoded point.
pub type Sec1Point = elliptic_curve::sec1::Sec1Point<BrainpoolP512r1>;
/// 64-byte big-endian field or scalar bytes.
pub type FieldBytes = elliptic_curve::FieldBytes<BrainpoolP512r1>;
/// An ECDSA signature over brainpoolP512r1.
pub type Signature = ecdsa::Signature<BrainpoolP512r1>;
/// An ECDSA public key over brainpoolP512r1.
pub type VerifyingKey = ecdsa::VerifyingKey<BrainpoolP512r1>;

impl CurveArithmetic for BrainpoolP512r1 {
    type AffinePoint = AffinePoint;
    type ProjectivePoint = ProjectivePoint;
    type Scalar = Scalar;
}

impl FieldArithmetic for BrainpoolP512r1 {
    type FieldElement = FieldElement;
}

impl PrimeCurveArithmetic for BrainpoolP512r1 {
    type CurveGroup = ProjectivePoint;
}

impl PrimeCurveParams for BrainpoolP512r1 {
    type PointArithmetic = point_arithmetic::EquationAIsGeneric;
    type Backend = mul_backend::VariableOnly;

    // RFC 5639 §3.7, brainpoolP512r1: A, B, x, y.
    const EQUATION_A: FieldElement = FieldElement::from_hex_vartime(
        "7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca",
    );
    const EQUATION_B: FieldElement = FieldElement::from_hex_vartime(
        "3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723",
    );
    const GENERATOR: (FieldElement, FieldElement) = (
        FieldElement::from_hex_vartime(
            "81aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098eff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f822",
        ),
        FieldElement::from_hex_vartime(
            "7dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892",
        ),
    );
}

impl ecdsa::EcdsaCurve for BrainpoolP512r1 {
    // Brainpool signatures are not low-S normalised.
    const NORMALIZE_S: bool = false;
}

impl ecdsa::DigestAlgorithm for BrainpoolP512r1 {
    type Digest = sha2::Sha512;
}

#[cfg(test)]
mod tests;
