//! Dates as written on the card and in the QR: `DDMMYYYY` (QR) or `DD/MM/YYYY` (chip, print).

use time::{Date, Month};

use crate::error::DateError;

/// True when the field has the shape of a date (whether or not the day exists), so that a
/// shape-based parser can claim it as a date and report a bad day precisely.
pub(crate) fn looks_like_date(text: &str) -> bool {
    split_date(text).is_some()
}

fn split_date(text: &str) -> Option<(&str, &str, &str)> {
    let t = text.trim();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Some((t.get(0..2)?, t.get(2..4)?, t.get(4..8)?));
    }
    let sep = ['/', '-', '.'].into_iter().find(|&s| t.contains(s))?;
    let mut parts = t.split(sep);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    let ok = parts.next().is_none()
        && (1..=2).contains(&d.len())
        && (1..=2).contains(&m.len())
        && y.len() == 4
        && [d, m, y]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    ok.then_some((d, m, y))
}

/// Parses `DDMMYYYY`, `DD/MM/YYYY`, `DD-MM-YYYY` or `DD.MM.YYYY`.
pub fn parse_card_date(text: &str) -> Result<Date, DateError> {
    let (d, m, y) = split_date(text).ok_or(DateError::BadShape)?;
    let day: u8 = d.parse().map_err(|_| DateError::BadShape)?;
    let month: u8 = m.parse().map_err(|_| DateError::BadShape)?;
    let year: i32 = y.parse().map_err(|_| DateError::BadShape)?;
    if !(1900..=2399).contains(&year) {
        return Err(DateError::YearOutOfRange { year });
    }
    let no_such_day = DateError::NoSuchDay { day, month, year };
    let month_enum = Month::try_from(month).map_err(|_| no_such_day.clone())?;
    Date::from_calendar_date(year, month_enum, day).map_err(|_| no_such_day)
}

/// Serializes a date as ISO 8601 `YYYY-MM-DD` (stable, human-readable JSON).
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's serialize_with passes `&T`.
pub(crate) fn serialize_iso<S: serde::Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

/// [`serialize_iso`] for an optional date (`null` when absent).
#[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)] // serde passes `&Option<T>`.
pub(crate) fn serialize_iso_opt<S: serde::Serializer>(
    date: &Option<Date>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => serialize_iso(d, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn shapes() {
        assert_eq!(parse_card_date("01011990"), Ok(date!(1990 - 01 - 01)));
        assert_eq!(parse_card_date("1/2/2003"), Ok(date!(2003 - 02 - 01)));
        assert_eq!(parse_card_date("29.02.2000"), Ok(date!(2000 - 02 - 29)));
        assert_eq!(parse_card_date("0101199"), Err(DateError::BadShape));
        assert_eq!(
            parse_card_date("29021900"),
            Err(DateError::NoSuchDay {
                day: 29,
                month: 2,
                year: 1900
            })
        );
        assert_eq!(
            parse_card_date("01131990"),
            Err(DateError::NoSuchDay {
                day: 1,
                month: 13,
                year: 1990
            })
        );
        assert_eq!(
            parse_card_date("01011800"),
            Err(DateError::YearOutOfRange { year: 1800 })
        );
    }
}
