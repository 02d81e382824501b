//! brainpoolP192r1, P224r1 and P320r1 against RFC 5639's domain parameters (as `params`
//! holds them, taken from `openssl ecparam -param_enc explicit`): the generator decodes (so
//! it satisfies y² = x³ + Ax + B) and a flipped bit is refused; `ec::tests` checks
//! (q-1)·G = -G for every curve. Wycheproof and
//! OpenSSL ECDH/ECDSA checks are in `tests/ec_wycheproof_curves.rs`.

use crate::ec::Curve;

const CURVES: [Curve; 3] = [
    Curve::BrainpoolP192r1,
    Curve::BrainpoolP224r1,
    Curve::BrainpoolP320r1,
];

#[test]
fn generator_matches_rfc_5639_and_is_on_the_curve() {
    for curve in CURVES {
        let params = curve.params();
        let sec1 = [&[0x04][..], params.gx, params.gy].concat();
        assert_eq!(
            curve.decode_point(&sec1).expect("G on the curve"),
            curve.generator()
        );
        assert_eq!(curve.generator().to_uncompressed().expect("encodes"), sec1);
    }
}

#[test]
fn off_curve_generator_is_refused() {
    for curve in CURVES {
        let params = curve.params();
        let mut sec1 = [&[0x04][..], params.gx, params.gy].concat();
        *sec1.last_mut().expect("non-empty") ^= 1;
        assert!(curve.decode_point(&sec1).is_err(), "{curve}");
    }
}
