//! The chip side of secure messaging: unwrap commands, wrap responses.
//!
//! [`ChipChannel`] is [`cccd::sm::SmCodec`] with the chip's manners: a command that fails
//! verification is answered `6988` (bad MAC or objects) or `6987` (objects missing), and ends
//! the session (ICAO 9303-11 §9.8.8); after that every command is refused with `6988` until
//! the dispatcher drops the channel. It knows nothing of files.

use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::SessionKeys;
use cccd::sm::{SmCodec, Ssc};

/// Chip-side secure messaging session.
#[derive(Debug)]
pub struct ChipChannel {
    codec: SmCodec,
    /// Whether the last unwrapped command had an odd INS (its answer then goes in DO'85').
    last_odd_ins: bool,
    closed: bool,
}

impl ChipChannel {
    /// A session with the keys and start SSC from BAC, PACE or CA.
    pub fn new(keys: SessionKeys, ssc: Ssc) -> Self {
        Self {
            codec: SmCodec::new(keys, ssc),
            last_odd_ins: false,
            closed: false,
        }
    }

    /// Verify and decrypt a protected command. `Err` is the status word to answer, unprotected.
    pub fn unwrap_command(&mut self, command: &Command) -> Result<Command, StatusWord> {
        if self.closed {
            return Err(StatusWord::SmObjectsIncorrect);
        }
        match self.codec.unprotect_command(command) {
            Ok(plain) => {
                self.last_odd_ins = plain.ins & 1 == 1;
                Ok(plain)
            }
            Err(e) => {
                self.closed = true;
                Err(e.status_word())
            }
        }
    }

    /// Protect the answer to the last unwrapped command.
    pub fn wrap_response(&mut self, response: &Response) -> Response {
        match self.codec.protect_response(response, self.last_odd_ins) {
            Ok(r) => r,
            // Only a key-length bug can get here; answer in the clear without data.
            Err(_) => Response::new(Vec::new(), StatusWord::NoPreciseDiagnosis),
        }
    }

    /// Whether an error ended the session.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The current send sequence counter.
    pub fn ssc(&self) -> Ssc {
        self.codec.ssc()
    }
}
