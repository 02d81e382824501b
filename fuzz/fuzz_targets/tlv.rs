#![no_main]
use cccd::tlv::Tlvs;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Walk the whole tree: every nested object is parsed, none may panic.
    fn walk(input: &[u8], depth: u32) {
        for tlv in Tlvs::new(input).flatten() {
            if depth < 16 && tlv.tag().is_constructed() {
                walk(tlv.value(), depth + 1);
            }
        }
    }
    walk(data, 0);
    let _ = cccd::tlv::parse_header(data);
});
