//! Matching explicit EC domain parameters (X9.62 `ECParameters`, RFC 3279 §2.3.5) to the
//! named curves we support. Many CSCAs (Vietnam's among them) write the full parameters
//! instead of a namedCurve OID; a key is accepted only if p, a, b, G and n all equal those
//! of a known curve, so a key on a look-alike curve is refused.
//!
//! The constants below are the standard domain parameters of SEC 2 (P-256/384/521) and
//! RFC 5639 §3.4-3.7 (brainpool r1 curves), big-endian without leading zero bytes.

use super::SignatureError;
use super::ecdsa::{EcCurve, der_elements};
use x509_parser::asn1_rs::Tag;

/// (curve, p, a, b, G uncompressed, n)
const DOMAINS: [(EcCurve, &str, &str, &str, &str, &str); 6] = [
    (
        EcCurve::P256,
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        "ffffffff00000001000000000000000000000000fffffffffffffffffffffffc",
        "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
        "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
    ),
    (
        EcCurve::P384,
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc",
        "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
        "04aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab73617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
    ),
    (
        EcCurve::P521,
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc",
        "51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
        "0400c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
        "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
    ),
    (
        EcCurve::BrainpoolP256r1,
        "a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377",
        "7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9",
        "26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6",
        "048bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997",
        "a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7",
    ),
    (
        EcCurve::BrainpoolP384r1,
        "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123acd3a729901d1a71874700133107ec53",
        "7bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f8aa5814a503ad4eb04a8c7dd22ce2826",
        "04a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d57cb4390295dbc9943ab78696fa504c11",
        "041d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8e826e03436d646aaef87b2e247d4af1e8abe1d7520f9c2a45cb1eb8e95cfd55262b70b29feec5864e19c054ff99129280e4646217791811142820341263c5315",
        "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7cf3ab6af6b7fc3103b883202e9046565",
    ),
    (
        EcCurve::BrainpoolP512r1,
        "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca703308717d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3",
        "7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca",
        "3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723",
        "0481aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098eff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f8227dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892",
        "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069",
    ),
];

/// id-prime-field (X9.62).
const PRIME_FIELD: &str = "1.2.840.10045.1.1";

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// Compare big-endian `bytes` (leading zeros ignored) with a lowercase hex constant.
fn equals_hex(bytes: &[u8], hex: &str) -> bool {
    let bytes = strip_zeros(bytes);
    let hex = hex.as_bytes();
    if !hex.len().is_multiple_of(2) {
        return false;
    }
    let expected = hex.chunks(2).map(|pair| {
        let nibble = |c: u8| match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => 0,
        };
        pair.iter().fold(0u8, |acc, &c| (acc << 4) | nibble(c))
    });
    let expected: Vec<u8> = expected.collect();
    strip_zeros(&expected) == bytes
}

/// Compare an encoded base point (uncompressed or compressed) with the uncompressed constant.
fn equals_generator(base: &[u8], generator_hex: &str, field_len: usize) -> bool {
    match base.first() {
        Some(0x04) => base.len() == 1 + 2 * field_len && equals_hex(base, generator_hex),
        Some(prefix @ (0x02 | 0x03)) if base.len() == 1 + field_len => {
            // x must match and the parity of y must match the prefix.
            let x_hex = generator_hex.get(2..2 + 2 * field_len).unwrap_or_default();
            let last_y_hex = generator_hex
                .get(generator_hex.len().saturating_sub(1)..)
                .unwrap_or("0");
            let y_odd = u8::from_str_radix(last_y_hex, 16).is_ok_and(|d| d & 1 == 1);
            equals_hex(base.get(1..).unwrap_or_default(), x_hex) && (*prefix == 0x03) == y_odd
        }
        _ => false,
    }
}

fn malformed(what: &str) -> SignatureError {
    SignatureError::BadKey {
        reason: format!("explicit EC parameters: {what}"),
    }
}

/// Match the contents of an `ECParameters` SEQUENCE to a known curve.
pub(crate) fn match_explicit_parameters(contents: &[u8]) -> Result<EcCurve, SignatureError> {
    let fields = der_elements(contents).ok_or_else(|| malformed("do not parse"))?;
    let [_version, field_id, curve, base, order, ..] = fields.as_slice() else {
        return Err(malformed("fewer than five fields"));
    };
    let field_parts = der_elements(field_id.data).ok_or_else(|| malformed("fieldID"))?;
    let [field_type, prime] = field_parts.as_slice() else {
        return Err(malformed("fieldID shape"));
    };
    let field_type = field_type
        .clone()
        .oid()
        .map_err(|_| malformed("field type is not an OID"))?
        .to_id_string();
    if field_type != PRIME_FIELD {
        return Err(SignatureError::UnsupportedCurve {
            curve: format!("explicit parameters over field type {field_type}"),
        });
    }
    let curve_parts = der_elements(curve.data).ok_or_else(|| malformed("curve"))?;
    let (Some(a), Some(b)) = (curve_parts.first(), curve_parts.get(1)) else {
        return Err(malformed("curve shape"));
    };
    if prime.tag() != Tag::Integer || order.tag() != Tag::Integer || base.tag() != Tag::OctetString
    {
        return Err(malformed("unexpected element types"));
    }
    for (id, p, ca, cb, g, n) in DOMAINS {
        if equals_hex(prime.data, p)
            && equals_hex(a.data, ca)
            && equals_hex(b.data, cb)
            && equals_hex(order.data, n)
            && equals_generator(base.data, g, id.field_len())
        {
            return Ok(id);
        }
    }
    Err(SignatureError::UnsupportedCurve {
        curve: format!(
            "explicit parameters matching no supported curve ({}-bit prime)",
            strip_zeros(prime.data).len() * 8
        ),
    })
}
