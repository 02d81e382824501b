//! The chip's access-control state: locked or secured, and the BAC and PACE responders that
//! move it from one to the other.

use super::Profile;
use crate::bac::{BacResponder, BacStep};
use crate::pace::{PaceOutcome, PaceResponder};
use cccd::apdu::{Command, Response, StatusWord};
use cccd::ec::EcScalar;
use cccd::lds::security_infos::SecurityInfos;
use cccd::mrz::{BacKey, Can};
use cccd::sm::SmCodec;

/// The secrets a chip is opened with: the MRZ information (BAC, PACE-MRZ) and the CAN.
#[derive(Clone, Default)]
pub struct AccessConfig {
    /// The MRZ key (document number, date of birth, date of expiry).
    pub mrz: Option<BacKey>,
    /// The card access number (the last 6 digits of the ID number on CCCD cards).
    pub can: Option<Can>,
}

// Secrets: never printed.
impl std::fmt::Debug for AccessConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessConfig")
            .field("mrz", &self.mrz.as_ref().map(|_| "<set>"))
            .field("can", &self.can.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// Where the chip is in access control.
#[derive(Default)]
pub(super) enum AccessState {
    /// Nothing established.
    #[default]
    Locked,
    /// Secure messaging is up.
    Secure(SmCodec),
}

impl AccessState {
    pub(super) fn codec_mut(&mut self) -> Option<&mut SmCodec> {
        match self {
            Self::Secure(c) => Some(c),
            Self::Locked => None,
        }
    }

    pub(super) fn codec(&self) -> Option<&SmCodec> {
        match self {
            Self::Secure(c) => Some(c),
            Self::Locked => None,
        }
    }
}

/// The protocol engines of one chip.
pub(super) struct Responders {
    bac: Option<BacResponder>,
    pace: Option<PaceResponder>,
}

impl Responders {
    /// Engines for the protocols `profile` offers, with the PACE parameters of `card_access`.
    pub(super) fn new(
        secrets: &AccessConfig,
        profile: Profile,
        card_access: Option<&[u8]>,
        chip_authentication_key: Option<&EcScalar>,
    ) -> Self {
        let bac = match (&secrets.mrz, profile.offers_bac()) {
            (Some(key), true) => Some(BacResponder::new(key)),
            _ => None,
        };
        let pace_infos: Vec<_> = card_access
            .and_then(|b| SecurityInfos::parse(b).ok())
            .map(|infos| infos.pace_infos().copied().collect())
            .unwrap_or_default();
        let pace = (profile.offers_pace() && !pace_infos.is_empty()).then(|| {
            let pace = PaceResponder::new(secrets.can.clone(), secrets.mrz.clone(), pace_infos);
            match chip_authentication_key {
                Some(key) => pace.with_chip_authentication_key(key.clone()),
                None => pace,
            }
        });
        Self { bac, pace }
    }

    /// Run one access-control command; return the answer and, on success, the new session.
    pub(super) fn handle(&mut self, command: &Command) -> (Response, Option<SmCodec>) {
        if BacResponder::handles(command) {
            let Some(bac) = &mut self.bac else {
                return (plain(StatusWord::InsNotSupported), None);
            };
            return match bac.handle(command) {
                Some(BacStep::Reply(r)) => (r, None),
                Some(BacStep::Established {
                    response,
                    keys,
                    ssc,
                }) => (response, Some(SmCodec::new(keys, ssc))),
                None => (plain(StatusWord::InsNotSupported), None),
            };
        }
        if PaceResponder::handles(command) {
            let Some(pace) = &mut self.pace else {
                return (plain(StatusWord::InsNotSupported), None);
            };
            return match pace.handle(command) {
                PaceOutcome::Reply(r) => (r, None),
                PaceOutcome::Established {
                    response,
                    keys,
                    ssc,
                } => (response, Some(SmCodec::new(keys, ssc))),
            };
        }
        (plain(StatusWord::InsNotSupported), None)
    }
}

fn plain(sw: StatusWord) -> Response {
    Response::new(Vec::new(), sw)
}
