//! Trust material and verification options from the plain values a binding receives.

use crate::Error;
use cccd::document::Document;
use cccd::pki::TrustStore;
use cccd::verify::{CheckId, Claims, NameMatch, Options, Policy, Report, verify};
use cccd_qr::Sex;
use std::path::Path;
use time::{Date, OffsetDateTime};

/// Which loader a piece of trust material goes through (each accepts only its kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustKind {
    /// CSCA certificates: PEM, PEM bundle, DER, or a folder of them.
    Csca,
    /// CRLs: PEM or DER, or a folder of them.
    Crl,
    /// One ICAO CSCA master list (its CMS signature must verify).
    MasterList,
}

/// Load trust material of `kind` from a file or folder; returns how many certificates or
/// CRLs were added.
pub fn add_trust_path(
    store: &mut TrustStore,
    kind: TrustKind,
    path: &Path,
) -> Result<usize, Error> {
    let summary = match kind {
        TrustKind::Csca => store.load_cscas(path),
        TrustKind::Crl => store.load_crls(path),
        TrustKind::MasterList => store.load_masterlist(path),
    }?;
    Ok(summary.certificates_added + summary.crls_added)
}

/// Load trust material of `kind` from bytes; returns how many certificates or CRLs were
/// added.
pub fn add_trust_bytes(
    store: &mut TrustStore,
    kind: TrustKind,
    bytes: &[u8],
    source: &str,
) -> Result<usize, Error> {
    let summary = match kind {
        TrustKind::Csca => store.load_cscas_bytes(bytes, source),
        TrustKind::Crl => store.load_crls_bytes(bytes, source),
        TrustKind::MasterList => store.load_masterlist_bytes(bytes, source),
    }?;
    Ok(summary.certificates_added + summary.crls_added)
}

/// A date as `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<Date, Error> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format)
        .map_err(|_| Error::bad_input(format!("'{}' is not a date (YYYY-MM-DD)", text.trim())))
}

/// An active-authentication challenge: 8 bytes as 16 hex digits.
pub fn parse_challenge(text: &str) -> Result<[u8; 8], Error> {
    cccd::hex::decode(text, 8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .ok_or_else(|| Error::bad_input("aa_challenge: not 8 bytes (16 hex digits)"))
}

/// A claimed sex: M/F, male/female, Nam/Nữ.
fn parse_sex(text: &str) -> Result<Sex, Error> {
    match text.trim().to_lowercase().as_str() {
        "m" => Ok(Sex::Male),
        "f" => Ok(Sex::Female),
        other => Sex::from_card_text(other).ok_or_else(|| {
            Error::bad_input(format!("claims.sex: '{other}' is not M or F (or Nam / Nữ)"))
        }),
    }
}

/// Everything a verification may take besides the document and the trust store, as plain
/// values; [`VerifyRequest::run`] checks them and verifies.
#[derive(Debug, Clone, Default)]
pub struct VerifyRequest {
    /// Verify as of this time; `None`: now.
    pub at: Option<OffsetDateTime>,
    /// The AA challenge this verifier issued to the device that made the dump.
    pub aa_challenge: Option<[u8; 8]>,
    /// Accept the chip authentication recorded in a dump's `card.json`.
    pub trust_recorded_chip_auth: bool,
    /// Compare names ignoring diacritics.
    pub ignore_diacritics: bool,
    /// Claimed 12-digit ID number.
    pub id_number: Option<String>,
    /// Claimed full name.
    pub full_name: Option<String>,
    /// Claimed date of birth, `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// Claimed sex (M/F).
    pub sex: Option<String>,
    /// The text of the card's QR code, compared with the chip.
    pub qr: Option<String>,
    /// Checks to require beyond the default policy (dotted names, e.g. `claim.name`).
    pub require: Vec<String>,
    /// Checks the default policy requires that this verifier waives.
    pub waive: Vec<String>,
}

impl VerifyRequest {
    /// Check the inputs and verify `doc` against `store`.
    pub fn run(&self, doc: &Document, store: &TrustStore) -> Result<Report, Error> {
        let claims = Claims {
            id_number: self.id_number.clone(),
            full_name: self.full_name.clone(),
            date_of_birth: self.date_of_birth.as_deref().map(parse_date).transpose()?,
            sex: self.sex.as_deref().map(parse_sex).transpose()?,
        };
        let qr = self
            .qr
            .as_deref()
            .map(|t| cccd_qr::parse(t).map_err(|e| Error::bad_input(format!("qr: {e}"))))
            .transpose()?;
        let mut policy =
            Policy::default().trusting_recorded_chip_auth(self.trust_recorded_chip_auth);
        for name in &self.require {
            policy = policy.require(check_id(name)?);
        }
        for name in &self.waive {
            policy = policy.waive(check_id(name)?);
        }
        let options = Options::default()
            .at(self.at.unwrap_or_else(OffsetDateTime::now_utc))
            .aa_challenge(self.aa_challenge)
            .name_match(if self.ignore_diacritics {
                NameMatch::IgnoreDiacritics
            } else {
                NameMatch::Strict
            })
            .policy(policy);
        Ok(verify(doc, store, &claims, qr.as_ref(), &options))
    }
}

fn check_id(name: &str) -> Result<CheckId, Error> {
    name.parse()
        .map_err(|e| Error::bad_input(format!("policy: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn plain_values_are_checked() {
        assert_eq!(
            parse_date("2025-06-01").unwrap(),
            time::macros::date!(2025 - 06 - 01)
        );
        assert_eq!(
            parse_date("2025-02-30").unwrap_err().kind,
            ErrorKind::BadInput
        );
        assert_eq!(
            parse_challenge("0102030405060708").unwrap(),
            [1, 2, 3, 4, 5, 6, 7, 8]
        );
        assert!(parse_challenge("0102").is_err());
        assert_eq!(parse_sex("Nữ").unwrap(), Sex::Female);
        assert_eq!(parse_sex("m").unwrap(), Sex::Male);
        assert!(parse_sex("x").is_err());
    }

    #[test]
    fn bad_requests_are_refused_before_verifying() {
        let doc = Document::new();
        let store = TrustStore::new();
        let bad_qr = VerifyRequest {
            qr: Some("garbage".into()),
            ..VerifyRequest::default()
        };
        assert!(
            bad_qr
                .run(&doc, &store)
                .unwrap_err()
                .message
                .starts_with("qr:")
        );
        let bad_policy = VerifyRequest {
            require: vec!["no.such.check".into()],
            ..VerifyRequest::default()
        };
        assert!(
            bad_policy
                .run(&doc, &store)
                .unwrap_err()
                .message
                .starts_with("policy:")
        );
    }
}
