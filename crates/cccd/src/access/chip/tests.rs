#![allow(clippy::unwrap_used)] // tests: a panic is a failure
use super::*;
use crate::access::test_keys::ec_spki;
use crate::lds::asn1::{enc_oid, enc_seq, oid_from_arcs};

fn dg14(infos: &[Vec<u8>]) -> Dg14 {
    let refs: Vec<&[u8]> = infos.iter().map(Vec::as_slice).collect();
    let set = crate::lds::asn1::enc_set_of(&refs);
    Dg14::parse(&tlv::encode(Tag::new(0x6E), &set)).unwrap()
}

fn pk_info(spki: &[u8]) -> Vec<u8> {
    // id-PK-ECDH 0.4.0.127.0.7.2.2.1.2
    enc_seq(&[
        &enc_oid(&oid_from_arcs(&[0, 4, 0, 127, 0, 7, 2, 2, 1, 2])),
        spki,
    ])
}

fn ca_info(cipher_arc: u64) -> Vec<u8> {
    // id-CA-ECDH-<cipher> 0.4.0.127.0.7.2.2.3.2.<arc>, version 1
    enc_seq(&[
        &enc_oid(&oid_from_arcs(&[
            0, 4, 0, 127, 0, 7, 2, 2, 3, 2, cipher_arc,
        ])),
        &crate::lds::asn1::enc_uint(1),
    ])
}

#[test]
fn plan_picks_the_ecdh_key_and_the_aes_protocol() {
    let curve = Curve::BrainpoolP256r1;
    let (_, public) = curve.generate_keypair(&mut rand::rng());
    let spki = ec_spki(curve, &public.to_uncompressed().unwrap());
    let plan = CaPlan::from_dg14(&dg14(&[pk_info(&spki), ca_info(2)]), None).unwrap();
    assert_eq!(plan.protocol().cipher, Cipher::Aes128);
    assert_eq!(plan.curve(), curve);
    assert!(!plan.protocol_assumed());
    assert_eq!(plan.key_id(), None);
}

#[test]
fn plan_without_ca_info_assumes_3des_and_reads_card_access() {
    let curve = Curve::NistP256;
    let (_, public) = curve.generate_keypair(&mut rand::rng());
    let spki = ec_spki(curve, &public.to_uncompressed().unwrap());
    let only_key = dg14(&[pk_info(&spki)]);
    let plan = CaPlan::from_dg14(&only_key, None).unwrap();
    assert_eq!(plan.protocol().cipher, Cipher::TripleDes);
    assert!(plan.protocol_assumed());
    let card_access =
        crate::lds::security_infos::SecurityInfos::parse(&crate::lds::asn1::enc_set_of(&[
            &ca_info(2),
        ]))
        .unwrap();
    let plan = CaPlan::from_dg14(&only_key, Some(&card_access)).unwrap();
    assert_eq!(plan.protocol().cipher, Cipher::Aes128);
}

#[test]
fn plan_rejects_missing_and_off_curve_keys() {
    assert_eq!(
        CaPlan::from_dg14(&dg14(&[ca_info(2)]), None).unwrap_err(),
        CaError::NoKey
    );
    let mut point = vec![0x04];
    point.extend_from_slice(&[0x01; 64]);
    let spki = ec_spki(Curve::BrainpoolP256r1, &point);
    let err = CaPlan::from_dg14(&dg14(&[pk_info(&spki)]), None).unwrap_err();
    assert!(matches!(err, CaError::BadKey { .. }), "{err}");
}

#[test]
fn key_ids_are_minimal_big_endian() {
    assert_eq!(key_id_bytes(0), [0]);
    assert_eq!(key_id_bytes(1), [1]);
    assert_eq!(key_id_bytes(0x0102), [1, 2]);
}

#[test]
fn dh_keys_are_typed_unsupported() {
    use crate::lds::asn1::enc_uint;
    // dhpublicnumber (1.2.840.10046.2.1) with toy parameters {p, g, q}; y = 5.
    let params = enc_seq(&[&enc_uint(23), &enc_uint(5), &enc_uint(11)]);
    let alg = enc_seq(&[&enc_oid(&oid_from_arcs(&[1, 2, 840, 10046, 2, 1])), &params]);
    let spki = enc_seq(&[
        &alg,
        &tlv::encode(Tag::new(0x03), &[0x00, 0x02, 0x01, 0x05]),
    ]);
    // id-PK-DH 0.4.0.127.0.7.2.2.1.1
    let info = enc_seq(&[
        &enc_oid(&oid_from_arcs(&[0, 4, 0, 127, 0, 7, 2, 2, 1, 1])),
        &spki,
    ]);
    let err = CaPlan::from_dg14(&dg14(&[info]), None).unwrap_err();
    assert!(
        matches!(&err, CaError::Unsupported { what } if what.contains("DH")),
        "{err}"
    );
}
