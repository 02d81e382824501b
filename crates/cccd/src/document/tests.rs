use super::*;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cccd-doc-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    d
}

fn sample() -> Document {
    let mut d = Document::new();
    d.insert(FileId::Com, vec![0x60, 0x00]);
    d.insert(FileId::Dg(DataGroup::Dg1), vec![0x61, 0x01, 0x00]);
    d.insert(FileId::Sod, vec![0x77, 0x00]);
    d.meta.reader = Some("Virtual PCD 00 00".into());
    d.meta.access = Some(AccessProtocol::PaceCan);
    d.meta.active_authentication = Some(ActiveAuthRecord {
        challenge: "0102030405060708".into(),
        response: "AA".into(),
    });
    d
}

#[test]
fn save_then_load_round_trips() {
    let dir = tmp("rt");
    let doc = sample();
    doc.save(&dir).unwrap();
    let back = Document::load(&dir).unwrap();
    assert_eq!(back.get(FileId::Com), doc.get(FileId::Com));
    assert_eq!(back.dg(DataGroup::Dg1), Some(&[0x61, 0x01, 0x00][..]));
    assert_eq!(back.meta, doc.meta);
    assert_eq!(back.data_groups(), vec![DataGroup::Dg1]);
    assert!(dir.join("EF.COM").is_file());
    assert!(dir.join("DG1").is_file());
    fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn saved_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp("mode");
    sample().save(&dir).unwrap();
    assert_eq!(
        fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    for e in fs::read_dir(&dir).unwrap() {
        let mode = e.unwrap().metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn save_refuses_to_overwrite_and_leaves_no_partial_folder() {
    let dir = tmp("exists");
    fs::create_dir_all(&dir).unwrap();
    assert!(matches!(sample().save(&dir), Err(DocumentError::Exists(_))));
    fs::remove_dir_all(&dir).unwrap();

    // A save into a parent that does not exist fails before anything is written.
    let nested = tmp("noparent").join("a").join("b");
    assert!(sample().save(&nested).is_err());
    assert!(!nested.exists());
}

#[test]
fn load_accepts_other_tools_names() {
    let dir = tmp("variants");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("COM.bin"), [0x60, 0x00]).unwrap();
    fs::write(dir.join("EF_DG1.bin"), [0x61, 0x00]).unwrap();
    fs::write(dir.join("SOD.bin"), [0x77, 0x00]).unwrap();
    fs::write(dir.join("notes.txt"), b"ignored").unwrap();
    let doc = Document::load(&dir).unwrap();
    assert_eq!(doc.get(FileId::Com), Some(&[0x60, 0x00][..]));
    assert_eq!(doc.get(FileId::Sod), Some(&[0x77, 0x00][..]));
    assert_eq!(doc.meta, ReadMeta::default());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn load_rejects_bad_folders_with_typed_errors() {
    let dir = tmp("bad");
    fs::create_dir_all(&dir).unwrap();
    assert!(matches!(Document::load(&dir), Err(DocumentError::Empty(_))));
    fs::write(dir.join("DG1"), [0x61, 0x00]).unwrap();
    fs::write(dir.join("DG1.bin"), [0x61, 0x00]).unwrap();
    assert!(matches!(
        Document::load(&dir),
        Err(DocumentError::Duplicate { .. })
    ));
    fs::remove_file(dir.join("DG1.bin")).unwrap();
    fs::write(dir.join("card.json"), b"{not json").unwrap();
    assert!(matches!(
        Document::load(&dir),
        Err(DocumentError::BadMeta { .. })
    ));
    fs::remove_file(dir.join("card.json")).unwrap();
    let big = fs::File::create(dir.join("DG2")).unwrap();
    big.set_len(MAX_FILE_SIZE + 1).unwrap();
    assert!(matches!(
        Document::load(&dir),
        Err(DocumentError::TooLarge { .. })
    ));
    fs::remove_dir_all(&dir).unwrap();
    assert!(matches!(
        Document::load(&dir),
        Err(DocumentError::Io { .. })
    ));
}

#[test]
fn debug_does_not_show_file_contents() {
    let mut d = Document::new();
    d.insert(
        FileId::Dg(DataGroup::Dg13),
        "Nguyễn Văn A".as_bytes().to_vec(),
    );
    let s = format!("{d:?}");
    assert!(!s.contains("Nguy"));
    assert!(s.contains("DG13"));
}

#[test]
fn from_files_applies_the_loader_limits() {
    let big = vec![0u8; usize::try_from(MAX_FILE_SIZE).unwrap() + 1];
    let err = Document::from_files([("EF.SOD", &big[..])]).unwrap_err();
    assert!(
        matches!(&err, DocumentError::TooLarge { path, size } if path == Path::new("EF.SOD") && *size == MAX_FILE_SIZE + 1),
        "{err}"
    );
    let meta = vec![b' '; usize::try_from(MAX_META_SIZE).unwrap() + 1];
    let err =
        Document::from_files([("DG1", &b"\x61\x00"[..]), ("card.json", &meta[..])]).unwrap_err();
    assert!(matches!(err, DocumentError::TooLarge { .. }), "{err}");
    let err = Document::from_files([("DG1", &b"a"[..]), ("EF_DG1.bin", &b"b"[..])]).unwrap_err();
    assert!(
        matches!(&err, DocumentError::Duplicate { file: FileId::Dg(DataGroup::Dg1), first, second } if first == "DG1" && second == "EF_DG1.bin"),
        "{err}"
    );
    let err = Document::from_files([("README", &b"x"[..])]).unwrap_err();
    assert!(matches!(err, DocumentError::Empty(_)), "{err}");
    let err = Document::from_files([("DG1", &b"a"[..]), ("card.json", &b"{"[..])]).unwrap_err();
    assert!(matches!(err, DocumentError::BadMeta { .. }), "{err}");
}

#[test]
fn file_id_from_name_is_the_loaders_mapping() {
    assert_eq!(FileId::from_name("SOD.bin"), Some(FileId::Sod));
    assert_eq!(FileId::from_name("ef.cardaccess"), Some(FileId::CardAccess));
    assert_eq!(FileId::from_name("DG17"), None);
}
