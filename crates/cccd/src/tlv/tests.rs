use super::*;
use proptest::prelude::*;

#[test]
fn short_form_primitive() {
    let (t, rest) = Tlv::parse(&[0x80, 0x02, 0xAA, 0xBB, 0x01]).unwrap();
    assert_eq!(t.tag(), Tag::new(0x80));
    assert_eq!(t.value(), &[0xAA, 0xBB]);
    assert_eq!(t.header_len(), 2);
    assert_eq!(rest, &[0x01]);
    assert!(!t.tag().is_constructed());
    assert_eq!(t.tag().class(), TagClass::ContextSpecific);
}

#[test]
fn two_and_three_byte_tags() {
    let (t, _) = Tlv::parse(&[0x5F, 0x1F, 0x01, 0x41]).unwrap();
    assert_eq!(t.tag(), Tag::new(0x5F1F));
    assert_eq!(t.tag().class(), TagClass::Application);
    let (t, _) = Tlv::parse(&[0x7F, 0x61, 0x00]).unwrap();
    assert!(t.tag().is_constructed());
    let (t, _) = Tlv::parse(&[0x5F, 0x81, 0x01, 0x00]).unwrap();
    assert_eq!(t.tag(), Tag::new(0x005F_8101));
    assert_eq!(t.tag().encoded_len(), 3);
    assert_eq!(t.tag().to_string(), "5F8101");
}

#[test]
fn tag_longer_than_four_bytes_is_rejected() {
    let e = Tlv::parse(&[0x5F, 0x81, 0x81, 0x81, 0x01, 0x00]).unwrap_err();
    assert_eq!(e.kind, TlvErrorKind::TagTooLong);
    // Three continuation bytes already make it too long, even with nothing after them.
    let e = Tlv::parse(&[0x5F, 0x81, 0x81, 0x81]).unwrap_err();
    assert_eq!(e.kind, TlvErrorKind::TagTooLong);
}

#[test]
fn a_header_cut_short_is_truncated_at_its_start() {
    // Inside a multi-byte tag, before the length, and inside a long-form length.
    for input in [
        &[0x5F][..],
        &[0x5F, 0x81],
        &[0x5F, 0x1F],
        &[0x30],
        &[0x30, 0x82, 0x01],
    ] {
        let e = Tlv::parse(input).unwrap_err();
        assert_eq!(e.offset, 0, "{input:02x?}");
        assert_eq!(
            e.kind,
            TlvErrorKind::Truncated {
                needed: 1,
                available: input.len()
            },
            "{input:02x?}"
        );
    }
}

#[test]
fn every_length_form() {
    for (len, header) in [
        (0usize, vec![0x04, 0x00]),
        (0x7F, vec![0x04, 0x7F]),
        (0x80, vec![0x04, 0x81, 0x80]),
        (0xFF, vec![0x04, 0x81, 0xFF]),
        (0x100, vec![0x04, 0x82, 0x01, 0x00]),
        (0xFFFF, vec![0x04, 0x82, 0xFF, 0xFF]),
        (0x1_0000, vec![0x04, 0x83, 0x01, 0x00, 0x00]),
    ] {
        let value = vec![0x5Au8; len];
        let encoded = encode(Tag::new(0x04), &value);
        assert_eq!(&encoded[..header.len()], &header[..], "len {len}");
        let parsed = Tlv::parse_exact(&encoded, Tag::new(0x04)).unwrap();
        assert_eq!(parsed.value().len(), len);
        assert_eq!(parse_header(&encoded).unwrap().total_len(), encoded.len());
    }
    // Four length bytes: parse the header only (no 16 MiB allocation in a unit test).
    let h = parse_header(&[0x04, 0x84, 0x01, 0x00, 0x00, 0x00]).unwrap();
    assert_eq!(h.value_len, 0x0100_0000);
    assert_eq!(h.header_len, 6);
    let mut out = Vec::new();
    write_length(0x0100_0000, &mut out);
    assert_eq!(out, [0x84, 0x01, 0x00, 0x00, 0x00]);
}

#[test]
fn non_minimal_long_form_is_accepted() {
    // BER allows 81 05 for a 5-byte value; some chips do it.
    let (t, _) = Tlv::parse(&[0x04, 0x81, 0x01, 0x07]).unwrap();
    assert_eq!(t.value(), &[0x07]);
}

#[test]
fn length_beyond_input_is_typed_error_not_allocation() {
    let e = Tlv::parse(&[0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]).unwrap_err();
    assert_eq!(e.offset, 6);
    assert_eq!(
        e.kind,
        TlvErrorKind::Truncated {
            needed: 0xFFFF_FFFF,
            available: 1
        }
    );
}

#[test]
fn malformed_inputs() {
    assert_eq!(Tlv::parse(&[]).unwrap_err().kind, TlvErrorKind::Empty);
    assert!(matches!(
        Tlv::parse(&[0x5F]).unwrap_err().kind,
        TlvErrorKind::Truncated { .. }
    ));
    assert!(matches!(
        Tlv::parse(&[0x04]).unwrap_err().kind,
        TlvErrorKind::Truncated { .. }
    ));
    assert!(matches!(
        Tlv::parse(&[0x04, 0x82, 0x01]).unwrap_err().kind,
        TlvErrorKind::Truncated { .. }
    ));
    assert_eq!(
        Tlv::parse(&[0x30, 0x80, 0x00, 0x00]).unwrap_err().kind,
        TlvErrorKind::IndefiniteLength
    );
    assert_eq!(
        Tlv::parse(&[0x04, 0x85, 1, 1, 1, 1, 1]).unwrap_err().kind,
        TlvErrorKind::LengthTooLong
    );
    assert_eq!(
        Tlv::parse_exact(&[0x04, 0x00, 0x00], Tag::new(0x04))
            .unwrap_err()
            .kind,
        TlvErrorKind::TrailingData(1)
    );
    assert_eq!(
        Tlv::parse_exact(&[0x04, 0x00], Tag::new(0x60))
            .unwrap_err()
            .kind,
        TlvErrorKind::UnexpectedTag {
            expected: Tag::new(0x60),
            found: Tag::new(0x04)
        }
    );
}

#[test]
fn children_and_offsets() {
    // 60 { 5F01 "0107", 5C { 61 75 } }
    let com = [
        0x60, 0x0B, 0x5F, 0x01, 0x04, b'0', b'1', b'0', b'7', 0x5C, 0x02, 0x61, 0x75, 0xFF,
    ];
    let (t, rest) = Tlv::parse(&com).unwrap();
    assert_eq!(rest, &[0xFF]);
    let kids: Vec<_> = t.children().collect::<Result<_, _>>().unwrap();
    assert_eq!(kids.len(), 2);
    assert_eq!(kids[0].offset(), 2);
    assert_eq!(kids[1].offset(), 9);
    assert_eq!(t.require(Tag::new(0x5C)).unwrap().value(), &[0x61, 0x75]);
    assert_eq!(
        t.require(Tag::new(0x5F36)).unwrap_err().kind,
        TlvErrorKind::Missing(Tag::new(0x5F36))
    );
}

#[test]
fn child_error_reports_absolute_offset_and_stops() {
    // Outer claims 4 bytes; inner child claims 9.
    let bad = [0x30, 0x04, 0x04, 0x09, 0x01, 0x02];
    let (t, _) = Tlv::parse(&bad).unwrap();
    let mut it = t.children();
    let e = it.next().unwrap().unwrap_err();
    assert_eq!(e.offset, 4);
    assert!(it.next().is_none());
}

#[test]
fn constructed_writer() {
    let a = encode(Tag::new(0x80), &[1]);
    let b = encode(Tag::new(0x5F1F), b"AB");
    let outer = encode_constructed(Tag::new(0x7F49), [a.as_slice(), b.as_slice()]);
    assert_eq!(
        outer,
        [
            0x7F, 0x49, 0x08, 0x80, 0x01, 0x01, 0x5F, 0x1F, 0x02, b'A', b'B'
        ]
    );
}

proptest! {
    #[test]
    fn roundtrip(tag in prop_oneof![0x01u32..0x1E, 0x5F01u32..0x5F7F, 0x7F21u32..0x7F7F], value in proptest::collection::vec(any::<u8>(), 0..600)) {
        let enc = encode(Tag::new(tag), &value);
        let t = Tlv::parse_exact(&enc, Tag::new(tag)).unwrap();
        prop_assert_eq!(t.value(), &value[..]);
    }

    #[test]
    fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = Tlv::parse(&data);
        for t in Tlvs::new(&data).flatten() { for c in t.children() { let _ = c; } }
    }
}
