//! Shared helpers for the lds_* integration tests: a temporary folder and a test PKI made with
//! the `openssl` command-line tool (an independent implementation).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A folder under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let p = std::env::temp_dir().join(format!("cccd-lds-{tag}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub use cccd_testkit::openssl_ok;

/// Run openssl in `dir`; return (success, stderr).
pub fn openssl(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = cccd_testkit::openssl_in(dir, args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[derive(Clone, Copy, Debug)]
pub enum KeyKind {
    Rsa,
    P256,
    BrainpoolP384,
}

fn newkey_args(kind: KeyKind) -> Vec<&'static str> {
    match kind {
        KeyKind::Rsa => vec!["-newkey", "rsa:2048"],
        KeyKind::P256 => vec!["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"],
        KeyKind::BrainpoolP384 => {
            vec![
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:brainpoolP384r1",
            ]
        }
    }
}

/// A CSCA and a DSC signed by it, made by openssl in `dir`: `csca.pem`, `dsc.der`, and the DSC
/// private key as PKCS#8 DER (`dsc.p8.der`).
pub struct Pki {
    pub csca_pem: PathBuf,
    pub dsc_der: Vec<u8>,
    pub dsc_key_pkcs8: Vec<u8>,
}

pub fn make_pki(dir: &TempDir, kind: KeyKind) -> Pki {
    let d = &dir.0;
    let mut args = vec![
        "req", "-x509", "-nodes", "-keyout", "csca.key", "-out", "csca.pem",
    ];
    args.extend(newkey_args(kind));
    args.extend([
        "-subj",
        "/C=VN/O=Test/CN=Test CSCA",
        "-days",
        "3650",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl_ok(d, &args);
    let mut args = vec![
        "req", "-new", "-nodes", "-keyout", "dsc.key", "-out", "dsc.csr",
    ];
    args.extend(newkey_args(kind));
    args.extend(["-subj", "/C=VN/O=Test/CN=Test DSC"]);
    openssl_ok(d, &args);
    std::fs::write(d.join("ext.cnf"), "keyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n").unwrap();
    openssl_ok(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "dsc.csr",
            "-CA",
            "csca.pem",
            "-CAkey",
            "csca.key",
            "-CAcreateserial",
            "-days",
            "365",
            "-extfile",
            "ext.cnf",
            "-outform",
            "DER",
            "-out",
            "dsc.der",
        ],
    );
    openssl_ok(
        d,
        &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "dsc.key",
            "-outform",
            "DER",
            "-out",
            "dsc.p8.der",
        ],
    );
    Pki {
        csca_pem: d.join("csca.pem"),
        dsc_der: std::fs::read(d.join("dsc.der")).unwrap(),
        dsc_key_pkcs8: std::fs::read(d.join("dsc.p8.der")).unwrap(),
    }
}
