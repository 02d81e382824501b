//! Protecting and unprotecting APDUs (ICAO 9303-11 §9.8): both directions, both sides.
//!
//! The reader uses [`SmCodec::protect_command`] and [`SmCodec::unprotect_response`]; the chip
//! (in `cccd-sim`) uses [`SmCodec::unprotect_command`] and [`SmCodec::protect_response`].
//! The same code on both sides keeps them in step; the ICAO worked example (Appendix D.4)
//! pins the reader side to published bytes.

use super::Ssc;
use crate::apdu::{Command, EXTENDED_LE_MAX, Response, SHORT_LE_MAX, StatusWord};
use crate::crypto::{self, Cipher, CryptoError, SessionKeys};
use crate::tlv::{self, Tag, Tlvs};

/// DO'85': cryptogram without padding-content indicator (odd INS).
const DO85: u8 = 0x85;
/// DO'87': padding-content indicator `01` followed by the cryptogram (even INS).
const DO87: u8 = 0x87;
/// DO'8E': cryptographic checksum (MAC).
const DO8E: u8 = 0x8E;
/// DO'97': expected length Le.
const DO97: u8 = 0x97;
/// DO'99': processing status (the chip's status word).
const DO99: u8 = 0x99;

/// The longest command data this codec protects.
const MAX_PROTECTED_DATA: usize = 65_000;

/// The bits of CLA that announce secure messaging with an authenticated header.
const CLA_SM: u8 = 0x0C;

/// Why a message could not be protected or unprotected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SmError {
    /// Secure messaging data objects are missing (no DO'8E', or no SM at all). The chip answers
    /// `6987`.
    #[error("secure messaging objects missing: {0}")]
    MissingObjects(&'static str),
    /// The MAC did not verify, or the objects are malformed. The chip answers `6988`.
    #[error("secure messaging objects incorrect: {0}")]
    Incorrect(&'static str),
    /// A protected response without the processing status DO'99'. ICAO 9303-11 §9.8.6
    /// requires it: without it the status word would come from the unprotected trailer, which
    /// anyone on the radio link can change.
    #[error("protected response without a status object (DO'99')")]
    MissingStatus,
    /// The message is too long to protect.
    #[error("message too long for secure messaging")]
    TooLong,
    /// A key or block length problem (a bug in key setup, not card data).
    #[error("crypto: {0}")]
    Crypto(#[from] CryptoError),
}

impl SmError {
    /// The words for a [`crate::transport::TransportError::SecureMessaging`].
    pub fn reason(&self) -> &'static str {
        match self {
            Self::MissingObjects(what) | Self::Incorrect(what) => what,
            Self::MissingStatus => {
                "protected response without a status object (DO'99'); its status word is not authenticated"
            }
            Self::TooLong => "message too long for secure messaging",
            Self::Crypto(_) => "session key does not fit the cipher",
        }
    }

    /// The status word a chip answers with for this error.
    pub fn status_word(&self) -> StatusWord {
        match self {
            Self::MissingObjects(_) | Self::MissingStatus => StatusWord::SmObjectsMissing,
            _ => StatusWord::SmObjectsIncorrect,
        }
    }
}

/// The state of one secure-messaging session: session keys and the send sequence counter.
/// Move-only on purpose: a copy would fork the counter, and two codecs answering for one
/// session is how a reader desynchronizes from the chip (or replays a counter value).
#[derive(Debug)]
pub struct SmCodec {
    keys: SessionKeys,
    ssc: Ssc,
}

/// Data objects found in a protected message.
#[derive(Default)]
struct Objects<'a> {
    /// DO'85' or DO'87' value, and whether it was '87' (with indicator byte).
    cryptogram: Option<(&'a [u8], bool)>,
    le: Option<&'a [u8]>,
    status: Option<&'a [u8]>,
    mac: Option<&'a [u8]>,
    /// The bytes the MAC covers: every object before DO'8E', as encoded.
    mac_input: &'a [u8],
}

fn parse_objects(data: &[u8]) -> Result<Objects<'_>, SmError> {
    let mut objects = Objects::default();
    for tlv in Tlvs::new(data) {
        let tlv = tlv.map_err(|_| SmError::Incorrect("malformed secure messaging objects"))?;
        if objects.mac.is_some() {
            return Err(SmError::Incorrect("data after the MAC object"));
        }
        let value = tlv.value();
        let tag = tlv.tag().value();
        match u8::try_from(tag) {
            Ok(DO85 | DO87) if objects.cryptogram.is_none() => {
                objects.cryptogram = Some((value, tag == u32::from(DO87)));
            }
            Ok(DO97) if objects.le.is_none() => objects.le = Some(value),
            Ok(DO99) if objects.status.is_none() => objects.status = Some(value),
            Ok(DO8E) => {
                objects.mac = Some(value);
                objects.mac_input = &data[..tlv.offset()];
            }
            _ => {
                return Err(SmError::Incorrect(
                    "unexpected or repeated secure messaging object",
                ));
            }
        }
    }
    Ok(objects)
}

impl SmCodec {
    /// A session with these keys, starting at `ssc`.
    pub fn new(keys: SessionKeys, ssc: Ssc) -> Self {
        Self { keys, ssc }
    }

    /// The cipher of the session.
    pub fn cipher(&self) -> Cipher {
        self.keys.cipher
    }

    /// The current send sequence counter.
    pub fn ssc(&self) -> Ssc {
        self.ssc
    }

    fn block(&self) -> usize {
        self.keys.cipher.block_len()
    }

    /// The IV for the message under the current SSC: zero for 3DES, `E(KSenc, SSC)` for AES.
    fn iv(&self) -> Result<Vec<u8>, CryptoError> {
        let cipher = self.keys.cipher;
        match cipher {
            Cipher::TripleDes => Ok(vec![0; 8]),
            _ => crypto::encrypt_block(cipher, &self.keys.enc, &self.ssc.to_bytes(cipher)),
        }
    }

    /// MAC over `SSC || parts...`, padded (ICAO pads the MAC input for 3DES and AES alike).
    fn mac_over(&self, parts: &[&[u8]]) -> Result<[u8; 8], CryptoError> {
        let mut input = self.ssc.to_bytes(self.keys.cipher);
        for part in parts {
            input.extend_from_slice(part);
        }
        let padded = crypto::pad(&input, self.block());
        crypto::mac(self.keys.cipher, &self.keys.mac, &padded)
    }

    fn encrypt_object(&self, odd_ins: bool, plain: &[u8]) -> Result<Vec<u8>, SmError> {
        let cipher = self.keys.cipher;
        let encrypted = crypto::encrypt_cbc(
            cipher,
            &self.keys.enc,
            &self.iv()?,
            &crypto::pad(plain, self.block()),
        )?;
        Ok(if odd_ins {
            tlv::encode(Tag::new(u32::from(DO85)), &encrypted)
        } else {
            let mut value = Vec::with_capacity(encrypted.len() + 1);
            value.push(0x01);
            value.extend_from_slice(&encrypted);
            tlv::encode(Tag::new(u32::from(DO87)), &value)
        })
    }

    fn decrypt_object(&self, cryptogram: &[u8], with_indicator: bool) -> Result<Vec<u8>, SmError> {
        let encrypted = if with_indicator {
            match cryptogram {
                [0x01, rest @ ..] => rest,
                _ => return Err(SmError::Incorrect("unknown padding-content indicator")),
            }
        } else {
            cryptogram
        };
        let cipher = self.keys.cipher;
        if encrypted.is_empty() || encrypted.len() % cipher.block_len() != 0 {
            return Err(SmError::Incorrect("cryptogram is not whole blocks"));
        }
        let plain = crypto::decrypt_cbc(cipher, &self.keys.enc, &self.iv()?, encrypted)?;
        let unpadded =
            crypto::unpad(&plain).map_err(|_| SmError::Incorrect("bad padding in cryptogram"))?;
        Ok(unpadded.to_vec())
    }

    fn verify_mac(&self, objects: &Objects<'_>, header: Option<&[u8]>) -> Result<(), SmError> {
        let received = objects
            .mac
            .ok_or(SmError::MissingObjects("no MAC object (DO'8E')"))?;
        let expected = match header {
            Some(h) => self.mac_over(&[h, objects.mac_input])?,
            None => self.mac_over(&[objects.mac_input])?,
        };
        if crypto::ct_eq(&expected, received) {
            Ok(())
        } else {
            Err(SmError::Incorrect("MAC does not verify"))
        }
    }

    /// Reader side: protect a command. Increments the SSC.
    ///
    /// The protected command uses the extended encoding when the original Le exceeds 256 or
    /// the protected data exceeds 255 bytes; its Le is `00` (or `0000`) since the response
    /// always carries SM objects.
    pub fn protect_command(&mut self, command: &Command) -> Result<Command, SmError> {
        let cla = command.cla | CLA_SM;
        // Checked before the counter moves. With at most 65,000 data bytes the protected data
        // (padding, DO'87' header, DO'97', DO'8E': < 40 bytes more) always fits Lc ≤ 65,535.
        if command.data.len() > MAX_PROTECTED_DATA
            || command.le.is_some_and(|le| le == 0 || le > EXTENDED_LE_MAX)
        {
            return Err(SmError::TooLong);
        }
        self.ssc.increment(self.keys.cipher);
        let header = crypto::pad(&[cla, command.ins, command.p1, command.p2], self.block());
        let mut body = Vec::new();
        if !command.data.is_empty() {
            body.extend_from_slice(&self.encrypt_object(command.ins & 1 == 1, &command.data)?);
        }
        if let Some(le) = command.le {
            let le_bytes: Vec<u8> = if le > SHORT_LE_MAX {
                ((le % EXTENDED_LE_MAX) as u16).to_be_bytes().to_vec()
            } else {
                vec![(le % SHORT_LE_MAX) as u8]
            };
            tlv::write(Tag::new(u32::from(DO97)), &le_bytes, &mut body);
        }
        let mac = self.mac_over(&[&header, &body])?;
        tlv::write(Tag::new(u32::from(DO8E)), &mac, &mut body);
        let extended = body.len() > 255 || command.le.is_some_and(|le| le > SHORT_LE_MAX);
        let mut protected = Command::new(cla, command.ins, command.p1, command.p2).with_data(body);
        protected.le = Some(if extended {
            EXTENDED_LE_MAX
        } else {
            SHORT_LE_MAX
        });
        Ok(protected)
    }

    /// Reader side: verify and decrypt a protected response. Increments the SSC.
    ///
    /// The MAC is verified (in constant time) before anything is decrypted. The status word
    /// comes from the authenticated DO'99', which must be present ([`SmError::MissingStatus`]);
    /// the unprotected trailer is ignored.
    pub fn unprotect_response(&mut self, response: &Response) -> Result<Response, SmError> {
        self.ssc.increment(self.keys.cipher);
        let objects = parse_objects(&response.data)?;
        self.verify_mac(&objects, None)?;
        let sw = match objects.status {
            Some([sw1, sw2]) => StatusWord::from_bytes(*sw1, *sw2),
            Some(_) => return Err(SmError::Incorrect("status object is not 2 bytes")),
            None => return Err(SmError::MissingStatus),
        };
        let data = match objects.cryptogram {
            Some((cryptogram, indicator)) => self.decrypt_object(cryptogram, indicator)?,
            None => Vec::new(),
        };
        Ok(Response::new(data, sw))
    }

    /// Chip side: verify and decrypt a protected command. Increments the SSC.
    ///
    /// Errors map to the status word the chip answers with ([`SmError::status_word`]).
    #[cfg(any(test, feature = "chip-side"))]
    pub fn unprotect_command(&mut self, command: &Command) -> Result<Command, SmError> {
        if command.cla & CLA_SM != CLA_SM || command.data.is_empty() {
            return Err(SmError::MissingObjects("command is not protected"));
        }
        self.ssc.increment(self.keys.cipher);
        let objects = parse_objects(&command.data)?;
        let header = crypto::pad(
            &[command.cla, command.ins, command.p1, command.p2],
            self.block(),
        );
        self.verify_mac(&objects, Some(&header))?;
        if objects.status.is_some() {
            return Err(SmError::Incorrect("status object in a command"));
        }
        let data = match objects.cryptogram {
            Some((cryptogram, indicator)) => self.decrypt_object(cryptogram, indicator)?,
            None => Vec::new(),
        };
        let mut plain = Command::new(command.cla & !CLA_SM, command.ins, command.p1, command.p2)
            .with_data(data);
        plain.le = match objects.le {
            None => None,
            Some([0]) => Some(SHORT_LE_MAX),
            Some([n]) => Some(usize::from(*n)),
            Some([0, 0]) => Some(EXTENDED_LE_MAX),
            Some([hi, lo]) => Some(usize::from(u16::from_be_bytes([*hi, *lo]))),
            Some(_) => return Err(SmError::Incorrect("Le object longer than 2 bytes")),
        };
        Ok(plain)
    }

    /// Chip side: protect a response. Increments the SSC. `odd_ins` tells whether the command
    /// had an odd INS (its response data then goes in DO'85' instead of DO'87').
    #[cfg(any(test, feature = "chip-side"))]
    pub fn protect_response(
        &mut self,
        response: &Response,
        odd_ins: bool,
    ) -> Result<Response, SmError> {
        self.ssc.increment(self.keys.cipher);
        let mut body = Vec::new();
        if !response.data.is_empty() {
            body.extend_from_slice(&self.encrypt_object(odd_ins, &response.data)?);
        }
        tlv::write(
            Tag::new(u32::from(DO99)),
            &response.sw.to_bytes(),
            &mut body,
        );
        let mac = self.mac_over(&[&body])?;
        tlv::write(Tag::new(u32::from(DO8E)), &mac, &mut body);
        Ok(Response::new(body, response.sw))
    }
}
