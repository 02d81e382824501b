//! Active Authentication (ICAO 9303-11 §6.1): the chip proves it holds the private key of the
//! public key in DG15, so a copied chip (right files, no key) is caught.
//!
//! The reader sends INTERNAL AUTHENTICATE (`00 88 00 00 08 <challenge> 00`); the chip signs
//! the 8-byte challenge:
//! - RSA: ISO/IEC 9796-2 digital signature scheme 1 with partial recovery (trailer `BC` for
//!   SHA-1, `hh CC` for an explicitly named hash), see [`iso9796`];
//! - ECDSA: a plain `r || s` signature (BSI TR-03111) over the challenge, with the hash named
//!   by DG14's ActiveAuthenticationInfo.
//!
//! [`active_authenticate`] runs the exchange; [`verify_aa`] re-checks a recorded challenge and
//! response offline (from a dump's `card.json`).

pub mod iso9796;

use crate::apdu::{Command, StatusWord};
use crate::crypto::HashAlgorithm;
use crate::lds::asn1::{enc_oid, enc_seq};
use crate::lds::dg14::Dg14;
use crate::lds::dg15::{AaPublicKey, Dg15};
use crate::oid::{self as sig_oid, ObjectIdentifier};
use crate::pki::signature;
use crate::transport::{Transport, TransportError};

/// Why Active Authentication did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AaError {
    /// The APDU could not be exchanged.
    #[error("active authentication: {0}")]
    Transport(#[from] TransportError),
    /// The chip answered INTERNAL AUTHENTICATE with an error status.
    #[error("the chip refused INTERNAL AUTHENTICATE: {sw}")]
    Refused {
        /// The status word.
        sw: StatusWord,
    },
    /// The DG15 key is of a kind or size this crate does not verify.
    #[error("unsupported active authentication key: {what}")]
    UnsupportedKey {
        /// What was found.
        what: String,
    },
    /// The signature algorithm (DG14 OID or ISO 9796-2 trailer) is not supported.
    #[error("unsupported active authentication algorithm: {what}")]
    UnsupportedAlgorithm {
        /// What was found.
        what: String,
    },
    /// The response is not a signature of the right shape (length, range).
    #[error("malformed active authentication response: {reason}")]
    MalformedResponse {
        /// What was wrong.
        reason: String,
    },
    /// The signature does not verify: the chip does not hold the DG15 private key (a cloned
    /// chip), or the response or challenge was altered.
    #[error("active authentication failed: {reason}")]
    Invalid {
        /// What did not match.
        reason: &'static str,
    },
}

/// How a verified AA signature was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AaAlgorithm {
    /// RSA with ISO/IEC 9796-2 scheme 1 and this hash.
    RsaIso9796_2 {
        /// The hash (from the trailer).
        hash: HashAlgorithm,
    },
    /// ECDSA (plain `r || s`) with this hash.
    Ecdsa {
        /// The hash (from DG14, or the default).
        hash: HashAlgorithm,
        /// True when DG14 named no algorithm and the default (SHA-256) was used.
        defaulted: bool,
    },
}

/// What one run of Active Authentication gave: the exchange, kept for the dump, and whether
/// the signature verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AaOutcome {
    /// The challenge sent.
    pub challenge: [u8; 8],
    /// The chip's signature.
    pub response: Vec<u8>,
    /// The verification result.
    pub result: Result<AaAlgorithm, AaError>,
}

impl AaOutcome {
    /// Whether the chip proved it holds the DG15 private key.
    pub fn is_verified(&self) -> bool {
        self.result.is_ok()
    }
}

/// The INTERNAL AUTHENTICATE command for `challenge` (Le 00: up to 256 bytes; extended Le
/// when the link allows, for RSA keys above 2048 bits).
pub fn internal_authenticate_command(challenge: &[u8; 8], extended: bool) -> Command {
    Command::new(0x00, 0x88, 0x00, 0x00)
        .with_data(challenge.to_vec())
        .with_le(if extended { 65_536 } else { 256 })
}

/// Send INTERNAL AUTHENTICATE with `challenge` and verify the answer against DG15 (and DG14's
/// ActiveAuthenticationInfo for EC keys). `Err` only when no signature came back; a signature
/// that does not verify is an `Ok` outcome whose `result` is the error, so it can be recorded.
pub fn active_authenticate<T: Transport>(
    transport: &mut T,
    dg15: &Dg15,
    dg14: Option<&Dg14>,
    challenge: [u8; 8],
) -> Result<AaOutcome, AaError> {
    let extended = transport.supports_extended_length()
        && matches!(dg15.key(), AaPublicKey::Rsa { modulus, .. } if modulus.len() > 255);
    let response = transport.transmit(&internal_authenticate_command(&challenge, extended))?;
    if response.sw != StatusWord::Ok {
        return Err(AaError::Refused { sw: response.sw });
    }
    let result = verify_aa(dg15, dg14, &challenge, &response.data);
    Ok(AaOutcome {
        challenge,
        response: response.data,
        result,
    })
}

/// Verify an AA `response` to `challenge` with the DG15 key, offline.
pub fn verify_aa(
    dg15: &Dg15,
    dg14: Option<&Dg14>,
    challenge: &[u8],
    response: &[u8],
) -> Result<AaAlgorithm, AaError> {
    match dg15.key() {
        AaPublicKey::Rsa { modulus, exponent } => {
            let key = iso9796::public_key(modulus, exponent)?;
            let hash = iso9796::verify(&key, challenge, response)?;
            Ok(AaAlgorithm::RsaIso9796_2 { hash })
        }
        AaPublicKey::Ec { .. } => verify_ecdsa(dg15, dg14, challenge, response),
    }
}

/// The hash of an AA ECDSA signature algorithm OID (X9.62 or BSI plain).
fn ecdsa_hash(oid: ObjectIdentifier) -> Option<HashAlgorithm> {
    use HashAlgorithm::{Sha1, Sha224, Sha256, Sha384, Sha512};
    match oid {
        sig_oid::ECDSA_WITH_SHA1 | sig_oid::ECDSA_PLAIN_SHA1 => Some(Sha1),
        sig_oid::ECDSA_WITH_SHA224 | sig_oid::ECDSA_PLAIN_SHA224 => Some(Sha224),
        sig_oid::ECDSA_WITH_SHA256 | sig_oid::ECDSA_PLAIN_SHA256 => Some(Sha256),
        sig_oid::ECDSA_WITH_SHA384 | sig_oid::ECDSA_PLAIN_SHA384 => Some(Sha384),
        sig_oid::ECDSA_WITH_SHA512 | sig_oid::ECDSA_PLAIN_SHA512 => Some(Sha512),
        _ => None,
    }
}

/// ECDSA AA: the hash from DG14 (ICAO 9303-11 §6.1 requires an ActiveAuthenticationInfo for
/// ECDSA; when it is missing, SHA-256 is assumed and the outcome says so). The signature is
/// checked as plain `r || s`; a DER signature is also accepted under an X9.62 OID.
fn verify_ecdsa(
    dg15: &Dg15,
    dg14: Option<&Dg14>,
    challenge: &[u8],
    response: &[u8],
) -> Result<AaAlgorithm, AaError> {
    let (algorithm_oid, defaulted) =
        match dg14.and_then(|d| d.security_infos.active_authentication()) {
            // The SecurityInfos model keeps the OID dotted.
            Some(info) => (
                info.signature_algorithm.parse::<ObjectIdentifier>().ok(),
                false,
            ),
            // ecdsa-plain-SHA256 (BSI TR-03111).
            None => (Some(sig_oid::ECDSA_PLAIN_SHA256), true),
        };
    let unsupported = || AaError::UnsupportedAlgorithm {
        what: format!(
            "AA signature algorithm {}",
            dg14.and_then(|d| d.security_infos.active_authentication())
                .map_or("(none)", |info| info.signature_algorithm.as_str())
        ),
    };
    let oid = algorithm_oid.ok_or_else(unsupported)?;
    let hash = ecdsa_hash(oid).ok_or_else(unsupported)?;
    let algorithm_der = enc_seq(&[&enc_oid(&oid)]);
    match verify_with_prepared_key(dg15.spki_der(), &algorithm_der, challenge, response) {
        Ok(()) => Ok(AaAlgorithm::Ecdsa { hash, defaulted }),
        Err(signature::SignatureError::Invalid) => Err(AaError::Invalid {
            reason: "the ECDSA signature does not verify with the DG15 key",
        }),
        Err(signature::SignatureError::BadSignatureEncoding) => Err(AaError::MalformedResponse {
            reason: "not an ECDSA signature of the key's size".to_owned(),
        }),
        Err(e) => Err(AaError::UnsupportedKey {
            what: e.to_string(),
        }),
    }
}

/// [`signature::verify_signature_der`] through a [`signature::PreparedKey`]: an AA key is
/// used once, so it gets no table, and its ECDSA verification runs the interleaved wNAF path
/// instead of the `ecdsa` crate's (same verdicts, see `crate::ec::variable_base`).
fn verify_with_prepared_key(
    spki_der: &[u8],
    algorithm_der: &[u8],
    message: &[u8],
    response: &[u8],
) -> Result<(), signature::SignatureError> {
    let spki = signature::parse_spki(spki_der)?;
    let algorithm = signature::parse_algorithm(algorithm_der)?;
    signature::PreparedKey::new(&spki).verify(&spki, &algorithm, message, response)
}

#[cfg(test)]
mod tests;
