//! EF.COM (tag 0x60): LDS version, Unicode version and the list of data groups present.

use super::asn1::{children, root};
use super::{DataGroup, FileId, LdsError};
use crate::tlv::{self, Tag};

const FILE: FileId = FileId::Com;
const COM_TAG: Tag = Tag::new(0x60);
const LDS_VERSION: Tag = Tag::new(0x5F01);
const UNICODE_VERSION: Tag = Tag::new(0x5F36);
const TAG_LIST: Tag = Tag::new(0x5C);

/// The parsed EF.COM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Com {
    /// LDS version and update level, 4 digits (`"0107"` = LDS 1.7).
    pub lds_version: String,
    /// Unicode version, 6 digits (`"040000"` = 4.0.0).
    pub unicode_version: String,
    /// Data groups listed in the tag list, in the order listed.
    pub data_groups: Vec<DataGroup>,
    /// Tags in the tag list that name no data group, kept as they were.
    pub unknown_tags: Vec<u8>,
}

fn digits(value: &[u8], len: usize, offset: usize, what: &'static str) -> Result<String, LdsError> {
    if value.len() != len || !value.iter().all(u8::is_ascii_digit) {
        return Err(LdsError::invalid(FILE, offset, what));
    }
    Ok(value.iter().map(|&b| char::from(b)).collect())
}

impl Com {
    /// Parse EF.COM.
    pub fn parse(input: &[u8]) -> Result<Self, LdsError> {
        let com = root(input, COM_TAG, FILE)?;
        let mut lds_version = None;
        let mut unicode_version = None;
        let mut list = None;
        for child in children(&com, FILE)? {
            let at = child.offset();
            match child.tag() {
                LDS_VERSION => {
                    lds_version = Some(digits(
                        child.value(),
                        4,
                        at,
                        "LDS version must be 4 digits",
                    )?);
                }
                UNICODE_VERSION => {
                    unicode_version = Some(digits(
                        child.value(),
                        6,
                        at,
                        "Unicode version must be 6 digits",
                    )?);
                }
                TAG_LIST => list = Some(child.value()),
                _ => return Err(LdsError::invalid(FILE, at, "unexpected object in EF.COM")),
            }
        }
        let missing = |what| LdsError::invalid(FILE, 0, what);
        let list = list.ok_or_else(|| missing("tag list 5C missing"))?;
        let mut data_groups = Vec::new();
        let mut unknown_tags = Vec::new();
        for &t in list {
            match DataGroup::from_tag(t) {
                Some(dg) => data_groups.push(dg),
                None => unknown_tags.push(t),
            }
        }
        Ok(Self {
            lds_version: lds_version.ok_or_else(|| missing("LDS version 5F01 missing"))?,
            unicode_version: unicode_version
                .ok_or_else(|| missing("Unicode version 5F36 missing"))?,
            data_groups,
            unknown_tags,
        })
    }

    /// Whether `dg` is listed.
    pub fn contains(&self, dg: DataGroup) -> bool {
        self.data_groups.contains(&dg)
    }

    /// Encode EF.COM. The versions must be 4 and 6 ASCII digits.
    pub fn encode(&self) -> Result<Vec<u8>, LdsError> {
        let ok = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !ok(&self.lds_version, 4) || !ok(&self.unicode_version, 6) {
            return Err(LdsError::Encode {
                file: FILE,
                what: "versions must be 4 and 6 digits".into(),
            });
        }
        let list: Vec<u8> = self
            .data_groups
            .iter()
            .map(|dg| dg.tag())
            .chain(self.unknown_tags.iter().copied())
            .collect();
        Ok(tlv::encode_constructed(
            COM_TAG,
            [
                tlv::encode(LDS_VERSION, self.lds_version.as_bytes()).as_slice(),
                &tlv::encode(UNICODE_VERSION, self.unicode_version.as_bytes()),
                &tlv::encode(TAG_LIST, &list),
            ],
        ))
    }
}
