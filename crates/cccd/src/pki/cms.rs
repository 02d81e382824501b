//! CMS SignedData (RFC 5652 §5): the one model of EF.SOD, EF.CardSecurity and ICAO master
//! lists.
//!
//! Walked with the `tlv` reader as strict DER, so every error carries the offset of the fault
//! in the file, and the signed attributes are kept as the exact bytes the signature covers.
//! Embedded certificates are checked for their X.509 shape and parsed by their user; the signed attributes are checked by one
//! function for all three files ([`SignedAttributes::check_content_type`],
//! [`SignedAttributes::check_message_digest`]).

mod attributes;

pub use attributes::{Attribute, AttributeProblem, SignedAttributes};

use crate::oid::{self, ObjectIdentifier};
use crate::tlv::{self, Tag, Tlv, TlvError, TlvErrorKind};
use std::fmt;

const SEQUENCE: Tag = Tag::new(0x30);
const SET: Tag = Tag::new(0x31);
const INTEGER: Tag = Tag::new(0x02);
const OBJECT_IDENTIFIER: Tag = Tag::new(0x06);
const OCTET_STRING: Tag = Tag::new(0x04);
const CONTEXT_0: Tag = Tag::new(0xA0);
const CONTEXT_1: Tag = Tag::new(0xA1);
const IMPLICIT_0_PRIMITIVE: Tag = Tag::new(0x80);
const CONSTRUCTED_OCTET_STRING: Tag = Tag::new(0x24);

/// What is wrong in a CMS structure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CmsReason {
    /// The TLV/DER framing is broken (truncated, over-long, wrong tag, trailing bytes...).
    #[error("{0}")]
    Tlv(TlvErrorKind),
    /// The framing is fine but a value is not what RFC 5652 requires.
    #[error("{0}")]
    Invalid(&'static str),
}

/// A CMS structure that does not parse, with the offset of the fault from the start of the
/// input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("CMS SignedData malformed at offset {offset}: {reason}")]
pub struct CmsError {
    /// Byte offset from the start of the input.
    pub offset: usize,
    /// What was wrong.
    pub reason: CmsReason,
}

impl CmsError {
    fn invalid(offset: usize, what: &'static str) -> Self {
        Self {
            offset,
            reason: CmsReason::Invalid(what),
        }
    }
}

impl From<TlvError> for CmsError {
    fn from(e: TlvError) -> Self {
        Self {
            offset: e.offset,
            reason: CmsReason::Tlv(e.kind),
        }
    }
}

/// The children of a constructed object (each takes at least two bytes of input, so the
/// vector is bounded by the input size).
fn children<'a>(tlv: &Tlv<'a>) -> Result<Vec<Tlv<'a>>, CmsError> {
    Ok(tlv.children().collect::<Result<Vec<_>, _>>()?)
}

fn expect<'a>(tlv: Tlv<'a>, tag: Tag, what: &'static str) -> Result<Tlv<'a>, CmsError> {
    if tlv.tag() == tag {
        Ok(tlv)
    } else {
        Err(CmsError::invalid(tlv.offset(), what))
    }
}

fn nth<'a>(
    items: &[Tlv<'a>],
    i: usize,
    parent: &Tlv<'a>,
    what: &'static str,
) -> Result<Tlv<'a>, CmsError> {
    items
        .get(i)
        .copied()
        .ok_or_else(|| CmsError::invalid(parent.offset(), what))
}

/// Decode a DER OBJECT IDENTIFIER: `const-oid` refuses an empty value, a truncated arc and
/// one longer than [`ObjectIdentifier::MAX_SIZE`]; DER also forbids an arc padded with a
/// leading 0x80 (X.690 §8.19.2), which `const-oid` (reading BER) lets through.
pub(crate) fn decode_oid(tlv: &Tlv<'_>) -> Result<ObjectIdentifier, CmsError> {
    let bad = || CmsError::invalid(tlv.offset(), "expected an OBJECT IDENTIFIER");
    let value = tlv.value();
    let padded = value
        .iter()
        .enumerate()
        .any(|(i, &b)| b == 0x80 && (i == 0 || value[i - 1] & 0x80 == 0));
    if tlv.tag() != OBJECT_IDENTIFIER || padded {
        return Err(bad());
    }
    ObjectIdentifier::from_bytes(value).map_err(|_| bad())
}

/// A non-negative INTEGER that fits in a `u64`.
pub(crate) fn decode_small_uint(tlv: &Tlv<'_>) -> Result<u64, CmsError> {
    let v = tlv.value();
    let bad = || CmsError::invalid(tlv.offset(), "expected a small non-negative INTEGER");
    if tlv.tag() != INTEGER || v.is_empty() || v.len() > 9 {
        return Err(bad());
    }
    if v.first().is_some_and(|b| b & 0x80 != 0) || (v.len() == 9 && v.first() != Some(&0)) {
        return Err(bad());
    }
    Ok(v.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

/// The complete encoding (header and value) of a parsed object, re-assembled from the parts
/// the parser saw, keeping the input's length form.
pub(crate) fn raw(tlv: &Tlv<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(tlv.total_len());
    tlv.tag().write(&mut out);
    let minimal_len_size = match tlv.value().len() {
        0..=0x7F => 1,
        0x80..=0xFF => 2,
        0x100..=0xFFFF => 3,
        0x1_0000..=0xFF_FFFF => 4,
        _ => 5,
    };
    if tlv.tag().encoded_len() + minimal_len_size == tlv.header_len() {
        tlv::write_length(tlv.value().len(), &mut out);
    } else {
        // Non-minimal long form: reproduce with the same number of length bytes.
        let n = tlv.header_len() - tlv.tag().encoded_len() - 1;
        out.push(0x80 | n as u8);
        let len = tlv.value().len() as u64;
        for i in (0..n).rev() {
            out.push((len >> (8 * i)) as u8);
        }
    }
    out.extend_from_slice(tlv.value());
    out
}

/// An `AlgorithmIdentifier`: the OID and the exact DER of its parameters, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlgorithmIdentifier {
    /// The algorithm.
    pub oid: ObjectIdentifier,
    /// The parameters as DER (e.g. `05 00` for NULL, or RSASSA-PSS-params), if present.
    pub parameters: Option<Vec<u8>>,
}

impl AlgorithmIdentifier {
    /// An identifier with no parameters.
    pub fn new(oid: ObjectIdentifier) -> Self {
        Self {
            oid,
            parameters: None,
        }
    }

    /// An identifier with explicit NULL parameters (as RSA PKCS#1 v1.5 uses).
    pub fn with_null(oid: ObjectIdentifier) -> Self {
        Self {
            oid,
            parameters: Some(vec![0x05, 0x00]),
        }
    }

    /// Parse from a SEQUENCE `{ OID, parameters OPTIONAL }`.
    pub(crate) fn parse(tlv: &Tlv<'_>) -> Result<Self, CmsError> {
        let seq = expect(*tlv, SEQUENCE, "expected AlgorithmIdentifier SEQUENCE")?;
        let items = children(&seq)?;
        let oid = decode_oid(&nth(&items, 0, &seq, "algorithm OID missing")?)?;
        let parameters = match items.as_slice() {
            [_] => None,
            [_, p] => Some(raw(p)),
            _ => {
                return Err(CmsError::invalid(
                    seq.offset(),
                    "AlgorithmIdentifier has extra fields",
                ));
            }
        };
        Ok(Self { oid, parameters })
    }

    /// DER encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut v = tlv::encode(OBJECT_IDENTIFIER, self.oid.as_bytes());
        if let Some(p) = &self.parameters {
            v.extend_from_slice(p);
        }
        tlv::encode(SEQUENCE, &v)
    }

    /// The OID in dotted form.
    pub fn dotted(&self) -> String {
        self.oid.to_string()
    }
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

/// One SignerInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerInfo {
    /// 1 (issuerAndSerialNumber) or 3 (subjectKeyIdentifier).
    pub version: u64,
    /// Which certificate signed.
    pub sid: SignerIdentifier,
    /// The digest algorithm for the content and the signed attributes.
    pub digest_algorithm: AlgorithmIdentifier,
    /// The signed attributes, if present (always, for eMRTDs and master lists).
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
    pub content_type: ObjectIdentifier,
    /// eContent (the OCTET STRING's content; segments joined if it was constructed).
    pub content: Vec<u8>,
    /// Offset of the eContent bytes in the file (for errors inside the content).
    pub content_offset: usize,
    /// The embedded certificates, exact DER, each checked to parse as a certificate.
    pub certificates: Vec<Vec<u8>>,
    /// The signers (at least one).
    pub signer_infos: Vec<SignerInfo>,
}

impl SignedData {
    /// Parse DER `ContentInfo { id-signedData, [0] SignedData }` that fills `input`, for any
    /// content type (EF.CardSecurity, an ICAO master list, ...).
    pub fn parse_der(input: &[u8]) -> Result<Self, CmsError> {
        let ci = Tlv::parse_exact(input, SEQUENCE)?;
        Self::parse_content_info(&ci)
    }

    /// Parse a ContentInfo SEQUENCE holding SignedData (offsets are those of `ci`'s input).
    pub(crate) fn parse_content_info(ci: &Tlv<'_>) -> Result<Self, CmsError> {
        let ci = expect(*ci, SEQUENCE, "ContentInfo must be a SEQUENCE")?;
        let items = children(&ci)?;
        let ct = decode_oid(&nth(&items, 0, &ci, "contentType missing")?)?;
        if ct != oid::SIGNED_DATA {
            return Err(CmsError::invalid(
                ci.offset(),
                "content type is not signedData",
            ));
        }
        let wrapper = expect(
            nth(&items, 1, &ci, "content missing")?,
            CONTEXT_0,
            "content must be [0] EXPLICIT",
        )?;
        let inner = children(&wrapper)?;
        let sd = nth(&inner, 0, &wrapper, "SignedData missing")?;
        Self::parse(&sd)
    }

    fn parse(sd: &Tlv<'_>) -> Result<Self, CmsError> {
        let sd = expect(*sd, SEQUENCE, "SignedData must be a SEQUENCE")?;
        let items = children(&sd)?;
        let mut it = items.iter().copied();
        let mut next = |what| {
            it.next()
                .ok_or_else(|| CmsError::invalid(sd.offset(), what))
        };
        let version = decode_small_uint(&next("version missing")?)?;
        let algs = expect(
            next("digestAlgorithms missing")?,
            SET,
            "digestAlgorithms must be a SET",
        )?;
        let digest_algorithms = children(&algs)?
            .iter()
            .map(AlgorithmIdentifier::parse)
            .collect::<Result<_, _>>()?;
        let eci = expect(
            next("encapContentInfo missing")?,
            SEQUENCE,
            "encapContentInfo must be a SEQUENCE",
        )?;
        let (content_type, content, content_offset) = parse_encap(&eci)?;
        let mut certificates = Vec::new();
        let mut cur = next("signerInfos missing")?;
        if cur.tag() == CONTEXT_0 {
            for cert in children(&cur)? {
                certificates.push(checked_certificate(&cert)?);
            }
            cur = next("signerInfos missing")?;
        }
        if cur.tag() == CONTEXT_1 {
            // CRLs: not used by eMRTDs or master lists; skipped.
            cur = next("signerInfos missing")?;
        }
        let sis = expect(cur, SET, "signerInfos must be a SET")?;
        // signerInfos is the last field of SignedData (RFC 5652 §5.1).
        if let Ok(extra) = next("") {
            return Err(CmsError::invalid(
                extra.offset(),
                "SignedData has a field after signerInfos",
            ));
        }
        let signer_infos = children(&sis)?
            .iter()
            .map(parse_signer_info)
            .collect::<Result<Vec<_>, _>>()?;
        if signer_infos.is_empty() {
            return Err(CmsError::invalid(sis.offset(), "no SignerInfo"));
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

    /// The embedded certificate that `signer` names (issuer and serial byte for byte, or
    /// subjectKeyIdentifier), if any.
    pub fn signer_certificate(&self, signer: &SignerInfo) -> Option<&[u8]> {
        self.certificates
            .iter()
            .find(|der| match &signer.sid {
                SignerIdentifier::IssuerAndSerialNumber { issuer, serial } => {
                    super::certificate::issuer_and_serial(der)
                        == Some((issuer.as_slice(), serial.as_slice()))
                }
                SignerIdentifier::SubjectKeyIdentifier(ski) => {
                    super::ParsedCertificate::from_der(der)
                        .is_ok_and(|cert| cert.subject_key_id().as_deref() == Some(ski.as_slice()))
                }
            })
            .map(Vec::as_slice)
    }
}

/// An embedded certificate, checked for the shape of RFC 5280 §4.1 (a SEQUENCE of
/// tbsCertificate, signatureAlgorithm and signatureValue) with the offset of any fault.
///
/// The full X.509 parse is left to the certificate's user: the document signer goes through
/// the trust store's prepared-signer cache, which parses a DSC once per process (a per-dump
/// parse here cost ~7 % of a verify), and the master-list signer is parsed where it is
/// checked. A certificate nobody uses is never trusted for anything.
fn checked_certificate(cert: &Tlv<'_>) -> Result<Vec<u8>, CmsError> {
    const BIT_STRING: Tag = Tag::new(0x03);
    let cert = expect(*cert, SEQUENCE, "certificate must be a SEQUENCE")?;
    let parts = children(&cert)?;
    let shape = [SEQUENCE, SEQUENCE, BIT_STRING];
    if parts.len() != shape.len() || parts.iter().zip(shape).any(|(part, tag)| part.tag() != tag) {
        return Err(CmsError::invalid(
            cert.offset(),
            "certificate must hold tbsCertificate, signatureAlgorithm and signatureValue",
        ));
    }
    Ok(raw(&cert))
}

fn parse_encap(eci: &Tlv<'_>) -> Result<(ObjectIdentifier, Vec<u8>, usize), CmsError> {
    let items = children(eci)?;
    let ct = decode_oid(&nth(&items, 0, eci, "eContentType missing")?)?;
    let wrapper = expect(
        nth(&items, 1, eci, "eContent missing")?,
        CONTEXT_0,
        "eContent must be [0] EXPLICIT",
    )?;
    let inner = children(&wrapper)?;
    let octets = nth(&inner, 0, &wrapper, "eContent OCTET STRING missing")?;
    let at = octets.offset() + octets.header_len();
    if octets.tag() == OCTET_STRING {
        return Ok((ct, octets.value().to_vec(), at));
    }
    if octets.tag() == CONSTRUCTED_OCTET_STRING {
        // BER segmented OCTET STRING: join the primitive segments. Offsets inside the content
        // then refer to the joined bytes, starting at the first segment.
        let mut joined = Vec::new();
        for seg in children(&octets)? {
            let seg = expect(
                seg,
                OCTET_STRING,
                "eContent segment must be an OCTET STRING",
            )?;
            joined.extend_from_slice(seg.value());
        }
        return Ok((ct, joined, at));
    }
    Err(CmsError::invalid(
        octets.offset(),
        "eContent must be an OCTET STRING",
    ))
}

fn parse_signer_info(si: &Tlv<'_>) -> Result<SignerInfo, CmsError> {
    let si = expect(*si, SEQUENCE, "SignerInfo must be a SEQUENCE")?;
    let items = children(&si)?;
    let mut it = items.iter().copied();
    let mut next = |what| {
        it.next()
            .ok_or_else(|| CmsError::invalid(si.offset(), what))
    };
    let version = decode_small_uint(&next("SignerInfo version missing")?)?;
    let sid = parse_signer_identifier(&next("sid missing")?)?;
    let digest_algorithm = AlgorithmIdentifier::parse(&next("digestAlgorithm missing")?)?;
    let mut cur = next("signatureAlgorithm missing")?;
    let signed_attrs = if cur.tag() == CONTEXT_0 {
        let attrs = SignedAttributes::parse(&cur)?;
        cur = next("signatureAlgorithm missing")?;
        Some(attrs)
    } else {
        None
    };
    let signature_algorithm = AlgorithmIdentifier::parse(&cur)?;
    let sig = expect(
        next("signature missing")?,
        OCTET_STRING,
        "signature must be an OCTET STRING",
    )?;
    // unsignedAttrs may follow; nothing reads them.
    Ok(SignerInfo {
        version,
        sid,
        digest_algorithm,
        signed_attrs,
        signature_algorithm,
        signature: sig.value().to_vec(),
    })
}

fn parse_signer_identifier(sid: &Tlv<'_>) -> Result<SignerIdentifier, CmsError> {
    if sid.tag() == SEQUENCE {
        let parts = children(sid)?;
        let issuer = expect(
            nth(&parts, 0, sid, "issuer missing")?,
            SEQUENCE,
            "issuer must be a Name",
        )?;
        let serial = expect(
            nth(&parts, 1, sid, "serial missing")?,
            INTEGER,
            "serial must be an INTEGER",
        )?;
        Ok(SignerIdentifier::IssuerAndSerialNumber {
            issuer: raw(&issuer),
            serial: serial.value().to_vec(),
        })
    } else if sid.tag() == IMPLICIT_0_PRIMITIVE {
        Ok(SignerIdentifier::SubjectKeyIdentifier(sid.value().to_vec()))
    } else {
        Err(CmsError::invalid(sid.offset(), "bad SignerIdentifier"))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn oid_tlv(content: &[u8]) -> Vec<u8> {
        tlv::encode(OBJECT_IDENTIFIER, content)
    }

    #[test]
    fn oids_are_strict_der() {
        let ok = oid_tlv(oid::SIGNED_DATA.as_bytes());
        let (t, _) = Tlv::parse(&ok).unwrap();
        assert_eq!(decode_oid(&t).unwrap(), oid::SIGNED_DATA);
        for bad in [&[0x2A, 0x80, 0x01][..], &[0x80, 0x01], &[0x2A, 0x86], &[]] {
            let der = oid_tlv(bad);
            let (t, _) = Tlv::parse(&der).unwrap();
            assert!(decode_oid(&t).is_err(), "{bad:02x?}");
        }
    }

    #[test]
    fn content_info_of_another_type_is_refused_with_its_offset() {
        // ContentInfo { id-data, [0] { OCTET STRING "" } }
        let data = [
            0x30, 0x11, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01, 0xA0,
            0x04, 0x04, 0x02, 0x00, 0x00,
        ];
        let err = SignedData::parse_der(&data).unwrap_err();
        assert_eq!(err.offset, 0);
        assert_eq!(
            err.reason,
            CmsReason::Invalid("content type is not signedData")
        );
    }

    #[test]
    fn an_embedded_certificate_without_the_x509_shape_is_refused_with_its_offset() {
        let seq = |parts: &[Vec<u8>]| tlv::encode(SEQUENCE, &parts.concat());
        let tbs = seq(&[tlv::encode(INTEGER, &[1])]);
        let alg = seq(&[oid_tlv(oid::SIGNED_DATA.as_bytes())]);
        let bits = tlv::encode(Tag::new(0x03), &[0, 0xAA]);
        let whole = seq(&[tbs.clone(), alg.clone(), bits.clone()]);
        let (t, _) = Tlv::parse(&whole).unwrap();
        assert_eq!(checked_certificate(&t).unwrap(), whole);
        let refusals = [
            seq(&[tbs.clone(), alg.clone()]),
            seq(&[tbs.clone(), alg.clone(), bits.clone(), bits.clone()]),
            seq(&[tbs.clone(), bits.clone(), alg.clone()]),
            tlv::encode(SET, &[tbs, alg, bits].concat()),
        ];
        for bad in refusals {
            // Inside a [0] set after one other element, as in SignedData.certificates.
            let set = tlv::encode(CONTEXT_0, &[vec![0x04, 0x01, 0x00], bad.clone()].concat());
            let (outer, _) = Tlv::parse(&set).unwrap();
            let err = checked_certificate(&children(&outer).unwrap()[1]).unwrap_err();
            assert_eq!(err.offset, 5, "{bad:02x?}");
            assert!(matches!(err.reason, CmsReason::Invalid(_)), "{bad:02x?}");
        }
    }
}
