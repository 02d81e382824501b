//! The read-cost model: for every valid sample card, every chip profile and every read plan,
//! a real session against the virtual chip; APDUs and bytes counted on the wire, turned into
//! time with [`LinkModel`]. Prints Markdown tables (pasted into benches/README.md).
//!
//! `cargo run -p cccd-benches --example read_cost --release`

// Counts of APDUs, bytes and iterations are far below 2^52: exact as f64.
#![allow(clippy::cast_precision_loss)]

use cccd::session::ReadPlan;
use cccd_benches::{
    APDU_LATENCY, BenchError, CHIP_LIMITS, ChipLimits, ExchangeSizes, LinkModel, ReadCost, Samples,
    measure_log, measure_log_with, strategies,
};
use cccd_sim::chip::Profile;

/// Bit rates of ISO/IEC 14443, kbit/s.
const RATES: [u32; 4] = [106, 212, 424, 848];

/// Averages over the sample cards of one (chip, strategy, plan) cell.
struct Cell {
    auth_apdus: f64,
    read_apdus: f64,
    read_apdus_max: usize,
    read_bytes: f64,
    /// Modelled read time after authentication at each rate, seconds.
    read_time: [f64; 4],
    /// Modelled authentication time at each rate, seconds.
    auth_time: [f64; 4],
}

fn cell(samples: &Samples, limits: ChipLimits, plan: &ReadPlan) -> Result<Cell, BenchError> {
    let mut runs: Vec<(ReadCost, ExchangeSizes)> = Vec::new();
    for s in samples.valid() {
        runs.push(measure_log(s, limits, plan, samples.reference_date)?);
    }
    let n = runs.len().max(1) as f64;
    let mean = |f: &dyn Fn(&(ReadCost, ExchangeSizes)) -> f64| runs.iter().map(f).sum::<f64>() / n;
    let mut read_time = [0.0; 4];
    let mut auth_time = [0.0; 4];
    for (i, rate) in RATES.iter().enumerate() {
        let link = LinkModel::at(*rate);
        read_time[i] = mean(&|(_, x)| link.time_of_log(x.read.iter().copied()));
        auth_time[i] = mean(&|(_, x)| link.time_of_log(x.authentication.iter().copied()));
    }
    Ok(Cell {
        auth_apdus: mean(&|(c, _)| c.authentication.apdus as f64),
        read_apdus: mean(&|(c, _)| c.read.apdus as f64),
        read_apdus_max: runs.iter().map(|(c, _)| c.read.apdus).max().unwrap_or(0),
        read_bytes: mean(&|(c, _)| (c.read.command_bytes + c.read.response_bytes) as f64),
        read_time,
        auth_time,
    })
}

/// The opening (PACE with each mapping, then the genuineness proof) per PACE variant, on the
/// chip with extended length: APDUs, bytes and modelled time, means over the sample cards.
fn pace_variants(samples: &Samples) -> Result<(), BenchError> {
    println!("\nOpening per PACE variant (chip \"ext, max 65536\", PACE-CAN, then CA or CAM):\n");
    println!("| profile | protocol | auth APDUs | auth bytes | auth ms @106 | @424 |");
    println!("|---|---|---:|---:|---:|---:|");
    let limits = CHIP_LIMITS[0];
    for (profile, name) in [
        (Profile::Cccd2021, "cccd-2021"),
        (Profile::PaceDhGm, "pace-dh-gm"),
        (Profile::PaceEcdhIm, "pace-ecdh-im"),
        (Profile::PaceDhIm, "pace-dh-im"),
        (Profile::PaceEcdhCam, "pace-ecdh-cam"),
    ] {
        let mut runs = Vec::new();
        for s in samples.valid() {
            runs.push(measure_log_with(
                s,
                (limits, profile),
                &ReadPlan::verification(),
                samples.reference_date,
            )?);
        }
        let n = runs.len().max(1) as f64;
        let apdus = runs
            .iter()
            .map(|(c, _)| c.authentication.apdus as f64)
            .sum::<f64>()
            / n;
        let bytes = runs
            .iter()
            .map(|(c, _)| (c.authentication.command_bytes + c.authentication.response_bytes) as f64)
            .sum::<f64>()
            / n;
        let time = |rate| {
            let link = LinkModel::at(rate);
            runs.iter()
                .map(|(_, x)| link.time_of_log(x.authentication.iter().copied()))
                .sum::<f64>()
                / n
        };
        let protocol = match profile {
            Profile::PaceDhGm | Profile::PaceDhIm => "DH 1024-bit (id 0)",
            _ => "card's curve",
        };
        println!(
            "| {name} | {protocol} | {apdus:.1} | {bytes:.0} | {} | {} |",
            ms(time(106)),
            ms(time(424))
        );
    }
    Ok(())
}

fn ms(seconds: f64) -> String {
    format!("{:.0}", seconds * 1000.0)
}

fn main() -> Result<(), BenchError> {
    let samples = Samples::load()?;
    let cards = samples.valid().count();
    let plans = [
        ("verification", ReadPlan::verification()),
        ("with face", ReadPlan::with_face()),
    ];
    println!(
        "Read cost over the {cards} valid sample cards (means; PACE-CAN opened from the ID \
         number and date of birth). APDU latency {:.0} ms; times in ms.\n",
        APDU_LATENCY * 1000.0
    );
    println!(
        "| chip | reader | plan | auth APDUs | read APDUs (max) | read bytes | read ms @106 | @212 | @424 | @848 | auth ms @424 |"
    );
    println!("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    // (chip label, reader, plan) -> cell, for the ratios below.
    let mut cells = Vec::new();
    for limits in CHIP_LIMITS {
        for (reader, strategy) in strategies() {
            for (plan_name, plan) in &plans {
                let plan = plan.clone().strategy_of(strategy);
                let c = cell(&samples, limits, &plan)?;
                println!(
                    "| {} | {reader} | {plan_name} | {:.1} | {:.1} ({}) | {:.0} | {} | {} | {} | {} | {} |",
                    limits.label,
                    c.auth_apdus,
                    c.read_apdus,
                    c.read_apdus_max,
                    c.read_bytes,
                    ms(c.read_time[0]),
                    ms(c.read_time[1]),
                    ms(c.read_time[2]),
                    ms(c.read_time[3]),
                    ms(c.auth_time[2]),
                );
                cells.push((limits.label, reader, *plan_name, c));
            }
        }
    }
    let find = |chip: &str, reader: &str, plan: &str| {
        cells
            .iter()
            .find(|(c, r, p, _)| *c == chip && *r == reader && *p == plan)
            .map(|(_, _, _, cell)| cell)
    };
    println!(
        "\nOurs / JMRTD default, modelled read time after authentication (lower is better):\n"
    );
    println!("| chip | plan (ours) vs JMRTD full read | @106 | @212 | @424 | @848 |");
    println!("|---|---|---:|---:|---:|---:|");
    for limits in CHIP_LIMITS {
        let Some(theirs) = find(limits.label, "JMRTD default", "with face") else {
            continue;
        };
        for plan in ["with face", "verification"] {
            let Some(ours) = find(limits.label, "cccd", plan) else {
                continue;
            };
            let r: Vec<String> = (0..4)
                .map(|i| format!("{:.2}", ours.read_time[i] / theirs.read_time[i]))
                .collect();
            println!("| {} | {plan} | {} |", limits.label, r.join(" | "));
        }
    }
    // The targets.
    let best = "ext, max 65536";
    pace_variants(&samples)?;
    behind_extended_reader(&samples)?;
    if let (Some(full), Some(verif)) = (
        find(best, "cccd", "with face"),
        find(best, "cccd", "verification"),
    ) {
        println!("\nTargets (chip with extended length, max 65536):\n");
        println!(
            "- full read with DG2: at most {} APDUs after authentication (target <= 20): {}",
            full.read_apdus_max,
            if full.read_apdus_max <= 20 {
                "met"
            } else {
                "NOT met"
            }
        );
        let after = verif.read_time[2] / full.read_time[2];
        let incl =
            (verif.read_time[2] + verif.auth_time[2]) / (full.read_time[2] + full.auth_time[2]);
        println!(
            "- verification plan / full read at 424 kbit/s: {after:.2} after authentication, \
             {incl:.2} including it (target <= 0.25): {}",
            if after <= 0.25 {
                "met after authentication"
            } else {
                "NOT met"
            }
        );
    }
    Ok(())
}

/// Opening behind a reader that claims extended length while the ATR does not settle it
/// (a PC/SC reader): an extended-length chip against the short-only profile.
fn behind_extended_reader(samples: &cccd_benches::Samples) -> Result<(), cccd_benches::BenchError> {
    println!(
        "\nOpening behind a reader that claims extended length, ATR silent (means over the valid \
         sample cards):\n"
    );
    println!("| chip | auth APDUs | extended reads refused (6700) |");
    println!("|---|---:|---:|");
    for (label, short_only) in [("extended length", false), ("short-only (declared)", true)] {
        let (mut apdus, mut refused, mut n) = (0usize, 0usize, 0usize);
        for sample in samples.valid() {
            let (a, r) = cccd_benches::open_behind_extended_reader(
                sample,
                short_only,
                samples.reference_date,
            )?;
            apdus += a;
            refused += r;
            n += 1;
        }
        let n = n.max(1) as f64;
        println!(
            "| {label} | {:.1} | {:.1} |",
            apdus as f64 / n,
            refused as f64 / n
        );
    }
    Ok(())
}
