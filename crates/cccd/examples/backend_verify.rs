//! The backend flow: a device uploads a card's files (here read from a dump folder into
//! memory, as an HTTP handler would hold them), the backend verifies them against its CSCAs,
//! with the active-authentication challenge it issued to the device.
//!
//! `cargo run -p cccd --example backend_verify -- DUMP_DIR CSCA [CHALLENGE_HEX [DATE]]`
//! e.g. `... -- testdata/cards/v01-hung-ec-bp384 testdata/pki/csca-ec.crt.pem 8c57d28d2066fdb8 2025-06-01`

use cccd::document::Document;
use cccd::pki::TrustStore;
use cccd::verify::{Claims, Options, Verdict, verify};
use std::process::ExitCode;

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(dump), Some(csca)) = (args.next(), args.next()) else {
        eprintln!("usage: backend_verify DUMP_DIR CSCA [CHALLENGE_HEX [YYYY-MM-DD]]");
        return Ok(ExitCode::from(2));
    };
    // What an upload delivers: (file name, bytes) pairs, in memory.
    let mut upload: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(&dump)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            upload.push((
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path())?,
            ));
        }
    }
    // The loader's size limits and name mapping apply to files from memory too.
    let document = Document::from_files(upload)?;
    let mut trust = TrustStore::new();
    for skipped in trust.load_cscas(csca.as_ref())?.skipped {
        eprintln!("skipped {}: {}", skipped.path.display(), skipped.reason);
    }
    let challenge = match args.next() {
        Some(hex) => Some(
            cccd::hex::decode(&hex, 8)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .ok_or("the challenge is 16 hex digits")?,
        ),
        None => None,
    };
    let mut options = Options::default().aa_challenge(challenge);
    if let Some(date) = args.next() {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        options = options.at(time::Date::parse(&date, &format)?.midnight().assume_utc());
    }
    let report = verify(&document, &trust, &Claims::default(), None, &options);
    for check in &report.checks {
        println!("{:5} {} {}", check.status, check.id, check.reason);
    }
    println!("{}", report.verdict);
    // A backend stores the redacted JSON report (schemas/report.schema.json) in its logs.
    eprintln!("{}", serde_json::to_string(&report.redacted())?);
    Ok(match report.verdict {
        Verdict::Verified => ExitCode::SUCCESS,
        Verdict::NotVerified => ExitCode::from(1),
        Verdict::Inconclusive => ExitCode::from(4),
    })
}
