//! Explicit EC domain parameters (RFC 3279 `ECParameters`, X9.62 `SpecifiedECDomain`) and their
//! matching to the supported named curves.
//!
//! Some CSCAs, Vietnam's ePassport CSCA among them, spell out p, a, b, G, n and h in their
//! SubjectPublicKeyInfo instead of naming the curve. Arithmetic on arbitrary parameters would
//! be an attack surface; instead the parameters must equal a supported curve exactly, and the
//! curve's own implementation is used.

use super::{Curve, EcError};
use crate::tlv::{Tag, Tlv, TlvError, Tlvs};

const SEQUENCE: Tag = Tag::new(0x30);
const INTEGER: Tag = Tag::new(0x02);
const OCTET_STRING: Tag = Tag::new(0x04);
const BIT_STRING: Tag = Tag::new(0x03);
const OBJECT_IDENTIFIER: Tag = Tag::new(0x06);
const NULL: Tag = Tag::new(0x05);
/// id-prime-field, 1.2.840.10045.1.1.
const PRIME_FIELD: [u8; 7] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x01, 0x01];

/// Explicit EC domain parameters, borrowed from their DER encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExplicitParams<'a> {
    /// The field prime p (INTEGER content, may carry a leading zero).
    pub prime: &'a [u8],
    /// Coefficient a (OCTET STRING content).
    pub a: &'a [u8],
    /// Coefficient b (OCTET STRING content).
    pub b: &'a [u8],
    /// The generator as a SEC1 point (uncompressed or compressed).
    pub base: &'a [u8],
    /// The order n (INTEGER content).
    pub order: &'a [u8],
    /// The cofactor h (INTEGER content), when present.
    pub cofactor: Option<&'a [u8]>,
}

fn malformed(e: TlvError) -> EcError {
    let TlvError { offset, kind } = e;
    EcError::Malformed {
        what: kind.to_string(),
        offset,
    }
}

fn next_with<'a>(
    children: &mut Tlvs<'a>,
    tag: Tag,
    what: &'static str,
    end: usize,
) -> Result<Tlv<'a>, EcError> {
    match children.next() {
        None => Err(EcError::Malformed {
            what: format!("{what} is missing"),
            offset: end,
        }),
        Some(Err(e)) => Err(malformed(e)),
        Some(Ok(tlv)) if tlv.tag() == tag => Ok(tlv),
        Some(Ok(tlv)) => Err(EcError::Malformed {
            what: format!("{what}: expected tag {tag}, found {}", tlv.tag()),
            offset: tlv.offset(),
        }),
    }
}

fn no_more(children: &mut Tlvs<'_>, what: &'static str) -> Result<(), EcError> {
    match children.next() {
        None => Ok(()),
        Some(Err(e)) => Err(malformed(e)),
        Some(Ok(tlv)) => Err(EcError::Malformed {
            what: format!("unexpected object {} after {what}", tlv.tag()),
            offset: tlv.offset(),
        }),
    }
}

impl<'a> ExplicitParams<'a> {
    /// Parse a DER `ECParameters` SEQUENCE (version 1, prime field).
    pub fn parse(der: &'a [u8]) -> Result<Self, EcError> {
        let seq = Tlv::parse_exact(der, SEQUENCE).map_err(malformed)?;
        let end = seq.offset() + seq.total_len();
        let mut children = seq.children();

        let version = next_with(&mut children, INTEGER, "version", end)?;
        if version.value() != [1] {
            return Err(EcError::Unsupported {
                what: "ECParameters version other than 1".into(),
            });
        }

        let field_id = next_with(&mut children, SEQUENCE, "fieldID", end)?;
        let field_end = field_id.offset() + field_id.total_len();
        let mut field = field_id.children();
        let field_type = next_with(&mut field, OBJECT_IDENTIFIER, "fieldType", field_end)?;
        if field_type.value() != PRIME_FIELD {
            return Err(EcError::Unsupported {
                what: "EC parameters over a field that is not a prime field".into(),
            });
        }
        let prime = next_with(&mut field, INTEGER, "prime", field_end)?.value();
        no_more(&mut field, "the prime")?;

        let curve = next_with(&mut children, SEQUENCE, "curve", end)?;
        let curve_end = curve.offset() + curve.total_len();
        let mut coefficients = curve.children();
        let a = next_with(&mut coefficients, OCTET_STRING, "coefficient a", curve_end)?.value();
        let b = next_with(&mut coefficients, OCTET_STRING, "coefficient b", curve_end)?.value();
        // The optional seed only documents how the curve was generated.
        match coefficients.next() {
            None => {}
            Some(Err(e)) => return Err(malformed(e)),
            Some(Ok(seed)) if seed.tag() == BIT_STRING => no_more(&mut coefficients, "the seed")?,
            Some(Ok(other)) => {
                return Err(EcError::Malformed {
                    what: format!("curve: expected the seed (03), found {}", other.tag()),
                    offset: other.offset(),
                });
            }
        }

        let base = next_with(&mut children, OCTET_STRING, "base", end)?.value();
        let order = next_with(&mut children, INTEGER, "order", end)?.value();
        let cofactor = match children.next() {
            None => None,
            Some(Err(e)) => return Err(malformed(e)),
            Some(Ok(h)) if h.tag() == INTEGER => Some(h.value()),
            Some(Ok(other)) => {
                return Err(EcError::Malformed {
                    what: format!("cofactor: expected tag 02, found {}", other.tag()),
                    offset: other.offset(),
                });
            }
        };
        // X9.62 allows a hash algorithm after the cofactor; nothing here uses it.
        Ok(Self {
            prime,
            a,
            b,
            base,
            order,
            cofactor,
        })
    }
}

/// Drop leading zero bytes (DER INTEGER sign padding, short OCTET STRING forms).
fn strip(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    &bytes[zeros..]
}

fn base_matches(curve: Curve, base: &[u8]) -> bool {
    let params = curve.params();
    let size = curve.field_size();
    match base {
        [0x04, xy @ ..] if xy.len() == 2 * size => {
            let (x, y) = xy.split_at(size);
            x == params.gx && y == params.gy
        }
        [tag @ (0x02 | 0x03), x @ ..] if x.len() == size => {
            let y_is_odd = params.gy.last().is_some_and(|b| b & 1 == 1);
            x == params.gx && (*tag == 0x03) == y_is_odd
        }
        _ => false,
    }
}

/// The supported curve with exactly these parameters.
pub(super) fn match_named(explicit: &ExplicitParams<'_>) -> Result<Curve, EcError> {
    let prime = strip(explicit.prime);
    let Some(curve) = Curve::ALL
        .into_iter()
        .find(|c| strip(c.params().p) == prime)
    else {
        return Err(EcError::Unsupported {
            what: format!(
                "explicit EC parameters over an unknown {}-bit prime field",
                prime.len() * 8
            ),
        });
    };
    let params = curve.params();
    let cofactor_ok = explicit.cofactor.is_none_or(|h| strip(h) == [params.h]);
    let mismatch = if strip(explicit.a) != strip(params.a) {
        Some("coefficient a")
    } else if strip(explicit.b) != strip(params.b) {
        Some("coefficient b")
    } else if !base_matches(curve, explicit.base) {
        Some("generator")
    } else if strip(explicit.order) != strip(params.n) {
        Some("order")
    } else if !cofactor_ok {
        Some("cofactor")
    } else {
        None
    };
    match mismatch {
        None => Ok(curve),
        Some(field) => Err(EcError::Unsupported {
            what: format!("explicit EC parameters over {curve}'s field with a different {field}"),
        }),
    }
}

/// The curve of DER `EcpkParameters`: a named curve OID or explicit `ECParameters`.
pub(super) fn curve_from_ec_parameters(der: &[u8]) -> Result<Curve, EcError> {
    let (first, _) = Tlv::parse(der).map_err(malformed)?;
    match first.tag() {
        OBJECT_IDENTIFIER => {
            let oid = Tlv::parse_exact(der, OBJECT_IDENTIFIER).map_err(malformed)?;
            Curve::from_oid_der(oid.value())
        }
        SEQUENCE => match_named(&ExplicitParams::parse(der)?),
        NULL => Err(EcError::Unsupported {
            what: "implicitlyCA EC parameters (the curve is not stated)".into(),
        }),
        other => Err(EcError::Malformed {
            what: format!("EC parameters: expected an OID or a SEQUENCE, found tag {other}"),
            offset: 0,
        }),
    }
}
