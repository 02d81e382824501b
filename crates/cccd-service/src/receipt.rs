//! Signed receipts: the report as a JWS (RFC 7515 compact serialization, ES256 = ECDSA P-256
//! with SHA-256, signature as r || s), so a downstream system or an auditor can prove what was
//! verified and when without re-reading the card.
//!
//! The payload binds the report, the session id, the AA challenge (when one was used), the
//! time, SHA-256 of every file read, and the tool version.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey};
use serde::{Deserialize, Serialize};

/// The JWS `typ` of a receipt.
pub const RECEIPT_TYPE: &str = "cccd-receipt+jws";

/// The largest receipt accepted for checking.
pub const MAX_RECEIPT: usize = 4 * 1024 * 1024;

/// What a receipt states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptClaims {
    /// The verification report (as `cccd verify --json`).
    pub report: serde_json::Value,
    /// The session id (remote reads) or request id (uploads).
    pub session_id: String,
    /// The AA challenge the chip signed, hex, when AA ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
    /// When the verification ended, Unix seconds (JWT `iat`).
    pub iat: i64,
    /// SHA-256 of every file read, by dump name, hex.
    pub files: std::collections::BTreeMap<String, String>,
    /// The tool and its version, e.g. `cccd 0.1.0`.
    pub tool: String,
}

/// Why a receipt is not valid.
#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    /// Not three base64url parts, or the header or payload is not the expected JSON.
    #[error("not a cccd receipt: {0}")]
    Malformed(String),
    /// The header names another algorithm or type.
    #[error("unsupported receipt header: {0}")]
    Header(String),
    /// The signature does not verify under the given key.
    #[error("the receipt's signature does not verify under this key")]
    BadSignature,
    /// The key file is not a P-256 key in PEM.
    #[error("key: {0}")]
    Key(String),
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    typ: String,
}

/// Signs receipts with an ES256 key.
pub struct ReceiptSigner {
    key: SigningKey,
}

impl std::fmt::Debug for ReceiptSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiptSigner").finish_non_exhaustive()
    }
}

impl ReceiptSigner {
    /// From a PKCS#8 PEM P-256 private key (`openssl genpkey -algorithm EC -pkeyopt
    /// ec_paramgen_curve:P-256`).
    pub fn from_pem(pem: &str) -> Result<Self, ReceiptError> {
        SigningKey::from_pkcs8_pem(pem)
            .map(|key| Self { key })
            .map_err(|e| ReceiptError::Key(e.to_string()))
    }

    /// From a key already in memory.
    pub fn new(key: SigningKey) -> Self {
        Self { key }
    }

    /// Sign the claims: a JWS compact serialization.
    pub fn sign(&self, claims: &ReceiptClaims) -> String {
        let header = Header {
            alg: "ES256".into(),
            typ: RECEIPT_TYPE.into(),
        };
        // Serializing these plain structs cannot fail.
        let header = serde_json::to_vec(&header).unwrap_or_default();
        let payload = serde_json::to_vec(claims).unwrap_or_default();
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(payload)
        );
        let signature: Signature = self.key.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }
}

/// Read a public key (SPKI PEM) for checking receipts.
pub fn verifying_key_from_pem(pem: &str) -> Result<VerifyingKey, ReceiptError> {
    VerifyingKey::from_public_key_pem(pem).map_err(|e| ReceiptError::Key(e.to_string()))
}

/// Check a receipt's header and signature; return what it states.
pub fn verify_receipt(jws: &str, key: &VerifyingKey) -> Result<ReceiptClaims, ReceiptError> {
    let jws = jws.trim();
    if jws.len() > MAX_RECEIPT {
        return Err(ReceiptError::Malformed("larger than any receipt".into()));
    }
    let mut parts = jws.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReceiptError::Malformed("a JWS has three parts".into()));
    };
    let decode = |part: &str, what: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| ReceiptError::Malformed(format!("{what} is not base64url")))
    };
    let parsed: Header = serde_json::from_slice(&decode(header, "the header")?)
        .map_err(|e| ReceiptError::Malformed(format!("header: {e}")))?;
    if parsed.alg != "ES256" || parsed.typ != RECEIPT_TYPE {
        return Err(ReceiptError::Header(format!(
            "alg {} typ {}",
            parsed.alg, parsed.typ
        )));
    }
    let signature = Signature::from_slice(&decode(signature, "the signature")?)
        .map_err(|_| ReceiptError::BadSignature)?;
    let input = &jws[..header.len() + 1 + payload.len()];
    key.verify(input.as_bytes(), &signature)
        .map_err(|_| ReceiptError::BadSignature)?;
    serde_json::from_slice(&decode(payload, "the payload")?)
        .map_err(|e| ReceiptError::Malformed(format!("payload: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> ReceiptClaims {
        ReceiptClaims {
            report: serde_json::json!({"verdict": "verified"}),
            session_id: "abc".into(),
            challenge: Some("0011223344556677".into()),
            iat: 1_700_000_000,
            files: [("DG1".to_owned(), "00".repeat(32))].into_iter().collect(),
            tool: "cccd test".into(),
        }
    }

    fn key(byte: u8) -> SigningKey {
        SigningKey::from_slice(&[byte; 32]).unwrap()
    }

    #[test]
    fn a_signed_receipt_verifies_and_a_changed_one_does_not() {
        let jws = ReceiptSigner::new(key(7)).sign(&claims());
        let public = *key(7).verifying_key();
        assert_eq!(verify_receipt(&jws, &public).unwrap(), claims());
        // Another key.
        assert!(matches!(
            verify_receipt(&jws, key(8).verifying_key()),
            Err(ReceiptError::BadSignature)
        ));
        // A changed payload under the old signature.
        let mut other = claims();
        other.report = serde_json::json!({"verdict": "not_verified"});
        let forged_payload = ReceiptSigner::new(key(8)).sign(&other);
        let mut parts: Vec<&str> = jws.split('.').collect();
        parts[1] = forged_payload.split('.').nth(1).unwrap();
        assert!(matches!(
            verify_receipt(&parts.join("."), &public),
            Err(ReceiptError::BadSignature)
        ));
        assert!(matches!(
            verify_receipt("a.b", &public),
            Err(ReceiptError::Malformed(_))
        ));
    }
}
