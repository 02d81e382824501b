//! The DSC -> CSCA step of passive authentication.
//!
//! Uses the trust store's issuer lookup and its cached certificate signature checks, then the
//! validity periods of both certificates at the time asked, and the store's CRLs.

use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};

use super::ChainOutcome;
use crate::trust::{TrustStore, to_datetime};

fn validity_problem(cert: &X509Certificate<'_>, at: OffsetDateTime, what: &str) -> Option<String> {
    let v = cert.validity();
    let (Some(not_before), Some(not_after)) = (to_datetime(v.not_before), to_datetime(v.not_after))
    else {
        return Some(format!("the {what} validity dates are out of range"));
    };
    if at < not_before {
        Some(format!("the {what} is not valid before {}", v.not_before))
    } else if at > not_after {
        Some(format!("the {what} expired on {}", v.not_after))
    } else {
        None
    }
}

/// Check that `dsc_der` was issued by a CSCA in `store`, and both are valid at `at`.
pub(super) fn check_chain(dsc_der: &[u8], store: &TrustStore, at: OffsetDateTime) -> ChainOutcome {
    let failed = |reason: String| ChainOutcome::Failed { reason };
    let Ok((_, dsc)) = X509Certificate::from_der(dsc_der) else {
        return failed("the document signer certificate does not parse".to_owned());
    };
    let candidates = store.issuer_candidates(&dsc);
    if candidates.is_empty() {
        return ChainOutcome::NoAnchor {
            issuer: dsc.issuer().to_string(),
        };
    }
    let mut last_error = None;
    let mut issuer = None;
    for candidate in candidates {
        match store.check_certificate_signature(dsc_der, candidate.der()) {
            Ok(()) => {
                issuer = Some(candidate);
                break;
            }
            Err(e) => last_error = Some(e),
        }
    }
    let Some(csca) = issuer else {
        let why = last_error.map_or_else(String::new, |e| format!(": {e}"));
        return failed(format!(
            "the document signer certificate's signature does not verify with any CSCA named {} \
             in the trust store{why}",
            dsc.issuer()
        ));
    };
    if let Some(problem) = validity_problem(&dsc, at, "document signer certificate") {
        return failed(problem);
    }
    if let Some(csca_cert) = csca.parse()
        && let Some(problem) = validity_problem(&csca_cert, at, "CSCA certificate")
    {
        return failed(problem);
    }
    if store.is_revoked(dsc.issuer().as_raw(), dsc.tbs_certificate.raw_serial()) {
        return failed("the document signer certificate is revoked by its CSCA's CRL".to_owned());
    }
    ChainOutcome::Verified {
        csca_subject: csca.subject().to_owned(),
    }
}
