//! Turning what a device or a request says (key, claims, QR text) into the library's types,
//! with the same rules as the CLI's options, and a typed error naming the bad field.

use crate::protocol::{ClaimsInput, KeyInput};
use cccd::IdNumber;
use cccd::mrz::{AccessKey, Can};
use cccd::session::{AccessKeys, BacFallback, OpenOptions};
use cccd::verify::{Claims, NameMatch};
use time::Date;

/// A field of a request that is malformed; the message names the field, never its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct InputError {
    /// The field, e.g. `key.can`.
    pub field: &'static str,
    /// What is wrong with it.
    pub reason: String,
}

fn bad(field: &'static str) -> impl Fn(&dyn std::fmt::Display) -> InputError {
    move |e| InputError {
        field,
        reason: e.to_string(),
    }
}

/// Parse `YYYY-MM-DD`.
pub fn parse_date(field: &'static str, text: &str) -> Result<Date, InputError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).map_err(|_| InputError {
        field,
        reason: "not a date (use YYYY-MM-DD)".into(),
    })
}

/// The keys to try, from exactly one of: MRZ (optionally with CAN), QR text, ID number with
/// date of birth (and expiry), or CAN.
pub fn access_keys(key: &KeyInput, today: Date) -> Result<AccessKeys, InputError> {
    if let Some(mrz) = &key.mrz {
        let access =
            AccessKey::from_mrz(&mrz.replace('|', "\n")).map_err(|e| bad("key.mrz")(&e))?;
        let mut keys = AccessKeys::from_key(access);
        if let Some(can) = &key.can {
            keys = keys.with_can(Can::new(can).map_err(|e| bad("key.can")(&e))?);
        }
        return Ok(keys);
    }
    if let Some(qr) = &key.qr {
        let data = cccd_qr::parse(qr).map_err(|e| bad("key.qr")(&e))?;
        return Ok(AccessKeys::from_id_and_dob(
            data.id_number(),
            data.date_of_birth(),
            today,
        ));
    }
    match (&key.id, &key.dob, &key.can) {
        (Some(id), Some(dob), _) => {
            let id = IdNumber::parse(id).map_err(|e| bad("key.id")(&e))?;
            let dob = parse_date("key.dob", dob)?;
            if let Some(expiry) = &key.expiry {
                let expiry = parse_date("key.expiry", expiry)?;
                let access = AccessKey::from_id(&id, dob, expiry);
                return Ok(AccessKeys::from_key(access).with_can(Can::from_id(&id)));
            }
            Ok(AccessKeys::from_id_and_dob(&id, dob, today))
        }
        (Some(_), None, _) => Err(InputError {
            field: "key.dob",
            reason: "the ID number needs the date of birth to open the chip".into(),
        }),
        (None, _, Some(can)) => Ok(AccessKeys::from_key(
            AccessKey::can(can).map_err(|e| bad("key.can")(&e))?,
        )),
        _ => Err(InputError {
            field: "key",
            reason: "give one of can, mrz, qr, or id with dob".into(),
        }),
    }
}

/// The claims and how names are compared.
pub fn claims(input: &ClaimsInput) -> Result<(Claims, NameMatch), InputError> {
    let sex = match input.sex.as_deref().map(|s| s.trim().to_lowercase()) {
        None => None,
        Some(s) if matches!(s.as_str(), "m" | "male" | "nam") => Some(cccd_qr::Sex::Male),
        Some(s) if matches!(s.as_str(), "f" | "female" | "nữ" | "nu") => {
            Some(cccd_qr::Sex::Female)
        }
        Some(_) => {
            return Err(InputError {
                field: "claims.sex",
                reason: "use M or F".into(),
            });
        }
    };
    let date_of_birth = input
        .date_of_birth
        .as_deref()
        .map(|d| parse_date("claims.date_of_birth", d))
        .transpose()?;
    let claims = Claims {
        id_number: input.id_number.clone(),
        full_name: input.full_name.clone(),
        date_of_birth,
        sex,
    };
    let name_match = if input.ignore_diacritics {
        NameMatch::IgnoreDiacritics
    } else {
        NameMatch::Strict
    };
    Ok((claims, name_match))
}

/// How to open the chip: `no_bac_fallback` refuses BAC after a failed PACE.
pub fn open_options(key: &KeyInput) -> OpenOptions {
    OpenOptions::default().bac_fallback(if key.no_bac_fallback {
        BacFallback::Refused
    } else {
        BacFallback::Allowed
    })
}

/// Parse the QR text, if given.
pub fn qr(text: Option<&str>) -> Result<Option<cccd_qr::QrData>, InputError> {
    text.map(|t| cccd_qr::parse(t).map_err(|e| bad("qr")(&e)))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        time::macros::date!(2025 - 06 - 01)
    }

    #[test]
    fn each_key_form_gives_keys_and_bad_ones_name_their_field() {
        let can = KeyInput {
            can: Some("082497".into()),
            ..KeyInput::default()
        };
        assert_eq!(
            access_keys(&can, today()).unwrap().pace_passwords().len(),
            1
        );
        let id = KeyInput {
            id: Some("040078082497".into()),
            dob: Some("1978-04-30".into()),
            ..KeyInput::default()
        };
        assert!(!access_keys(&id, today()).unwrap().mrz_keys().is_empty());
        let no_dob = KeyInput {
            id: Some("040078082497".into()),
            ..KeyInput::default()
        };
        assert_eq!(access_keys(&no_dob, today()).unwrap_err().field, "key.dob");
        let bad_date = KeyInput {
            id: Some("040078082497".into()),
            dob: Some("30/04/1978x".into()),
            ..KeyInput::default()
        };
        assert_eq!(
            access_keys(&bad_date, today()).unwrap_err().field,
            "key.dob"
        );
        assert_eq!(
            access_keys(&KeyInput::default(), today())
                .unwrap_err()
                .field,
            "key"
        );
        // The ID number is parsed once, with its typed rules: 12 digits of a known province.
        for malformed in ["04007808249", "990078082497"] {
            let id = KeyInput {
                id: Some(malformed.into()),
                dob: Some("1978-04-30".into()),
                ..KeyInput::default()
            };
            assert_eq!(access_keys(&id, today()).unwrap_err().field, "key.id");
        }
    }

    #[test]
    fn no_bac_fallback_becomes_the_session_policy() {
        let refuse = KeyInput {
            can: Some("082497".into()),
            no_bac_fallback: true,
            ..KeyInput::default()
        };
        assert_eq!(open_options(&refuse).bac_fallback, BacFallback::Refused);
        assert_eq!(
            open_options(&KeyInput::default()).bac_fallback,
            BacFallback::Allowed
        );
    }

    #[test]
    fn claims_parse_and_reject_a_bad_sex() {
        let input = ClaimsInput {
            sex: Some("Nữ".into()),
            date_of_birth: Some("1990-02-03".into()),
            ..ClaimsInput::default()
        };
        let (claims, _) = claims(&input).unwrap();
        assert_eq!(claims.sex, Some(cccd_qr::Sex::Female));
        let bad = ClaimsInput {
            sex: Some("x".into()),
            ..ClaimsInput::default()
        };
        assert_eq!(super::claims(&bad).unwrap_err().field, "claims.sex");
    }
}
