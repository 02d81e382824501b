//! `Document` (a card's files) and `read_card` (from a PC/SC reader).

// PyO3 extracts Python arguments into owned values (`String`, `PathBuf`): with abi3 before
// Python 3.10 a `&str` cannot be borrowed from a Python string.
#![allow(clippy::needless_pass_by_value)]

use crate::errors;
use cccd_bindings::{CardRequest, Error, access_keys, save_document};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use std::path::PathBuf;
use std::time::Duration;

/// A card's files as read: from `read_card`, `Document.load(path)` or
/// `Document.from_files(dict)`. File contents are personal data.
#[pyclass(frozen, module = "cccd")]
pub struct Document {
    pub(crate) doc: cccd::document::Document,
}

/// What `verify` was given, copied out of Python objects so the GIL can be released.
pub enum Source {
    /// A document already built.
    Ready(Box<cccd::document::Document>),
    /// Files by name.
    Files(Vec<(String, Vec<u8>)>),
    /// A dump folder.
    Folder(PathBuf),
}

impl Source {
    /// Copy `files` (a `Document`, a dict of name to bytes, or a path).
    pub fn of(files: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(d) = files.cast::<Document>() {
            return Ok(Self::Ready(Box::new(d.get().doc.clone())));
        }
        if let Ok(dict) = files.cast::<PyDict>() {
            return files_of(dict).map(Self::Files);
        }
        if let Ok(path) = files.extract::<PathBuf>() {
            return Ok(Self::Folder(path));
        }
        Err(errors::bad_input(
            "files must be a Document, a dict of file name to bytes, or a dump folder path",
        ))
    }

    /// The document (loading or mapping the files: no GIL needed).
    pub fn into_document(self) -> Result<cccd::document::Document, Error> {
        Ok(match self {
            Self::Ready(doc) => *doc,
            Self::Files(files) => cccd::document::Document::from_files(files)?,
            Self::Folder(path) => cccd::document::Document::load(path)?,
        })
    }
}

fn files_of(dict: &Bound<'_, PyDict>) -> PyResult<Vec<(String, Vec<u8>)>> {
    dict.iter()
        .map(|(name, bytes)| {
            let name: String = name
                .extract()
                .map_err(|_| errors::bad_input("a file name is not a str"))?;
            let bytes = bytes
                .cast::<PyBytes>()
                .map_err(|_| errors::bad_input(format!("files['{name}'] is not bytes")))?
                .as_bytes()
                .to_vec();
            Ok((name, bytes))
        })
        .collect()
}

#[pymethods]
impl Document {
    /// Load a dump folder (`cccd read -o` output, or `SOD.bin`/`DG1.bin`-style names).
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let doc = py
            .detach(|| cccd::document::Document::load(&path).map_err(Error::from))
            .map_err(errors::to_py)?;
        Ok(Self { doc })
    }

    /// Build a document from file names and bytes (an upload); the folder loader's rules and
    /// size limits apply.
    #[staticmethod]
    fn from_files(py: Python<'_>, files: &Bound<'_, PyDict>) -> PyResult<Self> {
        let files = files_of(files)?;
        let doc = py
            .detach(|| cccd::document::Document::from_files(files).map_err(Error::from))
            .map_err(errors::to_py)?;
        Ok(Self { doc })
    }

    /// Write the dump to the folder `path`, which must not exist: into a temporary folder
    /// first, renamed into place when complete; files 0600 in a 0700 folder. Raises
    /// `OSError` when the folder exists or a write fails.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        py.detach(|| save_document(&self.doc, &path))
            .map_err(errors::to_py)
    }

    /// The files, by canonical name (`EF.COM`, `EF.SOD`, `DG1`, ...).
    #[getter]
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (id, bytes) in self.doc.files() {
            out.set_item(id.to_string(), PyBytes::new(py, bytes))?;
        }
        Ok(out)
    }

    /// `read_here` for a card this process read, `dump` for files loaded.
    #[getter]
    fn provenance(&self) -> String {
        serde_name(&self.doc.provenance())
    }

    /// The access protocol that opened the chip (`pace_can`, `bac`, ...), if recorded.
    #[getter]
    fn access(&self) -> Option<String> {
        self.doc.meta.access.as_ref().map(serde_name)
    }

    /// The PC/SC reader the card was read in, if recorded.
    #[getter]
    fn reader(&self) -> Option<String> {
        self.doc.meta.reader.clone()
    }

    fn __len__(&self) -> usize {
        self.doc.files().count()
    }

    fn __repr__(&self) -> String {
        let names: Vec<String> = self.doc.files().map(|(id, _)| id.to_string()).collect();
        format!("Document({}, {})", self.provenance(), names.join(", "))
    }
}

/// The serde name of a unit enum variant.
fn serde_name(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

/// Read the card in a PC/SC reader: wait up to `wait` seconds for a card in `reader` (None:
/// the first reader with a card), open it with one key (`can`, `qr` text or `mrz`; a `can`
/// may go with an `mrz`), prove the chip genuine and read the verification files (and the
/// face when `face`). `progress(file, done, total)` is called after every read command.
/// Raises `AccessDenied`, `CardRemoved`, `ReaderError`, `CardError` or `BadInput`.
#[pyfunction]
#[pyo3(signature = (reader=None, *, can=None, qr=None, mrz=None, face=false, progress=None, wait=30.0))]
#[allow(clippy::too_many_arguments)]
pub fn read_card(
    py: Python<'_>,
    reader: Option<String>,
    can: Option<String>,
    qr: Option<String>,
    mrz: Option<String>,
    face: bool,
    progress: Option<Py<PyAny>>,
    wait: f64,
) -> PyResult<Document> {
    let wait = Duration::try_from_secs_f64(wait)
        .map_err(|_| errors::bad_input(format!("wait: {wait} is not a number of seconds")))?;
    let today = time::OffsetDateTime::now_utc().date();
    let keys =
        access_keys(can.as_deref(), qr.as_deref(), mrz.as_deref(), today).map_err(errors::to_py)?;
    let request = CardRequest {
        reader,
        keys,
        face,
        wait,
    };
    let mut callback_error: Option<PyErr> = None;
    let result = py.detach(|| {
        cccd_bindings::read_card(&request, &mut |p| {
            let Some(callback) = &progress else { return };
            if callback_error.is_some() {
                return;
            }
            Python::attach(|py| {
                if let Err(e) = callback.call1(py, (p.file.to_string(), p.done, p.total)) {
                    callback_error = Some(e);
                }
            });
        })
    });
    if let Some(e) = callback_error {
        return Err(e);
    }
    let doc = result.map_err(errors::to_py)?;
    Ok(Document { doc })
}
