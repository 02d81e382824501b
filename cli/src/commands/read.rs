//! `cccd read`: read a card through a PC/SC reader into a dump folder.

use crate::args::KeyArgs;
use crate::card::{ReaderArgs, read_card};
use crate::exit::{CliError, Exit};
use crate::output::print_json;
use cccd::session::ReadPlan;
use std::path::PathBuf;

/// Arguments of `cccd read`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the dump to this folder (must not exist; written atomically, mode 0600).
    #[arg(short, long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    reader: ReaderArgs,
    #[command(flatten)]
    keys: KeyArgs,
    /// Also read the face (DG2, the largest file).
    #[arg(long)]
    face: bool,
    /// Print a JSON summary.
    #[arg(long)]
    json: bool,
}

/// One file of the dump.
#[derive(serde::Serialize)]
struct FileRow {
    file: String,
    bytes: usize,
}

#[derive(serde::Serialize)]
struct Output {
    dump: String,
    reader: Option<String>,
    access: Option<cccd::document::AccessProtocol>,
    /// The PACE protocol with its mapping (`pace_ecdh_gm_can`), when PACE opened the chip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pace: Option<String>,
    files: Vec<FileRow>,
}

/// Run the command.
pub fn run(args: &Args) -> Result<Exit, CliError> {
    if args.out.exists() {
        return Err(CliError::BadInput(format!(
            "{} already exists; choose a new folder",
            args.out.display()
        )));
    }
    let plan = if args.face {
        ReadPlan::with_face()
    } else {
        ReadPlan::verification()
    };
    // Every input is checked before the chip is touched.
    crate::output::check_writable(&args.out)?;
    let keys = args
        .keys
        .keys(time::OffsetDateTime::now_utc().date(), false)?;
    let doc = read_card(&args.reader, &keys, args.keys.open_options(), &plan)?;
    doc.save(&args.out)
        .map_err(|e| CliError::cannot_write(&args.out, &e))?;
    let out = Output {
        dump: args.out.display().to_string(),
        reader: doc.meta.reader.clone(),
        access: doc.meta.access,
        pace: doc.meta.pace.as_ref().map(|p| p.name.clone()),
        files: doc
            .files()
            .map(|(id, b)| FileRow {
                file: id.to_string(),
                bytes: b.len(),
            })
            .collect(),
    };
    if args.json {
        print_json(&out)?;
    } else {
        let wrote = rust_i18n::t!(
            "read.wrote",
            dump = crate::output::escape_untrusted(&out.dump),
            files = out.files.len()
        );
        let opened = out
            .pace
            .as_deref()
            .map(|p| {
                rust_i18n::t!(
                    "read.opened_with",
                    pace = crate::output::escape_untrusted(p)
                )
                .into_owned()
            })
            .unwrap_or_default();
        eprintln!("cccd: {wrote}{opened}");
    }
    Ok(Exit::Success)
}
