//! `cccd inspect`: everything on a dumped card, readable.

use crate::exit::{CliError, Exit};
use crate::output::print_json;
use cccd::document::Document;
use cccd::verify::HolderIdentity;
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
        "none".to_owned()
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
        // `sha256`, not the Rust name `Sha256`.
        hash_algorithm: sod
            .lds_security_object
            .hash()
            .map(|h| format!("{h:?}").to_lowercase()),
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
    let identity = HolderIdentity::from_document(&doc);
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
        print_human(&output);
    }
    Ok(Exit::Success)
}

/// The human view of `inspect`.
fn print_human(output: &Output) {
    let rows = output.identity.rows();
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (k, v) in rows {
        crate::outln!("{k:width$} {}", crate::output::escape_untrusted(&v));
    }
    crate::outln!();
    for f in &output.files {
        let state = f.error.as_deref().unwrap_or("ok");
        crate::outln!(
            "{:16} {:>7} bytes  {}",
            f.file,
            f.bytes,
            crate::output::escape_untrusted(state)
        );
    }
    if let Some(sod) = &output.sod {
        crate::outln!();
        crate::outln!(
            "EF.SOD hash     {}",
            sod.hash_algorithm.as_deref().unwrap_or("unknown")
        );
        crate::outln!("EF.SOD covers   {}", sod.data_groups.join(" "));
        if let Some(s) = &sod.signer {
            crate::outln!("Document signer {}", crate::output::escape_untrusted(s));
        }
        if let Some(v) = &sod.signer_validity {
            let state = if v.valid_now {
                "valid now"
            } else {
                "NOT valid now"
            };
            crate::outln!(
                "Signer valid    {} to {} ({state})",
                v.not_before,
                v.not_after
            );
        }
    }
    let chip = &output.chip;
    crate::outln!();
    crate::outln!("PACE            {}", or_none(&chip.pace));
    crate::outln!("Chip auth. (CA) {}", or_none(&chip.chip_authentication));
    crate::outln!(
        "Active auth.    {}",
        chip.active_authentication.as_deref().unwrap_or("none")
    );
}
