//! Basic Access Control, reader side (ICAO 9303-11 §4.3).
//!
//! GET CHALLENGE gives RND.ICC; the reader picks RND.IFD and K.IFD and sends
//! `E.IFD = 3DES-CBC(KEnc, RND.IFD || RND.ICC || K.IFD)` with its retail MAC in EXTERNAL
//! AUTHENTICATE (INS 82, called MUTUAL AUTHENTICATE in 9303); the chip answers with its own
//! cryptogram over `RND.ICC || RND.IFD || K.ICC`. The MAC is verified before decryption, both
//! nonces are checked in constant time, and the session keys derive from `K.IFD ⊕ K.ICC`.
//!
//! To try several keys on one card (e.g. the expiry candidates of
//! [`crate::mrz::AccessKey::from_id_and_dob`]), pass `&mut transport` or use
//! [`establish_any`].

use crate::apdu::{Command, StatusWord};
use crate::crypto::{self, Cipher, SecretKey, SessionKeys};
use crate::mrz::{BacKey, KeySource};
use crate::sm::{SecureChannel, Ssc};
use crate::transport::{Transport, TransportError};
use rand::CryptoRng;
use zeroize::Zeroizing;

/// Why BAC did not open a channel.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BacError {
    /// The chip rejected the key: one of document number, date of birth or date of expiry is
    /// wrong. `hint` says which input is the likely culprit.
    #[error("access denied by the chip ({status}): {hint}")]
    AccessDenied {
        /// Plain-words advice on which input to check.
        hint: String,
        /// The chip's status word.
        status: StatusWord,
    },
    /// The link failed (card removed, reader gone...).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The chip answered, but not as BAC requires (wrong lengths, bad MAC, nonce mismatch, or
    /// a refusal of GET CHALLENGE).
    #[error("the chip's BAC response is invalid: {what}")]
    ChipResponseInvalid {
        /// What was wrong.
        what: &'static str,
        /// The status word, when the chip refused a step.
        status: Option<StatusWord>,
    },
    /// No key was given to [`establish_any`].
    #[error("no BAC key to try")]
    NoKeys,
}

/// The advice for a rejected key, from where its fields came.
pub fn hint_for(source: KeySource) -> String {
    match source {
        KeySource::Document {
            looked_like_id_number: true,
        } => "BAC needs the 9-digit document number, not the 12-digit ID: use the ID's last 9 digits".into(),
        KeySource::Document {
            looked_like_id_number: false,
        } => "check the document number (9 digits: the last 9 of the 12-digit ID), the date of birth and the date of expiry".into(),
        KeySource::Mrz => "the chip rejected the MRZ: check it for misread characters (0/O, 1/I, 8/B, 5/S), especially the document number and the dates".into(),
        KeySource::IdNumber => "check the 12-digit ID number, the date of birth and the date of expiry printed on the card".into(),
        KeySource::IdAndBirthDate { .. } => "no guessed expiry date worked: check the ID number and date of birth, or give the date of expiry printed on the card".into(),
    }
}

/// Run BAC with `key` over `transport` and return the secure channel. Uses the thread RNG.
pub fn establish<T: Transport>(transport: T, key: &BacKey) -> Result<SecureChannel<T>, BacError> {
    establish_with_rng(transport, key, &mut rand::rng())
}

/// [`establish`] with a caller-chosen random source (tests, or a hardware RNG).
pub fn establish_with_rng<T: Transport, R: CryptoRng + ?Sized>(
    mut transport: T,
    key: &BacKey,
    rng: &mut R,
) -> Result<SecureChannel<T>, BacError> {
    let (keys, ssc) = handshake(&mut transport, key, rng)?;
    Ok(SecureChannel::new(transport, keys, ssc))
}

/// Try `keys` in order until the chip accepts one; return the channel and the index of the
/// key that worked. Stops at the first error that is not a rejected key. When all are
/// rejected, the error is the last rejection.
pub fn establish_any<T: Transport>(
    mut transport: T,
    keys: &[BacKey],
) -> Result<(SecureChannel<T>, usize), BacError> {
    let mut rng = rand::rng();
    let mut last = BacError::NoKeys;
    for (i, key) in keys.iter().enumerate() {
        match handshake(&mut transport, key, &mut rng) {
            Ok((session, ssc)) => return Ok((SecureChannel::new(transport, session, ssc), i)),
            Err(e @ BacError::AccessDenied { .. }) => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// Whether a status word to EXTERNAL AUTHENTICATE means "wrong key".
fn is_rejection(sw: StatusWord) -> bool {
    matches!(
        sw,
        StatusWord::VerificationFailed
            | StatusWord::TriesLeft(_)
            | StatusWord::SecurityStatusNotSatisfied
            | StatusWord::ConditionsNotSatisfied
            | StatusWord::IncorrectData
            | StatusWord::ReferencedDataNotFound
    )
}

fn invalid(what: &'static str, status: Option<StatusWord>) -> BacError {
    BacError::ChipResponseInvalid { what, status }
}

/// The BAC exchange: returns the session keys and the start SSC.
pub fn handshake<T: Transport + ?Sized, R: CryptoRng + ?Sized>(
    transport: &mut T,
    key: &BacKey,
    rng: &mut R,
) -> Result<(SessionKeys, Ssc), BacError> {
    let (k_enc, k_mac) = document_keys(key);

    let challenge = transport.transmit(&Command::new(0x00, 0x84, 0x00, 0x00).with_le(8))?;
    if !challenge.is_ok() {
        return Err(invalid("GET CHALLENGE refused", Some(challenge.sw)));
    }
    let rnd_icc: [u8; 8] = challenge
        .data
        .as_slice()
        .try_into()
        .map_err(|_| invalid("challenge is not 8 bytes", None))?;

    let mut rnd_ifd = [0u8; 8];
    rng.fill_bytes(&mut rnd_ifd);
    let mut k_ifd = Zeroizing::new([0u8; 16]);
    rng.fill_bytes(k_ifd.as_mut());

    let mut s = Zeroizing::new(Vec::with_capacity(32));
    s.extend_from_slice(&rnd_ifd);
    s.extend_from_slice(&rnd_icc);
    s.extend_from_slice(k_ifd.as_ref());
    let zero_iv = [0u8; 8];
    let e_ifd = crypto::encrypt_cbc(Cipher::TripleDes, &k_enc, &zero_iv, &s)
        .map_err(|_| invalid("key setup", None))?;
    let m_ifd = crypto::mac(Cipher::TripleDes, &k_mac, &crypto::pad(&e_ifd, 8))
        .map_err(|_| invalid("key setup", None))?;
    let mut data = e_ifd;
    data.extend_from_slice(&m_ifd);

    let answer = transport.transmit(
        &Command::new(0x00, 0x82, 0x00, 0x00)
            .with_data(data)
            .with_le(40),
    )?;
    if is_rejection(answer.sw) {
        return Err(BacError::AccessDenied {
            hint: hint_for(key.source()),
            status: answer.sw,
        });
    }
    if !answer.is_ok() {
        return Err(invalid("EXTERNAL AUTHENTICATE failed", Some(answer.sw)));
    }
    let (e_icc, m_icc) = match answer.data.len() {
        40 => answer.data.split_at(32),
        _ => return Err(invalid("authentication response is not 40 bytes", None)),
    };
    let expected_mac = crypto::mac(Cipher::TripleDes, &k_mac, &crypto::pad(e_icc, 8))
        .map_err(|_| invalid("key setup", None))?;
    if !crypto::ct_eq(&expected_mac, m_icc) {
        return Err(invalid(
            "MAC of the chip's cryptogram does not verify",
            None,
        ));
    }
    let r = Zeroizing::new(
        crypto::decrypt_cbc(Cipher::TripleDes, &k_enc, &zero_iv, e_icc)
            .map_err(|_| invalid("key setup", None))?,
    );
    if !crypto::ct_eq(&r[0..8], &rnd_icc) || !crypto::ct_eq(&r[8..16], &rnd_ifd) {
        return Err(invalid(
            "the chip's cryptogram does not hold our nonces",
            None,
        ));
    }
    let mut k_seed = Zeroizing::new([0u8; 16]);
    for (i, b) in k_seed.iter_mut().enumerate() {
        *b = k_ifd[i] ^ r[16 + i];
    }
    let keys = SessionKeys::derive(k_seed.as_ref(), Cipher::TripleDes);
    Ok((keys, Ssc::for_bac(&rnd_icc, &rnd_ifd)))
}

/// Session keys from a BAC key seed: exposed for the chip side, which derives the same keys.
pub fn session_keys(k_ifd: &[u8], k_icc: &[u8]) -> SessionKeys {
    let seed: Zeroizing<Vec<u8>> =
        Zeroizing::new(k_ifd.iter().zip(k_icc).map(|(a, b)| a ^ b).collect());
    SessionKeys::derive(&seed, Cipher::TripleDes)
}

/// The BAC key pair KEnc, KMAC of a key seed (for the chip side).
pub fn document_keys(key: &BacKey) -> (SecretKey, SecretKey) {
    let seed = key.seed();
    (
        crypto::kdf(seed.as_bytes(), crypto::KdfCounter::Enc, Cipher::TripleDes),
        crypto::kdf(seed.as_bytes(), crypto::KdfCounter::Mac, Cipher::TripleDes),
    )
}
