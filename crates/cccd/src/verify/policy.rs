//! [`Policy`]: which checks a `verified` verdict requires, and what evidence counts.

use std::collections::BTreeSet;

use super::CheckId;
use crate::lds::DataGroup;

/// What a `verified` verdict requires.
///
/// Any check that fails makes the verdict `not_verified`, whatever the policy. A check the
/// policy requires that is not a pass (skipped, or only a warning) makes it `inconclusive`,
/// and the report lists it in [`super::Report::unproven`].
///
/// The default ([`Policy::default`]) requires data authenticity (signature, chain to a
/// trusted CSCA of the issuing state, strong algorithms, the DG1 hash and every other data
/// group read), **chip genuineness proven to this verifier**, and consistent MRZ check digits.
/// A chip-authentication result merely recorded in a dump's `card.json` does not count unless
/// [`Policy::trust_recorded_chip_auth`] is set.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Policy {
    /// Checks that must pass.
    pub required: BTreeSet<CheckId>,
    /// Every data group read must hash to the signed value (a pass, not a warning).
    pub every_data_group_hash: bool,
    /// Every claim made must be a plain match: a warning (e.g. a claimed ID number that the
    /// card's current number superseded) leaves the verdict `inconclusive`.
    pub every_claim: bool,
    /// Accept the chip-authentication outcome and the active-authentication answer that a
    /// dump's `card.json` records, for operators who trust the readers that made their dumps
    /// (their own kiosks). Off by default: a dump is unsigned and anyone can edit it.
    pub trust_recorded_chip_auth: bool,
}

/// The checks [`Policy::default`] requires.
pub const DEFAULT_REQUIRED: [CheckId; 7] = [
    CheckId::SodSignature,
    CheckId::SodChain,
    CheckId::SodAlgorithms,
    CheckId::IssuingState,
    CheckId::DgHash(DataGroup::Dg1),
    CheckId::ChipAuthentication,
    CheckId::MrzCheckDigits,
];

impl Default for Policy {
    fn default() -> Self {
        Self {
            required: DEFAULT_REQUIRED.into_iter().collect(),
            every_data_group_hash: true,
            every_claim: true,
            trust_recorded_chip_auth: false,
        }
    }
}

impl Policy {
    /// Also require `check` to pass.
    #[must_use]
    pub fn require(mut self, check: CheckId) -> Self {
        self.required.insert(check);
        self
    }

    /// No longer require `check` (it still makes the verdict `not_verified` if it fails).
    #[must_use]
    pub fn waive(mut self, check: CheckId) -> Self {
        self.required.remove(&check);
        self
    }

    /// Accept chip-authentication records from a dump's `card.json` (see the field).
    #[must_use]
    pub fn trusting_recorded_chip_auth(mut self, trust: bool) -> Self {
        self.trust_recorded_chip_auth = trust;
        self
    }

    /// Whether `check` must pass for `verified`.
    pub fn requires(&self, check: CheckId) -> bool {
        self.required.contains(&check)
            || (self.every_data_group_hash && matches!(check, CheckId::DgHash(_)))
            || (self.every_claim && check.is_claim())
    }
}
