//! `card.json` of a sample: a read on the reference day by the simulator over PACE-CAN, with
//! the chip-authentication outcome and a recorded Active Authentication exchange, so a verifier
//! can re-check AA offline. A clone answers with the clone's key, so its AA record fails.
//!
//! AA signatures are made here rather than by [`crate::aa::AaResponder`] because that one
//! draws ISO 9796-2's M1 from the OS RNG; here M1 comes from the seeded stream and the RSA
//! operation is unblinded, so the record is reproducible.

use super::GenError;
use super::keys::{PrivateKey, random_bytes};
use super::spec::{CardSpec, Fault};
use cccd::document::{AccessProtocol, ActiveAuthRecord, ChipAuthRecord, ReadMeta};
use rsa::BoxedUint;
use rsa::traits::PublicKeyParts;
use sha1::Digest as _;

fn err(e: &dyn std::fmt::Display) -> GenError {
    GenError::Crypto(format!("AA signature: {e}"))
}

/// ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery, SHA-1 and the
/// implicit trailer `BC` (ICAO 9303-11 section 6.1): `F = 6A || M1 || SHA-1(M1 || challenge)
/// || BC`, signature `F^d mod n`. M1 (the chip's nonce) fills the rest of the modulus.
fn iso9796_2_sign(
    key: &rsa::PrivateKey,
    challenge: &[u8],
    seed: u64,
    label: &str,
) -> Result<Vec<u8>, GenError> {
    let modulus_len = key.size();
    let m1_len = modulus_len
        .checked_sub(1 + 20 + 1)
        .ok_or_else(|| GenError::Crypto("RSA key too small for ISO 9796-2".into()))?;
    let m1 = random_bytes(seed, &format!("aa-m1/{label}"), m1_len);
    let mut hasher = sha1::Sha1::new();
    hasher.update(&m1);
    hasher.update(challenge);
    let mut message = Vec::with_capacity(modulus_len);
    message.push(0x6A);
    message.extend_from_slice(&m1);
    message.extend_from_slice(&hasher.finalize());
    message.push(0xBC);
    let modulus = key.n().as_ref();
    let representative =
        BoxedUint::from_be_slice(&message, modulus.bits_precision()).map_err(|e| err(&e))?;
    let signature = rsa::hazmat::rsa_decrypt_and_check(
        key,
        None::<&mut chacha20::ChaCha20Rng>,
        &representative,
    )
    .map_err(|e| err(&e))?;
    let raw = signature.to_be_bytes();
    let tail = raw
        .get(raw.len().saturating_sub(modulus_len)..)
        .unwrap_or(&[]);
    let mut out = vec![0u8; modulus_len - tail.len()];
    out.extend_from_slice(tail);
    Ok(out)
}

/// The card.json of `spec`, whose chip holds the AA key `chip_aa`.
pub fn read_meta(seed: u64, spec: &CardSpec, chip_aa: &PrivateKey) -> Result<ReadMeta, GenError> {
    let challenge = random_bytes(seed, &format!("aa-challenge/{}", spec.dir), 8);
    let response = match chip_aa {
        PrivateKey::P256(k) => {
            use rsa::signature::Signer;
            // ECDSA with SHA-256, plain r || s (BSI TR-03111), deterministic by RFC 6979.
            let sig: p256::ecdsa::Signature = k.try_sign(&challenge).map_err(|e| err(&e))?;
            sig.to_bytes().to_vec()
        }
        PrivateKey::Rsa(k) => iso9796_2_sign(k, &challenge, seed, spec.dir)?,
        _ => return Err(GenError::Crypto("unsupported AA key".into())),
    };
    let ca_passed = spec.fault != Fault::ClonedChip;
    Ok(ReadMeta {
        read_at: Some("2025-06-01T09:00:00Z".into()),
        reader: Some("cccd-sim virtual chip (generated sample)".into()),
        access: Some(AccessProtocol::PaceCan),
        pace: None,
        chip_authentication: Some(ChipAuthRecord {
            passed: ca_passed,
            protocol: "0.4.0.127.0.7.2.2.3.2.2".into(),
            detail: if ca_passed {
                String::new()
            } else {
                "the chip's answer did not match the DG14 public key".into()
            },
            key_source: None,
        }),
        active_authentication: Some(ActiveAuthRecord {
            challenge: cccd::hex::encode(&challenge),
            response: cccd::hex::encode(&response),
        }),
        tool: Some("cccd-gen (TEST DATA, fictional person)".into()),
    })
}
