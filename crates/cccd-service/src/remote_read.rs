//! The blocking half of `GET /v1/read`: the real [`Session`] over a [`RelayTransport`], then
//! verification. Runs on a blocking thread; the connection task (`read_socket`) carries its
//! APDUs.

use crate::protocol::ErrorCode;
use crate::relay_transport::{RelayFailure, RelayTransport};
use crate::verification::{Request, Source, verify_document};
use cccd::document::Document;
use cccd::pki::TrustStore;
use cccd::session::{AccessKeys, OpenOptions, ReadPlan, Session, SessionError};
use cccd::verify::Report;

/// How often a session may wait for a removed card to come back.
pub const MAX_RESUMES: usize = 3;

/// What one remote read is asked to do.
#[derive(Debug, Clone)]
pub struct ReadJob {
    /// The keys to open the chip with.
    pub keys: AccessKeys,
    /// How to open it (the BAC fallback policy).
    pub open: OpenOptions,
    /// Read the face too.
    pub face: bool,
    /// Claims, QR, time.
    pub request: Request,
}

/// A remote read that ended in a report.
#[derive(Debug)]
pub struct ReadDone {
    /// The files read (for the receipt's digests).
    pub document: Document,
    /// The report.
    pub report: Report,
    /// The report JSON.
    pub json: serde_json::Value,
}

/// A remote read that ended without a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadFailed {
    /// For programs.
    pub code: ErrorCode,
    /// For people; never personal data.
    pub message: String,
}

/// Open the card through the relay (access control, chip authentication with this server's
/// keys), read the plan (waiting for the card to come back after a removal, up to
/// [`MAX_RESUMES`] times), verify.
pub fn run(
    transport: &mut RelayTransport,
    job: &ReadJob,
    store: &TrustStore,
) -> Result<ReadDone, ReadFailed> {
    transport.progress("access", None);
    let progress = transport.progress_sender();
    let mut session = match Session::open_with(&mut *transport, &job.keys, job.open) {
        Ok(session) => session,
        Err(e) => return Err(failure(&e, transport.failure())),
    };
    let plan = if job.face {
        ReadPlan::with_face()
    } else {
        ReadPlan::verification()
    };
    let mut resumes = 0;
    let document = loop {
        let read = session.read(&plan, &mut |p| {
            progress.send("reading", Some((p.file.to_string(), p.done, p.total)));
        });
        match read {
            Ok(document) => break document,
            Err(SessionError::CardRemoved) if resumes < MAX_RESUMES => {
                resumes += 1;
                if !session.transport_mut().wait_for_card() {
                    // Whatever ended the wait, the cause is the card that did not come back.
                    return Err(failure(&SessionError::CardRemoved, None));
                }
                // Access control and chip authentication again: the card that came back must
                // be the same genuine chip.
                if let Err(e) = session.reconnect() {
                    let relay = session.transport_mut().failure();
                    return Err(failure(&e, relay));
                }
            }
            Err(e) => {
                let relay = session.transport_mut().failure();
                return Err(failure(&e, relay));
            }
        }
    };
    drop(session);
    transport.progress("verifying", None);
    let (report, json) = verify_document(&document, store, &job.request, Source::LiveRelay);
    Ok(ReadDone {
        document,
        report,
        json,
    })
}

/// The typed error for a failed session: the relay's own failure first (a timeout or a broken
/// device explains the transport error), then the session's.
fn failure(error: &SessionError, relay: Option<RelayFailure>) -> ReadFailed {
    let code = match (relay, error) {
        (Some(RelayFailure::ApduTimeout), _) => ErrorCode::ApduTimeout,
        (Some(RelayFailure::SessionTimeout), _) => ErrorCode::SessionTimeout,
        (Some(RelayFailure::Closed), _) => ErrorCode::BadMessage,
        (None, SessionError::AccessDenied { .. }) => ErrorCode::AccessDenied,
        (None, SessionError::CardRemoved) => ErrorCode::CardRemoved,
        (None, _) => ErrorCode::Card,
    };
    ReadFailed {
        code,
        message: error.to_string(),
    }
}
