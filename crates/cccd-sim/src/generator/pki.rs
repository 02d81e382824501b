//! The test PKI: CSCAs, document signers and a CRL, written with `x509-cert`'s builder.
//!
//! Certificates are built by [`x509_cert::builder::CertificateBuilder`] with a profile of our
//! own ([`TestProfile`]) that adds the extensions ICAO 9303-12 asks for (basicConstraints and
//! keyUsage keyCertSign/cRLSign on CSCAs, keyUsage digitalSignature on DSCs, subject and
//! authority key identifiers). The signer is a small adapter ([`IssuerSigner`]) over our key
//! enum, so that a CSCA whose SubjectPublicKeyInfo carries explicit curve parameters can sign
//! too: its authority key identifier is SHA-1 over the public key bits, which is the same
//! whether the parameters are named or explicit.

use super::GenError;
use super::keys::PrivateKey;
use cccd::ec::Curve;
use cccd::lds::asn1::{enc_octets, enc_oid, enc_seq, enc_uint, enc_uint_bytes, oid_from_arcs};
use cccd::tlv::{self, Tag};
use rsa::signature::{Keypair, Signer};
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::{Certificate, TbsCertificate, Version};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::der::asn1::{Any, BitString, OctetString, UtcTime};
use x509_cert::der::referenced::OwnedToRef;
use x509_cert::der::{DateTime, Decode, Document, Encode};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::crl::CrlNumber;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{
    AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, EncodePublicKey, ObjectIdentifier,
    SignatureBitStringEncoding, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef,
};
use x509_cert::time::{Time, Validity};

const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");

/// A calendar day at 00:00:00 UTC, as an X.509 time (UTCTime before 2050, as RFC 5280 says).
pub fn x509_time(y: u16, m: u8, d: u8) -> Result<Time, GenError> {
    let dt = DateTime::new(y, m, d, 0, 0, 0).map_err(|e| GenError::Crypto(format!("date: {e}")))?;
    if y < 2050 {
        Ok(Time::UtcTime(
            UtcTime::from_date_time(dt).map_err(|e| GenError::Crypto(format!("date: {e}")))?,
        ))
    } else {
        Ok(Time::GeneralTime(
            x509_cert::der::asn1::GeneralizedTime::from_date_time(dt),
        ))
    }
}

/// The public key of an issuer as its exact SubjectPublicKeyInfo DER.
#[derive(Clone, Debug)]
pub struct SpkiBytes(pub Vec<u8>);

impl EncodePublicKey for SpkiBytes {
    fn to_public_key_der(&self) -> x509_cert::spki::Result<Document> {
        Ok(Document::from_der(&self.0)?)
    }
}

/// A signature value from [`IssuerSigner`] (PKCS#1 v1.5 bytes or a DER ECDSA signature).
#[derive(Clone, Debug)]
pub struct SignatureBytes(pub Vec<u8>);

impl SignatureBitStringEncoding for SignatureBytes {
    fn to_bitstring(&self) -> x509_cert::der::Result<BitString> {
        BitString::from_bytes(&self.0)
    }
}

/// A CA key with the SubjectPublicKeyInfo its certificate shows (named or explicit curve).
#[derive(Debug)]
pub struct IssuerSigner<'a> {
    /// The private key.
    pub key: &'a PrivateKey,
    /// The issuer's SubjectPublicKeyInfo DER.
    pub spki: Vec<u8>,
}

impl IssuerSigner<'_> {
    /// The certificate/CRL signature algorithm this key uses: sha256WithRSAEncryption,
    /// ecdsa-with-SHA256 (P-256, brainpoolP256r1) or ecdsa-with-SHA384 (brainpoolP384r1).
    fn algorithm(&self) -> AlgorithmIdentifierOwned {
        match self.key {
            PrivateKey::Rsa(_) => AlgorithmIdentifierOwned {
                oid: SHA256_WITH_RSA,
                parameters: Some(Any::null()),
            },
            PrivateKey::P256(_) | PrivateKey::BrainpoolP256(_) => AlgorithmIdentifierOwned {
                oid: ECDSA_WITH_SHA256,
                parameters: None,
            },
            PrivateKey::BrainpoolP384(_) => AlgorithmIdentifierOwned {
                oid: ECDSA_WITH_SHA384,
                parameters: None,
            },
        }
    }
}

impl Keypair for IssuerSigner<'_> {
    type VerifyingKey = SpkiBytes;
    fn verifying_key(&self) -> SpkiBytes {
        SpkiBytes(self.spki.clone())
    }
}

impl DynSignatureAlgorithmIdentifier for IssuerSigner<'_> {
    fn signature_algorithm_identifier(&self) -> x509_cert::spki::Result<AlgorithmIdentifierOwned> {
        Ok(self.algorithm())
    }
}

impl Signer<SignatureBytes> for IssuerSigner<'_> {
    fn try_sign(&self, msg: &[u8]) -> Result<SignatureBytes, rsa::signature::Error> {
        // All three are deterministic: PKCS#1 v1.5 has no randomness and ECDSA uses RFC 6979.
        Ok(SignatureBytes(match self.key {
            PrivateKey::Rsa(k) => {
                let sk = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k.clone());
                let sig: rsa::pkcs1v15::Signature = sk.try_sign(msg)?;
                rsa::signature::SignatureEncoding::to_vec(&sig)
            }
            PrivateKey::P256(k) => {
                let sig: p256::ecdsa::Signature = k.try_sign(msg)?;
                sig.to_der().to_bytes().to_vec()
            }
            PrivateKey::BrainpoolP256(k) => {
                let sig: ecdsa::Signature<bp256::BrainpoolP256r1> = k.try_sign(msg)?;
                sig.to_der().to_bytes().to_vec()
            }
            PrivateKey::BrainpoolP384(k) => {
                let sig: ecdsa::Signature<bp384::BrainpoolP384r1> = k.try_sign(msg)?;
                sig.to_der().to_bytes().to_vec()
            }
        }))
    }
}

/// The certificate profile of the test PKI.
#[derive(Debug, Clone)]
pub struct TestProfile {
    /// Subject name.
    pub subject: Name,
    /// Issuer name (the subject, for a CSCA).
    pub issuer: Name,
    /// CSCA (true) or document signer (false).
    pub ca: bool,
}

fn ext<T: Encode + x509_cert::der::oid::AssociatedOid>(
    value: &T,
    critical: bool,
) -> x509_cert::builder::Result<Extension> {
    Ok(Extension {
        extn_id: T::OID,
        critical,
        extn_value: OctetString::new(value.to_der()?)?,
    })
}

impl BuilderProfile for TestProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let ski = SubjectKeyIdentifier::try_from(spk)?;
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(SubjectKeyIdentifier::try_from(issuer_spk)?.0),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        let mut out = vec![ext(&aki, false)?, ext(&ski, false)?];
        if self.ca {
            out.push(ext(
                &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
                true,
            )?);
            out.push(ext(
                &BasicConstraints {
                    ca: true,
                    path_len_constraint: Some(0),
                },
                true,
            )?);
        } else {
            out.push(ext(&KeyUsage(KeyUsages::DigitalSignature.into()), true)?);
        }
        Ok(out)
    }
}

/// What to put into one certificate.
#[derive(Debug)]
pub struct CertRequest<'a> {
    /// Subject distinguished name (RFC 4514 string, most significant RDN last).
    pub subject: &'a str,
    /// Issuer distinguished name.
    pub issuer: &'a str,
    /// The subject's SubjectPublicKeyInfo DER.
    pub subject_spki: &'a [u8],
    /// Serial number bytes (positive).
    pub serial: &'a [u8],
    /// notBefore (y, m, d).
    pub not_before: (u16, u8, u8),
    /// notAfter (y, m, d).
    pub not_after: (u16, u8, u8),
    /// CSCA or DSC.
    pub ca: bool,
}

fn name(dn: &str) -> Result<Name, GenError> {
    dn.parse()
        .map_err(|e| GenError::Crypto(format!("distinguished name {dn:?}: {e}")))
}

fn crypto(what: &'static str) -> impl Fn(&dyn std::fmt::Display) -> GenError {
    move |e| GenError::Crypto(format!("{what}: {e}"))
}

/// Issue a certificate; returns its DER.
pub fn issue(req: &CertRequest<'_>, signer: &IssuerSigner<'_>) -> Result<Vec<u8>, GenError> {
    let profile = TestProfile {
        subject: name(req.subject)?,
        issuer: name(req.issuer)?,
        ca: req.ca,
    };
    let validity = Validity::new(
        x509_time(req.not_before.0, req.not_before.1, req.not_before.2)?,
        x509_time(req.not_after.0, req.not_after.1, req.not_after.2)?,
    );
    let spki = SubjectPublicKeyInfoOwned::from_der(req.subject_spki)
        .map_err(|e| crypto("subject public key")(&e))?;
    let serial = SerialNumber::new(req.serial).map_err(|e| crypto("serial number")(&e))?;
    let builder = CertificateBuilder::new(profile, serial, validity, spki)
        .map_err(|e| crypto("certificate builder")(&e))?;
    let cert: Certificate = builder
        .build::<_, SignatureBytes>(signer)
        .map_err(|e| crypto("certificate signing")(&e))?;
    cert.to_der()
        .map_err(|e| crypto("certificate encoding")(&e))
}

/// A CRL from `issuer_cert_der`'s subject revoking `serials` (each revoked on `revoked_on`).
pub fn crl(
    issuer_cert_der: &[u8],
    signer: &IssuerSigner<'_>,
    serials: &[&[u8]],
    revoked_on: (u16, u8, u8),
    this_update: (u16, u8, u8),
    next_update: (u16, u8, u8),
) -> Result<Vec<u8>, GenError> {
    let issuer = Certificate::from_der(issuer_cert_der).map_err(|e| crypto("CSCA")(&e))?;
    let issuer_spki = issuer.tbs_certificate().subject_public_key_info();
    let aki = AuthorityKeyIdentifier {
        key_identifier: Some(
            SubjectKeyIdentifier::try_from(issuer_spki.owned_to_ref())
                .map_err(|e| crypto("key identifier")(&e))?
                .0,
        ),
        authority_cert_issuer: None,
        authority_cert_serial_number: None,
    };
    let number =
        CrlNumber(x509_cert::der::asn1::Uint::new(&[1]).map_err(|e| crypto("CRL number")(&e))?);
    let revoked: Vec<RevokedCert> = serials
        .iter()
        .map(|s| {
            Ok(RevokedCert {
                serial_number: SerialNumber::<x509_cert::certificate::Rfc5280>::new(s)
                    .map_err(|e| crypto("serial")(&e))?,
                revocation_date: x509_time(revoked_on.0, revoked_on.1, revoked_on.2)?,
                crl_entry_extensions: None,
            })
        })
        .collect::<Result<Vec<_>, GenError>>()?;
    let tbs = TbsCertList {
        version: Version::V2,
        signature: signer.algorithm(),
        issuer: issuer.tbs_certificate().subject().clone(),
        this_update: x509_time(this_update.0, this_update.1, this_update.2)?,
        next_update: Some(x509_time(next_update.0, next_update.1, next_update.2)?),
        revoked_certificates: Some(revoked),
        crl_extensions: Some(vec![
            ext(&aki, false).map_err(|e| crypto("CRL extension")(&e))?,
            ext(&number, false).map_err(|e| crypto("CRL extension")(&e))?,
        ]),
    };
    let tbs_der = tbs.to_der().map_err(|e| crypto("CRL encoding")(&e))?;
    let sig = signer
        .try_sign(&tbs_der)
        .map_err(|e| crypto("CRL signing")(&e))?;
    let list = CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: signer.algorithm(),
        signature: sig
            .to_bitstring()
            .map_err(|e| crypto("CRL signature")(&e))?,
    };
    list.to_der().map_err(|e| crypto("CRL encoding")(&e))
}

/// A SubjectPublicKeyInfo for an EC point with EXPLICIT domain parameters (RFC 3279
/// `ECParameters`: version 1, prime field, a, b, uncompressed base point, order, cofactor).
pub fn explicit_ec_spki(curve: Curve, point: &[u8]) -> Vec<u8> {
    let p = curve.params();
    let field_id = enc_seq(&[
        &enc_oid(&oid_from_arcs(&[1, 2, 840, 10045, 1, 1])),
        &enc_uint_bytes(p.p),
    ]);
    let curve_seq = enc_seq(&[&enc_octets(p.a), &enc_octets(p.b)]);
    let mut base = vec![0x04];
    base.extend_from_slice(p.gx);
    base.extend_from_slice(p.gy);
    let params = enc_seq(&[
        &enc_uint(1),
        &field_id,
        &curve_seq,
        &enc_octets(&base),
        &enc_uint_bytes(p.n),
        &enc_uint(u64::from(p.h)),
    ]);
    let alg = enc_seq(&[&enc_oid(&oid_from_arcs(&[1, 2, 840, 10045, 2, 1])), &params]);
    let mut bits = vec![0u8];
    bits.extend_from_slice(point);
    enc_seq(&[&alg, &tlv::encode(Tag::new(0x03), &bits)])
}

/// A certificate or CRL as PEM (`label` is e.g. `CERTIFICATE` or `X509 CRL`).
pub fn pem(label: &'static str, der: &[u8]) -> Result<String, GenError> {
    x509_cert::der::pem::encode_string(label, x509_cert::der::pem::LineEnding::LF, der)
        .map_err(|e| GenError::Crypto(format!("PEM encoding: {e}")))
}
