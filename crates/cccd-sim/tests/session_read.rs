//! The reader's session against the virtual chip, in-process: PACE and BAC, read plans, read
//! sizes, and a card pulled away mid-read then resumed.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use cccd::document::AccessProtocol;
use cccd::lds::dg1::Dg1;
use cccd::lds::{DataGroup, FileId};
use cccd::mrz::{AccessKey, BacKey, Can, Mrz};
use cccd::session::{
    AccessKeys, BacFallback, OpenOptions, ReadPlan, ReadStrategy, Session, SessionError,
};
use cccd::transport::{Transport, TransportError};
use cccd_sim::chip::{
    AccessConfig, CardFiles, ChipConfig, Faults, Profile, SimTransport, VirtualChip,
};
use time::macros::date;

// CARD-FACTS.md's fictional card: ID 001099000001, born 1999-01-01, expires 2039-01-01.
const MRZ: &str = "IDVNM0990000017001099000001<<8\n9901018M3901016VNM<<<<<<<<<<<4\nNGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";
const CARD_ACCESS: &str = "3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn blob(tag: u8, len: usize, seed: u32) -> Vec<u8> {
    let body: Vec<u8> = (0..len as u32)
        .map(|i| (i.wrapping_mul(31).wrapping_add(seed) % 251) as u8)
        .collect();
    cccd::tlv::encode(cccd::tlv::Tag::new(u32::from(tag)), &body)
}

fn files() -> CardFiles {
    let mut f = CardFiles::default();
    f.insert(FileId::CardAccess, hex(CARD_ACCESS));
    f.insert(
        FileId::Com,
        vec![
            0x60, 0x0A, 0x5F, 0x01, 0x04, b'0', b'1', b'0', b'7', 0x5C, 0x01, 0x61,
        ],
    );
    f.insert(FileId::Sod, blob(0x77, 1900, 1));
    f.insert(
        FileId::Dg(DataGroup::Dg1),
        Dg1::from_mrz(MRZ).unwrap().encode(),
    );
    f.insert(FileId::Dg(DataGroup::Dg2), blob(0x75, 40_000, 2));
    f.insert(FileId::Dg(DataGroup::Dg13), blob(0x6D, 600, 3));
    f.insert(FileId::Dg(DataGroup::Dg14), blob(0x6E, 300, 4));
    f.insert(FileId::Dg(DataGroup::Dg15), blob(0x6F, 160, 5));
    f
}

fn mrz_key() -> BacKey {
    Mrz::parse(MRZ).unwrap().bac_key()
}

fn chip(config: ChipConfig) -> SimTransport {
    let secrets = AccessConfig {
        mrz: Some(mrz_key()),
        can: Some(Can::new("000001").unwrap()),
    };
    SimTransport::new(VirtualChip::new(files(), secrets, config))
}

fn keys_from_qr() -> AccessKeys {
    let id = "001099000001".parse().unwrap();
    AccessKeys::from_id_and_dob(&id, date!(1999 - 01 - 01), date!(2026 - 11 - 24))
}

fn assert_same_files(doc: &cccd::document::Document, plan: &ReadPlan) {
    let expected = files();
    for &f in plan.files() {
        assert_eq!(doc.get(f), expected.get(f), "{f} differs");
    }
}

#[test]
fn pace_with_the_can_from_the_qr_reads_the_verification_plan() {
    let t = chip(ChipConfig::default());
    let mut s = Session::open(t, &keys_from_qr()).unwrap();
    assert_eq!(s.access_protocol(), AccessProtocol::PaceCan);
    let plan = ReadPlan::verification();
    let doc = s.read(&plan, &mut |_| {}).unwrap();
    assert_same_files(&doc, &plan);
    // DG2 was not asked for and not read.
    assert!(doc.dg(DataGroup::Dg2).is_none());
    assert_eq!(doc.get(FileId::CardAccess), Some(&hex(CARD_ACCESS)[..]));
}

#[test]
fn bac_only_chip_is_opened_with_a_guessed_expiry() {
    let t = chip(ChipConfig {
        profile: Profile::BacOnly,
        ..ChipConfig::default()
    });
    let mut s = Session::open(t, &keys_from_qr()).unwrap();
    assert_eq!(s.access_protocol(), AccessProtocol::Bac);
    assert!(s.card_access().is_none());
    let plan = ReadPlan::with_face();
    assert_same_files(&s.read(&plan, &mut |_| {}).unwrap(), &plan);
}

#[test]
fn pace_with_the_mrz_and_bac_with_the_mrz() {
    let key = AccessKeys::from_key(AccessKey::Mrz(mrz_key()));
    let s = Session::open(chip(ChipConfig::default()), &key).unwrap();
    assert_eq!(s.access_protocol(), AccessProtocol::PaceMrz);
    let s = Session::open(
        chip(ChipConfig {
            profile: Profile::BacOnly,
            ..ChipConfig::default()
        }),
        &key,
    )
    .unwrap();
    assert_eq!(s.access_protocol(), AccessProtocol::Bac);
}

#[test]
fn wrong_can_on_a_pace_only_chip_is_access_denied_with_a_hint() {
    let keys = AccessKeys::from_key(AccessKey::can("123456").unwrap());
    let e = Session::open(
        chip(ChipConfig {
            profile: Profile::PaceOnly,
            ..ChipConfig::default()
        }),
        &keys,
    )
    .unwrap_err();
    match e {
        SessionError::AccessDenied { hint } => assert!(hint.contains("last 6 digits"), "{hint}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_can_falls_back_to_bac() {
    let keys =
        AccessKeys::from_key(AccessKey::Mrz(mrz_key())).with_can(Can::new("123456").unwrap());
    let s = Session::open(chip(ChipConfig::default()), &keys).unwrap();
    // The wrong CAN fails, PACE-MRZ then succeeds.
    assert_eq!(s.access_protocol(), AccessProtocol::PaceMrz);
    let keys =
        AccessKeys::from_key(AccessKey::Mrz(mrz_key())).with_can(Can::new("123456").unwrap());
    let s = Session::open(
        chip(ChipConfig {
            profile: Profile::BacOnly,
            ..ChipConfig::default()
        }),
        &keys,
    )
    .unwrap();
    assert_eq!(s.access_protocol(), AccessProtocol::Bac);
}

#[test]
fn wrong_document_number_names_the_likely_culprit() {
    let key =
        AccessKey::from_document("001099000001", date!(1999 - 01 - 01), date!(2039 - 01 - 01))
            .unwrap();
    let e = Session::open(
        chip(ChipConfig {
            profile: Profile::BacOnly,
            ..ChipConfig::default()
        }),
        &AccessKeys::from_key(key),
    )
    .unwrap_err();
    match e {
        SessionError::AccessDenied { hint } => assert!(hint.contains("9-digit"), "{hint}"),
        other => panic!("{other:?}"),
    }
}

fn apdus_for(config: ChipConfig, plan: &ReadPlan) -> usize {
    let mut s = Session::open(chip(config).with_log(), &keys_from_qr()).unwrap();
    let before = s.transport_mut().log().len();
    let doc = s.read(plan, &mut |_| {}).unwrap();
    assert_same_files(&doc, plan);
    s.transport_mut().log().len() - before
}

#[test]
fn extended_length_reads_each_file_in_one_apdu_and_short_reads_take_more() {
    let plan = ReadPlan::with_face();
    let extended = apdus_for(ChipConfig::default(), &plan);
    // 5 files (DG14 and DG15 were read at opening, for chip authentication): one SELECT and
    // one READ each.
    assert_eq!(extended, 10);
    let short = apdus_for(
        ChipConfig {
            extended_length: false,
            ..ChipConfig::default()
        },
        &plan,
    );
    assert!(short > 7 + 40_000 / 223, "short reads: {short}");
    let jmrtd = apdus_for(
        ChipConfig::default(),
        &plan.clone().strategy_of(ReadStrategy::short_0xdf()),
    );
    assert!(
        jmrtd > short,
        "0xDF reads with a header read first cost more: {jmrtd} vs {short}"
    );
}

#[test]
fn a_chip_that_caps_its_answers_is_read_completely() {
    let plan = ReadPlan::with_face();
    let n = apdus_for(
        ChipConfig {
            max_read: 1000,
            ..ChipConfig::default()
        },
        &plan,
    );
    assert!(n > 40, "{n}");
}

#[test]
fn progress_reports_every_file_up_to_its_total() {
    let mut s = Session::open(
        chip(ChipConfig {
            extended_length: false,
            ..ChipConfig::default()
        }),
        &keys_from_qr(),
    )
    .unwrap();
    let mut seen = Vec::new();
    s.read(&ReadPlan::with_face(), &mut |p| seen.push(p))
        .unwrap();
    let dg2: Vec<_> = seen
        .iter()
        .filter(|p| p.file == FileId::Dg(DataGroup::Dg2))
        .collect();
    assert!(dg2.len() > 100);
    assert!(dg2.windows(2).all(|w| w[0].done < w[1].done));
    assert_eq!(dg2.last().unwrap().done, dg2.last().unwrap().total);
    assert_eq!(
        dg2.last().unwrap().total,
        files().get(FileId::Dg(DataGroup::Dg2)).unwrap().len()
    );
}

#[test]
fn card_removed_at_every_apdu_then_resumed_gives_the_whole_card() {
    let plan = ReadPlan::with_face();
    // Count the APDUs of a full read (open included) with short reads, so removal lands inside
    // DG2 as well as in the handshakes.
    let config = ChipConfig {
        extended_length: false,
        max_read: 0xDF,
        ..ChipConfig::default()
    };
    let total = {
        let mut s = Session::open(chip(config.clone()), &keys_from_qr()).unwrap();
        s.read(&plan, &mut |_| {}).unwrap();
        s.transport_mut().chip().stats().apdus
    };
    assert!(total > 200);
    for k in (1..total).step_by(7) {
        let config = ChipConfig {
            faults: Faults {
                remove_after: Some(k),
                ..Faults::default()
            },
            ..config.clone()
        };
        let mut t = chip(config);
        let mut session = match Session::open(&mut t, &keys_from_qr()) {
            Ok(s) => s,
            Err(SessionError::CardRemoved) => {
                t.reinsert();
                Session::open(&mut t, &keys_from_qr()).unwrap()
            }
            Err(e) => panic!("k={k}: {e:?}"),
        };
        let doc = match session.read(&plan, &mut |_| {}) {
            Ok(doc) => doc,
            Err(SessionError::CardRemoved) => {
                session.transport_mut().reinsert();
                session.reconnect().unwrap();
                session.read(&plan, &mut |_| {}).unwrap()
            }
            Err(e) => panic!("k={k}: {e:?}"),
        };
        assert_same_files(&doc, &plan);
    }
}

#[test]
fn resume_does_not_reread_bytes_already_read() {
    let plan = ReadPlan::files_only(vec![FileId::Dg(DataGroup::Dg2)]);
    let config = ChipConfig {
        extended_length: false,
        max_read: 0xDF,
        ..ChipConfig::default()
    };
    let mut t = chip(config.clone());
    let mut s = Session::open(&mut t, &keys_from_qr()).unwrap();
    let opened_at = s.transport_mut().chip().stats().apdus;
    s.transport_mut()
        .chip_mut()
        .config_mut()
        .faults
        .remove_after = Some(opened_at + 60);
    assert_eq!(
        s.read(&plan, &mut |_| {}).unwrap_err(),
        SessionError::CardRemoved
    );
    let (file, done) = s.partial().unwrap();
    assert_eq!(file, FileId::Dg(DataGroup::Dg2));
    assert!(done > 50 * 0xDF, "{done}");
    s.transport_mut().reinsert();
    s.reconnect().unwrap();
    let mut first_offset = None;
    s.read(&plan, &mut |p| {
        first_offset.get_or_insert(p.done);
    })
    .unwrap();
    assert!(first_offset.unwrap() > done, "resumed from the start");
    assert_eq!(
        s.document().dg(DataGroup::Dg2),
        files().get(FileId::Dg(DataGroup::Dg2))
    );
}

#[test]
fn a_corrupted_mac_is_never_data_the_session_authenticates_again() {
    let mut t = chip(ChipConfig::default());
    let mut s = Session::open(&mut t, &keys_from_qr()).unwrap();
    let n = s.transport_mut().chip().stats().apdus;
    s.transport_mut()
        .chip_mut()
        .config_mut()
        .faults
        .corrupt_mac_at = Some(n + 2);
    let plan = ReadPlan::verification();
    let doc = s.read(&plan, &mut |_| {}).unwrap();
    assert_same_files(&doc, &plan);
    // The chip saw a second access control (EF.CardAccess read again, in the clear).
    let log_free_apdus = s.transport_mut().chip().stats().apdus;
    let mut clean = chip(ChipConfig::default());
    let mut c = Session::open(&mut clean, &keys_from_qr()).unwrap();
    c.read(&plan, &mut |_| {}).unwrap();
    assert!(
        log_free_apdus > c.transport_mut().chip().stats().apdus + 5,
        "no re-authentication seen"
    );
}

/// Flips the last byte of every answer to a protected READ BINARY: a link that keeps
/// corrupting data.
struct CorruptingReads(SimTransport);

impl Transport for CorruptingReads {
    fn transmit(
        &mut self,
        command: &cccd::apdu::Command,
    ) -> Result<cccd::apdu::Response, TransportError> {
        let mut r = self.0.transmit(command)?;
        if command.cla & 0x0C == 0x0C
            && command.ins == 0xB0
            && let Some(last) = r.data.last_mut()
        {
            *last ^= 1;
        }
        Ok(r)
    }
}

#[test]
fn corruption_that_persists_ends_in_a_retryable_secure_messaging_error() {
    let t = CorruptingReads(chip(ChipConfig::default()));
    // Access control only: the genuineness proof would read DG14 through the same link.
    let mut s = Session::open_access(t, &keys_from_qr()).unwrap();
    let e = s.read(&ReadPlan::verification(), &mut |_| {}).unwrap_err();
    assert!(matches!(e, SessionError::SecureMessaging(_)), "{e:?}");
    assert!(e.is_retryable());
    // Nothing was taken for data.
    assert!(s.document().get(FileId::Com).is_none());
}

#[test]
fn removal_error_is_typed_at_the_transport_too() {
    let mut t = chip(ChipConfig {
        faults: Faults {
            remove_after: Some(1),
            ..Faults::default()
        },
        ..ChipConfig::default()
    });
    let r = t.transmit(&cccd::apdu::Command::new(0, 0xA4, 0, 0x0C));
    assert_eq!(r, Err(TransportError::CardRemoved));
}

#[test]
fn a_chip_without_extended_length_behind_an_extended_reader_is_read_with_short_apdus() {
    let t = chip(ChipConfig {
        extended_length: false,
        ..ChipConfig::default()
    })
    .with_reader_extended_length(true)
    .with_log();
    let mut s = Session::open(t, &keys_from_qr()).unwrap();
    let plan = ReadPlan::with_face();
    let doc = s.read(&plan, &mut |_| {}).unwrap();
    assert_same_files(&doc, &plan);
    // Exactly one extended READ BINARY was refused; everything after is short.
    let log = s.transport_mut().log();
    let refused = log
        .iter()
        .filter(|(c, r)| c.is_extended() && r.sw == cccd::apdu::StatusWord::WrongLength)
        .count();
    assert_eq!(refused, 1);
}

#[test]
fn bac_fallback_can_be_refused() {
    // Wrong CAN, right MRZ: PACE fails with the CAN and (PACE-MRZ aside) BAC would open it.
    let keys =
        || AccessKeys::from_key(AccessKey::Mrz(mrz_key())).with_can(Can::new("123456").unwrap());
    let config = || ChipConfig {
        profile: Profile::Cccd2021,
        ..ChipConfig::default()
    };
    let refuse = OpenOptions::default().bac_fallback(BacFallback::Refused);
    // PACE-MRZ still succeeds: that is not a downgrade.
    let s = Session::open_with(chip(config()), &keys(), refuse).unwrap();
    assert_eq!(s.access_protocol(), AccessProtocol::PaceMrz);
    // A wrong CAN and only guessed MRZ keys (not tried with PACE): PACE fails, and BAC with
    // the guesses would open the chip — only when the fallback is allowed.
    let guessed = || keys_from_qr().with_can(Can::new("123456").unwrap());
    assert!(guessed().mrz_keys().len() > 1);
    let s = Session::open(chip(config()), &guessed()).unwrap();
    assert_eq!(s.access_protocol(), AccessProtocol::Bac);
    let e = Session::open_with(chip(config()), &guessed(), refuse).unwrap_err();
    assert!(matches!(e, SessionError::AccessDenied { .. }), "{e:?}");
    // The same refusal without the genuineness proofs (access control only).
    let e = Session::open_with(chip(config()), &guessed(), refuse.chip_auth(None)).unwrap_err();
    assert!(matches!(e, SessionError::AccessDenied { .. }), "{e:?}");
    // A chip without PACE still opens with BAC.
    let s = Session::open_with(
        chip(ChipConfig {
            profile: Profile::BacOnly,
            ..ChipConfig::default()
        }),
        &AccessKeys::from_key(AccessKey::Mrz(mrz_key())),
        refuse,
    )
    .unwrap();
    assert_eq!(s.access_protocol(), AccessProtocol::Bac);
}

/// The BAC fallback policy is the session's, not the opening's: when the chip fails a PACE
/// step while the session authenticates again, a session that refuses the fallback stays
/// refused, and one that allows it opens with BAC.
#[test]
fn bac_fallback_policy_holds_when_the_session_authenticates_again() {
    const FAULT: cccd::apdu::StatusWord = cccd::apdu::StatusWord::ConditionsNotSatisfied;
    let config = || ChipConfig {
        profile: Profile::Cccd2021,
        ..ChipConfig::default()
    };
    // The outcome of authenticating again with the chip failing APDU n + k, and whether
    // that APDU was a PACE step (MSE:Set AT or GENERAL AUTHENTICATE).
    let reconnect_with_fault = |policy: BacFallback, k: usize| {
        let options = OpenOptions::access_only().bac_fallback(policy);
        let t = chip(config()).with_log();
        let mut s = Session::open_with(t, &keys_from_qr(), options).unwrap();
        assert_eq!(s.access_protocol(), AccessProtocol::PaceCan);
        let n = s.transport_mut().chip().stats().apdus;
        s.transport_mut().chip_mut().config_mut().faults = Faults {
            wrong_sw_at: Some((n + k, FAULT)),
            ..Faults::default()
        };
        let outcome = s.reconnect().map(|()| s.access_protocol());
        let pace_step = s
            .transport_mut()
            .log()
            .iter()
            .skip(n)
            .any(|(c, r)| r.sw == FAULT && matches!(c.ins, 0x22 | 0x86));
        (outcome, pace_step)
    };
    let mut pace_steps_hit = 0;
    for k in 1..=10 {
        let (allowed, pace_step) = reconnect_with_fault(BacFallback::Allowed, k);
        if !pace_step {
            continue;
        }
        pace_steps_hit += 1;
        // PACE broke: the allowing session falls back to BAC (the guessed MRZ keys open the
        // chip), the refusing one does not open at all.
        assert_eq!(allowed, Ok(AccessProtocol::Bac), "fault at APDU {k}");
        let (refused, _) = reconnect_with_fault(BacFallback::Refused, k);
        assert!(
            matches!(refused, Err(SessionError::AccessDenied { .. })),
            "fault at APDU {k}: {refused:?}"
        );
    }
    assert!(pace_steps_hit >= 3, "{pace_steps_hit} PACE steps faulted");
}

/// Behind a reader that claims extended length (ATR silent), a chip that declares short
/// APDUs only in EF.ATR/INFO opens (access control up to the application's SELECT) in exactly
/// as many APDUs as an extended-length chip: one READ BINARY (B1, by file identifier) answers
/// for both, and the short chip never sees an extended read to refuse. (Reading a file larger
/// than one short answer afterwards takes more APDUs on the short chip, as it must.)
#[test]
fn a_declared_short_only_chip_opens_in_as_many_apdus_as_an_extended_one() {
    let open = |config: ChipConfig| {
        let t = chip(config).with_reader_extended_length(true).with_log();
        let mut s = Session::open_access(t, &keys_from_qr()).unwrap();
        let log = s.transport_mut().log();
        let refused = log
            .iter()
            .filter(|(c, r)| c.is_extended() && r.sw == cccd::apdu::StatusWord::WrongLength)
            .count();
        let atr_info_reads = log
            .iter()
            .filter(|(c, _)| c.ins == 0xB1 && [c.p1, c.p2] == [0x2F, 0x01])
            .count();
        (log.len(), refused, atr_info_reads)
    };
    let extended = open(ChipConfig::default());
    let short = open(ChipConfig::default().short_only());
    assert_eq!(short.1, 0, "an extended read reached the short-only chip");
    assert_eq!((extended.2, short.2), (1, 1));
    assert_eq!(
        short.0, extended.0,
        "short-only {short:?}, extended {extended:?}"
    );
}
