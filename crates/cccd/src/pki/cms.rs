//! The parts of CMS SignedData (RFC 5652 §5) needed to check an ICAO master list: the
//! encapsulated content, the embedded certificates and the signer infos, each kept as the
//! exact bytes that were signed or hashed.

use x509_parser::asn1_rs::{Any, Class, FromBer, Tag};

use super::TrustError;

/// id-signedData (RFC 5652).
pub const SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
/// id-contentType signed attribute.
pub const ATTR_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
/// id-messageDigest signed attribute.
pub const ATTR_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
/// id-signingTime signed attribute.
pub const ATTR_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";

/// A parsed SignedData, borrowing from the input.
#[derive(Debug)]
pub struct SignedData<'a> {
    /// eContentType, dotted.
    pub content_type: String,
    /// The eContent OCTET STRING's value (what messageDigest covers).
    pub content: Vec<u8>,
    /// DER of each embedded certificate.
    pub certificates: Vec<&'a [u8]>,
    /// The signer infos.
    pub signers: Vec<SignerInfo<'a>>,
}

/// How a SignerInfo names its certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerId<'a> {
    /// issuerAndSerialNumber: the issuer Name DER and the serial's content bytes.
    IssuerSerial {
        /// Issuer Name, DER.
        issuer: &'a [u8],
        /// Serial number INTEGER contents.
        serial: &'a [u8],
    },
    /// subjectKeyIdentifier.
    KeyId(&'a [u8]),
}

/// One SignerInfo.
#[derive(Debug)]
pub struct SignerInfo<'a> {
    /// Which certificate signed.
    pub sid: SignerId<'a>,
    /// digestAlgorithm, DER of the AlgorithmIdentifier.
    pub digest_algorithm: &'a [u8],
    /// signedAttrs re-tagged as `SET OF` (0x31): the bytes the signature covers.
    pub signed_attrs_der: Option<Vec<u8>>,
    /// Signed attributes as (type OID, value DERs).
    pub signed_attrs: Vec<(String, Vec<&'a [u8]>)>,
    /// signatureAlgorithm, DER of the AlgorithmIdentifier.
    pub signature_algorithm: &'a [u8],
    /// The signature value.
    pub signature: &'a [u8],
}

/// Offset of `part` inside `base` (both slices of the same input), for error messages.
fn offset_of(base: &[u8], part: &[u8]) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(base.as_ptr() as usize)
        .min(base.len())
}

fn malformed(what: &str, offset: usize) -> TrustError {
    TrustError::Malformed {
        what: format!("CMS SignedData: {what}"),
        offset,
    }
}

/// Read one element; returns (element, its full encoding, rest).
fn element<'a>(
    input: &'a [u8],
    base: &'a [u8],
    what: &str,
) -> Result<(Any<'a>, &'a [u8], &'a [u8]), TrustError> {
    let offset = offset_of(base, input);
    let (rest, any) = Any::from_ber(input).map_err(|_| malformed(what, offset))?;
    let raw = input
        .get(..input.len() - rest.len())
        .ok_or_else(|| malformed(what, offset))?;
    Ok((any, raw, rest))
}

fn children<'a>(
    data: &'a [u8],
    base: &'a [u8],
    what: &str,
) -> Result<Vec<(Any<'a>, &'a [u8])>, TrustError> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let (any, raw, next) = element(rest, base, what)?;
        out.push((any, raw));
        rest = next;
    }
    Ok(out)
}

fn oid_of(any: &Any<'_>, base: &[u8], what: &str) -> Result<String, TrustError> {
    any.clone()
        .oid()
        .map(|o| o.to_id_string())
        .map_err(|_| malformed(what, offset_of(base, any.data)))
}

/// The value of an OCTET STRING, joining the segments of a BER constructed one.
fn octets(any: &Any<'_>, base: &[u8], depth: u8) -> Result<Vec<u8>, TrustError> {
    if !any.header.is_constructed() {
        return Ok(any.data.to_vec());
    }
    if depth > 4 {
        return Err(malformed(
            "OCTET STRING nested too deeply",
            offset_of(base, any.data),
        ));
    }
    let mut out = Vec::new();
    for (part, _) in children(any.data, base, "constructed OCTET STRING")? {
        out.extend(octets(&part, base, depth + 1)?);
    }
    Ok(out)
}

/// Parse a ContentInfo holding SignedData.
pub fn parse_signed_data(input: &[u8]) -> Result<SignedData<'_>, TrustError> {
    let base = input;
    let (content_info, _, _) = element(input, base, "ContentInfo")?;
    let parts = children(content_info.data, base, "ContentInfo fields")?;
    let [(ct, _), (explicit, _), ..] = parts.as_slice() else {
        return Err(malformed(
            "ContentInfo has fewer than two fields",
            offset_of(base, content_info.data),
        ));
    };
    let ct = oid_of(ct, base, "contentType")?;
    if ct != SIGNED_DATA {
        return Err(TrustError::Malformed {
            what: format!("CMS content type {ct} is not signedData"),
            offset: 0,
        });
    }
    let (signed_data, _, _) = element(explicit.data, base, "SignedData")?;
    let fields = children(signed_data.data, base, "SignedData fields")?;
    let mut iter = fields.iter();
    let _version = iter
        .next()
        .ok_or_else(|| malformed("missing version", offset_of(base, signed_data.data)))?;
    let _digest_algorithms = iter.next().ok_or_else(|| {
        malformed(
            "missing digestAlgorithms",
            offset_of(base, signed_data.data),
        )
    })?;
    let (encap, _) = iter.next().ok_or_else(|| {
        malformed(
            "missing encapContentInfo",
            offset_of(base, signed_data.data),
        )
    })?;
    let encap_parts = children(encap.data, base, "encapContentInfo")?;
    let (e_type, _) = encap_parts
        .first()
        .ok_or_else(|| malformed("missing eContentType", offset_of(base, encap.data)))?;
    let content_type = oid_of(e_type, base, "eContentType")?;
    let content = match encap_parts.get(1) {
        Some((wrapper, _)) => {
            let (octet_string, _, _) = element(wrapper.data, base, "eContent")?;
            octets(&octet_string, base, 0)?
        }
        None => Vec::new(),
    };
    let mut certificates = Vec::new();
    let mut signer_set = None;
    for (any, _) in iter {
        match (any.class(), any.tag()) {
            (Class::ContextSpecific, Tag(0)) => {
                for (_, raw) in children(any.data, base, "certificates")? {
                    certificates.push(raw);
                }
            }
            (Class::ContextSpecific, Tag(1)) => {} // CRLs: not used from a master list.
            (Class::Universal, Tag::Set) => signer_set = Some(any.data),
            _ => {
                return Err(malformed(
                    "unexpected SignedData field",
                    offset_of(base, any.data),
                ));
            }
        }
    }
    let signer_set = signer_set
        .ok_or_else(|| malformed("missing signerInfos", offset_of(base, signed_data.data)))?;
    let mut signers = Vec::new();
    for (signer, _) in children(signer_set, base, "signerInfos")? {
        signers.push(parse_signer_info(&signer, base)?);
    }
    Ok(SignedData {
        content_type,
        content,
        certificates,
        signers,
    })
}

fn parse_signer_info<'a>(signer: &Any<'a>, base: &'a [u8]) -> Result<SignerInfo<'a>, TrustError> {
    let fields = children(signer.data, base, "SignerInfo")?;
    let mut iter = fields.into_iter();
    let _version = iter
        .next()
        .ok_or_else(|| malformed("SignerInfo version", offset_of(base, signer.data)))?;
    let (sid_any, _) = iter
        .next()
        .ok_or_else(|| malformed("SignerInfo sid", offset_of(base, signer.data)))?;
    let sid = if sid_any.class() == Class::ContextSpecific {
        SignerId::KeyId(sid_any.data)
    } else {
        let parts = children(sid_any.data, base, "issuerAndSerialNumber")?;
        let [(_, issuer), (serial, _)] = parts.as_slice() else {
            return Err(malformed(
                "issuerAndSerialNumber shape",
                offset_of(base, sid_any.data),
            ));
        };
        SignerId::IssuerSerial {
            issuer,
            serial: serial.data,
        }
    };
    let (_, digest_algorithm) = iter
        .next()
        .ok_or_else(|| malformed("SignerInfo digestAlgorithm", offset_of(base, signer.data)))?;
    let (mut next, mut next_raw) = iter.next().ok_or_else(|| {
        malformed(
            "SignerInfo signatureAlgorithm",
            offset_of(base, signer.data),
        )
    })?;
    let mut signed_attrs_der = None;
    let mut signed_attrs = Vec::new();
    if next.class() == Class::ContextSpecific && next.tag() == Tag(0) {
        // RFC 5652 §5.4: the signature covers the attributes with an explicit SET OF tag.
        let mut der = next_raw.to_vec();
        if let Some(first) = der.first_mut() {
            *first = 0x31;
        }
        signed_attrs_der = Some(der);
        for (attr, _) in children(next.data, base, "signed attribute")? {
            let parts = children(attr.data, base, "attribute")?;
            let [(attr_type, _), (values, _)] = parts.as_slice() else {
                return Err(malformed("attribute shape", offset_of(base, attr.data)));
            };
            let values = children(values.data, base, "attribute values")?;
            signed_attrs.push((
                oid_of(attr_type, base, "attribute type")?,
                values.into_iter().map(|(_, raw)| raw).collect(),
            ));
        }
        (next, next_raw) = iter.next().ok_or_else(|| {
            malformed(
                "SignerInfo signatureAlgorithm",
                offset_of(base, signer.data),
            )
        })?;
    }
    let _ = next;
    let signature_algorithm = next_raw;
    let (signature, _) = iter
        .next()
        .ok_or_else(|| malformed("SignerInfo signature", offset_of(base, signer.data)))?;
    Ok(SignerInfo {
        sid,
        digest_algorithm,
        signed_attrs_der,
        signed_attrs,
        signature_algorithm,
        signature: signature.data,
    })
}
