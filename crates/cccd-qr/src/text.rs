//! Undoing what scanners do to the QR text: byte-order marks, stray whitespace, NFD, and
//! UTF-8 that was read as Windows-1252/Latin-1 ("mojibake").

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Windows-1252 characters for bytes 0x80..=0x9F (`None` where the code page has a hole).
/// Latin-1 maps these bytes to C1 controls instead; both mappings are reversed below.
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The byte a character came from if the text was decoded as Windows-1252 or Latin-1.
fn cp1252_byte(ch: char) -> Option<u8> {
    let code = u32::from(ch);
    if code < 0x100 {
        return u8::try_from(code).ok();
    }
    CP1252_HIGH
        .iter()
        .position(|&c| c == Some(ch))
        .and_then(|i| u8::try_from(0x80 + i).ok())
}

/// Decodes bytes as Windows-1252 (holes and C1 bytes map to the Latin-1 code point).
pub(crate) fn decode_cp1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH
                .get(usize::from(b - 0x80))
                .copied()
                .flatten()
                .unwrap_or(char::from(b)),
            _ => char::from(b),
        })
        .collect()
}

/// If `text` is UTF-8 that was decoded as Windows-1252/Latin-1 ("Nguyá»…n"), returns the
/// repaired text ("Nguyễn"). Returns `None` when the text is not such mojibake: a character
/// outside those code pages, or bytes that do not form UTF-8 with at least one non-ASCII
/// character. Genuine Vietnamese text never round-trips, because its letters either lie
/// outside Latin-1 or (like "à") are not followed by UTF-8 continuation bytes.
pub(crate) fn repair_mojibake(text: &str) -> Option<String> {
    if text.is_ascii() {
        return None;
    }
    let bytes: Vec<u8> = text.chars().map(cp1252_byte).collect::<Option<_>>()?;
    let repaired = String::from_utf8(bytes).ok()?;
    (!repaired.is_ascii()).then_some(repaired)
}

/// Repairs mojibake (up to twice, for text that was mis-decoded twice), then NFC-normalises.
pub(crate) fn clean_field(text: &str) -> String {
    let mut current = std::borrow::Cow::Borrowed(text);
    for _ in 0..2 {
        match repair_mojibake(&current) {
            Some(fixed) => current = std::borrow::Cow::Owned(fixed),
            None => break,
        }
    }
    let nfc: String = current.nfc().collect();
    collapse_spaces(&nfc)
}

/// Trims and collapses runs of whitespace (including NBSP) to one ASCII space.
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c == '\u{feff}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Lowercase with diacritics removed ("Nữ" → "nu", "Đ" → "d"), for tolerant matching.
pub(crate) fn fold_diacritics_lowercase(text: &str) -> String {
    text.nfd()
        .filter(|&c| !is_combining_mark(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_cp1252_mojibake() {
        // "Nguyễn" in UTF-8 is 4E 67 75 79 E1 BB 85 6E; read as cp1252 it is "Nguyá»…n".
        assert_eq!(repair_mojibake("Nguyá»…n").as_deref(), Some("Nguyễn"));
    }

    #[test]
    fn leaves_real_vietnamese_alone() {
        assert_eq!(repair_mojibake("Hà Nội"), None);
        assert_eq!(repair_mojibake("Thu Hà"), None);
        assert_eq!(repair_mojibake("plain ascii"), None);
    }

    #[test]
    fn folds() {
        assert_eq!(fold_diacritics_lowercase("NỮ"), "nu");
        assert_eq!(fold_diacritics_lowercase("Đặng"), "dang");
    }

    #[test]
    fn cp1252_decoding_round_trips_through_repair() {
        let utf8 = "Phường Bến Nghé".as_bytes();
        assert_eq!(
            repair_mojibake(&decode_cp1252(utf8)).as_deref(),
            Some("Phường Bến Nghé")
        );
    }
}
