#![no_main]
//! ICAO CSCA master lists (CMS SignedData) from untrusted bytes.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut store = cccd::trust::TrustStore::new();
    let _ = store.load_master_list(data, "fuzz");
    let _ = cccd::trust::cms::parse_signed_data(data);
});
