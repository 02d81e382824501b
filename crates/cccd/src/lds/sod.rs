//! EF.SOD (tag 0x77): a CMS ContentInfo (RFC 5652) holding SignedData whose content is the
//! LDSSecurityObject (ICAO 9303-10 4.6.2): the hash of every data group, signed by the document
//! signer.
//!
//! The CMS envelope is [`crate::pki::cms`]'s model (shared with EF.CardSecurity and master
//! lists); this module adds what ICAO 9303-10 fixes in it and the LDSSecurityObject.

pub use crate::pki::cms::{Attribute, SignedAttributes, SignedData, SignerIdentifier, SignerInfo};

use super::asn1::{
    AlgorithmIdentifier, SEQUENCE, algorithm_identifier, children, nth, root, small_uint,
};
use super::{DataGroup, FileId, LdsError};
use crate::crypto::HashAlgorithm;
use crate::oid;
use crate::tlv::{Tag, Tlv};

const FILE: FileId = FileId::Sod;
const SOD_TAG: Tag = Tag::new(0x77);
const PRINTABLE_STRING: Tag = Tag::new(0x13);

/// One DataGroupHash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataGroupHash {
    /// The data group.
    pub data_group: DataGroup,
    /// Its hash under the object's hash algorithm.
    pub hash: Vec<u8>,
}

/// The LDSSecurityObject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LdsSecurityObject {
    /// 0 (V0) or 1 (V1, with LDS version info).
    pub version: u64,
    /// The hash algorithm, with its exact parameters.
    pub hash_algorithm: AlgorithmIdentifier,
    /// The data group hashes in the order given.
    pub data_group_hashes: Vec<DataGroupHash>,
    /// LDS and Unicode versions (V1 only).
    pub lds_version_info: Option<(String, String)>,
}

impl LdsSecurityObject {
    /// Parse the DER of an LDSSecurityObject. Offsets in errors are shifted by `base`.
    pub fn parse(der: &[u8], base: usize) -> Result<Self, LdsError> {
        let shifted = |e: LdsError| match e {
            LdsError::Malformed {
                file,
                offset,
                reason,
            } => LdsError::Malformed {
                file,
                offset: offset + base,
                reason,
            },
            other => other,
        };
        Self::parse_inner(der).map_err(shifted)
    }

    fn parse_inner(der: &[u8]) -> Result<Self, LdsError> {
        let seq = root(der, SEQUENCE, FILE)?;
        let items = children(&seq, FILE)?;
        let version = small_uint(&nth(&items, 0, &seq, FILE, "version missing")?, FILE)?;
        let hash_algorithm =
            algorithm_identifier(&nth(&items, 1, &seq, FILE, "hash algorithm missing")?, FILE)?;
        let list = nth(&items, 2, &seq, FILE, "data group hashes missing")?;
        if list.tag() != SEQUENCE {
            return Err(LdsError::invalid(
                FILE,
                list.offset(),
                "data group hashes must be a SEQUENCE",
            ));
        }
        let mut data_group_hashes = Vec::new();
        for entry in children(&list, FILE)? {
            let parts = children(&entry, FILE)?;
            let n_tlv = nth(&parts, 0, &entry, FILE, "data group number missing")?;
            let n = small_uint(&n_tlv, FILE)?;
            let data_group = u32::try_from(n)
                .ok()
                .and_then(DataGroup::from_number)
                .ok_or_else(|| {
                    LdsError::invalid(FILE, n_tlv.offset(), "data group number out of range")
                })?;
            if data_group_hashes
                .iter()
                .any(|d: &DataGroupHash| d.data_group == data_group)
            {
                // Two hashes for one data group: which one a verifier honours would decide
                // what "the signed data" is.
                return Err(LdsError::invalid(
                    FILE,
                    n_tlv.offset(),
                    "a data group is listed twice in the LDS security object",
                ));
            }
            let h = nth(&parts, 1, &entry, FILE, "hash missing")?;
            if h.tag() != super::asn1::OCTET_STRING || parts.len() != 2 {
                return Err(LdsError::invalid(
                    FILE,
                    h.offset(),
                    "DataGroupHash must be {INTEGER, OCTET STRING}",
                ));
            }
            data_group_hashes.push(DataGroupHash {
                data_group,
                hash: h.value().to_vec(),
            });
        }
        let lds_version_info = match items.get(3) {
            None => None,
            Some(info) => {
                let parts = children(info, FILE)?;
                let text = |t: Tlv<'_>| -> Result<String, LdsError> {
                    if t.tag() != PRINTABLE_STRING || !t.value().is_ascii() {
                        return Err(LdsError::invalid(
                            FILE,
                            t.offset(),
                            "version must be a PrintableString",
                        ));
                    }
                    Ok(t.value().iter().map(|&b| char::from(b)).collect())
                };
                Some((
                    text(nth(&parts, 0, info, FILE, "LDS version missing")?)?,
                    text(nth(&parts, 1, info, FILE, "Unicode version missing")?)?,
                ))
            }
        };
        Ok(Self {
            version,
            hash_algorithm,
            data_group_hashes,
            lds_version_info,
        })
    }

    /// The hash algorithm, if it is one this crate knows.
    pub fn hash(&self) -> Option<HashAlgorithm> {
        HashAlgorithm::from_oid(&self.hash_algorithm.oid)
    }

    /// The stored hash of `dg`.
    pub fn hash_of(&self, dg: DataGroup) -> Option<&[u8]> {
        self.data_group_hashes
            .iter()
            .find(|h| h.data_group == dg)
            .map(|h| h.hash.as_slice())
    }

    /// DER encoding.
    pub fn encode(&self) -> Vec<u8> {
        use super::asn1::{enc_octets, enc_seq, enc_uint};
        let hashes: Vec<Vec<u8>> = self
            .data_group_hashes
            .iter()
            .map(|h| {
                enc_seq(&[
                    &enc_uint(u64::from(h.data_group.number())),
                    &enc_octets(&h.hash),
                ])
            })
            .collect();
        let hash_refs: Vec<&[u8]> = hashes.iter().map(Vec::as_slice).collect();
        let info = self
            .lds_version_info
            .as_ref()
            .map(|(l, u)| {
                enc_seq(&[
                    &crate::tlv::encode(PRINTABLE_STRING, l.as_bytes()),
                    &crate::tlv::encode(PRINTABLE_STRING, u.as_bytes()),
                ])
            })
            .unwrap_or_default();
        enc_seq(&[
            &enc_uint(self.version),
            &self.hash_algorithm.encode(),
            &enc_seq(&hash_refs),
            &info,
        ])
    }
}

/// The parsed EF.SOD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sod {
    /// The CMS SignedData.
    pub signed_data: SignedData,
    /// The LDSSecurityObject it carries.
    pub lds_security_object: LdsSecurityObject,
}

/// What ICAO 9303-10 and RFC 5652 fix in an EF.SOD's envelope. The envelope is not signed,
/// so anything left unchecked could change without changing the verdict (the tamper sweep
/// found version fields, the digestAlgorithms set and algorithm parameters doing so).
fn check_profile(sd: &SignedData, at: usize) -> Result<(), LdsError> {
    if sd.version != 3 {
        return Err(LdsError::invalid(FILE, at, "SignedData version must be 3"));
    }
    for si in &sd.signer_infos {
        let expected = match si.sid {
            SignerIdentifier::IssuerAndSerialNumber { .. } => 1,
            SignerIdentifier::SubjectKeyIdentifier(_) => 3,
        };
        if si.version != expected {
            return Err(LdsError::invalid(
                FILE,
                at,
                "SignerInfo version does not match its signer identifier (1 or 3)",
            ));
        }
        if !sd
            .digest_algorithms
            .iter()
            .any(|a| a.oid == si.digest_algorithm.oid)
        {
            return Err(LdsError::invalid(
                FILE,
                at,
                "SignedData.digestAlgorithms does not list the SignerInfo's digest algorithm",
            ));
        }
        // Hash and ECDSA/RSA PKCS#1 identifiers take no parameters or NULL; only RSASSA-PSS
        // carries parameters (checked where the signature is verified).
        for alg in [&si.digest_algorithm, &si.signature_algorithm] {
            let pss = alg.oid == oid::RSASSA_PSS;
            if pss && !alg.parameters.as_deref().is_some_and(strict_pss_params) {
                return Err(LdsError::invalid(
                    FILE,
                    at,
                    "RSASSA-PSS parameters are not strict DER",
                ));
            }
            if !pss && !matches!(alg.parameters.as_deref(), None | Some([0x05, 0x00])) {
                return Err(LdsError::invalid(
                    FILE,
                    at,
                    "algorithm parameters must be absent or NULL",
                ));
            }
        }
    }
    Ok(())
}

/// RSASSA-PSS-params (RFC 4055) with every tag exactly as DER writes it:
/// `SEQUENCE { [0] HashAlgorithm, [1] MaskGenAlgorithm, [2] INTEGER, [3] INTEGER }`, each
/// optional and in order; hash identifiers `SEQUENCE { OID [, NULL] }`; the mask generation
/// `SEQUENCE { OID, SEQUENCE { OID [, NULL] } }`.
fn strict_pss_params(der: &[u8]) -> bool {
    const SEQ: Tag = Tag::new(0x30);
    const OID: Tag = Tag::new(0x06);
    fn parts<'a>(t: &Tlv<'a>) -> Option<Vec<Tlv<'a>>> {
        t.children().collect::<Result<Vec<_>, _>>().ok()
    }
    // The hash and mask-generation algorithms RSASSA-PSS may name, as OID content bytes.
    const HASHES: [&[u8]; 5] = [
        &[0x2B, 0x0E, 0x03, 0x02, 0x1A],
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04],
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01],
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02],
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03],
    ];
    const MGF1: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x08];
    fn hash_id(t: &Tlv<'_>) -> bool {
        let known = |oid: &Tlv<'_>| oid.tag() == OID && HASHES.contains(&oid.value());
        t.tag() == SEQ
            && match parts(t).as_deref() {
                Some([oid]) => known(oid),
                Some([oid, null]) => {
                    known(oid) && null.tag() == Tag::new(0x05) && null.value().is_empty()
                }
                _ => false,
            }
    }
    let Ok(params) = Tlv::parse_exact(der, SEQ) else {
        return false;
    };
    let Some(fields) = parts(&params) else {
        return false;
    };
    let mut last = 0x9F;
    for field in fields {
        let tag = field.tag().value();
        // [0]..[3], each at most once, in order.
        if !(0xA0..=0xA3).contains(&tag) || tag <= last {
            return false;
        }
        last = tag;
        let Some(inside) = parts(&field) else {
            return false;
        };
        let [inner] = inside.as_slice() else {
            return false;
        };
        let ok = match tag {
            0xA0 => hash_id(inner),
            0xA1 => {
                inner.tag() == SEQ
                    && matches!(parts(inner).as_deref(), Some([oid, h]) if oid.tag() == OID && oid.value() == MGF1 && hash_id(h))
            }
            _ => inner.tag() == Tag::new(0x02) && !inner.value().is_empty(),
        };
        if !ok {
            return false;
        }
    }
    true
}

impl Sod {
    /// Parse EF.SOD (`77 { ContentInfo }`).
    pub fn parse(input: &[u8]) -> Result<Self, LdsError> {
        // The envelope is signed DER: a second encoding of the same values (a non-minimal
        // length) would make the file malleable.
        crate::tlv::check_der_lengths(input)
            .map_err(|e| LdsError::invalid(FILE, e.offset, "length not in minimal DER form"))?;
        let outer = root(input, SOD_TAG, FILE)?;
        let objs = children(&outer, FILE)?;
        let [ci] = objs.as_slice() else {
            return Err(LdsError::invalid(
                FILE,
                outer.offset(),
                "EF.SOD must hold one ContentInfo",
            ));
        };
        let signed_data = SignedData::parse_content_info(ci).map_err(|e| LdsError::cms(FILE, e))?;
        if signed_data.content_type != oid::LDS_SECURITY_OBJECT {
            return Err(LdsError::invalid(
                FILE,
                signed_data.content_offset,
                "eContentType is not ldsSecurityObject",
            ));
        }
        check_profile(&signed_data, outer.offset())?;
        crate::tlv::check_der_lengths(&signed_data.content).map_err(|e| {
            LdsError::invalid(
                FILE,
                signed_data.content_offset + e.offset,
                "length not in minimal DER form in the LDS security object",
            )
        })?;
        let lds_security_object =
            LdsSecurityObject::parse(&signed_data.content, signed_data.content_offset)?;
        Ok(Self {
            signed_data,
            lds_security_object,
        })
    }

    /// The ContentInfo DER without the 0x77 wrapper (what `openssl cms` reads).
    pub fn content_info_der(input: &[u8]) -> Result<&[u8], LdsError> {
        Ok(root(input, SOD_TAG, FILE)?.value())
    }
}
