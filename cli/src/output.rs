//! Printing for people (aligned, coloured on a terminal unless `NO_COLOR`) and for programs
//! (`--json`).

use std::io::IsTerminal;

/// `--color`: when human output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always (a pager that shows colour, `less -R`).
    Always,
    /// Never.
    Never,
}

/// `--lang`: the language of human output and the HTML report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Tiếng Việt.
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The locale code of the translations.
    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    /// The language the environment asks for: the first of LC_ALL, LC_MESSAGES, LANG that
    /// is set; `vi` or `vi_VN...` is Vietnamese.
    pub fn from_env() -> Self {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if locale == "vi" || locale.starts_with("vi_") || locale.starts_with("vi.") {
            Self::Vi
        } else {
            Self::En
        }
    }
}

static COLOR: std::sync::OnceLock<ColorChoice> = std::sync::OnceLock::new();

/// Set the `--color` choice once, at start.
pub fn set_color(choice: ColorChoice) {
    let _ = COLOR.set(choice);
}

/// Whether to colour human output: `--color always`, or `auto` on a terminal with
/// `NO_COLOR` unset.
pub fn use_colour() -> bool {
    match COLOR.get().copied().unwrap_or_default() {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Whether to colour what goes to standard error (logs): as [`use_colour`], for stderr.
pub fn stderr_colour() -> bool {
    match COLOR.get().copied().unwrap_or_default() {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
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
    /// Warn, inconclusive.
    Yellow = 33,
    /// Skip: not checked, which is neither a warning nor a failure.
    Cyan = 36,
}

/// Write a file that holds personal data (a face, an HTML report): mode 0600, written to a
/// temporary file beside it and renamed into place, so nobody else can read it at any
/// moment and a failed write leaves no half file. Failing is exit 2 ("cannot write").
pub fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<(), crate::exit::CliError> {
    use std::io::Write as _;
    let fail = |e: &dyn std::fmt::Display| crate::exit::CliError::cannot_write(path, e);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| fail(&"not a file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(&e));
    }
    Ok(())
}

/// Check, before a card is read, that `path` can be written: its folder exists and takes a
/// new file. A read that ends in "cannot write" would have touched the chip for nothing.
pub fn check_writable(path: &std::path::Path) -> Result<(), crate::exit::CliError> {
    let fail = |e: &dyn std::fmt::Display| crate::exit::CliError::cannot_write(path, e);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    if !dir.is_dir() {
        return Err(fail(&format_args!("{} is not a folder", dir.display())));
    }
    let probe = dir.join(format!(".cccd-write-probe.{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(|e| fail(&e))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Print a document body as pretty JSON on stdout, under the contract's header
/// (`schema_version`, `tool`).
pub fn print_json<T: serde::Serialize>(body: &T) -> Result<(), crate::exit::CliError> {
    print_json_document(&cccd::verify::contract::Versioned::new(body))
}

/// Print a document that carries its own header (a report) as pretty JSON on stdout.
pub fn print_json_document<T: serde::Serialize>(value: &T) -> Result<(), crate::exit::CliError> {
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
