//! Verifications per second on one thread, per DSC algorithm, over the valid sample cards:
//! full `verify` with the chain cached, passive authentication alone (`verify_sod`, chain
//! cached), and the cryptographic floor. Prints one JSON object
//! per line, the same shape as benches/peer_pa.py, so benches/run-peer.sh can put the two
//! side by side from one run.
//!
//! `cargo run -p cccd-benches --example verify_rate --release -- [SECONDS] [ALGORITHM]`
//!
//! `ALGORITHM` (e.g. `ecdsa-p256`) limits the run to one DSC algorithm, for profiling; a
//! third argument `verify` measures the full `verify` only (benches/full-verify-ratio.sh
//! interleaves such short runs with the peer's).

// Counts of APDUs, bytes and iterations are far below 2^52: exact as f64.
#![allow(clippy::cast_precision_loss)]

use std::time::{Duration, Instant};

use cccd::lds::FileId;
use cccd::passive::verify_sod;
use cccd::verify::{Claims, verify};
use cccd_benches::{BenchError, PreparedSignature, Primitives, Samples, algorithm_label};

/// Run `f` over `items` round-robin for at least `budget`; calls per second. One untimed
/// pass first, so the figure is the steady state (tables and caches built) even for short
/// budgets.
fn rate<T>(what: &str, items: &[T], budget: Duration, mut f: impl FnMut(&T) -> bool) -> f64 {
    for item in items {
        f(item);
    }
    let start = Instant::now();
    let mut done = 0u64;
    let mut ok = true;
    while start.elapsed() < budget {
        for item in items {
            ok &= f(item);
            done += 1;
        }
    }
    if !ok {
        eprintln!("warning: a verification failed during the {what} rate run");
    }
    done as f64 / start.elapsed().as_secs_f64()
}

fn main() -> Result<(), BenchError> {
    let seconds: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let budget = Duration::from_secs_f64(seconds);
    let only = std::env::args().nth(2).filter(|a| a != "all");
    let verify_only = std::env::args().nth(3).as_deref() == Some("verify");
    let samples = Samples::load()?;
    let store = samples.store()?;
    let at = samples.reference_date.midnight().assume_utc();
    let claims = Claims::default();
    for first in samples.one_per_algorithm() {
        let label = algorithm_label(&first.dsc_algorithm);
        if only.as_deref().is_some_and(|o| o != label) {
            continue;
        }
        // Each dump with the options of the verifier that issued its AA challenge, so every
        // check runs on the path that earns `verified` (the rate run warns otherwise).
        let docs: Vec<_> = samples
            .valid()
            .filter(|s| s.dsc_algorithm == first.dsc_algorithm)
            .map(|s| (s.doc.clone(), s.options(at)))
            .collect();
        let full = rate("verify", &docs, budget, |(d, options)| {
            verify(d, &store, &claims, None, options).verdict == cccd::verify::Verdict::Verified
        });
        if verify_only {
            println!(
                "{{\"impl\":\"cccd\",\"alg\":\"{label}\",\"cards\":{},\"verify_per_s\":{full:.1}}}",
                docs.len()
            );
            continue;
        }
        // Passive authentication alone (what the Python peer does), chain cached.
        let passive = rate("passive", &docs, budget, |(d, _)| {
            let sod = d.get(FileId::Sod).unwrap_or_default();
            let dgs = d.files().filter_map(|(f, b)| match f {
                FileId::Dg(dg) => Some((dg, b)),
                _ => None,
            });
            verify_sod(sod, dgs, &store, at).fully_verified()
        });
        let floors: Vec<Primitives> = docs
            .iter()
            .filter_map(|(d, _)| Primitives::of(d).ok())
            .collect();
        let floor = rate("floor", &floors, budget, Primitives::run);
        // The signature alone: the crates' plain verification, and the prepared key.
        let sig_plain = rate(
            "plain signature",
            &floors,
            budget,
            Primitives::signature_plain,
        );
        let prepared: Vec<_> = floors.iter().filter_map(|p| p.prepared().ok()).collect();
        let sig_prepared = rate(
            "prepared signature",
            &prepared,
            budget,
            PreparedSignature::run,
        );
        println!(
            "{{\"impl\":\"cccd\",\"alg\":\"{label}\",\"cards\":{},\"verify_per_s\":{full:.1},\"passive_per_s\":{passive:.1},\"floor_per_s\":{floor:.1},\"sig_plain_per_s\":{sig_plain:.1},\"sig_prepared_per_s\":{sig_prepared:.1}}}",
            docs.len()
        );
    }
    Ok(())
}
