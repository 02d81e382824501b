//! BER-TLV as used by ISO 7816-4 and the ICAO LDS: parse with bounds, iterate children, write.
//!
//! Tags are up to 4 bytes (multi-byte form `xF`/`x1F ...`), lengths in short form or long form
//! with up to 4 length bytes. A length larger than the remaining input is a [`TlvError`]; nothing
//! is allocated when parsing, values borrow from the input.

use std::fmt;

/// A BER tag, stored as its encoded bytes read big-endian (`0x5F1F`, `0x7F61`, `0x30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(u32);

/// The class bits of a tag's first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagClass {
    /// `00xxxxxx`
    Universal,
    /// `01xxxxxx`
    Application,
    /// `10xxxxxx`
    ContextSpecific,
    /// `11xxxxxx`
    Private,
}

impl Tag {
    /// The tag whose encoding, read big-endian, is `value` (e.g. `Tag::new(0x5F1F)`).
    pub const fn new(value: u32) -> Self {
        Self(value)
    }

    /// The encoded bytes read as a big-endian number.
    pub const fn value(self) -> u32 {
        self.0
    }

    fn first_byte(self) -> u8 {
        let bytes = self.0.to_be_bytes();
        bytes.into_iter().find(|&b| b != 0).unwrap_or(0)
    }

    /// Whether the constructed bit (0x20 of the first byte) is set.
    pub fn is_constructed(self) -> bool {
        self.first_byte() & 0x20 != 0
    }

    /// The class of the tag.
    pub fn class(self) -> TagClass {
        match self.first_byte() >> 6 {
            0 => TagClass::Universal,
            1 => TagClass::Application,
            2 => TagClass::ContextSpecific,
            _ => TagClass::Private,
        }
    }

    /// Number of bytes in the encoded tag.
    pub fn encoded_len(self) -> usize {
        match self.0 {
            0..=0xFF => 1,
            0x100..=0xFFFF => 2,
            0x1_0000..=0xFF_FFFF => 3,
            _ => 4,
        }
    }

    /// Append the encoded tag to `out`.
    pub fn write(self, out: &mut Vec<u8>) {
        let bytes = self.0.to_be_bytes();
        out.extend_from_slice(&bytes[4 - self.encoded_len()..]);
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:0width$X}", self.0, width = self.encoded_len() * 2)
    }
}

/// What was wrong with a TLV encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TlvErrorKind {
    /// The input ended inside a tag, a length or a value.
    #[error("truncated: needed {needed} more bytes, {available} available")]
    Truncated {
        /// Bytes the encoding asked for.
        needed: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// A tag longer than 4 bytes.
    #[error("tag longer than 4 bytes")]
    TagTooLong,
    /// A long-form length with more than 4 length bytes, or the reserved 0xFF.
    #[error("length field longer than 4 bytes")]
    LengthTooLong,
    /// The indefinite length form (0x80), which DER and the LDS forbid.
    #[error("indefinite length is not allowed")]
    IndefiniteLength,
    /// A different tag than the one required.
    #[error("expected tag {expected}, found {found}")]
    UnexpectedTag {
        /// The tag required here.
        expected: Tag,
        /// The tag that was there.
        found: Tag,
    },
    /// Bytes left over after the outermost object.
    #[error("{0} trailing bytes after the object")]
    TrailingData(usize),
    /// An empty input where an object was required.
    #[error("empty input")]
    Empty,
    /// A required child object is absent.
    #[error("required object {0} is missing")]
    Missing(Tag),
    /// A length in long form where the short form fits, or with a leading zero byte: valid
    /// BER, not DER.
    #[error("length not in minimal (DER) form")]
    NonMinimalLength,
}

/// A TLV decoding error with the byte offset where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed TLV at offset {offset}: {kind}")]
pub struct TlvError {
    /// Offset from the start of the outermost input handed to the parser.
    pub offset: usize,
    /// What was wrong.
    pub kind: TlvErrorKind,
}

impl TlvError {
    fn at(offset: usize, kind: TlvErrorKind) -> Self {
        Self { offset, kind }
    }
}

/// One decoded TLV object borrowing its value from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    tag: Tag,
    value: &'a [u8],
    header_len: usize,
    /// Offset of the tag within the outermost input, for error messages.
    offset: usize,
}

/// The header of a TLV: its tag, the length it announces and how many bytes the header took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// `header_len` is the X.690 name; "len" alone would be ambiguous beside `value_len`.
#[allow(clippy::struct_field_names)]
pub struct Header {
    /// The tag.
    pub tag: Tag,
    /// The announced value length (not checked against any input).
    pub value_len: usize,
    /// Bytes taken by tag and length.
    pub header_len: usize,
}

impl Header {
    /// Total encoded size: header plus value.
    pub fn total_len(&self) -> usize {
        self.header_len + self.value_len
    }
}

/// A header's failures before they get an offset: mapped to [`TlvErrorKind`] by the callers.
#[derive(Debug, Clone, Copy)]
enum RawError {
    /// The input ends inside the header (one byte more is the least it needs).
    Truncated,
    TagTooLong,
    LengthTooLong,
    Indefinite,
}

/// The tag at the start of `input` and the number of bytes it takes.
fn tag_at(input: &[u8]) -> Result<(Tag, usize), RawError> {
    let &first = input.first().ok_or(RawError::Truncated)?;
    let mut value = u32::from(first);
    if first & 0x1F != 0x1F {
        return Ok((Tag(value), 1));
    }
    // Subsequent bytes carry 7 bits each; bit 8 set means another byte follows. A tag fits
    // a u32: at most three of them.
    for i in 1..=3 {
        let &b = input.get(i).ok_or(RawError::Truncated)?;
        value = (value << 8) | u32::from(b);
        if b & 0x80 == 0 {
            return Ok((Tag(value), i + 1));
        }
    }
    Err(RawError::TagTooLong)
}

/// The length at the start of `input` (after the tag) and the number of bytes it takes.
fn length_at(input: &[u8]) -> Result<(usize, usize), RawError> {
    let &first = input.first().ok_or(RawError::Truncated)?;
    match first {
        0..=0x7F => Ok((usize::from(first), 1)),
        0x80 => Err(RawError::Indefinite),
        0x81..=0x84 => {
            let n = usize::from(first & 0x7F);
            let bytes = input.get(1..=n).ok_or(RawError::Truncated)?;
            let len = bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            Ok((len, 1 + n))
        }
        _ => Err(RawError::LengthTooLong),
    }
}

fn map_raw(raw: RawError, offset: usize, available: usize) -> TlvError {
    let kind = match raw {
        RawError::Truncated => TlvErrorKind::Truncated {
            needed: 1,
            available,
        },
        RawError::TagTooLong => TlvErrorKind::TagTooLong,
        RawError::LengthTooLong => TlvErrorKind::LengthTooLong,
        RawError::Indefinite => TlvErrorKind::IndefiniteLength,
    };
    TlvError::at(offset, kind)
}

/// Deepest nesting [`check_der_lengths`] descends (real files nest under 20 levels).
const MAX_DER_DEPTH: usize = 64;

/// Check that every length in `input` (a sequence of objects, descending into constructed
/// ones) is in minimal DER form; the error carries the offset of the first one that is not.
pub fn check_der_lengths(input: &[u8]) -> Result<(), TlvError> {
    check_der_at(input, 0, 0)
}

fn check_der_at(input: &[u8], base: usize, depth: usize) -> Result<(), TlvError> {
    let mut rest = input;
    while !rest.is_empty() {
        let offset = base + (input.len() - rest.len());
        let header = parse_header_at(rest, offset)?;
        // A parsed tag's value has exactly its encoded bytes: a multi-byte tag's first byte
        // (`x1F`) is never zero.
        let tag_len = header.tag.encoded_len();
        let len_bytes = &rest[tag_len..header.header_len];
        let minimal = match len_bytes {
            [first] => *first < 0x80,
            [0x81, b] => *b >= 0x80,
            [_, first, ..] => {
                *first != 0 && len_bytes.len() - 1 == minimal_octets(header.value_len)
            }
            [] => false,
        };
        if !minimal {
            return Err(TlvError::at(
                offset + tag_len,
                TlvErrorKind::NonMinimalLength,
            ));
        }
        let end = header.header_len + header.value_len;
        let value = rest.get(header.header_len..end).ok_or_else(|| {
            TlvError::at(
                offset + header.header_len,
                TlvErrorKind::Truncated {
                    needed: header.value_len,
                    available: rest.len() - header.header_len,
                },
            )
        })?;
        if header.tag.is_constructed() && depth < MAX_DER_DEPTH {
            check_der_at(value, offset + header.header_len, depth + 1)?;
        }
        rest = &rest[end..];
    }
    Ok(())
}

/// Bytes needed to write `len` in a long-form length.
fn minimal_octets(len: usize) -> usize {
    (usize::BITS - len.leading_zeros()).div_ceil(8) as usize
}

/// Decode only the header (tag and length) at the start of `input`.
///
/// Useful when reading a file from a card: the first few bytes tell how long the whole file is.
pub fn parse_header(input: &[u8]) -> Result<Header, TlvError> {
    parse_header_at(input, 0)
}

fn parse_header_at(input: &[u8], offset: usize) -> Result<Header, TlvError> {
    if input.is_empty() {
        return Err(TlvError::at(offset, TlvErrorKind::Empty));
    }
    let map = |e| map_raw(e, offset, input.len());
    let (tag, tag_len) = tag_at(input).map_err(map)?;
    let (value_len, len_len) = length_at(&input[tag_len..]).map_err(map)?;
    Ok(Header {
        tag,
        value_len,
        header_len: tag_len + len_len,
    })
}

impl<'a> Tlv<'a> {
    /// Parse one object at the start of `input`; return it and the bytes after it.
    pub fn parse(input: &'a [u8]) -> Result<(Self, &'a [u8]), TlvError> {
        Self::parse_at(input, 0)
    }

    /// Parse exactly one object that fills `input`, with the given tag.
    pub fn parse_exact(input: &'a [u8], expected: Tag) -> Result<Self, TlvError> {
        let (tlv, rest) = Self::parse(input)?;
        if tlv.tag != expected {
            return Err(TlvError::at(
                0,
                TlvErrorKind::UnexpectedTag {
                    expected,
                    found: tlv.tag,
                },
            ));
        }
        if !rest.is_empty() {
            return Err(TlvError::at(
                tlv.total_len(),
                TlvErrorKind::TrailingData(rest.len()),
            ));
        }
        Ok(tlv)
    }

    fn parse_at(input: &'a [u8], offset: usize) -> Result<(Self, &'a [u8]), TlvError> {
        let header = parse_header_at(input, offset)?;
        let body = &input[header.header_len..];
        if header.value_len > body.len() {
            return Err(TlvError::at(
                offset + header.header_len,
                TlvErrorKind::Truncated {
                    needed: header.value_len,
                    available: body.len(),
                },
            ));
        }
        let (value, rest) = body.split_at(header.value_len);
        Ok((
            Tlv {
                tag: header.tag,
                value,
                header_len: header.header_len,
                offset,
            },
            rest,
        ))
    }

    /// The tag.
    pub fn tag(&self) -> Tag {
        self.tag
    }

    /// The value bytes.
    pub fn value(&self) -> &'a [u8] {
        self.value
    }

    /// Offset of this object's tag in the outermost input.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Bytes taken by the tag and length.
    pub fn header_len(&self) -> usize {
        self.header_len
    }

    /// Header plus value length.
    pub fn total_len(&self) -> usize {
        self.header_len + self.value.len()
    }

    /// Iterate the objects inside this object's value.
    pub fn children(&self) -> Tlvs<'a> {
        Tlvs {
            rest: self.value,
            offset: self.offset + self.header_len,
        }
    }

    /// The first child with `tag`, or `None`. Malformed children end the search with an error.
    pub fn find(&self, tag: Tag) -> Result<Option<Tlv<'a>>, TlvError> {
        for child in self.children() {
            let child = child?;
            if child.tag == tag {
                return Ok(Some(child));
            }
        }
        Ok(None)
    }

    /// The first child with `tag`, or an error naming it as missing (offset of this object).
    #[cfg(any(test, feature = "chip-side"))]
    pub fn require(&self, tag: Tag) -> Result<Tlv<'a>, TlvError> {
        self.find(tag)?
            .ok_or(TlvError::at(self.offset, TlvErrorKind::Missing(tag)))
    }
}

/// An iterator over consecutive TLV objects; yields an error once and then stops.
#[derive(Debug, Clone)]
pub struct Tlvs<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> Tlvs<'a> {
    /// Iterate the objects in `input`, which start at offset 0.
    pub fn new(input: &'a [u8]) -> Self {
        Self {
            rest: input,
            offset: 0,
        }
    }
}

impl<'a> Iterator for Tlvs<'a> {
    type Item = Result<Tlv<'a>, TlvError>;

    fn next(&mut self) -> Option<Self::Item> {
        // ISO 7816-4 allows 00/FF padding between objects; ICAO files do not use it, so we do
        // not skip it: a zero tag is reported as it is.
        if self.rest.is_empty() {
            return None;
        }
        match Tlv::parse_at(self.rest, self.offset) {
            Ok((tlv, rest)) => {
                self.offset += tlv.total_len();
                self.rest = rest;
                Some(Ok(tlv))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

/// Append a BER length to `out` in the shortest form.
pub fn write_length(len: usize, out: &mut Vec<u8>) {
    match len {
        0..=0x7F => out.push(len as u8),
        0x80..=0xFF => out.extend_from_slice(&[0x81, len as u8]),
        0x100..=0xFFFF => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
        0x1_0000..=0xFF_FFFF => {
            out.extend_from_slice(&[0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8]);
        }
        _ => {
            out.push(0x84);
            out.extend_from_slice(&(len as u32).to_be_bytes());
        }
    }
}

/// Append one TLV object (`tag`, `value`) to `out`.
pub fn write(tag: Tag, value: &[u8], out: &mut Vec<u8>) {
    tag.write(out);
    write_length(value.len(), out);
    out.extend_from_slice(value);
}

/// Encode one TLV object into a new vector.
pub fn encode(tag: Tag, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 8);
    write(tag, value, &mut out);
    out
}

/// Encode a constructed object from already encoded children.
pub fn encode_constructed<'c>(tag: Tag, children: impl IntoIterator<Item = &'c [u8]>) -> Vec<u8> {
    let value: Vec<u8> = children.into_iter().flatten().copied().collect();
    encode(tag, &value)
}

#[cfg(test)]
mod tests;
