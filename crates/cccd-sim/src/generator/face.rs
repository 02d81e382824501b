//! A synthetic face picture, drawn from simple shapes (not a photograph of anyone), and its
//! JPEG and JPEG 2000 encodings for DG2.
//!
//! The picture is 240 x 320 (the ICAO 3:4 portrait shape) with a light background, shoulders,
//! an oval head, hair, eyes, brows, a nose and a mouth. A little seeded noise is added so the
//! encoded size (15-20 KB) resembles the photos on real cards rather than a flat drawing.
//! JPEG is written by the `image` crate; JPEG 2000 by `opj_compress` (OpenJPEG's command-line
//! encoder, Debian package `libopenjp2-tools`), because no pure-Rust JPEG 2000 encoder exists.

use super::GenError;
use super::keys::rng_for;
use image::{ImageEncoder, Rgb, RgbImage};
use rand_core::Rng;
use std::path::Path;
use std::process::Command;

/// Picture width in pixels.
pub const WIDTH: u16 = 240;
/// Picture height in pixels.
pub const HEIGHT: u16 = 320;

/// Inside the ellipse centred at (cx, cy) with half-axes (rx, ry)?
fn in_ellipse(x: f32, y: f32, cx: f32, cy: f32, rx: f32, ry: f32) -> bool {
    let dx = (x - cx) / rx;
    let dy = (y - cy) / ry;
    dx * dx + dy * dy <= 1.0
}

/// Draw the face for `label` (skin, hair and shirt tones vary with the seed).
pub fn draw(seed: u64, label: &str, long_hair: bool) -> RgbImage {
    let mut rng = rng_for(seed, &format!("face/{label}"));
    let mut pick = |n: u32| rng.next_u32() % n;
    let skin_tones = [
        [234, 196, 160],
        [224, 182, 146],
        [214, 170, 132],
        [240, 205, 175],
    ];
    let skin = skin_tones[pick(4) as usize];
    let hair_shade = 20 + pick(25) as u8;
    let hair = [
        hair_shade,
        hair_shade.saturating_sub(6),
        hair_shade.saturating_sub(10),
    ];
    let shirts = [[245, 245, 245], [60, 80, 130], [40, 40, 45], [120, 30, 40]];
    let shirt = shirts[pick(4) as usize];
    let mut noise = rng_for(seed, &format!("face-noise/{label}"));

    let cx = f32::from(WIDTH) / 2.0;
    RgbImage::from_fn(u32::from(WIDTH), u32::from(HEIGHT), |px, py| {
        let (x, y) = (f32::from(px as u16) + 0.5, f32::from(py as u16) + 0.5);
        // Background: a soft vertical gradient, like a studio backdrop.
        let shade = (py * 20 / u32::from(HEIGHT)) as u8;
        let mut colour = [236 - shade, 240 - shade * 4 / 5, 248 - shade / 2];
        let head = in_ellipse(x, y, cx, 140.0, 62.0, 82.0);
        let hair_top = in_ellipse(x, y, cx, 118.0, 70.0, 72.0) && y < 120.0;
        let hair_long = long_hair && in_ellipse(x, y, cx, 170.0, 76.0, 100.0) && !head;
        if in_ellipse(x, y, cx, 345.0, 120.0, 80.0) {
            colour = shirt;
        }
        if (cx - x).abs() < 24.0 && (200.0..265.0).contains(&y) {
            colour = [skin[0] - 18, skin[1] - 18, skin[2] - 16]; // neck, a little shaded
        }
        if hair_long {
            colour = hair;
        }
        if head {
            colour = skin;
        }
        if hair_top {
            colour = hair;
        }
        // Eyes: whites, irises; brows above them.
        for ex in [cx - 24.0, cx + 24.0] {
            if in_ellipse(x, y, ex, 138.0, 12.0, 6.0) {
                colour = [250, 250, 250];
            }
            if in_ellipse(x, y, ex, 138.0, 5.0, 5.0) {
                colour = [50, 35, 25];
            }
            if in_ellipse(x, y, ex, 124.0, 15.0, 3.0) {
                colour = hair;
            }
        }
        // Nose: a short shaded line; mouth: a flat red ellipse.
        if (x - cx).abs() < 2.0 && (145.0..172.0).contains(&y) {
            colour = [skin[0] - 40, skin[1] - 40, skin[2] - 35];
        }
        if in_ellipse(x, y, cx, 188.0, 20.0, 5.0) {
            colour = [180, 80, 80];
        }
        let grain = (noise.next_u32() % 9) as i16 - 4;
        Rgb(colour.map(|v| u8::try_from((i16::from(v) + grain).clamp(0, 255)).unwrap_or(0)))
    })
}

/// Encode as baseline JPEG (JFIF) at `quality`.
pub fn jpeg(img: &RgbImage, quality: u8) -> Result<Vec<u8>, GenError> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|e| GenError::Data(format!("JPEG encoding: {e}")))?;
    Ok(out)
}

/// Encode as JPEG 2000 (JP2 file format) with `opj_compress -r ratio`, working in `work`.
pub fn jpeg2000(img: &RgbImage, ratio: u32, work: &Path) -> Result<Vec<u8>, GenError> {
    std::fs::create_dir_all(work).map_err(|e| GenError::io(work, &e))?;
    let ppm = work.join("face.ppm");
    let jp2 = work.join("face.jp2");
    // PPM (P6) is the one input format every opj_compress build reads.
    let mut bytes = format!("P6\n{} {}\n255\n", img.width(), img.height()).into_bytes();
    bytes.extend_from_slice(img.as_raw());
    std::fs::write(&ppm, &bytes).map_err(|e| GenError::io(&ppm, &e))?;
    let _ = std::fs::remove_file(&jp2);
    let status = Command::new("opj_compress")
        .arg("-i")
        .arg(&ppm)
        .arg("-o")
        .arg(&jp2)
        .arg("-r")
        .arg(ratio.to_string())
        .output()
        .map_err(|e| {
            GenError::Data(format!(
                "opj_compress could not be run ({e}); install libopenjp2-tools"
            ))
        })?;
    if !status.status.success() {
        return Err(GenError::Data(format!(
            "opj_compress failed: {}",
            String::from_utf8_lossy(&status.stderr)
        )));
    }
    let out = std::fs::read(&jp2).map_err(|e| GenError::io(&jp2, &e))?;
    let _ = std::fs::remove_file(&ppm);
    let _ = std::fs::remove_file(&jp2);
    Ok(out)
}
