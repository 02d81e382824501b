//! Dotted-decimal rendering of DER OBJECT IDENTIFIER contents.

use std::fmt::Write;

/// Render the content bytes of a DER OBJECT IDENTIFIER as dotted decimal (`0.4.0.127.0.7...`).
///
/// `None` for an empty input, a truncated arc, a non-minimal arc (leading 0x80) or an arc
/// larger than 64 bits.
pub fn oid_to_string(content: &[u8]) -> Option<String> {
    let mut out = String::new();
    let valid = each_arc(content, |i, arc| {
        let _ = if i == 0 {
            write!(out, "{arc}")
        } else {
            write!(out, ".{arc}")
        };
    });
    valid.then_some(out)
}

/// Whether `content` is a valid DER OBJECT IDENTIFIER body ([`oid_to_string`]'s rules),
/// without rendering it: SecurityInfos check every protocol OID on each parse.
pub(crate) fn is_valid_oid(content: &[u8]) -> bool {
    each_arc(content, |_, _| {})
}

/// Call `visit(index, arc)` for each arc, the first byte's packed `X.Y` as two arcs; `false`
/// (after visiting some arcs) when the encoding is invalid.
fn each_arc(content: &[u8], mut visit: impl FnMut(usize, u64)) -> bool {
    let mut arc: u64 = 0;
    let mut index = 0;
    let mut in_arc = false;
    for &byte in content {
        if (!in_arc && byte == 0x80) || arc > (u64::MAX >> 7) {
            return false;
        }
        arc = (arc << 7) | u64::from(byte & 0x7F);
        in_arc = byte & 0x80 != 0;
        if !in_arc {
            if index == 0 {
                // The first arc packs X.Y as 40X + Y, X in 0..=2.
                let (x, y) = match arc {
                    0..=39 => (0, arc),
                    40..=79 => (1, arc - 40),
                    _ => (2, arc - 80),
                };
                visit(0, x);
                visit(1, y);
                index = 2;
            } else {
                visit(index, arc);
                index += 1;
            }
            arc = 0;
        }
    }
    !in_arc && index > 0
}
