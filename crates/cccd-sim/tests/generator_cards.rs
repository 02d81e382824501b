//! The committed sample cards are what the manifest says they are: every file of a valid card
//! parses with the `lds` parsers and its hash is in the SOD; each broken card is broken exactly
//! where the manifest says; the MRZ, DG13, ID number, CAN, QR text and QR picture agree; the
//! secrets hold the private keys of DG14/DG15 (except on the cloned chip).

use cccd::document::Document;
use cccd::lds::DataGroup;
use cccd::lds::dg2::ImageFormat;
use cccd::mrz::Mrz;
use cccd_testkit::{CardEntry, manifest, testdata};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
use std::path::Path;
use time::Date;

fn iso(text: &str) -> Date {
    Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .expect("ISO date")
}

fn failing(card: &CardEntry) -> Vec<String> {
    card.failing_checks.clone()
}

/// The data groups a card's EF.COM lists, by its manifest entry: a real card's list (with
/// DG3, in a real card's order) unless the card keeps the legacy layout; no DG2 on a card
/// without a face.
fn com_groups(card: &CardEntry) -> Vec<DataGroup> {
    let legacy = card.dg13_layout.as_str() == "legacy-utf8";
    let face = card.face_format.as_str() != "none";
    let all: &[DataGroup] = if legacy {
        &[
            DataGroup::Dg1,
            DataGroup::Dg2,
            DataGroup::Dg13,
            DataGroup::Dg14,
            DataGroup::Dg15,
        ]
    } else {
        &[
            DataGroup::Dg1,
            DataGroup::Dg2,
            DataGroup::Dg3,
            DataGroup::Dg13,
            DataGroup::Dg15,
            DataGroup::Dg14,
        ]
    };
    all.iter()
        .copied()
        .filter(|dg| face || *dg != DataGroup::Dg2)
        .collect()
}

#[test]
fn manifest_lists_the_expected_cards() {
    let m = manifest();
    let cards = &m.cards;
    assert_eq!(cards.len(), 26);
    let verified = cards
        .iter()
        .filter(|c| c.expected_verdict.as_str() == "verified")
        .count();
    assert_eq!(verified, 11);
    // Every DSC algorithm signs at least one valid card.
    for alg in [
        "RSASSA-PSS",
        "sha256WithRSAEncryption",
        "P-256",
        "brainpoolP384r1",
    ] {
        assert!(
            cards
                .iter()
                .any(|c| c.expected_verdict.as_str() == "verified"
                    && c.dsc_algorithm.as_str().contains(alg)),
            "no valid card signed with {alg}"
        );
    }
    for check in [
        "dg.hash.DG1",
        "dg.hash.DG2",
        "dg.hash.DG13",
        "dg.hash.DG14",
        "dg.hash.DG15",
        "sod.signature",
        "sod.message_digest",
        "sod.chain",
        "chip.authentication",
        "mrz.check_digits",
        "dg1.matches.dg13",
    ] {
        assert!(
            cards.iter().any(|c| failing(c).iter().any(|f| f == check)),
            "no card fails {check}"
        );
    }
    for c in cards {
        let verdict = c.expected_verdict.as_str();
        assert_eq!(
            verdict == "verified",
            failing(c).is_empty(),
            "{}",
            c.dir.as_str()
        );
        assert!(testdata().join(c.dir.as_str()).join("card.json").is_file());
    }
}

#[test]
fn files_parse_and_hashes_match_the_sod() {
    let m = manifest();
    for card in &m.cards {
        let dir = card.dir.as_str();
        let fails = failing(card);
        let doc = Document::load(testdata().join(dir)).expect("dump loads");
        let sod = doc.sod().expect("EF.SOD present").expect("EF.SOD parses");
        let com = doc.com().expect("EF.COM").expect("EF.COM parses");
        let groups = com_groups(card);
        assert_eq!(com.data_groups, groups, "{dir}");
        let listed: Vec<String> = card.ef_com_data_groups.clone();
        let want: Vec<String> = groups.iter().map(ToString::to_string).collect();
        assert_eq!(listed, want, "{dir}: manifest EF.COM");
        let hash = sod.lds_security_object.hash().expect("hash algorithm");
        // DG3 is EAC-protected: never in a dump, but hashed in the SOD when EF.COM lists it.
        assert!(doc.dg(DataGroup::Dg3).is_none(), "{dir}");
        assert_eq!(
            sod.lds_security_object.hash_of(DataGroup::Dg3).is_some(),
            groups.contains(&DataGroup::Dg3),
            "{dir}: DG3 hash"
        );
        for dg in groups.into_iter().filter(|dg| *dg != DataGroup::Dg3) {
            let bytes = doc.dg(dg).expect("data group present");
            let expected = sod.lds_security_object.hash_of(dg);
            let matches = expected == Some(hash.digest(bytes).as_slice());
            let must_fail = fails.iter().any(|f| *f == format!("dg.hash.{dg}"));
            assert_eq!(matches, !must_fail, "{dir}: hash of {dg}");
            if must_fail && dg == DataGroup::Dg13 && dir.contains("truncated") {
                assert!(
                    doc.dg13().expect("DG13").is_err(),
                    "{dir}: truncated DG13 must not parse"
                );
            }
        }
        doc.dg1().expect("DG1").expect("DG1 parses");
        if card.face_format.as_str() == "none" {
            assert!(
                doc.dg2().is_none(),
                "{dir}: a card without a face has no DG2"
            );
            assert_eq!(
                sod.lds_security_object.hash_of(DataGroup::Dg2),
                None,
                "{dir}"
            );
        } else {
            check_face(&doc, card);
        }
        doc.dg14().expect("DG14").expect("DG14 parses");
        doc.dg15().expect("DG15").expect("DG15 parses");
        if !dir.contains("truncated") {
            doc.dg13().expect("DG13").expect("DG13 parses");
        }
        let access = doc
            .get(cccd::lds::FileId::CardAccess)
            .expect("EF.CardAccess");
        assert_eq!(access.len(), 54);
    }
}

fn check_face(doc: &Document, card: &CardEntry) {
    let dir = card.dir.as_str();
    let dg2 = doc.dg2().expect("DG2").expect("DG2 parses");
    let face = dg2.first_image().expect("a face");
    let want = if card.face_format.as_str() == "jpeg" {
        ImageFormat::Jpeg
    } else {
        ImageFormat::Jpeg2000
    };
    assert_eq!(face.format(), want, "{dir}");
    assert!(
        (12_000..=22_000).contains(&face.image.len()),
        "{dir}: face of {} bytes",
        face.image.len()
    );
}

#[test]
fn mrz_dg13_id_number_and_qr_agree_with_the_manifest() {
    let m = manifest();
    let today = iso("2025-06-01");
    for card in &m.cards {
        let dir = card.dir.as_str();
        let fails = failing(card);
        let id = card.id_number.as_str();
        let dob = iso(card.dob.as_str());
        let sex = if card.sex.as_str() == "M" {
            cccd_qr::Sex::Male
        } else {
            cccd_qr::Sex::Female
        };
        // The ID number is consistent with birth year and sex (century/sex digit).
        let parsed = cccd_qr::IdNumber::parse(id).expect("12-digit ID");
        parsed
            .consistent_with(dob, sex)
            .expect("ID agrees with DOB and sex");
        assert_eq!(card.can.as_str(), &id[6..]);

        let doc = Document::load(testdata().join(dir)).expect("dump");
        let dg1 = doc.dg1().expect("DG1").expect("DG1");
        let mrz_text = dg1.lines().join("\n");
        // The manifest's MRZ is the one printed on the card (and signed); DG1 altered after
        // signing differs from it.
        let dg1_altered = fails.iter().any(|f| f == "dg.hash.DG1");
        assert_eq!(mrz_text == card.mrz.as_str(), !dg1_altered, "{dir}");
        let mrz = Mrz::parse(&mrz_text).expect("MRZ shape");
        let digits_ok = mrz.checks.all_valid();
        assert_eq!(
            digits_ok,
            !fails.iter().any(|f| f == "mrz.check_digits"),
            "{dir}"
        );
        assert_eq!(mrz.vn_id_number.as_deref(), Some(id), "{dir}");
        assert_eq!(mrz.document_number, id[3..], "{dir}");
        // The expiry in the MRZ is one of the candidates the reader will try.
        let cands = cccd::mrz::expiry::candidates(dob, today);
        assert!(
            cands.iter().any(|c| c.encoding == mrz.date_of_expiry),
            "{dir}: expiry {} not among the candidates",
            mrz.date_of_expiry
        );
        match card.date_of_expiry.as_deref() {
            Some(e) => {
                let e = iso(e);
                let yymmdd = format!(
                    "{:02}{:02}{:02}",
                    e.year() % 100,
                    u8::from(e.month()),
                    e.day()
                );
                assert_eq!(mrz.date_of_expiry, yymmdd, "{dir}");
            }
            None => assert_eq!(mrz.date_of_expiry, "991231", "{dir}"),
        }

        if !dir.contains("truncated") {
            let g = doc.dg13().expect("DG13").expect("DG13");
            assert_eq!(g.id_number.as_ref().map(|f| f.value().as_str()), Some(id));
            assert_eq!(
                g.full_name.as_ref().map(|f| f.value().as_str()),
                Some(card.name.as_str())
            );
            let dg13_dob = g.date_of_birth.as_ref().and_then(|f| *f.value());
            let mismatch = fails.iter().any(|f| f == "dg1.matches.dg13");
            assert_eq!(dg13_dob == Some(dob), !mismatch, "{dir}");
        }

        // QR text parses and agrees; the QR picture decodes to the same text.
        let qr_text = card.qr_text.as_str();
        let qr = cccd_qr::parse(qr_text).expect("QR text parses");
        assert_eq!(qr.id_number().as_str(), id);
        assert_eq!(qr.full_name(), card.name.as_str());
        assert_eq!(qr.date_of_birth(), dob);
        assert_eq!(qr.sex(), sex);
        let decoded = cccd_qr::decode_image_file(testdata().join(card.qr_png.as_str()))
            .expect("QR PNG decodes");
        assert_eq!(decoded, vec![qr_text.to_owned()], "{dir}");
    }
}

fn ca_public_point(doc: &Document) -> Vec<u8> {
    let dg14 = doc.dg14().expect("DG14").expect("DG14");
    dg14.security_infos
        .chip_authentication_public_keys()
        .find_map(|k| k.ec_public_key().ok())
        .expect("CA public key")
        .to_uncompressed()
        .expect("point encodes")
}

#[test]
fn secrets_hold_the_chip_keys_except_on_the_cloned_chip() {
    use rsa::signature::Verifier;
    let m = manifest();
    let mut aa_records = 0;
    for card in &m.cards {
        let dir = card.dir.as_str();
        let cloned = failing(card).iter().any(|f| f == "chip.authentication");
        // DG14/DG15 swapped for another key after signing (not b11, whose DG15 is genuine
        // but unhashed).
        let altered_14 = dir.contains("altered-dg14");
        let altered_15 = dir.contains("altered-dg15");
        let altered_14_15 = altered_14 || altered_15;
        let secrets = testdata().join(card.secrets_dir.as_str());
        let doc = Document::load(testdata().join(dir)).expect("dump");
        let ca_pem = std::fs::read_to_string(secrets.join("ca-private.pem")).expect("CA key");
        let ca = ecdsa::SigningKey::<bp256::BrainpoolP256r1>::from_pkcs8_pem(&ca_pem)
            .expect("bp256 key");
        let ca_point = ca.verifying_key().to_sec1_point(false).as_bytes().to_vec();
        let aa_pem = std::fs::read_to_string(secrets.join("aa-private.pem")).expect("AA key");
        let aa_spki = if card.aa_key.as_str() == "rsa-1024" {
            let k = rsa::PrivateKey::from_pkcs8_pem(&aa_pem).expect("RSA key");
            assert_eq!(rsa::traits::PublicKeyParts::size(&k), 128);
            k.to_public_key()
                .to_public_key_der()
                .expect("spki")
                .as_bytes()
                .to_vec()
        } else {
            let k = p256::ecdsa::SigningKey::from_pkcs8_pem(&aa_pem).expect("P-256 key");
            k.verifying_key()
                .to_public_key_der()
                .expect("spki")
                .as_bytes()
                .to_vec()
        };
        let dg15 = doc.dg15().expect("DG15").expect("DG15");
        let genuine = !cloned && !altered_14_15;
        if genuine {
            assert_eq!(
                ca_public_point(&doc),
                ca_point,
                "{dir}: DG14 key is not the chip's"
            );
            assert_eq!(
                dg15.spki_der(),
                aa_spki.as_slice(),
                "{dir}: DG15 key is not the chip's"
            );
        }
        if cloned {
            assert_ne!(ca_public_point(&doc), ca_point);
            assert_ne!(dg15.spki_der(), aa_spki.as_slice());
        }
        let mrz = std::fs::read_to_string(secrets.join("mrz.txt")).expect("mrz");
        assert_eq!(mrz.trim_end(), card.mrz.as_str());
        let can = std::fs::read_to_string(secrets.join("can.txt")).expect("can");
        assert_eq!(can.trim_end(), card.can.as_str());

        // The recorded AA exchange verifies with DG15 unless the chip is a clone (or DG15 was
        // swapped).
        let aa = doc.meta.active_authentication.as_ref().expect("AA record");
        let challenge = hex(&aa.challenge);
        assert_eq!(challenge.len(), 8);
        let response = hex(&aa.response);
        let aa_ok = if card.aa_key.as_str() == "rsa-1024" {
            rsa_aa_verifies(dg15.spki_der(), &challenge, &response)
        } else {
            let vk =
                p256::ecdsa::VerifyingKey::from_public_key_der(dg15.spki_der()).expect("EC DG15");
            let sig = p256::ecdsa::Signature::from_slice(&response).expect("r||s");
            vk.verify(&challenge, &sig).is_ok()
        };
        assert_eq!(aa_ok, !cloned && !altered_15, "{dir}: AA record");
        aa_records += 1;
        let ca_record = doc.meta.chip_authentication.as_ref().expect("CA record");
        assert_eq!(ca_record.passed, !cloned, "{dir}");
    }
    assert_eq!(aa_records, 26);
}

/// ISO 9796-2 scheme 1 (ICAO 9303-11 6.1) recovery: `s^e mod n` must be
/// `6A || M1 || SHA-1(M1 || challenge) || BC`.
fn rsa_aa_verifies(spki: &[u8], challenge: &[u8], signature: &[u8]) -> bool {
    use rsa::traits::PublicKeyParts;
    use sha1::Digest;
    let key = rsa::PublicKey::from_public_key_der(spki).expect("RSA DG15");
    let n = key.n().as_ref();
    let s = rsa::BoxedUint::from_be_slice(signature, n.bits_precision()).expect("signature");
    let Ok(m) = rsa::hazmat::rsa_encrypt(&key, &s) else {
        return false;
    };
    let m = m.to_be_bytes();
    let m = &m[m.len() - key.size()..];
    if m[0] != 0x6A || m[m.len() - 1] != 0xBC {
        return false;
    }
    let (m1, digest) = m[1..m.len() - 1].split_at(m.len() - 2 - 20);
    let mut h = sha1::Sha1::new();
    h.update(m1);
    h.update(challenge);
    h.finalize().as_slice() == digest
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn testdata_stays_small() {
    fn size(p: &Path) -> u64 {
        std::fs::read_dir(p)
            .expect("dir")
            .map(|e| {
                let path = e.expect("entry").path();
                if path.is_dir() {
                    size(&path)
                } else {
                    std::fs::metadata(&path).expect("meta").len()
                }
            })
            .sum()
    }
    let total = size(&testdata());
    assert!(total < 2_000_000, "testdata is {total} bytes");
}
