//! Fault sweep: a full read with the face (`ReadPlan::with_face`) of one sample card, served by
//! the virtual chip with its real chip keys (so chip authentication runs) over short APDUs of
//! at most 0xDF bytes, so the read takes over a hundred APDUs. For EVERY APDU number k of
//! the clean run, six faults in turn:
//! (a) the card leaves the field after answering APDU k;
//! (b) the response MAC of APDU k is corrupted;
//! (c) APDU k is answered with status word 6F00;
//! (d) the answer to APDU k loses its last byte;
//! (e) another program's plain SELECT reaches the chip just before APDU k (a shared PC/SC
//!     connection without transactions): inside a secure session the chip ends it;
//! (f) the card is removed and returned right after APDU k, faster than the reader notices:
//!     the next APDU meets a freshly powered chip.
//!
//! Each run must end in a typed `SessionError` or in a correct read (a fault the protocol
//! absorbs, or one the session recovers from by authenticating again and resuming from the
//! bytes already read), never a panic; a dump is written only after a successful read, so no
//! partial dump may ever exist; and presenting the card again (power cycle, then `reconnect`,
//! or a new `open` when the fault hit the opening) completes the read with files
//! byte-identical to the sample dump.
//!
//! `cargo test -p cccd-sim --test fault_sweep -- --nocapture` prints the figures quoted in
//! docs/RELIABILITY.md.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use cccd::apdu::StatusWord;
use cccd::document::Document;
use cccd::lds::FileId;
use cccd::session::{AccessKeys, ReadPlan, Session, SessionError};
use cccd_sim::chip::{ChipConfig, Faults, Profile, SimTransport, VirtualChip};
use cccd_testkit::testdata;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// An RSA card (the fastest to verify); its chip has CA and AA keys in testdata/secrets.
const CARD: &str = "v03-minh-rsa-pkcs1";

fn sample() -> Document {
    Document::load(testdata().join("cards").join(CARD)).unwrap()
}

/// Short APDUs only, at most 0xDF bytes a read: many APDUs per file.
fn short_config(faults: Faults, profile: Profile) -> ChipConfig {
    ChipConfig {
        profile,
        extended_length: false,
        max_read: 0xDF,
        faults,
        ..ChipConfig::default()
    }
}

fn transport(doc: &Document, faults: Faults) -> SimTransport {
    transport_with(doc, faults, Profile::default())
}

fn transport_with(doc: &Document, faults: Faults, profile: Profile) -> SimTransport {
    let chip = VirtualChip::from_document_with_keys(
        doc,
        short_config(faults, profile),
        &testdata().join("secrets").join(CARD),
    )
    .unwrap();
    SimTransport::new(chip)
}

fn keys(doc: &Document) -> AccessKeys {
    let mrz = doc.dg1().unwrap().unwrap().mrz().to_owned();
    AccessKeys::from_key(cccd::mrz::AccessKey::from_mrz(&mrz).unwrap())
}

/// The files a read with the face must return, as in the sample dump.
fn expected_files() -> Vec<FileId> {
    let mut files = ReadPlan::with_face().files().to_vec();
    files.push(FileId::CardAccess);
    files
}

/// Read the plan and write the dump, in that order: a dump exists only for a whole read.
fn read_to_dump(
    session: &mut Session<&mut SimTransport>,
    dir: &Path,
) -> Result<Document, SessionError> {
    let doc = session.read(&ReadPlan::with_face(), &mut |_| {})?;
    doc.save(dir).unwrap();
    Ok(doc)
}

/// Every file of `got` (a read so far) is byte-identical to the sample: no half file is ever
/// kept as if it were whole.
fn assert_no_partial_file(got: &Document, sample: &Document, what: &str) {
    for (id, bytes) in got.files() {
        assert_eq!(
            Some(bytes),
            sample.get(id),
            "{what}: {id} differs from the card"
        );
    }
}

/// The dump on disk holds every expected file, byte-identical to the sample.
fn assert_complete_dump(dir: &Path, sample: &Document, what: &str) {
    let dumped = Document::load(dir).unwrap();
    for id in expected_files() {
        assert_eq!(dumped.get(id), sample.get(id), "{what}: {id} in the dump");
    }
}

/// The three injected faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Removal,
    CorruptMac,
    WrongSw,
    /// The answer loses its last data byte (a link that drops bytes).
    Truncated,
    /// Another program's SELECT arrives just before APDU k.
    ForeignSelect,
    /// The card leaves and returns right after APDU k, unnoticed by the reader.
    RemovedAndReturned,
}

impl Fault {
    fn at(self, k: usize) -> Faults {
        match self {
            Self::Removal => Faults {
                remove_after: Some(k),
                ..Faults::default()
            },
            Self::CorruptMac => Faults {
                corrupt_mac_at: Some(k),
                ..Faults::default()
            },
            Self::WrongSw => Faults {
                wrong_sw_at: Some((k, StatusWord::from_bytes(0x6F, 0x00))),
                ..Faults::default()
            },
            Self::Truncated => Faults {
                truncate_at: Some(k),
                ..Faults::default()
            },
            Self::ForeignSelect => Faults {
                foreign_select_before: Some(k),
                ..Faults::default()
            },
            Self::RemovedAndReturned => Faults {
                power_cycle_after: Some(k),
                ..Faults::default()
            },
        }
    }

    /// Faults the session itself recovers from mid-read (the chip's security status is
    /// lost, or a response fails verification): it authenticates again and resumes.
    fn recovered_in_session(self) -> bool {
        matches!(
            self,
            Self::CorruptMac | Self::Truncated | Self::ForeignSelect | Self::RemovedAndReturned
        )
    }
}

/// How one run ended.
#[derive(Debug, Default)]
struct Tally {
    runs: usize,
    panics: usize,
    /// Error variant at opening / during the read -> count.
    errors: BTreeMap<String, usize>,
    /// The fault hit an answer the protocol did not need intact (e.g. the plain
    /// EF.CardAccess read, after which PACE gave way to BAC), or the session recovered by
    /// authenticating again: the read went through.
    absorbed: usize,
    /// APDU numbers where the fault made the session open with BAC instead of PACE.
    downgraded: Vec<usize>,
    /// Of the absorbed runs, those where the session authenticated again by itself (the chip
    /// counted more APDUs than a clean run) and resumed.
    recovered: usize,
    /// For each absorbed fault: where, and what the session made of it.
    absorbed_details: Vec<String>,
    /// Retries after an error that completed the read.
    resumed: usize,
    /// Of those, after an error in the read: `reconnect` on the same transport, and
    /// `resume` on another.
    reconnected: usize,
    resumed_elsewhere: usize,
    partial_dumps: usize,
}

fn variant(e: &SessionError) -> String {
    let name = format!("{e:?}");
    name.split(['(', ' ', '{']).next().unwrap_or("").to_owned()
}

/// Present the card again: the field drops, the fault is gone.
fn present_again(t: &mut SimTransport) {
    t.chip_mut().config_mut().faults = Faults::default();
    t.reinsert();
}

/// One run with `fault` at APDU `k`; panics (caught by the caller) on any broken promise.
fn run_one(
    (fault, profile): (Fault, Profile),
    k: usize,
    clean_total: usize,
    sample: &Document,
    dir: &Path,
    tally: &mut Tally,
) {
    let keys = keys(sample);
    // A second reader, for resuming on another transport (the card moved to it).
    let mut other_reader = transport_with(sample, Faults::default(), profile);
    let mut t = transport_with(sample, fault.at(k), profile);
    let mut session = match Session::open(&mut t, &keys) {
        Ok(s) => s,
        Err(e) => {
            *tally
                .errors
                .entry(format!("open: {}", variant(&e)))
                .or_default() += 1;
            if fault == Fault::Removal {
                assert_eq!(e, SessionError::CardRemoved, "k={k}");
            }
            present_again(&mut t);
            let mut s = Session::open(&mut t, &keys).unwrap_or_else(|e| panic!("k={k}: {e}"));
            let doc = read_to_dump(&mut s, dir).unwrap_or_else(|e| panic!("k={k}: {e}"));
            assert_no_partial_file(&doc, sample, &format!("{fault:?} k={k}"));
            assert_complete_dump(dir, sample, &format!("{fault:?} k={k}"));
            tally.resumed += 1;
            return;
        }
    };
    match read_to_dump(&mut session, dir) {
        Ok(doc) => {
            // Only a fault the protocol does not depend on may go unnoticed, and the
            // protected files must still be exactly the card's.
            assert_ne!(fault, Fault::Removal, "k={k}: a removal went unnoticed");
            for (id, bytes) in doc.files() {
                if id != FileId::CardAccess {
                    assert_eq!(Some(bytes), sample.get(id), "{fault:?} k={k}: {id}");
                }
            }
            if matches!(fault, Fault::ForeignSelect | Fault::RemovedAndReturned) {
                // Nothing was corrupted in transit: the dump is the card's, whole.
                assert_complete_dump(dir, sample, &format!("{fault:?} k={k}"));
                if session.access_protocol() != cccd::document::AccessProtocol::PaceMrz {
                    tally.downgraded.push(k);
                }
            }
            tally.absorbed += 1;
            // A power cycle restarts the chip's counter, so count from the log of opening.
            let reauthenticated = fault == Fault::RemovedAndReturned
                || session.transport_mut().chip().stats().apdus > clean_total;
            if reauthenticated {
                tally.recovered += 1;
            }
            tally.absorbed_details.push(format!(
                "k={k}: opened with {:?}, chip authentication {:?}, re-authenticated {reauthenticated}, EF.CardAccess {}",
                session.access_protocol(),
                session.genuineness(),
                if doc.get(FileId::CardAccess) == sample.get(FileId::CardAccess) {
                    "intact"
                } else {
                    "as corrupted in transit (it is read without protection)"
                }
            ));
        }
        Err(e) => {
            *tally
                .errors
                .entry(format!("read: {}", variant(&e)))
                .or_default() += 1;
            if fault == Fault::Removal {
                assert_eq!(e, SessionError::CardRemoved, "k={k}");
            }
            if dir.exists() {
                tally.partial_dumps += 1;
            }
            assert!(!dir.exists(), "{fault:?} k={k}: a dump exists after {e}");
            assert_no_partial_file(session.document(), sample, &format!("{fault:?} k={k}"));
            // Odd k: the card comes back in the same reader (`reconnect`); even k: in
            // another reader (`resume` with a new transport).
            if k % 2 == 1 {
                present_again(session.transport_mut());
                session
                    .reconnect()
                    .unwrap_or_else(|e| panic!("{fault:?} k={k}: reconnect: {e}"));
                tally.reconnected += 1;
            } else {
                session
                    .resume(&mut other_reader)
                    .unwrap_or_else(|e| panic!("{fault:?} k={k}: resume: {e}"));
                tally.resumed_elsewhere += 1;
            }
            let doc =
                read_to_dump(&mut session, dir).unwrap_or_else(|e| panic!("{fault:?} k={k}: {e}"));
            assert_no_partial_file(&doc, sample, &format!("{fault:?} k={k}"));
            assert_complete_dump(dir, sample, &format!("{fault:?} k={k}"));
            tally.resumed += 1;
        }
    }
}

/// APDUs of a clean open and read with the face.
fn clean_apdus(sample: &Document, profile: Profile) -> usize {
    let mut t = transport_with(sample, Faults::default(), profile);
    let mut s = Session::open(&mut t, &keys(sample)).unwrap();
    let doc = s.read(&ReadPlan::with_face(), &mut |_| {}).unwrap();
    assert_no_partial_file(&doc, sample, "clean read");
    for id in expected_files() {
        assert!(doc.get(id).is_some(), "clean read lacks {id}");
    }
    s.transport_mut().chip().stats().apdus
}

fn sweep(fault: Fault) {
    sweep_with(fault, Profile::default());
}

fn sweep_with(fault: Fault, profile: Profile) {
    let mut sample = sample();
    // The profile's chip serves its own EF.CardAccess; every other file is the card's.
    if let Some(card_access) = sample
        .get(FileId::CardAccess)
        .and_then(|original| profile.card_access(original))
    {
        sample.insert(FileId::CardAccess, card_access);
    }
    let total = clean_apdus(&sample, profile);
    assert!(total > 100, "a short-APDU read takes {total} APDUs");
    let root = std::env::temp_dir().join(format!(
        "cccd-fault-sweep-{}-{fault:?}-{profile:?}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let mut tally = Tally::default();
    let mut broken = Vec::new();
    for k in 1..=total {
        let dir = root.join(format!("k{k}"));
        tally.runs += 1;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut local = Tally::default();
            run_one((fault, profile), k, total, &sample, &dir, &mut local);
            local
        }));
        match outcome {
            Ok(local) => {
                for (e, n) in local.errors {
                    *tally.errors.entry(e).or_default() += n;
                }
                tally.absorbed += local.absorbed;
                tally.recovered += local.recovered;
                tally.downgraded.extend(local.downgraded);
                tally.absorbed_details.extend(local.absorbed_details);
                tally.resumed += local.resumed;
                tally.reconnected += local.reconnected;
                tally.resumed_elsewhere += local.resumed_elsewhere;
                tally.partial_dumps += local.partial_dumps;
            }
            Err(p) => {
                tally.panics += 1;
                let why = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                broken.push(format!("k={k}: {why}"));
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    let _ = std::fs::remove_dir_all(&root);
    println!(
        "fault sweep {fault:?} on {CARD}: {total} APDUs in a clean open + read with face; runs {}, \
         panics or broken promises {}, partial dumps {}, absorbed {} (session re-authenticated by itself {}), resumed {} (re-open {}, reconnect {}, resume on another reader {}); errors {:?}",
        tally.runs,
        tally.panics,
        tally.partial_dumps,
        tally.absorbed,
        tally.recovered,
        tally.resumed,
        tally.resumed - tally.reconnected - tally.resumed_elsewhere,
        tally.reconnected,
        tally.resumed_elsewhere,
        tally.errors
    );
    if !tally.downgraded.is_empty() {
        println!(
            "  {fault:?}: opened with BAC instead of PACE when the fault hit APDU {:?}",
            tally.downgraded
        );
    }
    for d in &tally.absorbed_details {
        println!("  absorbed {fault:?} {d}");
    }
    assert!(broken.is_empty(), "{fault:?}: {broken:#?}");
    assert_eq!(tally.partial_dumps, 0);
    assert_eq!(tally.resumed + tally.absorbed, total);
    if fault == Fault::Removal {
        assert_eq!(tally.resumed, total, "every removal is noticed and resumed");
    }
    if fault == Fault::ForeignSelect {
        // A SELECT in between never costs PACE (EF.CardAccess is selected again when the
        // chip lost the selection).
        assert!(tally.downgraded.is_empty(), "{:?}", tally.downgraded);
    }
    if fault.recovered_in_session() {
        // Mid-read, the session must recover by itself: the caller only ever re-opens (a
        // fault during opening), never needs `reconnect` or `resume`.
        assert!(tally.recovered > 0, "{fault:?}: no run re-authenticated");
        assert_eq!(
            tally.reconnected + tally.resumed_elsewhere,
            0,
            "{fault:?}: a mid-read fault was left to the caller"
        );
    } else {
        assert!(tally.reconnected > 0 && tally.resumed_elsewhere > 0);
    }
}

#[test]
fn card_removed_after_every_apdu_then_resumed() {
    sweep(Fault::Removal);
}

/// The same promises with PACE-CAM (the chip authentication is part of PACE): a removal at
/// any APDU is noticed, and the session resumes with the chip proven again.
#[test]
fn card_removed_after_every_apdu_then_resumed_with_pace_cam() {
    sweep_with(Fault::Removal, Profile::PaceEcdhCam);
}

#[test]
fn corrupted_mac_at_every_apdu_then_retried() {
    sweep(Fault::CorruptMac);
}

#[test]
fn wrong_status_word_at_every_apdu_then_retried() {
    sweep(Fault::WrongSw);
}

#[test]
fn truncated_answer_at_every_apdu_then_retried() {
    sweep(Fault::Truncated);
}

#[test]
fn another_clients_select_at_every_apdu_then_resumed() {
    sweep(Fault::ForeignSelect);
}

#[test]
fn card_removed_and_returned_at_every_apdu_then_resumed() {
    sweep(Fault::RemovedAndReturned);
}

/// The APDU numbers (1-based, from power-on) of chip authentication at opening in a clean
/// run: the protected MSE:Set AT and GENERAL AUTHENTICATE (INS 22 and 86 with CLA 0C) and the
/// protected SELECT after them, which proves the chip holds the DG14 key.
fn chip_authentication_apdus(sample: &Document) -> Vec<usize> {
    let mut t = transport(sample, Faults::default()).with_log();
    let _ = Session::open(&mut t, &keys(sample)).unwrap();
    let log = t.log();
    let first = log
        .iter()
        .position(|(c, _)| c.cla & 0x0C == 0x0C && c.ins == 0x22)
        .unwrap();
    let last = log
        .iter()
        .rposition(|(c, _)| c.cla & 0x0C == 0x0C && c.ins == 0x86)
        .unwrap();
    // MSE:Set AT .. GENERAL AUTHENTICATE, then the proving SELECT.
    (first + 1..=last + 2).collect()
}

/// Regression test for a bug the sweep found (fixed): a transient fault during chip authentication at opening
/// (a 6F00 answer to MSE:Set AT or GENERAL AUTHENTICATE, or a corrupted MAC or a lost byte
/// in the answer to the SELECT that proves the new keys) is recorded as "chip authentication failed" instead of being a
/// retryable error: the session goes on, the read completes, `card.json` says CA failed, and
/// `verify` calls a genuine card `not_verified` ("the chip may be a copy").
/// In `cccd::session::chip_auth` (`Session::run_ca`): `CaError` other than `Transport` and a
/// `SecureMessaging` error on the proof are both taken as the chip's own failure.
/// A genuine chip must come out `ChipAuthenticated`, or the opening must fail with a
/// retryable error, never `Failed`.
///
/// Fixed: `Session::run_ca` retries CA once after reopening before concluding.
#[test]
fn a_transient_fault_during_chip_authentication_does_not_mark_the_chip_a_copy() {
    let sample = sample();
    let keys = keys(&sample);
    let mut wrong = Vec::new();
    for k in chip_authentication_apdus(&sample) {
        for fault in [Fault::CorruptMac, Fault::WrongSw, Fault::Truncated] {
            let mut t = transport(&sample, fault.at(k));
            match Session::open(&mut t, &keys) {
                Ok(s) => {
                    if s.genuineness().is_failed() {
                        wrong.push(format!("{fault:?} at APDU {k}: {}", s.genuineness()));
                    }
                }
                Err(e) => assert!(e.is_retryable() || matches!(e, SessionError::Status { .. })),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a genuine chip was recorded as failing chip authentication: {wrong:#?}"
    );
}
