//! ECDSA verification on the six eMRTD curves, with named or explicit curve parameters.
//!
//! Signatures may be DER `ECDSA-Sig-Value` (X9.62, RFC 5480) or plain `r || s`
//! (BSI TR-03111 §5.2.1); see [`EcdsaEncoding`].

use std::fmt;

use ::ecdsa::signature::hazmat::PrehashVerifier;
use x509_parser::asn1_rs::{Any, FromDer, Tag};
use x509_parser::x509::SubjectPublicKeyInfo;

use super::{EcdsaEncoding, SignatureError, oid};

/// A curve on which this crate verifies ECDSA signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EcCurve {
    /// NIST P-256 (secp256r1).
    P256,
    /// NIST P-384 (secp384r1).
    P384,
    /// NIST P-521 (secp521r1).
    P521,
    /// brainpoolP256r1 (RFC 5639).
    BrainpoolP256r1,
    /// brainpoolP384r1 (RFC 5639).
    BrainpoolP384r1,
    /// brainpoolP512r1 (RFC 5639).
    BrainpoolP512r1,
}

impl EcCurve {
    /// Standard name, e.g. `brainpoolP384r1`.
    pub fn name(self) -> &'static str {
        match self {
            Self::P256 => "P-256",
            Self::P384 => "P-384",
            Self::P521 => "P-521",
            Self::BrainpoolP256r1 => "brainpoolP256r1",
            Self::BrainpoolP384r1 => "brainpoolP384r1",
            Self::BrainpoolP512r1 => "brainpoolP512r1",
        }
    }

    /// Length in bytes of a field element (and of `r` or `s` in a plain signature).
    pub fn field_len(self) -> usize {
        match self {
            Self::P256 | Self::BrainpoolP256r1 => 32,
            Self::P384 | Self::BrainpoolP384r1 => 48,
            Self::BrainpoolP512r1 => 64,
            Self::P521 => 66,
        }
    }

    /// The curve of a namedCurve OID (dotted).
    pub fn from_oid(oid: &str) -> Option<Self> {
        match oid {
            "1.2.840.10045.3.1.7" => Some(Self::P256),
            "1.3.132.0.34" => Some(Self::P384),
            "1.3.132.0.35" => Some(Self::P521),
            "1.3.36.3.3.2.8.1.1.7" => Some(Self::BrainpoolP256r1),
            "1.3.36.3.3.2.8.1.1.11" => Some(Self::BrainpoolP384r1),
            "1.3.36.3.3.2.8.1.1.13" => Some(Self::BrainpoolP512r1),
            _ => None,
        }
    }
}

impl fmt::Display for EcCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn ec_parameters<'a>(spki: &'a SubjectPublicKeyInfo<'_>) -> Result<&'a Any<'a>, SignatureError> {
    let key_oid = spki.algorithm.algorithm.to_id_string();
    if key_oid != oid::EC_PUBLIC_KEY {
        return Err(SignatureError::BadKey {
            reason: format!("an ECDSA signature needs an EC key, found key algorithm {key_oid}"),
        });
    }
    spki.algorithm
        .parameters
        .as_ref()
        .ok_or_else(|| SignatureError::UnsupportedCurve {
            curve: "EC key without curve parameters (implicitlyCA)".to_owned(),
        })
}

/// True when the EC key carries explicit `ECParameters` (a SEQUENCE) instead of an OID.
pub(crate) fn has_explicit_parameters(spki: &SubjectPublicKeyInfo<'_>) -> bool {
    ec_parameters(spki).is_ok_and(|p| p.tag() == Tag::Sequence)
}

/// The curve of an EC SubjectPublicKeyInfo, from its namedCurve OID or explicit parameters.
pub(crate) fn curve_of(spki: &SubjectPublicKeyInfo<'_>) -> Result<EcCurve, SignatureError> {
    let params = ec_parameters(spki)?;
    match params.tag() {
        Tag::Oid => {
            let curve_oid = params
                .clone()
                .oid()
                .map_err(|_| SignatureError::BadKey {
                    reason: "namedCurve is not an OID".to_owned(),
                })?
                .to_id_string();
            EcCurve::from_oid(&curve_oid)
                .ok_or(SignatureError::UnsupportedCurve { curve: curve_oid })
        }
        Tag::Sequence => super::explicit::match_explicit_parameters(params.data),
        other => Err(SignatureError::UnsupportedCurve {
            curve: format!("curve parameters with tag {other}"),
        }),
    }
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
    let point: &[u8] = &spki.subject_public_key.data;
    let field_len = curve.field_len();
    match curve {
        EcCurve::P256 => verify_on_curve!(
            p256::NistP256,
            point,
            prehash,
            signature,
            encoding,
            field_len
        ),
        EcCurve::P384 => verify_on_curve!(
            p384::NistP384,
            point,
            prehash,
            signature,
            encoding,
            field_len
        ),
        EcCurve::P521 => verify_on_curve!(
            p521::NistP521,
            point,
            prehash,
            signature,
            encoding,
            field_len
        ),
        EcCurve::BrainpoolP256r1 => {
            verify_on_curve!(
                bp256::r1::BrainpoolP256r1,
                point,
                prehash,
                signature,
                encoding,
                field_len
            )
        }
        EcCurve::BrainpoolP384r1 => {
            verify_on_curve!(
                bp384::r1::BrainpoolP384r1,
                point,
                prehash,
                signature,
                encoding,
                field_len
            )
        }
        EcCurve::BrainpoolP512r1 => verify_on_curve!(
            crate::ec::bp512::BrainpoolP512r1,
            point,
            prehash,
            signature,
            encoding,
            field_len
        ),
    }
}

/// Decode the DER elements of a constructed value's contents, bounded by the input.
pub(crate) fn der_elements(mut data: &[u8]) -> Option<Vec<Any<'_>>> {
    let mut out = Vec::new();
    while !data.is_empty() {
        let (rest, any) = Any::from_der(data).ok()?;
        out.push(any);
        data = rest;
    }
    Some(out)
}
