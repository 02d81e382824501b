//! Hex text for bytes that cross into JSON or the terminal (ATRs, AA challenges, key seeds).

use std::fmt::Write as _;

/// Lower-case hex.
pub fn encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Upper-case hex.
pub fn encode_upper(bytes: &[u8]) -> String {
    encode(bytes).to_ascii_uppercase()
}

/// Decode hex (either case, surrounding whitespace ignored) of at most `max_bytes` bytes.
/// `None` for odd lengths, non-hex characters or input over the bound.
pub fn decode(text: &str, max_bytes: usize) -> Option<Vec<u8>> {
    let t = text.trim();
    if !t.len().is_multiple_of(2)
        || t.len() / 2 > max_bytes
        || !t.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    (0..t.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&t[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        assert_eq!(encode(&[0x3B, 0x80, 0x0a]), "3b800a");
        assert_eq!(encode_upper(&[0x3B, 0x80, 0x0a]), "3B800A");
        assert_eq!(decode(" 3B800a\n", 3), Some(vec![0x3B, 0x80, 0x0A]));
        assert_eq!(decode("3B800A", 2), None);
        assert_eq!(decode("3B8", 8), None);
        assert_eq!(decode("+1", 8), None);
        assert_eq!(decode("zz", 8), None);
        assert_eq!(decode("", 8), Some(vec![]));
    }
}
