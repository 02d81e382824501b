//! brainpoolP512r1 against published values: RFC 5639 (domain parameters), RFC 7027 appendix
//! A.3 (ECDH key pairs and shared point) and the whole Wycheproof ECDSA SHA-512 file.

use super::{AffinePoint, BrainpoolP512r1, ORDER_HEX, ProjectivePoint, Scalar, VerifyingKey};
use elliptic_curve::Group;
use elliptic_curve::ff::PrimeField;
use elliptic_curve::sec1::{FromSec1Point, ToSec1Point};
use hex_literal::hex;

fn scalar(bytes: [u8; 64]) -> Scalar {
    Option::from(Scalar::from_repr(bytes.into())).expect("test scalar below the order")
}

fn point(x: [u8; 64], y: [u8; 64]) -> ProjectivePoint {
    let mut sec1 = vec![0x04];
    sec1.extend_from_slice(&x);
    sec1.extend_from_slice(&y);
    AffinePoint::from_sec1_bytes(&sec1)
        .expect("test point on the curve")
        .into()
}

fn uncompressed(p: ProjectivePoint) -> Vec<u8> {
    p.to_affine().to_sec1_point(false).as_bytes().to_vec()
}

// RFC 5639 §3.7: the generator's coordinates, which decoding checks against y² = x³ + Ax + B.
#[test]
fn generator_is_on_the_curve_and_matches_rfc_5639() {
    let g = point(
        hex!(
            "81AEE4BDD82ED9645A21322E9C4C6A9385ED9F70B5D916C1B43B62EEF4D0098E"
            "FF3B1F78E2D0D48D50D1687B93B97D5F7C6D5047406A5E688B352209BCB9F822"
        ),
        hex!(
            "7DDE385D566332ECC0EABFA9CF7822FDF209F70024A57B1AA000C55B881F8111"
            "B2DCDE494A5F485E5BCA4BD88A2763AED1CA2B2FA8F0540678CD1E0F3AD80892"
        ),
    );
    assert_eq!(g, ProjectivePoint::generator());
}

// q·G = O, computed by double-and-add over the bits of q with the group law alone (the scalar
// type cannot hold q itself); (q-1)·G must not be the identity.
#[test]
fn order_times_generator_is_the_identity() {
    let q: Vec<u8> = (0..ORDER_HEX.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&ORDER_HEX[i..i + 2], 16).expect("hex"))
        .collect();
    let g = ProjectivePoint::generator();
    let mut acc = ProjectivePoint::identity();
    let mut before_last = ProjectivePoint::identity();
    for (i, byte) in q.iter().enumerate() {
        for bit in (0..8).rev() {
            acc = acc.double();
            if byte >> bit & 1 == 1 {
                if i == q.len() - 1 && bit == 0 {
                    before_last = acc;
                }
                acc += g;
            }
        }
    }
    assert!(bool::from(acc.is_identity()));
    assert!(!bool::from(before_last.is_identity()));
    assert_eq!(before_last, -g);
}

// RFC 7027 appendix A.3 (brainpoolP512r1): dA·G = QA, dB·G = QB, dA·QB = dB·QA = Z.
#[test]
fn rfc_7027_key_agreement() {
    let d_a = scalar(hex!(
        "16302FF0DBBB5A8D733DAB7141C1B45ACBC8715939677F6A56850A38BD87BD59"
        "B09E80279609FF333EB9D4C061231FB26F92EEB04982A5F1D1764CAD57665422"
    ));
    let q_a = point(
        hex!(
            "0A420517E406AAC0ACDCE90FCD71487718D3B953EFD7FBEC5F7F27E28C614999"
            "9397E91E029E06457DB2D3E640668B392C2A7E737A7F0BF04436D11640FD09FD"
        ),
        hex!(
            "72E6882E8DB28AAD36237CD25D580DB23783961C8DC52DFA2EC138AD472A0FCE"
            "F3887CF62B623B2A87DE5C588301EA3E5FC269B373B60724F5E82A6AD147FDE7"
        ),
    );
    let d_b = scalar(hex!(
        "230E18E1BCC88A362FA54E4EA3902009292F7F8033624FD471B5D8ACE49D12CF"
        "ABBC19963DAB8E2F1EBA00BFFB29E4D72D13F2224562F405CB80503666B25429"
    ));
    let q_b = point(
        hex!(
            "9D45F66DE5D67E2E6DB6E93A59CE0BB48106097FF78A081DE781CDB31FCE8CCB"
            "AAEA8DD4320C4119F1E9CD437A2EAB3731FA9668AB268D871DEDA55A5473199F"
        ),
        hex!(
            "2FDC313095BCDD5FB3A91636F07A959C8E86B5636A1E930E8396049CB481961D"
            "365CC11453A06C719835475B12CB52FC3C383BCE35E27EF194512B71876285FA"
        ),
    );
    let z = point(
        hex!(
            "A7927098655F1F9976FA50A9D566865DC530331846381C87256BAF3226244B76"
            "D36403C024D7BBF0AA0803EAFF405D3D24F11A9B5C0BEF679FE1454B21C4CD1F"
        ),
        hex!(
            "7DB71C3DEF63212841C463E881BDCF055523BD368240E6C3143BD8DEF8B3B322"
            "3B95E0F53082FF5E412F4222537A43DF1C6D25729DDB51620A832BE6A26680A2"
        ),
    );
    let g = ProjectivePoint::generator();
    assert_eq!(uncompressed(g * d_a), uncompressed(q_a));
    assert_eq!(uncompressed(g * d_b), uncompressed(q_b));
    assert_eq!(uncompressed(q_b * d_a), uncompressed(z));
    assert_eq!(uncompressed(q_a * d_b), uncompressed(z));
}

#[test]
fn off_curve_point_is_rejected() {
    // The RFC 7027 QA with the last bit of y flipped is not on the curve.
    let mut sec1 = vec![0x04];
    sec1.extend_from_slice(&hex!(
        "0A420517E406AAC0ACDCE90FCD71487718D3B953EFD7FBEC5F7F27E28C614999"
        "9397E91E029E06457DB2D3E640668B392C2A7E737A7F0BF04436D11640FD09FD"
    ));
    sec1.extend_from_slice(&hex!(
        "72E6882E8DB28AAD36237CD25D580DB23783961C8DC52DFA2EC138AD472A0FCE"
        "F3887CF62B623B2A87DE5C588301EA3E5FC269B373B60724F5E82A6AD147FDE6"
    ));
    assert!(AffinePoint::from_sec1_bytes(&sec1).is_err());
}

// Wycheproof testvectors_v1/ecdsa_brainpoolP512r1_sha512_test.json (C2SP/wycheproof at
// dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166, Apache-2.0; tests/fixtures/wycheproof/README.md),
// the whole file: DER signatures over SHA-512, each with the verdict the file gives. A valid
// signature must also fail over another message.
#[test]
fn wycheproof_ecdsa_sha512_every_vector() {
    use ecdsa::signature::Verifier;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/wycheproof/ecdsa_brainpoolP512r1_sha512_test.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let file: serde_json::Value = serde_json::from_str(&text).expect("Wycheproof JSON");
    let unhex = |field: &serde_json::Value| {
        crate::hex::decode(field.as_str().expect("hex string"), usize::MAX).expect("hex")
    };
    let (mut valid, mut invalid, mut acceptable) = (0usize, 0usize, 0usize);
    for group in file["testGroups"].as_array().expect("testGroups") {
        assert_eq!(group["publicKey"]["curve"], "brainpoolP512r1");
        assert_eq!(group["sha"], "SHA-512");
        let key = VerifyingKey::from_sec1_bytes(&unhex(&group["publicKey"]["uncompressed"]))
            .expect("group key on the curve");
        for test in group["tests"].as_array().expect("tests") {
            let (id, comment) = (&test["tcId"], &test["comment"]);
            let msg = unhex(&test["msg"]);
            let der = unhex(&test["sig"]);
            let sig = ecdsa::Signature::<BrainpoolP512r1>::from_der(&der);
            let verifies = sig.as_ref().is_ok_and(|s| key.verify(&msg, s).is_ok());
            match test["result"].as_str().expect("result") {
                "valid" => {
                    assert!(verifies, "tcId {id} ({comment}) is valid");
                    let mut other = msg.clone();
                    other.push(0x01);
                    let sig = sig.expect("valid DER");
                    assert!(
                        key.verify(&other, &sig).is_err(),
                        "tcId {id}: other message"
                    );
                    valid += 1;
                }
                "invalid" => {
                    assert!(!verifies, "tcId {id} ({comment}) is invalid");
                    invalid += 1;
                }
                "acceptable" => acceptable += 1,
                other => panic!("tcId {id}: result {other}"),
            }
        }
    }
    assert_eq!(
        valid + invalid + acceptable,
        usize::try_from(file["numberOfTests"].as_u64().expect("numberOfTests")).expect("count")
    );
    // The file as committed: 252 valid, 307 invalid, no acceptable vector.
    assert_eq!((valid, invalid, acceptable), (252, 307, 0));
}
