//! Prepared document signers: a bounded cache, in the trust store, of document signer keys
//! decoded once and (for EC keys) given fixed-base tables.
//!
//! One DSC signs hundreds of thousands of documents and a verifier sees the same few DSCs
//! all day, so the work that depends only on the DSC is done once per DSC:
//!
//! - the certificate is parsed once (`ParsedCertificate`) and summarised once
//!   ([`SignerCertificate`]); a cache hit does no X.509 parsing at all;
//! - the chain checks that do not depend on the time (the CSCA whose key verified it, names,
//!   countries, key usage, critical extensions, links) run once, on the first chain check;
//! - the key is decoded and described once ([`PreparedKey`]): an RSA key is not decoded again
//!   per document, nor twice (signature and description);
//! - an EC key gets a fixed-base table on its **second** sighting, so a one-off signer (a
//!   test card, an attacker's self-made DSC) costs no table; from then on its verification
//!   uses the tables (`ec::fixed_base`); before that it is verified by interleaved
//!   wNAF (`ec::variable_base`), as every chip's AA key is;
//! - each curve's generator table is built once per process, on the first table build.
//!
//! Bounds: at most [`PREPARED_CAPACITY`] signers are held, keyed by the DSC's exact DER
//! bytes. When a new signer arrives at a full cache, the least recently used one is evicted.
//! A key table is 195 KiB on brainpoolP384r1 and 356 KiB on brainpoolP512r1 (window 6),
//! so the cache holds at most 32 × 356 KiB ≈ 11 MiB of tables; the six generator tables
//! (window 8, built only for the curves in use) add at most 3.4 MiB.
//!
//! Nothing cached here depends on the verification time or on the CRLs: validity and
//! revocation are checked on every use ([`PreparedSigner::chain_at`]). Adding a CSCA to the
//! store empties the cache, since the chain facts name the CSCA found.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use time::OffsetDateTime;

use crate::pki::chain::{ChainFacts, ChainOutcome};
use crate::pki::signature::PreparedKey;
use crate::pki::{CertificateError, ParsedCertificate, SignerCertificate, TrustStore};

/// Most document signers held; the least recently used is evicted beyond it.
pub const PREPARED_CAPACITY: usize = 32;

/// One cached document signer.
#[derive(Debug)]
pub struct PreparedSigner {
    certificate: ParsedCertificate,
    outer_shape: Result<(), &'static str>,
    summary: SignerCertificate,
    key: PreparedKey,
    chain: OnceLock<ChainFacts>,
    sightings: AtomicU64,
    last_used: AtomicU64,
}

impl PreparedSigner {
    /// Parse, summarise and prepare the key of a DSC.
    fn new(dsc_der: &[u8], tick: u64) -> Result<Self, CertificateError> {
        let certificate = ParsedCertificate::from_der(dsc_der)?;
        let spki = certificate
            .spki()
            .ok_or_else(|| CertificateError::Malformed {
                what: "certificate",
                offset: 0,
                reason: "SubjectPublicKeyInfo does not decode".to_owned(),
            })?;
        let key = PreparedKey::new(&spki);
        let summary = SignerCertificate::of(&certificate, key.description().clone());
        Ok(Self {
            outer_shape: crate::pki::certificate::strict_outer_shape(dsc_der),
            certificate,
            summary,
            key,
            chain: OnceLock::new(),
            sightings: AtomicU64::new(1),
            last_used: AtomicU64::new(tick),
        })
    }

    /// The prepared public key.
    pub fn key(&self) -> &PreparedKey {
        &self.key
    }

    /// The certificate, summarised for display.
    pub fn summary(&self) -> &SignerCertificate {
        &self.summary
    }

    /// `Err` naming the fault when the certificate's unsigned outer parts are not exactly
    /// what its signed part says (see `strict_outer_shape`).
    pub(crate) fn outer_shape(&self) -> Result<(), &'static str> {
        self.outer_shape
    }

    /// The parsed certificate.
    pub(crate) fn certificate(&self) -> &ParsedCertificate {
        &self.certificate
    }

    /// The chain outcome at `at` in `store` (the store holding this cache): the
    /// time-independent checks run on the first call, validity and revocation on every call.
    pub fn chain_at(&self, store: &TrustStore, at: OffsetDateTime) -> ChainOutcome {
        self.chain
            .get_or_init(|| ChainFacts::of(&self.certificate, store))
            .at(&self.certificate, store, at)
    }
}

/// Counters of the prepared-signer cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PreparedStats {
    /// Lookups that found the signer prepared.
    pub hits: u64,
    /// Lookups that decoded the signer's key.
    pub misses: u64,
    /// Signers held.
    pub entries: usize,
    /// Key tables built (signers seen at least twice with an EC key).
    pub tables_built: u64,
    /// Bytes held by the key tables of the signers held.
    pub table_bytes: usize,
    /// Signers evicted to keep the cache within [`PREPARED_CAPACITY`].
    pub evictions: u64,
}

/// The cache itself (held by [`super::TrustStore`]).
#[derive(Debug, Default)]
pub(crate) struct PreparedSigners {
    map: RwLock<HashMap<Box<[u8]>, Arc<PreparedSigner>>>,
    clock: AtomicU64,
    hits: AtomicU64,
    misses: AtomicU64,
    tables_built: AtomicU64,
    evictions: AtomicU64,
}

impl PreparedSigners {
    /// The prepared signer of `dsc_der`, parsing and preparing it on first sight and building
    /// its table on the second; a certificate that does not parse is not cached.
    pub fn get(&self, dsc_der: &[u8]) -> Result<Arc<PreparedSigner>, CertificateError> {
        let tick = self.clock.fetch_add(1, Ordering::Relaxed);
        let found = self
            .map
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(dsc_der)
            .cloned();
        if let Some(signer) = found {
            self.hits.fetch_add(1, Ordering::Relaxed);
            signer.last_used.store(tick, Ordering::Relaxed);
            // Exactly one caller sees the count go from 1 to 2 and builds the table; the
            // others verify on the plain path meanwhile.
            if signer.sightings.fetch_add(1, Ordering::Relaxed) == 1 {
                signer.key.build_table();
                if signer.key.table_bytes() > 0 {
                    self.tables_built.fetch_add(1, Ordering::Relaxed);
                }
            }
            return Ok(signer);
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let prepared = Arc::new(PreparedSigner::new(dsc_der, tick)?);
        let mut map = self.map.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(existing) = map.get(dsc_der) {
            // Another thread prepared it meanwhile.
            return Ok(Arc::clone(existing));
        }
        if map.len() >= PREPARED_CAPACITY {
            let oldest = map
                .iter()
                .min_by_key(|(_, s)| s.last_used.load(Ordering::Relaxed))
                .map(|(k, _)| k.clone());
            if let Some(key) = oldest {
                map.remove(&key);
                self.evictions.fetch_add(1, Ordering::Relaxed);
            }
        }
        map.insert(dsc_der.into(), Arc::clone(&prepared));
        Ok(prepared)
    }

    /// Drop every signer (their chain facts name CSCAs of the store as it was).
    pub fn clear(&self) {
        self.map
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// The counters, with the entries and table memory held now.
    pub fn stats(&self) -> PreparedStats {
        let map = self.map.read().unwrap_or_else(PoisonError::into_inner);
        PreparedStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: map.len(),
            tables_built: self.tables_built.load(Ordering::Relaxed),
            table_bytes: map.values().map(|s| s.key.table_bytes()).sum(),
            evictions: self.evictions.load(Ordering::Relaxed),
        }
    }
}
