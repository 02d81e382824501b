//! ISO/IEC 19794-5:2005 facial record: general header, then per face a facial record header,
//! feature points, image information and the image bytes.

/// Errors are (offset within the record, reason); the caller adds the file offset.
type RecordResult<T> = Result<T, (usize, &'static str)>;

const FORMAT_ID: [u8; 4] = *b"FAC\0";
const GENERAL_HEADER_LEN: usize = 14;
const FACE_HEADER_LEN: usize = 20;
const FEATURE_POINT_LEN: usize = 8;
const IMAGE_INFO_LEN: usize = 12;

/// The image encoding, recognised by its signature (not by the header's data type field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// JPEG (`FF D8 FF`).
    Jpeg,
    /// JPEG 2000 in a JP2 file (`00 00 00 0C 6A 50 20 20`).
    Jpeg2000,
    /// A raw JPEG 2000 codestream (`FF 4F FF 51`).
    Jpeg2000Codestream,
    /// Anything else.
    Unknown,
}

impl ImageFormat {
    /// Recognise `bytes` by signature.
    pub fn detect(bytes: &[u8]) -> Self {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            ImageFormat::Jpeg
        } else if bytes.starts_with(&[0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) {
            ImageFormat::Jpeg2000
        } else if bytes.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) {
            ImageFormat::Jpeg2000Codestream
        } else {
            ImageFormat::Unknown
        }
    }

    /// A file extension for saving the bytes as they are.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Jpeg2000 => "jp2",
            ImageFormat::Jpeg2000Codestream => "j2k",
            ImageFormat::Unknown => "bin",
        }
    }
}

/// One face: the 19794-5 facial record header, image information and image bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct FaceImage {
    /// Gender (0 unspecified, 1 male, 2 female, 0xFF unknown).
    pub gender: u8,
    /// Eye colour code.
    pub eye_colour: u8,
    /// Hair colour code.
    pub hair_colour: u8,
    /// Property mask (24 bits).
    pub property_mask: [u8; 3],
    /// Expression code.
    pub expression: u16,
    /// Pose angle yaw, pitch, roll.
    pub pose_angle: [u8; 3],
    /// Pose angle uncertainty yaw, pitch, roll.
    pub pose_angle_uncertainty: [u8; 3],
    /// Feature points, 8 bytes each, kept as they are.
    pub feature_points: Vec<[u8; 8]>,
    /// Face image type (0 basic, 1 full frontal, 2 token frontal).
    pub face_image_type: u8,
    /// Image data type from the header (0 JPEG, 1 JPEG 2000).
    pub image_data_type: u8,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// Image colour space code.
    pub colour_space: u8,
    /// Source type code.
    pub source_type: u8,
    /// Device type.
    pub device_type: u16,
    /// Quality.
    pub quality: u16,
    /// The image bytes, as stored.
    pub image: Vec<u8>,
}

impl std::fmt::Debug for FaceImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceImage")
            .field("format", &self.format())
            .field("width", &self.width)
            .field("height", &self.height)
            .field("image_len", &self.image.len())
            .finish_non_exhaustive()
    }
}

impl FaceImage {
    /// A full-frontal face with the given image bytes and size; the data type follows the
    /// bytes' signature, other fields are "unspecified".
    pub fn new(image: Vec<u8>, width: u16, height: u16) -> Self {
        let image_data_type = match ImageFormat::detect(&image) {
            ImageFormat::Jpeg2000 | ImageFormat::Jpeg2000Codestream => 1,
            _ => 0,
        };
        Self {
            gender: 0,
            eye_colour: 0,
            hair_colour: 0,
            property_mask: [0; 3],
            expression: 0,
            pose_angle: [0; 3],
            pose_angle_uncertainty: [0; 3],
            feature_points: Vec::new(),
            face_image_type: 1,
            image_data_type,
            width,
            height,
            colour_space: 1,
            source_type: 2,
            device_type: 0,
            quality: 0,
            image,
        }
    }

    /// The image format by signature.
    pub fn format(&self) -> ImageFormat {
        ImageFormat::detect(&self.image)
    }

    fn encoded_len(&self) -> usize {
        FACE_HEADER_LEN
            + FEATURE_POINT_LEN * self.feature_points.len()
            + IMAGE_INFO_LEN
            + self.image.len()
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.encoded_len() as u32).to_be_bytes());
        out.extend_from_slice(&(self.feature_points.len() as u16).to_be_bytes());
        out.extend_from_slice(&[self.gender, self.eye_colour, self.hair_colour]);
        out.extend_from_slice(&self.property_mask);
        out.extend_from_slice(&self.expression.to_be_bytes());
        out.extend_from_slice(&self.pose_angle);
        out.extend_from_slice(&self.pose_angle_uncertainty);
        for p in &self.feature_points {
            out.extend_from_slice(p);
        }
        out.extend_from_slice(&[self.face_image_type, self.image_data_type]);
        out.extend_from_slice(&self.width.to_be_bytes());
        out.extend_from_slice(&self.height.to_be_bytes());
        out.extend_from_slice(&[self.colour_space, self.source_type]);
        out.extend_from_slice(&self.device_type.to_be_bytes());
        out.extend_from_slice(&self.quality.to_be_bytes());
        out.extend_from_slice(&self.image);
    }
}

/// A 19794-5 facial record (the biometric data block).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceRecord {
    /// Version, e.g. `010\0`.
    pub version: [u8; 4],
    /// The faces.
    pub images: Vec<FaceImage>,
}

/// A bounds-checked reader over the record that reports offsets.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> RecordResult<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or((self.pos, what))?;
        let s = self.data.get(self.pos..end).ok_or((self.pos, what))?;
        self.pos = end;
        Ok(s)
    }
    fn array<const N: usize>(&mut self, what: &'static str) -> RecordResult<[u8; N]> {
        let at = self.pos;
        self.take(N, what)?.try_into().map_err(|_| (at, what))
    }
    fn u8(&mut self, what: &'static str) -> RecordResult<u8> {
        Ok(self.array::<1>(what)?[0])
    }
    fn u16(&mut self, what: &'static str) -> RecordResult<u16> {
        Ok(u16::from_be_bytes(self.array(what)?))
    }
    fn u32(&mut self, what: &'static str) -> RecordResult<u32> {
        Ok(u32::from_be_bytes(self.array(what)?))
    }
}

impl FaceRecord {
    /// A version `010\0` record with these faces.
    pub fn new(images: Vec<FaceImage>) -> Self {
        Self {
            version: *b"010\0",
            images,
        }
    }

    /// Parse a record; errors carry the offset inside `data`.
    pub(super) fn parse(data: &[u8]) -> RecordResult<Self> {
        let mut r = Reader { data, pos: 0 };
        if r.array::<4>("facial record truncated")? != FORMAT_ID {
            return Err((0, "facial record does not start with FAC\\0"));
        }
        let version = r.array::<4>("facial record truncated")?;
        let len_at = r.pos;
        let record_len = r.u32("facial record truncated")?;
        if usize::try_from(record_len).ok() != Some(data.len()) {
            return Err((len_at, "record length does not match the data block"));
        }
        let count = r.u16("facial record truncated")?;
        let mut images = Vec::new();
        for _ in 0..count {
            images.push(parse_face(&mut r)?);
        }
        if r.pos != data.len() {
            return Err((r.pos, "bytes after the last face"));
        }
        Ok(Self { version, images })
    }

    /// Encode the record.
    pub fn encode(&self) -> Vec<u8> {
        let total = GENERAL_HEADER_LEN
            + self
                .images
                .iter()
                .map(FaceImage::encoded_len)
                .sum::<usize>();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&FORMAT_ID);
        out.extend_from_slice(&self.version);
        out.extend_from_slice(&(total as u32).to_be_bytes());
        out.extend_from_slice(&(self.images.len() as u16).to_be_bytes());
        for img in &self.images {
            img.encode(&mut out);
        }
        out
    }
}

fn parse_face(r: &mut Reader<'_>) -> RecordResult<FaceImage> {
    const T: &str = "facial record header truncated";
    const I: &str = "image information truncated";
    let start = r.pos;
    let face_len = usize::try_from(r.u32(T)?).map_err(|_| (start, "face length too large"))?;
    let n_points = r.u16(T)?;
    let gender = r.u8(T)?;
    let eye_colour = r.u8(T)?;
    let hair_colour = r.u8(T)?;
    let property_mask = r.array(T)?;
    let expression = r.u16(T)?;
    let pose_angle = r.array(T)?;
    let pose_angle_uncertainty = r.array(T)?;
    let mut feature_points = Vec::new();
    for _ in 0..n_points {
        feature_points.push(r.array::<8>("feature points truncated")?);
    }
    let face_image_type = r.u8(I)?;
    let image_data_type = r.u8(I)?;
    let width = r.u16(I)?;
    let height = r.u16(I)?;
    let colour_space = r.u8(I)?;
    let source_type = r.u8(I)?;
    let device_type = r.u16(I)?;
    let quality = r.u16(I)?;
    let consumed = r.pos - start;
    let image_len = face_len
        .checked_sub(consumed)
        .ok_or((start, "face length shorter than its header"))?;
    let image = r.take(image_len, "image data truncated")?.to_vec();
    Ok(FaceImage {
        gender,
        eye_colour,
        hair_colour,
        property_mask,
        expression,
        pose_angle,
        pose_angle_uncertainty,
        feature_points,
        face_image_type,
        image_data_type,
        width,
        height,
        colour_space,
        source_type,
        device_type,
        quality,
        image,
    })
}
