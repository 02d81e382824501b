//! A signer's public key prepared for many verifications: decoded once, described once, and
//! for EC keys given a fixed-base table on request ([`PreparedKey::build_table`]).
//!
//! [`PreparedKey::verify_cms`] answers exactly what [`super::verify_cms_signature`] answers for
//! the same inputs: it dispatches on the same algorithm table, applies the same encoding and
//! range checks, and hands every combination it does not accelerate (a key that does not
//! decode, a scheme of the other family) to the plain function.

use std::sync::OnceLock;

use elliptic_curve::group::Group;
use primeorder::ProjectivePoint;
use spki::{
    AlgorithmIdentifierRef as AlgorithmIdentifier, SubjectPublicKeyInfoRef as SubjectPublicKeyInfo,
};

use super::prepared_ecdsa::PreparedEcdsa;
use super::rsa_f4::PreparedRsa;
use super::{
    Curve, EcdsaEncoding, HashAlgorithm, KeyDescription, Scheme, SignatureError, describe_key, oid,
    scheme_for,
};
use crate::ec::bp512::BrainpoolP512r1;
use crate::ec::field::CurveField;
use crate::ec::fixed_base::{FixedBaseTable, GENERATOR_WINDOW};
use crate::ec::variable_base::GeneratorOddMultiples;

/// The process-wide generator table of a curve, built on first use.
fn generator<C: CurveField>(
    cell: &'static OnceLock<FixedBaseTable<C>>,
) -> &'static FixedBaseTable<C> {
    cell.get_or_init(|| FixedBaseTable::build(&ProjectivePoint::<C>::generator(), GENERATOR_WINDOW))
}

/// The process-wide odd multiples of a curve's generator (the wNAF path), built on first use.
fn odd_multiples<C: CurveField>(
    cell: &'static OnceLock<GeneratorOddMultiples<C>>,
) -> &'static GeneratorOddMultiples<C> {
    cell.get_or_init(GeneratorOddMultiples::build)
}

static ODD_P256: OnceLock<GeneratorOddMultiples<p256::NistP256>> = OnceLock::new();
static ODD_P384: OnceLock<GeneratorOddMultiples<p384::NistP384>> = OnceLock::new();
static ODD_P521: OnceLock<GeneratorOddMultiples<p521::NistP521>> = OnceLock::new();
static ODD_BP256: OnceLock<GeneratorOddMultiples<bp256::r1::BrainpoolP256r1>> = OnceLock::new();
static ODD_BP384: OnceLock<GeneratorOddMultiples<bp384::r1::BrainpoolP384r1>> = OnceLock::new();
static ODD_BP512: OnceLock<GeneratorOddMultiples<BrainpoolP512r1>> = OnceLock::new();

static G_P256: OnceLock<FixedBaseTable<p256::NistP256>> = OnceLock::new();
static G_P384: OnceLock<FixedBaseTable<p384::NistP384>> = OnceLock::new();
static G_P521: OnceLock<FixedBaseTable<p521::NistP521>> = OnceLock::new();
static G_BP256: OnceLock<FixedBaseTable<bp256::r1::BrainpoolP256r1>> = OnceLock::new();
static G_BP384: OnceLock<FixedBaseTable<bp384::r1::BrainpoolP384r1>> = OnceLock::new();
static G_BP512: OnceLock<FixedBaseTable<BrainpoolP512r1>> = OnceLock::new();

/// An EC key on one of the six curves.
#[derive(Debug)]
enum PreparedEc {
    P256(PreparedEcdsa<p256::NistP256>),
    P384(PreparedEcdsa<p384::NistP384>),
    P521(PreparedEcdsa<p521::NistP521>),
    Bp256(PreparedEcdsa<bp256::r1::BrainpoolP256r1>),
    Bp384(PreparedEcdsa<bp384::r1::BrainpoolP384r1>),
    Bp512(PreparedEcdsa<BrainpoolP512r1>),
}

/// Run `$body` with `$key` bound to the curve-specific key and `$g` to its generator cells
/// (the fixed-base table, the odd multiples).
macro_rules! on_curve {
    ($self:expr, $key:ident, $g:ident => $body:expr) => {
        match $self {
            PreparedEc::P256($key) => {
                let $g = (&G_P256, &ODD_P256);
                $body
            }
            PreparedEc::P384($key) => {
                let $g = (&G_P384, &ODD_P384);
                $body
            }
            PreparedEc::P521($key) => {
                let $g = (&G_P521, &ODD_P521);
                $body
            }
            PreparedEc::Bp256($key) => {
                let $g = (&G_BP256, &ODD_BP256);
                $body
            }
            PreparedEc::Bp384($key) => {
                let $g = (&G_BP384, &ODD_BP384);
                $body
            }
            PreparedEc::Bp512($key) => {
                let $g = (&G_BP512, &ODD_BP512);
                $body
            }
        }
    };
}

impl PreparedEc {
    fn new(curve: Curve, point: &[u8]) -> Result<Self, SignatureError> {
        Ok(match curve {
            Curve::NistP256 => Self::P256(PreparedEcdsa::new(point)?),
            Curve::NistP384 => Self::P384(PreparedEcdsa::new(point)?),
            Curve::NistP521 => Self::P521(PreparedEcdsa::new(point)?),
            Curve::BrainpoolP256r1 => Self::Bp256(PreparedEcdsa::new(point)?),
            Curve::BrainpoolP384r1 => Self::Bp384(PreparedEcdsa::new(point)?),
            Curve::BrainpoolP512r1 => Self::Bp512(PreparedEcdsa::new(point)?),
            // The 192-, 224- and 320-bit curves are PACE curves; no document signer uses
            // them, so they keep the plain path rather than a table type of their own.
            other => {
                return Err(SignatureError::UnsupportedCurve {
                    curve: format!("{other:?} (no prepared table)"),
                });
            }
        })
    }

    fn verify(
        &self,
        field_len: usize,
        prehash: &[u8],
        signature: &[u8],
        encoding: EcdsaEncoding,
    ) -> Result<(), SignatureError> {
        on_curve!(self, key, g => key.verify(
            || generator(g.0),
            || odd_multiples(g.1),
            prehash,
            signature,
            encoding,
            field_len,
        ))
    }

    fn build_table(&self) {
        on_curve!(self, key, g => {
            generator(g.0);
            key.build_table();
        });
    }

    fn table_bytes(&self) -> usize {
        on_curve!(self, key, _g => key.table_bytes())
    }
}

#[derive(Debug)]
enum Kind {
    Rsa(PreparedRsa),
    Ec {
        // Boxed: a curve's key with its coordinates is far larger than the other variants.
        key: Box<PreparedEc>,
        field_len: usize,
    },
    /// A key this module does not accelerate (or that does not decode): the plain path
    /// answers, with its own error.
    Plain,
}

/// A public key decoded and described once, for many verifications.
#[derive(Debug)]
pub struct PreparedKey {
    kind: Kind,
    description: KeyDescription,
}

impl PreparedKey {
    /// Decode and describe the key of a DER SubjectPublicKeyInfo; a key that parses but does
    /// not decode is kept as "plain" (each verification reports the plain path's error), an
    /// encoding that does not parse is [`SignatureError::BadKey`].
    pub fn from_spki_der(spki_der: &[u8]) -> Result<Self, SignatureError> {
        Ok(Self::new(&super::parse_spki(spki_der)?))
    }

    /// Decode and describe the key of `spki`. Never fails: a key that does not decode is
    /// kept as "plain", and every verification reports the plain path's error.
    pub(crate) fn new(spki: &SubjectPublicKeyInfo<'_>) -> Self {
        let kind = match Some(spki.algorithm.oid) {
            Some(oid::RSA_ENCRYPTION | oid::RSASSA_PSS) => {
                PreparedRsa::new(spki).map_or(Kind::Plain, Kind::Rsa)
            }
            Some(oid::EC_PUBLIC_KEY) => super::ecdsa::curve_of(spki)
                .and_then(|curve| {
                    PreparedEc::new(curve, spki.subject_public_key.raw_bytes()).map(|key| {
                        Kind::Ec {
                            key: Box::new(key),
                            field_len: curve.field_size(),
                        }
                    })
                })
                .unwrap_or(Kind::Plain),
            _ => Kind::Plain,
        };
        let description = match &kind {
            // describe_key would decode the RSA key a second time just for its size.
            Kind::Rsa(rsa) => KeyDescription {
                algorithm: super::KeyAlgorithm::Rsa { bits: rsa.bits() },
                explicit_parameters: false,
            },
            _ => describe_key(spki),
        };
        Self { kind, description }
    }

    /// The key's family and size.
    pub fn description(&self) -> &KeyDescription {
        &self.description
    }

    /// For an EC key, build its fixed-base table (and the curve generator's, once per
    /// process); nothing for other keys. Later verifications use the tables.
    pub fn build_table(&self) {
        if let Kind::Ec { key, .. } = &self.kind {
            key.build_table();
        }
    }

    /// Memory held by this key's table (0 when none is built).
    pub fn table_bytes(&self) -> usize {
        match &self.kind {
            Kind::Ec { key, .. } => key.table_bytes(),
            _ => 0,
        }
    }

    /// Verify a CMS SignerInfo signature with this key: `spki_der` must be the key this one
    /// was prepared from (the plain path uses it for the combinations not accelerated here),
    /// `algorithm_der` the SignerInfo's signatureAlgorithm.
    pub fn verify_cms_der(
        &self,
        spki_der: &[u8],
        algorithm_der: &[u8],
        digest_algorithm: HashAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        let spki = super::parse_spki(spki_der)?;
        let algorithm = super::parse_algorithm(algorithm_der)?;
        self.verify_cms(&spki, &algorithm, digest_algorithm, message, signature)
    }

    /// [`super::verify_cms_signature`] with this key; `spki` must be the key it was prepared
    /// from (the plain path gets it for the combinations not accelerated here).
    pub(crate) fn verify_cms(
        &self,
        spki: &SubjectPublicKeyInfo<'_>,
        algorithm: &AlgorithmIdentifier<'_>,
        digest_algorithm: HashAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        let plain =
            || super::verify_cms_signature(spki, algorithm, digest_algorithm, message, signature);
        let scheme = match Some(algorithm.oid) {
            Some(oid::RSA_ENCRYPTION) => Scheme::RsaPkcs1(digest_algorithm),
            Some(oid::EC_PUBLIC_KEY) => Scheme::Ecdsa(digest_algorithm, EcdsaEncoding::DerOrPlain),
            _ => scheme_for(algorithm)?,
        };
        self.verify_scheme(scheme, message, signature, plain)
    }

    /// [`super::verify_signature`] with this key (a signature algorithm OID, not a bare key
    /// algorithm); `spki` must be the key it was prepared from.
    pub(crate) fn verify(
        &self,
        spki: &SubjectPublicKeyInfo<'_>,
        algorithm: &AlgorithmIdentifier<'_>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        let plain = || super::verify_signature(spki, algorithm, message, signature);
        self.verify_scheme(scheme_for(algorithm)?, message, signature, plain)
    }

    fn verify_scheme(
        &self,
        scheme: Scheme,
        message: &[u8],
        signature: &[u8],
        plain: impl FnOnce() -> Result<(), SignatureError>,
    ) -> Result<(), SignatureError> {
        match (&self.kind, scheme) {
            (Kind::Rsa(rsa), Scheme::RsaPkcs1(hash)) => {
                rsa.verify_pkcs1v15(hash, message, signature)
            }
            (Kind::Rsa(rsa), Scheme::RsaPss(params)) => rsa.verify_pss(params, message, signature),
            (Kind::Ec { key, field_len }, Scheme::Ecdsa(hash, encoding)) => {
                key.verify(*field_len, &hash.digest(message), signature, encoding)
            }
            _ => plain(),
        }
    }
}

#[cfg(test)]
#[path = "prepared_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "prepared_wycheproof.rs"]
mod wycheproof;
