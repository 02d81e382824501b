//! `cccd readers`: list PC/SC readers, whether a card is present, and (with `--probe`)
//! whether that card answers as an eMRTD.

use crate::exit::{CliError, Exit};
use crate::output::{Colour, paint, print_json};
use cccd::apdu::Command;
use cccd::transport::Transport;
use cccd::transport::pcsc::{PcscTransport, list_readers};

/// Arguments of `cccd readers`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Connect to each card present and SELECT the eMRTD application.
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
}

/// The eMRTD application identifier.
const EMRTD_AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];

fn probe(reader: &str) -> Result<bool, CliError> {
    let mut t = PcscTransport::connect(reader)?;
    let r = t.transmit(&Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(EMRTD_AID.to_vec()))?;
    Ok(r.is_ok())
}

/// Run the command.
pub fn run(args: &Args) -> Result<Exit, CliError> {
    let readers = list_readers()?;
    let rows: Vec<Row> = readers
        .into_iter()
        .map(|reader| {
            let (emrtd, probe_error) = if args.probe && reader.card_present {
                match probe(&reader.name) {
                    Ok(yes) => (Some(yes), None),
                    Err(e) => (None, Some(e.to_string())),
                }
            } else {
                (None, None)
            };
            Row {
                reader,
                emrtd,
                probe_error,
            }
        })
        .collect();
    if args.json {
        print_json(&rows)?;
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
