//! cccd-qr speed: parsing a typical CCCD QR text, and decoding a QR photo.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use cccd_qr::image_crate::{GrayImage, Luma, imageops};
use criterion::{Criterion, criterion_group, criterion_main};

/// An invented but typical 2021 QR text (Vietnamese diacritics, commas in the address).
const TYPICAL: &str = "079085001234|025123456|Trần Văn Đức|17081985|Nam|123 Đường Lê Lợi, Phường Bến Thành, Quận 1, Thành phố Hồ Chí Minh|10062021";

fn parse_text(c: &mut Criterion) {
    c.bench_function("qr/parse typical 2021 text", |b| {
        b.iter(|| cccd_qr::parse(black_box(TYPICAL)));
    });
    let mojibake: String = TYPICAL.bytes().map(char::from).collect();
    c.bench_function("qr/parse mojibake text", |b| {
        b.iter(|| cccd_qr::parse(black_box(&mojibake)));
    });
    c.bench_function("qr/parse_bytes garbage", |b| {
        let garbage: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        b.iter(|| cccd_qr::parse_bytes(black_box(&garbage)));
    });
}

fn decode_picture(c: &mut Criterion) {
    let Ok(code) = qrcode::QrCode::new(TYPICAL.as_bytes()) else {
        return;
    };
    let clean: GrayImage = code
        .render::<Luma<u8>>()
        .module_dimensions(6, 6)
        .quiet_zone(true)
        .build();
    let mut group = c.benchmark_group("qr/decode");
    group.sample_size(20);
    group.bench_function("clean 6px modules", |b| {
        b.iter(|| cccd_qr::decode_gray(black_box(&clean)));
    });
    // Low contrast fails the first pass and needs the contrast-stretch retry.
    let mut faint = clean.clone();
    for Luma([v]) in faint.pixels_mut() {
        *v = 125 + *v / 17;
    }
    group.bench_function("low contrast (retry path)", |b| {
        b.iter(|| cccd_qr::decode_gray(black_box(&faint)));
    });
    let blurred = imageops::blur(&clean, 1.5);
    group.bench_function("blurred", |b| {
        b.iter(|| cccd_qr::decode_gray(black_box(&blurred)));
    });
    group.finish();
}

criterion_group!(benches, parse_text, decode_picture);
criterion_main!(benches);
