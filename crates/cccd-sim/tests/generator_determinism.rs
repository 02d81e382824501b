//! The generator regenerates the committed `testdata/` byte for byte from the seed alone
//! (keys included: the run below starts without `pki/keys/`, so RSA-4096 and every other key
//! is generated again from the seed and must equal the committed files).

use cccd_sim::generator::{GenOptions, generate};
use cccd_testkit::{manifest, testdata};
use std::collections::BTreeMap;
use std::path::Path;

fn seed() -> u64 {
    manifest().seed
}

/// Every file under `root` (relative path -> bytes).
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .expect("prefix")
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn opj_available() -> bool {
    std::process::Command::new("opj_compress")
        .arg("-h")
        .output()
        .is_ok()
}

#[test]
fn regenerating_from_the_seed_reproduces_testdata_byte_for_byte() {
    if !opj_available() {
        eprintln!("SKIPPED: opj_compress (libopenjp2-tools) is needed for the JPEG 2000 faces");
        return;
    }
    let tmp = std::env::temp_dir().join(format!("cccd-gen-determinism-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let started = std::time::Instant::now();
    generate(&GenOptions {
        seed: seed(),
        out: tmp.clone(),
        key_dir: None,
    })
    .expect("generate");
    eprintln!("generated in {:?}", started.elapsed());
    let fresh = files(&tmp);
    let committed = files(&testdata());
    let _ = std::fs::remove_dir_all(&tmp);
    let fresh_names: Vec<&String> = fresh.keys().collect();
    let committed_names: Vec<&String> = committed.keys().collect();
    assert_eq!(fresh_names, committed_names, "the set of files differs");
    for (name, bytes) in &committed {
        assert!(
            fresh.get(name) == Some(bytes),
            "{name} differs from the committed file"
        );
    }
    assert!(
        committed.len() > 200,
        "testdata looks incomplete: {} files",
        committed.len()
    );
}

#[test]
fn another_seed_gives_other_keys_and_ids() {
    if !opj_available() {
        eprintln!("SKIPPED: opj_compress missing");
        return;
    }
    let tmp = std::env::temp_dir().join(format!("cccd-gen-seed2-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    generate(&GenOptions {
        seed: seed() + 1,
        out: tmp.clone(),
        key_dir: None,
    })
    .expect("generate");
    let a = std::fs::read(tmp.join("pki/keys/csca-ec.key.pem")).expect("key");
    let b = std::fs::read(testdata().join("pki/keys/csca-ec.key.pem")).expect("key");
    let sod_a = std::fs::read(tmp.join("cards/v01-hung-ec-bp384/EF.SOD")).expect("sod");
    let sod_b = std::fs::read(testdata().join("cards/v01-hung-ec-bp384/EF.SOD")).expect("sod");
    let _ = std::fs::remove_dir_all(&tmp);
    assert_ne!(a, b, "a different seed must give a different CSCA key");
    assert_ne!(sod_a, sod_b);
}
