//! Proving the chip is the original: PACE-CAM's evidence or chip authentication (CA) with the
//! DG14 key, else active authentication (AA) with the DG15 key. The outcome is a
//! [`Genuineness`], recorded in the document's metadata (`card.json`), so [`crate::verify`]
//! can report it and a server can re-check AA offline.

use super::{ChannelState, ReadPlan, Session, SessionError};
use crate::access::active;
use crate::access::chip::{CaError, CaPlan};
use crate::document::{
    ActiveAuthRecord, CaKeySource, ChipAuthRecord, Genuineness, GenuinenessProof,
};
use crate::lds::card_security::CardSecurity;
use crate::lds::dg14::Dg14;
use crate::lds::security_infos::SecurityInfos;
use crate::lds::{DataGroup, FileId};
use crate::sm::SecureChannel;
use crate::transport::{Transport, TransportError};

/// Which proofs of chip genuineness to run when the session opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChipAuthOptions {
    /// Run chip authentication when DG14 offers it.
    pub chip_authentication: bool,
    /// Run active authentication: always (`true`), or only when CA is not available.
    pub active_authentication_always: bool,
}

impl Default for ChipAuthOptions {
    fn default() -> Self {
        Self {
            chip_authentication: true,
            active_authentication_always: false,
        }
    }
}

impl<T: Transport> Session<T> {
    /// Prove the chip genuine: CA when DG14 offers it (then a protected read on the new keys
    /// must verify), else AA with DG15. Reads DG14/DG15 as needed (they stay in the document).
    /// A failed proof is an outcome, not an error; I/O errors are errors.
    pub fn authenticate_chip(
        &mut self,
        options: ChipAuthOptions,
    ) -> Result<Genuineness, SessionError> {
        let files = vec![FileId::Dg(DataGroup::Dg14), FileId::Dg(DataGroup::Dg15)];
        self.read(&ReadPlan::files_only(files), &mut |_| {})?;
        let mut outcome = Genuineness::NotAvailable;
        log::debug!("chip genuineness: {options:?}");
        if options.chip_authentication
            && let Some(Ok(dg14)) = self.document.dg14()
        {
            outcome = match self.check_cam() {
                Some(cam) => cam,
                None => self.run_ca(&dg14)?,
            };
        }
        let run_aa =
            options.active_authentication_always || matches!(outcome, Genuineness::NotAvailable);
        if run_aa && let Some(Ok(dg15)) = self.document.dg15() {
            let dg14 = self.document.dg14().and_then(Result::ok);
            let mut challenge = [0u8; 8];
            rand::fill(&mut challenge);
            let aa = self.with_channel(|ch| {
                active::active_authenticate(ch, &dg15, dg14.as_ref(), challenge)
            })?;
            match aa {
                Ok(done) => {
                    self.document.meta.active_authentication = Some(ActiveAuthRecord {
                        challenge: crate::hex::encode(&done.challenge),
                        response: crate::hex::encode(&done.response),
                    });
                    let aa_outcome = match &done.result {
                        Ok(_) => Genuineness::ActiveAuthentication,
                        Err(e) => Genuineness::failed(
                            GenuinenessProof::ActiveAuthentication,
                            e.to_string(),
                        ),
                    };
                    if !outcome.is_failed() {
                        outcome = aa_outcome;
                    }
                }
                Err(active::AaError::Transport(e)) => return Err(e.into()),
                Err(e) => {
                    outcome =
                        Genuineness::failed(GenuinenessProof::ActiveAuthentication, e.to_string());
                }
            }
        }
        log::info!("chip genuineness: {outcome:?}");
        Ok(outcome)
    }

    /// CA again after a reconnection (the card left and came back); after PACE-CAM, the new
    /// run's evidence is checked instead.
    pub(super) fn reauthenticate(&mut self, dg14: &Dg14) -> Result<Genuineness, SessionError> {
        match self.check_cam() {
            Some(outcome) => Ok(outcome),
            None => self.run_ca(dg14),
        }
    }

    /// PACE-CAM made chip authentication part of PACE: check its evidence against the chip
    /// authentication public key of EF.CardSecurity (read right after PACE-CAM), else of
    /// DG14 (ICAO 9303-11 §4.4.3.5.2). The record names the file the key came from; the
    /// verifier's passive authentication of that file (`card_security.signature`, or EF.SOD
    /// over DG14) makes the key the issuer's. `None` when PACE-CAM did not run or neither file
    /// has an ECDH key of the curve (then CA runs as usual).
    fn check_cam(&mut self) -> Option<Genuineness> {
        let evidence = self.cam.clone()?;
        let curve = evidence.mapping_key().curve();
        let card_security = self
            .document
            .get(FileId::CardSecurity)
            .and_then(|bytes| CardSecurity::parse(bytes).ok())
            .map(|file| file.security_infos);
        let dg14 = self
            .document
            .dg(DataGroup::Dg14)
            .and_then(|bytes| Dg14::parse(bytes).ok())
            .map(|dg14| dg14.security_infos);
        let protocol = self
            .document
            .meta
            .pace
            .as_ref()
            .map(|record| record.protocol.clone())
            .unwrap_or_default();
        let mut offered = Vec::new();
        for (source, infos) in [
            (CaKeySource::CardSecurity, card_security),
            (CaKeySource::Dg14, dg14),
        ] {
            let Some(infos) = infos else { continue };
            let keys: Vec<_> = infos
                .chip_authentication_public_keys()
                .filter_map(|info| info.ec_public_key().ok())
                .filter(|key| key.curve() == curve)
                .collect();
            if keys.is_empty() {
                continue;
            }
            if keys.iter().any(|key| evidence.verify(key).is_ok()) {
                let outcome = self.record_cam(true, &protocol, "PACE-CAM", source);
                log::info!("chip authentication by PACE-CAM ({source:?} key): {outcome:?}");
                return Some(outcome);
            }
            offered.push(source);
        }
        let source = *offered.first()?;
        let detail = match offered.as_slice() {
            [CaKeySource::CardSecurity, CaKeySource::Dg14] => {
                "PACE-CAM: the chip's authentication data matches neither the EF.CardSecurity \
                 nor the DG14 public key"
            }
            [CaKeySource::CardSecurity] => {
                "PACE-CAM: the chip's authentication data does not match the EF.CardSecurity \
                 public key"
            }
            _ => "PACE-CAM: the chip's authentication data does not match the DG14 public key",
        };
        let outcome = self.record_cam(false, &protocol, detail, source);
        log::info!("chip authentication by PACE-CAM: {outcome:?}");
        Some(outcome)
    }

    /// Record a PACE-CAM outcome with the file its key came from.
    fn record_cam(
        &mut self,
        passed: bool,
        protocol: &str,
        detail: &str,
        source: CaKeySource,
    ) -> Genuineness {
        self.record_key_proof(ChipAuthRecord {
            passed,
            protocol: protocol.to_owned(),
            detail: detail.to_owned(),
            key_source: Some(source),
        })
    }

    /// CA, then a protected SELECT of EF.COM on the new keys: only the genuine chip can answer
    /// it with a valid MAC.
    fn run_ca(&mut self, dg14: &Dg14) -> Result<Genuineness, SessionError> {
        let infos = self
            .card_access
            .as_deref()
            .and_then(|b| SecurityInfos::parse(b).ok());
        let plan = match CaPlan::from_dg14(dg14, infos.as_ref()) {
            Ok(plan) => plan,
            Err(CaError::NoKey | CaError::Unsupported { .. }) => {
                return Ok(Genuineness::NotAvailable);
            }
            Err(e) => return Ok(self.record_ca(false, &e.to_string())),
        };
        let protocol = crate::ec::oid_to_string(&plan.protocol().oid()).unwrap_or_default();
        let mut failure = String::new();
        for attempt in 0..2 {
            if attempt == 1 {
                // A transient fault (interference, a lost byte) fails one attempt; a copy of
                // the chip fails every one. Open again and retry once before concluding.
                log::info!("chip authentication failed once ({failure}); retrying");
                self.genuineness = Genuineness::NotAvailable;
                self.reconnect()?;
            }
            match self.ca_attempt(&plan)? {
                None => return Ok(self.record_ca_with(true, &protocol, "")),
                Some(why) => failure = why,
            }
        }
        let outcome = self.record_ca_with(false, &protocol, &failure);
        // Recorded first, so the reconnection does not try CA again; then open the chip again
        // so the rest can still be read.
        self.genuineness = outcome.clone();
        self.reconnect()?;
        Ok(outcome)
    }

    /// One CA run and its proof. `None`: the chip proved it holds the DG14 key; `Some(why)`:
    /// it did not. I/O failures (card removed) are errors.
    fn ca_attempt(&mut self, plan: &CaPlan) -> Result<Option<String>, SessionError> {
        let codec = self.channel.take()?;
        let channel = SecureChannel::from_parts(&mut self.transport, codec);
        match plan.run(channel) {
            Ok(channel) => self.channel = ChannelState::Open(channel.into_parts().1),
            Err(CaError::Transport(TransportError::SecureMessaging(why))) => {
                return Ok(Some(why.to_owned()));
            }
            Err(CaError::Transport(e)) => return Err(e.into()),
            Err(e) => return Ok(Some(e.to_string())),
        }
        let select = crate::apdu::Command::new(0x00, 0xA4, 0x02, 0x0C)
            .with_data(FileId::Com.fid().to_be_bytes().to_vec());
        match self.with_channel(|ch| ch.transmit(&select))? {
            // Only a MAC-protected 9000 proves the keys: secure messaging passes plain error
            // status words through, and a copy could answer with one.
            Ok(r) if r.sw == crate::apdu::StatusWord::Ok => Ok(None),
            Ok(r) => Ok(Some(format!(
                "the chip answered the proof with {} instead of a protected success",
                r.sw
            ))),
            Err(TransportError::SecureMessaging(_)) => Ok(Some(
                "the chip's answer did not match the DG14 public key".to_owned(),
            )),
            Err(e) => Err(e.into()),
        }
    }

    fn record_ca(&mut self, passed: bool, detail: &str) -> Genuineness {
        self.record_ca_with(passed, "", detail)
    }

    /// Record a chip authentication outcome in `card.json`; the session's conclusion is the
    /// record read back, exactly as the verifier reads it.
    fn record_ca_with(&mut self, passed: bool, protocol: &str, detail: &str) -> Genuineness {
        self.record_key_proof(ChipAuthRecord {
            passed,
            protocol: protocol.to_owned(),
            detail: detail.to_owned(),
            key_source: None,
        })
    }

    fn record_key_proof(&mut self, record: ChipAuthRecord) -> Genuineness {
        let outcome = record.genuineness();
        self.document.meta.chip_authentication = Some(record);
        outcome
    }
}
