//! `include/cccd.h` is what cbindgen generates from the current source: a change to the ABI
//! without regenerating the header fails here. Regenerate with
//! `CCCD_UPDATE_HEADER=1 cargo test -p cccd-c --test header`.

use std::path::Path;

#[test]
fn committed_header_is_up_to_date() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut generated);
    let generated = String::from_utf8(generated).expect("UTF-8 header");
    let path = crate_dir.join("include/cccd.h");
    if std::env::var_os("CCCD_UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).expect("write include/cccd.h");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is not what cbindgen generates from the source; regenerate it with \
         CCCD_UPDATE_HEADER=1 cargo test -p cccd-c --test header",
        path.display()
    );
    for symbol in [
        "cccd_trust_new",
        "cccd_verify_dir",
        "cccd_verify_files",
        "cccd_report_json",
        "cccd_string_free",
        "cccd_read_card",
        "cccd_last_error",
    ] {
        assert!(
            generated.contains(symbol),
            "{symbol} missing from the header"
        );
    }
}
