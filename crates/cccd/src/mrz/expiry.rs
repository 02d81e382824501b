//! Candidate expiry dates of a Vietnamese ID card from the holder's date of birth.
//!
//! The rules (CARD-FACTS, Law on Citizen Identification 2014 art. 21 and Law on Identification
//! 2023 art. 21): a card expires on the holder's birthday in the year they turn 25, 40 or 60;
//! Căn cước cards (issued from 2024-07-01) also at 14. A card issued less than 2 years before
//! one of those birthdays runs to the next one; one issued less than 2 years before 60 (i.e.
//! at 58 or later) does not expire.
//!
//! Chipped cards exist since 2021, so the issue date lies between 2021-01-01 and today. Each
//! candidate is weighted by how many possible issue days lead to it; cards that would already
//! have expired come after the valid ones (an expired card still answers BAC, but its holder
//! most likely carries the replacement).
//!
//! "No expiry" has no known MRZ encoding (CARD-FACTS: uncertain); the candidates tried are,
//! in order: `991231`, `<<<<<<`, `000000`, `999999`. `991231` is a valid date, the form
//! CARD-FACTS asks readers to accept; `<<<<<<` is the ICAO filler for an absent field.

use time::{Date, Month};

/// The "no expiry" encodings tried, most likely first.
pub const NO_EXPIRY_ENCODINGS: [&str; 4] = ["991231", "<<<<<<", "000000", "999999"];

/// The first day a chipped card (CCCD) could have been issued.
const FIRST_CHIP_CARD: (i32, Month, u8) = (2021, Month::January, 1);
/// The first day of Căn cước cards (Law on Identification 2023 in force).
const CAN_CUOC_START: (i32, Month, u8) = (2024, Month::July, 1);

/// One candidate date of expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiryCandidate {
    /// The age at which the card expires, or `None` for a card without expiry.
    pub age: Option<u8>,
    /// The expiry date, `None` for a card without expiry.
    pub date: Option<Date>,
    /// The MRZ field value to try (`YYMMDD` or a "no expiry" encoding).
    pub encoding: String,
    /// Number of possible issue days that lead to this candidate (its weight).
    pub weight: u32,
    /// Whether the date is before `today`.
    pub expired: bool,
}

fn date(ymd: (i32, Month, u8)) -> Option<Date> {
    Date::from_calendar_date(ymd.0, ymd.1, ymd.2).ok()
}

/// The holder's birthday in the year they turn `age` (29 February → 28 February in common
/// years, and 1 March offered as well by the caller).
fn birthday_at(dob: Date, age: u8) -> Option<Date> {
    let year = dob.year() + i32::from(age);
    Date::from_calendar_date(year, dob.month(), dob.day())
        .or_else(|_| Date::from_calendar_date(year, dob.month(), dob.day().saturating_sub(1)))
        .ok()
}

/// Two years before `d` (29 February → 28 February).
fn two_years_before(d: Date) -> Option<Date> {
    Date::from_calendar_date(d.year() - 2, d.month(), d.day())
        .or_else(|_| Date::from_calendar_date(d.year() - 2, d.month(), d.day().saturating_sub(1)))
        .ok()
}

/// What a card issued on a given day means for its expiry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Expires on the birthday at this age.
    Age(u8),
    /// Does not expire.
    NoExpiry,
}

/// The expiry of a card issued on `issued` to someone born on `dob`, or `None` if no card
/// could be issued then (before birth, or a CCCD before age 14).
fn expiry_age(dob: Date, issued: Date, can_cuoc_start: Date) -> Option<Outcome> {
    let can_cuoc = issued >= can_cuoc_start;
    if !can_cuoc && birthday_at(dob, 14).is_none_or(|d14| issued < d14) {
        return None;
    }
    if issued < dob {
        return None;
    }
    let thresholds: &[u8] = if can_cuoc {
        &[14, 25, 40, 60]
    } else {
        &[25, 40, 60]
    };
    for &age in thresholds {
        let Some(at) = birthday_at(dob, age) else {
            continue;
        };
        match two_years_before(at) {
            Some(limit) if issued < limit => return Some(Outcome::Age(age)),
            _ => {}
        }
    }
    Some(Outcome::NoExpiry)
}

/// Candidate expiry dates for a holder born on `dob`, most likely first, given `today`.
pub fn candidates(dob: Date, today: Date) -> Vec<ExpiryCandidate> {
    let (Some(first), Some(can_cuoc_start)) = (date(FIRST_CHIP_CARD), date(CAN_CUOC_START)) else {
        return Vec::new();
    };
    // Count issue days per outcome. At most ~(today - 2021) days: bounded and cheap.
    let mut weights: Vec<(Outcome, u32)> = Vec::new();
    let mut day = first.max(dob);
    while day <= today {
        if let Some(outcome) = expiry_age(dob, day, can_cuoc_start) {
            match weights.iter_mut().find(|(a, _)| *a == outcome) {
                Some((_, w)) => *w += 1,
                None => weights.push((outcome, 1)),
            }
        }
        let Some(next) = day.next_day() else { break };
        day = next;
    }
    let mut out = Vec::new();
    for (outcome, weight) in weights {
        match outcome {
            Outcome::Age(age) => {
                let Some(at) = birthday_at(dob, age) else {
                    continue;
                };
                out.push(ExpiryCandidate {
                    age: Some(age),
                    date: Some(at),
                    encoding: super::dates::yymmdd(at),
                    weight,
                    expired: at < today,
                });
                // Born on 29 February: the common-year birthday may be printed as 1 March.
                if dob.month() == Month::February
                    && dob.day() == 29
                    && at.day() == 28
                    && let Some(march1) = at.next_day()
                {
                    out.push(ExpiryCandidate {
                        age: Some(age),
                        date: Some(march1),
                        encoding: super::dates::yymmdd(march1),
                        weight: weight / 2,
                        expired: march1 < today,
                    });
                }
            }
            Outcome::NoExpiry => {
                for (i, encoding) in NO_EXPIRY_ENCODINGS.iter().enumerate() {
                    out.push(ExpiryCandidate {
                        age: None,
                        date: None,
                        encoding: (*encoding).to_string(),
                        // Keep the encodings in their listed order after sorting.
                        weight: weight.saturating_sub(i as u32),
                        expired: false,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| a.expired.cmp(&b.expired).then(b.weight.cmp(&a.weight)));
    out
}
