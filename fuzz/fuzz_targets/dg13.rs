#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(dg) = cccd::lds::dg13::Dg13::parse(data) {
        // A parsed DG13 must re-encode and parse again.
        let _ = cccd::lds::dg13::Dg13::parse(&dg.encode());
    }
});
