//! The reader on a shared PC/SC stack, through the real pcscd and vpcd (reader 1):
//! - a card pulled mid-read and put back (`cccd simulate --control`) gives the same dump;
//! - `cccd readers --probe` during a read leaves the card alone, and the read completes;
//! - an empty EF.SOD is read as empty, the dump is written, and verification says why it
//!   fails;
//! - `scripts/with-pcscd.sh` never stops a pcscd it did not start.
//!
//! Ignored by plain `cargo test`; run under the shared lock:
//! `flock /tmp/cccd-pcscd.lock scripts/with-pcscd.sh cargo test -p cccd-cli --test shared_reader_pcsc -- --include-ignored`.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

mod support;
use cccd::document::Document;
use cccd_testkit::pcscd::{VPCD_READER_1 as READER, lock_reader, wait_while_present};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::time::{Duration, Instant};
use support::*;

const CARD: &str = "cards/v03-minh-rsa-pkcs1";

/// `cccd simulate --control --json`, driven through its stdin.
struct Controlled {
    child: Child,
    stdin: ChildStdin,
    events: BufReader<ChildStdout>,
}

impl Controlled {
    /// On a slow short-APDU link, so a read takes a few seconds.
    fn slow(dir: &Path) -> Self {
        Self::start(
            dir,
            &[
                "--no-extended",
                "--bit-rate",
                "106",
                "--apdu-latency-ms",
                "15",
            ],
        )
    }

    fn start(dir: &Path, extra: &[&str]) -> Self {
        let mut child = cccd()
            .arg("simulate")
            .arg(dir)
            .args(["--port", "35964", "--control", "--json"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let events = BufReader::new(child.stdout.take().unwrap());
        let mut sim = Self {
            child,
            stdin,
            events,
        };
        assert_eq!(sim.next_event()["event"], "inserted");
        sim
    }

    fn next_event(&mut self) -> serde_json::Value {
        let mut line = String::new();
        self.events.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"))
    }

    fn command(&mut self, what: &str) -> serde_json::Value {
        writeln!(self.stdin, "{what}").unwrap();
        self.stdin.flush().unwrap();
        self.next_event()
    }

    /// Wait until the chip has answered `n` APDUs since power-on.
    fn wait_for_apdus(&mut self, n: u64, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let status = self.command("status");
            if status["apdus"].as_u64().unwrap_or(0) >= n {
                return;
            }
            assert!(Instant::now() < deadline, "only {status} after {timeout:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Controlled {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        wait_while_present(READER);
    }
}

fn card() -> CardEntry {
    cards()
        .into_iter()
        .find(|c| c.dir == CARD)
        .expect("sample card in the manifest")
}

fn temp_out(tag: &str) -> PathBuf {
    let out = std::env::temp_dir().join(format!("cccd-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    out
}

/// `cccd read --face` of the sample card into `out`, in the background.
fn start_read(out: &Path) -> Child {
    let card = card();
    cccd()
        .args(["read", "--reader", READER, "--wait", "20", "--face", "-o"])
        .arg(out)
        .args(["--id", card.id_number.as_str()])
        .args(["--dob", card.dob.as_str()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Every file of the card the read plan asks for is in the dump, byte for byte.
fn assert_same_files(out: &Path, source: &Path) {
    let dumped = Document::load(out).unwrap();
    let card = Document::load(source).unwrap();
    for id in cccd::session::ReadPlan::with_face().files() {
        assert_eq!(dumped.get(*id), card.get(*id), "{id}");
    }
}

#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn a_card_pulled_mid_read_and_put_back_gives_the_same_dump() {
    let _g = lock_reader();
    let source = testdata().join(CARD);
    let mut sim = Controlled::slow(&source);
    let out = temp_out("pulled");
    let read = start_read(&out);
    // Well past opening (PACE, chip authentication: about 15 APDUs) and into the files.
    sim.wait_for_apdus(50, Duration::from_secs(30));
    assert_eq!(sim.command("remove")["event"], "removed");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(sim.command("insert")["event"], "inserted");
    let done = read.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("Waiting up to"),
        "no wait was announced: {stderr}"
    );
    assert!(stderr.contains("continuing the read"), "{stderr}");
    assert_same_files(&out, &source);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn a_probe_during_a_read_leaves_the_card_alone() {
    let _g = lock_reader();
    let source = testdata().join(CARD);
    let mut sim = Controlled::slow(&source);
    let out = temp_out("probed");
    let read = start_read(&out);
    sim.wait_for_apdus(30, Duration::from_secs(30));
    let probe = cccd()
        .args(["readers", "--probe", "--json"])
        .output()
        .unwrap();
    assert_eq!(probe.status.code(), Some(0));
    let rows: serde_json::Value = serde_json::from_slice(&probe.stdout).unwrap();
    let row = rows["readers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == READER)
        .unwrap()
        .clone();
    assert_eq!(row["in_use"], true, "{row}");
    assert!(row.get("emrtd").is_none(), "{row}");
    let done = read.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(0), "{stderr}");
    // The read never had to recover: no lost security status, no wait for the card.
    assert!(!stderr.contains("Waiting"), "{stderr}");
    assert_same_files(&out, &source);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn an_empty_sod_is_read_dumped_and_explained() {
    let _g = lock_reader();
    let source = temp_out("empty-sod-card").join("v03-minh-rsa-pkcs1");
    std::fs::create_dir_all(&source).unwrap();
    for entry in std::fs::read_dir(testdata().join(CARD)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), source.join(entry.file_name())).unwrap();
    }
    std::fs::write(source.join("EF.SOD"), b"").unwrap();
    let secrets = testdata().join("secrets").join("v03-minh-rsa-pkcs1");
    let secrets = secrets.to_str().unwrap();
    let _sim = Controlled::start(&source, &["--secrets", secrets]);
    let out = temp_out("empty-sod");
    let read = start_read(&out).wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&read.stderr);
    assert_eq!(read.status.code(), Some(0), "{stderr}");
    let dumped = Document::load(&out).unwrap();
    assert_eq!(dumped.get(cccd::lds::FileId::Sod), Some(&[][..]));
    let verify = cccd()
        .arg("verify")
        .arg(&out)
        .args(["--json", "--at", &reference_date()])
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(1));
    let report = json_of(&verify);
    let parse = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "sod.parse")
        .unwrap()
        .clone();
    assert_eq!(parse["status"], "fail");
    assert!(
        parse["reason"]
            .as_str()
            .unwrap()
            .contains("EF.SOD is empty"),
        "{parse}"
    );
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_dir_all(source.parent().unwrap());
}

#[test]
#[ignore = "needs pcscd + vsmartcard-vpcd; scripts/test.sh runs it"]
fn with_pcscd_never_stops_a_pcscd_it_did_not_start() {
    let pids = || {
        let out = std::process::Command::new("pgrep")
            .args(["-x", "pcscd"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let before = pids();
    assert!(!before.is_empty(), "this test needs a running pcscd");
    // A port nobody listens on: to the script, the running pcscd has no vpcd.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/with-pcscd.sh");
    let out = std::process::Command::new(script)
        .arg("true")
        .env("CCCD_VPCD_PORT", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("does not stop"), "{stderr}");
    assert!(stderr.contains("vsmartcard-vpcd"), "{stderr}");
    assert_eq!(pids(), before, "the running pcscd was stopped or replaced");
}
