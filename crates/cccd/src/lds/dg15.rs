//! DG15 (tag 0x6F): the Active Authentication public key, a SubjectPublicKeyInfo.
//!
//! RSA and EC keys are both supported. EC keys may name their curve by OID or carry explicit
//! parameters; explicit parameters are matched to the six curves eMRTDs use by comparing the
//! prime, the order and the generator (the `ec` module had not landed when this was written, so
//! the matching lives here, in [`match_explicit_curve`]).

use super::asn1::{AlgorithmIdentifier, children, nth, oid, oid_from_arcs, root, uint_bytes};
use super::{DataGroup, FileId, LdsError, Reason};
use crate::tlv::{self, Tag, Tlv};
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

const FILE: FileId = FileId::Dg(DataGroup::Dg15);
const DG15_TAG: Tag = Tag::new(0x6F);

/// A curve eMRTDs use, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NamedCurve {
    /// NIST P-256 (prime256v1).
    P256,
    /// NIST P-384.
    P384,
    /// NIST P-521.
    P521,
    /// brainpoolP256r1.
    BrainpoolP256r1,
    /// brainpoolP384r1.
    BrainpoolP384r1,
    /// brainpoolP512r1.
    BrainpoolP512r1,
}

/// (curve, OID arcs, prime, order, uncompressed generator) as printed by
/// `openssl ecparam -name <curve> -param_enc explicit` (SEC 2 and RFC 5639 values).
const CURVES: [(NamedCurve, &[u64], &str, &str, &str); 6] = [
    (
        NamedCurve::P256,
        &[1, 2, 840, 10045, 3, 1, 7],
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
    ),
    (
        NamedCurve::P384,
        &[1, 3, 132, 0, 34],
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
        "04aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab73617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
    ),
    (
        NamedCurve::P521,
        &[1, 3, 132, 0, 35],
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
        "0400c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
    ),
    (
        NamedCurve::BrainpoolP256r1,
        &[1, 3, 36, 3, 3, 2, 8, 1, 1, 7],
        "a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377",
        "a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7",
        "048bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997",
    ),
    (
        NamedCurve::BrainpoolP384r1,
        &[1, 3, 36, 3, 3, 2, 8, 1, 1, 11],
        "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123acd3a729901d1a71874700133107ec53",
        "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7cf3ab6af6b7fc3103b883202e9046565",
        "041d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8e826e03436d646aaef87b2e247d4af1e8abe1d7520f9c2a45cb1eb8e95cfd55262b70b29feec5864e19c054ff99129280e4646217791811142820341263c5315",
    ),
    (
        NamedCurve::BrainpoolP512r1,
        &[1, 3, 36, 3, 3, 2, 8, 1, 1, 13],
        "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca703308717d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3",
        "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069",
        "0481aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098eff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f8227dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892",
    ),
];

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

impl NamedCurve {
    /// The curve's OID.
    pub fn oid(self) -> asn1_rs::Oid<'static> {
        let arcs = CURVES.iter().find(|c| c.0 == self).map_or(&[][..], |c| c.1);
        oid_from_arcs(arcs)
    }

    /// The curve with this OID.
    pub fn from_oid(oid: &asn1_rs::Oid<'_>) -> Option<Self> {
        CURVES
            .iter()
            .find(|c| oid_from_arcs(c.1) == *oid)
            .map(|c| c.0)
    }
}

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

/// Match explicit `ECParameters` (RFC 3279: version, fieldID {prime-field, p}, curve {a, b},
/// base, order, cofactor) to a known curve by prime, order and generator. `None` if unknown.
pub fn match_explicit_curve(
    params: &Tlv<'_>,
    file: FileId,
) -> Result<Option<NamedCurve>, LdsError> {
    let items = children(params, file)?;
    let field = children(&nth(&items, 1, params, file, "fieldID missing")?, file)?;
    let prime_tlv = field
        .get(1)
        .copied()
        .ok_or_else(|| LdsError::invalid(file, params.offset(), "prime missing"))?;
    let prime = hex(uint_bytes(&prime_tlv, file)?);
    let base = nth(&items, 3, params, file, "base point missing")?;
    let order_tlv = nth(&items, 4, params, file, "order missing")?;
    let order = hex(uint_bytes(&order_tlv, file)?);
    let g = hex(base.value());
    Ok(CURVES
        .iter()
        .find(|c| c.2 == prime && c.3 == order && c.4 == g)
        .map(|c| c.0))
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
        let (_, parsed) = SubjectPublicKeyInfo::from_der(der).map_err(|e| LdsError::Malformed {
            file: FILE,
            offset: base,
            reason: Reason::Certificate(e.to_string()),
        })?;
        let items = children(spki, FILE)?;
        let alg_tlv = nth(&items, 0, spki, FILE, "algorithm missing")?;
        AlgorithmIdentifier::parse(&alg_tlv, FILE)?;
        let key = match parsed.parsed() {
            Ok(PublicKey::RSA(rsa)) => AaPublicKey::Rsa {
                modulus: strip_zero(rsa.modulus).to_vec(),
                exponent: strip_zero(rsa.exponent).to_vec(),
            },
            Ok(PublicKey::EC(point)) => {
                let params = children(&alg_tlv, FILE)?;
                let p = nth(&params, 1, &alg_tlv, FILE, "EC parameters missing")?;
                let curve = if p.tag() == super::asn1::OID {
                    let o = oid(&p, FILE)?;
                    NamedCurve::from_oid(&o)
                        .map_or_else(|| EcCurve::Unknown(super::asn1::raw(&p)), EcCurve::Named)
                } else if p.tag() == super::asn1::SEQUENCE {
                    match match_explicit_curve(&p, FILE)? {
                        Some(c) => EcCurve::Explicit(c),
                        None => EcCurve::Unknown(super::asn1::raw(&p)),
                    }
                } else {
                    return Err(LdsError::invalid(FILE, p.offset(), "bad EC parameters"));
                };
                AaPublicKey::Ec {
                    curve,
                    point: point.data().to_vec(),
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
            spki: der.get(..spki.total_len()).unwrap_or(der).to_vec(),
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
