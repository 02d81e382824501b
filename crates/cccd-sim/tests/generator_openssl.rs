//! OpenSSL, an independent implementation, checks the committed test PKI and sample SODs:
//! `openssl x509` parses every certificate, `openssl verify` accepts each DSC under its CSCA
//! (and rejects the expired and the revoked one), and `openssl cms -verify` accepts every SOD
//! that must pass passive authentication and rejects the ones with a broken signature, an
//! unknown CSCA, an expired or a revoked DSC.
//!
//! OpenSSL 3 refuses CA certificates with explicit EC parameters in a chain (verify error 94,
//! "Certificate public key has explicit ECC parameters"), so for `csca-ec-explicit` the DSC's
//! signature is checked with `openssl dgst -verify` over the TBSCertificate, and the SOD with
//! `cms -verify -noverify` (signature against the embedded DSC).

use cccd_testkit::{Manifest, manifest, testdata};
use std::path::{Path, PathBuf};

/// 2025-06-01T00:00:00Z, the generator's reference day.
const AT: &str = "1748736000";

/// Whether `openssl args...` succeeded, and its stdout then stderr.
fn openssl(args: &[&str]) -> (bool, String) {
    let out = cccd_testkit::openssl(args);
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn td(rel: &str) -> String {
    testdata().join(rel).to_string_lossy().into_owned()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cccd-gen-openssl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    dir.join(name)
}

/// Check `cert` was signed by `issuer`'s key with openssl alone (for the explicit-parameter CSCA).
fn signature_checks_out(cert: &str, issuer: &str) -> bool {
    let der = tmp("cert.der");
    let (ok, _) = openssl(&[
        "x509",
        "-in",
        cert,
        "-outform",
        "DER",
        "-out",
        &der.to_string_lossy(),
    ]);
    assert!(ok);
    let pubkey = tmp("issuer.pub.pem");
    let (ok, _) = openssl(&[
        "x509",
        "-in",
        issuer,
        "-noout",
        "-pubkey",
        "-out",
        &pubkey.to_string_lossy(),
    ]);
    assert!(ok);
    let bytes = std::fs::read(&der).expect("der");
    // Certificate ::= SEQUENCE { tbs, algorithm, BIT STRING signature }: split with the
    // lengths (both long-form, two length bytes, for these certificates).
    let body_start = 4;
    let tbs_len = usize::from(bytes[body_start + 2]) << 8 | usize::from(bytes[body_start + 3]);
    let tbs = &bytes[body_start..body_start + 4 + tbs_len];
    let rest = &bytes[body_start + 4 + tbs_len..];
    let alg_len = usize::from(rest[1]) + 2;
    let bits = &rest[alg_len..];
    assert_eq!(bits[0], 0x03);
    let (sig, header) = if bits[1] & 0x80 == 0 {
        (usize::from(bits[1]), 2)
    } else {
        (usize::from(bits[2]), 3)
    };
    let sig = &bits[header + 1..header + sig];
    std::fs::write(tmp("tbs.bin"), tbs).expect("tbs");
    std::fs::write(tmp("sig.bin"), sig).expect("sig");
    let (ok, out) = openssl(&[
        "dgst",
        "-sha384",
        "-verify",
        &pubkey.to_string_lossy(),
        "-signature",
        &tmp("sig.bin").to_string_lossy(),
        &tmp("tbs.bin").to_string_lossy(),
    ]);
    ok && out.contains("Verified OK")
}

#[test]
fn every_certificate_and_the_crl_parse_with_openssl() {
    let m = manifest();
    let mut n = 0;
    for c in &m.cscas {
        let (ok, text) = openssl(&["x509", "-in", &td(&c.cert), "-noout", "-text"]);
        assert!(ok, "{text}");
        assert!(
            text.contains("CA:TRUE") && text.contains("Certificate Sign, CRL Sign"),
            "{text}"
        );
        assert!(text.contains("TEST") && text.contains("C = VN"));
        n += 1;
    }
    for d in &m.document_signers {
        let (ok, text) = openssl(&["x509", "-in", &td(&d.cert), "-noout", "-text"]);
        assert!(ok, "{text}");
        assert!(
            text.contains("Digital Signature") && text.contains("X509v3 Authority Key Identifier")
        );
        n += 1;
    }
    assert_eq!(n, 11);
    let (ok, text) = openssl(&[
        "crl",
        "-in",
        &td("pki/csca-ec.crl.pem"),
        "-noout",
        "-text",
        "-CAfile",
        &td("pki/csca-ec.crt.pem"),
    ]);
    assert!(ok && text.contains("verify OK"), "{text}");
}

#[test]
fn openssl_verify_accepts_each_dsc_under_its_csca() {
    let m = manifest();
    for d in &m.document_signers {
        let (cert, issuer) = (td(&d.cert), td(&d.issuer));
        let status = d.status.as_str();
        if issuer.ends_with("csca-ec-explicit.crt.pem") {
            let (ok, out) = openssl(&["verify", "-attime", AT, "-CAfile", &issuer, &cert]);
            assert!(!ok && out.contains("explicit ECC parameters"), "{out}");
            assert!(
                signature_checks_out(&cert, &issuer),
                "{cert} not signed by {issuer}"
            );
            // And not by another CSCA's key.
            assert!(!signature_checks_out(&cert, &td("pki/csca-ec.crt.pem")));
            continue;
        }
        let (ok, out) = openssl(&["verify", "-attime", AT, "-CAfile", &issuer, &cert]);
        match status {
            "expired" => {
                assert!(!ok && out.contains("certificate has expired"), "{out}");
                // Valid inside its validity period, and expired at the default (current) time.
                let (ok, out) =
                    openssl(&["verify", "-attime", "1700000000", "-CAfile", &issuer, &cert]);
                assert!(ok, "{out}");
                let (ok, _) = openssl(&["verify", "-CAfile", &issuer, &cert]);
                assert!(!ok);
            }
            _ => assert!(ok, "{cert}: {out}"),
        }
        // Wrong CSCA: rejected.
        let other = if issuer.ends_with("csca-rsa.crt.pem") {
            td("pki/csca-ec.crt.pem")
        } else {
            td("pki/csca-rsa.crt.pem")
        };
        let (ok, _) = openssl(&["verify", "-attime", AT, "-CAfile", &other, &cert]);
        assert!(!ok, "{cert} accepted under the wrong CSCA");
    }
    let (ok, out) = openssl(&[
        "verify",
        "-attime",
        AT,
        "-crl_check",
        "-CRLfile",
        &td("pki/csca-ec.crl.pem"),
        "-CAfile",
        &td("pki/csca-ec.crt.pem"),
        &td("pki/dsc-revoked.crt.pem"),
    ]);
    assert!(!ok && out.contains("certificate revoked"), "{out}");
    let (ok, out) = openssl(&[
        "verify",
        "-attime",
        AT,
        "-crl_check",
        "-CRLfile",
        &td("pki/csca-ec.crl.pem"),
        "-CAfile",
        &td("pki/csca-ec.crt.pem"),
        &td("pki/dsc-ec-bp384.crt.pem"),
    ]);
    assert!(ok, "{out}");
}

/// The trust anchors (except the explicit-parameter one, which OpenSSL refuses) in one file.
fn trust_bundle(m: &Manifest) -> String {
    let mut pem = String::new();
    for a in &m.trust_anchors {
        if !a.contains("explicit") {
            pem.push_str(&std::fs::read_to_string(testdata().join(a)).expect("anchor"));
        }
    }
    let path = tmp("anchors.pem");
    std::fs::write(&path, pem).expect("write");
    path.to_string_lossy().into_owned()
}

/// The SOD's ContentInfo without the 0x77 wrapper, in a temp file.
fn sod_content(dir: &str) -> PathBuf {
    let sod = std::fs::read(testdata().join(dir).join("EF.SOD")).expect("EF.SOD");
    let inner = cccd::lds::sod::Sod::content_info_der(&sod).expect("0x77 wrapper");
    let path = tmp(&format!("{}.p7", dir.replace('/', "_")));
    std::fs::write(&path, inner).expect("write");
    path
}

fn cms_verify(content: &Path, ca: &str, extra: &[&str]) -> (bool, String) {
    let c = content.to_string_lossy();
    let mut args = vec![
        "cms",
        "-verify",
        "-inform",
        "DER",
        "-in",
        &c,
        "-CAfile",
        ca,
        "-purpose",
        "any",
        "-binary",
        "-out",
        "/dev/null",
        "-attime",
        AT,
    ];
    args.extend_from_slice(extra);
    openssl(&args)
}

#[test]
fn openssl_cms_verify_accepts_valid_sods_and_rejects_broken_ones() {
    let m = manifest();
    let (mut accepted, mut rejected) = (0, 0);
    for card in &m.cards {
        let dir = card.dir.as_str();
        let csca = td(card.csca.as_str());
        let failing: Vec<&str> = card.failing_checks.iter().map(String::as_str).collect();
        let content = sod_content(dir);
        let explicit = csca.ends_with("csca-ec-explicit.crt.pem");
        let anchor = card.csca_is_trust_anchor;
        let (ok, out) = if explicit {
            cms_verify(&content, &csca, &["-noverify"])
        } else if anchor {
            cms_verify(&content, &csca, &[])
        } else {
            // Its own CSCA is not a trust anchor: verify against the trust anchors instead,
            // after showing that the SOD itself is sound under the CSCA that issued it.
            let (ok, out) = cms_verify(&content, &csca, &[]);
            assert!(ok, "{dir}: {out}");
            cms_verify(&content, &trust_bundle(&m), &[])
        };
        let must_pass = !failing.contains(&"sod.signature")
            && !failing.contains(&"sod.message_digest")
            && !failing.contains(&"sod.chain");
        if must_pass {
            assert!(ok, "{dir}: openssl cms -verify rejected a valid SOD: {out}");
            accepted += 1;
        } else if failing.contains(&"sod.chain") && card.requires_crl {
            assert!(
                ok,
                "{dir}: without the CRL the revoked DSC still chains: {out}"
            );
            // `cms` has no -CRLfile: a CAfile may hold CRLs beside the certificates.
            let mut both = std::fs::read_to_string(&csca).expect("csca");
            both.push_str(&std::fs::read_to_string(td("pki/csca-ec.crl.pem")).expect("crl"));
            let with_crl = tmp("csca-and-crl.pem");
            std::fs::write(&with_crl, both).expect("write");
            let (ok, out) = cms_verify(&content, &with_crl.to_string_lossy(), &["-crl_check"]);
            assert!(!ok && out.contains("revoked"), "{dir}: {out}");
            rejected += 1;
        } else {
            assert!(!ok, "{dir}: openssl cms -verify accepted a broken SOD");
            rejected += 1;
        }
        if failing.contains(&"sod.signature") || failing.contains(&"sod.message_digest") {
            // Broken even when the chain is not checked.
            let (ok, _) = cms_verify(&content, &csca, &["-noverify"]);
            assert!(!ok, "{dir}: signature accepted with -noverify");
        }
    }
    assert_eq!(accepted, 21, "cards whose SOD must pass");
    assert_eq!(rejected, 5, "cards whose SOD must fail");
}
