//! The concrete test PKI: which CSCAs and document signers exist, their names, keys and
//! validity, and the CRL. All dates are fixed (no wall clock).

use super::GenError;
use super::keys::{KeyKind, PrivateKey, load_or_generate, random_bytes};
use super::pki::{CertRequest, IssuerSigner, crl, explicit_ec_spki, issue, pem};
use cccd::ec::Curve;
use std::fs;
use std::path::Path;

/// A CSCA of the test PKI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CscaId {
    /// RSA-4096, signs with sha256WithRSAEncryption.
    Rsa,
    /// ECDSA brainpoolP384r1, named curve.
    EcBrainpool,
    /// ECDSA brainpoolP384r1 with EXPLICIT curve parameters in its SubjectPublicKeyInfo.
    EcExplicit,
    /// ECDSA P-256, not among the trust anchors ("a CSCA nobody trusts").
    Unrelated,
}

/// A document signer of the test PKI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DscId {
    /// ECDSA brainpoolP384r1 / SHA-384 under [`CscaId::EcBrainpool`] (the likely real profile).
    EcBrainpool,
    /// RSASSA-PSS (RSA-2048, SHA-256) under [`CscaId::Rsa`].
    RsaPss,
    /// RSA PKCS#1 v1.5 (RSA-2048, SHA-256) under [`CscaId::Rsa`].
    RsaPkcs1,
    /// ECDSA P-256 / SHA-256 under [`CscaId::EcExplicit`].
    EcP256,
    /// brainpoolP384r1 under [`CscaId::EcBrainpool`], expired 2025-03-01.
    Expired,
    /// brainpoolP384r1 under [`CscaId::EcBrainpool`], revoked by the CRL.
    Revoked,
    /// brainpoolP384r1 under [`CscaId::Unrelated`].
    Unrelated,
}

/// Static facts about a CSCA.
#[derive(Debug, Clone, Copy)]
pub struct CscaSpec {
    /// Which.
    pub id: CscaId,
    /// File stem in `pki/`.
    pub file: &'static str,
    /// Subject DN.
    pub dn: &'static str,
    /// Key type.
    pub kind: KeyKind,
    /// Whether it is a trust anchor of the samples.
    pub trusted: bool,
}

/// Static facts about a DSC.
#[derive(Debug, Clone, Copy)]
pub struct DscSpec {
    /// Which.
    pub id: DscId,
    /// File stem in `pki/`.
    pub file: &'static str,
    /// Subject DN.
    pub dn: &'static str,
    /// Key type.
    pub kind: KeyKind,
    /// Issuer.
    pub issuer: CscaId,
    /// SOD signature algorithm, for the README.
    pub algorithm: &'static str,
    /// Validity.
    pub not_before: (u16, u8, u8),
    /// Validity.
    pub not_after: (u16, u8, u8),
}

/// The CSCAs.
pub const CSCAS: [CscaSpec; 4] = [
    CscaSpec {
        id: CscaId::Rsa,
        file: "csca-rsa",
        dn: "CN=CSCA TEST Viet Nam RSA,OU=TEST ONLY - not a real authority,O=cccd test PKI,C=VN",
        kind: KeyKind::Rsa(4096),
        trusted: true,
    },
    CscaSpec {
        id: CscaId::EcBrainpool,
        file: "csca-ec",
        dn: "CN=CSCA TEST Viet Nam ECDSA,OU=TEST ONLY - not a real authority,O=cccd test PKI,C=VN",
        kind: KeyKind::BrainpoolP384,
        trusted: true,
    },
    CscaSpec {
        id: CscaId::EcExplicit,
        file: "csca-ec-explicit",
        dn: "CN=CSCA TEST Viet Nam ECDSA explicit parameters,OU=TEST ONLY - not a real authority,O=cccd test PKI,C=VN",
        kind: KeyKind::BrainpoolP384,
        trusted: true,
    },
    CscaSpec {
        id: CscaId::Unrelated,
        file: "csca-unrelated",
        dn: "CN=CSCA TEST Unrelated,OU=TEST ONLY - not a trust anchor,O=cccd test PKI,C=VN",
        kind: KeyKind::P256,
        trusted: false,
    },
];

/// The document signers.
pub const DSCS: [DscSpec; 7] = [
    DscSpec {
        id: DscId::EcBrainpool,
        file: "dsc-ec-bp384",
        dn: "CN=DS TEST Viet Nam ECDSA brainpoolP384r1,OU=TEST ONLY - not a real authority,O=cccd test PKI,C=VN",
        kind: KeyKind::BrainpoolP384,
        issuer: CscaId::EcBrainpool,
        algorithm: "ecdsa-with-SHA384 (brainpoolP384r1)",
        not_before: (2021, 1, 1),
        not_after: (2031, 1, 1),
    },
    DscSpec {
        id: DscId::RsaPss,
        file: "dsc-rsa-pss",
        dn: "CN=DS TEST Viet Nam RSA-PSS,OU=TEST ONLY - not a real authority,O=cccd test PKI,C=VN",
        kind: KeyKind::Rsa(2048),
        issuer: CscaId::Rsa,
        algorithm: "RSASSA-PSS SHA-256 (RSA-2048)",
        not_before: (2021, 1, 1),
        not_after: (2031, 1, 1),
    },
    DscSpec {
        id: DscId::RsaPkcs1,
        file: "dsc-rsa-pkcs1",
        dn: "CN=DS TEST Viet Nam RSA PKCS1,OU=TEST ONLY - not a real authority,O=cccd test PKI,C=VN",
        kind: KeyKind::Rsa(2048),
        issuer: CscaId::Rsa,
        algorithm: "sha256WithRSAEncryption (RSA-2048)",
        not_before: (2021, 1, 1),
        not_after: (2031, 1, 1),
    },
    DscSpec {
        id: DscId::EcP256,
        file: "dsc-ec-p256",
        dn: "CN=DS TEST Viet Nam ECDSA P-256,OU=TEST ONLY - not a real authority,O=cccd test PKI,C=VN",
        kind: KeyKind::P256,
        issuer: CscaId::EcExplicit,
        algorithm: "ecdsa-with-SHA256 (P-256)",
        not_before: (2021, 1, 1),
        not_after: (2031, 1, 1),
    },
    DscSpec {
        id: DscId::Expired,
        file: "dsc-expired",
        dn: "CN=DS TEST Viet Nam ECDSA expired,OU=TEST ONLY - not a real authority,O=cccd test PKI,C=VN",
        kind: KeyKind::BrainpoolP384,
        issuer: CscaId::EcBrainpool,
        algorithm: "ecdsa-with-SHA384 (brainpoolP384r1)",
        not_before: (2020, 3, 1),
        not_after: (2025, 3, 1),
    },
    DscSpec {
        id: DscId::Revoked,
        file: "dsc-revoked",
        dn: "CN=DS TEST Viet Nam ECDSA revoked,OU=TEST ONLY - not a real authority,O=cccd test PKI,C=VN",
        kind: KeyKind::BrainpoolP384,
        issuer: CscaId::EcBrainpool,
        algorithm: "ecdsa-with-SHA384 (brainpoolP384r1)",
        not_before: (2021, 1, 1),
        not_after: (2031, 1, 1),
    },
    DscSpec {
        id: DscId::Unrelated,
        file: "dsc-unrelated",
        dn: "CN=DS TEST Unrelated ECDSA,OU=TEST ONLY - not a trust anchor,O=cccd test PKI,C=VN",
        kind: KeyKind::BrainpoolP384,
        issuer: CscaId::Unrelated,
        algorithm: "ecdsa-with-SHA384 (brainpoolP384r1)",
        not_before: (2021, 1, 1),
        not_after: (2031, 1, 1),
    },
];

/// CSCA validity: 15 years.
const CSCA_VALIDITY: ((u16, u8, u8), (u16, u8, u8)) = ((2020, 1, 1), (2035, 1, 1));
/// The revocation date of [`DscId::Revoked`], and the CRL's update times.
pub const REVOKED_ON: (u16, u8, u8) = (2025, 2, 1);
const CRL_THIS_UPDATE: (u16, u8, u8) = (2025, 5, 1);
const CRL_NEXT_UPDATE: (u16, u8, u8) = (2025, 8, 1);
/// The CRL's file name in `pki/`.
pub const CRL_FILE: &str = "csca-ec.crl.pem";

/// A built CSCA or DSC.
#[derive(Debug)]
pub struct Entity {
    /// Certificate DER.
    pub cert: Vec<u8>,
    /// Private key.
    pub key: PrivateKey,
    /// The SubjectPublicKeyInfo in the certificate.
    pub spki: Vec<u8>,
}

/// The built PKI.
#[derive(Debug)]
pub struct TestPki {
    /// CSCAs in [`CSCAS`] order.
    pub cscas: Vec<Entity>,
    /// DSCs in [`DSCS`] order.
    pub dscs: Vec<Entity>,
    /// The CRL of [`CscaId::EcBrainpool`] (DER).
    pub crl: Vec<u8>,
}

fn serial(seed: u64, label: &str) -> Vec<u8> {
    let mut s = random_bytes(seed, &format!("serial/{label}"), 8);
    if let Some(first) = s.first_mut() {
        // Positive and of full length.
        *first = (*first & 0x7F) | 0x10;
    }
    s
}

impl TestPki {
    /// The CSCA entity.
    pub fn csca(&self, id: CscaId) -> Option<(&CscaSpec, &Entity)> {
        let i = CSCAS.iter().position(|c| c.id == id)?;
        Some((CSCAS.get(i)?, self.cscas.get(i)?))
    }

    /// The DSC entity.
    pub fn dsc(&self, id: DscId) -> Option<(&DscSpec, &Entity)> {
        let i = DSCS.iter().position(|c| c.id == id)?;
        Some((DSCS.get(i)?, self.dscs.get(i)?))
    }

    /// Build the PKI. Keys are loaded from `key_dir` when present, else generated and saved
    /// there; certificates and the CRL are written to `out_dir` as PEM.
    pub fn build(seed: u64, key_dir: &Path, out_dir: &Path) -> Result<Self, GenError> {
        fs::create_dir_all(out_dir).map_err(|e| GenError::io(out_dir, &e))?;
        let mut cscas = Vec::new();
        for spec in &CSCAS {
            let key = load_or_generate(key_dir, spec.file, seed, spec.kind)?;
            let spki = if spec.id == CscaId::EcExplicit {
                let point = key
                    .ec_point()
                    .ok_or_else(|| GenError::Data("explicit CSCA needs an EC key".into()))?;
                explicit_ec_spki(Curve::BrainpoolP384r1, &point)
            } else {
                key.spki_der()?
            };
            let signer = IssuerSigner {
                key: &key,
                spki: spki.clone(),
            };
            let cert = issue(
                &CertRequest {
                    subject: spec.dn,
                    issuer: spec.dn,
                    subject_spki: &spki,
                    serial: &serial(seed, spec.file),
                    not_before: CSCA_VALIDITY.0,
                    not_after: CSCA_VALIDITY.1,
                    ca: true,
                },
                &signer,
            )?;
            write_pem(
                out_dir,
                &format!("{}.crt.pem", spec.file),
                "CERTIFICATE",
                &cert,
            )?;
            cscas.push(Entity { cert, key, spki });
        }
        let mut pki = TestPki {
            cscas,
            dscs: Vec::new(),
            crl: Vec::new(),
        };
        for spec in &DSCS {
            let key = load_or_generate(key_dir, spec.file, seed, spec.kind)?;
            let spki = key.spki_der()?;
            let (issuer_spec, issuer) = pki
                .csca(spec.issuer)
                .ok_or_else(|| GenError::Data("DSC issuer missing".into()))?;
            let cert = issue(
                &CertRequest {
                    subject: spec.dn,
                    issuer: issuer_spec.dn,
                    subject_spki: &spki,
                    serial: &serial(seed, spec.file),
                    not_before: spec.not_before,
                    not_after: spec.not_after,
                    ca: false,
                },
                &IssuerSigner {
                    key: &issuer.key,
                    spki: issuer.spki.clone(),
                },
            )?;
            write_pem(
                out_dir,
                &format!("{}.crt.pem", spec.file),
                "CERTIFICATE",
                &cert,
            )?;
            pki.dscs.push(Entity { cert, key, spki });
        }
        let (_, ec_csca) = pki
            .csca(CscaId::EcBrainpool)
            .ok_or_else(|| GenError::Data("EC CSCA missing".into()))?;
        let revoked_serial = serial(seed, "dsc-revoked");
        pki.crl = crl(
            &ec_csca.cert,
            &IssuerSigner {
                key: &ec_csca.key,
                spki: ec_csca.spki.clone(),
            },
            &[&revoked_serial],
            REVOKED_ON,
            CRL_THIS_UPDATE,
            CRL_NEXT_UPDATE,
        )?;
        write_pem(out_dir, CRL_FILE, "X509 CRL", &pki.crl)?;
        Ok(pki)
    }
}

fn write_pem(dir: &Path, name: &str, label: &'static str, der: &[u8]) -> Result<(), GenError> {
    let path = dir.join(name);
    fs::write(&path, pem(label, der)?).map_err(|e| GenError::io(&path, &e))
}
