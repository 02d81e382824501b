use super::*;
use proptest::prelude::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn case1() {
    let c = Command::new(0x00, 0xA4, 0x00, 0x0C);
    assert_eq!(c.to_bytes().unwrap(), hex("00A4000C"));
    assert_eq!(Command::parse(&hex("00A4000C")).unwrap(), c);
}

#[test]
fn case2_short_le_256_is_zero() {
    let c = Command::new(0x00, 0xB0, 0x00, 0x00).with_le(256);
    assert_eq!(c.to_bytes().unwrap(), hex("00B0000000"));
    assert_eq!(Command::parse(&hex("00B0000000")).unwrap().le, Some(256));
    let c = Command::new(0x00, 0x84, 0x00, 0x00).with_le(8);
    assert_eq!(c.to_bytes().unwrap(), hex("0084000008"));
}

#[test]
fn case3_short() {
    let c = Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(hex("A0000002471001"));
    assert_eq!(c.to_bytes().unwrap(), hex("00A4040C07A0000002471001"));
    assert_eq!(Command::parse(&c.to_bytes().unwrap()).unwrap(), c);
}

#[test]
fn case4_short() {
    let c = Command::new(0x00, 0x82, 0x00, 0x00)
        .with_data(vec![0x11; 40])
        .with_le(40);
    let b = c.to_bytes().unwrap();
    assert_eq!(b.len(), 4 + 1 + 40 + 1);
    assert_eq!(b[4], 40);
    assert_eq!(*b.last().unwrap(), 40);
    assert_eq!(Command::parse(&b).unwrap(), c);
}

#[test]
fn case2_extended_and_le_65536() {
    let c = Command::new(0x00, 0xB1, 0x00, 0x00).with_le(65_536);
    assert!(c.is_extended());
    assert_eq!(
        c.to_bytes().unwrap(),
        hex("00B1000000" /* Le */)
            .into_iter()
            .chain([0, 0])
            .collect::<Vec<_>>()
    );
    assert_eq!(
        Command::parse(&hex("00B10000000000")).unwrap().le,
        Some(65_536)
    );
    let c = Command::new(0x00, 0xB0, 0x00, 0x00).with_le(1000);
    assert_eq!(c.to_bytes().unwrap(), hex("00B000000003E8"));
}

#[test]
fn case3_and_case4_extended() {
    let data = vec![0xAB; 300];
    let c = Command::new(0x00, 0x2A, 0x00, 0xBE).with_data(data.clone());
    let b = c.to_bytes().unwrap();
    assert_eq!(&b[4..7], &[0x00, 0x01, 0x2C]);
    assert_eq!(b.len(), 7 + 300);
    assert_eq!(Command::parse(&b).unwrap(), c);

    let c = c.with_le(65_536);
    let b = c.to_bytes().unwrap();
    assert_eq!(&b[b.len() - 2..], &[0x00, 0x00]);
    assert_eq!(Command::parse(&b).unwrap(), c);

    // Short data but a long Le also forces the extended form for Lc.
    let c = Command::new(0x0C, 0xB0, 0x00, 0x00)
        .with_data(vec![1, 2])
        .with_le(1000);
    assert_eq!(c.to_bytes().unwrap(), hex("0CB00000000002010203E8"));
}

#[test]
fn bad_commands() {
    assert_eq!(
        Command::parse(&[0, 0xA4, 0]),
        Err(ApduError::Truncated { offset: 3 })
    );
    assert!(matches!(
        Command::parse(&hex("00A4040C05A000")),
        Err(ApduError::Truncated { .. })
    ));
    assert!(matches!(
        Command::parse(&hex("00A4040C00AA")),
        Err(ApduError::BadLength { .. })
    ));
    assert!(matches!(
        Command::parse(&hex("00A4040C01AA0000")),
        Err(ApduError::BadLength { .. })
    ));
    assert!(matches!(
        Command::parse(&hex("00A4040C0000")),
        Err(ApduError::BadLength { offset: 4 })
    ));
    assert!(matches!(
        Command::new(0, 0, 0, 0).with_le(0).to_bytes(),
        Err(ApduError::TooLong(_))
    ));
    assert!(matches!(
        Command::new(0, 0, 0, 0).with_le(65_537).to_bytes(),
        Err(ApduError::TooLong(_))
    ));
    assert!(matches!(
        Command::new(0, 0, 0, 0)
            .with_data(vec![0; 65_536])
            .to_bytes(),
        Err(ApduError::TooLong(_))
    ));
}

#[test]
fn responses() {
    let r = Response::parse(&hex("01029000")).unwrap();
    assert_eq!(r.data, [1, 2]);
    assert!(r.is_ok());
    assert_eq!(r.to_bytes(), hex("01029000"));
    assert_eq!(Response::parse(&[0x90]), Err(ApduError::ResponseTooShort));
    assert_eq!(
        Response::parse(&hex("6A82")).unwrap().sw,
        StatusWord::FileNotFound
    );
}

#[test]
fn every_named_status_word_round_trips_and_has_a_message() {
    let named = [
        ("9000", StatusWord::Ok),
        ("6110", StatusWord::BytesAvailable(0x10)),
        ("6100", StatusWord::BytesAvailable(0)),
        ("6282", StatusWord::EndOfFile),
        ("6300", StatusWord::VerificationFailed),
        ("63C2", StatusWord::TriesLeft(2)),
        ("6700", StatusWord::WrongLength),
        ("6982", StatusWord::SecurityStatusNotSatisfied),
        ("6985", StatusWord::ConditionsNotSatisfied),
        ("6986", StatusWord::CommandNotAllowed),
        ("6987", StatusWord::SmObjectsMissing),
        ("6988", StatusWord::SmObjectsIncorrect),
        ("6A80", StatusWord::IncorrectData),
        ("6A82", StatusWord::FileNotFound),
        ("6A86", StatusWord::IncorrectP1P2),
        ("6A88", StatusWord::ReferencedDataNotFound),
        ("6B00", StatusWord::WrongP1P2),
        ("6CDF", StatusWord::WrongLe(0xDF)),
        ("6D00", StatusWord::InsNotSupported),
        ("6E00", StatusWord::ClaNotSupported),
        ("6F00", StatusWord::NoPreciseDiagnosis),
        ("6A81", StatusWord::Other(0x6A81)),
    ];
    for (h, sw) in named {
        let b = hex(h);
        assert_eq!(StatusWord::from_bytes(b[0], b[1]), sw, "{h}");
        assert_eq!(sw.to_bytes().to_vec(), b, "{h}");
        assert!(!sw.message().is_empty());
        assert!(sw.to_string().starts_with(h), "{sw}");
    }
    // The catch-all is not used for a named code.
    assert_ne!(
        StatusWord::from_bytes(0x69, 0x82),
        StatusWord::Other(0x6982)
    );
}

#[test]
fn debug_hides_command_data() {
    let c = Command::new(0, 0x86, 0, 0).with_data(b"SECRET".to_vec());
    assert!(!format!("{c:?}").contains("SECRET"));
}

proptest! {
    #[test]
    fn command_roundtrip(ins in any::<u8>(), data in proptest::collection::vec(any::<u8>(), 0..400), le in proptest::option::of(1usize..=65_536)) {
        let mut c = Command::new(0x00, ins, 0x12, 0x34).with_data(data);
        c.le = le;
        let b = c.to_bytes().unwrap();
        prop_assert_eq!(Command::parse(&b).unwrap(), c);
    }

    #[test]
    fn parse_never_panics(b in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = Command::parse(&b);
        let _ = Response::parse(&b);
    }
}
