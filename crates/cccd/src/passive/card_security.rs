//! Passive authentication of EF.CardSecurity (ICAO 9303-11 §9.2.2, BSI TR-03110-3 A.1.2.2):
//! a CMS SignedData whose content is SecurityInfos (the chip authentication public keys
//! among them), signed by a document signer under the CSCA, checked with the same SignerInfo
//! and chain steps as EF.SOD.

use time::OffsetDateTime;

use super::{ChainOutcome, Outcome, SignerCertificate, signer};
use crate::lds::card_security::CardSecurity;
use crate::pki::TrustStore;

/// What passive authentication of EF.CardSecurity found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSecurityReport {
    /// The file parses, and its signed contentType, messageDigest and signature all verify
    /// with the embedded document signer certificate (the first failure is reported).
    pub signature: Outcome,
    /// The document signer chains to a CSCA of the store.
    pub chain: ChainOutcome,
    /// The document signer certificate, when one was found.
    pub signer: Option<SignerCertificate>,
    /// The parsed file, when it parses.
    pub card_security: Option<CardSecurity>,
}

impl CardSecurityReport {
    /// Whether the signature verified (the content is what the signer signed); the chain is
    /// judged separately, as for EF.SOD.
    pub fn signature_verified(&self) -> bool {
        self.signature.is_pass()
    }
}

/// Verify EF.CardSecurity (`bytes`, the whole file) with `store` as trust anchors at `at`.
pub fn verify_card_security(
    bytes: &[u8],
    store: &TrustStore,
    at: OffsetDateTime,
) -> CardSecurityReport {
    let card_security = match CardSecurity::parse(bytes) {
        Ok(parsed) => parsed,
        Err(e) => {
            let why = format!("EF.CardSecurity is malformed: {e}");
            return CardSecurityReport {
                signature: Outcome::Fail(why),
                chain: ChainOutcome::Skipped {
                    reason: "EF.CardSecurity did not parse".to_owned(),
                },
                signer: None,
                card_security: None,
            };
        }
    };
    let signed = signer::check_signed_data(
        &card_security.signed_data,
        &crate::oid::SECURITY_OBJECT,
        "EF.CardSecurity",
        store,
    );
    let chain = signer::check_chain(&signed, store, at);
    // The first step that did not pass speaks for the signature: a content that is not what
    // was signed fails even when the signature over the attributes verifies.
    let signature = [signed.content_type, signed.message_digest, signed.signature]
        .into_iter()
        .find(|o| !o.is_pass())
        .unwrap_or(Outcome::Pass);
    CardSecurityReport {
        signature,
        chain,
        signer: signed.signer,
        card_security: Some(card_security),
    }
}
