//! Redaction: masking personal data in output while keeping enough to recognise a record
//! (the last digits of a number, a name's initials).
//!
//! A kiosk log, a support ticket or a screenshot of `cccd verify --redact` shows that a card
//! was checked and how it came out, not who it belongs to.

/// What a masked date looks like.
pub const MASKED_DATE: &str = "••••-••-••";

/// `text` with all but its last `keep` characters replaced by `•` (whitespace kept).
///
/// ```
/// assert_eq!(cccd::verify::redact::mask("001099000001", 3), "•••••••••001");
/// ```
pub fn mask(text: &str, keep: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let hidden = chars.len() - keep.min(chars.len());
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < hidden && !c.is_whitespace() {
                '•'
            } else {
                *c
            }
        })
        .collect()
}

/// A name as initials only: "Nguyễn Văn A" -> "N. V. A.".
///
/// ```
/// assert_eq!(cccd::verify::redact::initials("Nguyễn Văn A"), "N. V. A.");
/// ```
pub fn initials(text: &str) -> String {
    text.split_whitespace()
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `mask` when `on`, else `text` unchanged.
pub fn mask_if(text: &str, keep: usize, on: bool) -> String {
    if on {
        mask(text, keep)
    } else {
        text.to_owned()
    }
}

/// `initials` when `on`, else `text` unchanged.
pub fn initials_if(text: &str, on: bool) -> String {
    if on { initials(text) } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask("001099000001", 3), "•••••••••001");
        assert_eq!(mask_if("001099000001", 3, false), "001099000001");
        assert_eq!(initials("Nguyễn Văn A"), "N. V. A.");
        assert_eq!(mask("ab", 5), "ab");
        assert_eq!(mask("Số 1 Huế", 0), "•• • •••");
    }
}
