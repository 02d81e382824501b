//! The Python module `cccd._cccd` (re-exported by the package `cccd`): trust stores,
//! verification of dumps (folders or bytes in memory), reading a card over PC/SC, the card's
//! QR. The GIL is released while verifying, reading, loading and decoding, so a thread pool
//! verifies on every core.
//!
//! Errors are Python exceptions, one per kind the library distinguishes (module `errors`).

mod convert;
mod document;
mod errors;
mod report;
mod trust;

use pyo3::prelude::*;

/// Verify a card: its files (a `Document`, a dict of file name to bytes, or the path of a
/// dump folder) against `trust`, with optional claims, QR text, AA challenge, time and
/// policy. Returns a `Report`; raises `BadInput` for input that is not what it must be.
#[pyfunction]
#[pyo3(signature = (files, trust, *, claims=None, qr=None, aa_challenge=None, at=None, policy=None, ignore_diacritics=false))]
#[allow(clippy::too_many_arguments)]
fn verify(
    py: Python<'_>,
    files: &Bound<'_, PyAny>,
    trust: &Bound<'_, trust::TrustStore>,
    claims: Option<&Bound<'_, pyo3::types::PyDict>>,
    qr: Option<String>,
    aa_challenge: Option<&Bound<'_, PyAny>>,
    at: Option<&Bound<'_, PyAny>>,
    policy: Option<&Bound<'_, pyo3::types::PyDict>>,
    ignore_diacritics: bool,
) -> PyResult<report::Report> {
    let mut request = convert::request(claims, policy)?;
    request.qr = qr;
    request.ignore_diacritics = ignore_diacritics;
    request.aa_challenge = aa_challenge.map(convert::challenge).transpose()?;
    request.at = at.map(convert::time).transpose()?;
    let source = document::Source::of(files)?;
    let store = trust.get();
    py.detach(|| {
        let doc = source.into_document()?;
        let report = request.run(&doc, &store.read())?;
        let today = request
            .at
            .unwrap_or_else(time::OffsetDateTime::now_utc)
            .date();
        Ok(report::Report::new(
            report,
            cccd_bindings::Identity::of(&doc, today),
        ))
    })
    .map_err(errors::to_py)
}

/// Parse the text of a card's QR code into a dict (ID number, name, date of birth, sex,
/// address, issue date, ...). Raises `BadInput` when it is not a card's QR.
#[pyfunction]
fn parse_qr(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    let data = cccd_qr::parse(text)
        .map_err(|e| errors::to_py(cccd_bindings::Error::bad_input(format!("qr: {e}"))))?;
    convert::to_python(py, &data)
}

/// Find the QR codes in a picture (PNG or JPEG bytes); returns their texts (possibly none
/// that is a card's: pass each to `parse_qr`). Raises `BadInput` for an unreadable picture.
#[pyfunction]
fn decode_qr_image(py: Python<'_>, image: &[u8]) -> PyResult<Vec<String>> {
    py.detach(|| cccd_qr::decode_image(image))
        .map_err(|e| errors::to_py(cccd_bindings::Error::bad_input(format!("image: {e}"))))
}

/// The module.
#[pymodule]
fn _cccd(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<trust::TrustStore>()?;
    m.add_class::<document::Document>()?;
    m.add_class::<report::Report>()?;
    m.add_class::<report::Check>()?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(document::read_card, m)?)?;
    m.add_function(wrap_pyfunction!(parse_qr, m)?)?;
    m.add_function(wrap_pyfunction!(decode_qr_image, m)?)?;
    errors::register(m)
}
