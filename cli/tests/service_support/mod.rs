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

/// A private CA and a server certificate it signed for 127.0.0.1 and localhost, made with
/// rcgen (ECDSA P-256), as PEM files in a temporary folder.
pub struct TestPki {
    pub dir: std::path::PathBuf,
    pub ca: String,
    pub cert: String,
    pub key: String,
}

impl TestPki {
    pub fn new(name: &str) -> Self {
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "cccd test CA");
        ca_params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        let ca =
            rcgen::CertifiedIssuer::self_signed(ca_params, rcgen::KeyPair::generate().unwrap())
                .unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params =
            rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
                .unwrap();
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        let cert = params.signed_by(&key, &ca).unwrap();
        let dir = std::env::temp_dir().join(format!("cccd-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let write = |file: &str, pem: String| {
            let path = dir.join(file);
            std::fs::write(&path, pem).unwrap();
            path.display().to_string()
        };
        Self {
            ca: write("ca.pem", ca.pem()),
            cert: write("server.pem", cert.pem()),
            key: write("server-key.pem", key.serialize_pem()),
            dir,
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

impl Drop for TestPki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
