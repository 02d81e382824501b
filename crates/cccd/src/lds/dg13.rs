//! DG13 (tag 0x6D): Vietnam's personal data.
//!
//! ```text
//! 6D { 30 { INTEGER 1, OID 1.0.10646.1.0.8, (31 | 30) { 30 { INTEGER n, value } ... } } }
//! ```
//!
//! Entries are found by their INTEGER index, never by position. A value is whatever follows the
//! index inside the entry: one string (UTF8String, PrintableString and the other character
//! string types are accepted), or for 13/14 the names nested in a SEQUENCE or SET at any depth
//! up to four, or placed directly after the index. Every variant seen in public descriptions is
//! accepted because the parser collects the string leaves in order instead of expecting a shape.
//!
//! Every field keeps the exact bytes of its value, and the version/OID prefix and container tag
//! are kept, so encoding a parsed DG13 reproduces a DER input byte for byte. (Non-minimal length
//! forms in the entry and outer headers are re-encoded minimally.)

pub mod labels;
mod value;

pub use value::{Expiry, Field, Parents, Sex, is_printable_string};

use super::asn1::{SEQUENCE, SET, children, enc_oid, enc_uint, root, small_uint};
use super::{DataGroup, FileId, LdsError};
use crate::tlv::{self, Tag, Tlv};
use std::fmt;
use time::Date;

const FILE: FileId = FileId::Dg(DataGroup::Dg13);
const DG13_TAG: Tag = Tag::new(0x6D);

/// An entry that has no typed field (indices 15, 16 and unknown ones, or a repeated index).
#[derive(Clone, PartialEq, Eq)]
pub struct RawEntry {
    /// The INTEGER index.
    pub index: u32,
    /// The exact bytes that followed the index inside the entry.
    pub raw: Vec<u8>,
}

impl RawEntry {
    /// The string leaves of the value (see the module documentation).
    pub fn texts(&self) -> Vec<String> {
        value::leaves(&self.raw, 0).unwrap_or_default()
    }
}

impl fmt::Debug for RawEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Personal data: show the shape, not the content.
        write!(
            f,
            "RawEntry {{ index: {}, {} bytes }}",
            self.index,
            self.raw.len()
        )
    }
}

/// Where the entries sit: inside a SET or SEQUENCE container, or directly in the outer SEQUENCE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `31 { entries }` (the usual shape).
    Set,
    /// `30 { entries }`.
    Sequence,
    /// Entries follow the OID without a container.
    Flat,
}

/// The parsed DG13. `Debug` shows which indices are present, never their values.
#[derive(Clone, PartialEq, Eq)]
pub struct Dg13 {
    /// 1: the 12-digit personal ID number.
    pub id_number: Option<Field<String>>,
    /// 2: full name with diacritics.
    pub full_name: Option<Field<String>>,
    /// 3: date of birth (text kept; date when it is a valid `DD/MM/YYYY`).
    pub date_of_birth: Option<Field<Option<Date>>>,
    /// 4: sex.
    pub sex: Option<Field<Option<Sex>>>,
    /// 5: nationality.
    pub nationality: Option<Field<String>>,
    /// 6: ethnicity.
    pub ethnicity: Option<Field<String>>,
    /// 7: religion.
    pub religion: Option<Field<String>>,
    /// 8: place of origin (quê quán).
    pub place_of_origin: Option<Field<String>>,
    /// 9: place of residence.
    pub place_of_residence: Option<Field<String>>,
    /// 10: identifying marks.
    pub identifying_marks: Option<Field<String>>,
    /// 11: date of issue.
    pub date_of_issue: Option<Field<Option<Date>>>,
    /// 12: date of expiry, or a text such as "Không thời hạn".
    pub date_of_expiry: Option<Field<Expiry>>,
    /// 13: father's and mother's names.
    pub parents: Option<Field<Parents>>,
    /// 14: spouse's name (`None` inside when the entry is empty).
    pub spouse: Option<Field<Option<String>>>,
    /// 15, 16 and unknown indices, and repeats of known ones, in input order.
    pub other: Vec<RawEntry>,
    /// The bytes before the entries inside the outer SEQUENCE (`INTEGER 1, OID`), exact.
    prefix: Vec<u8>,
    layout: Layout,
    /// Indices in the order they were read, so that encoding keeps the order.
    order: Vec<u32>,
}

impl fmt::Debug for Dg13 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dg13")
            .field("indices", &self.indices())
            .field("layout", &self.layout)
            .finish_non_exhaustive()
    }
}

impl Default for Dg13 {
    fn default() -> Self {
        let mut prefix = enc_uint(1);
        prefix.extend_from_slice(&enc_oid(&crate::oid::UTF8_CHARSET));
        Self {
            id_number: None,
            full_name: None,
            date_of_birth: None,
            sex: None,
            nationality: None,
            ethnicity: None,
            religion: None,
            place_of_origin: None,
            place_of_residence: None,
            identifying_marks: None,
            date_of_issue: None,
            date_of_expiry: None,
            parents: None,
            spouse: None,
            other: Vec::new(),
            prefix,
            layout: Layout::Set,
            order: Vec::new(),
        }
    }
}

fn is_container(tag: Tag) -> bool {
    tag == SET || tag == SEQUENCE
}

impl Dg13 {
    /// An empty DG13 with the usual prefix (`INTEGER 1`, the UTF-8 OID) and a SET container.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parse DG13.
    pub fn parse(input: &[u8]) -> Result<Self, LdsError> {
        let outer = root(input, DG13_TAG, FILE)?;
        let items = children(&outer, FILE)?;
        let [body] = items.as_slice() else {
            return Err(LdsError::invalid(
                FILE,
                outer.offset(),
                "DG13 must hold one SEQUENCE",
            ));
        };
        if body.tag() != SEQUENCE {
            return Err(LdsError::invalid(
                FILE,
                body.offset(),
                "DG13 must hold one SEQUENCE",
            ));
        }
        let parts = children(body, FILE)?;
        // The prefix is everything up to the first constructed child.
        let first_entry_pos = parts
            .iter()
            .position(|p| is_container(p.tag()))
            .unwrap_or(parts.len());
        let prefix_len: usize = parts.iter().take(first_entry_pos).map(Tlv::total_len).sum();
        let prefix = body.value().get(..prefix_len).unwrap_or_default().to_vec();
        let rest = parts.get(first_entry_pos..).unwrap_or_default();

        let mut dg = Dg13 {
            prefix,
            ..Dg13::default()
        };
        dg.layout = match rest {
            [one] if !starts_with_integer(one, FILE)? => {
                if one.tag() == SET {
                    Layout::Set
                } else {
                    Layout::Sequence
                }
            }
            _ => Layout::Flat,
        };
        let entries: Vec<Tlv<'_>> = match (dg.layout, rest) {
            (Layout::Flat, _) => rest.to_vec(),
            (_, [container]) => children(container, FILE)?,
            _ => Vec::new(),
        };
        for entry in entries {
            dg.add_entry(&entry)?;
        }
        Ok(dg)
    }

    fn add_entry(&mut self, entry: &Tlv<'_>) -> Result<(), LdsError> {
        if entry.tag() != SEQUENCE {
            return Err(LdsError::invalid(
                FILE,
                entry.offset(),
                "DG13 entry must be a SEQUENCE",
            ));
        }
        let (index_tlv, _) = Tlv::parse(entry.value()).map_err(|e| {
            LdsError::tlv(
                FILE,
                tlv::TlvError {
                    offset: e.offset + entry.offset() + entry.header_len(),
                    kind: e.kind,
                },
            )
        })?;
        let index_at = entry.offset() + entry.header_len();
        let index = small_uint(&index_tlv, FILE)
            .ok()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| {
                LdsError::invalid(FILE, index_at, "DG13 entry index must be an INTEGER")
            })?;
        let raw = entry
            .value()
            .get(index_tlv.total_len()..)
            .unwrap_or_default();
        let value_at = index_at + index_tlv.total_len();
        let leaves = value::leaves(raw, 0)
            .map_err(|(off, what)| LdsError::invalid(FILE, value_at + off, what))?;
        self.order.push(index);
        if !self.set_typed(index, raw, leaves) {
            self.other.push(RawEntry {
                index,
                raw: raw.to_vec(),
            });
        }
        Ok(())
    }

    /// Store a known index in its typed field; false if unknown or already set.
    fn set_typed(&mut self, index: u32, raw: &[u8], leaves: Vec<String>) -> bool {
        let raw = raw.to_vec();
        let first = leaves.first().cloned().unwrap_or_default();
        macro_rules! put {
            ($slot:expr, $value:expr) => {{
                if $slot.is_some() {
                    return false;
                }
                $slot = Some(Field::from_parts($value, raw));
                true
            }};
        }
        match index {
            1 => put!(self.id_number, first),
            2 => put!(self.full_name, first),
            3 => put!(self.date_of_birth, value::parse_dmy(&first)),
            4 => put!(self.sex, value::sex_from_text(&first)),
            5 => put!(self.nationality, first),
            6 => put!(self.ethnicity, first),
            7 => put!(self.religion, first),
            8 => put!(self.place_of_origin, first),
            9 => put!(self.place_of_residence, first),
            10 => put!(self.identifying_marks, first),
            11 => put!(self.date_of_issue, value::parse_dmy(&first)),
            12 => put!(self.date_of_expiry, Expiry::from_text(&first)),
            13 => {
                let mut it = leaves.into_iter();
                let parents = Parents {
                    father: it.next().filter(|s| !s.is_empty()),
                    mother: it.next().filter(|s| !s.is_empty()),
                };
                put!(self.parents, parents)
            }
            14 => put!(
                self.spouse,
                leaves.into_iter().next().filter(|s| !s.is_empty())
            ),
            _ => false,
        }
    }

    /// The indices present, in the order they will be encoded.
    pub fn indices(&self) -> Vec<u32> {
        self.entries().into_iter().map(|(i, _)| i).collect()
    }

    /// The entries as (index, value bytes), in encoding order: the parsed order for indices
    /// that were read, then new ones by ascending index.
    fn entries(&self) -> Vec<(u32, &[u8])> {
        let mut out: Vec<(u32, &[u8])> = Vec::new();
        let typed: [(u32, Option<&[u8]>); 14] = [
            (1, self.id_number.as_ref().map(Field::raw)),
            (2, self.full_name.as_ref().map(Field::raw)),
            (3, self.date_of_birth.as_ref().map(Field::raw)),
            (4, self.sex.as_ref().map(Field::raw)),
            (5, self.nationality.as_ref().map(Field::raw)),
            (6, self.ethnicity.as_ref().map(Field::raw)),
            (7, self.religion.as_ref().map(Field::raw)),
            (8, self.place_of_origin.as_ref().map(Field::raw)),
            (9, self.place_of_residence.as_ref().map(Field::raw)),
            (10, self.identifying_marks.as_ref().map(Field::raw)),
            (11, self.date_of_issue.as_ref().map(Field::raw)),
            (12, self.date_of_expiry.as_ref().map(Field::raw)),
            (13, self.parents.as_ref().map(Field::raw)),
            (14, self.spouse.as_ref().map(Field::raw)),
        ];
        for (i, raw) in typed {
            if let Some(raw) = raw {
                out.push((i, raw));
            }
        }
        for e in &self.other {
            out.push((e.index, &e.raw));
        }
        // Sort by the position of the n-th occurrence of the index in `order`, so that
        // repeated indices (typed first, then `other`) keep their input order.
        let mut seen: Vec<(u32, usize)> = Vec::new();
        let mut keyed: Vec<(usize, u32, &[u8])> = out
            .into_iter()
            .map(|(i, raw)| {
                let nth = if let Some((_, n)) = seen.iter_mut().find(|(k, _)| *k == i) {
                    *n += 1;
                    *n
                } else {
                    seen.push((i, 0));
                    0
                };
                let pos = self
                    .order
                    .iter()
                    .enumerate()
                    .filter(|(_, k)| **k == i)
                    .nth(nth)
                    .map_or(usize::MAX, |(p, _)| p);
                (pos, i, raw)
            })
            .collect();
        keyed.sort_by_key(|(pos, i, _)| (*pos, *i));
        keyed.into_iter().map(|(_, i, raw)| (i, raw)).collect()
    }

    /// Encode DG13.
    pub fn encode(&self) -> Vec<u8> {
        let mut entries = Vec::new();
        for (index, raw) in self.entries() {
            let mut v = enc_uint(u64::from(index));
            v.extend_from_slice(raw);
            tlv::write(SEQUENCE, &v, &mut entries);
        }
        let mut body = self.prefix.clone();
        match self.layout {
            Layout::Set => tlv::write(SET, &entries, &mut body),
            Layout::Sequence => tlv::write(SEQUENCE, &entries, &mut body),
            Layout::Flat => body.extend_from_slice(&entries),
        }
        tlv::encode(DG13_TAG, &tlv::encode(SEQUENCE, &body))
    }

    /// The container layout that was read (or will be written).
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Choose the container layout for encoding.
    pub fn set_layout(&mut self, layout: Layout) {
        self.layout = layout;
    }

    /// The raw entry with index `index` among [`Dg13::other`] (15, 16, unknown).
    pub fn other_entry(&self, index: u32) -> Option<&RawEntry> {
        self.other.iter().find(|e| e.index == index)
    }

    /// Index 15: the previous document number (the old 9-digit CMND, or on newer cards a
    /// previous 12-digit number), trimmed; `None` when absent or empty.
    pub fn previous_document_number(&self) -> Option<String> {
        self.other_entry(15)
            .and_then(|e| e.texts().into_iter().next())
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
    }

    /// Index 16: a 16-character code of unknown meaning, kept as written.
    pub fn index16(&self) -> Option<&RawEntry> {
        self.other_entry(16)
    }

    /// Entries with no known meaning (indices other than 1-16) and repeats of a known index,
    /// in input order.
    pub fn unknown_entries(&self) -> Vec<&RawEntry> {
        let mut seen15 = false;
        let mut seen16 = false;
        self.other
            .iter()
            .filter(|e| {
                let first = match e.index {
                    15 => !std::mem::replace(&mut seen15, true),
                    16 => !std::mem::replace(&mut seen16, true),
                    _ => false,
                };
                !first
            })
            .collect()
    }
}

fn starts_with_integer(tlv: &Tlv<'_>, file: FileId) -> Result<bool, LdsError> {
    let mut kids = tlv.children();
    match kids.next() {
        Some(Ok(first)) => Ok(first.tag() == super::asn1::INTEGER),
        Some(Err(e)) => Err(LdsError::tlv(file, e)),
        None => Ok(false),
    }
}

#[cfg(test)]
mod tests;
