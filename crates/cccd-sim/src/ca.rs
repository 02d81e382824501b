//! The chip side of Chip Authentication version 1 (ICAO 9303-11 §6.2, BSI TR-03110-1 §3.4).
//!
//! [`CaResponder`] holds the private key of DG14's ChipAuthenticationPublicKeyInfo. Given the
//! reader's ephemeral public key (MSE:Set KAT for 3DES; MSE:Set AT then GENERAL AUTHENTICATE
//! for AES) it checks the key is a valid point of its curve, computes K = x(d · PK_reader) and
//! returns the new session keys. The dispatcher answers the command under the OLD secure
//! messaging keys, then switches to the new ones with SSC 0.
//!
//! A "cloned" chip is a responder whose private key does not match the DG14 it serves: it
//! derives other keys, and the reader's first protected command after CA fails.

use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::{Cipher, SessionKeys};
use cccd::ec::{Curve, EcPoint, EcScalar};
use cccd::lds::asn1::{enc_oid, enc_seq, enc_set_of, enc_uint, oid_from_arcs};
use cccd::tlv::{self, Tag, Tlv};
use rand::CryptoRng;

use crate::aa::{AaKeyError, ec_spki_for_point};

/// What a CA command led to.
#[derive(Debug)]
pub enum CaStep {
    /// Answer this and keep the current keys (MSE:Set AT accepted, or an error status).
    Reply(Response),
    /// Answer `response` under the current keys, then switch to `keys` with SSC 0.
    Established {
        /// The answer (9000; `7C 00` for GENERAL AUTHENTICATE).
        response: Response,
        /// The new session keys.
        keys: SessionKeys,
    },
}

/// The chip's Chip Authentication key and protocol state.
pub struct CaResponder {
    secret: EcScalar,
    public: EcPoint,
    cipher: Cipher,
    key_id: Option<u64>,
    /// MSE:Set AT selected CA (AES): GENERAL AUTHENTICATE is expected next.
    selected: bool,
}

// The private key is never printed.
impl std::fmt::Debug for CaResponder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaResponder")
            .field("curve", &self.public.curve())
            .field("cipher", &self.cipher)
            .field("key_id", &self.key_id)
            .field("selected", &self.selected)
            .finish_non_exhaustive()
    }
}

fn cipher_arc(cipher: Cipher) -> u64 {
    match cipher {
        Cipher::TripleDes => 1,
        Cipher::Aes128 => 2,
        Cipher::Aes192 => 3,
        Cipher::Aes256 => 4,
    }
}

impl CaResponder {
    /// A responder with the private key `secret`, for CA with `cipher` (`id-CA-ECDH-<cipher>`).
    pub fn new(secret: EcScalar, cipher: Cipher) -> Result<Self, cccd::ec::EcError> {
        let public = secret.curve().mul_generator(&secret)?;
        Ok(Self {
            secret,
            public,
            cipher,
            key_id: None,
            selected: false,
        })
    }

    /// A responder with a fresh key on `curve`.
    pub fn generate<R: CryptoRng + ?Sized>(curve: Curve, cipher: Cipher, rng: &mut R) -> Self {
        let (secret, public) = curve.generate_keypair(rng);
        Self {
            secret,
            public,
            cipher,
            key_id: None,
            selected: false,
        }
    }

    /// Give the key an id (written in DG14 and required in the MSE commands).
    #[must_use]
    pub fn with_key_id(mut self, key_id: u64) -> Self {
        self.key_id = Some(key_id);
        self
    }

    /// The private key (PACE-CAM proves possession of it too).
    pub fn secret(&self) -> &EcScalar {
        &self.secret
    }

    /// The public key (the one to put in DG14).
    pub fn public_key(&self) -> &EcPoint {
        &self.public
    }

    /// The CA protocol OID arcs: id-CA-ECDH-<cipher>, 0.4.0.127.0.7.2.2.3.2.<n>.
    fn protocol_arcs(&self) -> [u64; 11] {
        [0, 4, 0, 127, 0, 7, 2, 2, 3, 2, cipher_arc(self.cipher)]
    }

    /// The DG14 SecurityInfos for this key: ChipAuthenticationInfo (version 1) and
    /// ChipAuthenticationPublicKeyInfo (id-PK-ECDH, named curve).
    pub fn security_infos(&self) -> Result<Vec<Vec<u8>>, AaKeyError> {
        let key_id = self.key_id.map(enc_uint).unwrap_or_default();
        let point = self
            .public
            .to_uncompressed()
            .map_err(|e| AaKeyError(e.to_string()))?;
        let spki = ec_spki_for_point(self.public.curve(), &point)?;
        Ok(vec![
            enc_seq(&[
                &enc_oid(&oid_from_arcs(&self.protocol_arcs())),
                &enc_uint(1),
                &key_id,
            ]),
            enc_seq(&[
                &enc_oid(&oid_from_arcs(&[0, 4, 0, 127, 0, 7, 2, 2, 1, 2])),
                &spki,
                &key_id,
            ]),
        ])
    }

    /// DG14 (`6E { SET OF SecurityInfo }`) with this key's infos and `extra` ones (e.g. an
    /// ActiveAuthenticationInfo).
    pub fn dg14(&self, extra: &[Vec<u8>]) -> Result<Vec<u8>, AaKeyError> {
        let mut infos = self.security_infos()?;
        infos.extend(extra.iter().cloned());
        let refs: Vec<&[u8]> = infos.iter().map(Vec::as_slice).collect();
        Ok(tlv::encode(Tag::new(0x6E), &enc_set_of(&refs)))
    }

    /// Whether `command` is a CA command: MSE:Set KAT (`22 41 A6`), MSE:Set AT for CA
    /// (`22 41 A4`), or GENERAL AUTHENTICATE after MSE:Set AT selected CA.
    pub fn handles(&self, command: &Command) -> bool {
        match (command.ins, command.p1, command.p2) {
            (0x22, 0x41, 0xA6 | 0xA4) => true,
            (0x86, 0x00, 0x00) => self.selected,
            _ => false,
        }
    }

    /// Answer a CA command (already unwrapped from secure messaging); `None` if not one.
    pub fn handle(&mut self, command: &Command) -> Option<CaStep> {
        let reply = |sw: StatusWord| CaStep::Reply(Response::new(Vec::new(), sw));
        let step = match (command.ins, command.p1, command.p2) {
            (0x22, 0x41, 0xA6) => match self.mse_set_kat(command) {
                Ok((response, keys)) => CaStep::Established { response, keys },
                Err(sw) => reply(sw),
            },
            (0x22, 0x41, 0xA4) => match self.mse_set_at(command) {
                Ok(response) => CaStep::Reply(response),
                Err(sw) => reply(sw),
            },
            (0x86, 0x00, 0x00) if self.selected => match self.general_authenticate(command) {
                Ok((response, keys)) => CaStep::Established { response, keys },
                Err(sw) => reply(sw),
            },
            _ => return None,
        };
        Some(step)
    }

    fn check_key_id(&self, given: Option<&[u8]>) -> Result<(), StatusWord> {
        let given = given
            .map(|b| {
                if b.is_empty() || b.len() > 8 {
                    return Err(StatusWord::IncorrectData);
                }
                Ok(b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
            })
            .transpose()?;
        match (self.key_id, given) {
            (None, None) => Ok(()),
            (Some(a), Some(b)) if a == b => Ok(()),
            (None, Some(_)) | (Some(_), _) => Err(StatusWord::ReferencedDataNotFound),
        }
    }

    /// The new keys from the reader's ephemeral public key (rejected unless on the curve).
    fn agree(&self, reader_key: &[u8]) -> Result<SessionKeys, StatusWord> {
        let point = self
            .public
            .curve()
            .decode_point(reader_key)
            .map_err(|_| StatusWord::IncorrectData)?;
        let shared = point
            .mul(&self.secret)
            .map_err(|_| StatusWord::IncorrectData)?;
        let x = shared
            .x_coordinate()
            .map_err(|_| StatusWord::IncorrectData)?;
        Ok(SessionKeys::derive(&x, self.cipher))
    }

    /// MSE:Set KAT (CA v1 with 3DES): data `91` ephemeral public key, optional `84` key id.
    pub fn mse_set_kat(&self, command: &Command) -> Result<(Response, SessionKeys), StatusWord> {
        if self.cipher != Cipher::TripleDes {
            return Err(StatusWord::ConditionsNotSatisfied);
        }
        let objects = objects(&command.data)?;
        let key = find(&objects, 0x91).ok_or(StatusWord::IncorrectData)?;
        self.check_key_id(find(&objects, 0x84))?;
        let keys = self.agree(key)?;
        Ok((Response::new(Vec::new(), StatusWord::Ok), keys))
    }

    /// MSE:Set AT for CA (AES): data `80` the CA OID (must be this chip's), optional `84` key
    /// id. Selects CA for the next GENERAL AUTHENTICATE.
    pub fn mse_set_at(&mut self, command: &Command) -> Result<Response, StatusWord> {
        self.selected = false;
        let objects = objects(&command.data)?;
        let oid = find(&objects, 0x80).ok_or(StatusWord::IncorrectData)?;
        if enc_oid(&oid_from_arcs(&self.protocol_arcs())).get(2..) != Some(oid) {
            return Err(StatusWord::ReferencedDataNotFound);
        }
        self.check_key_id(find(&objects, 0x84))?;
        self.selected = true;
        Ok(Response::new(Vec::new(), StatusWord::Ok))
    }

    /// GENERAL AUTHENTICATE for CA: data `7C { 80 ephemeral public key }`; answers `7C 00`.
    pub fn general_authenticate(
        &mut self,
        command: &Command,
    ) -> Result<(Response, SessionKeys), StatusWord> {
        if !std::mem::take(&mut self.selected) {
            return Err(StatusWord::ConditionsNotSatisfied);
        }
        let outer = objects(&command.data)?;
        let inner = find(&outer, 0x7C).ok_or(StatusWord::IncorrectData)?;
        let inner = objects(inner)?;
        let key = find(&inner, 0x80).ok_or(StatusWord::IncorrectData)?;
        let keys = self.agree(key)?;
        Ok((Response::new(vec![0x7C, 0x00], StatusWord::Ok), keys))
    }
}

/// The (tag, value) pairs of a run of BER-TLV objects.
fn objects(data: &[u8]) -> Result<Vec<(u32, &[u8])>, StatusWord> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let (t, next) = Tlv::parse(rest).map_err(|_| StatusWord::IncorrectData)?;
        out.push((t.tag().value(), t.value()));
        rest = next;
    }
    Ok(out)
}

fn find<'a>(objects: &[(u32, &'a [u8])], tag: u32) -> Option<&'a [u8]> {
    objects.iter().find(|(t, _)| *t == tag).map(|(_, v)| *v)
}
