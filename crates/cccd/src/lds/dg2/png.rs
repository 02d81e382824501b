//! Face image to PNG (feature `face`).
//!
//! JPEG is decoded by the `image` crate; JPEG 2000 (JP2 or raw codestream) by `hayro-jpeg2000`,
//! a memory-safe pure-Rust decoder (chosen over the `jpeg2k` OpenJPEG binding so that image
//! bytes from a card never reach C code).

use super::FILE;
use super::record::{FaceImage, ImageFormat};
use crate::lds::LdsError;
use std::io::Cursor;

/// Upper bound on decoded pixels (a DG2 is under 64 KiB; ICAO faces are well under 4 MP).
const MAX_PIXELS: u64 = 16 * 1024 * 1024;

fn fail(what: String) -> LdsError {
    LdsError::Encode { file: FILE, what }
}

impl FaceImage {
    /// Decode the image and re-encode it as PNG.
    pub fn to_png(&self) -> Result<Vec<u8>, LdsError> {
        let img = match self.format() {
            ImageFormat::Jpeg => {
                let mut reader = image::ImageReader::with_format(
                    Cursor::new(&self.image),
                    image::ImageFormat::Jpeg,
                );
                let mut limits = image::Limits::default();
                limits.max_alloc = Some(MAX_PIXELS * 4);
                reader.limits(limits);
                reader
                    .decode()
                    .map_err(|e| fail(format!("JPEG decode: {e}")))?
            }
            ImageFormat::Jpeg2000 | ImageFormat::Jpeg2000Codestream => {
                let settings = hayro_jpeg2000::DecodeSettings::default();
                let j2k = hayro_jpeg2000::Image::new(&self.image, &settings)
                    .map_err(|e| fail(format!("JPEG 2000 header: {e:?}")))?;
                if u64::from(j2k.width()) * u64::from(j2k.height()) > MAX_PIXELS {
                    return Err(fail("JPEG 2000 image too large".into()));
                }
                image::DynamicImage::from_decoder(j2k)
                    .map_err(|e| fail(format!("JPEG 2000 decode: {e}")))?
            }
            ImageFormat::Unknown => {
                return Err(LdsError::Unsupported {
                    file: FILE,
                    what: "face image format (neither JPEG nor JPEG 2000)",
                });
            }
        };
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .map_err(|e| fail(format!("PNG encode: {e}")))?;
        Ok(out)
    }
}
