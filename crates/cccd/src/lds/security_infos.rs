//! SecurityInfos (BSI TR-03110-3 A.1, ICAO 9303-11 9.2): DG14 (tag 0x6E), EF.CardSecurity (a
//! CMS SignedData whose content is SecurityInfos) and EF.CardAccess (a bare SET).
//!
//! The `access` module (PACE helper) had not landed when this was written, so this is a complete
//! SecurityInfos parser of its own. Unknown protocols are kept with their exact DER.

use super::asn1::{
    AlgorithmIdentifier, BIT_STRING, SEQUENCE, SET, children, enc_oid, enc_seq, enc_set_of,
    enc_uint, nth, objects_at, oid, oid_from_arcs, raw, root, small_uint,
};
use super::sod::SignedData;
use super::{DataGroup, FileId, LdsError};
use crate::tlv::{self, Tag, Tlv};
use asn1_rs::Oid;

const DG14_TAG: Tag = Tag::new(0x6E);

/// OIDs of TR-03110 / ICAO 9303-11.
pub mod oids {
    use super::{Oid, oid_from_arcs};
    /// bsi-de 0.4.0.127.0.7.
    const BSI_DE: [u64; 6] = [0, 4, 0, 127, 0, 7];
    fn bsi(tail: &[u64]) -> Oid<'static> {
        let mut arcs = BSI_DE.to_vec();
        arcs.extend_from_slice(tail);
        oid_from_arcs(&arcs)
    }
    /// id-PK (ChipAuthenticationPublicKeyInfo): bsi-de 2.2.1.
    pub fn id_pk() -> Oid<'static> {
        bsi(&[2, 2, 1])
    }
    /// id-TA: bsi-de 2.2.2.
    pub fn id_ta() -> Oid<'static> {
        bsi(&[2, 2, 2])
    }
    /// id-CA: bsi-de 2.2.3.
    pub fn id_ca() -> Oid<'static> {
        bsi(&[2, 2, 3])
    }
    /// id-PACE: bsi-de 2.2.4.
    pub fn id_pace() -> Oid<'static> {
        bsi(&[2, 2, 4])
    }
    /// id-SecurityObject, the eContentType of EF.CardSecurity: bsi-de 3.2.1.
    pub fn id_security_object() -> Oid<'static> {
        bsi(&[3, 2, 1])
    }
    /// id-icao-mrtd-security-aaProtocolObject 2.23.136.1.1.5 (ActiveAuthenticationInfo).
    pub fn id_aa() -> Oid<'static> {
        oid_from_arcs(&[2, 23, 136, 1, 1, 5])
    }
}

/// One SecurityInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityInfo {
    /// ChipAuthenticationInfo (id-CA-{DH,ECDH}-{cipher}).
    ChipAuthentication {
        /// Protocol OID, e.g. id-CA-ECDH-AES-CBC-CMAC-128.
        protocol: Oid<'static>,
        /// Version (1 or 2).
        version: u64,
        /// Key identifier, when the chip has several CA keys.
        key_id: Option<u64>,
    },
    /// ChipAuthenticationDomainParameterInfo (id-CA-DH / id-CA-ECDH).
    ChipAuthenticationDomainParameter {
        /// Protocol OID.
        protocol: Oid<'static>,
        /// The domain parameters.
        domain_parameter: AlgorithmIdentifier,
        /// Key identifier.
        key_id: Option<u64>,
    },
    /// ChipAuthenticationPublicKeyInfo (id-PK-DH / id-PK-ECDH).
    ChipAuthenticationPublicKey {
        /// Protocol OID.
        protocol: Oid<'static>,
        /// The SubjectPublicKeyInfo, exact DER (EC with named or explicit parameters, or DH).
        spki: Vec<u8>,
        /// The key's algorithm (id-ecPublicKey or dhpublicnumber) with its parameters.
        algorithm: AlgorithmIdentifier,
        /// The public key bytes (the BIT STRING content after the unused-bits byte): an EC
        /// point, or for DH the DER INTEGER y.
        public_key: Vec<u8>,
        /// Key identifier.
        key_id: Option<u64>,
    },
    /// PACEInfo (id-PACE-{DH,ECDH}-{GM,IM,CAM}-{cipher}).
    Pace {
        /// Protocol OID.
        protocol: Oid<'static>,
        /// Version (2).
        version: u64,
        /// Standardized domain parameter id (13 = brainpoolP256r1), if given.
        parameter_id: Option<u64>,
    },
    /// PACEDomainParameterInfo (id-PACE-{DH,ECDH}-{GM,IM,CAM}).
    PaceDomainParameter {
        /// Protocol OID.
        protocol: Oid<'static>,
        /// The domain parameters.
        domain_parameter: AlgorithmIdentifier,
        /// Parameter id.
        parameter_id: Option<u64>,
    },
    /// TerminalAuthenticationInfo (id-TA).
    TerminalAuthentication {
        /// Protocol OID.
        protocol: Oid<'static>,
        /// Version.
        version: u64,
        /// The EF.CVCA FileID, exact DER, if given.
        ef_cvca: Option<Vec<u8>>,
    },
    /// ActiveAuthenticationInfo (2.23.136.1.1.5).
    ActiveAuthentication {
        /// Protocol OID.
        protocol: Oid<'static>,
        /// Version (1).
        version: u64,
        /// Signature algorithm for ECDSA AA, e.g. ecdsa-plain-SHA256.
        signature_algorithm: Oid<'static>,
    },
    /// Any other SecurityInfo, kept exactly.
    Unknown {
        /// Protocol OID.
        protocol: Oid<'static>,
        /// The whole SecurityInfo DER.
        raw: Vec<u8>,
    },
}

fn opt_uint(items: &[Tlv<'_>], i: usize, file: FileId) -> Result<Option<u64>, LdsError> {
    items.get(i).map(|t| small_uint(t, file)).transpose()
}

/// Depth of the protocol OID below its family (`id-CA` has 2 more arcs for a
/// ChipAuthenticationInfo, 1 for a domain parameter info).
fn extra_arcs(protocol: &Oid<'_>, family: &Oid<'_>) -> Option<usize> {
    if !protocol.starts_with(family) {
        return None;
    }
    let p = protocol.iter()?.count();
    let f = family.iter()?.count();
    p.checked_sub(f)
}

impl SecurityInfo {
    /// Parse one SecurityInfo SEQUENCE.
    pub(crate) fn parse(seq: &Tlv<'_>, file: FileId) -> Result<Self, LdsError> {
        if seq.tag() != SEQUENCE {
            return Err(LdsError::invalid(
                file,
                seq.offset(),
                "SecurityInfo must be a SEQUENCE",
            ));
        }
        let items = children(seq, file)?;
        let protocol = oid(&nth(&items, 0, seq, file, "protocol OID missing")?, file)?;
        let second = || nth(&items, 1, seq, file, "requiredData missing");
        let ca = extra_arcs(&protocol, &oids::id_ca());
        let pace = extra_arcs(&protocol, &oids::id_pace());
        let info = if ca == Some(2) {
            SecurityInfo::ChipAuthentication {
                version: small_uint(&second()?, file)?,
                key_id: opt_uint(&items, 2, file)?,
                protocol,
            }
        } else if ca == Some(1) {
            SecurityInfo::ChipAuthenticationDomainParameter {
                domain_parameter: AlgorithmIdentifier::parse(&second()?, file)?,
                key_id: opt_uint(&items, 2, file)?,
                protocol,
            }
        } else if extra_arcs(&protocol, &oids::id_pk()) == Some(1) {
            let spki = second()?;
            let parts = children(&spki, file)?;
            let algorithm = AlgorithmIdentifier::parse(
                &nth(&parts, 0, &spki, file, "key algorithm missing")?,
                file,
            )?;
            let bits = nth(&parts, 1, &spki, file, "public key missing")?;
            let public_key = match bits.value() {
                [0, key @ ..] if bits.tag() == BIT_STRING => key.to_vec(),
                _ => {
                    return Err(LdsError::invalid(
                        file,
                        bits.offset(),
                        "bad public key BIT STRING",
                    ));
                }
            };
            SecurityInfo::ChipAuthenticationPublicKey {
                spki: raw(&spki),
                algorithm,
                public_key,
                key_id: opt_uint(&items, 2, file)?,
                protocol,
            }
        } else if pace == Some(2) {
            SecurityInfo::Pace {
                version: small_uint(&second()?, file)?,
                parameter_id: opt_uint(&items, 2, file)?,
                protocol,
            }
        } else if pace == Some(1) {
            SecurityInfo::PaceDomainParameter {
                domain_parameter: AlgorithmIdentifier::parse(&second()?, file)?,
                parameter_id: opt_uint(&items, 2, file)?,
                protocol,
            }
        } else if protocol == oids::id_ta() {
            SecurityInfo::TerminalAuthentication {
                version: small_uint(&second()?, file)?,
                ef_cvca: items.get(2).map(raw),
                protocol,
            }
        } else if protocol == oids::id_aa() {
            SecurityInfo::ActiveAuthentication {
                version: small_uint(&second()?, file)?,
                signature_algorithm: oid(
                    &nth(&items, 2, seq, file, "AA signature algorithm missing")?,
                    file,
                )?,
                protocol,
            }
        } else {
            SecurityInfo::Unknown {
                protocol,
                raw: raw(seq),
            }
        };
        Ok(info)
    }

    /// The protocol OID.
    pub fn protocol(&self) -> &Oid<'static> {
        match self {
            SecurityInfo::ChipAuthentication { protocol, .. }
            | SecurityInfo::ChipAuthenticationDomainParameter { protocol, .. }
            | SecurityInfo::ChipAuthenticationPublicKey { protocol, .. }
            | SecurityInfo::Pace { protocol, .. }
            | SecurityInfo::PaceDomainParameter { protocol, .. }
            | SecurityInfo::TerminalAuthentication { protocol, .. }
            | SecurityInfo::ActiveAuthentication { protocol, .. }
            | SecurityInfo::Unknown { protocol, .. } => protocol,
        }
    }

    /// DER encoding.
    pub fn encode(&self) -> Vec<u8> {
        let opt = |v: &Option<u64>| v.map(enc_uint).unwrap_or_default();
        let p = enc_oid(self.protocol());
        match self {
            SecurityInfo::ChipAuthentication {
                version, key_id, ..
            }
            | SecurityInfo::Pace {
                version,
                parameter_id: key_id,
                ..
            } => enc_seq(&[&p, &enc_uint(*version), &opt(key_id)]),
            SecurityInfo::ChipAuthenticationDomainParameter {
                domain_parameter,
                key_id,
                ..
            }
            | SecurityInfo::PaceDomainParameter {
                domain_parameter,
                parameter_id: key_id,
                ..
            } => enc_seq(&[&p, &domain_parameter.encode(), &opt(key_id)]),
            SecurityInfo::ChipAuthenticationPublicKey { spki, key_id, .. } => {
                enc_seq(&[&p, spki, &opt(key_id)])
            }
            SecurityInfo::TerminalAuthentication {
                version, ef_cvca, ..
            } => enc_seq(&[
                &p,
                &enc_uint(*version),
                ef_cvca.as_deref().unwrap_or_default(),
            ]),
            SecurityInfo::ActiveAuthentication {
                version,
                signature_algorithm,
                ..
            } => enc_seq(&[&p, &enc_uint(*version), &enc_oid(signature_algorithm)]),
            SecurityInfo::Unknown { raw, .. } => raw.clone(),
        }
    }
}

/// A SET OF SecurityInfo.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecurityInfos {
    /// The infos in input order.
    pub infos: Vec<SecurityInfo>,
}

impl SecurityInfos {
    /// Parse a SET OF SecurityInfo that fills `input` (the content of EF.CardAccess).
    pub fn parse_set(input: &[u8], file: FileId) -> Result<Self, LdsError> {
        let set = root(input, SET, file)?;
        Self::from_set(&set, file)
    }

    fn from_set(set: &Tlv<'_>, file: FileId) -> Result<Self, LdsError> {
        if set.tag() != SET {
            return Err(LdsError::invalid(
                file,
                set.offset(),
                "SecurityInfos must be a SET",
            ));
        }
        let infos = children(set, file)?
            .iter()
            .map(|t| SecurityInfo::parse(t, file))
            .collect::<Result<_, _>>()?;
        Ok(Self { infos })
    }

    /// DER encoding of the SET (elements sorted as DER requires).
    pub fn encode(&self) -> Vec<u8> {
        let encoded: Vec<Vec<u8>> = self.infos.iter().map(SecurityInfo::encode).collect();
        let parts: Vec<&[u8]> = encoded.iter().map(Vec::as_slice).collect();
        enc_set_of(&parts)
    }

    /// The PACEInfos.
    pub fn pace(&self) -> impl Iterator<Item = &SecurityInfo> {
        self.infos
            .iter()
            .filter(|i| matches!(i, SecurityInfo::Pace { .. }))
    }

    /// The ChipAuthenticationPublicKeyInfos.
    pub fn chip_authentication_keys(&self) -> impl Iterator<Item = &SecurityInfo> {
        self.infos
            .iter()
            .filter(|i| matches!(i, SecurityInfo::ChipAuthenticationPublicKey { .. }))
    }
}

/// DG14: `6E { SET OF SecurityInfo }`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dg14 {
    /// The infos.
    pub security_infos: SecurityInfos,
}

impl Dg14 {
    /// Parse DG14.
    pub fn parse(input: &[u8]) -> Result<Self, LdsError> {
        let file = FileId::Dg(DataGroup::Dg14);
        let outer = root(input, DG14_TAG, file)?;
        let items = children(&outer, file)?;
        let [set] = items.as_slice() else {
            return Err(LdsError::invalid(
                file,
                outer.offset(),
                "DG14 must hold one SET",
            ));
        };
        Ok(Self {
            security_infos: SecurityInfos::from_set(set, file)?,
        })
    }

    /// Encode DG14.
    pub fn encode(&self) -> Vec<u8> {
        tlv::encode(DG14_TAG, &self.security_infos.encode())
    }

    /// The exact `SET OF SecurityInfo` bytes inside the `6E` wrapper.
    pub fn security_infos_der(input: &[u8]) -> Result<&[u8], LdsError> {
        Ok(root(input, DG14_TAG, FileId::Dg(DataGroup::Dg14))?.value())
    }

    /// Decode DG14 with the `access` module's SecurityInfos types (the ones PACE and chip
    /// authentication consume), so both modules agree on one view of the chip's keys.
    pub fn parse_for_access(
        input: &[u8],
    ) -> Result<crate::access::security_infos::SecurityInfos, LdsError> {
        let outer = root(input, DG14_TAG, FileId::Dg(DataGroup::Dg14))?;
        crate::access::security_infos::SecurityInfos::parse(outer.value()).map_err(|e| {
            LdsError::invalid(
                FileId::Dg(DataGroup::Dg14),
                outer.header_len() + e.offset(),
                "SecurityInfos rejected by the access parser",
            )
        })
    }
}

/// EF.CardSecurity: a CMS SignedData (no outer application tag) whose content is SecurityInfos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSecurity {
    /// The signed container (signer, certificates, signed attributes).
    pub signed_data: SignedData,
    /// The SecurityInfos inside.
    pub security_infos: SecurityInfos,
}

impl CardSecurity {
    /// Parse EF.CardSecurity.
    pub fn parse(input: &[u8]) -> Result<Self, LdsError> {
        let file = FileId::CardSecurity;
        let ci = root(input, SEQUENCE, file)?;
        let signed_data = SignedData::parse_content_info(&ci, file)?;
        if signed_data.content_type != oids::id_security_object() {
            return Err(LdsError::invalid(
                file,
                signed_data.content_offset,
                "eContentType is not id-SecurityObject",
            ));
        }
        let objs = objects_at(&signed_data.content, file)
            .map_err(|e| shift(e, signed_data.content_offset))?;
        let [set] = objs.as_slice() else {
            return Err(LdsError::invalid(
                file,
                signed_data.content_offset,
                "content must be one SET",
            ));
        };
        let security_infos =
            SecurityInfos::from_set(set, file).map_err(|e| shift(e, signed_data.content_offset))?;
        Ok(Self {
            signed_data,
            security_infos,
        })
    }
}

/// Move an error's offset from a sub-slice to the file.
fn shift(e: LdsError, by: usize) -> LdsError {
    match e {
        LdsError::Malformed {
            file,
            offset,
            reason,
        } => LdsError::Malformed {
            file,
            offset: offset + by,
            reason,
        },
        other => other,
    }
}
