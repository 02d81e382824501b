//! `TrustStore`: the CSCA certificates, CRLs and master lists verifications anchor to.

use crate::errors;
use cccd_bindings::{TrustKind, add_trust_bytes, add_trust_path};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::path::PathBuf;
use std::sync::{PoisonError, RwLock, RwLockReadGuard};

/// A trust store. Add CSCAs (then CRLs, or master lists) from paths or bytes; share it
/// between threads freely: verifications only read it.
#[pyclass(frozen, module = "cccd")]
pub struct TrustStore {
    store: RwLock<cccd::pki::TrustStore>,
}

impl TrustStore {
    /// Read access for a verification.
    pub fn read(&self) -> RwLockReadGuard<'_, cccd::pki::TrustStore> {
        self.store.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn add(&self, py: Python<'_>, source: &Bound<'_, PyAny>, kind: TrustKind) -> PyResult<usize> {
        enum Material {
            Bytes(Vec<u8>),
            Path(PathBuf),
        }
        let material = if let Ok(b) = source.cast::<PyBytes>() {
            Material::Bytes(b.as_bytes().to_vec())
        } else if let Ok(p) = source.extract::<PathBuf>() {
            Material::Path(p)
        } else {
            return Err(errors::bad_input(
                "expected the path of a file or folder (str or os.PathLike) or bytes",
            ));
        };
        py.detach(|| {
            let mut store = self.store.write().unwrap_or_else(PoisonError::into_inner);
            match &material {
                Material::Bytes(b) => add_trust_bytes(&mut store, kind, b, "bytes"),
                Material::Path(p) => add_trust_path(&mut store, kind, p),
            }
        })
        .map_err(errors::to_py)
    }
}

#[pymethods]
impl TrustStore {
    /// An empty trust store.
    #[new]
    fn new() -> Self {
        Self {
            store: RwLock::new(cccd::pki::TrustStore::new()),
        }
    }

    /// Add CSCA certificates from a file or folder path (PEM, PEM bundle, DER) or bytes.
    /// Returns how many were added. Raises `BadInput` when the source holds no CA
    /// certificate (a CRL, a master list, garbage) or cannot be read.
    fn add_csca(&self, py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<usize> {
        self.add(py, source, TrustKind::Csca)
    }

    /// Add CRLs (PEM or DER) from a path or bytes; add the CSCAs first. Returns how many.
    fn add_crl(&self, py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<usize> {
        self.add(py, source, TrustKind::Crl)
    }

    /// Add the CSCAs of one ICAO master list (path or bytes), whose CMS signature must verify.
    /// Returns how many were added.
    fn add_masterlist(&self, py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<usize> {
        self.add(py, source, TrustKind::MasterList)
    }

    /// The number of trust anchors (CSCA certificates).
    fn __len__(&self) -> usize {
        self.read().len()
    }

    fn __repr__(&self) -> String {
        format!("TrustStore({} anchors)", self.read().len())
    }
}
