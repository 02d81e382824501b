//! PACE Integrated Mapping against ICAO Doc 9303 Part 11, Appendix H (worked example: PACE –
//! Integrated Mapping): H.1, ECDH on brainpoolP256r1 with id-PACE-ECDH-IM-AES-CBC-CMAC-128;
//! H.2, DH on the RFC 5114 1024-bit group with id-PACE-DH-IM-AES-CBC-CMAC-128. Both use the
//! password key Kπ = 591468CD A83D6521 9CCCB856 0233600F, which is KDFπ of the CAN "123456".
//!
//! Every expected value is the appendix's (as also reproduced in JMRTD's PACEProtocolTest
//! and other readers' worked-example tests); none was computed by this crate.

mod pace_support;

use cccd::access::pace::group::PaceGroup;
use cccd::access::pace::integrated::{self, IntegratedMappingError};
use cccd::access::pace::protocol;
use cccd::access::pace::{PaceError, PaceStep, establish_detailed};
use cccd::crypto::Cipher;
use cccd::ec::Curve;
use cccd::lds::security_infos::SecurityInfos;
use cccd::mrz::AccessKey;
use cccd::sm::Ssc;
use hex_literal::hex;
use pace_support::{Injected, ScriptedChip, dynamic, general_authenticate, ok, set_at};

const K_PI: [u8; 16] = hex!("591468CD A83D6521 9CCCB856 0233600F");

mod h1 {
    use hex_literal::hex;
    pub const CARD_ACCESS: [u8; 22] = hex!("31143012060A04007F0007020204040202010202010D");
    pub const ENCRYPTED_NONCE: [u8; 16] = hex!("143DC40C 08C8E891 FBED7DED B92B64AD");
    pub const NONCE: [u8; 16] = hex!("2923BE84 E16CD6AE 529049F1 F1BBE9EB");
    pub const T: [u8; 16] = hex!("5DD4CBFC 96F5453B 130D890A 1CDBAE32");
    pub const R: [u8; 48] = hex!(
        "E4447E2D FB3586BA C05DDB00 156B57FB B2179A39 49294C97 25418980 0C517BAA
         8DA0FF39 7ED8C445 D3E421E4 FEB57322"
    );
    pub const R_P: [u8; 32] =
        hex!("A2F8FF2D F50E52C6 599F386A DCB595D2 29F6A167 ADE2BE5F 2C3296AD D5B7430E");
    pub const MAPPED_GENERATOR: [u8; 65] = hex!(
        "04 8E82D315 59ED0FDE 92A4D049 8ADD3C23 BABA94FB 77691E31 E90AEA77 FB17D427
            4C1AE14B D0C3DBAC 0C871B7F 36081693 64437CA3 0AC243A0 89D3F266 C1E60FAD"
    );
    pub const TERMINAL_SECRET: [u8; 32] =
        hex!("A73FB703 AC1436A1 8E0CFA5A BB3F7BEC 7A070E7A 6788486B EE230C4A 22762595");
    pub const TERMINAL_PUBLIC: [u8; 65] = hex!(
        "04 89CBA23F FE96AA18 D824627C 3E934E54 A9FD0B87 A95D1471 DC1C0ABF DCD640D4
            6755DE9B 7B778280 B6BEBD57 439ADFEB 0E21FD4E D6DF4257 8C13418A 59B34C37"
    );
    pub const CHIP_SECRET: [u8; 32] =
        hex!("107CF586 96EF6155 053340FD 633392BA 81909DF7 B9706F22 6F32086C 7AFF974A");
    pub const CHIP_PUBLIC: [u8; 65] = hex!(
        "04 67F78E5F 7F768608 2B293E8D 087E0569 16D0F74B C01A5F89 57D0DE45 691E51E8
            932B69A9 62B52A09 85AD2C0A 271EE6A1 3A8ADDDC D1A3A994 B9DED257 F4D22753"
    );
    pub const SHARED_SECRET: [u8; 32] =
        hex!("4F150FDE 1D4F0E38 E95017B8 91BAE171 33A0DF45 B0D3E18B 60BA7BEA FDC2C713");
    pub const KS_ENC: [u8; 16] = hex!("0D3FEB33 251A6370 893D62AE 8DAAF51B");
    pub const KS_MAC: [u8; 16] = hex!("B01E89E3 D9E8719E 586B50B4 A7506E0B");
    pub const TERMINAL_TOKEN: [u8; 8] = hex!("450F02B8 6F6A0909");
    pub const CHIP_TOKEN: [u8; 8] = hex!("75D4D96E 8D5B0308");
}

mod h2 {
    use hex_literal::hex;
    pub const CARD_ACCESS: [u8; 22] = hex!("31143012060A04007F00070202040302020102020100");
    pub const ENCRYPTED_NONCE: [u8; 16] = hex!("9ABB8864 CA0FF155 1E620D1E F4E13510");
    pub const NONCE: [u8; 16] = hex!("FA5B7E3E 49753A0D B9178B7B 9BD898C8");
    pub const T: [u8; 16] = hex!("B3A6DB3C 870C3E99 245E0D1C 06B747DE");
    pub const R_P: [u8; 128] = hex!(
        "A0C7C50C 002061A5 1CC87D25 4EF38068 607417B6 EE1B3647 3CFB800D 2D2E5FA2
         B6980F01 105D24FA B22ACD1B FA5C8A4C 093ECDFA FE6D7125 D42A843E 33860383
         5CF19AFA FF75EFE2 1DC5F6AA 1F9AE46C 25087E73 68166FB0 8C1E4627 AFED7D93
         570417B7 90FF7F74 7E57F432 B04E1236 819E0DFE F5B6E77C A4999925 328182D2"
    );
    pub const MAPPED_GENERATOR: [u8; 128] = hex!(
        "1D7D767F 11E333BC D6DBAEF4 0E799E7A 926B9697 3550656F F3C83072 6D118D61
         C276CDCC 61D475CF 03A98E0C 0E79CAEB A5BE2557 8BD4551D 0B109032 36F0B0F9
         76852FA7 8EEA14EA 0ACA87D1 E91F688F E0DFF897 BBE35A47 2621D343 564B262F
         34223AE8 FC59B664 BFEDFA2B FE7516CA 5510A6BB B633D517 EC25D4E0 BBAA16C2"
    );
    pub const TERMINAL_SECRET: [u8; 128] = hex!(
        "4BD0E547 40F9A028 E6A515BF DAF96784 8C4F5F5F FF65AA09 15947FFD 1A0DF2FA
         6981271B C905F355 1457B7E0 3AC3B806 6DE4AA40 6C1171FB 43DD939C 4BA16175
         103BA3DE E16419AA 248118F9 0CC36A3D 6F4C3736 52E0C3CC E7F0F1D0 C5425B36
         00F0F0D6 A67F004C 8BBA33F2 B4733C72 52445C1D FC4F1107 203F71D2 EFB28161"
    );
    pub const TERMINAL_PUBLIC: [u8; 128] = hex!(
        "0F0CC629 45A80292 51FB7EF3 C094E12E C68E4EF0 7F27CB9D 9CD04C5C 4250FAE0
         E4F8A951 557E929A EB48E5C6 DD47F2F5 CD7C351A 9BD2CD72 2C07EDE1 66770F08
         FFCB3702 62CF308D D7B07F2E 0DA9CAAA 1492344C 85290691 9538C98A 4BA4187E
         76CE9D87 832386D3 19CE2E04 3C3343AE AE6EDBA1 A9894DC5 094D22F7 FE1351D5"
    );
    pub const CHIP_PUBLIC: [u8; 128] = hex!(
        "928D9A0F 9DBA450F 13FC859C 6F290D1D 36E42431 138A4378 500BEB4E 0401854C
         FF111F71 CB6DC1D0 335807A1 1388CC8E AA87B079 07AAD9FB A6B169AF 6D8C26AF
         8DDDC39A DC3AD2E3 FF882B84 D23E9768 E95A80E4 746FB07A 9767679F E92133B4
         D379935C 771BD7FB ED6C7BB4 B1708B27 5EA75679 524CDC9C 6A91370C C662A2F3"
    );
    pub const KS_ENC: [u8; 16] = hex!("01AFC10C F87BE36D 8179E873 70171F07");
    pub const KS_MAC: [u8; 16] = hex!("23F0FBD0 5FD6C7B8 B88F4C83 09669061");
    pub const TERMINAL_TOKEN: [u8; 8] = hex!("55D61977 CBF5307E");
    pub const CHIP_TOKEN: [u8; 8] = hex!("C2F04230 187E1525");
}

fn can() -> AccessKey {
    AccessKey::can("123456").expect("digits")
}

#[test]
fn password_key_and_nonces() {
    let k_pi = protocol::password_key(&can().pace_secret(), Cipher::Aes128);
    assert_eq!(k_pi.as_bytes(), K_PI);
    for (encrypted, nonce) in [
        (h1::ENCRYPTED_NONCE, h1::NONCE),
        (h2::ENCRYPTED_NONCE, h2::NONCE),
    ] {
        let decrypted = protocol::decrypt_nonce(Cipher::Aes128, &k_pi, &encrypted).expect("s");
        assert_eq!(&decrypted[..], nonce);
    }
}

#[test]
fn h1_pseudo_random_function_and_point_encoding() {
    let curve = Curve::BrainpoolP256r1;
    assert_eq!(
        &integrated::pseudo_random(Cipher::Aes128, &h1::NONCE, &h1::T, 256).expect("R")[..],
        h1::R
    );
    assert_eq!(
        &integrated::pseudo_random_mod_p(Cipher::Aes128, &h1::NONCE, &h1::T, curve.params().p)
            .expect("R_p")[..],
        h1::R_P
    );
    let mapped = integrated::encode_point(curve, &h1::R_P).expect("f_G");
    assert_eq!(mapped.to_uncompressed().expect("G"), h1::MAPPED_GENERATOR);
    // The nonces play different roles: swapped, they give another generator.
    assert_ne!(
        integrated::map_generator_ecdh(curve, Cipher::Aes128, &h1::T, &h1::NONCE).ok(),
        Some(mapped)
    );
}

#[test]
fn h1_key_agreement_and_tokens() {
    let infos = SecurityInfos::parse(&h1::CARD_ACCESS).expect("EF.CardAccess");
    let info = infos.preferred_pace().expect("PACEInfo");
    let group = PaceGroup::of(info).expect("group");
    let mapped = group
        .map_integrated(Cipher::Aes128, &h1::NONCE, &h1::T)
        .expect("mapping");
    assert_eq!(mapped.encode().expect("G"), h1::MAPPED_GENERATOR);
    let terminal = group
        .secret_from_be_bytes(&h1::TERMINAL_SECRET)
        .expect("SK");
    let chip = group.secret_from_be_bytes(&h1::CHIP_SECRET).expect("SK");
    let terminal_public = mapped.exp(&terminal).expect("PK");
    let chip_public = mapped.exp(&chip).expect("PK");
    assert_eq!(terminal_public.encode().expect("PK"), h1::TERMINAL_PUBLIC);
    assert_eq!(chip_public.encode().expect("PK"), h1::CHIP_PUBLIC);
    assert_eq!(
        &chip_public.shared_secret(&terminal).expect("K")[..],
        h1::SHARED_SECRET
    );
    let keys = protocol::group_session_keys(Cipher::Aes128, &terminal, &chip_public).expect("keys");
    assert_eq!(keys.enc.as_bytes(), h1::KS_ENC);
    assert_eq!(keys.mac.as_bytes(), h1::KS_MAC);
    assert_eq!(
        protocol::group_authentication_token(&info.protocol, &keys, &chip_public),
        Ok(h1::TERMINAL_TOKEN)
    );
    assert_eq!(
        protocol::group_authentication_token(&info.protocol, &keys, &terminal_public),
        Ok(h1::CHIP_TOKEN)
    );
}

#[test]
fn h2_pseudo_random_function_and_mapping() {
    let infos = SecurityInfos::parse(&h2::CARD_ACCESS).expect("EF.CardAccess");
    let info = infos.pace_infos().next().expect("PACEInfo");
    let group = PaceGroup::of(info).expect("DH group 0");
    assert_eq!(
        &integrated::pseudo_random_mod_p(Cipher::Aes128, &h2::NONCE, &h2::T, group.prime())
            .expect("R_p")[..],
        h2::R_P
    );
    let mapped = group
        .map_integrated(Cipher::Aes128, &h2::NONCE, &h2::T)
        .expect("mapping");
    assert_eq!(mapped.encode().expect("g"), h2::MAPPED_GENERATOR);
    let terminal = group.secret_from_be_bytes(&h2::TERMINAL_SECRET).expect("x");
    let terminal_public = mapped.exp(&terminal).expect("PK");
    assert_eq!(terminal_public.encode().expect("PK"), h2::TERMINAL_PUBLIC);
    let chip_public = group.decode(&h2::CHIP_PUBLIC).expect("valid DH value");
    let keys = protocol::group_session_keys(Cipher::Aes128, &terminal, &chip_public).expect("keys");
    assert_eq!(keys.enc.as_bytes(), h2::KS_ENC);
    assert_eq!(keys.mac.as_bytes(), h2::KS_MAC);
    assert_eq!(
        protocol::group_authentication_token(&info.protocol, &keys, &chip_public),
        Ok(h2::TERMINAL_TOKEN)
    );
    assert_eq!(
        protocol::group_authentication_token(&info.protocol, &keys, &terminal_public),
        Ok(h2::CHIP_TOKEN)
    );
}

fn h1_script(mapping_response: &[u8]) -> Vec<(Vec<u8>, cccd::apdu::Response)> {
    vec![
        (
            set_at(&hex!("04007F00070202040402"), 0x02, Some(13)),
            ok(&[]),
        ),
        (
            hex!("10860000 02 7C00 00").to_vec(),
            ok(&dynamic(0x80, &h1::ENCRYPTED_NONCE)),
        ),
        (
            general_authenticate(true, 0x81, &h1::T),
            ok(mapping_response),
        ),
        (
            general_authenticate(true, 0x83, &h1::TERMINAL_PUBLIC),
            ok(&dynamic(0x84, &h1::CHIP_PUBLIC)),
        ),
        (
            general_authenticate(false, 0x85, &h1::TERMINAL_TOKEN),
            ok(&dynamic(0x86, &h1::CHIP_TOKEN)),
        ),
    ]
}

fn h1_randomness() -> Injected {
    Injected {
        ec: [h1::TERMINAL_SECRET.to_vec()].into(),
        nonces: [h1::T.to_vec()].into(),
        ..Injected::default()
    }
}

#[test]
fn h1_whole_exchange_replays_byte_for_byte() {
    let info = *SecurityInfos::parse(&h1::CARD_ACCESS)
        .expect("EF.CardAccess")
        .preferred_pace()
        .expect("PACEInfo");
    // Chips answer the integrated mapping with an empty template or with no data at all.
    for mapping_response in [vec![0x7C, 0x00], Vec::new()] {
        let mut chip = ScriptedChip {
            script: h1_script(&mapping_response),
            sent: 0,
        };
        let done = establish_detailed(&mut chip, &can(), &info, &mut h1_randomness())
            .expect("PACE succeeds");
        assert_eq!(done.channel.cipher(), Cipher::Aes128);
        assert_eq!(done.channel.ssc(), Ssc::zero());
        assert!(done.chip_authentication.is_none());
        drop(done);
        assert_eq!(chip.sent, 5);
    }
}

#[test]
fn h1_mapping_data_from_the_chip_is_refused() {
    let info = *SecurityInfos::parse(&h1::CARD_ACCESS)
        .expect("EF.CardAccess")
        .preferred_pace()
        .expect("PACEInfo");
    let mut chip = ScriptedChip {
        script: h1_script(&dynamic(0x82, &h1::CHIP_PUBLIC)),
        sent: 0,
    };
    match establish_detailed(&mut chip, &can(), &info, &mut h1_randomness()) {
        Err(PaceError::ChipResponseInvalid { step, .. }) => assert_eq!(step, PaceStep::Mapping),
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_nonce_lengths_are_typed_errors() {
    assert!(matches!(
        integrated::pseudo_random(Cipher::Aes256, &h1::NONCE, &[0; 32], 256),
        Err(IntegratedMappingError::NonceLength {
            which: "chip",
            expected: 32,
            ..
        })
    ));
    assert!(matches!(
        integrated::pseudo_random(Cipher::Aes128, &h1::NONCE, &[0; 8], 256),
        Err(IntegratedMappingError::NonceLength {
            which: "terminal",
            expected: 16,
            ..
        })
    ));
}

#[test]
fn point_encoding_lands_on_every_curve() {
    for curve in Curve::ALL {
        if curve == Curve::NistP224 {
            // p = 1 mod 4: the encoding is not defined there, and says so.
            assert!(matches!(
                integrated::map_generator_ecdh(curve, Cipher::Aes128, &[0x5A; 16], &[0xC3; 16]),
                Err(integrated::IntegratedMappingError::CurveNotSupported(
                    Curve::NistP224
                ))
            ));
            continue;
        }
        for cipher in [
            Cipher::TripleDes,
            Cipher::Aes128,
            Cipher::Aes192,
            Cipher::Aes256,
        ] {
            let s = vec![0x5A; integrated::nonce_len(cipher)];
            let t = vec![0xC3; integrated::terminal_nonce_len(cipher)];
            let mapped = integrated::map_generator_ecdh(curve, cipher, &s, &t)
                .unwrap_or_else(|e| panic!("{curve} {cipher:?}: {e}"));
            // decode_point inside checked the curve equation; the point must not be G.
            assert_ne!(mapped, curve.generator(), "{curve}");
        }
    }
}
