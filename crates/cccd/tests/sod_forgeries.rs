//! EF.SOD forgeries made outside cccd (Python asn1crypto + cryptography, tests/attacks/
//! forge_sod.py), each re-signed with the document signer's real key where a signature is
//! involved, so that only the strict check under test can catch it. OpenSSL (`cms -verify`)
//! accepts the re-signed duplicate-data-group, late-signing-time and foreign-state SODs: the
//! signatures are sound, the content is what is wrong.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use cccd::document::Document;
use cccd::pki::TrustStore;
use cccd::verify::{CheckId, Claims, Options, Report, Status, Verdict, verify};
use cccd_testkit::testdata;

const CARD: &str = "v04-ngoc-ec-p256";

fn store_of(files: &[PathBuf]) -> TrustStore {
    let mut store = TrustStore::new();
    for f in files {
        let _ = store.load_cscas(f).unwrap();
    }
    store
}

fn test_cscas() -> Vec<PathBuf> {
    ["csca-rsa", "csca-ec", "csca-ec-explicit"]
        .iter()
        .map(|n| testdata().join(format!("pki/{n}.crt.pem")))
        .collect()
}

/// The sample dump with its EF.SOD replaced by `mode`'s forgery, in a fresh folder.
fn forged(mode: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cccd-forge-{mode}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(testdata().join("cards").join(CARD)).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/attacks/forge_sod.py");
    // scripts/test.sh points CCCD_PYTHON at a venv with asn1crypto and cryptography.
    let python = std::env::var_os("CCCD_PYTHON").unwrap_or_else(|| "python3".into());
    let out = Command::new(python)
        .arg(script)
        .arg(mode)
        .arg(testdata().join("cards").join(CARD).join("EF.SOD"))
        .arg(testdata().join("pki/keys/dsc-ec-p256.key.pem"))
        .arg(&dir)
        .output()
        .expect("a Python with asn1crypto and cryptography (scripts/setup.sh makes a venv)");
    assert!(
        out.status.success(),
        "forge_sod.py {mode}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn run(dir: &Path, store: &TrustStore) -> Report {
    let doc = Document::load(dir).unwrap();
    let challenge = doc
        .meta
        .active_authentication
        .as_ref()
        .and_then(|r| cccd::hex::decode(&r.challenge, 8))
        .and_then(|b| <[u8; 8]>::try_from(b).ok());
    let options = Options::default()
        .at(time::macros::datetime!(2025-06-01 12:00 UTC))
        .aa_challenge(challenge);
    verify(&doc, store, &Claims::default(), None, &options)
}

fn status(r: &Report, id: CheckId) -> (Status, String) {
    let c = r.check(id).unwrap_or_else(|| panic!("no {id}: {r:#?}"));
    (c.status, c.reason.clone())
}

#[test]
fn the_untouched_dump_verifies() {
    let r = run(
        &testdata().join("cards").join(CARD),
        &store_of(&test_cscas()),
    );
    assert_eq!(r.verdict, Verdict::Verified, "{r:#?}");
    assert_eq!(status(&r, CheckId::SodSigningTime).0, Status::Pass);
    assert_eq!(status(&r, CheckId::IssuingState).0, Status::Pass);
}

#[test]
fn attributes_given_twice_fail() {
    let store = store_of(&test_cscas());
    for (mode, id) in [
        ("dup_digest", CheckId::SodMessageDigest),
        ("dup_content_type", CheckId::SodContentType),
    ] {
        let dir = forged(mode);
        let r = run(&dir, &store);
        let (s, why) = status(&r, id);
        assert_eq!(s, Status::Fail, "{mode}: {why}");
        assert!(why.contains("appears 2 times"), "{mode}: {why}");
        assert_eq!(r.verdict, Verdict::NotVerified);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn a_data_group_listed_twice_fails_even_when_validly_signed() {
    let dir = forged("dup_dg");
    let r = run(&dir, &store_of(&test_cscas()));
    let (s, why) = status(&r, CheckId::SodParse);
    assert_eq!(s, Status::Fail);
    assert!(why.contains("listed twice"), "{why}");
    assert_eq!(r.verdict, Verdict::NotVerified);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_non_minimal_length_in_the_envelope_fails() {
    let dir = forged("nonminimal");
    let r = run(&dir, &store_of(&test_cscas()));
    let (s, why) = status(&r, CheckId::SodParse);
    assert_eq!(s, Status::Fail);
    assert!(why.contains("minimal DER"), "{why}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_sod_signed_after_its_signer_expired_fails() {
    let dir = forged("late_signing_time");
    let r = run(&dir, &store_of(&test_cscas()));
    // The signature itself is sound (re-signed with the real key)...
    assert_eq!(status(&r, CheckId::SodSignature).0, Status::Pass);
    // ...but the claimed signing time is after the DSC's notAfter (2031-01-01).
    let (s, why) = status(&r, CheckId::SodSigningTime);
    assert_eq!(s, Status::Fail);
    assert!(why.contains("expired"), "{why}");
    assert_eq!(r.verdict, Verdict::NotVerified);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_foreign_signer_cannot_issue_a_vietnamese_card() {
    let dir = forged("foreign_state");
    // The operator trusts the foreign CSCA (say, from a master list): the chain holds...
    let store = store_of(&[dir.join("csca.pem")]);
    let r = run(&dir, &store);
    assert_eq!(status(&r, CheckId::SodSignature).0, Status::Pass);
    assert_eq!(status(&r, CheckId::SodChain).0, Status::Pass, "{r:#?}");
    // ...but DG1 says VNM and the signer is XX.
    let (s, why) = status(&r, CheckId::IssuingState);
    assert_eq!(s, Status::Fail);
    assert!(why.contains("VNM") && why.contains("XX"), "{why}");
    assert_eq!(r.verdict, Verdict::NotVerified);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_embedded_signer_certificate_that_is_no_valid_x509_fails_the_signature() {
    let store = store_of(&test_cscas());
    // The genuine DSC first, so the prepared-signer cache holds a parsed certificate with the
    // same issuer and serial: the forged bytes must not be taken for it.
    let genuine = run(&testdata().join("cards").join(CARD), &store);
    assert_eq!(genuine.verdict, Verdict::Verified, "{genuine:#?}");
    let dir = forged("bad_dsc_validity");
    let r = run(&dir, &store);
    // The CMS keeps its shape (the X.509 parse belongs to the signer check)...
    assert_eq!(status(&r, CheckId::SodParse).0, Status::Pass, "{r:#?}");
    // ...and the signer check refuses the certificate.
    let (s, why) = status(&r, CheckId::SodSignature);
    assert_eq!(s, Status::Fail, "{why}");
    assert!(why.contains("certificate"), "{why}");
    assert_eq!(r.verdict, Verdict::NotVerified);
    std::fs::remove_dir_all(&dir).unwrap();
}
