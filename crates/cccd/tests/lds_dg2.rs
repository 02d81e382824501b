//! DG2: CBEFF + ISO/IEC 19794-5 face records, round trips, broken input, and (feature `face`)
//! conversion of JPEG and JPEG 2000 faces to PNG.
//!
//! The JPEG 2000 fixtures `tests/fixtures/lds/face.jp2` / `face.j2k` were made by OpenJPEG's
//! `opj_compress -n 2` (Debian libopenjp2-tools, lossless default) from a 24x32 PPM whose pixel
//! (x, y) is (10x, 8y, 128).

#![allow(clippy::unwrap_used, clippy::match_wildcard_for_single_variants)] // tests: a panic is a failure

use cccd::lds::dg2::{Dg2, FaceImage, FaceRecord, ImageFormat};
use cccd::lds::{DataGroup, FileId, LdsError};
use proptest::prelude::*;

const JP2: &[u8] = include_bytes!("fixtures/lds/face.jp2");
const J2K: &[u8] = include_bytes!("fixtures/lds/face.j2k");

fn sample() -> Dg2 {
    let mut img = FaceImage::new(vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], 480, 640);
    img.gender = 1;
    img.feature_points = vec![[1, 2, 3, 4, 5, 6, 7, 8]];
    Dg2::with_image(img)
}

#[test]
fn layout_matches_icao_9303_10() {
    let bytes = sample().encode();
    // 75 { 7F61 { 02 01 01, 7F60 { A1 {...}, 5F2E { FAC\0 010\0 ... } } } }
    assert_eq!(bytes[0], 0x75);
    let pos = bytes.windows(4).position(|w| w == b"FAC\0").unwrap();
    assert_eq!(&bytes[pos - 3..pos], &[0x5F, 0x2E, 61]);
    assert_eq!(&bytes[pos + 4..pos + 8], b"010\0");
    // Record length (4 bytes) = 14 general + 20 face header + 8 feature point + 12 image info + 7.
    let len = u32::from_be_bytes(bytes[pos + 8..pos + 12].try_into().unwrap());
    assert_eq!(len, 14 + 20 + 8 + 12 + 7);
    let dg = Dg2::parse(&bytes).unwrap();
    let img = dg.first_image().unwrap();
    assert_eq!(img.format(), ImageFormat::Jpeg);
    assert_eq!((img.width, img.height, img.gender), (480, 640, 1));
    assert_eq!(dg, sample());
}

#[test]
fn detects_formats_by_signature() {
    assert_eq!(ImageFormat::detect(JP2), ImageFormat::Jpeg2000);
    assert_eq!(ImageFormat::detect(J2K), ImageFormat::Jpeg2000Codestream);
    assert_eq!(
        ImageFormat::detect(&[0xFF, 0xD8, 0xFF, 0xDB]),
        ImageFormat::Jpeg
    );
    assert_eq!(ImageFormat::detect(b"GIF89a"), ImageFormat::Unknown);
    assert_eq!(FaceImage::new(JP2.to_vec(), 24, 32).image_data_type, 1);
}

fn offset_of(e: LdsError) -> usize {
    match e {
        LdsError::Malformed { file, offset, .. } => {
            assert_eq!(file, FileId::Dg(DataGroup::Dg2));
            offset
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn rejects_broken_input_with_offsets() {
    let bytes = sample().encode();
    for cut in [0, 1, 5, 20, bytes.len() - 1] {
        let _ = offset_of(Dg2::parse(&bytes[..cut]).unwrap_err());
    }
    let mut wrong = bytes.clone();
    wrong[0] = 0x76;
    assert_eq!(offset_of(Dg2::parse(&wrong).unwrap_err()), 0);
    // Record length field one larger than the data block: reported at the length field.
    let pos = bytes.windows(4).position(|w| w == b"FAC\0").unwrap();
    let mut bad = bytes.clone();
    bad[pos + 11] += 1;
    assert_eq!(offset_of(Dg2::parse(&bad).unwrap_err()), pos + 8);
    // A face length claiming more image bytes than exist.
    let mut bad = bytes.clone();
    bad[pos + 14 + 3] += 1;
    assert!(offset_of(Dg2::parse(&bad).unwrap_err()) >= pos);
    // Template count that disagrees.
    let mut bad = bytes.clone();
    let c = bad
        .windows(3)
        .position(|w| w == [0x02, 0x01, 0x01])
        .unwrap();
    bad[c + 2] = 2;
    assert_eq!(offset_of(Dg2::parse(&bad).unwrap_err()), c);
}

proptest! {
    #[test]
    fn roundtrip(
        image in proptest::collection::vec(any::<u8>(), 0..300),
        w in any::<u16>(), h in any::<u16>(),
        points in proptest::collection::vec(any::<[u8; 8]>(), 0..4),
        faces in 1usize..3,
        quality in any::<u16>(),
    ) {
        let mut img = FaceImage::new(image, w, h);
        img.feature_points = points;
        img.quality = quality;
        let mut dg = Dg2::with_image(img.clone());
        dg.templates[0].record = FaceRecord::new(vec![img; faces]);
        let bytes = dg.encode();
        let back = Dg2::parse(&bytes).unwrap();
        prop_assert_eq!(&back, &dg);
        prop_assert_eq!(back.encode(), bytes);
    }

    #[test]
    fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Dg2::parse(&data);
    }
}

#[cfg(feature = "face")]
mod face {
    use super::*;
    use image::{ImageEncoder, RgbImage};

    fn decode_png(png: &[u8]) -> RgbImage {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        image::load_from_memory_with_format(png, image::ImageFormat::Png)
            .unwrap()
            .to_rgb8()
    }

    #[test]
    fn jpeg_face_to_png() {
        let src = RgbImage::from_fn(40, 50, |x, y| {
            image::Rgb([(x * 5) as u8, (y * 4) as u8, 90])
        });
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95)
            .write_image(src.as_raw(), 40, 50, image::ExtendedColorType::Rgb8)
            .unwrap();
        let dg = Dg2::with_image(FaceImage::new(jpeg.clone(), 40, 50));
        let back = Dg2::parse(&dg.encode()).unwrap();
        let img = back.first_image().unwrap();
        assert_eq!(img.image, jpeg, "image bytes are kept as they are");
        let png = decode_png(&img.to_png().unwrap());
        assert_eq!(png.dimensions(), (40, 50));
        let p = png.get_pixel(20, 25);
        assert!(
            (i32::from(p[0]) - 100).abs() < 12 && (i32::from(p[1]) - 100).abs() < 12,
            "{p:?}"
        );
    }

    #[test]
    fn jpeg2000_faces_to_png() {
        for bytes in [JP2, J2K] {
            let dg = Dg2::with_image(FaceImage::new(bytes.to_vec(), 24, 32));
            let back = Dg2::parse(&dg.encode()).unwrap();
            let png = decode_png(&back.first_image().unwrap().to_png().unwrap());
            assert_eq!(png.dimensions(), (24, 32));
            // Lossless: exact pixels.
            assert_eq!(png.get_pixel(0, 0).0, [0, 0, 128]);
            assert_eq!(png.get_pixel(23, 31).0, [230, 248, 128]);
            assert_eq!(png.get_pixel(5, 7).0, [50, 56, 128]);
        }
    }

    #[test]
    fn garbage_image_is_an_error_not_a_panic() {
        let img = FaceImage::new(vec![0xFF, 0xD8, 0xFF, 0x00, 0x01], 1, 1);
        assert!(img.to_png().is_err());
        let mut j2k = J2K.to_vec();
        j2k.truncate(40);
        assert!(FaceImage::new(j2k, 24, 32).to_png().is_err());
        assert!(FaceImage::new(b"GIF89a".to_vec(), 1, 1).to_png().is_err());
    }
}
