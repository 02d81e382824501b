//! Loading trust material: PEM and DER certificates and CRLs, ICAO master lists, files and
//! folders (recursively), with the kind of each input detected from its bytes.

use std::fs;
use std::path::{Path, PathBuf};

use x509_parser::certificate::X509Certificate;
use x509_parser::pem::Pem;
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

use super::{MasterListReport, TrustError, TrustStore};

/// Files larger than this are skipped (ICAO's master list is under 1 MiB).
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Folder recursion limit.
const MAX_DEPTH: usize = 16;

/// A file a folder load passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    /// The file.
    pub path: PathBuf,
    /// Why it was skipped.
    pub reason: String,
}

/// What a load added.
#[derive(Debug, Clone, Default)]
pub struct LoadSummary {
    /// Certificates newly added.
    pub certificates_added: usize,
    /// Certificates already present.
    pub duplicates: usize,
    /// CRLs added.
    pub crls_added: usize,
    /// One report per master list.
    pub master_lists: Vec<MasterListReport>,
    /// Files passed over in a folder load.
    pub skipped: Vec<SkippedFile>,
}

impl LoadSummary {
    fn merge(&mut self, other: LoadSummary) {
        self.certificates_added += other.certificates_added;
        self.duplicates += other.duplicates;
        self.crls_added += other.crls_added;
        self.master_lists.extend(other.master_lists);
        self.skipped.extend(other.skipped);
    }

    fn count(&mut self, added: bool) {
        if added {
            self.certificates_added += 1;
        } else {
            self.duplicates += 1;
        }
    }
}

fn looks_like_pem(bytes: &[u8]) -> bool {
    bytes.windows(11).take(4096).any(|w| w == b"-----BEGIN ")
}

impl TrustStore {
    /// Load every CERTIFICATE and X509 CRL block of a PEM text. Other blocks are ignored.
    pub fn load_pem(&mut self, bytes: &[u8], source: &str) -> Result<LoadSummary, TrustError> {
        let mut summary = LoadSummary::default();
        let mut found = false;
        for pem in Pem::iter_from_buffer(bytes) {
            let pem = pem.map_err(|e| TrustError::Malformed {
                what: format!("PEM in {source}: {e}"),
                offset: 0,
            })?;
            match pem.label.as_str() {
                "CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                    found = true;
                    let added = self.add_certificate_der(&pem.contents, source)?;
                    summary.count(added);
                }
                "X509 CRL" => {
                    found = true;
                    self.add_crl_der(&pem.contents, source)?;
                    summary.crls_added += 1;
                }
                _ => {}
            }
        }
        if found {
            Ok(summary)
        } else {
            Err(TrustError::Unrecognized {
                source_name: source.to_owned(),
            })
        }
    }

    /// Load bytes of any supported kind: PEM, DER certificate, DER CRL, ICAO master list.
    pub fn load_bytes(&mut self, bytes: &[u8], source: &str) -> Result<LoadSummary, TrustError> {
        if looks_like_pem(bytes) {
            return self.load_pem(bytes, source);
        }
        let mut summary = LoadSummary::default();
        if X509Certificate::from_der(bytes).is_ok() {
            let added = self.add_certificate_der(bytes, source)?;
            summary.count(added);
            return Ok(summary);
        }
        if CertificateRevocationList::from_der(bytes).is_ok() {
            self.add_crl_der(bytes, source)?;
            summary.crls_added = 1;
            return Ok(summary);
        }
        if bytes.first() == Some(&0x30)
            && let Ok(report) = self.load_master_list(bytes, source)
        {
            summary.certificates_added = report.added;
            summary.duplicates = report.duplicates;
            summary.master_lists.push(report);
            return Ok(summary);
        }
        Err(TrustError::Unrecognized {
            source_name: source.to_owned(),
        })
    }

    /// Load one file (any supported kind).
    pub fn load_file(&mut self, path: &Path) -> Result<LoadSummary, TrustError> {
        let io = |e: std::io::Error| TrustError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        let size = fs::metadata(path).map_err(io)?.len();
        if size > MAX_FILE_BYTES {
            return Err(TrustError::Io {
                path: path.display().to_string(),
                reason: format!(
                    "file of {size} bytes is larger than the {MAX_FILE_BYTES}-byte limit"
                ),
            });
        }
        let bytes = fs::read(path).map_err(io)?;
        self.load_bytes(&bytes, &path.display().to_string())
    }

    /// Load every file under `dir` (recursively, sorted by name); files that are not trust
    /// material are listed in [`LoadSummary::skipped`] rather than failing the load.
    pub fn load_dir(&mut self, dir: &Path) -> Result<LoadSummary, TrustError> {
        let mut summary = LoadSummary::default();
        self.load_dir_at(dir, 0, &mut summary)?;
        Ok(summary)
    }

    /// Load a file or a folder, whichever `path` is.
    pub fn load_path(&mut self, path: &Path) -> Result<LoadSummary, TrustError> {
        if path.is_dir() {
            self.load_dir(path)
        } else {
            self.load_file(path)
        }
    }

    fn load_dir_at(
        &mut self,
        dir: &Path,
        depth: usize,
        summary: &mut LoadSummary,
    ) -> Result<(), TrustError> {
        let io = |e: std::io::Error| TrustError::Io {
            path: dir.display().to_string(),
            reason: e.to_string(),
        };
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                if depth + 1 >= MAX_DEPTH {
                    summary.skipped.push(SkippedFile {
                        path,
                        reason: format!("folder deeper than {MAX_DEPTH} levels"),
                    });
                } else {
                    self.load_dir_at(&path, depth + 1, summary)?;
                }
                continue;
            }
            match self.load_file(&path) {
                Ok(loaded) => summary.merge(loaded),
                Err(e) => summary.skipped.push(SkippedFile {
                    path,
                    reason: e.to_string(),
                }),
            }
        }
        Ok(())
    }
}
