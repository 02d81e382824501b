//! `cccd trust`: list what a trust store would hold.

use crate::exit::{CliError, Exit};
use crate::output::{Colour, paint, print_json};
use cccd::pki::TrustStore;
use rust_i18n::t;
use std::path::PathBuf;
use time::format_description::well_known::Rfc3339;

/// Arguments of `cccd trust`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSCA certificates (PEM/DER), folders of them, ICAO master lists, CRLs.
    #[arg(value_name = "FILE_OR_DIR", required = true)]
    paths: Vec<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct CertRow {
    country: Option<String>,
    subject: String,
    key: String,
    explicit_parameters: bool,
    not_before: Option<String>,
    not_after: Option<String>,
    self_signed: bool,
    self_signature_valid: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    self_signature_problem: Option<String>,
    source: String,
}

#[derive(serde::Serialize)]
struct MasterListRow {
    source: String,
    signer: Option<String>,
    signature_valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
    certificates: usize,
}

#[derive(serde::Serialize)]
struct Output {
    certificates: Vec<CertRow>,
    master_lists: Vec<MasterListRow>,
    crls: usize,
    skipped: Vec<String>,
}

/// Run the command.
pub fn run(args: &Args) -> Result<Exit, CliError> {
    let mut store = TrustStore::new();
    let mut master_lists = Vec::new();
    let mut skipped = Vec::new();
    let mut crls = 0;
    for p in &args.paths {
        let summary = match store.load_path(p) {
            Ok(summary) => summary,
            // Shown, not loaded: the operator sees why `verify --masterlist` refuses it.
            Err(cccd::pki::TrustError::MasterListSignature { report, .. }) => {
                master_lists.push(MasterListRow {
                    source: report.source,
                    signer: report.signer_subject,
                    signature_valid: false,
                    problem: report.signature_problem,
                    certificates: report.certificate_count,
                });
                continue;
            }
            Err(e) => return Err(CliError::BadInput(format!("{}: {e}", p.display()))),
        };
        crls += summary.crls_added;
        skipped.extend(
            summary
                .skipped
                .iter()
                .map(|s| format!("{}: {}", s.path.display(), s.reason)),
        );
        for m in &summary.master_lists {
            skipped.extend(
                m.parse_failures
                    .iter()
                    .map(|(i, why)| format!("{} entry {i}: {why}", m.source)),
            );
        }
        master_lists.extend(summary.master_lists.into_iter().map(|m| MasterListRow {
            source: m.source,
            signer: m.signer_subject,
            signature_valid: m.signature_valid,
            problem: m.signature_problem,
            certificates: m.certificate_count,
        }));
    }
    let fmt = |t: Option<time::OffsetDateTime>| t.and_then(|t| t.format(&Rfc3339).ok());
    let certificates: Vec<CertRow> = store
        .certificates()
        .into_iter()
        .map(|c| CertRow {
            country: c.country,
            subject: c.subject,
            key: c.key.to_string(),
            explicit_parameters: c.key.explicit_parameters,
            not_before: fmt(c.not_before),
            not_after: fmt(c.not_after),
            self_signed: c.self_signature.is_some(),
            self_signature_valid: c.self_signature.as_ref().map(Result::is_ok),
            self_signature_problem: c
                .self_signature
                .as_ref()
                .and_then(|r| r.as_ref().err())
                .map(ToString::to_string),
            source: c.source,
        })
        .collect();
    let out = Output {
        certificates,
        master_lists,
        crls,
        skipped,
    };
    if args.json {
        print_json(&out)?;
    } else {
        print_human(&out);
    }
    Ok(Exit::Success)
}

/// The listing for people; subjects and sources are untrusted text.
/// The human view of `trust`, in the `--lang` language.
fn print_human(out: &Output) {
    use crate::output::escape_untrusted as clean;
    for m in &out.master_lists {
        let sig = if m.signature_valid {
            paint(&t!("trust.signature_valid"), Colour::Green)
        } else {
            paint(&t!("trust.signature_invalid"), Colour::Red)
        };
        let problem = m
            .problem
            .as_deref()
            .map(|p| format!(" ({})", clean(&crate::translations::reason(p))))
            .unwrap_or_default();
        crate::outln!(
            "{}{problem}",
            t!(
                "trust.master_list",
                source = clean(&m.source),
                count = m.certificates,
                signature = sig
            )
        );
    }
    for c in &out.certificates {
        let sig = match c.self_signature_valid {
            Some(true) => paint(&t!("trust.self_signature_ok"), Colour::Green),
            Some(false) => paint(&t!("trust.self_signature_bad"), Colour::Red),
            None => t!("trust.not_self_signed").into_owned(),
        };
        crate::outln!(
            "{:3} {:28} {} .. {}  {sig}  {}",
            clean(c.country.as_deref().unwrap_or("?")),
            c.key,
            c.not_before
                .as_deref()
                .map_or("?", |s| &s[..10.min(s.len())]),
            c.not_after
                .as_deref()
                .map_or("?", |s| &s[..10.min(s.len())]),
            clean(&c.subject)
        );
    }
    for s in &out.skipped {
        crate::outln!(
            "{} {}",
            paint(&t!("trust.skipped"), Colour::Yellow),
            clean(&crate::translations::reason(s))
        );
    }
    let valid = out
        .certificates
        .iter()
        .filter(|c| c.self_signature_valid == Some(true))
        .count();
    let self_signed = out.certificates.iter().filter(|c| c.self_signed).count();
    crate::outln!(
        "{}",
        t!(
            "trust.summary",
            certificates = out.certificates.len(),
            valid = valid,
            self_signed = self_signed,
            crls = out.crls
        )
    );
}
