//! The century of an MRZ date (`YYMMDD`), which the zone does not hold.
//!
//! The usual pivot rules (as ICAO 9303-3 leaves it to the reader, and JMRTD and Apple's
//! readers do): a **birth date** is the latest date with those digits that is not after the
//! reference day (nobody is born in the future; a person is under 100); an **expiry date** is
//! the one closest to the reference day, within 50 years either way (a document expires at
//! most a few decades after issue, and one read today expired at most a few decades ago).
//!
//! Vietnamese ID numbers carry the birth century themselves (`crate::verify` uses it first);
//! these rules are for documents without one.

use time::{Date, Month};

/// The digits of `YYMMDD` as (year within the century, month, day), or `None` when the field
/// is not six digits naming a month and a day.
fn parts(text: &str) -> Option<(i32, Month, u8)> {
    let b = text.as_bytes();
    if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |i: usize| (b[i] - b'0') * 10 + (b[i + 1] - b'0');
    let month = Month::try_from(n(2)).ok()?;
    let day = n(4);
    if day == 0 || day > 31 {
        return None;
    }
    Some((i32::from(n(0)), month, day))
}

/// A date in `century` (1900, 2000, ...), or `None` when that year has no such day (29 February).
fn in_century(century: i32, (yy, month, day): (i32, Month, u8)) -> Option<Date> {
    Date::from_calendar_date(century + yy, month, day).ok()
}

/// The date of birth `YYMMDD` read in the latest century that does not put it after `today`.
pub fn birth_date(text: &str, today: Date) -> Option<Date> {
    let p = parts(text)?;
    let current = today.year() - today.year().rem_euclid(100);
    [current, current - 100, current - 200]
        .into_iter()
        .filter_map(|c| in_century(c, p))
        .find(|d| *d <= today)
}

/// The date of expiry `YYMMDD` read in the century that puts it closest to `today` (so within
/// 50 years of it).
pub fn expiry_date(text: &str, today: Date) -> Option<Date> {
    let p = parts(text)?;
    let current = today.year() - today.year().rem_euclid(100);
    [current - 100, current, current + 100]
        .into_iter()
        .filter_map(|c| in_century(c, p))
        .min_by_key(|d| (*d - today).whole_days().abs())
}

/// A date in a century given by the caller (e.g. from a Vietnamese ID number).
pub fn date_in_century(text: &str, century: i32) -> Option<Date> {
    in_century(century, parts(text)?)
}

/// `YYMMDD` of a date.
pub fn yymmdd(date: Date) -> String {
    format!(
        "{:02}{:02}{:02}",
        date.year().rem_euclid(100),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn birth_dates_are_never_in_the_future() {
        let today = date!(2026 - 11 - 30);
        // The case: 350101 on a document without a Vietnamese ID is 1935, not 2035.
        assert_eq!(birth_date("350101", today), Some(date!(1935 - 01 - 01)));
        assert_eq!(birth_date("261130", today), Some(date!(2026 - 11 - 30)));
        assert_eq!(birth_date("261201", today), Some(date!(1926 - 12 - 01)));
        assert_eq!(birth_date("000101", today), Some(date!(2000 - 01 - 01)));
        assert_eq!(birth_date("990101", today), Some(date!(1999 - 01 - 01)));
        for yy in 0..100 {
            let text = format!("{yy:02}0615");
            let d = birth_date(&text, today).unwrap();
            assert!(d <= today && d > date!(1926 - 06 - 14), "{text} -> {d}");
        }
    }

    #[test]
    fn leap_day_births_take_a_century_that_has_it() {
        // 1900 was not a leap year; 2000 was.
        assert_eq!(
            birth_date("000229", date!(2026 - 01 - 01)),
            Some(date!(2000 - 02 - 29))
        );
        // Before 2000 there is no 29 February in 1900, 1800 or 1700 to fall back to.
        assert_eq!(birth_date("000229", date!(1999 - 01 - 01)), None);
    }

    #[test]
    fn expiry_dates_fall_within_fifty_years_of_today() {
        let today = date!(2026 - 11 - 30);
        assert_eq!(expiry_date("360101", today), Some(date!(2036 - 01 - 01)));
        assert_eq!(expiry_date("990101", today), Some(date!(1999 - 01 - 01)));
        assert_eq!(expiry_date("760101", today), Some(date!(2076 - 01 - 01)));
        assert_eq!(expiry_date("770101", today), Some(date!(1977 - 01 - 01)));
        // Around a century boundary: read in 2095, 05 is 2105 and 90 is 2090.
        let later = date!(2095 - 06 - 01);
        assert_eq!(expiry_date("050101", later), Some(date!(2105 - 01 - 01)));
        assert_eq!(expiry_date("900101", later), Some(date!(2090 - 01 - 01)));
        for yy in 0..100 {
            let text = format!("{yy:02}0615");
            let d = expiry_date(&text, today).unwrap();
            assert!(
                (d - today).whole_days().abs() <= 366 * 50 + 183,
                "{text} -> {d}"
            );
        }
    }

    #[test]
    fn fields_that_are_not_dates() {
        let today = date!(2026 - 11 - 30);
        for text in ["<<<<<<", "991301", "990100", "990132", "9901", "99010a"] {
            assert_eq!(birth_date(text, today), None, "{text}");
            assert_eq!(expiry_date(text, today), None, "{text}");
        }
        assert_eq!(date_in_century("990101", 1900), Some(date!(1999 - 01 - 01)));
    }
}
