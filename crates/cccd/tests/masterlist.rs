//! The real ICAO CSCA master list (July 2025, 520 certificates) and Vietnam's ePassport CSCA,
//! read from `shared/realworld` beside the repository (override with `CCCD_SHARED`).
//!
//! Run with `--nocapture` to see the figures.

use cccd::pki::signature::{Curve, KeyAlgorithm};
use cccd::pki::{TrustError, TrustStore};

/// Self-signatures that verified when this test was written; a regression fails the test.
const MIN_SELF_SIGNATURES_VERIFIED: usize = 356;
/// Link (non-self-issued) certificates whose signature verified with an issuer in the list.
const MIN_LINKS_VERIFIED: usize = 162;
/// The list's certificates that are not CA certificates and so are refused as trust anchors
/// (ICAO 9303-12 §7.1.1 requires basicConstraints CA:TRUE and keyUsage keyCertSign): China's
/// passport CSCA link has no keyUsage, Turkey's passport CSCA link says CA:FALSE. All 164
/// link certificates verified before anchors had to be CAs; the 162 that remain still do.
const NOT_CA: [(usize, &str); 2] = [
    (275, "China Passport Country Signing Certificate"),
    (347, "Passport CSCA Turkey"),
];

fn master_list_bytes() -> Vec<u8> {
    let path = cccd_testkit::realworld("icao-masterlist-2025-07.ml")
        .expect("shared/realworld/icao-masterlist-2025-07.ml not found: set CCCD_SHARED");
    std::fs::read(path).expect("read master list")
}

#[test]
fn icao_master_list_loads_and_its_signature_verifies() {
    let mut store = TrustStore::new();
    let report = store
        .load_master_list(&master_list_bytes(), "icao-masterlist-2025-07.ml")
        .expect("master list parses");
    println!(
        "master list: {} certificates, {} added, {} duplicates, {} parse failures",
        report.certificate_count,
        report.added,
        report.duplicates,
        report.parse_failures.len()
    );
    println!(
        "signer: {:?}; signature valid: {}; problem: {:?}; signer issued by: {:?} (in list: {}); signing time: {:?}",
        report.signer_subject,
        report.signature_valid,
        report.signature_problem,
        report.signer_issued_by,
        report.signer_issuer_in_list,
        report.signing_time
    );
    assert!(
        report.signer_issued_by.is_some(),
        "the signer certificate chains to a UN CSCA"
    );
    assert_eq!(report.certificate_count, 520);
    let refused: Vec<(usize, bool)> = report
        .parse_failures
        .iter()
        .map(|(i, why)| {
            let named = NOT_CA
                .iter()
                .any(|(j, cn)| i == j && why.contains(cn) && why.contains("not a CA certificate"));
            (*i, named)
        })
        .collect();
    assert_eq!(
        refused,
        vec![(275, true), (347, true)],
        "{:?}",
        report.parse_failures
    );
    assert_eq!(report.added + report.duplicates, 520 - NOT_CA.len());
    assert!(report.signature_valid, "{:?}", report.signature_problem);
    assert!(
        report
            .signer_subject
            .as_deref()
            .is_some_and(|s| !s.is_empty())
    );

    // A tampered list: one letter of a name inside the signed content changed (the
    // structure still parses, the messageDigest no longer matches).
    let mut tampered = master_list_bytes();
    let at = tampered
        .windows(22)
        .position(|w| w == b"CSCA ePassport Vietnam")
        .expect("Vietnam's CSCA is in the list");
    tampered[at] ^= 0x20;
    let mut other = TrustStore::new();
    let Err(TrustError::MasterListSignature { report: bad, .. }) =
        other.load_master_list(&tampered, "tampered")
    else {
        panic!("a modified list must be refused");
    };
    assert!(!bad.signature_valid, "a modified list must not verify");
    assert_eq!(
        bad.signature_problem.as_deref(),
        Some("messageDigest does not match the list content")
    );
    // Refused whole: not one of its 520 certificates became an anchor.
    assert_eq!(bad.added, 0);
    assert!(
        other.is_empty(),
        "{} anchors from a broken list",
        other.len()
    );
}

#[test]
fn every_self_signature_in_the_master_list() {
    let mut store = TrustStore::new();
    store
        .load_master_list(&master_list_bytes(), "ml")
        .expect("master list parses");
    let infos = store.certificates();
    let (mut self_signed, mut verified, mut links, mut links_verified) =
        (0usize, 0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for info in &infos {
        match (&info.self_signature, &info.link_signature) {
            (Some(result), None) => {
                self_signed += 1;
                match result {
                    Ok(()) => verified += 1,
                    Err(e) => {
                        failures.push(format!("self-signed {} [{}]: {e}", info.subject, info.key));
                    }
                }
            }
            (None, Some(result)) => {
                links += 1;
                match result {
                    Ok(()) => links_verified += 1,
                    Err(e) => failures.push(format!("link {} [{}]: {e}", info.subject, info.key)),
                }
            }
            other => panic!("a certificate is either self-signed or a link: {other:?}"),
        }
    }
    println!("self-signed: {self_signed}, verified with their own key: {verified}");
    println!("link certificates: {links}, verified with an issuer in the list: {links_verified}");
    for failure in &failures {
        println!("  NOT verified: {failure}");
    }
    assert_eq!(self_signed + links, infos.len());
    assert!(
        verified >= MIN_SELF_SIGNATURES_VERIFIED,
        "{verified} < {MIN_SELF_SIGNATURES_VERIFIED}"
    );
    assert!(
        links_verified >= MIN_LINKS_VERIFIED,
        "{links_verified} < {MIN_LINKS_VERIFIED}"
    );
    // Every failure carries a typed reason (the Display of a SignatureError), never a panic.
    assert!(
        failures
            .iter()
            .all(|f| f.rsplit(": ").next().is_some_and(|r| !r.is_empty()))
    );
}

#[test]
fn vietnam_csca_brainpool_p512_explicit_parameters() {
    let mut store = TrustStore::new();
    store
        .load_master_list(&master_list_bytes(), "ml")
        .expect("master list parses");
    let vietnam: Vec<_> = store
        .certificates()
        .into_iter()
        .filter(|c| c.subject.contains("CN=CSCA ePassport Vietnam"))
        .collect();
    assert!(!vietnam.is_empty(), "CSCA ePassport Vietnam is in the list");
    for info in &vietnam {
        println!(
            "{} | {} | {:?} .. {:?} | self-signature {:?}",
            info.subject, info.key, info.not_before, info.not_after, info.self_signature
        );
        assert_eq!(info.country.as_deref(), Some("VN"));
        assert_eq!(
            info.key.algorithm,
            KeyAlgorithm::Ec {
                curve: Curve::BrainpoolP512r1
            }
        );
        assert!(info.key.explicit_parameters);
        assert_eq!(info.self_signature, Some(Ok(())));
    }

    // The same certificate from its PEM file.
    let pem_path =
        cccd_testkit::realworld("csca-epassport-vietnam.pem").expect("csca-epassport-vietnam.pem");
    let mut from_pem = TrustStore::new();
    let summary = from_pem.load_cscas(&pem_path).expect("PEM loads");
    assert_eq!(summary.certificates_added, 1);
    let info = &from_pem.certificates()[0];
    assert_eq!(info.self_signature, Some(Ok(())));
    assert_eq!(
        info.key.to_string(),
        "EC brainpoolP512r1 (explicit parameters)"
    );
    assert_eq!(
        info.not_before.map(|t| t.date().to_string()).as_deref(),
        Some("2022-06-29")
    );
    assert_eq!(
        info.not_after.map(|t| t.date().to_string()).as_deref(),
        Some("2037-10-01")
    );

    // Tampering with the signed part makes it fail with a typed error.
    let der = from_pem.anchors()[0].der().to_vec();
    let mut tampered = der.clone();
    // A byte inside the subject's CN (well inside tbsCertificate).
    let at = der
        .windows(7)
        .position(|w| w == b"Vietnam")
        .expect("name in DER");
    tampered[at] ^= 0x20;
    let result = cccd::pki::verify_certificate_signature(&tampered, &der);
    assert!(result.is_err(), "{result:?}");
}
