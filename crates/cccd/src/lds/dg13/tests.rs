//! DG13 unit tests.

use super::*;

#[test]
fn parses_dates() {
    assert_eq!(
        value::parse_dmy("01/02/1990"),
        Date::from_calendar_date(1990, time::Month::February, 1).ok()
    );
    assert_eq!(value::parse_dmy("00/00/1950"), None);
    assert_eq!(value::parse_dmy("Không thời hạn"), None);
}
