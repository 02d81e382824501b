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
            let status = match c.status {
                PaStatus::Pass => Status::Pass,
                PaStatus::Fail => Status::Fail,
                PaStatus::Skip => Status::Skip,
                PaStatus::Warn => Status::Warn,
            };
            let reason = if c.reason.is_empty() {
                "verified".to_owned()
            } else {
                c.reason
            };
            Check::new(c.name, status, reason)
        })
        .collect()
}
