//! DG2 (tag 0x75): the face. A CBEFF biometric information template group (ISO/IEC 7816-11,
//! ICAO 9303-10 4.7.2) around ISO/IEC 19794-5 (2005) facial records:
//!
//! ```text
//! 75 { 7F61 { 02 count, 7F60 { A1 { header elements }, 5F2E | 7F2E { FAC\0 record } } ... } }
//! ```
//!
//! The image bytes are exposed as they are (JPEG or JPEG 2000) so they can be saved unchanged;
//! with the `face` feature they can also be converted to PNG (`FaceImage::to_png`).

#[cfg(feature = "face")]
mod png;
mod record;

pub use record::{FaceImage, FaceRecord, ImageFormat};

use super::asn1::{children, nth, root, small_uint};
use super::{DataGroup, FileId, LdsError};
use crate::tlv::{self, Tag, Tlv};

const FILE: FileId = FileId::Dg(DataGroup::Dg2);
const DG2_TAG: Tag = Tag::new(0x75);
const BIT_GROUP: Tag = Tag::new(0x7F61);
const BIT: Tag = Tag::new(0x7F60);
const BHT: Tag = Tag::new(0xA1);
const COUNT: Tag = Tag::new(0x02);
/// Biometric data block, primitive (the usual one).
pub const BDB_PRIMITIVE: Tag = Tag::new(0x5F2E);
/// Biometric data block, constructed form (rare).
pub const BDB_CONSTRUCTED: Tag = Tag::new(0x7F2E);

/// One biometric information template: the header elements and the face record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BiometricTemplate {
    /// The biometric header template (A1) elements: tag and exact value, in order
    /// (80 version, 81 type, 82 subtype, 83 creation date, 85 validity, 86 creator,
    /// 87 format owner, 88 format type...).
    pub header: Vec<(Tag, Vec<u8>)>,
    /// 5F2E or 7F2E.
    pub data_tag: Tag,
    /// The facial record in the data block.
    pub record: FaceRecord,
}

/// The parsed DG2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dg2 {
    /// The templates (one on Vietnamese cards).
    pub templates: Vec<BiometricTemplate>,
}

/// The usual header: version 0101, type face (02), format owner 0101 (ISO/IEC JTC1 SC37),
/// format type 0008 (ISO/IEC 19794-5).
pub fn default_header() -> Vec<(Tag, Vec<u8>)> {
    vec![
        (Tag::new(0x80), vec![0x01, 0x01]),
        (Tag::new(0x81), vec![0x02]),
        (Tag::new(0x87), vec![0x01, 0x01]),
        (Tag::new(0x88), vec![0x00, 0x08]),
    ]
}

impl Dg2 {
    /// A DG2 with one template holding `image` with the default header.
    pub fn with_image(image: FaceImage) -> Self {
        Self {
            templates: vec![BiometricTemplate {
                header: default_header(),
                data_tag: BDB_PRIMITIVE,
                record: FaceRecord::new(vec![image]),
            }],
        }
    }

    /// Parse DG2.
    pub fn parse(input: &[u8]) -> Result<Self, LdsError> {
        let outer = root(input, DG2_TAG, FILE)?;
        let items = children(&outer, FILE)?;
        let [group] = items.as_slice() else {
            return Err(LdsError::invalid(
                FILE,
                outer.offset(),
                "DG2 must hold one 7F61 group",
            ));
        };
        if group.tag() != BIT_GROUP {
            return Err(LdsError::invalid(
                FILE,
                group.offset(),
                "expected 7F61 template group",
            ));
        }
        let parts = children(group, FILE)?;
        let count_tlv = nth(&parts, 0, group, FILE, "template count missing")?;
        if count_tlv.tag() != COUNT {
            return Err(LdsError::invalid(
                FILE,
                count_tlv.offset(),
                "expected template count 02",
            ));
        }
        let count = small_uint(&count_tlv, FILE).or_else(|_| {
            // The count is a raw unsigned byte in ISO 7816-11, not a DER INTEGER: 0x80+ is fine.
            match count_tlv.value() {
                [n] => Ok(u64::from(*n)),
                _ => Err(LdsError::invalid(
                    FILE,
                    count_tlv.offset(),
                    "bad template count",
                )),
            }
        })?;
        let templates = parts
            .get(1..)
            .unwrap_or_default()
            .iter()
            .map(parse_template)
            .collect::<Result<Vec<_>, _>>()?;
        if u64::try_from(templates.len()).ok() != Some(count) {
            return Err(LdsError::invalid(
                FILE,
                count_tlv.offset(),
                "template count does not match the templates present",
            ));
        }
        Ok(Self { templates })
    }

    /// Encode DG2.
    pub fn encode(&self) -> Vec<u8> {
        let mut group = tlv::encode(COUNT, &[self.templates.len() as u8]);
        for t in &self.templates {
            let mut header = Vec::new();
            for (tag, v) in &t.header {
                tlv::write(*tag, v, &mut header);
            }
            let mut bit = tlv::encode(BHT, &header);
            tlv::write(t.data_tag, &t.record.encode(), &mut bit);
            tlv::write(BIT, &bit, &mut group);
        }
        tlv::encode(DG2_TAG, &tlv::encode(BIT_GROUP, &group))
    }

    /// The first face image, if any.
    pub fn first_image(&self) -> Option<&FaceImage> {
        self.templates.first()?.record.images.first()
    }
}

fn parse_template(bit: &Tlv<'_>) -> Result<BiometricTemplate, LdsError> {
    if bit.tag() != BIT {
        return Err(LdsError::invalid(
            FILE,
            bit.offset(),
            "expected 7F60 template",
        ));
    }
    let parts = children(bit, FILE)?;
    let bht = nth(&parts, 0, bit, FILE, "header template A1 missing")?;
    if bht.tag() != BHT {
        return Err(LdsError::invalid(
            FILE,
            bht.offset(),
            "expected header template A1",
        ));
    }
    let header = children(&bht, FILE)?
        .iter()
        .map(|t| (t.tag(), t.value().to_vec()))
        .collect();
    let bdb = nth(&parts, 1, bit, FILE, "biometric data block missing")?;
    if bdb.tag() != BDB_PRIMITIVE && bdb.tag() != BDB_CONSTRUCTED {
        return Err(LdsError::invalid(
            FILE,
            bdb.offset(),
            "expected data block 5F2E or 7F2E",
        ));
    }
    let at = bdb.offset() + bdb.header_len();
    let record = FaceRecord::parse(bdb.value())
        .map_err(|(off, what)| LdsError::invalid(FILE, at + off, what))?;
    Ok(BiometricTemplate {
        header,
        data_tag: bdb.tag(),
        record,
    })
}
