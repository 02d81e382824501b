//! `cccd readers`: list PC/SC readers, whether a card is present, and (with `--probe`)
//! whether that card answers as an eMRTD.
//!
//! A probe never disturbs a card another program is using: it connects exclusively without
//! waiting, so a card held by anyone (even idle, in shared mode) is reported "in use" and gets
//! no APDU; and it leaves the card unreset when it is done.

use crate::exit::{CliError, Exit};
use crate::output::{Colour, paint, print_json};
use cccd::apdu::Command;
use cccd::transport::pcsc::{PcscTransport, list_readers};
use cccd::transport::{Transport, TransportError};
use std::time::Duration;

/// Arguments of `cccd readers`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Connect to each card present and SELECT the eMRTD application (cards in use by
    /// another program are left alone and reported as in use).
    #[arg(long)]
    probe: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, serde::Serialize)]
struct Row {
    #[serde(flatten)]
    reader: cccd::transport::pcsc::ReaderInfo,
    /// `Some(true)` when the card answered SELECT of the eMRTD application with 9000.
    #[serde(skip_serializing_if = "Option::is_none")]
    emrtd: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    probe_error: Option<String>,
    /// `true` when another program held the card, so it was not probed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    in_use: bool,
}

/// The eMRTD application identifier.
const EMRTD_AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];

fn probe(reader: &str) -> Result<bool, TransportError> {
    let mut t = PcscTransport::connect_exclusive(reader, Duration::ZERO)?;
    let r = t.transmit(&Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(EMRTD_AID.to_vec()))?;
    t.disconnect_leaving_card()?;
    Ok(r.is_ok())
}

/// Run the command.
pub fn run(args: &Args) -> Result<Exit, CliError> {
    let readers = list_readers()?;
    let rows: Vec<Row> = readers
        .into_iter()
        .map(|reader| {
            let (emrtd, probe_error, in_use) = if args.probe && reader.card_present {
                match probe(&reader.name) {
                    Ok(yes) => (Some(yes), None, false),
                    Err(e @ TransportError::InUse { .. }) => (None, Some(e.to_string()), true),
                    Err(e) => (None, Some(e.to_string()), false),
                }
            } else {
                (None, None, false)
            };
            Row {
                reader,
                emrtd,
                probe_error,
                in_use,
            }
        })
        .collect();
    if args.json {
        #[derive(serde::Serialize)]
        struct Readers<'a> {
            readers: &'a [Row],
        }
        print_json(&Readers { readers: &rows })?;
        return Ok(Exit::Success);
    }
    if rows.is_empty() {
        crate::outln!("no readers");
        return Ok(Exit::Success);
    }
    let width = rows.iter().map(|r| r.reader.name.len()).max().unwrap_or(0);
    for row in &rows {
        let card = if row.reader.card_present {
            paint("card present", Colour::Green)
        } else {
            paint("no card", Colour::Yellow)
        };
        let probe = match (&row.emrtd, &row.probe_error) {
            _ if row.in_use => "  in use by another program; not probed".to_owned(),
            (Some(true), _) => "  eMRTD application found".to_owned(),
            (Some(false), _) => "  not an eMRTD".to_owned(),
            (None, Some(e)) => format!("  probe failed: {e}"),
            (None, None) => String::new(),
        };
        crate::outln!(
            "{:width$}  {card}{probe}",
            crate::output::escape_untrusted(&row.reader.name)
        );
    }
    Ok(Exit::Success)
}
