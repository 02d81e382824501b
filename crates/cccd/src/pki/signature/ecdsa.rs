//! ECDSA verification on the eleven standardized eMRTD curves, with named or explicit curve parameters.
//!
//! Signatures may be DER `ECDSA-Sig-Value` (X9.62, RFC 5480) or plain `r || s`
//! (BSI TR-03111 §5.2.1); see [`EcdsaEncoding`].

use ::ecdsa::signature::hazmat::PrehashVerifier;
use der::asn1::AnyRef;
use der::{Encode, Tag, Tagged};
use spki::SubjectPublicKeyInfoRef as SubjectPublicKeyInfo;

use super::{EcdsaEncoding, SignatureError, oid};
use crate::ec::{Curve, EcError};

fn ec_parameters<'a>(spki: &SubjectPublicKeyInfo<'a>) -> Result<AnyRef<'a>, SignatureError> {
    if spki.algorithm.oid != oid::EC_PUBLIC_KEY {
        let key_oid = spki.algorithm.oid;
        return Err(SignatureError::BadKey {
            reason: format!("an ECDSA signature needs an EC key, found key algorithm {key_oid}"),
        });
    }
    spki.algorithm
        .parameters
        .ok_or_else(|| SignatureError::UnsupportedCurve {
            curve: "EC key without curve parameters (implicitlyCA)".to_owned(),
        })
}

/// True when the EC key carries explicit `ECParameters` (a SEQUENCE) instead of an OID.
pub(crate) fn has_explicit_parameters(spki: &SubjectPublicKeyInfo<'_>) -> bool {
    ec_parameters(spki).is_ok_and(|p| p.tag() == Tag::Sequence)
}

/// The curve of an EC SubjectPublicKeyInfo, from its namedCurve OID or explicit parameters
/// (matched to a named curve by [`Curve::from_ec_parameters_der`]: p, a, b, G and n must all
/// be equal, so a key on a look-alike curve is refused).
pub(crate) fn curve_of(spki: &SubjectPublicKeyInfo<'_>) -> Result<Curve, SignatureError> {
    let params = ec_parameters(spki)?;
    let der = params.to_der().map_err(|_| SignatureError::BadKey {
        reason: "EC parameters cannot be re-encoded".to_owned(),
    })?;
    Curve::from_ec_parameters_der(&der).map_err(|e| match e {
        EcError::Unsupported { what } => SignatureError::UnsupportedCurve { curve: what },
        other => SignatureError::BadKey {
            reason: other.to_string(),
        },
    })
}

macro_rules! verify_on_curve {
    ($curve:ty, $point:expr, $prehash:expr, $signature:expr, $encoding:expr, $field_len:expr) => {{
        let key = ::ecdsa::VerifyingKey::<$curve>::from_sec1_bytes($point).map_err(|_| {
            SignatureError::BadKey {
                reason: "EC point is not a valid point on the curve".to_owned(),
            }
        })?;
        let parsed = match $encoding {
            EcdsaEncoding::DerOrPlain => ::ecdsa::Signature::<$curve>::from_der($signature)
                .ok()
                .or_else(|| plain::<$curve>($signature, $field_len)),
            EcdsaEncoding::Plain => plain::<$curve>($signature, $field_len),
        };
        let signature = parsed.ok_or(SignatureError::BadSignatureEncoding)?;
        key.verify_prehash($prehash, &signature)
            .map_err(|_| SignatureError::Invalid)
    }};
}

/// Decode a plain `r || s` signature if it has exactly twice the field length.
fn plain<C>(bytes: &[u8], field_len: usize) -> Option<::ecdsa::Signature<C>>
where
    C: ::ecdsa::EcdsaCurve,
    ::ecdsa::SignatureSize<C>: elliptic_curve::array::ArraySize,
{
    if bytes.len() != 2 * field_len {
        return None;
    }
    ::ecdsa::Signature::<C>::from_slice(bytes).ok()
}

/// Verify an ECDSA signature over an already computed digest.
pub(crate) fn verify_prehashed(
    spki: &SubjectPublicKeyInfo<'_>,
    prehash: &[u8],
    signature: &[u8],
    encoding: EcdsaEncoding,
) -> Result<(), SignatureError> {
    let curve = curve_of(spki)?;
    let point: &[u8] = spki.subject_public_key.raw_bytes();
    let field_len = curve.field_size();
    match curve {
        Curve::NistP192 => verify_on_curve!(
            p192::NistP192,
            point,
            prehash,
            signature,
            encoding,
            field_len
        ),
        Curve::NistP224 => verify_on_curve!(
            p224::NistP224,
            point,
            prehash,
            signature,
            encoding,
            field_len
        ),
        Curve::BrainpoolP192r1 => verify_on_curve!(
            crate::ec::brainpool::bp192::BrainpoolP192r1,
            point,
            prehash,
            signature,
            encoding,
            field_len
        ),
        Curve::BrainpoolP224r1 => verify_on_curve!(
            crate::ec::brainpool::bp224::BrainpoolP224r1,
            point,
            prehash,
            signature,
            encoding,
            field_len
        ),
        Curve::BrainpoolP320r1 => verify_on_curve!(
            crate::ec::brainpool::bp320::BrainpoolP320r1,
            point,
            prehash,
            signature,
            encoding,
            field_len
        ),
        Curve::NistP256 => verify_on_curve!(
            p256::NistP256,
            point,
            prehash,
            signature,
            encoding,
            field_len
        ),
        Curve::NistP384 => verify_on_curve!(
            p384::NistP384,
            point,
            prehash,
            signature,
            encoding,
            field_len
        ),
        Curve::NistP521 => verify_on_curve!(
            p521::NistP521,
            point,
            prehash,
            signature,
            encoding,
            field_len
        ),
        Curve::BrainpoolP256r1 => {
            verify_on_curve!(
                bp256::r1::BrainpoolP256r1,
                point,
                prehash,
                signature,
                encoding,
                field_len
            )
        }
        Curve::BrainpoolP384r1 => {
            verify_on_curve!(
                bp384::r1::BrainpoolP384r1,
                point,
                prehash,
                signature,
                encoding,
                field_len
            )
        }
        Curve::BrainpoolP512r1 => verify_on_curve!(
            crate::ec::bp512::BrainpoolP512r1,
            point,
            prehash,
            signature,
            encoding,
            field_len
        ),
    }
}
