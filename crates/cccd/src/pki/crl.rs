//! Certificate revocation lists (RFC 5280 §5) held by the trust store.
//!
//! A CRL's signature is checked against the store's CSCAs when it is added; the result is
//! kept in [`RevocationList::signature_verified`]. Entries of an unverified CRL are still
//! honoured: an unverified CRL can only make verification fail, never pass.

use std::collections::HashSet;

use der::Decode;
use der::referenced::OwnedToRef;
use time::OffsetDateTime;
use x509_cert::crl::CertificateList;

use super::{CanonicalName, CertificateError, TrustError, TrustStore, name};
use crate::pki::signature::verify_signature;

/// A CRL of the CSCA lists the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Revoked;

/// A CRL as held by the store.
#[derive(Debug, Clone)]
pub struct RevocationList {
    /// Issuer name, DER.
    issuer_raw: Vec<u8>,
    /// Issuer DN text (for display only; never compared).
    pub issuer: String,
    /// The issuer's canonical form: names re-encoded (PrintableString vs UTF8String) still
    /// match, by structure rather than by text.
    issuer_canonical: CanonicalName,
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

/// Where a CRL's TBSCertList and issuer Name are (byte ranges of their complete TLVs).
fn crl_part_ranges(der: &[u8]) -> Option<[std::ops::Range<usize>; 2]> {
    use crate::tlv::{Tag, Tlv};
    let range = |t: &Tlv<'_>| t.offset()..t.offset() + t.total_len();
    let list = Tlv::parse_exact(der, Tag::new(0x30)).ok()?;
    let tbs = list.children().next()?.ok()?;
    let fields: Vec<Tlv<'_>> = tbs.children().collect::<Result<_, _>>().ok()?;
    // version (optional INTEGER), signature, issuer, thisUpdate, ...
    let skip = usize::from(fields.first().is_some_and(|t| t.tag() == Tag::new(0x02)));
    Some([range(&tbs), range(fields.get(skip + 1)?)])
}

fn normalize_serial(serial: &[u8]) -> Vec<u8> {
    let start = serial.iter().position(|&b| b != 0).unwrap_or(serial.len());
    serial.get(start..).unwrap_or_default().to_vec()
}

impl TrustStore {
    /// Add a DER CRL; its signature is checked against the CSCAs already in the store
    /// (load CSCAs first).
    pub fn add_crl_der(&mut self, der: &[u8], source: &str) -> Result<(), TrustError> {
        let malformed = |e: CertificateError| TrustError::Malformed {
            what: format!("CRL from {source}: {e}"),
            offset: e.offset(),
        };
        let crl = <CertificateList>::from_der(der)
            .map_err(|e| malformed(CertificateError::from_der_error("CRL", &e)))?;
        let [tbs_range, issuer_range] = crl_part_ranges(der).ok_or_else(|| {
            malformed(CertificateError::Malformed {
                what: "CRL",
                offset: 0,
                reason: "TBSCertList fields not found".to_owned(),
            })
        })?;
        let issuer_raw = &der[issuer_range];
        let tbs = &der[tbs_range];
        let issuer_canonical = CanonicalName::of(&crl.tbs_cert_list.issuer);
        let algorithm = crl.signature_algorithm.owned_to_ref();
        // Checked with the CSCAs whose subject is the CRL's issuer, byte for byte.
        let signature_verified = self
            .anchors
            .iter()
            .filter(|a| a.certificate().subject_der() == issuer_raw)
            .filter_map(|a| a.certificate().spki())
            .any(|spki| {
                verify_signature(&spki, &algorithm, tbs, crl.signature.raw_bytes()).is_ok()
            });
        let revoked = crl
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .map(|r| normalize_serial(r.serial_number.as_bytes()))
            .collect();
        let instant = |t: x509_cert::time::Time| {
            OffsetDateTime::from_unix_timestamp(i64::try_from(t.to_unix_duration().as_secs()).ok()?)
                .ok()
        };
        self.crls.push(RevocationList {
            issuer_raw: issuer_raw.to_vec(),
            issuer: name::display(&crl.tbs_cert_list.issuer),
            issuer_canonical,
            this_update: instant(crl.tbs_cert_list.this_update),
            next_update: crl.tbs_cert_list.next_update.and_then(instant),
            revoked,
            signature_verified,
            source: source.to_owned(),
        });
        Ok(())
    }

    /// True when a CRL from `issuer` (Name, DER) lists `serial` (INTEGER contents).
    /// Issuer names match byte for byte or, re-encoded, by canonical form. Only the tests
    /// ask by issuer name; the chain check asks [`TrustStore::revocation_status`].
    #[cfg(test)]
    pub(crate) fn is_revoked(&self, issuer: &[u8], serial: &[u8]) -> bool {
        let serial = normalize_serial(serial);
        let canonical = CanonicalName::of_der(issuer);
        self.crls.iter().any(|crl| {
            (crl.issuer_raw == issuer || canonical.as_ref() == Some(&crl.issuer_canonical))
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
            .filter(|c| csca.has_subject(&c.issuer_raw, Some(&c.issuer_canonical)))
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
