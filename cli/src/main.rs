//! `cccd`: read, verify and inspect Vietnamese chip ID cards.
//!
//! A thin layer: parse arguments, call the `cccd` libraries, print. Exit codes: 0 success /
//! verified, 1 not verified, 2 bad input or usage, 3 reader or card I/O.
#![forbid(unsafe_code)]

mod commands;
mod exit;
mod output;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Read and verify the NFC chip of Vietnam's chipped citizen ID cards (CCCD, Căn cước).
#[derive(Debug, Parser)]
#[command(name = "cccd", version, about, long_about = None, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXIT_CODES: &str = "\
Exit codes:
  0  success (for verify: verified)
  1  not verified
  2  bad input or usage
  3  reader or card I/O error";

#[derive(Debug, Subcommand)]
enum Command {
    /// List PC/SC readers and whether a card is present.
    #[command(after_help = "Examples:\n  cccd readers\n  cccd readers --probe --json")]
    Readers(commands::readers::Args),
    /// Serve a card through pcscd's virtual reader (vpcd), for testing without hardware.
    #[command(
        after_help = "Examples:\n  cccd simulate &            # a bench card in 'Virtual PCD 00 00'\n  cccd simulate --port 35964 # the second virtual reader"
    )]
    Simulate(commands::simulate::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Readers(args) => commands::readers::run(&args),
        Command::Simulate(args) => commands::simulate::run(&args),
    };
    match result {
        Ok(code) => code.into(),
        Err(e) => {
            eprintln!("cccd: {e}");
            e.exit_code().into()
        }
    }
}
