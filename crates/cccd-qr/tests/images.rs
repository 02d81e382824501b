//! Reading QR codes from pictures: QR codes are generated with the `qrcode` crate from a
//! persona's text, then damaged the way phone photos are (rotation, scale, blur, noise, low
//! contrast, uneven light, JPEG), and must decode back to exactly the original text.
#![cfg(feature = "image")]
// Synthesising test pictures converts between small pixel coordinates and floats.
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

mod common;

use cccd_qr::{QrImageError, decode_gray, decode_image, decode_image_file, parse};
use image::imageops::{self, FilterType};
use image::{GrayImage, Luma};

fn qr_text() -> String {
    common::HA.qr_2021()
}

/// A clean QR picture, `module` pixels per module, with the standard quiet zone.
fn render(text: &str, module: u32) -> GrayImage {
    qrcode::QrCode::new(text.as_bytes())
        .expect("the sample fits a QR code")
        .render::<Luma<u8>>()
        .module_dimensions(module, module)
        .quiet_zone(true)
        .build()
}

fn base() -> GrayImage {
    render(&qr_text(), 6)
}

fn assert_decodes(picture: &GrayImage, what: &str) {
    let texts = decode_gray(picture).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(texts, [qr_text()], "{what}");
}

/// Rotation by an arbitrary angle with bilinear resampling onto a white canvas.
fn rotate(picture: &GrayImage, degrees: f32) -> GrayImage {
    let (w, h) = picture.dimensions();
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (wf, hf) = (w as f32, h as f32);
    let nw = (wf * cos.abs() + hf * sin.abs()).ceil() as u32;
    let nh = (wf * sin.abs() + hf * cos.abs()).ceil() as u32;
    let sample = |x: f32, y: f32| -> f32 {
        if x < 0.0 || y < 0.0 || x >= wf - 1.0 || y >= hf - 1.0 {
            return 255.0;
        }
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let p = |dx: u32, dy: u32| f32::from(picture.get_pixel(x0 as u32 + dx, y0 as u32 + dy)[0]);
        (p(0, 0) * (1.0 - fx) + p(1, 0) * fx) * (1.0 - fy)
            + (p(0, 1) * (1.0 - fx) + p(1, 1) * fx) * fy
    };
    GrayImage::from_fn(nw, nh, |x, y| {
        let dx = x as f32 - nw as f32 / 2.0;
        let dy = y as f32 - nh as f32 / 2.0;
        let sx = cos * dx + sin * dy + wf / 2.0;
        let sy = -sin * dx + cos * dy + hf / 2.0;
        Luma([sample(sx, sy).round() as u8])
    })
}

/// Maps 0..255 onto `low..high`.
fn low_contrast(picture: &GrayImage, low: u8, high: u8) -> GrayImage {
    let mut out = picture.clone();
    for Luma([v]) in out.pixels_mut() {
        *v = (u32::from(low) + u32::from(*v) * u32::from(high - low) / 255) as u8;
    }
    out
}

/// Adds uniform noise of ±`amplitude` from a fixed-seed LCG (reproducible).
fn noise(picture: &GrayImage, amplitude: i32) -> GrayImage {
    let mut state: u32 = 0x1234_5678;
    let mut out = picture.clone();
    for Luma([v]) in out.pixels_mut() {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let n = ((state >> 16) as i32 % (2 * amplitude + 1)) - amplitude;
        *v = (i32::from(*v) + n).clamp(0, 255) as u8;
    }
    out
}

/// Light that falls off from left to right (dark edge at 25% brightness).
fn gradient_light(picture: &GrayImage) -> GrayImage {
    let w = picture.width();
    let mut out = picture.clone();
    for (x, _, Luma([v])) in out.enumerate_pixels_mut() {
        let gain = 64 + 191 * (w - x) / w;
        *v = (u32::from(*v) * gain / 255) as u8;
    }
    out
}

/// Pads the picture onto a larger grey "card" background, off centre.
fn on_background(picture: &GrayImage) -> GrayImage {
    let mut canvas =
        GrayImage::from_pixel(picture.width() * 2, picture.height() * 3 / 2, Luma([200]));
    imageops::overlay(&mut canvas, picture, i64::from(picture.width() / 3), 20);
    canvas
}

#[test]
fn clean() {
    assert_decodes(&base(), "clean");
}

#[test]
fn rotated_quarter_turns() {
    let b = base();
    assert_decodes(&imageops::rotate90(&b), "90°");
    assert_decodes(&imageops::rotate180(&b), "180°");
    assert_decodes(&imageops::rotate270(&b), "270°");
}

#[test]
fn rotated_arbitrary_angles() {
    let b = base();
    for degrees in [4.0, 11.0, 17.0, 33.0, 45.0, -8.0] {
        assert_decodes(&rotate(&b, degrees), &format!("{degrees}°"));
    }
}

#[test]
fn scaled_down_and_up() {
    let b = base();
    let (w, h) = b.dimensions();
    assert_decodes(
        &imageops::resize(&b, w / 2, h / 2, FilterType::Triangle),
        "×0.5",
    );
    assert_decodes(
        &imageops::resize(&b, w * 2 / 5, h * 2 / 5, FilterType::Triangle),
        "×0.4",
    );
    assert_decodes(
        &imageops::resize(&b, w * 5 / 2, h * 5 / 2, FilterType::Triangle),
        "×2.5",
    );
    assert_decodes(
        &imageops::resize(&b, w * 3 / 4, h, FilterType::Triangle),
        "anisotropic ×0.75",
    );
}

#[test]
fn very_large_picture_is_scaled_down_and_decoded() {
    let big = render(&qr_text(), 40);
    assert!(big.width() > 2048);
    assert_decodes(&big, "large");
}

#[test]
fn slightly_blurred() {
    let b = base();
    assert_decodes(&imageops::blur(&b, 1.0), "blur σ1");
    assert_decodes(&imageops::blur(&b, 2.0), "blur σ2");
}

#[test]
fn blurred_by_half_a_module() {
    // σ = 3 px on 6 px modules; σ = 4 px no longer decodes (a known limit).
    assert_decodes(&imageops::blur(&base(), 2.5), "blur σ2.5");
    assert_decodes(&imageops::blur(&base(), 3.0), "blur σ3");
}

#[test]
fn noisy() {
    assert_decodes(&noise(&base(), 30), "noise ±30");
    assert_decodes(&noise(&base(), 60), "noise ±60");
    assert_decodes(&noise(&base(), 90), "noise ±90");
}

#[test]
fn low_contrast_needs_and_gets_stretching() {
    assert_decodes(&low_contrast(&base(), 100, 160), "100..160");
    assert_decodes(&low_contrast(&base(), 125, 140), "125..140");
    assert_decodes(&low_contrast(&base(), 128, 136), "128..136");
}

#[test]
fn uneven_light() {
    assert_decodes(&gradient_light(&base()), "gradient");
}

#[test]
fn combined_photo_damage() {
    let b = base();
    let photo = noise(
        &low_contrast(&imageops::blur(&rotate(&b, 12.0), 1.5), 90, 170),
        15,
    );
    assert_decodes(&photo, "rotate+blur+contrast+noise");
    assert_decodes(&on_background(&rotate(&b, 21.0)), "on a card background");
    let (w, h) = b.dimensions();
    let small = imageops::resize(&b, w * 6 / 10, h * 6 / 10, FilterType::Triangle);
    let photo = noise(
        &low_contrast(&imageops::blur(&rotate(&small, 23.0), 1.0), 100, 160),
        20,
    );
    assert_decodes(&photo, "scale+rotate+blur+contrast+noise");
    assert_decodes(
        &noise(&imageops::blur(&rotate(&b, 33.0), 2.5), 40),
        "rotate+heavy blur+noise",
    );
}

#[test]
fn small_qr_in_a_large_photo() {
    // A 4000×3000 "photo" with the QR in a corner: scaled to the working size first.
    let mut photo = noise(&GrayImage::from_pixel(4000, 3000, Luma([190])), 20);
    imageops::overlay(
        &mut photo,
        &rotate(&render(&qr_text(), 12), 8.0),
        1500,
        1000,
    );
    assert_decodes(&photo, "4000×3000 photo");
}

#[test]
fn png_and_jpeg_files() {
    let dir = std::env::temp_dir().join(format!("cccd-qr-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let picture = rotate(&base(), 9.0);
    let png = dir.join("card.png");
    let jpeg = dir.join("card.jpg");
    picture.save(&png).unwrap();
    picture.save(&jpeg).unwrap();
    let from_png = decode_image_file(&png);
    let from_jpeg = decode_image_file(&jpeg);
    let from_bytes = decode_image(&std::fs::read(&jpeg).unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(from_png.unwrap(), [qr_text()]);
    assert_eq!(from_jpeg.unwrap(), [qr_text()]);
    assert_eq!(from_bytes.unwrap(), [qr_text()]);
}

#[test]
fn decoded_text_parses() {
    let texts = decode_gray(&rotate(&base(), 30.0)).unwrap();
    let data = parse(&texts[0]).unwrap();
    assert_eq!(data.full_name(), "Nguyễn Thị Thu Hà");
}

#[test]
fn color_picture_is_read() {
    let rgb = image::DynamicImage::ImageLuma8(base()).to_rgb8();
    let mut tinted = rgb.clone();
    for image::Rgb([r, g, b]) in tinted.pixels_mut() {
        *b = b.saturating_sub(60);
        *r = r.saturating_add(0);
        *g = g.saturating_sub(20);
    }
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(tinted)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    assert_eq!(decode_image(&bytes).unwrap(), [qr_text()]);
}

#[test]
fn no_qr_in_a_photo_without_one() {
    let picture = noise(&GrayImage::from_pixel(300, 200, Luma([128])), 40);
    assert!(matches!(decode_gray(&picture), Err(QrImageError::NoQrCode)));
}

#[test]
fn empty_picture() {
    assert!(matches!(
        decode_gray(&GrayImage::new(0, 0)),
        Err(QrImageError::EmptyPicture)
    ));
}

#[test]
fn not_a_picture() {
    assert!(matches!(
        decode_image(b"\x89PNG\r\n\x1a\nbroken"),
        Err(QrImageError::Picture(_))
    ));
    assert!(matches!(decode_image(b""), Err(QrImageError::Picture(_))));
}

#[test]
fn oversize_file_is_refused_before_decoding() {
    let bytes = vec![0u8; cccd_qr::MAX_IMAGE_BYTES + 1];
    assert!(matches!(
        decode_image(&bytes),
        Err(QrImageError::TooLarge { len, .. }) if len == (cccd_qr::MAX_IMAGE_BYTES + 1) as u64
    ));
}

#[test]
fn missing_file_is_io_error() {
    assert!(matches!(
        decode_image_file("/nonexistent/cccd-qr/card.png"),
        Err(QrImageError::Io(_))
    ));
}

#[test]
fn picture_dimensions_over_the_limit_are_refused() {
    // A genuine, tiny PNG of 12001×1 pixels: refused by the decoder's size limit.
    let mut bytes = Vec::new();
    image::DynamicImage::ImageLuma8(GrayImage::new(cccd_qr::MAX_IMAGE_SIDE + 1, 1))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    assert!(bytes.len() < 1000);
    assert!(matches!(
        decode_image(&bytes),
        Err(QrImageError::Picture(_))
    ));
    // The same at the limit is accepted (and holds no QR code).
    let mut bytes = Vec::new();
    image::DynamicImage::ImageLuma8(GrayImage::from_pixel(
        cccd_qr::MAX_IMAGE_SIDE,
        1,
        Luma([255]),
    ))
    .write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .unwrap();
    assert!(matches!(decode_image(&bytes), Err(QrImageError::NoQrCode)));
}
