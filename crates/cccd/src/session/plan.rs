//! What to read, and how large each read may be.

use crate::lds::{DataGroup, FileId};

/// How READ BINARY lengths are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadStrategy {
    /// Use extended-length APDUs when the link supports them.
    pub extended: bool,
    /// An upper bound on one read's length (`None`: as large as the channel allows).
    pub max_le: Option<usize>,
    /// Read each file's 4-byte header first, then the rest (as some readers do). Costs one
    /// APDU per file; off by default, since the first full-size read already holds the header.
    pub header_first: bool,
}

impl Default for ReadStrategy {
    fn default() -> Self {
        Self {
            extended: true,
            max_le: None,
            header_first: false,
        }
    }
}

impl ReadStrategy {
    /// The strategy JMRTD uses by default: short APDUs of at most 0xDF bytes, header first.
    /// Kept for comparison in benchmarks.
    pub fn short_0xdf() -> Self {
        Self {
            extended: false,
            max_le: Some(0xDF),
            header_first: true,
        }
    }
}

/// The files to read, in order, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadPlan {
    files: Vec<FileId>,
    strategy: ReadStrategy,
}

impl ReadPlan {
    /// What verification needs: EF.COM, EF.SOD, DG1, DG13, DG14, DG15. No face: DG2 is the
    /// largest file and verification does not need it.
    pub fn verification() -> Self {
        Self {
            files: vec![
                FileId::Com,
                FileId::Sod,
                FileId::Dg(DataGroup::Dg1),
                FileId::Dg(DataGroup::Dg13),
                FileId::Dg(DataGroup::Dg14),
                FileId::Dg(DataGroup::Dg15),
            ],
            strategy: ReadStrategy::default(),
        }
    }

    /// Verification plus the face (DG2).
    pub fn with_face() -> Self {
        let mut plan = Self::verification();
        plan.files.insert(3, FileId::Dg(DataGroup::Dg2));
        plan
    }

    /// Exactly these files.
    pub fn files_only(files: Vec<FileId>) -> Self {
        Self {
            files,
            strategy: ReadStrategy::default(),
        }
    }

    /// Use another read strategy.
    #[must_use]
    pub fn strategy_of(mut self, strategy: ReadStrategy) -> Self {
        self.strategy = strategy;
        self
    }

    /// The files, in reading order.
    pub fn files(&self) -> &[FileId] {
        &self.files
    }

    /// The read strategy.
    pub fn strategy(&self) -> ReadStrategy {
        self.strategy
    }
}

/// Where a read stands, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The file being read.
    pub file: FileId,
    /// Bytes of it read so far.
    pub done: usize,
    /// Its total size.
    pub total: usize,
}
