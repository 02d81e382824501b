//! Argument types shared by several commands: dates, sex, access keys, trust anchors.

use crate::exit::CliError;
use cccd::IdNumber;
use cccd::mrz::AccessKey;
use cccd::pki::TrustStore;
use cccd::session::{AccessKeys, BacFallback, OpenOptions};
use std::path::PathBuf;
use time::{Date, Month};

/// Parse `YYYY-MM-DD`, `DD/MM/YYYY` or `DDMMYYYY`.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let (y, m, d) = if let [y, m, d] = t.split('-').collect::<Vec<_>>()[..] {
        (y, m, d)
    } else if let [d, m, y] = t.split('/').collect::<Vec<_>>()[..] {
        (y, m, d)
    } else if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        (&t[4..], &t[2..4], &t[..2])
    } else {
        return Err(format!("'{t}' is not a date: use YYYY-MM-DD or DD/MM/YYYY"));
    };
    let num = |s: &str| s.parse::<i32>().map_err(|_| format!("'{t}' is not a date"));
    let month = u8::try_from(num(m)?)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| format!("'{t}': no such month"))?;
    let day = u8::try_from(num(d)?).map_err(|_| format!("'{t}': no such day"))?;
    Date::from_calendar_date(num(y)?, month, day).map_err(|_| format!("'{t}': no such day"))
}

/// Parse a sex: `M`/`F`, `male`/`female`, `Nam`/`Nữ`.
pub fn parse_sex(text: &str) -> Result<cccd_qr::Sex, String> {
    match text.trim().to_lowercase().as_str() {
        "m" | "male" | "nam" => Ok(cccd_qr::Sex::Male),
        "f" | "female" | "nữ" | "nu" => Ok(cccd_qr::Sex::Female),
        other => Err(format!("'{other}' is not a sex: use M or F (or Nam / Nữ)")),
    }
}

/// Parse a 12-digit ID number (spaces between digits allowed): a wrong one is a usage error
/// (exit 2) found before any reader is touched, not a failed comparison with the chip.
pub fn parse_id_number(text: &str) -> Result<IdNumber, String> {
    IdNumber::parse(text).map_err(|e| {
        format!(
            "'{}' is not an ID number: a CCCD number has 12 digits ({e})",
            text.trim()
        )
    })
}

/// Parse a card access number: the 6 digits printed on the card (the last 6 of the ID).
pub fn parse_can(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
        Ok(t.to_owned())
    } else {
        Err(format!(
            "'{t}' is not a CAN: a CCCD's card access number is 6 digits (the last 6 of the ID number)"
        ))
    }
}

/// An MRZ as typed: `|` between lines, upper-cased (the MRZ alphabet has no lower case;
/// a note says so when it changed anything).
pub fn mrz_text(typed: &str) -> String {
    let upper = typed.to_uppercase();
    if upper != typed {
        eprintln!("cccd: note: the MRZ was upper-cased (the MRZ alphabet has no lower case)");
    }
    upper.replace('|', "\n")
}

/// How to open the chip.
#[derive(Debug, Clone, clap::Args)]
pub struct KeyArgs {
    /// The MRZ on the back of the card (3 lines; `\n` or `|` between lines).
    #[arg(long, value_name = "TEXT", conflicts_with = "can")]
    pub mrz: Option<String>,
    /// The 12-digit ID number (with --dob; the CAN and expiry dates are derived).
    #[arg(long, value_name = "ID", value_parser = parse_id_number)]
    pub id: Option<IdNumber>,
    /// Date of birth (YYYY-MM-DD or DD/MM/YYYY).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub dob: Option<Date>,
    /// Date of expiry, when known (otherwise the likely ones are tried).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub expiry: Option<Date>,
    /// The card access number (6 digits: the last 6 of the ID number).
    #[arg(long, value_name = "CAN", value_parser = parse_can)]
    pub can: Option<String>,
    /// The card's QR text: its ID number and date of birth open the chip.
    #[arg(long, value_name = "TEXT")]
    pub qr: Option<String>,
    /// Refuse BAC when the chip offers PACE and PACE fails (a possible downgrade attack).
    #[arg(long)]
    pub no_bac_fallback: bool,
}

impl KeyArgs {
    /// The keys to try. `claimed` says whether `--id`/`--dob` also serve as claims to check
    /// (verify), so that they are not reported unused when another key opens the chip.
    pub fn keys(&self, today: Date, claimed: bool) -> Result<AccessKeys, CliError> {
        let keys = self.base_keys(today)?;
        for note in self.unused(claimed) {
            eprintln!("cccd: note: {note}");
        }
        Ok(keys)
    }

    /// How to open the chip: `--no-bac-fallback` refuses BAC after a failed PACE.
    pub fn open_options(&self) -> OpenOptions {
        OpenOptions::default().bac_fallback(if self.no_bac_fallback {
            BacFallback::Refused
        } else {
            BacFallback::Allowed
        })
    }

    fn base_keys(&self, today: Date) -> Result<AccessKeys, CliError> {
        let bad = |e: &dyn std::fmt::Display| CliError::BadInput(e.to_string());
        if let Some(mrz) = &self.mrz {
            let text = mrz_text(mrz);
            let key = AccessKey::from_mrz(&text).map_err(|e| bad(&e))?;
            let mut keys = AccessKeys::from_key(key);
            if let Some(can) = &self.can {
                keys = keys.with_can(cccd::mrz::Can::new(can).map_err(|e| bad(&e))?);
            }
            return Ok(keys);
        }
        if let Some(qr) = &self.qr {
            let data = cccd_qr::parse(qr).map_err(|e| bad(&e))?;
            return Ok(AccessKeys::from_id_and_dob(
                data.id_number(),
                data.date_of_birth(),
                today,
            ));
        }
        match (&self.id, self.dob, self.expiry, &self.can) {
            (Some(id), Some(dob), Some(expiry), _) => {
                let key = AccessKey::from_id(id, dob, expiry);
                Ok(AccessKeys::from_key(key).with_can(cccd::mrz::Can::from_id(id)))
            }
            (Some(id), Some(dob), None, _) => Ok(AccessKeys::from_id_and_dob(id, dob, today)),
            (_, _, _, Some(can)) => Ok(AccessKeys::from_key(
                AccessKey::can(can).map_err(|e| bad(&e))?,
            )),
            (Some(_), None, _, None) => Err(CliError::BadInput(
                "--id needs --dob (the date of birth) to open the chip".into(),
            )),
            _ => Err(CliError::BadInput(
                "give a key: --mrz, --id with --dob, --can, or --qr".into(),
            )),
        }
    }
}

impl KeyArgs {
    /// The inputs given that open nothing, each with the key that took precedence: said
    /// before the chip is touched, so a typo in an ignored field does not go unnoticed.
    pub fn unused(&self, claimed: bool) -> Vec<String> {
        let mut given: Vec<&str> = Vec::new();
        if self.id.is_some() && !claimed {
            given.push("--id");
        }
        if self.dob.is_some() && !claimed {
            given.push("--dob");
        }
        if self.expiry.is_some() {
            given.push("--expiry");
        }
        let (opener, unused): (&str, Vec<&str>) = if self.mrz.is_some() {
            // The MRZ opens the chip; a CAN goes with it (PACE), the rest is not needed.
            let rest = given.into_iter().chain(self.qr.as_ref().map(|_| "--qr"));
            ("--mrz", rest.collect())
        } else if self.qr.is_some() {
            let rest = given.into_iter().chain(self.can.as_ref().map(|_| "--can"));
            ("--qr", rest.collect())
        } else if self.id.is_some() && self.dob.is_some() {
            let can = self.can.as_ref().map(|_| "--can");
            ("--id/--dob", can.into_iter().collect())
        } else if self.can.is_some() {
            ("--can", given)
        } else {
            return Vec::new();
        };
        unused
            .into_iter()
            .map(|u| format!("{u} was not used to open the chip: {opener} opens it"))
            .collect()
    }
}

/// Output format switches.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct OutputArgs {
    /// Print JSON (stable field names; see the README).
    #[arg(long)]
    pub json: bool,
    /// Mask personal data (ID numbers, names, dates, addresses) in the output.
    #[arg(long)]
    pub redact: bool,
}

/// Trust anchors and revocation lists.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TrustArgs {
    /// A CSCA certificate (PEM, PEM bundle or DER) or a folder of them: certificates only,
    /// and only CA certificates. Repeatable; the environment gives one (a folder for many).
    #[arg(long, value_name = "FILE_OR_DIR", env = "CCCD_CSCA")]
    pub csca: Vec<PathBuf>,
    /// An ICAO CSCA master list (CMS) whose signature must verify; a list that does not is
    /// refused (exit 2). Repeatable.
    #[arg(long, value_name = "FILE", env = "CCCD_MASTERLIST")]
    pub masterlist: Vec<PathBuf>,
    /// A certificate revocation list (PEM or DER) or a folder of them: CRLs only, never
    /// trust anchors. Repeatable.
    #[arg(long, value_name = "FILE_OR_DIR", env = "CCCD_CRL")]
    pub crl: Vec<PathBuf>,
}

impl TrustArgs {
    /// Build the trust store.
    pub fn store(&self) -> Result<TrustStore, CliError> {
        let mut store = TrustStore::new();
        let fail = |p: &PathBuf, e: &dyn std::fmt::Display| {
            CliError::BadInput(format!("{}: {e}", p.display()))
        };
        // Anchors first: a CRL's signature is checked against the CSCAs already held.
        let mut skipped = Vec::new();
        for p in &self.csca {
            skipped.extend(store.load_cscas(p).map_err(|e| fail(p, &e))?.skipped);
        }
        for p in &self.masterlist {
            skipped.extend(store.load_masterlist(p).map_err(|e| fail(p, &e))?.skipped);
        }
        for p in &self.crl {
            skipped.extend(store.load_crls(p).map_err(|e| fail(p, &e))?.skipped);
        }
        for s in &skipped {
            eprintln!(
                "cccd: warning: skipped {}: {}",
                crate::output::escape_untrusted(&s.path.display().to_string()),
                crate::output::escape_untrusted(&s.reason)
            );
        }
        Ok(store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_three_forms() {
        let d = Date::from_calendar_date(1999, Month::January, 2).unwrap();
        assert_eq!(parse_date("1999-01-02"), Ok(d));
        assert_eq!(parse_date("02/01/1999"), Ok(d));
        assert_eq!(parse_date("02011999"), Ok(d));
        assert!(parse_date("1999-02-30").is_err());
        assert!(parse_date("yesterday").is_err());
    }

    #[test]
    fn sexes() {
        assert_eq!(parse_sex("Nữ"), Ok(cccd_qr::Sex::Female));
        assert_eq!(parse_sex("m"), Ok(cccd_qr::Sex::Male));
        assert!(parse_sex("x").is_err());
    }
}
