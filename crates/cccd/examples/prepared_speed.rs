//! Per DSC algorithm over the valid sample cards, on one thread: the SOD signature alone on
//! the plain path (the RustCrypto crates' verification) and with the key prepared (decoded
//! once, EC tables built), and passive authentication per dump (`verify_sod`, chain and
//! prepared signer cached in the store), the full `verify` per dump, and the recorded
//! Active Authentication answers re-verified: all of them (`aa_us`, as `verify` does it) and
//! the ECDSA ones alone, by the `ecdsa` crate and by the wNAF path. Prints one JSON object
//! per line (µs per operation) for benches/run-peer.sh.
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
use der::{Decode, Encode};
use spki::AlgorithmIdentifierRef;

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
    let cert = x509_cert::Certificate::from_der(dsc).unwrap();
    Signed {
        spki: cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .unwrap(),
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

/// A recorded AA exchange and the keys it needs.
struct Aa {
    dg15: cccd::lds::dg15::Dg15,
    dg14: Option<cccd::lds::dg14::Dg14>,
    challenge: Vec<u8>,
    response: Vec<u8>,
}

fn aa_of(doc: &Document) -> Option<Aa> {
    let record = doc.meta.active_authentication.as_ref()?;
    Some(Aa {
        dg15: doc.dg15()?.ok()?,
        dg14: doc.dg14().and_then(Result::ok),
        challenge: cccd::hex::decode(&record.challenge, 1024)?,
        response: cccd::hex::decode(&record.response, 1024)?,
    })
}

fn aa_prepared(aa: &Aa) -> bool {
    cccd::access::active::verify_aa(&aa.dg15, aa.dg14.as_ref(), &aa.challenge, &aa.response).is_ok()
}

/// The ECDSA AA answer by the plain path (the `ecdsa` crate), as before the wNAF path.
fn aa_ec_plain(aa: &Aa) -> bool {
    // AlgorithmIdentifier { ecdsa-plain-SHA256 }, as the sample chips' DG14 names it.
    const ALGORITHM: [u8; 14] = [
        0x30, 0x0C, 0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x01, 0x01, 0x04, 0x01, 0x03,
    ];
    cccd::pki::signature::verify_signature_der(
        aa.dg15.spki_der(),
        &ALGORITHM,
        &aa.challenge,
        &aa.response,
    )
    .is_ok()
}

fn verify_plain(s: &Signed) -> bool {
    verify_cms_signature_der(&s.spki, &s.algorithm, s.digest, &s.attributes, &s.signature).is_ok()
}

/// Passive authentication, full `verify`, AA (all, then the ECDSA ones by the plain path and
/// by the wNAF path), µs each, interleaved in rounds (the machine is shared): the best round.
fn stages(
    docs: &[Document],
    store: &TrustStore,
    at: time::OffsetDateTime,
    budget: Duration,
) -> [f64; 5] {
    let options = cccd::verify::Options::default().at(at);
    let claims = cccd::verify::Claims::default();
    let aas: Vec<Aa> = docs.iter().filter_map(aa_of).collect();
    let ec: Vec<&Aa> = aas
        .iter()
        .filter(|a| matches!(a.dg15.key(), cccd::lds::dg15::AaPublicKey::Ec { .. }))
        .collect();
    // Interleaved in rounds (the machine is shared): the best round of each stage.
    let rounds = 4;
    let slice = budget / rounds;
    let mut best = [f64::INFINITY; 5];
    for _ in 0..rounds {
        let passive = micros(docs, slice, |d| {
            let dgs = d.files().filter_map(|(f, b)| match f {
                FileId::Dg(dg) => Some((dg, b)),
                _ => None,
            });
            verify_sod(d.get(FileId::Sod).unwrap(), dgs, store, at).fully_verified()
        });
        // `verify` of a dump: the recorded AA answer is over a challenge this verifier
        // did not issue, so the best verdict is "inconclusive", never "not verified".
        let full = micros(docs, slice, |d| {
            let report = cccd::verify::verify(d, store, &claims, None, &options);
            report.verdict != cccd::verify::Verdict::NotVerified
        });
        let aa = micros(&aas, slice, aa_prepared);
        let (ec_plain, ec_wnaf) = if ec.is_empty() {
            (0.0, 0.0)
        } else {
            (
                micros(&ec, slice, |a| aa_ec_plain(a)),
                micros(&ec, slice, |a| aa_prepared(a)),
            )
        };
        for (b, v) in best.iter_mut().zip([passive, full, aa, ec_plain, ec_wnaf]) {
            *b = b.min(v);
        }
    }
    best
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
        let alg = AlgorithmIdentifierRef::from_der(&s.algorithm).unwrap();
        let label = format!(
            "{} {}",
            PreparedKey::from_spki_der(&s.spki).unwrap().description(),
            alg.oid
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
        let [passive, full, aa, ec_plain, ec_wnaf] = stages(docs, &store, at, budget);
        println!(
            "{{\"impl\":\"cccd-prepared\",\"alg\":\"{label}\",\"cards\":{},\"sig_plain_us\":{plain:.1},\"sig_prepared_us\":{fast:.1},\"passive_us\":{passive:.1},\"verify_us\":{full:.1},\"aa_us\":{aa:.1},\"aa_ec_plain_us\":{ec_plain:.1},\"aa_ec_wnaf_us\":{ec_wnaf:.1}}}",
            docs.len()
        );
    }
    let stats = store.prepared_stats();
    eprintln!("prepared-signer cache: {stats:?}");
}
