//! `cccd-gen`: regenerate the test PKI and sample card dumps.
//!
//! ```text
//! cargo run -p cccd-sim --bin cccd-gen -- --seed 1 --out testdata [--keys DIR]
//! ```
#![forbid(unsafe_code)]

use cccd_sim::generator::{GenOptions, generate};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cccd-gen --seed N --out DIR [--keys DIR]";

fn parse_args() -> Result<GenOptions, String> {
    let mut seed = None;
    let mut out = None;
    let mut key_dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--seed" => {
                let v = value()?;
                seed = Some(v.parse::<u64>().map_err(|e| format!("--seed {v}: {e}"))?);
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            "--keys" => key_dir = Some(PathBuf::from(value()?)),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(GenOptions {
        seed: seed.ok_or_else(|| format!("--seed is required\n{USAGE}"))?,
        out: out.ok_or_else(|| format!("--out is required\n{USAGE}"))?,
        key_dir,
    })
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match generate(&opts) {
        Ok(s) => {
            println!(
                "wrote {} cards for {} personas to {}",
                s.cards,
                s.personas,
                opts.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cccd-gen: {e}");
            ExitCode::FAILURE
        }
    }
}
