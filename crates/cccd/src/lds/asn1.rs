//! Small DER helpers shared by the LDS parsers: walk with offsets via `tlv`, decode
//! OIDs with `asn1-rs`, and write the few universal types the encoders need.
//!
//! X.509 certificates are never decoded here; they are handed to x509-parser.

use super::{FileId, LdsError};
use crate::tlv::{self, Tag, Tlv, Tlvs};
use asn1_rs::Oid;
use std::borrow::Cow;

/// `SEQUENCE`.
pub const SEQUENCE: Tag = Tag::new(0x30);
/// `SET`.
pub const SET: Tag = Tag::new(0x31);
/// `INTEGER`.
pub const INTEGER: Tag = Tag::new(0x02);
/// `OBJECT IDENTIFIER`.
pub const OID: Tag = Tag::new(0x06);
/// `OCTET STRING`.
pub const OCTET_STRING: Tag = Tag::new(0x04);
/// `BIT STRING`.
pub const BIT_STRING: Tag = Tag::new(0x03);
/// `NULL`.
pub const NULL: Tag = Tag::new(0x05);

/// Parse exactly one object with `tag` filling `input`.
pub(crate) fn root(input: &[u8], tag: Tag, file: FileId) -> Result<Tlv<'_>, LdsError> {
    Tlv::parse_exact(input, tag).map_err(|e| LdsError::tlv(file, e))
}

/// The children of a constructed object. Each child takes at least two bytes of input, so the
/// vector is bounded by the input size.
pub(crate) fn children<'a>(tlv: &Tlv<'a>, file: FileId) -> Result<Vec<Tlv<'a>>, LdsError> {
    tlv.children()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| LdsError::tlv(file, e))
}

/// The objects in a byte slice that starts at `base` in the file.
pub(crate) fn objects_at(input: &[u8], file: FileId) -> Result<Vec<Tlv<'_>>, LdsError> {
    Tlvs::new(input)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| LdsError::tlv(file, e))
}

/// Require `tlv` to carry `tag`.
pub(crate) fn expect<'a>(
    tlv: Tlv<'a>,
    tag: Tag,
    file: FileId,
    what: &'static str,
) -> Result<Tlv<'a>, LdsError> {
    if tlv.tag() == tag {
        Ok(tlv)
    } else {
        Err(LdsError::invalid(file, tlv.offset(), what))
    }
}

/// The `i`th element of `items`, or an error at `parent`'s offset naming what is missing.
pub(crate) fn nth<'a>(
    items: &[Tlv<'a>],
    i: usize,
    parent: &Tlv<'a>,
    file: FileId,
    what: &'static str,
) -> Result<Tlv<'a>, LdsError> {
    items
        .get(i)
        .copied()
        .ok_or_else(|| LdsError::invalid(file, parent.offset(), what))
}

/// Decode an OBJECT IDENTIFIER.
pub(crate) fn oid(tlv: &Tlv<'_>, file: FileId) -> Result<Oid<'static>, LdsError> {
    let v = tlv.value();
    // The last byte of an OID must end a sub-identifier (high bit clear).
    if tlv.tag() != OID || v.is_empty() || v.last().is_some_and(|b| b & 0x80 != 0) {
        return Err(LdsError::invalid(
            file,
            tlv.offset(),
            "expected an OBJECT IDENTIFIER",
        ));
    }
    Ok(Oid::new(Cow::Owned(v.to_vec())))
}

/// Decode a non-negative INTEGER that fits in a `u64`.
pub(crate) fn small_uint(tlv: &Tlv<'_>, file: FileId) -> Result<u64, LdsError> {
    let v = tlv.value();
    let bad = || LdsError::invalid(file, tlv.offset(), "expected a small non-negative INTEGER");
    if tlv.tag() != INTEGER || v.is_empty() || v.len() > 9 {
        return Err(bad());
    }
    if v.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(bad());
    }
    if v.len() == 9 && v.first() != Some(&0) {
        return Err(bad());
    }
    Ok(v.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

/// An `AlgorithmIdentifier`: the OID and the exact DER of its parameters, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlgorithmIdentifier {
    /// The algorithm.
    pub oid: Oid<'static>,
    /// The parameters as DER (e.g. `05 00` for NULL, or RSASSA-PSS-params), if present.
    pub parameters: Option<Vec<u8>>,
}

impl AlgorithmIdentifier {
    /// An identifier with no parameters.
    pub fn new(oid: Oid<'static>) -> Self {
        Self {
            oid,
            parameters: None,
        }
    }

    /// An identifier with explicit NULL parameters (as RSA PKCS#1 v1.5 uses).
    pub fn with_null(oid: Oid<'static>) -> Self {
        Self {
            oid,
            parameters: Some(vec![0x05, 0x00]),
        }
    }

    /// Parse from a SEQUENCE.
    pub(crate) fn parse(tlv: &Tlv<'_>, file: FileId) -> Result<Self, LdsError> {
        let seq = expect(
            *tlv,
            SEQUENCE,
            file,
            "expected AlgorithmIdentifier SEQUENCE",
        )?;
        let items = children(&seq, file)?;
        let oid = oid(&nth(&items, 0, &seq, file, "algorithm OID missing")?, file)?;
        let parameters = match items.as_slice() {
            [_] => None,
            [_, p] => Some(raw(p)),
            _ => {
                return Err(LdsError::invalid(
                    file,
                    seq.offset(),
                    "AlgorithmIdentifier has extra fields",
                ));
            }
        };
        Ok(Self { oid, parameters })
    }

    /// DER encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut v = enc_oid(&self.oid);
        if let Some(p) = &self.parameters {
            v.extend_from_slice(p);
        }
        tlv::encode(SEQUENCE, &v)
    }

    /// The OID in dotted form.
    pub fn dotted(&self) -> String {
        self.oid.to_id_string()
    }
}

/// The complete encoding (header and value) of a parsed object, re-assembled from the parts the
/// parser saw. For definite-length input this equals the input bytes.
pub(crate) fn raw(tlv: &Tlv<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(tlv.total_len());
    tlv.tag().write(&mut out);
    // Keep the input's length form: the header length tells whether it was minimal.
    let minimal_header = tlv.tag().encoded_len() + minimal_len_size(tlv.value().len());
    if minimal_header == tlv.header_len() {
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

fn minimal_len_size(len: usize) -> usize {
    match len {
        0..=0x7F => 1,
        0x80..=0xFF => 2,
        0x100..=0xFFFF => 3,
        0x1_0000..=0xFF_FFFF => 4,
        _ => 5,
    }
}

/// Build an OID from its arcs (for constants).
pub fn oid_from_arcs(arcs: &[u64]) -> Oid<'static> {
    // Every constant in this crate has a valid first and second arc, so `from` succeeds;
    // fall back to an empty OID rather than panicking if a caller passes nonsense.
    Oid::from(arcs).unwrap_or_else(|_| Oid::new(Cow::Borrowed(&[])))
}

/// Encode an OBJECT IDENTIFIER.
pub fn enc_oid(oid: &Oid<'_>) -> Vec<u8> {
    tlv::encode(OID, oid.as_bytes())
}

/// Encode a non-negative INTEGER.
pub fn enc_uint(n: u64) -> Vec<u8> {
    enc_uint_bytes(&n.to_be_bytes())
}

/// Encode a non-negative INTEGER from big-endian magnitude bytes.
pub fn enc_uint_bytes(bytes: &[u8]) -> Vec<u8> {
    let start = bytes
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    let mag = bytes.get(start..).unwrap_or(&[]);
    let mut v = Vec::with_capacity(mag.len() + 1);
    if mag.is_empty() || mag.first().is_some_and(|b| b & 0x80 != 0) {
        v.push(0);
    }
    v.extend_from_slice(mag);
    tlv::encode(INTEGER, &v)
}

/// Encode a SEQUENCE of already encoded parts.
pub fn enc_seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv::encode_constructed(SEQUENCE, parts.iter().copied())
}

/// Encode a SET of already encoded parts, sorted as DER requires for SET OF.
pub fn enc_set_of(parts: &[&[u8]]) -> Vec<u8> {
    let mut sorted: Vec<&[u8]> = parts.to_vec();
    sorted.sort_unstable();
    tlv::encode_constructed(SET, sorted)
}

/// Encode an OCTET STRING.
pub fn enc_octets(bytes: &[u8]) -> Vec<u8> {
    tlv::encode(OCTET_STRING, bytes)
}
