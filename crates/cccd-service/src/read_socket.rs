//! `GET /v1/read`: one WebSocket per card session. This task speaks the relay protocol with
//! the device and checks the order of its messages; the session itself runs on a blocking
//! thread (`remote_read`) over a [`RelayTransport`]. Anything wrong with one connection ends
//! that connection only.

use crate::protocol::{
    DeviceMessage, ErrorCode, MAX_DEVICE_MESSAGE, PROTOCOL_VERSION, ServerMessage,
};
use crate::receipt::ReceiptClaims;
use crate::relay_transport::{FromDevice, RelayTransport, ToDevice};
use crate::remote_read::{self, ReadDone, ReadFailed, ReadJob};
use crate::server::{AppState, error_response};
use crate::verification::{Request, file_digests};
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;
use tokio::sync::{OwnedSemaphorePermit, mpsc as tokio_mpsc};
use tracing::Instrument;

/// The upgrade: refused with `503` at the concurrent-session limit.
pub async fn upgrade(State(state): State<Arc<AppState>>, ws: WebSocketUpgrade) -> Response {
    let Ok(permit) = state.sessions.clone().try_acquire_owned() else {
        state
            .metrics
            .refused
            .get_or_create(&vec![("reason", "busy")])
            .inc();
        return error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "at the concurrent-session limit; retry later",
        );
    };
    // Twice the protocol limit at the WebSocket layer, so a moderately oversized message is
    // answered with `too_large` by this task; anything larger is cut off by the layer itself.
    ws.max_message_size(2 * MAX_DEVICE_MESSAGE)
        .max_frame_size(2 * MAX_DEVICE_MESSAGE)
        .on_upgrade(move |socket| session(socket, state, permit))
}

type Failure = (ErrorCode, String);

fn failure(code: ErrorCode, message: impl Into<String>) -> Failure {
    (code, message.into())
}

async fn session(socket: WebSocket, state: Arc<AppState>, permit: OwnedSemaphorePermit) {
    let mut id = [0u8; 16];
    rand::fill(&mut id);
    let session_id = cccd::hex::encode(&id);
    let span = tracing::info_span!("read", session = %session_id);
    logged_session(socket, state, permit, session_id)
        .instrument(span)
        .await;
}

async fn logged_session(
    mut socket: WebSocket,
    state: Arc<AppState>,
    permit: OwnedSemaphorePermit,
    session_id: String,
) {
    let started = Instant::now();
    state.metrics.sessions_open.inc();
    let outcome = run(&mut socket, &state, &session_id).await;
    let label = match &outcome {
        Ok(done) => {
            state.metrics.verdict("read", done.report.verdict);
            "report"
        }
        Err((code, _)) => code.as_str(),
    };
    let message = match outcome {
        Ok(done) => result_message(&state, &session_id, done),
        Err((code, message)) => ServerMessage::Error { code, message },
    };
    // Book-keeping before the last message: once the device has its result, the session is
    // over for the metrics and for the concurrent-session limit.
    state
        .metrics
        .sessions
        .get_or_create(&vec![("outcome", label)])
        .inc();
    state.metrics.sessions_open.dec();
    state
        .metrics
        .session_seconds
        .observe(started.elapsed().as_secs_f64());
    tracing::info!(
        outcome = label,
        millis = started.elapsed().as_millis() as u64,
        "session ended"
    );
    drop(permit);
    let _ = send(&mut socket, &message).await;
    let _ = socket.send(Message::Close(None)).await;
}

fn result_message(state: &AppState, session_id: &str, done: ReadDone) -> ServerMessage {
    let receipt = state.config.receipts.as_ref().map(|signer| {
        signer.sign(&ReceiptClaims {
            report: done.json.clone(),
            session_id: session_id.to_owned(),
            challenge: done
                .document
                .meta
                .active_authentication
                .as_ref()
                .map(|aa| aa.challenge.clone()),
            iat: time::OffsetDateTime::now_utc().unix_timestamp(),
            files: file_digests(&done.document).into_iter().collect(),
            tool: format!("cccd {}", env!("CARGO_PKG_VERSION")),
        })
    });
    ServerMessage::Result {
        session_id: session_id.to_owned(),
        report: done.json,
        receipt,
    }
}

async fn send(socket: &mut WebSocket, message: &ServerMessage) -> Result<(), Failure> {
    let text =
        serde_json::to_string(message).map_err(|e| failure(ErrorCode::Internal, e.to_string()))?;
    socket
        .send(Message::Text(text.into()))
        .await
        .map_err(|_| failure(ErrorCode::BadMessage, "the device disconnected"))
}

/// The next protocol message from the device.
async fn receive(socket: &mut WebSocket) -> Result<DeviceMessage, Failure> {
    loop {
        let message = match socket.recv().await {
            Some(Ok(message)) => message,
            Some(Err(_)) => {
                return Err(failure(
                    ErrorCode::TooLarge,
                    "the WebSocket failed (a message over the size limit, or a broken frame)",
                ));
            }
            None => return Err(failure(ErrorCode::BadMessage, "the device disconnected")),
        };
        let text = match message {
            Message::Text(text) => text,
            Message::Ping(_) | Message::Pong(_) => continue,
            Message::Close(_) => {
                return Err(failure(
                    ErrorCode::BadMessage,
                    "the device closed the session",
                ));
            }
            Message::Binary(_) => {
                return Err(failure(
                    ErrorCode::BadMessage,
                    "binary messages are not part of protocol v1",
                ));
            }
        };
        if text.len() > MAX_DEVICE_MESSAGE {
            return Err(failure(
                ErrorCode::TooLarge,
                format!(
                    "a message of {} bytes; the limit is {MAX_DEVICE_MESSAGE}",
                    text.len()
                ),
            ));
        }
        return serde_json::from_str(text.as_str()).map_err(|e| {
            failure(
                ErrorCode::BadMessage,
                format!("not a protocol v1 message: {e}"),
            )
        });
    }
}

async fn run(
    socket: &mut WebSocket,
    state: &Arc<AppState>,
    session_id: &str,
) -> Result<ReadDone, Failure> {
    let limits = state.config.limits.relay;
    let hello = tokio::time::timeout(limits.apdu_timeout, receive(socket))
        .await
        .map_err(|_| failure(ErrorCode::ApduTimeout, "no hello in time"))??;
    let (job, extended_length) = job_from_hello(hello, state)?;
    send(
        socket,
        &ServerMessage::Ready {
            version: PROTOCOL_VERSION,
            session_id: session_id.to_owned(),
        },
    )
    .await?;
    let (to_device, mut outgoing) = tokio_mpsc::channel(32);
    let (incoming, from_device) = mpsc::channel();
    let mut transport = RelayTransport::new(to_device, from_device, limits, extended_length);
    let worker_state = state.clone();
    let worker = tokio::task::spawn_blocking(move || {
        let outcome = remote_read::run(&mut transport, &job, &worker_state.config.trust);
        worker_state.metrics.apdus.inc_by(transport.apdus());
        outcome
    });
    // The session thread ends on its own once `incoming` is dropped (its next wait fails).
    let pumped = tokio::time::timeout(
        limits.session_timeout,
        pump(socket, &mut outgoing, &incoming),
    )
    .await;
    drop(incoming);
    match pumped {
        Err(_) => {
            return Err(failure(
                ErrorCode::SessionTimeout,
                "the session took longer than allowed",
            ));
        }
        Ok(Err(e)) => return Err(e),
        Ok(Ok(())) => {}
    }
    match worker.await {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(ReadFailed { code, message })) => Err((code, message)),
        Err(_) => Err(failure(ErrorCode::Internal, "the session thread failed")),
    }
}

fn job_from_hello(hello: DeviceMessage, state: &AppState) -> Result<(ReadJob, bool), Failure> {
    let DeviceMessage::Hello {
        version,
        key,
        claims,
        qr,
        face,
        extended_length,
    } = hello
    else {
        return Err(failure(
            ErrorCode::OutOfOrder,
            "the first message must be a hello",
        ));
    };
    if version != PROTOCOL_VERSION {
        return Err(failure(
            ErrorCode::UnsupportedVersion,
            format!("protocol version {version}; this server speaks {PROTOCOL_VERSION}"),
        ));
    }
    let bad = |e: crate::inputs::InputError| failure(ErrorCode::BadInput, e.to_string());
    let at = state.now();
    let keys = crate::inputs::access_keys(&key, at.date()).map_err(bad)?;
    let (claims, name_match) = crate::inputs::claims(&claims).map_err(bad)?;
    let qr = crate::inputs::qr(qr.as_deref()).map_err(bad)?;
    let request = Request {
        claims,
        name_match,
        qr,
        aa_challenge: None,
        at,
    };
    Ok((
        ReadJob {
            keys,
            open: crate::inputs::open_options(&key),
            face,
            request,
        },
        extended_length,
    ))
}

/// Carry commands out and answers in until the session thread finishes. Each answer must
/// name the pending command; anything else ends this session.
async fn pump(
    socket: &mut WebSocket,
    outgoing: &mut tokio_mpsc::Receiver<ToDevice>,
    incoming: &mpsc::Sender<FromDevice>,
) -> Result<(), Failure> {
    let mut pending: Option<u64> = None;
    loop {
        tokio::select! {
            out = outgoing.recv() => {
                let message = match out {
                    None => return Ok(()),
                    Some(ToDevice::Command { seq, apdu }) => {
                        pending = Some(seq);
                        ServerMessage::Command { seq, apdu: cccd::hex::encode(&apdu) }
                    }
                    Some(ToDevice::Progress { stage, file }) => ServerMessage::Progress {
                        stage: stage.to_owned(),
                        file: file.as_ref().map(|f| f.0.clone()),
                        done: file.as_ref().map(|f| f.1),
                        total: file.as_ref().map(|f| f.2),
                    },
                };
                send(socket, &message).await?;
            }
            message = receive(socket) => {
                let answer = match message? {
                    DeviceMessage::Response { seq, apdu } if pending == Some(seq) => {
                        let bytes = crate::protocol::decode_apdu(&apdu)
                            .filter(|b| b.len() >= 2)
                            .ok_or_else(|| failure(ErrorCode::BadMessage, "the response APDU is not hex of 2 bytes or more"))?;
                        FromDevice::Response(bytes)
                    }
                    DeviceMessage::CardRemoved { seq } if pending == Some(seq) => FromDevice::CardRemoved,
                    DeviceMessage::CardPresent if pending.is_none() => FromDevice::CardPresent,
                    DeviceMessage::Response { seq, .. } | DeviceMessage::CardRemoved { seq } => {
                        return Err(failure(ErrorCode::OutOfOrder, format!("an answer to command {seq}, but the pending command is {pending:?}")));
                    }
                    DeviceMessage::CardPresent | DeviceMessage::Hello { .. } => {
                        return Err(failure(ErrorCode::OutOfOrder, "a message the session did not expect now"));
                    }
                };
                pending = None;
                // When the session thread has already finished, the answer has no reader; the
                // loop drains the thread's last messages until its channel closes.
                let _ = incoming.send(answer);
            }
        }
    }
}
