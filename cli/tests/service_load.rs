//! Load on loopback, bounded in count and time: `CCCD_LOAD_SESSIONS` (default 100) `cccd relay
//! --sim` processes at once against one `cccd serve` process, first alone, then with
//! `/v1/verify` uploads from 4 client threads at the same time. Every session must end in a
//! report or a typed error (nothing lost, nothing hung), every upload in a report, and the
//! server's own counters must agree. Prints sessions/s, p50/p99 session time, the server's CPU
//! per session (from /proc/PID/stat) and its peak memory (VmHWM).
//!
//! ```sh
//! cargo test -p cccd-cli --release --test service_load -- --nocapture   # the figures
//! ```

// Measurement code: counts and durations far below 2^52, percentiles of non-negative values.
#![allow(
    clippy::unwrap_used,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss
)]

mod service_support;
mod support;
use service_support::Served;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::*;

/// The whole test's hard limit: a hang or a collapse fails instead of stalling CI.
const TIME_LIMIT: Duration = Duration::from_secs(150);
const UPLOAD_THREADS: usize = 4;

fn sessions() -> usize {
    std::env::var("CCCD_LOAD_SESSIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100)
}

/// User + system CPU seconds of a process, from /proc/PID/stat (clock ticks, `getconf CLK_TCK`).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let ticks = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / clock_ticks()
}

fn clock_ticks() -> f64 {
    let out = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// The peak resident set of a process (VmHWM), MiB.
fn peak_rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap()
        .parse()
        .unwrap();
    kb / 1024.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// How one relay process ended.
#[derive(Debug)]
enum Ended {
    Verified(Duration),
    /// A report with another verdict (none expected from valid cards).
    Report(String),
    /// A typed error from the server (`{"error": code}`, exit 2 or 3).
    TypedError(String),
}

/// One `cccd relay --sim` process for `card`; its time is the device's: start to exit.
fn relay_process(addr: &str, card: &CardEntry) -> Ended {
    let started = Instant::now();
    let out = cccd()
        .args(["relay", "--server", &format!("ws://{addr}/v1/read")])
        .arg("--sim")
        .arg(testdata().join(card.dir.as_str()))
        .args(["--can", card.can.as_str(), "--json"])
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "a session ended without a report or a typed error: exit {:?}, stderr {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    match (
        out.status.code(),
        json["verdict"].as_str(),
        json["error"].as_str(),
    ) {
        (Some(0), Some("verified"), None) => Ended::Verified(elapsed),
        (Some(1 | 4), Some(verdict), None) => Ended::Report(verdict.to_owned()),
        (Some(2 | 3), None, Some(code)) => Ended::TypedError(code.to_owned()),
        other => panic!("an untyped ending: {other:?} {json}"),
    }
}

/// `n` relay processes started together; their endings, in no particular order.
fn relay_wave(addr: &str, cards: &[CardEntry], n: usize) -> Vec<Ended> {
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let (addr, card) = (addr.to_owned(), cards[i % cards.len()].clone());
            std::thread::spawn(move || relay_process(&addr, &card))
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

/// JSON upload bodies (base64 files) of `cards`.
fn upload_bodies(cards: &[CardEntry]) -> Vec<serde_json::Value> {
    use base64::Engine;
    cards
        .iter()
        .map(|card| {
            let dir = testdata().join(card.dir.as_str());
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
        .collect()
}

/// Upload from [`UPLOAD_THREADS`] threads until `stop` is set (at least `minimum` uploads);
/// every verdict must be the manifest's dump-alone verdict. Returns the number of uploads.
fn upload_until(
    addr: &str,
    cards: &[CardEntry],
    minimum: usize,
    stop: &Arc<std::sync::atomic::AtomicBool>,
) -> usize {
    let bodies = Arc::new(upload_bodies(cards));
    let expected: Arc<Vec<String>> = Arc::new(
        cards
            .iter()
            .map(|c| c.expected_verdict_dump_alone.clone())
            .collect(),
    );
    let done = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..UPLOAD_THREADS)
        .map(|_| {
            let (bodies, expected, done, stop) =
                (bodies.clone(), expected.clone(), done.clone(), stop.clone());
            let url = format!("http://{addr}/v1/verify");
            std::thread::spawn(move || {
                let agent = ureq::Agent::new_with_defaults();
                loop {
                    let i = done.fetch_add(1, Ordering::SeqCst);
                    if stop.load(Ordering::SeqCst) && i >= minimum {
                        done.fetch_sub(1, Ordering::SeqCst);
                        return;
                    }
                    let mut response = agent
                        .post(&url)
                        .send_json(&bodies[i % bodies.len()])
                        .unwrap();
                    let report: serde_json::Value = response.body_mut().read_json().unwrap();
                    assert_eq!(report["verdict"], expected[i % expected.len()].as_str());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    done.load(Ordering::SeqCst)
}

struct Wave {
    verified: Vec<Duration>,
    other_reports: Vec<String>,
    typed_errors: Vec<String>,
    wall: Duration,
    server_cpu: f64,
}

fn summarize(endings: Vec<Ended>, wall: Duration, server_cpu: f64) -> Wave {
    let mut wave = Wave {
        verified: Vec::new(),
        other_reports: Vec::new(),
        typed_errors: Vec::new(),
        wall,
        server_cpu,
    };
    for ending in endings {
        match ending {
            Ended::Verified(t) => wave.verified.push(t),
            Ended::Report(v) => wave.other_reports.push(v),
            Ended::TypedError(e) => wave.typed_errors.push(e),
        }
    }
    wave.verified.sort();
    wave
}

fn print_row(label: &str, n: usize, wave: &Wave, extra: &str) {
    let times = &wave.verified;
    println!(
        "| {label} | {n} | {} | {} | {} | {:.1} | {} ms | {} ms | {:.1} ms | {extra} |",
        times.len(),
        wave.other_reports.len(),
        wave.typed_errors.len(),
        n as f64 / wave.wall.as_secs_f64(),
        percentile(times, 0.5).as_millis(),
        percentile(times, 0.99).as_millis(),
        wave.server_cpu * 1000.0 / n as f64,
    );
}

fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

#[test]
fn concurrent_relayed_sessions_and_uploads_all_end_in_reports() {
    let test_started = Instant::now();
    let n = sessions();
    // Generous per-APDU and per-session limits: this test measures throughput; the limits
    // themselves are tested in cccd-service's bad_clients.
    let served = Served::start(&[
        "--apdu-timeout-ms".into(),
        "30000".into(),
        "--session-timeout".into(),
        "120".into(),
        "--max-sessions".into(),
        (2 * n).to_string(),
    ]);
    let pid = served.pid();
    let cards: Vec<CardEntry> = cards()
        .into_iter()
        .filter(|c| c.expected_verdict == "verified")
        .collect();
    assert!(cards.len() >= 10);

    // Wave 1: the relays alone, so the server's CPU is theirs.
    let cpu = cpu_seconds(pid);
    let started = Instant::now();
    let endings = relay_wave(&served.addr, &cards, n);
    let alone = summarize(endings, started.elapsed(), cpu_seconds(pid) - cpu);

    // Wave 2: the same relays while 4 threads upload dumps to /v1/verify.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let uploader = {
        let (addr, cards, stop) = (served.addr.clone(), cards.clone(), stop.clone());
        std::thread::spawn(move || upload_until(&addr, &cards, n, &stop))
    };
    let cpu = cpu_seconds(pid);
    let started = Instant::now();
    let endings = relay_wave(&served.addr, &cards, n);
    let relays_wall = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let uploads = uploader.join().unwrap();
    let upload_wall = started.elapsed();
    let mixed = summarize(endings, relays_wall, cpu_seconds(pid) - cpu);

    let peak = peak_rss_mib(pid);
    let metrics = ureq::get(&format!("http://{}/metrics", served.addr))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    drop(served);

    println!(
        "\n| load | sessions | verified | other reports | typed errors | sessions/s | p50 | p99 | server CPU/session | uploads |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    print_row("relays alone", n, &alone, "-");
    print_row(
        "relays + uploads",
        n,
        &mixed,
        &format!(
            "{uploads} ({:.0}/s; CPU/session includes them)",
            uploads as f64 / upload_wall.as_secs_f64()
        ),
    );
    println!(
        "server peak RSS (VmHWM): {peak:.1} MiB; whole test {:?}",
        test_started.elapsed()
    );

    for wave in [&alone, &mixed] {
        // Nothing lost: every process ended in one of the three ways above (anything else
        // panicked), and on loopback with valid cards every one is a verified report.
        assert_eq!(
            wave.verified.len(),
            n,
            "reports {:?}, typed errors {:?}",
            wave.other_reports,
            wave.typed_errors
        );
    }
    assert!(uploads >= n, "{uploads} uploads");
    // The server counted the same: 2n reports, nothing still open, n+ upload verdicts.
    assert_eq!(
        metric(&metrics, "cccd_read_sessions_total{outcome=\"report\"}") as usize,
        2 * n,
        "{metrics}"
    );
    assert_eq!(metric(&metrics, "cccd_read_sessions_open") as usize, 0);
    assert!(
        test_started.elapsed() < TIME_LIMIT,
        "the load test took {:?}",
        test_started.elapsed()
    );
}
