//! Reading the caller's pointers: each helper checks for NULL and UTF-8 and names the
//! argument in its error.

use crate::Failure;
use std::ffi::{CStr, c_char};

/// A required string argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid and unchanged for `'a`.
pub(crate) unsafe fn required_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Failure> {
    // SAFETY: the caller's contract is this function's (NULL or a valid C string for 'a).
    unsafe { optional_str(ptr, name) }?.ok_or_else(|| Failure::null(name))
}

/// An optional string argument (NULL = absent).
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid and unchanged for `'a`.
pub(crate) unsafe fn optional_str<'a>(
    ptr: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL, and the caller guarantees a NUL-terminated string valid for 'a.
    let c = unsafe { CStr::from_ptr(ptr) };
    c.to_str()
        .map(Some)
        .map_err(|_| Failure::bad_input(format!("{name} is not UTF-8")))
}

/// A required reference argument.
///
/// # Safety
/// `ptr` is NULL or points to a valid, initialised `T` not mutated for `'a`.
pub(crate) unsafe fn required_ref<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Failure> {
    // SAFETY: the caller guarantees `ptr` is NULL or valid for reads for 'a; `as_ref`
    // handles NULL.
    unsafe { ptr.as_ref() }.ok_or_else(|| Failure::null(name))
}

/// An optional reference argument (NULL = absent).
///
/// # Safety
/// `ptr` is NULL or points to a valid, initialised `T` not mutated for `'a`.
pub(crate) unsafe fn optional_ref<'a, T>(ptr: *const T) -> Option<&'a T> {
    // SAFETY: the caller guarantees `ptr` is NULL or valid for reads for 'a.
    unsafe { ptr.as_ref() }
}

/// A required byte buffer of `len` bytes (`ptr` may be NULL only when `len` is 0).
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes that stay unchanged for `'a`.
pub(crate) unsafe fn bytes<'a>(
    ptr: *const u8,
    len: usize,
    name: &str,
) -> Result<&'a [u8], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::null(name));
    }
    if isize::try_from(len).is_err() {
        return Err(Failure::bad_input(format!(
            "{name}: length {len} is too large"
        )));
    }
    // SAFETY: non-NULL, `len` fits isize, and the caller guarantees `len` readable bytes
    // unchanged for 'a.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Store `value` as a new handle in `*out` (which the caller checked non-NULL).
///
/// # Safety
/// `out` is non-NULL and valid for a pointer-sized write.
pub(crate) unsafe fn put_handle<T>(out: *mut *mut T, value: T) {
    let handle = Box::into_raw(Box::new(value));
    // SAFETY: the caller checked `out` non-NULL and guarantees it is writable.
    unsafe { out.write(handle) };
}

/// Check an out-pointer and set it to NULL, so a failure leaves no stale handle.
///
/// # Safety
/// `out` is NULL or valid for a pointer-sized write.
pub(crate) unsafe fn reset_out<T>(out: *mut *mut T, name: &str) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::null(name));
    }
    // SAFETY: non-NULL, and the caller guarantees it is writable.
    unsafe { out.write(std::ptr::null_mut()) };
    Ok(())
}

/// Free a handle made by [`put_handle`].
///
/// # Safety
/// `ptr` is NULL or a pointer [`put_handle`] stored, not freed before.
pub(crate) unsafe fn free_handle<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: `ptr` came from Box::into_raw in put_handle and is freed once.
        drop(unsafe { Box::from_raw(ptr) });
    }
}
