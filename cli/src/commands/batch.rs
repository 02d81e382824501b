//! `cccd verify --batch DIR`: verify every dump folder in `DIR` on all cores (or `--jobs N`),
//! printing one result per dump, in the directory's listing order.
//!
//! Memory stays bounded whatever the batch size: the directory is listed lazily
//! (`read_dir`) and taken [`DUMPS_PER_THREAD`] dumps per worker thread at a time; the workers
//! load, verify and drop those dumps, their result lines are written in listing order to a
//! 64 KiB output buffer (flushed per line on a terminal), and the next group is taken.
//! Nothing else is collected. Document signer keys are prepared once per DSC in the trust
//! store's bounded cache (`cccd::pki::prepared`); its figures (signers held, EC tables, hits,
//! misses, evictions) are printed on standard error with the end summary.

use crate::args::TrustArgs;
use crate::commands::verify::ReportOutput;
use crate::exit::{CliError, Exit, error_json};
use crate::output::escape_untrusted;
use cccd::document::Document;
use cccd::pki::TrustStore;
use cccd::verify::{Claims, Options, Report, Verdict, verify};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::iter::{IntoParallelIterator, ParallelIterator};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Dumps handed to each worker thread per group: enough to keep the threads busy across a
/// group's slowest dump, few enough that a group's result lines stay small (a few hundred
/// KiB with --json).
pub const DUMPS_PER_THREAD: usize = 32;

/// What a batch run needs from the `verify` arguments.
#[derive(Debug)]
pub struct BatchArgs<'a> {
    /// The folder whose sub-folders are dumps.
    pub dir: &'a Path,
    /// Trust anchors and CRLs, shared by every dump.
    pub trust: &'a TrustArgs,
    /// How to verify each dump (time, AA challenge, policy).
    pub options: &'a Options,
    /// One JSON object per line instead of text.
    pub json: bool,
    /// Mask personal data in each report.
    pub redact: bool,
    /// Worker threads; `None`: rayon's default (`RAYON_NUM_THREADS`, else one per core).
    pub jobs: Option<usize>,
}

/// Counts of outcomes, updated by the workers.
#[derive(Debug, Default)]
struct Tally {
    verified: AtomicU64,
    not_verified: AtomicU64,
    inconclusive: AtomicU64,
    unreadable: AtomicU64,
}

impl Tally {
    fn add(&self, verdict: Option<Verdict>) {
        let counter = match verdict {
            Some(Verdict::Verified) => &self.verified,
            Some(Verdict::NotVerified) => &self.not_verified,
            Some(Verdict::Inconclusive) => &self.inconclusive,
            None => &self.unreadable,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// 2 if any dump could not be loaded, else 1 if any is not verified, else 4 if any is
    /// inconclusive, else 0.
    fn exit(&self) -> Exit {
        if self.unreadable.load(Ordering::Relaxed) > 0 {
            Exit::BadInput
        } else if self.not_verified.load(Ordering::Relaxed) > 0 {
            Exit::NotVerified
        } else if self.inconclusive.load(Ordering::Relaxed) > 0 {
            Exit::Inconclusive
        } else {
            Exit::Success
        }
    }

    fn summary(&self) -> String {
        rust_i18n::t!(
            "batch.summary",
            verified = self.verified.load(Ordering::Relaxed),
            not_verified = self.not_verified.load(Ordering::Relaxed),
            inconclusive = self.inconclusive.load(Ordering::Relaxed),
            unreadable = self.unreadable.load(Ordering::Relaxed)
        )
        .into_owned()
    }
}

/// Run a batch. Lines go to standard output in listing order; a progress spinner goes to
/// standard error when it is a terminal, and the end summary always.
pub fn run(args: &BatchArgs<'_>) -> Result<Exit, CliError> {
    let store = args.trust.store()?;
    let entries = std::fs::read_dir(args.dir)
        .map_err(|e| CliError::BadInput(format!("{}: {e}", args.dir.display())))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(|e| CliError::Io(format!("cannot start the worker threads: {e}")))?;
    let group = pool.current_num_threads() * DUMPS_PER_THREAD;
    let bar = progress_bar();
    let tally = Tally::default();
    // Buffered: one write per block of lines, not per line; flushed per line only when a
    // person watches (a terminal), and at the end.
    let interactive = std::io::stdout().is_terminal();
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout());
    let mut entries = entries.filter_map(|entry| match entry {
        Ok(e) if is_dump_candidate(&e) => Some(Ok(e.path())),
        Ok(_) => None,
        Err(e) => Some(Err(e)),
    });
    loop {
        let next: Vec<_> = entries.by_ref().take(group).collect();
        if next.is_empty() {
            break;
        }
        let lines: Vec<String> = pool.install(|| {
            next.into_par_iter()
                .map(|entry| {
                    let (dir, result) = match entry {
                        Ok(path) => {
                            let result = verify_one(&path, &store, args.options, args.redact);
                            (path, result)
                        }
                        Err(e) => (args.dir.to_path_buf(), Err(e.to_string())),
                    };
                    tally.add(result.as_ref().ok().map(|r| r.verdict));
                    bar.inc(1);
                    render(&dir, &result, args.json)
                })
                .collect()
        });
        // A closed stdout (e.g. `| head`) ends the batch quietly: later dumps are skipped.
        let written = lines.iter().try_for_each(|text| {
            writeln!(out, "{text}").and_then(|()| if interactive { out.flush() } else { Ok(()) })
        });
        if written.is_err() {
            break;
        }
    }
    bar.finish_and_clear();
    // A closed stdout at the end is the same quiet ending as above.
    let _ = out.flush();
    eprintln!("{}", tally.summary());
    eprintln!("{}", signer_cache_summary(&store));
    Ok(tally.exit())
}

/// The prepared-signer cache after the run: how many document signers it holds, their EC
/// tables, hits and misses (see `cccd::pki::prepared`).
fn signer_cache_summary(store: &TrustStore) -> String {
    let p = store.prepared_stats();
    format!(
        "prepared signers: {} held (at most {}), {} EC tables built ({} KiB held), \
         {} hits, {} misses, {} evicted",
        p.entries,
        cccd::pki::PREPARED_CAPACITY,
        p.tables_built,
        p.table_bytes / 1024,
        p.hits,
        p.misses,
        p.evictions
    )
}

/// Sub-folders are dumps; files and hidden entries are not.
fn is_dump_candidate(entry: &std::fs::DirEntry) -> bool {
    let hidden = entry.file_name().to_string_lossy().starts_with('.');
    if hidden {
        return false;
    }
    // The directory entry's own type answers without a stat, except for a symlink, which
    // is followed: a batch folder may link to dumps stored elsewhere.
    match entry.file_type() {
        Ok(t) if t.is_dir() => true,
        Ok(t) if t.is_symlink() => entry.path().is_dir(),
        _ => false,
    }
}

/// Verify one dump (redacted when asked), or say why it did not load.
fn verify_one(
    dir: &Path,
    store: &TrustStore,
    options: &Options,
    redact: bool,
) -> Result<Report, String> {
    let doc = Document::load(dir).map_err(|e| e.to_string())?;
    let report = verify(&doc, store, &Claims::default(), None, options);
    Ok(if redact { report.redacted() } else { report })
}

/// One line: with --json the same report document as `cccd verify --json` (its `source` the
/// dump folder), or an error document for a dump that did not load.
fn render(dir: &Path, result: &Result<Report, String>, json: bool) -> String {
    let shown = dir.display().to_string();
    let width = if json { 0 } else { verdict_width() };
    if json {
        // JSON escapes on its own; the text form below must not pass control characters.
        match result {
            Ok(report) => serde_json::to_string(&ReportOutput {
                report,
                source: &shown,
            })
            .unwrap_or_else(|e| error_json("io", Exit::Io, &e.to_string(), Some(&shown))),
            Err(e) => error_json("bad_input", Exit::BadInput, e, Some(&shown)),
        }
    } else {
        match result {
            Ok(report) => {
                let verdict = &report.verdict;
                let failed: Vec<String> =
                    report.failures().iter().map(ToString::to_string).collect();
                let unproven: Vec<String> =
                    report.unproven.iter().map(ToString::to_string).collect();
                // Check ids, not titles: one dump per line stays short and greppable.
                let label = crate::translations::verdict_heading(*verdict);
                let not_proven = if unproven.is_empty() || !failed.is_empty() {
                    String::new()
                } else {
                    rust_i18n::t!("human.not_proven", checks = unproven.join(" ")).into_owned()
                };
                format!(
                    "{label:width$}  {}  {}{not_proven}",
                    escape_untrusted(&shown),
                    failed.join(" ")
                )
                .trim_end()
                .to_owned()
            }
            Err(e) => format!(
                "{:width$}  {}  {}",
                rust_i18n::t!("human.unreadable"),
                escape_untrusted(&shown),
                escape_untrusted(e)
            ),
        }
    }
}

/// The width of the verdict column: the longest verdict word in the `--lang` language.
fn verdict_width() -> usize {
    [
        Verdict::Verified,
        Verdict::NotVerified,
        Verdict::Inconclusive,
    ]
    .into_iter()
    .map(|v| crate::translations::verdict_heading(v).chars().count())
    .chain([rust_i18n::t!("human.unreadable").chars().count()])
    .max()
    .unwrap_or(12)
}

/// A spinner with a count and a rate, drawn only when stderr is a terminal.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} dumps verified ({per_sec}) {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar
}
