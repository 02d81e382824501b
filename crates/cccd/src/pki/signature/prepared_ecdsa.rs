//! ECDSA with a decoded key kept across verifications and, once the key has been seen twice,
//! a fixed-base table of it ([`crate::ec::fixed_base`]); the curve generator's table is built
//! once per process. Before its table exists (and for a key used once, such as a chip's
//! Active Authentication key) a key is verified by interleaved wNAF
//! ([`crate::ec::variable_base`]).
//!
//! Signature decoding, the digest-to-scalar conversion and the range checks are the ones the
//! `ecdsa` crate applies in `VerifyingKey::verify_prehash`, so the verdict is the plain
//! path's ([`super::ecdsa::verify_prehashed`]); only `u1·G + u2·Q` and the final comparison
//! differ.

use std::sync::OnceLock;

use ::ecdsa::{EcdsaCurve, Signature, VerifyingKey};
use elliptic_curve::Scalar;
use elliptic_curve::array::ArraySize;
use elliptic_curve::bigint::{BitOps, Encoding};
use elliptic_curve::ops::{Invert, Reduce};
use elliptic_curve::scalar::IsHigh;
use primeorder::ProjectivePoint;

use super::{EcdsaEncoding, SignatureError};
use crate::ec::field::CurveField;
use crate::ec::fixed_base::{FixedBaseTable, SIGNER_WINDOW, verify_scalars};
use crate::ec::variable_base::{self, GeneratorOddMultiples};

/// A decoded EC public key and, once built, its fixed-base table.
pub(crate) struct PreparedEcdsa<C: CurveField + EcdsaCurve> {
    key: VerifyingKey<C>,
    /// The key's affine coordinates as field elements, for the wNAF path.
    affine: (C::Element, C::Element),
    table: OnceLock<FixedBaseTable<C>>,
}

impl<C: CurveField + EcdsaCurve> std::fmt::Debug for PreparedEcdsa<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedEcdsa")
            .field("table", &self.table.get())
            .finish_non_exhaustive()
    }
}

/// `bits2int` then reduction mod n (SEC1 §4.1.4 step 5), exactly as `ecdsa::hazmat` does:
/// the leftmost `ceil(bits(n)/8)` bytes, truncated to `bits(n)` bits, reduced mod n.
pub(crate) fn digest_scalar<C: CurveField + EcdsaCurve>(mut bytes: &[u8]) -> Scalar<C> {
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
    C: CurveField + EcdsaCurve,
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
    C: CurveField + EcdsaCurve,
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
        let affine = variable_base::affine_coordinates::<C>(key.as_affine()).ok_or_else(|| {
            SignatureError::BadKey {
                reason: "EC point is the point at infinity".to_owned(),
            }
        })?;
        Ok(Self {
            key,
            affine,
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
    /// process-wide table), else by interleaved wNAF (`odd_multiples` is the curve's
    /// process-wide generator table for it).
    pub fn verify(
        &self,
        generator: impl FnOnce() -> &'static FixedBaseTable<C>,
        odd_multiples: impl FnOnce() -> &'static GeneratorOddMultiples<C>,
        prehash: &[u8],
        signature: &[u8],
        encoding: EcdsaEncoding,
        field_len: usize,
    ) -> Result<(), SignatureError> {
        let signature = parse_signature::<C>(signature, encoding, field_len)?;
        let verified = match self.table.get() {
            Some(table) => verify_with_tables(generator(), table, prehash, &signature),
            None => verify_with_wnaf(odd_multiples(), &self.affine, prehash, &signature),
        };
        if verified {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}

/// `u1`, `u2` of `ecdsa::hazmat::verify_prehashed`, with its checks; `None` when `s` is high
/// on a curve that normalizes it.
fn verification_scalars<C: CurveField + EcdsaCurve>(
    prehash: &[u8],
    signature: &Signature<C>,
) -> Option<(Scalar<C>, Scalar<C>, Scalar<C>)> {
    let (r, s) = signature.split_scalars();
    if C::NORMALIZE_S && bool::from(s.is_high()) {
        return None;
    }
    let z = digest_scalar::<C>(prehash);
    let s_inv: Scalar<C> = *s.invert_vartime();
    Some((z * s_inv, *r * s_inv, *r))
}

/// The verification equation by interleaved wNAF, for a key without a table.
pub(crate) fn verify_with_wnaf<C: CurveField + EcdsaCurve>(
    generator: &GeneratorOddMultiples<C>,
    key: &(C::Element, C::Element),
    prehash: &[u8],
    signature: &Signature<C>,
) -> bool {
    verification_scalars(prehash, signature).is_some_and(|(u1, u2, r)| {
        variable_base::verify_scalars(generator, &key.0, &key.1, &u1, &u2, &r)
    })
}

/// The fixed-base verification equation, with `ecdsa::hazmat::verify_prehashed`'s checks.
pub(crate) fn verify_with_tables<C: CurveField + EcdsaCurve>(
    generator: &FixedBaseTable<C>,
    key: &FixedBaseTable<C>,
    prehash: &[u8],
    signature: &Signature<C>,
) -> bool {
    verification_scalars(prehash, signature)
        .is_some_and(|(u1, u2, r)| verify_scalars(generator, key, &u1, &u2, &r))
}
