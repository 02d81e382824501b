//! Loading trust material from files, each kind by its own loader so that a file only does
//! what the operator's flag says:
//!
//! | loader | accepts | never |
//! |---|---|---|
//! | [`TrustStore::load_cscas`] | PEM/DER CA certificates, PEM bundles, folders of them | CRLs, master lists, non-CA certificates (skipped, listed) |
//! | [`TrustStore::load_crls`] | PEM/DER CRLs, folders of them | certificates: a CRL never adds an anchor |
//! | [`TrustStore::load_masterlist`] | ICAO master lists whose CMS signature verifies | a list that does not verify (refused whole) |
//!
//! [`TrustStore::load_path`] detects the kind from the bytes; it is for inspecting files
//! (`cccd trust`), not for building a verifier's store from operator flags.
//!
//! Every file is read through `input::read_regular_file`: regular files only,
//! size-checked. Folders are walked without following symbolic links to folders (no loops).

use std::fs;
use std::path::{Path, PathBuf};

use der::Decode;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;

use super::{MasterListReport, TrustError, TrustStore};

/// Files larger than this are refused (ICAO's master list is under 1 MiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Folder recursion limit.
const MAX_DEPTH: usize = 16;
/// Most files one folder load looks at.
const MAX_FILES: usize = 100_000;

/// A file (or a certificate in it) that a load passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    /// The file.
    pub path: PathBuf,
    /// Why it was skipped.
    pub reason: String,
}

/// What a load added.
#[derive(Debug, Clone, Default)]
#[must_use = "a load can skip files and certificates; show LoadSummary::skipped to the operator"]
pub struct LoadSummary {
    /// Certificates newly added.
    pub certificates_added: usize,
    /// Certificates already present.
    pub duplicates: usize,
    /// CRLs added.
    pub crls_added: usize,
    /// One report per master list.
    pub master_lists: Vec<MasterListReport>,
    /// Files (or certificates in them) passed over, with why.
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

/// Which kind of material a load accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Cscas,
    Crls,
    MasterList,
    Any,
}

impl Kind {
    fn expected(self) -> &'static str {
        match self {
            Kind::Cscas => "a CA certificate (PEM or DER)",
            Kind::Crls => "a CRL (PEM or DER)",
            Kind::MasterList => "an ICAO CSCA master list",
            Kind::Any => "a certificate, CRL or master list",
        }
    }
}

fn looks_like_pem(bytes: &[u8]) -> bool {
    bytes.windows(11).take(4096).any(|w| w == b"-----BEGIN ")
}

impl TrustStore {
    /// Load CSCA certificates from a file (PEM, PEM bundle, DER) or a folder of them.
    /// Certificates that are not CAs are skipped and listed; a file that holds no
    /// certificate at all (a CRL, a master list, garbage) is an error naming it.
    pub fn load_cscas(&mut self, path: &Path) -> Result<LoadSummary, TrustError> {
        self.load_kind(path, Kind::Cscas)
    }

    /// Load CRLs from a file (PEM or DER) or a folder of them. Load the CSCAs first: a CRL's
    /// signature is checked against them when it is added.
    pub fn load_crls(&mut self, path: &Path) -> Result<LoadSummary, TrustError> {
        self.load_kind(path, Kind::Crls)
    }

    /// Load one ICAO CSCA master list. Its CMS signature must verify
    /// ([`TrustError::MasterListSignature`] otherwise, and nothing is added).
    pub fn load_masterlist(&mut self, path: &Path) -> Result<LoadSummary, TrustError> {
        let bytes = read(path)?;
        self.load_kind_bytes(&bytes, &path.display().to_string(), Kind::MasterList)
    }

    /// [`TrustStore::load_cscas`] over bytes held in memory (PEM, PEM bundle or DER);
    /// `source` names them in messages.
    pub fn load_cscas_bytes(
        &mut self,
        bytes: &[u8],
        source: &str,
    ) -> Result<LoadSummary, TrustError> {
        self.load_kind_bytes(bytes, source, Kind::Cscas)
    }

    /// [`TrustStore::load_crls`] over bytes held in memory (PEM or DER).
    pub fn load_crls_bytes(
        &mut self,
        bytes: &[u8],
        source: &str,
    ) -> Result<LoadSummary, TrustError> {
        self.load_kind_bytes(bytes, source, Kind::Crls)
    }

    /// [`TrustStore::load_masterlist`] over bytes held in memory.
    pub fn load_masterlist_bytes(
        &mut self,
        bytes: &[u8],
        source: &str,
    ) -> Result<LoadSummary, TrustError> {
        self.load_kind_bytes(bytes, source, Kind::MasterList)
    }

    /// Load a file or a folder of any supported kind, detected from the bytes. For
    /// inspection (`cccd trust`); a verifier's store is built with the typed loaders.
    pub fn load_path(&mut self, path: &Path) -> Result<LoadSummary, TrustError> {
        self.load_kind(path, Kind::Any)
    }

    /// Load bytes of any supported kind: PEM, DER certificate, DER CRL, ICAO master list.
    pub fn load_bytes(&mut self, bytes: &[u8], source: &str) -> Result<LoadSummary, TrustError> {
        self.load_kind_bytes(bytes, source, Kind::Any)
    }

    /// Load every CERTIFICATE and X509 CRL block of a PEM text (other blocks are ignored).
    pub fn load_pem(&mut self, bytes: &[u8], source: &str) -> Result<LoadSummary, TrustError> {
        self.load_pem_kind(bytes, source, Kind::Any)
    }

    fn load_kind(&mut self, path: &Path, kind: Kind) -> Result<LoadSummary, TrustError> {
        let md = fs::metadata(path).map_err(|e| TrustError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        if md.is_dir() && kind != Kind::MasterList {
            let mut summary = LoadSummary::default();
            let mut seen = 0;
            self.load_dir_at(path, kind, 0, &mut seen, &mut summary)?;
            Ok(summary)
        } else {
            let bytes = read(path)?;
            self.load_kind_bytes(&bytes, &path.display().to_string(), kind)
        }
    }

    fn load_kind_bytes(
        &mut self,
        bytes: &[u8],
        source: &str,
        kind: Kind,
    ) -> Result<LoadSummary, TrustError> {
        let wrong = || TrustError::WrongKind {
            source_name: source.to_owned(),
            expected: kind.expected(),
        };
        if looks_like_pem(bytes) {
            return match kind {
                Kind::MasterList => Err(wrong()),
                _ => self.load_pem_kind(bytes, source, kind),
            };
        }
        let mut summary = LoadSummary::default();
        if Certificate::from_der(bytes).is_ok() {
            if !matches!(kind, Kind::Cscas | Kind::Any) {
                return Err(wrong());
            }
            let added = self.add_certificate_der(bytes, source)?;
            summary.count(added);
            return Ok(summary);
        }
        if <CertificateList>::from_der(bytes).is_ok() {
            if !matches!(kind, Kind::Crls | Kind::Any) {
                return Err(wrong());
            }
            self.add_crl_der(bytes, source)?;
            summary.crls_added = 1;
            return Ok(summary);
        }
        if matches!(kind, Kind::MasterList | Kind::Any) && bytes.first() == Some(&0x30) {
            match self.load_master_list(bytes, source) {
                Ok(report) => {
                    summary.certificates_added = report.added;
                    summary.duplicates = report.duplicates;
                    summary.master_lists.push(report);
                    return Ok(summary);
                }
                Err(e @ TrustError::MasterListSignature { .. }) => return Err(e),
                Err(e) if kind == Kind::MasterList => return Err(e),
                Err(_) => {}
            }
        }
        Err(match kind {
            Kind::Any => TrustError::Unrecognized {
                source_name: source.to_owned(),
            },
            _ => wrong(),
        })
    }

    fn load_pem_kind(
        &mut self,
        bytes: &[u8],
        source: &str,
        kind: Kind,
    ) -> Result<LoadSummary, TrustError> {
        let mut summary = LoadSummary::default();
        let mut found = false;
        for block in pem_blocks(bytes) {
            let (_, label, contents) = block.map_err(|(offset, e)| TrustError::Malformed {
                what: format!("PEM in {source}: {e}"),
                offset,
            })?;
            match (label.as_str(), kind) {
                ("CERTIFICATE" | "TRUSTED CERTIFICATE", Kind::Cscas | Kind::Any) => {
                    found = true;
                    match self.add_certificate_der(&contents, source) {
                        Ok(added) => summary.count(added),
                        // One non-CA certificate in a bundle does not void the others.
                        Err(e @ TrustError::NotCa { .. }) => summary.skipped.push(SkippedFile {
                            path: PathBuf::from(source),
                            reason: e.to_string(),
                        }),
                        Err(e) => return Err(e),
                    }
                }
                ("X509 CRL", Kind::Crls | Kind::Any) => {
                    found = true;
                    self.add_crl_der(&contents, source)?;
                    summary.crls_added += 1;
                }
                _ => {}
            }
        }
        match (found, kind) {
            (true, _) => Ok(summary),
            (false, Kind::Any) => Err(TrustError::Unrecognized {
                source_name: source.to_owned(),
            }),
            (false, _) => Err(TrustError::WrongKind {
                source_name: source.to_owned(),
                expected: kind.expected(),
            }),
        }
    }

    fn load_dir_at(
        &mut self,
        dir: &Path,
        kind: Kind,
        depth: usize,
        seen: &mut usize,
        summary: &mut LoadSummary,
    ) -> Result<(), TrustError> {
        let io = |e: std::io::Error| TrustError::Io {
            path: dir.display().to_string(),
            reason: e.to_string(),
        };
        let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)
            .map_err(io)?
            .collect::<Result<_, _>>()
            .map_err(io)?;
        entries.sort_by_key(fs::DirEntry::file_name);
        for entry in entries {
            *seen += 1;
            if *seen > MAX_FILES {
                return Err(TrustError::Io {
                    path: dir.display().to_string(),
                    reason: format!("more than {MAX_FILES} files"),
                });
            }
            let path = entry.path();
            let skip = |reason: String| SkippedFile {
                path: path.clone(),
                reason,
            };
            // The entry's own type: a symbolic link to a folder is not followed (no loops);
            // one to a file is (certificate folders are often links into a package's files).
            let file_type = entry.file_type().map_err(io)?;
            if file_type.is_dir() {
                if depth + 1 >= MAX_DEPTH {
                    summary
                        .skipped
                        .push(skip(format!("folder deeper than {MAX_DEPTH} levels")));
                } else {
                    self.load_dir_at(&path, kind, depth + 1, seen, summary)?;
                }
                continue;
            }
            if file_type.is_symlink() && path.is_dir() {
                summary
                    .skipped
                    .push(skip("symbolic link to a folder, not followed".to_owned()));
                continue;
            }
            let loaded = read(&path)
                .and_then(|bytes| self.load_kind_bytes(&bytes, &path.display().to_string(), kind));
            match loaded {
                Ok(loaded) => summary.merge(loaded),
                Err(e) => summary.skipped.push(skip(e.to_string())),
            }
        }
        Ok(())
    }
}

/// One PEM block: its offset in the text, label and decoded contents.
type PemBlock = (usize, String, Vec<u8>);

/// The PEM blocks of a text (RFC 7468), in order; text between blocks is ignored. A block
/// that does not decode is `Err` with its offset and the decoder's message.
fn pem_blocks(text: &[u8]) -> impl Iterator<Item = Result<PemBlock, (usize, String)>> + '_ {
    const BEGIN: &[u8] = b"-----BEGIN ";
    const END: &[u8] = b"-----END ";
    let find = |haystack: &[u8], needle: &[u8], from: usize| {
        haystack
            .get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = find(text, BEGIN, at)?;
        let Some(end_marker) = find(text, END, start) else {
            at = text.len();
            return Some(Err((start, "PEM block without an END line".to_owned())));
        };
        // The END line closes with "-----" after its label.
        let close =
            find(text, b"-----", end_marker + END.len()).map_or(text.len(), |i| i + b"-----".len());
        at = close;
        let block = &text[start..close];
        Some(
            der::pem::decode_vec(block)
                .map(|(label, contents)| (start, label.to_owned(), contents))
                .map_err(|e| (start, e.to_string())),
        )
    })
}

fn read(path: &Path) -> Result<Vec<u8>, TrustError> {
    crate::input::read_regular_file(path, MAX_FILE_BYTES).map_err(|e| match e {
        crate::input::InputError::Io { path, source } => TrustError::Io {
            path: path.display().to_string(),
            reason: source.to_string(),
        },
        other => TrustError::Input(other.to_string()),
    })
}
