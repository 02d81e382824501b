//! `Report` and `Check`: a verification's outcome.

use crate::convert;
use cccd_bindings::Identity;
use pyo3::prelude::*;

/// One check and its outcome.
#[pyclass(frozen, get_all, module = "cccd")]
pub struct Check {
    /// The stable dotted name (`sod.signature`, `dg.hash.DG1`, `claim.name`, ...).
    pub name: String,
    /// `pass`, `fail`, `skip` or `warn`.
    pub status: String,
    /// Why, in plain words (never the holder's data).
    pub reason: String,
}

#[pymethods]
impl Check {
    fn __repr__(&self) -> String {
        format!("Check({} {}: {})", self.status, self.name, self.reason)
    }
}

/// The outcome of `verify`: the verdict, every check, and the identity the chip states.
#[pyclass(frozen, module = "cccd")]
pub struct Report {
    report: cccd::verify::Report,
    identity: Identity,
}

impl Report {
    /// Wrap a library report.
    pub fn new(report: cccd::verify::Report, identity: Identity) -> Self {
        Self { report, identity }
    }
}

#[pymethods]
impl Report {
    /// `verified`, `not_verified` or `inconclusive` (the CLI's JSON strings).
    #[getter]
    fn verdict(&self) -> String {
        self.report.verdict.to_string()
    }

    /// `read_here` (read by this process) or `dump`.
    #[getter]
    fn provenance(&self) -> String {
        match self.report.provenance {
            cccd::document::Provenance::ReadHere => "read_here".into(),
            cccd::document::Provenance::Dump => "dump".into(),
        }
    }

    /// The checks the policy requires that did not pass (why a report is `inconclusive`).
    #[getter]
    fn unproven(&self) -> Vec<String> {
        self.report
            .unproven
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Every check, in the order run.
    #[getter]
    fn checks(&self) -> Vec<Check> {
        self.report
            .checks
            .iter()
            .map(|c| Check {
                name: c.id.to_string(),
                status: c.status.to_string(),
                reason: c.reason.clone(),
            })
            .collect()
    }

    /// The names of the failed checks.
    #[getter]
    fn failures(&self) -> Vec<String> {
        self.report
            .failures()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The check named `name`, or None.
    fn check(&self, name: &str) -> Option<Check> {
        self.report
            .checks
            .iter()
            .find(|c| c.id.to_string() == name)
            .map(|c| Check {
                name: c.id.to_string(),
                status: c.status.to_string(),
                reason: c.reason.clone(),
            })
    }

    /// What the chip says about the holder (DG13, else DG1): id_number, full_name,
    /// date_of_birth, sex, date_of_expiry, no_expiry, issuing_state, card_generation.
    #[getter]
    fn identity(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        convert::to_python(py, &self.identity)
    }

    /// The report as JSON: the library's serialization, the one the CLI's report uses.
    #[pyo3(signature = (indent=None))]
    fn to_json(&self, indent: Option<usize>) -> PyResult<String> {
        let text = match indent {
            None => serde_json::to_string(&self.report),
            Some(n) => {
                let pad = vec![b' '; n];
                let formatter = serde_json::ser::PrettyFormatter::with_indent(&pad);
                let mut out = Vec::new();
                let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
                serde::Serialize::serialize(&self.report, &mut ser)
                    .map(|()| String::from_utf8_lossy(&out).into_owned())
            }
        };
        text.map_err(|e| crate::errors::bad_input(format!("report to JSON: {e}")))
    }

    fn __repr__(&self) -> String {
        format!(
            "Report({}, {} checks, failures={:?}, unproven={:?})",
            self.report.verdict,
            self.report.checks.len(),
            self.failures(),
            self.unproven()
        )
    }
}
