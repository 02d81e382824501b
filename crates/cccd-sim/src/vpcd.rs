//! The card side of the vpcd protocol, so the real `pcscd` presents a simulated card.
//!
//! vpcd (Debian package `vsmartcard-vpcd`) is a pcscd reader driver that listens on TCP
//! (port 35963 for reader `Virtual PCD 00 00`, 35964 for `Virtual PCD 00 01`). The card side
//! connects to it. Each message is a 2-byte big-endian length and a payload; a 1-byte payload
//! is a control code (0 power off, 1 power on, 2 reset, 4 ATR request), anything longer is a
//! command APDU. The ATR request and each APDU get a length-prefixed answer; the power
//! controls get none. Closing the connection is the card leaving the reader.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// vpcd's port for the first virtual reader, `Virtual PCD 00 00`.
pub const VPCD_PORT_0: u16 = 35963;
/// vpcd's port for the second virtual reader, `Virtual PCD 00 01`.
pub const VPCD_PORT_1: u16 = 35964;
/// The PC/SC name of the first virtual reader.
pub const VPCD_READER_0: &str = "Virtual PCD 00 00";
/// The PC/SC name of the second virtual reader.
pub const VPCD_READER_1: &str = "Virtual PCD 00 01";

/// An ATR for a contactless ISO 14443-4 card as PC/SC part 3 builds it (no historical bytes),
/// offering T=1.
pub const CONTACTLESS_ATR: [u8; 5] = [0x3B, 0x80, 0x80, 0x01, 0x01];

const CTRL_OFF: u8 = 0;
const CTRL_ON: u8 = 1;
const CTRL_RESET: u8 = 2;
const CTRL_ATR: u8 = 4;

/// A smart card as seen from the reader: an ATR and an APDU processor.
pub trait Card: Send {
    /// The answer to reset.
    fn atr(&self) -> Vec<u8> {
        CONTACTLESS_ATR.to_vec()
    }
    /// Power on or reset: forget sessions, as a real chip does when the field drops.
    fn reset(&mut self) {}
    /// Process one command APDU (raw bytes) and return the raw response (data + SW).
    fn process(&mut self, apdu: &[u8]) -> Vec<u8>;
    /// Whether the card is still in the field. After `false` the connection is closed
    /// without sending the last answer, which pcscd sees as the card being pulled away.
    fn present(&self) -> bool {
        true
    }
    /// APDUs processed since the last power-on, when the card counts them (for a control
    /// that reports progress, e.g. `cccd simulate --control`).
    fn apdu_count(&self) -> Option<usize> {
        None
    }
}

/// A bench card that only knows the eMRTD application: SELECT by its AID answers 9000,
/// anything else 6D00. Enough to prove the PC/SC path before the full chip exists.
#[derive(Debug, Default, Clone)]
pub struct SelectOnlyCard;

/// The eMRTD application identifier (ICAO 9303-10).
pub const EMRTD_AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];

impl Card for SelectOnlyCard {
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        match apdu {
            [_, 0xA4, 0x04, _, 0x07, aid @ ..] if aid.starts_with(&EMRTD_AID) => vec![0x90, 0x00],
            _ => vec![0x6D, 0x00],
        }
    }
}

/// A card inserted into a vpcd reader, served by a background thread.
///
/// Dropping it (or calling [`VpcdConnection::remove`]) closes the connection: pcscd then
/// reports the card removed.
pub struct VpcdConnection<C: Card + 'static> {
    stream: TcpStream,
    card: Arc<Mutex<C>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl<C: Card + 'static> std::fmt::Debug for VpcdConnection<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VpcdConnection")
            .field("peer", &self.stream.peer_addr().ok())
            .finish_non_exhaustive()
    }
}

impl<C: Card + 'static> VpcdConnection<C> {
    /// Connect `card` to the vpcd listening at `addr`, retrying until `timeout` (pcscd may
    /// still be starting), and serve it in a background thread.
    pub fn insert(addr: impl ToSocketAddrs, card: C, timeout: Duration) -> io::Result<Self> {
        let deadline = Instant::now() + timeout;
        let addrs: Vec<_> = addrs_of(addr)?;
        let stream = loop {
            match connect_any(&addrs) {
                Ok(s) => break s,
                Err(e) if Instant::now() >= deadline => return Err(e),
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        };
        stream.set_nodelay(true)?;
        let card = Arc::new(Mutex::new(card));
        let reader = stream.try_clone()?;
        let served = Arc::clone(&card);
        let thread = std::thread::Builder::new()
            .name("vpcd-card".into())
            .spawn(move || serve(reader, &served))?;
        Ok(Self {
            stream,
            card,
            thread: Some(thread),
        })
    }

    /// The card, for inspection by tests (e.g. what it received).
    pub fn card(&self) -> Arc<Mutex<C>> {
        Arc::clone(&self.card)
    }

    /// Take the card out of the reader and wait for the serving thread to end.
    pub fn remove(mut self) -> io::Result<()> {
        self.close()
    }

    /// Take the card out of the reader (pcscd sees it removed) and hand it back, to be
    /// inserted again later: the clean remove/re-insert of `cccd simulate --control`.
    pub fn take_out(mut self) -> io::Result<C> {
        self.close()?;
        let card = Arc::clone(&self.card);
        drop(self);
        // The serving thread has ended (close joined it): this is the last reference.
        let mutex = Arc::try_unwrap(card)
            .map_err(|_| io::Error::other("the card is still shared with its serving thread"))?;
        Ok(mutex.into_inner().unwrap_or_else(PoisonError::into_inner))
    }

    /// Whether the serving thread has ended (pcscd closed the connection, or the card left
    /// the field by itself).
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Serve until pcscd closes the connection (used by `cccd simulate`).
    pub fn wait(mut self) -> io::Result<()> {
        match self.thread.take() {
            Some(t) => t
                .join()
                .map_err(|_| io::Error::other("card thread panicked"))?,
            None => Ok(()),
        }
    }

    fn close(&mut self) -> io::Result<()> {
        let _ = self.stream.shutdown(Shutdown::Both);
        match self.thread.take() {
            Some(t) => match t.join() {
                Ok(Ok(())) => Ok(()),
                // A reset connection is the expected end of a removal.
                Ok(Err(e)) if is_disconnect(&e) => Ok(()),
                Ok(Err(e)) => Err(e),
                Err(_) => Err(io::Error::other("card thread panicked")),
            },
            None => Ok(()),
        }
    }
}

impl<C: Card + 'static> Drop for VpcdConnection<C> {
    fn drop(&mut self) {
        let _ = self.close();
    }
}

fn addrs_of(addr: impl ToSocketAddrs) -> io::Result<Vec<std::net::SocketAddr>> {
    Ok(addr.to_socket_addrs()?.collect())
}

fn connect_any(addrs: &[std::net::SocketAddr]) -> io::Result<TcpStream> {
    let mut last = io::Error::new(io::ErrorKind::NotFound, "no address to connect to");
    for a in addrs {
        match TcpStream::connect_timeout(a, Duration::from_millis(500)) {
            Ok(s) => return Ok(s),
            Err(e) => last = e,
        }
    }
    Err(last)
}

fn is_disconnect(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::NotConnected
    )
}

/// The serving loop: one request, one answer, until the connection ends.
fn serve<C: Card>(mut stream: TcpStream, card: &Mutex<C>) -> io::Result<()> {
    let mut payload = Vec::with_capacity(512);
    loop {
        let mut len = [0u8; 2];
        match stream.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if is_disconnect(&e) => return Ok(()),
            Err(e) => return Err(e),
        }
        let len = usize::from(u16::from_be_bytes(len));
        payload.resize(len, 0);
        stream.read_exact(&mut payload)?;
        let mut card = card.lock().unwrap_or_else(PoisonError::into_inner);
        let answer = match payload.as_slice() {
            [CTRL_OFF] => None,
            [CTRL_ON | CTRL_RESET] => {
                card.reset();
                None
            }
            [CTRL_ATR] => Some(card.atr()),
            [other] => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("unknown vpcd control code {other:#04x}"),
                ));
            }
            apdu => Some(card.process(apdu)),
        };
        let gone = !card.present();
        drop(card);
        if gone {
            let _ = stream.shutdown(Shutdown::Both);
            return Ok(());
        }
        if let Some(answer) = answer {
            let n = u16::try_from(answer.len()).map_err(|_| {
                io::Error::new(io::ErrorKind::InvalidData, "response over 65535 bytes")
            })?;
            let mut framed = Vec::with_capacity(answer.len() + 2);
            framed.extend_from_slice(&n.to_be_bytes());
            framed.extend_from_slice(&answer);
            stream.write_all(&framed)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A fake vpcd on loopback checks our framing without pcscd.
    #[test]
    fn framing_against_a_fake_vpcd() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let conn = VpcdConnection::insert(addr, SelectOnlyCard, Duration::from_secs(2)).unwrap();
        let (mut s, _) = listener.accept().unwrap();
        // Power on (no answer), then ATR request.
        s.write_all(&[0, 1, CTRL_ON]).unwrap();
        s.write_all(&[0, 1, CTRL_ATR]).unwrap();
        let mut buf = [0u8; 7];
        s.read_exact(&mut buf).unwrap();
        assert_eq!(&buf[..2], &[0, 5]);
        assert_eq!(&buf[2..], &CONTACTLESS_ATR);
        // SELECT eMRTD AID.
        let select = [
            0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01,
        ];
        s.write_all(&[0, 12]).unwrap();
        s.write_all(&select).unwrap();
        let mut resp = [0u8; 4];
        s.read_exact(&mut resp).unwrap();
        assert_eq!(resp, [0, 2, 0x90, 0x00]);
        // Anything else: 6D00.
        s.write_all(&[0, 4, 0x00, 0x84, 0x00, 0x00]).unwrap();
        s.read_exact(&mut resp).unwrap();
        assert_eq!(resp, [0, 2, 0x6D, 0x00]);
        // An unknown control code ends the card's thread with an error.
        s.write_all(&[0, 1, 0x09]).unwrap();
        let err = conn.remove();
        assert!(err.is_err(), "unknown control code must be reported");
    }

    #[test]
    fn insert_times_out_when_nobody_listens() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let r = VpcdConnection::insert(addr, SelectOnlyCard, Duration::from_millis(200));
        assert!(r.is_err());
    }
}
