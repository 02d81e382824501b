//! Reading a card through a PC/SC reader, with a progress bar on standard error.

use crate::args::KeyArgs;
use crate::exit::CliError;
use cccd::document::Document;
use cccd::session::{ReadPlan, Session, SessionError};
use cccd::transport::pcsc::{PcscTransport, wait_for_card};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

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

/// Open the card and read `plan`, showing progress; the document records the reader and time.
pub fn read_card(
    reader: &ReaderArgs,
    keys: &KeyArgs,
    plan: &ReadPlan,
) -> Result<Document, CliError> {
    let today = time::OffsetDateTime::now_utc().date();
    let keys = keys.keys(today)?;
    let name = wait_for_card(reader.reader.as_deref(), Duration::from_secs(reader.wait))?;
    let transport = PcscTransport::connect(&name)?;
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg:14} [{bar:30}] {bytes}/{total_bytes}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("opening");
    let mut session = Session::open(transport, &keys)?;
    let mut doc = session.read(plan, &mut |p| {
        bar.set_message(p.file.to_string());
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
    })?;
    bar.finish_and_clear();
    doc.meta.reader = Some(name);
    doc.meta.read_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .ok();
    doc.meta.tool = Some(format!("cccd {}", env!("CARGO_PKG_VERSION")));
    Ok(doc)
}
