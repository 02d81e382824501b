//! One runtime API over the RustCrypto curve types: points and scalars tagged with their curve.

use super::{Curve, EcError, bp512, brainpool};
use elliptic_curve::ff::{Field, PrimeField};
use elliptic_curve::group::{Curve as _, Group};
use elliptic_curve::ops::Reduce;
use elliptic_curve::point::AffineCoordinates;
use elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use elliptic_curve::{
    AffinePoint, CurveArithmetic, FieldBytes, FieldBytesSize, Generate, NonZeroScalar,
};
use rand_core::CryptoRng;
use std::fmt;
use zeroize::{Zeroize, Zeroizing};

/// A point of one of the supported curves (never decoded from bytes as the identity).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct EcPoint(PointInner);

#[derive(Clone, Copy, PartialEq, Eq)]
enum PointInner {
    Bp256(bp256::r1::ProjectivePoint),
    Bp384(bp384::r1::ProjectivePoint),
    Bp512(bp512::ProjectivePoint),
    Bp192(brainpool::bp192::ProjectivePoint),
    Bp224(brainpool::bp224::ProjectivePoint),
    Bp320(brainpool::bp320::ProjectivePoint),
    P192(p192::ProjectivePoint),
    P224(p224::ProjectivePoint),
    P256(p256::ProjectivePoint),
    P384(p384::ProjectivePoint),
    P521(p521::ProjectivePoint),
}

/// A scalar (private key, nonce) of one of the supported curves; zeroized on drop, and its
/// Debug output never shows the value.
#[derive(Clone)]
pub struct EcScalar(ScalarInner);

#[derive(Clone)]
enum ScalarInner {
    Bp256(bp256::r1::Scalar),
    Bp384(bp384::r1::Scalar),
    Bp512(bp512::Scalar),
    Bp192(brainpool::bp192::Scalar),
    Bp224(brainpool::bp224::Scalar),
    Bp320(brainpool::bp320::Scalar),
    P192(p192::Scalar),
    P224(p224::Scalar),
    P256(p256::Scalar),
    P384(p384::Scalar),
    P521(p521::Scalar),
}

/// Apply the same generic expression to whichever curve type `$value` holds, re-wrapping the
/// result in the same variant of `$out`.
macro_rules! map_each {
    ($value:expr, $inner:ident => $out:ident, $x:ident => $body:expr) => {
        match $value {
            $inner::Bp256($x) => $out::Bp256($body),
            $inner::Bp384($x) => $out::Bp384($body),
            $inner::Bp512($x) => $out::Bp512($body),
            $inner::Bp192($x) => $out::Bp192($body),
            $inner::Bp224($x) => $out::Bp224($body),
            $inner::Bp320($x) => $out::Bp320($body),
            $inner::P192($x) => $out::P192($body),
            $inner::P224($x) => $out::P224($body),
            $inner::P256($x) => $out::P256($body),
            $inner::P384($x) => $out::P384($body),
            $inner::P521($x) => $out::P521($body),
        }
    };
}

/// Apply the same generic expression to whichever curve type `$value` holds.
macro_rules! on_each {
    ($value:expr, $inner:ident, $x:ident => $body:expr) => {
        match $value {
            $inner::Bp256($x) => $body,
            $inner::Bp384($x) => $body,
            $inner::Bp512($x) => $body,
            $inner::Bp192($x) => $body,
            $inner::Bp224($x) => $body,
            $inner::Bp320($x) => $body,
            $inner::P192($x) => $body,
            $inner::P224($x) => $body,
            $inner::P256($x) => $body,
            $inner::P384($x) => $body,
            $inner::P521($x) => $body,
        }
    };
}

/// Build the variant for `$curve` from a generic expression over the curve type `C`.
macro_rules! for_curve {
    ($curve:expr, $out:ident, $C:ident => $body:expr) => {
        match $curve {
            Curve::BrainpoolP256r1 => {
                type $C = bp256::BrainpoolP256r1;
                $out::Bp256($body)
            }
            Curve::BrainpoolP384r1 => {
                type $C = bp384::BrainpoolP384r1;
                $out::Bp384($body)
            }
            Curve::BrainpoolP512r1 => {
                type $C = bp512::BrainpoolP512r1;
                $out::Bp512($body)
            }
            Curve::BrainpoolP192r1 => {
                type $C = brainpool::bp192::BrainpoolP192r1;
                $out::Bp192($body)
            }
            Curve::BrainpoolP224r1 => {
                type $C = brainpool::bp224::BrainpoolP224r1;
                $out::Bp224($body)
            }
            Curve::BrainpoolP320r1 => {
                type $C = brainpool::bp320::BrainpoolP320r1;
                $out::Bp320($body)
            }
            Curve::NistP192 => {
                type $C = p192::NistP192;
                $out::P192($body)
            }
            Curve::NistP224 => {
                type $C = p224::NistP224;
                $out::P224($body)
            }
            Curve::NistP256 => {
                type $C = p256::NistP256;
                $out::P256($body)
            }
            Curve::NistP384 => {
                type $C = p384::NistP384;
                $out::P384($body)
            }
            Curve::NistP521 => {
                type $C = p521::NistP521;
                $out::P521($body)
            }
        }
    };
}

fn decode<C>(curve: Curve, bytes: &[u8]) -> Result<C::ProjectivePoint, EcError>
where
    C: CurveArithmetic,
    FieldBytesSize<C>: ModulusSize,
    AffinePoint<C>: FromSec1Point<C>,
{
    let invalid = |reason| EcError::InvalidPoint { curve, reason };
    // Only the uncompressed form: ICAO 9303 and BSI TR-03111 send points that way, and it
    // keeps the identity (a single 00) and compressed forms out.
    match bytes.first() {
        Some(0x04) => {}
        Some(0x00) => return Err(invalid("the point at infinity")),
        Some(0x02 | 0x03) => return Err(invalid("compressed points are not accepted")),
        _ => return Err(invalid("not a SEC1 uncompressed point (04 || x || y)")),
    }
    if bytes.len() != 1 + 2 * curve.field_size() {
        return Err(invalid("wrong length for this curve"));
    }
    let affine =
        AffinePoint::<C>::from_sec1_bytes(bytes).map_err(|_| invalid("not on the curve"))?;
    Ok(affine.into())
}

fn encode<C>(point: &C::ProjectivePoint) -> Vec<u8>
where
    C: CurveArithmetic,
    FieldBytesSize<C>: ModulusSize,
    AffinePoint<C>: ToSec1Point<C>,
{
    point.to_affine().to_sec1_point(false).as_bytes().to_vec()
}

fn x_coordinate<C: CurveArithmetic>(point: &C::ProjectivePoint) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(point.to_affine().x().to_vec())
}

/// Left-pad big-endian `bytes` into the curve's field-size representation.
fn to_repr<C: CurveArithmetic>(curve: Curve, bytes: &[u8]) -> Result<FieldBytes<C>, EcError> {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    let significant = &bytes[zeros..];
    let mut repr = FieldBytes::<C>::default();
    let Some(start) = repr.len().checked_sub(significant.len()) else {
        return Err(EcError::InvalidScalar {
            curve,
            reason: "longer than the group order",
        });
    };
    repr[start..].copy_from_slice(significant);
    Ok(repr)
}

fn scalar_strict<C: CurveArithmetic>(curve: Curve, bytes: &[u8]) -> Result<C::Scalar, EcError> {
    let mut repr = to_repr::<C>(curve, bytes)?;
    let scalar: Option<C::Scalar> = C::Scalar::from_repr(repr).into();
    repr.zeroize();
    match scalar {
        None => Err(EcError::InvalidScalar {
            curve,
            reason: "not below the group order",
        }),
        Some(s) if bool::from(s.is_zero()) => Err(EcError::InvalidScalar {
            curve,
            reason: "zero",
        }),
        Some(s) => Ok(s),
    }
}

fn scalar_reduced<C: CurveArithmetic>(curve: Curve, bytes: &[u8]) -> Result<C::Scalar, EcError> {
    let mut repr = to_repr::<C>(curve, bytes)?;
    let scalar = <C::Scalar as Reduce<FieldBytes<C>>>::reduce(&repr);
    repr.zeroize();
    Ok(scalar)
}

fn random<C: CurveArithmetic, R: CryptoRng + ?Sized>(rng: &mut R) -> C::Scalar {
    *NonZeroScalar::<C>::generate_from_rng(rng).as_ref()
}

impl Curve {
    /// The curve's generator G.
    pub fn generator(self) -> EcPoint {
        EcPoint(for_curve!(self, PointInner, C =>
            <<C as CurveArithmetic>::ProjectivePoint as Group>::generator()))
    }

    /// Decode a SEC1 uncompressed point (`04 || x || y`), rejecting points off the curve, the
    /// identity and other encodings.
    pub fn decode_point(self, bytes: &[u8]) -> Result<EcPoint, EcError> {
        Ok(EcPoint(
            for_curve!(self, PointInner, C => decode::<C>(self, bytes)?),
        ))
    }

    /// A scalar from big-endian bytes; it must be in 1..n (a private key).
    pub fn scalar_from_be_bytes(self, bytes: &[u8]) -> Result<EcScalar, EcError> {
        Ok(EcScalar(
            for_curve!(self, ScalarInner, C => scalar_strict::<C>(self, bytes)?),
        ))
    }

    /// A scalar from big-endian bytes reduced modulo n (the PACE nonce s, which is any
    /// integer up to the field size).
    pub fn scalar_from_be_bytes_reduced(self, bytes: &[u8]) -> Result<EcScalar, EcError> {
        Ok(EcScalar(
            for_curve!(self, ScalarInner, C => scalar_reduced::<C>(self, bytes)?),
        ))
    }

    /// A uniformly random non-zero scalar.
    pub fn random_scalar<R: CryptoRng + ?Sized>(self, rng: &mut R) -> EcScalar {
        EcScalar(for_curve!(self, ScalarInner, C => random::<C, R>(rng)))
    }

    /// `k·G`.
    pub fn mul_generator(self, k: &EcScalar) -> Result<EcPoint, EcError> {
        self.generator().mul(k)
    }

    /// A fresh key pair (d, d·G) on the standard generator.
    pub fn generate_keypair<R: CryptoRng + ?Sized>(self, rng: &mut R) -> (EcScalar, EcPoint) {
        let secret = self.random_scalar(rng);
        let public = EcPoint(match (&self.generator().0, &secret.0) {
            (PointInner::Bp256(g), ScalarInner::Bp256(k)) => PointInner::Bp256(*g * k),
            (PointInner::Bp384(g), ScalarInner::Bp384(k)) => PointInner::Bp384(*g * k),
            (PointInner::Bp512(g), ScalarInner::Bp512(k)) => PointInner::Bp512(*g * k),
            (PointInner::Bp192(g), ScalarInner::Bp192(k)) => PointInner::Bp192(*g * k),
            (PointInner::Bp224(g), ScalarInner::Bp224(k)) => PointInner::Bp224(*g * k),
            (PointInner::Bp320(g), ScalarInner::Bp320(k)) => PointInner::Bp320(*g * k),
            (PointInner::P192(g), ScalarInner::P192(k)) => PointInner::P192(*g * k),
            (PointInner::P224(g), ScalarInner::P224(k)) => PointInner::P224(*g * k),
            (PointInner::P256(g), ScalarInner::P256(k)) => PointInner::P256(*g * k),
            (PointInner::P384(g), ScalarInner::P384(k)) => PointInner::P384(*g * k),
            (PointInner::P521(g), ScalarInner::P521(k)) => PointInner::P521(*g * k),
            // generator() and random_scalar() were built for the same curve.
            _ => unreachable!("generator and scalar of one curve"),
        });
        (secret, public)
    }
}

impl EcPoint {
    /// The curve this point belongs to.
    pub fn curve(&self) -> Curve {
        match self.0 {
            PointInner::Bp256(_) => Curve::BrainpoolP256r1,
            PointInner::Bp384(_) => Curve::BrainpoolP384r1,
            PointInner::Bp512(_) => Curve::BrainpoolP512r1,
            PointInner::Bp192(_) => Curve::BrainpoolP192r1,
            PointInner::Bp224(_) => Curve::BrainpoolP224r1,
            PointInner::Bp320(_) => Curve::BrainpoolP320r1,
            PointInner::P192(_) => Curve::NistP192,
            PointInner::P224(_) => Curve::NistP224,
            PointInner::P256(_) => Curve::NistP256,
            PointInner::P384(_) => Curve::NistP384,
            PointInner::P521(_) => Curve::NistP521,
        }
    }

    /// Whether this is the point at infinity (possible only as a computed result).
    pub fn is_identity(&self) -> bool {
        on_each!(&self.0, PointInner, p => bool::from(p.is_identity()))
    }

    fn non_identity(&self) -> Result<(), EcError> {
        if self.is_identity() {
            Err(EcError::InvalidPoint {
                curve: self.curve(),
                reason: "the point at infinity",
            })
        } else {
            Ok(())
        }
    }

    /// SEC1 uncompressed encoding `04 || x || y`; the identity has none.
    pub fn to_uncompressed(&self) -> Result<Vec<u8>, EcError> {
        self.non_identity()?;
        Ok(match &self.0 {
            PointInner::Bp256(p) => encode::<bp256::BrainpoolP256r1>(p),
            PointInner::Bp384(p) => encode::<bp384::BrainpoolP384r1>(p),
            PointInner::Bp512(p) => encode::<bp512::BrainpoolP512r1>(p),
            PointInner::Bp192(p) => encode::<brainpool::bp192::BrainpoolP192r1>(p),
            PointInner::Bp224(p) => encode::<brainpool::bp224::BrainpoolP224r1>(p),
            PointInner::Bp320(p) => encode::<brainpool::bp320::BrainpoolP320r1>(p),
            PointInner::P192(p) => encode::<p192::NistP192>(p),
            PointInner::P224(p) => encode::<p224::NistP224>(p),
            PointInner::P256(p) => encode::<p256::NistP256>(p),
            PointInner::P384(p) => encode::<p384::NistP384>(p),
            PointInner::P521(p) => encode::<p521::NistP521>(p),
        })
    }

    /// The affine x-coordinate as a field-size big-endian byte string (the ECDH shared
    /// secret of ICAO 9303 / BSI TR-03111); the identity has none.
    pub fn x_coordinate(&self) -> Result<Zeroizing<Vec<u8>>, EcError> {
        self.non_identity()?;
        Ok(match &self.0 {
            PointInner::Bp256(p) => x_coordinate::<bp256::BrainpoolP256r1>(p),
            PointInner::Bp384(p) => x_coordinate::<bp384::BrainpoolP384r1>(p),
            PointInner::Bp512(p) => x_coordinate::<bp512::BrainpoolP512r1>(p),
            PointInner::Bp192(p) => x_coordinate::<brainpool::bp192::BrainpoolP192r1>(p),
            PointInner::Bp224(p) => x_coordinate::<brainpool::bp224::BrainpoolP224r1>(p),
            PointInner::Bp320(p) => x_coordinate::<brainpool::bp320::BrainpoolP320r1>(p),
            PointInner::P192(p) => x_coordinate::<p192::NistP192>(p),
            PointInner::P224(p) => x_coordinate::<p224::NistP224>(p),
            PointInner::P256(p) => x_coordinate::<p256::NistP256>(p),
            PointInner::P384(p) => x_coordinate::<p384::NistP384>(p),
            PointInner::P521(p) => x_coordinate::<p521::NistP521>(p),
        })
    }

    /// `k·self` (constant time in `k`).
    pub fn mul(&self, k: &EcScalar) -> Result<EcPoint, EcError> {
        Ok(EcPoint(match (&self.0, &k.0) {
            (PointInner::Bp256(p), ScalarInner::Bp256(k)) => PointInner::Bp256(*p * k),
            (PointInner::Bp384(p), ScalarInner::Bp384(k)) => PointInner::Bp384(*p * k),
            (PointInner::Bp512(p), ScalarInner::Bp512(k)) => PointInner::Bp512(*p * k),
            (PointInner::Bp192(p), ScalarInner::Bp192(k)) => PointInner::Bp192(*p * k),
            (PointInner::Bp224(p), ScalarInner::Bp224(k)) => PointInner::Bp224(*p * k),
            (PointInner::Bp320(p), ScalarInner::Bp320(k)) => PointInner::Bp320(*p * k),
            (PointInner::P192(p), ScalarInner::P192(k)) => PointInner::P192(*p * k),
            (PointInner::P224(p), ScalarInner::P224(k)) => PointInner::P224(*p * k),
            (PointInner::P256(p), ScalarInner::P256(k)) => PointInner::P256(*p * k),
            (PointInner::P384(p), ScalarInner::P384(k)) => PointInner::P384(*p * k),
            (PointInner::P521(p), ScalarInner::P521(k)) => PointInner::P521(*p * k),
            _ => return Err(EcError::CurveMismatch(self.curve(), k.curve())),
        }))
    }

    /// `self + other`.
    pub fn add(&self, other: &EcPoint) -> Result<EcPoint, EcError> {
        Ok(EcPoint(match (&self.0, &other.0) {
            (PointInner::Bp256(a), PointInner::Bp256(b)) => PointInner::Bp256(*a + b),
            (PointInner::Bp384(a), PointInner::Bp384(b)) => PointInner::Bp384(*a + b),
            (PointInner::Bp512(a), PointInner::Bp512(b)) => PointInner::Bp512(*a + b),
            (PointInner::Bp192(a), PointInner::Bp192(b)) => PointInner::Bp192(*a + b),
            (PointInner::Bp224(a), PointInner::Bp224(b)) => PointInner::Bp224(*a + b),
            (PointInner::Bp320(a), PointInner::Bp320(b)) => PointInner::Bp320(*a + b),
            (PointInner::P192(a), PointInner::P192(b)) => PointInner::P192(*a + b),
            (PointInner::P224(a), PointInner::P224(b)) => PointInner::P224(*a + b),
            (PointInner::P256(a), PointInner::P256(b)) => PointInner::P256(*a + b),
            (PointInner::P384(a), PointInner::P384(b)) => PointInner::P384(*a + b),
            (PointInner::P521(a), PointInner::P521(b)) => PointInner::P521(*a + b),
            _ => return Err(EcError::CurveMismatch(self.curve(), other.curve())),
        }))
    }

    /// `-self`.
    #[must_use]
    pub fn neg(&self) -> EcPoint {
        EcPoint(map_each!(&self.0, PointInner => PointInner, p => -*p))
    }
}

impl fmt::Debug for EcPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_uncompressed() {
            Ok(bytes) => {
                write!(f, "EcPoint({}, ", self.curve())?;
                for b in bytes {
                    write!(f, "{b:02X}")?;
                }
                f.write_str(")")
            }
            Err(_) => write!(f, "EcPoint({}, infinity)", self.curve()),
        }
    }
}

impl EcScalar {
    /// The curve whose group order this scalar is reduced by.
    pub fn curve(&self) -> Curve {
        match self.0 {
            ScalarInner::Bp256(_) => Curve::BrainpoolP256r1,
            ScalarInner::Bp384(_) => Curve::BrainpoolP384r1,
            ScalarInner::Bp512(_) => Curve::BrainpoolP512r1,
            ScalarInner::Bp192(_) => Curve::BrainpoolP192r1,
            ScalarInner::Bp224(_) => Curve::BrainpoolP224r1,
            ScalarInner::Bp320(_) => Curve::BrainpoolP320r1,
            ScalarInner::P192(_) => Curve::NistP192,
            ScalarInner::P224(_) => Curve::NistP224,
            ScalarInner::P256(_) => Curve::NistP256,
            ScalarInner::P384(_) => Curve::NistP384,
            ScalarInner::P521(_) => Curve::NistP521,
        }
    }

    /// Big-endian bytes of field size.
    pub fn to_be_bytes(&self) -> Zeroizing<Vec<u8>> {
        on_each!(&self.0, ScalarInner, s => Zeroizing::new(s.to_repr().to_vec()))
    }

    /// The inverse modulo the group order; `None` for zero.
    pub fn invert(&self) -> Option<EcScalar> {
        Some(EcScalar(match &self.0 {
            ScalarInner::Bp256(s) => ScalarInner::Bp256(Option::from(s.invert())?),
            ScalarInner::Bp384(s) => ScalarInner::Bp384(Option::from(s.invert())?),
            ScalarInner::Bp512(s) => ScalarInner::Bp512(Option::from(s.invert())?),
            ScalarInner::Bp192(s) => ScalarInner::Bp192(Option::from(s.invert())?),
            ScalarInner::Bp224(s) => ScalarInner::Bp224(Option::from(s.invert())?),
            ScalarInner::Bp320(s) => ScalarInner::Bp320(Option::from(s.invert())?),
            ScalarInner::P192(s) => ScalarInner::P192(Option::from(s.invert())?),
            ScalarInner::P224(s) => ScalarInner::P224(Option::from(s.invert())?),
            ScalarInner::P256(s) => ScalarInner::P256(Option::from(s.invert())?),
            ScalarInner::P384(s) => ScalarInner::P384(Option::from(s.invert())?),
            ScalarInner::P521(s) => ScalarInner::P521(Option::from(s.invert())?),
        }))
    }

    /// `self · other` modulo the group order.
    pub fn mul(&self, other: &EcScalar) -> Result<EcScalar, EcError> {
        Ok(EcScalar(match (&self.0, &other.0) {
            (ScalarInner::Bp256(a), ScalarInner::Bp256(b)) => ScalarInner::Bp256(*a * b),
            (ScalarInner::Bp384(a), ScalarInner::Bp384(b)) => ScalarInner::Bp384(*a * b),
            (ScalarInner::Bp512(a), ScalarInner::Bp512(b)) => ScalarInner::Bp512(*a * b),
            (ScalarInner::Bp192(a), ScalarInner::Bp192(b)) => ScalarInner::Bp192(*a * b),
            (ScalarInner::Bp224(a), ScalarInner::Bp224(b)) => ScalarInner::Bp224(*a * b),
            (ScalarInner::Bp320(a), ScalarInner::Bp320(b)) => ScalarInner::Bp320(*a * b),
            (ScalarInner::P192(a), ScalarInner::P192(b)) => ScalarInner::P192(*a * b),
            (ScalarInner::P224(a), ScalarInner::P224(b)) => ScalarInner::P224(*a * b),
            (ScalarInner::P256(a), ScalarInner::P256(b)) => ScalarInner::P256(*a * b),
            (ScalarInner::P384(a), ScalarInner::P384(b)) => ScalarInner::P384(*a * b),
            (ScalarInner::P521(a), ScalarInner::P521(b)) => ScalarInner::P521(*a * b),
            _ => return Err(EcError::CurveMismatch(self.curve(), other.curve())),
        }))
    }

    /// Whether the scalar is zero (a reduced nonce can be).
    pub fn is_zero(&self) -> bool {
        on_each!(&self.0, ScalarInner, s => bool::from(s.is_zero()))
    }
}

impl Drop for EcScalar {
    fn drop(&mut self) {
        on_each!(&mut self.0, ScalarInner, s => s.zeroize());
    }
}

impl fmt::Debug for EcScalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EcScalar({}, <secret>)", self.curve())
    }
}
