//! What `inspect` says about the chip's protocols and its document signer: protocol names
//! (`id-PACE-ECDH-GM-AES-CBC-CMAC-128`) instead of raw OIDs, and the signer's validity.

use cccd::crypto::Cipher;
use cccd::document::Document;
use cccd::ec::Curve;
use cccd::lds::security_infos::{CaProtocol, KeyAgreement, Mapping, PaceProtocol, SecurityInfos};

/// The chip's access and authentication protocols, by name.
#[derive(Debug, serde::Serialize)]
pub struct ChipView {
    /// PACE protocols EF.CardAccess offers (`id-PACE-ECDH-GM-AES-CBC-CMAC-128 (brainpoolP256r1)`).
    pub pace: Vec<String>,
    /// Chip authentication protocols DG14 offers (`id-CA-ECDH-AES-CBC-CMAC-128`).
    pub chip_authentication: Vec<String>,
    /// Active authentication: the signature DG14 names and the DG15 key type, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_authentication: Option<String>,
}

/// The document signer certificate's validity.
#[derive(Debug, serde::Serialize)]
pub struct SignerValidity {
    /// Not before (RFC 3339).
    pub not_before: String,
    /// Not after (RFC 3339).
    pub not_after: String,
    /// Whether today lies within.
    pub valid_now: bool,
}

fn cipher_name(c: Cipher) -> &'static str {
    match c {
        Cipher::TripleDes => "3DES-CBC-CBC",
        Cipher::Aes128 => "AES-CBC-CMAC-128",
        Cipher::Aes192 => "AES-CBC-CMAC-192",
        Cipher::Aes256 => "AES-CBC-CMAC-256",
    }
}

fn agreement_name(k: KeyAgreement) -> &'static str {
    match k {
        KeyAgreement::Dh => "DH",
        KeyAgreement::Ecdh => "ECDH",
    }
}

/// `id-PACE-ECDH-GM-AES-CBC-CMAC-128`.
pub fn pace_name(p: PaceProtocol) -> String {
    let mapping = match p.mapping {
        Mapping::Generic => "GM",
        Mapping::Integrated => "IM",
        Mapping::ChipAuthentication => "CAM",
    };
    format!(
        "id-PACE-{}-{mapping}-{}",
        agreement_name(p.key_agreement),
        cipher_name(p.cipher)
    )
}

/// A curve by its usual name: RFC 5639's for Brainpool (`brainpoolP384r1`), FIPS 186's with
/// the SEC 2 name for NIST curves (`P-256 (secp256r1)`).
pub fn curve_name(curve: Curve) -> String {
    let nist = match curve {
        Curve::NistP192 => "P-192",
        Curve::NistP224 => "P-224",
        Curve::NistP256 => "P-256",
        Curve::NistP384 => "P-384",
        Curve::NistP521 => "P-521",
        _ => return curve.name().to_owned(),
    };
    format!("{nist} ({})", curve.name())
}

/// `id-CA-ECDH-AES-CBC-CMAC-128`.
pub fn ca_name(p: CaProtocol) -> String {
    format!(
        "id-CA-{}-{}",
        agreement_name(p.key_agreement),
        cipher_name(p.cipher)
    )
}

/// The BSI TR-03111 plain-ECDSA signature names AA uses (0.4.0.127.0.7.1.1.4.1.x), else the OID.
pub fn aa_signature_name(oid: &str) -> String {
    let name = match oid {
        "0.4.0.127.0.7.1.1.4.1.1" => "ecdsa-plain-SHA1",
        "0.4.0.127.0.7.1.1.4.1.2" => "ecdsa-plain-SHA224",
        "0.4.0.127.0.7.1.1.4.1.3" => "ecdsa-plain-SHA256",
        "0.4.0.127.0.7.1.1.4.1.4" => "ecdsa-plain-SHA384",
        "0.4.0.127.0.7.1.1.4.1.5" => "ecdsa-plain-SHA512",
        "0.4.0.127.0.7.1.1.4.1.6" => "ecdsa-plain-RIPEMD160",
        other => return other.to_owned(),
    };
    name.to_owned()
}

/// The chip's protocols, from EF.CardAccess, DG14 and DG15.
pub fn chip_view(doc: &Document) -> ChipView {
    let card_access = doc
        .get(cccd::lds::FileId::CardAccess)
        .and_then(|b| SecurityInfos::parse(b).ok());
    let pace = card_access
        .iter()
        .flat_map(SecurityInfos::pace_infos)
        .map(|p| match p.curve() {
            Ok(curve) => format!("{} ({})", pace_name(p.protocol), curve_name(curve)),
            Err(_) => match p.parameter_id {
                Some(id) => format!("{} (parameter {id})", pace_name(p.protocol)),
                None => pace_name(p.protocol),
            },
        })
        .collect();
    let dg14 = doc.dg14().and_then(Result::ok);
    // The curve of the chip's CA key, when DG14 holds exactly one EC key (the usual case).
    let ca_curves: Vec<Curve> = dg14
        .iter()
        .flat_map(|d| d.security_infos.chip_authentication_public_keys())
        .filter_map(|k| k.ec_public_key().ok().map(|p| p.curve()))
        .collect();
    let chip_authentication = dg14
        .iter()
        .flat_map(|d| d.security_infos.chip_authentication_infos())
        .map(|c| match ca_curves.as_slice() {
            [curve] if c.protocol.key_agreement == KeyAgreement::Ecdh => {
                format!("{} ({})", ca_name(c.protocol), curve_name(*curve))
            }
            _ => ca_name(c.protocol),
        })
        .collect();
    let aa_signature = dg14
        .as_ref()
        .and_then(|d| d.security_infos.active_authentication())
        .map(|a| aa_signature_name(&a.signature_algorithm));
    let aa_key = doc.dg15().and_then(Result::ok).map(|k| match k.key() {
        cccd::lds::dg15::AaPublicKey::Rsa { modulus, .. } => {
            format!("RSA-{} key (ISO 9796-2)", modulus.len() * 8)
        }
        cccd::lds::dg15::AaPublicKey::Ec { curve, .. } => match curve.named() {
            Some(named) => format!("EC {} key", curve_name(named)),
            None => "EC key (unknown curve)".to_owned(),
        },
    });
    let active_authentication = match (aa_signature, aa_key) {
        (Some(s), Some(k)) => Some(format!("{s}, {k}")),
        (None, Some(k)) => Some(k),
        (Some(s), None) => Some(format!("{s} (no DG15 read)")),
        (None, None) => None,
    };
    ChipView {
        pace,
        chip_authentication,
        active_authentication,
    }
}

/// The validity of a document signer certificate (DER).
pub fn signer_validity(der: &[u8]) -> Option<SignerValidity> {
    let cert = cccd::pki::SignerCertificate::from_der(der).ok()?;
    let (not_before, not_after) = (cert.not_before?, cert.not_after?);
    let rfc3339 = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    let now = time::OffsetDateTime::now_utc();
    Some(SignerValidity {
        not_before: rfc3339(not_before),
        not_after: rfc3339(not_after),
        valid_now: not_before <= now && now <= not_after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_names_follow_bsi_tr_03110() {
        let p = PaceProtocol {
            mapping: Mapping::Generic,
            key_agreement: KeyAgreement::Ecdh,
            cipher: Cipher::Aes128,
        };
        assert_eq!(pace_name(p), "id-PACE-ECDH-GM-AES-CBC-CMAC-128");
        let c = CaProtocol {
            key_agreement: KeyAgreement::Dh,
            cipher: Cipher::TripleDes,
        };
        assert_eq!(ca_name(c), "id-CA-DH-3DES-CBC-CBC");
        assert_eq!(
            aa_signature_name("0.4.0.127.0.7.1.1.4.1.3"),
            "ecdsa-plain-SHA256"
        );
        assert_eq!(aa_signature_name("1.2.3"), "1.2.3");
        assert_eq!(curve_name(Curve::BrainpoolP384r1), "brainpoolP384r1");
        assert_eq!(curve_name(Curve::NistP256), "P-256 (secp256r1)");
        assert_eq!(curve_name(Curve::NistP521), "P-521 (secp521r1)");
    }
}
