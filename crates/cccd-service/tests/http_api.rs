//! The HTTP endpoints over real loopback HTTP: health, metrics, API keys, challenge tokens,
//! dump uploads, signed receipts.

#![allow(clippy::unwrap_used)]

mod support;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cccd_service::challenge::ChallengeIssuer;
use cccd_service::receipt::{ReceiptSigner, verify_receipt};
use cccd_service::relay_client::{RelayError, RelayOutcome, relay};
use sha2::{Digest, Sha256};
use support::*;
use zeroize::Zeroizing;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn post(
    server: &TestServer,
    path: &str,
    key: Option<&str>,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let mut request = agent().post(&server.http_url(path));
    if let Some(key) = key {
        request = request.header("Authorization", &format!("Bearer {key}"));
    }
    let mut response = request.send_json(body).unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

#[test]
fn health_readiness_and_metrics_answer() {
    let server = TestServer::start(config());
    for path in ["/healthz", "/readyz"] {
        let response = agent().get(&server.http_url(path)).call().unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    let (status, _) = post(
        &server,
        "/v1/verify",
        None,
        &json_upload(&card("v04-ngoc-ec-p256"), None),
    );
    assert_eq!(status, 200);
    let mut metrics = agent().get(&server.http_url("/metrics")).call().unwrap();
    let text = metrics.body_mut().read_to_string().unwrap();
    assert!(
        // An upload without this service's challenge proves nothing about the chip.
        text.contains("cccd_verdicts_total{endpoint=\"verify\",verdict=\"inconclusive\"} 1"),
        "{text}"
    );
    // One upload: its document signer prepared once (a miss), held in the bounded cache.
    for figure in [
        "cccd_prepared_signers{figure=\"held\"} 1",
        "cccd_prepared_signers{figure=\"misses\"} 1",
        "cccd_prepared_signers{figure=\"capacity\"} 32",
        "cccd_prepared_signers{figure=\"evictions\"} 0",
    ] {
        assert!(text.contains(figure), "{figure} missing: {text}");
    }
}

#[test]
fn api_keys_are_required_and_checked() {
    let mut config = config();
    config.api_keys = vec![Zeroizing::new("k-0123456789abcdef".to_owned())];
    let server = TestServer::start(config);
    let body = serde_json::json!({});
    assert_eq!(post(&server, "/v1/challenges", None, &body).0, 401);
    assert_eq!(
        post(&server, "/v1/challenges", Some("k-0123456789abcdeX"), &body).0,
        401
    );
    assert_eq!(
        post(&server, "/v1/challenges", Some("k-0123456789abcde"), &body).0,
        401
    );
    let (status, json) = post(&server, "/v1/challenges", Some("k-0123456789abcdef"), &body);
    assert_eq!(status, 200, "{json}");
    // The WebSocket too.
    let card = card("v01-hung-ec-bp384");
    let mut sim = sim_card(&card);
    let mut options = options(&server, &card);
    options.api_key = Some("wrong-key-0000000".into());
    let refused = relay(&mut sim, &options, &mut |_| {});
    assert!(
        matches!(&refused, Err(RelayError::Connect(m)) if m.contains("401")),
        "{refused:?}"
    );
    options.api_key = Some("k-0123456789abcdef".into());
    let outcome = relay(&mut sim, &options, &mut |_| {}).unwrap();
    assert!(
        matches!(outcome, RelayOutcome::Report { .. }),
        "{outcome:?}"
    );
    // Health stays open for probes.
    assert_eq!(
        agent()
            .get(&server.http_url("/healthz"))
            .call()
            .unwrap()
            .status(),
        200
    );
}

#[test]
fn a_non_loopback_listen_without_keys_is_refused() {
    let config = config();
    let open = "0.0.0.0:0".parse().unwrap();
    assert!(cccd_service::server::check_listen(open, &config).is_err());
    assert!(cccd_service::server::check_listen("127.0.0.1:0".parse().unwrap(), &config).is_ok());
}

#[test]
fn challenge_tokens_bind_uploads_and_forged_or_expired_ones_are_refused() {
    let server = TestServer::start(config());
    let (status, issued) = post(&server, "/v1/challenges", None, &serde_json::json!({}));
    assert_eq!(status, 200);
    let token = issued["token"].as_str().unwrap();
    assert_eq!(issued["challenge"].as_str().unwrap().len(), 16);
    // A sample dump's AA answer is over its own recorded challenge, not ours: AA is not
    // accepted as proof, but the token itself is.
    let card = card("v04-ngoc-ec-p256");
    let (status, report) = post(
        &server,
        "/v1/verify",
        None,
        &json_upload(&card, Some(token)),
    );
    assert_eq!(status, 200, "{report}");
    // Forged: a token from another secret.
    let other = ChallengeIssuer::new(vec![9; 32], time::Duration::minutes(5)).unwrap();
    let forged = other.issue(time::OffsetDateTime::now_utc()).token;
    let (status, error) = post(
        &server,
        "/v1/verify",
        None,
        &json_upload(&card, Some(&forged)),
    );
    assert_eq!(status, 400);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("not issued by this service"),
        "{error}"
    );
    // Expired: a token of this service's secret whose lifetime is over.
    let expired_issuer = ChallengeIssuer::new(vec![7; 32], time::Duration::seconds(-10)).unwrap();
    let expired = expired_issuer.issue(time::OffsetDateTime::now_utc()).token;
    let (status, error) = post(
        &server,
        "/v1/verify",
        None,
        &json_upload(&card, Some(&expired)),
    );
    assert_eq!(status, 400);
    assert!(
        error["message"].as_str().unwrap().contains("expired"),
        "{error}"
    );
}

#[test]
fn uploads_reach_the_manifest_verdicts_and_bad_uploads_are_400() {
    let server = TestServer::start(config());
    for card in cards() {
        let (status, report) = post(&server, "/v1/verify", None, &json_upload(&card, None));
        assert_eq!(status, 200, "{}", card.dir);
        assert_eq!(
            report["verdict"], card.expected_verdict_dump_alone,
            "{}: {report}",
            card.dir
        );
        assert_eq!(report["source"], "upload");
        assert_eq!(report["provenance"], "dump");
    }
    let bad_name = serde_json::json!({ "files": { "../EF.SOD": "AAAA" } });
    assert_eq!(post(&server, "/v1/verify", None, &bad_name).0, 400);
    let bad_base64 = serde_json::json!({ "files": { "EF.SOD": "%%%" } });
    assert_eq!(post(&server, "/v1/verify", None, &bad_base64).0, 400);
    let empty = serde_json::json!({ "files": {} });
    assert_eq!(post(&server, "/v1/verify", None, &empty).0, 400);
}

#[test]
fn oversized_bodies_are_refused() {
    let mut config = config();
    config.limits.max_body = 64 * 1024;
    let server = TestServer::start(config);
    let big = serde_json::json!({ "files": { "DG2": STANDARD.encode(vec![0u8; 200_000]) } });
    // The server answers 413 as soon as the limit is crossed and may close the connection
    // while the client is still sending: a reset is a refusal too. Never a 200.
    match agent().post(&server.http_url("/v1/verify")).send_json(&big) {
        Ok(response) => assert_eq!(response.status(), 413),
        Err(e) => assert!(matches!(e, ureq::Error::Io(_)), "{e}"),
    }
    // And it keeps serving.
    let small = json_upload(&card("v04-ngoc-ec-p256"), None);
    assert_eq!(post(&server, "/v1/verify", None, &small).0, 200);
}

#[test]
fn a_remote_read_returns_a_receipt_that_binds_the_report_and_every_file() {
    let key = p256::ecdsa::SigningKey::from_slice(&[42; 32]).unwrap();
    let public = *key.verifying_key();
    let mut config = config();
    config.receipts = Some(ReceiptSigner::new(key));
    let server = TestServer::start(config);
    let card = card("v05-duyen-ec-bp384");
    let mut sim = sim_card(&card);
    let outcome = relay(&mut sim, &options(&server, &card), &mut |_| {}).unwrap();
    let RelayOutcome::Report {
        report,
        receipt,
        session_id,
        ..
    } = outcome
    else {
        panic!("{outcome:?}");
    };
    let claims = verify_receipt(&receipt.unwrap(), &public).unwrap();
    assert_eq!(claims.report, report);
    assert_eq!(claims.session_id, session_id);
    assert!(claims.tool.starts_with("cccd "));
    let dir = testdata().join(card.dir.as_str());
    for name in ["EF.SOD", "DG1", "DG13", "DG14"] {
        let digest = cccd::hex::encode(&Sha256::digest(std::fs::read(dir.join(name)).unwrap()));
        assert_eq!(claims.files.get(name), Some(&digest), "{name}");
    }
}
