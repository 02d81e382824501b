//! The 2024 Căn cước QR: cancelled ID numbers, "superseded" numbers, parents' names, and the
//! chipless certificate of identity. The 2024 field order is not published, so each case is
//! read by field shape; every text here is invented.

mod common;

use cccd_qr::{CardGeneration, DocumentKind, parse};
use common::{ANH, BAO, DUC};

#[test]
fn cancelled_numbers_are_parsed_and_supersede() {
    let qr = format!(
        "{}|{}|{}|{}|{}|{}|{}|031095001111|031095002222",
        BAO.id, BAO.cmnd, BAO.name, BAO.dob, BAO.sex_text, BAO.residence, BAO.issued
    );
    let data = parse(&qr).unwrap();
    assert_eq!(
        data.cancelled_id_numbers(),
        ["031095001111", "031095002222"]
    );
    assert!(data.supersedes("031095001111"));
    assert!(data.supersedes(" 031095002222 "));
    // The old CMND the QR lists was replaced too.
    assert!(data.supersedes(BAO.cmnd));
    // The current number is not superseded, nor is an unrelated one.
    assert!(!data.supersedes(BAO.id));
    assert!(!data.supersedes("031095003333"));
    assert!(!data.supersedes(""));
    assert!(data.parents().is_none());
    let json = serde_json::to_value(&data).unwrap();
    assert_eq!(
        json["cancelled_id_numbers"],
        serde_json::json!(["031095001111", "031095002222"])
    );
}

#[test]
fn parents_of_a_child_under_14() {
    // A child's 2024 QR: the seven fields, then father and mother.
    let qr = format!(
        "{}||{}|{}|{}|{}|{}|Phạm Văn Bình|Võ Thị Lan",
        ANH.id, ANH.name, ANH.dob, ANH.sex_text, ANH.residence, ANH.issued
    );
    let data = parse(&qr).unwrap();
    assert_eq!(data.generation(), CardGeneration::CanCuoc2024);
    let p = data.parents().unwrap();
    assert_eq!(p.father, "Phạm Văn Bình");
    assert_eq!(p.mother.as_deref(), Some("Võ Thị Lan"));
    assert_eq!(data.document(), DocumentKind::IdCard);
    assert!(data.document().has_chip());
    let json = serde_json::to_value(&data).unwrap();
    assert_eq!(json["parents"]["father"], "Phạm Văn Bình");
}

#[test]
fn a_2021_qr_never_reads_extras_as_parents() {
    let data = parse(&format!("{}|Ghi chú|Thêm nữa", DUC.qr_2021())).unwrap();
    assert_eq!(data.generation(), CardGeneration::Cccd2021);
    assert!(data.parents().is_none());
    assert_eq!(data.extra_fields().len(), 2);
}

#[test]
fn unknown_text_after_the_parents_is_kept() {
    let qr = format!(
        "{}||{}|{}|{}|{}|{}|Phạm Văn Bình|Võ Thị Lan|X-42",
        ANH.id, ANH.name, ANH.dob, ANH.sex_text, ANH.residence, ANH.issued
    );
    let data = parse(&qr).unwrap();
    assert!(data.parents().is_some());
    assert_eq!(data.extra_fields().len(), 1);
    assert_eq!(data.extra_fields()[0].value, "X-42");
    assert_eq!(data.extra_fields()[0].index, 9);
}

#[test]
fn certificate_of_identity_is_recognised_as_having_no_chip() {
    // Assumed shape: the usual fields, and the nationality stated as undetermined.
    let qr = format!(
        "{}|{}|{}|{}|{}|{}|Chưa xác định quốc tịch",
        BAO.id, BAO.name, BAO.dob, BAO.sex_text, BAO.residence, BAO.issued
    );
    let data = parse(&qr).unwrap();
    assert_eq!(data.document(), DocumentKind::CertificateOfIdentity);
    assert!(!data.document().has_chip());
    // The marker is kept, not taken for a name.
    assert_eq!(data.full_name(), BAO.name);
    assert!(data.parents().is_none());
    // Also when the marker comes first, and without diacritics.
    let qr = format!(
        "{}|GIAY CHUNG NHAN CAN CUOC|{}|{}|{}|{}|{}",
        BAO.id, BAO.name, BAO.sex_text, BAO.issued, BAO.residence, BAO.dob
    );
    let data = parse(&qr).unwrap();
    assert_eq!(data.document(), DocumentKind::CertificateOfIdentity);
    assert_eq!(data.full_name(), BAO.name);
    assert_eq!(
        serde_json::to_value(&data).unwrap()["document"],
        "certificate_of_identity"
    );
}
