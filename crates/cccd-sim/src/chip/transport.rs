//! The chip in-process, as a [`Transport`]: what tests and benches read through.

use super::VirtualChip;
use cccd::apdu::{Command, Response};
use cccd::transport::{Transport, TransportError};

/// A [`VirtualChip`] in a perfect reader. After an injected removal every APDU fails with
/// [`TransportError::CardRemoved`] until [`SimTransport::reinsert`].
#[derive(Debug)]
pub struct SimTransport {
    chip: VirtualChip,
    removed: bool,
    log: Option<Vec<(Command, Response)>>,
    /// What the "reader" claims about extended length; `None`: whatever the chip supports.
    reader_extended: Option<bool>,
}

impl SimTransport {
    /// Put `chip` in the reader.
    pub fn new(chip: VirtualChip) -> Self {
        Self {
            chip,
            removed: false,
            log: None,
            reader_extended: None,
        }
    }

    /// Keep every exchange (plain or protected, as on the wire) for inspection.
    #[must_use]
    pub fn with_log(mut self) -> Self {
        self.log = Some(Vec::new());
        self
    }

    /// Model a reader that does (or does not) carry extended-length APDUs, whatever the chip
    /// supports: a PC/SC reader says yes without knowing the chip.
    #[must_use]
    pub fn with_reader_extended_length(mut self, on: bool) -> Self {
        self.reader_extended = Some(on);
        self
    }

    /// The exchanges so far, when logging is on.
    pub fn log(&self) -> &[(Command, Response)] {
        self.log.as_deref().unwrap_or(&[])
    }

    /// The chip.
    pub fn chip(&self) -> &VirtualChip {
        &self.chip
    }

    /// The chip, to change its configuration.
    pub fn chip_mut(&mut self) -> &mut VirtualChip {
        &mut self.chip
    }

    /// Present the card again after a removal: the chip powers up afresh, with the removal
    /// fault cleared so it stays.
    pub fn reinsert(&mut self) {
        self.chip.config_mut().faults.remove_after = None;
        self.chip.power_cycle();
        self.removed = false;
    }

    /// Take the chip out.
    pub fn into_chip(self) -> VirtualChip {
        self.chip
    }
}

impl Transport for SimTransport {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        if self.removed {
            return Err(TransportError::CardRemoved);
        }
        // Encode and decode, as a real link does: a command our encoder cannot express never
        // reaches the chip.
        let wire = command.to_bytes()?;
        let command = Command::parse(&wire)?;
        let response = self.chip.process_command(&command);
        if !self.chip.is_present() {
            // The card left while answering: the answer is lost.
            self.removed = true;
            return Err(TransportError::CardRemoved);
        }
        if let Some(log) = &mut self.log {
            log.push((command, response.clone()));
        }
        Ok(response)
    }

    fn supports_extended_length(&self) -> bool {
        self.reader_extended
            .unwrap_or(self.chip.config.extended_length)
    }

    /// Without [`Self::with_reader_extended_length`] the reader mirrors the chip, as a PC/SC
    /// reader does once the ATR has said; with it, the reader's claim is only the reader's.
    fn extended_length_confirmed(&self) -> bool {
        self.reader_extended.is_none() && self.chip.config.extended_length
    }
}
