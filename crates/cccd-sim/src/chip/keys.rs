//! The chip's private keys for active and chip authentication, loaded from a secrets folder
//! (`aa-private.pem`, `ca-private.pem`, PKCS#8 PEM) written by the generator.

use crate::aa::{AaKey, AaResponder};
use crate::ca::CaResponder;
use cccd::access::chip::CaPlan;
use cccd::document::Document;
use cccd::ec::Curve;
use rsa::pkcs8::DecodePrivateKey;
use std::path::Path;

/// Why a chip key could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {reason}")]
pub struct ChipKeyError {
    /// The key file.
    pub file: String,
    /// What was wrong.
    pub reason: String,
}

/// Load `aa-private.pem` as an AA key: RSA (ISO 9796-2, SHA-1 trailer), P-256 or
/// brainpoolP256r1 (ECDSA, plain signatures).
pub fn load_aa(dir: &Path) -> Result<Option<AaResponder>, ChipKeyError> {
    let path = dir.join("aa-private.pem");
    let Some(pem) = read(&path)? else {
        return Ok(None);
    };
    let key = if let Ok(k) = rsa::PrivateKey::from_pkcs8_pem(&pem) {
        AaKey::RsaSha1(k)
    } else if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_pem(&pem) {
        AaKey::EcdsaP256(k)
    } else if let Ok(k) = ecdsa::SigningKey::<bp256::BrainpoolP256r1>::from_pkcs8_pem(&pem) {
        AaKey::EcdsaBrainpoolP256(k)
    } else {
        return Err(ChipKeyError {
            file: path.display().to_string(),
            reason: "not an RSA, P-256 or brainpoolP256r1 PKCS#8 private key".into(),
        });
    };
    Ok(Some(AaResponder::new(key)))
}

/// Load `ca-private.pem` (brainpoolP256r1 or P-256) as a CA key, for the protocol and key id
/// that the document's DG14 announces.
pub fn load_ca(dir: &Path, doc: &Document) -> Result<Option<CaResponder>, ChipKeyError> {
    let path = dir.join("ca-private.pem");
    let Some(pem) = read(&path)? else {
        return Ok(None);
    };
    let bad = |reason: String| ChipKeyError {
        file: path.display().to_string(),
        reason,
    };
    let (curve, secret) =
        if let Ok(k) = ecdsa::SigningKey::<bp256::BrainpoolP256r1>::from_pkcs8_pem(&pem) {
            (Curve::BrainpoolP256r1, k.to_bytes().to_vec())
        } else if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_pem(&pem) {
            (Curve::NistP256, k.to_bytes().to_vec())
        } else {
            return Err(bad(
                "not a brainpoolP256r1 or P-256 PKCS#8 private key".into()
            ));
        };
    let scalar = curve
        .scalar_from_be_bytes(&secret)
        .map_err(|e| bad(e.to_string()))?;
    let Some(Ok(dg14)) = doc.dg14() else {
        return Err(bad(
            "the dump has no readable DG14 to take the CA protocol from".into(),
        ));
    };
    let plan = CaPlan::from_dg14(&dg14, None).map_err(|e| bad(e.to_string()))?;
    let mut ca =
        CaResponder::new(scalar, plan.protocol().cipher).map_err(|e| bad(e.to_string()))?;
    if let Some(id) = plan.key_id() {
        ca = ca.with_key_id(id);
    }
    Ok(Some(ca))
}

fn read(path: &Path) -> Result<Option<String>, ChipKeyError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ChipKeyError {
            file: path.display().to_string(),
            reason: e.to_string(),
        }),
    }
}
