#![no_main]
use cccd::mrz::{BacKey, Mrz};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(mrz) = Mrz::parse(text) {
            let _ = mrz.checks.all_valid();
            let _ = mrz.bac_key().seed();
        }
        let _ = BacKey::from_information(text);
    }
});
