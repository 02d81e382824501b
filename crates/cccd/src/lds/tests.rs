//! Unit tests for the shared LDS types.

use super::*;

#[test]
fn data_group_tags_and_fids() {
    // ICAO 9303-10: DG1 tag 61 FID 0101, DG2 75/0102, DG13 6D/010D, DG16 70/0110.
    assert_eq!(DataGroup::Dg1.tag(), 0x61);
    assert_eq!(DataGroup::Dg2.tag(), 0x75);
    assert_eq!(DataGroup::Dg13.tag(), 0x6D);
    assert_eq!(DataGroup::Dg16.tag(), 0x70);
    assert_eq!(DataGroup::Dg1.fid(), 0x0101);
    assert_eq!(DataGroup::Dg16.fid(), 0x0110);
    for dg in DataGroup::ALL {
        assert_eq!(DataGroup::from_tag(dg.tag()), Some(dg));
        assert_eq!(DataGroup::from_number(u32::from(dg.number())), Some(dg));
    }
    assert_eq!(DataGroup::from_tag(0x60), None);
    assert_eq!(DataGroup::from_number(0), None);
    assert_eq!(DataGroup::from_number(17), None);
}

#[test]
fn file_ids() {
    assert_eq!(FileId::Com.fid(), 0x011E);
    assert_eq!(FileId::Sod.fid(), 0x011D);
    assert_eq!(FileId::CardAccess.fid(), 0x011C);
    assert_eq!(FileId::CardSecurity.fid(), 0x011D);
    assert!(FileId::CardSecurity.in_master_file());
    assert!(!FileId::Sod.in_master_file());
    assert_eq!(FileId::Com.sfi(), 0x1E);
    assert_eq!(FileId::Dg(DataGroup::Dg13).to_string(), "DG13");
}

mod asn1_helpers {
    use crate::lds::FileId;
    use crate::lds::asn1::{enc_uint, enc_uint_bytes, raw, small_uint};
    use crate::tlv::Tlv;

    fn int(bytes: &[u8]) -> Result<u64, crate::lds::LdsError> {
        let (t, _) = Tlv::parse(bytes).unwrap();
        small_uint(&t, FileId::Com)
    }

    #[test]
    fn small_uint_accepts_der_and_rejects_negative_and_huge() {
        assert_eq!(int(&[0x02, 0x01, 0x7F]).unwrap(), 127);
        assert_eq!(int(&[0x02, 0x02, 0x00, 0x80]).unwrap(), 128);
        assert!(int(&[0x02, 0x01, 0x80]).is_err(), "negative");
        assert!(int(&[0x02, 0x00]).is_err(), "empty");
        assert!(
            int(&[0x02, 0x0A, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]).is_err(),
            "too big"
        );
        assert!(int(&[0x04, 0x01, 0x01]).is_err(), "not an INTEGER");
    }

    #[test]
    fn integer_encoding_is_minimal_two_complement() {
        // X.690 8.3: minimal octets, a leading 00 when the high bit is set.
        assert_eq!(enc_uint(0), vec![0x02, 0x01, 0x00]);
        assert_eq!(enc_uint(0x80), vec![0x02, 0x02, 0x00, 0x80]);
        assert_eq!(enc_uint(0x0100), vec![0x02, 0x02, 0x01, 0x00]);
        assert_eq!(enc_uint_bytes(&[0, 0, 0x7F]), vec![0x02, 0x01, 0x7F]);
    }

    #[test]
    fn raw_reproduces_the_input_length_form() {
        for input in [
            vec![0x04, 0x02, 0xAA, 0xBB],
            vec![0x04, 0x81, 0x02, 0xAA, 0xBB],
            vec![0x04, 0x82, 0x00, 0x02, 0xAA, 0xBB],
        ] {
            let (t, _) = Tlv::parse(&input).unwrap();
            assert_eq!(raw(&t), input);
        }
    }
}
