//! The chip side of Active Authentication (ICAO 9303-11 §6.1).
//!
//! [`AaResponder`] holds the AA private key and answers INTERNAL AUTHENTICATE (INS 88) by
//! signing the reader's 8-byte challenge:
//! - RSA: ISO/IEC 9796-2 digital signature scheme 1 with partial recovery,
//!   `6A || M1 || H(M1 || challenge) || trailer` raised to the private exponent, with M1
//!   random; the trailer is `BC` (SHA-1) or `hh CC` for an explicit hash;
//! - ECDSA: plain `r || s` over the challenge with SHA-256 (P-256, brainpoolP256r1).
//!
//! It knows nothing of files: [`AaResponder::dg15`] and
//! [`AaResponder::active_authentication_info`] give the DG15 and DG14 content that match the
//! key, and a "cloned" chip is simply a responder built with another key than the one in DG15.

use cccd::access::active::iso9796::trailer_id;
use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::HashAlgorithm;
use cccd::ec::Curve;
use cccd::lds::asn1::{enc_oid, enc_seq, enc_uint, oid_from_arcs};
use cccd::tlv::{self, Tag};
use ecdsa::signature::Signer;
use rand::Rng as _;
use rsa::BoxedUint;
use rsa::traits::PublicKeyParts;
use zeroize::Zeroizing;

/// An Active Authentication private key and how it signs.
pub enum AaKey {
    /// RSA, ISO 9796-2 scheme 1 with the implicit SHA-1 trailer `BC`.
    RsaSha1(rsa::PrivateKey),
    /// RSA, ISO 9796-2 scheme 1 with an explicit trailer `hh CC` naming this hash.
    RsaExplicit(rsa::PrivateKey, HashAlgorithm),
    /// ECDSA over NIST P-256 with SHA-256, plain `r || s`.
    EcdsaP256(p256::ecdsa::SigningKey),
    /// ECDSA over brainpoolP256r1 with SHA-256, plain `r || s`.
    EcdsaBrainpoolP256(ecdsa::SigningKey<bp256::BrainpoolP256r1>),
}

// Private keys: never printed.
impl std::fmt::Debug for AaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            Self::RsaSha1(_) => "RsaSha1",
            Self::RsaExplicit(..) => "RsaExplicit",
            Self::EcdsaP256(_) => "EcdsaP256",
            Self::EcdsaBrainpoolP256(_) => "EcdsaBrainpoolP256",
        };
        write!(f, "AaKey::{name}(<secret>)")
    }
}

/// The chip's Active Authentication.
#[derive(Debug)]
pub struct AaResponder {
    key: AaKey,
    minimal_rsa_signature: bool,
}

/// Why a DG15 key could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot encode the AA public key: {0}")]
pub struct AaKeyError(pub(crate) String);

impl AaResponder {
    /// A responder signing with `key`.
    pub fn new(key: AaKey) -> Self {
        Self {
            key,
            minimal_rsa_signature: false,
        }
    }

    /// Send `min(s, n - s)` for RSA, as ISO 9796-2 allows; readers must accept both forms.
    #[must_use]
    pub fn with_minimal_rsa_signature(mut self, yes: bool) -> Self {
        self.minimal_rsa_signature = yes;
        self
    }

    /// Whether `command` is INTERNAL AUTHENTICATE.
    pub fn handles(command: &Command) -> bool {
        command.ins == 0x88
    }

    /// Answer an INTERNAL AUTHENTICATE command (already unwrapped from secure messaging).
    pub fn handle(&self, command: &Command) -> Response {
        if command.p1 != 0 || command.p2 != 0 {
            return Response::new(Vec::new(), StatusWord::IncorrectP1P2);
        }
        match self.internal_authenticate(&command.data) {
            Ok(signature) => Response::new(signature, StatusWord::Ok),
            Err(sw) => Response::new(Vec::new(), sw),
        }
    }

    /// Sign an 8-byte challenge. `Err` is the status word to answer.
    pub fn internal_authenticate(&self, challenge: &[u8]) -> Result<Vec<u8>, StatusWord> {
        if challenge.len() != 8 {
            return Err(StatusWord::WrongLength);
        }
        match &self.key {
            AaKey::RsaSha1(key) => self.sign_9796(key, HashAlgorithm::Sha1, false, challenge),
            AaKey::RsaExplicit(key, hash) => self.sign_9796(key, *hash, true, challenge),
            AaKey::EcdsaP256(key) => {
                let sig: p256::ecdsa::Signature = key
                    .try_sign(challenge)
                    .map_err(|_| StatusWord::NoPreciseDiagnosis)?;
                Ok(sig.to_bytes().to_vec())
            }
            AaKey::EcdsaBrainpoolP256(key) => {
                let sig: ecdsa::Signature<bp256::BrainpoolP256r1> = key
                    .try_sign(challenge)
                    .map_err(|_| StatusWord::NoPreciseDiagnosis)?;
                Ok(sig.to_bytes().to_vec())
            }
        }
    }

    fn sign_9796(
        &self,
        key: &rsa::PrivateKey,
        hash: HashAlgorithm,
        explicit: bool,
        challenge: &[u8],
    ) -> Result<Vec<u8>, StatusWord> {
        let k = key.size();
        let trailer: &[u8] = if explicit {
            &[trailer_id(hash), 0xCC]
        } else {
            &[0xBC]
        };
        let m1_len = k
            .checked_sub(1 + hash.output_len() + trailer.len())
            .ok_or(StatusWord::NoPreciseDiagnosis)?;
        let mut m1 = Zeroizing::new(vec![0u8; m1_len]);
        rand::rng().fill_bytes(&mut m1);
        let mut message = Zeroizing::new(m1.to_vec());
        message.extend_from_slice(challenge);
        let mut f = Zeroizing::new(Vec::with_capacity(k));
        f.push(0x6A);
        f.extend_from_slice(&m1);
        f.extend_from_slice(&hash.digest(&message));
        f.extend_from_slice(trailer);
        let n = key.n().as_ref();
        let representative = BoxedUint::from_be_slice(&f, n.bits_precision())
            .map_err(|_| StatusWord::NoPreciseDiagnosis)?;
        let s = rsa::hazmat::rsa_decrypt_and_check(key, Some(&mut rand::rng()), &representative)
            .map_err(|_| StatusWord::NoPreciseDiagnosis)?;
        let s = if self.minimal_rsa_signature {
            let other = n.wrapping_sub(&s);
            if other < s { other } else { s }
        } else {
            s
        };
        let raw = s.to_be_bytes();
        let tail = raw.get(raw.len().saturating_sub(k)..).unwrap_or(&[]);
        let mut out = vec![0u8; k - tail.len()];
        out.extend_from_slice(tail);
        Ok(out)
    }

    /// The public key as a SubjectPublicKeyInfo (DG15's content).
    pub fn public_key_spki(&self) -> Result<Vec<u8>, AaKeyError> {
        match &self.key {
            AaKey::RsaSha1(key) | AaKey::RsaExplicit(key, _) => {
                use rsa::pkcs8::EncodePublicKey;
                key.to_public_key()
                    .to_public_key_der()
                    .map(|d| d.as_bytes().to_vec())
                    .map_err(|e| AaKeyError(e.to_string()))
            }
            AaKey::EcdsaP256(key) => ec_spki(Curve::NistP256, &key.to_bytes()),
            AaKey::EcdsaBrainpoolP256(key) => ec_spki(Curve::BrainpoolP256r1, &key.to_bytes()),
        }
    }

    /// DG15: `6F { SubjectPublicKeyInfo }`.
    pub fn dg15(&self) -> Result<Vec<u8>, AaKeyError> {
        Ok(tlv::encode(Tag::new(0x6F), &self.public_key_spki()?))
    }

    /// For ECDSA keys, the DG14 ActiveAuthenticationInfo naming ecdsa-plain-SHA256
    /// (`SEQUENCE { id-AA 2.23.136.1.1.5, 1, 0.4.0.127.0.7.1.1.4.1.3 }`); `None` for RSA.
    pub fn active_authentication_info(&self) -> Option<Vec<u8>> {
        match self.key {
            AaKey::RsaSha1(_) | AaKey::RsaExplicit(..) => None,
            AaKey::EcdsaP256(_) | AaKey::EcdsaBrainpoolP256(_) => Some(enc_seq(&[
                &enc_oid(&oid_from_arcs(&[2, 23, 136, 1, 1, 5])),
                &enc_uint(1),
                &enc_oid(&oid_from_arcs(&[0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 3])),
            ])),
        }
    }
}

/// An EC SubjectPublicKeyInfo with a named curve, for the private scalar `secret`.
pub(crate) fn ec_spki(curve: Curve, secret: &[u8]) -> Result<Vec<u8>, AaKeyError> {
    let err = |e: cccd::ec::EcError| AaKeyError(e.to_string());
    let scalar = curve.scalar_from_be_bytes(secret).map_err(err)?;
    let point = curve
        .mul_generator(&scalar)
        .and_then(|p| p.to_uncompressed())
        .map_err(err)?;
    ec_spki_for_point(curve, &point)
}

/// An EC SubjectPublicKeyInfo with a named curve for an uncompressed point.
pub(crate) fn ec_spki_for_point(curve: Curve, point: &[u8]) -> Result<Vec<u8>, AaKeyError> {
    let arcs = curve
        .oid()
        .split('.')
        .map(str::parse::<u64>)
        .collect::<Result<Vec<u64>, _>>()
        .map_err(|_| AaKeyError(format!("curve OID {}", curve.oid())))?;
    let curve_oid = oid_from_arcs(&arcs);
    let algorithm = enc_seq(&[
        &enc_oid(&oid_from_arcs(&[1, 2, 840, 10045, 2, 1])),
        &enc_oid(&curve_oid),
    ]);
    let mut bits = Vec::with_capacity(point.len() + 1);
    bits.push(0);
    bits.extend_from_slice(point);
    Ok(enc_seq(&[&algorithm, &tlv::encode(Tag::new(0x03), &bits)]))
}
