#![no_main]
//! libFuzzer entry for `harness::qr_parse` (see fuzz/harness/qr.rs, also replayed by
//! crates/cccd-qr/tests/fuzz_corpus_replay.rs).
use libfuzzer_sys::fuzz_target;

#[path = "../harness/qr.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::qr_parse(data));
