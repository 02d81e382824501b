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
