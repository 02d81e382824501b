//! Shared by the PACE worked-example tests: a chip that plays back a published transcript,
//! and randomness that hands out the published private keys and nonces in order.

#![allow(dead_code, reason = "each test file uses a part")]

use cccd::access::pace::dh_groups::DhGroup;
use cccd::access::pace::protocol::PaceRandomness;
use cccd::apdu::{Command, Response, StatusWord};
use cccd::ec::{Curve, EcScalar};
use cccd::transport::{Transport, TransportError};
use std::collections::VecDeque;
use zeroize::Zeroizing;

/// Hands out the published values in order; running out is a test failure.
#[derive(Default)]
pub struct Injected {
    /// EC private keys (mapping, then ephemeral).
    pub ec: VecDeque<Vec<u8>>,
    /// DH exponents (mapping, then ephemeral).
    pub dh: VecDeque<Vec<u8>>,
    /// Nonces (the terminal's t of the integrated mapping).
    pub nonces: VecDeque<Vec<u8>>,
}

impl PaceRandomness for Injected {
    fn private_key(&mut self, curve: Curve) -> EcScalar {
        let bytes = self.ec.pop_front().expect("a published EC private key");
        curve
            .scalar_from_be_bytes(&bytes)
            .expect("published private key")
    }
    fn nonce(&mut self, len: usize) -> Zeroizing<Vec<u8>> {
        let nonce = self.nonces.pop_front().expect("a published nonce");
        assert_eq!(nonce.len(), len, "nonce length");
        Zeroizing::new(nonce)
    }
    fn dh_private_key(&mut self, _group: &DhGroup) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.dh.pop_front().expect("a published DH private key"))
    }
}

/// A chip that plays back a transcript: checks each command and answers with the published
/// response data.
#[derive(Debug)]
pub struct ScriptedChip {
    pub script: Vec<(Vec<u8>, Response)>,
    pub sent: usize,
}

impl Transport for ScriptedChip {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        let (expected, response) = self
            .script
            .get(self.sent)
            .cloned()
            .ok_or_else(|| TransportError::Other("unexpected command".into()))?;
        assert_eq!(
            cccd::hex::encode_upper(&command.to_bytes().expect("encodable")),
            cccd::hex::encode_upper(&expected),
            "command {}",
            self.sent
        );
        self.sent += 1;
        Ok(response)
    }
}

/// `9000` with data.
pub fn ok(data: &[u8]) -> Response {
    Response::new(data.to_vec(), StatusWord::Ok)
}

/// A GENERAL AUTHENTICATE command: `cla 86 00 00 Lc 7C len (tag len value) 00`.
pub fn general_authenticate(chained: bool, tag: u8, value: &[u8]) -> Vec<u8> {
    let inner = tlv(tag, value);
    let outer = tlv(0x7C, &inner);
    let mut command = vec![if chained { 0x10 } else { 0x00 }, 0x86, 0x00, 0x00];
    command.push(u8::try_from(outer.len()).expect("short APDU"));
    command.extend_from_slice(&outer);
    command.push(0x00);
    command
}

/// `7C { tag value }` as the chip answers.
pub fn dynamic(tag: u8, value: &[u8]) -> Vec<u8> {
    tlv(0x7C, &tlv(tag, value))
}

/// A BER-TLV with a one-byte tag and a definite length.
pub fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match value.len() {
        len @ 0..=0x7F => out.push(len as u8),
        len @ 0x80..=0xFF => out.extend_from_slice(&[0x81, len as u8]),
        len => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
    }
    out.extend_from_slice(value);
    out
}

/// MSE:Set AT for PACE: `00 22 C1 A4 Lc 80 oid 83 ref [84 id]`.
pub fn set_at(oid: &[u8], password_reference: u8, parameter_id: Option<u8>) -> Vec<u8> {
    let mut data = tlv(0x80, oid);
    data.extend_from_slice(&tlv(0x83, &[password_reference]));
    if let Some(id) = parameter_id {
        data.extend_from_slice(&tlv(0x84, &[id]));
    }
    let mut command = vec![0x00, 0x22, 0xC1, 0xA4, data.len() as u8];
    command.extend_from_slice(&data);
    command
}
