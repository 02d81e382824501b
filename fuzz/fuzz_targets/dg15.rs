#![no_main]
//! libFuzzer entry for `harness::dg15` (see fuzz/harness/cccd.rs, also replayed by
//! crates/cccd/tests/fuzz_corpus_replay.rs).
use libfuzzer_sys::fuzz_target;

#[path = "../harness/cccd.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::dg15(data));
