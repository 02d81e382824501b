//! Verifying a dump (a folder, files in memory, or a document just read) into a report.

use crate::args::{
    bytes, free_handle, optional_ref, optional_str, put_handle, required_ref, required_str,
    reset_out,
};
use crate::read::CccdDocument;
use crate::trust::CccdTrust;
use crate::{CccdStatus, CccdVerdict, Failure, guarded};
use cccd::document::Document;
use cccd::verify::{Report, Verdict};
use cccd_bindings::{VerifyRequest, parse_challenge};
use std::ffi::{CString, c_char};
use std::path::Path;

/// How to verify. Pass NULL for the defaults (now, no challenge, no claims); zeroed fields
/// and NULL pointers are the defaults too.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct CccdVerifyOptions {
    /// Verify as of this time (seconds since 1970-01-01 UTC); 0: now.
    pub at_unix_seconds: i64,
    /// The active-authentication challenge this verifier issued to the device that made the
    /// dump: 8 bytes, or NULL.
    pub aa_challenge: *const u8,
    /// Accept the chip authentication recorded in the dump's card.json (only for dumps made
    /// by readers you control: card.json is unsigned).
    pub trust_recorded_chip_auth: bool,
    /// Compare claimed names ignoring diacritics.
    pub ignore_diacritics: bool,
    /// The text of the card's QR code to compare with the chip, or NULL.
    pub qr: *const c_char,
    /// The claimed 12-digit ID number, or NULL.
    pub claimed_id_number: *const c_char,
    /// The claimed full name, or NULL.
    pub claimed_name: *const c_char,
    /// The claimed date of birth (YYYY-MM-DD), or NULL.
    pub claimed_date_of_birth: *const c_char,
}

/// One file of a dump held in memory.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct CccdFile {
    /// Its name as in a dump folder ("EF.SOD", "DG1", "SOD.bin", "card.json", ...).
    pub name: *const c_char,
    /// Its bytes (may be NULL when `len` is 0).
    pub data: *const u8,
    /// Its length.
    pub len: usize,
}

/// A verification report (opaque). Free it with `cccd_report_free`.
pub struct CccdReport {
    report: Report,
}

/// Turn the caller's options into a request.
///
/// # Safety
/// `options` is NULL or points to a valid `CccdVerifyOptions` whose pointers are NULL or
/// valid (8 bytes for `aa_challenge`, C strings for the rest).
unsafe fn request(options: *const CccdVerifyOptions) -> Result<VerifyRequest, Failure> {
    // SAFETY: the caller's contract.
    let Some(o) = (unsafe { optional_ref(options) }) else {
        return Ok(VerifyRequest::default());
    };
    let at = match o.at_unix_seconds {
        0 => None,
        s => Some(
            time::OffsetDateTime::from_unix_timestamp(s)
                .map_err(|_| Failure::bad_input(format!("at_unix_seconds: {s} is out of range")))?,
        ),
    };
    let aa_challenge = if o.aa_challenge.is_null() {
        None
    } else {
        // SAFETY: the caller guarantees 8 readable bytes at a non-NULL aa_challenge.
        let raw = unsafe { bytes(o.aa_challenge, 8, "aa_challenge") }?;
        Some(parse_challenge(&cccd::hex::encode(raw))?)
    };
    // SAFETY (each call below): the caller guarantees each pointer is NULL or a C string.
    let text = |p: *const c_char, name: &str| -> Result<Option<String>, Failure> {
        // SAFETY: see above.
        Ok(unsafe { optional_str(p, name) }?.map(str::to_owned))
    };
    Ok(VerifyRequest {
        at,
        aa_challenge,
        trust_recorded_chip_auth: o.trust_recorded_chip_auth,
        ignore_diacritics: o.ignore_diacritics,
        qr: text(o.qr, "qr")?,
        id_number: text(o.claimed_id_number, "claimed_id_number")?,
        full_name: text(o.claimed_name, "claimed_name")?,
        date_of_birth: text(o.claimed_date_of_birth, "claimed_date_of_birth")?,
        ..VerifyRequest::default()
    })
}

/// The shared tail of the verify functions: check the arguments, load the document with
/// `load`, verify, hand out the report.
///
/// # Safety
/// `trust` NULL or a live handle; `options` as in [`request`]; `out` NULL or writable.
unsafe fn verify_with(
    trust: *const CccdTrust,
    options: *const CccdVerifyOptions,
    out: *mut *mut CccdReport,
    load: impl FnOnce() -> Result<Document, Failure>,
) -> CccdStatus {
    guarded(|| {
        // SAFETY: the caller guarantees `out` is NULL or writable.
        unsafe { reset_out(out, "out") }?;
        // SAFETY: the caller guarantees `trust` is NULL or a live handle.
        let trust = unsafe { required_ref(trust, "trust") }?;
        // SAFETY: the caller's contract for `options`.
        let request = unsafe { request(options) }?;
        let doc = load()?;
        let report = request.run(&doc, &trust.store)?;
        // SAFETY: `out` was checked non-NULL above and is writable.
        unsafe { put_handle(out, CccdReport { report }) };
        Ok(())
    })
}

/// Verify the dump folder `path` (as `cccd read` writes it). On success `*out` holds a report
/// to free with `cccd_report_free`; on failure `*out` is NULL.
///
/// # Safety
/// `trust` is NULL or a live trust handle; `path` NULL or a C string; `options` NULL or a
/// valid `CccdVerifyOptions`; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_verify_dir(
    trust: *const CccdTrust,
    path: *const c_char,
    options: *const CccdVerifyOptions,
    out: *mut *mut CccdReport,
) -> CccdStatus {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        verify_with(trust, options, out, || {
            // SAFETY: the caller guarantees `path` is NULL or a C string.
            let path = required_str(path, "path")?;
            Ok(Document::load(Path::new(path)).map_err(cccd_bindings::Error::from)?)
        })
    }
}

/// Verify a dump held in memory: `count` files (an upload's parts). Names map as in a dump
/// folder; unknown names are ignored; the loader's size limits apply.
///
/// # Safety
/// `files` is NULL (only with `count` 0) or points to `count` valid `CccdFile`s; the rest as
/// `cccd_verify_dir`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_verify_files(
    trust: *const CccdTrust,
    files: *const CccdFile,
    count: usize,
    options: *const CccdVerifyOptions,
    out: *mut *mut CccdReport,
) -> CccdStatus {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        verify_with(trust, options, out, || {
            if files.is_null() && count > 0 {
                return Err(Failure::null("files"));
            }
            let list: &[CccdFile] = if count == 0 {
                &[]
            } else {
                // SAFETY: non-NULL, and the caller guarantees `count` valid entries.
                std::slice::from_raw_parts(files, count)
            };
            let mut named = Vec::with_capacity(list.len());
            for (i, f) in list.iter().enumerate() {
                // SAFETY: the caller guarantees each entry's pointers are valid.
                let name = required_str(f.name, &format!("files[{i}].name"))?;
                // SAFETY: as above, `len` readable bytes at `data`.
                let data = bytes(f.data, f.len, &format!("files[{i}].data"))?;
                named.push((name, data));
            }
            Ok(Document::from_files(named).map_err(cccd_bindings::Error::from)?)
        })
    }
}

/// Verify a document from `cccd_read_card` (read here: its chip authentication counts).
///
/// # Safety
/// `document` is NULL or a live document handle; the rest as `cccd_verify_dir`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_verify_document(
    trust: *const CccdTrust,
    document: *const CccdDocument,
    options: *const CccdVerifyOptions,
    out: *mut *mut CccdReport,
) -> CccdStatus {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        verify_with(trust, options, out, || {
            // SAFETY: the caller guarantees `document` is NULL or a live handle.
            let doc = required_ref(document, "document")?;
            Ok(doc.document.clone())
        })
    }
}

/// The verdict of a report; `CCCD_VERDICT_INVALID` for NULL.
///
/// # Safety
/// `report` is NULL or a live report handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_report_verdict(report: *const CccdReport) -> CccdVerdict {
    // SAFETY: the caller guarantees NULL or a live handle.
    match unsafe { optional_ref(report) }.map(|r| r.report.verdict) {
        Some(Verdict::Verified) => CccdVerdict::Verified,
        Some(Verdict::NotVerified) => CccdVerdict::NotVerified,
        Some(Verdict::Inconclusive) => CccdVerdict::Inconclusive,
        None => CccdVerdict::Invalid,
    }
}

/// The report as JSON (the library's report serialization: verdict, provenance, unproven,
/// checks), a new string to free with `cccd_string_free`; NULL on failure (see
/// `cccd_last_error`).
///
/// # Safety
/// `report` is NULL or a live report handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_report_json(report: *const CccdReport) -> *mut c_char {
    let mut json = std::ptr::null_mut();
    let _ = guarded(|| {
        // SAFETY: the caller guarantees NULL or a live handle.
        let report = unsafe { required_ref(report, "report") }?;
        let text = serde_json::to_string(&report.report)
            .map_err(|e| Failure::bad_input(format!("report to JSON: {e}")))?;
        // serde_json escapes NUL as \u0000, so the text never holds one.
        let c = CString::new(text).map_err(|_| Failure::bad_input("report JSON holds NUL"))?;
        json = c.into_raw();
        Ok(())
    });
    json
}

/// Free a report (NULL: nothing happens).
///
/// # Safety
/// `report` is NULL or a live report handle, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_report_free(report: *mut CccdReport) {
    // SAFETY: the caller's contract.
    unsafe { free_handle(report) };
}

/// Free a string this library returned (NULL: nothing happens).
///
/// # Safety
/// `text` is NULL or a string from `cccd_report_json`, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_string_free(text: *mut c_char) {
    if !text.is_null() {
        // SAFETY: the string came from CString::into_raw in this library and is freed once.
        drop(unsafe { CString::from_raw(text) });
    }
}
