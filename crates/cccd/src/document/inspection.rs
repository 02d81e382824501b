//! Looking into a document file by file: which files parse and why not, in a stable order.
//! What `cccd inspect` shows, and what a backend logs about a dump it refused.

use super::Document;
use crate::lds::{DataGroup, FileId, LdsError};

impl Document {
    /// Why the file `id` does not parse, or `None` when it parses, is absent, or is a file
    /// this library holds without parsing on its own (EF.CardAccess, EF.CardSecurity, data
    /// groups other than 1, 2, 13, 14 and 15).
    pub fn parse_error(&self, id: FileId) -> Option<LdsError> {
        fn err<T>(parsed: Option<Result<T, LdsError>>) -> Option<LdsError> {
            parsed.and_then(Result::err)
        }
        match id {
            FileId::Com => err(self.com()),
            FileId::Sod => err(self.sod()),
            FileId::Dg(DataGroup::Dg1) => err(self.dg1()),
            FileId::Dg(DataGroup::Dg2) => err(self.dg2()),
            FileId::Dg(DataGroup::Dg13) => err(self.dg13()),
            FileId::Dg(DataGroup::Dg14) => err(self.dg14()),
            FileId::Dg(DataGroup::Dg15) => err(self.dg15()),
            _ => None,
        }
    }

    /// Every file held, in the order of the LDS: EF.CardAccess, EF.CardSecurity, EF.COM,
    /// EF.SOD, then the data groups by number (insertion order depends on how it was read).
    pub fn files_in_lds_order(&self) -> Vec<(FileId, &[u8])> {
        let rank = |id: &FileId| match id {
            FileId::CardAccess => 0,
            FileId::CardSecurity => 1,
            FileId::Com => 2,
            FileId::Sod => 3,
            FileId::Dg(dg) => 4 + u32::from(dg.number()),
        };
        let mut files: Vec<_> = self.files().collect();
        files.sort_by_key(|(id, _)| rank(id));
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_and_order() {
        let mut doc = Document::new();
        doc.insert(FileId::Dg(DataGroup::Dg13), vec![0x6D, 0x05, 0x01]);
        doc.insert(FileId::Dg(DataGroup::Dg1), vec![0x61, 0x00]);
        doc.insert(FileId::Sod, vec![0x77, 0x00]);
        assert!(doc.parse_error(FileId::Dg(DataGroup::Dg13)).is_some());
        assert!(doc.parse_error(FileId::Dg(DataGroup::Dg2)).is_none());
        let order: Vec<FileId> = doc
            .files_in_lds_order()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(
            order,
            [
                FileId::Sod,
                FileId::Dg(DataGroup::Dg1),
                FileId::Dg(DataGroup::Dg13)
            ]
        );
    }
}
