#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cccd::lds::security_infos::Dg14::parse(data);
    let _ =
        cccd::lds::security_infos::SecurityInfos::parse_set(data, cccd::lds::FileId::CardAccess);
    let _ = cccd::lds::security_infos::CardSecurity::parse(data);
});
