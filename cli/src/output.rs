//! Printing for people (aligned, coloured on a terminal unless `NO_COLOR`) and for programs
//! (`--json`).

use std::io::IsTerminal;

/// Whether to colour human output: a terminal, and `NO_COLOR` unset.
pub fn use_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Wrap `text` in an ANSI colour when colour is on.
pub fn paint(text: &str, colour: Colour) -> String {
    if use_colour() {
        format!("\x1b[{}m{text}\x1b[0m", colour as u8)
    } else {
        text.to_owned()
    }
}

/// The few colours the CLI uses.
#[derive(Debug, Clone, Copy)]
pub enum Colour {
    /// Pass, verified.
    Green = 32,
    /// Fail, not verified.
    Red = 31,
    /// Warn, skip.
    Yellow = 33,
}

/// Print a value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), crate::exit::CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| crate::exit::CliError::Io(format!("cannot encode JSON: {e}")))?;
    crate::outln!("{text}");
    Ok(())
}

/// `println!` that never panics: a closed pipe (`cccd ... | head`) must not turn into a
/// crash, and the exit code must still tell the verdict.
#[macro_export]
macro_rules! outln {
    () => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock());
    }};
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `text` made safe for a terminal: control characters (C0 including newline and tab, DEL,
/// C1) and bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, plus the marks
/// U+200E, U+200F, U+061C) are written as `\u{XXXX}` escapes, and a backslash as `\\`, so
/// a crafted dump, certificate or QR cannot redraw the screen or reorder what an operator
/// reads. Every untrusted string in human output goes through this; JSON and HTML escape on
/// their own.
pub fn escape_untrusted(text: &str) -> std::borrow::Cow<'_, str> {
    use std::fmt::Write as _;
    fn unsafe_char(c: char) -> bool {
        c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
    }
    if !text.chars().any(|c| unsafe_char(c) || c == '\\') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c == '\\' {
            out.push_str("\\\\");
        } else if unsafe_char(c) {
            let _ = write!(out, "\\u{{{:04X}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::escape_untrusted;

    #[test]
    fn controls_and_bidi_are_escaped() {
        assert_eq!(escape_untrusted("Nguyễn Văn A"), "Nguyễn Văn A");
        assert_eq!(escape_untrusted("a\x1b[2Jb"), "a\\u{001B}[2Jb");
        assert_eq!(escape_untrusted("x\ny\r"), "x\\u{000A}y\\u{000D}");
        assert_eq!(escape_untrusted("\u{9b}31m"), "\\u{009B}31m");
        assert_eq!(escape_untrusted("\u{7f}"), "\\u{007F}");
        assert_eq!(
            escape_untrusted("ab\u{202E}cd\u{2066}"),
            "ab\\u{202E}cd\\u{2066}"
        );
        assert_eq!(escape_untrusted("c:\\u{1B}"), "c:\\\\u{1B}");
    }
}
