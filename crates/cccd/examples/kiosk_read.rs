//! The kiosk flow: wait for a card on a PC/SC reader, open it with the card access number
//! printed on it, prove the chip genuine (chip or active authentication) and read it, then
//! save the dump for `cccd verify` or a backend.
//!
//! `cargo run -p cccd --example kiosk_read -- CAN OUT_DIR [READER]`
//! (with `cccd simulate` serving a sample card: `... -- 082497 /tmp/dump 'Virtual PCD 00 00'`)

use cccd::mrz::AccessKey;
use cccd::session::{AccessKeys, ReadPlan, Session};
use cccd::transport::pcsc::{PcscTransport, list_readers, wait_for_card};
use std::process::ExitCode;
use std::time::Duration;

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(can), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: kiosk_read CAN OUT_DIR [READER]");
        return Ok(ExitCode::from(2));
    };
    let reader = args.next();
    for r in list_readers()? {
        eprintln!(
            "reader {:?}: card {}",
            r.name,
            if r.card_present { "present" } else { "absent" }
        );
    }
    let keys = AccessKeys::from_key(AccessKey::can(&can)?);
    let name = wait_for_card(reader.as_deref(), Duration::from_secs(30))?;
    let mut session = Session::open(PcscTransport::connect(&name)?, &keys)?;
    eprintln!(
        "opened with {:?}; chip: {}",
        session.access_protocol(),
        session.genuineness()
    );
    let document = session.read(&ReadPlan::verification(), &mut |p| {
        eprintln!("{} {}/{} bytes", p.file, p.done, p.total);
    })?;
    document.save(&out)?;
    println!("{out}: {} files", document.files().count());
    Ok(ExitCode::SUCCESS)
}
