#![no_main]
//! Feeds arbitrary bytes to the QR text parser (which also tries UTF-16 and Windows-1252).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cccd_qr::parse_bytes(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = cccd_qr::parse(text);
    }
});
