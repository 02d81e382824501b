//! The SignerInfo of EF.SOD: its signed attributes, its signature, and the DSC that made it.

use std::sync::Arc;

use time::OffsetDateTime;

use super::Outcome;
use crate::crypto::HashAlgorithm;
use crate::lds::sod::Sod;
use crate::oid::{self, ObjectIdentifier};
use crate::pki::cms::{AttributeProblem, SignedAttributes, SignedData};
use crate::pki::{PreparedSigner, SignerCertificate, TrustStore};

/// What the SignerInfo checks found.
pub(super) struct SignerChecks {
    /// The signer's digest algorithm, if known.
    pub digest: Option<HashAlgorithm>,
    /// The signingTime attribute's exact DER, if present.
    pub signing_time: Option<Vec<u8>>,
    pub content_type: Outcome,
    pub message_digest: Outcome,
    pub signature: Outcome,
    pub signer: Option<SignerCertificate>,
    pub dsc_der: Option<Vec<u8>>,
    /// The DSC's prepared signer (parsed once per process), for the chain check.
    pub prepared: Option<Arc<PreparedSigner>>,
}

/// Check the first (for eMRTDs, the only) SignerInfo of EF.SOD.
pub(super) fn check_signer(sod: &Sod, store: &TrustStore) -> SignerChecks {
    check_signed_data(&sod.signed_data, &oid::LDS_SECURITY_OBJECT, "EF.SOD", store)
}

/// Check the first SignerInfo of `sd` (EF.SOD or EF.CardSecurity, named by `file`), whose
/// signed contentType must be `content_type`; the signer's key comes prepared from `store`.
pub(super) fn check_signed_data(
    sd: &SignedData,
    content_type: &ObjectIdentifier,
    file: &str,
    store: &TrustStore,
) -> SignerChecks {
    let skip = |why: &str| Outcome::Skip(why.to_owned());
    let Some(signer_info) = sd.signer_infos.first() else {
        let fail = || Outcome::Fail(format!("{file} has no SignerInfo"));
        return SignerChecks {
            digest: None,
            signing_time: None,
            content_type: fail(),
            message_digest: fail(),
            signature: fail(),
            signer: None,
            dsc_der: None,
            prepared: None,
        };
    };
    let digest_oid = signer_info.digest_algorithm.oid;
    let digest = HashAlgorithm::from_oid(&digest_oid);
    let Some(attrs) = &signer_info.signed_attrs else {
        // ICAO 9303-10 requires signed attributes; without them nothing binds the content.
        let fail = || Outcome::Fail("the SignerInfo has no signed attributes".to_owned());
        return SignerChecks {
            digest,
            signing_time: None,
            content_type: fail(),
            message_digest: fail(),
            signature: fail(),
            signer: None,
            dsc_der: sd.signer_certificate(signer_info).map(<[u8]>::to_vec),
            prepared: None,
        };
    };

    let content_type = check_content_type(attrs, content_type);
    let message_digest = check_message_digest(attrs, digest, &digest_oid, &sd.content);

    let Some(dsc_der) = sd.signer_certificate(signer_info) else {
        return SignerChecks {
            digest,
            signing_time: attrs.signing_time().map(<[u8]>::to_vec),
            content_type,
            message_digest,
            signature: Outcome::Fail(format!(
                "{file} does not embed the document signer certificate the SignerInfo names"
            )),
            signer: None,
            dsc_der: None,
            prepared: None,
        };
    };
    // Parsed, summarised and its key decoded once per document signer, with EC tables from
    // its second sighting; a cache hit does no X.509 parsing.
    let prepared = match prepared_dsc(store, dsc_der) {
        Ok(prepared) => prepared,
        Err(why) => {
            return SignerChecks {
                digest,
                signing_time: attrs.signing_time().map(<[u8]>::to_vec),
                content_type,
                message_digest,
                signature: Outcome::Fail(format!("the document signer certificate {why}")),
                signer: None,
                dsc_der: None,
                prepared: None,
            };
        }
    };
    let algorithm_der = signer_info.signature_algorithm.encode();
    let algorithm = crate::pki::certificate::algorithm_identifier(&algorithm_der);
    let spki = prepared.certificate().spki();
    let signature = match (algorithm, digest, spki) {
        (None, _, _) => Outcome::Fail("the signature algorithm does not parse".to_owned()),
        (Some(_), None, _) => skip("the digest algorithm is not supported"),
        (Some(_), Some(_), None) => {
            Outcome::Fail("the document signer certificate's public key does not decode".to_owned())
        }
        (Some(algorithm), Some(hash), Some(spki)) => match prepared.key().verify_cms(
            &spki,
            &algorithm,
            hash,
            &attrs.der_for_signature,
            &signer_info.signature,
        ) {
            Ok(()) => Outcome::Pass,
            Err(e) => Outcome::Fail(format!(
                "the signature over the signed attributes does not verify with the document \
                 signer's key: {e}"
            )),
        },
    };

    SignerChecks {
        digest,
        signing_time: attrs.signing_time().map(<[u8]>::to_vec),
        content_type,
        message_digest,
        signature,
        signer: Some(prepared.summary().clone()),
        dsc_der: Some(dsc_der.to_vec()),
        prepared: Some(prepared),
    }
}

/// `sod.content_type`: exactly one contentType attribute, naming the LDS security object
/// (`expected`; id-SecurityObject for EF.CardSecurity).
fn check_content_type(attrs: &SignedAttributes, expected: &ObjectIdentifier) -> Outcome {
    match attrs.check_content_type(expected) {
        Ok(()) => Outcome::Pass,
        Err(AttributeProblem::ContentTypeDiffers { signed }) => {
            Outcome::Fail(if *expected == oid::LDS_SECURITY_OBJECT {
                format!(
                    "the signed contentType is {signed}, not the LDS security object \
                     (2.23.136.1.1.1)"
                )
            } else {
                format!(
                    "the signed contentType is {signed}, not the signed content's type {expected}"
                )
            })
        }
        Err(problem) => Outcome::Fail(attribute_problem(&problem)),
    }
}

/// `sod.message_digest`: exactly one messageDigest attribute, the hash of `content`.
fn check_message_digest(
    attrs: &SignedAttributes,
    digest: Option<HashAlgorithm>,
    digest_oid: &ObjectIdentifier,
    content: &[u8],
) -> Outcome {
    match attrs.check_message_digest(digest, content) {
        Ok(()) => Outcome::Pass,
        Err(AttributeProblem::UnsupportedDigest) => Outcome::Fail(format!(
            "the SignerInfo's digest algorithm {digest_oid} is not supported"
        )),
        Err(problem) => Outcome::Fail(attribute_problem(&problem)),
    }
}

/// A signed-attribute problem in the words of the passive authentication report.
fn attribute_problem(problem: &AttributeProblem) -> String {
    let name = |attribute: &ObjectIdentifier| {
        if *attribute == oid::ATTR_CONTENT_TYPE {
            "contentType"
        } else {
            "messageDigest"
        }
    };
    match problem {
        AttributeProblem::Repeated { attribute, count } => format!(
            "the {} attribute appears {count} times; RFC 5652 allows one",
            name(attribute)
        ),
        AttributeProblem::Missing { attribute } => {
            format!("the signed {} attribute is missing", name(attribute))
        }
        AttributeProblem::ContentTypeDiffers { signed } => {
            format!("the signed contentType {signed} is not the signed content's type")
        }
        AttributeProblem::UnsupportedDigest => "the digest algorithm is not supported".to_owned(),
        AttributeProblem::DigestDiffers { hash } => format!(
            "the signed messageDigest is not the {} of the signed content",
            hash.name()
        ),
    }
}

/// The DSC's prepared signer, refusing a certificate whose unsigned parts are not exactly DER.
fn prepared_dsc(store: &TrustStore, der: &[u8]) -> Result<Arc<PreparedSigner>, String> {
    let prepared = store
        .prepared_signer(der)
        .map_err(|_| "does not parse".to_owned())?;
    // The outer signatureAlgorithm and signature encoding are outside the signed
    // TBSCertificate: they must repeat the signed copy exactly (RFC 5280 4.1.1.2).
    prepared.outer_shape().map_err(str::to_owned)?;
    Ok(prepared)
}

/// `sod.chain`: the DSC's chain at `at`, through its prepared signer (the time-independent
/// checks made once per DSC).
pub(super) fn check_chain(
    signed: &SignerChecks,
    store: &TrustStore,
    at: OffsetDateTime,
) -> super::ChainOutcome {
    match (&signed.prepared, &signed.dsc_der) {
        (Some(prepared), _) => prepared.chain_at(store, at),
        (None, Some(der)) => crate::pki::chain::verify_chain(der, store, at),
        (None, None) => super::ChainOutcome::Skipped {
            reason: "no document signer certificate to check".to_owned(),
        },
    }
}

/// `sod.signing_time`: a signingTime, when present, must lie inside the DSC's validity (a
/// SOD signed after its signer expired is forged or back-dated) and not after `at`.
pub(super) fn check_signing_time(signed: &SignerChecks, at: OffsetDateTime) -> Outcome {
    let Some(der) = &signed.signing_time else {
        return Outcome::Skip("EF.SOD states no signingTime (it is optional)".to_owned());
    };
    let Some(time) = parse_time(der) else {
        return Outcome::Fail("the signingTime attribute is not a valid DER time".to_owned());
    };
    let Some(dsc) = &signed.signer else {
        return Outcome::Skip("no document signer certificate to compare with".to_owned());
    };
    if dsc.not_before.is_some_and(|t| time < t) {
        return Outcome::Fail(
            "EF.SOD was signed before its document signer certificate was valid".to_owned(),
        );
    }
    if dsc.not_after.is_none_or(|t| time > t) {
        return Outcome::Fail(
            "EF.SOD was signed after its document signer certificate expired".to_owned(),
        );
    }
    if time > at {
        return Outcome::Fail("EF.SOD claims to be signed after the verification time".to_owned());
    }
    Outcome::Pass
}

/// Parse a DER UTCTime (`YYMMDDHHMMSSZ`, years 1950-2049 per RFC 5280) or GeneralizedTime
/// (`YYYYMMDDHHMMSSZ`), TLV included.
fn parse_time(der: &[u8]) -> Option<OffsetDateTime> {
    let (&tag, rest) = der.split_first()?;
    let (&len, text) = rest.split_first()?;
    if usize::from(len) != text.len() || !text.ends_with(b"Z") {
        return None;
    }
    let digits = &text[..text.len() - 1];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        std::str::from_utf8(digits.get(r)?).ok()?.parse().ok()
    };
    let (year, rest_at) = match (tag, digits.len()) {
        (0x17, 12) => {
            let yy = num(0..2)?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, 2)
        }
        (0x18, 14) => (num(0..4)?, 4),
        _ => return None,
    };
    let field = |i: usize| num(rest_at + 2 * i..rest_at + 2 * i + 2);
    let month = time::Month::try_from(u8::try_from(field(0)?).ok()?).ok()?;
    let date = time::Date::from_calendar_date(
        i32::try_from(year).ok()?,
        month,
        u8::try_from(field(1)?).ok()?,
    )
    .ok()?;
    let t = time::Time::from_hms(
        u8::try_from(field(2)?).ok()?,
        u8::try_from(field(3)?).ok()?,
        u8::try_from(field(4)?).ok()?,
    )
    .ok()?;
    Some(date.with_time(t).assume_utc())
}

/// `sod.algorithms`: warn on SHA-1 (data group hashes or the signature's digest), an RSA
/// signer key under 2048 bits, or a curve under 256 bits (BSI TR-03116-2, ICAO 9303-11 §9).
pub(super) fn check_algorithms(sod: &Sod, signed: &SignerChecks) -> Outcome {
    use crate::pki::signature::KeyAlgorithm;
    let mut weak = Vec::new();
    if sod.lds_security_object.hash() == Some(crate::crypto::HashAlgorithm::Sha1) {
        weak.push("SHA-1 data group hashes".to_owned());
    }
    if signed.digest == Some(HashAlgorithm::Sha1) {
        weak.push("a SHA-1 signature digest".to_owned());
    }
    match signed.signer.as_ref().map(|s| &s.key.algorithm) {
        Some(KeyAlgorithm::Rsa { bits }) if *bits < 2048 => {
            weak.push(format!("a {bits}-bit RSA signer key"));
        }
        Some(KeyAlgorithm::Ec { curve }) if curve_bits(curve.name()) < 256 => {
            weak.push(format!("a signer key on {}", curve.name()));
        }
        None => return Outcome::Skip("no document signer key to assess".to_owned()),
        _ => {}
    }
    if weak.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Warn(format!(
            "weak algorithms protect this data: {}",
            weak.join(", ")
        ))
    }
}

/// The field size in a standard curve name (`brainpoolP384r1` -> 384, `secp521r1` -> 521).
fn curve_bits(name: &str) -> usize {
    name.trim_start_matches(|c: char| !c.is_ascii_digit())
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|d| d.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod time_tests {
    use super::{curve_bits, parse_time};

    #[test]
    fn der_times() {
        let utc = parse_time(b"\x17\x0d250601090000Z").unwrap();
        assert_eq!(utc.unix_timestamp(), 1_748_768_400);
        let generalized = parse_time(b"\x18\x0f20250601090000Z").unwrap();
        assert_eq!(generalized, utc);
        assert_eq!(parse_time(b"\x17\x0d490101000000Z").unwrap().year(), 2049);
        assert_eq!(parse_time(b"\x17\x0d500101000000Z").unwrap().year(), 1950);
        for bad in [
            &b"\x17\x0b2506010900Z"[..],
            b"\x17\x0d250601090000+",
            b"\x17\x0d251301090000Z",
            b"\x18\x0d250601090000Z",
            b"\x04\x0d250601090000Z",
            b"\x17\x0e250601090000Z",
        ] {
            assert!(parse_time(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn curve_sizes() {
        assert_eq!(curve_bits("brainpoolP384r1"), 384);
        assert_eq!(curve_bits("secp521r1"), 521);
        assert_eq!(curve_bits("secp192r1"), 192);
    }
}
