//! The eMRTD PKI: signatures, certificates, document signer -> CSCA chains, the trust store, CRLs,
//! master lists and CMS SignedData verification. Everything here works offline on bytes; the
//! on-card protocols are in [`crate::access`], and [`crate::passive`] builds on this layer.
//!
//! Everything in a [`TrustStore`] is a trust anchor: the operator chose to trust the files it
//! was loaded from. Master lists are loaded with their own CMS signature checked and reported
//! ([`MasterListReport`]), so an operator sees whether the list is the one ICAO signed.
//!
//! | submodule | job |
//! |---|---|
//! | [`signature`] | X.509 / CMS signature verification for every algorithm an eMRTD PKI uses |
//! | `certificate` | one X.509 certificate parsed once (RustCrypto `x509-cert`), its typed [`CertificateError`] |
//! | `name` | the one distinguished-name text form, and name comparison by DER or canonical form |
//! | [`chain`] | document signer -> CSCA chain validation against a [`TrustStore`] |
//! | [`cms`] | the CMS SignedData pieces a master list needs |
//! | [`masterlist`] | ICAO CSCA master lists (ICAO 9303-12 §9) |
//! | [`load`] | PEM, DER, files, folders, auto-detection |
//! | [`crl`] | certificate revocation lists |
//!
//! The store also caches chain signature checks (see [`chain`]) so a server that
//! sees one document signer a million times verifies its certificate signature once.

pub(crate) mod certificate;
pub mod chain;
pub mod cms;
pub mod crl;
pub mod load;
pub mod masterlist;
mod name;
pub mod prepared;
pub mod signature;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock};

use crate::pki::signature::{KeyDescription, SignatureError, describe_key, verify_signature};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

pub(crate) use self::certificate::ParsedCertificate;
#[cfg(any(test, feature = "chip-side"))]
pub(crate) use self::certificate::issuer_and_serial as certificate_issuer_and_serial;
pub use self::certificate::{CertificateError, SignerCertificate};
pub(crate) use self::name::CanonicalName;

pub use self::crl::RevocationList;
pub use self::load::{LoadSummary, SkippedFile};
pub use self::masterlist::MasterListReport;
pub use self::prepared::{PREPARED_CAPACITY, PreparedSigner, PreparedStats};

/// Why trust material could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// A file or folder could not be read.
    #[error("cannot read {path}: {reason}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        reason: String,
    },
    /// The bytes are not well-formed for what they claim to be.
    #[error("malformed {what} at offset {offset}")]
    Malformed {
        /// What was being parsed and what was wrong.
        what: String,
        /// Byte offset of the fault, when known (0 otherwise).
        offset: usize,
    },
    /// The bytes are none of: PEM, DER certificate, DER CRL, ICAO master list.
    #[error("not a certificate, CRL or master list: {source_name}")]
    Unrecognized {
        /// Where the bytes came from.
        source_name: String,
    },
    /// The bytes are trust material, but not of the kind the load asked for (a certificate
    /// given as a CRL, a master list given as a CSCA...).
    #[error("{source_name} is not {expected}")]
    WrongKind {
        /// Where the bytes came from.
        source_name: String,
        /// What the load accepts, e.g. "a CRL (PEM or DER)".
        expected: &'static str,
    },
    /// A certificate offered as a trust anchor is not a CA certificate (basicConstraints
    /// CA:TRUE and keyUsage keyCertSign, ICAO 9303-12 §7.1.1).
    #[error("{subject} (from {source_name}) is not a CA certificate: {why}")]
    NotCa {
        /// Where it came from.
        source_name: String,
        /// Its subject.
        subject: String,
        /// What is missing.
        why: &'static str,
    },
    /// A master list whose own CMS signature does not verify: none of its certificates is
    /// loaded.
    #[error("master list {source_name}: signature invalid ({problem}); nothing loaded from it")]
    MasterListSignature {
        /// Where it came from.
        source_name: String,
        /// Why the signature was not accepted.
        problem: String,
        /// What was found, for display.
        report: Box<MasterListReport>,
    },
    /// The file could not be read safely (not a regular file, too large).
    #[error("{0}")]
    Input(String),
}

/// A CSCA (or link) certificate held by the store.
#[derive(Debug, Clone)]
pub struct Anchor {
    cert: ParsedCertificate,
    subject: String,
    /// The subject's canonical form, for matching re-encoded names without re-parsing.
    subject_canonical: CanonicalName,
    key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    source: String,
}

impl Anchor {
    fn from_der(der: &[u8], source: &str) -> Result<Self, TrustError> {
        let cert = ParsedCertificate::from_der(der).map_err(|e| TrustError::Malformed {
            what: format!("certificate from {source}: {e}"),
            offset: e.offset(),
        })?;
        // An anchor must be able to sign certificates; checked on the one parse made here.
        ca_capable(&cert).map_err(|why| TrustError::NotCa {
            source_name: source.to_owned(),
            subject: name::display(cert.subject()),
            why,
        })?;
        Ok(Self {
            subject: name::display(cert.subject()),
            subject_canonical: CanonicalName::of(cert.subject()),
            key_id: cert.subject_key_id(),
            authority_key_id: cert.authority_key_id(),
            source: source.to_owned(),
            cert,
        })
    }

    /// The certificate, DER.
    pub fn der(&self) -> &[u8] {
        self.cert.der()
    }

    /// Subject distinguished name as text, in issuance order (`C=VN, O=…, CN=…`).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// Where it was loaded from (file path or master list).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// True when issuer and subject names are equal (a root or a self-issued link).
    pub fn is_self_issued(&self) -> bool {
        self.cert.subject_der() == self.cert.issuer_der()
    }

    /// True for a self-signed root: self-issued, and its authority key identifier (if any)
    /// names its own key. A self-issued certificate whose AKI names another key is a link
    /// certificate (a new CSCA key signed by the previous one under the same name).
    pub fn is_self_signed(&self) -> bool {
        self.is_self_issued()
            && match (&self.authority_key_id, &self.key_id) {
                (Some(aki), Some(ski)) => aki == ski,
                _ => true,
            }
    }

    /// The certificate, parsed when it was added.
    pub(crate) fn certificate(&self) -> &ParsedCertificate {
        &self.cert
    }

    /// Whether `name` (a Name, DER) is this anchor's subject: byte-equal DER or the same
    /// canonical form (see [`name`]).
    pub(crate) fn has_subject(&self, name_der: &[u8], canonical: Option<&CanonicalName>) -> bool {
        self.cert.subject_der() == name_der || canonical == Some(&self.subject_canonical)
    }
}

/// A trust anchor must be a CA: basicConstraints with CA:TRUE, and keyUsage with
/// keyCertSign (RFC 5280 §4.2.1.9, §4.2.1.3; ICAO 9303-12 requires both in a CSCA).
fn ca_capable(cert: &ParsedCertificate) -> Result<(), &'static str> {
    match cert.basic_constraints_ca() {
        Ok(Some(true)) => {}
        Ok(Some(_)) => return Err("basicConstraints says CA:FALSE"),
        Ok(None) => return Err("no basicConstraints extension"),
        Err(()) => return Err("basicConstraints is malformed or repeated"),
    }
    match cert.key_usage() {
        Ok(Some(ku)) if ku.key_cert_sign() => Ok(()),
        Ok(Some(_)) => Err("keyUsage lacks keyCertSign"),
        Ok(None) => Err("no keyUsage extension"),
        Err(()) => Err("keyUsage is malformed or repeated"),
    }
}

/// Whether two names are the same: byte-equal DER, or (as issuers often re-encode a name,
/// e.g. PrintableString vs UTF8String) the same canonical form (see [`name`]).
pub(crate) fn distinguished_names_equal(a: &ParsedName<'_>, b: &ParsedName<'_>) -> bool {
    a.der == b.der || CanonicalName::of(a.name) == CanonicalName::of(b.name)
}

/// A name with its DER, as compared by [`distinguished_names_equal`].
pub(crate) struct ParsedName<'a> {
    /// The Name, DER.
    pub der: &'a [u8],
    /// The Name, decoded.
    pub name: &'a x509_cert::name::Name,
}

impl ParsedCertificate {
    /// The subject with its DER.
    pub(crate) fn subject_name(&self) -> ParsedName<'_> {
        ParsedName {
            der: self.subject_der(),
            name: self.subject(),
        }
    }

    /// The issuer with its DER.
    pub(crate) fn issuer_name(&self) -> ParsedName<'_> {
        ParsedName {
            der: self.issuer_der(),
            name: self.issuer(),
        }
    }
}

/// One line of `cccd trust`: what a stored certificate is.
#[derive(Debug, Clone)]
pub struct CertificateInfo {
    /// Country code from the subject's C= attribute, if any.
    pub country: Option<String>,
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// Key algorithm and size.
    pub key: KeyDescription,
    /// Start of validity.
    pub not_before: Option<OffsetDateTime>,
    /// End of validity.
    pub not_after: Option<OffsetDateTime>,
    /// For a self-signed certificate (see [`Anchor::is_self_signed`]), whether its signature
    /// verifies with its own key; `None` for link certificates.
    pub self_signature: Option<Result<(), SignatureError>>,
    /// For a link certificate: whether its signature verifies with a CSCA in the store
    /// (`Some(Err(..))` with the last error, or an `Invalid` when no issuer is held);
    /// `None` for self-signed certificates.
    pub link_signature: Option<Result<(), SignatureError>>,
    /// Where it was loaded from.
    pub source: String,
}

/// Counters of the chain signature cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that ran a signature verification.
    pub misses: u64,
    /// Entries held.
    pub entries: usize,
}

/// Largest number of cached chain results; the cache is emptied when it is reached, so
/// memory stays bounded on a server that sees many document signers.
const CACHE_CAPACITY: usize = 65_536;

/// CSCA certificates and CRLs, with a cache of verified certificate signatures.
///
/// # Examples
///
/// ```no_run
/// use cccd::pki::TrustStore;
///
/// let mut store = TrustStore::new();
/// // A file, a PEM bundle or a folder: CA certificates only; others are listed as skipped.
/// let loaded = store.load_cscas("csca".as_ref())?;
/// for skipped in &loaded.skipped {
///     eprintln!("skipped {}: {}", skipped.path.display(), skipped.reason);
/// }
/// // A master list is refused unless its CMS signature verifies; CRLs are checked against
/// // the CSCAs already held.
/// let from_list = store.load_masterlist("icao.ml".as_ref())?;
/// let crls = store.load_crls("crls".as_ref())?;
/// println!("{} and {} skipped", from_list.skipped.len(), crls.skipped.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct TrustStore {
    anchors: Vec<Anchor>,
    fingerprints: HashSet<[u8; 32]>,
    crls: Vec<RevocationList>,
    signature_cache: RwLock<HashMap<[u8; 32], Result<(), SignatureError>>>,
    cache_hits: AtomicU64,
    cache_misses: AtomicU64,
    prepared: prepared::PreparedSigners,
}

impl TrustStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one DER CSCA (or link) certificate. Returns `Ok(false)` if the same certificate
    /// was already held; refuses a certificate that is not a CA ([`TrustError::NotCa`]).
    pub fn add_certificate_der(&mut self, der: &[u8], source: &str) -> Result<bool, TrustError> {
        let fingerprint: [u8; 32] = Sha256::digest(der).into();
        if self.fingerprints.contains(&fingerprint) {
            return Ok(false);
        }
        let anchor = Anchor::from_der(der, source)?;
        self.fingerprints.insert(fingerprint);
        self.anchors.push(anchor);
        // Prepared signers' chain facts were worked out without this CSCA.
        self.prepared.clear();
        Ok(true)
    }

    /// The anchors held.
    pub fn anchors(&self) -> &[Anchor] {
        &self.anchors
    }

    /// Number of certificates held.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// True when no certificate is held.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// Anchors that may have issued `cert`: those whose subjectKeyIdentifier equals its
    /// authorityKeyIdentifier, then those whose subject equals its issuer name.
    pub(crate) fn issuer_candidates(&self, cert: &ParsedCertificate) -> Vec<&Anchor> {
        let issuer = cert.issuer_der();
        let issuer_canonical = CanonicalName::of(cert.issuer());
        let mut out: Vec<&Anchor> = Vec::new();
        if let Some(aki) = cert.authority_key_id() {
            out.extend(
                self.anchors
                    .iter()
                    .filter(|a| a.key_id.as_deref() == Some(aki.as_slice())),
            );
        }
        let same_name = |a: &&Anchor| a.has_subject(issuer, Some(&issuer_canonical));
        for anchor in self.anchors.iter().filter(same_name) {
            if !out.iter().any(|o| std::ptr::eq(*o, anchor)) {
                out.push(anchor);
            }
        }
        out
    }

    /// Every certificate with its country, key and self-signature status.
    pub fn certificates(&self) -> Vec<CertificateInfo> {
        self.anchors
            .iter()
            .filter_map(|anchor| self.certificate_info(anchor))
            .collect()
    }

    /// Verify `child`'s signature with `issuer`'s key, remembering the answer for this pair
    /// of certificates (keyed by SHA-256 over both DER encodings).
    pub fn check_certificate_signature(
        &self,
        child_der: &[u8],
        issuer_der: &[u8],
    ) -> Result<(), SignatureError> {
        let mut hasher = Sha256::new();
        hasher.update((child_der.len() as u64).to_be_bytes());
        hasher.update(child_der);
        hasher.update(issuer_der);
        let key: [u8; 32] = hasher.finalize().into();
        let cached = self
            .signature_cache
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .cloned();
        if let Some(result) = cached {
            self.cache_hits.fetch_add(1, Ordering::Relaxed);
            return result;
        }
        self.cache_misses.fetch_add(1, Ordering::Relaxed);
        let result = verify_certificate_signature(child_der, issuer_der);
        let mut cache = self
            .signature_cache
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= CACHE_CAPACITY {
            cache.clear();
        }
        cache.insert(key, result.clone());
        result
    }

    /// The prepared signer (parsed certificate, decoded key, EC tables from its second
    /// sighting, chain facts) of the document signer certificate `dsc_der`; see [`prepared`].
    pub fn prepared_signer(
        &self,
        dsc_der: &[u8],
    ) -> Result<std::sync::Arc<PreparedSigner>, CertificateError> {
        self.prepared.get(dsc_der)
    }

    /// Counters of the prepared-signer cache.
    pub fn prepared_stats(&self) -> PreparedStats {
        self.prepared.stats()
    }

    /// Counters of the signature cache.
    pub fn cache_stats(&self) -> CacheStats {
        CacheStats {
            hits: self.cache_hits.load(Ordering::Relaxed),
            misses: self.cache_misses.load(Ordering::Relaxed),
            entries: self
                .signature_cache
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .len(),
        }
    }
}

/// Verify the signature of certificate `child_der` with the key of certificate `issuer_der`.
pub fn verify_certificate_signature(
    child_der: &[u8],
    issuer_der: &[u8],
) -> Result<(), SignatureError> {
    let bad = |what: &str| SignatureError::BadKey {
        reason: format!("{what} certificate does not parse"),
    };
    let child = ParsedCertificate::from_der(child_der).map_err(|_| bad("signed"))?;
    let issuer = ParsedCertificate::from_der(issuer_der).map_err(|_| bad("issuer"))?;
    verify_signed_by(&child, &issuer)
}

/// Verify the signature of `child` with the key of `issuer`.
pub(crate) fn verify_signed_by(
    child: &ParsedCertificate,
    issuer: &ParsedCertificate,
) -> Result<(), SignatureError> {
    let spki = issuer.spki().ok_or_else(|| SignatureError::BadKey {
        reason: "issuer SubjectPublicKeyInfo does not parse".to_owned(),
    })?;
    verify_signature(
        &spki,
        &child.signature_algorithm(),
        child.tbs_der(),
        child.signature(),
    )
}

impl TrustStore {
    fn certificate_info(&self, anchor: &Anchor) -> Option<CertificateInfo> {
        let cert = anchor.certificate();
        let spki = cert.spki()?;
        let self_signature = anchor
            .is_self_signed()
            .then(|| verify_signed_by(cert, cert));
        Some(CertificateInfo {
            country: name::country(cert.subject()),
            subject: anchor.subject.clone(),
            issuer: name::display(cert.issuer()),
            serial: cert.serial_hex(),
            key: describe_key(&spki),
            not_before: cert.not_before(),
            not_after: cert.not_after(),
            self_signature,
            link_signature: (!anchor.is_self_signed())
                .then(|| self.verify_with_store(anchor.der(), cert)),
            source: anchor.source.clone(),
        })
    }

    /// Verify `cert` (DER `der`) with any issuer candidate in the store other than itself.
    pub(crate) fn verify_with_store(
        &self,
        der: &[u8],
        cert: &ParsedCertificate,
    ) -> Result<(), SignatureError> {
        let mut last = Err(SignatureError::Invalid);
        for issuer in self.issuer_candidates(cert) {
            if issuer.der() == der {
                continue;
            }
            last = self.check_certificate_signature(der, issuer.der());
            if last.is_ok() {
                return last;
            }
        }
        last
    }
}

#[cfg(test)]
mod tests;
