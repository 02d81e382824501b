//! `cccd simulate`: put a virtual card into pcscd's vpcd reader and serve it until stopped.

use crate::exit::{CliError, Exit};
use cccd_sim::vpcd::{SelectOnlyCard, VPCD_PORT_0, VpcdConnection};
use std::time::Duration;

/// Arguments of `cccd simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The vpcd TCP port: 35963 is reader `Virtual PCD 00 00`, 35964 `Virtual PCD 00 01`.
    #[arg(long, default_value_t = VPCD_PORT_0)]
    port: u16,
    /// The vpcd host.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Seconds to keep trying to reach vpcd (pcscd may still be starting).
    #[arg(long, default_value_t = 10)]
    connect_timeout: u64,
}

/// Run the command: serve until pcscd closes the connection.
pub fn run(args: &Args) -> Result<Exit, CliError> {
    let conn = VpcdConnection::insert(
        (args.host.as_str(), args.port),
        SelectOnlyCard,
        Duration::from_secs(args.connect_timeout),
    )
    .map_err(|e| {
        CliError::Io(format!(
            "cannot reach vpcd at {}:{}: {e} (is pcscd running with vsmartcard-vpcd?)",
            args.host, args.port
        ))
    })?;
    eprintln!(
        "cccd: card inserted into the vpcd reader on port {}",
        args.port
    );
    conn.wait()
        .map_err(|e| CliError::Io(format!("virtual card stopped: {e}")))?;
    Ok(Exit::Success)
}
