//! Reading the QR code out of a picture (feature `image`).
//!
//! Decoding is done by [`rxing`] (a Rust port of ZXing). Photos of cards are rotated, small,
//! blurred, unevenly lit and low in contrast, so when the raw picture does not decode, the
//! same picture is retried after contrast stretching, an Otsu threshold, a light blur before
//! the threshold (to merge noise), and at half and double size. The first attempt that finds
//! a QR code wins.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use image::imageops::{self, FilterType};
use image::{GrayImage, ImageReader, Limits, Luma};
use rxing::{BarcodeFormat, DecodeHints};

/// Largest picture file accepted, in bytes.
pub const MAX_IMAGE_BYTES: usize = 32 * 1024 * 1024;
/// Largest picture side accepted, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 12_000;
/// Pictures are scaled down so that their longer side is at most this many pixels before
/// decoding: a card QR is still several pixels per module at that size, and it keeps the
/// retries fast.
const WORKING_SIDE: u32 = 2048;
/// Pictures smaller than this (longer side) are also tried at double size.
const SMALL_SIDE: u32 = 600;

/// Why no QR text could be read from a picture.
#[derive(Debug, thiserror::Error)]
pub enum QrImageError {
    /// The file could not be read.
    #[error("cannot read the picture file: {0}")]
    Io(#[from] std::io::Error),
    /// The file is larger than [`MAX_IMAGE_BYTES`].
    #[error("the picture is {len} bytes; at most {max} are accepted")]
    TooLarge {
        /// Size in bytes.
        len: u64,
        /// The limit.
        max: usize,
    },
    /// Not a PNG/JPEG picture, corrupt, or wider/taller than [`MAX_IMAGE_SIDE`].
    #[error("cannot decode the picture: {0}")]
    Picture(String),
    /// The path is not a regular file (a FIFO, a device, a folder): refused before opening,
    /// so `/dev/zero` or a FIFO can neither exhaust memory nor hang the reader.
    #[error("not a regular file")]
    NotRegular,
    /// The picture has no pixels.
    #[error("the picture is empty")]
    EmptyPicture,
    /// The picture was read but no QR code was found in it, after every retry.
    #[error("no QR code found in the picture")]
    NoQrCode,
    /// QR codes were found, but none is a card's: the last one's parse error.
    #[error("the picture's QR code is not a card QR: {0}")]
    NotACardQr(#[source] crate::QrError),
}

/// The first QR code in a picture file that parses as a card QR: a photo of a card may
/// also hold other codes (a shop's, a leaflet's) beside the card's.
pub fn find_card_qr_in_file(path: impl AsRef<Path>) -> Result<crate::QrData, QrImageError> {
    first_card_qr(&decode_image_file(path)?)
}

/// [`find_card_qr_in_file`] for a picture held in memory (an upload).
pub fn find_card_qr(bytes: &[u8]) -> Result<crate::QrData, QrImageError> {
    first_card_qr(&decode_image(bytes)?)
}

fn first_card_qr(texts: &[String]) -> Result<crate::QrData, QrImageError> {
    let mut last = None;
    for text in texts {
        match crate::parse(text) {
            Ok(data) => return Ok(data),
            Err(e) => last = Some(e),
        }
    }
    Err(last.map_or(QrImageError::NoQrCode, QrImageError::NotACardQr))
}

/// Decodes every QR code found in a PNG or JPEG file. Returns the texts (usually one).
pub fn decode_image_file(path: impl AsRef<Path>) -> Result<Vec<String>, QrImageError> {
    use std::io::Read as _;
    let path = path.as_ref();
    let md = std::fs::metadata(path)?;
    if !md.is_file() {
        return Err(QrImageError::NotRegular);
    }
    let len = md.len();
    if len > MAX_IMAGE_BYTES as u64 {
        return Err(QrImageError::TooLarge {
            len,
            max: MAX_IMAGE_BYTES,
        });
    }
    let mut bytes = Vec::new();
    // Bounded even if the file grows (or was swapped) after the check.
    std::fs::File::open(path)?
        .take(MAX_IMAGE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    decode_image(&bytes)
}

/// Decodes every QR code found in a PNG or JPEG picture held in memory.
pub fn decode_image(bytes: &[u8]) -> Result<Vec<String>, QrImageError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(QrImageError::TooLarge {
            len: bytes.len() as u64,
            max: MAX_IMAGE_BYTES,
        });
    }
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| QrImageError::Picture(e.to_string()))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader
        .decode()
        .map_err(|e| QrImageError::Picture(e.to_string()))?;
    decode_gray(&picture.to_luma8())
}

/// Decodes every QR code in a greyscale picture (retrying with preprocessing).
pub fn decode_gray(picture: &GrayImage) -> Result<Vec<String>, QrImageError> {
    let (w, h) = picture.dimensions();
    if w == 0 || h == 0 {
        return Err(QrImageError::EmptyPicture);
    }
    let working = if w.max(h) > WORKING_SIDE {
        let (nw, nh) = fit(w, h, WORKING_SIDE);
        imageops::thumbnail(picture, nw, nh)
    } else {
        picture.clone()
    };
    if let Some(found) = try_decode(&working) {
        return Ok(found);
    }
    let stretched = stretch_contrast(&working);
    let (w, h) = stretched.dimensions();
    let attempts: [&dyn Fn() -> Option<GrayImage>; 5] = [
        &|| Some(stretched.clone()),
        &|| Some(otsu_threshold(&stretched)),
        &|| Some(otsu_threshold(&imageops::fast_blur(&stretched, 1.0))),
        &|| {
            (w.min(h) >= 100)
                .then(|| imageops::resize(&stretched, w / 2, h / 2, FilterType::Triangle))
        },
        &|| {
            (w.max(h) < SMALL_SIDE)
                .then(|| imageops::resize(&stretched, w * 2, h * 2, FilterType::Triangle))
        },
    ];
    attempts
        .iter()
        .filter_map(|make| make())
        .find_map(|candidate| try_decode(&candidate))
        .ok_or(QrImageError::NoQrCode)
}

#[allow(clippy::cast_sign_loss)] // Both factors are positive.
fn fit(w: u32, h: u32, side: u32) -> (u32, u32) {
    let scale = f64::from(side) / f64::from(w.max(h));
    let scaled = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
    (scaled(w), scaled(h))
}

/// One decoding pass. rxing is a large port with internal indexing; a panic inside it must
/// not take the caller down, so it is contained here and counted as "nothing found".
fn try_decode(picture: &GrayImage) -> Option<Vec<String>> {
    let (w, h) = picture.dimensions();
    let luma = picture.as_raw().clone();
    let mut hints = DecodeHints {
        TryHarder: Some(true),
        CharacterSet: Some("UTF-8".to_owned()),
        PossibleFormats: Some([BarcodeFormat::QR_CODE].into_iter().collect()),
        ..DecodeHints::default()
    };
    let found = catch_unwind(AssertUnwindSafe(|| {
        rxing::helpers::detect_multiple_in_luma_with_hints(luma, w, h, &mut hints)
    }))
    .ok()?
    .ok()?;
    let texts: Vec<String> = found
        .iter()
        .filter(|r| *r.getBarcodeFormat() == BarcodeFormat::QR_CODE)
        .map(|r| r.getText().to_owned())
        .collect();
    (!texts.is_empty()).then_some(texts)
}

/// Maps the 1st..99th percentile of grey levels onto 0..255 (low-contrast photos).
fn stretch_contrast(picture: &GrayImage) -> GrayImage {
    let histogram = histogram(picture);
    let total: u64 = histogram.iter().sum();
    let cut = total / 100;
    let percentile = |levels: &[usize]| {
        let mut seen = 0u64;
        levels
            .iter()
            .copied()
            .find(|&level| {
                seen += histogram.get(level).copied().unwrap_or(0);
                seen > cut
            })
            .unwrap_or(0)
    };
    let ascending: Vec<usize> = (0..256).collect();
    let descending: Vec<usize> = (0..256).rev().collect();
    let low = percentile(&ascending);
    let high = percentile(&descending);
    if high <= low {
        return picture.clone();
    }
    // Grey levels are below 256, so these conversions cannot fail.
    let low = i32::try_from(low).unwrap_or(0);
    let span = i32::try_from(high).unwrap_or(255) - low;
    let mut out = picture.clone();
    for Luma([v]) in out.pixels_mut() {
        let scaled = ((i32::from(*v) - low) * 255 / span).clamp(0, 255);
        *v = u8::try_from(scaled).unwrap_or(u8::MAX);
    }
    out
}

fn histogram(picture: &GrayImage) -> [u64; 256] {
    let mut counts = [0u64; 256];
    for Luma([v]) in picture.pixels() {
        counts[usize::from(*v)] += 1;
    }
    counts
}

/// Black/white at the grey level that best separates the two classes (Otsu, 1979).
#[allow(clippy::cast_precision_loss)] // Pixel counts are below 2^53 (MAX_IMAGE_SIDE²).
fn otsu_threshold(picture: &GrayImage) -> GrayImage {
    let counts = histogram(picture);
    let total: u64 = counts.iter().sum();
    let weighted_sum: f64 = counts
        .iter()
        .enumerate()
        .map(|(level, &n)| level as f64 * n as f64)
        .sum();
    let (mut background, mut background_sum) = (0u64, 0f64);
    let (mut best_variance, mut threshold) = (0f64, 127usize);
    for (level, &n) in counts.iter().enumerate() {
        background += n;
        if background == 0 {
            continue;
        }
        let foreground = total - background;
        if foreground == 0 {
            break;
        }
        background_sum += level as f64 * n as f64;
        let mean_b = background_sum / background as f64;
        let mean_f = (weighted_sum - background_sum) / foreground as f64;
        let variance = background as f64 * foreground as f64 * (mean_b - mean_f).powi(2);
        if variance > best_variance {
            best_variance = variance;
            threshold = level;
        }
    }
    let mut out = picture.clone();
    for Luma([v]) in out.pixels_mut() {
        *v = if usize::from(*v) > threshold { 255 } else { 0 };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otsu_splits_two_levels() {
        let img = GrayImage::from_fn(10, 1, |x, _| Luma([if x < 5 { 100 } else { 140 }]));
        let out = otsu_threshold(&img);
        assert_eq!(out.get_pixel(0, 0)[0], 0);
        assert_eq!(out.get_pixel(9, 0)[0], 255);
    }

    #[test]
    fn stretch_spreads_levels() {
        let img = GrayImage::from_fn(100, 1, |x, _| Luma([if x < 50 { 120 } else { 140 }]));
        let out = stretch_contrast(&img);
        assert_eq!(out.get_pixel(0, 0)[0], 0);
        assert_eq!(out.get_pixel(99, 0)[0], 255);
    }

    #[test]
    fn garbage_bytes_are_a_picture_error() {
        assert!(matches!(
            decode_image(b"not a picture"),
            Err(QrImageError::Picture(_))
        ));
    }

    #[test]
    fn blank_picture_has_no_qr() {
        let img = GrayImage::from_pixel(200, 200, Luma([255]));
        assert!(matches!(decode_gray(&img), Err(QrImageError::NoQrCode)));
    }
}
