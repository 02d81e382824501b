//! The signed attributes of a SignerInfo (RFC 5652 §5.3, §11) and the one check that binds
//! them to the content, used for EF.SOD, EF.CardSecurity and master lists alike.

use super::{CmsError, OCTET_STRING, SEQUENCE, SET, children, decode_oid, expect, nth, raw};
use crate::crypto::{HashAlgorithm, ct_eq};
use crate::oid::{self, ObjectIdentifier};
use crate::tlv::Tlv;

/// One attribute: its type and the exact DER of each value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Attribute type.
    pub oid: ObjectIdentifier,
    /// The values, each as exact DER.
    pub values: Vec<Vec<u8>>,
}

/// The signed attributes of a SignerInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedAttributes {
    /// The exact bytes to hash for the signature: the `[0] IMPLICIT` field re-tagged as
    /// `SET` (0x31), as RFC 5652 5.4 requires. Never re-encoded.
    pub der_for_signature: Vec<u8>,
    /// The attributes in input order.
    pub attributes: Vec<Attribute>,
}

/// Why the signed attributes do not bind the content (RFC 5652 §5.3: contentType and
/// messageDigest each appear exactly once, with one value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeProblem {
    /// The attribute appears more than once.
    Repeated {
        /// contentType or messageDigest.
        attribute: ObjectIdentifier,
        /// How many times.
        count: usize,
    },
    /// The attribute is absent, has other than one value, or its value does not decode.
    Missing {
        /// contentType or messageDigest.
        attribute: ObjectIdentifier,
    },
    /// The signed contentType is not the eContentType.
    ContentTypeDiffers {
        /// The signed value.
        signed: ObjectIdentifier,
    },
    /// The SignerInfo's digest algorithm is not one this crate computes.
    UnsupportedDigest,
    /// The signed messageDigest is not the digest of the content.
    DigestDiffers {
        /// The digest algorithm used.
        hash: HashAlgorithm,
    },
}

impl SignedAttributes {
    /// Parse the `[0] IMPLICIT SET OF Attribute` field.
    pub(super) fn parse(field: &Tlv<'_>) -> Result<Self, CmsError> {
        // Re-tag the exact bytes: only the first byte changes (A0 -> 31).
        let mut der_for_signature = raw(field);
        if let Some(first) = der_for_signature.first_mut() {
            *first = 0x31;
        }
        let mut attributes = Vec::new();
        for attr in children(field)? {
            let attr = expect(attr, SEQUENCE, "Attribute must be a SEQUENCE")?;
            let parts = children(&attr)?;
            let a_oid = decode_oid(&nth(&parts, 0, &attr, "attribute type missing")?)?;
            let set = expect(
                nth(&parts, 1, &attr, "attribute values missing")?,
                SET,
                "attribute values must be a SET",
            )?;
            let values = children(&set)?.iter().map(raw).collect();
            attributes.push(Attribute { oid: a_oid, values });
        }
        Ok(Self {
            der_for_signature,
            attributes,
        })
    }

    /// How many attributes of type `oid` there are.
    pub fn count_of(&self, oid: &ObjectIdentifier) -> usize {
        self.attributes.iter().filter(|a| a.oid == *oid).count()
    }

    /// The single value of the first attribute of type `oid`, if it has exactly one.
    fn single(&self, oid: &ObjectIdentifier) -> Option<&[u8]> {
        let a = self.attributes.iter().find(|a| a.oid == *oid)?;
        match a.values.as_slice() {
            [v] => Some(v.as_slice()),
            _ => None,
        }
    }

    /// The messageDigest value (the OCTET STRING content).
    pub fn message_digest(&self) -> Option<&[u8]> {
        let v = self.single(&oid::ATTR_MESSAGE_DIGEST)?;
        let (t, rest) = Tlv::parse(v).ok()?;
        (t.tag() == OCTET_STRING && rest.is_empty()).then(|| t.value())
    }

    /// The contentType value.
    pub fn content_type(&self) -> Option<ObjectIdentifier> {
        let v = self.single(&oid::ATTR_CONTENT_TYPE)?;
        let (t, _) = Tlv::parse(v).ok()?;
        decode_oid(&t).ok()
    }

    /// The signingTime value's exact DER (UTCTime or GeneralizedTime), if present.
    pub fn signing_time(&self) -> Option<&[u8]> {
        self.single(&oid::ATTR_SIGNING_TIME)
    }

    /// Exactly one contentType attribute, equal to `expected` (the eContentType).
    pub fn check_content_type(&self, expected: &ObjectIdentifier) -> Result<(), AttributeProblem> {
        let count = self.count_of(&oid::ATTR_CONTENT_TYPE);
        if count > 1 {
            return Err(AttributeProblem::Repeated {
                attribute: oid::ATTR_CONTENT_TYPE,
                count,
            });
        }
        match self.content_type() {
            Some(signed) if signed == *expected => Ok(()),
            Some(signed) => Err(AttributeProblem::ContentTypeDiffers { signed }),
            None => Err(AttributeProblem::Missing {
                attribute: oid::ATTR_CONTENT_TYPE,
            }),
        }
    }

    /// Exactly one messageDigest attribute, equal (in constant time) to the `digest` of
    /// `content`; `digest` is `None` when the SignerInfo names a digest this crate lacks.
    pub fn check_message_digest(
        &self,
        digest: Option<HashAlgorithm>,
        content: &[u8],
    ) -> Result<(), AttributeProblem> {
        let count = self.count_of(&oid::ATTR_MESSAGE_DIGEST);
        if count > 1 {
            return Err(AttributeProblem::Repeated {
                attribute: oid::ATTR_MESSAGE_DIGEST,
                count,
            });
        }
        let value = self.message_digest().ok_or(AttributeProblem::Missing {
            attribute: oid::ATTR_MESSAGE_DIGEST,
        })?;
        let hash = digest.ok_or(AttributeProblem::UnsupportedDigest)?;
        if ct_eq(&hash.digest(content), value) {
            Ok(())
        } else {
            Err(AttributeProblem::DigestDiffers { hash })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tlv::{self, Tag};

    fn enc_oid(oid: &ObjectIdentifier) -> Vec<u8> {
        tlv::encode(Tag::new(0x06), oid.as_bytes())
    }

    fn enc_octets(value: &[u8]) -> Vec<u8> {
        tlv::encode(Tag::new(0x04), value)
    }

    fn enc_seq(parts: &[&[u8]]) -> Vec<u8> {
        tlv::encode_constructed(SEQUENCE, parts.iter().copied())
    }

    fn enc_set_of(parts: &[&[u8]]) -> Vec<u8> {
        tlv::encode_constructed(SET, parts.iter().copied())
    }

    fn attribute(kind: ObjectIdentifier, values: &[&[u8]]) -> Vec<u8> {
        enc_seq(&[&enc_oid(&kind), &enc_set_of(values)])
    }

    /// `[0] IMPLICIT SET OF Attribute` as a SignerInfo carries it, parsed.
    fn signed_attributes(attributes: &[Vec<u8>]) -> SignedAttributes {
        let parts: Vec<&[u8]> = attributes.iter().map(Vec::as_slice).collect();
        let field = tlv::encode_constructed(Tag::new(0xA0), parts.iter().copied());
        let (tlv, _) = Tlv::parse(&field).unwrap();
        SignedAttributes::parse(&tlv).unwrap()
    }

    const CONTENT: &[u8] = b"the signed content";

    fn content_type() -> Vec<u8> {
        attribute(
            oid::ATTR_CONTENT_TYPE,
            &[&enc_oid(&oid::LDS_SECURITY_OBJECT)],
        )
    }

    fn digest_of(content: &[u8]) -> Vec<u8> {
        attribute(
            oid::ATTR_MESSAGE_DIGEST,
            &[&enc_octets(&HashAlgorithm::Sha256.digest(content))],
        )
    }

    #[test]
    fn one_content_type_and_one_matching_digest_pass() {
        let attrs = signed_attributes(&[content_type(), digest_of(CONTENT)]);
        assert_eq!(attrs.check_content_type(&oid::LDS_SECURITY_OBJECT), Ok(()));
        assert_eq!(
            attrs.check_message_digest(Some(HashAlgorithm::Sha256), CONTENT),
            Ok(())
        );
        // The signature covers the field re-tagged as SET.
        assert_eq!(attrs.der_for_signature.first(), Some(&0x31));
    }

    #[test]
    fn each_broken_binding_is_named() {
        let attrs = signed_attributes(&[content_type(), digest_of(b"other content")]);
        assert_eq!(
            attrs.check_message_digest(Some(HashAlgorithm::Sha256), CONTENT),
            Err(AttributeProblem::DigestDiffers {
                hash: HashAlgorithm::Sha256
            })
        );
        assert_eq!(
            attrs.check_message_digest(None, CONTENT),
            Err(AttributeProblem::UnsupportedDigest)
        );
        assert_eq!(
            attrs.check_content_type(&oid::SECURITY_OBJECT),
            Err(AttributeProblem::ContentTypeDiffers {
                signed: oid::LDS_SECURITY_OBJECT
            })
        );

        let no_content_type = signed_attributes(&[digest_of(CONTENT)]);
        assert_eq!(
            no_content_type.check_content_type(&oid::LDS_SECURITY_OBJECT),
            Err(AttributeProblem::Missing {
                attribute: oid::ATTR_CONTENT_TYPE
            })
        );

        let twice = signed_attributes(&[content_type(), digest_of(CONTENT), digest_of(CONTENT)]);
        assert_eq!(
            twice.check_message_digest(Some(HashAlgorithm::Sha256), CONTENT),
            Err(AttributeProblem::Repeated {
                attribute: oid::ATTR_MESSAGE_DIGEST,
                count: 2
            })
        );

        // One attribute with two values is not "exactly one messageDigest".
        let digest = enc_octets(&HashAlgorithm::Sha256.digest(CONTENT));
        let two_values = signed_attributes(&[
            content_type(),
            attribute(oid::ATTR_MESSAGE_DIGEST, &[&digest, &digest]),
        ]);
        assert_eq!(
            two_values.check_message_digest(Some(HashAlgorithm::Sha256), CONTENT),
            Err(AttributeProblem::Missing {
                attribute: oid::ATTR_MESSAGE_DIGEST
            })
        );
    }
}
