//! PACE against two more worked examples of ICAO Doc 9303 Part 11: Appendix G.2 (DH generic
//! mapping on the RFC 5114 1024-bit group, id-PACE-DH-GM-AES-CBC-CMAC-128, MRZ password
//! `T22000129364081251010318`) and Appendix I (chip authentication mapping on
//! brainpoolP256r1, id-PACE-ECDH-CAM-AES-CBC-CMAC-128, MRZ password
//! `C11T002JM496081222310314`). Each is replayed byte for byte through the reader, and each
//! intermediate value is checked. Every expected value is the appendix's.

mod pace_support;

use cccd::access::pace::cam::{self, CamError};
use cccd::access::pace::group::PaceGroup;
use cccd::access::pace::protocol;
use cccd::access::pace::{PaceError, establish_detailed};
use cccd::crypto::{Cipher, SessionKeys};
use cccd::ec::Curve;
use cccd::lds::security_infos::SecurityInfos;
use cccd::mrz::{AccessKey, BacKey};
use hex_literal::hex;
use pace_support::{Injected, ScriptedChip, dynamic, general_authenticate, ok, set_at, tlv};

mod g2 {
    use hex_literal::hex;
    pub const CARD_ACCESS: [u8; 22] = hex!("31143012060A04007F00070202040102020102020100");
    pub const ENCRYPTED_NONCE: [u8; 16] = hex!("854D8DF5 827FA685 2D1A4FA7 01CDDDCA");
    pub const NONCE: [u8; 16] = hex!("FA5B7E3E 49753A0D B9178B7B 9BD898C8");
    pub const TERMINAL_MAPPING_SECRET: [u8; 20] =
        hex!("5265030F 751F4AD1 8B08AC56 5FC7AC95 2E41618D");
    pub const TERMINAL_MAPPING_PUBLIC: [u8; 128] = hex!(
        "23FB3749 EA030D2A 25B278D2 A562047A DE3F01B7 4F17A154 02CB7352 CA7D2B3E
         B71C343D B13D1DEB CE9A3666 DBCFC920 B49174A6 02CB4796 5CAA73DC 702489A4
         4D41DB91 4DE9613D C5E98C94 160551C0 DF86274B 9359BC04 90D01B03 AD54022D
         CB4F57FA D6322497 D7A1E28D 46710F46 1AFE710F BBBC5F8B A166F431 1975EC6C"
    );
    pub const CHIP_MAPPING_PUBLIC: [u8; 128] = hex!(
        "78879F57 225AA808 0D52ED0F C890A4B2 5336F699 AA89A2D3 A189654A F70729E6
         23EA5738 B26381E4 DA19E004 706FACE7 B235C2DB F2F38748 312F3C98 C2DD4882
         A41947B3 24AA1259 AC22579D B93F7085 655AF308 89DBB845 D9E6783F E42C9F24
         49400306 254C8AE8 EE9DD812 A804C0B6 6E8CAFC1 4F84D825 8950A91B 44126EE6"
    );
    pub const MAPPED_GENERATOR: [u8; 128] = hex!(
        "7C9CBFE9 8F9FBDDA 8D143506 FA7D9306 F4CB17E3 C71707AF F5E1C1A1 23702496
         84D64EE3 7AF44B8D BD9D45BF 6023919C BAA027AB 97ACC771 666C8E98 FF483301
         BFA4872D EDE9034E DFACB708 14166B7F 36067682 9B826BEA 57291B5A D69FBC84
         EF1E7790 32A30580 3F743417 93E86974 2D401325 B37EE856 5FFCDEE6 18342DC5"
    );
    pub const TERMINAL_SECRET: [u8; 20] = hex!("89CCD99B 0E8D3B1F 11E1296D CA68EC53 411CF2CA");
    pub const TERMINAL_PUBLIC: [u8; 128] = hex!(
        "907D89E2 D425A178 AA81AF4A 7774EC8E 388C115C AE67031E 85EECE52 0BD91155
         1B9AE4D0 4369F29A 02626C86 FBC6747C C7BC3526 45B6161A 2A42D44E DA80A08F
         A8D61B76 D3A154AD 8A5A5178 6B0BC071 47057871 A922212C 5F67F431 73172236
         B7747D16 71E6D692 A3C7D40A 0C3C5CE3 97545D01 5C175EB5 130551ED BC2EE5D4"
    );
    pub const CHIP_PUBLIC: [u8; 128] = hex!(
        "075693D9 AE941877 573E634B 6E644F8E 60AF17A0 076B8B12 3D920107 4D36152B
         D8B3A213 F53820C4 2ADC79AB 5D0AEEC3 AEFB9139 4DA476BD 97B9B14D 0A65C1FC
         71A0E019 CB08AF55 E1F72900 5FBA7E3F A5DC4189 9238A250 767A6D46 DB974064
         386CD456 743585F8 E5D90CC8 B4004B1F 6D866C79 CE0584E4 9687FF61 BC29AEA1"
    );
    pub const SHARED_SECRET: [u8; 128] = hex!(
        "6BABC7B3 A72BCD7E A385E4C6 2DB2625B D8613B24 149E146A 629311C4 CA6698E3
         8B834B6A 9E9CD718 4BA8834A FF5043D4 36950C4C 1E783236 7C10CB8C 314D40E5
         990B0DF7 013E64B4 549E2270 923D06F0 8CFF6BD3 E977DDE6 ABE4C31D 55C0FA2E
         465E553E 77BDF75E 3193D383 4FC26E8E B1EE2FA1 E4FC97C1 8C3F6CFF FE2607FD"
    );
    pub const KS_ENC: [u8; 16] = hex!("2F7F46AD CC9E7E52 1B45D192 FAFA9126");
    pub const KS_MAC: [u8; 16] = hex!("805A1D27 D45A5116 F73C5446 9462B7D8");
    pub const TERMINAL_TOKEN: [u8; 8] = hex!("B46DD9BD 4D98381F");
    pub const CHIP_TOKEN: [u8; 8] = hex!("917F37B5 C0E6D8D1");
}

mod i {
    use hex_literal::hex;
    pub const CARD_ACCESS: [u8; 22] = hex!("31143012060A04007F0007020204060202010202010D");
    pub const K_PI: [u8; 16] = hex!("4E6F6FBF 7BE748B9 32C7B741 61BBA9DF");
    pub const ENCRYPTED_NONCE: [u8; 16] = hex!("CB60E8E0 D85B76A9 BD304747 C2AD42E2");
    pub const NONCE: [u8; 16] = hex!("658B860B C94DF6F0 44FCE6D5 C82CF8E5");
    pub const TERMINAL_MAPPING_SECRET: [u8; 32] =
        hex!("5D8BB87B D74D985A 4B7D4325 B9F7B976 FE835122 77340079 8914AA22 738135CC");
    pub const TERMINAL_MAPPING_PUBLIC: [u8; 65] = hex!(
        "04 7F1D410A DB7DDB3B 84BF1030 800981A9 105D7457 B4A3ADE0 02384F30 86C67EDE
            1AB88910 4A27DB6D 842B0190 20FBF3CE ACB0DC62 7F7BDCAC 29969E19 D0E553C1"
    );
    pub const CHIP_MAPPING_PUBLIC: [u8; 65] = hex!(
        "04 A234236A A9B9621E 8EFB73B5 245C0E09 D2576E52 77183C12 08BDD552 80CAE8B3
            04F36571 3A356E65 A451E165 ECC9AC0A C46E3771 342C8FE5 AEDD0926 85338E23"
    );
    pub const MAPPED_GENERATOR: [u8; 65] = hex!(
        "04 89F0B5EA BF3BE293 C75903A3 98613192 5C9F5B51 5CA95AF4 85DC7E88 6F03245D
            44BEFB2D D3A0DBD7 1CB5E618 971CF474 7F12B79E 548379A4 0E45963B AAF3E829"
    );
    pub const TERMINAL_SECRET: [u8; 32] =
        hex!("76ECFDAA 9841C323 A3F5FC5E 88B88DB3 EFF7E35E BF57A7E6 946CB630 006C2120");
    pub const TERMINAL_PUBLIC: [u8; 65] = hex!(
        "04 446C9340 84D9DAB8 63944F21 9520076C 29EE3F7A E6722B11 FF319EC1 C7728F95
            5483400B FF60BF0C 59292700 09277DC2 A515E125 75010AD9 BA916CF1 BF86FEFC"
    );
    pub const CHIP_PUBLIC: [u8; 65] = hex!(
        "04 02AD566F 3C6EC7F9 324509AD 50A51FA5 2030782A 4968FCFE DF737DAE A9933331
            11C3B9B4 C2287789 BD137E7F 8AA882E2 A3C633CC D6ECC2C6 3C57AD40 1A09C2E1"
    );
    pub const SHARED_SECRET: [u8; 32] =
        hex!("67950559 D0C06B4D 4B86972D 14460837 461087F8 419FDBC3 6AAF6CEA AC462832");
    pub const KS_ENC: [u8; 16] = hex!("0A9DA4DB 03BDDE39 FC5202BC 44B2E89E");
    pub const KS_MAC: [u8; 16] = hex!("4B1C0649 1ED5140C A2B537D3 44C6C0B1");
    pub const TERMINAL_TOKEN: [u8; 8] = hex!("E86BD060 18A1CD3B");
    pub const CHIP_TOKEN: [u8; 8] = hex!("8596CF05 5C67C1A3");
    pub const ENCRYPTED_CA_DATA: [u8; 48] = hex!(
        "1EEA964D AAE372AC 990E3EFD E6333353 BFC89A67 04D93DA8
         798CF77F 5B7A54BD 10CBA372 B42BE0B9 B5F28AA8 DE2F4F92"
    );
    pub const CA_IV: [u8; 16] = hex!("F6A3B75A 1E933941 DD7A13E2 520779DF");
    pub const CA_DATA: [u8; 32] =
        hex!("85DC3FA9 3D0952BF A82F5FD1 89EE75BD 82F11D1F 0B8ED4BF 5319AC9B 53C426B3");
    /// PK_IC, from the example's ChipAuthenticationPublicKeyInfo in EF.CardSecurity.
    pub const CHIP_STATIC_PUBLIC: [u8; 65] = hex!(
        "04 18727094 94399E74 70A6431B E25E83EE E24FEA56 8C2ED28D B48E05DB 3A610DC8
            84D256A4 0E35EFCB 59BF6753 D3A489D2 8C7A4D97 3C2DA138 A6E7A4A0 8F68E16F"
    );
}

#[test]
fn g2_dh_generic_mapping_step_by_step() {
    let password =
        AccessKey::Mrz(BacKey::from_fields("T22000129", "640812", "101031").expect("MRZ"));
    let infos = SecurityInfos::parse(&g2::CARD_ACCESS).expect("EF.CardAccess");
    let info = infos.pace_infos().next().expect("PACEInfo");
    let group = PaceGroup::of(info).expect("DH group 0");
    let k_pi = protocol::password_key(&password.pace_secret(), Cipher::Aes128);
    let nonce = protocol::decrypt_nonce(Cipher::Aes128, &k_pi, &g2::ENCRYPTED_NONCE).expect("s");
    assert_eq!(&nonce[..], g2::NONCE);

    let mapping = group
        .secret_from_be_bytes(&g2::TERMINAL_MAPPING_SECRET)
        .expect("x");
    assert_eq!(
        group.generator().exp(&mapping).and_then(|y| y.encode()),
        Ok(g2::TERMINAL_MAPPING_PUBLIC.to_vec())
    );
    let chip_mapping = group.decode(&g2::CHIP_MAPPING_PUBLIC).expect("valid");
    let mapped = group
        .map_generic(&nonce, &mapping, &chip_mapping)
        .expect("g'");
    assert_eq!(mapped.encode().expect("g'"), g2::MAPPED_GENERATOR);

    let terminal = group.secret_from_be_bytes(&g2::TERMINAL_SECRET).expect("x");
    assert_eq!(
        mapped.exp(&terminal).and_then(|y| y.encode()),
        Ok(g2::TERMINAL_PUBLIC.to_vec())
    );
    let chip_public = group.decode(&g2::CHIP_PUBLIC).expect("valid");
    assert_eq!(
        &chip_public.shared_secret(&terminal).expect("K")[..],
        g2::SHARED_SECRET
    );
    let keys = protocol::group_session_keys(Cipher::Aes128, &terminal, &chip_public).expect("keys");
    assert_eq!(keys.enc.as_bytes(), g2::KS_ENC);
    assert_eq!(keys.mac.as_bytes(), g2::KS_MAC);
}

#[test]
fn g2_whole_exchange_replays_byte_for_byte() {
    let password =
        AccessKey::Mrz(BacKey::from_fields("T22000129", "640812", "101031").expect("MRZ"));
    let info = *SecurityInfos::parse(&g2::CARD_ACCESS)
        .expect("EF.CardAccess")
        .pace_infos()
        .next()
        .expect("PACEInfo");
    let script = vec![
        (
            set_at(&hex!("04007F00070202040102"), 0x01, Some(0)),
            ok(&[]),
        ),
        (
            hex!("10860000 02 7C00 00").to_vec(),
            ok(&dynamic(0x80, &g2::ENCRYPTED_NONCE)),
        ),
        (
            general_authenticate(true, 0x81, &g2::TERMINAL_MAPPING_PUBLIC),
            ok(&dynamic(0x82, &g2::CHIP_MAPPING_PUBLIC)),
        ),
        (
            general_authenticate(true, 0x83, &g2::TERMINAL_PUBLIC),
            ok(&dynamic(0x84, &g2::CHIP_PUBLIC)),
        ),
        (
            general_authenticate(false, 0x85, &g2::TERMINAL_TOKEN),
            ok(&dynamic(0x86, &g2::CHIP_TOKEN)),
        ),
    ];
    let mut chip = ScriptedChip { script, sent: 0 };
    let mut randomness = Injected {
        dh: [
            g2::TERMINAL_MAPPING_SECRET.to_vec(),
            g2::TERMINAL_SECRET.to_vec(),
        ]
        .into(),
        ..Injected::default()
    };
    let done = establish_detailed(&mut chip, &password, &info, &mut randomness).expect("PACE");
    assert_eq!(done.channel.cipher(), Cipher::Aes128);
    drop(done);
    assert_eq!(chip.sent, 5);
}

#[test]
fn dh_values_outside_the_subgroup_are_refused() {
    let group = PaceGroup::of(
        SecurityInfos::parse(&g2::CARD_ACCESS)
            .expect("EF.CardAccess")
            .pace_infos()
            .next()
            .expect("PACEInfo"),
    )
    .expect("group");
    let p = group.prime();
    let mut p_minus_one = p.to_vec();
    if let Some(last) = p_minus_one.last_mut() {
        *last -= 1;
    }
    // 0, 1, p - 1 (order 2), p itself, longer than p, and 2 (not of order q).
    for bad in [
        vec![0u8],
        vec![1],
        p_minus_one,
        p.to_vec(),
        vec![1; 129],
        vec![2],
    ] {
        assert!(group.decode(&bad).is_err(), "{bad:02X?}");
    }
    assert!(group.decode(&g2::CHIP_PUBLIC).is_ok());
}

fn cam_password() -> AccessKey {
    AccessKey::Mrz(BacKey::from_fields("C11T002JM", "960812", "231031").expect("MRZ"))
}

fn cam_keys() -> SessionKeys {
    SessionKeys::derive(&i::SHARED_SECRET, Cipher::Aes128)
}

#[test]
fn i_chip_authentication_data_decrypts_and_verifies() {
    let keys = cam_keys();
    assert_eq!(keys.enc.as_bytes(), i::KS_ENC);
    assert_eq!(keys.mac.as_bytes(), i::KS_MAC);
    assert_eq!(
        cccd::crypto::encrypt_block(Cipher::Aes128, &keys.enc, &[0xFF; 16]),
        Ok(i::CA_IV.to_vec())
    );
    let data = cam::decrypt_chip_authentication_data(&keys, &i::ENCRYPTED_CA_DATA).expect("CA");
    assert_eq!(&data[..], i::CA_DATA);
    // The chip's direction: the same ciphertext from CA_IC.
    assert_eq!(
        cam::encrypt_chip_authentication_data(&keys, &i::CA_DATA),
        Ok(i::ENCRYPTED_CA_DATA.to_vec())
    );
    let curve = Curve::BrainpoolP256r1;
    let evidence = cam::CamEvidence::new(
        curve.decode_point(&i::CHIP_MAPPING_PUBLIC).expect("PK map"),
        data,
    );
    let static_key = curve.decode_point(&i::CHIP_STATIC_PUBLIC).expect("PK_IC");
    assert_eq!(evidence.verify(&static_key), Ok(()));
    // Another chip's key does not verify: a clone cannot borrow a genuine chip's key.
    let other = curve.generator();
    assert_eq!(evidence.verify(&other), Err(CamError::KeyMismatch));
}

#[test]
fn i_whole_exchange_replays_byte_for_byte() {
    let infos = SecurityInfos::parse(&i::CARD_ACCESS).expect("EF.CardAccess");
    let info = *infos.preferred_pace().expect("PACEInfo");
    let k_pi = protocol::password_key(&cam_password().pace_secret(), Cipher::Aes128);
    assert_eq!(k_pi.as_bytes(), i::K_PI);
    let last = |ca: &[u8]| {
        let mut data = tlv(0x86, &i::CHIP_TOKEN);
        data.extend_from_slice(&tlv(0x8A, ca));
        ok(&tlv(0x7C, &data))
    };
    let script = |last_response| {
        vec![
            (
                set_at(&hex!("04007F00070202040602"), 0x01, Some(13)),
                ok(&[]),
            ),
            (
                hex!("10860000 02 7C00 00").to_vec(),
                ok(&dynamic(0x80, &i::ENCRYPTED_NONCE)),
            ),
            (
                general_authenticate(true, 0x81, &i::TERMINAL_MAPPING_PUBLIC),
                ok(&dynamic(0x82, &i::CHIP_MAPPING_PUBLIC)),
            ),
            (
                general_authenticate(true, 0x83, &i::TERMINAL_PUBLIC),
                ok(&dynamic(0x84, &i::CHIP_PUBLIC)),
            ),
            (
                general_authenticate(false, 0x85, &i::TERMINAL_TOKEN),
                last_response,
            ),
        ]
    };
    let randomness = || Injected {
        ec: [
            i::TERMINAL_MAPPING_SECRET.to_vec(),
            i::TERMINAL_SECRET.to_vec(),
        ]
        .into(),
        ..Injected::default()
    };
    let mut chip = ScriptedChip {
        script: script(last(&i::ENCRYPTED_CA_DATA)),
        sent: 0,
    };
    let done =
        establish_detailed(&mut chip, &cam_password(), &info, &mut randomness()).expect("PACE");
    let evidence = done.chip_authentication.clone().expect("CAM evidence");
    assert_eq!(
        evidence.mapping_key().to_uncompressed().expect("PK"),
        i::CHIP_MAPPING_PUBLIC
    );
    assert_eq!(evidence.chip_authentication_data(), i::CA_DATA);
    let static_key = Curve::BrainpoolP256r1
        .decode_point(&i::CHIP_STATIC_PUBLIC)
        .expect("PK_IC");
    assert_eq!(evidence.verify(&static_key), Ok(()));
    drop(done);
    assert_eq!(chip.sent, 5);

    // The mapped generator of the appendix.
    let group = PaceGroup::of(&info).expect("group");
    let mapping = group
        .secret_from_be_bytes(&i::TERMINAL_MAPPING_SECRET)
        .expect("SK");
    let mapped = group
        .map_generic(
            &i::NONCE,
            &mapping,
            &group.decode(&i::CHIP_MAPPING_PUBLIC).expect("PK"),
        )
        .expect("G'");
    assert_eq!(mapped.encode().expect("G'"), i::MAPPED_GENERATOR);

    // PACE-CAM without the encrypted data is a protocol error.
    let mut chip = ScriptedChip {
        script: script(ok(&dynamic(0x86, &i::CHIP_TOKEN))),
        sent: 0,
    };
    assert!(matches!(
        establish_detailed(&mut chip, &cam_password(), &info, &mut randomness()),
        Err(PaceError::ChipResponseInvalid { .. })
    ));
}

/// The RFC 5114 constants: p odd, q | p - 1, and g a valid element of order q (the decoder's
/// range and subgroup checks accept it); a non-generator (g + 1) is refused.
#[test]
fn rfc5114_groups_are_consistent() {
    use cccd::access::pace::dh_groups::GROUPS;
    use crypto_bigint::{BoxedUint, NonZero};
    for group in GROUPS {
        let p = BoxedUint::from_be_slice_vartime(group.p);
        let q = BoxedUint::from_be_slice(group.q, p.bits_precision()).expect("q fits");
        let q = Option::<NonZero<BoxedUint>>::from(NonZero::new(q)).expect("q non-zero");
        let p_minus_one = p.wrapping_sub(BoxedUint::one_with_precision(p.bits_precision()));
        let remainder: BoxedUint = p_minus_one.rem(&q);
        assert!(bool::from(remainder.is_zero()), "{}", group.name);
        assert_eq!(group.p.last().map(|b| b & 1), Some(1), "{}", group.name);
        let pace = PaceGroup::Dh(Box::leak(Box::new(group)));
        assert_eq!(
            pace.decode(group.g).and_then(|g| g.encode()),
            Ok(group.g.to_vec())
        );
        let mut not_generator = group.g.to_vec();
        if let Some(last) = not_generator.last_mut() {
            *last ^= 1;
        }
        assert!(pace.decode(&not_generator).is_err(), "{}", group.name);
    }
}
