use super::*;
use cccd::lds::DataGroup;
use cccd::transport::{Transport, TransportError};

fn files() -> CardFiles {
    let mut f = CardFiles::default();
    f.insert(FileId::CardAccess, vec![0x31, 0x00]);
    f.insert(FileId::Com, vec![0x60, 0x03, 0x5C, 0x01, 0x61]);
    let big: Vec<u8> = (0..40_000u32).map(|i| (i % 253) as u8).collect();
    f.insert(FileId::Dg(DataGroup::Dg2), big);
    f.insert(FileId::Dg(DataGroup::Dg3), vec![0x63, 0x00]);
    f.insert(FileId::Sod, vec![0x77, 0x00]);
    f
}

fn open_chip(config: ChipConfig) -> SimTransport {
    SimTransport::new(VirtualChip::new(
        files(),
        AccessConfig::default(),
        ChipConfig {
            profile: Profile::Open,
            ..config
        },
    ))
}

fn select_app() -> Command {
    Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(crate::vpcd::EMRTD_AID.to_vec())
}

fn select_ef(fid: u16) -> Command {
    Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(fid.to_be_bytes().to_vec())
}

#[test]
fn select_and_read_with_short_and_extended_le() {
    let mut t = open_chip(ChipConfig::default());
    assert!(t.transmit(&select_app()).unwrap().is_ok());
    assert!(t.transmit(&select_ef(0x0102)).unwrap().is_ok());
    let r = t
        .transmit(&Command::new(0, 0xB0, 0, 0).with_le(256))
        .unwrap();
    assert_eq!(r.data.len(), 256);
    let r = t
        .transmit(&Command::new(0, 0xB0, 0x01, 0x00).with_le(65_536))
        .unwrap();
    assert_eq!(r.data.len(), 40_000 - 256);
    assert_eq!(r.data[0], (256 % 253) as u8);
}

#[test]
fn read_binary_by_sfi_and_odd_ins_above_32767() {
    let mut t = open_chip(ChipConfig::default());
    t.transmit(&select_app()).unwrap();
    // B0 with SFI 1E (EF.COM) in P1.
    let r = t
        .transmit(&Command::new(0, 0xB0, 0x80 | 0x1E, 0).with_le(5))
        .unwrap();
    assert_eq!(r.data, [0x60, 0x03, 0x5C, 0x01, 0x61]);
    // B1 on DG2 at offset 33000 (beyond the 15-bit range of B0). Le counts the whole answer,
    // DO'53' header included (ISO 7816-4): 18 bytes are a 16-byte chunk.
    let cmd = Command::new(0, 0xB1, 0x01, 0x02)
        .with_data(vec![0x54, 0x02, 0x80, 0xE8])
        .with_le(18);
    let r = t.transmit(&cmd).unwrap();
    assert!(r.is_ok());
    assert_eq!(r.data.len(), 18);
    assert_eq!(&r.data[..2], &[0x53, 0x10]);
    assert_eq!(r.data[2], (33_000 % 253) as u8);
}

#[test]
fn status_words_a_reader_meets() {
    let mut t = open_chip(ChipConfig::default());
    // Unknown AID, unknown file, no current EF, offset past the end, unknown INS.
    let bad_aid = Command::new(0, 0xA4, 0x04, 0x0C).with_data(vec![0xA0, 0, 0, 0]);
    assert_eq!(t.transmit(&bad_aid).unwrap().sw, StatusWord::FileNotFound);
    t.transmit(&select_app()).unwrap();
    assert_eq!(
        t.transmit(&select_ef(0x0105)).unwrap().sw,
        StatusWord::FileNotFound
    );
    assert_eq!(
        t.transmit(&Command::new(0, 0xB0, 0, 0).with_le(4))
            .unwrap()
            .sw,
        StatusWord::CommandNotAllowed
    );
    t.transmit(&select_ef(0x011E)).unwrap();
    assert_eq!(
        t.transmit(&Command::new(0, 0xB0, 0x00, 0x10).with_le(4))
            .unwrap()
            .sw,
        StatusWord::WrongP1P2
    );
    assert_eq!(
        t.transmit(&Command::new(0, 0xEE, 0, 0)).unwrap().sw,
        StatusWord::InsNotSupported
    );
    // DG3 selects but does not read: it needs terminal authentication.
    assert!(t.transmit(&select_ef(0x0103)).unwrap().is_ok());
    assert_eq!(
        t.transmit(&Command::new(0, 0xB0, 0, 0).with_le(2))
            .unwrap()
            .sw,
        StatusWord::SecurityStatusNotSatisfied
    );
}

#[test]
fn fcp_when_p2_asks_for_it() {
    let mut t = open_chip(ChipConfig::default());
    t.transmit(&select_app()).unwrap();
    let r = t
        .transmit(
            &Command::new(0, 0xA4, 0x02, 0x04)
                .with_data(vec![0x01, 0x02])
                .with_le(256),
        )
        .unwrap();
    // 62 { 80 02 9C40 (40000) ... }
    assert_eq!(&r.data[..6], &[0x62, 0x0B, 0x80, 0x02, 0x9C, 0x40]);
}

#[test]
fn card_access_is_selectable_by_id_from_the_application() {
    let mut t = open_chip(ChipConfig::default());
    t.transmit(&select_app()).unwrap();
    assert!(t.transmit(&select_ef(0x011C)).unwrap().is_ok());
    let r = t
        .transmit(&Command::new(0, 0xB0, 0, 0).with_le(256))
        .unwrap();
    assert_eq!(r.data, [0x31, 0x00]);
    // 011D inside the application is EF.SOD, not EF.CardSecurity.
    assert!(t.transmit(&select_ef(0x011D)).unwrap().is_ok());
    let r = t
        .transmit(&Command::new(0, 0xB0, 0, 0).with_le(256))
        .unwrap();
    assert_eq!(r.data, [0x77, 0x00]);
}

#[test]
fn locked_chip_refuses_application_files() {
    let mut t = SimTransport::new(VirtualChip::new(
        files(),
        AccessConfig::default(),
        ChipConfig::default(),
    ));
    t.transmit(&select_app()).unwrap();
    t.transmit(&select_ef(0x011E)).unwrap();
    assert_eq!(
        t.transmit(&Command::new(0, 0xB0, 0, 0).with_le(4))
            .unwrap()
            .sw,
        StatusWord::SecurityStatusNotSatisfied
    );
}

#[test]
fn extended_length_off_and_max_read_cap() {
    let mut t = open_chip(ChipConfig {
        extended_length: false,
        max_read: 0xDF,
        ..ChipConfig::default()
    });
    t.transmit(&select_app()).unwrap();
    t.transmit(&select_ef(0x0102)).unwrap();
    assert_eq!(
        t.transmit(&Command::new(0, 0xB0, 0, 0).with_le(1000))
            .unwrap()
            .sw,
        StatusWord::WrongLength
    );
    let r = t
        .transmit(&Command::new(0, 0xB0, 0, 0).with_le(256))
        .unwrap();
    assert_eq!(r.data.len(), 0xDF);
    assert!(!t.supports_extended_length());
}

#[test]
fn injected_faults() {
    let mut t = open_chip(ChipConfig {
        faults: Faults {
            wrong_sw_at: Some((2, StatusWord::NoPreciseDiagnosis)),
            truncate_at: Some(3),
            remove_after: Some(4),
            corrupt_mac_at: None,
            foreign_select_before: None,
            power_cycle_after: None,
        },
        ..ChipConfig::default()
    });
    t.transmit(&select_app()).unwrap();
    assert_eq!(
        t.transmit(&select_ef(0x011E)).unwrap().sw,
        StatusWord::NoPreciseDiagnosis
    );
    t.transmit(&select_ef(0x011E)).unwrap_err_or_truncated();
    assert_eq!(t.transmit(&select_app()), Err(TransportError::CardRemoved));
    assert_eq!(t.transmit(&select_app()), Err(TransportError::CardRemoved));
    assert_eq!(t.chip().stats().apdus, 4);
    t.reinsert();
    assert!(t.transmit(&select_app()).unwrap().is_ok());
    assert_eq!(t.chip().stats().apdus, 1);
}

trait TruncatedCheck {
    fn unwrap_err_or_truncated(self);
}

impl TruncatedCheck for Result<Response, TransportError> {
    /// SELECT with P2=0C has no data, so truncation of the third answer leaves it as is.
    fn unwrap_err_or_truncated(self) {
        let r = self.unwrap();
        assert!(r.data.is_empty());
    }
}

#[test]
fn truncation_removes_a_data_byte() {
    let mut t = open_chip(ChipConfig {
        faults: Faults {
            truncate_at: Some(3),
            ..Faults::default()
        },
        ..ChipConfig::default()
    });
    t.transmit(&select_app()).unwrap();
    t.transmit(&select_ef(0x011E)).unwrap();
    let r = t.transmit(&Command::new(0, 0xB0, 0, 0).with_le(5)).unwrap();
    assert_eq!(r.data, [0x60, 0x03, 0x5C, 0x01]);
}

#[test]
fn vpcd_card_interface_answers_raw_bytes_and_reports_removal() {
    use crate::vpcd::Card;
    let mut chip = VirtualChip::new(
        files(),
        AccessConfig::default(),
        ChipConfig {
            profile: Profile::Open,
            faults: Faults {
                remove_after: Some(1),
                ..Faults::default()
            },
            ..ChipConfig::default()
        },
    );
    assert_eq!(chip.process(&[0x00, 0xA4, 0x04]), vec![0x67, 0x00]);
    assert!(!chip.present());
    chip.reset();
    assert!(chip.present());
}

#[test]
fn link_model_times() {
    let link = LinkModel {
        bit_rate: 106_000,
        apdu_latency: std::time::Duration::from_millis(5),
    };
    // 1000 bytes = 8000 bits at 106 kbit/s = 75.471 ms, plus 5 ms.
    let t = link.exchange_time(1000);
    assert_eq!(t.as_micros(), 5_000 + 75_471);
    let fast = LinkModel {
        bit_rate: 848_000,
        ..link
    };
    assert!(fast.exchange_time(1000) < t);
}
