//! The one place the service calls [`cccd::verify::verify`], and the report JSON it returns
//! (the same shape as `cccd verify --json`: verdict, source, access, identity, checks).

use cccd::document::Document;
use cccd::pki::TrustStore;
use cccd::verify::{Claims, NameMatch, Options, Report, verify};
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// Where the document being verified came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Read by this server through a relay: chip authentication ran here, AA used the
    /// session's own random challenge.
    LiveRelay,
    /// Uploaded as files (a dump made elsewhere).
    Upload,
}

/// Everything the caller adds to the document.
#[derive(Debug, Clone)]
pub struct Request {
    /// Claims to check.
    pub claims: Claims,
    /// How names are compared.
    pub name_match: NameMatch,
    /// The QR text, parsed.
    pub qr: Option<cccd_qr::QrData>,
    /// For an upload: the AA challenge this service issued (from a checked token).
    pub aa_challenge: Option<[u8; 8]>,
    /// The time of verification (a fixed one only in tests and replays).
    pub at: OffsetDateTime,
}

/// The report JSON, as `cccd verify --json` prints it: the library's versioned report
/// document (`schemas/report.schema.json`) and where the document came from.
#[derive(Debug, Serialize)]
pub struct ReportJson<'a> {
    /// The versioned report (header, verdict, identity, checks).
    #[serde(flatten)]
    pub report: &'a Report,
    /// `relay` or `upload`.
    pub source: &'static str,
}

/// Verify `doc`; return the report and its JSON.
pub fn verify_document(
    doc: &Document,
    store: &TrustStore,
    request: &Request,
    source: Source,
) -> (Report, serde_json::Value) {
    let aa_challenge = match source {
        // Provenance = read here: the relayed document comes from this server's own
        // `Session`, which marks it `Provenance::ReadHere`; chip authentication and the AA
        // challenge are the server's own, and `verify` knows it from the document.
        Source::LiveRelay => None,
        // Provenance = dump: only a challenge from a token this service MAC'd counts.
        Source::Upload => request.aa_challenge,
    };
    let options = Options::default()
        .at(request.at)
        .name_match(request.name_match)
        .aa_challenge(aa_challenge);
    let report = verify(doc, store, &request.claims, request.qr.as_ref(), &options);
    let json = ReportJson {
        report: &report,
        source: match source {
            Source::LiveRelay => "relay",
            Source::Upload => "upload",
        },
    };
    let value = serde_json::to_value(&json).unwrap_or(serde_json::Value::Null);
    (report, value)
}

/// SHA-256 of every file of `doc`, by canonical dump name, hex.
pub fn file_digests(doc: &Document) -> Vec<(String, String)> {
    doc.files()
        .map(|(id, bytes)| {
            // `FileId`'s Display is the dump's canonical name (`EF.SOD`, `DG1`, ...).
            (id.to_string(), cccd::hex::encode(&Sha256::digest(bytes)))
        })
        .collect()
}
