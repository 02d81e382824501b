//! Prepared document signers: a bounded cache, in the trust store, of document signer keys
//! decoded once and (for EC keys) given fixed-base tables.
//!
//! One DSC signs hundreds of thousands of documents and a verifier sees the same few DSCs
//! all day, so the work that depends only on the DSC is done once per DSC:
//!
//! - the key is decoded and described once ([`PreparedKey`]): an RSA key is not decoded again
//!   per document, nor twice (signature and description);
//! - an EC key gets a fixed-base table on its **second** sighting, so a one-off signer (a
//!   test card, an attacker's self-made DSC) costs no table; from then on its verification
//!   uses the tables ([`crate::ec::fixed_base`]); before that it is verified by interleaved
//!   wNAF ([`crate::ec::variable_base`]), as every chip's AA key is;
//! - each curve's generator table is built once per process, on the first table build.
//!
//! Bounds: at most [`PREPARED_CAPACITY`] signers are held, keyed by the DSC's exact DER
//! bytes. When a new signer arrives at a full cache, the least recently used one is evicted.
//! A key table is 195 KiB on brainpoolP384r1 and 356 KiB on brainpoolP512r1 (window 6),
//! so the cache holds at most 32 × 356 KiB ≈ 11 MiB of tables; the six generator tables
//! (window 8, built only for the curves in use) add at most 3.4 MiB.
//!
//! Nothing cached here depends on the verification time or on the CRLs: the chain,
//! validity and revocation are checked on every use by [`crate::pki::chain`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use x509_parser::x509::SubjectPublicKeyInfo;

use crate::pki::signature::PreparedKey;

/// Most document signers held; the least recently used is evicted beyond it.
pub const PREPARED_CAPACITY: usize = 32;

/// One cached document signer.
#[derive(Debug)]
pub struct PreparedSigner {
    key: PreparedKey,
    sightings: AtomicU64,
    last_used: AtomicU64,
}

impl PreparedSigner {
    /// The prepared public key.
    pub fn key(&self) -> &PreparedKey {
        &self.key
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
    /// The prepared signer of `dsc_der` (whose key is `spki`), preparing it on first sight and
    /// building its table on the second.
    pub fn get(&self, dsc_der: &[u8], spki: &SubjectPublicKeyInfo<'_>) -> Arc<PreparedSigner> {
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
            return signer;
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let prepared = Arc::new(PreparedSigner {
            key: PreparedKey::new(spki),
            sightings: AtomicU64::new(1),
            last_used: AtomicU64::new(tick),
        });
        let mut map = self.map.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(existing) = map.get(dsc_der) {
            // Another thread prepared it meanwhile.
            return Arc::clone(existing);
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
        prepared
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
