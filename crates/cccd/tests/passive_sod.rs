//! Passive authentication end to end: EF.SOD built by `SodBuilder`, DSC and CSCA made by the
//! `openssl` command-line tool (an independent implementation), verified by
//! `cccd::passive::verify_sod` against a `TrustStore`.
#![allow(clippy::unwrap_used)] // tests: a panic is a failure

mod lds_support;

use cccd::lds::DataGroup;
use cccd::lds::sod::Sod;
use cccd::lds::sod_builder::{DocumentSignerKey, SodBuilder};
use cccd::passive::{ChainOutcome, DgHashOutcome, PassiveReport, Status, verify_sod};
use cccd::pki::TrustStore;
use cccd::pki::chain::ChainFailure;
use lds_support::{KeyKind, Pki, TempDir, make_pki, openssl_ok};
use p256::pkcs8::DecodePrivateKey;
use time::{Duration, OffsetDateTime};

const DG1: &[u8] = b"\x61\x5D\x5F\x1F\x5AIDVNM0990000017001099000001<<89901018M3901016VNM<<<<<<<<<<<4NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";
const DG2: &[u8] = &[0x75, 0x06, 0x7F, 0x61, 0x03, 0x02, 0x01, 0x01];
const DG13: &[u8] = &[0x6D, 0x05, 0x30, 0x03, 0x02, 0x01, 0x01];
const DG14: &[u8] = &[0x6E, 0x02, 0x31, 0x00];
const DG15: &[u8] = &[0x6F, 0x02, 0x30, 0x00];

fn all_dgs() -> Vec<(DataGroup, &'static [u8])> {
    vec![
        (DataGroup::Dg1, DG1),
        (DataGroup::Dg2, DG2),
        (DataGroup::Dg13, DG13),
        (DataGroup::Dg14, DG14),
        (DataGroup::Dg15, DG15),
    ]
}

fn key_for(kind: KeyKind, pkcs8: &[u8]) -> DocumentSignerKey {
    match kind {
        KeyKind::Rsa => {
            DocumentSignerKey::RsaPkcs1v15Sha256(rsa::PrivateKey::from_pkcs8_der(pkcs8).unwrap())
        }
        KeyKind::P256 => {
            DocumentSignerKey::EcdsaP256(p256::ecdsa::SigningKey::from_pkcs8_der(pkcs8).unwrap())
        }
        KeyKind::BrainpoolP384 => DocumentSignerKey::EcdsaBrainpoolP384(
            ecdsa::SigningKey::<bp384::BrainpoolP384r1>::from_pkcs8_der(pkcs8).unwrap(),
        ),
    }
}

fn store_with(pem_path: &std::path::Path) -> TrustStore {
    let mut store = TrustStore::new();
    let summary = store
        .load_pem(&std::fs::read(pem_path).unwrap(), "test")
        .unwrap();
    let _ = summary;
    assert_eq!(store.len(), 1);
    store
}

fn build(pki: &Pki, kind: KeyKind, dgs: &[(DataGroup, &[u8])]) -> Vec<u8> {
    let mut builder = SodBuilder::new();
    for (dg, bytes) in dgs {
        builder = builder.data_group(*dg, bytes);
    }
    builder
        .build(&pki.dsc_der, &key_for(kind, &pki.dsc_key_pkcs8))
        .unwrap()
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn status_of(report: &PassiveReport, name: &str) -> Status {
    report
        .checks()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no check {name}"))
        .status
}

fn assert_genuine(kind: KeyKind) {
    let dir = TempDir::new("passive-genuine");
    let pki = make_pki(&dir, kind);
    let sod = build(&pki, kind, &all_dgs());
    let store = store_with(&pki.csca_pem);
    let report = verify_sod(&sod, all_dgs(), &store, now());
    assert!(report.fully_verified(), "{kind:?}:\n{report}");
    assert!(report.sod.is_pass());
    assert!(report.content_type.is_pass());
    assert!(report.message_digest.is_pass());
    assert!(report.signature.is_pass());
    assert!(
        matches!(&report.chain, ChainOutcome::Verified { csca_subject, .. } if csca_subject.contains("Test CSCA")),
        "{:?}",
        report.chain
    );
    for (dg, _) in all_dgs() {
        assert_eq!(report.data_group(dg), Some(DgHashOutcome::Match), "{dg}");
    }
    let signer = report.signer.as_ref().unwrap();
    assert!(signer.subject.contains("Test DSC"));
    assert!(signer.issuer.contains("Test CSCA"));
    assert!(signer.not_after.unwrap() > now());
}

#[test]
fn genuine_rsa_document_passes_everything() {
    assert_genuine(KeyKind::Rsa);
}

#[test]
fn genuine_p256_document_passes_everything() {
    assert_genuine(KeyKind::P256);
}

#[test]
fn genuine_brainpool_p384_document_passes_everything() {
    assert_genuine(KeyKind::BrainpoolP384);
}

#[test]
fn each_altered_data_group_fails_its_own_hash_check() {
    let dir = TempDir::new("passive-altered");
    let pki = make_pki(&dir, KeyKind::P256);
    let sod = build(&pki, KeyKind::P256, &all_dgs());
    let store = store_with(&pki.csca_pem);
    for (target, _) in all_dgs() {
        let altered: Vec<(DataGroup, Vec<u8>)> = all_dgs()
            .into_iter()
            .map(|(dg, bytes)| {
                let mut b = bytes.to_vec();
                if dg == target {
                    let last = b.len() - 1;
                    b[last] ^= 0x01;
                }
                (dg, b)
            })
            .collect();
        let report = verify_sod(
            &sod,
            altered.iter().map(|(dg, b)| (*dg, b.as_slice())),
            &store,
            now(),
        );
        assert!(!report.passed(), "{target} altered but passed");
        assert!(report.signature.is_pass(), "the SOD itself is intact");
        for c in report.checks() {
            if c.name == format!("dg.hash.{target}") {
                assert_eq!(c.status, Status::Fail, "{}", c.name);
                assert!(c.reason.contains("altered"), "{}", c.reason);
            } else if c.name == "sod.signing_time" {
                // SodBuilder writes no signingTime: the optional check has nothing to test.
                assert_eq!(c.status, Status::Skip, "{}", c.reason);
            } else {
                assert_eq!(c.status, Status::Pass, "{} while {target} altered", c.name);
            }
        }
    }
}

#[test]
fn flipped_signature_byte_fails_the_signature() {
    for kind in [KeyKind::Rsa, KeyKind::P256] {
        let dir = TempDir::new("passive-badsig");
        let pki = make_pki(&dir, kind);
        let mut sod = build(&pki, kind, &all_dgs());
        let signature = Sod::parse(&sod).unwrap().signed_data.signer_infos[0]
            .signature
            .clone();
        let at = find(&sod, &signature) + signature.len() / 2;
        sod[at] ^= 0x40;
        let report = verify_sod(&sod, all_dgs(), &store_with(&pki.csca_pem), now());
        assert_eq!(report.signature.status(), Status::Fail, "{kind:?}");
        assert!(report.message_digest.is_pass());
        assert!(!report.passed());
        assert!(!report.fully_verified());
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("present")
}

/// A messageDigest that is not the hash of the LDSSecurityObject fails, even when the signed
/// attributes are validly signed (the SOD is re-signed by the DSC after the change).
#[test]
fn wrong_message_digest_attribute_fails_even_when_signed() {
    use rsa::signature::{SignatureEncoding, Signer};
    let dir = TempDir::new("passive-digest");
    let pki = make_pki(&dir, KeyKind::Rsa);
    let mut sod = build(&pki, KeyKind::Rsa, &all_dgs());
    let parsed = Sod::parse(&sod).unwrap();
    let signer = &parsed.signed_data.signer_infos[0];
    let digest = signer
        .signed_attrs
        .as_ref()
        .unwrap()
        .message_digest()
        .unwrap()
        .to_vec();
    let old_signature = signer.signature.clone();
    // Change the messageDigest value inside the signed attributes.
    let at = find(&sod, &digest);
    sod[at] ^= 0xFF;
    let changed = Sod::parse(&sod).unwrap();
    let attrs = changed.signed_data.signer_infos[0]
        .signed_attrs
        .as_ref()
        .unwrap()
        .der_for_signature
        .clone();
    let key = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(
        rsa::PrivateKey::from_pkcs8_der(&pki.dsc_key_pkcs8).unwrap(),
    );
    let new_signature = key.sign(&attrs).to_vec();
    assert_eq!(new_signature.len(), old_signature.len());
    let at = find(&sod, &old_signature);
    sod[at..at + new_signature.len()].copy_from_slice(&new_signature);

    let report = verify_sod(&sod, all_dgs(), &store_with(&pki.csca_pem), now());
    assert!(report.signature.is_pass(), "{report}");
    assert_eq!(report.message_digest.status(), Status::Fail);
    assert!(report.message_digest.reason().contains("messageDigest"));
    assert!(!report.passed());
}

#[test]
fn unknown_csca_is_a_warning_not_a_failure() {
    let dir = TempDir::new("passive-noanchor");
    let pki = make_pki(&dir, KeyKind::P256);
    let sod = build(&pki, KeyKind::P256, &all_dgs());
    // A store holding an unrelated CSCA, and an empty store.
    openssl_ok(
        &dir.0,
        &[
            "req",
            "-x509",
            "-nodes",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-keyout",
            "other.key",
            "-out",
            "other.pem",
            "-subj",
            "/C=XX/O=Elsewhere/CN=Other CSCA",
            "-days",
            "30",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    for store in [store_with(&dir.path("other.pem")), TrustStore::new()] {
        let report = verify_sod(&sod, all_dgs(), &store, now());
        assert!(
            matches!(&report.chain, ChainOutcome::NoAnchor { issuer } if issuer.contains("Test CSCA")),
            "{:?}",
            report.chain
        );
        assert_eq!(status_of(&report, "sod.chain"), Status::Warn);
        assert!(
            report
                .chain
                .reason()
                .starts_with("unverified: no CSCA for ")
        );
        assert!(report.passed(), "nothing was tampered with:\n{report}");
        assert!(!report.fully_verified());
    }
}

#[test]
fn dsc_from_a_different_csca_with_the_same_name_fails() {
    let dir = TempDir::new("passive-wrongcsca");
    let pki = make_pki(&dir, KeyKind::P256);
    let sod = build(&pki, KeyKind::P256, &all_dgs());
    let other_dir = TempDir::new("passive-wrongcsca-other");
    let other = make_pki(&other_dir, KeyKind::P256);
    let report = verify_sod(&sod, all_dgs(), &store_with(&other.csca_pem), now());
    assert!(
        matches!(
            report.chain,
            ChainOutcome::Failed {
                reason: ChainFailure::SignatureInvalid { .. }
            }
        ),
        "{:?}",
        report.chain
    );
    assert_eq!(status_of(&report, "sod.chain"), Status::Fail);
    assert!(report.signature.is_pass());
    assert!(!report.passed());
}

#[test]
fn expired_dsc_fails_the_chain_after_expiry() {
    let dir = TempDir::new("passive-expired");
    let pki = make_pki(&dir, KeyKind::P256);
    let sod = build(&pki, KeyKind::P256, &all_dgs());
    let store = store_with(&pki.csca_pem);
    // The DSC is valid for 365 days from now.
    let later = now() + Duration::days(400);
    let report = verify_sod(&sod, all_dgs(), &store, later);
    match &report.chain {
        ChainOutcome::Failed { reason } => {
            assert!(
                matches!(reason, ChainFailure::DscExpired { .. }),
                "{reason}"
            );
            assert!(reason.to_string().contains("expired"), "{reason}");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    let before = now() - Duration::days(2);
    let report = verify_sod(&sod, all_dgs(), &store, before);
    assert!(matches!(report.chain, ChainOutcome::Failed { .. }));
    // And it passes today.
    assert!(verify_sod(&sod, all_dgs(), &store, now()).fully_verified());
}

#[test]
fn data_group_read_but_missing_from_sod_fails_and_unread_is_not_a_failure() {
    let dir = TempDir::new("passive-missing");
    let pki = make_pki(&dir, KeyKind::P256);
    let without_dg15: Vec<_> = all_dgs()
        .into_iter()
        .filter(|(dg, _)| *dg != DataGroup::Dg15)
        .collect();
    let sod = build(&pki, KeyKind::P256, &without_dg15);
    let store = store_with(&pki.csca_pem);
    let report = verify_sod(&sod, all_dgs(), &store, now());
    assert_eq!(
        report.data_group(DataGroup::Dg15),
        Some(DgHashOutcome::NotInSod)
    );
    assert_eq!(status_of(&report, "dg.hash.DG15"), Status::Fail);
    assert!(!report.passed());

    // DG2 listed in the SOD but not read: "not read", and the rest still passes.
    let read: Vec<_> = without_dg15
        .into_iter()
        .filter(|(dg, _)| *dg != DataGroup::Dg2)
        .collect();
    let report = verify_sod(&sod, read, &store, now());
    assert_eq!(
        report.data_group(DataGroup::Dg2),
        Some(DgHashOutcome::NotRead)
    );
    assert_eq!(status_of(&report, "dg.hash.DG2"), Status::Skip);
    assert!(report.fully_verified(), "{report}");
}

#[test]
fn verification_is_cheap_enough_for_a_server() {
    let dir = TempDir::new("passive-speed");
    let pki = make_pki(&dir, KeyKind::P256);
    let sod = build(&pki, KeyKind::P256, &all_dgs());
    let store = store_with(&pki.csca_pem);
    let n: u32 = 50;
    let start = std::time::Instant::now();
    for _ in 0..n {
        assert!(verify_sod(&sod, all_dgs(), &store, now()).fully_verified());
    }
    let per_second = f64::from(n) / start.elapsed().as_secs_f64();
    eprintln!("verify_sod (P-256 DSC, 5 data groups): {per_second:.0} per second");
    // The chain signature is verified once: the DSC's prepared signer keeps its chain facts
    // (and the store's signature cache would answer any other lookup), and the prepared
    // signer answers every later run without parsing the DSC again.
    let signatures = store.cache_stats();
    assert_eq!(signatures.misses, 1, "{signatures:?}");
    assert!(store.prepared_stats().hits >= u64::from(n - 1));
}
