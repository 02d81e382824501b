#![no_main]
use cccd::apdu::{Command, Response};
use cccd::crypto::{Cipher, SessionKeys};
use cccd::sm::{SmCodec, Ssc};
use libfuzzer_sys::fuzz_target;

// Feed arbitrary bytes to both unprotect paths (reader: response; chip: command), with 3DES
// and AES sessions. Nothing may panic; nothing unauthenticated may be accepted.
fuzz_target!(|data: &[u8]| {
    for cipher in [Cipher::TripleDes, Cipher::Aes128] {
        let keys = SessionKeys::derive(b"fuzz", cipher);
        let mut reader = SmCodec::new(keys.clone(), Ssc::zero());
        if let Ok(response) = Response::parse(data) {
            assert!(reader.unprotect_response(&response).is_err() || response.data.len() >= 10);
        }
        let mut chip = SmCodec::new(keys, Ssc::zero());
        if let Ok(command) = Command::parse(data) {
            let _ = chip.unprotect_command(&command);
        }
    }
});
