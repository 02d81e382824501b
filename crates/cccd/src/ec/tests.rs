//! Curve table, explicit parameters and the runtime point API.

use super::*;
use hex_literal::hex;

#[test]
fn pace_parameter_ids_round_trip_and_unsupported_ones_are_named() {
    for curve in Curve::ALL {
        let id = u64::from(curve.pace_parameter_id());
        assert_eq!(Curve::from_pace_parameter_id(id), Ok(curve));
    }
    // ICAO 9303-11 §9.5.1: 13 is brainpoolP256r1, the Vietnamese cards' parameter.
    assert_eq!(
        Curve::from_pace_parameter_id(13),
        Ok(Curve::BrainpoolP256r1)
    );
    // Every standardized EC id (8-18) names a curve of this crate.
    for (id, curve) in [
        (8, Curve::NistP192),
        (9, Curve::BrainpoolP192r1),
        (10, Curve::NistP224),
        (11, Curve::BrainpoolP224r1),
        (14, Curve::BrainpoolP320r1),
    ] {
        assert_eq!(Curve::from_pace_parameter_id(id), Ok(curve));
    }
    let ec_ids: Vec<u8> = Curve::ALL.iter().map(|c| c.pace_parameter_id()).collect();
    assert!((8..=18).all(|id| ec_ids.contains(&id)));
    for (id, name) in [(0, "DH"), (2, "DH"), (7, "reserved"), (20, "reserved")] {
        match Curve::from_pace_parameter_id(id) {
            Err(EcError::Unsupported { what }) => assert!(what.contains(name), "{what}"),
            other => panic!("id {id}: {other:?}"),
        }
    }
}

#[test]
fn oids_round_trip() {
    for curve in Curve::ALL {
        assert_eq!(Curve::from_oid(curve.oid()), Ok(curve));
    }
    // DER content of 1.3.36.3.3.2.8.1.1.13 and 1.2.840.10045.3.1.7.
    assert!(matches!(
        Curve::from_oid_der(&hex!("2B8000")),
        Err(EcError::Malformed { .. })
    ));
    assert_eq!(
        Curve::from_oid_der(&hex!("2B240303020801010D")),
        Ok(Curve::BrainpoolP512r1)
    );
    assert_eq!(
        Curve::from_oid_der(&hex!("2A8648CE3D030107")),
        Ok(Curve::NistP256)
    );
    assert_eq!(Curve::from_oid("1.3.132.0.33"), Ok(Curve::NistP224));
    match Curve::from_oid("1.3.132.0.10") {
        Err(EcError::Unsupported { what }) => assert!(what.contains("secp256k1")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn oid_rendering() {
    assert_eq!(
        oid_to_string(&hex!("04007F00070202040202")).as_deref(),
        Some("0.4.0.127.0.7.2.2.4.2.2")
    );
    assert_eq!(
        oid_to_string(&hex!("2A864886F70D010101")).as_deref(),
        Some("1.2.840.113549.1.1.1")
    );
    assert_eq!(oid_to_string(&[]), None);
    assert_eq!(oid_to_string(&hex!("2A86")), None);
    assert_eq!(oid_to_string(&hex!("2A8001")), None);
    // 2.999 (first byte above 80) and an arc of exactly 64 bits; one bit more overflows.
    assert_eq!(oid_to_string(&hex!("8837")).as_deref(), Some("2.999"));
    let max = hex!("2A81FFFFFFFFFFFFFFFF7F");
    assert_eq!(
        oid_to_string(&max).as_deref(),
        Some("1.2.18446744073709551615")
    );
    assert_eq!(oid_to_string(&hex!("2A83FFFFFFFFFFFFFFFF7F")), None);
    // The validity check agrees with the rendering on every case.
    for content in [
        &hex!("04007F00070202040202")[..],
        &[],
        &hex!("2A86"),
        &hex!("2A8001"),
        &hex!("8837"),
        &max,
        &hex!("2A83FFFFFFFFFFFFFFFF7F"),
    ] {
        assert_eq!(
            crate::ec::is_valid_oid(content),
            oid_to_string(content).is_some(),
            "{content:02x?}"
        );
    }
}

/// The generator and order of each table entry equal those of the crate doing the arithmetic.
#[test]
fn published_parameters_agree_with_the_curve_crates() {
    for curve in Curve::ALL {
        let params = curve.params();
        let g = curve.generator().to_uncompressed().expect("G");
        assert_eq!(g[0], 4);
        assert_eq!(&g[1..=curve.field_size()], params.gx, "{curve} gx");
        assert_eq!(&g[1 + curve.field_size()..], params.gy, "{curve} gy");
        // n - 1 is the largest valid scalar; n itself is refused.
        let n = params.n.to_vec();
        let mut n_minus_1 = n.clone();
        if let Some(last) = n_minus_1.last_mut() {
            *last -= 1;
        }
        assert!(curve.scalar_from_be_bytes(&n_minus_1).is_ok(), "{curve}");
        assert!(curve.scalar_from_be_bytes(&n).is_err(), "{curve}");
        // (n-1)·G = -G.
        let k = curve.scalar_from_be_bytes(&n_minus_1).expect("n-1");
        assert_eq!(curve.mul_generator(&k), Ok(curve.generator().neg()));
    }
}

/// The ECParameters of the CSCA ePassport Vietnam certificate (ICAO master list; offset 310 of
/// the DER certificate): brainpoolP512r1 spelled out, with a 65-byte prime (leading 00).
const VN_CSCA_EC_PARAMETERS: &str = include_str!("tests/vn_csca_ec_parameters.hex");

fn hex_decode(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(char::is_ascii_hexdigit).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn vietnam_csca_explicit_parameters_are_brainpool_p512r1() {
    let der = hex_decode(VN_CSCA_EC_PARAMETERS);
    assert_eq!(
        Curve::from_ec_parameters_der(&der),
        Ok(Curve::BrainpoolP512r1)
    );
    let explicit = ExplicitParams::parse(&der).expect("parse");
    assert_eq!(explicit.cofactor, Some(&[1u8][..]));
    assert_eq!(explicit.prime.len(), 65);
}

/// Re-encode the same parameters with one field changed; each must be refused.
fn explicit_der(curve: Curve, tweak: &str) -> Vec<u8> {
    use crate::tlv::{Tag, encode, encode_constructed};
    let p = curve.params();
    let mut prime = vec![0];
    prime.extend_from_slice(p.p);
    let mut a = p.a.to_vec();
    let mut order = p.n.to_vec();
    let mut base = vec![4];
    base.extend_from_slice(p.gx);
    base.extend_from_slice(p.gy);
    match tweak {
        "a" => a[0] ^= 1,
        "order" => order[5] ^= 1,
        "base" => base[10] ^= 1,
        "compressed" => {
            base.truncate(1 + curve.field_size());
            base[0] = if p.gy.last().is_some_and(|b| b & 1 == 1) {
                3
            } else {
                2
            };
        }
        "compressed-wrong-parity" => {
            base.truncate(1 + curve.field_size());
            base[0] = if p.gy.last().is_some_and(|b| b & 1 == 1) {
                2
            } else {
                3
            };
        }
        _ => {}
    }
    let cofactor: &[u8] = if tweak == "cofactor" { &[4] } else { &[1] };
    let field = encode_constructed(
        Tag::new(0x30),
        [
            &encode(Tag::new(0x06), &hex!("2A8648CE3D0101"))[..],
            &encode(Tag::new(0x02), &prime)[..],
        ],
    );
    let coefficients = encode_constructed(
        Tag::new(0x30),
        [
            &encode(Tag::new(0x04), &a)[..],
            &encode(Tag::new(0x04), p.b)[..],
        ],
    );
    encode_constructed(
        Tag::new(0x30),
        [
            &encode(Tag::new(0x02), &[1])[..],
            &field[..],
            &coefficients[..],
            &encode(Tag::new(0x04), &base)[..],
            &encode(Tag::new(0x02), &order)[..],
            &encode(Tag::new(0x02), cofactor)[..],
        ],
    )
}

#[test]
fn explicit_parameters_match_every_curve_and_only_exactly() {
    for curve in Curve::ALL {
        assert_eq!(
            Curve::from_ec_parameters_der(&explicit_der(curve, "")),
            Ok(curve)
        );
        assert_eq!(
            Curve::from_ec_parameters_der(&explicit_der(curve, "compressed")),
            Ok(curve)
        );
        for tweak in ["a", "order", "base", "cofactor", "compressed-wrong-parity"] {
            match Curve::from_ec_parameters_der(&explicit_der(curve, tweak)) {
                Err(EcError::Unsupported { what }) => assert!(what.contains(curve.name())),
                other => panic!("{curve} {tweak}: {other:?}"),
            }
        }
    }
}

#[test]
fn ec_parameters_named_null_and_malformed() {
    // namedCurve OID for brainpoolP256r1.
    assert_eq!(
        Curve::from_ec_parameters_der(&hex!("06092B2403030208010107")),
        Ok(Curve::BrainpoolP256r1)
    );
    assert!(matches!(
        Curve::from_ec_parameters_der(&hex!("0500")),
        Err(EcError::Unsupported { .. })
    ));
    let der = hex_decode(VN_CSCA_EC_PARAMETERS);
    for cut in [1, 10, 100, der.len() - 1] {
        assert!(matches!(
            Curve::from_ec_parameters_der(&der[..cut]),
            Err(EcError::Malformed { .. })
        ));
    }
    assert!(matches!(
        Curve::from_ec_parameters_der(&hex!("0201FF")),
        Err(EcError::Malformed { .. })
    ));
}

#[test]
fn points_are_validated_on_decode() {
    for curve in Curve::ALL {
        let g = curve.generator().to_uncompressed().expect("G");
        assert_eq!(curve.decode_point(&g), Ok(curve.generator()));
        let mut off = g.clone();
        if let Some(last) = off.last_mut() {
            *last ^= 1;
        }
        assert!(matches!(
            curve.decode_point(&off),
            Err(EcError::InvalidPoint {
                reason: "not on the curve",
                ..
            })
        ));
        assert!(curve.decode_point(&[0]).is_err());
        assert!(curve.decode_point(&g[..g.len() - 1]).is_err());
        assert!(curve.decode_point(&g[..=curve.field_size()]).is_err());
        assert!(curve.decode_point(&[]).is_err());
        // A point of another curve with the same size does not decode (wrong equation).
        let other = match curve {
            Curve::NistP256 => Curve::BrainpoolP256r1,
            _ => Curve::NistP256,
        };
        if other.field_size() == curve.field_size() {
            let foreign = other.generator().to_uncompressed().expect("G");
            assert!(curve.decode_point(&foreign).is_err());
        }
    }
}

#[test]
fn ecdh_agrees_and_identity_is_refused() {
    let mut rng = rand::rng();
    for curve in Curve::ALL {
        let (a, a_pub) = curve.generate_keypair(&mut rng);
        let (b, b_pub) = curve.generate_keypair(&mut rng);
        let ab = b_pub.mul(&a).expect("same curve");
        let ba = a_pub.mul(&b).expect("same curve");
        assert_eq!(ab, ba);
        assert_eq!(
            *ab.x_coordinate().expect("x"),
            ab.to_uncompressed().expect("enc")[1..=curve.field_size()]
        );
        let infinity = a_pub.add(&a_pub.neg()).expect("same curve");
        assert!(infinity.is_identity());
        assert!(infinity.to_uncompressed().is_err());
        assert!(infinity.x_coordinate().is_err());
        assert_eq!(
            curve.scalar_from_be_bytes(&[0; 8]).map(|_| ()),
            Err(EcError::InvalidScalar {
                curve,
                reason: "zero"
            })
        );
        assert_eq!(a.to_be_bytes().len(), curve.field_size());
        assert_eq!(format!("{a:?}"), format!("EcScalar({curve}, <secret>)"));
    }
    let p256 = Curve::NistP256.generator();
    let k = Curve::NistP384.random_scalar(&mut rng);
    assert!(matches!(p256.mul(&k), Err(EcError::CurveMismatch(..))));
    assert!(matches!(
        p256.add(&Curve::NistP384.generator()),
        Err(EcError::CurveMismatch(..))
    ));
}
