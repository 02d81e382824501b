//! Unit tests of the SM codec: reader and chip side against each other, both ciphers.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::crypto::Cipher;

fn pair(cipher: Cipher) -> (SmCodec, SmCodec) {
    let keys = SessionKeys::derive(b"shared secret for a unit test", cipher);
    let ssc = Ssc::from_bytes(&[0xFF; 16]);
    (SmCodec::new(keys.clone(), ssc), SmCodec::new(keys, ssc))
}

#[test]
fn ssc_wraps_within_the_block() {
    let mut s = Ssc::from_bytes(&[0xFF; 8]);
    s.increment(Cipher::TripleDes);
    assert_eq!(s.to_bytes(Cipher::TripleDes), [0; 8]);
    let mut s = Ssc::from_bytes(&[0xFF; 16]);
    s.increment(Cipher::Aes128);
    assert_eq!(s.to_bytes(Cipher::Aes128), [0; 16]);
    assert_eq!(Ssc::zero().to_bytes(Cipher::Aes256), [0; 16]);
}

#[test]
fn round_trip_every_cipher_short_and_extended() {
    for cipher in [
        Cipher::TripleDes,
        Cipher::Aes128,
        Cipher::Aes192,
        Cipher::Aes256,
    ] {
        let (mut reader, mut chip) = pair(cipher);
        for (data_len, le) in [
            (0, Some(4)),
            (2, None),
            (300, Some(256)),
            (0, Some(65_536)),
            (17, Some(1000)),
        ] {
            let data: Vec<u8> = (0..data_len).map(|i: usize| i as u8).collect();
            let mut cmd = Command::new(0x00, 0xB0, 0x01, 0x02).with_data(data.clone());
            cmd.le = le;
            let protected = reader.protect_command(&cmd).unwrap();
            assert_eq!(protected.cla, 0x0C);
            assert_eq!(
                protected.is_extended(),
                data_len > 200 || le.is_some_and(|l| l > 256)
            );
            let plain = chip.unprotect_command(&protected).unwrap();
            assert_eq!(plain, cmd, "{cipher:?} {data_len} {le:?}");
            let answer = Response::new(vec![0xA5; le.unwrap_or(0).min(5000)], StatusWord::Ok);
            let wrapped = chip.protect_response(&answer, false).unwrap();
            assert_eq!(reader.unprotect_response(&wrapped).unwrap(), answer);
        }
        assert_eq!(reader.ssc(), chip.ssc());
    }
}

#[test]
fn odd_ins_uses_do85() {
    let (mut reader, mut chip) = pair(Cipher::Aes128);
    let cmd = Command::new(0x00, 0xB1, 0x00, 0x00)
        .with_data(vec![0x54, 0x02, 0x00, 0x10])
        .with_le(16);
    let protected = reader.protect_command(&cmd).unwrap();
    assert_eq!(protected.data[0], 0x85);
    assert_eq!(chip.unprotect_command(&protected).unwrap(), cmd);
    let answer = Response::new(vec![0x53, 0x01, 0x00], StatusWord::EndOfFile);
    let wrapped = chip.protect_response(&answer, true).unwrap();
    assert_eq!(wrapped.data[0], 0x85);
    assert_eq!(reader.unprotect_response(&wrapped).unwrap(), answer);
}

#[test]
fn chip_rejects_bad_mac_and_missing_objects() {
    let (mut reader, mut chip) = pair(Cipher::TripleDes);
    let cmd = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(vec![0x01, 0x1E]);
    let mut protected = reader.protect_command(&cmd).unwrap();
    let last = protected.data.len() - 1;
    protected.data[last] ^= 1;
    let err = chip.unprotect_command(&protected).unwrap_err();
    assert_eq!(err.status_word(), StatusWord::SmObjectsIncorrect);
    let err = chip.unprotect_command(&cmd).unwrap_err();
    assert_eq!(err.status_word(), StatusWord::SmObjectsMissing);
    // Protected-looking command without DO'8E'.
    let mut no_mac = reader.protect_command(&cmd).unwrap();
    no_mac.data.truncate(no_mac.data.len() - 10);
    assert_eq!(
        chip.unprotect_command(&no_mac).unwrap_err().status_word(),
        StatusWord::SmObjectsMissing
    );
}

#[test]
fn wrong_keys_never_verify() {
    let (mut reader, _) = pair(Cipher::Aes256);
    let mut other = SmCodec::new(
        SessionKeys::derive(b"other", Cipher::Aes256),
        Ssc::from_bytes(&[0xFF; 16]),
    );
    let protected = reader
        .protect_command(&Command::new(0, 0xB0, 0, 0).with_le(8))
        .unwrap();
    assert!(other.unprotect_command(&protected).is_err());
}

#[test]
fn malformed_objects_are_errors() {
    let (mut reader, _) = pair(Cipher::Aes128);
    for data in [
        &[0x87, 0x10, 0x01][..],
        &[0x99, 0x02, 0x90],
        &[0x8E, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x99, 0x02, 0x90, 0x00],
        &[0x53, 0x00],
    ] {
        assert!(
            reader
                .unprotect_response(&Response::new(data.to_vec(), StatusWord::Ok))
                .is_err()
        );
    }
}

proptest::proptest! {
    #[test]
    fn unprotect_never_panics(data in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
        let (mut reader, mut chip) = pair(Cipher::TripleDes);
        let _ = reader.unprotect_response(&Response::new(data.clone(), StatusWord::Ok));
        let _ = chip.unprotect_command(&Command::new(0x0C, 0xB0, 0, 0).with_data(data));
    }
}

#[test]
fn largest_reads_fit_one_response() {
    assert_eq!(max_response_data(Cipher::TripleDes, false), 231);
    assert_eq!(max_response_data(Cipher::Aes128, false), 223);
    for cipher in [Cipher::TripleDes, Cipher::Aes256] {
        for extended in [false, true] {
            let (mut reader, mut chip) = pair(cipher);
            let n = max_response_data(cipher, extended);
            let limit = if extended { 65_536 } else { 256 };
            let cmd = Command::new(0, 0xB0, 0, 0).with_le(n);
            chip.unprotect_command(&reader.protect_command(&cmd).unwrap())
                .unwrap();
            let wrapped = chip
                .protect_response(&Response::new(vec![1; n], StatusWord::Ok), false)
                .unwrap();
            assert!(wrapped.data.len() <= limit, "{cipher:?} {extended}");
            assert_eq!(reader.unprotect_response(&wrapped).unwrap().data.len(), n);
            // One byte more no longer fits.
            chip.unprotect_command(&reader.protect_command(&cmd).unwrap())
                .unwrap();
            let bigger = chip
                .protect_response(&Response::new(vec![1; n + 1], StatusWord::Ok), false)
                .unwrap();
            assert!(bigger.data.len() > limit, "{cipher:?} {extended}");
        }
    }
}

#[test]
fn oversized_commands_are_refused_before_the_counter_moves() {
    let (mut reader, _) = pair(Cipher::Aes128);
    let before = reader.ssc();
    let huge = Command::new(0, 0xD6, 0, 0).with_data(vec![0; 65_001]);
    assert_eq!(reader.protect_command(&huge), Err(SmError::TooLong));
    let mut zero_le = Command::new(0, 0xB0, 0, 0);
    zero_le.le = Some(0);
    assert_eq!(reader.protect_command(&zero_le), Err(SmError::TooLong));
    assert_eq!(reader.ssc(), before);
    let largest = Command::new(0, 0xD6, 0, 0)
        .with_data(vec![0; 65_000])
        .with_le(65_536);
    assert!(reader.protect_command(&largest).unwrap().to_bytes().is_ok());
}

/// A response MACed correctly by the chip's keys but carrying `objects` as they are (so a test
/// can leave DO'99' out). The MAC covers SSC+1 (the reader's counter after its increment).
fn maced_response(cipher: Cipher, objects: &[u8], trailer: StatusWord) -> (SmCodec, Response) {
    let keys = SessionKeys::derive(b"shared secret for a unit test", cipher);
    let start = Ssc::from_bytes(&[0x00; 16]);
    let mut ssc = start;
    ssc.increment(cipher);
    let mut input = ssc.to_bytes(cipher);
    input.extend_from_slice(objects);
    let mac = crate::crypto::mac(
        cipher,
        &keys.mac,
        &crate::crypto::pad(&input, cipher.block_len()),
    )
    .unwrap();
    let mut data = objects.to_vec();
    data.extend_from_slice(&[0x8E, 0x08]);
    data.extend_from_slice(&mac);
    (SmCodec::new(keys, start), Response::new(data, trailer))
}

#[test]
fn a_protected_response_without_do99_is_refused() {
    for cipher in [Cipher::TripleDes, Cipher::Aes128] {
        // Control: the same construction with DO'99' verifies, so only DO'99' is missing below.
        let (mut reader, with_status) =
            maced_response(cipher, &[0x99, 0x02, 0x90, 0x00], StatusWord::Ok);
        assert_eq!(
            reader.unprotect_response(&with_status).unwrap().sw,
            StatusWord::Ok
        );
        // An empty body (no data) with a valid MAC and no status: refused, typed.
        let (mut reader, bare) = maced_response(cipher, &[], StatusWord::Ok);
        assert_eq!(
            reader.unprotect_response(&bare),
            Err(SmError::MissingStatus),
            "{cipher:?}"
        );
        assert_eq!(
            SmError::MissingStatus.status_word(),
            StatusWord::SmObjectsMissing
        );
    }
}

#[test]
fn the_status_word_is_the_authenticated_do99_not_the_trailer() {
    let (mut reader, mut chip) = pair(Cipher::Aes128);
    let cmd = Command::new(0x00, 0xB0, 0x00, 0x00).with_le(4);
    chip.unprotect_command(&reader.protect_command(&cmd).unwrap())
        .unwrap();
    let mut wrapped = chip
        .protect_response(&Response::new(vec![1, 2, 3], StatusWord::EndOfFile), false)
        .unwrap();
    // Someone on the link rewrites the unprotected trailer: it must not count.
    wrapped.sw = StatusWord::Ok;
    let plain = reader.unprotect_response(&wrapped).unwrap();
    assert_eq!(plain.sw, StatusWord::EndOfFile);
    assert_eq!(plain.data, vec![1, 2, 3]);
}
