//! `cccd mrz`: parse an MRZ, show every field and check digit, and the BAC key seed.

use crate::exit::{CliError, Exit};
use crate::output::{Colour, paint, print_json};
use cccd::mrz::Mrz;

/// Arguments of `cccd mrz`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The MRZ: lines separated by newlines or `|`.
    #[arg(value_name = "TEXT")]
    text: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct CheckRow {
    field: String,
    found: String,
    computed: u8,
    valid: bool,
}

#[derive(serde::Serialize)]
struct Output {
    format: String,
    document_code: String,
    issuing_state: String,
    document_number: String,
    date_of_birth: String,
    sex: String,
    date_of_expiry: String,
    nationality: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    vietnam_id_number: Option<String>,
    checks: Vec<CheckRow>,
    all_valid: bool,
    bac_key_seed: String,
}

/// Run the command.
pub fn run(args: &Args) -> Result<Exit, CliError> {
    let text = args.text.replace('|', "\n");
    let mrz = Mrz::parse(&text).map_err(|e| CliError::BadInput(e.to_string()))?;
    let seed = mrz.bac_key().seed();
    let out = Output {
        format: format!("{:?}", mrz.format),
        document_code: mrz.document_code.clone(),
        issuing_state: mrz.issuing_state.clone(),
        document_number: mrz.document_number.clone(),
        date_of_birth: mrz.date_of_birth.clone(),
        sex: mrz.sex.to_string(),
        date_of_expiry: mrz.date_of_expiry.clone(),
        nationality: mrz.nationality.clone(),
        name: format!("{} {}", mrz.primary_identifier, mrz.secondary_identifier)
            .trim()
            .to_owned(),
        vietnam_id_number: mrz.vn_id_number.clone(),
        checks: mrz
            .checks
            .iter()
            .map(|c| CheckRow {
                field: c.field.to_string(),
                found: c.found.to_string(),
                computed: c.computed,
                valid: c.valid,
            })
            .collect(),
        all_valid: mrz.checks.all_valid(),
        bac_key_seed: cccd::hex::encode_upper(seed.as_bytes()),
    };
    if args.json {
        print_json(&out)?;
    } else {
        for (k, v) in [
            ("Format", &out.format),
            ("Document code", &out.document_code),
            ("Issuing state", &out.issuing_state),
            ("Document number", &out.document_number),
            ("Date of birth", &out.date_of_birth),
            ("Sex", &out.sex),
            ("Date of expiry", &out.date_of_expiry),
            ("Nationality", &out.nationality),
            ("Name", &out.name),
        ] {
            crate::outln!("{k:20} {}", crate::output::escape_untrusted(v));
        }
        if let Some(id) = &out.vietnam_id_number {
            crate::outln!("{:20} {id}", "12-digit ID");
        }
        crate::outln!();
        for c in &out.checks {
            let mark = if c.valid {
                paint("ok ", Colour::Green)
            } else {
                paint("BAD", Colour::Red)
            };
            crate::outln!(
                "  {mark} {:22} printed {} computed {}",
                c.field,
                c.found,
                c.computed
            );
        }
        crate::outln!();
        crate::outln!("{:20} {}", "BAC key seed", out.bac_key_seed);
    }
    Ok(if out.all_valid {
        Exit::Success
    } else {
        Exit::NotVerified
    })
}
