//! The typed manifest covers `testdata/manifest.json` whole: read into the generator's structs
//! and written again the way the generator writes it, it is byte-identical; a field the structs
//! do not know, or one they miss, is refused.

use cccd_testkit::{Manifest, manifest, testdata};

fn manifest_text() -> String {
    std::fs::read_to_string(testdata().join("manifest.json")).expect("testdata/manifest.json")
}

#[test]
fn the_manifest_round_trips_byte_identical() {
    let m = manifest();
    let again = serde_json::to_string_pretty(&m).expect("serializes") + "\n";
    assert!(
        again == manifest_text(),
        "the typed manifest lost or reordered something"
    );
    assert!(!m.cards.is_empty() && !m.trust_anchors.is_empty());
}

#[test]
fn unknown_and_missing_fields_are_refused() {
    let original: serde_json::Value = serde_json::from_str(&manifest_text()).expect("JSON");
    assert!(serde_json::from_value::<Manifest>(original.clone()).is_ok());

    let mut unknown = original.clone();
    unknown["cards"][0]["surprise"] = serde_json::json!(1);
    let err = serde_json::from_value::<Manifest>(unknown).expect_err("unknown field");
    assert!(err.to_string().contains("surprise"), "{err}");

    let mut missing = original;
    missing["cards"][0]
        .as_object_mut()
        .expect("card object")
        .remove("expected_verdict");
    let err = serde_json::from_value::<Manifest>(missing).expect_err("missing field");
    assert!(err.to_string().contains("expected_verdict"), "{err}");
}

#[test]
fn the_trust_store_holds_every_anchor_of_the_manifest() {
    let m = manifest();
    let store = cccd_testkit::trust_store();
    assert!(
        store.len() >= m.trust_anchors.len(),
        "{} anchors loaded, manifest names {}",
        store.len(),
        m.trust_anchors.len()
    );
}
