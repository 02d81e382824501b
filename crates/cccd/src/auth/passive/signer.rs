//! The SignerInfo of EF.SOD: its signed attributes, its signature, and the DSC that made it.

use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::x509::AlgorithmIdentifier as X509AlgorithmIdentifier;

use super::Outcome;
use crate::auth::signature::{self, HashAlgorithm, KeyDescription};
use crate::crypto::ct_eq;
use crate::lds::sod::{Sod, lds_security_object_oid};
use crate::trust::to_datetime;

/// The document signer certificate, for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerCertificate {
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Serial number, hex with colons as x509-parser prints it.
    pub serial: String,
    /// Start of validity.
    pub not_before: Option<OffsetDateTime>,
    /// End of validity.
    pub not_after: Option<OffsetDateTime>,
    /// Key algorithm and size.
    pub key: KeyDescription,
}

/// What the SignerInfo checks found.
pub(super) struct SignerChecks {
    pub content_type: Outcome,
    pub message_digest: Outcome,
    pub signature: Outcome,
    pub signer: Option<SignerCertificate>,
    pub dsc_der: Option<Vec<u8>>,
}

fn describe(cert: &X509Certificate<'_>) -> SignerCertificate {
    SignerCertificate {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        serial: cert.raw_serial_as_string(),
        not_before: to_datetime(cert.validity().not_before),
        not_after: to_datetime(cert.validity().not_after),
        key: signature::describe_key(cert.public_key()),
    }
}

/// Check the first (for eMRTDs, the only) SignerInfo.
pub(super) fn check_signer(sod: &Sod) -> SignerChecks {
    let sd = &sod.signed_data;
    let skip = |why: &str| Outcome::Skip(why.to_owned());
    let Some(signer_info) = sd.signer_infos.first() else {
        let fail = || Outcome::Fail("EF.SOD has no SignerInfo".to_owned());
        return SignerChecks {
            content_type: fail(),
            message_digest: fail(),
            signature: fail(),
            signer: None,
            dsc_der: None,
        };
    };
    let digest_oid = signer_info.digest_algorithm.oid.to_id_string();
    let digest = HashAlgorithm::from_oid(&digest_oid);
    let Some(attrs) = &signer_info.signed_attrs else {
        // ICAO 9303-10 requires signed attributes; without them nothing binds the content.
        let fail = || Outcome::Fail("the SignerInfo has no signed attributes".to_owned());
        return SignerChecks {
            content_type: fail(),
            message_digest: fail(),
            signature: fail(),
            signer: None,
            dsc_der: sd.signer_certificate(signer_info).map(<[u8]>::to_vec),
        };
    };

    let content_type = match attrs.content_type() {
        Some(oid) if oid == lds_security_object_oid() => Outcome::Pass,
        Some(oid) => Outcome::Fail(format!(
            "the signed contentType is {oid}, not the LDS security object (2.23.136.1.1.1)"
        )),
        None => Outcome::Fail("the signed contentType attribute is missing".to_owned()),
    };

    let message_digest = match (attrs.message_digest(), digest) {
        (None, _) => Outcome::Fail("the signed messageDigest attribute is missing".to_owned()),
        (Some(_), None) => Outcome::Fail(format!(
            "the SignerInfo's digest algorithm {digest_oid} is not supported"
        )),
        (Some(value), Some(hash)) => {
            if ct_eq(&hash.digest(&sd.content), value) {
                Outcome::Pass
            } else {
                Outcome::Fail(format!(
                    "the signed messageDigest is not the {} of the LDS security object",
                    hash.name()
                ))
            }
        }
    };

    let Some(dsc_der) = sd.signer_certificate(signer_info) else {
        return SignerChecks {
            content_type,
            message_digest,
            signature: Outcome::Fail(
                "EF.SOD does not embed the document signer certificate the SignerInfo names"
                    .to_owned(),
            ),
            signer: None,
            dsc_der: None,
        };
    };
    let cert = match parse_dsc(dsc_der) {
        Ok(cert) => cert,
        Err(why) => {
            return SignerChecks {
                content_type,
                message_digest,
                signature: Outcome::Fail(format!("the document signer certificate {why}")),
                signer: None,
                dsc_der: None,
            };
        }
    };

    let algorithm_der = signer_info.signature_algorithm.encode();
    let signature = match (X509AlgorithmIdentifier::from_der(&algorithm_der), digest) {
        (Err(_), _) => Outcome::Fail("the signature algorithm does not parse".to_owned()),
        (Ok(_), None) => skip("the digest algorithm is not supported"),
        (Ok((_, algorithm)), Some(hash)) => match signature::verify_cms_signature(
            cert.public_key(),
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
        content_type,
        message_digest,
        signature,
        signer: Some(describe(&cert)),
        dsc_der: Some(dsc_der.to_vec()),
    }
}

/// Parse the DSC, refusing a certificate whose unsigned parts are not exactly DER.
fn parse_dsc(der: &[u8]) -> Result<X509Certificate<'_>, String> {
    // The outer signatureAlgorithm and signature encoding are outside the signed
    // TBSCertificate: they must repeat the signed copy exactly (RFC 5280 4.1.1.2).
    strict_certificate_shape(der).map_err(str::to_owned)?;
    X509Certificate::from_der(der)
        .map(|(_, cert)| cert)
        .map_err(|_| "does not parse".to_owned())
}

/// The unsigned parts of a certificate, checked byte by byte (x509-parser is lenient about
/// tags there): `SEQUENCE { TBSCertificate SEQUENCE, AlgorithmIdentifier SEQUENCE equal to the
/// one inside the TBS, BIT STRING with no unused bits }`.
fn strict_certificate_shape(der: &[u8]) -> Result<(), &'static str> {
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
