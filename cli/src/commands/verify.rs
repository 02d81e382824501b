//! `cccd verify`: prove a card (a dump, or a card in a reader) genuine and unaltered, and
//! check it against a claimed identity and the printed QR.

use crate::args::{KeyArgs, OutputArgs, TrustArgs, parse_sex};
use crate::card::{ReaderArgs, read_card};
use crate::exit::{CliError, Exit};
use crate::identity_rows::{IdentityRow, failed_groups, identity_rows, untrusted};
use crate::output::{Colour, paint, print_json_document};
use cccd::document::Document;
use cccd::session::ReadPlan;
use cccd::verify::{
    ChipIdentity, Claims, NameMatch, Options, Policy, Report, Status, Verdict, verify,
};
use std::path::PathBuf;

/// Arguments of `cccd verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A dump folder (from `cccd read`). Without it, the card in a reader is read.
    #[arg(
        value_name = "DIR",
        required_unless_present_any = ["reader", "batch"],
        conflicts_with_all = ["reader", "can", "mrz", "face", "no_bac_fallback"]
    )]
    dump: Option<PathBuf>,
    /// Verify every dump folder inside DIR on all cores, one result line per dump (JSON Lines
    /// with --json), in the folder's listing order. Exit 0 all verified, 1 any not verified,
    /// 4 any inconclusive and none failed, 2 bad input.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["dump", "reader", "name", "qr_image", "html", "face"])]
    batch: Option<PathBuf>,
    /// With --batch: verify on N threads (default: RAYON_NUM_THREADS, else one per core).
    #[arg(long, value_name = "N", requires = "batch", value_parser = clap::value_parser!(u16).range(1..=1024))]
    jobs: Option<u16>,
    #[command(flatten)]
    reader: OptReader,
    #[command(flatten)]
    keys: KeyArgs,
    /// Claimed full name (diacritics count unless --ignore-diacritics).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Claimed sex (M/F, Nam/Nữ).
    #[arg(long, value_parser = parse_sex)]
    sex: Option<cccd_qr::Sex>,
    /// A picture of the card's QR code to compare with the chip.
    #[arg(long, value_name = "FILE")]
    qr_image: Option<PathBuf>,
    #[command(flatten)]
    trust: TrustArgs,
    /// Verify as of this date (YYYY-MM-DD); default: now.
    #[arg(long, value_name = "DATE", value_parser = crate::args::parse_date)]
    at: Option<time::Date>,
    /// The active-authentication challenge (16 hex digits) you issued to the device that
    /// made the dump: its AA answer must be over this challenge, and a dump without an
    /// answer fails. This is how a dump proves the chip genuine to you.
    #[arg(long, value_name = "HEX", value_parser = parse_challenge)]
    aa_challenge: Option<[u8; 8]>,
    /// Accept the chip-authentication result recorded in a dump's card.json (and an AA
    /// answer over a challenge you did not issue). Only for dumps made by readers you
    /// control: card.json is unsigned and anyone can edit it.
    #[arg(long)]
    trust_recorded_auth: bool,
    /// Compare names ignoring diacritics (Nguyễn = Nguyen).
    #[arg(long)]
    ignore_diacritics: bool,
    /// Also read the face (DG2) when reading from a reader, for --html.
    #[arg(long)]
    face: bool,
    /// Write a self-contained HTML report to this file.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    #[command(flatten)]
    out: OutputArgs,
}

fn parse_challenge(text: &str) -> Result<[u8; 8], String> {
    cccd::hex::decode(text, 8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .ok_or_else(|| format!("'{}' is not 8 bytes of hex (16 hex digits)", text.trim()))
}

/// The reader option, optional for verify.
#[derive(Debug, clap::Args)]
pub struct OptReader {
    /// Read the card in this PC/SC reader instead of a dump ("" = first reader with a card).
    #[arg(long, value_name = "NAME")]
    reader: Option<String>,
    /// Seconds to wait for a card.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    wait: u64,
}

/// The report document (`schemas/report.schema.json`): the library's report and where the
/// card came from.
#[derive(serde::Serialize)]
pub struct ReportOutput<'a> {
    /// The versioned report.
    #[serde(flatten)]
    pub report: &'a Report,
    /// A dump folder, or `reader NAME`.
    pub source: &'a str,
}

/// Run the command.
pub fn run(args: &Args) -> Result<Exit, CliError> {
    if let Some(dir) = &args.batch {
        return crate::commands::batch::run(&crate::commands::batch::BatchArgs {
            dir,
            trust: &args.trust,
            options: &options_from(args),
            json: args.out.json,
            redact: args.out.redact,
            jobs: args.jobs.map(usize::from),
        });
    }
    // Every input is checked before a reader is touched: the QR, the trust anchors and
    // where the report goes (a card read for nothing is a card read twice).
    let qr = qr_data(args)?;
    let store = args.trust.store()?;
    if let Some(path) = &args.html {
        crate::output::check_writable(path)?;
    }
    let (doc, source) = load(args)?;
    let claims = Claims {
        id_number: args.keys.id.map(|id| id.to_string()),
        full_name: args.name.clone(),
        date_of_birth: args.keys.dob,
        sex: args.sex,
    };
    let options = options_from(args);
    let mut report = verify(&doc, &store, &claims, qr.as_ref(), &options);
    if args.out.redact {
        report = report.redacted();
    }
    if let Some(path) = &args.html {
        let context = crate::html::Context {
            at: options.at,
            source: source.clone(),
            anchors: store
                .certificates()
                .into_iter()
                .map(|c| c.subject)
                .collect(),
        };
        crate::html::write_report(path, &doc, &report, args.out.redact, &context)?;
    }
    if args.out.json {
        print_json_document(&ReportOutput {
            report: &report,
            source: &source,
        })?;
    } else {
        let chip = ChipIdentity::from_document_at(&doc, options.at.date());
        print_human(&report, &chip, &source);
    }
    Ok(exit_for(&report))
}

/// The verification options the arguments ask for.
fn options_from(args: &Args) -> Options {
    // A card read here is ReadHere evidence by construction (the session marks it); nothing
    // in the arguments can make a dump count as read here.
    Options::default()
        .at(args
            .at
            .map_or_else(time::OffsetDateTime::now_utc, |d| d.midnight().assume_utc()))
        .name_match(if args.ignore_diacritics {
            NameMatch::IgnoreDiacritics
        } else {
            NameMatch::Strict
        })
        .aa_challenge(args.aa_challenge)
        .policy(Policy::default().trusting_recorded_chip_auth(args.trust_recorded_auth))
}

/// The exit code of a verdict.
pub fn exit_for(report: &Report) -> Exit {
    match report.verdict {
        Verdict::Verified => Exit::Success,
        Verdict::NotVerified => Exit::NotVerified,
        Verdict::Inconclusive => Exit::Inconclusive,
    }
}

fn load(args: &Args) -> Result<(Document, String), CliError> {
    if let Some(dir) = &args.dump {
        let doc = Document::load(dir).map_err(|e| CliError::BadInput(e.to_string()))?;
        return Ok((doc, dir.display().to_string()));
    }
    let reader = ReaderArgs {
        reader: args.reader.reader.clone().filter(|r| !r.is_empty()),
        wait: args.reader.wait,
    };
    let plan = if args.face || args.html.is_some() {
        ReadPlan::with_face()
    } else {
        ReadPlan::verification()
    };
    // --id and --dob are also claims here: not "unused" when another key opens the chip.
    let keys = args
        .keys
        .keys(time::OffsetDateTime::now_utc().date(), true)?;
    let doc = read_card(&reader, &keys, args.keys.open_options(), &plan)?;
    let name = doc.meta.reader.clone().unwrap_or_default();
    Ok((doc, format!("reader {name}")))
}

fn qr_data(args: &Args) -> Result<Option<cccd_qr::QrData>, CliError> {
    if let Some(text) = &args.keys.qr {
        return cccd_qr::parse(text)
            .map(Some)
            .map_err(|e| CliError::BadInput(format!("--qr: {e}")));
    }
    if let Some(path) = &args.qr_image {
        return cccd_qr::find_card_qr_in_file(path)
            .map(Some)
            .map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())));
    }
    Ok(None)
}

/// A status word, coloured, padded to `width` characters before the colour codes.
fn status_label(s: Status, width: usize) -> String {
    let word = format!("{:width$}", crate::translations::status(s));
    match s {
        Status::Pass => paint(&word, Colour::Green),
        Status::Fail => paint(&word.to_uppercase(), Colour::Red),
        Status::Skip => paint(&word, Colour::Cyan),
        Status::Warn => paint(&word, Colour::Yellow),
    }
}

/// The identity rows, a value from a data group whose hash failed marked beside it.
pub(crate) fn print_identity(rows: &[IdentityRow], failed: &[cccd::lds::DataGroup], indent: &str) {
    use crate::output::escape_untrusted as clean;
    let width = rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0);
    for row in rows {
        let mark = match row.source {
            Some(dg) if untrusted(row, failed) => format!(
                "  {}",
                paint(
                    &format!(
                        "[{}]",
                        rust_i18n::t!("human.untrusted_mark", group = dg.to_string())
                    ),
                    Colour::Red
                )
            ),
            _ => String::new(),
        };
        crate::outln!("{indent}{:width$} {}{mark}", row.label, clean(&row.value));
    }
}

fn print_human(report: &Report, chip: &ChipIdentity, source: &str) {
    use crate::output::escape_untrusted as clean;
    use crate::translations::{check_title, provenance, reason, verdict_heading};
    let heading = verdict_heading(report.verdict);
    let verdict = match report.verdict {
        Verdict::Verified => paint(&heading, Colour::Green),
        Verdict::NotVerified => paint(&heading, Colour::Red),
        Verdict::Inconclusive => paint(&heading, Colour::Yellow),
    };
    crate::outln!(
        "{verdict}  ({}, {})",
        clean(source),
        provenance(report.provenance)
    );
    if !report.unproven.is_empty() && report.verdict == Verdict::Inconclusive {
        let names: Vec<String> = report.unproven.iter().map(|id| check_title(*id)).collect();
        crate::outln!(
            "  {}",
            rust_i18n::t!("human.not_proven", checks = names.join(", "))
        );
        let how = crate::html::what_would_settle(report).join("; ");
        crate::outln!("  {}", rust_i18n::t!("report.settle", how = how));
    }
    crate::outln!();
    print_identity(
        &identity_rows(&report.identity, chip),
        &failed_groups(report),
        "  ",
    );
    crate::outln!();
    crate::outln!("{}", rust_i18n::t!("human.checks"));
    let titles: Vec<String> = report
        .checks
        .iter()
        .map(|c| format!("{} ({})", check_title(c.id), c.id))
        .collect();
    let width = titles.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    let status_width = [Status::Pass, Status::Fail, Status::Warn, Status::Skip]
        .into_iter()
        .map(|s| crate::translations::status(s).chars().count())
        .max()
        .unwrap_or(0);
    for (c, title) in report.checks.iter().zip(&titles) {
        crate::outln!(
            "  {}  {title:width$}  {}",
            status_label(c.status, status_width),
            clean(&reason(&c.reason))
        );
    }
}
