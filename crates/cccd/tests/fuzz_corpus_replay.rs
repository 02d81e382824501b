//! Replays every committed fuzz corpus input (`fuzz/corpus/<target>/`) through the same calls
//! as the libFuzzer targets (`fuzz/harness/cccd.rs` is shared), on stable Rust, so CI catches
//! a parser that panics again on an input the fuzzer once found or kept for coverage.

#[path = "../../../fuzz/harness/cccd.rs"]
mod harness;

use std::path::PathBuf;

/// Every input of one target's corpus; fails when the folder is missing or thinner than
/// `minimum` files (a corpus that silently vanished must not make the test pass).
fn corpus(target: &str, minimum: usize) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus folder {} missing: {e}", dir.display()));
    let mut inputs: Vec<(PathBuf, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .map(|path| {
            let bytes =
                std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            (path, bytes)
        })
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= minimum,
        "corpus {target}: {} inputs, expected at least {minimum}",
        inputs.len()
    );
    inputs
}

/// Feeds each input to `body`, naming the input that panicked.
fn replay(target: &str, minimum: usize, body: fn(&[u8])) {
    for (path, bytes) in corpus(target, minimum) {
        let outcome = std::panic::catch_unwind(|| body(&bytes));
        assert!(outcome.is_ok(), "{target}: {} panicked", path.display());
    }
}

#[test]
fn tlv() {
    replay("tlv", 20, harness::tlv);
}

#[test]
fn apdu() {
    replay("apdu", 20, harness::apdu);
}

#[test]
fn sm_unwrap() {
    replay("sm_unwrap", 20, harness::sm_unwrap);
}

#[test]
fn mrz() {
    replay("mrz", 20, harness::mrz);
}

#[test]
fn card_access() {
    replay("card_access", 20, harness::card_access);
}

#[test]
fn com() {
    replay("com", 10, harness::com);
}

#[test]
fn dg1() {
    replay("dg1", 10, harness::dg1);
}

#[test]
fn dg2() {
    replay("dg2", 10, harness::dg2);
}

#[test]
fn dg13() {
    replay("dg13", 20, harness::dg13);
}

#[test]
fn dg14() {
    replay("dg14", 20, harness::dg14);
}

#[test]
fn dg15() {
    replay("dg15", 20, harness::dg15);
}

#[test]
fn sod() {
    replay("sod", 20, harness::sod);
}

#[test]
fn certificate() {
    replay("certificate", 20, harness::certificate);
}

#[test]
fn masterlist() {
    replay("masterlist", 10, harness::masterlist);
}

#[test]
fn aa_response() {
    replay("aa_response", 10, harness::aa_response);
}

/// The `sm_unwrap` target reaches past the MAC check only if `harness::authenticated` makes
/// MACs the codec accepts: check that it does (3DES and AES), and that one flipped bit in the
/// objects is still refused.
#[test]
fn sm_authenticated_objects_verify() {
    use cccd::apdu::StatusWord;
    use cccd::crypto::{Cipher, SessionKeys};
    use cccd::sm::{SmCodec, Ssc};
    for cipher in [Cipher::TripleDes, Cipher::Aes128] {
        let keys = SessionKeys::derive(b"fuzz", cipher);
        // DO'99' status 6282 for the response; DO'97' Le 00 for the command.
        let (response, _) = harness::authenticated(&keys, &[0x99, 0x02, 0x62, 0x82]);
        let plain = SmCodec::new(keys.clone(), Ssc::zero())
            .unprotect_response(&response)
            .expect("authenticated response verifies");
        assert_eq!(plain.sw, StatusWord::from_bytes(0x62, 0x82));
        let (_, command) = harness::authenticated(&keys, &[0x97, 0x01, 0x00]);
        let plain = SmCodec::new(keys.clone(), Ssc::zero())
            .unprotect_command(&command)
            .expect("authenticated command verifies");
        assert_eq!((plain.cla, plain.ins, plain.le), (0x00, 0xB0, Some(256)));

        let (mut tampered, _) = harness::authenticated(&keys, &[0x99, 0x02, 0x62, 0x82]);
        tampered.data[3] ^= 0x01;
        assert!(
            SmCodec::new(keys, Ssc::zero())
                .unprotect_response(&tampered)
                .is_err()
        );
    }
}
