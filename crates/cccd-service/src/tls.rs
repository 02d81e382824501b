//! Built-in TLS (rustls) for both ends: the server's certificate and key for `cccd serve
//! --tls-cert/--tls-key`, and the relay's trust (the system roots plus, optionally, one more
//! CA from `--ca-cert`) for `cccd relay --server wss://…`.
//!
//! One crypto provider, `ring`, chosen explicitly rather than from crate features: `ring` is
//! already in the dependency tree (x509-parser's signature verification), while `aws-lc-rs`
//! would add the aws-lc-sys C build. Both are rustls' supported providers; switching is the
//! one line in [`provider`].

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why a TLS configuration could not be built. Each variant names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A PEM file held no certificate (or a malformed one).
    #[error("{path}: no PEM certificate (expected -----BEGIN CERTIFICATE-----)")]
    NoCertificate {
        /// The file.
        path: PathBuf,
    },
    /// A PEM file held no private key (or a malformed one).
    #[error(
        "{path}: no PEM private key (expected PKCS#8, PKCS#1 or SEC1: -----BEGIN … PRIVATE KEY-----)"
    )]
    NoPrivateKey {
        /// The file.
        path: PathBuf,
    },
    /// rustls refused the certificate, the key or their pairing.
    #[error("{what}: {source}")]
    Rustls {
        /// What was being configured.
        what: String,
        /// rustls' reason.
        source: rustls::Error,
    },
    /// No trust anchor at all: no system roots could be loaded and no `--ca-cert` given.
    #[error("no trusted CA: the system has no root certificates; give --ca-cert")]
    NoRoots,
}

/// The crypto provider of every TLS configuration here.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Every certificate of a PEM file, in order (a leaf first, then its chain).
pub fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let pem = read(path)?;
    let certs: Result<Vec<_>, _> = CertificateDer::pem_slice_iter(&pem).collect();
    match certs {
        Ok(certs) if !certs.is_empty() => Ok(certs),
        _ => Err(TlsError::NoCertificate {
            path: path.to_path_buf(),
        }),
    }
}

/// The server side: the certificate chain of `cert` (PEM, leaf first) and the private key of
/// `key` (PEM). TLS 1.2 and 1.3 with rustls' safe defaults; ALPN `http/1.1`, since the relay's
/// WebSocket upgrade is an HTTP/1.1 mechanism.
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let chain = certificates(cert)?;
    let key_pem = zeroize::Zeroizing::new(read(key)?);
    let private = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|_| TlsError::NoPrivateKey {
        path: key.to_path_buf(),
    })?;
    let rustls_error = |source| TlsError::Rustls {
        what: format!("{} with {}", cert.display(), key.display()),
        source,
    };
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(rustls_error)?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(rustls_error)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The client side: trust the system's root certificates and, if given, the CA certificates
/// of `extra_ca` (PEM) besides them, e.g. a private CA that signed the server's certificate.
pub fn client_config(extra_ca: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, TlsError> {
    let mut roots = rustls::RootCertStore::empty();
    // Unreadable system certificates are skipped: one bad file in /etc/ssl/certs must not
    // stop the relay; an empty store is refused below.
    let system = rustls_native_certs::load_native_certs();
    let _ = roots.add_parsable_certificates(system.certs);
    if let Some(path) = extra_ca {
        for cert in certificates(path)? {
            roots.add(cert).map_err(|source| TlsError::Rustls {
                what: format!("{}: not a usable CA certificate", path.display()),
                source,
            })?;
        }
    }
    if roots.is_empty() {
        return Err(TlsError::NoRoots);
    }
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|source| TlsError::Rustls {
            what: "client protocol versions".into(),
            source,
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}
