//! DG15 (tag 0x6F): the Active Authentication public key, a SubjectPublicKeyInfo.
//!
//! RSA and EC keys are both supported. EC keys may name their curve by OID or carry explicit
//! parameters; both are resolved by [`crate::ec::Curve::from_ec_parameters_der`], which matches
//! explicit parameters against the six curves eMRTDs use. A curve it does not know is kept as
//! [`EcCurve::Unknown`] with its exact parameter bytes.

use super::asn1::{algorithm_identifier, children, nth, root};
use super::{DataGroup, FileId, LdsError, Reason};
use crate::tlv::{self, Tag, Tlv};
use der::Decode;
use rsa::pkcs1::RsaPublicKeyRef;
use spki::SubjectPublicKeyInfoRef;

const FILE: FileId = FileId::Dg(DataGroup::Dg15);
const DG15_TAG: Tag = Tag::new(0x6F);

/// The curves eMRTDs use; the [`crate::ec`] module's type, re-exported here.
pub use crate::ec::Curve as NamedCurve;

/// How an EC key's curve was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EcCurve {
    /// By OID.
    Named(NamedCurve),
    /// By explicit parameters equal to a known curve's.
    Explicit(NamedCurve),
    /// Unknown: the exact parameter DER is kept.
    Unknown(Vec<u8>),
}

impl EcCurve {
    /// The known curve, however it was given.
    pub fn named(&self) -> Option<NamedCurve> {
        match self {
            EcCurve::Named(c) | EcCurve::Explicit(c) => Some(*c),
            EcCurve::Unknown(_) => None,
        }
    }
}

/// The Active Authentication key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AaPublicKey {
    /// RSA: modulus and exponent as unsigned big-endian bytes.
    Rsa {
        /// n.
        modulus: Vec<u8>,
        /// e.
        exponent: Vec<u8>,
    },
    /// EC: the curve and the SEC1 encoded point.
    Ec {
        /// The curve.
        curve: EcCurve,
        /// The point, as in the BIT STRING (usually `04 || x || y`).
        point: Vec<u8>,
    },
}

/// The parsed DG15.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dg15 {
    spki: Vec<u8>,
    key: AaPublicKey,
}

impl Dg15 {
    /// Parse DG15.
    pub fn parse(input: &[u8]) -> Result<Self, LdsError> {
        let outer = root(input, DG15_TAG, FILE)?;
        let inner = outer.value();
        let spki_tlv = Tlv::parse_exact(inner, super::asn1::SEQUENCE).map_err(|e| {
            LdsError::tlv(
                FILE,
                tlv::TlvError {
                    offset: e.offset + outer.header_len(),
                    kind: e.kind,
                },
            )
        })?;
        // Re-root the SPKI at its real offset for children's offsets.
        let spki_root = outer
            .children()
            .next()
            .and_then(Result::ok)
            .unwrap_or(spki_tlv);
        Self::from_spki_at(inner, &spki_root, outer.header_len())
    }

    /// A DG15 from SubjectPublicKeyInfo DER.
    pub fn from_spki(spki_der: &[u8]) -> Result<Self, LdsError> {
        let spki = root(spki_der, super::asn1::SEQUENCE, FILE)?;
        Self::from_spki_at(spki_der, &spki, 0)
    }

    fn from_spki_at(der: &[u8], spki: &Tlv<'_>, base: usize) -> Result<Self, LdsError> {
        let spki_der = der.get(..spki.total_len()).unwrap_or(der);
        let parsed =
            SubjectPublicKeyInfoRef::from_der(spki_der).map_err(|e| LdsError::Malformed {
                file: FILE,
                offset: base
                    + e.position()
                        .and_then(|p| usize::try_from(p).ok())
                        .unwrap_or(0),
                reason: Reason::Certificate(e.kind().to_string()),
            })?;
        let key_bits = parsed.subject_public_key.raw_bytes();
        let items = children(spki, FILE)?;
        let alg_tlv = nth(&items, 0, spki, FILE, "algorithm missing")?;
        algorithm_identifier(&alg_tlv, FILE)?;
        let rsa = (parsed.algorithm.oid == crate::oid::RSA_ENCRYPTION)
            .then(|| RsaPublicKeyRef::from_der(key_bits).ok())
            .flatten();
        let key = match (rsa, parsed.algorithm.oid) {
            (Some(rsa), _) => AaPublicKey::Rsa {
                modulus: strip_zero(rsa.modulus.as_bytes()).to_vec(),
                exponent: strip_zero(rsa.public_exponent.as_bytes()).to_vec(),
            },
            (None, crate::oid::EC_PUBLIC_KEY) => {
                let params = children(&alg_tlv, FILE)?;
                let p = nth(&params, 1, &alg_tlv, FILE, "EC parameters missing")?;
                let p_der = super::asn1::raw(&p);
                if p.tag() != super::asn1::OID && p.tag() != super::asn1::SEQUENCE {
                    return Err(LdsError::invalid(FILE, p.offset(), "bad EC parameters"));
                }
                let curve = match NamedCurve::from_ec_parameters_der(&p_der) {
                    Ok(c) if p.tag() == super::asn1::OID => EcCurve::Named(c),
                    Ok(c) => EcCurve::Explicit(c),
                    Err(_) => EcCurve::Unknown(p_der),
                };
                AaPublicKey::Ec {
                    curve,
                    point: key_bits.to_vec(),
                }
            }
            _ => {
                return Err(LdsError::Unsupported {
                    file: FILE,
                    what: "AA key algorithm (only RSA and EC)",
                });
            }
        };
        Ok(Self {
            spki: spki_der.to_vec(),
            key,
        })
    }

    /// Encode DG15 (`6F { SubjectPublicKeyInfo }`).
    pub fn encode(&self) -> Vec<u8> {
        tlv::encode(DG15_TAG, &self.spki)
    }

    /// The SubjectPublicKeyInfo DER, exact.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// The key.
    pub fn key(&self) -> &AaPublicKey {
        &self.key
    }
}

fn strip_zero(b: &[u8]) -> &[u8] {
    match b {
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => b,
    }
}
