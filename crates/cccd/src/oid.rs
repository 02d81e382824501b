//! Object identifiers: one type, [`ObjectIdentifier`] (RustCrypto `const-oid`), and the
//! constants this crate compares against, checked at compile time.
//!
//! An OID read from a file is decoded once into an [`ObjectIdentifier`] (the DER decoders
//! refuse an empty value, a truncated arc and a padded one) and compared with these
//! constants; nothing is compared as dotted text or rebuilt from arcs at run time.

pub use const_oid::ObjectIdentifier;

/// id-signedData (RFC 5652 §5.1): the ContentInfo type of EF.SOD, EF.CardSecurity and
/// master lists.
pub const SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
/// id-contentType signed attribute (RFC 5652 §11.1).
pub const ATTR_CONTENT_TYPE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
/// id-messageDigest signed attribute (RFC 5652 §11.2).
pub const ATTR_MESSAGE_DIGEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
/// id-signingTime signed attribute (RFC 5652 §11.3).
pub const ATTR_SIGNING_TIME: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");

/// id-icao-mrtd-security-ldsSecurityObject (ICAO 9303-10 §4.6.2): EF.SOD's eContentType.
pub const LDS_SECURITY_OBJECT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.1");
/// id-icao-cscaMasterList (ICAO 9303-12 §9): a master list's eContentType.
pub const CSCA_MASTER_LIST: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.2");
/// id-SecurityObject, bsi-de 3.2.1 (BSI TR-03110-3 A.1.2.2): EF.CardSecurity's eContentType.
pub const SECURITY_OBJECT: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.3.2.1");
/// ISO/IEC 10646 UTF-8 level (1.0.10646.1.0.8): the character set that opens DG13's entries.
pub const UTF8_CHARSET: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.0.10646.1.0.8");

/// id-sha1.
pub const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
/// id-sha224.
pub const SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.4");
/// id-sha256.
pub const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
/// id-sha384.
pub const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
/// id-sha512.
pub const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// rsaEncryption (RFC 8017).
pub const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// id-RSASSA-PSS (RFC 4055), used both as key and signature algorithm.
pub const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
/// id-mgf1 (RFC 8017).
pub const MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");
/// sha1WithRSAEncryption.
pub const SHA1_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
/// sha224WithRSAEncryption.
pub const SHA224_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.14");
/// sha256WithRSAEncryption.
pub const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// sha384WithRSAEncryption.
pub const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
/// sha512WithRSAEncryption.
pub const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
/// id-ecPublicKey (RFC 5480).
pub const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// ecdsa-with-SHA1 (X9.62).
pub const ECDSA_WITH_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");
/// ecdsa-with-SHA224.
pub const ECDSA_WITH_SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.1");
/// ecdsa-with-SHA256.
pub const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
/// ecdsa-with-SHA384.
pub const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
/// ecdsa-with-SHA512.
pub const ECDSA_WITH_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
/// BSI TR-03111 ecdsa-plain-SHA1 (plain `r || s` signatures).
pub const ECDSA_PLAIN_SHA1: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.1");
/// BSI TR-03111 ecdsa-plain-SHA224.
pub const ECDSA_PLAIN_SHA224: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.2");
/// BSI TR-03111 ecdsa-plain-SHA256.
pub const ECDSA_PLAIN_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.3");
/// BSI TR-03111 ecdsa-plain-SHA384.
pub const ECDSA_PLAIN_SHA384: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.4");
/// BSI TR-03111 ecdsa-plain-SHA512.
pub const ECDSA_PLAIN_SHA512: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.5");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_encode_as_the_specifications_write_them() {
        // DER content bytes from RFC 5652 / ICAO 9303-10 examples.
        assert_eq!(
            SIGNED_DATA.as_bytes(),
            [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02]
        );
        assert_eq!(
            LDS_SECURITY_OBJECT.as_bytes(),
            [0x67, 0x81, 0x08, 0x01, 0x01, 0x01]
        );
        assert_eq!(
            SECURITY_OBJECT.as_bytes(),
            [0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x02, 0x01]
        );
        assert_eq!(UTF8_CHARSET.to_string(), "1.0.10646.1.0.8");
    }

    #[test]
    fn decoding_refuses_truncated_and_empty_values() {
        assert!(ObjectIdentifier::from_bytes(&[0x2A, 0x86]).is_err());
        assert!(ObjectIdentifier::from_bytes(&[]).is_err());
        // const-oid reads BER: a padded arc is left to the DER decoders (pki::cms).
        assert!(ObjectIdentifier::from_bytes(&[0x2A, 0x80, 0x01]).is_ok());
    }
}
