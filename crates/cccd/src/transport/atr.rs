//! What an ATR says about the card: its historical bytes (ISO 7816-3 §8.2) and, in them, the
//! card capabilities (ISO 7816-4 §12.1.1.9), of which a reader needs one bit: whether the card
//! takes extended Lc and Le fields.
//!
//! Contactless readers build the ATR from the card's ATS (PC/SC part 3: `3B 8n 80 01`,
//! historical bytes, TCK), so a contactless chip that says "short APDUs only" in its ATS is
//! seen here too.

/// The historical bytes of `atr`, or `None` when the ATR is malformed or truncated.
pub fn historical_bytes(atr: &[u8]) -> Option<&[u8]> {
    let [ts, t0, rest @ ..] = atr else {
        return None;
    };
    if !matches!(ts, 0x3B | 0x3F) {
        return None;
    }
    let count = usize::from(t0 & 0x0F);
    let mut indicator = t0 >> 4;
    let mut position = 0usize;
    // At most 15 TD bytes can chain (ISO 7816-3 leaves no more room); bound the walk anyway.
    for _ in 0..16 {
        let present = indicator.count_ones() as usize;
        let has_td = indicator & 0x08 != 0;
        position += present;
        if !has_td {
            break;
        }
        let td = *rest.get(position - 1)?;
        indicator = td >> 4;
    }
    rest.get(position..position + count)
}

/// The three card-capability bytes from the historical bytes' compact-TLV objects (tag `7`),
/// when present.
pub fn card_capabilities(historical: &[u8]) -> Option<[u8; 3]> {
    let objects = match historical {
        // Category 80: compact-TLV objects only.
        [0x80, objects @ ..] => objects,
        // Category 00: compact-TLV objects, then a 3-byte status indicator.
        [0x00, objects @ ..] if objects.len() >= 3 => &objects[..objects.len() - 3],
        _ => return None,
    };
    let mut rest = objects;
    while let [header, tail @ ..] = rest {
        let (tag, len) = (header >> 4, usize::from(header & 0x0F));
        let value = tail.get(..len)?;
        if tag == 0x7 && len >= 3 {
            return Some([value[0], value[1], value[2]]);
        }
        rest = &tail[len..];
    }
    None
}

/// Whether the card says it takes extended Lc/Le (bit 7 of the third card-capability byte);
/// `None` when its ATR does not say.
pub fn extended_length(atr: &[u8]) -> Option<bool> {
    let capabilities = card_capabilities(historical_bytes(atr)?)?;
    Some(capabilities[2] & 0x40 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pc_sc_part3_contactless_atr_without_historical_bytes() {
        // 3B 80 80 01 01: no historical bytes, so nothing is said about extended length.
        let atr = [0x3B, 0x80, 0x80, 0x01, 0x01];
        assert_eq!(historical_bytes(&atr), Some(&[][..]));
        assert_eq!(extended_length(&atr), None);
    }

    #[test]
    fn card_capabilities_in_category_80_historical_bytes() {
        // 3B 85 80 01 | 80 73 94 01 xx | TCK.
        for (third, expected) in [(0x00, false), (0x40, true), (0xC0, true)] {
            let mut atr = vec![0x3B, 0x85, 0x80, 0x01, 0x80, 0x73, 0x94, 0x01, third];
            let tck = atr[1..].iter().fold(0u8, |x, b| x ^ b);
            atr.push(tck);
            assert_eq!(
                historical_bytes(&atr),
                Some(&[0x80, 0x73, 0x94, 0x01, third][..])
            );
            assert_eq!(extended_length(&atr), Some(expected), "{third:#04x}");
        }
    }

    #[test]
    fn interface_bytes_are_skipped() {
        // T0 = B2: TA1, TB1 and TD1 present, 2 historical bytes; TD1 = 01 (T=1, no more
        // interface bytes); the last byte is TCK (not checked here).
        let atr = [0x3B, 0xB2, 0x11, 0x00, 0x01, 0x00, 0x65, 0x00];
        // Category 00 needs 3 status bytes: these 2 bytes hold none.
        assert_eq!(historical_bytes(&atr), Some(&[0x00, 0x65][..]));
        assert_eq!(extended_length(&atr), None);
    }

    #[test]
    fn malformed_atrs_say_nothing() {
        for atr in [
            &[][..],
            &[0x3B],
            &[0x12, 0x80],
            // Claims 5 historical bytes, holds 2.
            &[0x3B, 0x85, 0x80, 0x01, 0x80, 0x73],
            // A compact-TLV object longer than what is left.
            &[0x3B, 0x83, 0x80, 0x01, 0x80, 0x75, 0x94],
        ] {
            assert_eq!(extended_length(atr), None, "{atr:02X?}");
        }
    }
}
