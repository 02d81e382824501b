//! Seeded randomness and the private keys of the test PKI and the chips.
//!
//! Every random value comes from a ChaCha20 stream keyed by `SHA-256(seed || label)`, so each
//! key or nonce depends only on the seed and its own label: adding a card does not change the
//! keys of the others. Keys are written as PKCS#8 PEM; when a key file already exists under the
//! key folder it is loaded instead of generated (RSA-4096 generation takes seconds), which is
//! equivalent because the file was produced from the same seed and label.

use super::GenError;
use chacha20::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::Path;

/// A deterministic random stream for one purpose.
pub fn rng_for(seed: u64, label: &str) -> ChaCha20Rng {
    let mut h = Sha256::new();
    h.update(b"cccd-gen v1\0");
    h.update(seed.to_be_bytes());
    h.update(label.as_bytes());
    ChaCha20Rng::from_seed(h.finalize().into())
}

/// `n` random bytes from the stream for `label`.
pub fn random_bytes(seed: u64, label: &str, n: usize) -> Vec<u8> {
    let mut out = vec![0u8; n];
    rng_for(seed, label).fill_bytes(&mut out);
    out
}

/// Which kind of key to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// RSA with this modulus size in bits (exponent 65537).
    Rsa(usize),
    /// ECDSA over NIST P-256.
    P256,
    /// ECDSA over brainpoolP256r1 (chip authentication keys).
    BrainpoolP256,
    /// ECDSA over brainpoolP384r1.
    BrainpoolP384,
}

/// A private key of the test PKI or of a chip.
#[derive(Clone)]
pub enum PrivateKey {
    /// RSA.
    Rsa(rsa::PrivateKey),
    /// NIST P-256.
    P256(p256::ecdsa::SigningKey),
    /// brainpoolP256r1.
    BrainpoolP256(ecdsa::SigningKey<bp256::BrainpoolP256r1>),
    /// brainpoolP384r1.
    BrainpoolP384(ecdsa::SigningKey<bp384::BrainpoolP384r1>),
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.write_str(match self {
            PrivateKey::Rsa(_) => "PrivateKey::Rsa(..)",
            PrivateKey::P256(_) => "PrivateKey::P256(..)",
            PrivateKey::BrainpoolP256(_) => "PrivateKey::BrainpoolP256(..)",
            PrivateKey::BrainpoolP384(_) => "PrivateKey::BrainpoolP384(..)",
        })
    }
}

/// Rejection sampling of an EC private scalar: zero or >= n is redrawn, so keys are uniform.
macro_rules! ec_key {
    ($ty:ty, $len:expr, $rng:expr) => {{
        loop {
            let mut bytes = [0u8; $len];
            $rng.fill_bytes(&mut bytes);
            if let Ok(k) = <$ty>::from_slice(&bytes) {
                break k;
            }
        }
    }};
}

impl PrivateKey {
    /// Generate a key of `kind` from the stream for `label`.
    pub fn generate(seed: u64, label: &str, kind: KeyKind) -> Result<Self, GenError> {
        let mut rng = rng_for(seed, label);
        Ok(match kind {
            KeyKind::Rsa(bits) => PrivateKey::Rsa(
                rsa::PrivateKey::new(&mut rng, bits)
                    .map_err(|e| GenError::Crypto(format!("RSA key generation: {e}")))?,
            ),
            KeyKind::P256 => PrivateKey::P256(ec_key!(p256::ecdsa::SigningKey, 32, rng)),
            KeyKind::BrainpoolP256 => PrivateKey::BrainpoolP256(ec_key!(
                ecdsa::SigningKey<bp256::BrainpoolP256r1>,
                32,
                rng
            )),
            KeyKind::BrainpoolP384 => PrivateKey::BrainpoolP384(ec_key!(
                ecdsa::SigningKey<bp384::BrainpoolP384r1>,
                48,
                rng
            )),
        })
    }

    /// The key as PKCS#8 PEM.
    pub fn to_pem(&self) -> Result<String, GenError> {
        let pem = match self {
            PrivateKey::Rsa(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::P256(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::BrainpoolP256(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::BrainpoolP384(k) => k.to_pkcs8_pem(LineEnding::LF),
        }
        .map_err(|e| GenError::Crypto(format!("PKCS#8 encoding: {e}")))?;
        Ok(pem.as_str().to_owned())
    }

    /// Parse a PKCS#8 PEM key of the expected kind.
    pub fn from_pem(pem: &str, kind: KeyKind) -> Result<Self, GenError> {
        let bad = |e: &dyn std::fmt::Display| GenError::Crypto(format!("PKCS#8 key file: {e}"));
        Ok(match kind {
            KeyKind::Rsa(bits) => {
                let k = rsa::PrivateKey::from_pkcs8_pem(pem).map_err(|e| bad(&e))?;
                let size = rsa::traits::PublicKeyParts::size(&k) * 8;
                if size != bits {
                    return Err(GenError::Crypto(format!(
                        "key file holds RSA-{size}, expected RSA-{bits}"
                    )));
                }
                PrivateKey::Rsa(k)
            }
            KeyKind::P256 => {
                PrivateKey::P256(p256::ecdsa::SigningKey::from_pkcs8_pem(pem).map_err(|e| bad(&e))?)
            }
            KeyKind::BrainpoolP256 => PrivateKey::BrainpoolP256(
                ecdsa::SigningKey::from_pkcs8_pem(pem).map_err(|e| bad(&e))?,
            ),
            KeyKind::BrainpoolP384 => PrivateKey::BrainpoolP384(
                ecdsa::SigningKey::from_pkcs8_pem(pem).map_err(|e| bad(&e))?,
            ),
        })
    }

    /// The public key as SubjectPublicKeyInfo DER (EC keys with a named curve).
    pub fn spki_der(&self) -> Result<Vec<u8>, GenError> {
        let doc = match self {
            PrivateKey::Rsa(k) => k.to_public_key().to_public_key_der(),
            PrivateKey::P256(k) => k.verifying_key().to_public_key_der(),
            PrivateKey::BrainpoolP256(k) => k.verifying_key().to_public_key_der(),
            PrivateKey::BrainpoolP384(k) => k.verifying_key().to_public_key_der(),
        }
        .map_err(|e| GenError::Crypto(format!("SPKI encoding: {e}")))?;
        Ok(doc.as_bytes().to_vec())
    }

    /// The uncompressed EC public point (`04 || x || y`), for EC keys.
    pub fn ec_point(&self) -> Option<Vec<u8>> {
        match self {
            PrivateKey::Rsa(_) => None,
            PrivateKey::P256(k) => Some(k.verifying_key().to_sec1_point(false).as_bytes().to_vec()),
            PrivateKey::BrainpoolP256(k) => {
                Some(k.verifying_key().to_sec1_point(false).as_bytes().to_vec())
            }
            PrivateKey::BrainpoolP384(k) => {
                Some(k.verifying_key().to_sec1_point(false).as_bytes().to_vec())
            }
        }
    }
}

/// Load `dir/<name>.key.pem` if it exists, else generate the key and write it there.
pub fn load_or_generate(
    dir: &Path,
    name: &str,
    seed: u64,
    kind: KeyKind,
) -> Result<PrivateKey, GenError> {
    let path = dir.join(format!("{name}.key.pem"));
    if path.is_file() {
        let pem = fs::read_to_string(&path).map_err(|e| GenError::io(&path, &e))?;
        return PrivateKey::from_pem(&pem, kind);
    }
    let key = PrivateKey::generate(seed, name, kind)?;
    fs::create_dir_all(dir).map_err(|e| GenError::io(dir, &e))?;
    fs::write(&path, key.to_pem()?).map_err(|e| GenError::io(&path, &e))?;
    Ok(key)
}
