//! Reading a card through a PC/SC reader, as `cccd read` does, for callers without a
//! terminal: progress goes to a callback.

use crate::Error;
use cccd::document::Document;
use cccd::mrz::{AccessKey, Can};
use cccd::session::{AccessKeys, Progress, ReadPlan, Session};
use cccd::transport::pcsc::{PcscTransport, wait_for_card};
use std::time::Duration;
use time::Date;

/// The access keys from exactly one of: the CAN (6 digits printed on the card), the card's QR
/// text (ID number and date of birth), or the MRZ (lines separated by newlines or `|`).
pub fn access_keys(
    can: Option<&str>,
    qr: Option<&str>,
    mrz: Option<&str>,
    today: Date,
) -> Result<AccessKeys, Error> {
    let bad = |what: &str, e: &dyn std::fmt::Display| Error::bad_input(format!("{what}: {e}"));
    match (can, qr, mrz) {
        (Some(can), None, None) => Ok(AccessKeys::from_key(
            AccessKey::can(can).map_err(|e| bad("can", &e))?,
        )),
        (None, Some(qr), None) => {
            let data = cccd_qr::parse(qr).map_err(|e| bad("qr", &e))?;
            Ok(AccessKeys::from_id_and_dob(
                data.id_number(),
                data.date_of_birth(),
                today,
            ))
        }
        (can, None, Some(mrz)) => {
            let key = AccessKey::from_mrz(&mrz.replace('|', "\n")).map_err(|e| bad("mrz", &e))?;
            let keys = AccessKeys::from_key(key);
            match can {
                Some(can) => Ok(keys.with_can(Can::new(can).map_err(|e| bad("can", &e))?)),
                None => Ok(keys),
            }
        }
        (None, None, None) => Err(Error::bad_input(
            "give a key to open the chip: can, qr or mrz",
        )),
        _ => Err(Error::bad_input(
            "give one key to open the chip: can, qr or mrz (a can may go with an mrz)",
        )),
    }
}

/// What to read and from where.
#[derive(Debug, Clone)]
pub struct CardRequest {
    /// The PC/SC reader's name; `None`: the first reader with a card.
    pub reader: Option<String>,
    /// The keys that open the chip.
    pub keys: AccessKeys,
    /// Also read the face (DG2, the largest file).
    pub face: bool,
    /// How long to wait for a card.
    pub wait: Duration,
}

/// Wait for the card, open it (PACE or BAC, then chip or active authentication) and read the
/// verification files (and the face when asked). `progress` is called after every READ
/// BINARY. The document records the reader, the time and the tool.
pub fn read_card(
    request: &CardRequest,
    progress: &mut dyn FnMut(Progress),
) -> Result<Document, Error> {
    let name = wait_for_card(request.reader.as_deref(), request.wait)?;
    let transport = PcscTransport::connect(&name)?;
    let mut session = Session::open(transport, &request.keys)?;
    let plan = if request.face {
        ReadPlan::with_face()
    } else {
        ReadPlan::verification()
    };
    let mut doc = session.read(&plan, progress)?;
    doc.meta.reader = Some(name);
    doc.meta.read_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .ok();
    doc.meta.tool = Some(format!("cccd-bindings {}", env!("CARGO_PKG_VERSION")));
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    const TODAY: Date = time::macros::date!(2025 - 06 - 01);

    #[test]
    fn exactly_one_key_is_required() {
        let err = access_keys(None, None, None, TODAY).unwrap_err();
        assert_eq!(err.kind, ErrorKind::BadInput);
        let err = access_keys(Some("123456"), Some("x"), None, TODAY).unwrap_err();
        assert!(err.message.contains("one key"), "{err}");
        let keys = access_keys(Some("123456"), None, None, TODAY).unwrap();
        assert_eq!(keys.pace_passwords().len(), 1);
    }

    #[test]
    fn bad_keys_name_the_input() {
        let err = access_keys(Some("12ab"), None, None, TODAY).unwrap_err();
        assert!(err.message.starts_with("can:"), "{err}");
        let err = access_keys(None, Some("not a qr"), None, TODAY).unwrap_err();
        assert!(err.message.starts_with("qr:"), "{err}");
        let err = access_keys(None, None, Some("IDVNM"), TODAY).unwrap_err();
        assert!(err.message.starts_with("mrz:"), "{err}");
    }
}
