//! Stateless active-authentication challenges: the service hands out a random 8-byte challenge
//! inside a token MAC'd (HMAC-SHA-256) with a secret every replica shares, with an expiry. Any
//! replica can check a token without a shared store.
//!
//! Token: `v1.` base64url(challenge (8) || expiry, Unix seconds, big-endian (8)) `.`
//! base64url(HMAC-SHA-256(secret, "cccd-challenge-v1" || those 16 bytes)).
//!
//! Stateless means a token can be presented more than once until it expires; strict single use
//! needs a shared store of spent tokens (see docs/SERVICE.md).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use time::OffsetDateTime;
use zeroize::Zeroizing;

const DOMAIN: &[u8] = b"cccd-challenge-v1";
const PREFIX: &str = "v1.";

/// Why a challenge token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChallengeError {
    /// Not a token of this format.
    #[error("the challenge token is malformed")]
    Malformed,
    /// The MAC does not verify: forged, altered, or from a service with another secret.
    #[error("the challenge token was not issued by this service")]
    BadMac,
    /// Past its expiry.
    #[error("the challenge token has expired")]
    Expired,
}

/// Issues and checks challenge tokens.
pub struct ChallengeIssuer {
    secret: Zeroizing<Vec<u8>>,
    lifetime: time::Duration,
}

impl std::fmt::Debug for ChallengeIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChallengeIssuer")
            .field("lifetime", &self.lifetime)
            .finish_non_exhaustive()
    }
}

/// A fresh challenge and its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedChallenge {
    /// The 8 random bytes the card must sign.
    pub challenge: [u8; 8],
    /// The token to present with the dump.
    pub token: String,
    /// When the token stops being accepted.
    pub expires_at: OffsetDateTime,
}

impl ChallengeIssuer {
    /// An issuer with this secret (at least 32 bytes) and token lifetime.
    pub fn new(secret: Vec<u8>, lifetime: time::Duration) -> Result<Self, String> {
        if secret.len() < 32 {
            return Err(format!(
                "the challenge secret must be at least 32 bytes, not {}",
                secret.len()
            ));
        }
        Ok(Self {
            secret: Zeroizing::new(secret),
            lifetime,
        })
    }

    fn mac(&self, body: &[u8]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(DOMAIN);
        mac.update(body);
        mac
    }

    /// A fresh random challenge, valid from `now` for the lifetime.
    pub fn issue(&self, now: OffsetDateTime) -> IssuedChallenge {
        let mut challenge = [0u8; 8];
        rand::fill(&mut challenge);
        let expires_at = now + self.lifetime;
        let mut body = [0u8; 16];
        body[..8].copy_from_slice(&challenge);
        body[8..].copy_from_slice(&expires_at.unix_timestamp().to_be_bytes());
        let tag = self.mac(&body).finalize().into_bytes();
        let token = format!(
            "{PREFIX}{}.{}",
            URL_SAFE_NO_PAD.encode(body),
            URL_SAFE_NO_PAD.encode(tag)
        );
        IssuedChallenge {
            challenge,
            token,
            expires_at,
        }
    }

    /// The challenge inside `token`, if this service issued it and it has not expired at
    /// `now`. The MAC is compared in constant time.
    pub fn check(&self, token: &str, now: OffsetDateTime) -> Result<[u8; 8], ChallengeError> {
        let rest = token
            .trim()
            .strip_prefix(PREFIX)
            .ok_or(ChallengeError::Malformed)?;
        let (body, tag) = rest.split_once('.').ok_or(ChallengeError::Malformed)?;
        if body.len() > 64 || tag.len() > 64 {
            return Err(ChallengeError::Malformed);
        }
        let body = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| ChallengeError::Malformed)?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag)
            .map_err(|_| ChallengeError::Malformed)?;
        let body: [u8; 16] = body.try_into().map_err(|_| ChallengeError::Malformed)?;
        self.mac(&body)
            .verify_slice(&tag)
            .map_err(|_| ChallengeError::BadMac)?;
        let mut expiry = [0u8; 8];
        expiry.copy_from_slice(&body[8..]);
        if now.unix_timestamp() > i64::from_be_bytes(expiry) {
            return Err(ChallengeError::Expired);
        }
        let mut challenge = [0u8; 8];
        challenge.copy_from_slice(&body[..8]);
        Ok(challenge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuer(byte: u8) -> ChallengeIssuer {
        ChallengeIssuer::new(vec![byte; 32], time::Duration::minutes(5)).unwrap()
    }

    #[test]
    fn an_issued_token_checks_until_it_expires() {
        let now = OffsetDateTime::now_utc();
        let issued = issuer(1).issue(now);
        assert_eq!(issuer(1).check(&issued.token, now), Ok(issued.challenge));
        let later = now + time::Duration::minutes(6);
        assert_eq!(
            issuer(1).check(&issued.token, later),
            Err(ChallengeError::Expired)
        );
    }

    #[test]
    fn forged_altered_and_foreign_tokens_are_refused() {
        let now = OffsetDateTime::now_utc();
        let issued = issuer(1).issue(now);
        assert_eq!(
            issuer(2).check(&issued.token, now),
            Err(ChallengeError::BadMac)
        );
        // Change the challenge, keep the MAC.
        let (body, tag) = issued.token[3..].split_once('.').unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(body).unwrap();
        bytes[0] ^= 1;
        let altered = format!("v1.{}.{tag}", URL_SAFE_NO_PAD.encode(&bytes));
        assert_eq!(issuer(1).check(&altered, now), Err(ChallengeError::BadMac));
        // Extend the expiry, keep the MAC.
        bytes[0] ^= 1;
        bytes[8..].copy_from_slice(&i64::MAX.to_be_bytes());
        let extended = format!("v1.{}.{tag}", URL_SAFE_NO_PAD.encode(&bytes));
        assert_eq!(issuer(1).check(&extended, now), Err(ChallengeError::BadMac));
        for junk in ["", "v1.", "v1.abc", "v2.AAAA.BBBB", "v1.!!.??"] {
            assert_eq!(
                issuer(1).check(junk, now),
                Err(ChallengeError::Malformed),
                "{junk}"
            );
        }
    }

    #[test]
    fn a_short_secret_is_refused() {
        assert!(ChallengeIssuer::new(vec![0; 16], time::Duration::minutes(1)).is_err());
    }
}
