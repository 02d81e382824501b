//! proptest: the parser never panics, whatever it is fed, and refuses oversize input.

mod common;

use cccd_qr::{QrError, parse, parse_bytes};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_never_panics_on_strings(s in "\\PC{0,600}") {
        let _ = parse(&s);
    }

    #[test]
    fn parse_bytes_never_panics(b in proptest::collection::vec(any::<u8>(), 0..1200)) {
        let _ = parse_bytes(&b);
    }

    /// Strings made of the characters a card QR holds, with many separators: exercises the
    /// layout detection and the shape classifier rather than the early refusals.
    #[test]
    fn parse_never_panics_on_qr_like_strings(s in "[0-9|/ NamNữ,ễ\\r\\n\u{feff}]{0,300}") {
        let _ = parse(&s);
    }

    /// Mutating one field of a valid QR never panics, and a result, when Ok, keeps the ID.
    #[test]
    fn mutated_fields_never_panic(field in 0usize..7, junk in "\\PC{0,40}") {
        let mut parts: Vec<String> = common::HA.qr_2021().split('|').map(str::to_owned).collect();
        parts[field] = junk;
        if let Ok(data) = parse(&parts.join("|")) {
            prop_assert_eq!(data.id_number().as_str().len(), 12);
        }
    }

    #[test]
    fn oversize_is_always_refused(extra in 4097usize..20_000) {
        let s = "1".repeat(extra);
        prop_assert_eq!(parse(&s), Err(QrError::TooLarge { len: extra, max: 4096 }));
    }
}
