//! Broken, hostile and silent devices: each ends its own session with a typed error, and the
//! server keeps serving a good session running at the same time.

#![allow(clippy::unwrap_used)]

mod support;
use cccd_service::protocol::{DeviceMessage, ErrorCode, ServerMessage};
use cccd_service::relay_client::{RelayOutcome, relay};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use support::*;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

fn open(server: &TestServer) -> Socket {
    let (socket, _) = tungstenite::connect(server.ws_url()).unwrap();
    if let MaybeTlsStream::Plain(s) = socket.get_ref() {
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    }
    socket
}

/// Read server messages until an error (returned) or the connection ends (`None`).
fn final_error(socket: &mut Socket) -> Option<ErrorCode> {
    loop {
        match socket.read() {
            Ok(Message::Text(text)) => {
                if let Ok(ServerMessage::Error { code, .. }) = serde_json::from_str(text.as_str()) {
                    return Some(code);
                }
            }
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

fn hello_text() -> String {
    serde_json::to_string(&hello_for(&card("v01-hung-ec-bp384"))).unwrap()
}

/// Send the hello, then read up to the first command.
fn first_command(socket: &mut Socket) -> u64 {
    socket.send(Message::text(hello_text())).unwrap();
    loop {
        let Message::Text(text) = socket.read().unwrap() else {
            continue;
        };
        if let ServerMessage::Command { seq, .. } = serde_json::from_str(text.as_str()).unwrap() {
            return seq;
        }
    }
}

/// Run a good relayed session on another thread while `bad` runs here.
fn with_good_session_alongside(server: &TestServer, bad: impl FnOnce()) {
    let card = card("v03-minh-rsa-pkcs1");
    let options = options(server, &card);
    let good = std::thread::spawn(move || {
        let mut sim = sim_card(&card);
        let mut rtt_sim = options.clone();
        rtt_sim.rtt = Duration::from_millis(20);
        relay(&mut sim, &rtt_sim, &mut |_| {}).unwrap()
    });
    bad();
    let outcome = good.join().unwrap();
    let RelayOutcome::Report { report, .. } = outcome else {
        panic!("the good session failed: {outcome:?}");
    };
    assert_eq!(report["verdict"], "verified");
}

#[test]
fn malformed_messages_close_only_their_session() {
    let server = TestServer::start(config());
    with_good_session_alongside(&server, || {
        let mut socket = open(&server);
        socket.send(Message::text("{not json")).unwrap();
        assert_eq!(final_error(&mut socket), Some(ErrorCode::BadMessage));

        let mut socket = open(&server);
        socket
            .send(Message::text(
                r#"{"type":"hello","version":1,"key":{"can":"1"},"x":1}"#,
            ))
            .unwrap();
        assert_eq!(final_error(&mut socket), Some(ErrorCode::BadMessage));

        let mut socket = open(&server);
        socket.send(Message::binary(vec![1, 2, 3])).unwrap();
        assert_eq!(final_error(&mut socket), Some(ErrorCode::BadMessage));

        let mut socket = open(&server);
        let seq = first_command(&mut socket);
        let bad_hex = DeviceMessage::Response {
            seq,
            apdu: "zz90".into(),
        };
        socket
            .send(Message::text(serde_json::to_string(&bad_hex).unwrap()))
            .unwrap();
        assert_eq!(final_error(&mut socket), Some(ErrorCode::BadMessage));

        let mut socket = open(&server);
        let hello = r#"{"type":"hello","version":2,"key":{"can":"082497"}}"#;
        socket.send(Message::text(hello)).unwrap();
        assert_eq!(
            final_error(&mut socket),
            Some(ErrorCode::UnsupportedVersion)
        );

        let mut socket = open(&server);
        socket
            .send(Message::text(r#"{"type":"hello","version":1,"key":{}}"#))
            .unwrap();
        assert_eq!(final_error(&mut socket), Some(ErrorCode::BadInput));
    });
}

#[test]
fn oversized_messages_close_only_their_session() {
    let server = TestServer::start(config());
    with_good_session_alongside(&server, || {
        // Over the protocol limit: answered with too_large.
        let mut socket = open(&server);
        let seq = first_command(&mut socket);
        let big = DeviceMessage::Response {
            seq,
            apdu: "00".repeat(100_000),
        };
        socket
            .send(Message::text(serde_json::to_string(&big).unwrap()))
            .unwrap();
        assert_eq!(final_error(&mut socket), Some(ErrorCode::TooLarge));
        // Far over: cut off by the WebSocket layer; the connection ends either way.
        let mut socket = open(&server);
        let _ = socket.send(Message::text("x".repeat(2_000_000)));
        assert!(matches!(
            final_error(&mut socket),
            None | Some(ErrorCode::TooLarge)
        ));
    });
}

#[test]
fn out_of_order_messages_close_only_their_session() {
    let server = TestServer::start(config());
    with_good_session_alongside(&server, || {
        // An answer before any command.
        let mut socket = open(&server);
        socket.send(Message::text(hello_text())).unwrap();
        let early = DeviceMessage::Response {
            seq: 7,
            apdu: "9000".into(),
        };
        socket
            .send(Message::text(serde_json::to_string(&early).unwrap()))
            .unwrap();
        assert_eq!(final_error(&mut socket), Some(ErrorCode::OutOfOrder));
        // An answer to the wrong command.
        let mut socket = open(&server);
        let seq = first_command(&mut socket);
        let wrong = DeviceMessage::Response {
            seq: seq + 1,
            apdu: "9000".into(),
        };
        socket
            .send(Message::text(serde_json::to_string(&wrong).unwrap()))
            .unwrap();
        assert_eq!(final_error(&mut socket), Some(ErrorCode::OutOfOrder));
        // A response first, instead of the hello.
        let mut socket = open(&server);
        socket
            .send(Message::text(serde_json::to_string(&early).unwrap()))
            .unwrap();
        assert_eq!(final_error(&mut socket), Some(ErrorCode::OutOfOrder));
    });
}

#[test]
fn a_device_that_stops_answering_is_timed_out() {
    let mut config = config();
    config.limits.relay.apdu_timeout = std::time::Duration::from_millis(500);
    let server = TestServer::start(config);
    with_good_session_alongside(&server, || {
        let mut socket = open(&server);
        let started = Instant::now();
        first_command(&mut socket);
        assert_eq!(final_error(&mut socket), Some(ErrorCode::ApduTimeout));
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        // Silent from the start: no hello.
        let mut socket = open(&server);
        assert_eq!(final_error(&mut socket), Some(ErrorCode::ApduTimeout));
    });
}

#[test]
fn the_session_limit_refuses_extra_sessions_with_503() {
    let mut config = config();
    config.limits.max_sessions = 1;
    let server = TestServer::start(config);
    let mut first = open(&server);
    first_command(&mut first);
    let refused = tungstenite::connect(server.ws_url());
    match refused {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 503),
        other => panic!("expected 503, got {:?}", other.map(|_| ())),
    }
    drop(first);
}

#[test]
fn a_session_over_its_time_limit_ends_with_session_timeout() {
    let mut config = config();
    config.limits.relay.session_timeout = Duration::from_millis(1500);
    let server = TestServer::start(config);
    // A device that answers every command, but slowly: ~23 round trips of 200 ms each
    // (4.6 s) cannot finish within the 1.5 s session limit, though no single answer is late.
    let card = card("v01-hung-ec-bp384");
    let mut sim = sim_card(&card);
    let mut slow = options(&server, &card);
    slow.rtt = Duration::from_millis(200);
    let started = Instant::now();
    let outcome = relay(&mut sim, &slow, &mut |_| {}).unwrap();
    assert!(
        matches!(
            outcome,
            RelayOutcome::Failed {
                code: ErrorCode::SessionTimeout,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    // A quick session on the same server is still served.
    let mut sim = sim_card(&card);
    let outcome = relay(&mut sim, &options(&server, &card), &mut |_| {}).unwrap();
    assert!(
        matches!(outcome, RelayOutcome::Report { .. }),
        "{outcome:?}"
    );
}
