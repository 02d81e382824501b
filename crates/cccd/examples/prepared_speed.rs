//! Per DSC algorithm over the valid sample cards, on one thread: the SOD signature alone on
//! the plain path (the RustCrypto crates' verification) and with the key prepared (decoded
//! once, EC tables built), and passive authentication per dump (`verify_sod`, chain and
//! prepared signer cached in the store). Prints one JSON object per line (µs per operation)
//! for benches/run-peer.sh.
//!
//! `cargo run --release -p cccd --example prepared_speed -- [SECONDS] [TESTDATA]`

#![allow(clippy::cast_precision_loss, clippy::unwrap_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use cccd::crypto::HashAlgorithm;
use cccd::document::Document;
use cccd::lds::FileId;
use cccd::passive::verify_sod;
use cccd::pki::TrustStore;
use cccd::pki::signature::{PreparedKey, verify_cms_signature_der};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::x509::AlgorithmIdentifier;

/// Microseconds per call of `f`, round-robin over `items`, for at least `budget`.
fn micros<T>(items: &[T], budget: Duration, mut f: impl FnMut(&T) -> bool) -> f64 {
    let start = Instant::now();
    let mut done = 0u64;
    let mut ok = true;
    while start.elapsed() < budget {
        for item in items {
            ok &= f(item);
            done += 1;
        }
    }
    assert!(ok, "a verification failed during the run");
    start.elapsed().as_secs_f64() * 1e6 / done as f64
}

/// What one dump's SOD signature needs.
struct Signed {
    spki: Vec<u8>,
    algorithm: Vec<u8>,
    digest: HashAlgorithm,
    attributes: Vec<u8>,
    signature: Vec<u8>,
}

fn signed_of(doc: &Document) -> Signed {
    let sod = doc.sod().unwrap().unwrap();
    let sd = &sod.signed_data;
    let signer = sd.signer_infos.first().unwrap();
    let dsc = sd.signer_certificate(signer).unwrap();
    let (_, cert) = X509Certificate::from_der(dsc).unwrap();
    Signed {
        spki: cert.public_key().raw.to_vec(),
        algorithm: signer.signature_algorithm.encode(),
        digest: HashAlgorithm::from_oid(&signer.digest_algorithm.oid).unwrap(),
        attributes: signer
            .signed_attrs
            .as_ref()
            .unwrap()
            .der_for_signature
            .clone(),
        signature: signer.signature.clone(),
    }
}

fn verify_plain(s: &Signed) -> bool {
    verify_cms_signature_der(&s.spki, &s.algorithm, s.digest, &s.attributes, &s.signature).is_ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(2.0);
    let testdata = PathBuf::from(args.next().unwrap_or_else(|| "testdata".to_owned()));
    let budget = Duration::from_secs_f64(seconds);
    let mut store = TrustStore::new();
    for name in [
        "csca-rsa.crt.pem",
        "csca-ec.crt.pem",
        "csca-ec-explicit.crt.pem",
    ] {
        let _ = store.load_cscas(&testdata.join("pki").join(name)).unwrap();
    }
    let _ = store
        .load_crls(&testdata.join("pki/csca-ec.crl.pem"))
        .unwrap();
    let at = time::macros::datetime!(2025-06-01 00:00 UTC);
    let mut groups: Vec<(String, Vec<Document>)> = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(testdata.join("cards"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('v'))
        })
        .collect();
    dirs.sort();
    for dir in dirs {
        let doc = Document::load(&dir).unwrap();
        let s = signed_of(&doc);
        let (_, alg) = AlgorithmIdentifier::from_der(&s.algorithm).unwrap();
        let label = format!(
            "{} {}",
            PreparedKey::from_spki_der(&s.spki).unwrap().description(),
            alg.algorithm.to_id_string()
        );
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, docs)) => docs.push(doc),
            None => groups.push((label, vec![doc])),
        }
    }
    for (label, docs) in &groups {
        let signed: Vec<Signed> = docs.iter().map(signed_of).collect();
        let plain = micros(&signed, budget, verify_plain);
        let prepared: Vec<(PreparedKey, &Signed)> = signed
            .iter()
            .map(|s| {
                let key = PreparedKey::from_spki_der(&s.spki).unwrap();
                key.build_table();
                (key, s)
            })
            .collect();
        let fast = micros(&prepared, budget, |(key, s)| {
            key.verify_cms_der(&s.spki, &s.algorithm, s.digest, &s.attributes, &s.signature)
                .is_ok()
        });
        let passive = micros(docs, budget, |d| {
            let dgs = d.files().filter_map(|(f, b)| match f {
                FileId::Dg(dg) => Some((dg, b)),
                _ => None,
            });
            verify_sod(d.get(FileId::Sod).unwrap(), dgs, &store, at).fully_verified()
        });
        println!(
            "{{\"impl\":\"cccd-prepared\",\"alg\":\"{label}\",\"cards\":{},\"sig_plain_us\":{plain:.1},\"sig_prepared_us\":{fast:.1},\"passive_us\":{passive:.1}}}",
            docs.len()
        );
    }
    let stats = store.prepared_stats();
    eprintln!("prepared-signer cache: {stats:?}");
}
