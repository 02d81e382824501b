//! A read card as data: the raw files by id, parsed views on demand, and the dump format.
//!
//! A dump is a folder of the raw files exactly as read (`EF.COM`, `EF.SOD`, `EF.CardAccess`,
//! `DG1` ... `DG16`) plus `card.json` describing the read. [`Document::load`] also accepts the
//! names other tools write (`COM.bin`, `SOD.bin`, `DG1.bin`, `EF_DG1.bin`, ...).
//! [`Document::save`] writes into a temporary folder and renames it into place only when
//! complete, with mode 0600 files in a 0700 folder: a dump holds personal data, and a reader
//! interrupted mid-write must never leave a folder that looks whole.

/// Why a file could not be read from disk (size, kind, I/O).
pub use crate::input::InputError;
use crate::lds::{DataGroup, FileId, LdsError};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

mod genuineness;
mod inspection;
mod meta;
mod names;

pub use genuineness::{Genuineness, GenuinenessProof};
pub use meta::{
    AccessProtocol, ActiveAuthRecord, CaKeySource, ChipAuthRecord, PaceRecord, ReadMeta,
};

/// The largest file accepted from a dump folder. Real chips hold files well under 100 KiB
/// (DG2 on Vietnamese cards is under 64 KiB); this bound stops a hostile folder from making us
/// read gigabytes.
pub const MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// Why a dump could not be loaded or saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// Reading or writing the folder failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A file in the dump is larger than any chip file can be.
    #[error("{path}: {size} bytes is larger than any chip file ({MAX_FILE_SIZE} bytes at most)")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
    },
    /// Two files in the folder name the same chip file (e.g. `DG1` and `DG1.bin`).
    #[error("{first} and {second} both hold {file}")]
    Duplicate {
        /// The chip file.
        file: FileId,
        /// One name.
        first: String,
        /// The other name.
        second: String,
    },
    /// The folder holds none of the files of a dump.
    #[error("{0}: no card files found (expected EF.SOD, DG1, ... or SOD.bin, DG1.bin, ...)")]
    Empty(PathBuf),
    /// `card.json` is not valid.
    #[error("{path}: invalid card.json: {reason}")]
    BadMeta {
        /// The file.
        path: PathBuf,
        /// What the JSON parser said.
        reason: String,
    },
    /// A file of the dump is not one that may be read: a FIFO, a device, a folder, a
    /// symbolic link to outside the dump, or larger than the limit.
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    /// The destination of a save already exists.
    #[error("{0} already exists; choose another folder or remove it first")]
    Exists(PathBuf),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> DocumentError + '_ {
    move |source| DocumentError::Io {
        path: path.to_owned(),
        source,
    }
}

/// A card's files as read, with the circumstances of the read.
///
/// # Examples
///
/// Files that arrive in memory (an HTTP upload), named as a dump folder names them:
///
/// ```
/// use cccd::document::Document;
/// use cccd::lds::FileId;
///
/// let document = Document::from_files([("EF_DG1.bin", &[0x61, 0x00][..]), ("SOD", &[0x77, 0x00][..])])?;
/// assert_eq!(document.files().count(), 2);
/// assert_eq!(FileId::from_name("EF_DG1.bin"), FileId::from_name("DG1"));
/// // Two names for one file are refused, as the folder loader refuses them.
/// assert!(Document::from_files([("DG1", &b"a"[..]), ("EF_DG1.bin", &b"b"[..])]).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Files in the order they were added; at most one entry per [`FileId`].
    files: Vec<(FileId, Vec<u8>)>,
    /// How, when and with what the card was read.
    pub meta: ReadMeta,
    /// Whether this process read the card (never loaded from, nor saved to, a dump).
    provenance: Provenance,
}

/// Where a document's evidence of chip genuineness comes from.
///
/// Only a [`crate::session::Session`] in this process makes a [`Provenance::ReadHere`]
/// document; a dump loaded from files is always [`Provenance::Dump`], whatever its
/// `card.json` says, because a dump is unsigned and anyone can edit it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// Read by a session in this process: its chip authentication was performed here.
    ReadHere,
    /// Loaded from a dump (files from a folder, an upload, another tool).
    #[default]
    Dump,
}

// File contents are personal data: Debug shows which files and their sizes only.
impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sizes: Vec<String> = self
            .files
            .iter()
            .map(|(id, b)| format!("{id}: {} bytes", b.len()))
            .collect();
        f.debug_struct("Document")
            .field("files", &sizes)
            .field("meta", &self.meta)
            .field("provenance", &self.provenance)
            .finish()
    }
}

impl Document {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add or replace a file.
    pub fn insert(&mut self, id: FileId, bytes: Vec<u8>) {
        match self.files.iter_mut().find(|(f, _)| *f == id) {
            Some(slot) => slot.1 = bytes,
            None => self.files.push((id, bytes)),
        }
    }

    /// The raw bytes of a file, if it was read.
    pub fn get(&self, id: FileId) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, b)| b.as_slice())
    }

    /// The raw bytes of a data group, if it was read.
    pub fn dg(&self, dg: DataGroup) -> Option<&[u8]> {
        self.get(FileId::Dg(dg))
    }

    /// Remove a file (used by tests that build broken dumps).
    pub fn remove(&mut self, id: FileId) -> Option<Vec<u8>> {
        let i = self.files.iter().position(|(f, _)| *f == id)?;
        Some(self.files.remove(i).1)
    }

    /// Every file held, in insertion order.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &[u8])> {
        self.files.iter().map(|(id, b)| (*id, b.as_slice()))
    }

    /// The data groups held, in number order.
    pub fn data_groups(&self) -> Vec<DataGroup> {
        let mut dgs: Vec<DataGroup> = self
            .files
            .iter()
            .filter_map(|(id, _)| match id {
                FileId::Dg(dg) => Some(*dg),
                _ => None,
            })
            .collect();
        dgs.sort();
        dgs
    }

    /// Parse EF.SOD, if present.
    pub fn sod(&self) -> Option<Result<crate::lds::sod::Sod, LdsError>> {
        self.get(FileId::Sod).map(crate::lds::sod::Sod::parse)
    }

    /// Parse EF.COM, if present.
    pub fn com(&self) -> Option<Result<crate::lds::com::Com, LdsError>> {
        self.get(FileId::Com).map(crate::lds::com::Com::parse)
    }

    /// Parse DG1, if present.
    pub fn dg1(&self) -> Option<Result<crate::lds::dg1::Dg1, LdsError>> {
        self.dg(DataGroup::Dg1).map(crate::lds::dg1::Dg1::parse)
    }

    /// Parse DG2, if present.
    pub fn dg2(&self) -> Option<Result<crate::lds::dg2::Dg2, LdsError>> {
        self.dg(DataGroup::Dg2).map(crate::lds::dg2::Dg2::parse)
    }

    /// Parse DG13, if present.
    pub fn dg13(&self) -> Option<Result<crate::lds::dg13::Dg13, LdsError>> {
        self.dg(DataGroup::Dg13).map(crate::lds::dg13::Dg13::parse)
    }

    /// Parse DG14, if present.
    pub fn dg14(&self) -> Option<Result<crate::lds::dg14::Dg14, LdsError>> {
        self.dg(DataGroup::Dg14).map(crate::lds::dg14::Dg14::parse)
    }

    /// Parse DG15, if present.
    pub fn dg15(&self) -> Option<Result<crate::lds::dg15::Dg15, LdsError>> {
        self.dg(DataGroup::Dg15).map(crate::lds::dg15::Dg15::parse)
    }

    /// Where this document's evidence comes from.
    pub fn provenance(&self) -> Provenance {
        self.provenance
    }

    /// Mark the document as read by a session of this process.
    pub(crate) fn mark_read_here(&mut self) {
        self.provenance = Provenance::ReadHere;
    }

    /// Load a dump folder (canonical names and the common variants; see the module docs).
    ///
    /// The folder itself may be a symbolic link (batches are often built that way), but a
    /// file inside it is read only if it is a regular file, or a link to one inside the
    /// folder; anything else named like a card file (a FIFO, a device, a link out of the
    /// folder, a file over [`MAX_FILE_SIZE`]) refuses the whole dump, naming it.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, DocumentError> {
        let dir = dir.as_ref();
        let canonical = fs::canonicalize(dir).map_err(io_err(dir))?;
        let mut doc = Document::new();
        let mut sources: Vec<(FileId, String)> = Vec::new();
        let mut entries: Vec<_> = fs::read_dir(dir)
            .map_err(io_err(dir))?
            .collect::<Result<_, _>>()
            .map_err(io_err(dir))?;
        entries.sort_by_key(std::fs::DirEntry::file_name);
        let mut meta_entry = None;
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == meta::META_FILE {
                meta_entry = Some(entry);
                continue;
            }
            let Some(id) = FileId::from_name(&name) else {
                continue;
            };
            if let Some((_, first)) = sources.iter().find(|(f, _)| *f == id) {
                return Err(DocumentError::Duplicate {
                    file: id,
                    first: first.clone(),
                    second: name,
                });
            }
            let bytes = crate::input::read_folder_entry(&canonical, &entry, MAX_FILE_SIZE)
                .map_err(too_large)?;
            doc.insert(id, bytes);
            sources.push((id, name));
        }
        if doc.files.is_empty() {
            return Err(DocumentError::Empty(dir.to_owned()));
        }
        if let Some(entry) = meta_entry {
            let text = crate::input::read_folder_entry(&canonical, &entry, MAX_META_SIZE)
                .map_err(too_large)?;
            doc.meta = serde_json::from_slice(&text).map_err(|e| DocumentError::BadMeta {
                path: entry.path(),
                reason: e.to_string(),
            })?;
        }
        Ok(doc)
    }

    /// Build a document from files held in memory (an HTTP upload, a message queue), with
    /// the same rules as [`Document::load`]: names are mapped by [`FileId::from_name`] and
    /// other names are ignored, except `card.json`, which is parsed as the read's metadata;
    /// a file over [`MAX_FILE_SIZE`] (`card.json` over 64 KiB) or two names for one chip
    /// file refuse the whole set, naming the file. The result is a [`Provenance::Dump`].
    ///
    /// ```
    /// use cccd::document::Document;
    /// let files = [("EF.SOD", &b"\x77\x00"[..]), ("DG1.bin", &b"\x61\x00"[..])];
    /// let doc = Document::from_files(files)?;
    /// assert_eq!(doc.files().count(), 2);
    /// # Ok::<(), cccd::document::DocumentError>(())
    /// ```
    pub fn from_files<N, B>(files: impl IntoIterator<Item = (N, B)>) -> Result<Self, DocumentError>
    where
        N: AsRef<str>,
        B: AsRef<[u8]>,
    {
        let mut doc = Document::new();
        let mut sources: Vec<(FileId, String)> = Vec::new();
        let mut meta = None;
        for (name, bytes) in files {
            let (name, bytes) = (name.as_ref(), bytes.as_ref());
            let size = bytes.len() as u64;
            if name == meta::META_FILE {
                if size > MAX_META_SIZE {
                    return Err(DocumentError::TooLarge {
                        path: name.into(),
                        size,
                    });
                }
                meta = Some(bytes.to_vec());
                continue;
            }
            let Some(id) = FileId::from_name(name) else {
                continue;
            };
            if size > MAX_FILE_SIZE {
                return Err(DocumentError::TooLarge {
                    path: name.into(),
                    size,
                });
            }
            if let Some((_, first)) = sources.iter().find(|(f, _)| *f == id) {
                return Err(DocumentError::Duplicate {
                    file: id,
                    first: first.clone(),
                    second: name.to_owned(),
                });
            }
            doc.insert(id, bytes.to_vec());
            sources.push((id, name.to_owned()));
        }
        if doc.files.is_empty() {
            return Err(DocumentError::Empty(PathBuf::from("(files in memory)")));
        }
        if let Some(text) = meta {
            doc.meta = serde_json::from_slice(&text).map_err(|e| DocumentError::BadMeta {
                path: PathBuf::from(meta::META_FILE),
                reason: e.to_string(),
            })?;
        }
        Ok(doc)
    }

    /// Write the dump to `dir`, which must not exist yet: everything goes to a temporary
    /// folder beside it first (0700, files 0600, each synced) and is renamed into place in one
    /// step, so `dir` either holds the whole dump or does not exist.
    pub fn save(&self, dir: impl AsRef<Path>) -> Result<(), DocumentError> {
        let dir = dir.as_ref();
        if dir.exists() {
            return Err(DocumentError::Exists(dir.to_owned()));
        }
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let base = dir
            .file_name()
            .map_or_else(|| "dump".into(), |n| n.to_string_lossy().into_owned());
        let tmp = parent.join(format!(".{base}.partial-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(io_err(&tmp))?;
        }
        create_private_dir(&tmp)?;
        let result = self.write_files(&tmp).and_then(|()| {
            fs::rename(&tmp, dir).map_err(io_err(dir))?;
            // Make the rename itself durable.
            if let Ok(d) = fs::File::open(&parent) {
                let _ = d.sync_all();
            }
            Ok(())
        });
        if result.is_err() {
            let _ = fs::remove_dir_all(&tmp);
        }
        result
    }

    fn write_files(&self, tmp: &Path) -> Result<(), DocumentError> {
        for (id, bytes) in &self.files {
            write_private(&tmp.join(names::canonical_name(*id)), bytes)?;
        }
        let json = serde_json::to_vec_pretty(&self.meta).map_err(|e| DocumentError::BadMeta {
            path: tmp.join(meta::META_FILE),
            reason: e.to_string(),
        })?;
        write_private(&tmp.join(meta::META_FILE), &json)
    }
}

/// `card.json` is a few hundred bytes; 64 KiB leaves room for any reader's notes.
const MAX_META_SIZE: u64 = 64 * 1024;

/// Keep the long-standing `TooLarge` variant for oversized files.
fn too_large(e: crate::input::InputError) -> DocumentError {
    match e {
        crate::input::InputError::TooLarge { path, size, .. } => {
            DocumentError::TooLarge { path, size }
        }
        other => DocumentError::Input(other),
    }
}

#[cfg(unix)]
fn create_private_dir(path: &Path) -> Result<(), DocumentError> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .mode(0o700)
        .create(path)
        .map_err(io_err(path))
}

#[cfg(not(unix))]
fn create_private_dir(path: &Path) -> Result<(), DocumentError> {
    fs::create_dir(path).map_err(io_err(path))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), DocumentError> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path).map_err(io_err(path))?;
    f.write_all(bytes).map_err(io_err(path))?;
    f.sync_all().map_err(io_err(path))
}

#[cfg(test)]
mod tests;
