//! Small DER helpers shared by the LDS parsers: walk with offsets via `tlv`, decode
//! OIDs into [`ObjectIdentifier`], and write the few universal types the encoders need.
//!
//! X.509 certificates are never decoded here; they are handed to x509-parser.

use super::{FileId, LdsError};
use crate::oid::ObjectIdentifier;
use crate::tlv::{self, Tag, Tlv, Tlvs};

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

/// An `AlgorithmIdentifier` (the CMS model's type; parsed here with the file's name in errors).
pub use crate::pki::cms::AlgorithmIdentifier;

/// Parse an `AlgorithmIdentifier` SEQUENCE of `file`.
pub(crate) fn algorithm_identifier(
    tlv: &Tlv<'_>,
    file: FileId,
) -> Result<AlgorithmIdentifier, LdsError> {
    AlgorithmIdentifier::parse(tlv).map_err(|e| LdsError::cms(file, e))
}

/// The complete encoding (header and value) of a parsed object, re-assembled from the parts the
/// parser saw. For definite-length input this equals the input bytes.
pub(crate) use crate::pki::cms::raw;

/// Build an OID from arcs the caller writes down (encoders of the chip side and tests; the
/// crate's own OIDs are the compile-time constants of [`crate::oid`]).
///
/// # Panics
/// If the arcs are not an OID (first arc above 2, an arc above `u32::MAX`, more than
/// [`ObjectIdentifier::MAX_SIZE`] bytes): a mistake in the caller's constant, as with
/// [`ObjectIdentifier::new_unwrap`]. Never called on input read from a card or a file.
pub fn oid_from_arcs(arcs: &[u64]) -> ObjectIdentifier {
    let arcs = arcs.iter().map(|&a| u32::try_from(a).unwrap_or(u32::MAX));
    ObjectIdentifier::from_arcs(arcs).expect("the caller's constant arcs form an OID")
}

/// Encode an OBJECT IDENTIFIER.
pub fn enc_oid(oid: &ObjectIdentifier) -> Vec<u8> {
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
