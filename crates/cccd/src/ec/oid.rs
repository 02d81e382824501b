//! Dotted-decimal rendering of DER OBJECT IDENTIFIER contents.

use std::fmt::Write;

/// Render the content bytes of a DER OBJECT IDENTIFIER as dotted decimal (`0.4.0.127.0.7...`).
///
/// `None` for an empty input, a truncated arc, a non-minimal arc (leading 0x80) or an arc
/// larger than 64 bits.
pub fn oid_to_string(content: &[u8]) -> Option<String> {
    let mut out = String::new();
    let mut arc: u64 = 0;
    let mut first = true;
    let mut in_arc = false;
    for &byte in content {
        if !in_arc && byte == 0x80 {
            return None;
        }
        if arc > (u64::MAX >> 7) {
            return None;
        }
        arc = (arc << 7) | u64::from(byte & 0x7F);
        in_arc = byte & 0x80 != 0;
        if !in_arc {
            if first {
                // The first arc packs X.Y as 40X + Y, X in 0..=2.
                let (x, y) = match arc {
                    0..=39 => (0, arc),
                    40..=79 => (1, arc - 40),
                    _ => (2, arc - 80),
                };
                let _ = write!(out, "{x}.{y}");
                first = false;
            } else {
                let _ = write!(out, ".{arc}");
            }
            arc = 0;
        }
    }
    if in_arc || first { None } else { Some(out) }
}
