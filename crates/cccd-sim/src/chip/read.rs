//! READ BINARY as ISO 7816-4 §11.3.3 has a card answer it, and what a short-only chip says
//! about itself (ATR card capabilities, EF.ATR/INFO).
//!
//! - The answer never exceeds Le, the chip's own maximum, or the room the APDU leaves (256
//!   bytes for a short APDU, secure-messaging objects included: a short protected read gets
//!   at most 223 plain bytes under AES, the 0xDF that cards use).
//! - A read that reaches the end of the file before Le bytes answers what is left with `6282`.
//! - An offset at or past the end answers `6B00`.

use super::{Selected, StatusWord, VirtualChip, sw};
use cccd::apdu::{Command, Response, SHORT_LE_MAX};
use cccd::lds::FileId;
use cccd::tlv::{self, Tag};

/// The file identifier of EF.ATR/INFO in the master file (ISO 7816-4 §8.2.1.1).
pub const ATR_INFO_FID: u16 = 0x2F01;

/// The three card-capability bytes (ISO 7816-4 §12.1.1.9, compact-TLV tag `7`): DF selection
/// by full name, by file identifier, short EF identifiers; one-byte data units; and in the
/// third byte bit 7 (`0x40`), "extended Lc and Le fields", set only when `extended`.
pub fn card_capabilities(extended: bool) -> [u8; 3] {
    [0x94, 0x01, if extended { 0x40 } else { 0x00 }]
}

/// The ATR of a short-only contactless chip as PC/SC part 3 builds it from the ATS: `3B 8n 80
/// 01`, then the historical bytes (category `80`, compact-TLV card capabilities `73 ..`), then
/// the check byte TCK (XOR of every byte after TS).
pub fn short_only_atr() -> Vec<u8> {
    let mut historical = vec![0x80, 0x73];
    historical.extend_from_slice(&card_capabilities(false));
    let count = u8::try_from(historical.len()).unwrap_or(0x0F) & 0x0F;
    let mut atr = vec![0x3B, 0x80 | count, 0x80, 0x01];
    atr.extend_from_slice(&historical);
    let tck = atr[1..].iter().fold(0u8, |x, b| x ^ b);
    atr.push(tck);
    atr
}

/// EF.ATR/INFO of the short-only chip: the card-capabilities data object `47` (interindustry,
/// ISO 7816-4 §12.2.2.9) without the extended-length bit.
fn atr_info_bytes() -> Vec<u8> {
    tlv::encode(Tag::new(0x47), &card_capabilities(false))
}

/// The most chunk bytes whose DO'53' wrapping (tag, BER length, chunk) fits `room`.
fn do53_chunk_room(room: usize) -> usize {
    let header = |n: usize| match n {
        0..=0x7F => 2,
        0x80..=0xFF => 3,
        0x100..=0xFFFF => 4,
        _ => 5,
    };
    let mut n = room.saturating_sub(2);
    while n > 0 && header(n) + n > room {
        n -= 1;
    }
    n
}

impl VirtualChip {
    /// EF.ATR/INFO when the profile advertises short-only.
    pub(super) fn atr_info(&self) -> Option<Vec<u8>> {
        self.config.advertise_short_only.then(atr_info_bytes)
    }

    pub(super) fn read_binary(&mut self, command: &Command) -> Response {
        let (selected, offset) = match self.read_target(command) {
            Ok(t) => t,
            Err(s) => return sw(s),
        };
        let bytes = match selected {
            Selected::File(file) => {
                if let Err(s) = self.readable(file) {
                    return sw(s);
                }
                match self.files.get(file) {
                    Some(b) => b.to_vec(),
                    None => return sw(StatusWord::FileNotFound),
                }
            }
            Selected::AtrInfo => self.atr_info().unwrap_or_default(),
        };
        if offset >= bytes.len() {
            return sw(StatusWord::WrongP1P2);
        }
        let le = command.le.unwrap_or(SHORT_LE_MAX);
        let odd = command.ins == 0xB1;
        // Le counts the whole answer, DO'53' included for B1.
        let room = le.min(self.response_room);
        let room = if odd { do53_chunk_room(room) } else { room };
        let remaining = bytes.len() - offset;
        let n = room.min(self.config.max_read).min(remaining);
        if n == 0 {
            // Le too small for even one byte (of a DO'53' answer).
            return sw(StatusWord::WrongLength);
        }
        let chunk = &bytes[offset..offset + n];
        let asked = if odd { do53_chunk_room(le) } else { le };
        let status = if n == remaining && remaining < asked {
            StatusWord::EndOfFile
        } else {
            StatusWord::Ok
        };
        if odd {
            Response::new(tlv::encode(Tag::new(0x53), chunk), status)
        } else {
            Response::new(chunk.to_vec(), status)
        }
    }

    fn read_target(&mut self, command: &Command) -> Result<(Selected, usize), StatusWord> {
        if command.ins == 0xB1 {
            // P1-P2: a file id, or 0000 for the current EF; offset in DO'54'.
            let fid = u16::from_be_bytes([command.p1, command.p2]);
            if fid == ATR_INFO_FID
                && matches!(self.df, super::Df::Master)
                && self.atr_info().is_some()
            {
                self.ef = Some(Selected::AtrInfo);
            } else if fid != 0 {
                let id = self
                    .files
                    .find(self.df, fid)
                    .ok_or(StatusWord::FileNotFound)?;
                self.ef = Some(Selected::File(id));
            }
            let (tlv, _) = tlv::Tlv::parse(&command.data).map_err(|_| StatusWord::IncorrectData)?;
            if tlv.tag() != Tag::new(0x54) || tlv.value().len() > 3 {
                return Err(StatusWord::IncorrectData);
            }
            let offset = tlv
                .value()
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            return Ok((self.ef.ok_or(StatusWord::CommandNotAllowed)?, offset));
        }
        if command.p1 & 0x80 != 0 {
            let sfi = command.p1 & 0x1F;
            let id: FileId = self
                .files
                .find_sfi(self.df, sfi)
                .ok_or(StatusWord::FileNotFound)?;
            self.ef = Some(Selected::File(id));
            return Ok((Selected::File(id), usize::from(command.p2)));
        }
        let offset = usize::from(u16::from_be_bytes([command.p1 & 0x7F, command.p2]));
        Ok((self.ef.ok_or(StatusWord::CommandNotAllowed)?, offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_only_atr_is_well_formed() {
        let atr = short_only_atr();
        assert_eq!(atr[..4], [0x3B, 0x85, 0x80, 0x01]);
        assert_eq!(atr[4..9], [0x80, 0x73, 0x94, 0x01, 0x00]);
        // TCK makes the XOR of T0..TCK zero.
        assert_eq!(atr[1..].iter().fold(0u8, |x, b| x ^ b), 0);
        assert_eq!(card_capabilities(true)[2] & 0x40, 0x40);
        assert_eq!(card_capabilities(false)[2] & 0x40, 0);
    }

    #[test]
    fn do53_room_is_the_largest_that_fits() {
        for room in [0usize, 1, 2, 3, 100, 129, 130, 223, 256, 258, 65_536] {
            let n = do53_chunk_room(room);
            let encoded = tlv::encode(Tag::new(0x53), &vec![0; n]).len();
            assert!(encoded <= room || n == 0, "room {room}: {encoded}");
            let bigger = tlv::encode(Tag::new(0x53), &vec![0; n + 1]).len();
            assert!(bigger > room, "room {room}: {n} is not the largest");
        }
    }
}
