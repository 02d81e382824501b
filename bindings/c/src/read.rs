//! Reading a card from a PC/SC reader into a document, and saving it as a dump.

use crate::args::{free_handle, optional_str, put_handle, required_ref, required_str, reset_out};
use crate::{CccdStatus, guarded};
use cccd::document::Document;
use cccd_bindings::{CardRequest, access_keys, read_card, save_document};
use std::ffi::c_char;
use std::path::Path;
use std::time::Duration;

/// The keys that open the chip: set exactly one of `can`, `qr`, `mrz` (a `can` may go with
/// an `mrz`); the others NULL.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct CccdCardKeys {
    /// The 6-digit CAN printed on the card.
    pub can: *const c_char,
    /// The text of the card's QR code (gives the ID number and date of birth).
    pub qr: *const c_char,
    /// The MRZ, lines separated by '\n' or '|'.
    pub mrz: *const c_char,
}

/// A card's files as read (opaque). Free it with `cccd_document_free`.
pub struct CccdDocument {
    pub(crate) document: Document,
}

/// Wait up to `wait_ms` for a card in `reader` (NULL: any reader), open it with `keys`, prove
/// the chip genuine and read the verification files (and the face, DG2, when `face`). On
/// success `*out` holds a document to free with `cccd_document_free`.
///
/// # Safety
/// `reader` NULL or a C string; `keys` NULL or a valid `CccdCardKeys` whose pointers are NULL
/// or C strings; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_read_card(
    reader: *const c_char,
    keys: *const CccdCardKeys,
    face: bool,
    wait_ms: u32,
    out: *mut *mut CccdDocument,
) -> CccdStatus {
    guarded(|| {
        // SAFETY: the caller guarantees `out` is NULL or writable.
        unsafe { reset_out(out, "out") }?;
        // SAFETY: the caller guarantees `keys` is NULL or valid.
        let keys = unsafe { required_ref(keys, "keys") }?;
        // SAFETY: the caller guarantees `reader` is NULL or a valid C string.
        let reader = unsafe { optional_str(reader, "reader") }?;
        // SAFETY: the caller guarantees each key is NULL or a valid C string.
        let can = unsafe { optional_str(keys.can, "keys.can") }?;
        // SAFETY: as above.
        let qr = unsafe { optional_str(keys.qr, "keys.qr") }?;
        // SAFETY: as above.
        let mrz = unsafe { optional_str(keys.mrz, "keys.mrz") }?;
        let today = time::OffsetDateTime::now_utc().date();
        let request = CardRequest {
            reader: reader.map(str::to_owned),
            keys: access_keys(can, qr, mrz, today)?,
            face,
            wait: Duration::from_millis(u64::from(wait_ms)),
        };
        let document = read_card(&request, &mut |_| {})?;
        // SAFETY: `out` was checked non-NULL above and is writable.
        unsafe { put_handle(out, CccdDocument { document }) };
        Ok(())
    })
}

/// Save a document as a dump folder `dir` (which must not exist): written to a temporary
/// folder and renamed into place, files 0600 in a 0700 folder.
///
/// # Safety
/// `document` NULL or a live handle; `dir` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_document_save(
    document: *const CccdDocument,
    dir: *const c_char,
) -> CccdStatus {
    guarded(|| {
        // SAFETY: the caller guarantees NULL or a live handle.
        let doc = unsafe { required_ref(document, "document") }?;
        // SAFETY: the caller guarantees NULL or a C string.
        let dir = unsafe { required_str(dir, "dir") }?;
        save_document(&doc.document, Path::new(dir))?;
        Ok(())
    })
}

/// Free a document (NULL: nothing happens).
///
/// # Safety
/// `document` is NULL or a live document handle, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cccd_document_free(document: *mut CccdDocument) {
    // SAFETY: the caller's contract.
    unsafe { free_handle(document) };
}
