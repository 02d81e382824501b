#![no_main]
//! Active Authentication verification on arbitrary bytes: a DG15 (when the prefix parses as
//! one) with an arbitrary INTERNAL AUTHENTICATE response. Nothing may panic.
use cccd::auth::active::verify_aa;
use cccd::lds::dg15::Dg15;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((&n, rest)) = data.split_first() {
        let split = (usize::from(n) * 2).min(rest.len());
        let (dg15, response) = rest.split_at(split);
        if let Ok(dg15) = Dg15::parse(dg15) {
            let _ = verify_aa(&dg15, None, &[0x5A; 8], response);
        }
    }
});
