//! EF.CardAccess of the Vietnamese cards, the ICAO worked example, DG14-style infos, and broken
//! inputs.

use super::*;
use crate::crypto::Cipher;
use crate::ec::Curve;
use hex_literal::hex;
use proptest::prelude::*;

/// EF.CardAccess as seen on Vietnamese ID cards (CARD-FACTS.md).
const VN_CARD_ACCESS: [u8; 54] = hex!(
    "3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d"
);

#[test]
fn vietnamese_card_access_decodes_exactly() {
    let infos = SecurityInfos::parse(&VN_CARD_ACCESS).expect("parse");
    assert_eq!(
        infos.infos,
        vec![
            SecurityInfo::TerminalAuthentication(TerminalAuthenticationInfo {
                version: 1,
                ef_cvca: None
            }),
            SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
                protocol: CaProtocol {
                    key_agreement: KeyAgreement::Ecdh,
                    cipher: Cipher::Aes128
                },
                version: 1,
                key_id: None
            }),
            SecurityInfo::Pace(PaceInfo {
                protocol: PaceProtocol {
                    mapping: Mapping::Generic,
                    key_agreement: KeyAgreement::Ecdh,
                    cipher: Cipher::Aes128
                },
                version: 2,
                parameter_id: Some(13)
            }),
        ]
    );
    let pace = infos.preferred_pace().expect("usable PACE");
    assert_eq!(pace.curve(), Ok(Curve::BrainpoolP256r1));
    // id-PACE-ECDH-GM-AES-CBC-CMAC-128 = 0.4.0.127.0.7.2.2.4.2.2.
    assert_eq!(pace.protocol.oid(), hex!("04007F00070202040202"));
    let ca = infos.chip_authentication_infos().next().expect("CA");
    assert_eq!(ca.protocol.oid(), hex!("04007F00070202030202"));
}

/// ICAO 9303-11 Appendix G.1: EF.CardAccess with one PACEInfo (ECDH-GM, AES-128, param 13).
#[test]
fn icao_worked_example_card_access() {
    let infos =
        SecurityInfos::parse(&hex!("31143012060A04007F0007020204020202010202010D")).expect("parse");
    assert_eq!(infos.pace_infos().count(), 1);
    assert_eq!(
        infos.preferred_pace().map(PaceInfo::curve),
        Some(Ok(Curve::BrainpoolP256r1))
    );
}

#[test]
fn every_pace_oid_round_trips() {
    for mapping_arc in [1u8, 2, 3, 4, 6] {
        for cipher_arc in 1u8..=4 {
            let oid = [
                0x04,
                0x00,
                0x7F,
                0x00,
                0x07,
                0x02,
                0x02,
                0x04,
                mapping_arc,
                cipher_arc,
            ];
            let protocol = PaceProtocol::from_oid(&oid).expect("PACE OID");
            assert_eq!(protocol.oid(), oid);
        }
    }
    assert_eq!(PaceProtocol::from_oid(&hex!("04007F00070202040205")), None);
    assert_eq!(PaceProtocol::from_oid(&hex!("04007F00070202040502")), None);
}

#[test]
fn dg14_style_infos_decode() {
    use crate::tlv::{Tag, encode, encode_constructed};
    // ChipAuthenticationPublicKeyInfo with a named-curve brainpoolP256r1 key (the generator as
    // a stand-in public key), and an ActiveAuthenticationInfo with ecdsa-with-SHA256.
    let point = Curve::BrainpoolP256r1
        .generator()
        .to_uncompressed()
        .expect("G");
    let mut bits = vec![0];
    bits.extend_from_slice(&point);
    let algorithm = encode_constructed(
        Tag::new(0x30),
        [
            &encode(Tag::new(0x06), &hex!("2A8648CE3D0201"))[..],
            &encode(Tag::new(0x06), &hex!("2B2403030208010107"))[..],
        ],
    );
    let spki = encode_constructed(
        Tag::new(0x30),
        [&algorithm[..], &encode(Tag::new(0x03), &bits)[..]],
    );
    let pk_info = encode_constructed(
        Tag::new(0x30),
        [
            &encode(Tag::new(0x06), &hex!("04007F0007020201 02"))[..],
            &spki[..],
            &encode(Tag::new(0x02), &[1])[..],
        ],
    );
    let aa_info = encode_constructed(
        Tag::new(0x30),
        [
            &encode(Tag::new(0x06), &hex!("6781080101 05"))[..],
            &encode(Tag::new(0x02), &[1])[..],
            &encode(Tag::new(0x06), &hex!("2A8648CE3D040302"))[..],
        ],
    );
    let unknown = encode_constructed(
        Tag::new(0x30),
        [
            &encode(Tag::new(0x06), &hex!("2A0304"))[..],
            &encode(Tag::new(0x04), b"x")[..],
        ],
    );
    let set = encode_constructed(Tag::new(0x31), [&pk_info[..], &aa_info[..], &unknown[..]]);
    let infos = SecurityInfos::parse(&set).expect("parse");
    let key = infos
        .chip_authentication_public_keys()
        .next()
        .expect("CA key");
    assert_eq!(key.key_agreement, KeyAgreement::Ecdh);
    assert_eq!(key.key_id, Some(1));
    assert_eq!(key.ec_public_key(), Ok(Curve::BrainpoolP256r1.generator()));
    assert_eq!(
        infos
            .active_authentication()
            .map(|a| a.signature_algorithm.as_str()),
        Some("1.2.840.10045.4.3.2")
    );
    match &infos.infos[2] {
        SecurityInfo::Unknown(u) => {
            assert_eq!(u.protocol, "1.2.3.4");
            assert_eq!(u.der, unknown);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn truncated_inputs_are_typed_errors_with_offsets() {
    for cut in 0..VN_CARD_ACCESS.len() {
        let err = SecurityInfos::parse(&VN_CARD_ACCESS[..cut]).expect_err("truncated");
        assert!(err.offset() <= cut, "cut {cut}: {err}");
    }
}

#[test]
fn wrong_tags_and_garbage_are_refused() {
    // A SEQUENCE where the SET should be.
    let mut wrong_outer = VN_CARD_ACCESS;
    wrong_outer[0] = 0x30;
    assert!(matches!(
        SecurityInfos::parse(&wrong_outer),
        Err(SecurityInfosError::Tlv(_))
    ));
    // A SET holding an INTEGER.
    assert!(matches!(
        SecurityInfos::parse(&hex!("3103020101")),
        Err(SecurityInfosError::Malformed { offset: 2, .. })
    ));
    // A SecurityInfo without an OID first.
    assert!(matches!(
        SecurityInfos::parse(&hex!("31053003020101")),
        Err(SecurityInfosError::Malformed { offset: 4, .. })
    ));
    // PACEInfo whose version is an OCTET STRING.
    assert!(matches!(
        SecurityInfos::parse(&hex!("3111300F060A04007F00070202040202040101")),
        Err(SecurityInfosError::Malformed { offset: 16, .. })
    ));
    // PACEInfo with a negative parameterId, and one with a trailing extra object.
    assert!(
        SecurityInfos::parse(&hex!("3114 3012 060A04007F00070202040202 020102 020180")).is_err()
    );
    assert!(
        SecurityInfos::parse(&hex!(
            "3117 3015 060A04007F00070202040202 020102 02010D 020100"
        ))
        .is_err()
    );
    // Trailing bytes after the SET.
    let mut trailing = VN_CARD_ACCESS.to_vec();
    trailing.push(0);
    assert!(SecurityInfos::parse(&trailing).is_err());
    assert!(SecurityInfos::parse(&[]).is_err());
    assert!(SecurityInfos::parse(&hex!("DEADBEEF")).is_err());
}

#[test]
fn unsupported_pace_parameters_are_named() {
    let info = PaceInfo {
        protocol: PaceProtocol {
            mapping: Mapping::Generic,
            key_agreement: KeyAgreement::Ecdh,
            cipher: Cipher::Aes128,
        },
        version: 2,
        parameter_id: Some(9),
    };
    // Every standardized EC id names a curve now (9: brainpoolP192r1)...
    assert_eq!(info.curve(), Ok(crate::ec::Curve::BrainpoolP192r1));
    // ...and ECDH on a DH group or a reserved id is refused by name.
    for (id, name) in [(2, "DH"), (20, "reserved")] {
        let info = PaceInfo {
            parameter_id: Some(id),
            ..info
        };
        match info.curve() {
            Err(crate::ec::EcError::Unsupported { what }) => assert!(what.contains(name), "{what}"),
            other => panic!("{other:?}"),
        }
    }
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = SecurityInfos::parse(&bytes);
    }

    #[test]
    fn never_panics_on_mutated_card_access(index in 0usize..54, value in any::<u8>()) {
        let mut bytes = VN_CARD_ACCESS;
        bytes[index] = value;
        if let Ok(infos) = SecurityInfos::parse(&bytes) {
            let _ = infos.preferred_pace();
        }
    }
}
