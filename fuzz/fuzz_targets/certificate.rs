#![no_main]
//! libFuzzer entry for `harness::certificate` (see fuzz/harness/cccd.rs, also replayed by
//! crates/cccd/tests/fuzz_corpus_replay.rs).
use libfuzzer_sys::fuzz_target;

#[path = "../harness/cccd.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::certificate(data));
