//! What to generate: one sample card's persona, document signer, AA key, DG13 layout and
//! fault. The card builder ([`super::card`]), its `card.json` ([`super::meta`]) and the
//! manifest ([`super::manifest`]) all read it; it imports none of them.

use super::persona::Dg13Layout;
use super::testpki::DscId;
use cccd::lds::DataGroup;

/// The Active Authentication key type in DG15.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AaKind {
    /// RSA-1024.
    Rsa1024,
    /// ECDSA P-256.
    EcP256,
}

/// What is wrong with a sample card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Nothing.
    None,
    /// This data group was changed after signing.
    Altered(DataGroup),
    /// A byte of the SOD signature flipped.
    BadSignature,
    /// The messageDigest signed attribute does not match the LDSSecurityObject (signature
    /// over the attributes is valid).
    WrongMessageDigest,
    /// The data group is on the card, but its hash is not in the SOD.
    MissingHash(DataGroup),
    /// DG14/DG15 are genuine but the chip holds other private keys.
    ClonedChip,
    /// The MRZ's document-number check digit is wrong; the SOD was signed over it.
    MrzCheckDigit,
    /// DG13's date of birth differs from DG1's; both signed.
    Dg1Dg13Mismatch,
    /// DG13 cut short after signing.
    TruncatedDg13,
}

/// One sample card to generate.
#[derive(Debug, Clone, Copy)]
pub struct CardSpec {
    /// Folder name under `cards/` and `secrets/`.
    pub dir: &'static str,
    /// Index into [`super::persona::personas`].
    pub persona: usize,
    /// The document signer.
    pub dsc: DscId,
    /// The AA key type.
    pub aa: AaKind,
    /// The fault.
    pub fault: Fault,
    /// How DG13 (and EF.COM) are laid out.
    pub dg13: Dg13Layout,
}
