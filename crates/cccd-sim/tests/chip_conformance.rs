//! The virtual chip answers as ISO 7816-4 has a card answer, over real secure messaging
//! (PACE with AES, BAC with 3DES), and the reader copes with what cards answer:
//! - a short protected READ BINARY (Le = 00 in DO'97') gets a protected answer of at most 256
//!   bytes, so at most 223 (AES) or 231 (3DES) plain bytes;
//! - a read that runs past the end answers what is left with 6282; an offset at or past the
//!   end answers 6B00;
//! - the short-only profile says so in the ATR and in EF.ATR/INFO;
//! - empty files and files shorter than their own header are read as they are;
//! - another program's SELECT in the middle of a read costs a re-authentication, not the read.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use cccd::apdu::{Command, StatusWord};
use cccd::lds::dg1::Dg1;
use cccd::lds::{DataGroup, FileId};
use cccd::mrz::{Can, Mrz};
use cccd::session::{AccessKeys, ReadPlan, Session};
use cccd_sim::chip::{
    ATR_INFO_FID, AccessConfig, CardFiles, ChipConfig, Faults, Profile, SimTransport, VirtualChip,
};
use cccd_sim::vpcd::Card;
use time::macros::date;

const MRZ: &str = "IDVNM0990000017001099000001<<8\n9901018M3901016VNM<<<<<<<<<<<4\nNGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";
const CARD_ACCESS: &str = "3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d";
const COM: [u8; 12] = [
    0x60, 0x0A, 0x5F, 0x01, 0x04, b'0', b'1', b'0', b'7', 0x5C, 0x01, 0x61,
];

fn blob(tag: u8, len: usize) -> Vec<u8> {
    let body: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
    cccd::tlv::encode(cccd::tlv::Tag::new(u32::from(tag)), &body)
}

fn files() -> CardFiles {
    let mut f = CardFiles::default();
    f.insert(
        FileId::CardAccess,
        cccd::hex::decode(CARD_ACCESS, 256).unwrap(),
    );
    f.insert(FileId::Com, COM.to_vec());
    f.insert(FileId::Sod, blob(0x77, 1500));
    f.insert(
        FileId::Dg(DataGroup::Dg1),
        Dg1::from_mrz(MRZ).unwrap().encode(),
    );
    f.insert(FileId::Dg(DataGroup::Dg2), blob(0x75, 9000));
    f.insert(FileId::Dg(DataGroup::Dg13), blob(0x6D, 600));
    f
}

fn chip_with(files: CardFiles, config: ChipConfig) -> SimTransport {
    let secrets = AccessConfig {
        mrz: Some(Mrz::parse(MRZ).unwrap().bac_key()),
        can: Some(Can::new("000001").unwrap()),
    };
    SimTransport::new(VirtualChip::new(files, secrets, config)).with_log()
}

fn keys() -> AccessKeys {
    let id = "001099000001".parse().unwrap();
    AccessKeys::from_id_and_dob(&id, date!(1999 - 01 - 01), date!(2026 - 11 - 24))
}

fn short_chip(profile: Profile) -> SimTransport {
    chip_with(
        files(),
        ChipConfig {
            profile,
            extended_length: false,
            ..ChipConfig::default()
        },
    )
}

fn select(fid: u16) -> Command {
    Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(fid.to_be_bytes().to_vec())
}

fn read(offset: u16, le: usize) -> Command {
    let [p1, p2] = offset.to_be_bytes();
    Command::new(0x00, 0xB0, p1, p2).with_le(le)
}

#[test]
fn short_protected_answers_fit_256_bytes() {
    // PACE (AES-128 on this EF.CardAccess) and BAC (3DES).
    for (profile, plain_max) in [(Profile::Cccd2021, 223), (Profile::BacOnly, 231)] {
        let mut t = short_chip(profile);
        let mut s = Session::open_access(&mut t, &keys()).unwrap();
        assert!(s.transmit(&select(0x0102)).unwrap().is_ok());
        // Le = 256: DO'97' holds 00 inside a short APDU.
        let plain = s.transmit(&read(0, 256)).unwrap();
        assert_eq!(plain.sw, StatusWord::Ok, "{profile:?}");
        assert_eq!(plain.data.len(), plain_max, "{profile:?}");
        assert_eq!(
            plain.data[..],
            files().get(FileId::Dg(DataGroup::Dg2)).unwrap()[..plain_max]
        );
        let (command, wire) = s.transport_mut().log().last().unwrap().clone();
        assert!(!command.is_extended(), "{profile:?}");
        assert!(
            wire.data.len() <= 256,
            "{profile:?}: {} bytes",
            wire.data.len()
        );
    }
}

#[test]
fn end_of_file_answers_6282_and_past_the_end_6b00() {
    let mut t = short_chip(Profile::Cccd2021);
    let mut s = Session::open_access(&mut t, &keys()).unwrap();
    assert!(s.transmit(&select(0x011E)).unwrap().is_ok());
    // 12 bytes in the file; 256 asked: what is left, with 6282 (authenticated in DO'99').
    let r = s.transmit(&read(0, 256)).unwrap();
    assert_eq!((r.data.as_slice(), r.sw), (&COM[..], StatusWord::EndOfFile));
    let r = s.transmit(&read(8, 4)).unwrap();
    assert_eq!((r.data.as_slice(), r.sw), (&COM[8..], StatusWord::Ok));
    let r = s.transmit(&read(10, 5)).unwrap();
    assert_eq!(
        (r.data.as_slice(), r.sw),
        (&COM[10..], StatusWord::EndOfFile)
    );
    for offset in [12, 13, 400] {
        let r = s.transmit(&read(offset, 4)).unwrap();
        assert_eq!(r.sw, StatusWord::WrongP1P2, "offset {offset}");
        assert!(r.data.is_empty());
    }
}

#[test]
fn short_only_profile_advertises_itself() {
    let config = ChipConfig {
        profile: Profile::Open,
        ..ChipConfig::default()
    }
    .short_only();
    let mut chip = VirtualChip::new(files(), AccessConfig::default(), config);
    assert_eq!(
        cccd::transport::atr::extended_length(&chip.atr()),
        Some(false)
    );
    // EF.ATR/INFO in the master file: card capabilities without extended Lc/Le.
    let fid = ATR_INFO_FID.to_be_bytes().to_vec();
    let r = chip.process_command(&Command::new(0, 0xA4, 0x02, 0x0C).with_data(fid));
    assert_eq!(r.sw, StatusWord::Ok);
    let r = chip.process_command(&read(0, 256));
    assert_eq!(r.data, [0x47, 0x03, 0x94, 0x01, 0x00]);
    assert_eq!(r.sw, StatusWord::EndOfFile);
    // And it means it: an extended READ is refused.
    assert_eq!(
        chip.process_command(&read(0, 1000)).sw,
        StatusWord::WrongLength
    );
    // The default chip says nothing either way, and has no EF.ATR/INFO.
    let mut plain = VirtualChip::new(
        files(),
        AccessConfig::default(),
        ChipConfig {
            profile: Profile::Open,
            ..ChipConfig::default()
        },
    );
    assert_eq!(cccd::transport::atr::extended_length(&plain.atr()), None);
    let fid = ATR_INFO_FID.to_be_bytes().to_vec();
    let r = plain.process_command(&Command::new(0, 0xA4, 0x02, 0x0C).with_data(fid));
    assert_eq!(r.sw, StatusWord::FileNotFound);
}

#[test]
fn empty_and_headerless_files_are_read_as_they_are() {
    let mut f = files();
    f.insert(FileId::Sod, Vec::new());
    f.insert(FileId::Dg(DataGroup::Dg2), Vec::new());
    // One byte: a tag and no length. The chip answers it with 6282, then 6B00.
    f.insert(FileId::Dg(DataGroup::Dg13), vec![0x6D]);
    for extended in [false, true] {
        let mut t = chip_with(
            f.clone(),
            ChipConfig {
                extended_length: extended,
                ..ChipConfig::default()
            },
        );
        let mut s = Session::open_access(&mut t, &keys()).unwrap();
        let doc = s.read(&ReadPlan::with_face(), &mut |_| {}).unwrap();
        assert_eq!(doc.get(FileId::Sod), Some(&[][..]), "extended {extended}");
        assert_eq!(doc.dg(DataGroup::Dg2), Some(&[][..]));
        assert_eq!(doc.dg(DataGroup::Dg13), Some(&[0x6D][..]));
        assert_eq!(doc.get(FileId::Com), Some(&COM[..]));
        // Absent files stay absent (6A82), not empty.
        assert_eq!(doc.dg(DataGroup::Dg15), None);
    }
}

#[test]
fn a_file_shorter_than_its_header_is_malformed_not_partial() {
    let mut f = files();
    // Claims 600 bytes, holds 100.
    let mut short = blob(0x6D, 600);
    short.truncate(100);
    f.insert(FileId::Dg(DataGroup::Dg13), short);
    let mut t = chip_with(f, ChipConfig::default());
    let mut s = Session::open_access(&mut t, &keys()).unwrap();
    let e = s.read(&ReadPlan::verification(), &mut |_| {}).unwrap_err();
    assert!(
        matches!(
            e,
            cccd::session::SessionError::Malformed {
                file: FileId::Dg(DataGroup::Dg13),
                ..
            }
        ),
        "{e:?}"
    );
    assert!(s.document().dg(DataGroup::Dg13).is_none());
}

#[test]
fn another_programs_select_mid_read_costs_a_reauthentication_not_the_read() {
    // Find where DG2's reading is in a clean run, then put the foreign SELECT there.
    let config = ChipConfig {
        extended_length: false,
        max_read: 0xDF,
        ..ChipConfig::default()
    };
    let mut clean = chip_with(files(), config.clone());
    let mut s = Session::open(&mut clean, &keys()).unwrap();
    s.read(&ReadPlan::with_face(), &mut |_| {}).unwrap();
    let log = clean.log();
    let dg2_reads: Vec<usize> = log
        .iter()
        .enumerate()
        .filter(|(_, (c, r))| c.ins == 0xB0 && r.data.len() > 200)
        .map(|(i, _)| i + 1)
        .collect();
    let k = dg2_reads[dg2_reads.len() / 2];
    let mut t = chip_with(
        files(),
        ChipConfig {
            faults: Faults {
                foreign_select_before: Some(k),
                ..Faults::default()
            },
            ..config
        },
    );
    let mut s = Session::open(&mut t, &keys()).unwrap();
    let mut offsets = Vec::new();
    let doc = s
        .read(&ReadPlan::with_face(), &mut |p| {
            if p.file == FileId::Dg(DataGroup::Dg2) {
                offsets.push(p.done);
            }
        })
        .unwrap();
    let expected = files();
    for f in ReadPlan::with_face().files() {
        assert_eq!(doc.get(*f), expected.get(*f), "{f}");
    }
    // Resumed from the bytes already read: DG2's progress never went backwards.
    assert!(offsets.windows(2).all(|w| w[0] < w[1]), "{offsets:?}");
    // And a second access control happened (EF.CardAccess read twice in the clear).
    let card_access_selects = t
        .log()
        .iter()
        .filter(|(c, _)| c.cla == 0 && c.ins == 0xA4 && c.data == [0x01, 0x1C])
        .count();
    assert!(card_access_selects >= 2, "{card_access_selects}");
}
