//! X.509 distinguished names: the one text form shown for them, and how two names are compared.
//!
//! **Display.** Attributes in the order the certificate issues them (`C=VN, O=…, CN=…`, the
//! order of ICAO's tables and of the former x509-parser text, so reports and listings did not
//! change), RDNs separated by `, `, attributes of one multi-valued RDN by ` + `. Known
//! attribute types get their short name (`C`, `O`, `OU`, `CN`, …), others their dotted OID.
//! String values are shown decoded (PrintableString, UTF8String, IA5String, BMPString, …);
//! any other value as `#` and its DER in hex (RFC 4514 §2.4). The text is untrusted: printers
//! escape it (the CLI's `escape_untrusted`); it is never parsed back or compared.
//!
//! **Comparison.** Two names are equal when their DER is equal or, for issuers that re-encode
//! a name (PrintableString vs UTF8String), when their [`CanonicalName`]s are: the same RDNs
//! in the same order, each with the same attribute types, string values compared after
//! case folding and whitespace collapsing (RFC 5280 §7.1, RFC 4518 simplified). Unlike the
//! display text, the canonical form keeps the structure, so a value that contains `, C=XX`
//! cannot pass for another attribute.

use std::fmt::Write as _;

use der::{Encode, Tag, Tagged};
use x509_cert::name::Name;

use crate::oid::ObjectIdentifier;

/// countryName (X.520).
const COUNTRY_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");

/// Short names of the attribute types eMRTD certificates use (RFC 4514 §3 and common usage).
const SHORT_NAMES: [(ObjectIdentifier, &str); 14] = [
    (ObjectIdentifier::new_unwrap("2.5.4.3"), "CN"),
    (COUNTRY_NAME, "C"),
    (ObjectIdentifier::new_unwrap("2.5.4.7"), "L"),
    (ObjectIdentifier::new_unwrap("2.5.4.8"), "ST"),
    (ObjectIdentifier::new_unwrap("2.5.4.10"), "O"),
    (ObjectIdentifier::new_unwrap("2.5.4.11"), "OU"),
    (ObjectIdentifier::new_unwrap("2.5.4.5"), "serialNumber"),
    (ObjectIdentifier::new_unwrap("2.5.4.9"), "street"),
    (ObjectIdentifier::new_unwrap("2.5.4.12"), "title"),
    (ObjectIdentifier::new_unwrap("2.5.4.4"), "SN"),
    (ObjectIdentifier::new_unwrap("2.5.4.42"), "GN"),
    (
        ObjectIdentifier::new_unwrap("2.5.4.97"),
        "organizationIdentifier",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.25"),
        "DC",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1"),
        "Email",
    ),
];

/// The text of a string-typed attribute value; `None` for other types or a value that does
/// not decode in its type.
fn value_text(tag: Tag, bytes: &[u8]) -> Option<String> {
    match tag {
        Tag::PrintableString
        | Tag::Utf8String
        | Tag::Ia5String
        | Tag::NumericString
        | Tag::VisibleString
        | Tag::TeletexString
        | Tag::VideotexString
        | Tag::GeneralString => std::str::from_utf8(bytes).ok().map(str::to_owned),
        Tag::BmpString => {
            if !bytes.len().is_multiple_of(2) {
                return None;
            }
            let units = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        _ => None,
    }
}

/// The name as text, in issuance order (see the module documentation).
pub(crate) fn display(name: &Name) -> String {
    let mut out = String::new();
    for (i, rdn) in name.iter_rdn().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        for (j, attribute) in rdn.iter().enumerate() {
            if j > 0 {
                out.push_str(" + ");
            }
            match SHORT_NAMES.iter().find(|(oid, _)| *oid == attribute.oid) {
                Some((_, short)) => out.push_str(short),
                None => {
                    let _ = write!(out, "{}", attribute.oid);
                }
            }
            out.push('=');
            let value = &attribute.value;
            if let Some(text) = value_text(value.tag(), value.value()) {
                out.push_str(&text);
            } else {
                out.push('#');
                for byte in value.to_der().unwrap_or_default() {
                    let _ = write!(out, "{byte:02X}");
                }
            }
        }
    }
    out
}

/// The countryName of a name, upper-cased, if it has one that decodes as text.
pub(crate) fn country(name: &Name) -> Option<String> {
    name.iter()
        .find(|attribute| attribute.oid == COUNTRY_NAME)
        .and_then(|attribute| value_text(attribute.value.tag(), attribute.value.value()))
        .map(|c| c.to_ascii_uppercase())
}

/// One attribute value as compared: folded text for strings, the exact DER otherwise.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum CanonicalValue {
    Text(String),
    Der(Vec<u8>),
}

/// A name in the form compared when DER differs: RDNs in order, each RDN's attributes sorted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CanonicalName(Vec<Vec<(ObjectIdentifier, CanonicalValue)>>);

/// Case-folded, with leading, trailing and repeated whitespace removed (RFC 4518 §2.6,
/// simplified: no Unicode normalisation beyond lower-casing).
fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl CanonicalName {
    /// The canonical form of `name`.
    pub(crate) fn of(name: &Name) -> Self {
        let rdns = name
            .iter_rdn()
            .map(|rdn| {
                let mut attributes: Vec<(ObjectIdentifier, CanonicalValue)> = rdn
                    .iter()
                    .map(|attribute| {
                        let value = &attribute.value;
                        let canonical = match value_text(value.tag(), value.value()) {
                            Some(text) => CanonicalValue::Text(fold(&text)),
                            None => CanonicalValue::Der(value.to_der().unwrap_or_default()),
                        };
                        (attribute.oid, canonical)
                    })
                    .collect();
                attributes.sort_by(|a, b| (a.0.as_bytes(), &a.1).cmp(&(b.0.as_bytes(), &b.1)));
                attributes
            })
            .collect();
        Self(rdns)
    }

    /// The canonical form of a DER Name; `None` when it does not decode. (The verifier
    /// holds decoded names; only the tests' by-name CRL lookup starts from DER.)
    #[cfg(test)]
    pub(crate) fn of_der(der: &[u8]) -> Option<Self> {
        use der::Decode;
        Name::from_der(der).ok().map(|name| Self::of(&name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Decode;

    fn name(der_hex: &str) -> Name {
        let bytes: Vec<u8> = (0..der_hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&der_hex[i..i + 2], 16).unwrap())
            .collect();
        Name::from_der(&bytes).unwrap()
    }

    /// SEQUENCE { SET { C=VN PrintableString }, SET { O=Bo Cong An UTF8String } }.
    const VN: &str = "3022310b300906035504061302564e31133011060355040a0c0a426f20436f6e6720416e";

    #[test]
    fn display_is_issuance_order_with_short_names() {
        assert_eq!(display(&name(VN)), "C=VN, O=Bo Cong An");
        assert_eq!(country(&name(VN)).as_deref(), Some("VN"));
    }

    #[test]
    fn unknown_types_and_non_strings_are_shown_by_oid_and_hex() {
        // SEQUENCE { SET { 1.2.3.4 = INTEGER 5 }, SET { CN=x + C=VN } }
        let n = name("3023310a300806032a03040201053115300806035504030c0178300906035504061302564e");
        assert_eq!(display(&n), "1.2.3.4=#020105, CN=x + C=VN");
    }

    #[test]
    fn canonical_form_ignores_string_type_case_and_spaces_but_not_structure() {
        // O as PrintableString "BO  CONG AN" vs UTF8String "Bo Cong An".
        let printable =
            name("3023310b300906035504061302564e31143012060355040a130b424f2020434f4e4720414e");
        assert_eq!(CanonicalName::of(&printable), CanonicalName::of(&name(VN)));
        // One attribute whose value holds ", O=Bo Cong An" is not two attributes.
        let smuggled = name("301b3119301706035504060c10564e2c204f3d426f20436f6e6720416e");
        assert_eq!(display(&smuggled), "C=VN, O=Bo Cong An");
        assert_ne!(CanonicalName::of(&smuggled), CanonicalName::of(&name(VN)));
    }
}
