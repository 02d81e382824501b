//! Deterministic pseudo-random field bytes and scalars for the unit tests of the table
//! arithmetic (`ec::fixed_base`) and the prepared verifiers (`pki::signature::prepared`):
//! SHA-512 of a label and an index, so a failing case names its own input.

use elliptic_curve::ops::Reduce;
use elliptic_curve::{FieldBytes, Scalar};
use primeorder::PrimeCurveParams;
use sha2::{Digest, Sha512};

/// Field-length bytes: the first bytes of SHA-512(label ‖ i ‖ 0) ‖ SHA-512(label ‖ i ‖ 1).
pub(crate) fn field_bytes<C: PrimeCurveParams>(label: &str, i: u64) -> FieldBytes<C> {
    let mut wide = Vec::new();
    for block in 0u8..2 {
        let mut h = Sha512::new();
        h.update(label.as_bytes());
        h.update(i.to_be_bytes());
        h.update([block]);
        wide.extend_from_slice(&h.finalize());
    }
    let mut out = FieldBytes::<C>::default();
    let len = out.len();
    out.copy_from_slice(&wide[..len]);
    out
}

/// [`field_bytes`] reduced modulo the group order.
pub(crate) fn scalar<C: PrimeCurveParams>(label: &str, i: u64) -> Scalar<C> {
    <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(&field_bytes::<C>(label, i))
}

/// Run a generic check on each curve the prepared verifiers serve: the three NIST curves with
/// `a = −3` and the three brainpool curves with a general `a`.
macro_rules! on_every_curve {
    ($check:ident) => {{
        $check::<p256::NistP256>();
        $check::<p384::NistP384>();
        $check::<p521::NistP521>();
        $check::<bp256::r1::BrainpoolP256r1>();
        $check::<bp384::r1::BrainpoolP384r1>();
        $check::<crate::ec::bp512::BrainpoolP512r1>();
    }};
}
pub(crate) use on_every_curve;
