//! File names in dump folders: the canonical ones we write and the variants other tools use.

use crate::lds::{DataGroup, FileId};

/// The name [`super::Document::save`] gives a file.
pub fn canonical_name(id: FileId) -> String {
    match id {
        FileId::Com => "EF.COM".into(),
        FileId::Sod => "EF.SOD".into(),
        FileId::CardAccess => "EF.CardAccess".into(),
        FileId::CardSecurity => "EF.CardSecurity".into(),
        FileId::Dg(dg) => format!("DG{}", dg.number()),
    }
}

impl FileId {
    /// The chip file a dump file name stands for, or `None` for any other name.
    ///
    /// Accepted, case-insensitively: the names [`super::Document::save`] writes (`EF.COM`,
    /// `EF.SOD`, `EF.CardAccess`, `EF.CardSecurity`, `DG1`..`DG16`) and the variants other
    /// tools write (`COM.bin`, `EF_SOD.bin`, `EF.DG1.bin`, `dg01.bin`, ...).
    ///
    /// ```
    /// use cccd::lds::{DataGroup, FileId};
    /// assert_eq!(FileId::from_name("EF_DG1.bin"), Some(FileId::Dg(DataGroup::Dg1)));
    /// assert_eq!(FileId::from_name("card.json"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<FileId> {
        file_id_for(name)
    }
}

/// Which chip file a name in a dump folder holds, or `None` for other files.
///
/// Accepted, case-insensitively: `EF.COM`, `COM`, `COM.bin`, `EF_COM.bin`, `EF.COM.bin`, and the
/// same shapes for SOD, CardAccess, CardSecurity and `DG1`..`DG16`.
pub fn file_id_for(name: &str) -> Option<FileId> {
    let lower = name.to_ascii_lowercase();
    let stem = lower.strip_suffix(".bin").unwrap_or(&lower);
    let stem = stem
        .strip_prefix("ef.")
        .or_else(|| stem.strip_prefix("ef_"))
        .unwrap_or(stem);
    match stem {
        "com" => Some(FileId::Com),
        "sod" => Some(FileId::Sod),
        "cardaccess" => Some(FileId::CardAccess),
        "cardsecurity" => Some(FileId::CardSecurity),
        _ => {
            let n: u32 = stem.strip_prefix("dg")?.parse().ok()?;
            // "DG01" is fine, "DG+1" is not.
            if !stem[2..].bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            DataGroup::from_number(n).map(FileId::Dg)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_map_to_the_same_file() {
        for n in ["EF.COM", "COM.bin", "EF_COM.bin", "ef.com.bin", "com"] {
            assert_eq!(file_id_for(n), Some(FileId::Com), "{n}");
        }
        for n in ["EF.SOD", "SOD.bin", "EF_SOD.bin"] {
            assert_eq!(file_id_for(n), Some(FileId::Sod), "{n}");
        }
        for n in ["DG1", "DG1.bin", "EF_DG1.bin", "EF.DG1", "dg01.bin"] {
            assert_eq!(file_id_for(n), Some(FileId::Dg(DataGroup::Dg1)), "{n}");
        }
        assert_eq!(file_id_for("DG16"), Some(FileId::Dg(DataGroup::Dg16)));
        assert_eq!(file_id_for("EF.CardAccess"), Some(FileId::CardAccess));
        assert_eq!(file_id_for("CardSecurity.bin"), Some(FileId::CardSecurity));
    }

    #[test]
    fn other_names_are_not_card_files() {
        for n in [
            "DG17",
            "DG0",
            "DG",
            "DG+1",
            "card.json",
            "face.png",
            "README",
            "DG1.txt",
        ] {
            assert_eq!(file_id_for(n), None, "{n}");
        }
    }

    #[test]
    fn canonical_names_load_back() {
        for id in [
            FileId::Com,
            FileId::Sod,
            FileId::CardAccess,
            FileId::CardSecurity,
        ]
        .into_iter()
        .chain(DataGroup::ALL.into_iter().map(FileId::Dg))
        {
            assert_eq!(file_id_for(&canonical_name(id)), Some(id));
        }
    }
}
