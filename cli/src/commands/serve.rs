//! `cccd serve`: the HTTP service (remote reading over a relay, dump verification, challenges,
//! signed receipts). Every option has an environment variable.

use crate::args::TrustArgs;
use crate::exit::{CliError, Exit};
use cccd_service::challenge::ChallengeIssuer;
use cccd_service::receipt::ReceiptSigner;
use cccd_service::relay_transport::RelayLimits;
use cccd_service::server::{Limits, ServiceConfig};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

/// Arguments of `cccd serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (port 0: any free port, printed on stdout). Beyond loopback,
    /// API keys are required.
    #[arg(long, env = "CCCD_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    trust: TrustArgs,
    /// Bearer API keys, one per line (# comments); at least 16 characters each.
    #[arg(long, env = "CCCD_API_KEY_FILE", value_name = "FILE")]
    api_key_file: Option<PathBuf>,
    /// The secret (at least 32 bytes) that MACs challenge tokens; share it between replicas.
    /// Default: a random one (tokens then check only on this process).
    #[arg(long, env = "CCCD_SECRET_FILE", value_name = "FILE")]
    secret_file: Option<PathBuf>,
    /// A P-256 private key (PKCS#8 PEM) to sign receipts (JWS ES256).
    #[arg(long, env = "CCCD_RECEIPT_KEY", value_name = "FILE")]
    receipt_key: Option<PathBuf>,
    /// Remote-read sessions open at once.
    #[arg(long, env = "CCCD_MAX_SESSIONS", default_value_t = 256)]
    max_sessions: usize,
    /// The largest /v1/verify body, bytes.
    #[arg(long, env = "CCCD_MAX_BODY", default_value_t = 8 * 1024 * 1024)]
    max_body: usize,
    /// The longest wait for one relayed APDU, milliseconds.
    #[arg(long, env = "CCCD_APDU_TIMEOUT_MS", default_value_t = 5000)]
    apdu_timeout_ms: u64,
    /// The longest remote-read session, seconds.
    #[arg(long, env = "CCCD_SESSION_TIMEOUT", default_value_t = 60)]
    session_timeout: u64,
    /// The longest wait for a removed card to be presented again, seconds.
    #[arg(long, env = "CCCD_CARD_RETURN_TIMEOUT", default_value_t = 15)]
    card_return_timeout: u64,
    /// Challenge token lifetime, seconds.
    #[arg(long, env = "CCCD_CHALLENGE_TTL", default_value_t = 300)]
    challenge_ttl: i64,
    /// Serve HTTPS (and wss:// for relays) with this certificate chain (PEM, leaf first).
    /// Needs --tls-key. Without both, serve plain HTTP behind a TLS-terminating proxy.
    #[arg(long, env = "CCCD_TLS_CERT", value_name = "PEM")]
    tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, env = "CCCD_TLS_KEY", value_name = "PEM")]
    tls_key: Option<PathBuf>,
    /// Verify as of this date instead of now (tests and replays of old dumps).
    #[arg(long, value_name = "DATE", value_parser = crate::args::parse_date)]
    at: Option<time::Date>,
}

fn read_secret(path: &Path, what: &str) -> Result<Zeroizing<Vec<u8>>, CliError> {
    std::fs::read(path)
        .map(Zeroizing::new)
        .map_err(|e| CliError::BadInput(format!("{what} {}: {e}", path.display())))
}

fn api_keys(path: &Path) -> Result<Vec<Zeroizing<String>>, CliError> {
    let bytes = read_secret(path, "--api-key-file")?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| CliError::BadInput("--api-key-file: not UTF-8".into()))?;
    let keys: Vec<Zeroizing<String>> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| Zeroizing::new(l.to_owned()))
        .collect();
    if keys.is_empty() || keys.iter().any(|k| k.len() < 16) {
        return Err(CliError::BadInput(
            "--api-key-file: give one key per line, each at least 16 characters".into(),
        ));
    }
    Ok(keys)
}

/// Build the configuration from the arguments.
fn config(args: &Args) -> Result<ServiceConfig, CliError> {
    let secret = if let Some(path) = &args.secret_file {
        read_secret(path, "--secret-file")?.to_vec()
    } else {
        let mut random = vec![0u8; 32];
        rand::fill(&mut random[..]);
        random
    };
    let challenges = ChallengeIssuer::new(secret, time::Duration::seconds(args.challenge_ttl))
        .map_err(|e| CliError::BadInput(format!("--secret-file: {e}")))?;
    let receipts = match &args.receipt_key {
        Some(path) => {
            let pem = read_secret(path, "--receipt-key")?;
            let text = std::str::from_utf8(&pem)
                .map_err(|_| CliError::BadInput("--receipt-key: not PEM".into()))?;
            Some(
                ReceiptSigner::from_pem(text)
                    .map_err(|e| CliError::BadInput(format!("--receipt-key: {e}")))?,
            )
        }
        None => None,
    };
    Ok(ServiceConfig {
        trust: args.trust.store()?,
        api_keys: match &args.api_key_file {
            Some(path) => api_keys(path)?,
            None => Vec::new(),
        },
        challenges,
        receipts,
        limits: Limits {
            max_sessions: args.max_sessions.max(1),
            max_body: args.max_body,
            relay: RelayLimits {
                apdu_timeout: Duration::from_millis(args.apdu_timeout_ms.max(1)),
                session_timeout: Duration::from_secs(args.session_timeout.max(1)),
                card_return_timeout: Duration::from_secs(args.card_return_timeout),
            },
        },
        fixed_time: args.at.map(|d| d.midnight().assume_utc()),
    })
}

/// The TLS configuration: both files or neither; half a configuration is refused.
fn tls(args: &Args) -> Result<Option<Arc<rustls::ServerConfig>>, CliError> {
    match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => cccd_service::tls::server_config(cert, key)
            .map(Some)
            .map_err(|e| CliError::BadInput(format!("TLS: {e}"))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(CliError::BadInput(
            "--tls-cert needs --tls-key (CCCD_TLS_KEY): give both for built-in TLS, or \
             neither behind a TLS-terminating proxy"
                .into(),
        )),
        (None, Some(_)) => Err(CliError::BadInput(
            "--tls-key needs --tls-cert (CCCD_TLS_CERT): give both for built-in TLS, or \
             neither behind a TLS-terminating proxy"
                .into(),
        )),
    }
}

/// Run the command: serve until Ctrl-C or SIGTERM.
pub fn run(args: &Args) -> Result<Exit, CliError> {
    let tls = tls(args)?;
    let config = config(args)?;
    cccd_service::server::init_json_logs();
    cccd_service::server::run(args.listen, config, tls, |addr| {
        // The first stdout line: scripts and tests read the port from it.
        crate::outln!("listening on {addr}");
    })
    .map_err(|e| match e {
        cccd_service::server::StartError::OpenListen(_) => CliError::BadInput(e.to_string()),
        cccd_service::server::StartError::Io(_) => CliError::Io(e.to_string()),
    })?;
    Ok(Exit::Success)
}
