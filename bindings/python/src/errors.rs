//! The exceptions: one per error kind of the library, all under `CccdError`.

use cccd_bindings::{Error, ErrorKind};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyOSError};
use pyo3::prelude::*;

create_exception!(
    cccd,
    CccdError,
    PyException,
    "Base class of every cccd error."
);
create_exception!(
    cccd,
    BadInput,
    CccdError,
    "An argument, file, dump, QR text or trust material is not what it must be."
);
create_exception!(
    cccd,
    AccessDenied,
    CccdError,
    "The chip refused every key given (a wrong CAN, MRZ or QR)."
);
create_exception!(
    cccd,
    CardRemoved,
    CccdError,
    "The card left the reader during the read; present it again and retry."
);
create_exception!(
    cccd,
    ReaderError,
    CccdError,
    "No reader, no card, the card in use by another program, or no smart-card service."
);
create_exception!(
    cccd,
    CardError,
    CccdError,
    "The chip answered in a way the protocol does not allow."
);
create_exception!(
    cccd,
    InternalError,
    CccdError,
    "A bug in cccd; please report it."
);

/// The exception for a library error (writing a dump fails with `OSError`).
pub fn to_py(e: Error) -> PyErr {
    let message = e.message;
    match e.kind {
        ErrorKind::BadInput => BadInput::new_err(message),
        ErrorKind::AccessDenied => AccessDenied::new_err(message),
        ErrorKind::CardRemoved => CardRemoved::new_err(message),
        ErrorKind::Reader => ReaderError::new_err(message),
        ErrorKind::Card => CardError::new_err(message),
        ErrorKind::Io => PyOSError::new_err(message),
        ErrorKind::Internal => InternalError::new_err(message),
    }
}

/// A `BadInput` with this message.
pub fn bad_input(message: impl Into<String>) -> PyErr {
    BadInput::new_err(message.into())
}

/// Add the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("CccdError", py.get_type::<CccdError>())?;
    m.add("BadInput", py.get_type::<BadInput>())?;
    m.add("AccessDenied", py.get_type::<AccessDenied>())?;
    m.add("CardRemoved", py.get_type::<CardRemoved>())?;
    m.add("ReaderError", py.get_type::<ReaderError>())?;
    m.add("CardError", py.get_type::<CardError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    Ok(())
}
