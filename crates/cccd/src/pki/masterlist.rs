//! ICAO CSCA master lists (ICAO Doc 9303-12 §9): CMS SignedData with content type
//! id-icao-cscaMasterList (2.23.136.1.1.2) holding
//! `CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }`.
//!
//! The list's own signature is checked against the signer certificate embedded in the CMS
//! (signed attributes: contentType and messageDigest, RFC 5652 §5.4), and the signer
//! certificate is looked up among the list's CSCAs. The outcome is a [`MasterListReport`].

use super::cms::{AttributeProblem, SignedData, SignerInfo};
use super::{
    ParsedCertificate, TrustError, TrustStore, distinguished_names_equal, name, verify_signed_by,
};
use crate::crypto::HashAlgorithm;
use crate::oid;
use crate::pki::signature::verify_cms_signature;
use crate::tlv::{Tag, Tlv};

/// Largest number of certificates read from one list (ICAO's holds about 500).
const MAX_CERTIFICATES: usize = 100_000;

/// What loading a master list found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MasterListReport {
    /// Where the list came from.
    pub source: String,
    /// Subject of the embedded signer certificate, if it was found.
    pub signer_subject: Option<String>,
    /// True when the CMS signature (and messageDigest) verified with the signer certificate.
    pub signature_valid: bool,
    /// Why the signature was not accepted, in words.
    pub signature_problem: Option<String>,
    /// Subject of the CSCA (in the list, or embedded in the CMS) whose key verifies the
    /// signer certificate, if any.
    pub signer_issued_by: Option<String>,
    /// True when that CSCA is one of the list's own entries.
    pub signer_issuer_in_list: bool,
    /// signingTime attribute as written (UTCTime/GeneralizedTime text), if present.
    pub signing_time: Option<String>,
    /// Certificates in the list.
    pub certificate_count: usize,
    /// Of those, newly added to the store.
    pub added: usize,
    /// Of those, already in the store.
    pub duplicates: usize,
    /// Entries that did not parse as certificates: (index in the list, reason).
    pub parse_failures: Vec<(usize, String)>,
}

/// Split a CscaMasterList (`SEQUENCE { version INTEGER, certList SET OF Certificate }`, DER)
/// into its certificate encodings.
fn certificate_list(content: &[u8]) -> Result<Vec<&[u8]>, TrustError> {
    let at = |offset: usize, what: &str| TrustError::Malformed {
        what: format!("master list: {what}"),
        offset,
    };
    let list = Tlv::parse_exact(content, Tag::new(0x30))
        .map_err(|e| at(e.offset, "CscaMasterList is not a SEQUENCE"))?;
    let mut fields = list.children();
    let version = fields.next().and_then(Result::ok);
    if version.is_none_or(|v| v.tag() != Tag::new(0x02)) {
        return Err(at(list.offset(), "missing version"));
    }
    let set = match fields.next() {
        Some(Ok(set)) if set.tag() == Tag::new(0x31) => set,
        _ => return Err(at(list.offset(), "missing certList")),
    };
    let mut out = Vec::new();
    for entry in set.children() {
        if out.len() >= MAX_CERTIFICATES {
            return Err(at(set.offset(), "too many certificates"));
        }
        let entry = entry.map_err(|e| at(e.offset, "certificate entry does not parse"))?;
        let start = entry.offset();
        let bytes = content
            .get(start..start + entry.total_len())
            .ok_or_else(|| at(start, "certificate entry does not parse"))?;
        out.push(bytes);
    }
    Ok(out)
}

/// The signer certificate (DER, subject) if found, and the signature check result.
type SignerCheck<'a> = (Option<(&'a [u8], String)>, Result<(), String>);

/// Check one SignerInfo over `signed`; returns the signer certificate's DER and subject.
fn verify_signer<'a>(signed: &'a SignedData, signer: &SignerInfo) -> SignerCheck<'a> {
    let found = signed.signer_certificate(signer).and_then(|der| {
        let cert = ParsedCertificate::from_der(der).ok()?;
        Some((der, name::display(cert.subject())))
    });
    let Some((signer_der, subject)) = found else {
        return (
            None,
            Err("signer certificate not embedded in the list".to_owned()),
        );
    };
    let result = check_signature(signed, signer, signer_der);
    (Some((signer_der, subject)), result)
}

fn check_signature(
    signed: &SignedData,
    signer: &SignerInfo,
    signer_der: &[u8],
) -> Result<(), String> {
    let cert =
        ParsedCertificate::from_der(signer_der).map_err(|e| format!("signer certificate: {e}"))?;
    let digest_oid = signer.digest_algorithm.oid;
    let hash = HashAlgorithm::from_oid(&digest_oid)
        .ok_or_else(|| format!("unsupported digest algorithm {digest_oid}"))?;
    let algorithm_der = signer.signature_algorithm.encode();
    let signature_alg = super::certificate::algorithm_identifier(&algorithm_der)
        .ok_or_else(|| "signatureAlgorithm does not parse".to_owned())?;
    let spki = cert
        .spki()
        .ok_or_else(|| "signer certificate: SubjectPublicKeyInfo does not decode".to_owned())?;
    // The same check as EF.SOD and EF.CardSecurity: exactly one messageDigest equal to the
    // content's digest, exactly one contentType equal to the eContentType.
    let attrs = signer
        .signed_attrs
        .as_ref()
        .ok_or("the SignerInfo has no signed attributes")?;
    attrs
        .check_message_digest(Some(hash), &signed.content)
        .and_then(|()| attrs.check_content_type(&signed.content_type))
        .map_err(|problem| attribute_problem(&problem))?;
    verify_cms_signature(
        &spki,
        &signature_alg,
        hash,
        &attrs.der_for_signature,
        &signer.signature,
    )
    .map_err(|e| e.to_string())
}

/// A signed-attribute problem in the words of the master list report.
fn attribute_problem(problem: &AttributeProblem) -> String {
    match problem {
        AttributeProblem::Repeated { attribute, count } => {
            format!("signed attribute {attribute} appears {count} times; RFC 5652 allows one")
        }
        AttributeProblem::Missing { attribute } if *attribute == oid::ATTR_MESSAGE_DIGEST => {
            "no messageDigest attribute".to_owned()
        }
        AttributeProblem::Missing { .. } => "no contentType attribute".to_owned(),
        AttributeProblem::ContentTypeDiffers { .. } => {
            "contentType attribute differs from eContentType".to_owned()
        }
        AttributeProblem::UnsupportedDigest => "unsupported digest algorithm".to_owned(),
        AttributeProblem::DigestDiffers { .. } => {
            "messageDigest does not match the list content".to_owned()
        }
    }
}

fn signing_time(signer: &SignerInfo) -> Option<String> {
    let value = signer.signed_attrs.as_ref()?.signing_time()?;
    // UTCTime or GeneralizedTime: tag, short length, ASCII.
    let text = value.get(2..)?;
    std::str::from_utf8(text).ok().map(str::to_owned)
}

impl TrustStore {
    /// Load an ICAO CSCA master list: verify its signature, then add its certificates and
    /// report.
    ///
    /// A list whose CMS signature does not verify adds nothing: it is refused with
    /// [`TrustError::MasterListSignature`], which carries the report for display. Entries
    /// that are not CA certificates are listed in [`MasterListReport::parse_failures`].
    pub fn load_master_list(
        &mut self,
        bytes: &[u8],
        source: &str,
    ) -> Result<MasterListReport, TrustError> {
        let signed = SignedData::parse_der(bytes).map_err(|e| TrustError::Malformed {
            what: format!("CMS SignedData: {}", e.reason),
            offset: e.offset,
        })?;
        if signed.content_type != oid::CSCA_MASTER_LIST {
            return Err(TrustError::Malformed {
                what: format!(
                    "CMS content type {} is not id-icao-cscaMasterList",
                    signed.content_type
                ),
                offset: 0,
            });
        }
        let entries = certificate_list(&signed.content)?;
        let embedded: Vec<&[u8]> = signed.certificates.iter().map(Vec::as_slice).collect();
        let mut report = MasterListReport {
            source: source.to_owned(),
            certificate_count: entries.len(),
            ..MasterListReport::default()
        };
        match signed.signer_infos.first() {
            Some(signer) => {
                let (found, result) = verify_signer(&signed, signer);
                report.signing_time = signing_time(signer);
                report.signature_valid = result.is_ok();
                report.signature_problem = result.err();
                if let Some((signer_der, subject)) = found {
                    report.signer_subject = Some(subject);
                    if let Some((issuer, in_list)) = signer_issuer(signer_der, &entries, &embedded)
                    {
                        report.signer_issued_by = Some(issuer);
                        report.signer_issuer_in_list = in_list;
                    }
                }
            }
            None => report.signature_problem = Some("no SignerInfo".to_owned()),
        }
        if !report.signature_valid {
            return Err(TrustError::MasterListSignature {
                source_name: source.to_owned(),
                problem: report
                    .signature_problem
                    .clone()
                    .unwrap_or_else(|| "not verified".to_owned()),
                report: Box::new(report),
            });
        }
        for (index, der) in entries.iter().enumerate() {
            match self.add_certificate_der(der, source) {
                Ok(true) => report.added += 1,
                Ok(false) => report.duplicates += 1,
                Err(e) => report.parse_failures.push((index, e.to_string())),
            }
        }
        Ok(report)
    }
}

/// The subject of the certificate whose key verifies the signer certificate, looked for
/// among the list entries first, then among the CMS certificates; and whether it is an entry.
fn signer_issuer(
    signer_der: &[u8],
    entries: &[&[u8]],
    embedded: &[&[u8]],
) -> Option<(String, bool)> {
    let signer = ParsedCertificate::from_der(signer_der).ok()?;
    let aki = signer.authority_key_id();
    let find = |pool: &[&[u8]]| {
        pool.iter().find_map(|der| {
            let cert = ParsedCertificate::from_der(der).ok()?;
            let by_key = aki.is_some() && cert.subject_key_id() == aki;
            if !by_key && !distinguished_names_equal(&cert.subject_name(), &signer.issuer_name()) {
                return None;
            }
            verify_signed_by(&signer, &cert)
                .is_ok()
                .then(|| name::display(cert.subject()))
        })
    };
    find(entries)
        .map(|s| (s, true))
        .or_else(|| find(embedded).map(|s| (s, false)))
}
