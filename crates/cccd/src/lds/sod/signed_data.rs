//! CMS SignedData (RFC 5652 section 5) as used by EF.SOD and EF.CardSecurity.

use crate::lds::asn1::{
    AlgorithmIdentifier, INTEGER, OCTET_STRING, SEQUENCE, SET, children, expect, nth, oid,
    oid_from_arcs, raw, small_uint,
};
use crate::lds::{FileId, LdsError, Reason};
use crate::tlv::{Tag, Tlv};
use asn1_rs::Oid;
use std::fmt;
use x509_parser::prelude::{FromDer, X509Certificate};

const CONTEXT_0: Tag = Tag::new(0xA0);
const CONTEXT_1: Tag = Tag::new(0xA1);
const IMPLICIT_0_PRIMITIVE: Tag = Tag::new(0x80);
const CONSTRUCTED_OCTET_STRING: Tag = Tag::new(0x24);

/// id-signedData 1.2.840.113549.1.7.2.
pub fn signed_data_oid() -> Oid<'static> {
    oid_from_arcs(&[1, 2, 840, 113_549, 1, 7, 2])
}
/// id-contentType 1.2.840.113549.1.9.3.
pub fn content_type_attr_oid() -> Oid<'static> {
    oid_from_arcs(&[1, 2, 840, 113_549, 1, 9, 3])
}
/// id-messageDigest 1.2.840.113549.1.9.4.
pub fn message_digest_attr_oid() -> Oid<'static> {
    oid_from_arcs(&[1, 2, 840, 113_549, 1, 9, 4])
}
/// id-signingTime 1.2.840.113549.1.9.5.
pub fn signing_time_attr_oid() -> Oid<'static> {
    oid_from_arcs(&[1, 2, 840, 113_549, 1, 9, 5])
}

/// How the signer names its certificate.
#[derive(Clone, PartialEq, Eq)]
pub enum SignerIdentifier {
    /// `IssuerAndSerialNumber`: the issuer Name DER and the serial number's INTEGER content.
    IssuerAndSerialNumber {
        /// The issuer `Name`, exact DER.
        issuer: Vec<u8>,
        /// The serial number's content bytes (two's complement, as encoded).
        serial: Vec<u8>,
    },
    /// `[0] SubjectKeyIdentifier`.
    SubjectKeyIdentifier(Vec<u8>),
}

impl fmt::Debug for SignerIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignerIdentifier::IssuerAndSerialNumber { serial, .. } => {
                write!(f, "IssuerAndSerialNumber(serial {serial:02x?})")
            }
            SignerIdentifier::SubjectKeyIdentifier(k) => {
                write!(f, "SubjectKeyIdentifier({k:02x?})")
            }
        }
    }
}

/// One attribute: its type and the exact DER of each value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Attribute type.
    pub oid: Oid<'static>,
    /// The values, each as exact DER.
    pub values: Vec<Vec<u8>>,
}

/// The signed attributes of a SignerInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedAttributes {
    /// The exact bytes to hash for the signature: the `[0] IMPLICIT` field re-tagged as
    /// `SET` (0x31), as RFC 5652 5.4 requires. Never re-encoded.
    pub der_for_signature: Vec<u8>,
    /// The attributes in input order.
    pub attributes: Vec<Attribute>,
}

impl SignedAttributes {
    /// How many attributes of type `oid` there are (RFC 5652 §5.3: contentType and
    /// messageDigest must each appear exactly once).
    pub fn count_of(&self, oid: &Oid<'_>) -> usize {
        self.attributes.iter().filter(|a| a.oid == *oid).count()
    }

    fn single(&self, oid: &Oid<'_>) -> Option<&[u8]> {
        let a = self.attributes.iter().find(|a| a.oid == *oid)?;
        match a.values.as_slice() {
            [v] => Some(v.as_slice()),
            _ => None,
        }
    }

    /// The messageDigest value (the OCTET STRING content).
    pub fn message_digest(&self) -> Option<&[u8]> {
        let v = self.single(&message_digest_attr_oid())?;
        let (t, rest) = Tlv::parse(v).ok()?;
        (t.tag() == OCTET_STRING && rest.is_empty()).then(|| t.value())
    }

    /// The contentType value.
    pub fn content_type(&self) -> Option<Oid<'static>> {
        let v = self.single(&content_type_attr_oid())?;
        let (t, _) = Tlv::parse(v).ok()?;
        oid(&t, FileId::Sod).ok()
    }

    /// The signingTime value's exact DER (UTCTime or GeneralizedTime), if present.
    pub fn signing_time(&self) -> Option<&[u8]> {
        self.single(&signing_time_attr_oid())
    }
}

/// One SignerInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerInfo {
    /// 1 (issuerAndSerialNumber) or 3 (subjectKeyIdentifier).
    pub version: u64,
    /// Which certificate signed.
    pub sid: SignerIdentifier,
    /// The digest algorithm for the content and the signed attributes.
    pub digest_algorithm: AlgorithmIdentifier,
    /// The signed attributes, if present (always, for eMRTDs).
    pub signed_attrs: Option<SignedAttributes>,
    /// The signature algorithm with its exact parameters (e.g. RSASSA-PSS-params).
    pub signature_algorithm: AlgorithmIdentifier,
    /// The signature value (for ECDSA the DER `Ecdsa-Sig-Value`).
    pub signature: Vec<u8>,
}

/// A parsed CMS SignedData.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedData {
    /// SignedData version.
    pub version: u64,
    /// The digestAlgorithms set.
    pub digest_algorithms: Vec<AlgorithmIdentifier>,
    /// eContentType.
    pub content_type: Oid<'static>,
    /// eContent (the OCTET STRING's content; segments joined if it was constructed).
    pub content: Vec<u8>,
    /// Offset of the eContent bytes in the file (for errors inside the content).
    pub content_offset: usize,
    /// The embedded certificates, exact DER, each checked to parse with x509-parser.
    pub certificates: Vec<Vec<u8>>,
    /// The signers.
    pub signer_infos: Vec<SignerInfo>,
}

impl SignedData {
    /// Parse DER `ContentInfo { id-signedData, [0] SignedData }` that fills `input`, for any
    /// content type (EF.CardSecurity, an ICAO master list, ...). Errors name `file`.
    pub fn parse_der(input: &[u8], file: FileId) -> Result<Self, LdsError> {
        let ci = crate::lds::asn1::root(input, SEQUENCE, file)?;
        Self::parse_content_info(&ci, file)
    }

    /// Parse a ContentInfo SEQUENCE holding SignedData.
    pub(crate) fn parse_content_info(ci: &Tlv<'_>, file: FileId) -> Result<Self, LdsError> {
        let ci = expect(*ci, SEQUENCE, file, "ContentInfo must be a SEQUENCE")?;
        let items = children(&ci, file)?;
        let ct = oid(&nth(&items, 0, &ci, file, "contentType missing")?, file)?;
        if ct != signed_data_oid() {
            return Err(LdsError::invalid(
                file,
                ci.offset(),
                "content is not SignedData",
            ));
        }
        let wrapper = expect(
            nth(&items, 1, &ci, file, "content missing")?,
            CONTEXT_0,
            file,
            "content must be [0] EXPLICIT",
        )?;
        let inner = children(&wrapper, file)?;
        let sd = nth(&inner, 0, &wrapper, file, "SignedData missing")?;
        Self::parse(&sd, file)
    }

    fn parse(sd: &Tlv<'_>, file: FileId) -> Result<Self, LdsError> {
        let sd = expect(*sd, SEQUENCE, file, "SignedData must be a SEQUENCE")?;
        let items = children(&sd, file)?;
        let mut it = items.iter().copied();
        let mut next = |what| {
            it.next()
                .ok_or_else(|| LdsError::invalid(file, sd.offset(), what))
        };
        let version = small_uint(&next("version missing")?, file)?;
        let algs = expect(
            next("digestAlgorithms missing")?,
            SET,
            file,
            "digestAlgorithms must be a SET",
        )?;
        let digest_algorithms = children(&algs, file)?
            .iter()
            .map(|a| AlgorithmIdentifier::parse(a, file))
            .collect::<Result<_, _>>()?;
        let eci = expect(
            next("encapContentInfo missing")?,
            SEQUENCE,
            file,
            "encapContentInfo must be a SEQUENCE",
        )?;
        let (content_type, content, content_offset) = parse_encap(&eci, file)?;
        let mut certificates = Vec::new();
        let mut cur = next("signerInfos missing")?;
        if cur.tag() == CONTEXT_0 {
            for cert in children(&cur, file)? {
                // x509-parser does not insist on the outer tag; DER does.
                if cert.tag() != SEQUENCE {
                    return Err(LdsError::invalid(
                        file,
                        cert.offset(),
                        "certificate must be a SEQUENCE",
                    ));
                }
                let der = raw(&cert);
                X509Certificate::from_der(&der).map_err(|e| LdsError::Malformed {
                    file,
                    offset: cert.offset(),
                    reason: Reason::Certificate(e.to_string()),
                })?;
                certificates.push(der);
            }
            cur = next("signerInfos missing")?;
        }
        if cur.tag() == CONTEXT_1 {
            // CRLs: not used by eMRTDs; skipped.
            cur = next("signerInfos missing")?;
        }
        let sis = expect(cur, SET, file, "signerInfos must be a SET")?;
        let signer_infos = children(&sis, file)?
            .iter()
            .map(|s| parse_signer_info(s, file))
            .collect::<Result<Vec<_>, _>>()?;
        if signer_infos.is_empty() {
            return Err(LdsError::invalid(file, sis.offset(), "no SignerInfo"));
        }
        Ok(Self {
            version,
            digest_algorithms,
            content_type,
            content,
            content_offset,
            certificates,
            signer_infos,
        })
    }

    /// The embedded certificates parsed by x509-parser (all were checked at parse time).
    pub fn parsed_certificates(&self) -> Vec<X509Certificate<'_>> {
        self.certificates
            .iter()
            .filter_map(|der| X509Certificate::from_der(der).ok().map(|(_, c)| c))
            .collect()
    }

    /// The certificate that `signer` names, if embedded.
    pub fn signer_certificate(&self, signer: &SignerInfo) -> Option<&[u8]> {
        self.certificates
            .iter()
            .find(|der| {
                let Ok((_, cert)) = X509Certificate::from_der(der) else {
                    return false;
                };
                match &signer.sid {
                    SignerIdentifier::IssuerAndSerialNumber { issuer, serial } => {
                        cert.issuer().as_raw() == issuer.as_slice()
                            && cert.tbs_certificate.raw_serial() == serial.as_slice()
                    }
                    SignerIdentifier::SubjectKeyIdentifier(ski) => cert
                        .extensions()
                        .iter()
                        .find_map(|e| match e.parsed_extension() {
                            x509_parser::extensions::ParsedExtension::SubjectKeyIdentifier(k) => {
                                Some(k.0 == ski.as_slice())
                            }
                            _ => None,
                        })
                        .unwrap_or(false),
                }
            })
            .map(Vec::as_slice)
    }
}

fn parse_encap(eci: &Tlv<'_>, file: FileId) -> Result<(Oid<'static>, Vec<u8>, usize), LdsError> {
    let items = children(eci, file)?;
    let ct = oid(&nth(&items, 0, eci, file, "eContentType missing")?, file)?;
    let wrapper = expect(
        nth(&items, 1, eci, file, "eContent missing")?,
        CONTEXT_0,
        file,
        "eContent must be [0] EXPLICIT",
    )?;
    let inner = children(&wrapper, file)?;
    let octets = nth(&inner, 0, &wrapper, file, "eContent OCTET STRING missing")?;
    let at = octets.offset() + octets.header_len();
    if octets.tag() == OCTET_STRING {
        return Ok((ct, octets.value().to_vec(), at));
    }
    if octets.tag() == CONSTRUCTED_OCTET_STRING {
        // BER segmented OCTET STRING: join the primitive segments. Offsets inside the content
        // then refer to the joined bytes, starting at the first segment.
        let mut joined = Vec::new();
        for seg in children(&octets, file)? {
            let seg = expect(
                seg,
                OCTET_STRING,
                file,
                "eContent segment must be an OCTET STRING",
            )?;
            joined.extend_from_slice(seg.value());
        }
        return Ok((ct, joined, at));
    }
    Err(LdsError::invalid(
        file,
        octets.offset(),
        "eContent must be an OCTET STRING",
    ))
}

fn parse_signer_info(si: &Tlv<'_>, file: FileId) -> Result<SignerInfo, LdsError> {
    let si = expect(*si, SEQUENCE, file, "SignerInfo must be a SEQUENCE")?;
    let items = children(&si, file)?;
    let mut it = items.iter().copied();
    let mut next = |what| {
        it.next()
            .ok_or_else(|| LdsError::invalid(file, si.offset(), what))
    };
    let version = small_uint(&next("SignerInfo version missing")?, file)?;
    let sid_tlv = next("sid missing")?;
    let sid = if sid_tlv.tag() == SEQUENCE {
        let parts = children(&sid_tlv, file)?;
        let issuer = expect(
            nth(&parts, 0, &sid_tlv, file, "issuer missing")?,
            SEQUENCE,
            file,
            "issuer must be a Name",
        )?;
        let serial = expect(
            nth(&parts, 1, &sid_tlv, file, "serial missing")?,
            INTEGER,
            file,
            "serial must be an INTEGER",
        )?;
        SignerIdentifier::IssuerAndSerialNumber {
            issuer: raw(&issuer),
            serial: serial.value().to_vec(),
        }
    } else if sid_tlv.tag() == IMPLICIT_0_PRIMITIVE {
        SignerIdentifier::SubjectKeyIdentifier(sid_tlv.value().to_vec())
    } else {
        return Err(LdsError::invalid(
            file,
            sid_tlv.offset(),
            "bad SignerIdentifier",
        ));
    };
    let digest_algorithm = AlgorithmIdentifier::parse(&next("digestAlgorithm missing")?, file)?;
    let mut cur = next("signatureAlgorithm missing")?;
    let signed_attrs = if cur.tag() == CONTEXT_0 {
        let attrs = parse_attributes(&cur, file)?;
        cur = next("signatureAlgorithm missing")?;
        Some(attrs)
    } else {
        None
    };
    let signature_algorithm = AlgorithmIdentifier::parse(&cur, file)?;
    let sig = expect(
        next("signature missing")?,
        OCTET_STRING,
        file,
        "signature must be an OCTET STRING",
    )?;
    Ok(SignerInfo {
        version,
        sid,
        digest_algorithm,
        signed_attrs,
        signature_algorithm,
        signature: sig.value().to_vec(),
    })
}

fn parse_attributes(field: &Tlv<'_>, file: FileId) -> Result<SignedAttributes, LdsError> {
    // Re-tag the exact bytes: only the first byte changes (A0 -> 31).
    let mut der_for_signature = raw(field);
    if let Some(first) = der_for_signature.first_mut() {
        *first = 0x31;
    }
    let mut attributes = Vec::new();
    for attr in children(field, file)? {
        let attr = expect(attr, SEQUENCE, file, "Attribute must be a SEQUENCE")?;
        let parts = children(&attr, file)?;
        let a_oid = oid(
            &nth(&parts, 0, &attr, file, "attribute type missing")?,
            file,
        )?;
        let set = expect(
            nth(&parts, 1, &attr, file, "attribute values missing")?,
            SET,
            file,
            "attribute values must be a SET",
        )?;
        let values = children(&set, file)?.iter().map(raw).collect();
        attributes.push(Attribute { oid: a_oid, values });
    }
    Ok(SignedAttributes {
        der_for_signature,
        attributes,
    })
}

/// Encode `[0] IMPLICIT` from SET DER (for builders).
#[cfg(any(test, feature = "chip-side"))]
pub(crate) fn retag_set_as_context0(set_der: &[u8]) -> Vec<u8> {
    let mut v = set_der.to_vec();
    if let Some(first) = v.first_mut() {
        *first = 0xA0;
    }
    v
}
