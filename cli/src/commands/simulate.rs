//! `cccd simulate`: put a virtual card into pcscd's vpcd reader and serve it until stopped.
//!
//! With `--control`, lines on standard input move the card: `remove` takes it out of the
//! reader (pcscd sees it pulled away, mid-APDU if one is running), `insert` puts the same
//! chip back (powered up afresh, as a real card re-entering the field), `status` reports
//! whether it is in and how many APDUs it answered since power-on. Each prints an event.

use crate::exit::{CliError, Exit};
use cccd::document::Document;
use cccd_sim::chip::{ChipConfig, Profile, VirtualChip};
use cccd_sim::vpcd::{Card, SelectOnlyCard, VPCD_PORT_0, VpcdConnection};
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `cccd simulate`.
#[derive(Debug, clap::Args)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "each is an independent command-line switch"
)]
pub struct Args {
    /// A dump folder to serve as the chip. Without it, a bench card that only answers
    /// SELECT of the eMRTD application.
    #[arg(value_name = "DIR")]
    dump: Option<PathBuf>,
    /// The chip's private keys (aa-private.pem, ca-private.pem). Default: DIR/secrets, or
    /// the sample layout `testdata/secrets/<name>` beside `testdata/cards/<name>`.
    #[arg(long, value_name = "DIR")]
    secrets: Option<PathBuf>,
    /// Access protocols offered: cccd-2021 (PACE ECDH-GM + BAC), bac-only, pace-only, or one
    /// PACE mapping (+ BAC): pace-dh-gm, pace-ecdh-im, pace-dh-im, pace-ecdh-cam.
    #[arg(long, default_value = "cccd-2021", value_parser = [
        "cccd-2021", "bac-only", "pace-only", "pace-dh-gm", "pace-ecdh-im", "pace-dh-im",
        "pace-ecdh-cam",
    ])]
    profile: String,
    /// Refuse extended-length APDUs (as some chips and readers do).
    #[arg(long)]
    no_extended: bool,
    /// The short-only profile: refuse extended-length APDUs and say so in the ATR and in
    /// EF.ATR/INFO, so readers can learn it before trying.
    #[arg(long, conflicts_with = "no_extended")]
    short_only: bool,
    /// The most bytes one READ BINARY returns.
    #[arg(long, value_name = "BYTES")]
    max_read: Option<usize>,
    /// Slow each APDU to this link speed in kbit/s (106, 212, 424, 848), to feel real timings.
    #[arg(long, value_name = "KBPS")]
    bit_rate: Option<u32>,
    /// Fixed time per APDU in milliseconds, with --bit-rate.
    #[arg(long, value_name = "MS", default_value_t = 5)]
    apdu_latency_ms: u64,
    /// The vpcd TCP port: 35963 is reader `Virtual PCD 00 00`, 35964 `Virtual PCD 00 01`.
    #[arg(long, default_value_t = VPCD_PORT_0)]
    port: u16,
    /// The vpcd host.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Seconds to keep trying to reach vpcd (pcscd may still be starting).
    #[arg(long, default_value_t = 10)]
    connect_timeout: u64,
    /// Print JSON events (`inserted`, `removed`, `status`) on stdout, one per line.
    #[arg(long)]
    json: bool,
    /// Read `remove`, `insert` and `status` commands from standard input, one per line.
    #[arg(long)]
    control: bool,
}

fn event(args: &Args, status: &str) {
    if args.json {
        crate::outln!(
            "{}",
            serde_json::json!({ "event": status, "host": args.host, "port": args.port })
        );
    } else {
        eprintln!("cccd: card {status} (vpcd port {})", args.port);
    }
}

fn insert<C: Card + 'static>(args: &Args, card: C) -> Result<VpcdConnection<C>, CliError> {
    let conn = VpcdConnection::insert(
        (args.host.as_str(), args.port),
        card,
        Duration::from_secs(args.connect_timeout),
    )
    .map_err(|e| {
        CliError::Io(format!(
            "cannot reach vpcd at {}:{}: {e} (is pcscd running with vsmartcard-vpcd?)",
            args.host, args.port
        ))
    })?;
    event(args, "inserted");
    Ok(conn)
}

fn serve<C: Card + 'static>(args: &Args, card: C) -> Result<Exit, CliError> {
    let conn = insert(args, card)?;
    let conn = if args.control {
        match control(args, conn)? {
            Some(conn) => conn,
            None => return Ok(Exit::Success),
        }
    } else {
        conn
    };
    conn.wait()
        .map_err(|e| CliError::Io(format!("virtual card stopped: {e}")))?;
    event(args, "removed");
    Ok(Exit::Success)
}

/// Where the card is while `--control` moves it.
enum Slot<C: Card + 'static> {
    In(VpcdConnection<C>),
    Out(C),
}

/// Obey `remove` / `insert` / `status` lines until standard input ends; then hand back the
/// connection to serve until pcscd closes it (`None` when the card is out at that point).
fn control<C: Card + 'static>(
    args: &Args,
    conn: VpcdConnection<C>,
) -> Result<Option<VpcdConnection<C>>, CliError> {
    let io = |e: std::io::Error| CliError::Io(format!("virtual card: {e}"));
    let mut slot = Slot::In(conn);
    for line in std::io::stdin().lines() {
        let line = line.map_err(io)?;
        slot = match (line.trim(), slot) {
            ("remove", Slot::In(conn)) => {
                let card = conn.take_out().map_err(io)?;
                event(args, "removed");
                Slot::Out(card)
            }
            ("insert", Slot::Out(card)) => Slot::In(insert(args, card)?),
            ("status", slot) => {
                status(args, &slot);
                slot
            }
            ("", slot) => slot,
            (other, slot) => {
                eprintln!("cccd: `{other}` does nothing now (commands: remove, insert, status)");
                slot
            }
        };
    }
    Ok(match slot {
        Slot::In(conn) => Some(conn),
        Slot::Out(_) => None,
    })
}

fn status<C: Card + 'static>(args: &Args, slot: &Slot<C>) {
    let (present, apdus) = match slot {
        Slot::In(conn) => {
            let card = conn.card();
            let apdus = card
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .apdu_count();
            (!conn.is_finished(), apdus)
        }
        Slot::Out(card) => (false, card.apdu_count()),
    };
    if args.json {
        crate::outln!(
            "{}",
            serde_json::json!({ "event": "status", "present": present, "apdus": apdus })
        );
    } else {
        let apdus = apdus.map_or_else(|| "?".to_owned(), |n| n.to_string());
        eprintln!(
            "cccd: card {} ({apdus} APDUs since power-on)",
            if present { "in" } else { "out" }
        );
    }
}

/// Run the command: serve until pcscd closes the connection.
pub fn run(args: &Args) -> Result<Exit, CliError> {
    let Some(dir) = &args.dump else {
        return serve(args, SelectOnlyCard);
    };
    let doc = Document::load(dir).map_err(|e| CliError::BadInput(e.to_string()))?;
    let mut config = ChipConfig {
        profile: Profile::from_name(&args.profile).unwrap_or_default(),
        extended_length: !args.no_extended,
        ..ChipConfig::default()
    };
    if args.short_only {
        config = config.short_only();
    }
    config.link = args.bit_rate.map(|kbps| cccd_sim::chip::LinkModel {
        bit_rate: kbps.saturating_mul(1000),
        apdu_latency: Duration::from_millis(args.apdu_latency_ms),
    });
    if let Some(n) = args.max_read {
        config.max_read = n.clamp(1, 65_536);
    }
    let secrets = args.secrets.clone().or_else(|| default_secrets(dir));
    let chip = match &secrets {
        Some(s) => VirtualChip::from_document_with_keys(&doc, config, s),
        None => VirtualChip::from_document(&doc, config),
    }
    .map_err(|e| CliError::BadInput(format!("{}: {e}", dir.display())))?;
    if secrets.is_none() {
        eprintln!("cccd: no chip keys found: the virtual chip will not answer AA or CA");
    }
    serve(args, chip)
}

/// `DIR/secrets`, or `../../secrets/NAME` for the `testdata/cards/NAME` layout.
fn default_secrets(dump: &std::path::Path) -> Option<PathBuf> {
    let inside = dump.join("secrets");
    if inside.is_dir() {
        return Some(inside);
    }
    let name = dump.file_name()?;
    let beside = dump.parent()?.parent()?.join("secrets").join(name);
    beside.is_dir().then_some(beside)
}
