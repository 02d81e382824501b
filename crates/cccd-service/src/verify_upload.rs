//! `POST /v1/verify`: verify a dump sent as files, statelessly, with the same verdict as
//! `cccd verify DIR --json` for the same files.
//!
//! Two encodings:
//! - `multipart/form-data`: one part per dump file, named like the dump's files (`EF.SOD`,
//!   `DG1`, `card.json`, or the variants `Document::load` accepts), plus optional text parts
//!   `claims` (JSON), `qr` and `challenge_token`;
//! - `application/json`: `{"files": {"EF.SOD": "<base64>", ...}, "claims": {...}, "qr": "...",
//!   "challenge_token": "..."}`.
//!
//! The files are written to a private temporary folder and loaded with
//! [`Document::load`], so naming rules, size bounds and `card.json` handling are exactly those
//! of `cccd verify`. `?receipt=true` wraps the report with a signed receipt.

use crate::challenge::ChallengeError;
use crate::protocol::ClaimsInput;
use crate::receipt::ReceiptClaims;
use crate::server::{AppState, error_response};
use crate::verification::{Request, Source, file_digests, verify_document};
use axum::extract::{FromRequest, Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cccd::document::Document;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

/// The most files one upload may hold (a dump has at most 20).
pub const MAX_FILES: usize = 24;

/// The JSON form of an upload.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonUpload {
    /// File name to base64 contents.
    pub files: BTreeMap<String, String>,
    /// Claims.
    #[serde(default)]
    pub claims: ClaimsInput,
    /// The card's QR text.
    #[serde(default)]
    pub qr: Option<String>,
    /// A token from `POST /v1/challenges`; the dump's AA answer must be over its challenge.
    #[serde(default)]
    pub challenge_token: Option<String>,
}

/// Query options.
#[derive(Debug, Default, serde::Deserialize)]
pub struct VerifyQuery {
    /// Return `{"report": ..., "receipt": ...}` signed with the service's receipt key.
    #[serde(default)]
    pub receipt: bool,
}

struct BadRequest(String);

impl From<BadRequest> for Response {
    fn from(e: BadRequest) -> Self {
        error_response(StatusCode::BAD_REQUEST, "bad_input", &e.0)
    }
}

/// The handler.
pub async fn handle(
    State(state): State<Arc<AppState>>,
    Query(query): Query<VerifyQuery>,
    request: axum::extract::Request,
) -> Response {
    let started = Instant::now();
    let is_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let upload = if is_json {
        match axum::Json::<JsonUpload>::from_request(request, &()).await {
            Ok(axum::Json(upload)) => decode_json(upload),
            Err(rejection) => return rejection.into_response(),
        }
    } else {
        match Multipart::from_request(request, &()).await {
            Ok(multipart) => read_multipart(multipart).await,
            Err(rejection) => return rejection.into_response(),
        }
    };
    let outcome = match upload {
        Ok(upload) => {
            let worker = state.clone();
            tokio::task::spawn_blocking(move || verify_upload(&worker, &upload, query.receipt))
                .await
                .unwrap_or_else(|_| Err(BadRequest("the verification thread failed".into())))
        }
        Err(e) => Err(e),
    };
    state
        .metrics
        .verify_seconds
        .observe(started.elapsed().as_secs_f64());
    let label = if outcome.is_ok() {
        "report"
    } else {
        "bad_input"
    };
    state
        .metrics
        .verify_requests
        .get_or_create(&vec![("outcome", label)])
        .inc();
    match outcome {
        Ok(body) => axum::Json(body).into_response(),
        Err(e) => e.into(),
    }
}

/// Files and options, decoded.
struct Upload {
    files: Vec<(String, Vec<u8>)>,
    claims: ClaimsInput,
    qr: Option<String>,
    challenge_token: Option<String>,
}

fn decode_json(upload: JsonUpload) -> Result<Upload, BadRequest> {
    if upload.files.len() > MAX_FILES {
        return Err(BadRequest(format!("more than {MAX_FILES} files")));
    }
    let mut files = Vec::new();
    for (name, data) in upload.files {
        let shown = safe_name(&name)?;
        let bytes = STANDARD
            .decode(data.as_bytes())
            .map_err(|_| BadRequest(format!("files.{shown}: not base64")))?;
        files.push((name, bytes));
    }
    Ok(Upload {
        files,
        claims: upload.claims,
        qr: upload.qr,
        challenge_token: upload.challenge_token,
    })
}

async fn read_multipart(mut multipart: Multipart) -> Result<Upload, BadRequest> {
    let mut upload = Upload {
        files: Vec::new(),
        claims: ClaimsInput::default(),
        qr: None,
        challenge_token: None,
    };
    let broken =
        |e: axum::extract::multipart::MultipartError| BadRequest(format!("multipart: {e}"));
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "claims" => {
                let text = field.text().await.map_err(broken)?;
                upload.claims =
                    serde_json::from_str(&text).map_err(|e| BadRequest(format!("claims: {e}")))?;
            }
            "qr" => upload.qr = Some(field.text().await.map_err(broken)?),
            "challenge_token" => upload.challenge_token = Some(field.text().await.map_err(broken)?),
            _ => {
                if upload.files.len() == MAX_FILES {
                    return Err(BadRequest(format!("more than {MAX_FILES} files")));
                }
                let bytes = field.bytes().await.map_err(broken)?;
                upload.files.push((name, bytes.to_vec()));
            }
        }
    }
    Ok(upload)
}

/// A file name that is safe to create in the temporary folder: letters, digits, `.`, `_`,
/// `-`; not starting with a dot; at most 64 characters.
fn safe_name(name: &str) -> Result<&str, BadRequest> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(name)
    } else {
        Err(BadRequest(
            "a file name must be a plain dump file name such as EF.SOD or DG1".into(),
        ))
    }
}

/// Load the files as a dump folder would be loaded.
fn load_document(files: &[(String, Vec<u8>)]) -> Result<Document, BadRequest> {
    let dir = tempfile::Builder::new()
        .prefix("cccd-upload-")
        .tempdir()
        .map_err(|e| BadRequest(format!("cannot stage the upload: {e}")))?;
    for (name, bytes) in files {
        let name = safe_name(name)?;
        let path = dir.path().join(name);
        if path.exists() {
            return Err(BadRequest(format!("{name} given twice")));
        }
        std::fs::write(&path, bytes)
            .map_err(|e| BadRequest(format!("cannot stage {name}: {e}")))?;
    }
    // The dump's own error names the file but the path is our temporary folder: report the
    // message after it.
    Document::load(dir.path()).map_err(|e| {
        let text = e.to_string();
        let shown = text
            .strip_prefix(&dir.path().display().to_string())
            .unwrap_or(&text);
        BadRequest(format!(
            "the dump: {}",
            shown.trim_start_matches(['/', ':', ' '])
        ))
    })
}

fn verify_upload(
    state: &AppState,
    upload: &Upload,
    with_receipt: bool,
) -> Result<serde_json::Value, BadRequest> {
    let document = load_document(&upload.files)?;
    let (claims, name_match) =
        crate::inputs::claims(&upload.claims).map_err(|e| BadRequest(e.to_string()))?;
    let qr = crate::inputs::qr(upload.qr.as_deref()).map_err(|e| BadRequest(e.to_string()))?;
    let aa_challenge = match &upload.challenge_token {
        None => None,
        Some(token) => Some(
            state
                .config
                .challenges
                .check(token, time::OffsetDateTime::now_utc())
                .map_err(|e: ChallengeError| BadRequest(format!("challenge_token: {e}")))?,
        ),
    };
    let request = Request {
        claims,
        name_match,
        qr,
        aa_challenge,
        at: state.now(),
    };
    let (report, json) = verify_document(&document, &state.config.trust, &request, Source::Upload);
    state.metrics.verdict("verify", report.verdict);
    if !with_receipt {
        return Ok(json);
    }
    let signer = state
        .config
        .receipts
        .as_ref()
        .ok_or_else(|| BadRequest("this service has no receipt key (--receipt-key)".into()))?;
    let mut id = [0u8; 16];
    rand::fill(&mut id);
    let receipt = signer.sign(&ReceiptClaims {
        report: json.clone(),
        session_id: cccd::hex::encode(&id),
        challenge: aa_challenge.map(|c| cccd::hex::encode(&c)),
        iat: time::OffsetDateTime::now_utc().unix_timestamp(),
        files: file_digests(&document).into_iter().collect(),
        tool: format!("cccd {}", env!("CARGO_PKG_VERSION")),
    });
    Ok(serde_json::json!({ "report": json, "receipt": receipt }))
}
