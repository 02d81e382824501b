//! Document signer (DSC) -> CSCA chain validation against a [`TrustStore`].
//!
//! ICAO 9303-11 §5.1 / 9303-12: the DSC must be signed by a CSCA the verifier trusts, both
//! must be valid at the time of verification, and the DSC must not be revoked. A missing
//! CSCA is not a failure of the document: it is reported as [`ChainOutcome::NoAnchor`]
//! (`unverified: no CSCA for <issuer>`), because Vietnam's ID-card CSCA is not public.
//!
//! Certificate signature checks go through [`TrustStore::check_certificate_signature`],
//! which caches them by the pair of certificates. Everything that does not depend on `at`
//! (the CSCA found, names, countries, key usage, critical extensions, links) is worked out
//! once per DSC and kept with its prepared signer ([`super::prepared`]); validity and
//! revocation depend on `at` and on the CRLs and are re-checked on every call.

use std::fmt;

use crate::oid::ObjectIdentifier;
use time::OffsetDateTime;

use super::signature::SignatureError;
use crate::pki::{Anchor, ParsedCertificate, TrustStore, name};

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
    cert: &ParsedCertificate,
    at: OffsetDateTime,
) -> Result<(), (Option<OffsetDateTime>, Option<OffsetDateTime>)> {
    let not_before = cert.not_before();
    let not_after = cert.not_after();
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
    cert: &ParsedCertificate,
    usage: fn(&x509_cert::ext::pkix::KeyUsage) -> bool,
) -> bool {
    match cert.key_usage() {
        Ok(Some(ext)) => usage(&ext),
        Ok(None) => true,
        // A duplicated or unparseable extension does not grant anything.
        Err(()) => false,
    }
}

/// The candidate whose key verifies `der`; `Err` with the last error when candidates
/// exist but none verifies, `Ok(None)` when there is no candidate.
fn find_issuer<'s>(
    store: &'s TrustStore,
    cert: &ParsedCertificate,
) -> Result<Option<&'s Anchor>, SignatureError> {
    let mut last_error = None;
    for candidate in store.issuer_candidates(cert) {
        if candidate.der() == cert.der() {
            continue;
        }
        match store.check_certificate_signature(cert.der(), candidate.der()) {
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
fn unknown_critical_extension(cert: &ParsedCertificate) -> Option<String> {
    cert.extensions()
        .find(|(oid, critical)| *critical && !KNOWN_EXTENSIONS.contains(oid))
        .map(|(oid, _)| oid.to_string())
}

/// What a DSC's chain is apart from the verification time and the CRLs: worked out once per
/// DSC (see [`super::prepared`]) and finished by [`ChainFacts::at`] on every use.
#[derive(Debug, Clone)]
pub(crate) enum ChainFacts {
    /// Decided whatever the time: no CSCA, a signature that does not verify, a name or
    /// country that does not match.
    Decided(ChainOutcome),
    /// The CSCA (index in the store's anchors) whose key verified the DSC.
    Issued {
        csca: usize,
        /// A key usage or critical extension failure, reported after the validity checks
        /// (the order the checks have always been reported in).
        after_validity: Option<ChainFailure>,
        /// The link certificates above the CSCA, or why one failed.
        links: Result<Vec<String>, ChainFailure>,
    },
}

impl ChainFacts {
    /// Everything about `dsc`'s chain in `store` that does not depend on the time.
    pub(crate) fn of(dsc: &ParsedCertificate, store: &TrustStore) -> Self {
        let csca = match find_issuer(store, dsc) {
            Ok(Some(anchor)) => anchor,
            Ok(None) => {
                return Self::Decided(ChainOutcome::NoAnchor {
                    issuer: name::display(dsc.issuer()),
                });
            }
            Err(error) => {
                return Self::Decided(failed(ChainFailure::SignatureInvalid {
                    certificate: name::display(dsc.subject()),
                    error,
                }));
            }
        };
        if let Err(reason) = check_names(dsc, csca) {
            return Self::Decided(failed(reason));
        }
        let Some(index) = store.anchors.iter().position(|a| std::ptr::eq(a, csca)) else {
            return Self::Decided(failed(ChainFailure::DscUnparseable {
                reason: "CSCA no longer held by the store".to_owned(),
            }));
        };
        Self::Issued {
            csca: index,
            after_validity: check_usage(dsc, csca).err(),
            links: follow_links(store, csca),
        }
    }

    /// The outcome at `at`: validity of both certificates, then the deferred failure, then
    /// what the CRLs say, then the links.
    pub(crate) fn at(
        &self,
        dsc: &ParsedCertificate,
        store: &TrustStore,
        at: OffsetDateTime,
    ) -> ChainOutcome {
        let (csca, after_validity, links) = match self {
            Self::Decided(outcome) => return outcome.clone(),
            Self::Issued {
                csca,
                after_validity,
                links,
            } => (csca, after_validity, links),
        };
        let Some(csca) = store.anchors.get(*csca) else {
            return failed(ChainFailure::DscUnparseable {
                reason: "CSCA no longer held by the store".to_owned(),
            });
        };
        if let Err(reason) = check_validity(dsc, csca, at) {
            return failed(reason);
        }
        if let Some(reason) = after_validity {
            return failed(reason.clone());
        }
        let Ok(revocation) = store.revocation_status(csca, dsc.serial(), at) else {
            return failed(ChainFailure::Revoked {
                serial: dsc.serial_hex(),
            });
        };
        match links {
            Ok(links) => ChainOutcome::Verified {
                csca_subject: csca.subject().to_owned(),
                country: name::country(csca.certificate().subject()),
                links: links.clone(),
                revocation,
            },
            Err(reason) => failed(reason.clone()),
        }
    }
}

/// Validate a document signer certificate against the store at time `at`. This parses the
/// DSC on every call; passive authentication uses the DSC's prepared signer instead
/// ([`super::PreparedSigner::chain_at`]), which parses it and runs the time-independent
/// checks once.
pub fn verify_chain(dsc_der: &[u8], store: &TrustStore, at: OffsetDateTime) -> ChainOutcome {
    match ParsedCertificate::from_der(dsc_der) {
        Ok(dsc) => ChainFacts::of(&dsc, store).at(&dsc, store, at),
        Err(e) => failed(ChainFailure::DscUnparseable {
            reason: e.to_string(),
        }),
    }
}

/// The DSC's issuer name is its CSCA's subject, and both name the same country.
fn check_names(dsc: &ParsedCertificate, csca: &Anchor) -> Result<(), ChainFailure> {
    let csca_cert = csca.certificate();
    if !crate::pki::distinguished_names_equal(&dsc.issuer_name(), &csca_cert.subject_name()) {
        return Err(ChainFailure::IssuerNameMismatch {
            issuer: name::display(dsc.issuer()),
            csca: csca.subject().to_owned(),
        });
    }
    let (dsc_country, csca_country) = (
        name::country(dsc.subject()),
        name::country(csca_cert.subject()),
    );
    if dsc_country.is_none() || dsc_country != csca_country {
        return Err(ChainFailure::CountryMismatch {
            dsc: dsc_country,
            csca: csca_country,
        });
    }
    Ok(())
}

/// Both certificates are valid at `at`.
fn check_validity(
    dsc: &ParsedCertificate,
    csca: &Anchor,
    at: OffsetDateTime,
) -> Result<(), ChainFailure> {
    if let Err((not_before, not_after)) = validity_at(dsc, at) {
        return Err(match (not_before, not_after) {
            (Some(not_before), _) => ChainFailure::DscNotYetValid { not_before },
            (_, not_after) => ChainFailure::DscExpired {
                not_after: not_after.unwrap_or(OffsetDateTime::UNIX_EPOCH),
            },
        });
    }
    if let Err((not_before, not_after)) = validity_at(csca.certificate(), at) {
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
    Ok(())
}

/// Key usage of both certificates, and no unknown critical extension in either.
fn check_usage(dsc: &ParsedCertificate, csca: &Anchor) -> Result<(), ChainFailure> {
    let csca_cert = csca.certificate();
    if !key_usage_allows(dsc, x509_cert::ext::pkix::KeyUsage::digital_signature) {
        return Err(ChainFailure::KeyUsage {
            certificate: name::display(dsc.subject()),
            missing: "digitalSignature",
        });
    }
    if !key_usage_allows(csca_cert, x509_cert::ext::pkix::KeyUsage::key_cert_sign) {
        return Err(ChainFailure::KeyUsage {
            certificate: csca.subject().to_owned(),
            missing: "keyCertSign",
        });
    }
    for (cert, subject) in [
        (dsc, name::display(dsc.subject())),
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
        match find_issuer(store, current.certificate()) {
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
