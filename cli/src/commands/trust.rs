//! `cccd trust`: list what a trust store would hold.

use crate::exit::{CliError, Exit};
use crate::output::{Colour, paint, print_json};
use cccd::trust::TrustStore;
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
        let summary = store
            .load_path(p)
            .map_err(|e| CliError::BadInput(format!("{}: {e}", p.display())))?;
        crls += summary.crls_added;
        skipped.extend(summary.skipped.iter().map(|s| format!("{s:?}")));
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
        return Ok(Exit::Success);
    }
    for m in &out.master_lists {
        let sig = if m.signature_valid {
            paint("signature valid", Colour::Green)
        } else {
            paint("SIGNATURE INVALID", Colour::Red)
        };
        crate::outln!(
            "master list {}: {} certificates, {sig}{}",
            m.source,
            m.certificates,
            m.problem
                .as_deref()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default()
        );
    }
    for c in &out.certificates {
        let sig = match c.self_signature_valid {
            Some(true) => paint("self-signature ok", Colour::Green),
            Some(false) => paint("self-signature BAD", Colour::Red),
            None => "not self-signed".to_owned(),
        };
        crate::outln!(
            "{:3} {:28} {} .. {}  {sig}  {}",
            c.country.as_deref().unwrap_or("?"),
            c.key,
            c.not_before
                .as_deref()
                .map_or("?", |s| &s[..10.min(s.len())]),
            c.not_after
                .as_deref()
                .map_or("?", |s| &s[..10.min(s.len())]),
            c.subject
        );
    }
    let valid = out
        .certificates
        .iter()
        .filter(|c| c.self_signature_valid == Some(true))
        .count();
    let self_signed = out.certificates.iter().filter(|c| c.self_signed).count();
    crate::outln!(
        "{} certificates; {valid} of {self_signed} self-signed verify; {} CRLs",
        out.certificates.len(),
        out.crls
    );
    Ok(Exit::Success)
}
