//! Replays every committed `qr_parse` fuzz corpus input (`fuzz/corpus/qr_parse/`) through the
//! same calls as the libFuzzer target (`fuzz/harness/qr.rs` is shared), on stable Rust.

#[path = "../../../fuzz/harness/qr.rs"]
mod harness;

use std::path::PathBuf;

#[test]
fn qr_parse() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/qr_parse");
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus folder {} missing: {e}", dir.display()));
    let mut count = 0usize;
    for path in entries.filter_map(Result::ok).map(|entry| entry.path()) {
        let bytes =
            std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let outcome = std::panic::catch_unwind(|| harness::qr_parse(&bytes));
        assert!(outcome.is_ok(), "qr_parse: {} panicked", path.display());
        count += 1;
    }
    // A corpus that silently vanished must not make the test pass.
    assert!(
        count >= 20,
        "corpus qr_parse: {count} inputs, expected at least 20"
    );
}
