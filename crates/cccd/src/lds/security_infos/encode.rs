//! DER encoding of the SecurityInfos model, for the chip side (the generator and the virtual
//! chip write EF.CardAccess, DG14 and EF.CardSecurity with it). Parsing an encoding gives the
//! same model back, which the tests check.

use super::SecurityInfo;
use super::kinds::{
    BSI_DE_2_2, ID_AA, ID_CA, ID_PACE, ID_PK, ID_TA, key_agreement_arc, pace_mapping_arc,
};
use crate::lds::asn1::{enc_seq, enc_uint};
use crate::tlv::{self, Tag};

const OBJECT_IDENTIFIER: Tag = Tag::new(0x06);

/// An OBJECT IDENTIFIER from its DER content bytes.
fn oid(content: &[u8]) -> Vec<u8> {
    tlv::encode(OBJECT_IDENTIFIER, content)
}

/// bsi-de 2.2 followed by `tail`.
fn bsi(tail: &[u8]) -> Vec<u8> {
    let mut content = BSI_DE_2_2.to_vec();
    content.extend_from_slice(tail);
    oid(&content)
}

fn optional(n: Option<u64>) -> Vec<u8> {
    n.map(enc_uint).unwrap_or_default()
}

/// The DER content bytes of a dotted OID, or `None` when it is not a valid OID.
fn dotted_oid_content(dotted: &str) -> Option<Vec<u8>> {
    let oid: crate::oid::ObjectIdentifier = dotted.parse().ok()?;
    Some(oid.as_bytes().to_vec())
}

impl SecurityInfo {
    /// The DER encoding of this SecurityInfo. An ActiveAuthenticationInfo whose signature
    /// algorithm is not a valid dotted OID cannot come from [`super::SecurityInfos::parse`];
    /// one built by hand that way encodes with an empty OID, which no parser accepts.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            SecurityInfo::Pace(p) => enc_seq(&[
                &oid(&p.protocol.oid()),
                &enc_uint(p.version),
                &optional(p.parameter_id),
            ]),
            SecurityInfo::PaceDomainParameters(p) => enc_seq(&[
                &bsi(&[ID_PACE, pace_mapping_arc(p.mapping, p.key_agreement)]),
                &p.domain_parameter,
                &optional(p.parameter_id),
            ]),
            SecurityInfo::ChipAuthentication(c) => enc_seq(&[
                &oid(&c.protocol.oid()),
                &enc_uint(c.version),
                &optional(c.key_id),
            ]),
            SecurityInfo::ChipAuthenticationDomainParameters(c) => enc_seq(&[
                &bsi(&[ID_CA, key_agreement_arc(c.key_agreement)]),
                &c.domain_parameter,
                &optional(c.key_id),
            ]),
            SecurityInfo::ChipAuthenticationPublicKey(k) => enc_seq(&[
                &bsi(&[ID_PK, key_agreement_arc(k.key_agreement)]),
                &k.public_key_info,
                &optional(k.key_id),
            ]),
            SecurityInfo::TerminalAuthentication(t) => enc_seq(&[
                &bsi(&[ID_TA]),
                &enc_uint(t.version),
                t.ef_cvca.as_deref().unwrap_or_default(),
            ]),
            SecurityInfo::ActiveAuthentication(a) => enc_seq(&[
                &oid(&ID_AA),
                &enc_uint(a.version),
                &oid(&dotted_oid_content(&a.signature_algorithm).unwrap_or_default()),
            ]),
            SecurityInfo::Unknown(u) => u.der.clone(),
        }
    }
}

impl super::SecurityInfos {
    /// The DER `SET OF SecurityInfo` (elements sorted, as DER requires).
    pub fn encode(&self) -> Vec<u8> {
        let encoded: Vec<Vec<u8>> = self.infos.iter().map(SecurityInfo::encode).collect();
        let parts: Vec<&[u8]> = encoded.iter().map(Vec::as_slice).collect();
        crate::lds::asn1::enc_set_of(&parts)
    }
}
