//! The [`Transport`] trait: something that carries command APDUs to a chip and brings back
//! responses. A PC/SC reader (`pcsc`, feature `pcsc`), a secure-messaging channel wrapping
//! another transport, and the virtual chip of `cccd-sim` all implement it.

use crate::apdu::{ApduError, Command, Response, StatusWord};

pub mod atr;
#[cfg(feature = "pcsc")]
pub mod pcsc;

/// Why an APDU could not be exchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The card left the field (or was pulled from the reader) during the session.
    /// Retryable: present the card again and resume.
    #[error("the card was removed; present it again and retry")]
    CardRemoved,
    /// The reader is there but holds no card.
    #[error("no card in the reader")]
    NoCard,
    /// No card arrived before the timeout.
    #[error("timed out waiting for a card")]
    Timeout,
    /// The named reader does not exist or stopped answering.
    #[error("reader unavailable: {reader}")]
    ReaderUnavailable {
        /// The reader's name as the system reports it.
        reader: String,
    },
    /// Another program holds the card (a shared connection or a transaction) and did not
    /// let go in time. Nothing was sent to the card.
    #[error("the card in {reader} is in use by another program")]
    InUse {
        /// The reader's name as the system reports it.
        reader: String,
    },
    /// The PC/SC service is not running, or there are no readers at all.
    #[error("no smart card service or reader: {0}")]
    NoService(String),
    /// A command that cannot be encoded, or a response that cannot be decoded.
    #[error("bad APDU: {0}")]
    Apdu(#[from] ApduError),
    /// The secure channel failed (bad response MAC, missing objects, wrong padding); the
    /// channel is closed and the session must authenticate again.
    #[error("secure messaging failed: {0}")]
    SecureMessaging(&'static str),
    /// Any other reader-level failure, with the backend's words.
    #[error("reader error: {0}")]
    Other(String),
}

/// Carries command APDUs to a chip and returns its responses.
pub trait Transport {
    /// Send one command and return the response (status word included, not interpreted).
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError>;

    /// Whether the link takes extended-length APDUs (Lc > 255 or Le > 256).
    fn supports_extended_length(&self) -> bool {
        false
    }

    /// Whether [`Self::supports_extended_length`] is known to hold for the chip itself (its
    /// ATR says so), not only for the reader. When it is not, the session reads EF.ATR/INFO
    /// before the first extended READ BINARY (see `session::extended_length`).
    fn extended_length_confirmed(&self) -> bool {
        false
    }
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        (**self).transmit(command)
    }
    fn supports_extended_length(&self) -> bool {
        (**self).supports_extended_length()
    }
    fn extended_length_confirmed(&self) -> bool {
        (**self).extended_length_confirmed()
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        (**self).transmit(command)
    }
    fn supports_extended_length(&self) -> bool {
        (**self).supports_extended_length()
    }
    fn extended_length_confirmed(&self) -> bool {
        (**self).extended_length_confirmed()
    }
}

/// Send `command`, then follow the ISO 7816-4 conventions a T=0 link needs: collect `61XX`
/// with GET RESPONSE and re-send once with the right Le after `6CXX`.
///
/// Backends whose driver does not already do this call it around their raw exchange.
pub fn transmit_with_retries(
    mut exchange: impl FnMut(&Command) -> Result<Response, TransportError>,
    command: &Command,
) -> Result<Response, TransportError> {
    let mut response = exchange(command)?;
    if let StatusWord::WrongLe(n) = response.sw {
        let mut again = command.clone();
        again.le = Some(if n == 0 { 256 } else { usize::from(n) });
        response = exchange(&again)?;
    }
    let mut data = Vec::new();
    // Bound the loop: an eMRTD never needs more than 64 KiB of chained responses.
    let mut rounds = 0;
    while let StatusWord::BytesAvailable(n) = response.sw {
        rounds += 1;
        if rounds > 300 || data.len() > 70_000 {
            return Err(TransportError::Other(
                "card kept answering 61XX past 64 KiB".into(),
            ));
        }
        data.extend_from_slice(&response.data);
        let get_response = Command::new(command.cla & 0xF0, 0xC0, 0, 0).with_le(if n == 0 {
            256
        } else {
            usize::from(n)
        });
        response = exchange(&get_response)?;
    }
    if data.is_empty() {
        Ok(response)
    } else {
        data.extend_from_slice(&response.data);
        Ok(Response::new(data, response.sw))
    }
}

#[cfg(test)]
mod tests;
