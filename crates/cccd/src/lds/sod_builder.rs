//! Build a signed EF.SOD: the LDSSecurityObject over the given data groups, wrapped in CMS
//! SignedData with signed attributes (contentType, messageDigest, optional signingTime), signed
//! by a document signer key, with the DSC certificate embedded. Used by the card simulator and
//! tests; the output is accepted by `openssl cms -verify`.

use super::asn1::{AlgorithmIdentifier, enc_octets, enc_oid, enc_seq, enc_set_of, enc_uint};
use super::sod::{DataGroupHash, LdsSecurityObject};
use super::{DataGroup, FileId, LdsError};
use crate::crypto::HashAlgorithm;
use crate::oid::{self, ObjectIdentifier};
use crate::pki::cms::retag_set_as_context0;
use crate::tlv::{self, Tag};
use ecdsa::signature::Signer;

const FILE: FileId = FileId::Sod;

/// A document signer private key with the signature scheme to use.
pub enum DocumentSignerKey {
    /// RSA PKCS#1 v1.5 with SHA-256 (sha256WithRSAEncryption).
    RsaPkcs1v15Sha256(rsa::PrivateKey),
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, salt length 32.
    RsaPssSha256(rsa::PrivateKey),
    /// ECDSA over NIST P-256 with SHA-256.
    EcdsaP256(p256::ecdsa::SigningKey),
    /// ECDSA over brainpoolP384r1 with SHA-384.
    EcdsaBrainpoolP384(ecdsa::SigningKey<bp384::BrainpoolP384r1>),
}

impl std::fmt::Debug for DocumentSignerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            DocumentSignerKey::RsaPkcs1v15Sha256(_) => "RsaPkcs1v15Sha256",
            DocumentSignerKey::RsaPssSha256(_) => "RsaPssSha256",
            DocumentSignerKey::EcdsaP256(_) => "EcdsaP256",
            DocumentSignerKey::EcdsaBrainpoolP384(_) => "EcdsaBrainpoolP384",
        };
        write!(f, "DocumentSignerKey::{name}(..)")
    }
}

/// RSASSA-PSS-params for SHA-256, MGF1-SHA-256, salt 32, trailer 1 (RFC 4055 section 3.1).
fn pss_sha256_params() -> Vec<u8> {
    let sha256 = AlgorithmIdentifier::with_null(HashAlgorithm::Sha256.oid()).encode();
    let mgf1 = enc_seq(&[&enc_oid(&oid::MGF1), &sha256]);
    enc_seq(&[
        &tlv::encode(Tag::new(0xA0), &sha256),
        &tlv::encode(Tag::new(0xA1), &mgf1),
        &tlv::encode(Tag::new(0xA2), &enc_uint(32)),
    ])
}

impl DocumentSignerKey {
    /// The digest used for the signed attributes and the messageDigest.
    pub fn digest(&self) -> HashAlgorithm {
        match self {
            DocumentSignerKey::EcdsaBrainpoolP384(_) => HashAlgorithm::Sha384,
            _ => HashAlgorithm::Sha256,
        }
    }

    /// The signatureAlgorithm identifier written into the SignerInfo.
    pub fn signature_algorithm(&self) -> AlgorithmIdentifier {
        match self {
            DocumentSignerKey::RsaPkcs1v15Sha256(_) => {
                AlgorithmIdentifier::with_null(oid::SHA256_WITH_RSA)
            }
            DocumentSignerKey::RsaPssSha256(_) => AlgorithmIdentifier {
                oid: oid::RSASSA_PSS,
                parameters: Some(pss_sha256_params()),
            },
            DocumentSignerKey::EcdsaP256(_) => AlgorithmIdentifier::new(oid::ECDSA_WITH_SHA256),
            DocumentSignerKey::EcdsaBrainpoolP384(_) => {
                AlgorithmIdentifier::new(oid::ECDSA_WITH_SHA384)
            }
        }
    }

    /// Sign `message` (the DER of the signed attributes).
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, LdsError> {
        let fail = |e: &dyn std::fmt::Display| LdsError::Encode {
            file: FILE,
            what: format!("signing failed: {e}"),
        };
        Ok(match self {
            DocumentSignerKey::RsaPkcs1v15Sha256(k) => {
                let sk = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k.clone());
                let sig: rsa::pkcs1v15::Signature = sk.try_sign(message).map_err(|e| fail(&e))?;
                rsa::signature::SignatureEncoding::to_vec(&sig)
            }
            DocumentSignerKey::RsaPssSha256(k) => {
                let sk = rsa::pss::SigningKey::<sha2::Sha256>::new_with_salt_len(k.clone(), 32);
                let sig: rsa::pss::Signature = sk.try_sign(message).map_err(|e| fail(&e))?;
                rsa::signature::SignatureEncoding::to_vec(&sig)
            }
            DocumentSignerKey::EcdsaP256(k) => {
                let sig: p256::ecdsa::Signature = k.try_sign(message).map_err(|e| fail(&e))?;
                sig.to_der().to_bytes().to_vec()
            }
            DocumentSignerKey::EcdsaBrainpoolP384(k) => {
                let sig: ecdsa::Signature<bp384::BrainpoolP384r1> =
                    k.try_sign(message).map_err(|e| fail(&e))?;
                sig.to_der().to_bytes().to_vec()
            }
        })
    }
}

/// Builds EF.SOD.
#[derive(Debug)]
pub struct SodBuilder {
    hash: HashAlgorithm,
    data_groups: Vec<(DataGroup, Vec<u8>)>,
    lds_version_info: Option<(String, String)>,
    signing_time: Option<String>,
}

impl Default for SodBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl SodBuilder {
    /// A builder hashing data groups with SHA-256 (the Vietnamese cards' choice).
    pub fn new() -> Self {
        Self {
            hash: HashAlgorithm::Sha256,
            data_groups: Vec::new(),
            lds_version_info: None,
            signing_time: None,
        }
    }

    /// Choose the data-group hash algorithm.
    #[must_use]
    pub fn hash_algorithm(mut self, hash: HashAlgorithm) -> Self {
        self.hash = hash;
        self
    }

    /// Add a data group's complete file bytes; its hash goes into the LDSSecurityObject.
    #[must_use]
    pub fn data_group(mut self, dg: DataGroup, file: &[u8]) -> Self {
        self.data_groups.push((dg, file.to_vec()));
        self
    }

    /// Write an LDS V1 object with these versions (e.g. `"0108"`, `"040000"`).
    #[must_use]
    pub fn lds_version_info(mut self, lds: &str, unicode: &str) -> Self {
        self.lds_version_info = Some((lds.to_owned(), unicode.to_owned()));
        self
    }

    /// Add a signingTime attribute; `utc_time` is the UTCTime text, e.g. `"260101000000Z"`.
    #[must_use]
    pub fn signing_time(mut self, utc_time: &str) -> Self {
        self.signing_time = Some(utc_time.to_owned());
        self
    }

    /// The LDSSecurityObject that will be signed.
    pub fn security_object(&self) -> LdsSecurityObject {
        LdsSecurityObject {
            version: u64::from(self.lds_version_info.is_some()),
            hash_algorithm: AlgorithmIdentifier::new(self.hash.oid()),
            data_group_hashes: self
                .data_groups
                .iter()
                .map(|(dg, bytes)| DataGroupHash {
                    data_group: *dg,
                    hash: self.hash.digest(bytes),
                })
                .collect(),
            lds_version_info: self.lds_version_info.clone(),
        }
    }

    /// Sign and return the complete EF.SOD (`77 { ContentInfo }`).
    pub fn build(&self, dsc_der: &[u8], key: &DocumentSignerKey) -> Result<Vec<u8>, LdsError> {
        let content = self.security_object().encode();
        let content_info = self.sign(&oid::LDS_SECURITY_OBJECT, &content, dsc_der, key, FILE)?;
        Ok(tlv::encode(Tag::new(0x77), &content_info))
    }

    /// Sign `security_infos` (a DER SET of SecurityInfo) as EF.CardSecurity: a ContentInfo
    /// whose SignedData has eContentType id-SecurityObject (BSI TR-03110-3 A.1.2.2), with the
    /// same signed attributes and signer as EF.SOD. The data groups of this builder are not
    /// used.
    pub fn build_card_security(
        &self,
        security_infos: &[u8],
        dsc_der: &[u8],
        key: &DocumentSignerKey,
    ) -> Result<Vec<u8>, LdsError> {
        self.sign(
            &oid::SECURITY_OBJECT,
            security_infos,
            dsc_der,
            key,
            FileId::CardSecurity,
        )
    }

    /// CMS SignedData (a ContentInfo) over `content` of type `content_type`.
    fn sign(
        &self,
        content_type: &ObjectIdentifier,
        content: &[u8],
        dsc_der: &[u8],
        key: &DocumentSignerKey,
        file: FileId,
    ) -> Result<Vec<u8>, LdsError> {
        let (issuer, serial) =
            crate::pki::certificate_issuer_and_serial(dsc_der).ok_or_else(|| LdsError::Encode {
                file,
                what: "DSC certificate: no issuer and serial number".to_owned(),
            })?;
        let digest = key.digest();
        let digest_alg = AlgorithmIdentifier::new(digest.oid()).encode();

        let attr = |attribute: ObjectIdentifier, value: &[u8]| {
            enc_seq(&[&enc_oid(&attribute), &enc_set_of(&[value])])
        };
        let mut attrs = vec![
            attr(oid::ATTR_CONTENT_TYPE, &enc_oid(content_type)),
            attr(
                oid::ATTR_MESSAGE_DIGEST,
                &enc_octets(&digest.digest(content)),
            ),
        ];
        if let Some(t) = &self.signing_time {
            attrs.push(attr(
                oid::ATTR_SIGNING_TIME,
                &tlv::encode(Tag::new(0x17), t.as_bytes()),
            ));
        }
        let attr_refs: Vec<&[u8]> = attrs.iter().map(Vec::as_slice).collect();
        let signed_attrs_set = enc_set_of(&attr_refs);
        let signature = key.sign(&signed_attrs_set)?;

        let sid = enc_seq(&[issuer, &enc_uint_raw(serial)]);
        let signer_info = enc_seq(&[
            &enc_uint(1),
            &sid,
            &digest_alg,
            &retag_set_as_context0(&signed_attrs_set),
            &key.signature_algorithm().encode(),
            &enc_octets(&signature),
        ]);
        let encap = enc_seq(&[
            &enc_oid(content_type),
            &tlv::encode(Tag::new(0xA0), &enc_octets(content)),
        ]);
        let signed_data = enc_seq(&[
            &enc_uint(3),
            &enc_set_of(&[&digest_alg]),
            &encap,
            &tlv::encode(Tag::new(0xA0), dsc_der),
            &enc_set_of(&[&signer_info]),
        ]);
        Ok(enc_seq(&[
            &enc_oid(&oid::SIGNED_DATA),
            &tlv::encode(Tag::new(0xA0), &signed_data),
        ]))
    }
}

/// An INTEGER from its exact content bytes (a certificate's serial, kept as encoded).
fn enc_uint_raw(content: &[u8]) -> Vec<u8> {
    tlv::encode(super::asn1::INTEGER, content)
}
