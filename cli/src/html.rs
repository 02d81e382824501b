//! `--html`: one self-contained page (no external resources) with the face, the identity, each
//! check and the verdict.

use crate::exit::CliError;
use base64::Engine;
use cccd::document::Document;
use cccd::verify::{Report, Status, Verdict};
use rust_i18n::t;
use std::fmt::Write;
use std::path::Path;

fn escape(text: &str) -> String {
    text.chars()
        .fold(String::with_capacity(text.len()), |mut out, c| {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
            out
        })
}

/// The face as a PNG data URI, when DG2 was read and decodes.
fn face_uri(doc: &Document) -> Option<String> {
    let dg2 = doc.dg2()?.ok()?;
    let png = dg2.first_image()?.to_png().ok()?;
    Some(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

/// Whether the card itself has no face: its SOD parses and lists no DG2 hash (a child under
/// 6), rather than DG2 simply not having been read.
pub(crate) fn card_has_no_face(doc: &Document) -> bool {
    doc.sod().and_then(Result::ok).is_some_and(|sod| {
        !sod.lds_security_object
            .data_group_hashes
            .iter()
            .any(|h| h.data_group == cccd::lds::DataGroup::Dg2)
    })
}

/// What the page says about the verification itself, under the verdict.
#[derive(Debug, Clone)]
pub struct Context {
    /// When the verification was made as of (`--at`, or now).
    pub at: time::OffsetDateTime,
    /// Where the card came from: a dump folder or `reader NAME`.
    pub source: String,
    /// The trust anchors given: CSCA subjects.
    pub anchors: Vec<String>,
}

/// Why the verdict is what it is: the failed checks, else the required checks not proven.
fn why(report: &Report) -> String {
    let failed: Vec<String> = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.id.to_string())
        .collect();
    if !failed.is_empty() {
        return t!("report.why_failed", checks = failed.join(", ")).into_owned();
    }
    if report.unproven.is_empty() {
        return t!("report.why_all_passed").into_owned();
    }
    let names: Vec<String> = report.unproven.iter().map(ToString::to_string).collect();
    t!("report.why_unproven", checks = names.join(", ")).into_owned()
}

/// For an inconclusive verdict: what would settle each unproven check.
pub(crate) fn what_would_settle(report: &Report) -> Vec<String> {
    report
        .unproven
        .iter()
        .map(|id| match id.to_string().as_str() {
            "sod.chain" | "card_security.chain" => t!("report.settle_csca"),
            "chip.authentication" => t!("report.settle_chip"),
            _ => t!("report.settle_other"),
        })
        .map(std::borrow::Cow::into_owned)
        .collect()
}

const STYLE: &str = "
body{font-family:system-ui,sans-serif;margin:1em auto;padding:0 1em;color:#222;max-width:60em;overflow-wrap:anywhere}
#verdict{font-size:2em;font-weight:bold;padding:.4em .8em;border-radius:.3em;display:inline-block}
.verified{background:#d8f5d8;color:#145214} .not_verified{background:#f8d7d7;color:#7a1010} .inconclusive{background:#fff1c7;color:#6b5000}
#why,#settle,#context{margin:.4em 0} #context{color:#555;font-size:.9em}
.card{display:flex;flex-wrap:wrap;gap:1.5em;margin:1.5em 0;align-items:flex-start}
#face{width:180px;height:auto;max-width:100%;object-fit:contain;flex:none;border:1px solid #ccc;border-radius:.3em}
table{border-collapse:collapse;max-width:100%} td,th{padding:.25em .6em;text-align:left;border-bottom:1px solid #eee;vertical-align:top}
.pass{color:#145214} .fail{color:#a00;font-weight:bold} .warn{color:#8a4b00;font-weight:bold} .skip{color:#5a6570}
.untrusted td{background:#fde8e8} .mark{color:#a00;font-size:.85em}
@media print{body{margin:0;max-width:none;color:#000} #verdict{border:2px solid #000} .card{break-inside:avoid} tr{break-inside:avoid}}
";

/// The face, or why there is none.
fn push_face(page: &mut String, doc: &Document, redact: bool) {
    match face_uri(doc) {
        Some(uri) if !redact => {
            // data-decoded records the width once the browser has decoded the image (the
            // report test reads it back from a headless browser).
            let _ = write!(
                page,
                r#"<img id="face" alt="{}" onload="this.dataset.decoded=this.naturalWidth" src="{uri}">"#,
                escape(&t!("report.face_alt"))
            );
        }
        _ if card_has_no_face(doc) => {
            let _ = write!(
                page,
                r#"<div id="face-missing">{}</div>"#,
                escape(&t!("report.no_face_child"))
            );
        }
        _ => {
            let _ = write!(
                page,
                r#"<div id="face-missing">{}</div>"#,
                escape(&t!("report.no_face"))
            );
        }
    }
}

/// The identity table; a value from a data group whose hash failed is marked untrusted
/// beside it (and its row tinted), values from data groups that hashed right are not.
fn push_identity(page: &mut String, doc: &Document, report: &Report, context: &Context) {
    use crate::identity_rows::{failed_groups, identity_rows, untrusted};
    let chip = cccd::verify::ChipIdentity::from_document_at(doc, context.at.date());
    let rows = identity_rows(&report.identity, &chip);
    let failed = failed_groups(report);
    let mut shown: Vec<String> = rows
        .iter()
        .filter(|r| untrusted(r, &failed))
        .filter_map(|r| r.source.map(|dg| dg.to_string()))
        .collect();
    shown.sort();
    shown.dedup();
    if !shown.is_empty() {
        let _ = write!(
            page,
            r#"<p id="untrusted" class="fail">{}</p>"#,
            escape(&t!("report.untrusted", groups = shown.join(", ")))
        );
    }
    page.push_str("<table id=\"identity\">");
    for row in &rows {
        match row.source {
            Some(dg) if untrusted(row, &failed) => {
                let _ = write!(
                    page,
                    r#"<tr class="untrusted"><th>{}</th><td>{} <span class="mark">{}</span></td></tr>"#,
                    escape(&row.label),
                    escape(&row.value),
                    escape(&t!("report.untrusted_mark", group = dg.to_string()))
                );
            }
            _ => {
                let _ = write!(
                    page,
                    "<tr><th>{}</th><td>{}</td></tr>",
                    escape(&row.label),
                    escape(&row.value)
                );
            }
        }
    }
}

/// The checks table's header row and one row per check.
fn push_checks(page: &mut String, report: &Report) {
    let _ = write!(
        page,
        "</table></div>\n<h2>{}</h2>\n<table id=\"checks\"><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        t!("report.checks"),
        t!("report.col_status"),
        t!("report.col_check"),
        t!("report.col_reason")
    );
    for c in &report.checks {
        let class = match c.status {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Skip => "skip",
            Status::Warn => "warn",
        };
        let _ = write!(
            page,
            "<tr class=\"check {class}\"><td class=\"{class}\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&crate::translations::status(c.status)),
            escape(&format!(
                "{} ({})",
                crate::translations::check_title(c.id),
                c.id
            )),
            escape(&c.reason)
        );
    }
}

/// Render the report page.
pub fn render(doc: &Document, report: &Report, redact: bool, context: &Context) -> String {
    let verdict_class = match report.verdict {
        Verdict::Verified => "verified",
        Verdict::NotVerified => "not_verified",
        Verdict::Inconclusive => "inconclusive",
    };
    let verdict_text = crate::translations::verdict_text(report.verdict);
    let lang = rust_i18n::locale().to_string();
    let title = t!("report.title");
    let mut page = String::new();
    let _ = write!(
        page,
        r#"<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>cccd report: {verdict_text}</title>
<style>{STYLE}</style></head><body>
<h1>{title}</h1>
<div id="verdict" class="{verdict_class}">{verdict_text}</div>
<p id="why">{}</p>"#,
        escape(&why(report))
    );
    if report.verdict == Verdict::Inconclusive {
        let settle = what_would_settle(report);
        let _ = write!(
            page,
            r#"<p id="settle">{}</p>"#,
            escape(&t!("report.settle", how = settle.join("; ")))
        );
    }
    let at = context
        .at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let anchors = if context.anchors.is_empty() {
        t!("report.no_anchors").into_owned()
    } else {
        context.anchors.join("; ")
    };
    let _ = write!(
        page,
        r#"<p id="context">{}</p>
<div class="card">"#,
        escape(&t!(
            "report.context",
            at = at,
            source = context.source,
            anchors = anchors,
            tool = concat!("cccd ", env!("CARGO_PKG_VERSION"))
        ))
    );
    push_face(&mut page, doc, redact);
    push_identity(&mut page, doc, report, context);
    push_checks(&mut page, report);
    page.push_str("</table>\n</body></html>\n");
    page
}

/// Write the page with mode 0600, atomically (it holds personal data).
pub fn write_report(
    path: &Path,
    doc: &Document,
    report: &Report,
    redact: bool,
    context: &Context,
) -> Result<(), CliError> {
    crate::output::write_private(path, render(doc, report, redact, context).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href='x'>&</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn page_has_verdict_and_checks() {
        let report = Report::decide(
            vec![cccd::verify::Check::new(
                cccd::verify::CheckId::SodSignature,
                Status::Fail,
                "<bad>",
            )],
            &cccd::verify::Policy::default(),
            cccd::verify::Provenance::Dump,
        );
        let context = Context {
            at: time::OffsetDateTime::UNIX_EPOCH,
            source: "dump <x>".into(),
            anchors: Vec::new(),
        };
        let page = render(&Document::new(), &report, false, &context);
        assert!(page.contains(r#"id="verdict" class="not_verified""#));
        assert!(page.contains("&lt;bad&gt;"));
        assert!(page.contains("face-missing"));
        assert!(
            page.contains(r#"<p id="why">Failed: sod.signature.</p>"#),
            "{page}"
        );
        assert!(page.contains("source: dump &lt;x&gt;"));
        assert!(page.contains("trust anchors: none given"));
        assert!(page.contains(r#"name="viewport""#));
        assert!(page.contains("@media print"));
    }
}
