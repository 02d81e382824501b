//! Real-world check of brainpoolP512r1 and explicit EC parameters: the self-signed "CSCA
//! ePassport Vietnam" certificate from the ICAO master list (2022-06-29 .. 2037-10-01), whose key
//! is brainpoolP512r1 with explicit parameters and whose signature is ecdsa-with-SHA512.
//! A public CA certificate; it holds no personal data.

use cccd::ec::{Curve, bp512};
use cccd::tlv::{Tag, Tlv};
use ecdsa::signature::Verifier;

const CSCA_VN_DER_HEX: &str = concat!(
    "308205db30820540a0030201020210506f1357a3a196c24dc32cf464140cae300a06082a8648ce3d040304306b310b30",
    "0906035504061302564e313b3039060355040a0c32566965746e616d20476f7665726e6d656e7420496e666f726d6174",
    "696f6e20536563757269747920436f6d6d697373696f6e311f301d06035504030c1643534341206550617373706f7274",
    "20566965746e616d301e170d3232303632393031333730375a170d3337313030313031333730365a306b310b30090603",
    "5504061302564e313b3039060355040a0c32566965746e616d20476f7665726e6d656e7420496e666f726d6174696f6e",
    "20536563757269747920436f6d6d697373696f6e311f301d06035504030c1643534341206550617373706f7274205669",
    "65746e616d30820238308201af06072a8648ce3d0201308201a2020101304c06072a8648ce3d0101024100aadd9db8db",
    "e9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca703308717d4d9b009bc66842aecda12ae6a380e62881ff2f2d",
    "82c68528aa6056583a48f330818404407830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc",
    "2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca04403df91610a83441caea9863bc2ded",
    "5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016",
    "f7230481810481aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098eff3b1f78e2d0d48d50d1",
    "687b93b97d5f7c6d5047406a5e688b352209bcb9f8227dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000",
    "c55b881f8111b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892024100aadd9db8dbe9c4",
    "8b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085dda",
    "ddb58796829ca900690201010381820004009786843d27bef9e05594742e234db4bbca63edade63dc158b49bb89bc5e1",
    "f72ec66aa5918bd6448b2dc19da2bc38c99a074dcaa1b330563f79c7d06bb7c959595cc0f2def141c3d70c85746157d9",
    "a55ad2fe2d2c9b70982f33da37a4d95a85b17256b6bbadf8dd45c1e442cc7b0dd334f484a958554c274dca40a1f3f688",
    "0aa38201e3308201df30120603551d130101ff040830060101ff020100301f0603551d2304183016801488918f5a25ec",
    "e37a3e04c52d38a4f2b5123c85c7305a0603551d12045330518116637363612d766965746e616d4063612e676f762e76",
    "6ea410300e310c300a06035504070c03564e4d862568747470733a2f2f6e706b642e787561746e68617063616e682e67",
    "6f762e766e2f63736361305a0603551d11045330518116637363612d766965746e616d4063612e676f762e766ea41030",
    "0e310c300a06035504070c03564e4d862568747470733a2f2f6e706b642e787561746e68617063616e682e676f762e76",
    "6e2f637363613081930603551d1f04818b3081883030a02ea02c862a68747470733a2f2f706b64646f776e6c6f616431",
    "2e6963616f2e696e742f43524c732f564e4d2e63726c3030a02ea02c862a68747470733a2f2f706b64646f776e6c6f61",
    "64322e6963616f2e696e742f43524c732f564e4d2e63726c3022a020a01e861c687474703a2f2f63612e676f762e766e",
    "2f63726c2f564e4d2e63726c301d0603551d0e0416041488918f5a25ece37a3e04c52d38a4f2b5123c85c7302b060355",
    "1d1004243022800f32303232303632393031333730375a810f32303237303730313031333730375a300e0603551d0f01",
    "01ff040403020106300a06082a8648ce3d0403040381880030818402400e53875a6716984bcfc5db6e07a0244f86dd69",
    "d62a04bbbaccfc29e763c864d98996b999bc03ee83944e5e3418a77c7232717467c80ada158668d1f9fe9c14ad024041",
    "46af8757e3d0e9963a616181edf7a3b895047e1a43324daebb1a67d6045a538be7832456045643adfa23278971c52e93",
    "4225d2a4f1116093b6d1e8a611ffa8",
);

fn der() -> Vec<u8> {
    (0..CSCA_VN_DER_HEX.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&CSCA_VN_DER_HEX[i..i + 2], 16).expect("hex"))
        .collect()
}

fn slice<'a>(whole: &'a [u8], tlv: &Tlv<'_>) -> &'a [u8] {
    &whole[tlv.offset()..tlv.offset() + tlv.total_len()]
}

/// (tbsCertificate DER, ECParameters DER, public point, signature DER).
fn parts(cert: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>) {
    let outer = Tlv::parse_exact(cert, Tag::new(0x30)).expect("certificate");
    let children: Vec<Tlv<'_>> = outer.children().map(|c| c.expect("child")).collect();
    let tbs = children[0];
    let fields: Vec<Tlv<'_>> = tbs.children().map(|c| c.expect("field")).collect();
    // [0] version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo.
    let spki = fields[6];
    let spki_parts: Vec<Tlv<'_>> = spki.children().map(|c| c.expect("spki")).collect();
    let algorithm: Vec<Tlv<'_>> = spki_parts[0].children().map(|c| c.expect("alg")).collect();
    let params = slice(cert, &algorithm[1]).to_vec();
    let point = spki_parts[1].value()[1..].to_vec();
    let signature = children[2].value()[1..].to_vec();
    (slice(cert, &tbs).to_vec(), params, point, signature)
}

#[test]
fn explicit_parameters_are_recognised_as_brainpool_p512r1() {
    let (_, params, point, _) = parts(&der());
    let curve = Curve::from_ec_parameters_der(&params).expect("known curve");
    assert_eq!(curve, Curve::BrainpoolP512r1);
    assert!(curve.decode_point(&point).is_ok());
}

#[test]
fn self_signature_verifies_with_bp512_and_sha512() {
    let (tbs, _, point, signature) = parts(&der());
    let key = bp512::VerifyingKey::from_sec1_bytes(&point).expect("key on the curve");
    let signature = bp512::Signature::from_der(&signature).expect("DER signature");
    assert!(key.verify(&tbs, &signature).is_ok());
    // One changed byte in the signed data must break it.
    let mut tampered = tbs.clone();
    tampered[20] ^= 1;
    assert!(key.verify(&tampered, &signature).is_err());
}
