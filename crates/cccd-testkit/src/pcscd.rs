//! Fixtures for the tests that run through the real pcscd and vsmartcard's vpcd driver: a
//! card put into a vpcd reader (in process, or by a `cccd simulate` child), waiting until
//! pcscd reports it, and leaving the reader empty for the next test.
//!
//! vpcd serves one card per reader and pcscd is one daemon for the whole machine: tests take
//! [`lock_reader`] within a binary, and the whole run is under the shared `flock` of
//! COMMON.md / scripts/with-pcscd.sh.

use cccd::transport::pcsc::{list_readers, wait_for_card};
use cccd_sim::vpcd::{Card, VpcdConnection};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

pub use cccd_sim::vpcd::{VPCD_PORT_0, VPCD_PORT_1, VPCD_READER_0, VPCD_READER_1};

/// How long pcscd gets to notice a card arriving or leaving.
pub const SETTLE: Duration = Duration::from_secs(10);

static READER_LOCK: Mutex<()> = Mutex::new(());

/// One card at a time in the readers of this test binary (a failed test does not poison it).
pub fn lock_reader() -> MutexGuard<'static, ()> {
    READER_LOCK.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether pcscd reports a card in `reader` (false when pcscd cannot be asked).
pub fn card_present(reader: &str) -> bool {
    list_readers()
        .unwrap_or_default()
        .iter()
        .any(|r| r.name == reader && r.card_present)
}

/// Wait up to [`SETTLE`] until pcscd reports `reader` empty; whether it did.
pub fn wait_until_empty(reader: &str) -> bool {
    let deadline = Instant::now() + SETTLE;
    while Instant::now() < deadline {
        if list_readers()
            .unwrap_or_default()
            .iter()
            .any(|r| r.name == reader && !r.card_present)
        {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// As [`wait_until_empty`], failing the test when the card never left.
pub fn assert_empties(reader: &str) {
    assert!(
        wait_until_empty(reader),
        "pcscd never noticed the card leaving {reader}"
    );
}

/// Wait up to [`SETTLE`] while pcscd still reports a card in `reader` (a card left by an
/// earlier test or binary), without failing.
pub fn wait_while_present(reader: &str) {
    let deadline = Instant::now() + SETTLE;
    while Instant::now() < deadline && card_present(reader) {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Put `card` into the vpcd reader listening on `port` (in this process) and wait until pcscd
/// reports it in `reader`.
pub fn insert<C: Card + 'static>(card: C, port: u16, reader: &str) -> VpcdConnection<C> {
    let conn = VpcdConnection::insert(("127.0.0.1", port), card, SETTLE).unwrap_or_else(|e| {
        panic!("vpcd is not listening on {port}: is pcscd running with vsmartcard-vpcd? {e}")
    });
    wait_for_card(Some(reader), SETTLE)
        .unwrap_or_else(|e| panic!("{reader}: the card never arrived: {e}"));
    conn
}

/// A card served by a child process (`cccd simulate ...`) into a vpcd reader. Dropping it
/// kills the child and waits until pcscd has seen the card leave, so the next card starts
/// clean.
pub struct Simulated {
    child: Child,
    reader: String,
}

impl Simulated {
    /// Spawn `command` (its output discarded) and wait until pcscd reports a card in `reader`;
    /// one retry if vpcd was still settling after the previous card. `what` names the card
    /// in the failure message.
    pub fn start(mut command: impl FnMut() -> Command, reader: &str, what: &str) -> Self {
        for _attempt in 0..2 {
            let child = command()
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("{what}: the simulator did not start: {e}"));
            let mut sim = Self {
                child,
                reader: reader.to_owned(),
            };
            let deadline = Instant::now() + SETTLE;
            while Instant::now() < deadline {
                if card_present(reader) {
                    return sim;
                }
                if let Ok(Some(status)) = sim.child.try_wait() {
                    panic!("{what}: the simulator exited: {status}");
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            drop(sim);
        }
        panic!("pcscd never reported the card {what}");
    }

    /// Wrap a child already started by the test (with its own stdout handling); no waiting.
    pub fn from_child(child: Child, reader: &str) -> Self {
        Self {
            child,
            reader: reader.to_owned(),
        }
    }

    /// The child process.
    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }
}

impl Drop for Simulated {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        wait_while_present(&self.reader);
    }
}
