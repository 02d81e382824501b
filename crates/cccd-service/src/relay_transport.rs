//! [`RelayTransport`]: a [`Transport`] whose chip is at the far end of a WebSocket.
//!
//! The session (PACE, secure messaging, chip authentication, reads) runs on a blocking thread
//! of the server, exactly as it would against a local reader; each `transmit` hands the command
//! to the connection task and waits, bounded, for the device's answer. The device sees only
//! protected APDUs: the session keys never leave the server.

use cccd::apdu::{Command, Response};
use cccd::transport::{Transport, TransportError};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc as tokio_mpsc;

/// What the session thread asks the connection task to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToDevice {
    /// A command APDU, numbered.
    Command {
        /// Sequence number (1, 2, ...).
        seq: u64,
        /// The encoded APDU.
        apdu: Vec<u8>,
    },
    /// A progress note (stage, and for reads the file and bytes).
    Progress {
        /// The stage name.
        stage: &'static str,
        /// File, bytes done, total.
        file: Option<(String, usize, usize)>,
    },
}

/// What the connection task passes back from the device, already checked for order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FromDevice {
    /// The answer to the pending command.
    Response(Vec<u8>),
    /// The card left the field.
    CardRemoved,
    /// The card is back.
    CardPresent,
}

/// Why the relay stopped carrying APDUs, kept for the error the device is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayFailure {
    /// No answer to one command within the per-APDU limit.
    ApduTimeout,
    /// The session's total time ran out.
    SessionTimeout,
    /// The connection task went away (the device disconnected or broke the protocol).
    Closed,
}

/// Limits on one relayed session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelayLimits {
    /// The longest wait for one response.
    pub apdu_timeout: Duration,
    /// The longest a whole session may take.
    pub session_timeout: Duration,
    /// The longest wait for a removed card to be presented again.
    pub card_return_timeout: Duration,
}

impl Default for RelayLimits {
    fn default() -> Self {
        Self {
            apdu_timeout: Duration::from_secs(5),
            session_timeout: Duration::from_mins(1),
            card_return_timeout: Duration::from_secs(15),
        }
    }
}

/// Sends progress notes to the device.
#[derive(Debug, Clone)]
pub struct ProgressSender(tokio_mpsc::Sender<ToDevice>);

impl ProgressSender {
    /// Best effort: when the queue is full the note is dropped (progress is not worth
    /// slowing or failing a session for).
    pub fn send(&self, stage: &'static str, file: Option<(String, usize, usize)>) {
        let _ = self.0.try_send(ToDevice::Progress { stage, file });
    }
}

/// A chip reached through a device relaying APDUs over the network.
#[derive(Debug)]
pub struct RelayTransport {
    to_device: tokio_mpsc::Sender<ToDevice>,
    from_device: mpsc::Receiver<FromDevice>,
    seq: u64,
    limits: RelayLimits,
    deadline: Instant,
    extended_length: bool,
    failure: Option<RelayFailure>,
}

impl RelayTransport {
    /// A transport over the two channels of a connection task; `extended_length` is what
    /// the device said its reader supports.
    pub fn new(
        to_device: tokio_mpsc::Sender<ToDevice>,
        from_device: mpsc::Receiver<FromDevice>,
        limits: RelayLimits,
        extended_length: bool,
    ) -> Self {
        Self {
            to_device,
            from_device,
            seq: 0,
            limits,
            deadline: Instant::now() + limits.session_timeout,
            extended_length,
            failure: None,
        }
    }

    /// How many commands were sent.
    pub fn apdus(&self) -> u64 {
        self.seq
    }

    /// Why the relay stopped, if it did.
    pub fn failure(&self) -> Option<RelayFailure> {
        self.failure
    }

    /// Tell the device where the session stands.
    pub fn progress(&self, stage: &'static str, file: Option<(String, usize, usize)>) {
        self.progress_sender().send(stage, file);
    }

    /// A handle that sends progress notes while the session borrows the transport.
    pub fn progress_sender(&self) -> ProgressSender {
        ProgressSender(self.to_device.clone())
    }

    /// After a card removal: wait (at most the card-return limit, and within the session
    /// deadline) until the device says the card is back. `false` when it did not come back;
    /// the relay is then failed.
    pub fn wait_for_card(&mut self) -> bool {
        self.progress("waiting_for_card", None);
        let until = Instant::now() + self.limits.card_return_timeout;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.receive(left) {
                Ok(FromDevice::CardPresent) => return true,
                // A late answer to the interrupted command: ignore it.
                Ok(FromDevice::Response(_) | FromDevice::CardRemoved) => {}
                Err(_) => return false,
            }
        }
    }

    /// The next message from the device, waiting at most `limit` (and never past the
    /// session deadline).
    fn receive(&mut self, limit: Duration) -> Result<FromDevice, TransportError> {
        let now = Instant::now();
        let Some(left) = self.deadline.checked_duration_since(now) else {
            return Err(self.fail(RelayFailure::SessionTimeout));
        };
        let wait = left.min(limit);
        match self.from_device.recv_timeout(wait) {
            Ok(message) => Ok(message),
            Err(mpsc::RecvTimeoutError::Timeout) if wait < limit => {
                Err(self.fail(RelayFailure::SessionTimeout))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => Err(self.fail(RelayFailure::ApduTimeout)),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(self.fail(RelayFailure::Closed)),
        }
    }

    fn fail(&mut self, failure: RelayFailure) -> TransportError {
        self.failure.get_or_insert(failure);
        TransportError::Other(
            match failure {
                RelayFailure::ApduTimeout => "the relaying device did not answer in time",
                RelayFailure::SessionTimeout => "the session took longer than allowed",
                RelayFailure::Closed => "the relaying device disconnected",
            }
            .into(),
        )
    }
}

impl Transport for RelayTransport {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        if let Some(failure) = self.failure {
            return Err(self.fail(failure));
        }
        let apdu = command.to_bytes()?;
        self.seq += 1;
        let message = ToDevice::Command {
            seq: self.seq,
            apdu,
        };
        if self.to_device.blocking_send(message).is_err() {
            return Err(self.fail(RelayFailure::Closed));
        }
        match self.receive(self.limits.apdu_timeout)? {
            FromDevice::Response(bytes) => Ok(Response::parse(&bytes)?),
            FromDevice::CardRemoved => Err(TransportError::CardRemoved),
            // The card cannot come back while it is answering: a device out of step.
            FromDevice::CardPresent => Err(self.fail(RelayFailure::Closed)),
        }
    }

    fn supports_extended_length(&self) -> bool {
        self.extended_length
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(
        limits: RelayLimits,
    ) -> (
        RelayTransport,
        tokio_mpsc::Receiver<ToDevice>,
        mpsc::Sender<FromDevice>,
    ) {
        let (to_tx, to_rx) = tokio_mpsc::channel(4);
        let (from_tx, from_rx) = mpsc::channel();
        (
            RelayTransport::new(to_tx, from_rx, limits, true),
            to_rx,
            from_tx,
        )
    }

    #[test]
    fn a_command_goes_out_numbered_and_the_answer_comes_back() {
        let (mut transport, mut to_rx, from_tx) = pair(RelayLimits::default());
        from_tx
            .send(FromDevice::Response(vec![0x01, 0x90, 0x00]))
            .unwrap();
        let response = transport
            .transmit(&Command::new(0, 0xB0, 0, 0).with_le(1))
            .unwrap();
        assert_eq!(response.data, vec![0x01]);
        assert!(response.is_ok());
        let sent = to_rx.try_recv().unwrap();
        assert_eq!(
            sent,
            ToDevice::Command {
                seq: 1,
                apdu: vec![0, 0xB0, 0, 0, 1]
            }
        );
        assert_eq!(transport.apdus(), 1);
    }

    #[test]
    fn silence_is_an_apdu_timeout_and_stays_failed() {
        let limits = RelayLimits {
            apdu_timeout: Duration::from_millis(30),
            ..RelayLimits::default()
        };
        let (mut transport, _to_rx, _from_tx) = pair(limits);
        let started = Instant::now();
        assert!(
            transport
                .transmit(&Command::new(0, 0x84, 0, 0).with_le(8))
                .is_err()
        );
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(transport.failure(), Some(RelayFailure::ApduTimeout));
        assert!(transport.transmit(&Command::new(0, 0x84, 0, 0)).is_err());
    }

    #[test]
    fn removal_is_card_removed_and_a_closed_link_is_closed() {
        let (mut transport, _to_rx, from_tx) = pair(RelayLimits::default());
        from_tx.send(FromDevice::CardRemoved).unwrap();
        let err = transport
            .transmit(&Command::new(0, 0xB0, 0, 0))
            .unwrap_err();
        assert_eq!(err, TransportError::CardRemoved);
        drop(from_tx);
        assert!(transport.transmit(&Command::new(0, 0xB0, 0, 0)).is_err());
        assert_eq!(transport.failure(), Some(RelayFailure::Closed));
    }
}
