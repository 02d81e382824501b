//! `cccd receipt verify`: check a signed receipt (JWS ES256) from `cccd serve` against the
//! service's public key, and show what it states.

use crate::exit::{CliError, Exit};
use crate::output::escape_untrusted as clean;
use crate::output::print_json;
use cccd_service::receipt::{ReceiptError, verify_receipt, verifying_key_from_pem};
use std::path::PathBuf;

/// Arguments of `cccd receipt`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Check a receipt's signature; exit 0 when it verifies, 1 when it does not.
    Verify {
        /// The receipt (JWS compact serialization).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The service's public key (SPKI PEM).
        #[arg(long, value_name = "PUB")]
        key: PathBuf,
        /// Print the receipt's claims as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn read(path: &PathBuf) -> Result<String, CliError> {
    let bytes =
        std::fs::read(path).map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?;
    if bytes.len() > cccd_service::receipt::MAX_RECEIPT {
        return Err(CliError::BadInput(format!(
            "{}: too large for a receipt",
            path.display()
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| CliError::BadInput(format!("{}: not text", path.display())))
}

/// Run the command.
pub fn run(args: &Args) -> Result<Exit, CliError> {
    let Action::Verify { file, key, json } = &args.action;
    let key = verifying_key_from_pem(&read(key)?)
        .map_err(|e| CliError::BadInput(format!("--key: {e}")))?;
    match verify_receipt(&read(file)?, &key) {
        Ok(claims) => {
            if *json {
                print_json(&claims)?;
            } else {
                let time = time::OffsetDateTime::from_unix_timestamp(claims.iat)
                    .ok()
                    .and_then(|t| {
                        t.format(&time::format_description::well_known::Rfc3339)
                            .ok()
                    })
                    .unwrap_or_default();
                crate::outln!("receipt signature: valid");
                crate::outln!(
                    "  verdict   {}",
                    clean(claims.report["verdict"].as_str().unwrap_or_default())
                );
                crate::outln!("  session   {}", clean(&claims.session_id));
                crate::outln!("  time      {time}");
                crate::outln!("  tool      {}", clean(&claims.tool));
                crate::outln!(
                    "  challenge {}",
                    clean(claims.challenge.as_deref().unwrap_or("-"))
                );
                for (name, digest) in &claims.files {
                    crate::outln!("  sha256    {:14} {}", clean(name), clean(digest));
                }
            }
            Ok(Exit::Success)
        }
        Err(ReceiptError::Key(e)) => Err(CliError::BadInput(format!("--key: {e}"))),
        Err(e) => {
            eprintln!("cccd: {e}");
            Ok(Exit::NotVerified)
        }
    }
}
