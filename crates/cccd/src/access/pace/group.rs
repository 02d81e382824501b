//! The group PACE computes in, ECDH (a standardized curve) or DH (an RFC 5114 group), behind
//! one API so that the reader and the chip run every mapping with the same steps: the
//! mapping (generic or integrated), the ephemeral key agreement and the token input.

use super::dh_groups::DhGroup;
use super::integrated::{self, IntegratedMappingError};
use super::prime_field::PrimeField;
use crate::crypto::Cipher;
use crate::ec::{Curve, EcError, EcPoint, EcScalar};
use crate::lds::security_infos::{KeyAgreement, PaceInfo, PaceProtocol};
use crate::tlv::{self, Tag};
use crypto_bigint::modular::BoxedMontyForm;
use crypto_bigint::{BoxedUint, NonZero};
use rand_core::CryptoRng;
use std::fmt;
use zeroize::Zeroizing;

/// Why a group operation or a peer's value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GroupError {
    /// A curve operation failed (an invalid point, the identity, a curve mismatch).
    #[error(transparent)]
    Ec(#[from] EcError),
    /// A DH public value outside 2..p-2 or not in the subgroup of order q (RFC 2631 §2.1.5).
    #[error("invalid DH value in {group}: {reason}")]
    InvalidDhValue {
        /// The group's name.
        group: &'static str,
        /// What was wrong.
        reason: &'static str,
    },
    /// The integrated mapping failed.
    #[error(transparent)]
    IntegratedMapping(#[from] IntegratedMappingError),
    /// Values of two different groups were combined.
    #[error("values of two different PACE groups were combined")]
    Mismatch,
}

/// The domain parameters of a PACE run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaceGroup {
    /// ECDH on a standardized curve.
    Ec(Curve),
    /// DH in a standardized MODP group.
    Dh(&'static DhGroup),
}

/// An element of a PACE group: a curve point or a DH value (never the identity when decoded).
#[derive(Clone, PartialEq, Eq)]
pub enum GroupElement {
    /// A point.
    Ec(EcPoint),
    /// A value mod p of the group.
    Dh(&'static DhGroup, BoxedUint),
}

/// A private key (EC scalar, or DH exponent below q); zeroized on drop.
#[derive(Clone)]
pub enum GroupSecret {
    /// An EC scalar.
    Ec(EcScalar),
    /// A DH exponent, big-endian.
    Dh(Zeroizing<Vec<u8>>),
}

impl fmt::Debug for GroupElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ec(point) => point.fmt(f),
            Self::Dh(group, _) => write!(f, "GroupElement(DH {})", group.parameter_id),
        }
    }
}

impl fmt::Debug for GroupSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("GroupSecret(<secret>)")
    }
}

fn field(group: &DhGroup) -> PrimeField {
    // The three constants are odd primes (checked by a test), so this cannot fail.
    PrimeField::new(group.p).unwrap_or_else(|_| unreachable!("RFC 5114 primes are odd"))
}

fn invalid(group: &DhGroup, reason: &'static str) -> GroupError {
    GroupError::InvalidDhValue {
        group: group.name,
        reason,
    }
}

/// g^x mod p for a value below p.
fn dh_pow(group: &DhGroup, base: &BoxedUint, exponent: &[u8]) -> BoxedUint {
    let field = field(group);
    let bits = u32::try_from(exponent.len() * 8).unwrap_or(u32::MAX);
    let exponent = Zeroizing::new(BoxedUint::from_be_slice_truncated(exponent, bits.max(64)));
    field.element(base).pow(&exponent).retrieve()
}

fn is_one(value: &BoxedUint) -> bool {
    value.to_be_bytes_trimmed_vartime().as_ref() == [1]
}

/// A uniformly random exponent in 1..q-1 (64 extra bits, reduced: bias below 2^-64).
pub fn random_dh_exponent<R: CryptoRng + ?Sized>(
    group: &DhGroup,
    rng: &mut R,
) -> Zeroizing<Vec<u8>> {
    let mut wide = Zeroizing::new(vec![0u8; group.q.len() + 8]);
    rng.fill_bytes(&mut wide);
    let q = BoxedUint::from_be_slice_vartime(group.q);
    let one = BoxedUint::one_with_precision(q.bits_precision());
    let q_minus_one = q.wrapping_sub(&one);
    let Some(modulus) = Option::<NonZero<BoxedUint>>::from(NonZero::new(q_minus_one)) else {
        unreachable!("q is a large prime")
    };
    let bits = u32::try_from(wide.len() * 8).unwrap_or(u32::MAX);
    let reduced: BoxedUint = BoxedUint::from_be_slice_truncated(&wide, bits).rem(&modulus);
    let exponent = reduced.wrapping_add(&one);
    let bytes = exponent.to_be_bytes();
    Zeroizing::new(bytes[bytes.len().saturating_sub(group.q.len())..].to_vec())
}

impl PaceGroup {
    /// The group of a PACEInfo with standardized domain parameters.
    pub fn of(info: &PaceInfo) -> Result<Self, EcError> {
        match (info.protocol.key_agreement, info.parameter_id) {
            (KeyAgreement::Ecdh, _) => info.curve().map(Self::Ec),
            (KeyAgreement::Dh, Some(id)) => DhGroup::from_pace_parameter_id(id)
                .map(Self::Dh)
                .ok_or_else(|| EcError::Unsupported {
                    what: format!("PACE DH with domain parameter {id} (not a DH group)"),
                }),
            (KeyAgreement::Dh, None) => Err(EcError::Unsupported {
                what: "PACE DH with proprietary domain parameters".into(),
            }),
        }
    }

    /// The group's standard generator.
    pub fn generator(&self) -> GroupElement {
        match self {
            Self::Ec(curve) => GroupElement::Ec(curve.generator()),
            Self::Dh(group) => GroupElement::Dh(group, BoxedUint::from_be_slice_vartime(group.g)),
        }
    }

    /// The byte length of the group's modulus p (the field for ECDH).
    pub fn prime(&self) -> &'static [u8] {
        match self {
            Self::Ec(curve) => curve.params().p,
            Self::Dh(group) => group.p,
        }
    }

    /// A private key from big-endian bytes (tests replaying published examples).
    pub fn secret_from_be_bytes(&self, bytes: &[u8]) -> Result<GroupSecret, GroupError> {
        match self {
            Self::Ec(curve) => Ok(GroupSecret::Ec(curve.scalar_from_be_bytes(bytes)?)),
            Self::Dh(_) => Ok(GroupSecret::Dh(Zeroizing::new(bytes.to_vec()))),
        }
    }

    /// Decode and validate a peer's public value: an uncompressed point on the curve (not the
    /// identity), or a DH value in 2..p-2 whose order divides q.
    pub fn decode(&self, bytes: &[u8]) -> Result<GroupElement, GroupError> {
        match self {
            Self::Ec(curve) => Ok(GroupElement::Ec(curve.decode_point(bytes)?)),
            Self::Dh(group) => {
                let field = field(group);
                if bytes.len() > field.len() {
                    return Err(invalid(group, "longer than p"));
                }
                let value = field
                    .canonical(bytes)
                    .ok_or_else(|| invalid(group, "not below p"))?;
                let one = BoxedUint::one_with_precision(value.bits_precision());
                let p_minus_one = field.modulus().wrapping_sub(&one);
                if value <= one || value >= p_minus_one {
                    return Err(invalid(group, "outside 2..p-2"));
                }
                if !is_one(&dh_pow(group, &value, group.q)) {
                    return Err(invalid(group, "not in the subgroup of order q"));
                }
                Ok(GroupElement::Dh(group, value))
            }
        }
    }

    /// Generic Mapping: H = own mapping secret · peer's mapping key (h = y^x for DH), then
    /// Ĝ = s·G + H (ĝ = g^s·h). Fails if H or Ĝ is the identity.
    pub fn map_generic(
        &self,
        nonce: &[u8],
        mapping_secret: &GroupSecret,
        peer_mapping_key: &GroupElement,
    ) -> Result<GroupElement, GroupError> {
        match (self, mapping_secret, peer_mapping_key) {
            (Self::Ec(curve), GroupSecret::Ec(secret), GroupElement::Ec(peer)) => Ok(
                GroupElement::Ec(super::protocol::map_generator(*curve, nonce, secret, peer)?),
            ),
            (Self::Dh(group), GroupSecret::Dh(secret), GroupElement::Dh(_, peer)) => {
                let h = dh_pow(group, peer, secret);
                if is_one(&h) {
                    return Err(invalid(group, "the mapping produced h = 1"));
                }
                let field = field(group);
                let g_s = dh_pow(group, &BoxedUint::from_be_slice_vartime(group.g), nonce);
                let mapped = (field.element(&g_s) * field.element(&h)).retrieve();
                if is_one(&mapped) {
                    return Err(invalid(group, "the mapped generator is 1"));
                }
                Ok(GroupElement::Dh(group, mapped))
            }
            _ => Err(GroupError::Mismatch),
        }
    }

    /// Integrated Mapping: Ĝ = f_G(R_p(s, t)) for ECDH, ĝ = R_p(s, t)^((p-1)/q) for DH.
    #[allow(
        clippy::many_single_char_names,
        reason = "the names of ICAO 9303-11 §4.4.3.3.2"
    )]
    pub fn map_integrated(
        &self,
        cipher: Cipher,
        s: &[u8],
        t: &[u8],
    ) -> Result<GroupElement, GroupError> {
        match self {
            Self::Ec(curve) => Ok(GroupElement::Ec(integrated::map_generator_ecdh(
                *curve, cipher, s, t,
            )?)),
            Self::Dh(group) => {
                let x = integrated::pseudo_random_mod_p(cipher, s, t, group.p)?;
                let field = field(group);
                let p = field.modulus();
                let q = BoxedUint::from_be_slice(group.q, p.bits_precision())
                    .unwrap_or_else(|_| unreachable!("q is shorter than p"));
                let Some(q) = Option::<NonZero<BoxedUint>>::from(NonZero::new(q)) else {
                    unreachable!("q is a large prime")
                };
                let one = BoxedUint::one_with_precision(p.bits_precision());
                let cofactor = p.wrapping_sub(&one).wrapping_div(&q);
                let mapped: BoxedMontyForm = field.reduce(&x).pow(&cofactor);
                let mapped = mapped.retrieve();
                if is_one(&mapped) || bool::from(mapped.is_zero()) {
                    return Err(invalid(group, "the mapped generator is degenerate"));
                }
                Ok(GroupElement::Dh(group, mapped))
            }
        }
    }
}

impl GroupElement {
    /// `secret · self` (EC) or `self ^ secret` (DH).
    pub fn exp(&self, secret: &GroupSecret) -> Result<GroupElement, GroupError> {
        match (self, secret) {
            (Self::Ec(point), GroupSecret::Ec(k)) => Ok(Self::Ec(point.mul(k)?)),
            (Self::Dh(group, value), GroupSecret::Dh(x)) => {
                Ok(Self::Dh(group, dh_pow(group, value, x)))
            }
            _ => Err(GroupError::Mismatch),
        }
    }

    /// The wire encoding: SEC1 uncompressed point, or the DH value as long as p.
    pub fn encode(&self) -> Result<Vec<u8>, GroupError> {
        match self {
            Self::Ec(point) => Ok(point.to_uncompressed()?),
            Self::Dh(group, value) => Ok(field(group).encode_integer(value)),
        }
    }

    /// The shared secret of the key agreement with own `secret` and this peer value: the
    /// x-coordinate for ECDH, the value as long as p for DH. Fails on the identity.
    pub fn shared_secret(&self, secret: &GroupSecret) -> Result<Zeroizing<Vec<u8>>, GroupError> {
        match self.exp(secret)? {
            Self::Ec(point) => Ok(point.x_coordinate()?),
            Self::Dh(group, value) => {
                if is_one(&value) {
                    return Err(invalid(group, "the shared secret is 1"));
                }
                Ok(Zeroizing::new(field(group).encode_integer(&value)))
            }
        }
    }

    /// The public key data object the tokens MAC: `7F49 { 06 OID, 86 point }` for ECDH,
    /// `7F49 { 06 OID, 84 value }` for DH (ICAO 9303-11 §4.4.3.4, §9.4.5).
    pub fn public_key_data_object(&self, protocol: &PaceProtocol) -> Result<Vec<u8>, GroupError> {
        let tag = match self {
            Self::Ec(_) => Tag::new(0x86),
            Self::Dh(..) => Tag::new(0x84),
        };
        Ok(tlv::encode_constructed(
            Tag::new(0x7F49),
            [
                &tlv::encode(Tag::new(0x06), &protocol.oid())[..],
                &tlv::encode(tag, &self.encode()?)[..],
            ],
        ))
    }
}
