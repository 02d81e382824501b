//! The chip's files, by directory.

use cccd::document::Document;
use cccd::lds::FileId;

/// A dedicated file: the master file, or the eMRTD (LDS1) application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Df {
    /// The master file (EF.CardAccess, EF.CardSecurity, EF.ATR/INFO).
    Master,
    /// The eMRTD application (EF.COM, EF.SOD, DG1..DG16).
    Emrtd,
}

/// The files a chip serves, as raw bytes.
#[derive(Clone, Default)]
pub struct CardFiles {
    files: Vec<(FileId, Vec<u8>)>,
}

impl std::fmt::Debug for CardFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(
                self.files
                    .iter()
                    .map(|(id, b)| format!("{id}: {} bytes", b.len())),
            )
            .finish()
    }
}

impl CardFiles {
    /// The files of a dump.
    pub fn from_document(doc: &Document) -> Self {
        Self {
            files: doc.files().map(|(id, b)| (id, b.to_vec())).collect(),
        }
    }

    /// Add or replace a file.
    pub fn insert(&mut self, id: FileId, bytes: Vec<u8>) {
        self.files.retain(|(f, _)| *f != id);
        self.files.push((id, bytes));
    }

    /// Remove a file (e.g. EF.CardAccess for a BAC-only chip).
    pub fn remove(&mut self, id: FileId) {
        self.files.retain(|(f, _)| *f != id);
    }

    /// A file's bytes.
    pub fn get(&self, id: FileId) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, b)| b.as_slice())
    }

    fn lookup(&self, df: Df, matches: impl Fn(FileId) -> bool) -> Option<FileId> {
        // MF files are reachable from anywhere (hosts that cannot SELECT the MF select
        // EF.CardAccess by id); application files only inside the application.
        let in_df = |id: FileId| id.in_master_file() || df == Df::Emrtd;
        self.files
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| in_df(*id) && matches(*id))
            // EF.SOD and EF.CardSecurity share 011D: prefer the one of the current DF.
            .min_by_key(|id| u8::from(id.in_master_file() == (df == Df::Emrtd)))
    }

    /// The file with this id visible from `df`.
    pub fn find(&self, df: Df, fid: u16) -> Option<FileId> {
        self.lookup(df, |id| id.fid() == fid)
    }

    /// The file with this short EF identifier visible from `df`.
    pub fn find_sfi(&self, df: Df, sfi: u8) -> Option<FileId> {
        self.lookup(df, |id| id.sfi() == sfi)
    }
}
