//! `cccd mrz`: parse an MRZ, show every field and check digit, and the BAC key seed.

use crate::exit::{CliError, Exit};
use crate::output::{Colour, paint, print_json};
use cccd::mrz::Mrz;
use rust_i18n::t;

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
    /// The typed field, for the human label.
    #[serde(skip)]
    kind: cccd::mrz::CheckField,
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
                kind: c.field,
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
        print_human(&out);
    }
    Ok(if out.all_valid {
        Exit::Success
    } else {
        Exit::NotVerified
    })
}

/// The people's name of a check-digit field, in the `--lang` language.
fn field_label(field: cccd::mrz::CheckField) -> String {
    use cccd::mrz::CheckField;
    match field {
        CheckField::DocumentNumber => t!("mrz.document_number"),
        CheckField::DateOfBirth => t!("mrz.date_of_birth"),
        CheckField::DateOfExpiry => t!("mrz.date_of_expiry"),
        CheckField::PersonalNumber => t!("mrz.personal_number"),
        CheckField::Composite => t!("mrz.composite"),
        CheckField::VietnamIdNumber => t!("mrz.vietnam_id_number"),
    }
    .into_owned()
}

/// The human view of `mrz`, in the `--lang` language.
fn print_human(out: &Output) {
    let sex = out
        .sex
        .map_or_else(|| "<".to_owned(), crate::translations::sex);
    let format = out.format.to_uppercase();
    let mut rows = vec![
        (t!("mrz.format"), format.as_str()),
        (t!("mrz.document_code"), out.document_code.as_str()),
        (t!("mrz.issuing_state"), out.issuing_state.as_str()),
        (t!("mrz.document_number"), out.document_number.as_str()),
        (t!("mrz.date_of_birth"), out.date_of_birth.as_str()),
        (t!("field.sex"), sex.as_str()),
        (t!("mrz.date_of_expiry"), out.date_of_expiry.as_str()),
        (t!("field.nationality"), out.nationality.as_str()),
        (t!("mrz.name"), out.name.as_str()),
    ];
    if let Some(id) = &out.vietnam_id_number {
        rows.push((t!("mrz.vietnam_id_number"), id.as_str()));
    }
    let seed_label = t!("mrz.bac_key_seed");
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .chain([seed_label.chars().count()])
        .max()
        .unwrap_or(0);
    for (k, v) in &rows {
        crate::outln!("{k:width$} {}", crate::output::escape_untrusted(v));
    }
    crate::outln!();
    let labels: Vec<String> = out.checks.iter().map(|c| field_label(c.kind)).collect();
    let label_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    for (c, label) in out.checks.iter().zip(&labels) {
        let mark = if c.valid {
            paint(&t!("mrz.ok"), Colour::Green)
        } else {
            paint(&t!("mrz.bad"), Colour::Red)
        };
        crate::outln!(
            "  {mark} {label:label_width$}  {}",
            t!("mrz.digits", printed = c.printed, computed = c.computed)
        );
    }
    crate::outln!();
    crate::outln!("{seed_label:width$} {}", out.bac_key_seed);
}
