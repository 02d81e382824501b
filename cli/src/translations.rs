//! The words of human output in the `--lang` language: verdicts, statuses, check titles and
//! identity labels, each looked up in `cli/locales/app.yml` (the one home of the strings).
//! JSON output never goes through here: it stays language-independent.

use cccd::verify::{CheckId, Provenance, Status, Verdict};
use rust_i18n::t;

/// The verdict as a heading (`VERIFIED`, `ĐÃ XÁC MINH`).
pub fn verdict_heading(verdict: Verdict) -> String {
    match verdict {
        Verdict::Verified => t!("human.verified"),
        Verdict::NotVerified => t!("human.not_verified"),
        Verdict::Inconclusive => t!("human.inconclusive"),
    }
    .into_owned()
}

/// The verdict in running text (`Verified`, `Đã xác minh`).
pub fn verdict_text(verdict: Verdict) -> String {
    match verdict {
        Verdict::Verified => t!("verdict.verified"),
        Verdict::NotVerified => t!("verdict.not_verified"),
        Verdict::Inconclusive => t!("verdict.inconclusive"),
    }
    .into_owned()
}

/// A check's status (`pass`, `đạt`).
pub fn status(status: Status) -> String {
    match status {
        Status::Pass => t!("status.pass"),
        Status::Fail => t!("status.fail"),
        Status::Warn => t!("status.warn"),
        Status::Skip => t!("status.skip"),
    }
    .into_owned()
}

/// Where the verified card came from (`read here`, `dump`).
pub fn provenance(provenance: Provenance) -> String {
    match provenance {
        Provenance::ReadHere => t!("provenance.read_here"),
        Provenance::Dump => t!("provenance.dump"),
    }
    .into_owned()
}

/// What a check proves, for people (`Document signer's signature on EF.SOD`); a check this
/// build has no title for (the id set is non-exhaustive) shows its dotted id.
pub fn check_title(id: CheckId) -> String {
    match id {
        CheckId::SodParse => t!("check.sod_parse"),
        CheckId::SodContentType => t!("check.sod_content_type"),
        CheckId::SodMessageDigest => t!("check.sod_message_digest"),
        CheckId::SodSignature => t!("check.sod_signature"),
        CheckId::SodSigningTime => t!("check.sod_signing_time"),
        CheckId::SodAlgorithms => t!("check.sod_algorithms"),
        CheckId::SodChain => t!("check.sod_chain"),
        CheckId::IssuingState => t!("check.issuing_state"),
        CheckId::DgHash(dg) => t!("check.dg_hash", dg = dg.to_string()),
        CheckId::CardSecuritySignature => t!("check.card_security_signature"),
        CheckId::CardSecurityChain => t!("check.card_security_chain"),
        CheckId::ChipAuthentication => t!("check.chip_authentication"),
        CheckId::MrzCheckDigits => t!("check.mrz_check_digits"),
        CheckId::Dg1MatchesDg13 => t!("check.dg1_matches_dg13"),
        CheckId::IdNumberStructure => t!("check.id_number_structure"),
        CheckId::CardNotExpired => t!("check.card_not_expired"),
        CheckId::ClaimIdNumber => t!("check.claim_id_number"),
        CheckId::ClaimName => t!("check.claim_name"),
        CheckId::ClaimDob => t!("check.claim_dob"),
        CheckId::ClaimSex => t!("check.claim_sex"),
        CheckId::QrMatchesChip => t!("check.qr_matches_chip"),
        other => return other.to_string(),
    }
    .into_owned()
}

/// A check's reason as people read it. The library writes reasons in English (it has no
/// typed reason kinds to translate), so in another language they carry a label saying so.
pub fn reason(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("{}{text}", t!("human.reason_en"))
}

/// Sex as people read it (`male (Nam)`, `Nam`).
pub fn sex(sex: cccd_qr::Sex) -> String {
    match sex {
        cccd_qr::Sex::Male => t!("sex.male"),
        cccd_qr::Sex::Female => t!("sex.female"),
    }
    .into_owned()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Both languages hold the same keys: a string added in one file only would show its key
    /// (or English) to the other language's reader.
    #[test]
    fn every_key_exists_in_both_languages() {
        // The strings compiled in from cli/locales/app.yml, per language.
        let keys = |lang: &str| -> BTreeSet<String> {
            crate::_RUST_I18N_BACKEND
                .messages_for_locale(lang)
                .unwrap_or_else(|| panic!("no {lang} strings"))
                .into_iter()
                .map(|(k, _)| k.into_owned())
                .collect()
        };
        let (en, vi) = (keys("en"), keys("vi"));
        assert!(en.len() > 80, "only {} English strings", en.len());
        let only_en: Vec<_> = en.difference(&vi).collect();
        let only_vi: Vec<_> = vi.difference(&en).collect();
        assert!(only_en.is_empty(), "English only: {only_en:?}");
        assert!(only_vi.is_empty(), "Vietnamese only: {only_vi:?}");
    }
}
