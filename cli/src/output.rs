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
