//! The body of the `cccd-qr` fuzz target, shared by `fuzz/fuzz_targets/qr_parse.rs` and the
//! corpus replay test `crates/cccd-qr/tests/fuzz_corpus_replay.rs`.

/// QR text from arbitrary bytes (the parser also tries UTF-16 and Windows-1252), and as text.
pub fn qr_parse(data: &[u8]) {
    let _ = cccd_qr::parse_bytes(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = cccd_qr::parse(text);
    }
}
