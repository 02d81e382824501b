//! Reading one elementary file: SELECT, then READ BINARY in the largest chunks allowed, each
//! file's length taken from its own TLV header, no byte read twice.

use super::error::SessionError;
use super::plan::{Progress, ReadStrategy};
use crate::apdu::{Command, Response, SHORT_LE_MAX, StatusWord};
use crate::document::MAX_FILE_SIZE;
use crate::lds::FileId;
use crate::sm::SecureChannel;
use crate::tlv::{self, Tag, TlvErrorKind};
use crate::transport::{Transport, TransportError};

/// The largest offset READ BINARY B0 can address; beyond it, B1 with DO'54'.
const B0_MAX_OFFSET: usize = 0x7FFF;
/// Bytes that DO'53' wraps around B1 response data (tag + up to 3 length bytes).
const B1_OVERHEAD: usize = 4;

/// The Le of a B1 read for `chunk` bytes: Le counts the whole answer, DO'53' header included.
fn b1_le(chunk: usize) -> usize {
    let header = match chunk {
        0..=0x7F => 2,
        0x80..=0xFF => 3,
        _ => 4,
    };
    chunk + header
}

/// How reading a file ended badly.
#[non_exhaustive]
pub enum ReadError {
    /// Stopped mid-file; `bytes` were read and stay valid for a resume.
    Interrupted {
        /// What was read.
        bytes: Vec<u8>,
        /// Why it stopped.
        error: SessionError,
    },
    /// Not worth resuming.
    Failed(SessionError),
}

/// Read EF.CardAccess in the clear: SELECT by file id 011C (no MF selection needed, which
/// some hosts cannot do), then READ BINARY. `None` when the chip has no such file.
pub fn read_card_access<T: Transport + ?Sized>(
    transport: &mut T,
) -> Result<Option<Vec<u8>>, SessionError> {
    let select = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(vec![0x01, 0x1C]);
    let mut r = transport.transmit(&select)?;
    // A chip still in a secure session from before (a reconnection without a power cycle)
    // refuses the first plain command and drops that session: ask again.
    if matches!(
        r.sw,
        StatusWord::SecurityStatusNotSatisfied
            | StatusWord::SmObjectsMissing
            | StatusWord::SmObjectsIncorrect
    ) {
        r = transport.transmit(&select)?;
    }
    if r.sw != StatusWord::Ok {
        return Ok(None);
    }
    match read_card_access_bytes(transport)? {
        // No current EF (6986): something selected another file between our SELECT and READ
        // (another program, or a card that was reset); select again, once.
        Err(StatusWord::CommandNotAllowed) => {
            if transport.transmit(&select)?.sw != StatusWord::Ok {
                return Ok(None);
            }
            Ok(read_card_access_bytes(transport)?.ok())
        }
        found => Ok(found.ok()),
    }
}

/// READ BINARY of the selected EF.CardAccess; `Err(sw)` when the first read is refused.
fn read_card_access_bytes<T: Transport + ?Sized>(
    transport: &mut T,
) -> Result<Result<Vec<u8>, StatusWord>, SessionError> {
    let mut bytes = Vec::new();
    // EF.CardAccess is small (under 1 KiB on every chip seen): short reads suffice.
    loop {
        let offset = bytes.len();
        if offset > B0_MAX_OFFSET || offset > 4096 {
            return Err(SessionError::Malformed {
                file: FileId::CardAccess,
                reason: "larger than 4 KiB".into(),
            });
        }
        let read =
            Command::new(0x00, 0xB0, (offset >> 8) as u8, offset as u8).with_le(SHORT_LE_MAX);
        let r = transport.transmit(&read)?;
        match r.sw {
            StatusWord::Ok | StatusWord::EndOfFile => {}
            // Past the end: done.
            StatusWord::WrongP1P2 if offset > 0 => break,
            sw if offset == 0 => return Ok(Err(sw)),
            sw => {
                return Err(SessionError::Status {
                    file: FileId::CardAccess,
                    sw,
                });
            }
        }
        let got = r.data.len();
        bytes.extend_from_slice(&r.data);
        if let Some(total) = total_length(&bytes, FileId::CardAccess)?
            && bytes.len() >= total
        {
            bytes.truncate(total);
            break;
        }
        if got == 0 || r.sw == StatusWord::EndOfFile {
            break;
        }
    }
    Ok(Ok(bytes))
}

/// The total encoded length of a file from its first bytes, once the header is complete.
fn total_length(prefix: &[u8], file: FileId) -> Result<Option<usize>, SessionError> {
    match tlv::parse_header(prefix) {
        Ok(h) => {
            let total = h.total_len();
            if total as u64 > MAX_FILE_SIZE {
                return Err(SessionError::Malformed {
                    file,
                    reason: format!("claims {total} bytes, more than any chip file"),
                });
            }
            Ok(Some(total))
        }
        Err(e) if matches!(e.kind, TlvErrorKind::Truncated { .. } | TlvErrorKind::Empty) => {
            Ok(None)
        }
        Err(e) => Err(SessionError::Malformed {
            file,
            reason: e.kind.to_string(),
        }),
    }
}

fn read_command(offset: usize, le: usize) -> Command {
    if offset <= B0_MAX_OFFSET {
        Command::new(0x00, 0xB0, (offset >> 8) as u8, offset as u8).with_le(le)
    } else {
        let mut data = Vec::with_capacity(5);
        let bytes = (offset as u32).to_be_bytes();
        let first = bytes.iter().position(|&b| b != 0).unwrap_or(3);
        tlv::write(Tag::new(0x54), &bytes[first..], &mut data);
        Command::new(0x00, 0xB1, 0x00, 0x00)
            .with_data(data)
            .with_le(b1_le(le))
    }
}

/// Unwrap DO'53' from a B1 answer.
fn read_data(offset: usize, response: Response, file: FileId) -> Result<Vec<u8>, SessionError> {
    if offset <= B0_MAX_OFFSET {
        return Ok(response.data);
    }
    match tlv::Tlv::parse(&response.data) {
        Ok((t, _)) if t.tag() == Tag::new(0x53) => Ok(t.value().to_vec()),
        _ => Err(SessionError::Malformed {
            file,
            reason: "READ BINARY (B1) answer is not a DO'53'".into(),
        }),
    }
}

/// The chip says the file ends after `bytes`. An empty file, or one too short for its own
/// header, is returned as read (verification names what is wrong with it); a file shorter
/// than its header claims is malformed.
fn end_of_file(
    bytes: Vec<u8>,
    total: Option<usize>,
    file: FileId,
) -> Result<Option<Vec<u8>>, ReadError> {
    match total {
        Some(t) if bytes.len() < t => Err(ReadError::Failed(SessionError::Malformed {
            file,
            reason: format!(
                "the chip's file ends after {} bytes; its header claims {t}",
                bytes.len()
            ),
        })),
        _ => Ok(Some(bytes)),
    }
}

/// EF.CardSecurity over the channel PACE just opened, while the master file is still the
/// current DF (inside the eMRTD application `011D` is EF.SOD). Short APDUs: nothing is known
/// yet about extended-length support, and a chip that refuses one may end the session.
/// `None` when the chip has none or refuses it (the DG14 key then serves PACE-CAM);
/// transport failures are errors.
pub fn read_card_security<T: Transport>(
    channel: &mut SecureChannel<T>,
) -> Result<Option<Vec<u8>>, SessionError> {
    let mut strategy = ReadStrategy {
        extended: false,
        ..ReadStrategy::default()
    };
    match read_file(
        channel,
        FileId::CardSecurity,
        Vec::new(),
        &mut strategy,
        &mut |_| {},
    ) {
        Ok(bytes) => Ok(bytes),
        Err(
            ReadError::Failed(SessionError::Status { sw, .. })
            | ReadError::Interrupted {
                error: SessionError::Status { sw, .. },
                ..
            },
        ) => {
            log::info!("EF.CardSecurity refused ({sw}); PACE-CAM falls back to DG14's key");
            Ok(None)
        }
        Err(ReadError::Failed(e) | ReadError::Interrupted { error: e, .. }) => Err(e),
    }
}

/// Read one file over the channel, continuing after `start` (bytes already read). `Ok(None)`
/// when the chip has no such file; a refusal for lack of security status (6982) is an
/// interruption the session resolves.
pub fn read_file<T: Transport>(
    channel: &mut SecureChannel<T>,
    file: FileId,
    start: Vec<u8>,
    strategy: &mut ReadStrategy,
    progress: &mut dyn FnMut(Progress),
) -> Result<Option<Vec<u8>>, ReadError> {
    let fid = file.fid().to_be_bytes().to_vec();
    let select = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(fid);
    let interrupted = |bytes: Vec<u8>, e: TransportError| ReadError::Interrupted {
        bytes,
        error: e.into(),
    };
    let r = match channel.transmit(&select) {
        Ok(r) => r,
        Err(e) => return Err(interrupted(start, e)),
    };
    match r.sw {
        StatusWord::Ok => {}
        StatusWord::FileNotFound => return Ok(None),
        // Terminal authentication needed, or the chip's secure session is gone (another
        // program's APDU): the session tells the two apart by authenticating again.
        sw @ (StatusWord::SecurityStatusNotSatisfied
        | StatusWord::SmObjectsMissing
        | StatusWord::SmObjectsIncorrect) => {
            return Err(ReadError::Interrupted {
                bytes: start,
                error: SessionError::Status { file, sw },
            });
        }
        sw => return Err(ReadError::Failed(SessionError::Status { file, sw })),
    }
    let limit = |strategy: &ReadStrategy, channel: &SecureChannel<T>| {
        let link_max = if strategy.extended {
            channel.max_read_len()
        } else {
            crate::sm::max_response_data(channel.cipher(), false)
        };
        strategy.max_le.map_or(link_max, |m| m.min(link_max)).max(1)
    };
    let max = limit(strategy, channel);
    let mut bytes = start;
    let mut total = total_length(&bytes, file).map_err(ReadError::Failed)?;
    loop {
        if let Some(t) = total
            && bytes.len() >= t
        {
            bytes.truncate(t);
            return Ok(Some(bytes));
        }
        let offset = bytes.len();
        let want = match total {
            Some(t) => t - offset,
            None if strategy.header_first => 4usize.saturating_sub(offset).max(1),
            None => max,
        };
        let room = if offset > B0_MAX_OFFSET {
            max.saturating_sub(B1_OVERHEAD).max(1)
        } else {
            max
        };
        let le = want.min(room);
        let response = match channel.transmit(&read_command(offset, le)) {
            Ok(r) => r,
            Err(e) => return Err(interrupted(bytes, e)),
        };
        match response.sw {
            StatusWord::Ok | StatusWord::EndOfFile => {}
            // ISO 7816-4: an offset at or past the end of the file.
            StatusWord::WrongP1P2 => return end_of_file(bytes, total, file),
            // The reader takes extended APDUs but the chip does not. Chips may end secure
            // messaging on such an error, so the session opens again and reads short.
            StatusWord::WrongLength if strategy.extended && le > SHORT_LE_MAX => {
                log::info!("the chip refused an extended-length read; switching to short APDUs");
                strategy.extended = false;
                return Err(ReadError::Interrupted {
                    bytes,
                    error: SessionError::ExtendedLengthRefused,
                });
            }
            sw => {
                return Err(ReadError::Interrupted {
                    bytes,
                    error: SessionError::Status { file, sw },
                });
            }
        }
        let data = match read_data(offset, response, file) {
            Ok(d) => d,
            Err(e) => return Err(ReadError::Interrupted { bytes, error: e }),
        };
        if data.is_empty() {
            // Some chips answer a read at the end with no data (9000 or 6282) instead of 6B00.
            return end_of_file(bytes, total, file);
        }
        bytes.extend_from_slice(&data);
        if total.is_none() {
            total = total_length(&bytes, file).map_err(ReadError::Failed)?;
        }
        progress(Progress {
            file,
            done: bytes.len().min(total.unwrap_or(usize::MAX)),
            total: total.unwrap_or(0),
        });
    }
}
