//! Secure messaging: a channel that wraps a Transport and is itself one.
//!
//! After BAC or PACE, every APDU travels protected (ICAO 9303-11 §9.8): command data
//! encrypted in DO'87' (DO'85' for odd INS), Le in DO'97', and a MAC in DO'8E' over the send
//! sequence counter, the header and the objects; responses carry DO'87', the status in DO'99'
//! and DO'8E'. [`SecureChannel`] does this for any [`Transport`]; [`SmCodec`] is the
//! message-level part, shared with the chip side in `cccd-sim`.
//!
//! ```no_run
//! # fn demo<T: cccd::transport::Transport>(card: T, keys: cccd::crypto::SessionKeys) -> Result<(), cccd::transport::TransportError> {
//! use cccd::apdu::Command;
//! use cccd::sm::{SecureChannel, Ssc};
//! use cccd::transport::Transport;
//! let mut channel = SecureChannel::new(card, keys, Ssc::zero());
//! let header = channel.transmit(&Command::new(0x00, 0xB0, 0x00, 0x00).with_le(4))?;
//! # Ok(()) }
//! ```

use crate::apdu::{Command, Response, StatusWord};
use crate::crypto::SessionKeys;
use crate::transport::{Transport, TransportError};

mod codec;
mod ssc;

pub use codec::{SmCodec, SmError};
pub use ssc::Ssc;

/// A secure-messaging channel over another transport. Itself a [`Transport`]: callers send
/// plain commands and receive plain, verified responses.
///
/// Any failure of the channel (bad or missing MAC, malformed objects, an SM error status from
/// the chip, or an I/O error below that leaves the counters out of step) closes it: every later
/// `transmit` fails with [`TransportError::SecureMessaging`] and the session must authenticate
/// again.
pub struct SecureChannel<T: Transport> {
    inner: T,
    codec: SmCodec,
    closed: bool,
}

// No transport bound on Debug, and nothing secret shown.
impl<T: Transport> std::fmt::Debug for SecureChannel<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecureChannel")
            .field("cipher", &self.codec.cipher())
            .field("ssc", &self.codec.ssc())
            .field("closed", &self.closed)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> SecureChannel<T> {
    /// A channel over `inner` with the session keys and start counter of BAC, PACE or CA.
    pub fn new(inner: T, keys: SessionKeys, ssc: Ssc) -> Self {
        Self {
            inner,
            codec: SmCodec::new(keys, ssc),
            closed: false,
        }
    }

    /// The transport below, ending the channel.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The transport and the session state, apart: lets a caller run a handshake over a
    /// borrowed transport and then move the session onto the owned one.
    pub fn into_parts(self) -> (T, SmCodec) {
        (self.inner, self.codec)
    }

    /// A channel from a transport and a session state taken out with [`Self::into_parts`].
    pub fn from_parts(inner: T, codec: SmCodec) -> Self {
        Self {
            inner,
            codec,
            closed: false,
        }
    }

    /// The transport below (for example to send an unprotected command after a failure).
    pub fn inner_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// The transport below.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// Whether an earlier failure closed the channel.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The current send sequence counter.
    pub fn ssc(&self) -> Ssc {
        self.codec.ssc()
    }

    /// The cipher of the channel.
    pub fn cipher(&self) -> crate::crypto::Cipher {
        self.codec.cipher()
    }

    /// The largest plain READ BINARY length whose protected response fits one response APDU
    /// on this link: 231 (3DES) or 223 (AES) bytes with short APDUs, about 64 KiB with
    /// extended ones. See [`max_response_data`].
    pub fn max_read_len(&self) -> usize {
        max_response_data(self.codec.cipher(), self.inner.supports_extended_length())
    }

    fn fail(&mut self, reason: &'static str) -> TransportError {
        self.closed = true;
        TransportError::SecureMessaging(reason)
    }

    fn exchange(&mut self, command: &Command) -> Result<Response, TransportError> {
        let protected = match self.codec.protect_command(command) {
            Ok(p) => p,
            // Nothing was sent and the counter is unchanged for length errors; key errors
            // are fatal.
            Err(SmError::TooLong) => {
                return Err(TransportError::SecureMessaging(
                    "command too long for secure messaging",
                ));
            }
            Err(e) => return Err(self.fail(e.reason())),
        };
        let response = match self.inner.transmit(&protected) {
            Ok(r) => r,
            Err(e) => {
                // The chip may or may not have seen the command: the counters are out of step.
                self.closed = true;
                return Err(e);
            }
        };
        if response.data.is_empty() {
            return match response.sw {
                StatusWord::SmObjectsMissing | StatusWord::SmObjectsIncorrect => Err(self
                    .fail("the card rejected the secure messaging (6987/6988); the session ended")),
                // An error status answered in the clear (chips may do this, e.g. 6982 for an
                // EAC-protected file): there is no data to trust, so passing the status word
                // on is safe. A chip that answers in the clear does not count a response, so
                // neither do we (as OpenSC's SM layer does).
                sw if sw != StatusWord::Ok && !matches!(sw, StatusWord::BytesAvailable(_)) => {
                    Ok(Response::new(Vec::new(), sw))
                }
                _ => Err(self.fail("response without secure messaging objects")),
            };
        }
        self.codec
            .unprotect_response(&response)
            .map_err(|e| self.fail(e.reason()))
    }
}

impl<T: Transport> Transport for SecureChannel<T> {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        if self.closed {
            return Err(TransportError::SecureMessaging(
                "the secure channel was closed by an earlier failure",
            ));
        }
        self.exchange(command)
    }

    fn supports_extended_length(&self) -> bool {
        self.inner.supports_extended_length()
    }
}

/// The largest plain response data that fits one protected response of at most 256 bytes
/// (short) or 65536 bytes (extended): the response holds DO'87' (tag, length, indicator and
/// the padded cryptogram), DO'99' (4 bytes) and DO'8E' (10 bytes).
pub fn max_response_data(cipher: crate::crypto::Cipher, extended: bool) -> usize {
    let (limit, do87_header) = if extended { (65_536, 5) } else { (256, 4) };
    let room = limit - do87_header - 4 - 10;
    let block = cipher.block_len();
    // Whole blocks, and padding always takes at least one byte.
    room / block * block - 1
}

#[cfg(test)]
mod tests;
