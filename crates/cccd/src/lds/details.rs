//! DG11 (0x6B, additional personal details) and DG12 (0x6C, additional document details):
//! a tag list `5C` followed by the tagged elements it lists (ICAO 9303-10, 4.7.11/4.7.12).
//!
//! Vietnamese cards do not carry DG11 (it reads as 6A82); these parsers exist so that foreign
//! or future documents are read without loss. Every element is kept in order with its exact
//! value, known tags get getters, unknown tags are kept.

use super::asn1::{children, root};
use super::{DataGroup, FileId, LdsError};
use crate::tlv::{self, Tag};
use std::fmt;

const TAG_LIST: Tag = Tag::new(0x5C);

/// Well-known element tags of DG11 and DG12.
pub mod tags {
    use crate::tlv::Tag;
    /// DG11: full name of holder.
    pub const FULL_NAME: Tag = Tag::new(0x5F0E);
    /// DG11: other names (constructed A0 { 02 count, 5F0F name ... }).
    pub const OTHER_NAMES: Tag = Tag::new(0xA0);
    /// DG11: personal number.
    pub const PERSONAL_NUMBER: Tag = Tag::new(0x5F10);
    /// DG11: full date of birth, YYYYMMDD.
    pub const FULL_DATE_OF_BIRTH: Tag = Tag::new(0x5F2B);
    /// DG11: place of birth.
    pub const PLACE_OF_BIRTH: Tag = Tag::new(0x5F11);
    /// DG11: permanent address.
    pub const PERMANENT_ADDRESS: Tag = Tag::new(0x5F42);
    /// DG11: telephone.
    pub const TELEPHONE: Tag = Tag::new(0x5F12);
    /// DG11: profession.
    pub const PROFESSION: Tag = Tag::new(0x5F13);
    /// DG11: title.
    pub const TITLE: Tag = Tag::new(0x5F14);
    /// DG11: personal summary.
    pub const PERSONAL_SUMMARY: Tag = Tag::new(0x5F15);
    /// DG12: issuing authority.
    pub const ISSUING_AUTHORITY: Tag = Tag::new(0x5F19);
    /// DG12: date of issue, YYYYMMDD.
    pub const DATE_OF_ISSUE: Tag = Tag::new(0x5F26);
}

/// A parsed DG11 or DG12. `Debug` prints tags only (the values are personal data).
#[derive(Clone, PartialEq, Eq)]
pub struct TaggedDetails {
    /// DG11 or DG12.
    pub data_group: DataGroup,
    /// The tags announced in the tag list, as their encoded numbers.
    pub tag_list: Vec<Tag>,
    /// The elements in input order: tag and exact value bytes.
    pub elements: Vec<(Tag, Vec<u8>)>,
}

impl fmt::Debug for TaggedDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tags: Vec<String> = self.elements.iter().map(|(t, _)| t.to_string()).collect();
        f.debug_struct("TaggedDetails")
            .field("data_group", &self.data_group)
            .field("tag_list", &self.tag_list)
            .field("elements", &tags)
            .finish()
    }
}

impl TaggedDetails {
    /// Parse a DG11 (`dg = DataGroup::Dg11`) or DG12.
    pub fn parse(input: &[u8], dg: DataGroup) -> Result<Self, LdsError> {
        let file = FileId::Dg(dg);
        if !matches!(dg, DataGroup::Dg11 | DataGroup::Dg12) {
            return Err(LdsError::Unsupported {
                file,
                what: "tagged details are DG11 or DG12",
            });
        }
        let outer = root(input, Tag::new(u32::from(dg.tag())), file)?;
        let mut items = children(&outer, file)?.into_iter();
        let list = items
            .next()
            .filter(|t| t.tag() == TAG_LIST)
            .ok_or_else(|| LdsError::invalid(file, outer.header_len(), "tag list 5C missing"))?;
        // The tag list holds bare tags, not TLVs: decode them with the tag rules only.
        let tag_list = parse_tag_list(list.value())
            .ok_or_else(|| LdsError::invalid(file, list.offset(), "bad tag in tag list"))?;
        let elements = items.map(|t| (t.tag(), t.value().to_vec())).collect();
        Ok(Self {
            data_group: dg,
            tag_list,
            elements,
        })
    }

    /// The value of the first element with `tag`, as text (UTF-8, lossy).
    pub fn text(&self, tag: Tag) -> Option<String> {
        self.elements
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    }

    /// Encode; the tag list is written as given.
    pub fn encode(&self) -> Vec<u8> {
        let mut list = Vec::new();
        for t in &self.tag_list {
            t.write(&mut list);
        }
        let mut value = tlv::encode(TAG_LIST, &list);
        for (t, v) in &self.elements {
            tlv::write(*t, v, &mut value);
        }
        tlv::encode(Tag::new(u32::from(self.data_group.tag())), &value)
    }
}

fn parse_tag_list(mut bytes: &[u8]) -> Option<Vec<Tag>> {
    let mut out = Vec::new();
    while let Some((&first, rest)) = bytes.split_first() {
        let mut value = u32::from(first);
        bytes = rest;
        if first & 0x1F == 0x1F {
            for i in 0.. {
                if i == 3 {
                    return None;
                }
                let (&b, rest) = bytes.split_first()?;
                bytes = rest;
                value = (value << 8) | u32::from(b);
                if b & 0x80 == 0 {
                    break;
                }
            }
        }
        out.push(Tag::new(value));
    }
    Some(out)
}
