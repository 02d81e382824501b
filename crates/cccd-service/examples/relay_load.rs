//! Load on loopback: N remote-read sessions, C at a time, each a relay client with the
//! in-process virtual chip of a valid sample card, against the real server (HTTP, WebSocket,
//! `Session` over `RelayTransport`, verify). Bounded in count; every session must end in a
//! report or a typed error, and the run says how many did which.
//!
//! ```sh
//! cargo run -p cccd-service --example relay_load --release -- 100 50 0,20,50,100
//! ```
//! Arguments: sessions (100), concurrency (50), round-trip times in ms (0), `face` to read DG2.

// Measurement code: counts and durations far below 2^52, percentiles of non-negative values.
#![allow(
    clippy::unwrap_used,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss
)]

use cccd_service::challenge::ChallengeIssuer;
use cccd_service::protocol::{ClaimsInput, DeviceMessage, KeyInput, PROTOCOL_VERSION};
use cccd_service::relay_client::{RelayOptions, RelayOutcome, SimCard, relay};
use cccd_service::server::{AppState, Limits, ServiceConfig};
use cccd_testkit::{CardEntry, cards, reference_date, testdata, trust_store};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn config() -> ServiceConfig {
    let trust = trust_store();
    let at = reference_date();
    let mut limits = Limits::default();
    limits.relay.apdu_timeout = Duration::from_secs(10);
    limits.relay.session_timeout = Duration::from_mins(2);
    ServiceConfig {
        trust,
        api_keys: Vec::new(),
        challenges: ChallengeIssuer::new(vec![1; 32], time::Duration::minutes(5)).unwrap(),
        receipts: None,
        limits,
        fixed_time: Some(at.midnight().assume_utc()),
    }
}

/// CPU seconds of this process (user + system), from /proc.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

struct Run {
    reports: usize,
    verified: usize,
    errors: Vec<String>,
    times: Vec<Duration>,
    apdus: u64,
}

fn run(
    url: &str,
    cards: &[CardEntry],
    sessions: usize,
    concurrency: usize,
    rtt: Duration,
    face: bool,
) -> Run {
    let next = Arc::new(Mutex::new(0usize));
    let results = Arc::new(Mutex::new(Run {
        reports: 0,
        verified: 0,
        errors: Vec::new(),
        times: Vec::new(),
        apdus: 0,
    }));
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (next, results, cards, url) = (
                next.clone(),
                results.clone(),
                cards.to_vec(),
                url.to_owned(),
            );
            std::thread::spawn(move || {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        if *n >= sessions {
                            return;
                        }
                        *n += 1;
                        *n - 1
                    };
                    let card = &cards[i % cards.len()];
                    let mut sim = SimCard::from_dump(
                        &testdata().join(&card.dir),
                        None,
                        cccd_sim::chip::ChipConfig::default(),
                    )
                    .unwrap();
                    let options = RelayOptions {
                        server: url.clone(),
                        api_key: None,
                        hello: DeviceMessage::Hello {
                            version: PROTOCOL_VERSION,
                            key: KeyInput {
                                can: Some(card.can.clone()),
                                ..KeyInput::default()
                            },
                            claims: ClaimsInput::default(),
                            qr: None,
                            face,
                            extended_length: true,
                        },
                        rtt,
                        timeout: Duration::from_mins(2),
                        tls: None,
                    };
                    let started = Instant::now();
                    let outcome = relay(&mut sim, &options, &mut |_| {});
                    let elapsed = started.elapsed();
                    let mut r = results.lock().unwrap();
                    r.times.push(elapsed);
                    match outcome {
                        Ok(RelayOutcome::Report { report, apdus, .. }) => {
                            r.reports += 1;
                            r.apdus += apdus;
                            if report["verdict"] == "verified" {
                                r.verified += 1;
                            }
                        }
                        Ok(RelayOutcome::Failed { code, .. }) => {
                            r.errors.push(code.as_str().to_owned());
                        }
                        Err(e) => r.errors.push(e.to_string()),
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    Arc::try_unwrap(results).ok().unwrap().into_inner().unwrap()
}

/// `requests` uploads to `/v1/verify` from 4 threads: requests per second and CPU per request.
fn verify_load(url: &str, cards: &[CardEntry], requests: usize) {
    use base64::Engine;
    let bodies: Vec<serde_json::Value> = cards
        .iter()
        .map(|card| {
            let dir = testdata().join(&card.dir);
            let mut files = serde_json::Map::new();
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    let data = base64::engine::general_purpose::STANDARD
                        .encode(std::fs::read(&path).unwrap());
                    files.insert(name, data.into());
                }
            }
            serde_json::json!({ "files": files })
        })
        .collect();
    let next = Arc::new(Mutex::new(0usize));
    let verified = Arc::new(Mutex::new(0usize));
    let cpu = cpu_seconds();
    let started = Instant::now();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (next, verified, bodies, url) = (
                next.clone(),
                verified.clone(),
                bodies.clone(),
                url.to_owned(),
            );
            std::thread::spawn(move || {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        if *n >= requests {
                            return;
                        }
                        *n += 1;
                        *n - 1
                    };
                    let mut response = ureq::post(&url)
                        .send_json(&bodies[i % bodies.len()])
                        .unwrap();
                    let report: serde_json::Value = response.body_mut().read_json().unwrap();
                    if report["verdict"] == "verified" {
                        *verified.lock().unwrap() += 1;
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let wall = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu;
    let verified = *verified.lock().unwrap();
    assert_eq!(verified, requests, "an upload was not verified");
    println!(
        "\n/v1/verify: {requests} JSON uploads from 4 threads: {:.0} requests/s, {:.2} ms CPU per request (server + client), all verified",
        requests as f64 / wall,
        cpu * 1000.0 / requests as f64
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sessions: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100);
    let concurrency: usize = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50)
        .max(1);
    let rtts: Vec<u64> = args.get(2).map_or_else(
        || vec![0],
        |a| a.split(',').filter_map(|x| x.parse().ok()).collect(),
    );
    let face = args.iter().any(|a| a == "face");
    let cards: Vec<CardEntry> = cards()
        .into_iter()
        .filter(|c| c.expected_verdict == "verified")
        .collect();

    let state = AppState::new(config());
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let served = state.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            cccd_service::server::serve(listener, served, std::future::pending())
                .await
                .unwrap();
        });
    });
    let url = format!("ws://{}/v1/read", addr_rx.recv().unwrap());
    println!(
        "| RTT | sessions | concurrency | plan | reports | verified | errors | sessions/s | p50 | p99 | APDUs/session | CPU ms/session (server + chips) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for rtt in rtts {
        let cpu = cpu_seconds();
        let started = Instant::now();
        let mut r = run(
            &url,
            &cards,
            sessions,
            concurrency,
            Duration::from_millis(rtt),
            face,
        );
        let wall = started.elapsed();
        let cpu = cpu_seconds() - cpu;
        r.times.sort();
        assert_eq!(r.reports + r.errors.len(), sessions, "a session was lost");
        println!(
            "| {rtt} ms | {sessions} | {concurrency} | {} | {} | {} | {} | {:.1} | {} ms | {} ms | {:.1} | {:.0} |",
            if face {
                "verification + face"
            } else {
                "verification"
            },
            r.reports,
            r.verified,
            if r.errors.is_empty() {
                "0".to_owned()
            } else {
                format!("{} ({:?})", r.errors.len(), r.errors.first())
            },
            sessions as f64 / wall.as_secs_f64(),
            percentile(&r.times, 0.5).as_millis(),
            percentile(&r.times, 0.99).as_millis(),
            r.apdus as f64 / r.reports.max(1) as f64,
            cpu * 1000.0 / sessions as f64,
        );
    }
    let verify_url = url
        .replace("ws://", "http://")
        .replace("/v1/read", "/v1/verify");
    verify_load(&verify_url, &cards, sessions * 5);
    println!(
        "\npeak RSS of the process (server + clients + chips): {:.0} MiB",
        peak_rss_mib()
    );
}
