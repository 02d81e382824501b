//! ICAO CSCA master lists (ICAO Doc 9303-12 §9): CMS SignedData with content type
//! id-icao-cscaMasterList (2.23.136.1.1.2) holding
//! `CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }`.
//!
//! The list's own signature is checked against the signer certificate embedded in the CMS
//! (signed attributes: contentType and messageDigest, RFC 5652 §5.4), and the signer
//! certificate is looked up among the list's CSCAs. The outcome is a [`MasterListReport`].

use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;
use x509_parser::x509::AlgorithmIdentifier;

use super::cms::{self, SignedData, SignerId, SignerInfo};
use super::{
    TrustError, TrustStore, authority_key_id, distinguished_names_equal, subject_key_id,
    verify_certificate_signature,
};
use crate::crypto::HashAlgorithm;
use crate::pki::signature::verify_cms_signature;

/// id-icao-cscaMasterList.
pub const CSCA_MASTER_LIST: &str = "2.23.136.1.1.2";

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

fn malformed(what: &str) -> TrustError {
    TrustError::Malformed {
        what: format!("master list: {what}"),
        offset: 0,
    }
}

/// Split a CscaMasterList into its certificate encodings.
fn certificate_list(content: &[u8]) -> Result<Vec<&[u8]>, TrustError> {
    use x509_parser::asn1_rs::{Any, FromBer};
    let (_, list) =
        Any::from_ber(content).map_err(|_| malformed("CscaMasterList is not a SEQUENCE"))?;
    let (rest, _version) = Any::from_ber(list.data).map_err(|_| malformed("missing version"))?;
    let (_, set) = Any::from_ber(rest).map_err(|_| malformed("missing certList"))?;
    let mut out = Vec::new();
    let mut data = set.data;
    while !data.is_empty() {
        if out.len() >= MAX_CERTIFICATES {
            return Err(malformed("too many certificates"));
        }
        let (next, _) = Any::from_ber(data).map_err(|_| TrustError::Malformed {
            what: "master list: certificate entry does not parse".to_owned(),
            offset: content.len().saturating_sub(data.len()),
        })?;
        let raw = data.get(..data.len() - next.len()).unwrap_or_default();
        out.push(raw);
        data = next;
    }
    Ok(out)
}

fn signer_matches(cert: &X509Certificate<'_>, sid: &SignerId<'_>) -> bool {
    match sid {
        SignerId::KeyId(id) => subject_key_id(cert) == Some(*id),
        SignerId::IssuerSerial { issuer, serial } => {
            let strip = |s: &[u8]| {
                s.iter()
                    .skip_while(|&&b| b == 0)
                    .copied()
                    .collect::<Vec<u8>>()
            };
            cert.issuer().as_raw() == *issuer && strip(cert.raw_serial()) == strip(serial)
        }
    }
}

/// The signer certificate (DER, subject) if found, and the signature check result.
type SignerCheck<'a> = (Option<(&'a [u8], String)>, Result<(), String>);

/// Check one SignerInfo over `signed`; returns the signer certificate's DER and subject.
fn verify_signer<'a>(signed: &SignedData<'a>, signer: &SignerInfo<'a>) -> SignerCheck<'a> {
    let found = signed.certificates.iter().find_map(|der| {
        let (_, cert) = X509Certificate::from_der(der).ok()?;
        signer_matches(&cert, &signer.sid).then(|| (*der, cert.subject().to_string()))
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
    signed: &SignedData<'_>,
    signer: &SignerInfo<'_>,
    signer_der: &[u8],
) -> Result<(), String> {
    let (_, cert) =
        X509Certificate::from_der(signer_der).map_err(|e| format!("signer certificate: {e}"))?;
    let (_, digest_alg) = AlgorithmIdentifier::from_der(signer.digest_algorithm)
        .map_err(|_| "digestAlgorithm does not parse".to_owned())?;
    let digest_oid = digest_alg.algorithm.to_id_string();
    let hash = HashAlgorithm::from_dotted_oid(&digest_oid)
        .ok_or_else(|| format!("unsupported digest algorithm {digest_oid}"))?;
    let (_, signature_alg) = AlgorithmIdentifier::from_der(signer.signature_algorithm)
        .map_err(|_| "signatureAlgorithm does not parse".to_owned())?;
    let message: &[u8] = match &signer.signed_attrs_der {
        Some(attrs) => {
            let value_of = |oid: &str| {
                signer
                    .signed_attrs
                    .iter()
                    .find(|(t, _)| t == oid)
                    .and_then(|(_, values)| values.first().copied())
            };
            let digest_attr =
                value_of(cms::ATTR_MESSAGE_DIGEST).ok_or("no messageDigest attribute")?;
            let (_, digest_value) = x509_parser::asn1_rs::OctetString::from_der(digest_attr)
                .map_err(|_| "messageDigest is not an OCTET STRING".to_owned())?;
            if digest_value.as_ref() != hash.digest(&signed.content).as_slice() {
                return Err("messageDigest does not match the list content".to_owned());
            }
            if let Some(ct) = value_of(cms::ATTR_CONTENT_TYPE) {
                let (_, oid) = x509_parser::asn1_rs::Oid::from_der(ct)
                    .map_err(|_| "contentType attribute".to_owned())?;
                if oid.to_id_string() != signed.content_type {
                    return Err("contentType attribute differs from eContentType".to_owned());
                }
            }
            attrs
        }
        None => &signed.content,
    };
    verify_cms_signature(
        cert.public_key(),
        &signature_alg,
        hash,
        message,
        signer.signature,
    )
    .map_err(|e| e.to_string())
}

fn signing_time(signer: &SignerInfo<'_>) -> Option<String> {
    let (_, values) = signer
        .signed_attrs
        .iter()
        .find(|(t, _)| t == cms::ATTR_SIGNING_TIME)?;
    let value = values.first()?;
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
        let signed = cms::parse_signed_data(bytes)?;
        if signed.content_type != CSCA_MASTER_LIST {
            return Err(TrustError::Malformed {
                what: format!(
                    "CMS content type {} is not id-icao-cscaMasterList",
                    signed.content_type
                ),
                offset: 0,
            });
        }
        let entries = certificate_list(&signed.content)?;
        let mut report = MasterListReport {
            source: source.to_owned(),
            certificate_count: entries.len(),
            ..MasterListReport::default()
        };
        match signed.signers.first() {
            Some(signer) => {
                let (found, result) = verify_signer(&signed, signer);
                report.signing_time = signing_time(signer);
                report.signature_valid = result.is_ok();
                report.signature_problem = result.err();
                if let Some((signer_der, subject)) = found {
                    report.signer_subject = Some(subject);
                    if let Some((issuer, in_list)) =
                        signer_issuer(signer_der, &entries, &signed.certificates)
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
    let (_, signer) = X509Certificate::from_der(signer_der).ok()?;
    let aki = authority_key_id(&signer);
    let find = |pool: &[&[u8]]| {
        pool.iter().find_map(|der| {
            let (_, cert) = X509Certificate::from_der(der).ok()?;
            let by_key = aki.is_some() && subject_key_id(&cert) == aki;
            if !by_key && !distinguished_names_equal(cert.subject(), signer.issuer()) {
                return None;
            }
            verify_certificate_signature(signer_der, der)
                .is_ok()
                .then(|| cert.subject().to_string())
        })
    };
    find(entries)
        .map(|s| (s, true))
        .or_else(|| find(embedded).map(|s| (s, false)))
}
