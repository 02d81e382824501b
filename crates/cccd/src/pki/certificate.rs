//! One X.509 certificate, parsed once by RustCrypto `x509-cert` (strict DER), with the exact
//! bytes of its signed and named parts kept for signatures and name matching.
//!
//! Everything the PKI reads from a certificate goes through [`ParsedCertificate`]: names
//! ([`super::name`]), validity, serial, key, the extensions the chain checks, and the
//! TBSCertificate bytes a signature covers (sliced from the input, never re-encoded).

use std::ops::Range;

use der::Decode;
use der::referenced::OwnedToRef;
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, KeyUsage, SubjectKeyIdentifier};
use x509_cert::name::Name;

use super::name;
use super::signature::{KeyDescription, describe_key};
use crate::tlv::{Tag, Tlv};

/// Why bytes are not an X.509 certificate (or CRL).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertificateError {
    /// Not strict DER of the structure RFC 5280 §4.1 (or §5.1) defines.
    #[error("malformed {what} at offset {offset}: {reason}")]
    Malformed {
        /// "certificate" or "CRL".
        what: &'static str,
        /// Byte offset of the fault, when the decoder knows it (0 otherwise).
        offset: usize,
        /// What the decoder found wrong.
        reason: String,
    },
}

impl CertificateError {
    pub(crate) fn from_der_error(what: &'static str, error: &der::Error) -> Self {
        Self::Malformed {
            what,
            offset: error
                .position()
                .and_then(|p| usize::try_from(p).ok())
                .unwrap_or(0),
            reason: error.kind().to_string(),
        }
    }

    fn shape(what: &'static str, offset: usize, reason: &str) -> Self {
        Self::Malformed {
            what,
            offset,
            reason: reason.to_owned(),
        }
    }

    /// Byte offset of the fault (0 when unknown).
    pub fn offset(&self) -> usize {
        match self {
            Self::Malformed { offset, .. } => *offset,
        }
    }
}

/// A certificate for display: the document signer in reports, `inspect`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerCertificate {
    /// Subject DN, in issuance order (`C=VN, O=…, CN=…`).
    pub subject: String,
    /// Issuer DN, in issuance order.
    pub issuer: String,
    /// The subject's countryName, upper-cased.
    pub country: Option<String>,
    /// Serial number, colon-separated lower-case hex (`01:2a:ff`).
    pub serial: String,
    /// Start of validity.
    pub not_before: Option<OffsetDateTime>,
    /// End of validity.
    pub not_after: Option<OffsetDateTime>,
    /// Key algorithm and size.
    pub key: KeyDescription,
}

impl SignerCertificate {
    /// Summarise a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, CertificateError> {
        let cert = ParsedCertificate::from_der(der)?;
        let key = cert.spki().map(|spki| describe_key(&spki)).ok_or_else(|| {
            CertificateError::shape("certificate", 0, "SubjectPublicKeyInfo does not decode")
        })?;
        Ok(Self::of(&cert, key))
    }

    /// Summarise a parsed certificate whose key is `key`.
    pub(crate) fn of(cert: &ParsedCertificate, key: KeyDescription) -> Self {
        Self {
            subject: name::display(cert.subject()),
            issuer: name::display(cert.issuer()),
            country: name::country(cert.subject()),
            serial: cert.serial_hex(),
            not_before: cert.not_before(),
            not_after: cert.not_after(),
            key,
        }
    }
}

/// A certificate parsed once, with its DER.
#[derive(Debug, Clone)]
pub(crate) struct ParsedCertificate {
    der: Vec<u8>,
    cert: Certificate,
    tbs: Range<usize>,
    issuer: Range<usize>,
    subject: Range<usize>,
    spki: Range<usize>,
}

/// Where the parts of a certificate are: TBSCertificate, issuer, subject and SPKI (byte
/// ranges of their complete TLVs in `der`).
fn part_ranges(der: &[u8]) -> Option<[Range<usize>; 4]> {
    const SEQUENCE: Tag = Tag::new(0x30);
    let range = |t: &Tlv<'_>| t.offset()..t.offset() + t.total_len();
    let cert = Tlv::parse_exact(der, SEQUENCE).ok()?;
    let tbs = cert.children().next()?.ok()?;
    let fields: Vec<Tlv<'_>> = tbs.children().collect::<Result<_, _>>().ok()?;
    // [0] version (optional), serialNumber, signature, issuer, validity, subject, spki.
    let skip = usize::from(fields.first().is_some_and(|t| t.tag() == Tag::new(0xA0)));
    let at = |i: usize| fields.get(skip + i).map(range);
    Some([range(&tbs), at(2)?, at(4)?, at(5)?])
}

/// The unsigned parts of a certificate, checked byte by byte (the certificate parser does not
/// compare the outer signatureAlgorithm with the signed one, nor look at unused bits): `SEQUENCE { TBSCertificate SEQUENCE, AlgorithmIdentifier SEQUENCE equal to the
/// one inside the TBS, BIT STRING with no unused bits }`.
pub(crate) fn strict_outer_shape(der: &[u8]) -> Result<(), &'static str> {
    use crate::tlv::{Tag, Tlv};
    const SEQ: Tag = Tag::new(0x30);
    let cert = Tlv::parse_exact(der, SEQ).map_err(|_| "is not one DER SEQUENCE")?;
    let parts: Vec<Tlv<'_>> = cert
        .children()
        .collect::<Result<_, _>>()
        .map_err(|_| "has malformed parts")?;
    let [tbs, alg, sig] = parts.as_slice() else {
        return Err("does not have exactly three parts");
    };
    if tbs.tag() != SEQ || alg.tag() != SEQ || sig.tag() != Tag::new(0x03) {
        return Err("has a wrong tag in its outer structure");
    }
    if sig.value().first() != Some(&0) {
        return Err("signature BIT STRING has unused bits");
    }
    // TBSCertificate: [0] version (optional), serialNumber, signature AlgorithmIdentifier...
    let inner: Vec<Tlv<'_>> = tbs
        .children()
        .collect::<Result<_, _>>()
        .map_err(|_| "has a malformed TBSCertificate")?;
    let skip = usize::from(inner.first().is_some_and(|t| t.tag() == Tag::new(0xA0)));
    let signed_alg = inner
        .get(skip + 1)
        .ok_or("has no signature algorithm in its TBSCertificate")?;
    let bytes = |t: &Tlv<'_>| &der[t.offset()..t.offset() + t.total_len()];
    if bytes(signed_alg) != bytes(alg) {
        return Err("outer signature algorithm differs from the signed one");
    }
    Ok(())
}

/// The issuer Name (DER) and serialNumber (INTEGER contents) of a certificate, read from its
/// TLV structure alone: the CMS signer lookup runs per document and needs no full parse.
pub(crate) fn issuer_and_serial(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let cert = Tlv::parse_exact(der, Tag::new(0x30)).ok()?;
    let tbs = cert.children().next()?.ok()?;
    let mut fields = tbs.children();
    let mut serial = fields.next()?.ok()?;
    if serial.tag() == Tag::new(0xA0) {
        serial = fields.next()?.ok()?;
    }
    let issuer = fields.nth(1)?.ok()?;
    let bytes = &der[issuer.offset()..issuer.offset() + issuer.total_len()];
    (serial.tag() == Tag::new(0x02)).then_some((bytes, serial.value()))
}

/// A `time` instant from an X.509 time.
fn instant(t: x509_cert::time::Time) -> Option<OffsetDateTime> {
    let secs = i64::try_from(t.to_unix_duration().as_secs()).ok()?;
    OffsetDateTime::from_unix_timestamp(secs).ok()
}

impl ParsedCertificate {
    /// Parse a DER certificate; trailing bytes are refused.
    pub(crate) fn from_der(der: &[u8]) -> Result<Self, CertificateError> {
        const WHAT: &str = "certificate";
        let cert =
            Certificate::from_der(der).map_err(|e| CertificateError::from_der_error(WHAT, &e))?;
        let [tbs, issuer, subject, spki] = part_ranges(der)
            .ok_or_else(|| CertificateError::shape(WHAT, 0, "TBSCertificate fields not found"))?;
        Ok(Self {
            der: der.to_vec(),
            cert,
            tbs,
            issuer,
            subject,
            spki,
        })
    }

    /// The whole certificate, DER.
    pub(crate) fn der(&self) -> &[u8] {
        &self.der
    }

    /// The TBSCertificate as signed.
    pub(crate) fn tbs_der(&self) -> &[u8] {
        &self.der[self.tbs.clone()]
    }

    /// The issuer Name, DER.
    pub(crate) fn issuer_der(&self) -> &[u8] {
        &self.der[self.issuer.clone()]
    }

    /// The subject Name, DER.
    pub(crate) fn subject_der(&self) -> &[u8] {
        &self.der[self.subject.clone()]
    }

    /// The SubjectPublicKeyInfo, DER.
    pub(crate) fn spki_der(&self) -> &[u8] {
        &self.der[self.spki.clone()]
    }

    /// The subject public key (borrowed from [`Self::spki_der`]).
    pub(crate) fn spki(&self) -> Option<SubjectPublicKeyInfoRef<'_>> {
        SubjectPublicKeyInfoRef::from_der(self.spki_der()).ok()
    }

    /// The issuer name.
    pub(crate) fn issuer(&self) -> &Name {
        self.cert.tbs_certificate().issuer()
    }

    /// The subject name.
    pub(crate) fn subject(&self) -> &Name {
        self.cert.tbs_certificate().subject()
    }

    /// The serial number's INTEGER contents.
    pub(crate) fn serial(&self) -> &[u8] {
        self.cert.tbs_certificate().serial_number().as_bytes()
    }

    /// The serial number as colon-separated lower-case hex (`01:2a:ff`).
    pub(crate) fn serial_hex(&self) -> String {
        self.serial()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// notBefore.
    pub(crate) fn not_before(&self) -> Option<OffsetDateTime> {
        instant(self.cert.tbs_certificate().validity().not_before)
    }

    /// notAfter.
    pub(crate) fn not_after(&self) -> Option<OffsetDateTime> {
        instant(self.cert.tbs_certificate().validity().not_after)
    }

    /// The outer signatureAlgorithm.
    pub(crate) fn signature_algorithm(&self) -> AlgorithmIdentifierRef<'_> {
        self.cert.signature_algorithm().owned_to_ref()
    }

    /// The signature BIT STRING's bytes.
    pub(crate) fn signature(&self) -> &[u8] {
        self.cert.signature().raw_bytes()
    }

    /// The extensions: (OID, critical) pairs in order.
    pub(crate) fn extensions(&self) -> impl Iterator<Item = (crate::oid::ObjectIdentifier, bool)> {
        self.cert
            .tbs_certificate()
            .extensions()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|e| (e.extn_id, e.critical))
    }

    /// basicConstraints' cA flag: `Ok(None)` when the extension is absent, `Err` when it is
    /// malformed or repeated. Decoded here rather than by `x509-cert`: two CSCAs of ICAO's
    /// master list (Ukraine) encode cA TRUE as the BER byte 0x01, which a strict DER BOOLEAN
    /// refuses; any non-zero byte is TRUE (X.690 §8.2.2), as x509-parser read it.
    pub(crate) fn basic_constraints_ca(&self) -> Result<Option<bool>, ()> {
        const BASIC_CONSTRAINTS: crate::oid::ObjectIdentifier =
            crate::oid::ObjectIdentifier::new_unwrap("2.5.29.19");
        let mut found = self
            .cert
            .tbs_certificate()
            .extensions()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(|e| e.extn_id == BASIC_CONSTRAINTS);
        let Some(extension) = found.next() else {
            return Ok(None);
        };
        if found.next().is_some() {
            return Err(());
        }
        // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
        //                                 pathLenConstraint INTEGER (0..MAX) OPTIONAL }
        let value =
            Tlv::parse_exact(extension.extn_value.as_bytes(), Tag::new(0x30)).map_err(|_| ())?;
        let fields: Vec<Tlv<'_>> = value.children().collect::<Result<_, _>>().map_err(|_| ())?;
        let (ca, rest) = match fields.split_first() {
            Some((first, rest)) if first.tag() == Tag::new(0x01) => match first.value() {
                [byte] => (*byte != 0, rest),
                _ => return Err(()),
            },
            _ => (false, fields.as_slice()),
        };
        match rest {
            [] => Ok(Some(ca)),
            [path_len] if path_len.tag() == Tag::new(0x02) && !path_len.value().is_empty() => {
                Ok(Some(ca))
            }
            _ => Err(()),
        }
    }

    /// keyUsage: `Ok(None)` when absent, `Err` when malformed or repeated.
    pub(crate) fn key_usage(&self) -> Result<Option<KeyUsage>, ()> {
        let tbs = self.cert.tbs_certificate();
        tbs.get_extension::<KeyUsage>()
            .map(|found| found.map(|(_, value)| value))
            .map_err(|_| ())
    }

    /// The subjectKeyIdentifier, if present and well formed.
    pub(crate) fn subject_key_id(&self) -> Option<Vec<u8>> {
        let tbs = self.cert.tbs_certificate();
        let (_, ski) = tbs.get_extension::<SubjectKeyIdentifier>().ok()??;
        Some(ski.0.as_bytes().to_vec())
    }

    /// The authorityKeyIdentifier's keyIdentifier, if present and well formed.
    pub(crate) fn authority_key_id(&self) -> Option<Vec<u8>> {
        let tbs = self.cert.tbs_certificate();
        let (_, aki) = tbs.get_extension::<AuthorityKeyIdentifier>().ok()??;
        aki.key_identifier.map(|k| k.as_bytes().to_vec())
    }
}

/// Decode a DER AlgorithmIdentifier borrowed from `der`.
pub(crate) fn algorithm_identifier(der: &[u8]) -> Option<AlgorithmIdentifierRef<'_>> {
    AlgorithmIdentifierRef::from_der(der).ok()
}
