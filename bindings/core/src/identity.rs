//! The holder's identity as the chip states it, in the shape the bindings hand out.

use cccd::document::Document;
use cccd::verify::ChipIdentity;
use serde::Serialize;
use time::Date;

/// What DG13 (else DG1) says about the holder. Personal data: handle as such.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// The 12-digit ID number.
    pub id_number: Option<String>,
    /// The full name with diacritics (DG13), else the MRZ name.
    pub full_name: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// `male` or `female`.
    pub sex: Option<cccd_qr::Sex>,
    /// Date of expiry, `YYYY-MM-DD`; `None` when unknown or the card does not expire.
    pub date_of_expiry: Option<String>,
    /// Whether the card states it does not expire.
    pub no_expiry: bool,
    /// The issuing state (ICAO code) DG1 names.
    pub issuing_state: Option<String>,
    /// The card generation the chip's data shows.
    pub card_generation: cccd_qr::CardGeneration,
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

impl Identity {
    /// Parse DG13 and DG1 of `doc`, resolving MRZ centuries against `today`.
    pub fn of(doc: &Document, today: Date) -> Self {
        let chip = ChipIdentity::from_document_at(doc, today);
        let expiry = chip.expiry();
        Self {
            id_number: chip.id_number(),
            full_name: chip.full_name(),
            date_of_birth: chip.date_of_birth().map(iso),
            sex: chip.sex(),
            date_of_expiry: expiry.flatten().map(iso),
            no_expiry: matches!(expiry, Some(None)),
            issuing_state: chip.issuing_state(),
            card_generation: chip.generation(),
        }
    }
}
