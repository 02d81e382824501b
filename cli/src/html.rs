//! `--html`: one self-contained page (no external resources) with the face, the identity, each
//! check and the verdict.

use crate::exit::CliError;
use base64::Engine;
use cccd::document::Document;
use cccd::verify::{Report, Status, Verdict};
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

/// Render the report page.
pub fn render(doc: &Document, report: &Report, redact: bool) -> String {
    let (verdict_class, verdict_text) = match report.verdict {
        Verdict::Verified => ("verified", "Verified"),
        Verdict::NotVerified => ("not_verified", "Not verified"),
        Verdict::Inconclusive => ("inconclusive", "Inconclusive"),
    };
    let mut page = String::new();
    let _ = write!(
        page,
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cccd report: {verdict_text}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}}
#verdict{{font-size:2em;font-weight:bold;padding:.4em .8em;border-radius:.3em;display:inline-block}}
.verified{{background:#d8f5d8;color:#145214}} .not_verified{{background:#f8d7d7;color:#7a1010}} .inconclusive{{background:#fff1c7;color:#6b5000}}
.card{{display:flex;gap:2em;margin:1.5em 0}} #face{{width:180px;border:1px solid #ccc;border-radius:.3em}}
table{{border-collapse:collapse}} td,th{{padding:.25em .8em;text-align:left;border-bottom:1px solid #eee;vertical-align:top}}
.pass{{color:#145214}} .fail{{color:#a00;font-weight:bold}} .skip,.warn{{color:#8a6d00}}
</style></head><body>
<h1>Card verification</h1>
<div id="verdict" class="{verdict_class}">{verdict_text}</div>
<div class="card">"#
    );
    match face_uri(doc) {
        Some(uri) if !redact => {
            // data-decoded records the width once the browser has decoded the image (the
            // report test reads it back from a headless browser).
            let _ = write!(
                page,
                r#"<img id="face" alt="face from the chip (DG2)" onload="this.dataset.decoded=this.naturalWidth" src="{uri}">"#
            );
        }
        _ if card_has_no_face(doc) => page.push_str(
            r#"<div id="face-missing">No face image: this card has no DG2 (Căn cước cards for children under 6 carry no photo).</div>"#,
        ),
        _ => page
            .push_str(r#"<div id="face-missing">No face image (DG2 not read, or redacted).</div>"#),
    }
    page.push_str("<table id=\"identity\">");
    for (k, v) in report.identity.rows() {
        let _ = write!(
            page,
            "<tr><th>{}</th><td>{}</td></tr>",
            escape(&k),
            escape(&v)
        );
    }
    page.push_str("</table></div>\n<h2>Checks</h2>\n<table id=\"checks\"><tr><th>status</th><th>check</th><th>reason</th></tr>");
    for c in &report.checks {
        let class = match c.status {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Skip => "skip",
            Status::Warn => "warn",
        };
        let _ = write!(
            page,
            "<tr class=\"check {class}\"><td class=\"{class}\">{class}</td><td>{}</td><td>{}</td></tr>",
            escape(&c.id.to_string()),
            escape(&c.reason)
        );
    }
    let _ = write!(
        page,
        "</table>\n<p><small>cccd {}</small></p></body></html>\n",
        env!("CARGO_PKG_VERSION")
    );
    page
}

/// Write the page with mode 0600, atomically (it holds personal data).
pub fn write_report(
    path: &Path,
    doc: &Document,
    report: &Report,
    redact: bool,
) -> Result<(), CliError> {
    crate::output::write_private(path, render(doc, report, redact).as_bytes())
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
        let page = render(&Document::new(), &report, false);
        assert!(page.contains(r#"id="verdict" class="not_verified""#));
        assert!(page.contains("&lt;bad&gt;"));
        assert!(page.contains("face-missing"));
    }
}
