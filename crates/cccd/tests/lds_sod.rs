//! EF.SOD: the builder signs with RSA PKCS#1 v1.5, RSA-PSS, ECDSA P-256 and brainpoolP384r1;
//! `openssl cms -verify` (an independent implementation) must accept the result against a CSCA
//! made by openssl, and must reject a tampered copy. Our parser must read back what was signed.

#![allow(clippy::unwrap_used, clippy::match_wildcard_for_single_variants)] // tests: a panic is a failure

mod lds_support;

use cccd::crypto::HashAlgorithm;
use cccd::lds::sod::Sod;
use cccd::lds::sod_builder::{DocumentSignerKey, SodBuilder};
use cccd::lds::{DataGroup, FileId, LdsError};
use lds_support::{KeyKind, TempDir, make_pki, openssl};
use p256::pkcs8::DecodePrivateKey;
use sha2::Digest;

const DG1: &[u8] = b"\x61\x5D\x5F\x1F\x5AIDVNM0990000017001099000001<<89901018M3901016VNM<<<<<<<<<<<4NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";
const DG13: &[u8] = &[0x6D, 0x03, 0x30, 0x01, 0x00];

fn key_for(kind: KeyKind, pss: bool, pkcs8: &[u8]) -> DocumentSignerKey {
    match kind {
        KeyKind::Rsa => {
            let k = rsa::PrivateKey::from_pkcs8_der(pkcs8).unwrap();
            if pss {
                DocumentSignerKey::RsaPssSha256(k)
            } else {
                DocumentSignerKey::RsaPkcs1v15Sha256(k)
            }
        }
        KeyKind::P256 => {
            DocumentSignerKey::EcdsaP256(p256::ecdsa::SigningKey::from_pkcs8_der(pkcs8).unwrap())
        }
        KeyKind::BrainpoolP384 => DocumentSignerKey::EcdsaBrainpoolP384(
            ecdsa::SigningKey::<bp384::BrainpoolP384r1>::from_pkcs8_der(pkcs8).unwrap(),
        ),
    }
}

/// openssl cms -verify on the ContentInfo (EF.SOD without its 0x77 wrapper).
fn openssl_verifies(dir: &TempDir, sod: &[u8], name: &str) -> bool {
    let ci = Sod::content_info_der(sod).unwrap();
    std::fs::write(dir.path(name), ci).unwrap();
    let (ok, _err) = openssl(
        &dir.0,
        &[
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            name,
            "-CAfile",
            "csca.pem",
            "-purpose",
            "any",
            "-binary",
            "-out",
            "content.out",
        ],
    );
    ok
}

fn check(kind: KeyKind, pss: bool, hash: HashAlgorithm) {
    let dir = TempDir::new("sod");
    let pki = make_pki(&dir, kind);
    let key = key_for(kind, pss, &pki.dsc_key_pkcs8);
    let sod = SodBuilder::new()
        .hash_algorithm(hash)
        .data_group(DataGroup::Dg1, DG1)
        .data_group(DataGroup::Dg13, DG13)
        .signing_time("260101000000Z")
        .build(&pki.dsc_der, &key)
        .unwrap();

    assert!(
        openssl_verifies(&dir, &sod, "sod.der"),
        "openssl rejects {kind:?} pss={pss}"
    );
    // openssl's view of the signed content is the LDSSecurityObject we parse.
    let content = std::fs::read(dir.path("content.out")).unwrap();

    let parsed = Sod::parse(&sod).unwrap();
    assert_eq!(parsed.signed_data.content, content);
    let lso = &parsed.lds_security_object;
    assert_eq!(lso.hash(), Some(hash));
    let expect_dg1: Vec<u8> = match hash {
        HashAlgorithm::Sha1 => sha1::Sha1::digest(DG1).to_vec(),
        HashAlgorithm::Sha224 => sha2::Sha224::digest(DG1).to_vec(),
        HashAlgorithm::Sha256 => sha2::Sha256::digest(DG1).to_vec(),
        HashAlgorithm::Sha384 => sha2::Sha384::digest(DG1).to_vec(),
        HashAlgorithm::Sha512 => sha2::Sha512::digest(DG1).to_vec(),
    };
    assert_eq!(lso.hash_of(DataGroup::Dg1), Some(expect_dg1.as_slice()));
    assert!(lso.hash_of(DataGroup::Dg2).is_none());
    assert_eq!(parsed.signed_data.certificates, vec![pki.dsc_der.clone()]);
    let si = &parsed.signed_data.signer_infos[0];
    assert_eq!(
        parsed.signed_data.signer_certificate(si),
        Some(pki.dsc_der.as_slice())
    );
    let attrs = si.signed_attrs.as_ref().unwrap();
    assert_eq!(attrs.der_for_signature[0], 0x31);
    assert!(attrs.signing_time().is_some());
    assert_eq!(attrs.content_type(), Some(cccd::oid::LDS_SECURITY_OBJECT));
    assert_eq!(
        attrs.message_digest().map(<[u8]>::len),
        Some(key.digest().output_len())
    );
    assert_eq!(si.signature_algorithm, key.signature_algorithm());

    // Tamper with the last byte of the DG13 hash inside the signed content: openssl must reject.
    let hash13 = lso.hash_of(DataGroup::Dg13).unwrap().to_vec();
    let pos = sod
        .windows(hash13.len())
        .position(|w| w == hash13.as_slice())
        .unwrap();
    let mut bad = sod.clone();
    bad[pos + hash13.len() - 1] ^= 0x01;
    assert!(
        !openssl_verifies(&dir, &bad, "bad.der"),
        "openssl accepted a tampered SOD"
    );
    // Tamper with the signature itself.
    let mut bad = sod.clone();
    let sig = &si.signature;
    let pos = sod
        .windows(sig.len())
        .position(|w| w == sig.as_slice())
        .unwrap();
    bad[pos + 10] ^= 0x01;
    assert!(
        !openssl_verifies(&dir, &bad, "bad2.der"),
        "openssl accepted a bad signature"
    );
}

#[test]
fn rsa_pkcs1v15_sha256_verifies_with_openssl() {
    check(KeyKind::Rsa, false, HashAlgorithm::Sha256);
}

#[test]
fn rsa_pss_sha256_verifies_with_openssl() {
    check(KeyKind::Rsa, true, HashAlgorithm::Sha256);
}

#[test]
fn ecdsa_p256_verifies_with_openssl() {
    check(KeyKind::P256, false, HashAlgorithm::Sha256);
}

#[test]
fn ecdsa_brainpool_p384_verifies_with_openssl() {
    check(KeyKind::BrainpoolP384, false, HashAlgorithm::Sha256);
}

#[test]
fn other_dg_hash_algorithms_verify_with_openssl() {
    for h in [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ] {
        check(KeyKind::P256, false, h);
    }
}

/// The signed attributes are kept as the exact bytes that were signed: an ECDSA P-256
/// signature made by the builder verifies over `der_for_signature` with the DSC's public key.
#[test]
fn signed_attributes_are_the_signed_bytes() {
    use der::Decode;
    use p256::ecdsa::signature::Verifier;
    let dir = TempDir::new("sodattrs");
    let pki = make_pki(&dir, KeyKind::P256);
    let key = key_for(KeyKind::P256, false, &pki.dsc_key_pkcs8);
    let sod = SodBuilder::new()
        .data_group(DataGroup::Dg1, DG1)
        .build(&pki.dsc_der, &key)
        .unwrap();
    let parsed = Sod::parse(&sod).unwrap();
    let si = &parsed.signed_data.signer_infos[0];
    let cert = x509_cert::Certificate::from_der(&pki.dsc_der).unwrap();
    let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(
        cert.tbs_certificate()
            .subject_public_key_info()
            .subject_public_key
            .raw_bytes(),
    )
    .unwrap();
    let sig = p256::ecdsa::Signature::from_der(&si.signature).unwrap();
    let signed = &si.signed_attrs.as_ref().unwrap().der_for_signature;
    assert!(vk.verify(signed, &sig).is_ok());
    let mut other = signed.clone();
    let last = other.len() - 1;
    other[last] ^= 1;
    assert!(vk.verify(&other, &sig).is_err());
}

proptest::proptest! {
    /// LDSSecurityObject encode/parse round trip.
    #[test]
    fn lds_security_object_roundtrip(
        // Each data group at most once: a list naming one twice is refused (test below).
        hashes in proptest::collection::btree_map(1u32..=16, proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64), 0..16),
        v1 in proptest::prelude::any::<bool>(),
    ) {
        use cccd::lds::sod::{DataGroupHash, LdsSecurityObject};
        let lso = LdsSecurityObject {
            version: u64::from(v1),
            hash_algorithm: cccd::lds::asn1::AlgorithmIdentifier::new(HashAlgorithm::Sha256.oid()),
            data_group_hashes: hashes.iter().map(|(n, h)| DataGroupHash {
                data_group: DataGroup::from_number(*n).unwrap(),
                hash: h.clone(),
            }).collect(),
            lds_version_info: v1.then(|| ("0108".to_string(), "040000".to_string())),
        };
        let der = lso.encode();
        proptest::prop_assert_eq!(LdsSecurityObject::parse(&der, 0).unwrap(), lso.clone());
        // The same object with one data group listed a second time (another hash) is refused.
        if let Some(first) = lso.data_group_hashes.first().cloned() {
            let mut twice = lso;
            twice.data_group_hashes.push(DataGroupHash { hash: vec![0xAA; 32], ..first });
            proptest::prop_assert!(LdsSecurityObject::parse(&twice.encode(), 0).is_err());
        }
    }
}

#[test]
fn parser_rejects_truncated_overlong_and_wrong_tag() {
    let dir = TempDir::new("sodneg");
    let pki = make_pki(&dir, KeyKind::P256);
    let key = key_for(KeyKind::P256, false, &pki.dsc_key_pkcs8);
    let sod = SodBuilder::new()
        .data_group(DataGroup::Dg1, DG1)
        .build(&pki.dsc_der, &key)
        .unwrap();
    for cut in [0, 1, 4, 100, sod.len() / 2, sod.len() - 1] {
        match Sod::parse(&sod[..cut]) {
            Err(LdsError::Malformed {
                file: FileId::Sod, ..
            }) => {}
            other => panic!("cut {cut}: {other:?}"),
        }
    }
    let mut long = sod.clone();
    long.push(0);
    assert!(matches!(
        Sod::parse(&long),
        Err(LdsError::Malformed { file: FileId::Sod, offset, .. }) if offset == sod.len()
    ));
    let mut wrong = sod.clone();
    wrong[0] = 0x76;
    assert!(matches!(
        Sod::parse(&wrong),
        Err(LdsError::Malformed { offset: 0, .. })
    ));
    // A corrupted certificate is reported as a certificate error at its offset.
    let pos = sod
        .windows(pki.dsc_der.len())
        .position(|w| w == pki.dsc_der.as_slice())
        .unwrap();
    let mut bad = sod.clone();
    bad[pos + 4] = 0x05; // inner TBSCertificate tag becomes NULL
    match Sod::parse(&bad) {
        Err(LdsError::Malformed { offset, .. }) => assert!(offset >= pos, "{offset} < {pos}"),
        other => panic!("{other:?}"),
    }
}

/// A real-world CMS SignedData: the ICAO master list (`shared/realworld`, published by ICAO).
/// Its messageDigest attribute must equal the hash of the content under the signer's digest
/// algorithm, which checks that content and attributes were located exactly.
#[test]
fn icao_master_list_cms_parses() {
    use cccd::lds::sod::SignedData;
    // Required, as in tests/masterlist.rs: a missing sample fails rather than skips.
    let path = cccd_testkit::realworld("icao-masterlist-2025-07.ml")
        .expect("shared/realworld/icao-masterlist-2025-07.ml not found: set CCCD_SHARED");
    let bytes = std::fs::read(&path).expect("read the master list");
    let sd = SignedData::parse_der(&bytes).unwrap();
    assert_eq!(sd.content_type.to_string(), "2.23.136.1.1.2");
    assert!(!sd.certificates.is_empty());
    let si = &sd.signer_infos[0];
    assert!(sd.signer_certificate(si).is_some());
    let hash = HashAlgorithm::from_oid(&si.digest_algorithm.oid).unwrap();
    let md = si.signed_attrs.as_ref().unwrap().message_digest().unwrap();
    assert_eq!(md, hash.digest(&sd.content).as_slice());
}

/// An EF.SOD whose CMS was made by `openssl cms -sign -keyid` (subjectKeyIdentifier signer id,
/// openssl's own attribute set) around an LDSSecurityObject: our parser reads it and finds the
/// signer certificate by key identifier.
#[test]
fn openssl_signed_sod_with_key_identifier_parses() {
    use cccd::lds::sod::{DataGroupHash, LdsSecurityObject, SignerIdentifier};
    let dir = TempDir::new("sodkeyid");
    let pki = make_pki(&dir, KeyKind::P256);
    let lso = LdsSecurityObject {
        version: 0,
        hash_algorithm: cccd::lds::asn1::AlgorithmIdentifier::new(HashAlgorithm::Sha256.oid()),
        data_group_hashes: vec![DataGroupHash {
            data_group: DataGroup::Dg1,
            hash: sha2::Sha256::digest(DG1).to_vec(),
        }],
        lds_version_info: None,
    };
    std::fs::write(dir.path("lso.der"), lso.encode()).unwrap();
    lds_support::openssl_ok(
        &dir.0,
        &[
            "x509", "-inform", "DER", "-in", "dsc.der", "-out", "dsc.pem",
        ],
    );
    lds_support::openssl_ok(
        &dir.0,
        &[
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-keyid",
            "-md",
            "sha256",
            "-in",
            "lso.der",
            "-signer",
            "dsc.pem",
            "-inkey",
            "dsc.key",
            "-econtent_type",
            "2.23.136.1.1.1",
            "-outform",
            "DER",
            "-out",
            "ci.der",
        ],
    );
    let ci = std::fs::read(dir.path("ci.der")).unwrap();
    let sod = cccd::tlv::encode(cccd::tlv::Tag::new(0x77), &ci);
    let parsed = Sod::parse(&sod).unwrap();
    assert_eq!(parsed.lds_security_object, lso);
    let si = &parsed.signed_data.signer_infos[0];
    assert!(matches!(si.sid, SignerIdentifier::SubjectKeyIdentifier(_)));
    assert_eq!(si.version, 3);
    assert_eq!(
        parsed.signed_data.signer_certificate(si),
        Some(pki.dsc_der.as_slice())
    );
    let attrs = si.signed_attrs.as_ref().unwrap();
    assert_eq!(
        attrs.message_digest(),
        Some(sha2::Sha256::digest(lso.encode()).as_slice())
    );
}

/// SodBuilder -> Sod::parse round trip over random data groups (one openssl PKI, 24 cases).
#[test]
fn sod_builder_roundtrip_property() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let dir = TempDir::new("sodprop");
    let pki = make_pki(&dir, KeyKind::P256);
    let key = key_for(KeyKind::P256, false, &pki.dsc_key_pkcs8);
    let mut runner = TestRunner::new(Config::with_cases(24));
    // Distinct data groups (a security object may list each once).
    let strategy = proptest::collection::btree_map(
        1u32..=16,
        proptest::collection::vec(any::<u8>(), 0..200),
        1..8,
    );
    runner
        .run(&strategy, |dgs| {
            let mut b = SodBuilder::new();
            for (n, bytes) in &dgs {
                b = b.data_group(DataGroup::from_number(*n).unwrap(), bytes);
            }
            let sod = b.build(&pki.dsc_der, &key).unwrap();
            let parsed = Sod::parse(&sod).unwrap();
            let got = &parsed.lds_security_object.data_group_hashes;
            prop_assert_eq!(got.len(), dgs.len());
            for (h, (n, bytes)) in got.iter().zip(&dgs) {
                prop_assert_eq!(u32::from(h.data_group.number()), *n);
                let want = sha2::Sha256::digest(bytes).to_vec();
                prop_assert_eq!(&h.hash, &want);
            }
            Ok(())
        })
        .unwrap();
}
