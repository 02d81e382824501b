//! PACE ECDH Generic Mapping against the worked example of ICAO Doc 9303 Part 11 (8th edition,
//! 2021), Appendix G.1: brainpoolP256r1, id-PACE-ECDH-GM-AES-CBC-CMAC-128, MRZ password
//! `T22000129364081251010318`.
//!
//! Every expected value below is copied from that appendix (as also reproduced in JMRTD's PACE
//! tests and in the `nl.zienit` ICAO worked-example tests); none was computed by this crate.
//! The terminal's "random" private keys are injected so the whole exchange is replayed
//! byte for byte.

use cccd::access::pace::protocol::{self, PaceRandomness};
use cccd::access::pace::{PaceError, establish_with};
use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::Cipher;
use cccd::ec::{Curve, EcScalar};
use cccd::lds::security_infos::SecurityInfos;
use cccd::mrz::{AccessKey, BacKey};
use cccd::sm::Ssc;
use cccd::transport::{Transport, TransportError};
use hex_literal::hex;
use zeroize::Zeroizing;

const CARD_ACCESS: [u8; 22] = hex!("31143012060A04007F0007020204020202010202010D");
const ENCRYPTED_NONCE: [u8; 16] = hex!("95A3A016 522EE98D 01E76CB6 B98B42C3");
const NONCE: [u8; 16] = hex!("3F00C4D3 9D153F2B 2A214A07 8D899B22");
const K_PI: [u8; 16] = hex!("89DED1B2 6624EC1E 634C1989 302849DD");
const TERMINAL_MAPPING_SECRET: [u8; 32] =
    hex!("7F4EF07B 9EA82FD7 8AD689B3 8D0BC78C F21F249D 953BC46F 4C6E1925 9C010F99");
const TERMINAL_MAPPING_PUBLIC: [u8; 65] = hex!(
    "04 7ACF3EFC 982EC455 65A4B155 129EFBC7 4650DCBF A6362D89 6FC70262 E0C2CC5E
        544552DC B6725218 799115B5 5C9BAA6D 9F6BC3A9 618E70C2 5AF71777 A9C4922D"
);
const CHIP_MAPPING_SECRET: [u8; 32] =
    hex!("498FF497 56F2DC15 87840041 839A8598 2BE7761D 14715FB0 91EFA7BC E9058560");
const CHIP_MAPPING_PUBLIC: [u8; 65] = hex!(
    "04 824FBA91 C9CBE26B EF53A0EB E7342A3B F178CEA9 F45DE0B7 0AA60165 1FBA3F57
        30D8C879 AAA9C9F7 3991E61B 58F4D52E B87A0A0C 709A49DC 63719363 CCD13C54"
);
const MAPPED_GENERATOR: [u8; 65] = hex!(
    "04 8CED63C9 1426D4F0 EB1435E7 CB1D74A4 6723A0AF 21C89634 F65A9AE8 7A9265E2
        8C879506 743F8611 AC33645C 5B985C80 B5F09A0B 83407C1B 6A4D857A E76FE522"
);
const TERMINAL_EPHEMERAL_SECRET: [u8; 32] =
    hex!("A73FB703 AC1436A1 8E0CFA5A BB3F7BEC 7A070E7A 6788486B EE230C4A 22762595");
const TERMINAL_EPHEMERAL_PUBLIC: [u8; 65] = hex!(
    "04 2DB7A64C 0355044E C9DF1905 14C625CB A2CEA487 54887122 F3A5EF0D 5EDD301C
        3556F3B3 B186DF10 B857B58F 6A7EB80F 20BA5DC7 BE1D43D9 BF850149 FBB36462"
);
const CHIP_EPHEMERAL_SECRET: [u8; 32] =
    hex!("107CF586 96EF6155 053340FD 633392BA 81909DF7 B9706F22 6F32086C 7AFF974A");
const CHIP_EPHEMERAL_PUBLIC: [u8; 65] = hex!(
    "04 9E880F84 2905B8B3 181F7AF7 CAA9F0EF B743847F 44A306D2 D28C1D9E C65DF6DB
        7764B222 77A2EDDC 3C265A9F 018F9CB8 52E111B7 68B32690 4B59A019 3776F094"
);
const KS_ENC: [u8; 16] = hex!("F5F0E35C 0D7161EE 6724EE51 3A0D9A7F");
const KS_MAC: [u8; 16] = hex!("FE251C78 58B356B2 4514B3BD 5F4297D1");
const TERMINAL_TOKEN: [u8; 8] = hex!("C2B0BD78 D94BA866");
const CHIP_TOKEN: [u8; 8] = hex!("3ABB9674 BCE93C08");

fn mrz_password() -> AccessKey {
    AccessKey::Mrz(BacKey::from_fields("T22000129", "640812", "101031").expect("MRZ fields"))
}

fn scalar(bytes: &[u8]) -> EcScalar {
    Curve::BrainpoolP256r1
        .scalar_from_be_bytes(bytes)
        .expect("published private key")
}

/// Hands out the published private keys in order.
struct Injected(Vec<[u8; 32]>);

impl PaceRandomness for Injected {
    fn private_key(&mut self, curve: Curve) -> EcScalar {
        assert_eq!(curve, Curve::BrainpoolP256r1);
        scalar(&self.0.remove(0))
    }
    fn nonce(&mut self, _len: usize) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(NONCE.to_vec())
    }
}

/// A chip that plays back the appendix: checks each command and answers with the
/// appendix's response data.
struct ScriptedChip {
    script: Vec<(Vec<u8>, Response)>,
    sent: usize,
}

impl Transport for ScriptedChip {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        let (expected, response) = self
            .script
            .get(self.sent)
            .cloned()
            .ok_or_else(|| TransportError::Other("unexpected command".into()))?;
        assert_eq!(
            command.to_bytes().expect("encodable"),
            expected,
            "command {}",
            self.sent
        );
        self.sent += 1;
        Ok(response)
    }
}

fn ok(data: &[u8]) -> Response {
    Response::new(data.to_vec(), StatusWord::Ok)
}

fn script(chip_token_response: Response) -> Vec<(Vec<u8>, Response)> {
    let cat = |parts: &[&[u8]]| parts.concat();
    vec![
        // MSE:Set AT: 80 id-PACE-ECDH-GM-AES-CBC-CMAC-128, 83 01 (MRZ), 84 0D (parameter 13).
        (
            hex!("0022C1A4 12 800A04007F00070202040202 830101 84010D").to_vec(),
            ok(&[]),
        ),
        (
            hex!("10860000 02 7C00 00").to_vec(),
            ok(&cat(&[&hex!("7C12 8010"), &ENCRYPTED_NONCE])),
        ),
        (
            cat(&[
                &hex!("10860000 45 7C43 8141"),
                &TERMINAL_MAPPING_PUBLIC,
                &[0],
            ]),
            ok(&cat(&[&hex!("7C43 8241"), &CHIP_MAPPING_PUBLIC])),
        ),
        (
            cat(&[
                &hex!("10860000 45 7C43 8341"),
                &TERMINAL_EPHEMERAL_PUBLIC,
                &[0],
            ]),
            ok(&cat(&[&hex!("7C43 8441"), &CHIP_EPHEMERAL_PUBLIC])),
        ),
        (
            cat(&[&hex!("00860000 0C 7C0A 8508"), &TERMINAL_TOKEN, &[0]]),
            chip_token_response,
        ),
    ]
}

#[test]
fn card_access_and_password_key() {
    let infos = SecurityInfos::parse(&CARD_ACCESS).expect("EF.CardAccess");
    let info = infos.preferred_pace().expect("PACEInfo");
    assert_eq!(info.protocol.cipher, Cipher::Aes128);
    assert_eq!(info.curve(), Ok(Curve::BrainpoolP256r1));
    let password = mrz_password();
    // K = SHA-1(MRZ information) = 7E2D2A41 C74EA0B3 8CD36F86 3939BFA8 E9032AAD.
    assert_eq!(
        password.pace_secret().as_bytes(),
        hex!("7E2D2A41 C74EA0B3 8CD36F86 3939BFA8 E9032AAD")
    );
    let k_pi = protocol::password_key(&password.pace_secret(), Cipher::Aes128);
    assert_eq!(k_pi.as_bytes(), K_PI);
    let nonce = protocol::decrypt_nonce(Cipher::Aes128, &k_pi, &ENCRYPTED_NONCE).expect("nonce");
    assert_eq!(&nonce[..], NONCE);
    // The chip's direction: E(Kπ, s) = z.
    assert_eq!(
        protocol::encrypt_nonce(Cipher::Aes128, &k_pi, &NONCE).expect("encrypt"),
        ENCRYPTED_NONCE
    );
}

#[test]
fn mapping_and_key_agreement_intermediate_values() {
    let curve = Curve::BrainpoolP256r1;
    let terminal_mapping = scalar(&TERMINAL_MAPPING_SECRET);
    let chip_mapping = scalar(&CHIP_MAPPING_SECRET);
    assert_eq!(
        curve
            .mul_generator(&terminal_mapping)
            .and_then(|p| p.to_uncompressed()),
        Ok(TERMINAL_MAPPING_PUBLIC.to_vec())
    );
    assert_eq!(
        curve
            .mul_generator(&chip_mapping)
            .and_then(|p| p.to_uncompressed()),
        Ok(CHIP_MAPPING_PUBLIC.to_vec())
    );
    let chip_mapping_public = curve.decode_point(&CHIP_MAPPING_PUBLIC).expect("on curve");
    let terminal_mapping_public = curve
        .decode_point(&TERMINAL_MAPPING_PUBLIC)
        .expect("on curve");
    // H = 60332EF2... (x), 0840CA74... (y), the same from both sides.
    let h = chip_mapping_public.mul(&terminal_mapping).expect("H");
    assert_eq!(
        h.to_uncompressed().expect("H"),
        hex!(
            "04 60332EF2 450B5D24 7EF6D386 8397D398 852ED6E8 CAF6FFEE F6BF85CA 57057FD5
                0840CA74 15BAF3E4 3BD414D3 5AA4608B 93A2CAF3 A4E3EA4E 82C9C13D 03EB7181"
        )
    );
    assert_eq!(terminal_mapping_public.mul(&chip_mapping), Ok(h));
    let mapped = protocol::map_generator(curve, &NONCE, &terminal_mapping, &chip_mapping_public)
        .expect("G'");
    assert_eq!(mapped.to_uncompressed().expect("G'"), MAPPED_GENERATOR);
    assert_eq!(
        protocol::map_generator(curve, &NONCE, &chip_mapping, &terminal_mapping_public),
        Ok(mapped)
    );

    let terminal_ephemeral = scalar(&TERMINAL_EPHEMERAL_SECRET);
    let chip_ephemeral = scalar(&CHIP_EPHEMERAL_SECRET);
    assert_eq!(
        mapped
            .mul(&terminal_ephemeral)
            .and_then(|p| p.to_uncompressed()),
        Ok(TERMINAL_EPHEMERAL_PUBLIC.to_vec())
    );
    assert_eq!(
        mapped
            .mul(&chip_ephemeral)
            .and_then(|p| p.to_uncompressed()),
        Ok(CHIP_EPHEMERAL_PUBLIC.to_vec())
    );
    let chip_public = curve
        .decode_point(&CHIP_EPHEMERAL_PUBLIC)
        .expect("on curve");
    let terminal_public = curve
        .decode_point(&TERMINAL_EPHEMERAL_PUBLIC)
        .expect("on curve");
    // K = x(...) = 28768D20 701247DA E81804C9 E780EDE5 82A9996D B4A31502 0B273319 7DB84925.
    assert_eq!(
        &chip_public
            .mul(&terminal_ephemeral)
            .expect("K")
            .x_coordinate()
            .expect("x")[..],
        hex!("28768D20 701247DA E81804C9 E780EDE5 82A9996D B4A31502 0B273319 7DB84925")
    );
    let keys =
        protocol::session_keys(Cipher::Aes128, &terminal_ephemeral, &chip_public).expect("keys");
    assert_eq!(keys.enc.as_bytes(), KS_ENC);
    assert_eq!(keys.mac.as_bytes(), KS_MAC);
    assert_eq!(
        protocol::session_keys(Cipher::Aes128, &chip_ephemeral, &terminal_public),
        Ok(keys.clone())
    );

    let info = *SecurityInfos::parse(&CARD_ACCESS)
        .expect("EF.CardAccess")
        .preferred_pace()
        .expect("PACEInfo");
    // Input data of T_IFD: 7F49 4F 06 0A 04007F00070202040202 86 41 04 9E88... (chip's key).
    let mut input = hex!("7F494F 060A04007F00070202040202 8641").to_vec();
    input.extend_from_slice(&CHIP_EPHEMERAL_PUBLIC);
    assert_eq!(
        protocol::public_key_data_object(&info.protocol, &chip_public),
        Ok(input)
    );
    assert_eq!(
        protocol::authentication_token(&info.protocol, &keys, &chip_public),
        Ok(TERMINAL_TOKEN)
    );
    assert_eq!(
        protocol::authentication_token(&info.protocol, &keys, &terminal_public),
        Ok(CHIP_TOKEN)
    );
}

#[test]
fn whole_exchange_replays_byte_for_byte() {
    let info = *SecurityInfos::parse(&CARD_ACCESS)
        .expect("EF.CardAccess")
        .preferred_pace()
        .expect("PACEInfo");
    let mut chip = ScriptedChip {
        script: script(ok(&[&hex!("7C0A 8608")[..], &CHIP_TOKEN].concat())),
        sent: 0,
    };
    let mut keys = Injected(vec![TERMINAL_MAPPING_SECRET, TERMINAL_EPHEMERAL_SECRET]);
    let channel =
        establish_with(&mut chip, &mrz_password(), &info, &mut keys).expect("PACE succeeds");
    assert_eq!(channel.cipher(), Cipher::Aes128);
    assert_eq!(channel.ssc(), Ssc::zero());
    drop(channel);
    assert_eq!(chip.sent, 5);
}

#[test]
fn a_wrong_chip_token_is_a_token_mismatch() {
    let info = *SecurityInfos::parse(&CARD_ACCESS)
        .expect("EF.CardAccess")
        .preferred_pace()
        .expect("PACEInfo");
    let mut tampered = CHIP_TOKEN;
    tampered[7] ^= 1;
    let mut chip = ScriptedChip {
        script: script(ok(&[&hex!("7C0A 8608")[..], &tampered].concat())),
        sent: 0,
    };
    let mut keys = Injected(vec![TERMINAL_MAPPING_SECRET, TERMINAL_EPHEMERAL_SECRET]);
    let result = establish_with(&mut chip, &mrz_password(), &info, &mut keys);
    assert!(matches!(result, Err(PaceError::TokenMismatch)));
}

#[test]
fn a_refused_token_is_access_denied_with_a_hint() {
    let info = *SecurityInfos::parse(&CARD_ACCESS)
        .expect("EF.CardAccess")
        .preferred_pace()
        .expect("PACEInfo");
    let mut chip = ScriptedChip {
        script: script(Response::new(Vec::new(), StatusWord::VerificationFailed)),
        sent: 0,
    };
    let mut keys = Injected(vec![TERMINAL_MAPPING_SECRET, TERMINAL_EPHEMERAL_SECRET]);
    match establish_with(&mut chip, &mrz_password(), &info, &mut keys) {
        Err(PaceError::AccessDenied { hint, sw }) => {
            assert_eq!(sw, StatusWord::VerificationFailed);
            assert!(hint.contains("document number"), "{hint}");
        }
        other => panic!("{other:?}"),
    }
}
