//! Fuzz EF.CardAccess / DG14 SecurityInfos parsing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(infos) = cccd::access::security_infos::SecurityInfos::parse(data) {
        let _ = infos.preferred_pace().map(|p| p.curve());
        for key in infos.chip_authentication_public_keys() {
            let _ = key.ec_public_key();
        }
    }
});
