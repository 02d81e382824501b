//! The body of every `cccd` fuzz target, shared by the libFuzzer binaries in
//! `fuzz/fuzz_targets/` and by the corpus replay test `crates/cccd/tests/fuzz_corpus_replay.rs`,
//! so that CI replays exactly the calls the fuzzer made. Each function takes untrusted bytes,
//! ignores the parse result and panics only when a stated property is broken.
#![allow(dead_code)] // each fuzz binary uses one function

use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::{Cipher, SessionKeys};
use cccd::sm::{SmCodec, Ssc};

/// BER-TLV: walk the whole tree; every nested object is parsed.
pub fn tlv(data: &[u8]) {
    fn walk(input: &[u8], depth: u32) {
        for tlv in cccd::tlv::Tlvs::new(input).flatten() {
            if depth < 16 && tlv.tag().is_constructed() {
                walk(tlv.value(), depth + 1);
            }
        }
    }
    walk(data, 0);
    let _ = cccd::tlv::parse_header(data);
}

/// APDUs: whatever parses as a command encodes and parses back to the same command.
pub fn apdu(data: &[u8]) {
    if let Ok(command) = Command::parse(data) {
        let again = command
            .to_bytes()
            .ok()
            .and_then(|b| Command::parse(&b).ok());
        assert_eq!(again.as_ref(), Some(&command), "command round trip");
    }
    let _ = Response::parse(data);
}

/// Secure messaging: both unprotect paths (reader: response; chip: command) with fixed 3DES
/// and AES session keys. Nothing unauthenticated may be accepted. Then the same bytes as the
/// SM objects of an authenticated peer (see [`authenticated`]), so that what follows the MAC
/// check (cryptogram, padding, Le, status objects) is fuzzed too.
pub fn sm_unwrap(data: &[u8]) {
    for cipher in [Cipher::TripleDes, Cipher::Aes128] {
        let keys = SessionKeys::derive(b"fuzz", cipher);
        let mut reader = SmCodec::new(keys.clone(), Ssc::zero());
        if let Ok(response) = Response::parse(data) {
            // Accepting needs at least DO'99' and DO'8E' (2 + 2 + 2 + 4 bytes).
            assert!(
                reader.unprotect_response(&response).is_err() || response.data.len() >= 10,
                "short response accepted"
            );
        }
        let mut chip = SmCodec::new(keys.clone(), Ssc::zero());
        if let Ok(command) = Command::parse(data) {
            let _ = chip.unprotect_command(&command);
        }

        let (response, command) = authenticated(&keys, data);
        let _ = SmCodec::new(keys.clone(), Ssc::zero()).unprotect_response(&response);
        let _ = SmCodec::new(keys, Ssc::zero()).unprotect_command(&command);
    }
}

/// `objects` followed by a valid DO'8E' for the first message of a session started at SSC 0
/// (the MAC covers SSC 1, then for a command the padded header `0C B0 00 00`, then the
/// objects): as a response (SW 9000) and as a command. Made with public primitives only, so
/// the replay test can check that it really verifies.
pub fn authenticated(keys: &SessionKeys, objects: &[u8]) -> (Response, Command) {
    let block = keys.cipher.block_len();
    let ssc = Ssc::from_bytes(&[1]).to_bytes(keys.cipher);
    let header = cccd::crypto::pad(&[0x0C, 0xB0, 0x00, 0x00], block);
    let with_mac = |prefix: &[&[u8]]| {
        let mut input = ssc.clone();
        for part in prefix {
            input.extend_from_slice(part);
        }
        input.extend_from_slice(objects);
        let mac = cccd::crypto::mac(keys.cipher, &keys.mac, &cccd::crypto::pad(&input, block))
            .unwrap_or_default();
        let mut body = objects.to_vec();
        body.extend_from_slice(&[0x8E, 0x08]);
        body.extend_from_slice(&mac);
        body
    };
    let response = Response::new(with_mac(&[]), StatusWord::from_bytes(0x90, 0x00));
    let mut command = Command::new(0x0C, 0xB0, 0x00, 0x00).with_data(with_mac(&[&header]));
    command.le = Some(256);
    (response, command)
}

/// MRZ text: parse, check digits, BAC key seed, and the raw BAC key information path.
pub fn mrz(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(mrz) = cccd::mrz::Mrz::parse(text) {
            let _ = mrz.checks.all_valid();
            let _ = mrz.bac_key().seed();
        }
        let _ = cccd::mrz::BacKey::from_information(text);
    }
}

/// EF.CardAccess SecurityInfos and what the session derives from them.
pub fn card_access(data: &[u8]) {
    if let Ok(infos) = cccd::lds::security_infos::SecurityInfos::parse(data) {
        let _ = infos
            .preferred_pace()
            .map(cccd::lds::security_infos::PaceInfo::curve);
        for key in infos.chip_authentication_public_keys() {
            let _ = key.ec_public_key();
        }
    }
}

/// EF.COM.
pub fn com(data: &[u8]) {
    let _ = cccd::lds::com::Com::parse(data);
}

/// DG1 (MRZ data group).
pub fn dg1(data: &[u8]) {
    let _ = cccd::lds::dg1::Dg1::parse(data);
}

/// DG2 (face image).
pub fn dg2(data: &[u8]) {
    let _ = cccd::lds::dg2::Dg2::parse(data);
}

/// DG13 (Vietnamese personal details): a parsed DG13 re-encodes and parses again.
pub fn dg13(data: &[u8]) {
    if let Ok(dg) = cccd::lds::dg13::Dg13::parse(data) {
        let _ = cccd::lds::dg13::Dg13::parse(&dg.encode());
    }
}

/// DG14, a bare SecurityInfos SET, and EF.CardSecurity.
pub fn dg14(data: &[u8]) {
    let _ = cccd::lds::dg14::Dg14::parse(data);
    let _ = cccd::lds::security_infos::SecurityInfos::parse(data);
    let _ = cccd::lds::card_security::CardSecurity::parse(data);
}

/// DG15 (Active Authentication public key).
pub fn dg15(data: &[u8]) {
    let _ = cccd::lds::dg15::Dg15::parse(data);
}

/// EF.SOD (CMS SignedData with the LDS security object).
pub fn sod(data: &[u8]) {
    let _ = cccd::lds::sod::Sod::parse(data);
}

/// Certificates and CRLs loaded into a trust store, and a signature check where the first
/// byte gives the length of an untrusted SubjectPublicKeyInfo.
pub fn certificate(data: &[u8]) {
    let mut store = cccd::pki::TrustStore::new();
    let _ = store.load_bytes(data, "fuzz");
    let _ = store.certificates();
    if let Some((spki, rest)) = data
        .split_first()
        .map(|(n, rest)| rest.split_at(usize::from(*n).min(rest.len())))
    {
        let _ = cccd::pki::signature::verify_signature_der(spki, rest, b"message", rest);
    }
}

/// ICAO CSCA master lists (CMS SignedData).
pub fn masterlist(data: &[u8]) {
    let mut store = cccd::pki::TrustStore::new();
    let _ = store.load_master_list(data, "fuzz");
    let _ = cccd::pki::cms::SignedData::parse_der(data);
}

/// Active Authentication: a DG15 (first byte * 2 bytes, when it parses) with an arbitrary
/// INTERNAL AUTHENTICATE response.
pub fn aa_response(data: &[u8]) {
    if let Some((&n, rest)) = data.split_first() {
        let split = (usize::from(n) * 2).min(rest.len());
        let (dg15, response) = rest.split_at(split);
        if let Ok(dg15) = cccd::lds::dg15::Dg15::parse(dg15) {
            let _ = cccd::access::active::verify_aa(&dg15, None, &[0x5A; 8], response);
        }
    }
}
