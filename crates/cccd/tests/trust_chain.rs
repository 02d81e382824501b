//! DSC -> CSCA chain outcomes on a small PKI built with the `openssl` CLI in a temp folder:
//! a CSCA (brainpoolP384r1 with explicit parameters), DSCs (valid, short-lived, revoked,
//! wrong key usage), an unrelated CSCA, an impostor CSCA with the same name, a link
//! certificate, a CRL, and the signature cache.

// Tests: a panic is a failure; the PKI helper mirrors openssl's arguments.
#![allow(clippy::unwrap_used, clippy::too_many_arguments)]

use std::path::{Path, PathBuf};

use cccd::pki::TrustStore;
use cccd::pki::chain::{ChainFailure, ChainOutcome, Revocation, verify_chain};
use time::{Duration, OffsetDateTime};

struct Pki {
    dir: PathBuf,
}

impl Pki {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("cccd-trust-chain-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self { dir }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    fn openssl(&self, args: &[&str]) {
        cccd_testkit::openssl_ok(&self.dir, args);
    }

    fn ec_key(&self, name: &str, curve: &str, explicit: bool) {
        let mut args = vec!["ecparam", "-name", curve, "-genkey", "-noout", "-out", name];
        if explicit {
            args.extend(["-param_enc", "explicit"]);
        }
        self.openssl(&args);
    }

    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.path(file), text).unwrap();
    }

    /// Self-signed CSCA certificate.
    fn csca(&self, key: &str, cert: &str, cn: &str, days: &str) {
        let subj = format!("/C=VN/O=Test/CN={cn}");
        self.openssl(&[
            "req",
            "-new",
            "-x509",
            "-key",
            key,
            "-out",
            cert,
            "-days",
            days,
            "-subj",
            &subj,
            "-sha384",
            "-config",
            "/dev/null",
            "-addext",
            "basicConstraints=critical,CA:true,pathlen:0",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-addext",
            "subjectKeyIdentifier=hash",
        ]);
    }

    /// Certificate for `key` with subject `cn`, issued by (`ca_cert`, `ca_key`).
    fn issue(
        &self,
        key: &str,
        cert: &str,
        cn: &str,
        ca_cert: &str,
        ca_key: &str,
        days: &str,
        ext: &str,
        serial: &str,
    ) {
        let csr = format!("{cert}.csr");
        let subj = format!("/C=VN/O=Test/CN={cn}");
        self.openssl(&[
            "req",
            "-new",
            "-key",
            key,
            "-out",
            &csr,
            "-subj",
            &subj,
            "-config",
            "/dev/null",
        ]);
        let ext_file = format!("{cert}.ext");
        self.write(&ext_file, ext);
        self.openssl(&[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            ca_cert,
            "-CAkey",
            ca_key,
            "-out",
            cert,
            "-days",
            days,
            "-sha256",
            "-extfile",
            &ext_file,
            "-set_serial",
            serial,
        ]);
    }

    fn der(&self, pem: &str) -> Vec<u8> {
        let der = format!("{pem}.der");
        self.openssl(&["x509", "-in", pem, "-outform", "DER", "-out", &der]);
        std::fs::read(self.path(&der)).unwrap()
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const DSC_EXT: &str =
    "keyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";
const CA_EXT: &str = "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";

fn store_with(pki: &Pki, files: &[&str]) -> TrustStore {
    let mut store = TrustStore::new();
    for f in files {
        let _ = store.load_path(&pki.path(f)).unwrap();
    }
    store
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

#[test]
#[allow(clippy::too_many_lines)] // one scenario, step by step
fn chain_outcomes() {
    let pki = Pki::new("outcomes");
    pki.ec_key("csca.key", "brainpoolP384r1", true);
    pki.csca("csca.key", "csca.pem", "CSCA Test", "3650");
    pki.ec_key("dsc.key", "brainpoolP256r1", false);
    pki.issue(
        "dsc.key", "dsc.pem", "DSC Test", "csca.pem", "csca.key", "90", DSC_EXT, "4097",
    );
    let dsc = pki.der("dsc.pem");
    let store = store_with(&pki, &["csca.pem"]);

    // Valid.
    let outcome = verify_chain(&dsc, &store, now());
    assert_eq!(
        outcome,
        ChainOutcome::Verified {
            csca_subject: "C=VN, O=Test, CN=CSCA Test".to_owned(),
            country: Some("VN".to_owned()),
            links: vec![],
            revocation: Revocation::NoCrl,
        }
    );

    // Expired DSC (checked after its 90 days), and not yet valid (before issuance).
    let later = verify_chain(&dsc, &store, now() + Duration::days(200));
    assert!(
        matches!(
            later,
            ChainOutcome::Failed {
                reason: ChainFailure::DscExpired { .. }
            }
        ),
        "{later:?}"
    );
    let earlier = verify_chain(&dsc, &store, now() - Duration::days(2));
    assert!(
        matches!(
            earlier,
            ChainOutcome::Failed {
                reason: ChainFailure::DscNotYetValid { .. }
            }
        ),
        "{earlier:?}"
    );

    // No CSCA in the store: NoAnchor, naming the issuer.
    let empty = TrustStore::new();
    assert_eq!(
        verify_chain(&dsc, &empty, now()),
        ChainOutcome::NoAnchor {
            issuer: "C=VN, O=Test, CN=CSCA Test".to_owned()
        }
    );
    assert_eq!(
        verify_chain(&dsc, &empty, now()).to_string(),
        "unverified: no CSCA for C=VN, O=Test, CN=CSCA Test"
    );

    // Unrelated CSCA: still NoAnchor.
    pki.ec_key("other.key", "prime256v1", false);
    pki.csca("other.key", "other.pem", "Other CSCA", "3650");
    let unrelated = store_with(&pki, &["other.pem"]);
    assert!(matches!(
        verify_chain(&dsc, &unrelated, now()),
        ChainOutcome::NoAnchor { .. }
    ));

    // Impostor: same name as the CSCA, different key -> SignatureInvalid.
    pki.ec_key("impostor.key", "brainpoolP384r1", false);
    pki.csca("impostor.key", "impostor.pem", "CSCA Test", "3650");
    let impostor = store_with(&pki, &["impostor.pem"]);
    let outcome = verify_chain(&dsc, &impostor, now());
    assert!(
        matches!(
            outcome,
            ChainOutcome::Failed {
                reason: ChainFailure::SignatureInvalid {
                    error: cccd::pki::signature::SignatureError::Invalid,
                    ..
                }
            }
        ),
        "{outcome:?}"
    );

    // DSC without digitalSignature.
    pki.issue(
        "dsc.key",
        "dsc-ku.pem",
        "DSC KU",
        "csca.pem",
        "csca.key",
        "90",
        "keyUsage=critical,keyEncipherment\n",
        "4098",
    );
    let outcome = verify_chain(&pki.der("dsc-ku.pem"), &store, now());
    assert!(
        matches!(
            outcome,
            ChainOutcome::Failed {
                reason: ChainFailure::KeyUsage {
                    missing: "digitalSignature",
                    ..
                }
            }
        ),
        "{outcome:?}"
    );

    // Garbage DSC.
    assert!(matches!(
        verify_chain(b"not a certificate", &store, now()),
        ChainOutcome::Failed {
            reason: ChainFailure::DscUnparseable { .. }
        }
    ));
}

#[test]
fn expired_csca() {
    let pki = Pki::new("csca-expired");
    pki.ec_key("csca.key", "prime256v1", false);
    pki.csca("csca.key", "csca.pem", "Short CSCA", "5");
    pki.ec_key("dsc.key", "prime256v1", false);
    pki.issue(
        "dsc.key", "dsc.pem", "DSC", "csca.pem", "csca.key", "365", DSC_EXT, "7",
    );
    let store = store_with(&pki, &["csca.pem"]);
    let dsc = pki.der("dsc.pem");
    assert!(matches!(
        verify_chain(&dsc, &store, now()),
        ChainOutcome::Verified { .. }
    ));
    let outcome = verify_chain(&dsc, &store, now() + Duration::days(30));
    assert!(
        matches!(
            outcome,
            ChainOutcome::Failed {
                reason: ChainFailure::CscaExpired { .. }
            }
        ),
        "{outcome:?}"
    );
}

#[test]
fn revoked_dsc_from_crl() {
    let pki = Pki::new("crl");
    pki.ec_key("csca.key", "secp384r1", false);
    pki.csca("csca.key", "csca.pem", "CRL CSCA", "3650");
    pki.ec_key("dsc.key", "prime256v1", false);
    pki.issue(
        "dsc.key",
        "dsc.pem",
        "Revoked DSC",
        "csca.pem",
        "csca.key",
        "90",
        DSC_EXT,
        "4660",
    );
    pki.issue(
        "dsc.key", "good.pem", "Good DSC", "csca.pem", "csca.key", "90", DSC_EXT, "4661",
    );
    let dir = pki.dir.display().to_string();
    pki.write("index.txt", "");
    pki.write("crlnumber", "01\n");
    pki.write(
        "ca.cnf",
        &format!(
            "[ca]\ndefault_ca=d\n[d]\ndatabase={dir}/index.txt\ncrlnumber={dir}/crlnumber\ndefault_md=sha384\ndefault_crl_days=30\n"
        ),
    );
    pki.openssl(&[
        "ca", "-config", "ca.cnf", "-keyfile", "csca.key", "-cert", "csca.pem", "-revoke",
        "dsc.pem",
    ]);
    pki.openssl(&[
        "ca", "-config", "ca.cnf", "-keyfile", "csca.key", "-cert", "csca.pem", "-gencrl", "-out",
        "crl.pem",
    ]);
    let store = store_with(&pki, &["csca.pem", "crl.pem"]);
    assert_eq!(store.crls().len(), 1);
    assert!(
        store.crls()[0].signature_verified,
        "CRL signed by the CSCA in the store"
    );
    let outcome = verify_chain(&pki.der("dsc.pem"), &store, now());
    assert_eq!(
        outcome,
        ChainOutcome::Failed {
            reason: ChainFailure::Revoked {
                serial: "12:34".to_owned()
            }
        }
    );
    assert!(matches!(
        verify_chain(&pki.der("good.pem"), &store, now()),
        ChainOutcome::Verified { .. }
    ));
}

#[test]
fn link_certificate_is_followed() {
    let pki = Pki::new("link");
    pki.ec_key("old.key", "brainpoolP256r1", false);
    pki.csca("old.key", "old.pem", "CSCA Gen1", "3650");
    pki.ec_key("new.key", "brainpoolP384r1", false);
    // Link: the new CSCA key certified by the old one.
    pki.issue(
        "new.key",
        "link.pem",
        "CSCA Gen2",
        "old.pem",
        "old.key",
        "3650",
        CA_EXT,
        "2",
    );
    pki.ec_key("dsc.key", "brainpoolP256r1", false);
    pki.issue(
        "dsc.key", "dsc.pem", "DSC Gen2", "link.pem", "new.key", "90", DSC_EXT, "3",
    );
    let store = store_with(&pki, &["old.pem", "link.pem"]);
    assert_eq!(
        verify_chain(&pki.der("dsc.pem"), &store, now()),
        ChainOutcome::Verified {
            csca_subject: "C=VN, O=Test, CN=CSCA Gen2".to_owned(),
            country: Some("VN".to_owned()),
            links: vec!["C=VN, O=Test, CN=CSCA Gen1".to_owned()],
            revocation: Revocation::NoCrl,
        }
    );
    // The link alone in the store is trusted as held (no issuer to follow).
    let link_only = store_with(&pki, &["link.pem"]);
    assert!(matches!(
        verify_chain(&pki.der("dsc.pem"), &link_only, now()),
        ChainOutcome::Verified { links, .. } if links.is_empty()
    ));
}

#[test]
fn cache_skips_the_second_signature_check() {
    let pki = Pki::new("cache");
    pki.ec_key("csca.key", "brainpoolP512r1", true);
    pki.csca("csca.key", "csca.pem", "Cache CSCA", "3650");
    pki.ec_key("dsc.key", "brainpoolP384r1", false);
    pki.issue(
        "dsc.key",
        "dsc.pem",
        "Cache DSC",
        "csca.pem",
        "csca.key",
        "90",
        DSC_EXT,
        "9",
    );
    let store = store_with(&pki, &["csca.pem"]);
    let dsc = pki.der("dsc.pem");
    let before = store.cache_stats();
    let started = std::time::Instant::now();
    assert!(matches!(
        verify_chain(&dsc, &store, now()),
        ChainOutcome::Verified { .. }
    ));
    let miss_time = started.elapsed();
    let first = store.cache_stats();
    assert_eq!(first.misses, before.misses + 1);
    for _ in 0..10 {
        assert!(matches!(
            verify_chain(&dsc, &store, now()),
            ChainOutcome::Verified { .. }
        ));
    }
    let started = std::time::Instant::now();
    for _ in 0..1000 {
        let _ = verify_chain(&dsc, &store, now());
    }
    println!(
        "verify_chain, brainpoolP512r1 CSCA: first call {miss_time:?}, cached calls {:?} each",
        started.elapsed() / 1000
    );
    let after = store.cache_stats();
    assert_eq!(after.misses, first.misses, "no new signature verification");
    assert_eq!(after.hits, first.hits + 1010);
    // Validity is still checked on a cache hit.
    assert!(matches!(
        verify_chain(&dsc, &store, now() + Duration::days(365)),
        ChainOutcome::Failed {
            reason: ChainFailure::DscExpired { .. }
        }
    ));
}

#[test]
fn folder_load_skips_junk_with_a_reason() {
    let pki = Pki::new("folder");
    pki.ec_key("csca.key", "prime256v1", false);
    pki.csca("csca.key", "csca.pem", "Folder CSCA", "3650");
    let sub = pki.path("sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join("notes.txt"), "not a certificate").unwrap();
    let der = pki.der("csca.pem");
    std::fs::write(sub.join("csca-copy.cer"), &der).unwrap();
    let mut store = TrustStore::new();
    let summary = store.load_cscas(Path::new(&pki.dir)).unwrap();
    assert_eq!(summary.certificates_added, 1);
    assert!(summary.duplicates >= 1, "{summary:?}");
    assert!(
        summary
            .skipped
            .iter()
            .any(|s| s.path.ends_with("notes.txt")),
        "{:?}",
        summary.skipped
    );
    assert_eq!(store.len(), 1);
}

/// A CSCA whose subject is given in full (`/C=../O=../CN=..`), self-signed with `key`.
fn csca_named(pki: &Pki, key: &str, cert: &str, subj: &str, ext: &[&str]) {
    let mut args = vec![
        "req",
        "-new",
        "-x509",
        "-key",
        key,
        "-out",
        cert,
        "-days",
        "3650",
        "-subj",
        subj,
        "-sha384",
        "-config",
        "/dev/null",
    ];
    for e in ext {
        args.extend(["-addext", e]);
    }
    pki.openssl(&args);
}

const CA_ADDEXT: [&str; 3] = [
    "basicConstraints=critical,CA:true,pathlen:0",
    "keyUsage=critical,keyCertSign,cRLSign",
    "subjectKeyIdentifier=hash",
];

#[test]
fn the_dsc_issuer_name_must_be_its_cscas_subject() {
    // Two CSCAs with one key and different names: a DSC issued under "A" verifies with "B"'s
    // key (the AKI matches), but B's CRLs, looked up by name, would never cover it.
    let pki = Pki::new("names");
    pki.ec_key("csca.key", "secp384r1", false);
    csca_named(
        &pki,
        "csca.key",
        "a.pem",
        "/C=VN/O=Test/CN=CSCA A",
        &CA_ADDEXT,
    );
    csca_named(
        &pki,
        "csca.key",
        "b.pem",
        "/C=VN/O=Test/CN=CSCA B",
        &CA_ADDEXT,
    );
    pki.ec_key("dsc.key", "prime256v1", false);
    pki.issue(
        "dsc.key", "dsc.pem", "DSC A", "a.pem", "csca.key", "90", DSC_EXT, "7",
    );
    let dsc = pki.der("dsc.pem");
    let only_b = store_with(&pki, &["b.pem"]);
    let outcome = verify_chain(&dsc, &only_b, now());
    assert!(
        matches!(
            outcome,
            ChainOutcome::Failed {
                reason: ChainFailure::IssuerNameMismatch { .. }
            }
        ),
        "{outcome:?}"
    );
    let with_a = store_with(&pki, &["a.pem"]);
    assert!(matches!(
        verify_chain(&dsc, &with_a, now()),
        ChainOutcome::Verified { .. }
    ));
}

#[test]
fn a_dsc_of_another_country_than_its_csca_fails() {
    let pki = Pki::new("country");
    pki.ec_key("csca.key", "secp384r1", false);
    pki.csca("csca.key", "csca.pem", "Country CSCA", "3650");
    pki.ec_key("dsc.key", "prime256v1", false);
    // openssl x509 -req keeps the CSR's subject: a DSC of C=XX under a C=VN CSCA.
    pki.openssl(&[
        "req",
        "-new",
        "-key",
        "dsc.key",
        "-out",
        "xx.csr",
        "-subj",
        "/C=XX/O=Test/CN=Foreign DSC",
        "-config",
        "/dev/null",
    ]);
    pki.write("dsc.ext", DSC_EXT);
    pki.openssl(&[
        "x509",
        "-req",
        "-in",
        "xx.csr",
        "-CA",
        "csca.pem",
        "-CAkey",
        "csca.key",
        "-out",
        "xx.pem",
        "-days",
        "90",
        "-sha256",
        "-extfile",
        "dsc.ext",
        "-set_serial",
        "9",
    ]);
    let store = store_with(&pki, &["csca.pem"]);
    let outcome = verify_chain(&pki.der("xx.pem"), &store, now());
    assert_eq!(
        outcome,
        ChainOutcome::Failed {
            reason: ChainFailure::CountryMismatch {
                dsc: Some("XX".to_owned()),
                csca: Some("VN".to_owned())
            }
        }
    );
}

#[test]
fn an_unknown_critical_extension_fails_the_chain() {
    let pki = Pki::new("critical");
    pki.ec_key("csca.key", "secp384r1", false);
    pki.csca("csca.key", "csca.pem", "Critical CSCA", "3650");
    pki.ec_key("dsc.key", "prime256v1", false);
    let ext = format!("{DSC_EXT}1.3.6.1.4.1.99999.1=critical,DER:05:00\n");
    pki.issue(
        "dsc.key",
        "dsc.pem",
        "Critical DSC",
        "csca.pem",
        "csca.key",
        "90",
        &ext,
        "11",
    );
    // The same extension, not critical, is ignored as RFC 5280 allows.
    let soft = format!("{DSC_EXT}1.3.6.1.4.1.99999.1=DER:05:00\n");
    pki.issue(
        "dsc.key", "soft.pem", "Soft DSC", "csca.pem", "csca.key", "90", &soft, "12",
    );
    let store = store_with(&pki, &["csca.pem"]);
    let outcome = verify_chain(&pki.der("dsc.pem"), &store, now());
    assert!(
        matches!(
            &outcome,
            ChainOutcome::Failed {
                reason: ChainFailure::UnknownCriticalExtension { oid, .. }
            } if oid == "1.3.6.1.4.1.99999.1"
        ),
        "{outcome:?}"
    );
    assert!(matches!(
        verify_chain(&pki.der("soft.pem"), &store, now()),
        ChainOutcome::Verified { .. }
    ));
}

#[test]
fn anchors_must_be_ca_certificates() {
    let pki = Pki::new("notca");
    pki.ec_key("csca.key", "secp384r1", false);
    // CA:TRUE but no keyUsage, and keyCertSign but CA:FALSE: neither is an anchor.
    csca_named(
        &pki,
        "csca.key",
        "noku.pem",
        "/C=VN/O=Test/CN=No KU",
        &[
            "basicConstraints=critical,CA:true",
            "subjectKeyIdentifier=hash",
        ],
    );
    csca_named(
        &pki,
        "csca.key",
        "notca.pem",
        "/C=VN/O=Test/CN=Not CA",
        &[
            "basicConstraints=critical,CA:false",
            "keyUsage=critical,keyCertSign",
        ],
    );
    for file in ["noku.pem", "notca.pem"] {
        let mut store = TrustStore::new();
        let summary = store.load_cscas(&pki.path(file)).unwrap();
        assert_eq!(store.len(), 0, "{file} became an anchor");
        assert_eq!(summary.skipped.len(), 1, "{file}: {summary:?}");
        assert!(summary.skipped[0].reason.contains("not a CA certificate"));
    }
}

#[test]
fn a_stale_crl_is_a_warning_and_no_crl_is_said() {
    let pki = Pki::new("stalecrl");
    pki.ec_key("csca.key", "secp384r1", false);
    pki.csca("csca.key", "csca.pem", "Stale CSCA", "3650");
    pki.ec_key("dsc.key", "prime256v1", false);
    pki.issue(
        "dsc.key",
        "dsc.pem",
        "Stale DSC",
        "csca.pem",
        "csca.key",
        "90",
        DSC_EXT,
        "21",
    );
    let dir = pki.dir.display().to_string();
    pki.write("index.txt", "");
    pki.write("crlnumber", "01\n");
    pki.write(
        "ca.cnf",
        &format!(
            "[ca]\ndefault_ca=d\n[d]\ndatabase={dir}/index.txt\ncrlnumber={dir}/crlnumber\ndefault_md=sha384\ndefault_crl_days=30\n"
        ),
    );
    // A CRL issued now, valid for 30 days.
    pki.openssl(&[
        "ca", "-config", "ca.cnf", "-keyfile", "csca.key", "-cert", "csca.pem", "-gencrl", "-out",
        "crl.pem",
    ]);
    let dsc = pki.der("dsc.pem");
    let bare = store_with(&pki, &["csca.pem"]);
    assert!(matches!(
        verify_chain(&dsc, &bare, now()),
        ChainOutcome::Verified {
            revocation: Revocation::NoCrl,
            ..
        }
    ));
    let store = store_with(&pki, &["csca.pem", "crl.pem"]);
    assert!(matches!(
        verify_chain(&dsc, &store, now()),
        ChainOutcome::Verified {
            revocation: Revocation::NotRevoked { .. },
            ..
        }
    ));
    // 40 days on, the DSC is still valid but the CRL is past its nextUpdate.
    let later = verify_chain(&dsc, &store, now() + Duration::days(40));
    assert!(
        matches!(
            later,
            ChainOutcome::Verified {
                revocation: Revocation::Stale { .. },
                ..
            }
        ),
        "{later:?}"
    );
    assert!(later.to_string().contains("revocation status unknown"));
    // In passive authentication that makes `sod.chain` a warning, never a silent pass.
    let passive = cccd::passive::ChainOutcome::Verified {
        csca_subject: String::new(),
        country: None,
        links: vec![],
        revocation: Revocation::Stale {
            next_update: None,
            source: String::new(),
        },
    };
    assert_eq!(passive.status(), cccd::passive::Status::Warn);
}
