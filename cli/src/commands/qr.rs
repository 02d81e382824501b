//! `cccd qr`: decode a card's QR (text or picture) and explain its ID number.

use crate::exit::{CliError, Exit};
use crate::output::print_json;
use cccd::verify::redact;
use cccd_qr::{CardGeneration, Sex};
use rust_i18n::t;
use std::path::PathBuf;

/// Arguments of `cccd qr`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The QR text (as a handheld scanner types it); `-` reads it from standard input.
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
    /// Whether personal data is masked: then the province, birth year and sex that the ID
    /// number encodes are `null` too (with them, 9 of its 12 digits could be recovered).
    redacted: bool,
    generation: CardGeneration,
    /// `id_card`, or `certificate_of_identity` (paper, no chip).
    document: cccd_qr::DocumentKind,
    has_chip: bool,
    id_number: String,
    province_code: Option<u16>,
    province: Option<&'static str>,
    birth_year_from_id: Option<i32>,
    sex_from_id: Option<Sex>,
    can: String,
    document_number: String,
    full_name: String,
    date_of_birth: String,
    sex: Option<Sex>,
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
    let data = match (&args.text, &args.image) {
        (Some(t), _) if t == "-" => parse_text(&read_stdin()?)?,
        (Some(t), _) => parse_text(t)?,
        (None, Some(path)) => cccd_qr::find_card_qr_in_file(path)
            .map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?,
        (None, None) => return Err(CliError::BadInput("give the QR text or --image".into())),
    };
    let id = data.id_number();
    let r = args.redact;
    let consistency = data.check_consistency();
    let out = Output {
        redacted: r,
        generation: data.generation(),
        document: data.document(),
        has_chip: data.document().has_chip(),
        cancelled_id_numbers: data
            .cancelled_id_numbers()
            .iter()
            .map(|s| redact::mask_if(s, 3, r))
            .collect(),
        father: data.parents().map(|p| redact::initials_if(&p.father, r)),
        mother: data
            .parents()
            .and_then(|p| p.mother.as_deref())
            .map(|m| redact::initials_if(m, r)),
        id_number: redact::mask_if(id.as_str(), 3, r),
        province_code: (!r).then(|| id.province_code()),
        province: (!r).then(|| id.province()),
        birth_year_from_id: (!r).then(|| id.birth_year()),
        sex_from_id: (!r).then(|| id.sex()),
        can: redact::mask_if(id.can(), 0, r),
        document_number: redact::mask_if(id.document_number(), 3, r),
        full_name: redact::initials_if(data.full_name(), r),
        date_of_birth: if r {
            redact::MASKED_DATE.into()
        } else {
            data.date_of_birth().to_string()
        },
        sex: (!r).then(|| data.sex()),
        old_id_number: data.old_id_number().map(|s| redact::mask_if(s, 3, r)),
        residence: data.residence().map(|s| redact::mask_if(s, 0, r)),
        issue_date: data.issue_date().map(|d| {
            if r {
                redact::MASKED_DATE.into()
            } else {
                d.to_string()
            }
        }),
        consistent: consistency.is_ok(),
        // The reason names the birth year or sex the ID number encodes: not under --redact.
        inconsistency: consistency.err().map(|e| {
            if r {
                "the ID number disagrees with the date of birth or sex".to_owned()
            } else {
                e.to_string()
            }
        }),
        extra_fields: data.extra_fields().len(),
    };
    if args.json {
        print_json(&out)?;
    } else {
        print_human(&out);
    }
    Ok(Exit::Success)
}

/// What a card QR looks like, for an error about text that is not one.
const CARD_QR_SHAPE: &str = "a card QR is '|'-separated fields starting with the 12-digit ID number, e.g. \
'001099000001|012345678|Nguyễn Văn A|01011999|Nam|Hà Nội|10052021'";

fn parse_text(text: &str) -> Result<cccd_qr::QrData, CliError> {
    cccd_qr::parse(text).map_err(|e| CliError::BadInput(format!("{e}; {CARD_QR_SHAPE}")))
}

/// The QR text from standard input (`cccd qr -`, e.g. from a scanner or `zbarimg --raw`),
/// bounded to a card QR's maximum size.
fn read_stdin() -> Result<String, CliError> {
    use std::io::Read as _;
    let mut text = String::new();
    std::io::stdin()
        .lock()
        .take(cccd_qr::MAX_INPUT_BYTES as u64 + 1)
        .read_to_string(&mut text)
        .map_err(|e| CliError::BadInput(format!("standard input: {e}")))?;
    Ok(text)
}

/// The human view of `qr`, in the `--lang` language.
fn print_human(out: &Output) {
    let masked = || "•••".to_owned();
    let card = match out.generation {
        CardGeneration::Cccd2021 => "CCCD (2021)".to_owned(),
        CardGeneration::CanCuoc2024 => "Căn cước (2024)".to_owned(),
        CardGeneration::Unknown => t!("qr.generation_unknown").into_owned(),
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let rows = [
        (t!("field.card"), card),
        (
            t!("qr.document"),
            if out.has_chip {
                t!("qr.with_chip").into_owned()
            } else {
                t!("qr.no_chip").into_owned()
            },
        ),
        (t!("field.id_number"), out.id_number.clone()),
        (
            t!("qr.province"),
            match (out.province_code, out.province) {
                (Some(code), Some(name)) => format!("{code:03} {name}"),
                _ => masked(),
            },
        ),
        (
            t!("qr.born"),
            match (out.birth_year_from_id, out.sex_from_id) {
                (Some(year), Some(sex)) => format!("{year} ({})", crate::translations::sex(sex)),
                _ => masked(),
            },
        ),
        (t!("qr.can"), out.can.clone()),
        (t!("qr.document_number"), out.document_number.clone()),
        (t!("field.full_name"), out.full_name.clone()),
        (t!("field.date_of_birth"), out.date_of_birth.clone()),
        (
            t!("field.sex"),
            out.sex.map_or_else(masked, crate::translations::sex),
        ),
        (t!("qr.old_id_number"), opt(&out.old_id_number)),
        (t!("field.residence"), opt(&out.residence)),
        (t!("field.date_of_issue"), opt(&out.issue_date)),
        (t!("qr.cancelled"), out.cancelled_id_numbers.join(", ")),
        (t!("field.father"), opt(&out.father)),
        (t!("field.mother"), opt(&out.mother)),
        (
            t!("qr.consistent"),
            out.inconsistency.as_deref().map_or_else(
                || t!("qr.consistent_yes").into_owned(),
                crate::translations::reason,
            ),
        ),
    ];
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (k, v) in rows.iter().filter(|(_, v)| !v.is_empty()) {
        crate::outln!("{k:width$} {}", crate::output::escape_untrusted(v));
    }
}
