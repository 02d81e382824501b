//! Passive authentication as report checks: `sod.parse`, `sod.content_type`,
//! `sod.message_digest`, `sod.signature`, `sod.chain` and `dg.hash.DGn`.

use super::{Check, Status};
use crate::auth::passive::{self, Status as PaStatus};
use crate::document::Document;
use crate::lds::FileId;
use crate::trust::TrustStore;
use time::OffsetDateTime;

/// The passive-authentication checks for a document.
pub fn checks(doc: &Document, store: &TrustStore, at: OffsetDateTime) -> Vec<Check> {
    let Some(sod) = doc.get(FileId::Sod) else {
        return vec![Check::new(
            "sod.signature",
            Status::Fail,
            "EF.SOD was not read: nothing proves the data was issued unaltered",
        )];
    };
    let files = doc.files().filter_map(|(id, bytes)| match id {
        FileId::Dg(dg) => Some((dg, bytes)),
        _ => None,
    });
    passive::verify_sod(sod, files, store, at)
        .checks()
        .into_iter()
        .map(|c| {
            let mut status = match c.status {
                PaStatus::Pass => Status::Pass,
                PaStatus::Fail => Status::Fail,
                PaStatus::Skip => Status::Skip,
                PaStatus::Warn => Status::Warn,
            };
            let mut reason = if c.reason.is_empty() {
                "verified".to_owned()
            } else {
                c.reason
            };
            // No anchor at all: the chain is simply unchecked (the ID-card CSCA is not
            // public). Anchors given, none of them the signer's: the card claims an issuer the
            // operator does not trust, which is a failure.
            if c.name == "sod.chain" && status == Status::Warn && !store.is_empty() {
                status = Status::Fail;
                reason = format!(
                    "{reason}; none of the {} trust anchors given issued this document signer",
                    store.len()
                );
            }
            if let Some(why) = empty_file_reason(doc, sod, &c.name, status) {
                reason = why;
            }
            Check::new(c.name, status, reason)
        })
        .collect()
}

/// An empty file read from the chip, said in plain words instead of a parse or hash error.
fn empty_file_reason(doc: &Document, sod: &[u8], check: &str, status: Status) -> Option<String> {
    if status != Status::Fail {
        return None;
    }
    if check == "sod.parse" && sod.is_empty() {
        return Some(
            "EF.SOD is empty: the chip holds no security object, so nothing proves the data              was issued unaltered"
                .to_owned(),
        );
    }
    let dg = check.strip_prefix("dg.hash.")?;
    let (_, bytes) = doc
        .files()
        .find(|(id, _)| matches!(id, FileId::Dg(_)) && id.to_string() == dg)?;
    bytes.is_empty().then(|| {
        format!(
            "{dg} is empty on the chip, but the signed security object lists a hash for it:              the file's data is missing (an altered or faulty chip)"
        )
    })
}
