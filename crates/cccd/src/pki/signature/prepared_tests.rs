//! The prepared paths against the plain ones: every input must get the same verdict.
//!
//! ECDSA: `verify_with_tables` and `verify_with_wnaf` against `ecdsa::hazmat::verify_prehashed` (what the `ecdsa`
//! crate's `VerifyingKey::verify_prehash` runs) on random valid signatures, (r, n − s),
//! flipped digests, swapped r/s, wrong keys, r = n − 1, x(R) ≥ n (the r + n case) and
//! signatures whose verification adds a point to itself or to its negation.
//! RSA: the e = 65537 path against the `rsa` crate on random keys and signatures, and its
//! exponentiation against the crate's public operation on moduli of 1000 to 4096 bits.

// ECDSA's own names (d, k, r, s, x, n, G, Q) keep the equations readable.
#![allow(clippy::many_single_char_names, clippy::type_complexity)]

use crate::ec::field::CurveField;
use crate::ec::test_scalars::{field_bytes, on_every_curve, scalar};
use ::ecdsa::{EcdsaCurve, Signature};
use elliptic_curve::ff::{Field, PrimeField};
use elliptic_curve::group::Group;
use elliptic_curve::ops::Reduce;
use elliptic_curve::point::AffineCoordinates;
use elliptic_curve::sec1::ToSec1Point;
use elliptic_curve::{FieldBytes, Scalar};
use primeorder::ProjectivePoint;

use super::super::prepared_ecdsa::{
    PreparedEcdsa, digest_scalar, verify_with_tables, verify_with_wnaf,
};
use super::super::rsa::PssParameters;
use super::super::rsa_f4::PreparedRsa;
use super::super::{EcdsaEncoding, HashAlgorithm, SignatureError};
use crate::ec::fixed_base::{FixedBaseTable, GENERATOR_WINDOW, SIGNER_WINDOW};
use crate::ec::variable_base::{GeneratorOddMultiples, affine_coordinates};

fn signature<C: CurveField + EcdsaCurve>(r: Scalar<C>, s: Scalar<C>) -> Option<Signature<C>>
where
    ::ecdsa::SignatureSize<C>: elliptic_curve::array::ArraySize,
{
    Signature::<C>::from_scalars(r.to_repr(), s.to_repr()).ok()
}

/// One key with three verifiers: the crate's, the tables, and the wNAF path.
struct Fixture<'g, C: CurveField> {
    q: ProjectivePoint<C>,
    g_table: &'g FixedBaseTable<C>,
    q_table: FixedBaseTable<C>,
    g_odd: GeneratorOddMultiples<C>,
    q_affine: (C::Element, C::Element),
}

fn generator_table<C: CurveField>() -> FixedBaseTable<C> {
    FixedBaseTable::build(&ProjectivePoint::<C>::generator(), GENERATOR_WINDOW)
}

impl<'g, C: CurveField + EcdsaCurve> Fixture<'g, C>
where
    ::ecdsa::SignatureSize<C>: elliptic_curve::array::ArraySize,
{
    fn new(g_table: &'g FixedBaseTable<C>, q: ProjectivePoint<C>) -> Self {
        Self {
            q,
            g_table,
            q_table: FixedBaseTable::build(&q, SIGNER_WINDOW),
            g_odd: GeneratorOddMultiples::build(),
            q_affine: affine_coordinates::<C>(&q.to_affine()).unwrap(),
        }
    }

    /// The three verdicts, asserted equal; returns the verdict.
    fn verdict(&self, prehash: &[u8], sig: &Signature<C>, what: &str) -> bool {
        let plain = ::ecdsa::hazmat::verify_prehashed::<C>(&self.q, prehash, sig).is_ok();
        let tables = verify_with_tables(self.g_table, &self.q_table, prehash, sig);
        assert_eq!(plain, tables, "{what}: plain and prepared verdicts differ");
        let wnaf = verify_with_wnaf(&self.g_odd, &self.q_affine, prehash, sig);
        assert_eq!(plain, wnaf, "{what}: plain and wNAF verdicts differ");
        plain
    }
}

/// A signature by `d` over `prehash` with nonce `k`.
fn sign<C: CurveField + EcdsaCurve>(
    d: Scalar<C>,
    k: Scalar<C>,
    prehash: &[u8],
) -> Option<(Scalar<C>, Scalar<C>)> {
    let x = (ProjectivePoint::<C>::generator() * k).to_affine().x();
    let r = <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(&x);
    let k_inv = Option::<Scalar<C>>::from(k.invert())?;
    let s = k_inv * (digest_scalar::<C>(prehash) + r * d);
    Some((r, s))
}

/// A key and signature whose verification point R has the x coordinate `x` (if `x` is on the
/// curve): R = u1·G + u2·Q solved for Q.
fn forge_for_x<C: CurveField + EcdsaCurve>(
    x: &FieldBytes<C>,
    i: u64,
) -> Option<(ProjectivePoint<C>, Vec<u8>, Scalar<C>, Scalar<C>)> {
    let mut compressed = vec![0x02];
    compressed.extend_from_slice(x);
    let r_point = ::ecdsa::VerifyingKey::<C>::from_sec1_bytes(&compressed).ok()?;
    let r_point = ProjectivePoint::<C>::from(*r_point.as_affine());
    let r = <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(x);
    let s = scalar::<C>("forge-s", i);
    let prehash = field_bytes::<C>("forge-z", i).to_vec();
    let s_inv = Option::<Scalar<C>>::from(s.invert())?;
    let (u1, u2) = (digest_scalar::<C>(&prehash) * s_inv, r * s_inv);
    let u2_inv = Option::<Scalar<C>>::from(u2.invert())?;
    let q = (r_point - ProjectivePoint::<C>::generator() * u1) * u2_inv;
    Some((q, prehash, r, s))
}

/// Big-endian `a + b` (no overflow for these inputs).
fn add(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; a.len()];
    let mut carry = 0u16;
    for i in (0..a.len()).rev() {
        let sum = u16::from(a[i]) + u16::from(b[i]) + carry;
        out[i] = sum as u8;
        carry = sum >> 8;
    }
    out
}

fn order<C: CurveField>() -> Vec<u8> {
    let mut one = vec![0u8; FieldBytes::<C>::default().len()];
    *one.last_mut().unwrap() = 1;
    add(&(-Scalar::<C>::ONE).to_repr(), &one)
}

fn differential<C: CurveField + EcdsaCurve>(rounds: u64)
where
    ::ecdsa::SignatureSize<C>: elliptic_curve::array::ArraySize,
{
    let g = ProjectivePoint::<C>::generator();
    let g_table = generator_table::<C>();
    let d = scalar::<C>("d", 0);
    let key = Fixture::new(&g_table, g * d);
    let other = Fixture::new(&g_table, g * scalar::<C>("d", 1));
    for i in 0..rounds {
        let prehash = field_bytes::<C>("z", i).to_vec();
        let (r, s) = sign::<C>(d, scalar::<C>("k", i), &prehash).unwrap();
        let sig = signature::<C>(r, s).unwrap();
        assert!(key.verdict(&prehash, &sig, "valid"));
        assert!(key.verdict(&prehash, &signature::<C>(r, -s).unwrap(), "(r, n - s)"));
        let mut flipped = prehash.clone();
        let at = i as usize % flipped.len();
        flipped[at] ^= 1 << (i % 8);
        assert!(!key.verdict(&flipped, &sig, "flipped digest"));
        assert!(!key.verdict(&prehash, &signature::<C>(s, r).unwrap(), "swapped r/s"));
        assert!(!other.verdict(&prehash, &sig, "wrong key"));
        let r_max = signature::<C>(-Scalar::<C>::ONE, s).unwrap();
        assert!(!key.verdict(&prehash, &r_max, "r = n - 1"));
        // A digest longer than the field is truncated, shorter one padded: same on both.
        let long = [prehash.as_slice(), b"tail"].concat();
        key.verdict(&long, &sig, "long digest");
        key.verdict(&prehash[..prehash.len() / 2], &sig, "short digest");
    }
}

/// Signatures whose R has x ≥ n (so r = x − n), and r = n − 1, both valid by construction.
fn large_x<C: CurveField + EcdsaCurve>()
where
    ::ecdsa::SignatureSize<C>: elliptic_curve::array::ArraySize,
{
    let n = order::<C>();
    let g_table = generator_table::<C>();
    let mut found = 0;
    for t in 0u64..64 {
        if found == 4 {
            break;
        }
        let mut offset = vec![0u8; n.len()];
        offset[n.len() - 8..].copy_from_slice(&t.to_be_bytes());
        let x = FieldBytes::<C>::try_from(add(&n, &offset).as_slice()).unwrap();
        let Some((q, prehash, r, s)) = forge_for_x::<C>(&x, t) else {
            continue;
        };
        let fixture = Fixture::new(&g_table, q);
        let sig = signature::<C>(r, s).unwrap();
        assert!(
            fixture.verdict(&prehash, &sig, "x(R) = r + n"),
            "x(R) = n + {t}"
        );
        let mut other = prehash.clone();
        *other.last_mut().unwrap() ^= 1;
        assert!(!fixture.verdict(&other, &sig, "x(R) = r + n, other digest"));
        found += 1;
    }
    assert_eq!(found, 4, "too few x >= n on the curve");
    // r = n - 1: x(R) = n - 1 itself, when that x is on the curve.
    let n_minus_1 = (-Scalar::<C>::ONE).to_repr();
    if let Some((q, prehash, r, s)) = forge_for_x::<C>(&n_minus_1, 99) {
        assert_eq!(r, -Scalar::<C>::ONE);
        let fixture = Fixture::new(&g_table, q);
        assert!(fixture.verdict(&prehash, &signature::<C>(r, s).unwrap(), "r = n - 1 valid"));
    }
}

/// Q = G with u1 = u2 = c (a doubling inside the sum), and Q = -G (P + (-P) = infinity).
fn exceptional<C: CurveField + EcdsaCurve>()
where
    ::ecdsa::SignatureSize<C>: elliptic_curve::array::ArraySize,
{
    let g = ProjectivePoint::<C>::generator();
    let g_table = generator_table::<C>();
    let (plus, minus) = (Fixture::new(&g_table, g), Fixture::new(&g_table, -g));
    for c in 1u64..6 {
        let c = Scalar::<C>::from(c);
        // R = c·G + c·G = 2c·G; r = x(R) mod n, and z = r, s = r / c make u1 = u2 = c.
        let x = (g * (c + c)).to_affine().x();
        let r = <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(&x);
        let s = r * Option::<Scalar<C>>::from(c.invert()).unwrap();
        let prehash = r.to_repr().to_vec();
        let sig = signature::<C>(r, s).unwrap();
        assert!(plus.verdict(&prehash, &sig, "doubling"));
        assert!(!minus.verdict(&prehash, &sig, "P + (-P)"));
    }
}

#[test]
fn ecdsa_tables_agree_with_the_crate_on_every_curve() {
    differential::<p256::NistP256>(24);
    differential::<p384::NistP384>(12);
    differential::<p521::NistP521>(6);
    differential::<bp256::r1::BrainpoolP256r1>(24);
    differential::<bp384::r1::BrainpoolP384r1>(12);
    differential::<crate::ec::bp512::BrainpoolP512r1>(6);
}

#[test]
fn ecdsa_r_plus_n_and_r_n_minus_1() {
    on_every_curve!(large_x);
}

#[test]
fn ecdsa_exceptional_additions() {
    on_every_curve!(exceptional);
}

#[test]
fn prepared_ecdsa_before_and_after_its_table() {
    type C = bp384::r1::BrainpoolP384r1;
    let d = scalar::<C>("d", 7);
    let q = (ProjectivePoint::<C>::generator() * d).to_affine();
    let prepared = PreparedEcdsa::<C>::new(q.to_sec1_point(false).as_bytes()).unwrap();
    let prehash = field_bytes::<C>("z", 7).to_vec();
    let (r, s) = sign::<C>(d, scalar::<C>("k", 7), &prehash).unwrap();
    let sig = [r.to_repr().as_slice(), s.to_repr().as_slice()].concat();
    let g = || -> &'static FixedBaseTable<C> {
        static G: std::sync::OnceLock<FixedBaseTable<C>> = std::sync::OnceLock::new();
        G.get_or_init(|| FixedBaseTable::build(&ProjectivePoint::<C>::generator(), 6))
    };
    let odd = || -> &'static GeneratorOddMultiples<C> {
        static ODD: std::sync::OnceLock<GeneratorOddMultiples<C>> = std::sync::OnceLock::new();
        ODD.get_or_init(GeneratorOddMultiples::build)
    };
    let verify = |sig: &[u8], enc| prepared.verify(g, odd, &prehash, sig, enc, 48);
    assert_eq!(prepared.table_bytes(), 0);
    assert_eq!(verify(&sig, EcdsaEncoding::Plain), Ok(()));
    prepared.build_table();
    assert!(prepared.table_bytes() > 100_000);
    assert_eq!(verify(&sig, EcdsaEncoding::Plain), Ok(()));
    assert_eq!(verify(&sig, EcdsaEncoding::DerOrPlain), Ok(()));
    assert_eq!(
        verify(&sig[..95], EcdsaEncoding::Plain),
        Err(SignatureError::BadSignatureEncoding)
    );
    let mut bad = sig.clone();
    bad[50] ^= 1;
    assert_eq!(
        verify(&bad, EcdsaEncoding::Plain),
        Err(SignatureError::Invalid)
    );
    assert!(PreparedEcdsa::<C>::new(&[0x04; 97]).is_err());
}

fn rsa_keys() -> &'static [::rsa::PrivateKey] {
    static KEYS: std::sync::OnceLock<Vec<::rsa::PrivateKey>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = rand::rng();
        let mut keys: Vec<_> = [1024, 2048, 2051]
            .into_iter()
            .map(|bits| ::rsa::PrivateKey::new(&mut rng, bits).unwrap())
            .collect();
        // A key with e = 3 takes the crate's path; its verdicts must agree as well.
        keys.push(
            ::rsa::PrivateKey::new_with_exp(&mut rng, 1024, ::rsa::BoxedUint::from(3u32)).unwrap(),
        );
        keys
    })
}

/// Tampered variants of a signature: a flipped bit, zero, all-ones, truncated, the modulus.
fn tampered(sig: &[u8], n: &[u8]) -> Vec<Vec<u8>> {
    let mut flipped = sig.to_vec();
    flipped[sig.len() / 2] ^= 0x10;
    vec![
        flipped,
        vec![0; sig.len()],
        vec![0xFF; sig.len()],
        sig[1..].to_vec(),
        n.to_vec(),
    ]
}

#[test]
fn rsa_f4_agrees_with_the_crate() {
    use ::rsa::traits::PublicKeyParts;
    use ::rsa::{Pkcs1v15Sign, Pss};
    let mut rng = rand::rng();
    for (i, private) in rsa_keys().iter().enumerate() {
        let public = private.to_public_key();
        let n = public.n_bytes();
        let prepared = PreparedRsa::from_key(public.clone());
        for round in 0..4u8 {
            let message = [b"signed attributes ".as_slice(), &[round, i as u8]].concat();
            let digest = HashAlgorithm::Sha256.digest(&message);
            let pkcs1 = private
                .sign(Pkcs1v15Sign::new::<sha2::Sha256>(), &digest)
                .unwrap();
            let salt = usize::from(round) * 10;
            let pss = private
                .sign_with_rng(&mut rng, Pss::<sha2::Sha256>::new_with_salt(salt), &digest)
                .unwrap();
            let params = PssParameters {
                hash: HashAlgorithm::Sha256,
                salt_len: salt,
            };
            let plain_pkcs1 = |m: &[u8], s: &[u8]| {
                super::super::rsa::verify_pkcs1v15_with_key(&public, HashAlgorithm::Sha256, m, s)
            };
            let plain_pss =
                |m: &[u8], s: &[u8]| super::super::rsa::verify_pss_with_key(&public, params, m, s);
            assert_eq!(
                prepared.verify_pkcs1v15(HashAlgorithm::Sha256, &message, &pkcs1),
                Ok(())
            );
            assert_eq!(prepared.verify_pss(params, &message, &pss), Ok(()));
            let mut inputs = vec![(message.clone(), pkcs1.clone(), pss.clone())];
            inputs.push((b"other".to_vec(), pkcs1.clone(), pss.clone()));
            for (a, b) in tampered(&pkcs1, &n).into_iter().zip(tampered(&pss, &n)) {
                inputs.push((message.clone(), a, b));
            }
            // Each scheme's signature read as the other.
            inputs.push((message.clone(), pss.clone(), pkcs1.clone()));
            for (m, a, b) in &inputs {
                assert_eq!(
                    prepared.verify_pkcs1v15(HashAlgorithm::Sha256, m, a),
                    plain_pkcs1(m, a),
                    "PKCS#1 key {i}"
                );
                assert_eq!(
                    prepared.verify_pss(params, m, b),
                    plain_pss(m, b),
                    "PSS key {i}"
                );
            }
            // Another salt length than the signer's is refused by both.
            let wrong_salt = PssParameters {
                hash: HashAlgorithm::Sha256,
                salt_len: salt + 1,
            };
            assert_eq!(
                prepared.verify_pss(wrong_salt, &message, &pss),
                super::super::rsa::verify_pss_with_key(&public, wrong_salt, &message, &pss)
            );
            assert!(prepared.verify_pss(wrong_salt, &message, &pss).is_err());
        }
    }
}

/// Public keys with e = 65537 on both of crypto-bigint's squaring paths: its dedicated 32-limb
/// squaring (2047 and 2048 bits) and the generic Montgomery multiplication (1000 and 1024 bits:
/// 16 limbs; 2049: 33; 3072: 48; 4096: 64), with moduli one bit short of and past a limb
/// boundary. Per size: two random odd moduli with the top bit set, the all-ones modulus
/// 2^bits − 1 and the smallest, 2^(bits−1) + 1. The public operation does not need n to be a
/// product of two primes, so these stand in for real keys.
fn f4_moduli() -> Vec<::rsa::PublicKey> {
    let mut rng = rand::rng();
    let mut keys = Vec::new();
    for bits in [1000usize, 1024, 2047, 2048, 2049, 3072, 4096] {
        let len = bits.div_ceil(8);
        let top = 1u8 << ((bits - 1) % 8);
        let mut moduli: Vec<Vec<u8>> = (0..2)
            .map(|_| (0..len).map(|_| rand::RngExt::random(&mut rng)).collect())
            .collect();
        moduli.push(vec![0xFF; len]);
        moduli.push(vec![0; len]);
        for n in &mut moduli {
            // Clear the bits above `bits`, set the top one and make n odd.
            n[0] &= top | (top - 1);
            n[0] |= top;
            *n.last_mut().unwrap() |= 1;
        }
        for n in moduli {
            let n = ::rsa::BoxedUint::from_be_slice_vartime(&n);
            assert_eq!(n.bit_width() as usize, bits);
            assert_eq!(
                n.bits_precision() as usize,
                bits.next_multiple_of(crypto_bigint::Limb::BITS as usize)
            );
            let e = ::rsa::BoxedUint::from(65537u32);
            keys.push(::rsa::PublicKey::new_with_size_limits(n, e, 512..=8192).unwrap());
        }
    }
    keys
}

/// `pow_f4` against the `rsa` crate's public operation (`rsa::hazmat::rsa_encrypt`, its
/// generic windowed exponentiation) on every modulus of [`f4_moduli`] and the real keys: bases
/// 0, 1, 2, n − 2, n − 1, R mod n and R² mod n (the Montgomery constants) and random values
/// below n. `pow_f4` reads its input as a Montgomery representation in its last step, so the
/// bases at both ends of the range are the ones that would show a missed reduction.
#[test]
fn pow_f4_equals_the_crates_public_operation() {
    use super::super::rsa_f4::{is_f4, pow_f4};
    use ::rsa::traits::PublicKeyParts;
    let mut rng = rand::rng();
    let real = rsa_keys().iter().map(::rsa::PrivateKey::to_public_key);
    let keys: Vec<_> = f4_moduli().into_iter().chain(real).filter(is_f4).collect();
    assert_eq!(keys.len(), 7 * 4 + 3);
    let mut compared = 0;
    for key in &keys {
        let n = key.n().as_ref();
        let precision = n.bits_precision();
        let small = |v: u8| ::rsa::BoxedUint::from_be_slice(&[v], precision).unwrap();
        let mut bases = vec![
            small(0),
            small(1),
            small(2),
            n.wrapping_sub(small(2)),
            n.wrapping_sub(small(1)),
            key.n_params().as_ref().one().clone(),
            key.n_params().as_ref().r2().clone(),
        ];
        for _ in 0..24 {
            let bytes: Vec<u8> = (0..key.size())
                .map(|_| rand::RngExt::random(&mut rng))
                .collect();
            let wide = ::rsa::BoxedUint::from_be_slice(&bytes, precision).unwrap();
            bases.push(wide.rem_vartime(key.n()));
        }
        for s in bases {
            assert!(s < *n);
            let ours = pow_f4(key, s.clone());
            let crates = ::rsa::hazmat::rsa_encrypt(key, &s).unwrap();
            assert_eq!(ours, crates, "{} bits, s = {s:x}", n.bit_width());
            assert!(ours < *n);
            compared += 1;
        }
    }
    assert_eq!(compared, keys.len() * 31);
}
