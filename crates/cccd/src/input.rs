//! Reading untrusted files: regular files only, size-checked before and bounded during the
//! read, never blocking on a FIFO or a device.
//!
//! Every file cccd reads on a caller's behalf (dump files, `card.json`, certificates, CRLs,
//! master lists, QR pictures) goes through [`read_regular_file`], so `--csca /dev/zero` or a
//! FIFO named `DG1` is refused at once with an error naming the file, instead of exhausting
//! memory or hanging.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The path is not a regular file (a folder, FIFO, socket or device).
    #[error("{path}: not a regular file ({kind})")]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is instead.
        kind: &'static str,
    },
    /// The file is larger than the limit for what it should hold.
    #[error("{path}: {size} bytes is larger than the {limit}-byte limit for this kind of file")]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// Its size (or the bytes read before stopping).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A symbolic link in a dump folder points outside it.
    #[error("{path}: a symbolic link to outside the folder is not read")]
    LinkOutside {
        /// The link.
        path: PathBuf,
    },
    /// The OS refused.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl InputError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::NotRegular { path, .. }
            | Self::TooLarge { path, .. }
            | Self::LinkOutside { path }
            | Self::Io { path, .. } => path,
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> InputError + '_ {
    move |source| InputError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What a non-regular file is, in words.
pub fn kind_of(file_type: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "not a file"
    }
}

/// Read `path` if it is a regular file (symbolic links followed) of at most `limit` bytes.
pub fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    // Check the type before opening: opening a FIFO for reading blocks until a writer comes.
    let md = fs::metadata(path).map_err(io(path))?;
    if !md.is_file() {
        return Err(InputError::NotRegular {
            path: path.to_owned(),
            kind: kind_of(md.file_type()),
        });
    }
    read_opened(path, limit)
}

/// Open `path` without blocking, then check on the open file that it is a regular file of at
/// most `limit` bytes and read it (the size known from the open file's metadata, so the
/// buffer is allocated once).
fn read_opened(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Should the path be swapped for a FIFO after the check, the open still returns.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io(path))?;
    let md = file.metadata().map_err(io(path))?;
    if !md.is_file() {
        return Err(InputError::NotRegular {
            path: path.to_owned(),
            kind: kind_of(md.file_type()),
        });
    }
    if md.len() > limit {
        return Err(InputError::TooLarge {
            path: path.to_owned(),
            size: md.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(md.len()).unwrap_or(0));
    // `take` bounds the read even if the file grows after the check.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io(path))?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path: path.to_owned(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Read an entry of folder `dir` (canonical path `dir_canonical`): a regular file, or a
/// symbolic link that resolves to a regular file inside the folder.
pub fn read_folder_entry(
    dir_canonical: &Path,
    entry: &fs::DirEntry,
    limit: u64,
) -> Result<Vec<u8>, InputError> {
    let path = entry.path();
    let file_type = entry.file_type().map_err(io(&path))?;
    if file_type.is_symlink() {
        let target = fs::canonicalize(&path).map_err(io(&path))?;
        if !target.starts_with(dir_canonical) {
            return Err(InputError::LinkOutside { path });
        }
    } else if file_type.is_file() {
        // The directory entry already says "regular file": no stat before the open (the
        // open is non-blocking and its own metadata is checked again).
        return read_opened(&path, limit);
    } else {
        return Err(InputError::NotRegular {
            path,
            kind: kind_of(file_type),
        });
    }
    read_regular_file(&path, limit)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn devices_and_fifos_are_refused_at_once() {
        let e = read_regular_file(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(
            matches!(
                e,
                InputError::NotRegular {
                    kind: "a device",
                    ..
                }
            ),
            "{e}"
        );
        let dir = std::env::temp_dir().join(format!("cccd-input-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("fifo");
        let _ = fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = read_regular_file(&fifo, 1024).unwrap_err();
            assert!(
                matches!(e, InputError::NotRegular { kind: "a FIFO", .. }),
                "{e}"
            );
        } else {
            panic!("mkfifo is needed for this test");
        }
        let big = dir.join("big");
        fs::write(&big, vec![0u8; 2048]).unwrap();
        assert!(matches!(
            read_regular_file(&big, 1024).unwrap_err(),
            InputError::TooLarge { size: 2048, .. }
        ));
        assert_eq!(read_regular_file(&big, 4096).unwrap().len(), 2048);
        let e = read_regular_file(&dir, 1024).unwrap_err();
        assert!(
            matches!(
                e,
                InputError::NotRegular {
                    kind: "a folder",
                    ..
                }
            ),
            "{e}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
