//! `cccd relay`: the device side of remote reading. The server reads the card through this
//! relay; this command only carries APDUs, shows progress and prints the server's verdict.

use crate::args::{KeyArgs, parse_sex};
use crate::exit::{CliError, Exit};
use crate::output::escape_untrusted as clean;
use crate::output::print_json_document;
use cccd_service::protocol::{
    ClaimsInput, DeviceMessage, ErrorCode, KeyInput, PROTOCOL_VERSION, ServerMessage,
};
#[cfg(feature = "sim")]
use cccd_service::relay_client::SimCard;
use cccd_service::relay_client::{PcscCard, RelayCard, RelayOptions, RelayOutcome, relay};
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `cccd relay`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The server's read endpoint, e.g. ws://127.0.0.1:8080/v1/read, or wss://… for a
    /// server with TLS (checked against the system's root certificates and --ca-cert).
    #[arg(long, value_name = "URL")]
    server: String,
    /// Also trust this CA certificate (PEM) for a wss:// server, e.g. a private CA.
    #[arg(long, env = "CCCD_CA_CERT", value_name = "PEM")]
    ca_cert: Option<PathBuf>,
    /// The PC/SC reader ("" or absent: the first reader with a card).
    #[cfg_attr(
        feature = "sim",
        arg(long, value_name = "NAME", conflicts_with = "sim")
    )]
    #[cfg_attr(not(feature = "sim"), arg(long, value_name = "NAME"))]
    reader: Option<String>,
    /// Relay to an in-process virtual chip made from this dump (tests, load generation).
    #[cfg(feature = "sim")]
    #[arg(long, value_name = "DIR")]
    sim: Option<PathBuf>,
    /// Seconds to wait for a card (and for it to come back after a removal).
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    wait: u64,
    #[command(flatten)]
    keys: KeyArgs,
    /// Claimed full name.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Claimed sex (M/F, Nam/Nữ).
    #[arg(long, value_parser = parse_sex)]
    sex: Option<cccd_qr::Sex>,
    /// Compare names ignoring diacritics.
    #[arg(long)]
    ignore_diacritics: bool,
    /// Also read the face (DG2).
    #[arg(long)]
    face: bool,
    /// Delay each response by this many milliseconds (models a mobile network's round trip).
    #[arg(long, default_value_t = 0, value_name = "MS")]
    rtt_ms: u64,
    /// A file holding the bearer API key.
    #[arg(long, env = "CCCD_API_KEY_FILE", value_name = "FILE")]
    api_key_file: Option<PathBuf>,
    /// Write the signed receipt (JWS) here, when the server signs.
    #[arg(long, value_name = "FILE")]
    receipt_out: Option<PathBuf>,
    /// Print the server's report as JSON (as `cccd verify --json`).
    #[arg(long)]
    json: bool,
}

fn iso(date: time::Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.format(&format).unwrap_or_default()
}

fn hello(args: &Args) -> DeviceMessage {
    let k = &args.keys;
    let key = KeyInput {
        can: k.can.clone(),
        mrz: k.mrz.clone(),
        qr: k.qr.clone(),
        id: k.id.map(|id| id.to_string()),
        dob: k.dob.map(iso),
        expiry: k.expiry.map(iso),
        no_bac_fallback: k.no_bac_fallback,
    };
    let claims = ClaimsInput {
        id_number: k.id.map(|id| id.to_string()),
        full_name: args.name.clone(),
        date_of_birth: k.dob.map(iso),
        sex: args
            .sex
            .map(|s| if s == cccd_qr::Sex::Male { "M" } else { "F" }.to_owned()),
        ignore_diacritics: args.ignore_diacritics,
    };
    DeviceMessage::Hello {
        version: PROTOCOL_VERSION,
        key,
        claims,
        qr: k.qr.clone(),
        face: args.face,
        extended_length: false,
    }
}

fn card(args: &Args) -> Result<Box<dyn RelayCard>, CliError> {
    #[cfg(feature = "sim")]
    if let Some(dir) = &args.sim {
        let card = SimCard::from_dump(dir, None, cccd_sim::chip::ChipConfig::default())
            .map_err(CliError::BadInput)?;
        return Ok(Box::new(card));
    }
    let reader = args.reader.as_deref().filter(|r| !r.is_empty());
    Ok(Box::new(PcscCard::connect(
        reader,
        Duration::from_secs(args.wait),
    )?))
}

/// Whom to trust for a wss:// server: the system roots, plus `--ca-cert`. A CA for a plain
/// ws:// server is a mistake worth saying (the connection would not be protected).
fn tls(args: &Args) -> Result<Option<std::sync::Arc<rustls::ClientConfig>>, CliError> {
    let secure = args.server.to_ascii_lowercase().starts_with("wss://");
    match (&args.ca_cert, secure) {
        (Some(_), false) => Err(CliError::BadInput(
            "--ca-cert is for a wss:// server; this --server is not TLS".into(),
        )),
        (ca, true) => cccd_service::tls::client_config(ca.as_deref())
            .map(Some)
            .map_err(|e| CliError::BadInput(format!("TLS: {e}"))),
        (None, false) => Ok(None),
    }
}

/// The exit code of a server error.
fn exit_for_error(code: ErrorCode) -> Exit {
    match code {
        ErrorCode::BadInput | ErrorCode::AccessDenied | ErrorCode::UnsupportedVersion => {
            Exit::BadInput
        }
        _ => Exit::Io,
    }
}

/// The first non-comment line of `--api-key-file`.
fn api_key(args: &Args) -> Result<Option<String>, CliError> {
    let Some(path) = &args.api_key_file else {
        return Ok(None);
    };
    Ok(Some(
        std::fs::read_to_string(path)
            .map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or_default()
            .to_owned(),
    ))
}

/// Run the command.
pub fn run(args: &Args) -> Result<Exit, CliError> {
    let api_key = api_key(args)?;
    let options = RelayOptions {
        server: args.server.clone(),
        api_key,
        hello: hello(args),
        rtt: Duration::from_millis(args.rtt_ms),
        timeout: Duration::from_secs(args.wait.max(5) + 60),
        tls: tls(args)?,
    };
    let mut card = card(args)?;
    let json = args.json;
    let outcome = relay(card.as_mut(), &options, &mut |message| {
        if json {
            return;
        }
        if let ServerMessage::Progress {
            stage,
            file,
            done,
            total,
        } = message
        {
            match (file, done, total) {
                (Some(file), Some(done), Some(total)) => {
                    eprintln!("cccd: {} {} {done}/{total}", clean(stage), clean(file));
                }
                _ => eprintln!("cccd: {}", clean(stage)),
            }
        }
    })
    .map_err(|e| match e {
        cccd_service::relay_client::RelayError::Connect(m) if m.contains("401") => {
            CliError::BadInput(format!("the server refused the API key: {m}"))
        }
        other => CliError::Io(other.to_string()),
    })?;
    match outcome {
        RelayOutcome::Report {
            report,
            receipt,
            session_id,
            apdus,
        } => {
            if let (Some(path), Some(jws)) = (&args.receipt_out, &receipt) {
                std::fs::write(path, jws)
                    .map_err(|e| CliError::Io(format!("{}: {e}", path.display())))?;
            }
            let verdict = report["verdict"].as_str().unwrap_or_default().to_owned();
            if json {
                // The server's report document, as it sent it (already versioned).
                print_json_document(&report)?;
            } else {
                // Everything here came from the server: untrusted text.
                crate::outln!(
                    "{}  (session {}, {apdus} APDUs relayed)",
                    clean(&verdict.to_uppercase()),
                    clean(&session_id)
                );
                for check in report["checks"].as_array().into_iter().flatten() {
                    crate::outln!(
                        "  {:5} {:24} {}",
                        clean(check["status"].as_str().unwrap_or_default()),
                        clean(check["name"].as_str().unwrap_or_default()),
                        clean(check["reason"].as_str().unwrap_or_default())
                    );
                }
            }
            Ok(match verdict.as_str() {
                "verified" => Exit::Success,
                "inconclusive" => Exit::Inconclusive,
                _ => Exit::NotVerified,
            })
        }
        RelayOutcome::Failed { code, message } => {
            if json {
                let exit = exit_for_error(code);
                let kind = if exit == Exit::Io { "io" } else { "bad_input" };
                let text = format!(
                    "the server ended the session: {} ({message})",
                    code.as_str()
                );
                crate::outln!("{}", crate::exit::error_json(kind, exit, &text, None));
            } else {
                eprintln!(
                    "cccd: the server ended the session: {} ({})",
                    code.as_str(),
                    clean(&message)
                );
            }
            Ok(exit_for_error(code))
        }
    }
}
