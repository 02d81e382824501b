//! Library behaviour on the repository's generated sample cards and test PKI (`testdata/`).
//! A repository test: it reads `../../testdata`, so the published package leaves it out
//! (`exclude` in Cargo.toml) rather than carry a test that cannot find its inputs.

#![allow(clippy::unwrap_used)]

use cccd::document::Document;
use cccd::pki::{TrustError, TrustStore};
use cccd::verify::Provenance;
use std::fs;
use std::path::{Path, PathBuf};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

#[test]
fn from_files_equals_load_of_the_same_folder() {
    let dir = testdata().join("cards/v01-hung-ec-bp384");
    let loaded = Document::load(&dir).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.push(("face.png".into(), vec![1, 2, 3]));
    let in_memory = Document::from_files(files).unwrap();
    assert_eq!(in_memory.meta, loaded.meta);
    let mut a: Vec<_> = in_memory.files().collect();
    let mut b: Vec<_> = loaded.files().collect();
    a.sort_by_key(|(id, _)| id.to_string());
    b.sort_by_key(|(id, _)| id.to_string());
    assert_eq!(a, b);
    assert_eq!(in_memory.provenance(), Provenance::Dump);
}

#[test]
fn typed_byte_loaders_accept_only_their_kind() {
    let pki = testdata().join("pki");
    let csca = fs::read(pki.join("csca-ec.crt.pem")).unwrap();
    let crl = fs::read(pki.join("csca-ec.crl.pem")).unwrap();
    let mut store = TrustStore::new();
    assert!(matches!(
        store.load_crls_bytes(&csca, "csca"),
        Err(TrustError::WrongKind { .. })
    ));
    assert!(matches!(
        store.load_masterlist_bytes(&csca, "csca"),
        Err(TrustError::WrongKind { .. })
    ));
    assert_eq!(
        store
            .load_cscas_bytes(&csca, "csca")
            .unwrap()
            .certificates_added,
        1
    );
    assert!(store.load_cscas_bytes(&crl, "crl").is_err());
    assert_eq!(store.load_crls_bytes(&crl, "crl").unwrap().crls_added, 1);
    assert_eq!(store.len(), 1);
}
