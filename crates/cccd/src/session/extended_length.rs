//! Learning whether the chip takes extended-length APDUs before the first extended READ
//! BINARY, from EF.ATR/INFO (ISO 7816-4 §8.2.1.1, file 2F01 in the master file).
//!
//! A PC/SC reader that carries extended APDUs says so whatever the chip does; when the ATR's
//! card capabilities do not settle it ([`crate::transport::Transport::extended_length_confirmed`]),
//! a short-only chip would refuse the first extended read after PACE and the session would
//! have to open again (EF.CardAccess, PACE, SELECT: ten APDUs). Reading EF.ATR/INFO in the
//! clear first costs one APDU on every such chip instead: READ BINARY with the odd
//! instruction `B1`, whose P1-P2 name the file by its identifier (ISO 7816-4 §11.3.3), so no
//! SELECT is needed and a chip without the file answers that one command with `6A82`. A
//! short-only chip and an extended one therefore open in the same number of APDUs. (The short
//! EF identifier route, `B0` with P1 = `9D`, is not usable: in an eMRTD's master file SFI
//! `1D` is EF.CardSecurity, ICAO 9303-10.) A chip that does not implement `B1` by file
//! identifier is asked again the long way, SELECT then `B0`.
//!
//! EF.ATR/INFO holds interindustry data objects (ISO 7816-4 §12.2.2.9): the card
//! capabilities `47` (third byte, bit 7 `0x40`: "extended Lc and Le fields") and the extended
//! length information `7F66`. Either one that is present decides; neither, or no file, leaves
//! the reader's claim standing.

use super::error::SessionError;
use crate::apdu::{Command, StatusWord};
use crate::tlv::{Tag, Tlv};
use crate::transport::Transport;

/// EF.ATR/INFO's file identifier.
pub const ATR_INFO_FID: [u8; 2] = [0x2F, 0x01];

/// What EF.ATR/INFO's content says about extended length: `Some(false)` for a chip that
/// declares short APDUs only, `Some(true)` for one that declares extended length, `None`
/// when it says nothing (or does not parse).
pub fn declared_extended_length(atr_info: &[u8]) -> Option<bool> {
    let mut rest = atr_info;
    let mut declared = None;
    while !rest.is_empty() {
        // Padding between objects (ISO 7816-4 §5.2.2: 00 and FF are not tags).
        if rest[0] == 0x00 || rest[0] == 0xFF {
            rest = &rest[1..];
            continue;
        }
        let (object, after) = Tlv::parse(rest).ok()?;
        if object.tag() == Tag::new(0x7F66) {
            declared = Some(true);
        } else if object.tag() == Tag::new(0x47)
            && let Some(third) = object.value().get(2)
        {
            return Some(third & 0x40 != 0);
        }
        rest = after;
    }
    declared
}

/// Read EF.ATR/INFO in the clear and say whether the chip declares short APDUs only. Any
/// refusal (no such file, no MF access) means "not declared": `false`.
pub fn chip_declares_short_only<T: Transport + ?Sized>(
    transport: &mut T,
) -> Result<bool, SessionError> {
    // READ BINARY (B1) of file 2F01 from offset 0 (DO'54'), short Le: the file is a few dozen
    // bytes, answered inside a DO'53'.
    let read = Command::new(0x00, 0xB1, ATR_INFO_FID[0], ATR_INFO_FID[1])
        .with_data(vec![0x54, 0x01, 0x00])
        .with_le(256);
    let response = transport.transmit(&read)?;
    match response.sw {
        StatusWord::Ok | StatusWord::EndOfFile => {
            let content = Tlv::parse(&response.data)
                .ok()
                .filter(|(object, _)| object.tag() == Tag::new(0x53))
                .map(|(object, _)| object.value().to_vec());
            Ok(content.is_some_and(|c| declared_extended_length(&c) == Some(false)))
        }
        // The chip has no EF.ATR/INFO (or keeps it from the reader): nothing declared.
        StatusWord::FileNotFound | StatusWord::SecurityStatusNotSatisfied => Ok(false),
        // B1 by file identifier not implemented: SELECT, then B0.
        _ => select_and_read(transport),
    }
}

/// The long way for a chip without `B1` by file identifier: SELECT 2F01, READ BINARY.
fn select_and_read<T: Transport + ?Sized>(transport: &mut T) -> Result<bool, SessionError> {
    let select = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(ATR_INFO_FID.to_vec());
    if transport.transmit(&select)?.sw != StatusWord::Ok {
        return Ok(false);
    }
    let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_le(256);
    let response = transport.transmit(&read)?;
    if !matches!(response.sw, StatusWord::Ok | StatusWord::EndOfFile) {
        return Ok(false);
    }
    Ok(declared_extended_length(&response.data) == Some(false))
}

#[cfg(test)]
mod tests {
    use super::declared_extended_length;

    #[test]
    fn card_capabilities_and_extended_length_information() {
        // 47 03 94 01 00: card capabilities without the extended-length bit.
        assert_eq!(
            declared_extended_length(&[0x47, 0x03, 0x94, 0x01, 0x00]),
            Some(false)
        );
        assert_eq!(
            declared_extended_length(&[0x47, 0x03, 0x94, 0x01, 0x40]),
            Some(true)
        );
        // 7F66 (extended length information) alone declares extended length.
        let info = [
            0x7F, 0x66, 0x08, 0x02, 0x02, 0x08, 0x00, 0x02, 0x02, 0x08, 0x00,
        ];
        assert_eq!(declared_extended_length(&info), Some(true));
        // Padding, then other objects before the capabilities.
        let padded = [0x00, 0xFF, 0x43, 0x01, 0x80, 0x47, 0x03, 0x94, 0x01, 0x00];
        assert_eq!(declared_extended_length(&padded), Some(false));
        // Nothing said, a two-byte capabilities object, garbage.
        assert_eq!(declared_extended_length(&[0x43, 0x01, 0x80]), None);
        assert_eq!(declared_extended_length(&[0x47, 0x02, 0x94, 0x01]), None);
        assert_eq!(declared_extended_length(&[0x47, 0x05, 0x94]), None);
        assert_eq!(declared_extended_length(&[]), None);
    }
}
