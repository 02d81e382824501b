//! RSA signatures: PKCS#1 v1.5 and RSASSA-PSS (RFC 8017, parameters per RFC 4055).

use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, Pss, PublicKey};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use spki::{
    AlgorithmIdentifierRef as AlgorithmIdentifier, SubjectPublicKeyInfoRef as SubjectPublicKeyInfo,
};

use super::{SignatureError, oid};
use crate::crypto::HashAlgorithm;

/// `RSASSA-PSS-params` as encoded (RFC 4055 §3.1); absent fields take their DEFAULT.
#[derive(der::Sequence)]
struct PssParamsDer<'a> {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<AlgorithmIdentifier<'a>>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mask_gen: Option<AlgorithmIdentifier<'a>>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_length: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer_field: Option<u32>,
}

/// RSASSA-PSS parameters after applying the RFC 4055 defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PssParameters {
    /// Message hash.
    pub hash: HashAlgorithm,
    /// Salt length in bytes.
    pub salt_len: usize,
}

impl PssParameters {
    /// Parse `RSASSA-PSS-params` (RFC 4055 §3.1). Absent parameters mean all defaults:
    /// SHA-1, MGF1 with SHA-1, salt 20, trailer 1.
    pub(crate) fn parse(algorithm: &AlgorithmIdentifier<'_>) -> Result<Self, SignatureError> {
        let Some(any) = algorithm.parameters else {
            return Ok(Self {
                hash: HashAlgorithm::Sha1,
                salt_len: 20,
            });
        };
        let bad = |what: &str| SignatureError::UnsupportedParameters {
            what: format!("RSASSA-PSS parameters: {what}"),
        };
        let params: PssParamsDer<'_> = any.decode_as().map_err(|_| bad("do not parse"))?;
        let hash_oid = params.hash.map_or(oid::SHA1, |h| h.oid);
        let hash = HashAlgorithm::from_oid(&hash_oid).ok_or_else(|| {
            SignatureError::UnsupportedAlgorithm {
                oid: hash_oid.to_string(),
            }
        })?;
        let mgf_hash = match params.mask_gen {
            None => oid::SHA1,
            Some(mgf) if mgf.oid == oid::MGF1 => {
                mgf.parameters
                    .and_then(|p| p.decode_as::<AlgorithmIdentifier<'_>>().ok())
                    .ok_or_else(|| bad("mask generation algorithm does not parse"))?
                    .oid
            }
            Some(mgf) => {
                return Err(SignatureError::UnsupportedAlgorithm {
                    oid: mgf.oid.to_string(),
                });
            }
        };
        if mgf_hash != hash.oid() {
            // The rsa crate uses one digest for the message hash and MGF1.
            return Err(bad(&format!(
                "MGF1 hash {mgf_hash} differs from message hash {}",
                hash.oid()
            )));
        }
        let trailer = params.trailer_field.unwrap_or(1);
        if trailer != 1 {
            return Err(bad(&format!("trailer field {trailer}")));
        }
        let salt_len =
            usize::try_from(params.salt_length.unwrap_or(20)).map_err(|_| bad("salt length"))?;
        Ok(Self { hash, salt_len })
    }
}

/// Decode the RSA key of an rsaEncryption or id-RSASSA-PSS SubjectPublicKeyInfo.
pub(crate) fn public_key(spki: &SubjectPublicKeyInfo<'_>) -> Result<PublicKey, SignatureError> {
    if !matches!(spki.algorithm.oid, oid::RSA_ENCRYPTION | oid::RSASSA_PSS) {
        let key_oid = spki.algorithm.oid;
        return Err(SignatureError::BadKey {
            reason: format!("an RSA signature needs an RSA key, found key algorithm {key_oid}"),
        });
    }
    PublicKey::from_pkcs1_der(spki.subject_public_key.raw_bytes()).map_err(|e| {
        SignatureError::BadKey {
            reason: format!("RSA public key: {e}"),
        }
    })
}

/// Modulus size in bits.
pub(crate) fn modulus_bits(key: &PublicKey) -> usize {
    key.n().bit_width() as usize
}

/// Fail early on a signature whose length is not the modulus length, so that a truncated
/// signature is reported as an encoding problem rather than "does not verify".
fn check_length(key: &PublicKey, signature: &[u8]) -> Result<(), SignatureError> {
    if signature.len() == key.size() {
        Ok(())
    } else {
        Err(SignatureError::BadSignatureEncoding)
    }
}

/// RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2).
pub(crate) fn verify_pkcs1v15(
    spki: &SubjectPublicKeyInfo<'_>,
    hash: HashAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    verify_pkcs1v15_with_key(&public_key(spki)?, hash, message, signature)
}

/// [`verify_pkcs1v15`] with a decoded key.
pub(crate) fn verify_pkcs1v15_with_key(
    key: &PublicKey,
    hash: HashAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    check_length(key, signature)?;
    let scheme = match hash {
        HashAlgorithm::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
        HashAlgorithm::Sha224 => Pkcs1v15Sign::new::<Sha224>(),
        HashAlgorithm::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
        HashAlgorithm::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
        HashAlgorithm::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
    };
    key.verify(scheme, &hash.digest(message), signature)
        .map_err(|_| SignatureError::Invalid)
}

fn pss_with<D: Digest + rsa::sha2::digest::FixedOutputReset>(salt_len: usize) -> Pss<D> {
    let mut pss = Pss::<D>::new();
    pss.salt_len = Some(salt_len);
    pss
}

/// RSASSA-PSS verification (RFC 8017 §8.1.2) with the stated salt length enforced.
pub(crate) fn verify_pss(
    spki: &SubjectPublicKeyInfo<'_>,
    params: PssParameters,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    verify_pss_with_key(&public_key(spki)?, params, message, signature)
}

/// [`verify_pss`] with a decoded key.
pub(crate) fn verify_pss_with_key(
    key: &PublicKey,
    params: PssParameters,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    check_length(key, signature)?;
    let digest = params.hash.digest(message);
    let salt = params.salt_len;
    let result = match params.hash {
        HashAlgorithm::Sha1 => key.verify(pss_with::<Sha1>(salt), &digest, signature),
        HashAlgorithm::Sha224 => key.verify(pss_with::<Sha224>(salt), &digest, signature),
        HashAlgorithm::Sha256 => key.verify(pss_with::<Sha256>(salt), &digest, signature),
        HashAlgorithm::Sha384 => key.verify(pss_with::<Sha384>(salt), &digest, signature),
        HashAlgorithm::Sha512 => key.verify(pss_with::<Sha512>(salt), &digest, signature),
    };
    result.map_err(|_| SignatureError::Invalid)
}
