//! Trust store unit tests: loaders never panic on arbitrary bytes, and typed errors name
//! what was wrong. The real ICAO master list is exercised in `tests/masterlist.rs`.

use super::*;
use proptest::prelude::*;

#[test]
fn store_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<TrustStore>();
}

#[test]
fn garbage_is_unrecognized() {
    let mut store = TrustStore::new();
    assert_eq!(
        store.load_bytes(b"hello", "x").unwrap_err(),
        TrustError::Unrecognized {
            source_name: "x".to_owned()
        }
    );
    assert!(store.is_empty());
}

#[test]
fn pem_without_certificates_is_unrecognized() {
    let mut store = TrustStore::new();
    let pem = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    assert!(matches!(
        store.load_bytes(pem, "k.pem"),
        Err(TrustError::Unrecognized { .. })
    ));
}

#[test]
fn cms_that_is_not_signed_data_is_malformed() {
    // ContentInfo { id-data, [0] { OCTET STRING "" } }
    let data = [
        0x30, 0x11, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01, 0xA0, 0x04,
        0x04, 0x02, 0x00, 0x00,
    ];
    let mut store = TrustStore::new();
    let err = store.load_master_list(&data, "d").unwrap_err();
    assert!(
        matches!(err, TrustError::Malformed { ref what, .. } if what.contains("not signedData")),
        "{err:?}"
    );
}

#[test]
fn truncated_cms_is_malformed_not_a_panic() {
    let data = [0x30, 0x82, 0x10, 0x00, 0x06, 0x09];
    let mut store = TrustStore::new();
    assert!(matches!(
        store.load_master_list(&data, "t"),
        Err(TrustError::Malformed { .. })
    ));
}

#[test]
fn missing_file_is_io_error() {
    let mut store = TrustStore::new();
    let err = store
        .load_cscas(std::path::Path::new("/nonexistent/cscas.pem"))
        .unwrap_err();
    assert!(matches!(err, TrustError::Io { .. }), "{err:?}");
}

#[test]
fn empty_store_revokes_nothing_and_has_no_candidates() {
    let store = TrustStore::new();
    assert!(!store.is_revoked(b"", &[1]));
    assert_eq!(store.cache_stats(), CacheStats::default());
    assert!(store.certificates().is_empty());
}

proptest! {
    #[test]
    fn loading_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut store = TrustStore::new();
        let _ = store.load_bytes(&bytes, "fuzz");
        let _ = store.load_master_list(&bytes, "fuzz");
        let _ = store.add_crl_der(&bytes, "fuzz");
        let _ = crate::pki::chain::verify_chain(&bytes, &store, time::OffsetDateTime::UNIX_EPOCH);
        let _ = store.certificates();
    }

    #[test]
    fn cms_shaped_bytes_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..300)) {
        // A plausible ContentInfo header followed by arbitrary bytes.
        let mut bytes = vec![0x30, 0x80, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02, 0xA0, 0x80];
        bytes.extend(tail);
        let mut store = TrustStore::new();
        let _ = store.load_master_list(&bytes, "fuzz");
    }
}
