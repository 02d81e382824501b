//! `-v` and `RUST_LOG`: logs on stderr through `tracing-subscriber` (the library's `log`
//! records are bridged). The library logs APDU headers, status words, file ids, sizes and
//! protocol steps — never personal data or key material.

use tracing_subscriber::EnvFilter;

/// Install the subscriber: `-v` info, `-vv` debug, `-vvv` trace (every APDU header); without
/// `-v`, `RUST_LOG` decides (default: warnings). `json`: one JSON object per line.
pub fn init(verbosity: u8, json: bool) {
    let level = match verbosity {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = if verbosity == 0 {
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level))
    } else {
        EnvFilter::new(level)
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time();
    // A second subscriber (a test harness) is not an error worth stopping for.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.with_ansi(crate::output::stderr_colour()).try_init()
    };
}
