//! AES secure messaging against published vectors from an independent implementation:
//! gmrtd (github.com/gmrtd/gmrtd), `iso7816/secure_messaging_test.go`, `TestSecureMessageEncode`
//! (MSE:Set AT protected with AES) and `TestSecureMessageDecode` (a 225-byte protected
//! READ BINARY response). Both exercise the AES IV = E(KSenc, SSC) and the padded CMAC.
#![allow(clippy::unwrap_used)]

use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::{Cipher, SecretKey, SessionKeys};
use cccd::sm::{SmCodec, Ssc};
use hex_literal::hex;

fn aes_keys(enc: &[u8], mac: &[u8]) -> SessionKeys {
    SessionKeys {
        cipher: Cipher::Aes128,
        enc: SecretKey::from_bytes(enc),
        mac: SecretKey::from_bytes(mac),
    }
}

#[test]
fn aes_protected_command_matches_gmrtd() {
    let keys = aes_keys(
        &hex!("cc86415f2ed7e8fd663b754265695ae1"),
        &hex!("581e84b8ee06c4d3eee30461498d7fb3"),
    );
    let mut codec = SmCodec::new(
        keys,
        Ssc::from_bytes(&hex!("000000000000000000000000000000ba")),
    );
    let command =
        Command::new(0x00, 0x22, 0x41, 0xA4).with_data(hex!("800a04007f000702020302028401c3"));
    let protected = codec.protect_command(&command).unwrap();
    assert_eq!(
        protected.to_bytes().unwrap(),
        hex!("0c2241a41d871101980953d37f67558690045d78a853b18a8e08929767a2cef172e200")
    );
    assert_eq!(
        codec.ssc().to_bytes(Cipher::Aes128),
        hex!("000000000000000000000000000000bb")
    );
}

const RESPONSE: [u8; 244] = hex!(
    "8781e1012fabf9e0655d7e987fd28a8aeb19c9cadd990d49399799ed1fe465bcea56da9ba3024291d40d23d7f1e00485d71faddc6d8c1382e8028dd22efdcc72ed47663d56d20dd6c4b867956fe0507313083ae7fc54fb46133f184febbe13ad6fd3e2616a1f4a829e75ada1a0e443ca738288f6014be8a7745d8259b089e6bee35bcc4bf5b63db5fdd84244f67eca099213b70a861b4487225aa68af684278fceb4cb809de42be3ee95b0e0d72bcdb0ed47cb56efc264e04a9397a90e81ad1d81efa2d14b2ca8ec7bd997f4b1c1fd344d5dee8589c38b227ca4cb35810060a7cc76403e990290008e083eb47ef4fa82afc99000"
);

fn decode_codec() -> SmCodec {
    let keys = aes_keys(
        &hex!("a8e85e938514ec67ae33cda3d43d3c48"),
        &hex!("27f1adeb705a049a305b0c619b14b9b3"),
    );
    SmCodec::new(
        keys,
        Ssc::from_bytes(&hex!("0000000000000000000000000000000b")),
    )
}

#[test]
fn aes_protected_response_matches_gmrtd() {
    let mut codec = decode_codec();
    let plain = codec
        .unprotect_response(&Response::parse(&RESPONSE).unwrap())
        .unwrap();
    assert_eq!(plain.sw, StatusWord::Ok);
    assert_eq!(
        plain.data,
        hex!(
            "a729901d1a71874700133107ec53306404307bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f8aa5814a503ad4eb04a8c7dd22ce2826043004a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d57cb4390295dbc9943ab78696fa504c110461041d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8e826e03436d646aaef87b2e247d4af1e8abe1d7520f9c2a45cb1eb8e95cfd55262b70b29feec5864e19c054ff99129280e4646217791811142820341263c53150231008cb91e82a3"
        )
    );
    assert_eq!(
        codec.ssc().to_bytes(Cipher::Aes128),
        hex!("0000000000000000000000000000000c")
    );
}

#[test]
fn aes_response_with_wrong_counter_or_flipped_bit_fails() {
    // One step off in the counter (a replay or a lost message).
    let keys = aes_keys(
        &hex!("a8e85e938514ec67ae33cda3d43d3c48"),
        &hex!("27f1adeb705a049a305b0c619b14b9b3"),
    );
    let mut off = SmCodec::new(
        keys,
        Ssc::from_bytes(&hex!("0000000000000000000000000000000c")),
    );
    assert!(
        off.unprotect_response(&Response::parse(&RESPONSE).unwrap())
            .is_err()
    );
    for i in [3usize, 100, 230, 235, 241] {
        let mut bytes = RESPONSE;
        bytes[i] ^= 0x20;
        assert!(
            decode_codec()
                .unprotect_response(&Response::parse(&bytes).unwrap())
                .is_err(),
            "flip at {i}"
        );
    }
}
