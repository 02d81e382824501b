//! [`CheckId`]: the typed name of every check a report can hold.
//!
//! Reports, policies and callers name checks with this enum; the dotted names
//! (`sod.signature`, `dg.hash.DG1`, ...) are only its serialized form, stable across versions.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::lds::DataGroup;

/// Which check a [`super::Check`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum CheckId {
    /// `sod.parse`: EF.SOD is well-formed, strictly DER, CMS SignedData with an
    /// LDSSecurityObject listing each data group once.
    SodParse,
    /// `sod.content_type`: exactly one signed contentType attribute, naming the LDS object.
    SodContentType,
    /// `sod.message_digest`: exactly one signed messageDigest, the hash of the LDS object.
    SodMessageDigest,
    /// `sod.signature`: the document signer certificate's key verifies the signature.
    SodSignature,
    /// `sod.signing_time`: the signingTime attribute, when present, lies inside the signer
    /// certificate's validity and not after the verification time.
    SodSigningTime,
    /// `sod.algorithms`: no weak algorithm (SHA-1, RSA under 2048 bits, curves under 256 bits)
    /// protects the data.
    SodAlgorithms,
    /// `sod.chain`: the signer chains to a trusted CSCA, both valid, not revoked.
    SodChain,
    /// `sod.issuing_state`: DG1's issuing state is the signer's (and its CSCA's) country.
    IssuingState,
    /// `dg.hash.DGn`: the data group hashes to the signed value.
    DgHash(DataGroup),
    /// `card_security.signature`: EF.CardSecurity (read after PACE-CAM) is well-formed CMS
    /// SignedData over SecurityInfos, and its document signer's key verifies it.
    CardSecuritySignature,
    /// `card_security.chain`: EF.CardSecurity's signer chains to a trusted CSCA.
    CardSecurityChain,
    /// `chip.authentication`: the chip is the original, as proven to this verifier.
    ChipAuthentication,
    /// `mrz.check_digits`: every MRZ check digit agrees.
    MrzCheckDigits,
    /// `dg1.matches.dg13`: the MRZ and DG13 state the same person.
    Dg1MatchesDg13,
    /// `id_number.structure`: the 12-digit ID number is well-formed and consistent.
    IdNumberStructure,
    /// `card.not_expired`: the card is valid at the verification date.
    CardNotExpired,
    /// `claim.id_number`.
    ClaimIdNumber,
    /// `claim.name`.
    ClaimName,
    /// `claim.dob`.
    ClaimDob,
    /// `claim.sex`.
    ClaimSex,
    /// `qr.matches.chip`: the printed QR states the same person as the chip.
    QrMatchesChip,
}

/// The fixed names, in one table so that parsing and printing cannot drift.
const NAMES: [(CheckId, &str); 20] = [
    (CheckId::SodParse, "sod.parse"),
    (CheckId::SodContentType, "sod.content_type"),
    (CheckId::SodMessageDigest, "sod.message_digest"),
    (CheckId::SodSignature, "sod.signature"),
    (CheckId::SodSigningTime, "sod.signing_time"),
    (CheckId::SodAlgorithms, "sod.algorithms"),
    (CheckId::SodChain, "sod.chain"),
    (CheckId::IssuingState, "sod.issuing_state"),
    (CheckId::CardSecuritySignature, "card_security.signature"),
    (CheckId::CardSecurityChain, "card_security.chain"),
    (CheckId::ChipAuthentication, "chip.authentication"),
    (CheckId::MrzCheckDigits, "mrz.check_digits"),
    (CheckId::Dg1MatchesDg13, "dg1.matches.dg13"),
    (CheckId::IdNumberStructure, "id_number.structure"),
    (CheckId::CardNotExpired, "card.not_expired"),
    (CheckId::ClaimIdNumber, "claim.id_number"),
    (CheckId::ClaimName, "claim.name"),
    (CheckId::ClaimDob, "claim.dob"),
    (CheckId::ClaimSex, "claim.sex"),
    (CheckId::QrMatchesChip, "qr.matches.chip"),
];

const DG_HASH_PREFIX: &str = "dg.hash.DG";

impl CheckId {
    /// The check's dotted name, e.g. `sod.signature` or `dg.hash.DG13`.
    pub fn name(self) -> std::borrow::Cow<'static, str> {
        match self {
            Self::DgHash(dg) => format!("dg.hash.{dg}").into(),
            other => NAMES
                .iter()
                .find(|(id, _)| *id == other)
                .map_or("unknown", |(_, n)| n)
                .into(),
        }
    }

    /// The check with this dotted name.
    pub fn from_name(name: &str) -> Option<Self> {
        if let Some(n) = name.strip_prefix(DG_HASH_PREFIX) {
            // Digits only: "+1" or "01" are not names this type prints.
            if n.is_empty() || n.starts_with('0') || !n.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            return DataGroup::from_number(n.parse().ok()?).map(Self::DgHash);
        }
        NAMES.iter().find(|(_, n)| *n == name).map(|(id, _)| *id)
    }

    /// True for the checks of a claim the caller made (`claim.*`).
    pub fn is_claim(self) -> bool {
        matches!(
            self,
            Self::ClaimIdNumber | Self::ClaimName | Self::ClaimDob | Self::ClaimSex
        )
    }

    /// True for the checks of passive authentication (EF.SOD and the data group hashes).
    pub fn is_passive_authentication(self) -> bool {
        matches!(
            self,
            Self::SodParse
                | Self::SodContentType
                | Self::SodMessageDigest
                | Self::SodSignature
                | Self::SodSigningTime
                | Self::SodAlgorithms
                | Self::SodChain
                | Self::IssuingState
                | Self::DgHash(_)
                | Self::CardSecuritySignature
                | Self::CardSecurityChain
        )
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// A name that is not one of [`CheckId`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown check name (expected e.g. sod.signature, dg.hash.DG1, chip.authentication)")]
pub struct UnknownCheck;

impl FromStr for CheckId {
    type Err = UnknownCheck;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or(UnknownCheck)
    }
}

impl Serialize for CheckId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        for (id, name) in NAMES {
            assert_eq!(id.name(), name);
            assert_eq!(CheckId::from_name(name), Some(id));
        }
        for n in 1..=16 {
            let dg = DataGroup::from_number(n).unwrap();
            let id = CheckId::DgHash(dg);
            assert_eq!(CheckId::from_name(&id.name()), Some(id));
        }
    }

    #[test]
    fn malformed_names_are_refused() {
        for bad in [
            "dg.hash.DG0",
            "dg.hash.DG17",
            "dg.hash.DG01",
            "dg.hash.DG+1",
            "dg.hash.DG",
            "sod.Signature",
            "",
        ] {
            assert_eq!(CheckId::from_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn serializes_as_its_name() {
        let json = serde_json::to_string(&CheckId::DgHash(DataGroup::Dg13)).unwrap();
        assert_eq!(json, "\"dg.hash.DG13\"");
    }
}
