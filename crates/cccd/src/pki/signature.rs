//! Signature verification for every algorithm an eMRTD PKI uses.
//!
//! One entry point, [`verify_signature_der`], takes the signer's SubjectPublicKeyInfo, the
//! signature AlgorithmIdentifier (OID and parameters), the signed bytes and the signature,
//! and answers `Ok(())` or a typed [`SignatureError`]. It covers:
//!
//! - RSA PKCS#1 v1.5 with SHA-1/224/256/384/512 (RFC 8017 §8.2),
//! - RSASSA-PSS with its parameters (hash, MGF1 hash, salt length; RFC 4055 defaults),
//! - ECDSA with SHA-1/224/256/384/512 (X9.62 OIDs, DER signatures, with a fallback to plain
//!   `r || s`) and BSI TR-03111 `ecdsa-plain-*` (plain `r || s` only), on P-256/384/521 and
//!   brainpoolP256r1/384r1/512r1, with named OR explicit curve parameters in the key.
//!
//! The work is split by family: `rsa` and `ecdsa`; this file
//! holds the algorithm table, the errors and the key description.

mod ecdsa;
mod prepared;
mod prepared_ecdsa;
mod rsa;
mod rsa_f4;

use std::fmt;

use crate::crypto::HashAlgorithm;

use der::Decode;
use spki::{
    AlgorithmIdentifierRef as AlgorithmIdentifier, SubjectPublicKeyInfoRef as SubjectPublicKeyInfo,
};

pub use self::prepared::PreparedKey;
pub(crate) use self::rsa_f4::{is_f4, pow_f4};
pub use crate::ec::Curve;

/// Why a signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The signature (or key) algorithm OID is not one this crate verifies.
    #[error("unsupported algorithm {oid}")]
    UnsupportedAlgorithm {
        /// Dotted OID of the algorithm.
        oid: String,
    },
    /// The algorithm is known but its parameters are not supported (e.g. PSS whose MGF1 hash
    /// differs from the message hash, or a trailer field other than 1).
    #[error("unsupported algorithm parameters: {what}")]
    UnsupportedParameters {
        /// What was found.
        what: String,
    },
    /// The EC key's curve is not one of P-256/384/521, brainpoolP256r1/384r1/512r1.
    #[error("unsupported curve: {curve}")]
    UnsupportedCurve {
        /// The curve OID, or a description of explicit parameters that matched no known curve.
        curve: String,
    },
    /// The public key could not be decoded or does not fit the signature algorithm.
    #[error("bad public key: {reason}")]
    BadKey {
        /// What was wrong.
        reason: String,
    },
    /// The signature bytes are not a well-formed signature for this algorithm and key
    /// (bad DER, wrong length, values out of range).
    #[error("badly encoded signature")]
    BadSignatureEncoding,
    /// The signature is well formed but does not verify: wrong key or altered data.
    #[error("signature does not verify")]
    Invalid,
}

/// The family and size of a public key, for display (`cccd trust`) and reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// An RSA key (rsaEncryption or id-RSASSA-PSS SPKI).
    Rsa {
        /// Modulus size in bits.
        bits: usize,
    },
    /// An EC key on a supported curve.
    Ec {
        /// The curve.
        curve: Curve,
    },
    /// An EC key whose curve is not supported.
    EcUnknown {
        /// The curve OID, or "explicit parameters" with the field size.
        curve: String,
    },
    /// Any other key algorithm.
    Other {
        /// Dotted OID.
        oid: String,
    },
}

/// What a public key is: algorithm, size or curve, and whether EC parameters were explicit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDescription {
    /// Family and size.
    pub algorithm: KeyAlgorithm,
    /// True when an EC key carries the curve as explicit parameters instead of a named-curve OID.
    pub explicit_parameters: bool,
}

impl fmt::Display for KeyDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.algorithm {
            KeyAlgorithm::Rsa { bits } => write!(f, "RSA {bits}")?,
            KeyAlgorithm::Ec { curve } => write!(f, "EC {}", curve.name())?,
            KeyAlgorithm::EcUnknown { curve } => write!(f, "EC unsupported curve {curve}")?,
            KeyAlgorithm::Other { oid } => write!(f, "key algorithm {oid}")?,
        }
        if self.explicit_parameters {
            f.write_str(" (explicit parameters)")?;
        }
        Ok(())
    }
}

/// The object identifiers this module dispatches on (the crate's one OID home).
pub use crate::oid;

/// How ECDSA signature bytes may be encoded for a given algorithm OID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EcdsaEncoding {
    /// X9.62 OIDs: DER `SEQUENCE { r, s }`; plain `r || s` accepted as a fallback because
    /// some eMRTD producers write it under the X9.62 OID.
    DerOrPlain,
    /// BSI TR-03111 plain OIDs: `r || s` only.
    Plain,
}

/// A signature algorithm resolved from its AlgorithmIdentifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    RsaPkcs1(HashAlgorithm),
    RsaPss(rsa::PssParameters),
    Ecdsa(HashAlgorithm, EcdsaEncoding),
}

pub(crate) fn scheme_for(algorithm: &AlgorithmIdentifier<'_>) -> Result<Scheme, SignatureError> {
    use HashAlgorithm::{Sha1, Sha224, Sha256, Sha384, Sha512};
    let scheme = match Some(algorithm.oid) {
        Some(oid::SHA1_WITH_RSA) => Scheme::RsaPkcs1(Sha1),
        Some(oid::SHA224_WITH_RSA) => Scheme::RsaPkcs1(Sha224),
        Some(oid::SHA256_WITH_RSA) => Scheme::RsaPkcs1(Sha256),
        Some(oid::SHA384_WITH_RSA) => Scheme::RsaPkcs1(Sha384),
        Some(oid::SHA512_WITH_RSA) => Scheme::RsaPkcs1(Sha512),
        Some(oid::RSASSA_PSS) => Scheme::RsaPss(rsa::PssParameters::parse(algorithm)?),
        Some(oid::ECDSA_WITH_SHA1) => Scheme::Ecdsa(Sha1, EcdsaEncoding::DerOrPlain),
        Some(oid::ECDSA_WITH_SHA224) => Scheme::Ecdsa(Sha224, EcdsaEncoding::DerOrPlain),
        Some(oid::ECDSA_WITH_SHA256) => Scheme::Ecdsa(Sha256, EcdsaEncoding::DerOrPlain),
        Some(oid::ECDSA_WITH_SHA384) => Scheme::Ecdsa(Sha384, EcdsaEncoding::DerOrPlain),
        Some(oid::ECDSA_WITH_SHA512) => Scheme::Ecdsa(Sha512, EcdsaEncoding::DerOrPlain),
        Some(oid::ECDSA_PLAIN_SHA1) => Scheme::Ecdsa(Sha1, EcdsaEncoding::Plain),
        Some(oid::ECDSA_PLAIN_SHA224) => Scheme::Ecdsa(Sha224, EcdsaEncoding::Plain),
        Some(oid::ECDSA_PLAIN_SHA256) => Scheme::Ecdsa(Sha256, EcdsaEncoding::Plain),
        Some(oid::ECDSA_PLAIN_SHA384) => Scheme::Ecdsa(Sha384, EcdsaEncoding::Plain),
        Some(oid::ECDSA_PLAIN_SHA512) => Scheme::Ecdsa(Sha512, EcdsaEncoding::Plain),
        _ => {
            return Err(SignatureError::UnsupportedAlgorithm {
                oid: algorithm.oid.to_string(),
            });
        }
    };
    Ok(scheme)
}

/// Verify `signature` over `message` with the key in `spki`, using `algorithm`.
///
/// The message is hashed here with the algorithm's hash. Keys must match the family:
/// an RSA scheme with an EC key is [`SignatureError::BadKey`].
pub(crate) fn verify_signature(
    spki: &SubjectPublicKeyInfo<'_>,
    algorithm: &AlgorithmIdentifier<'_>,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    match scheme_for(algorithm)? {
        Scheme::RsaPkcs1(hash) => rsa::verify_pkcs1v15(spki, hash, message, signature),
        Scheme::RsaPss(params) => rsa::verify_pss(spki, params, message, signature),
        Scheme::Ecdsa(hash, encoding) => {
            let digest = hash.digest(message);
            ecdsa::verify_prehashed(spki, &digest, signature, encoding)
        }
    }
}

/// Verify a CMS SignerInfo signature (RFC 5652 §5.6). CMS allows the signature algorithm to
/// be the bare key algorithm (rsaEncryption, id-ecPublicKey) with the hash taken from the
/// SignerInfo's digestAlgorithm; eMRTD SODs and master lists use both forms.
pub(crate) fn verify_cms_signature(
    spki: &SubjectPublicKeyInfo<'_>,
    algorithm: &AlgorithmIdentifier<'_>,
    digest_algorithm: HashAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    match Some(algorithm.oid) {
        Some(oid::RSA_ENCRYPTION) => {
            rsa::verify_pkcs1v15(spki, digest_algorithm, message, signature)
        }
        Some(oid::EC_PUBLIC_KEY) => {
            let digest = digest_algorithm.digest(message);
            ecdsa::verify_prehashed(spki, &digest, signature, EcdsaEncoding::DerOrPlain)
        }
        _ => verify_signature(spki, algorithm, message, signature),
    }
}

/// Verify `signature` over `message` with the key of a DER SubjectPublicKeyInfo, using a DER
/// AlgorithmIdentifier (the message is hashed with the algorithm's hash).
pub fn verify_signature_der(
    spki_der: &[u8],
    algorithm_der: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let spki = parse_spki(spki_der)?;
    let algorithm = parse_algorithm(algorithm_der)?;
    verify_signature(&spki, &algorithm, message, signature)
}

/// Verify a CMS SignerInfo signature (RFC 5652 §5.6) with the key of a DER
/// SubjectPublicKeyInfo and the SignerInfo's DER signatureAlgorithm, which may be the bare
/// key algorithm (rsaEncryption, id-ecPublicKey) with the hash from `digest_algorithm`.
pub fn verify_cms_signature_der(
    spki_der: &[u8],
    algorithm_der: &[u8],
    digest_algorithm: HashAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let spki = parse_spki(spki_der)?;
    let algorithm = parse_algorithm(algorithm_der)?;
    verify_cms_signature(&spki, &algorithm, digest_algorithm, message, signature)
}

/// Parse a DER AlgorithmIdentifier, mapping failures to
/// [`SignatureError::UnsupportedAlgorithm`].
pub(crate) fn parse_algorithm(
    algorithm_der: &[u8],
) -> Result<AlgorithmIdentifier<'_>, SignatureError> {
    AlgorithmIdentifier::from_der(algorithm_der).map_err(|_| SignatureError::UnsupportedAlgorithm {
        oid: "unparseable AlgorithmIdentifier".to_owned(),
    })
}

/// Parse a DER SubjectPublicKeyInfo, mapping failures to [`SignatureError::BadKey`].
pub(crate) fn parse_spki(spki_der: &[u8]) -> Result<SubjectPublicKeyInfo<'_>, SignatureError> {
    SubjectPublicKeyInfo::from_der(spki_der).map_err(|e| SignatureError::BadKey {
        reason: format!("SubjectPublicKeyInfo does not parse: {e}"),
    })
}

/// The key of a DER SubjectPublicKeyInfo described (RSA size, or EC curve and whether its
/// parameters are explicit); `None` when it does not parse.
pub fn describe_key_der(spki_der: &[u8]) -> Option<KeyDescription> {
    parse_spki(spki_der).ok().map(|spki| describe_key(&spki))
}

/// Describe the key in `spki`: RSA size, or EC curve and whether its parameters are explicit.
pub(crate) fn describe_key(spki: &SubjectPublicKeyInfo<'_>) -> KeyDescription {
    let oid_text = spki.algorithm.oid.to_string();
    match Some(spki.algorithm.oid) {
        Some(oid::RSA_ENCRYPTION | oid::RSASSA_PSS) => match rsa::public_key(spki) {
            Ok(key) => KeyDescription {
                algorithm: KeyAlgorithm::Rsa {
                    bits: rsa::modulus_bits(&key),
                },
                explicit_parameters: false,
            },
            Err(_) => KeyDescription {
                algorithm: KeyAlgorithm::Other { oid: oid_text },
                explicit_parameters: false,
            },
        },
        Some(oid::EC_PUBLIC_KEY) => {
            let explicit = ecdsa::has_explicit_parameters(spki);
            let algorithm = match ecdsa::curve_of(spki) {
                Ok(curve) => KeyAlgorithm::Ec { curve },
                Err(SignatureError::UnsupportedCurve { curve }) => {
                    KeyAlgorithm::EcUnknown { curve }
                }
                Err(other) => KeyAlgorithm::EcUnknown {
                    curve: other.to_string(),
                },
            };
            KeyDescription {
                algorithm,
                explicit_parameters: explicit,
            }
        }
        _ => KeyDescription {
            algorithm: KeyAlgorithm::Other { oid: oid_text },
            explicit_parameters: false,
        },
    }
}

#[cfg(test)]
mod tests;
