//! Trust stores: the CSCA certificates, CRLs and master lists a verification anchors to.

use crate::args::{free_handle, required_str};
use crate::{CccdStatus, Failure, guarded};
use cccd::pki::TrustStore;
use cccd_bindings::{TrustKind, add_trust_path};
use std::ffi::c_char;
use std::path::Path;

/// A trust store (opaque). Load it, then share it: verifications on several threads may use
/// one store at once, but do not add to it while a verification runs.
pub struct CccdTrust {
    pub(crate) store: TrustStore,
}

/// A new, empty trust store. Free it with `cccd_trust_free`. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn cccd_trust_new() -> *mut CccdTrust {
    Box::into_raw(Box::new(CccdTrust {
        store: TrustStore::new(),
    }))
}

/// Free a trust store (NULL: nothing happens).
///
/// # Safety
/// `trust` is NULL or a handle from `cccd_trust_new`, not freed before and not in use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_trust_free(trust: *mut CccdTrust) {
    // SAFETY: the caller's contract: NULL or a live handle from cccd_trust_new.
    unsafe { free_handle(trust) };
}

/// Load trust material of one kind from a file or folder into `trust`.
///
/// # Safety
/// `trust` is NULL or a live handle not used by another thread during the call; `path` is
/// NULL or a NUL-terminated string.
unsafe fn add(trust: *mut CccdTrust, path: *const c_char, kind: TrustKind) -> CccdStatus {
    guarded(|| {
        // SAFETY: the caller guarantees `trust` is NULL or a live handle used only here.
        let trust = unsafe { trust.as_mut() }.ok_or_else(|| Failure::null("trust"))?;
        // SAFETY: the caller guarantees `path` is NULL or a valid C string.
        let path = unsafe { required_str(path, "path") }?;
        add_trust_path(&mut trust.store, kind, Path::new(path))?;
        Ok(())
    })
}

/// Add CSCA certificates (PEM, PEM bundle, DER, or a folder of them). A file that holds no CA
/// certificate is `CCCD_STATUS_BAD_INPUT`.
///
/// # Safety
/// `trust` is NULL or a live handle not used by another thread during the call; `path` is
/// NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_trust_add_csca(
    trust: *mut CccdTrust,
    path: *const c_char,
) -> CccdStatus {
    // SAFETY: same contract as `add`.
    unsafe { add(trust, path, TrustKind::Csca) }
}

/// Add CRLs (PEM or DER, or a folder of them); load the CSCAs first.
///
/// # Safety
/// As `cccd_trust_add_csca`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_trust_add_crl(
    trust: *mut CccdTrust,
    path: *const c_char,
) -> CccdStatus {
    // SAFETY: same contract as `add`.
    unsafe { add(trust, path, TrustKind::Crl) }
}

/// Add the CSCAs of one ICAO master list, whose CMS signature must verify.
///
/// # Safety
/// As `cccd_trust_add_csca`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_trust_add_masterlist(
    trust: *mut CccdTrust,
    path: *const c_char,
) -> CccdStatus {
    // SAFETY: same contract as `add`.
    unsafe { add(trust, path, TrustKind::MasterList) }
}
