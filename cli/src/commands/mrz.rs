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
    /// The check digit as printed; `null` when the printed character is not a digit (`<`).
    found: Option<u8>,
    /// The printed character.
    printed: String,
    computed: u8,
    valid: bool,
}

#[derive(serde::Serialize)]
struct Output {
    format: &'static str,
    document_code: String,
    issuing_state: String,
    document_number: String,
    date_of_birth: String,
    /// `male`, `female`, or `null` for `<` / `X`.
    sex: Option<cccd_qr::Sex>,
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
    let text = crate::args::mrz_text(&args.text);
    let mrz = Mrz::parse(&text).map_err(|e| CliError::BadInput(e.to_string()))?;
    let seed = mrz.bac_key().seed();
    let out = Output {
        format: match mrz.format {
            cccd::mrz::MrzFormat::Td1 => "td1",
            cccd::mrz::MrzFormat::Td2 => "td2",
            cccd::mrz::MrzFormat::Td3 => "td3",
        },
        document_code: mrz.document_code.clone(),
        issuing_state: mrz.issuing_state.clone(),
        document_number: mrz.document_number.clone(),
        date_of_birth: mrz.date_of_birth.clone(),
        sex: match mrz.sex {
            'M' => Some(cccd_qr::Sex::Male),
            'F' => Some(cccd_qr::Sex::Female),
            _ => None,
        },
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
                // A snake_case id for programs; people read the Display form.
                field: c.field.to_string().to_lowercase().replace(' ', "_"),
                found: c.found.to_digit(10).map(|d| d as u8),
                printed: c.found.to_string(),
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
        let sex = out.sex.map_or("<", |s| s.card_text()).to_owned();
        let format = out.format.to_uppercase();
        for (k, v) in [
            ("Format", &format),
            ("Document code", &out.document_code),
            ("Issuing state", &out.issuing_state),
            ("Document number", &out.document_number),
            ("Date of birth", &out.date_of_birth),
            ("Sex", &sex),
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
                c.field.replace('_', " "),
                c.printed,
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
