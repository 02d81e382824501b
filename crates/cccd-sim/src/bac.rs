//! The chip side of Basic Access Control.
//!
//! [`BacResponder`] holds the card's document keys (from its MRZ information) and answers
//! GET CHALLENGE (INS 84) and EXTERNAL/MUTUAL AUTHENTICATE (INS 82) as ICAO 9303-11 §4.3
//! describes. It never accepts a wrong key or MAC: either gives `6300`. A challenge is good for
//! one authentication attempt. On success it yields the chip's session keys and start SSC,
//! from which the dispatcher builds a [`crate::sm::ChipChannel`]. It knows nothing of files.

use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::{self, Cipher, SecretKey, SessionKeys};
use cccd::mrz::BacKey;
use cccd::sm::Ssc;
use rand::CryptoRng;
use zeroize::Zeroizing;

/// The result of one BAC command on the chip.
#[derive(Debug)]
pub enum BacStep {
    /// Answer this and stay where you are (challenge issued, or an error status).
    Reply(Response),
    /// Authentication succeeded: send `response`, then protect everything with these keys.
    Established {
        /// The chip's cryptogram and MAC, status 9000.
        response: Response,
        /// The session keys (3DES).
        keys: SessionKeys,
        /// The start send sequence counter.
        ssc: Ssc,
    },
}

/// The chip's BAC state: the document keys and the outstanding challenge.
pub struct BacResponder {
    k_enc: SecretKey,
    k_mac: SecretKey,
    rnd_icc: Option<[u8; 8]>,
}

impl std::fmt::Debug for BacResponder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BacResponder")
            .field("challenge_outstanding", &self.rnd_icc.is_some())
            .finish_non_exhaustive()
    }
}

fn reply(sw: StatusWord) -> BacStep {
    BacStep::Reply(Response::new(Vec::new(), sw))
}

impl BacResponder {
    /// A responder for the card whose MRZ gives `key`.
    pub fn new(key: &BacKey) -> Self {
        let (k_enc, k_mac) = cccd::access::bac::document_keys(key);
        Self {
            k_enc,
            k_mac,
            rnd_icc: None,
        }
    }

    /// Whether `command` is one this responder handles (GET CHALLENGE or EXTERNAL AUTHENTICATE).
    pub fn handles(command: &Command) -> bool {
        matches!(command.ins, 0x84 | 0x82)
    }

    /// Answer a BAC command with the thread RNG. `None` if the command is not a BAC command.
    pub fn handle(&mut self, command: &Command) -> Option<BacStep> {
        self.handle_with_rng(command, &mut rand::rng())
    }

    /// Answer a BAC command with a caller-chosen random source.
    pub fn handle_with_rng<R: CryptoRng + ?Sized>(
        &mut self,
        command: &Command,
        rng: &mut R,
    ) -> Option<BacStep> {
        match command.ins {
            0x84 => Some(self.get_challenge(command, rng)),
            0x82 => Some(self.external_authenticate(command, rng)),
            _ => None,
        }
    }

    fn get_challenge<R: CryptoRng + ?Sized>(&mut self, command: &Command, rng: &mut R) -> BacStep {
        if command.p1 != 0 || command.p2 != 0 {
            return reply(StatusWord::IncorrectP1P2);
        }
        if command.le != Some(8) || !command.data.is_empty() {
            return reply(StatusWord::WrongLength);
        }
        let mut rnd = [0u8; 8];
        rng.fill_bytes(&mut rnd);
        self.rnd_icc = Some(rnd);
        BacStep::Reply(Response::new(rnd.to_vec(), StatusWord::Ok))
    }

    fn external_authenticate<R: CryptoRng + ?Sized>(
        &mut self,
        command: &Command,
        rng: &mut R,
    ) -> BacStep {
        // One attempt per challenge.
        let Some(rnd_icc) = self.rnd_icc.take() else {
            return reply(StatusWord::ConditionsNotSatisfied);
        };
        if command.p1 != 0 || command.p2 != 0 {
            return reply(StatusWord::IncorrectP1P2);
        }
        let Some((e_ifd, m_ifd)) = command
            .data
            .split_at_checked(32)
            .filter(|(_, m)| m.len() == 8)
        else {
            return reply(StatusWord::WrongLength);
        };
        let Ok(expected) = crypto::mac(Cipher::TripleDes, &self.k_mac, &crypto::pad(e_ifd, 8))
        else {
            return reply(StatusWord::NoPreciseDiagnosis);
        };
        if !crypto::ct_eq(&expected, m_ifd) {
            return reply(StatusWord::VerificationFailed);
        }
        let zero_iv = [0u8; 8];
        let Ok(s) = crypto::decrypt_cbc(Cipher::TripleDes, &self.k_enc, &zero_iv, e_ifd) else {
            return reply(StatusWord::NoPreciseDiagnosis);
        };
        let s = Zeroizing::new(s);
        // S = RND.IFD || RND.ICC || K.IFD; our challenge must be in it.
        let (rnd_ifd, rest) = s.split_at(8);
        let (echoed, k_ifd) = rest.split_at(8);
        if !crypto::ct_eq(echoed, &rnd_icc) {
            return reply(StatusWord::VerificationFailed);
        }
        let mut k_icc = Zeroizing::new([0u8; 16]);
        rng.fill_bytes(k_icc.as_mut());
        let mut r = Zeroizing::new(Vec::with_capacity(32));
        r.extend_from_slice(&rnd_icc);
        r.extend_from_slice(rnd_ifd);
        r.extend_from_slice(k_icc.as_ref());
        let (Ok(e_icc), keys) = (
            crypto::encrypt_cbc(Cipher::TripleDes, &self.k_enc, &zero_iv, &r),
            cccd::access::bac::session_keys(k_ifd, k_icc.as_ref()),
        ) else {
            return reply(StatusWord::NoPreciseDiagnosis);
        };
        let Ok(m_icc) = crypto::mac(Cipher::TripleDes, &self.k_mac, &crypto::pad(&e_icc, 8)) else {
            return reply(StatusWord::NoPreciseDiagnosis);
        };
        let mut data = e_icc;
        data.extend_from_slice(&m_icc);
        BacStep::Established {
            response: Response::new(data, StatusWord::Ok),
            keys,
            ssc: Ssc::for_bac(&rnd_icc, rnd_ifd),
        }
    }
}

#[cfg(test)]
mod tests;
