//! `cccd serve --tls-cert/--tls-key` and `cccd relay --server wss://… --ca-cert` as processes
//! over real TLS on loopback, with a CA and a server certificate made in the test.

#![allow(clippy::unwrap_used)]

mod service_support;
mod support;
use service_support::{Served, TestPki};
use std::sync::Arc;
use support::*;

fn relay_wss(served: &Served, card: &CardEntry, extra: &[&str]) -> std::process::Output {
    cccd()
        .args([
            "relay",
            "--server",
            &format!("wss://{}/v1/read", served.addr),
        ])
        .arg("--sim")
        .arg(testdata().join(card.dir.as_str()))
        .args(["--can", card.can.as_str(), "--json"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn serve_with_tls_answers_https_and_a_relay_over_wss_is_verified() {
    let pki = TestPki::new();
    let served = Served::start(&pki.serve_args());
    let card = cards()
        .into_iter()
        .find(|c| c.expected_verdict == "verified")
        .unwrap();

    // /v1/verify over https, trusting the test CA only.
    let ca = ureq::tls::Certificate::from_pem(&std::fs::read(&pki.ca).unwrap()).unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![ca])))
                .build(),
        )
        .build()
        .into();
    let dir = testdata().join(card.dir.as_str());
    let mut files = serde_json::Map::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            use base64::Engine;
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let data =
                base64::engine::general_purpose::STANDARD.encode(std::fs::read(&path).unwrap());
            files.insert(name, data.into());
        }
    }
    let mut response = agent
        .post(&format!("https://{}/v1/verify", served.addr))
        .send_json(serde_json::json!({ "files": files }))
        .unwrap();
    let report: serde_json::Value = response.body_mut().read_json().unwrap();
    assert_eq!(report["verdict"], card.expected_verdict_dump_alone);

    // A relayed read over wss with the CA: verified, exit 0.
    let out = relay_wss(&served, &card, &["--ca-cert", &pki.ca]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_of(&out);
    assert_eq!(report["verdict"], "verified");
    assert_eq!(report["source"], "relay");

    // Without the CA the server's certificate is not trusted: a connection error (exit 3)
    // that says why, and never a report.
    let out = relay_wss(&served, &card, &[]);
    assert_exit(&out, 3);
    // Under --json the error is a JSON error document on stdout (the contract), never a report.
    let error = json_of(&out);
    assert_eq!(error["error"]["kind"], "io", "{error}");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("certificate"),
        "{error}"
    );
    assert!(error.get("verdict").is_none(), "{error}");

    // A CA for a plain ws:// server is a usage error.
    let out = cccd()
        .args([
            "relay",
            "--server",
            &format!("ws://{}/v1/read", served.addr),
        ])
        .arg("--sim")
        .arg(&dir)
        .args(["--can", card.can.as_str(), "--ca-cert", &pki.ca])
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("wss://"));
}

#[test]
fn serve_refuses_half_a_tls_configuration_with_exit_2() {
    let pki = TestPki::new();
    let serve = |args: &[&str], env: &[(&str, &str)]| {
        cccd()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .output()
            .unwrap()
    };
    for (args, env, expected) in [
        (
            vec!["--tls-cert", &pki.cert],
            vec![],
            "--tls-cert needs --tls-key",
        ),
        (
            vec!["--tls-key", &pki.key],
            vec![],
            "--tls-key needs --tls-cert",
        ),
        (
            vec![],
            vec![("CCCD_TLS_CERT", pki.cert.as_str())],
            "--tls-cert needs --tls-key",
        ),
    ] {
        let out = serve(&args, &env);
        assert_eq!(out.status.code(), Some(2), "{args:?} {env:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{stderr}");
        assert!(out.stdout.is_empty(), "it must not start listening");
    }
    // Both given, but the key file holds a certificate: refused naming the file.
    let out = serve(&["--tls-cert", &pki.cert, "--tls-key", &pki.cert], &[]);
    assert_exit(&out, 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("server.pem") && stderr.contains("private key"),
        "{stderr}"
    );
}
