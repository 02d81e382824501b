//! Elliptic curves used by eMRTDs: named and explicit parameters, brainpoolP512r1, point
//! arithmetic for PACE and Chip Authentication.
//!
//! [`Curve`] names the eleven supported curves (every ICAO 9303-11 standardized one) and maps them to and from object identifiers,
//! PACE standardized domain parameter ids and explicit `ECParameters` (RFC 3279), which some
//! CSCAs (Vietnam's among them) put in their certificates instead of a curve OID.
//! [`EcPoint`] and [`EcScalar`] give one runtime API over the RustCrypto curve types; decoding
//! a point rejects anything off the curve and the identity, the defence against invalid-curve
//! attacks.
//!
//! ```
//! use cccd::ec::Curve;
//! let curve = Curve::from_pace_parameter_id(13)?;
//! assert_eq!(curve, Curve::BrainpoolP256r1);
//! let (secret, public) = curve.generate_keypair(&mut rand::rng());
//! let decoded = curve.decode_point(&public.to_uncompressed()?)?;
//! assert_eq!(decoded, public);
//! assert_eq!(secret.curve(), curve);
//! # Ok::<(), cccd::ec::EcError>(())
//! ```

pub mod bp512;
pub mod brainpool;
mod explicit;
pub(crate) mod field;
pub(crate) mod fixed_base;
mod oid;
mod p256_field;
mod params;
mod point;
pub(crate) mod variable_base;

pub use explicit::ExplicitParams;
pub(crate) use oid::is_valid_oid;
pub use oid::oid_to_string;
pub use params::DomainParams;
pub use point::{EcPoint, EcScalar};

use std::fmt;

/// A supported elliptic curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Curve {
    /// brainpoolP192r1 (RFC 5639); PACE parameter id 9.
    BrainpoolP192r1,
    /// brainpoolP224r1 (RFC 5639); PACE parameter id 11.
    BrainpoolP224r1,
    /// brainpoolP256r1 (RFC 5639); PACE parameter id 13, the one Vietnamese cards use.
    BrainpoolP256r1,
    /// brainpoolP320r1 (RFC 5639); PACE parameter id 14.
    BrainpoolP320r1,
    /// brainpoolP384r1 (RFC 5639); PACE parameter id 16.
    BrainpoolP384r1,
    /// brainpoolP512r1 (RFC 5639); PACE parameter id 17.
    BrainpoolP512r1,
    /// NIST P-192 / secp192r1; PACE parameter id 8.
    NistP192,
    /// NIST P-224 / secp224r1; PACE parameter id 10.
    NistP224,
    /// NIST P-256 / secp256r1; PACE parameter id 12.
    NistP256,
    /// NIST P-384 / secp384r1; PACE parameter id 15.
    NistP384,
    /// NIST P-521 / secp521r1; PACE parameter id 18.
    NistP521,
}

/// Why a curve, point or scalar was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EcError {
    /// A curve or parameter set this crate does not implement, named.
    #[error("unsupported: {what}")]
    Unsupported {
        /// What was asked for, e.g. "PACE domain parameter 8 (secp192r1)".
        what: String,
    },
    /// Bytes that do not encode a point of the curve (wrong length or format, off the curve,
    /// or the point at infinity).
    #[error("invalid point on {curve}: {reason}")]
    InvalidPoint {
        /// The curve the point was meant for.
        curve: Curve,
        /// What was wrong.
        reason: &'static str,
    },
    /// A scalar that is zero, not below the group order, or too long.
    #[error("invalid scalar for {curve}: {reason}")]
    InvalidScalar {
        /// The curve the scalar was meant for.
        curve: Curve,
        /// What was wrong.
        reason: &'static str,
    },
    /// An operation mixed points or scalars of two curves.
    #[error("points or scalars of different curves ({0} and {1})")]
    CurveMismatch(Curve, Curve),
    /// Malformed DER in EC domain parameters.
    #[error("malformed EC parameters at offset {offset}: {what}")]
    Malformed {
        /// What was wrong.
        what: String,
        /// Offset in the input.
        offset: usize,
    },
}

/// PACE standardized domain parameter ids (ICAO 9303-11 §9.5.1, BSI TR-03110-3 table 4) that
/// name curves or groups this crate does not implement.
const UNSUPPORTED_PACE_IDS: [(u64, &str); 3] = [
    (
        0,
        "1024-bit MODP group with 160-bit prime order subgroup (DH)",
    ),
    (
        1,
        "2048-bit MODP group with 224-bit prime order subgroup (DH)",
    ),
    (
        2,
        "2048-bit MODP group with 256-bit prime order subgroup (DH)",
    ),
];

/// Named curves recognised by OID but not implemented, for a helpful error.
const UNSUPPORTED_CURVE_OIDS: [(&str, &str); 1] = [("1.3.132.0.10", "secp256k1")];

impl Curve {
    /// Every supported curve.
    pub const ALL: [Curve; 11] = [
        Curve::BrainpoolP192r1,
        Curve::BrainpoolP224r1,
        Curve::BrainpoolP256r1,
        Curve::BrainpoolP320r1,
        Curve::BrainpoolP384r1,
        Curve::BrainpoolP512r1,
        Curve::NistP192,
        Curve::NistP224,
        Curve::NistP256,
        Curve::NistP384,
        Curve::NistP521,
    ];

    /// The usual name (`"brainpoolP256r1"`, `"secp256r1"`...).
    pub fn name(self) -> &'static str {
        match self {
            Curve::BrainpoolP192r1 => "brainpoolP192r1",
            Curve::BrainpoolP224r1 => "brainpoolP224r1",
            Curve::BrainpoolP256r1 => "brainpoolP256r1",
            Curve::BrainpoolP320r1 => "brainpoolP320r1",
            Curve::BrainpoolP384r1 => "brainpoolP384r1",
            Curve::BrainpoolP512r1 => "brainpoolP512r1",
            Curve::NistP192 => "secp192r1",
            Curve::NistP224 => "secp224r1",
            Curve::NistP256 => "secp256r1",
            Curve::NistP384 => "secp384r1",
            Curve::NistP521 => "secp521r1",
        }
    }

    /// The curve's OID in dotted form.
    pub fn oid(self) -> &'static str {
        match self {
            Curve::BrainpoolP192r1 => "1.3.36.3.3.2.8.1.1.3",
            Curve::BrainpoolP224r1 => "1.3.36.3.3.2.8.1.1.5",
            Curve::BrainpoolP256r1 => "1.3.36.3.3.2.8.1.1.7",
            Curve::BrainpoolP320r1 => "1.3.36.3.3.2.8.1.1.9",
            Curve::BrainpoolP384r1 => "1.3.36.3.3.2.8.1.1.11",
            Curve::BrainpoolP512r1 => "1.3.36.3.3.2.8.1.1.13",
            Curve::NistP192 => "1.2.840.10045.3.1.1",
            Curve::NistP224 => "1.3.132.0.33",
            Curve::NistP256 => "1.2.840.10045.3.1.7",
            Curve::NistP384 => "1.3.132.0.34",
            Curve::NistP521 => "1.3.132.0.35",
        }
    }

    /// The curve named by a dotted OID.
    pub fn from_oid(dotted: &str) -> Result<Self, EcError> {
        if let Some(curve) = Curve::ALL.into_iter().find(|c| c.oid() == dotted) {
            return Ok(curve);
        }
        let what = match UNSUPPORTED_CURVE_OIDS
            .iter()
            .find(|(oid, _)| *oid == dotted)
        {
            Some((_, name)) => format!("curve {name} ({dotted})"),
            None => format!("curve with OID {dotted}"),
        };
        Err(EcError::Unsupported { what })
    }

    /// The curve named by the content bytes of a DER OBJECT IDENTIFIER.
    pub fn from_oid_der(content: &[u8]) -> Result<Self, EcError> {
        let dotted = oid_to_string(content).ok_or_else(|| EcError::Malformed {
            what: "invalid OBJECT IDENTIFIER encoding".into(),
            offset: 0,
        })?;
        Self::from_oid(&dotted)
    }

    /// The curve of a PACE standardized domain parameter id (ICAO 9303-11 §9.5.1).
    pub fn from_pace_parameter_id(id: u64) -> Result<Self, EcError> {
        if let Some(curve) = Curve::ALL
            .into_iter()
            .find(|c| u64::from(c.pace_parameter_id()) == id)
        {
            return Ok(curve);
        }
        let what = match UNSUPPORTED_PACE_IDS.iter().find(|(i, _)| *i == id) {
            Some((_, name)) => format!("PACE domain parameter {id} ({name})"),
            None => format!("PACE domain parameter {id} (reserved)"),
        };
        Err(EcError::Unsupported { what })
    }

    /// The PACE standardized domain parameter id of this curve.
    pub fn pace_parameter_id(self) -> u8 {
        match self {
            Curve::NistP192 => 8,
            Curve::BrainpoolP192r1 => 9,
            Curve::NistP224 => 10,
            Curve::BrainpoolP224r1 => 11,
            Curve::NistP256 => 12,
            Curve::BrainpoolP256r1 => 13,
            Curve::BrainpoolP320r1 => 14,
            Curve::NistP384 => 15,
            Curve::BrainpoolP384r1 => 16,
            Curve::BrainpoolP512r1 => 17,
            Curve::NistP521 => 18,
        }
    }

    /// Bytes in a field element (and in each coordinate of an uncompressed point).
    pub fn field_size(self) -> usize {
        match self {
            Curve::BrainpoolP192r1 | Curve::NistP192 => 24,
            Curve::BrainpoolP224r1 | Curve::NistP224 => 28,
            Curve::BrainpoolP256r1 | Curve::NistP256 => 32,
            Curve::BrainpoolP320r1 => 40,
            Curve::BrainpoolP384r1 | Curve::NistP384 => 48,
            Curve::BrainpoolP512r1 => 64,
            Curve::NistP521 => 66,
        }
    }

    /// Bytes in a scalar (the length of the group order n).
    pub fn scalar_size(self) -> usize {
        self.params().n.len()
    }

    /// The published domain parameters.
    pub fn params(self) -> &'static DomainParams {
        match self {
            Curve::BrainpoolP192r1 => &params::BP192,
            Curve::BrainpoolP224r1 => &params::BP224,
            Curve::BrainpoolP256r1 => &params::BP256,
            Curve::BrainpoolP320r1 => &params::BP320,
            Curve::BrainpoolP384r1 => &params::BP384,
            Curve::BrainpoolP512r1 => &params::BP512,
            Curve::NistP192 => &params::P192,
            Curve::NistP224 => &params::P224,
            Curve::NistP256 => &params::P256,
            Curve::NistP384 => &params::P384,
            Curve::NistP521 => &params::P521,
        }
    }

    /// The curve of DER `EcpkParameters` as found in a SubjectPublicKeyInfo's algorithm
    /// parameters: either a named curve (an OID) or explicit `ECParameters`, which must equal
    /// a supported curve's parameters exactly.
    pub fn from_ec_parameters_der(der: &[u8]) -> Result<Self, EcError> {
        explicit::curve_from_ec_parameters(der)
    }

    /// The supported curve whose domain parameters equal these explicit ones.
    pub fn from_explicit(params: &ExplicitParams<'_>) -> Result<Self, EcError> {
        explicit::match_named(params)
    }
}

impl fmt::Display for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests;

/// Deterministic test scalars shared by the unit tests of `ec::fixed_base` and
/// `pki::signature::prepared`.
#[cfg(test)]
pub(crate) mod test_scalars;
