//! `POST /v1/verify` against `cccd verify --batch` on the same dumps, interleaved in one run,
//! each on one core (CPU 0, `taskset`), so the ratio holds on a shared machine. The figure of
//! merit is dumps per CPU-second of the verifying process (the server's from /proc/PID/stat,
//! the batch's from this process's waited-for-children times), i.e. throughput per core; wall
//! rates are printed beside it. The clients run in this process, meant to be pinned to
//! another core:
//!
//! ```sh
//! cargo build --release -p cccd-cli --bin cccd --example service_vs_batch
//! taskset -c 1 target/release/examples/service_vs_batch [DUMPS=1000] [ROUNDS=3]
//! ```
//!
//! The dumps are the sample cards (all of them, valid and broken) cycled to DUMPS; the batch
//! reads them as a folder of symlinks, the service receives each as a multipart upload (the
//! files as they are) and as a JSON upload (base64). Both must reach the same verdicts.

// Measurement code: counts and durations far below 2^52.
#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

use cccd_testkit::{Manifest, manifest, testdata};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

const CLIENT_THREADS: usize = 4;

/// `cccd` beside this example's directory (target/PROFILE/cccd).
fn cccd_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("cccd");
    assert!(bin.is_file(), "build it first: {}", bin.display());
    bin
}

fn common_args(m: &Manifest) -> Vec<String> {
    let mut args = vec!["--at".to_owned(), m.reference_date.clone()];
    for a in &m.trust_anchors {
        args.push("--csca".into());
        args.push(testdata().join(a).display().to_string());
    }
    for c in &m.crls {
        args.push("--crl".into());
        args.push(testdata().join(c).display().to_string());
    }
    args
}

/// CPU seconds (user + system): of process `pid`, or (`None`) of this process's waited-for
/// children (/proc/self/stat cutime + cstime).
fn cpu_seconds(pid: Option<u32>) -> f64 {
    let path = pid.map_or_else(
        || "/proc/self/stat".to_owned(),
        |p| format!("/proc/{p}/stat"),
    );
    let stat = std::fs::read_to_string(path).unwrap();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    // After ")": field 3 is [0]; utime 14, stime 15, cutime 16, cstime 17.
    let (u, s) = if pid.is_some() { (11, 12) } else { (13, 14) };
    let ticks = fields[u].parse::<f64>().unwrap() + fields[s].parse::<f64>().unwrap();
    let hz: f64 = String::from_utf8_lossy(
        &Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .unwrap()
            .stdout,
    )
    .trim()
    .parse()
    .unwrap();
    ticks / hz
}

/// One measured run: dumps, wall seconds, CPU seconds of the verifier, verdict counts.
struct Measured {
    dumps: usize,
    wall: f64,
    cpu: f64,
    verdicts: BTreeMap<String, usize>,
}

fn batch(bin: &Path, dir: &Path, args: &[String]) -> Measured {
    let cpu = cpu_seconds(None);
    let started = Instant::now();
    let out = Command::new("taskset")
        .args(["-c", "0"])
        .arg(bin)
        .args(["verify", "--batch"])
        .arg(dir)
        .arg("--json")
        .args(args)
        .env("RAYON_NUM_THREADS", "1")
        .stderr(Stdio::null())
        .output()
        .unwrap();
    let wall = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds(None) - cpu;
    let mut verdicts = BTreeMap::new();
    let mut dumps = 0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let json: serde_json::Value = serde_json::from_str(line).unwrap();
        *verdicts
            .entry(json["verdict"].as_str().unwrap_or("unreadable").to_owned())
            .or_default() += 1;
        dumps += 1;
    }
    Measured {
        dumps,
        wall,
        cpu,
        verdicts,
    }
}

/// A request body and its content type.
type Body = (String, Vec<u8>);

fn multipart(dir: &Path) -> Body {
    let boundary = "cccd-bench-boundary-41c9";
    let mut body = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(&std::fs::read(&path).unwrap());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn json(dir: &Path) -> Body {
    use base64::Engine;
    let mut files = serde_json::Map::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let data =
                base64::engine::general_purpose::STANDARD.encode(std::fs::read(&path).unwrap());
            files.insert(name, data.into());
        }
    }
    let body = serde_json::to_vec(&serde_json::json!({ "files": files })).unwrap();
    ("application/json".to_owned(), body)
}

/// `dumps` uploads of `bodies` (cycled) from [`CLIENT_THREADS`] keep-alive clients.
fn service(url: &str, server_pid: u32, bodies: &[Body], dumps: usize) -> Measured {
    let bodies = Arc::new(bodies.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let verdicts = Arc::new(Mutex::new(BTreeMap::<String, usize>::new()));
    let cpu = cpu_seconds(Some(server_pid));
    let started = Instant::now();
    let threads: Vec<_> = (0..CLIENT_THREADS)
        .map(|_| {
            let (bodies, next, verdicts, url) = (
                bodies.clone(),
                next.clone(),
                verdicts.clone(),
                url.to_owned(),
            );
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .into();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= dumps {
                        return;
                    }
                    let (content_type, body) = &bodies[i % bodies.len()];
                    let mut response = agent
                        .post(&url)
                        .header("Content-Type", content_type)
                        .send(&body[..])
                        .unwrap();
                    let report: serde_json::Value = response.body_mut().read_json().unwrap();
                    // A dump that cannot be loaded is a 400 here, a line without a verdict
                    // in the batch.
                    let verdict = report["verdict"]
                        .as_str()
                        .unwrap_or("unreadable")
                        .to_owned();
                    *verdicts.lock().unwrap().entry(verdict).or_default() += 1;
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let wall = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds(Some(server_pid)) - cpu;
    let verdicts = verdicts.lock().unwrap().clone();
    Measured {
        dumps,
        wall,
        cpu,
        verdicts,
    }
}

fn row(label: &str, round: usize, m: &Measured) {
    println!(
        "| {round} | {label} | {} | {:.2} s | {:.0}/s | {:.2} s | **{:.0}** | {:.2} ms |",
        m.dumps,
        m.wall,
        m.dumps as f64 / m.wall,
        m.cpu,
        m.dumps as f64 / m.cpu,
        m.cpu * 1000.0 / m.dumps as f64,
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dumps: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let m = manifest();
    let bin = cccd_binary();
    let common = common_args(&m);
    let cards: Vec<PathBuf> = m.cards.iter().map(|c| testdata().join(&c.dir)).collect();

    // The batch's folder: DUMPS symlinks to the sample dumps, cycled in manifest order.
    let folder = tempfile::tempdir().unwrap();
    for i in 0..dumps {
        let card = &cards[i % cards.len()];
        let link = folder.path().join(format!(
            "{i:06}-{}",
            card.file_name().unwrap().to_string_lossy()
        ));
        std::os::unix::fs::symlink(std::fs::canonicalize(card).unwrap(), link).unwrap();
    }
    let multipart_bodies: Vec<Body> = cards.iter().map(|c| multipart(c)).collect();
    let json_bodies: Vec<Body> = cards.iter().map(|c| json(c)).collect();

    let mut server = Command::new("taskset")
        .args(["-c", "0"])
        .arg(&bin)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(&common)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let url = format!("http://{addr}/v1/verify");
    // Warm-up: the service's first requests (and the page cache for the batch).
    let _ = service(&url, server.id(), &json_bodies, cards.len());
    let _ = batch(&bin, folder.path(), &common);

    println!(
        "| round | verifier (one core) | dumps | wall | dumps/s wall | CPU | **dumps per CPU-second** | CPU per dump |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut totals: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    for round in 1..=rounds {
        let runs = [
            ("cccd verify --batch", batch(&bin, folder.path(), &common)),
            (
                "POST /v1/verify multipart",
                service(&url, server.id(), &multipart_bodies, dumps),
            ),
            (
                "POST /v1/verify JSON",
                service(&url, server.id(), &json_bodies, dumps),
            ),
        ];
        let reference = runs[0].1.verdicts.clone();
        for (label, measured) in &runs {
            assert_eq!(measured.dumps, dumps, "{label}: dumps lost");
            assert_eq!(
                measured.verdicts, reference,
                "{label}: other verdicts than the batch"
            );
            row(label, round, measured);
            let total = totals.entry(label).or_default();
            total.0 += measured.cpu;
            total.1 += measured.dumps;
        }
    }
    let batch_rate = {
        let (cpu, n) = totals["cccd verify --batch"];
        n as f64 / cpu
    };
    println!("\nAll rounds, dumps per CPU-second and the ratio to the batch:");
    for (label, (cpu, n)) in &totals {
        let rate = *n as f64 / cpu;
        println!(
            "- {label}: {rate:.0}/CPU-s ({:.2} of the batch)",
            rate / batch_rate
        );
    }
    let _ = server.kill();
    let _ = server.wait();
}
