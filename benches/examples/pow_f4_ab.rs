//! The RSA e = 65537 exponentiation (`s^65537 mod n`, cccd's `pki::signature::pow_f4`), A/B:
//! the earlier form on `BoxedMontyForm`'s `square()`/`mul()`/`retrieve()` against the current
//! one, and against crypto-bigint's fixed-size `FixedMontyForm` (tried for #16, not kept).
//! Interleaved short rounds on the same keys and bases, because this machine's speed swings
//! within seconds: each round times every variant once (the order reversed every other round)
//! and the figure is the median over rounds of the per-round ratio old/variant.
//!
//! `taskset -c 1 cargo run -p cccd-benches --release --example pow_f4_ab -- [ROUNDS] [SCALE] [per-round]`
//!
//! `pow_f4` is crate-private, so the variants are copies; `pow_f4_current` must stay the same
//! as cccd's (compare when changing either). Every variant is checked against the `rsa` crate's
//! public operation before timing.

// Nanosecond counts and op counts are far below 2^52: exact as f64.
#![allow(clippy::cast_precision_loss)]

use std::hint::black_box;
use std::time::Instant;

use crypto_bigint::modular::{BoxedMontyForm, FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Limb, MontyForm, MontyMultiplier, Odd, Uint};
use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, PublicKey};

/// Before #16's change: 16 `square()`s, one `mul()` and `retrieve()`.
fn pow_f4_before(key: &PublicKey, s: BoxedUint) -> BoxedUint {
    let base = BoxedMontyForm::new(s, key.n_params());
    let mut acc = base.square();
    for _ in 1..16 {
        acc = acc.square();
    }
    acc.mul(&base).retrieve()
}

/// cccd's `pow_f4`: one in-place multiplier, `s` taken as a Montgomery representation in the
/// last multiplication, no `retrieve()`.
fn pow_f4_current(key: &PublicKey, s: BoxedUint) -> BoxedUint {
    let params = key.n_params();
    let mut multiplier = <BoxedMontyForm as MontyForm>::Multiplier::from(params);
    let s_as_montgomery = BoxedMontyForm::from_montgomery(s.clone(), params);
    let mut acc = BoxedMontyForm::new(s, params);
    for _ in 0..16 {
        multiplier.square_assign(&mut acc);
    }
    multiplier.mul_assign(&mut acc, &s_as_montgomery);
    acc.into_montgomery()
}

/// The same on crypto-bigint's fixed-size Montgomery form, `L` limbs.
fn pow_f4_fixed<const L: usize>(params: &FixedMontyParams<L>, s: &BoxedUint) -> BoxedUint {
    let limbs: [Limb; L] = s.as_limbs().try_into().expect("s has the modulus's limbs");
    let s = Uint::<L>::new(limbs);
    let s_as_montgomery = FixedMontyForm::from_montgomery(s, params);
    let acc = FixedMontyForm::new(&s, params).square_repeat_vartime(16);
    BoxedUint::from(acc.mul(&s_as_montgomery).as_montgomery())
}

/// Fixed-size parameters for the key's modulus (built once per key, or per call for a
/// one-off key such as a chip's AA key).
fn fixed_params<const L: usize>(key: &PublicKey) -> FixedMontyParams<L> {
    let limbs: [Limb; L] = key.n().as_ref().as_limbs().try_into().expect("L limbs");
    FixedMontyParams::new_vartime(Odd::new(Uint::<L>::new(limbs)).expect("n is odd"))
}

/// The element at the middle of `values` once sorted.
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// The element `percent` of the way through `values` once sorted.
fn percentile(values: &[f64], percent: usize) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[(sorted.len() - 1) * percent / 100]
}

/// One variant: a name and `s -> s^65537 mod n`.
type Variant<'a> = (&'static str, Box<dyn Fn(&BoxedUint) -> BoxedUint + 'a>);

/// Time every variant in `rounds` interleaved rounds of `ops` operations; print the median
/// ns/op and the median of the per-round ratios (old / variant), with the 10th and 90th
/// percentiles and, with `per_round`, every ratio.
fn ab<const L: usize>(bits: usize, rounds: usize, ops: usize, per_round: bool) {
    let mut rng = rand::rng();
    let key = rsa::PrivateKey::new(&mut rng, bits)
        .expect("key generation")
        .to_public_key();
    let precision = key.n_bits_precision();
    let bases: Vec<BoxedUint> = (0..64)
        .map(|_| {
            let bytes: Vec<u8> = (0..key.size())
                .map(|_| rand::RngExt::random(&mut rng))
                .collect();
            let wide = BoxedUint::from_be_slice(&bytes, precision).expect("fits");
            wide.rem_vartime(key.n())
        })
        .collect();
    let params = fixed_params::<L>(&key);
    let variants: Vec<Variant> = vec![
        ("before", Box::new(|s| pow_f4_before(&key, s.clone()))),
        ("current", Box::new(|s| pow_f4_current(&key, s.clone()))),
        ("fixed", Box::new(|s| pow_f4_fixed(&params, s))),
        (
            "fixed+params",
            Box::new(|s| pow_f4_fixed(&fixed_params::<L>(&key), s)),
        ),
    ];
    for s in &bases {
        let expected = rsa::hazmat::rsa_encrypt(&key, s).expect("public operation");
        for (name, f) in &variants {
            assert_eq!(f(s), expected, "{name} at {bits} bits");
        }
    }
    let mut ns_per_op: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); variants.len()];
    for round in 0..rounds {
        let mut order: Vec<usize> = (0..variants.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for v in order {
            let f = &variants[v].1;
            let start = Instant::now();
            for i in 0..ops {
                black_box(f(black_box(&bases[i % bases.len()])));
            }
            ns_per_op[v].push(start.elapsed().as_nanos() as f64 / ops as f64);
        }
    }
    println!("{bits} bits: {rounds} rounds of {ops} operations per variant");
    for (v, (name, _)) in variants.iter().enumerate() {
        let ratios: Vec<f64> = ns_per_op[0]
            .iter()
            .zip(&ns_per_op[v])
            .map(|(before, this)| before / this)
            .collect();
        println!(
            "  {name:>12}: {:9.0} ns/op, before/{name} {:.3}x (p10 {:.3}, p90 {:.3})",
            median(&ns_per_op[v]),
            median(&ratios),
            percentile(&ratios, 10),
            percentile(&ratios, 90),
        );
        if per_round && v > 0 {
            let all: Vec<String> = ratios.iter().map(|r| format!("{r:.3}")).collect();
            println!("    per round: {}", all.join(" "));
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().map_or(201, |a| a.parse().expect("ROUNDS"));
    let scale: usize = args.next().map_or(1, |a| a.parse().expect("SCALE"));
    let per_round = args.next().is_some_and(|a| a == "per-round");
    ab::<32>(2048, rounds, 50 * scale, per_round);
    ab::<16>(1024, rounds, 150 * scale, per_round);
    ab::<48>(3072, rounds, 15 * scale, per_round);
    ab::<64>(4096, rounds, 8 * scale, per_round);
}
