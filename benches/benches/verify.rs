//! Verification throughput: `verify` of a dump (parse + passive authentication + every
//! check) for each DSC algorithm among the sample cards, with the DSC -> CSCA chain cached
//! (one TrustStore reused) and uncached (a fresh TrustStore per iteration, built outside the
//! timing), beside the cryptographic floor (signature over the signed attributes with the
//! DSC key + the hashes), loading a dump from disk, and one certificate signature (the chain
//! step's floor). Criterion prints time per iteration; verifications per second per core is
//! its inverse (benches/README.md).

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use cccd::pki::TrustStore;
use cccd::verify::{Claims, verify};
use cccd_benches::{Primitives, Samples, algorithm_label};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

fn verification(c: &mut Criterion) {
    let Ok(samples) = Samples::load() else {
        eprintln!("testdata/manifest.json did not load: nothing to bench");
        return;
    };
    let Ok(store) = samples.store() else {
        eprintln!("the test trust anchors did not load");
        return;
    };
    let at = samples.reference_date.midnight().assume_utc();
    let claims = Claims::default();
    let mut group = c.benchmark_group("verify");
    for sample in samples.one_per_algorithm() {
        let label = algorithm_label(&sample.dsc_algorithm);
        let doc = &sample.doc;
        // The issuing verifier's options: the path that earns `verified`.
        let options = sample.options(at);
        group.bench_function(format!("{label}/cached chain"), |b| {
            b.iter(|| verify(black_box(doc), &store, &claims, None, &options));
        });
        group.bench_function(format!("{label}/uncached chain"), |b| {
            b.iter_batched(
                || samples.store().unwrap_or_default(),
                |fresh: TrustStore| verify(black_box(doc), &fresh, &claims, None, &options),
                BatchSize::SmallInput,
            );
        });
        if let Ok(floor) = Primitives::of(doc) {
            group.bench_function(format!("{label}/floor: signature + hashes"), |b| {
                b.iter(|| black_box(&floor).run());
            });
            if let Some(csca) = store
                .anchors()
                .iter()
                .find(|a| cccd::pki::verify_certificate_signature(floor.dsc_der(), a.der()).is_ok())
            {
                group.bench_function(format!("{label}/floor: DSC certificate signature"), |b| {
                    b.iter(|| {
                        cccd::pki::verify_certificate_signature(
                            black_box(floor.dsc_der()),
                            csca.der(),
                        )
                    });
                });
            }
        }
        group.bench_function(format!("{label}/load dump + verify, cached chain"), |b| {
            b.iter(|| {
                cccd::document::Document::load(black_box(&sample.dir))
                    .map(|d| verify(&d, &store, &claims, None, &options))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, verification);
criterion_main!(benches);
