//! How a session opens: which access-control downgrade it accepts and which genuineness proofs
//! run. Policy, kept apart from the passwords ([`super::AccessKeys`]) it applies to.

use super::ChipAuthOptions;

/// Whether BAC may follow a failed PACE on a chip that offers PACE.
///
/// A chip that advertises PACE but is opened with BAC has been downgraded: by a chip that
/// refuses PACE (seen in the field) or by someone disturbing the radio link. Kiosks whose
/// cards all do PACE can refuse it. A chip that does not offer PACE opens with BAC either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BacFallback {
    /// Try BAC with the MRZ keys after PACE failed (the default: some chips refuse PACE).
    #[default]
    Allowed,
    /// Fail with [`super::SessionError::AccessDenied`] when PACE failed on a chip offering it.
    Refused,
}

/// How [`super::Session::open_with`] opens a card.
///
/// ```
/// use cccd::session::{BacFallback, OpenOptions};
///
/// let kiosk = OpenOptions::default().bac_fallback(BacFallback::Refused);
/// assert_eq!(kiosk.bac_fallback, BacFallback::Refused);
/// assert!(kiosk.chip_auth.is_some(), "genuineness proofs run by default");
/// assert!(OpenOptions::access_only().chip_auth.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct OpenOptions {
    /// Whether BAC may follow a failed PACE; also applies when the session authenticates
    /// again ([`super::Session::reconnect`]).
    pub bac_fallback: BacFallback,
    /// The genuineness proofs to run after access control; `None` runs none.
    pub chip_auth: Option<ChipAuthOptions>,
}

impl Default for OpenOptions {
    /// BAC fallback allowed; chip authentication, else active authentication.
    fn default() -> Self {
        Self {
            bac_fallback: BacFallback::Allowed,
            chip_auth: Some(ChipAuthOptions::default()),
        }
    }
}

impl OpenOptions {
    /// Access control only: no chip or active authentication.
    pub fn access_only() -> Self {
        Self {
            chip_auth: None,
            ..Self::default()
        }
    }

    /// Set the BAC fallback policy.
    #[must_use]
    pub fn bac_fallback(mut self, policy: BacFallback) -> Self {
        self.bac_fallback = policy;
        self
    }

    /// Choose the genuineness proofs (`None`: none).
    #[must_use]
    pub fn chip_auth(mut self, options: Option<ChipAuthOptions>) -> Self {
        self.chip_auth = options;
        self
    }
}
