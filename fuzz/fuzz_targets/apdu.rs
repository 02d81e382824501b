#![no_main]
use cccd::apdu::{Command, Response};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = Command::parse(data) {
        // Whatever parses must encode and parse back to the same command.
        let again = c.to_bytes().ok().and_then(|b| Command::parse(&b).ok());
        assert_eq!(again.as_ref(), Some(&c));
    }
    let _ = Response::parse(data);
});
