//! The SecurityInfo kinds and their protocol OIDs (BSI TR-03110-3 A.1, ICAO 9303-11 §9.2).

use super::{RawInfo, SecurityInfo, SecurityInfosError, malformed, small_integer};
use crate::crypto::Cipher;
use crate::ec::{Curve, EcError, EcPoint, oid_to_string};
use crate::tlv::{Tag, Tlv};

/// bsi-de 2.2 = 0.4.0.127.0.7.2.2, the prefix of every EAC/PACE protocol OID.
pub(super) const BSI_DE_2_2: [u8; 7] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02];
/// Arcs after bsi-de 2.2: id-PK, id-TA, id-CA, id-PACE.
pub(super) const ID_PK: u8 = 1;
pub(super) const ID_TA: u8 = 2;
pub(super) const ID_CA: u8 = 3;
pub(super) const ID_PACE: u8 = 4;
/// id-AA, 2.23.136.1.1.5.
pub(super) const ID_AA: [u8; 6] = [0x67, 0x81, 0x08, 0x01, 0x01, 0x05];

const SEQUENCE: Tag = Tag::new(0x30);
const OBJECT_IDENTIFIER: Tag = Tag::new(0x06);
const OCTET_STRING: Tag = Tag::new(0x04);
const BIT_STRING: Tag = Tag::new(0x03);

/// The mapping of a PACE protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mapping {
    /// Generic Mapping (GM).
    Generic,
    /// Integrated Mapping (IM).
    Integrated,
    /// Chip Authentication Mapping (CAM).
    ChipAuthentication,
}

/// The key agreement of a PACE or CA protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyAgreement {
    /// Diffie-Hellman over a prime field group.
    Dh,
    /// Elliptic curve Diffie-Hellman.
    Ecdh,
}

/// A PACE protocol: `id-PACE-<KA>-<mapping>-<cipher>` (e.g. id-PACE-ECDH-GM-AES-CBC-CMAC-128,
/// 0.4.0.127.0.7.2.2.4.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PaceProtocol {
    /// The mapping.
    pub mapping: Mapping,
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// Cipher and MAC of the secure channel (3DES-CBC-CBC or AES-CBC-CMAC-128/192/256).
    pub cipher: Cipher,
}

/// A Chip Authentication protocol: `id-CA-<KA>-<cipher>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaProtocol {
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// Cipher and MAC of the new secure channel.
    pub cipher: Cipher,
}

fn cipher_from_arc(arc: u8) -> Option<Cipher> {
    match arc {
        1 => Some(Cipher::TripleDes),
        2 => Some(Cipher::Aes128),
        3 => Some(Cipher::Aes192),
        4 => Some(Cipher::Aes256),
        _ => None,
    }
}

fn cipher_arc(cipher: Cipher) -> u8 {
    match cipher {
        Cipher::TripleDes => 1,
        Cipher::Aes128 => 2,
        Cipher::Aes192 => 3,
        Cipher::Aes256 => 4,
    }
}

/// (mapping, key agreement) of a PACE mapping arc (id-PACE-DH-GM = 1 ... ECDH-CAM = 6).
fn pace_mapping(arc: u8) -> Option<(Mapping, KeyAgreement)> {
    match arc {
        1 => Some((Mapping::Generic, KeyAgreement::Dh)),
        2 => Some((Mapping::Generic, KeyAgreement::Ecdh)),
        3 => Some((Mapping::Integrated, KeyAgreement::Dh)),
        4 => Some((Mapping::Integrated, KeyAgreement::Ecdh)),
        6 => Some((Mapping::ChipAuthentication, KeyAgreement::Ecdh)),
        _ => None,
    }
}

pub(super) fn pace_mapping_arc(mapping: Mapping, key_agreement: KeyAgreement) -> u8 {
    match (mapping, key_agreement) {
        (Mapping::Generic, KeyAgreement::Dh) => 1,
        (Mapping::Generic, KeyAgreement::Ecdh) => 2,
        (Mapping::Integrated, KeyAgreement::Dh) => 3,
        (Mapping::Integrated, KeyAgreement::Ecdh) => 4,
        // CAM exists for ECDH only (6); arc 5 is unassigned and never parsed back.
        (Mapping::ChipAuthentication, KeyAgreement::Dh) => 5,
        (Mapping::ChipAuthentication, KeyAgreement::Ecdh) => 6,
    }
}

fn key_agreement_from_arc(arc: u8) -> Option<KeyAgreement> {
    match arc {
        1 => Some(KeyAgreement::Dh),
        2 => Some(KeyAgreement::Ecdh),
        _ => None,
    }
}

pub(super) fn key_agreement_arc(ka: KeyAgreement) -> u8 {
    match ka {
        KeyAgreement::Dh => 1,
        KeyAgreement::Ecdh => 2,
    }
}

impl PaceProtocol {
    /// The protocol of a PACE OID (DER content bytes), if it is one.
    pub fn from_oid(content: &[u8]) -> Option<Self> {
        match content.strip_prefix(&BSI_DE_2_2[..])? {
            [ID_PACE, mapping, cipher] => {
                let (mapping, key_agreement) = pace_mapping(*mapping)?;
                Some(Self {
                    mapping,
                    key_agreement,
                    cipher: cipher_from_arc(*cipher)?,
                })
            }
            _ => None,
        }
    }

    /// The DER content bytes of this protocol's OID (for MSE:Set AT and the tokens).
    pub fn oid(&self) -> Vec<u8> {
        let mut oid = BSI_DE_2_2.to_vec();
        oid.extend_from_slice(&[
            ID_PACE,
            pace_mapping_arc(self.mapping, self.key_agreement),
            cipher_arc(self.cipher),
        ]);
        oid
    }
}

impl CaProtocol {
    /// The protocol of a CA OID (DER content bytes), if it is one.
    pub fn from_oid(content: &[u8]) -> Option<Self> {
        match content.strip_prefix(&BSI_DE_2_2[..])? {
            [ID_CA, ka, cipher] => Some(Self {
                key_agreement: key_agreement_from_arc(*ka)?,
                cipher: cipher_from_arc(*cipher)?,
            }),
            _ => None,
        }
    }

    /// The DER content bytes of this protocol's OID (for MSE:Set AT).
    pub fn oid(&self) -> Vec<u8> {
        let mut oid = BSI_DE_2_2.to_vec();
        oid.extend_from_slice(&[
            ID_CA,
            key_agreement_arc(self.key_agreement),
            cipher_arc(self.cipher),
        ]);
        oid
    }
}

/// PACEInfo: `SEQUENCE { protocol, version INTEGER, parameterId INTEGER OPTIONAL }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaceInfo {
    /// The protocol.
    pub protocol: PaceProtocol,
    /// The version (2 for PACE v2, which ICAO requires).
    pub version: u64,
    /// The standardized domain parameter id (13 = brainpoolP256r1), or `None` when the
    /// parameters are proprietary (a PACEDomainParameterInfo).
    pub parameter_id: Option<u64>,
}

impl PaceInfo {
    /// The curve of an ECDH protocol with standardized domain parameters.
    pub fn curve(&self) -> Result<Curve, EcError> {
        if self.protocol.key_agreement != KeyAgreement::Ecdh {
            return Err(EcError::Unsupported {
                what: "PACE with DH key agreement".into(),
            });
        }
        match self.parameter_id {
            Some(id) => Curve::from_pace_parameter_id(id),
            None => Err(EcError::Unsupported {
                what: "PACE with proprietary domain parameters".into(),
            }),
        }
    }
}

/// PACEDomainParameterInfo: `SEQUENCE { protocol, domainParameter AlgorithmIdentifier,
/// parameterId INTEGER OPTIONAL }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaceDomainParameterInfo {
    /// The mapping.
    pub mapping: Mapping,
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// The AlgorithmIdentifier, DER encoded.
    pub domain_parameter: Vec<u8>,
    /// Which PACEInfo these parameters belong to.
    pub parameter_id: Option<u64>,
}

/// ChipAuthenticationInfo: `SEQUENCE { protocol, version INTEGER, keyId INTEGER OPTIONAL }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChipAuthenticationInfo {
    /// The protocol (e.g. id-CA-ECDH-AES-CBC-CMAC-128).
    pub protocol: CaProtocol,
    /// The version (1 or 2).
    pub version: u64,
    /// Which key, when the chip has several.
    pub key_id: Option<u64>,
}

/// ChipAuthenticationDomainParameterInfo: `SEQUENCE { id-CA-DH | id-CA-ECDH,
/// domainParameter AlgorithmIdentifier, keyId INTEGER OPTIONAL }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChipAuthenticationDomainParameterInfo {
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// The AlgorithmIdentifier, DER encoded.
    pub domain_parameter: Vec<u8>,
    /// Which key.
    pub key_id: Option<u64>,
}

/// ChipAuthenticationPublicKeyInfo (DG14): `SEQUENCE { id-PK-DH | id-PK-ECDH,
/// chipAuthenticationPublicKey SubjectPublicKeyInfo, keyId INTEGER OPTIONAL }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChipAuthenticationPublicKeyInfo {
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// The SubjectPublicKeyInfo, DER encoded.
    pub public_key_info: Vec<u8>,
    /// Which key.
    pub key_id: Option<u64>,
}

impl ChipAuthenticationPublicKeyInfo {
    /// The ECDH public key: the curve from the AlgorithmIdentifier's parameters (named or
    /// explicit) and the point from the BIT STRING, validated on the curve.
    pub fn ec_public_key(&self) -> Result<EcPoint, EcError> {
        let bad = |what: &str| EcError::Malformed {
            what: format!("chip authentication public key: {what}"),
            offset: 0,
        };
        let spki =
            Tlv::parse_exact(&self.public_key_info, SEQUENCE).map_err(|_| bad("not a SEQUENCE"))?;
        let mut parts = spki.children();
        let algorithm = parts
            .next()
            .and_then(Result::ok)
            .filter(|t| t.tag() == SEQUENCE)
            .ok_or_else(|| bad("no AlgorithmIdentifier"))?;
        let key = parts
            .next()
            .and_then(Result::ok)
            .filter(|t| t.tag() == BIT_STRING)
            .ok_or_else(|| bad("no subjectPublicKey BIT STRING"))?;
        let mut alg = algorithm.children();
        alg.next()
            .and_then(Result::ok)
            .filter(|t| t.tag() == OBJECT_IDENTIFIER)
            .ok_or_else(|| bad("no algorithm OID"))
            .and_then(|oid| {
                // id-ecPublicKey, 1.2.840.10045.2.1: a DH key under id-PK-ECDH is not an EC key.
                (oid.value() == [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01])
                    .then_some(())
                    .ok_or_else(|| bad("the key algorithm is not id-ecPublicKey"))
            })?;
        let params = alg
            .next()
            .and_then(Result::ok)
            .ok_or_else(|| bad("no curve parameters"))?;
        let start = params.offset() - spki.offset();
        let params_der = self
            .public_key_info
            .get(start..start + params.total_len())
            .ok_or_else(|| bad("parameters outside the key"))?;
        let curve = Curve::from_ec_parameters_der(params_der)?;
        match key.value() {
            [0, point @ ..] => curve.decode_point(point),
            _ => Err(bad("BIT STRING with unused bits")),
        }
    }
}

/// TerminalAuthenticationInfo: `SEQUENCE { id-TA, version INTEGER, efCVCA FileID OPTIONAL }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalAuthenticationInfo {
    /// The version (1 or 2).
    pub version: u64,
    /// The EF.CVCA file reference, DER encoded, if given.
    pub ef_cvca: Option<Vec<u8>>,
}

/// ActiveAuthenticationInfo (DG14): `SEQUENCE { id-AA, version INTEGER,
/// signatureAlgorithm OID }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveAuthenticationInfo {
    /// The version (1).
    pub version: u64,
    /// The signature algorithm OID in dotted form (e.g. ecdsa-with-SHA256).
    pub signature_algorithm: String,
}

/// A SecurityInfo with a protocol this crate does not interpret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSecurityInfo {
    /// The protocol OID in dotted form (or hex if it does not decode).
    pub protocol: String,
    /// The whole SecurityInfo, DER encoded.
    pub der: Vec<u8>,
}

fn version(raw: &RawInfo<'_>, what: &str) -> Result<u64, SecurityInfosError> {
    let tlv = raw
        .rest
        .first()
        .ok_or_else(|| malformed(format!("{what}: version is missing"), raw.offset))?;
    small_integer(tlv, &format!("{what} version"))
}

fn optional_integer(
    raw: &RawInfo<'_>,
    index: usize,
    what: &str,
) -> Result<Option<u64>, SecurityInfosError> {
    raw.rest
        .get(index)
        .map(|tlv| small_integer(tlv, what))
        .transpose()
}

fn at_most(raw: &RawInfo<'_>, n: usize, what: &str) -> Result<(), SecurityInfosError> {
    match raw.rest.get(n) {
        None => Ok(()),
        Some(extra) => Err(malformed(
            format!("{what}: unexpected object {} after its fields", extra.tag()),
            extra.offset(),
        )),
    }
}

fn raw_der(raw: &RawInfo<'_>, tlv: &Tlv<'_>) -> Result<Vec<u8>, SecurityInfosError> {
    let start = tlv.offset() - raw.offset;
    raw.der
        .get(start..start + tlv.total_len())
        .map(<[u8]>::to_vec)
        .ok_or_else(|| malformed("object outside its SecurityInfo", tlv.offset()))
}

fn algorithm_identifier(raw: &RawInfo<'_>, what: &str) -> Result<Vec<u8>, SecurityInfosError> {
    match raw.rest.first() {
        Some(tlv) if tlv.tag() == SEQUENCE => raw_der(raw, tlv),
        Some(tlv) => Err(malformed(
            format!(
                "{what}: expected an AlgorithmIdentifier (30), found {}",
                tlv.tag()
            ),
            tlv.offset(),
        )),
        None => Err(malformed(
            format!("{what}: AlgorithmIdentifier is missing"),
            raw.offset,
        )),
    }
}

/// Decode one SecurityInfo by its protocol OID.
pub(super) fn decode(raw: &RawInfo<'_>) -> Result<SecurityInfo, SecurityInfosError> {
    let oid = raw.oid;
    if !crate::ec::is_valid_oid(oid) {
        return Err(malformed(
            "invalid OBJECT IDENTIFIER encoding",
            raw.oid_offset,
        ));
    }
    if let Some(protocol) = PaceProtocol::from_oid(oid) {
        let what = "PACEInfo";
        at_most(raw, 2, what)?;
        return Ok(SecurityInfo::Pace(PaceInfo {
            protocol,
            version: version(raw, what)?,
            parameter_id: optional_integer(raw, 1, "PACEInfo parameterId")?,
        }));
    }
    if let Some(protocol) = CaProtocol::from_oid(oid) {
        let what = "ChipAuthenticationInfo";
        at_most(raw, 2, what)?;
        return Ok(SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
            protocol,
            version: version(raw, what)?,
            key_id: optional_integer(raw, 1, "ChipAuthenticationInfo keyId")?,
        }));
    }
    let Some(arcs) = oid.strip_prefix(&BSI_DE_2_2[..]) else {
        if oid == ID_AA {
            return active_authentication(raw);
        }
        return Ok(unknown(raw));
    };
    match arcs {
        [ID_PACE, mapping] => {
            let Some((mapping, key_agreement)) = pace_mapping(*mapping) else {
                return Ok(unknown(raw));
            };
            let what = "PACEDomainParameterInfo";
            at_most(raw, 2, what)?;
            Ok(SecurityInfo::PaceDomainParameters(
                PaceDomainParameterInfo {
                    mapping,
                    key_agreement,
                    domain_parameter: algorithm_identifier(raw, what)?,
                    parameter_id: optional_integer(raw, 1, "PACEDomainParameterInfo parameterId")?,
                },
            ))
        }
        [ID_CA, ka] => {
            let Some(key_agreement) = key_agreement_from_arc(*ka) else {
                return Ok(unknown(raw));
            };
            let what = "ChipAuthenticationDomainParameterInfo";
            at_most(raw, 2, what)?;
            Ok(SecurityInfo::ChipAuthenticationDomainParameters(
                ChipAuthenticationDomainParameterInfo {
                    key_agreement,
                    domain_parameter: algorithm_identifier(raw, what)?,
                    key_id: optional_integer(raw, 1, "keyId")?,
                },
            ))
        }
        [ID_PK, ka] => {
            let Some(key_agreement) = key_agreement_from_arc(*ka) else {
                return Ok(unknown(raw));
            };
            let what = "ChipAuthenticationPublicKeyInfo";
            at_most(raw, 2, what)?;
            Ok(SecurityInfo::ChipAuthenticationPublicKey(
                ChipAuthenticationPublicKeyInfo {
                    key_agreement,
                    public_key_info: algorithm_identifier(raw, what)?,
                    key_id: optional_integer(raw, 1, "keyId")?,
                },
            ))
        }
        [ID_TA] => {
            let what = "TerminalAuthenticationInfo";
            at_most(raw, 2, what)?;
            let ef_cvca = match raw.rest.get(1) {
                Some(tlv) if tlv.tag() == SEQUENCE || tlv.tag() == OCTET_STRING => {
                    Some(raw_der(raw, tlv)?)
                }
                Some(tlv) => {
                    return Err(malformed(
                        format!("{what}: efCVCA must be a FileID, found {}", tlv.tag()),
                        tlv.offset(),
                    ));
                }
                None => None,
            };
            Ok(SecurityInfo::TerminalAuthentication(
                TerminalAuthenticationInfo {
                    version: version(raw, what)?,
                    ef_cvca,
                },
            ))
        }
        _ => Ok(unknown(raw)),
    }
}

fn active_authentication(raw: &RawInfo<'_>) -> Result<SecurityInfo, SecurityInfosError> {
    let what = "ActiveAuthenticationInfo";
    at_most(raw, 2, what)?;
    let version = version(raw, what)?;
    let algorithm = match raw.rest.get(1) {
        Some(tlv) if tlv.tag() == OBJECT_IDENTIFIER => oid_to_string(tlv.value())
            .ok_or_else(|| malformed("invalid signatureAlgorithm OID", tlv.offset()))?,
        Some(tlv) => {
            return Err(malformed(
                format!(
                    "{what}: signatureAlgorithm must be an OID, found {}",
                    tlv.tag()
                ),
                tlv.offset(),
            ));
        }
        None => {
            return Err(malformed(
                format!("{what}: signatureAlgorithm is missing"),
                raw.offset,
            ));
        }
    };
    Ok(SecurityInfo::ActiveAuthentication(
        ActiveAuthenticationInfo {
            version,
            signature_algorithm: algorithm,
        },
    ))
}

fn unknown(raw: &RawInfo<'_>) -> SecurityInfo {
    SecurityInfo::Unknown(UnknownSecurityInfo {
        protocol: oid_to_string(raw.oid).unwrap_or_default(),
        der: raw.der.to_vec(),
    })
}
