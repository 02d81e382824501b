//! A `cccd serve` process for the service tests.

#![allow(dead_code, clippy::unwrap_used)]

use crate::support::{cccd, reference_date, trust_args};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

/// A `cccd serve` process on an ephemeral port; killed (by its own handle) when dropped.
pub struct Served {
    child: Child,
    pub addr: String,
}

impl Served {
    pub fn start(extra: &[String]) -> Self {
        Self::start_logging(extra, Stdio::null())
    }

    /// As [`Served::start`], with the JSON logs (stderr) going to `logs`.
    pub fn start_logging(extra: &[String], logs: impl Into<Stdio>) -> Self {
        let mut child = cccd()
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--at",
                &reference_date(),
            ])
            .args(trust_args())
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(logs)
            .env("RUST_LOG", "debug")
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap()
            .to_owned();
        Self { child, addr }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// The server's process id (for its CPU time and memory in /proc).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The read endpoint.
    pub fn ws_url(&self) -> String {
        format!("ws://{}/v1/read", self.addr)
    }
}

/// The TLS test PKI (rcgen, from the test support crate) with its paths as text, for `cccd`
/// arguments.
pub struct TestPki {
    _pki: cccd_testkit::tls::TlsPki,
    pub ca: String,
    pub cert: String,
    pub key: String,
}

impl TestPki {
    pub fn new() -> Self {
        let pki = cccd_testkit::tls::TlsPki::new();
        let text = |p: &std::path::Path| p.display().to_string();
        Self {
            ca: text(&pki.ca),
            cert: text(&pki.cert),
            key: text(&pki.key),
            _pki: pki,
        }
    }

    /// `cccd serve` arguments for built-in TLS with this certificate.
    pub fn serve_args(&self) -> Vec<String> {
        vec![
            "--tls-cert".into(),
            self.cert.clone(),
            "--tls-key".into(),
            self.key.clone(),
        ]
    }
}
