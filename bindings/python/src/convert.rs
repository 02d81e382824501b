//! Python values into the library's: claims, policy, AA challenge, time; serde values out.

use crate::errors::{self, bad_input};
use cccd_bindings::{VerifyRequest, parse_challenge, parse_date};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use time::OffsetDateTime;

/// Claims and policy from their dicts. Unknown keys are refused (a typo must not silently
/// drop a claim).
pub fn request(
    claims: Option<&Bound<'_, PyDict>>,
    policy: Option<&Bound<'_, PyDict>>,
) -> PyResult<VerifyRequest> {
    let mut request = VerifyRequest::default();
    for (key, value) in claims.into_iter().flat_map(PyDictMethods::iter) {
        let key: String = key.extract()?;
        let text = if value.is_none() {
            None
        } else if key == "date_of_birth" && !value.is_instance_of::<PyString>() {
            // A datetime.date: its ISO form.
            Some(value.call_method0("isoformat")?.extract::<String>()?)
        } else {
            Some(
                value
                    .extract::<String>()
                    .map_err(|_| bad_input(format!("claims['{key}'] must be a str")))?,
            )
        };
        match key.as_str() {
            "id_number" => request.id_number = text,
            "full_name" => request.full_name = text,
            "date_of_birth" => request.date_of_birth = text,
            "sex" => request.sex = text,
            other => {
                return Err(bad_input(format!(
                    "claims: unknown key '{other}' (id_number, full_name, date_of_birth, sex)"
                )));
            }
        }
    }
    for (key, value) in policy.into_iter().flat_map(PyDictMethods::iter) {
        let key: String = key.extract()?;
        let wrong = |what: &str| bad_input(format!("policy['{key}'] must be {what}"));
        match key.as_str() {
            "trust_recorded_chip_auth" => {
                request.trust_recorded_chip_auth = value.extract().map_err(|_| wrong("a bool"))?;
            }
            "require" => request.require = value.extract().map_err(|_| wrong("a list of str"))?,
            "waive" => request.waive = value.extract().map_err(|_| wrong("a list of str"))?,
            other => {
                return Err(bad_input(format!(
                    "policy: unknown key '{other}' (trust_recorded_chip_auth, require, waive)"
                )));
            }
        }
    }
    Ok(request)
}

/// An AA challenge: 8 bytes, or 16 hex digits.
pub fn challenge(value: &Bound<'_, PyAny>) -> PyResult<[u8; 8]> {
    let hex = if let Ok(b) = value.cast::<PyBytes>() {
        cccd::hex::encode(b.as_bytes())
    } else {
        value
            .extract::<String>()
            .map_err(|_| bad_input("aa_challenge must be 8 bytes or 16 hex digits"))?
    };
    parse_challenge(&hex).map_err(errors::to_py)
}

/// A verification time: `datetime.datetime` (its timestamp), `datetime.date` or
/// `"YYYY-MM-DD"` (midnight UTC).
pub fn time(value: &Bound<'_, PyAny>) -> PyResult<OffsetDateTime> {
    let date_text = if value.is_instance_of::<PyString>() {
        value.extract::<String>()?
    } else if value.hasattr("timestamp")? {
        let seconds: f64 = value.call_method0("timestamp")?.extract()?;
        #[allow(clippy::cast_possible_truncation)]
        let whole = seconds.floor() as i64;
        return OffsetDateTime::from_unix_timestamp(whole)
            .map_err(|_| bad_input(format!("at: {seconds} is out of range")));
    } else if value.hasattr("isoformat")? {
        value.call_method0("isoformat")?.extract::<String>()?
    } else {
        return Err(bad_input(
            "at must be a datetime.datetime, a datetime.date or 'YYYY-MM-DD'",
        ));
    };
    let date = parse_date(&date_text).map_err(errors::to_py)?;
    Ok(date.midnight().assume_utc())
}

/// A serde value as Python objects (through JSON: dicts, lists, str, int, bool, None).
pub fn to_python(py: Python<'_>, value: &impl serde::Serialize) -> PyResult<Py<PyAny>> {
    let text = serde_json::to_string(value).map_err(|e| bad_input(format!("serializing: {e}")))?;
    let json = py.import("json")?;
    Ok(json.call_method1("loads", (text,))?.unbind())
}
