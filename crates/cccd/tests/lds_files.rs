//! EF.COM, DG1, DG11/DG12, DG14, EF.CardAccess, EF.CardSecurity and DG15: known-answer tests,
//! round trips and broken input. Keys and CMS structures for DG15/CardSecurity are made with the
//! `openssl` CLI (an independent implementation).

#![allow(clippy::unwrap_used, clippy::match_wildcard_for_single_variants)] // tests: a panic is a failure

mod lds_support;

use cccd::crypto::Cipher;
use cccd::lds::card_security::CardSecurity;
use cccd::lds::com::Com;
use cccd::lds::details::{TaggedDetails, tags};
use cccd::lds::dg1::Dg1;
use cccd::lds::dg14::Dg14;
use cccd::lds::dg15::{AaPublicKey, Dg15, EcCurve, NamedCurve};
use cccd::lds::security_infos::{
    ActiveAuthenticationInfo, CaProtocol, ChipAuthenticationInfo, KeyAgreement, Mapping, PaceInfo,
    PaceProtocol, SecurityInfo, SecurityInfos,
};
use cccd::lds::{DataGroup, FileId, LdsError};
use cccd::mrz::MrzFormat;
use cccd::tlv::Tag;
use lds_support::{TempDir, openssl_ok};
use proptest::prelude::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn malformed(e: LdsError, want: FileId) -> usize {
    match e {
        LdsError::Malformed { file, offset, .. } => {
            assert_eq!(file, want);
            offset
        }
        other => panic!("{other:?}"),
    }
}

/// Every prefix and an extended copy must be rejected as Malformed for `file`.
fn rejects_cuts_and_extension(
    bytes: &[u8],
    file: FileId,
    parse: impl Fn(&[u8]) -> Result<(), LdsError>,
) {
    for cut in 0..bytes.len() {
        assert!(parse(&bytes[..cut]).is_err(), "prefix {cut} accepted");
        if let Err(e) = parse(&bytes[..cut]) {
            let _ = malformed(e, file);
        }
    }
    let mut long = bytes.to_vec();
    long.push(0);
    assert_eq!(malformed(parse(&long).unwrap_err(), file), bytes.len());
    let mut wrong = bytes.to_vec();
    wrong[0] ^= 0x02;
    assert_eq!(malformed(parse(&wrong).unwrap_err(), file), 0);
}

// ---- EF.COM ----

/// EF.COM per ICAO 9303-10 4.6.1: LDS 1.7, Unicode 4.0.0, DG1, DG2, DG13, DG14, DG15.
const COM: &str = "60185F0104303130375F3606303430303030";

fn com_bytes() -> Vec<u8> {
    let mut v = hex(COM);
    v.extend_from_slice(&[0x5C, 0x05, 0x61, 0x75, 0x6D, 0x6E, 0x6F]);
    v[1] = (v.len() - 2) as u8;
    v
}

#[test]
fn com_known_answer() {
    let com = Com::parse(&com_bytes()).unwrap();
    assert_eq!(com.lds_version, "0107");
    assert_eq!(com.unicode_version, "040000");
    assert_eq!(
        com.data_groups,
        vec![
            DataGroup::Dg1,
            DataGroup::Dg2,
            DataGroup::Dg13,
            DataGroup::Dg14,
            DataGroup::Dg15
        ]
    );
    assert!(com.contains(DataGroup::Dg13) && !com.contains(DataGroup::Dg3));
    assert_eq!(com.encode().unwrap(), com_bytes());
    rejects_cuts_and_extension(&com_bytes(), FileId::Com, |b| Com::parse(b).map(|_| ()));
}

proptest! {
    #[test]
    fn com_roundtrip(dgs in proptest::collection::vec(0usize..16, 0..16), lds in "[0-9]{4}", uni in "[0-9]{6}") {
        let com = Com {
            lds_version: lds,
            unicode_version: uni,
            data_groups: dgs.iter().map(|&i| DataGroup::ALL[i]).collect(),
            unknown_tags: vec![],
        };
        prop_assert_eq!(Com::parse(&com.encode().unwrap()).unwrap(), com);
    }
}

// ---- DG1 ----

/// The fake TD1 MRZ from CARD-FACTS.md (all check digits correct).
const MRZ: [&str; 3] = [
    "IDVNM0990000017001099000001<<8",
    "9901018M3901016VNM<<<<<<<<<<<4",
    "NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<",
];

#[test]
fn dg1_vietnamese_td1() {
    let dg1 = Dg1::from_mrz(&MRZ.join("\n")).unwrap();
    let bytes = dg1.encode();
    assert_eq!(&bytes[..5], &[0x61, 0x5D, 0x5F, 0x1F, 0x5A]);
    let back = Dg1::parse(&bytes).unwrap();
    assert_eq!(back.format(), MrzFormat::Td1);
    assert_eq!(back.lines(), MRZ.to_vec());
    let f = back.td1().unwrap();
    assert_eq!(f.document_number, "099000001");
    assert_eq!(f.date_of_birth, "990101");
    assert_eq!(f.date_of_expiry, "390101");
    assert_eq!(f.nationality, "VNM");
    assert_eq!(back.vn_id_number(), Some("001099000001"));
    let typed = back.typed().unwrap();
    assert!(typed.checks.all_valid());
    assert_eq!(typed.vn_id_number.as_deref(), back.vn_id_number());
    rejects_cuts_and_extension(&bytes, FileId::Dg(DataGroup::Dg1), |b| {
        Dg1::parse(b).map(|_| ())
    });
    // Wrong inner tag, bad length, bad characters.
    let mut bad = bytes.clone();
    bad[3] = 0x1E;
    assert_eq!(
        malformed(Dg1::parse(&bad).unwrap_err(), FileId::Dg(DataGroup::Dg1)),
        2
    );
    let mut bad = bytes.clone();
    bad[10] = b'a';
    assert_eq!(
        malformed(Dg1::parse(&bad).unwrap_err(), FileId::Dg(DataGroup::Dg1)),
        5
    );
    assert!(Dg1::from_mrz("IDVNM").is_err());
}

proptest! {
    #[test]
    fn dg1_roundtrip(mrz in prop_oneof!["[A-Z0-9<]{90}", "[A-Z0-9<]{88}", "[A-Z0-9<]{72}"]) {
        let dg1 = Dg1::from_mrz(&mrz).unwrap();
        let back = Dg1::parse(&dg1.encode()).unwrap();
        prop_assert_eq!(back.mrz(), mrz.as_str());
    }

    #[test]
    fn parsers_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Com::parse(&data);
        let _ = Dg1::parse(&data);
        let _ = Dg14::parse(&data);
        let _ = Dg15::parse(&data);
        let _ = SecurityInfos::parse(&data);
        let _ = CardSecurity::parse(&data);
        let _ = TaggedDetails::parse(&data, DataGroup::Dg11);
    }
}

// ---- DG11 ----

#[test]
fn dg11_keeps_every_element() {
    let mut v = vec![0x5C, 0x04, 0x5F, 0x0E, 0x5F, 0x2B];
    v.extend_from_slice(&[0x5F, 0x0E, 0x05]);
    v.extend_from_slice(b"A<<BC");
    v.extend_from_slice(&[0x5F, 0x2B, 0x08]);
    v.extend_from_slice(b"19990101");
    v.extend_from_slice(&[0x5F, 0x50, 0x01, 0x07]); // unknown tag kept
    let mut bytes = vec![0x6B, v.len() as u8];
    bytes.extend_from_slice(&v);
    let d = TaggedDetails::parse(&bytes, DataGroup::Dg11).unwrap();
    assert_eq!(d.tag_list, vec![tags::FULL_NAME, tags::FULL_DATE_OF_BIRTH]);
    assert_eq!(
        d.text(tags::FULL_DATE_OF_BIRTH).as_deref(),
        Some("19990101")
    );
    assert_eq!(d.elements.len(), 3);
    assert_eq!(d.elements[2].0, Tag::new(0x5F50));
    assert_eq!(d.encode(), bytes);
    assert!(TaggedDetails::parse(&bytes, DataGroup::Dg12).is_err());
    rejects_cuts_and_extension(&bytes, FileId::Dg(DataGroup::Dg11), |b| {
        TaggedDetails::parse(b, DataGroup::Dg11).map(|_| ())
    });
}

// ---- EF.CardAccess / DG14 ----

/// EF.CardAccess as read from Vietnamese cards (CARD-FACTS.md).
const CARD_ACCESS: &str = "3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d";

#[test]
fn card_access_from_real_cards() {
    let bytes = hex(CARD_ACCESS);
    let infos = SecurityInfos::parse(&bytes).unwrap();
    assert_eq!(infos.infos.len(), 3);
    match &infos.infos[0] {
        SecurityInfo::TerminalAuthentication(ta) => {
            assert_eq!((ta.version, ta.ef_cvca.is_none()), (1, true));
        }
        other => panic!("{other:?}"),
    }
    // id-CA-ECDH-AES-CBC-CMAC-128
    assert_eq!(
        infos.infos[1],
        SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
            protocol: CaProtocol {
                key_agreement: KeyAgreement::Ecdh,
                cipher: Cipher::Aes128
            },
            version: 1,
            key_id: None,
        })
    );
    // id-PACE-ECDH-GM-AES-CBC-CMAC-128, brainpoolP256r1 (13)
    assert_eq!(
        infos.infos[2],
        SecurityInfo::Pace(PaceInfo {
            protocol: PaceProtocol {
                mapping: Mapping::Generic,
                key_agreement: KeyAgreement::Ecdh,
                cipher: Cipher::Aes128
            },
            version: 2,
            parameter_id: Some(13),
        })
    );
    assert_eq!(infos.encode(), bytes);
    // A cut or extended SET is refused (the CardAccess file has no wrapper of its own).
    for cut in 0..bytes.len() {
        assert!(SecurityInfos::parse(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(SecurityInfos::parse(&longer).is_err());
}

fn openssl_spki(dir: &TempDir, genkey: &[&str], pubout: &[&str]) -> Vec<u8> {
    openssl_ok(&dir.0, genkey);
    openssl_ok(&dir.0, pubout);
    std::fs::read(dir.path("pub.der")).unwrap()
}

fn ec_spki(dir: &TempDir, curve: &str, explicit: bool) -> Vec<u8> {
    let enc = if explicit { "explicit" } else { "named_curve" };
    openssl_spki(
        dir,
        &[
            "ecparam",
            "-name",
            curve,
            "-genkey",
            "-param_enc",
            enc,
            "-out",
            "k.pem",
        ],
        &[
            "ec",
            "-in",
            "k.pem",
            "-pubout",
            "-param_enc",
            enc,
            "-outform",
            "DER",
            "-out",
            "pub.der",
        ],
    )
}

#[test]
fn dg14_with_chip_authentication_key() {
    let dir = TempDir::new("dg14");
    let spki = ec_spki(&dir, "brainpoolP256r1", false);
    // ChipAuthenticationPublicKeyInfo { id-PK-ECDH, spki } + the CardAccess infos.
    let mut pk = vec![
        0x06, 0x09, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x01, 0x02,
    ];
    pk.extend_from_slice(&spki);
    let pk_info = cccd::tlv::encode(Tag::new(0x30), &pk);
    let ca = hex(CARD_ACCESS);
    let (set, _) = cccd::tlv::Tlv::parse(&ca).unwrap();
    let mut body = set.value().to_vec();
    body.extend_from_slice(&pk_info);
    let set = cccd::tlv::encode(Tag::new(0x31), &body);
    let dg14 = cccd::tlv::encode(Tag::new(0x6E), &set);
    let parsed = Dg14::parse(&dg14).unwrap();
    let keys: Vec<_> = parsed
        .security_infos
        .chip_authentication_public_keys()
        .collect();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].key_agreement, KeyAgreement::Ecdh);
    assert_eq!(keys[0].public_key_info, spki);
    let point = keys[0].ec_public_key().unwrap().to_uncompressed().unwrap();
    assert_eq!(point.len(), 65);
    assert!(spki.ends_with(&point));
    // Re-encoding is DER (sorted SET) and parses back to the same infos.
    let again = Dg14::parse(&parsed.encode()).unwrap();
    let mut a = again.security_infos.infos.clone();
    let mut b = parsed.security_infos.infos.clone();
    a.sort_by_key(SecurityInfo::encode);
    b.sort_by_key(SecurityInfo::encode);
    assert_eq!(a, b);
    rejects_cuts_and_extension(&dg14, FileId::Dg(DataGroup::Dg14), |b| {
        Dg14::parse(b).map(|_| ())
    });
}

#[test]
fn card_security_signed_by_openssl() {
    let dir = TempDir::new("cardsec");
    let _pki = lds_support::make_pki(&dir, lds_support::KeyKind::P256);
    std::fs::write(dir.path("infos.der"), hex(CARD_ACCESS)).unwrap();
    openssl_ok(
        &dir.0,
        &[
            "x509", "-inform", "DER", "-in", "dsc.der", "-out", "dsc.pem",
        ],
    );
    openssl_ok(
        &dir.0,
        &[
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-in",
            "infos.der",
            "-signer",
            "dsc.pem",
            "-inkey",
            "dsc.key",
            "-econtent_type",
            "0.4.0.127.0.7.3.2.1",
            "-outform",
            "DER",
            "-out",
            "cs.der",
        ],
    );
    let cs_bytes = std::fs::read(dir.path("cs.der")).unwrap();
    let cs = CardSecurity::parse(&cs_bytes).unwrap();
    assert_eq!(cs.security_infos.infos.len(), 3);
    assert_eq!(cs.signed_data.content, hex(CARD_ACCESS));
    assert_eq!(cs.signed_data.certificates.len(), 1);
    let si = &cs.signed_data.signer_infos[0];
    assert!(si.signed_attrs.as_ref().unwrap().message_digest().is_some());
    assert_eq!(
        cs.signed_data.signer_certificate(si),
        Some(cs.signed_data.certificates[0].as_slice())
    );
    // Broken copies.
    for cut in [0, 1, 10, cs_bytes.len() / 2, cs_bytes.len() - 1] {
        let _ = malformed(
            CardSecurity::parse(&cs_bytes[..cut]).unwrap_err(),
            FileId::CardSecurity,
        );
    }
}

proptest! {
    #[test]
    fn security_infos_roundtrip(
        items in proptest::collection::vec((0u8..3, 1u64..300, proptest::option::of(0u64..70000)), 0..6)
    ) {
        let ciphers = [Cipher::TripleDes, Cipher::Aes128, Cipher::Aes192, Cipher::Aes256];
        let cipher = |v: u64| ciphers[usize::try_from(v % 4).unwrap()];
        let infos: Vec<SecurityInfo> = items.iter().map(|&(k, v, opt)| match k {
            0 => SecurityInfo::Pace(PaceInfo {
                protocol: PaceProtocol { mapping: Mapping::Generic, key_agreement: KeyAgreement::Ecdh, cipher: cipher(v) },
                version: v,
                parameter_id: opt,
            }),
            1 => SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
                protocol: CaProtocol { key_agreement: KeyAgreement::Ecdh, cipher: cipher(v) },
                version: v,
                key_id: opt,
            }),
            _ => SecurityInfo::ActiveAuthentication(ActiveAuthenticationInfo {
                version: v,
                signature_algorithm: format!("0.4.0.127.0.7.1.1.4.1.{v}"),
            }),
        }).collect();
        let dg = Dg14 { security_infos: SecurityInfos { infos } };
        let bytes = dg.encode();
        let back = Dg14::parse(&bytes).unwrap();
        prop_assert_eq!(back.encode(), bytes);
        let mut a = back.security_infos.infos;
        let mut b = dg.security_infos.infos;
        a.sort_by_key(SecurityInfo::encode);
        b.sort_by_key(SecurityInfo::encode);
        prop_assert_eq!(a, b);
    }
}

// ---- DG15 ----

#[test]
fn dg15_rsa_key_matches_openssl() {
    let dir = TempDir::new("dg15rsa");
    let spki = openssl_spki(
        &dir,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:1024",
            "-out",
            "k.pem",
        ],
        &[
            "pkey", "-in", "k.pem", "-pubout", "-outform", "DER", "-out", "pub.der",
        ],
    );
    let out = cccd_testkit::openssl_in(&dir.0, &["rsa", "-in", "k.pem", "-noout", "-modulus"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let modulus_hex = text.trim().trim_start_matches("Modulus=").to_lowercase();
    let dg15 = Dg15::from_spki(&spki).unwrap();
    let bytes = dg15.encode();
    let back = Dg15::parse(&bytes).unwrap();
    assert_eq!(back.spki_der(), spki.as_slice());
    match back.key() {
        AaPublicKey::Rsa { modulus, exponent } => {
            assert_eq!(hex(&modulus_hex), *modulus);
            assert_eq!(exponent, &vec![0x01, 0x00, 0x01]);
        }
        other => panic!("{other:?}"),
    }
    rejects_cuts_and_extension(&bytes, FileId::Dg(DataGroup::Dg15), |b| {
        Dg15::parse(b).map(|_| ())
    });
}

#[test]
fn dg15_ec_named_and_explicit_curves() {
    let cases = [
        ("prime256v1", NamedCurve::NistP256),
        ("secp384r1", NamedCurve::NistP384),
        ("secp521r1", NamedCurve::NistP521),
        ("brainpoolP256r1", NamedCurve::BrainpoolP256r1),
        ("brainpoolP384r1", NamedCurve::BrainpoolP384r1),
        ("brainpoolP512r1", NamedCurve::BrainpoolP512r1),
    ];
    for (name, curve) in cases {
        for explicit in [false, true] {
            let dir = TempDir::new("dg15ec");
            let spki = ec_spki(&dir, name, explicit);
            let dg = Dg15::parse(&Dg15::from_spki(&spki).unwrap().encode()).unwrap();
            match dg.key() {
                AaPublicKey::Ec { curve: c, point } => {
                    let want = if explicit {
                        EcCurve::Explicit(curve)
                    } else {
                        EcCurve::Named(curve)
                    };
                    assert_eq!(*c, want, "{name} explicit={explicit}");
                    assert!(spki.ends_with(point) && point[0] == 0x04);
                }
                other => panic!("{other:?}"),
            }
        }
    }
    // A curve we do not know (secp256k1) is kept, not rejected.
    let dir = TempDir::new("dg15k1");
    let spki = ec_spki(&dir, "secp256k1", true);
    match Dg15::from_spki(&spki).unwrap().key() {
        AaPublicKey::Ec {
            curve: EcCurve::Unknown(_),
            ..
        } => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn dg14_errors_point_into_the_file() {
    let dg14 = cccd::tlv::encode(Tag::new(0x6E), &hex(CARD_ACCESS));
    let parsed = Dg14::parse(&dg14).unwrap();
    assert_eq!(parsed.security_infos.infos.len(), 3);
    assert_eq!(parsed.security_infos.pace_infos().count(), 1);
    assert_eq!(
        Dg14::security_infos_der(&dg14).unwrap(),
        hex(CARD_ACCESS).as_slice()
    );
    let mut bad = dg14.clone();
    bad[4] = 0x31; // first SecurityInfo is no longer a SEQUENCE
    assert_eq!(
        malformed(Dg14::parse(&bad).unwrap_err(), FileId::Dg(DataGroup::Dg14)),
        4
    );
}

proptest! {
    /// DG15 from an RSA SubjectPublicKeyInfo assembled with the generic TLV writer.
    #[test]
    fn dg15_rsa_roundtrip(n in proptest::collection::vec(any::<u8>(), 1..300), e in proptest::collection::vec(1u8.., 1..4)) {
        use cccd::lds::asn1::{enc_seq, enc_uint_bytes};
        let rsa_oid = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
        let alg = enc_seq(&[&rsa_oid, &[0x05, 0x00]]);
        let key = enc_seq(&[&enc_uint_bytes(&n), &enc_uint_bytes(&e)]);
        let mut bits = vec![0u8];
        bits.extend_from_slice(&key);
        let spki = enc_seq(&[&alg, &cccd::tlv::encode(Tag::new(0x03), &bits)]);
        let dg = Dg15::from_spki(&spki).unwrap();
        let back = Dg15::parse(&dg.encode()).unwrap();
        prop_assert_eq!(&back, &dg);
        let trimmed: Vec<u8> = {
            let i = n.iter().position(|&b| b != 0).unwrap_or(n.len() - 1);
            n[i..].to_vec()
        };
        match back.key() {
            AaPublicKey::Rsa { modulus, exponent } => {
                prop_assert_eq!(modulus, &trimmed);
                prop_assert_eq!(exponent, &e);
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }
}
