//! What each DG13 index means, by card generation.
//!
//! The 2021 CCCD and the 2024 Căn cước keep the same indices, but the Căn cước prints the
//! place of birth registration where the CCCD printed the place of origin (quê quán), and
//! the place of residence (nơi cư trú) where it printed the permanent residence (Law
//! 26/2023/QH15, Circular 16/2024/TT-BCA). One public parser reports that 2024 chips keep the
//! indices with #8 and #9 carrying the new meanings; no real 2024 dump is public, so this is
//! an assumption (docs/CARD-FACTS.md).

use super::Dg13;
use cccd_qr::CardGeneration;
use time::{Date, Month};

/// First day of the Căn cước (Law 26/2023/QH15 in force).
pub const CAN_CUOC_FIRST_DAY: Date = match Date::from_calendar_date(2024, Month::July, 1) {
    Ok(d) => d,
    Err(_) => Date::MIN,
};

/// The generation the chip's own data shows:
/// - a DG13 date of issue on or after 2024-07-01 means Căn cước, before it CCCD 2021;
/// - without an issue date, an expiry on the 14th birthday means Căn cước (only the Căn
///   cước renews at 14);
/// - otherwise unknown.
pub fn generation(dg13: &Dg13, date_of_birth: Option<Date>) -> CardGeneration {
    if let Some(issued) = dg13.date_of_issue.as_ref().and_then(|f| *f.value()) {
        return if issued >= CAN_CUOC_FIRST_DAY {
            CardGeneration::CanCuoc2024
        } else {
            CardGeneration::Cccd2021
        };
    }
    let expiry = match dg13.date_of_expiry.as_ref().map(super::Field::value) {
        Some(super::Expiry::Date(d)) => Some(*d),
        _ => None,
    };
    match (expiry, date_of_birth) {
        (Some(e), Some(dob)) if e.year() - dob.year() == 14 && e.month() == dob.month() => {
            CardGeneration::CanCuoc2024
        }
        _ => CardGeneration::Unknown,
    }
}

/// The English label of DG13 index `index` on a card of `generation` (`None` for an index
/// with no known meaning). Where the generations differ and the generation is unknown, the
/// label names both meanings.
pub fn label(index: u32, generation: CardGeneration) -> Option<&'static str> {
    use CardGeneration::{CanCuoc2024, Cccd2021, Unknown};
    Some(match (index, generation) {
        (1, _) => "ID number",
        (2, _) => "Full name",
        (3, _) => "Date of birth",
        (4, _) => "Sex",
        (5, _) => "Nationality",
        (6, _) => "Ethnicity",
        (7, _) => "Religion",
        (8, Cccd2021) => "Place of origin",
        (8, CanCuoc2024) => "Place of birth registration",
        (8, Unknown) => "Place of origin or of birth registration",
        (9, Cccd2021) => "Place of permanent residence",
        (9, CanCuoc2024) => "Place of residence",
        (9, Unknown) => "Residence",
        (10, _) => "Identifying marks",
        (11, _) => "Date of issue",
        (12, _) => "Date of expiry",
        (13, _) => "Parents",
        (14, _) => "Spouse",
        (15, _) => "Previous document number",
        (16, _) => "Index 16 (raw code)",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lds::dg13::{Expiry, Field};
    use time::macros::date;

    fn issued(d: Date) -> Dg13 {
        let mut g = Dg13::new();
        g.date_of_issue = Some(Field::date(d));
        g
    }

    #[test]
    fn generation_by_issue_date() {
        assert_eq!(
            generation(&issued(date!(2024 - 07 - 01)), None),
            CardGeneration::CanCuoc2024
        );
        assert_eq!(
            generation(&issued(date!(2024 - 06 - 30)), None),
            CardGeneration::Cccd2021
        );
        assert_eq!(generation(&Dg13::new(), None), CardGeneration::Unknown);
    }

    #[test]
    fn expiry_at_14_means_can_cuoc() {
        let mut g = Dg13::new();
        g.date_of_expiry = Some(Field::expiry(Expiry::Date(date!(2034 - 03 - 12))));
        assert_eq!(
            generation(&g, Some(date!(2020 - 03 - 12))),
            CardGeneration::CanCuoc2024
        );
        assert_eq!(
            generation(&g, Some(date!(2009 - 03 - 12))),
            CardGeneration::Unknown
        );
    }

    #[test]
    fn labels_by_generation() {
        assert_eq!(label(8, CardGeneration::Cccd2021), Some("Place of origin"));
        assert_eq!(
            label(8, CardGeneration::CanCuoc2024),
            Some("Place of birth registration")
        );
        assert_eq!(
            label(9, CardGeneration::CanCuoc2024),
            Some("Place of residence")
        );
        assert_ne!(
            label(8, CardGeneration::Unknown),
            label(8, CardGeneration::Cccd2021)
        );
        assert_eq!(
            label(15, CardGeneration::Unknown),
            Some("Previous document number")
        );
        assert_eq!(label(17, CardGeneration::Cccd2021), None);
    }
}
