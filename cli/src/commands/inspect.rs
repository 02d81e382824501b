//! `cccd inspect`: everything on a dumped card, readable.

use crate::exit::{CliError, Exit};
use crate::output::print_json;
use cccd::document::Document;
use cccd::verify::{ChipIdentity, HolderIdentity};
use rust_i18n::t;
use std::path::PathBuf;

/// Arguments of `cccd inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A dump folder.
    #[arg(value_name = "DIR")]
    dump: PathBuf,
    /// Save the face (DG2) as PNG here.
    #[arg(long, value_name = "OUT.png")]
    face: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Mask personal data in the output.
    #[arg(long)]
    redact: bool,
}

#[derive(serde::Serialize)]
struct FileRow {
    file: String,
    bytes: usize,
    parses: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(serde::Serialize)]
struct SodView {
    hash_algorithm: Option<String>,
    /// The hash's display name for people (`SHA-256`).
    #[serde(skip)]
    hash_name: Option<&'static str>,
    data_groups: Vec<String>,
    signer: Option<String>,
    /// The document signer certificate's validity.
    signer_validity: Option<super::inspect_chip::SignerValidity>,
}

#[derive(serde::Serialize)]
struct Output {
    identity: HolderIdentity,
    files: Vec<FileRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sod: Option<SodView>,
    /// PACE, chip and active authentication, by protocol name.
    chip: super::inspect_chip::ChipView,
    meta: cccd::document::ReadMeta,
}

/// Write the face (DG2) as PNG, 0600.
fn save_face(doc: &Document, out: &std::path::Path) -> Result<(), CliError> {
    let dg2 = doc
        .dg2()
        .ok_or_else(|| {
            CliError::BadInput(if crate::html::card_has_no_face(doc) {
                "this card has no face image: its SOD lists no DG2 (Căn cước cards for children under 6 carry no photo)".into()
            } else {
                "the dump has no DG2 (read it with --face)".into()
            })
        })?
        .map_err(|e| CliError::BadInput(e.to_string()))?;
    let image = dg2
        .first_image()
        .ok_or_else(|| CliError::BadInput("DG2 holds no face image".into()))?;
    let png = image
        .to_png()
        .map_err(|e| CliError::BadInput(e.to_string()))?;
    crate::output::write_private(out, &png)?;
    Ok(())
}

fn or_none(items: &[String]) -> String {
    if items.is_empty() {
        t!("inspect.none").into_owned()
    } else {
        items.join(", ")
    }
}

/// Run the command.
pub fn run(args: &Args) -> Result<Exit, CliError> {
    if args.redact && args.face.is_some() {
        return Err(CliError::BadInput(
            "--face writes the holder's photo: it cannot be combined with --redact".into(),
        ));
    }
    let doc = Document::load(&args.dump).map_err(|e| CliError::BadInput(e.to_string()))?;
    let files = doc
        .files_in_lds_order()
        .into_iter()
        .map(|(id, bytes)| {
            let error = doc.parse_error(id).map(|e| e.to_string());
            FileRow {
                file: id.to_string(),
                bytes: bytes.len(),
                parses: error.is_none(),
                error,
            }
        })
        .collect();
    let sod = doc.sod().and_then(Result::ok).map(|sod| SodView {
        // `sha256` for programs (`SHA-256` for people), not the Rust name `Sha256`.
        hash_algorithm: sod
            .lds_security_object
            .hash()
            .map(|h| h.name().to_lowercase().replace('-', "")),
        hash_name: sod
            .lds_security_object
            .hash()
            .map(cccd::crypto::HashAlgorithm::name),
        data_groups: sod
            .lds_security_object
            .data_group_hashes
            .iter()
            .map(|h| h.data_group.to_string())
            .collect(),
        signer: sod.signed_data.certificates.first().and_then(|der| {
            cccd::pki::SignerCertificate::from_der(der)
                .ok()
                .map(|c| c.subject)
        }),
        signer_validity: sod
            .signed_data
            .certificates
            .first()
            .and_then(|der| super::inspect_chip::signer_validity(der)),
    });
    if let Some(out) = &args.face {
        save_face(&doc, out)?;
    }
    let chip = ChipIdentity::from_document(&doc);
    let identity = HolderIdentity::from_chip(&chip);
    let output = Output {
        identity: if args.redact {
            identity.redacted()
        } else {
            identity
        },
        files,
        sod,
        chip: super::inspect_chip::chip_view(&doc),
        meta: doc.meta.clone(),
    };
    if args.json {
        print_json(&output)?;
    } else {
        print_human(&output, &chip);
    }
    Ok(Exit::Success)
}

/// The human view of `inspect`, in the `--lang` language.
fn print_human(output: &Output, chip: &ChipIdentity) {
    use crate::output::escape_untrusted as clean;
    crate::commands::verify::print_identity(
        &crate::identity_rows::identity_rows(&output.identity, chip),
        &[],
        "",
    );
    crate::outln!();
    for f in &output.files {
        let state = f
            .error
            .clone()
            .unwrap_or_else(|| t!("inspect.file_ok").into_owned());
        crate::outln!(
            "{:16} {:>7} {}  {}",
            f.file,
            f.bytes,
            t!("inspect.bytes"),
            clean(&state)
        );
    }
    // One column for the labels below, as wide as the longest in this language.
    let keys = [
        "inspect.sod_hash",
        "inspect.sod_covers",
        "inspect.signer",
        "inspect.signer_valid",
        "inspect.pace",
        "inspect.chip_auth",
        "inspect.active_auth",
    ];
    let width = keys
        .iter()
        .map(|k| t!(*k).chars().count())
        .max()
        .unwrap_or(0);
    let line = |key: &str, value: &str| crate::outln!("{:width$} {value}", t!(key));
    if let Some(sod) = &output.sod {
        crate::outln!();
        line(
            "inspect.sod_hash",
            &sod.hash_name
                .map_or_else(|| t!("inspect.unknown").into_owned(), str::to_owned),
        );
        line("inspect.sod_covers", &sod.data_groups.join(" "));
        if let Some(s) = &sod.signer {
            line("inspect.signer", &clean(s));
        }
        if let Some(v) = &sod.signer_validity {
            let state = if v.valid_now {
                t!("inspect.valid_now")
            } else {
                t!("inspect.not_valid_now")
            };
            let validity = t!(
                "inspect.validity",
                from = v.not_before,
                to = v.not_after,
                state = state
            );
            line("inspect.signer_valid", &validity);
        }
    }
    let chip = &output.chip;
    crate::outln!();
    line("inspect.pace", &or_none(&chip.pace));
    line("inspect.chip_auth", &or_none(&chip.chip_authentication));
    line(
        "inspect.active_auth",
        &chip
            .active_authentication
            .clone()
            .unwrap_or_else(|| t!("inspect.none").into_owned()),
    );
}
