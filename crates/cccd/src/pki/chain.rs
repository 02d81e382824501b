//! Document signer (DSC) -> CSCA chain validation against a [`TrustStore`].
//!
//! ICAO 9303-11 §5.1 / 9303-12: the DSC must be signed by a CSCA the verifier trusts, both
//! must be valid at the time of verification, and the DSC must not be revoked. A missing
//! CSCA is not a failure of the document: it is reported as [`ChainOutcome::NoAnchor`]
//! (`unverified: no CSCA for <issuer>`), because Vietnam's ID-card CSCA is not public.
//!
//! Certificate signature checks go through [`TrustStore::check_certificate_signature`],
//! which caches them by the pair of certificates; validity and revocation depend on `at`
//! and on the CRLs and are re-checked on every call.

use std::fmt;

use crate::oid::ObjectIdentifier;
use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;

use super::signature::SignatureError;
use crate::pki::{Anchor, TrustStore, to_datetime};

/// Longest chain of link certificates followed above the DSC's issuer.
pub const MAX_LINK_DEPTH: usize = 4;

/// Why a chain failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainFailure {
    /// The DSC does not parse as an X.509 certificate.
    DscUnparseable {
        /// Parser message.
        reason: String,
    },
    /// A CSCA with the right name or key identifier is held, but no such CSCA's key
    /// verifies the certificate's signature.
    SignatureInvalid {
        /// Subject of the certificate whose signature failed.
        certificate: String,
        /// Why (from the last candidate tried).
        error: SignatureError,
    },
    /// The DSC's validity ended before `at`.
    DscExpired {
        /// notAfter.
        not_after: OffsetDateTime,
    },
    /// The DSC's validity starts after `at`.
    DscNotYetValid {
        /// notBefore.
        not_before: OffsetDateTime,
    },
    /// The CSCA's validity ended before `at`.
    CscaExpired {
        /// CSCA subject.
        subject: String,
        /// notAfter.
        not_after: OffsetDateTime,
    },
    /// The CSCA's validity starts after `at`.
    CscaNotYetValid {
        /// CSCA subject.
        subject: String,
        /// notBefore.
        not_before: OffsetDateTime,
    },
    /// A CRL in the store lists the DSC.
    Revoked {
        /// DSC serial number, hex.
        serial: String,
    },
    /// The DSC's issuer name is not its CSCA's subject name (RFC 5280 §6.1.3 (a)(4)): the
    /// CSCA's CRLs, found by name, would not cover it.
    IssuerNameMismatch {
        /// The DSC's issuer name.
        issuer: String,
        /// The subject of the CSCA whose key verified it.
        csca: String,
    },
    /// The DSC's countryName differs from its CSCA's (ICAO 9303-12 §7.1: a CSCA signs only
    /// its own state's document signers).
    CountryMismatch {
        /// The DSC's country, if any.
        dsc: Option<String>,
        /// The CSCA's country, if any.
        csca: Option<String>,
    },
    /// A certificate carries a critical extension this verifier does not know (RFC 5280
    /// §4.2: it must then be rejected).
    UnknownCriticalExtension {
        /// Subject of the certificate.
        certificate: String,
        /// The extension's OID.
        oid: String,
    },
    /// A key usage extension forbids the use (DSC without digitalSignature, CSCA without
    /// keyCertSign).
    KeyUsage {
        /// Subject of the certificate.
        certificate: String,
        /// The usage that is missing.
        missing: &'static str,
    },
}

impl fmt::Display for ChainFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DscUnparseable { reason } => {
                write!(f, "document signer certificate does not parse: {reason}")
            }
            Self::SignatureInvalid { certificate, error } => {
                write!(
                    f,
                    "signature of {certificate} not verified by its CSCA: {error}"
                )
            }
            Self::DscExpired { not_after } => write!(
                f,
                "document signer certificate expired on {}",
                not_after.date()
            ),
            Self::DscNotYetValid { not_before } => {
                write!(
                    f,
                    "document signer certificate not valid before {}",
                    not_before.date()
                )
            }
            Self::CscaExpired { subject, not_after } => {
                write!(f, "CSCA {subject} expired on {}", not_after.date())
            }
            Self::CscaNotYetValid {
                subject,
                not_before,
            } => {
                write!(f, "CSCA {subject} not valid before {}", not_before.date())
            }
            Self::Revoked { serial } => {
                write!(f, "document signer certificate {serial} is revoked")
            }
            Self::KeyUsage {
                certificate,
                missing,
            } => write!(f, "{certificate} lacks key usage {missing}"),
            Self::IssuerNameMismatch { issuer, csca } => write!(
                f,
                "the document signer's issuer name ({issuer}) is not the subject of the CSCA \
                 whose key signed it ({csca})"
            ),
            Self::CountryMismatch { dsc, csca } => write!(
                f,
                "the document signer's country ({}) is not its CSCA's ({})",
                dsc.as_deref().unwrap_or("none"),
                csca.as_deref().unwrap_or("none")
            ),
            Self::UnknownCriticalExtension { certificate, oid } => {
                write!(f, "{certificate} has an unknown critical extension {oid}")
            }
        }
    }
}

/// The result of [`verify_chain`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChainOutcome {
    /// The DSC chains to a CSCA in the store and every check passed.
    Verified {
        /// Subject of the CSCA that signed the DSC.
        csca_subject: String,
        /// The CSCA's (and so the DSC's) countryName.
        country: Option<String>,
        /// Subjects above it reached through link certificates, nearest first (empty when
        /// the CSCA is self-signed or its issuer is not held).
        links: Vec<String>,
        /// What the CRLs of that CSCA say about the DSC.
        revocation: Revocation,
    },
    /// No CSCA in the store has the DSC issuer's name or key identifier. Not a failure:
    /// the chain is simply unverified.
    NoAnchor {
        /// The DSC's issuer name.
        issuer: String,
    },
    /// The chain is broken: wrong CSCA signature, expired or not yet valid certificate,
    /// key usage, revoked DSC ([`ChainFailure`]).
    Failed {
        /// Why.
        reason: ChainFailure,
    },
    /// Not checked: there was no document signer certificate to check. [`verify_chain`]
    /// never gives this; passive authentication does, when the SOD carries no DSC.
    Skipped {
        /// Why.
        reason: String,
    },
}

/// What the store's CRLs could say about a DSC whose chain verified.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Revocation {
    /// A current CRL of the verified CSCA does not list the DSC.
    NotRevoked {
        /// Where the CRL came from.
        source: String,
    },
    /// No CRL of the verified CSCA was given: revocation was not checked.
    NoCrl,
    /// The CSCA's newest CRL is past its nextUpdate (or states none): the DSC is not on it,
    /// but its status now is unknown.
    Stale {
        /// nextUpdate of the newest CRL, if stated.
        next_update: Option<OffsetDateTime>,
        /// Where the CRL came from.
        source: String,
    },
}

impl fmt::Display for Revocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotRevoked { source } => write!(f, "not revoked (CRL {source})"),
            Self::NoCrl => {
                f.write_str("revocation not checked: no CRL signed by this CSCA was given")
            }
            Self::Stale {
                next_update,
                source,
            } => match next_update {
                Some(t) => write!(
                    f,
                    "revocation status unknown: the CRL {source} expired on {}",
                    t.date()
                ),
                None => write!(
                    f,
                    "revocation status unknown: the CRL {source} states no nextUpdate"
                ),
            },
        }
    }
}

impl fmt::Display for ChainOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Verified {
                csca_subject,
                revocation,
                ..
            } => write!(f, "verified by CSCA {csca_subject}; {revocation}"),
            Self::NoAnchor { issuer } => write!(f, "unverified: no CSCA for {issuer}"),
            Self::Failed { reason } => write!(f, "failed: {reason}"),
            Self::Skipped { reason } => write!(f, "not checked: {reason}"),
        }
    }
}

fn failed(reason: ChainFailure) -> ChainOutcome {
    ChainOutcome::Failed { reason }
}

/// Check a validity window; `Err((not_before, not_after))` with the violated bound set.
fn validity_at(
    cert: &X509Certificate<'_>,
    at: OffsetDateTime,
) -> Result<(), (Option<OffsetDateTime>, Option<OffsetDateTime>)> {
    let not_before = to_datetime(cert.validity().not_before);
    let not_after = to_datetime(cert.validity().not_after);
    if not_before.is_some_and(|t| at < t) {
        return Err((not_before, None));
    }
    if not_after.is_none_or(|t| at > t) {
        return Err((None, not_after.or(Some(OffsetDateTime::UNIX_EPOCH))));
    }
    Ok(())
}

/// Whether a key usage extension is absent or grants the usage.
fn key_usage_allows(
    cert: &X509Certificate<'_>,
    usage: fn(&x509_parser::extensions::KeyUsage) -> bool,
) -> bool {
    match cert.key_usage() {
        Ok(Some(ext)) => usage(ext.value),
        Ok(None) => true,
        // A duplicated or unparseable extension does not grant anything.
        Err(_) => false,
    }
}

/// The candidate whose key verifies `der`; `Err` with the last error when candidates
/// exist but none verifies, `Ok(None)` when there is no candidate.
fn find_issuer<'s>(
    store: &'s TrustStore,
    der: &[u8],
    cert: &X509Certificate<'_>,
) -> Result<Option<&'s Anchor>, SignatureError> {
    let mut last_error = None;
    for candidate in store.issuer_candidates(cert) {
        if candidate.der() == der {
            continue;
        }
        match store.check_certificate_signature(der, candidate.der()) {
            Ok(()) => return Ok(Some(candidate)),
            Err(e) => last_error = Some(e),
        }
    }
    match last_error {
        Some(e) => Err(e),
        None => Ok(None),
    }
}

/// Extensions this verifier understands or that do not restrict the use of a DSC or CSCA
/// (RFC 5280 §4.2.1, ICAO 9303-12 §7.1.1); any other extension marked critical fails.
const KNOWN_EXTENSIONS: [ObjectIdentifier; 12] = [
    ObjectIdentifier::new_unwrap("2.5.29.14"), // subjectKeyIdentifier
    ObjectIdentifier::new_unwrap("2.5.29.15"), // keyUsage
    ObjectIdentifier::new_unwrap("2.5.29.16"), // privateKeyUsagePeriod
    ObjectIdentifier::new_unwrap("2.5.29.17"), // subjectAltName
    ObjectIdentifier::new_unwrap("2.5.29.18"), // issuerAltName
    ObjectIdentifier::new_unwrap("2.5.29.19"), // basicConstraints
    ObjectIdentifier::new_unwrap("2.5.29.31"), // cRLDistributionPoints
    ObjectIdentifier::new_unwrap("2.5.29.32"), // certificatePolicies
    ObjectIdentifier::new_unwrap("2.5.29.35"), // authorityKeyIdentifier
    ObjectIdentifier::new_unwrap("2.5.29.37"), // extKeyUsage
    ObjectIdentifier::new_unwrap("2.23.136.1.1.6.1"), // ICAO nameChange
    ObjectIdentifier::new_unwrap("2.23.136.1.1.6.2"), // ICAO documentTypeList
];

/// The first critical extension of `cert` that is not in [`KNOWN_EXTENSIONS`].
fn unknown_critical_extension(cert: &X509Certificate<'_>) -> Option<String> {
    cert.extensions()
        .iter()
        .filter(|e| e.critical)
        .find(|e| {
            crate::pki::signature::oid_of(&e.oid).is_none_or(|oid| !KNOWN_EXTENSIONS.contains(&oid))
        })
        .map(|e| e.oid.to_id_string())
}

/// The countryName of a name, upper-cased, if it has one.
pub(crate) fn country_of(name: &x509_parser::x509::X509Name<'_>) -> Option<String> {
    name.iter_country()
        .next()
        .and_then(|c| c.as_str().ok())
        .map(str::to_ascii_uppercase)
}

/// Validate a document signer certificate against the store at time `at`.
pub fn verify_chain(dsc_der: &[u8], store: &TrustStore, at: OffsetDateTime) -> ChainOutcome {
    let dsc = match X509Certificate::from_der(dsc_der) {
        Ok((_, cert)) => cert,
        Err(e) => {
            return failed(ChainFailure::DscUnparseable {
                reason: e.to_string(),
            });
        }
    };
    let csca = match find_issuer(store, dsc_der, &dsc) {
        Ok(Some(anchor)) => anchor,
        Ok(None) => {
            return ChainOutcome::NoAnchor {
                issuer: dsc.issuer().to_string(),
            };
        }
        Err(error) => {
            return failed(ChainFailure::SignatureInvalid {
                certificate: dsc.subject().to_string(),
                error,
            });
        }
    };
    let Some(csca_cert) = csca.parse() else {
        return failed(ChainFailure::DscUnparseable {
            reason: "CSCA in the store no longer parses".to_owned(),
        });
    };
    if let Err(reason) = check_pair(&dsc, &csca_cert, csca, at) {
        return failed(reason);
    }
    let Ok(revocation) = store.revocation_status(csca, dsc.raw_serial(), at) else {
        return failed(ChainFailure::Revoked {
            serial: dsc.raw_serial_as_string(),
        });
    };
    match follow_links(store, csca) {
        Ok(links) => ChainOutcome::Verified {
            csca_subject: csca.subject().to_owned(),
            country: country_of(csca_cert.subject()),
            links,
            revocation,
        },
        Err(reason) => failed(reason),
    }
}

/// Everything about a DSC and the CSCA whose key verified it, except revocation: names,
/// countries, validity at `at`, key usage, critical extensions.
fn check_pair(
    dsc: &X509Certificate<'_>,
    csca_cert: &X509Certificate<'_>,
    csca: &Anchor,
    at: OffsetDateTime,
) -> Result<(), ChainFailure> {
    if !crate::pki::distinguished_names_equal(dsc.issuer(), csca_cert.subject()) {
        return Err(ChainFailure::IssuerNameMismatch {
            issuer: dsc.issuer().to_string(),
            csca: csca.subject().to_owned(),
        });
    }
    let (dsc_country, csca_country) = (country_of(dsc.subject()), country_of(csca_cert.subject()));
    if dsc_country.is_none() || dsc_country != csca_country {
        return Err(ChainFailure::CountryMismatch {
            dsc: dsc_country,
            csca: csca_country,
        });
    }
    if let Err((not_before, not_after)) = validity_at(dsc, at) {
        return Err(match (not_before, not_after) {
            (Some(not_before), _) => ChainFailure::DscNotYetValid { not_before },
            (_, not_after) => ChainFailure::DscExpired {
                not_after: not_after.unwrap_or(OffsetDateTime::UNIX_EPOCH),
            },
        });
    }
    if let Err((not_before, not_after)) = validity_at(csca_cert, at) {
        let subject = csca.subject().to_owned();
        return Err(match (not_before, not_after) {
            (Some(not_before), _) => ChainFailure::CscaNotYetValid {
                subject,
                not_before,
            },
            (_, not_after) => ChainFailure::CscaExpired {
                subject,
                not_after: not_after.unwrap_or(OffsetDateTime::UNIX_EPOCH),
            },
        });
    }
    if !key_usage_allows(dsc, x509_parser::extensions::KeyUsage::digital_signature) {
        return Err(ChainFailure::KeyUsage {
            certificate: dsc.subject().to_string(),
            missing: "digitalSignature",
        });
    }
    if !key_usage_allows(csca_cert, x509_parser::extensions::KeyUsage::key_cert_sign) {
        return Err(ChainFailure::KeyUsage {
            certificate: csca.subject().to_owned(),
            missing: "keyCertSign",
        });
    }
    for (cert, subject) in [
        (dsc, dsc.subject().to_string()),
        (csca_cert, csca.subject().to_owned()),
    ] {
        if let Some(oid) = unknown_critical_extension(cert) {
            return Err(ChainFailure::UnknownCriticalExtension {
                certificate: subject,
                oid,
            });
        }
    }
    Ok(())
}

/// Above a CSCA that is a link certificate, check each issuer held in the store, up to
/// [`MAX_LINK_DEPTH`]. Stops at a self-signed CSCA or when the issuer is not held (the
/// store trusts every certificate it holds).
fn follow_links(store: &TrustStore, start: &Anchor) -> Result<Vec<String>, ChainFailure> {
    let mut links = Vec::new();
    let mut current = start;
    for _ in 0..MAX_LINK_DEPTH {
        if current.is_self_signed() {
            break;
        }
        let Some(cert) = current.parse() else { break };
        match find_issuer(store, current.der(), &cert) {
            Ok(Some(issuer)) => {
                links.push(issuer.subject().to_owned());
                current = issuer;
            }
            Ok(None) => break,
            Err(error) => {
                return Err(ChainFailure::SignatureInvalid {
                    certificate: current.subject().to_owned(),
                    error,
                });
            }
        }
    }
    Ok(links)
}
