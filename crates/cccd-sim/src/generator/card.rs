//! One sample card: its chip files, signed EF.SOD, the fault it carries, its dump folder and
//! its `secrets/` (the chip's private keys, MRZ and CAN, so the virtual chip can serve it).

use super::GenError;
use super::keys::{KeyKind, PrivateKey, rng_for};
use super::persona::{Derived, Persona};
use super::spec::{AaKind, CardSpec, Fault};
use super::testpki::{DscId, TestPki};
use cccd::crypto::Cipher;
use cccd::document::Document;
use cccd::lds::card_security::CardSecurity;
use cccd::lds::com::Com;
use cccd::lds::dg1::Dg1;
use cccd::lds::dg2::{Dg2, FaceImage};
use cccd::lds::dg14::Dg14;
use cccd::lds::dg15::Dg15;
use cccd::lds::security_infos::{
    ActiveAuthenticationInfo, CaProtocol, ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo,
    KeyAgreement, SecurityInfo, SecurityInfos, TerminalAuthenticationInfo,
};
use cccd::lds::sod::Sod;
use cccd::lds::sod_builder::{DocumentSignerKey, SodBuilder};
use cccd::lds::{DataGroup, FileId};
use cccd::pki::signature::oid::ECDSA_PLAIN_SHA256;
use std::fs;
use std::path::Path;

/// EF.CardAccess as read from the cards (CARD-FACTS, "cccd-2021 profile").
pub const CARD_ACCESS_HEX: &str = "3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d";

/// What the generator learnt while building a card (for the manifest).
#[derive(Debug, Clone)]
pub struct BuiltCard {
    /// The MRZ as written into DG1 (after any MRZ fault).
    pub mrz: String,
    /// The AA challenge recorded in card.json (hex): the one "the verifier issued" when a
    /// test verifies the dump with `--aa-challenge`.
    pub aa_challenge: Option<String>,
    /// The data groups EF.COM lists.
    pub com_data_groups: Vec<DataGroup>,
}

fn enc_err(e: &dyn std::fmt::Display) -> GenError {
    GenError::Data(format!("encoding: {e}"))
}

fn dsc_key(key: &PrivateKey, id: DscId) -> Result<DocumentSignerKey, GenError> {
    Ok(match (key, id) {
        (PrivateKey::Rsa(k), DscId::RsaPss) => DocumentSignerKey::RsaPssSha256(k.clone()),
        (PrivateKey::Rsa(k), _) => DocumentSignerKey::RsaPkcs1v15Sha256(k.clone()),
        (PrivateKey::P256(k), _) => DocumentSignerKey::EcdsaP256(k.clone()),
        (PrivateKey::BrainpoolP384(k), _) => DocumentSignerKey::EcdsaBrainpoolP384(k.clone()),
        (PrivateKey::BrainpoolP256(_), _) => {
            return Err(GenError::Data("no brainpoolP256r1 document signer".into()));
        }
    })
}

/// Replace the only occurrence of `old` in `bytes` by `new` (same length).
fn splice(bytes: &mut [u8], old: &[u8], new: &[u8]) -> Result<(), GenError> {
    let pos = bytes
        .windows(old.len())
        .position(|w| w == old)
        .ok_or_else(|| GenError::Data("value to replace not found".into()))?;
    if old.len() != new.len() {
        return Err(GenError::Data("replacement has a different length".into()));
    }
    bytes
        .get_mut(pos..pos + old.len())
        .ok_or_else(|| GenError::Data("replacement out of range".into()))?
        .copy_from_slice(new);
    Ok(())
}

/// Re-sign an RSA SOD in place: sign its signed attributes again (PSS with a seeded salt, so
/// the output is deterministic; SodBuilder salts PSS from the OS) and splice the signature
/// over the old one (RSA signatures have the modulus length, so nothing else moves).
fn resign_rsa(
    sod: &mut [u8],
    key: &DocumentSignerKey,
    seed: u64,
    label: &str,
) -> Result<(), GenError> {
    use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};
    // EF.SOD, or EF.CardSecurity (a bare ContentInfo).
    let signed_data = match Sod::parse(sod) {
        Ok(parsed) => parsed.signed_data,
        Err(e) => {
            CardSecurity::parse(sod)
                .map_err(|_| enc_err(&e))?
                .signed_data
        }
    };
    let signer = signed_data
        .signer_infos
        .first()
        .ok_or_else(|| GenError::Data("SOD without signer".into()))?;
    let attrs = signer
        .signed_attrs
        .as_ref()
        .ok_or_else(|| GenError::Data("SOD without signed attributes".into()))?;
    let message = attrs.der_for_signature.clone();
    let old = signer.signature.clone();
    let new = match key {
        DocumentSignerKey::RsaPssSha256(k) => {
            let sk = rsa::pss::SigningKey::<sha2::Sha256>::new_with_salt_len(k.clone(), 32);
            let mut rng = rng_for(seed, &format!("pss-salt/{label}"));
            sk.try_sign_with_rng(&mut rng, &message)
                .map_err(|e| enc_err(&e))?
                .to_vec()
        }
        DocumentSignerKey::RsaPkcs1v15Sha256(k) => {
            let sk = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k.clone());
            sk.try_sign(&message).map_err(|e| enc_err(&e))?.to_vec()
        }
        _ => {
            return Err(GenError::Data(
                "re-signing needs an RSA document signer".into(),
            ));
        }
    };
    splice(sod, &old, &new)
}

/// The chip's keys: (AA key, CA key), for `label` (the card folder, or a clone's).
fn chip_keys(seed: u64, label: &str, aa: AaKind) -> Result<(PrivateKey, PrivateKey), GenError> {
    let aa_key = PrivateKey::generate(
        seed,
        &format!("chip-aa/{label}"),
        match aa {
            AaKind::Rsa1024 => KeyKind::Rsa(1024),
            AaKind::EcP256 => KeyKind::P256,
        },
    )?;
    let ca_key = PrivateKey::generate(seed, &format!("chip-ca/{label}"), KeyKind::BrainpoolP256)?;
    Ok((aa_key, ca_key))
}

fn dg14(ca_key: &PrivateKey, aa: AaKind) -> Result<Vec<u8>, GenError> {
    let mut infos = vec![
        SecurityInfo::TerminalAuthentication(TerminalAuthenticationInfo {
            version: 1,
            ef_cvca: None,
        }),
        SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
            protocol: CaProtocol {
                key_agreement: KeyAgreement::Ecdh,
                cipher: Cipher::Aes128,
            },
            version: 1,
            key_id: None,
        }),
        SecurityInfo::ChipAuthenticationPublicKey(ChipAuthenticationPublicKeyInfo {
            key_agreement: KeyAgreement::Ecdh,
            public_key_info: ca_key.spki_der()?,
            key_id: None,
        }),
    ];
    if aa == AaKind::EcP256 {
        infos.push(SecurityInfo::ActiveAuthentication(
            ActiveAuthenticationInfo {
                version: 1,
                signature_algorithm: ECDSA_PLAIN_SHA256.to_string(),
            },
        ));
    }
    Ok(Dg14 {
        security_infos: SecurityInfos { infos },
    }
    .encode())
}

/// EF.CardSecurity: EF.CardAccess's PACEInfos and DG14's SecurityInfos (the chip
/// authentication key as issued), signed by the card's document signer like EF.SOD (ICAO
/// 9303-11 §9.2.2). Served from the master file; a reader reads it after PACE-CAM.
fn card_security(
    dg14: &[u8],
    builder: &SodBuilder,
    dsc_der: &[u8],
    key: &DocumentSignerKey,
    seed: u64,
    dir: &str,
) -> Result<Vec<u8>, GenError> {
    let mut infos = SecurityInfos::parse(&hex(CARD_ACCESS_HEX)?)
        .map_err(|e| enc_err(&e))?
        .infos;
    infos.extend(
        Dg14::parse(dg14)
            .map_err(|e| enc_err(&e))?
            .security_infos
            .infos,
    );
    let content = SecurityInfos { infos }.encode();
    let mut file = builder
        .build_card_security(&content, dsc_der, key)
        .map_err(|e| enc_err(&e))?;
    if matches!(key, DocumentSignerKey::RsaPssSha256(_)) {
        resign_rsa(&mut file, key, seed, &format!("{dir}/card-security"))?;
    }
    Ok(file)
}

fn signing_time(p: &Persona) -> String {
    format!(
        "{:02}{:02}{:02}080000Z",
        p.issued.year().rem_euclid(100),
        u8::from(p.issued.month()),
        p.issued.day()
    )
}

/// Build the chip files of `spec` and write `cards/<dir>` and `secrets/<dir>` under `out`.
#[allow(clippy::too_many_lines)]
pub fn build(
    seed: u64,
    spec: &CardSpec,
    persona: &Persona,
    derived: &Derived,
    face: &[u8],
    pki: &TestPki,
    out: &Path,
) -> Result<BuiltCard, GenError> {
    // DG1 (with the MRZ fault applied before signing).
    let mut lines = derived.mrz.clone();
    if spec.fault == Fault::MrzCheckDigit {
        // Line 1, column 15: the document number's check digit.
        let mut b = lines[0].clone().into_bytes();
        if let Some(c) = b.get_mut(14) {
            *c = b'0' + (*c - b'0' + 5) % 10;
        }
        lines[0] = String::from_utf8(b).map_err(|e| enc_err(&e))?;
    }
    let mrz = lines.join("\n");
    let mut dg1 = Dg1::from_mrz(&mrz).map_err(|e| enc_err(&e))?.encode();

    // DG2 (none for a Căn cước child under 6).
    let mut image = FaceImage::new(face.to_vec(), super::face::WIDTH, super::face::HEIGHT);
    image.gender = match persona.sex {
        super::persona::Sex::Male => 1,
        super::persona::Sex::Female => 2,
    };
    let mut dg2 = Dg2::with_image(image).encode();
    let has_dg2 = persona.has_photo();

    // DG3: fingerprints, EAC-protected, so no reader here ever sees its bytes; the SOD
    // hashes a placeholder so that it lists DG3 as a real card's does.
    let dg3 = spec
        .dg13
        .com_lists_dg3()
        .then(|| dg3_placeholder(seed, spec.dir));

    // DG13.
    let mut g13 = persona.dg13(derived, spec.dg13, seed);
    if spec.fault == Fault::Dg1Dg13Mismatch {
        let other = persona.dob.next_day().unwrap_or(persona.dob);
        g13.date_of_birth = Some(spec.dg13.date(other));
    }
    let mut dg13 = g13.encode();

    // DG14, DG15 from the chip's genuine keys.
    let (aa_key, ca_key) = chip_keys(seed, spec.dir, spec.aa)?;
    let mut dg14 = dg14(&ca_key, spec.aa)?;
    let mut dg15 = Dg15::from_spki(&aa_key.spki_der()?)
        .map_err(|e| enc_err(&e))?
        .encode();

    let com = Com {
        lds_version: "0107".into(),
        unicode_version: "040000".into(),
        data_groups: com_data_groups(spec.dg13, has_dg2),
        unknown_tags: Vec::new(),
    }
    .encode()
    .map_err(|e| enc_err(&e))?;

    // EF.SOD.
    let (_, dsc) = pki
        .dsc(spec.dsc)
        .ok_or_else(|| GenError::Data("DSC missing".into()))?;
    let key = dsc_key(&dsc.key, spec.dsc)?;
    let mut builder = SodBuilder::new().signing_time(&signing_time(persona));
    for (dg, bytes) in [
        (DataGroup::Dg1, Some(&dg1)),
        (DataGroup::Dg2, has_dg2.then_some(&dg2)),
        (DataGroup::Dg3, dg3.as_ref()),
        (DataGroup::Dg13, Some(&dg13)),
        (DataGroup::Dg14, Some(&dg14)),
        (DataGroup::Dg15, Some(&dg15)),
    ] {
        if let Some(bytes) = bytes
            && spec.fault != Fault::MissingHash(dg)
        {
            builder = builder.data_group(dg, bytes);
        }
    }
    let mut sod = builder.build(&dsc.cert, &key).map_err(|e| enc_err(&e))?;
    if matches!(key, DocumentSignerKey::RsaPssSha256(_)) {
        resign_rsa(&mut sod, &key, seed, spec.dir)?;
    }
    let card_security = card_security(&dg14, &builder, &dsc.cert, &key, seed, spec.dir)?;

    // Faults applied after signing.
    match spec.fault {
        Fault::Altered(DataGroup::Dg1) => {
            // Change the last letter of the name in line 3 (check digits do not cover it).
            let pos = dg1
                .iter()
                .rposition(u8::is_ascii_uppercase)
                .ok_or_else(|| GenError::Data("no letter in DG1".into()))?;
            if let Some(c) = dg1.get_mut(pos) {
                *c = if *c == b'Z' { b'A' } else { *c + 1 };
            }
        }
        Fault::Altered(DataGroup::Dg2) => {
            // One bit in the middle of the compressed image data.
            let mid = dg2.len() / 2;
            if let Some(b) = dg2.get_mut(mid) {
                *b ^= 0x01;
            }
        }
        Fault::Altered(DataGroup::Dg13) => {
            // The first digit of the residence (a house number) goes up by one.
            let res = persona.residence.as_bytes();
            let start = dg13
                .windows(res.len())
                .position(|w| w == res)
                .ok_or_else(|| GenError::Data("residence not found in DG13".into()))?;
            let digit = res
                .iter()
                .position(u8::is_ascii_digit)
                .ok_or_else(|| GenError::Data("residence without a digit".into()))?;
            if let Some(c) = dg13.get_mut(start + digit) {
                *c = b'0' + (*c - b'0' + 1) % 10;
            }
        }
        Fault::Altered(DataGroup::Dg14) => {
            // Another chip-authentication key: a cloner's own key in a copied DG14.
            let (_, other) = chip_keys(seed, &format!("{}/swapped", spec.dir), spec.aa)?;
            dg14 = self::dg14(&other, spec.aa)?;
        }
        Fault::Altered(DataGroup::Dg15) => {
            let (other, _) = chip_keys(seed, &format!("{}/swapped", spec.dir), spec.aa)?;
            dg15 = Dg15::from_spki(&other.spki_der()?)
                .map_err(|e| enc_err(&e))?
                .encode();
        }
        Fault::BadSignature => {
            let parsed = Sod::parse(&sod).map_err(|e| enc_err(&e))?;
            let old = parsed
                .signed_data
                .signer_infos
                .first()
                .map(|s| s.signature.clone())
                .unwrap_or_default();
            let mut new = old.clone();
            if let Some(b) = new.get_mut(old.len() / 2) {
                *b ^= 0x5A;
            }
            splice(&mut sod, &old, &new)?;
        }
        Fault::WrongMessageDigest => {
            let parsed = Sod::parse(&sod).map_err(|e| enc_err(&e))?;
            let old = parsed
                .signed_data
                .signer_infos
                .first()
                .and_then(|s| s.signed_attrs.as_ref())
                .and_then(|a| a.message_digest())
                .map(<[u8]>::to_vec)
                .ok_or_else(|| GenError::Data("no messageDigest".into()))?;
            let mut new = old.clone();
            if let Some(b) = new.last_mut() {
                *b ^= 0xFF;
            }
            splice(&mut sod, &old, &new)?;
            resign_rsa(&mut sod, &key, seed, spec.dir)?;
        }
        Fault::TruncatedDg13 => {
            dg13.truncate(dg13.len() * 3 / 5);
        }
        _ => {}
    }

    // The chip's keys as the (virtual) chip holds them: a clone has other ones.
    let (chip_aa, chip_ca) = if spec.fault == Fault::ClonedChip {
        chip_keys(seed, &format!("{}/clone", spec.dir), spec.aa)?
    } else {
        (aa_key, ca_key)
    };

    let mut doc = Document::new();
    doc.insert(FileId::Com, com);
    doc.insert(FileId::Sod, sod);
    doc.insert(FileId::CardAccess, hex(CARD_ACCESS_HEX)?);
    doc.insert(FileId::CardSecurity, card_security);
    doc.insert(FileId::Dg(DataGroup::Dg1), dg1);
    if has_dg2 {
        doc.insert(FileId::Dg(DataGroup::Dg2), dg2);
    }
    doc.insert(FileId::Dg(DataGroup::Dg13), dg13);
    doc.insert(FileId::Dg(DataGroup::Dg14), dg14);
    doc.insert(FileId::Dg(DataGroup::Dg15), dg15);
    doc.meta = super::meta::read_meta(seed, spec, &chip_aa)?;
    let cards = out.join("cards");
    fs::create_dir_all(&cards).map_err(|e| GenError::io(&cards, &e))?;
    let card_dir = cards.join(spec.dir);
    doc.save(&card_dir)
        .map_err(|e| GenError::Data(format!("saving the dump: {e}")))?;

    write_secrets(out, spec.dir, &chip_aa, &chip_ca, &mrz, &derived.can)?;
    let aa_challenge = doc
        .meta
        .active_authentication
        .as_ref()
        .map(|r| r.challenge.clone());
    Ok(BuiltCard {
        mrz,
        aa_challenge,
        com_data_groups: com_data_groups(spec.dg13, has_dg2),
    })
}

/// EF.COM's data groups: a real card's order (DG1, DG2, DG3, DG13, DG15, DG14), or the
/// legacy list without DG3. DG2 is left out on a card without a face.
fn com_data_groups(layout: super::persona::Dg13Layout, has_dg2: bool) -> Vec<DataGroup> {
    let all = if layout.com_lists_dg3() {
        vec![
            DataGroup::Dg1,
            DataGroup::Dg2,
            DataGroup::Dg3,
            DataGroup::Dg13,
            DataGroup::Dg15,
            DataGroup::Dg14,
        ]
    } else {
        vec![
            DataGroup::Dg1,
            DataGroup::Dg2,
            DataGroup::Dg13,
            DataGroup::Dg14,
            DataGroup::Dg15,
        ]
    };
    all.into_iter()
        .filter(|dg| has_dg2 || *dg != DataGroup::Dg2)
        .collect()
}

/// The DG3 bytes the SOD hashes: tag 63 around seeded bytes (never served: DG3 answers 6982).
fn dg3_placeholder(seed: u64, dir: &str) -> Vec<u8> {
    cccd::tlv::encode(
        cccd::tlv::Tag::new(0x63),
        &super::keys::random_bytes(seed, &format!("dg3/{dir}"), 64),
    )
}

fn write_secrets(
    out: &Path,
    dir: &str,
    aa: &PrivateKey,
    ca: &PrivateKey,
    mrz: &str,
    can: &str,
) -> Result<(), GenError> {
    let sdir = out.join("secrets").join(dir);
    fs::create_dir_all(&sdir).map_err(|e| GenError::io(&sdir, &e))?;
    for (name, text) in [
        ("aa-private.pem", aa.to_pem()?),
        ("ca-private.pem", ca.to_pem()?),
        ("mrz.txt", format!("{mrz}\n")),
        ("can.txt", format!("{can}\n")),
    ] {
        let p = sdir.join(name);
        fs::write(&p, text).map_err(|e| GenError::io(&p, &e))?;
    }
    Ok(())
}

fn hex(s: &str) -> Result<Vec<u8>, GenError> {
    cccd::hex::decode(s, usize::MAX).ok_or_else(|| GenError::Data("bad hex constant".into()))
}
