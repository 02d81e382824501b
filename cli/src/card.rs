//! Reading a card through a PC/SC reader, with a progress bar on standard error.

use crate::exit::CliError;
use cccd::document::Document;
use cccd::session::{AccessKeys, OpenOptions, ReadPlan, Session, SessionError};
use cccd::transport::TransportError;
use cccd::transport::pcsc::{PcscTransport, wait_for_card};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::{Duration, Instant};

/// Where to find the card.
#[derive(Debug, Clone, clap::Args)]
pub struct ReaderArgs {
    /// The PC/SC reader (see `cccd readers`); default: the first reader with a card.
    #[arg(long, value_name = "NAME")]
    pub reader: Option<String>,
    /// Seconds to wait for a card.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub wait: u64,
}

impl From<SessionError> for CliError {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::AccessDenied { .. } => CliError::BadInput(e.to_string()),
            _ => CliError::Io(e.to_string()),
        }
    }
}

/// How many times one read waits for the card to come back before giving up.
const MAX_RESUMES: usize = 5;

/// Open the card with `keys` (checked by the caller before any reader is touched) under
/// `open`'s policy and read `plan`, showing progress; the document records the reader and
/// time.
///
/// A card pulled away (or a secure session lost for good) does not end the read: the command
/// says so, waits up to `--wait` seconds for the card to come back in the same reader, checks
/// it is the same chip (access control and chip authentication again) and continues from the
/// bytes already read.
pub fn read_card(
    reader: &ReaderArgs,
    keys: &AccessKeys,
    open: OpenOptions,
    plan: &ReadPlan,
) -> Result<Document, CliError> {
    let wait = Duration::from_secs(reader.wait);
    let name = wait_for_card(reader.reader.as_deref(), wait)?;
    let started = Instant::now();
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg:24} [{bar:30}] {bytes}/{total_bytes}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    // Access control and chip authentication send few, slow APDUs: a steady tick shows the
    // tool is working while the bar itself cannot move.
    bar.enable_steady_tick(Duration::from_millis(120));
    bar.set_message("opening (PACE or BAC)");
    let mut session = open_session(&name, keys, open, wait, &bar)?;
    let mut overall = Overall::new(plan);
    let mut resumes = 0;
    let mut doc = loop {
        let outcome = session.read(plan, &mut |p| {
            let (message, done, total) = overall.update(&p);
            bar.set_message(message);
            bar.set_length(total);
            bar.set_position(done);
        });
        match outcome {
            Ok(doc) => break doc,
            Err(e) if worth_resuming(&e) && resumes < MAX_RESUMES => {
                resumes += 1;
                let kept = session
                    .partial()
                    .map_or(String::new(), |(f, n)| format!("; {n} bytes of {f} kept"));
                bar.suspend(|| {
                    eprintln!(
                        "cccd: {e}{kept}. Waiting up to {}s for the card in {name}...",
                        reader.wait
                    );
                });
                resume(&mut session, &name, wait)?;
                bar.suspend(|| eprintln!("cccd: card back; continuing the read"));
            }
            Err(e) => return Err(e.into()),
        }
    };
    bar.finish_and_clear();
    eprintln!(
        "cccd: {}",
        summary(&doc, session.genuineness(), started.elapsed())
    );
    doc.meta
        .record_read(name, format!("cccd {}", env!("CARGO_PKG_VERSION")));
    Ok(doc)
}

/// Progress over the whole read: bytes of every file seen so far (the sizes of files not yet
/// selected are unknown until their header is read) and which file of the plan this is.
struct Overall {
    planned: usize,
    sizes: Vec<(cccd::lds::FileId, usize, usize)>,
}

impl Overall {
    fn new(plan: &ReadPlan) -> Self {
        Self {
            planned: plan.files().len(),
            sizes: Vec::new(),
        }
    }

    /// The message, bytes done and bytes known in total after `p`.
    fn update(&mut self, p: &cccd::session::Progress) -> (String, u64, u64) {
        match self.sizes.iter_mut().find(|(f, _, _)| *f == p.file) {
            Some(entry) => (entry.1, entry.2) = (p.done, p.total),
            None => self.sizes.push((p.file, p.done, p.total)),
        }
        let done: usize = self.sizes.iter().map(|s| s.1).sum();
        let total: usize = self.sizes.iter().map(|s| s.2).sum();
        let index = self.sizes.len();
        let planned = self.planned.max(index);
        (
            format!("file {index}/{planned} {}", p.file),
            done as u64,
            total as u64,
        )
    }
}

/// The end-of-read line: how the chip was opened, whether it proved itself, what was read.
fn summary(doc: &Document, chip: &cccd::Genuineness, elapsed: Duration) -> String {
    use cccd::Genuineness;
    use cccd::document::GenuinenessProof;
    use rust_i18n::t;
    let access = match (&doc.meta.pace, doc.meta.access) {
        (Some(pace), _) => pace.name.clone(),
        (None, Some(access)) => access.to_string(),
        (None, None) => t!("inspect.unknown").into_owned(),
    };
    let chip = match chip {
        Genuineness::ChipAuthentication => t!("read.ca_passed").into_owned(),
        Genuineness::PaceCam { .. } => t!("read.pace_cam_passed").into_owned(),
        Genuineness::ActiveAuthentication => t!("read.aa_passed").into_owned(),
        Genuineness::Failed { proof, reason } => {
            let proof = match proof {
                GenuinenessProof::PaceCam => t!("read.proof_pace_cam"),
                GenuinenessProof::ActiveAuthentication => t!("read.proof_aa"),
                _ => t!("read.proof_ca"),
            };
            t!(
                "read.chip_failed",
                proof = proof,
                why = crate::output::escape_untrusted(&crate::translations::reason(reason))
            )
            .into_owned()
        }
        Genuineness::NotAvailable => t!("read.no_chip_auth").into_owned(),
        // A proof this build does not know by name yet (the enum is non-exhaustive).
        _ => t!("read.chip_unknown").into_owned(),
    };
    let files = doc.files().count();
    let bytes: usize = doc.files().map(|(_, b)| b.len()).sum();
    t!(
        "read.summary",
        files = files,
        bytes = bytes,
        seconds = format!("{:.1}", elapsed.as_secs_f64()),
        access = access,
        chip = chip
    )
    .into_owned()
}

/// Open a session, waiting for the card again when it leaves during access control.
fn open_session(
    name: &str,
    keys: &AccessKeys,
    open: OpenOptions,
    wait: Duration,
    bar: &ProgressBar,
) -> Result<Session<PcscTransport>, CliError> {
    let deadline = Instant::now() + wait;
    loop {
        let attempt = PcscTransport::connect(name)
            .map_err(SessionError::from)
            .and_then(|t| Session::open_with(t, keys, open));
        match attempt {
            Ok(session) => return Ok(session),
            Err(e) if worth_resuming(&e) && Instant::now() < deadline => {
                bar.suspend(|| eprintln!("cccd: {e}. Waiting for the card in {name}..."));
                wait_for_card(
                    Some(name),
                    deadline.saturating_duration_since(Instant::now()),
                )?;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Wait for the card to be back in `name`, connect again and re-authenticate; retried while
/// the card keeps leaving, until `wait` has passed.
fn resume(
    session: &mut Session<PcscTransport>,
    name: &str,
    wait: Duration,
) -> Result<(), CliError> {
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        // The same handle connects again (a new one would find the reader held by the old).
        let attempt = wait_for_card(Some(name), left)
            .and_then(|_| session.transport_mut().reconnect())
            .map_err(SessionError::from)
            .and_then(|()| session.reconnect());
        match attempt {
            Ok(()) => return Ok(()),
            Err(SessionError::Transport(TransportError::Timeout)) => {
                return Err(CliError::Io(format!(
                    "the card did not come back to {name} within {}s; the read is incomplete and no dump was written",
                    wait.as_secs()
                )));
            }
            Err(e) if retryable_while_waiting(&e) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Errors after which reconnecting and resuming may finish the read: the card left, the
/// secure session was lost, or the reader failed one exchange (pcsc-lite's "not transacted").
/// Resuming authenticates again, and the dump is written only after a complete read.
fn worth_resuming(e: &SessionError) -> bool {
    e.is_retryable() || matches!(e, SessionError::Transport(TransportError::Other(_)))
}

/// Errors that mean "not back yet": the card left again, or pcscd has not seen it go.
fn retryable_while_waiting(e: &SessionError) -> bool {
    e.is_retryable()
        || matches!(
            e,
            SessionError::Transport(
                TransportError::NoCard | TransportError::InUse { .. } | TransportError::Other(_)
            )
        )
}
