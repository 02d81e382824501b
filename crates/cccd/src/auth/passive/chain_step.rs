//! The DSC -> CSCA step of passive authentication: [`crate::auth::chain::verify_chain`]
//! (issuer lookup, cached signature checks, validity at `at`, key usage, CRLs, link
//! certificates), mapped into the passive report.

use time::OffsetDateTime;

use super::ChainOutcome;
use crate::auth::chain::{self, verify_chain};
use crate::trust::TrustStore;

/// Check that `dsc_der` was issued by a CSCA in `store`, and both are valid at `at`.
pub(super) fn check_chain(dsc_der: &[u8], store: &TrustStore, at: OffsetDateTime) -> ChainOutcome {
    match verify_chain(dsc_der, store, at) {
        chain::ChainOutcome::Verified {
            csca_subject,
            country,
            links,
            revocation,
        } => ChainOutcome::Verified {
            csca_subject,
            country,
            links,
            revocation,
        },
        chain::ChainOutcome::NoAnchor { issuer } => ChainOutcome::NoAnchor { issuer },
        chain::ChainOutcome::Failed { reason } => ChainOutcome::Failed { reason },
    }
}
