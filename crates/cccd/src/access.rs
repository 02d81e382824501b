//! The on-card protocols, reader side: getting in (BAC, PACE) and proving the chip genuine
//! (active authentication, chip authentication), in JMRTD's `protocol` sense.
//!
//! The SecurityInfos these protocols consume (EF.CardAccess, DG14, EF.CardSecurity) are the
//! one model in [`crate::lds::security_infos`].
//!
//! - [`pace`]: PACE (generic, integrated and chip-authentication mapping), reader side, plus the
//!   key agreement steps a chip needs (used by `cccd-sim`).
//! - [`bac`]: Basic Access Control.
//! - [`active`]: active authentication (INTERNAL AUTHENTICATE; ISO 9796-2 RSA, ECDSA).
//! - [`chip`]: chip authentication (CA v1 ECDH; new secure messaging keys).

pub mod active;
pub mod bac;
pub mod chip;
pub mod pace;

/// Keys as DG14 and DG15 carry them, for the protocol tests.
#[cfg(test)]
mod test_keys {
    use crate::ec::Curve;
    use crate::lds::asn1::{enc_oid, enc_seq, oid_from_arcs};
    use crate::tlv::{self, Tag};

    /// An EC `SubjectPublicKeyInfo` on a named curve.
    pub(crate) fn ec_spki(curve: Curve, point: &[u8]) -> Vec<u8> {
        let alg = enc_seq(&[
            &enc_oid(&oid_from_arcs(&[1, 2, 840, 10045, 2, 1])),
            &enc_oid(&curve.oid().parse().unwrap()),
        ]);
        let mut bits = vec![0];
        bits.extend_from_slice(point);
        enc_seq(&[&alg, &tlv::encode(Tag::new(0x03), &bits)])
    }
}
