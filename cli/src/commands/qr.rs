//! `cccd qr`: decode a card's QR (text or picture) and explain its ID number.

use crate::exit::{CliError, Exit};
use crate::output::print_json;
use cccd_service::redact;
use std::path::PathBuf;

/// Arguments of `cccd qr`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The QR text (as a handheld scanner types it).
    #[arg(value_name = "TEXT", required_unless_present = "image")]
    text: Option<String>,
    /// A PNG or JPEG picture holding the QR code.
    #[arg(long, value_name = "FILE", conflicts_with = "text")]
    image: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Mask personal data in the output.
    #[arg(long)]
    redact: bool,
}

#[derive(serde::Serialize)]
struct Output {
    generation: String,
    /// `id_card`, or `certificate_of_identity` (paper, no chip).
    document: cccd_qr::DocumentKind,
    has_chip: bool,
    id_number: String,
    province_code: u16,
    province: &'static str,
    birth_year_from_id: i32,
    sex_from_id: &'static str,
    can: String,
    document_number: String,
    full_name: String,
    date_of_birth: String,
    sex: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    old_id_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    residence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue_date: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cancelled_id_numbers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    father: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mother: Option<String>,
    consistent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    inconsistency: Option<String>,
    extra_fields: usize,
}

/// Run the command.
pub fn run(args: &Args) -> Result<Exit, CliError> {
    let text = match (&args.text, &args.image) {
        (Some(t), _) => t.clone(),
        (None, Some(path)) => {
            let texts = cccd_qr::decode_image_file(path)
                .map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?;
            texts.into_iter().next().ok_or_else(|| {
                CliError::BadInput(format!("{}: no QR code found", path.display()))
            })?
        }
        (None, None) => return Err(CliError::BadInput("give the QR text or --image".into())),
    };
    let data = cccd_qr::parse(&text).map_err(|e| CliError::BadInput(e.to_string()))?;
    let id = data.id_number();
    let r = args.redact;
    let consistency = data.check_consistency();
    let out = Output {
        generation: format!("{:?}", data.generation()),
        document: data.document(),
        has_chip: data.document().has_chip(),
        cancelled_id_numbers: data
            .cancelled_id_numbers()
            .iter()
            .map(|s| redact::mask(s, 3, r))
            .collect(),
        father: data.parents().map(|p| redact::name(&p.father, r)),
        mother: data
            .parents()
            .and_then(|p| p.mother.as_deref())
            .map(|m| redact::name(m, r)),
        id_number: redact::mask(id.as_str(), 3, r),
        province_code: id.province_code(),
        province: id.province(),
        birth_year_from_id: id.birth_year(),
        sex_from_id: id.sex().card_text(),
        can: redact::mask(id.can(), 0, r),
        document_number: redact::mask(id.document_number(), 3, r),
        full_name: redact::name(data.full_name(), r),
        date_of_birth: if r {
            "••••-••-••".into()
        } else {
            data.date_of_birth().to_string()
        },
        sex: data.sex().card_text(),
        old_id_number: data.old_id_number().map(|s| redact::mask(s, 3, r)),
        residence: data.residence().map(|s| redact::mask(s, 0, r)),
        issue_date: data.issue_date().map(|d| {
            if r {
                "••••-••-••".into()
            } else {
                d.to_string()
            }
        }),
        consistent: consistency.is_ok(),
        inconsistency: consistency.err().map(|e| e.to_string()),
        extra_fields: data.extra_fields().len(),
    };
    if args.json {
        print_json(&out)?;
    } else {
        print_human(&out);
    }
    Ok(Exit::Success)
}

fn print_human(out: &Output) {
    let rows = [
        ("Card", out.generation.clone()),
        (
            "Document",
            if out.has_chip {
                "ID card with chip".into()
            } else {
                "certificate of identity: paper, no chip".into()
            },
        ),
        ("ID number", out.id_number.clone()),
        (
            "  province",
            format!("{:03} {}", out.province_code, out.province),
        ),
        (
            "  born",
            format!("{} ({})", out.birth_year_from_id, out.sex_from_id),
        ),
        ("  CAN (PACE)", out.can.clone()),
        ("  document no. (BAC)", out.document_number.clone()),
        ("Full name", out.full_name.clone()),
        ("Date of birth", out.date_of_birth.clone()),
        ("Sex", out.sex.to_owned()),
        ("Old CMND", out.old_id_number.clone().unwrap_or_default()),
        ("Residence", out.residence.clone().unwrap_or_default()),
        ("Issued", out.issue_date.clone().unwrap_or_default()),
        ("Cancelled ID numbers", out.cancelled_id_numbers.join(", ")),
        ("Father", out.father.clone().unwrap_or_default()),
        ("Mother", out.mother.clone().unwrap_or_default()),
        (
            "Consistent",
            out.inconsistency
                .clone()
                .unwrap_or_else(|| "yes: the ID number agrees with date of birth and sex".into()),
        ),
    ];
    for (k, v) in rows.iter().filter(|(_, v)| !v.is_empty()) {
        crate::outln!("{k:22} {}", crate::output::escape_untrusted(v));
    }
}
