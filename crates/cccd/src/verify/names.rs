//! Comparing names the way a person would, and no looser.
//!
//! Names are NFC-normalised, case-folded and whitespace-collapsed before comparison, so
//! `Nguyễn  văn a` equals `NGUYỄN VĂN A`. Diacritics count unless the caller asks otherwise:
//! `Nguyễn` and `Nguyên` are different names.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// How strictly names are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameMatch {
    /// NFC, case- and whitespace-insensitive; diacritics must agree.
    #[default]
    Strict,
    /// As `Strict`, and diacritics are ignored (`Nguyễn` = `Nguyen`). Opt-in only.
    IgnoreDiacritics,
}

/// The canonical form for strict comparison.
pub fn normalize(name: &str) -> String {
    let nfc: String = name.nfc().collect();
    nfc.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Strip diacritics: decompose, drop combining marks, and map đ/Đ (a letter of its own, not a
/// D with a mark) to d/D.
pub fn strip_diacritics(name: &str) -> String {
    name.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            other => other,
        })
        .collect()
}

/// Whether two names are the same person's name under `mode`.
pub fn person_names_match(a: &str, b: &str, mode: NameMatch) -> bool {
    match mode {
        NameMatch::Strict => normalize(a) == normalize(b),
        NameMatch::IgnoreDiacritics => {
            normalize(&strip_diacritics(a)) == normalize(&strip_diacritics(b))
        }
    }
}

/// A Vietnamese name as the MRZ writes it: no diacritics, upper case, single spaces.
pub fn mrz_transliteration(name: &str) -> String {
    strip_diacritics(name)
        .to_uppercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a full name (with diacritics) agrees with the MRZ's name. The MRZ may cut a long
/// name short to fit its line, so a truncated MRZ name that is a prefix counts as agreeing.
pub fn matches_mrz_name(full_name: &str, mrz_name: &str, mrz_truncated: bool) -> bool {
    let expected = mrz_transliteration(full_name);
    let got = mrz_name.split_whitespace().collect::<Vec<_>>().join(" ");
    expected == got || (mrz_truncated && !got.is_empty() && expected.starts_with(&got))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_is_case_space_and_form_insensitive() {
        assert!(person_names_match(
            "Nguyễn  Văn A",
            "NGUYỄN VĂN A",
            NameMatch::Strict
        ));
        // NFD input (e + combining marks) equals NFC.
        let nfd: String = "Nguyễn Thị Hà".nfd().collect();
        assert!(person_names_match(&nfd, "Nguyễn Thị Hà", NameMatch::Strict));
        assert!(person_names_match(
            " Trần  Thị\tLan ",
            "trần thị lan",
            NameMatch::Strict
        ));
    }

    #[test]
    fn diacritics_count_unless_asked() {
        assert!(!person_names_match("Nguyễn", "Nguyên", NameMatch::Strict));
        assert!(!person_names_match(
            "Nguyễn Văn A",
            "Nguyen Van A",
            NameMatch::Strict
        ));
        assert!(person_names_match(
            "Nguyễn Văn A",
            "Nguyen Van A",
            NameMatch::IgnoreDiacritics
        ));
        assert!(person_names_match(
            "Đặng",
            "dang",
            NameMatch::IgnoreDiacritics
        ));
        assert!(!person_names_match(
            "Lê Văn Bình",
            "Le Van Binh An",
            NameMatch::IgnoreDiacritics
        ));
    }

    #[test]
    fn mrz_forms() {
        assert_eq!(mrz_transliteration("Đỗ Thị Ngọc Ánh"), "DO THI NGOC ANH");
        assert!(matches_mrz_name("Nguyễn Văn A", "NGUYEN VAN A", false));
        assert!(!matches_mrz_name("Nguyễn Văn B", "NGUYEN VAN A", false));
        assert!(matches_mrz_name(
            "Tôn Nữ Thị Hoàng Yến Phương",
            "TON NU THI HOANG YEN PH",
            true
        ));
        assert!(!matches_mrz_name(
            "Tôn Nữ Thị Hoàng Yến Phương",
            "TON NU THI HOANG YEN PH",
            false
        ));
    }
}
