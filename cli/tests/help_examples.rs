//! Every example in `--help` runs: the offline ones are run from a folder that holds the
//! repository's testdata (exit 0, or a verdict's exit code for verify), and every
//! testdata path named by any example exists.

#![allow(clippy::unwrap_used)]

mod support;
use support::*;

/// Every subcommand; `simulate` only in a build with the `sim` feature.
const SUBCOMMANDS: &[&str] = &[
    "verify",
    "read",
    "inspect",
    "qr",
    "mrz",
    "trust",
    "readers",
    #[cfg(feature = "sim")]
    "simulate",
    "serve",
    "relay",
    "receipt",
];

/// The `cccd ...` example lines of a subcommand's help (under "Examples:"; the usage lines
/// above it are forms with placeholders, not commands).
fn examples(sub: &str) -> Vec<String> {
    let out = cccd().args([sub, "--help"]).output().unwrap();
    assert_exit(&out, 0);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip_while(|l| !l.starts_with("Examples:"))
        .map(str::trim)
        .filter(|l| l.starts_with("cccd "))
        .map(str::to_owned)
        .collect()
}

/// Examples that need a reader, a running service or a background simulator.
fn needs_a_reader_or_service(line: &str) -> bool {
    [
        "--reader",
        "cccd read ",
        "cccd readers",
        "cccd relay",
        "cccd serve",
        "cccd simulate",
    ]
    .iter()
    .any(|m| line.contains(m))
        || line.starts_with("cccd receipt")
}

#[test]
fn every_help_example_runs() {
    let work = std::env::temp_dir().join(format!("cccd-help-examples-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    std::os::unix::fs::symlink(testdata(), work.join("testdata")).unwrap();
    let bin = std::path::PathBuf::from(env!("CARGO_BIN_EXE_cccd"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for &sub in SUBCOMMANDS {
        let lines = examples(sub);
        assert!(!lines.is_empty(), "cccd {sub} --help has no example");
        for line in lines {
            for word in line.split_whitespace() {
                let word = word.trim_matches(|c| c == '\'' || c == '"');
                if word.starts_with("testdata/") {
                    assert!(work.join(word).exists(), "{line}: {word} does not exist");
                }
            }
            if needs_a_reader_or_service(&line) {
                continue;
            }
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(&line)
                .current_dir(&work)
                .env("PATH", &path)
                .output()
                .unwrap();
            let allowed: &[i32] = if sub == "verify" { &[0, 1, 4] } else { &[0] };
            assert!(
                out.status.code().is_some_and(|c| allowed.contains(&c)),
                "{line}: exit {:?}\n{}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 8, "only {ran} examples ran");
    std::fs::remove_dir_all(&work).unwrap();
}
