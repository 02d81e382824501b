//! Certificate revocation lists (RFC 5280 §5) held by the trust store.
//!
//! A CRL's signature is checked against the store's CSCAs when it is added; the result is
//! kept in [`RevocationList::signature_verified`]. Entries of an unverified CRL are still
//! honoured: an unverified CRL can only make verification fail, never pass.

use std::collections::HashSet;

use time::OffsetDateTime;
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;
#[cfg(test)]
use x509_parser::x509::X509Name;

use super::{TrustError, TrustStore, to_datetime};
use crate::pki::signature::verify_signature;

/// A CRL of the CSCA lists the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Revoked;

/// A CRL as held by the store.
#[derive(Debug, Clone)]
pub struct RevocationList {
    /// Issuer name, DER.
    issuer_raw: Vec<u8>,
    /// Issuer DN text.
    pub issuer: String,
    /// Lowercased issuer text: names re-encoded (PrintableString vs UTF8String) still match.
    issuer_folded: String,
    /// thisUpdate.
    pub this_update: Option<OffsetDateTime>,
    /// nextUpdate, if stated.
    pub next_update: Option<OffsetDateTime>,
    /// Revoked serial numbers (INTEGER contents without leading zero bytes).
    revoked: HashSet<Vec<u8>>,
    /// Whether the CRL's signature verified with a CSCA in the store when it was added.
    pub signature_verified: bool,
    /// Where it was loaded from.
    pub source: String,
}

impl RevocationList {
    /// Number of revoked serials.
    pub fn len(&self) -> usize {
        self.revoked.len()
    }

    /// True when the CRL lists no certificate.
    pub fn is_empty(&self) -> bool {
        self.revoked.is_empty()
    }
}

fn normalize_serial(serial: &[u8]) -> Vec<u8> {
    let start = serial.iter().position(|&b| b != 0).unwrap_or(serial.len());
    serial.get(start..).unwrap_or_default().to_vec()
}

impl TrustStore {
    /// Add a DER CRL; its signature is checked against the CSCAs already in the store
    /// (load CSCAs first).
    pub fn add_crl_der(&mut self, der: &[u8], source: &str) -> Result<(), TrustError> {
        let (_, crl) =
            CertificateRevocationList::from_der(der).map_err(|e| TrustError::Malformed {
                what: format!("CRL from {source}: {e}"),
                offset: 0,
            })?;
        let issuer_raw = crl.issuer().as_raw();
        let signature_verified = self
            .anchors
            .iter()
            .filter(|a| a.subject_raw == issuer_raw)
            .filter_map(super::Anchor::parse)
            .any(|issuer| {
                verify_signature(
                    issuer.public_key(),
                    &crl.signature_algorithm,
                    crl.tbs_cert_list.as_ref(),
                    &crl.signature_value.data,
                )
                .is_ok()
            });
        let revoked = crl
            .iter_revoked_certificates()
            .map(|r| normalize_serial(r.raw_serial()))
            .collect();
        self.crls.push(RevocationList {
            issuer_raw: issuer_raw.to_vec(),
            issuer: crl.issuer().to_string(),
            issuer_folded: crl.issuer().to_string().to_lowercase(),
            this_update: to_datetime(crl.last_update()),
            next_update: crl.next_update().and_then(to_datetime),
            revoked,
            signature_verified,
            source: source.to_owned(),
        });
        Ok(())
    }

    /// True when a CRL from `issuer` (Name, DER) lists `serial` (INTEGER contents).
    /// Issuer names match byte for byte or, re-encoded, as case-insensitive text. Only the
    /// tests ask by issuer name; the chain check asks [`TrustStore::revocation_status`].
    #[cfg(test)]
    pub(crate) fn is_revoked(&self, issuer: &[u8], serial: &[u8]) -> bool {
        let serial = normalize_serial(serial);
        let folded = X509Name::from_der(issuer)
            .ok()
            .map(|(_, name)| name.to_string().to_lowercase());
        self.crls.iter().any(|crl| {
            (crl.issuer_raw == issuer || folded.as_deref() == Some(crl.issuer_folded.as_str()))
                && crl.revoked.contains(&serial)
        })
    }

    /// What the CRLs issued by `csca` (by name) say about the certificate with `serial`:
    /// `Err(Revoked)` when any of them lists it (even one whose signature did not verify: an
    /// unverified CRL can only make verification fail); otherwise the newest CRL whose
    /// signature verified with a CSCA decides whether the answer is current at `at`.
    pub(crate) fn revocation_status(
        &self,
        csca: &super::Anchor,
        serial: &[u8],
        at: OffsetDateTime,
    ) -> Result<crate::pki::chain::Revocation, Revoked> {
        use crate::pki::chain::Revocation;
        let serial = normalize_serial(serial);
        let of_issuer: Vec<&RevocationList> = self
            .crls
            .iter()
            .filter(|c| c.issuer_raw == csca.subject_raw || c.issuer_folded == csca.subject_folded)
            .collect();
        if of_issuer.iter().any(|c| c.revoked.contains(&serial)) {
            return Err(Revoked);
        }
        let newest = of_issuer
            .iter()
            .filter(|c| c.signature_verified)
            .max_by_key(|c| c.this_update);
        Ok(match newest {
            None => Revocation::NoCrl,
            Some(crl) if crl.next_update.is_some_and(|next| at <= next) => Revocation::NotRevoked {
                source: crl.source.clone(),
            },
            Some(crl) => Revocation::Stale {
                next_update: crl.next_update,
                source: crl.source.clone(),
            },
        })
    }

    /// The CRLs held.
    pub fn crls(&self) -> &[RevocationList] {
        &self.crls
    }
}
