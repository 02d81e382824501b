//! The one home of the workspace's test support (a dev-dependency only, never published).
//!
//! - [`testdata()`] and [`manifest()`]: the generated sample cards and their typed manifest,
//!   deserialized into the generator's own structs ([`cccd_sim::manifest`]), so tests read
//!   `card.expected_verdict`, not `card["expected_verdict"]`;
//! - [`trust_store()`]: the manifest's trust anchors and CRLs, loaded;
//! - [`shared()`]: the project's `shared/` folder (real-world samples), honouring `CCCD_SHARED`;
//! - [`openssl()`] and [`openssl_in()`]: the one OpenSSL runner;
//! - [`assert_exit()`]: an exit-code assert that prints the run's output when it fails;
//! - [`tls::TlsPki`]: a private CA and server certificate made with rcgen;
//! - [`pcscd`]: the vpcd reader fixtures (a card served until dropped, the reader left empty).
//!
//! Helpers panic with a message naming what was missing: they run only inside tests.

pub mod pcscd;
pub mod tls;

pub use cccd_sim::manifest::{CardEntry, CscaEntry, DocumentSignerEntry, Manifest};

use cccd::pki::TrustStore;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's `testdata/` folder (written by `cccd-gen`).
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

/// `testdata/manifest.json`, typed. Unknown or missing fields fail here, naming the field.
pub fn manifest() -> Manifest {
    let path = testdata().join("manifest.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every sample card of the manifest, in its order.
pub fn cards() -> Vec<CardEntry> {
    manifest().cards
}

/// The card whose folder is `cards/<name>`.
pub fn card(name: &str) -> CardEntry {
    cards()
        .into_iter()
        .find(|c| c.name() == name)
        .unwrap_or_else(|| panic!("no card {name} in testdata/manifest.json"))
}

/// The day the sample cards are valid at.
pub fn reference_date() -> time::Date {
    let text = manifest().reference_date;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(&text, &format).unwrap_or_else(|e| panic!("reference_date {text}: {e}"))
}

/// Midnight UTC of [`reference_date()`].
pub fn reference_time() -> time::OffsetDateTime {
    reference_date().midnight().assume_utc()
}

/// The manifest's trust anchors (test CSCAs) and CRLs, loaded into one store.
pub fn trust_store() -> TrustStore {
    let m = manifest();
    let mut store = TrustStore::new();
    for file in m.trust_anchors.iter().chain(&m.crls) {
        let path = testdata().join(file);
        let _ = store
            .load_path(&path)
            .unwrap_or_else(|e| panic!("trust store: {}: {e}", path.display()));
    }
    store
}

/// Where the project's `shared/` folder may be: `CCCD_SHARED` when set, then `shared/` beside
/// the repository, then inside it.
fn shared_candidates() -> Vec<PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::env::var_os("CCCD_SHARED")
        .map(PathBuf::from)
        .into_iter()
        .chain([repo.join("../shared"), repo.join("shared")])
        .collect()
}

/// The project's `shared/` folder (DESIGN.md, realworld/ samples): the first of `CCCD_SHARED`,
/// `../shared` beside the repository and `shared/` inside it that exists.
pub fn shared() -> Option<PathBuf> {
    shared_candidates().into_iter().find(|p| p.is_dir())
}

/// A real-world sample `realworld/<name>` from the first `shared/` candidate that has it.
pub fn realworld(name: &str) -> Option<PathBuf> {
    shared_candidates()
        .into_iter()
        .map(|root| root.join("realworld").join(name))
        .find(|p| p.is_file())
}

/// Run `openssl args...` in the current folder; panics (naming the command) only if it cannot
/// be started. The caller judges the exit status.
pub fn openssl(args: &[&str]) -> Output {
    run_openssl(Command::new("openssl").args(args), args)
}

/// Run `openssl args...` in `dir`; as [`openssl()`].
pub fn openssl_in(dir: &Path, args: &[&str]) -> Output {
    run_openssl(Command::new("openssl").args(args).current_dir(dir), args)
}

/// Run `openssl args...` in `dir` and assert it succeeded, showing its stderr otherwise.
pub fn openssl_ok(dir: &Path, args: &[&str]) {
    let out = openssl_in(dir, args);
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn run_openssl(command: &mut Command, args: &[&str]) -> Output {
    command.output().unwrap_or_else(|e| {
        panic!(
            "`openssl {}` did not start (is the openssl CLI installed?): {e}",
            args.join(" ")
        )
    })
}

/// Assert that a finished process exited with `code`, printing its stdout and stderr if not.
#[track_caller]
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit status {} (expected {code})\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
