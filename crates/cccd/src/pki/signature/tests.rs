//! Signature verification against keys generated with the RustCrypto signing APIs, and
//! against published vectors (Wycheproof).

use super::*;
use ::ecdsa::signature::hazmat::PrehashSigner;
use ::rsa::Generate;
use ::rsa::pkcs8::EncodePublicKey;
use hex_literal::hex;
use std::sync::OnceLock;

/// DER TLV with a short or long definite length.
pub(super) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

/// DER OBJECT IDENTIFIER from dotted text.
#[allow(clippy::needless_pass_by_value)] // a dotted &str or an ObjectIdentifier alike
fn oid_der(dotted: impl ToString) -> Vec<u8> {
    let dotted = dotted.to_string();
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &arc in &arcs[2..] {
        let mut chunk = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            chunk.push(((rest & 0x7f) as u8) | 0x80);
            rest >>= 7;
        }
        chunk.reverse();
        body.extend(chunk);
    }
    tlv(0x06, &body)
}

pub(super) fn algorithm_der(dotted: impl ToString, params: Option<&[u8]>) -> Vec<u8> {
    let mut content = oid_der(dotted);
    if let Some(p) = params {
        content.extend_from_slice(p);
    }
    tlv(0x30, &content)
}

fn ec_spki(curve_oid: &str, point: &[u8]) -> Vec<u8> {
    let mut alg = oid_der(oid::EC_PUBLIC_KEY);
    alg.extend(oid_der(curve_oid));
    let mut bits = vec![0u8];
    bits.extend_from_slice(point);
    let mut content = tlv(0x30, &alg);
    content.extend(tlv(0x03, &bits));
    tlv(0x30, &content)
}

fn rng() -> rand::rngs::ThreadRng {
    rand::rng()
}

fn rsa_key() -> &'static ::rsa::PrivateKey {
    static KEY: OnceLock<::rsa::PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| ::rsa::PrivateKey::new(&mut rng(), 2048).unwrap())
}

fn other_rsa_key() -> &'static ::rsa::PrivateKey {
    static KEY: OnceLock<::rsa::PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| ::rsa::PrivateKey::new(&mut rng(), 2048).unwrap())
}

fn rsa_spki(key: &::rsa::PrivateKey) -> Vec<u8> {
    key.to_public_key()
        .to_public_key_der()
        .unwrap()
        .as_bytes()
        .to_vec()
}

const MESSAGE: &[u8] = b"the signed attributes of an EF.SOD";

fn check(spki: &[u8], alg: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), SignatureError> {
    verify_signature_der(spki, alg, msg, sig)
}

#[test]
fn rsa_pkcs1v15_every_hash() {
    use ::rsa::Pkcs1v15Sign;
    let key = rsa_key();
    let spki = rsa_spki(key);
    let null = [0x05, 0x00];
    let cases: [(oid::ObjectIdentifier, HashAlgorithm, Pkcs1v15Sign); 5] = [
        (
            oid::SHA1_WITH_RSA,
            HashAlgorithm::Sha1,
            Pkcs1v15Sign::new::<sha1::Sha1>(),
        ),
        (
            oid::SHA224_WITH_RSA,
            HashAlgorithm::Sha224,
            Pkcs1v15Sign::new::<sha2::Sha224>(),
        ),
        (
            oid::SHA256_WITH_RSA,
            HashAlgorithm::Sha256,
            Pkcs1v15Sign::new::<sha2::Sha256>(),
        ),
        (
            oid::SHA384_WITH_RSA,
            HashAlgorithm::Sha384,
            Pkcs1v15Sign::new::<sha2::Sha384>(),
        ),
        (
            oid::SHA512_WITH_RSA,
            HashAlgorithm::Sha512,
            Pkcs1v15Sign::new::<sha2::Sha512>(),
        ),
    ];
    for (alg_oid, hash, scheme) in cases {
        let alg = algorithm_der(alg_oid, Some(&null));
        let sig = key.sign(scheme, &hash.digest(MESSAGE)).unwrap();
        assert_eq!(check(&spki, &alg, MESSAGE, &sig), Ok(()), "{alg_oid}");
        assert_eq!(
            check(&spki, &alg, b"tampered", &sig),
            Err(SignatureError::Invalid),
            "{alg_oid}"
        );
        assert_eq!(
            check(&rsa_spki(other_rsa_key()), &alg, MESSAGE, &sig),
            Err(SignatureError::Invalid),
            "{alg_oid} wrong key"
        );
        assert_eq!(
            check(&spki, &alg, MESSAGE, &sig[..sig.len() - 1]),
            Err(SignatureError::BadSignatureEncoding)
        );
    }
}

/// RSASSA-PSS-params with explicit hash, MGF1 hash and salt length (RFC 4055 §3.1).
fn pss_params(hash_oid: &str, salt: u8) -> Vec<u8> {
    let hash_alg = algorithm_der(hash_oid, Some(&[0x05, 0x00]));
    let mgf = algorithm_der(oid::MGF1, Some(&hash_alg));
    let mut content = tlv(0xA0, &hash_alg);
    content.extend(tlv(0xA1, &mgf));
    content.extend(tlv(0xA2, &tlv(0x02, &[salt])));
    tlv(0x30, &content)
}

#[test]
fn rsa_pss_with_parameters_and_nondefault_salt() {
    let key = rsa_key();
    let spki = rsa_spki(key);
    let digest = HashAlgorithm::Sha256.digest(MESSAGE);
    // Salt 20 under SHA-256 (not the hash length): the verifier must use the stated salt.
    let sig = key
        .sign_with_rng(
            &mut rng(),
            ::rsa::Pss::<sha2::Sha256>::new_with_salt(20),
            &digest,
        )
        .unwrap();
    let alg = algorithm_der(
        oid::RSASSA_PSS,
        Some(&pss_params("2.16.840.1.101.3.4.2.1", 20)),
    );
    assert_eq!(check(&spki, &alg, MESSAGE, &sig), Ok(()));
    assert_eq!(
        check(&spki, &alg, b"tampered", &sig),
        Err(SignatureError::Invalid)
    );
    let wrong_salt = algorithm_der(
        oid::RSASSA_PSS,
        Some(&pss_params("2.16.840.1.101.3.4.2.1", 32)),
    );
    assert_eq!(
        check(&spki, &wrong_salt, MESSAGE, &sig),
        Err(SignatureError::Invalid)
    );
    assert_eq!(
        check(&rsa_spki(other_rsa_key()), &alg, MESSAGE, &sig),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn rsa_pss_defaults_are_sha1_salt_20() {
    let key = rsa_key();
    let digest = HashAlgorithm::Sha1.digest(MESSAGE);
    let sig = key
        .sign_with_rng(
            &mut rng(),
            ::rsa::Pss::<sha1::Sha1>::new_with_salt(20),
            &digest,
        )
        .unwrap();
    // Empty SEQUENCE: every field takes its RFC 4055 default.
    let alg = algorithm_der(oid::RSASSA_PSS, Some(&[0x30, 0x00]));
    assert_eq!(check(&rsa_spki(key), &alg, MESSAGE, &sig), Ok(()));
}

#[test]
fn rsa_pss_mismatched_mgf_hash_is_unsupported_parameters() {
    let hash_alg = algorithm_der("2.16.840.1.101.3.4.2.1", None);
    let mgf = algorithm_der(oid::MGF1, Some(&algorithm_der("1.3.14.3.2.26", None)));
    let mut content = tlv(0xA0, &hash_alg);
    content.extend(tlv(0xA1, &mgf));
    let alg = algorithm_der(oid::RSASSA_PSS, Some(&tlv(0x30, &content)));
    let result = check(&rsa_spki(rsa_key()), &alg, MESSAGE, &[0; 256]);
    assert!(
        matches!(result, Err(SignatureError::UnsupportedParameters { .. })),
        "{result:?}"
    );
}

macro_rules! ecdsa_case {
    ($name:ident, $curve:ty, $curve_oid:expr, $field_len:expr) => {
        #[test]
        fn $name() {
            let signing = <::ecdsa::SigningKey<$curve> as Generate>::generate_from_rng(&mut rng());
            let point = signing.verifying_key().to_sec1_bytes();
            let spki = ec_spki($curve_oid, &point);
            let other = <::ecdsa::SigningKey<$curve> as Generate>::generate_from_rng(&mut rng());
            let other_spki = ec_spki($curve_oid, &other.verifying_key().to_sec1_bytes());
            let cases = [
                (oid::ECDSA_WITH_SHA1, HashAlgorithm::Sha1),
                (oid::ECDSA_WITH_SHA224, HashAlgorithm::Sha224),
                (oid::ECDSA_WITH_SHA256, HashAlgorithm::Sha256),
                (oid::ECDSA_WITH_SHA384, HashAlgorithm::Sha384),
                (oid::ECDSA_WITH_SHA512, HashAlgorithm::Sha512),
            ];
            for (alg_oid, hash) in cases {
                let alg = algorithm_der(alg_oid, None);
                let sig: ::ecdsa::Signature<$curve> =
                    signing.sign_prehash(&hash.digest(MESSAGE)).unwrap();
                let der = sig.to_der().to_bytes();
                let plain = sig.to_bytes();
                assert_eq!(plain.len(), 2 * $field_len);
                assert_eq!(check(&spki, &alg, MESSAGE, &der), Ok(()), "{alg_oid} DER");
                assert_eq!(
                    check(&spki, &alg, MESSAGE, &plain),
                    Ok(()),
                    "{alg_oid} plain"
                );
                assert_eq!(
                    check(&spki, &alg, b"tampered", &der),
                    Err(SignatureError::Invalid)
                );
                assert_eq!(
                    check(&other_spki, &alg, MESSAGE, &der),
                    Err(SignatureError::Invalid)
                );
                assert_eq!(
                    check(&spki, &alg, MESSAGE, &der[..der.len() - 1]),
                    Err(SignatureError::BadSignatureEncoding)
                );
                assert_eq!(
                    check(&spki, &alg, MESSAGE, &plain[..plain.len() - 1]),
                    Err(SignatureError::BadSignatureEncoding)
                );
            }
            // BSI TR-03111 plain OID: r || s only, DER refused.
            let plain_alg = algorithm_der(oid::ECDSA_PLAIN_SHA256, None);
            let sig: ::ecdsa::Signature<$curve> = signing
                .sign_prehash(&HashAlgorithm::Sha256.digest(MESSAGE))
                .unwrap();
            assert_eq!(check(&spki, &plain_alg, MESSAGE, &sig.to_bytes()), Ok(()));
            assert_eq!(
                check(&spki, &plain_alg, MESSAGE, &sig.to_der().to_bytes()),
                Err(SignatureError::BadSignatureEncoding)
            );
        }
    };
}

ecdsa_case!(ecdsa_p256, p256::NistP256, "1.2.840.10045.3.1.7", 32);
ecdsa_case!(ecdsa_p384, p384::NistP384, "1.3.132.0.34", 48);
ecdsa_case!(ecdsa_p521, p521::NistP521, "1.3.132.0.35", 66);
ecdsa_case!(
    ecdsa_bp256,
    bp256::r1::BrainpoolP256r1,
    "1.3.36.3.3.2.8.1.1.7",
    32
);
ecdsa_case!(
    ecdsa_bp384,
    bp384::r1::BrainpoolP384r1,
    "1.3.36.3.3.2.8.1.1.11",
    48
);
ecdsa_case!(
    ecdsa_bp512,
    crate::ec::bp512::BrainpoolP512r1,
    "1.3.36.3.3.2.8.1.1.13",
    64
);

#[test]
fn unknown_signature_oid_is_unsupported_algorithm() {
    let alg = algorithm_der("1.2.3.4.5", None);
    assert_eq!(
        check(&rsa_spki(rsa_key()), &alg, MESSAGE, &[0; 256]),
        Err(SignatureError::UnsupportedAlgorithm {
            oid: "1.2.3.4.5".to_owned()
        })
    );
}

#[test]
fn rsa_scheme_with_ec_key_is_bad_key() {
    let signing = <::ecdsa::SigningKey<p256::NistP256> as Generate>::generate_from_rng(&mut rng());
    let spki = ec_spki(
        "1.2.840.10045.3.1.7",
        &signing.verifying_key().to_sec1_bytes(),
    );
    let alg = algorithm_der(oid::SHA256_WITH_RSA, Some(&[0x05, 0x00]));
    assert!(matches!(
        check(&spki, &alg, MESSAGE, &[0; 64]),
        Err(SignatureError::BadKey { .. })
    ));
}

#[test]
fn unknown_curve_is_unsupported_curve() {
    // secp256k1 (1.3.132.0.10) is not an eMRTD curve.
    let spki = ec_spki("1.3.132.0.10", &[4; 65]);
    let alg = algorithm_der(oid::ECDSA_WITH_SHA256, None);
    assert!(matches!(
        check(&spki, &alg, MESSAGE, &[0; 64]),
        Err(SignatureError::UnsupportedCurve { .. })
    ));
}

#[test]
fn point_off_curve_is_bad_key() {
    let mut point = [0u8; 65];
    point[0] = 4;
    point[64] = 1;
    let spki = ec_spki("1.2.840.10045.3.1.7", &point);
    let alg = algorithm_der(oid::ECDSA_WITH_SHA256, None);
    assert!(matches!(
        check(&spki, &alg, MESSAGE, &[1; 64]),
        Err(SignatureError::BadKey { .. })
    ));
}

// Wycheproof, testvectors_v1/ecdsa_brainpoolP256r1_sha256_p1363_test.json
// (github.com/C2SP/wycheproof, commit 2f387d269d960b389c0073b46acc1b5e84c71159): the first
// test group's public key, tcId 1 (valid), tcId 2 (r replaced by r + n: invalid) and
// tcId 11 (r = s = 0: invalid).
const WYCHEPROOF_BP256_SPKI: [u8; 92] = hex!(
    "305a301406072a8648ce3d020106092b240303020801010703420004019a2d9637743a63ddaefdbca0ee229a163b809b9b145e5313bbeb8defeab9d6548caf89bf5ba49499404145651234336401b9b2843a579ed152e090f11b9e59"
);
const WYCHEPROOF_MSG: [u8; 6] = hex!("313233343030");

#[test]
fn wycheproof_brainpool_p256_p1363() {
    let alg = algorithm_der(oid::ECDSA_PLAIN_SHA256, None);
    let valid = hex!(
        "0a5f8c70ba2d0842d5d0f841f160ad15195769a8159bfe692634d73d469d111f426e857aad3ff7aa96e4d200c03b45f1846a36d089ee3917768ca1a0d6d4da6e"
    );
    assert_eq!(
        check(&WYCHEPROOF_BP256_SPKI, &alg, &WYCHEPROOF_MSG, &valid),
        Ok(())
    );
    let r_plus_n = hex!(
        "b45ae44c5c1bb1ff143702d28ee43a86a590e44bcafda560b652e5bfdde567c6678cd260f4aeb211a781388fdd48478007cf43d32b736de019916ce1c0737c39"
    );
    assert!(check(&WYCHEPROOF_BP256_SPKI, &alg, &WYCHEPROOF_MSG, &r_plus_n).is_err());
    let zeros = [0u8; 64];
    assert!(check(&WYCHEPROOF_BP256_SPKI, &alg, &WYCHEPROOF_MSG, &zeros).is_err());
    assert_eq!(
        check(&WYCHEPROOF_BP256_SPKI, &alg, b"123401", &valid),
        Err(SignatureError::Invalid)
    );
}

// Wycheproof, testvectors_v1/rsa_pss_2048_sha256_mgf1_32_test.json
// (github.com/C2SP/wycheproof, commit 061657f12eed26eeab9b6548ce03f45219d0e7fe): the test
// group's key (SHA-256, MGF1-SHA-256, salt 32) and tcId 4 (valid, msg "123400").
#[test]
fn wycheproof_rsa_pss_2048_sha256_salt32() {
    let spki = hex!(
        "30820122300d06092a864886f70d01010105000382010f003082010a0282010100a2b451a07d0aa5f96e455671513550514a8a5b462ebef717094fa1fee82224e637f9746d3f7cafd31878d80325b6ef5a1700f65903b469429e89d6eac8845097b5ab393189db92512ed8a7711a1253facd20f79c15e8247f3d3e42e46e48c98e254a2fe9765313a03eff8f17e1a029397a1fa26a8dce26f490ed81299615d9814c22da610428e09c7d9658594266f5c021d0fceca08d945a12be82de4d1ece6b4c03145b5d3495d4ed5411eb878daf05fd7afc3e09ada0f1126422f590975a1969816f48698bcbba1b4d9cae79d460d8f9f85e7975005d9bc22c4e5ac0f7c1a45d12569a62807d3b9a02e5a530e773066f453d1f5b4c2e9cf7820283f742b9d50203010001"
    );
    let sig = hex!(
        "68caf07e71ee654ffabf07d342fc4059deb4f7e5970746c423b1e8f668d5332275cc35eb61270aebd27855b1e80d59def47fe8882867fd33c2308c91976baa0b1df952caa78db4828ab81e79949bf145cbdfd1c4987ed036f81e8442081016f20fa4b587574884ca6f6045959ce3501ae7c02b1902ec1d241ef28dee356c0d30d28a950f1fbc683ee7d9aad26b048c13426fe3975d5638afeb5b9c1a99d162d3a5810e8b074d7a2eae2be52b577151f76e1f734b0a956ef4f22be64dc20a81ad1316e4f79dff5fc41fc08a20bc612283a88415d41595bfea66d59de7ac12e230f72244ad9905aef0ead3fa41ed70bf4218863d5f041292f2d14ce0a7271c6d36"
    );
    let alg = algorithm_der(
        oid::RSASSA_PSS,
        Some(&pss_params("2.16.840.1.101.3.4.2.1", 32)),
    );
    assert_eq!(check(&spki, &alg, &WYCHEPROOF_MSG, &sig), Ok(()));
    assert_eq!(
        check(&spki, &alg, b"123401", &sig),
        Err(SignatureError::Invalid)
    );
    // The same signature read as PKCS#1 v1.5 must not verify.
    let pkcs1 = algorithm_der(oid::SHA256_WITH_RSA, Some(&[0x05, 0x00]));
    assert_eq!(
        check(&spki, &pkcs1, &WYCHEPROOF_MSG, &sig),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn key_descriptions() {
    let rsa = parse_spki(&rsa_spki(rsa_key()))
        .map(|s| describe_key(&s))
        .unwrap();
    assert_eq!(rsa.to_string(), "RSA 2048");
    let ec = parse_spki(&WYCHEPROOF_BP256_SPKI)
        .map(|s| describe_key(&s))
        .unwrap();
    assert_eq!(
        ec.algorithm,
        KeyAlgorithm::Ec {
            curve: Curve::BrainpoolP256r1
        }
    );
    assert!(!ec.explicit_parameters);
}

proptest::proptest! {
    #[test]
    fn arbitrary_inputs_never_panic(spki in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
                                    alg in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
                                    sig in proptest::collection::vec(proptest::num::u8::ANY, 0..140)) {
        let _ = check(&spki, &alg, MESSAGE, &sig);
        let _ = check(&WYCHEPROOF_BP256_SPKI, &algorithm_der(oid::ECDSA_WITH_SHA256, None), MESSAGE, &sig);
    }
}
