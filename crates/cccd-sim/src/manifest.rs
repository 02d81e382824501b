//! The typed `testdata/manifest.json`: the generator writes it from these structs, and tests
//! and benches read it back into them (through `cccd-testkit`), so a renamed or missing field
//! is a compile error or a load error naming the field, never a silent `null`.
//!
//! Fields are declared in alphabetical order: that is the order `serde_json` wrote them in
//! when the manifest was built from untyped maps, so the file stays byte-identical.

use serde::{Deserialize, Serialize};

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// "TEST DATA ONLY..." notice.
    pub about: String,
    /// Every sample card, in generation order.
    pub cards: Vec<CardEntry>,
    /// CRL files (relative to testdata/).
    pub crls: Vec<String>,
    /// Every CSCA of the test PKI, trusted or not.
    pub cscas: Vec<CscaEntry>,
    /// Every document signer of the test PKI.
    pub document_signers: Vec<DocumentSignerEntry>,
    /// The day the sample cards are valid at (`YYYY-MM-DD`).
    pub reference_date: String,
    /// The command that regenerates testdata/ byte for byte.
    pub regenerate: String,
    /// The generator's seed.
    pub seed: u64,
    /// CSCA certificates to trust (relative to testdata/).
    pub trust_anchors: Vec<String>,
    /// CSCA certificates deliberately not trusted (relative to testdata/).
    pub untrusted_cscas: Vec<String>,
}

/// One sample card: who it is, how it was built and the verdict it must get.
// The flags are independent facts the file records, one field each.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardEntry {
    /// The AA challenge recorded in card.json (hex), standing for a backend's own.
    pub aa_challenge: Option<String>,
    /// The Active Authentication key kind: `rsa-1024` or `ec-p256`.
    pub aa_key: String,
    /// What is broken, in words (`nothing` for a valid card).
    pub broken: String,
    /// The card access number.
    pub can: String,
    /// The issuing CSCA's certificate (relative to testdata/).
    pub csca: String,
    /// Whether that CSCA is a trust anchor.
    pub csca_is_trust_anchor: bool,
    /// Expiry date (`YYYY-MM-DD`), none for a card that does not expire.
    pub date_of_expiry: Option<String>,
    /// Issue date (`YYYY-MM-DD`).
    pub date_of_issue: String,
    /// DG13 index 16, absent on the legacy layout.
    pub dg13_index_16: Option<String>,
    /// The DG13 byte layout (`real-card`, `legacy-utf8`, `thin-2024-assumed`...).
    pub dg13_layout: String,
    /// DG13 index 15, the previous document number, if any.
    pub dg13_previous_document_number: Option<String>,
    /// The dump folder (relative to testdata/), `cards/<name>`.
    pub dir: String,
    /// Date of birth (`YYYY-MM-DD`).
    pub dob: String,
    /// The document signer's certificate (relative to testdata/).
    pub dsc: String,
    /// The document signer's signature algorithm, in words.
    pub dsc_algorithm: String,
    /// The data groups EF.COM lists, in its order (`DG1`...).
    pub ef_com_data_groups: Vec<String>,
    /// The verdict with the trust anchors and the chip proven genuine.
    pub expected_verdict: String,
    /// The verdict of the dump alone (nothing proving the chip genuine).
    pub expected_verdict_dump_alone: String,
    /// The verdict with an empty trust store.
    pub expected_verdict_without_trust_anchors: String,
    /// The expiry rule applied, in words.
    pub expiry_rule: String,
    /// `jpeg`, `jpeg2000` or `none`.
    pub face_format: String,
    /// The checks that must fail.
    pub failing_checks: Vec<String>,
    /// `cccd-2021` or `can-cuoc-2024`.
    pub generation: String,
    /// The 12-digit personal ID number.
    pub id_number: String,
    /// Whether the layout is an assumption (no real dump of that generation seen yet).
    pub layout_is_assumption: bool,
    /// The MRZ printed on the card, lines joined with `\n`.
    pub mrz: String,
    /// The name as the MRZ spells it.
    pub mrz_name: String,
    /// The holder's full name.
    pub name: String,
    /// The persona key (`p04-hung`...).
    pub persona: String,
    /// ID numbers the 2024 QR lists as cancelled.
    pub qr_cancelled_id_numbers: Vec<String>,
    /// Whether the QR carries the parents' names.
    pub qr_has_parents: bool,
    /// The QR picture (relative to testdata/).
    pub qr_png: String,
    /// The QR text.
    pub qr_text: String,
    /// Whether the verdict needs the CRL loaded.
    pub requires_crl: bool,
    /// The chip's secrets folder (relative to testdata/).
    pub secrets_dir: String,
    /// `M` or `F`.
    pub sex: String,
    /// The sex in Vietnamese (`Nam`, `Nữ`).
    pub sex_vi: String,
}

impl CardEntry {
    /// The dump folder's own name (`v01-hung-ec-bp384`), `dir` without `cards/`.
    pub fn name(&self) -> &str {
        self.dir.strip_prefix("cards/").unwrap_or(&self.dir)
    }
}

/// One document signer of the test PKI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSignerEntry {
    /// The signature algorithm, in words.
    pub algorithm: String,
    /// The certificate (relative to testdata/).
    pub cert: String,
    /// The issuing CSCA's certificate (relative to testdata/).
    pub issuer: String,
    /// The private key (relative to testdata/).
    pub key: String,
    /// Last day of validity (`YYYY-MM-DD`).
    pub not_after: String,
    /// First day of validity (`YYYY-MM-DD`).
    pub not_before: String,
    /// `valid`, `expired`, `revoked` or `untrusted issuer`.
    pub status: String,
}

/// One CSCA of the test PKI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CscaEntry {
    /// The certificate (relative to testdata/).
    pub cert: String,
    /// Whether its key carries explicit curve parameters.
    pub explicit_curve_parameters: bool,
    /// The private key (relative to testdata/).
    pub key: String,
    /// The subject DN.
    pub subject: String,
    /// Whether it is a trust anchor.
    pub trust_anchor: bool,
}
