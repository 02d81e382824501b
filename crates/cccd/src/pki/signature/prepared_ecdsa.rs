//! ECDSA with a decoded key kept across verifications and, once the key has been seen twice,
//! a fixed-base table of it ([`crate::ec::fixed_base`]); the curve generator's table is built
//! once per process.
//!
//! Signature decoding, the digest-to-scalar conversion and the range checks are the ones the
//! `ecdsa` crate applies in `VerifyingKey::verify_prehash`, so the verdict is the plain
//! path's ([`super::ecdsa::verify_prehashed`]); only `u1·G + u2·Q` and the final comparison
//! differ.

use std::sync::OnceLock;

use ::ecdsa::signature::hazmat::PrehashVerifier;
use ::ecdsa::{EcdsaCurve, Signature, VerifyingKey};
use elliptic_curve::Scalar;
use elliptic_curve::array::ArraySize;
use elliptic_curve::bigint::{BitOps, Encoding};
use elliptic_curve::ops::{Invert, Reduce};
use elliptic_curve::scalar::IsHigh;
use primeorder::{PrimeCurveParams, ProjectivePoint};

use super::{EcdsaEncoding, SignatureError};
use crate::ec::fixed_base::{FixedBaseTable, SIGNER_WINDOW, verify_scalars};

/// A decoded EC public key and, once built, its fixed-base table.
pub(crate) struct PreparedEcdsa<C: PrimeCurveParams + EcdsaCurve> {
    key: VerifyingKey<C>,
    table: OnceLock<FixedBaseTable<C>>,
}

impl<C: PrimeCurveParams + EcdsaCurve> std::fmt::Debug for PreparedEcdsa<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedEcdsa")
            .field("table", &self.table.get())
            .finish_non_exhaustive()
    }
}

/// `bits2int` then reduction mod n (SEC1 §4.1.4 step 5), exactly as `ecdsa::hazmat` does:
/// the leftmost `ceil(bits(n)/8)` bytes, truncated to `bits(n)` bits, reduced mod n.
pub(crate) fn digest_scalar<C: PrimeCurveParams + EcdsaCurve>(mut bytes: &[u8]) -> Scalar<C> {
    let n_bits = C::ORDER.bit_width();
    let n_bytes = n_bits.div_ceil(8) as usize;
    if bytes.len() > n_bytes {
        bytes = &bytes[..n_bytes];
    }
    <Scalar<C> as Reduce<C::Uint>>::reduce(&C::Uint::from_be_slice_truncated(bytes, n_bits))
}

/// Decode a signature the way the plain path does: DER (or a plain `r || s` fallback) for
/// X9.62 OIDs, plain only for the BSI OIDs.
pub(crate) fn parse_signature<C>(
    bytes: &[u8],
    encoding: EcdsaEncoding,
    field_len: usize,
) -> Result<Signature<C>, SignatureError>
where
    C: PrimeCurveParams + EcdsaCurve,
    ::ecdsa::SignatureSize<C>: ArraySize,
    ::ecdsa::der::MaxSize<C>: ArraySize,
    <elliptic_curve::FieldBytesSize<C> as std::ops::Add>::Output:
        std::ops::Add<::ecdsa::der::MaxOverhead> + ArraySize,
{
    let plain = || {
        (bytes.len() == 2 * field_len)
            .then(|| Signature::<C>::from_slice(bytes).ok())
            .flatten()
    };
    let parsed = match encoding {
        EcdsaEncoding::DerOrPlain => Signature::<C>::from_der(bytes).ok().or_else(plain),
        EcdsaEncoding::Plain => plain(),
    };
    parsed.ok_or(SignatureError::BadSignatureEncoding)
}

impl<C> PreparedEcdsa<C>
where
    C: PrimeCurveParams + EcdsaCurve,
    ::ecdsa::SignatureSize<C>: ArraySize,
    ::ecdsa::der::MaxSize<C>: ArraySize,
    <elliptic_curve::FieldBytesSize<C> as std::ops::Add>::Output:
        std::ops::Add<::ecdsa::der::MaxOverhead> + ArraySize,
{
    /// Decode a SEC1 point; the same refusal as the plain path for a bad point.
    pub fn new(sec1: &[u8]) -> Result<Self, SignatureError> {
        let key = VerifyingKey::<C>::from_sec1_bytes(sec1).map_err(|_| SignatureError::BadKey {
            reason: "EC point is not a valid point on the curve".to_owned(),
        })?;
        Ok(Self {
            key,
            table: OnceLock::new(),
        })
    }

    /// Build the key's table now (idempotent).
    pub fn build_table(&self) -> &FixedBaseTable<C> {
        self.table.get_or_init(|| {
            FixedBaseTable::build(
                &ProjectivePoint::<C>::from(*self.key.as_affine()),
                SIGNER_WINDOW,
            )
        })
    }

    /// Memory held by the key's table, 0 before it is built.
    pub fn table_bytes(&self) -> usize {
        self.table.get().map_or(0, FixedBaseTable::size_bytes)
    }

    /// Verify with the tables when the key's table exists (`generator` is the curve's
    /// process-wide table), else with the `ecdsa` crate.
    pub fn verify(
        &self,
        generator: impl FnOnce() -> &'static FixedBaseTable<C>,
        prehash: &[u8],
        signature: &[u8],
        encoding: EcdsaEncoding,
        field_len: usize,
    ) -> Result<(), SignatureError> {
        let signature = parse_signature::<C>(signature, encoding, field_len)?;
        let Some(table) = self.table.get() else {
            return self
                .key
                .verify_prehash(prehash, &signature)
                .map_err(|_| SignatureError::Invalid);
        };
        if verify_with_tables(generator(), table, prehash, &signature) {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}

/// The fixed-base verification equation, with `ecdsa::hazmat::verify_prehashed`'s checks.
pub(crate) fn verify_with_tables<C: PrimeCurveParams + EcdsaCurve>(
    generator: &FixedBaseTable<C>,
    key: &FixedBaseTable<C>,
    prehash: &[u8],
    signature: &Signature<C>,
) -> bool {
    let (r, s) = signature.split_scalars();
    if C::NORMALIZE_S && bool::from(s.is_high()) {
        return false;
    }
    let z = digest_scalar::<C>(prehash);
    let s_inv: Scalar<C> = *s.invert_vartime();
    let u1 = z * s_inv;
    let u2 = *r * s_inv;
    verify_scalars(generator, key, &u1, &u2, &r)
}
