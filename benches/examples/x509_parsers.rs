//! x509-parser against RustCrypto x509-cert, measured on the certificates cccd parses:
//! the 520 CSCA certificates of ICAO's master list (`/work/shared/realworld`, or the folder
//! `CCCD_SHARED` names) and the generator's test PKI.
//!
//! - speed: certificates parsed per second by each, single thread;
//! - acceptance: how many of the real-world certificates each parses;
//! - strictness: single-bit flips of the test certificates (every bit), and a certificate
//!   whose unsigned outer signatureAlgorithm is re-tagged: how many altered encodings each
//!   still accepts. Flips inside the signed TBSCertificate are caught later by the signature;
//!   what matters is the parser's own DER discipline.
//!
//! `cargo run -p cccd-benches --example x509_parsers --release -- [SECONDS]`

// Counts are far below 2^52: exact as f64.
#![allow(clippy::cast_precision_loss)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use cccd::pki::cms::SignedData;
use cccd::tlv::Tlv;
use x509_cert::der::Decode;
use x509_parser::prelude::FromDer;

fn shared() -> PathBuf {
    std::env::var_os("CCCD_SHARED").map_or_else(|| PathBuf::from("/work/shared"), PathBuf::from)
}

/// The certificate encodings of a CscaMasterList.
fn master_list_certificates() -> Vec<Vec<u8>> {
    let bytes = std::fs::read(shared().join("realworld/icao-masterlist-2025-07.ml"))
        .expect("the ICAO master list in CCCD_SHARED/realworld");
    let signed = SignedData::parse_der(&bytes).expect("the master list parses");
    let (list, _) = Tlv::parse(&signed.content).expect("CscaMasterList");
    let set = list.children().nth(1).expect("certList").expect("certList");
    set.children()
        .map(|c| {
            let c = c.expect("entry");
            let start = c.offset();
            signed.content[start..start + c.total_len()].to_vec()
        })
        .collect()
}

/// The generator's test certificates (PEM), as DER.
fn test_certificates() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/pki");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("testdata/pki") {
        let path = entry.expect("entry").path();
        if path.to_string_lossy().ends_with(".crt.pem") {
            let text = std::fs::read(&path).expect("read");
            for pem in x509_parser::pem::Pem::iter_from_buffer(&text) {
                out.push(pem.expect("PEM").contents);
            }
        }
    }
    out
}

fn x509_parser_accepts(der: &[u8]) -> bool {
    matches!(x509_parser::certificate::X509Certificate::from_der(der), Ok((rest, _)) if rest.is_empty())
}

fn x509_cert_accepts(der: &[u8]) -> bool {
    x509_cert::Certificate::from_der(der).is_ok()
}

/// Parses per second of `parse` over `certs` for about `budget`.
fn rate(certs: &[Vec<u8>], budget: Duration, parse: fn(&[u8]) -> bool) -> (f64, usize) {
    let accepted = certs.iter().filter(|c| parse(c)).count();
    let start = Instant::now();
    let mut done = 0u64;
    while start.elapsed() < budget {
        for c in certs {
            std::hint::black_box(parse(std::hint::black_box(c)));
        }
        done += certs.len() as u64;
    }
    (done as f64 / start.elapsed().as_secs_f64(), accepted)
}

/// Of every single-bit flip of `certs`, how many each parser accepts: (tried, x509-parser,
/// x509-cert).
fn flips(certs: &[Vec<u8>]) -> (usize, usize, usize) {
    let (mut tried, mut parser, mut cert) = (0, 0, 0);
    for c in certs {
        for bit in 0..c.len() * 8 {
            let mut altered = c.clone();
            altered[bit / 8] ^= 1 << (bit % 8);
            tried += 1;
            parser += usize::from(x509_parser_accepts(&altered));
            cert += usize::from(x509_cert_accepts(&altered));
        }
    }
    (tried, parser, cert)
}

/// The outer signatureAlgorithm (outside the signature) re-tagged SEQUENCE -> SET: the
/// malleability passive/signer.rs guards against by hand.
fn outer_retag(der: &[u8]) -> Option<Vec<u8>> {
    let (cert, _) = Tlv::parse(der).ok()?;
    let mut parts = cert.children();
    let _tbs = parts.next()?.ok()?;
    let alg = parts.next()?.ok()?;
    let mut altered = der.to_vec();
    altered[alg.offset()] = 0x31;
    Some(altered)
}

fn main() {
    let seconds: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let budget = Duration::from_secs_f64(seconds);
    let real = master_list_certificates();
    let test = test_certificates();
    println!("master list certificates: {}", real.len());
    let (p_rate, p_ok) = rate(&real, budget, x509_parser_accepts);
    let (c_rate, c_ok) = rate(&real, budget, x509_cert_accepts);
    println!(
        "x509-parser: {p_rate:.0} certificates/s, accepts {p_ok} of {}",
        real.len()
    );
    println!(
        "x509-cert:   {c_rate:.0} certificates/s, accepts {c_ok} of {}",
        real.len()
    );
    for (i, c) in real.iter().enumerate() {
        if x509_parser_accepts(c) != x509_cert_accepts(c) {
            let why = x509_cert::Certificate::from_der(c).err();
            println!(
                "  entry {i}: x509-parser {}, x509-cert {} ({why:?})",
                x509_parser_accepts(c),
                x509_cert_accepts(c)
            );
        }
    }
    let (tried, p_flip, c_flip) = flips(&test);
    println!(
        "single-bit flips of {} test certificates: {tried} tried; x509-parser accepts {p_flip}, x509-cert accepts {c_flip}",
        test.len()
    );
    let retagged: Vec<Vec<u8>> = test.iter().filter_map(|c| outer_retag(c)).collect();
    println!(
        "outer signatureAlgorithm re-tagged as SET: x509-parser accepts {} of {}, x509-cert accepts {}",
        retagged.iter().filter(|c| x509_parser_accepts(c)).count(),
        retagged.len(),
        retagged.iter().filter(|c| x509_cert_accepts(c)).count()
    );
}
