//! `manifest.json`, the READMEs and the QR pictures: what each sample is and the verdict it
//! must get.

use super::card::BuiltCard;
use super::persona::{Derived, Dg13Layout, FaceFormat, Generation, Persona};
use super::spec::{AaKind, CardSpec, Fault};
use super::testpki::{CRL_FILE, CSCAS, CscaId, DSCS, DscId};
use super::{CARDS, GenError};
use crate::manifest::{CardEntry, CscaEntry, DocumentSignerEntry, Manifest};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// What was generated.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Number of card folders.
    pub cards: usize,
    /// Number of personas.
    pub personas: usize,
}

/// The verdict a card must get, and why.
#[derive(Debug, Clone)]
pub struct Expectation {
    /// With the test CSCAs (and the CRL) as trust anchors, the chip's genuineness proven to
    /// the verifier: read live from the virtual chip, or the dump verified with its recorded
    /// AA challenge given as the verifier's own (`--aa-challenge`).
    pub verdict: &'static str,
    /// The dump alone, with the trust anchors but nothing proving the chip genuine to the
    /// verifier (no `--aa-challenge`, card.json not trusted).
    pub verdict_dump_alone: &'static str,
    /// The checks that must fail.
    pub failing: Vec<String>,
    /// With no trust anchors at all.
    pub verdict_without_anchors: &'static str,
    /// What is broken, in words.
    pub broken: String,
    /// Whether the CRL must be loaded for the verdict.
    pub requires_crl: bool,
}

/// The expectation for `spec`.
pub fn expectation(spec: &CardSpec) -> Expectation {
    let chain = |broken: &str, crl: bool| Expectation {
        verdict: "not_verified",
        verdict_dump_alone: "not_verified",
        failing: vec!["sod.chain".into()],
        verdict_without_anchors: "inconclusive",
        broken: broken.into(),
        requires_crl: crl,
    };
    match spec.dsc {
        DscId::Unrelated => {
            return chain(
                "DSC issued by a CSCA that is not a trust anchor (csca-unrelated)",
                false,
            );
        }
        DscId::Expired => {
            // The signingTime after the signer's expiry fails on its own, anchors or not.
            return Expectation {
                failing: vec!["sod.chain".into(), "sod.signing_time".into()],
                verdict_without_anchors: "not_verified",
                ..chain(
                    "DSC expired 2025-03-01; the SOD was signed after that (2025-04-10)",
                    false,
                )
            };
        }
        DscId::Revoked => {
            return chain(
                "DSC revoked 2025-02-01 by the CSCA's CRL (pki/csca-ec.crl.pem)",
                true,
            );
        }
        _ => {}
    }
    let fail = |check: String, broken: String| Expectation {
        verdict: "not_verified",
        verdict_dump_alone: "not_verified",
        failing: vec![check],
        verdict_without_anchors: "not_verified",
        broken,
        requires_crl: false,
    };
    match spec.fault {
        Fault::None => Expectation {
            verdict: "verified",
            verdict_dump_alone: "inconclusive",
            failing: Vec::new(),
            verdict_without_anchors: "inconclusive",
            broken: "nothing".into(),
            requires_crl: false,
        },
        Fault::Altered(dg) => fail(
            format!("dg.hash.{dg}"),
            format!("{dg} changed after signing"),
        ),
        Fault::BadSignature => fail(
            "sod.signature".into(),
            "one byte of the SOD signature flipped".into(),
        ),
        Fault::WrongMessageDigest => fail(
            "sod.message_digest".into(),
            "messageDigest signed attribute does not match the LDSSecurityObject (the attributes are validly signed)".into(),
        ),
        Fault::MissingHash(dg) => fail(
            format!("dg.hash.{dg}"),
            format!("{dg} present on the card but its hash is not in the SOD"),
        ),
        Fault::ClonedChip => fail(
            "chip.authentication".into(),
            "cloned chip: genuine DG14/DG15 and SOD, other private keys (secrets/); card.json records CA failed and an AA answer from the wrong key".into(),
        ),
        Fault::MrzCheckDigit => fail(
            "mrz.check_digits".into(),
            "document-number check digit wrong in DG1; SOD signed over it".into(),
        ),
        Fault::Dg1Dg13Mismatch => fail(
            "dg1.matches.dg13".into(),
            "DG13 date of birth is one day after DG1's; SOD signed over both".into(),
        ),
        Fault::TruncatedDg13 => fail(
            "dg.hash.DG13".into(),
            "DG13 cut to 60% of its length after signing (also fails to parse)".into(),
        ),
    }
}

fn iso(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Write `qr/<key>.png` for a persona's QR text.
pub fn write_qr(out: &Path, key: &str, text: &str) -> Result<(), GenError> {
    use image::ImageEncoder;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| GenError::Data(format!("QR code: {e}")))?;
    let img = code
        .render::<image::Luma<u8>>()
        .module_dimensions(4, 4)
        .quiet_zone(true)
        .build();
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::L8,
        )
        .map_err(|e| GenError::Data(format!("PNG encoding: {e}")))?;
    let dir = out.join("qr");
    fs::create_dir_all(&dir).map_err(|e| GenError::io(&dir, &e))?;
    let path = dir.join(format!("{key}.png"));
    fs::write(&path, png).map_err(|e| GenError::io(&path, &e))
}

fn write(path: &Path, text: &str) -> Result<(), GenError> {
    fs::write(path, text).map_err(|e| GenError::io(path, &e))
}

fn csca_of(dsc: DscId) -> (&'static str, bool) {
    let issuer = DSCS.iter().find(|d| d.id == dsc).map(|d| d.issuer);
    CSCAS
        .iter()
        .find(|c| Some(c.id) == issuer)
        .map_or(("?", false), |c| (c.file, c.trusted))
}

fn dsc_spec(dsc: DscId) -> (&'static str, &'static str) {
    DSCS.iter()
        .find(|d| d.id == dsc)
        .map_or(("?", "?"), |d| (d.file, d.algorithm))
}

/// The manifest entry of one built card.
fn card_entry(
    seed: u64,
    spec: &CardSpec,
    p: &Persona,
    d: &Derived,
    b: &BuiltCard,
    e: &Expectation,
) -> CardEntry {
    let (csca, trusted) = csca_of(spec.dsc);
    let (dsc, alg) = dsc_spec(spec.dsc);
    let can_cuoc = p.generation == Generation::CanCuoc2024;
    CardEntry {
        aa_challenge: b.aa_challenge.clone(),
        aa_key: match spec.aa {
            AaKind::Rsa1024 => "rsa-1024",
            AaKind::EcP256 => "ec-p256",
        }
        .to_owned(),
        broken: e.broken.clone(),
        can: d.can.clone(),
        csca: format!("pki/{csca}.crt.pem"),
        csca_is_trust_anchor: trusted,
        date_of_expiry: d.expiry.map(iso),
        date_of_issue: iso(p.issued),
        dg13_index_16: (spec.dg13 != Dg13Layout::Legacy).then(|| p.index16_code(seed)),
        dg13_layout: spec.dg13.as_str().to_owned(),
        dg13_previous_document_number: p.previous_document_number().map(str::to_owned),
        dir: format!("cards/{}", spec.dir),
        dob: iso(p.dob),
        dsc: format!("pki/{dsc}.crt.pem"),
        dsc_algorithm: alg.to_owned(),
        ef_com_data_groups: b.com_data_groups.iter().map(ToString::to_string).collect(),
        expected_verdict: e.verdict.to_owned(),
        expected_verdict_dump_alone: e.verdict_dump_alone.to_owned(),
        expected_verdict_without_trust_anchors: e.verdict_without_anchors.to_owned(),
        expiry_rule: p.rule.to_owned(),
        face_format: match p.face {
            _ if !p.has_photo() => "none",
            FaceFormat::Jpeg => "jpeg",
            FaceFormat::Jpeg2000 => "jpeg2000",
        }
        .to_owned(),
        failing_checks: e.failing.clone(),
        generation: p.generation.as_str().to_owned(),
        id_number: d.id_number.clone(),
        layout_is_assumption: can_cuoc,
        mrz: b.mrz.clone(),
        mrz_name: d.mrz_name.clone(),
        name: p.full_name.to_owned(),
        persona: p.key.to_owned(),
        qr_cancelled_id_numbers: if can_cuoc { p.cancelled_ids } else { &[] }
            .iter()
            .map(|id| (*id).to_owned())
            .collect(),
        qr_has_parents: can_cuoc && p.age_on(p.issued) < 14,
        qr_png: format!("qr/{}.png", p.key),
        qr_text: d.qr_text.clone(),
        requires_crl: e.requires_crl,
        secrets_dir: format!("secrets/{}", spec.dir),
        sex: p.sex.mrz_letter().to_string(),
        sex_vi: p.sex.card_text().to_owned(),
    }
}

/// Write `manifest.json`, `README.md`, `pki/README.md` and `secrets/README.md`.
#[allow(clippy::too_many_lines)]
pub fn write_all(
    seed: u64,
    out: &Path,
    people: &[Persona],
    derived: &[Derived],
    faces: &[Vec<u8>],
    built: &[BuiltCard],
) -> Result<Summary, GenError> {
    let mut cards = Vec::new();
    let mut table = String::new();
    for (spec, b) in CARDS.iter().zip(built) {
        let (Some(p), Some(d)) = (people.get(spec.persona), derived.get(spec.persona)) else {
            return Err(GenError::Data("persona index".into()));
        };
        let e = expectation(spec);
        let (csca, _) = csca_of(spec.dsc);
        let (_, alg) = dsc_spec(spec.dsc);
        cards.push(card_entry(seed, spec, p, d, b, &e));
        let _ = writeln!(
            table,
            "| `cards/{}` | {} ({}) | {} | {} | `{}` | {} | {} | {} | {} |",
            spec.dir,
            p.full_name,
            p.key,
            p.generation.as_str(),
            alg,
            csca,
            e.broken,
            e.verdict,
            if e.failing.is_empty() {
                "-".to_owned()
            } else {
                e.failing
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            e.verdict_without_anchors,
        );
    }
    let manifest = Manifest {
        about: "TEST DATA ONLY. Every person is fictional; every key is a test key. Generated by cccd-gen.".to_owned(),
        cards,
        crls: vec![format!("pki/{CRL_FILE}")],
        cscas: CSCAS.iter().map(|c| CscaEntry {
            cert: format!("pki/{}.crt.pem", c.file),
            explicit_curve_parameters: c.id == CscaId::EcExplicit,
            key: format!("pki/keys/{}.key.pem", c.file),
            subject: c.dn.to_owned(),
            trust_anchor: c.trusted,
        }).collect(),
        document_signers: DSCS.iter().map(|d| DocumentSignerEntry {
            algorithm: d.algorithm.to_owned(),
            cert: format!("pki/{}.crt.pem", d.file),
            issuer: format!("pki/{}.crt.pem", CSCAS.iter().find(|c| c.id == d.issuer).map_or("?", |c| c.file)),
            key: format!("pki/keys/{}.key.pem", d.file),
            not_after: format!("{:04}-{:02}-{:02}", d.not_after.0, d.not_after.1, d.not_after.2),
            not_before: format!("{:04}-{:02}-{:02}", d.not_before.0, d.not_before.1, d.not_before.2),
            status: match d.id { DscId::Expired => "expired", DscId::Revoked => "revoked", DscId::Unrelated => "untrusted issuer", _ => "valid" }.to_owned(),
        }).collect(),
        reference_date: "2025-06-01".to_owned(),
        regenerate: format!("cargo run -p cccd-sim --bin cccd-gen -- --seed {seed} --out testdata"),
        seed,
        trust_anchors: CSCAS.iter().filter(|c| c.trusted).map(|c| format!("pki/{}.crt.pem", c.file)).collect(),
        untrusted_cscas: CSCAS.iter().filter(|c| !c.trusted).map(|c| format!("pki/{}.crt.pem", c.file)).collect(),
    };
    let text = serde_json::to_string_pretty(&manifest)
        .map_err(|e| GenError::Data(format!("manifest: {e}")))?;
    write(&out.join("manifest.json"), &(text + "\n"))?;

    let mut personas_md = String::new();
    for ((p, d), f) in people.iter().zip(derived).zip(faces) {
        let _ = writeln!(
            personas_md,
            "| {} | {} | {} | {} | `{}` | {} | {} | {} | {} |",
            p.key,
            p.full_name,
            p.sex.card_text(),
            iso(p.dob),
            d.id_number,
            p.generation.as_str(),
            iso(p.issued),
            d.expiry.map_or_else(|| "none".to_owned(), iso),
            if p.has_photo() {
                format!("{} KB", f.len() / 1024)
            } else {
                "none (under 6)".to_owned()
            },
        );
    }
    write(&out.join("README.md"), &readme(seed, &personas_md, &table))?;
    write(&out.join("pki").join("README.md"), PKI_README)?;
    write(&out.join("secrets").join("README.md"), SECRETS_README)?;
    Ok(Summary {
        cards: CARDS.len(),
        personas: people.len(),
    })
}

fn readme(seed: u64, personas: &str, cards: &str) -> String {
    format!(
        r"# testdata: sample Vietnamese ID card dumps (TEST DATA ONLY)

Generated by `cccd-gen`; do not edit by hand. Regenerate (byte for byte) with

```
cargo run -p cccd-sim --bin cccd-gen -- --seed {seed} --out testdata
```

This needs `opj_compress` (Debian package `libopenjp2-tools`) for the JPEG 2000 faces. The
PKI's private keys in `pki/keys/` are inputs: they are loaded when present (RSA-4096
generation is slow) and regenerated from the seed when deleted.

**Every person here is fictional, every key is a test key** (names marked TEST, C=VN,
O=cccd test PKI). The faces are drawn by code from ellipses, not photographs. All dates are
fixed relative to the reference day 2025-06-01; to check certificates use
`openssl verify -attime 1748736000` (2025-06-01).

- `manifest.json`: everything below, machine-readable (`dir`, `persona`, `expected_verdict`,
  `failing_checks`, `id_number`, `dob`, `name`, `sex`, `can`, `mrz`, `qr_text`, ...).
  `expected_verdict` is the verdict when the chip is proven genuine to the verifier: read
  live from the virtual chip, or the dump verified with `--aa-challenge <aa_challenge>` (the
  challenge recorded in `card.json`, standing in for the one a backend issued).
  `expected_verdict_dump_alone` is the dump's verdict with nothing proving the chip genuine
  (no challenge, `card.json` not trusted): a valid card is then `inconclusive`.
  `mrz` is the MRZ printed on the card and signed in the SOD (on `b01-altered-dg1`, DG1 was
  changed after signing and differs from it); `requires_crl` marks the card whose verdict
  needs the CRL loaded; `expected_verdict_without_trust_anchors` is the verdict with an empty
  trust store.
- Verdicts were cross-checked with `cccd::verify` (crates/cccd-sim/tests/generator_verdicts.rs)
  and the SODs with `openssl cms -verify` (crates/cccd-sim/tests/generator_openssl.rs).
- `pki/`: CSCAs, document signers, the CRL; `pki/keys/`: their private keys.
- `cards/<dir>/`: dump folders (`EF.COM`, `EF.SOD`, `EF.CardAccess`, `DG1`, `DG2` (absent
  for a child under 6), `DG13`, `DG14`, `DG15`, `card.json`), as
  `cccd::document::Document::save` writes them.
- `secrets/<dir>/`: the chip's AA and CA private keys, MRZ and CAN, so the virtual chip can
  serve the card. A cloned chip's secrets hold other keys than its DG14/DG15.
- `qr/<persona>.png`: the QR code of each persona.

Trust anchors: `pki/csca-rsa.crt.pem` (RSA-4096), `pki/csca-ec.crt.pem` (brainpoolP384r1),
`pki/csca-ec-explicit.crt.pem` (brainpoolP384r1 with explicit curve parameters), plus the CRL
`pki/csca-ec.crl.pem`. `pki/csca-unrelated.crt.pem` is deliberately not a trust anchor.

DG13 layouts (`dg13_layout` in the manifest): `real-card` is the byte layout four independent
implementations copied from real CCCDs (PrintableString for indices 1, 3, 11, 15, 16,
UTF8String elsewhere; parents as two SEQUENCEs after the index; no spouse as the index
alone; index 15 the previous document number, index 16 a 16-character code), with EF.COM
listing DG1, DG2, DG3, DG13, DG15, DG14 and the SOD hashing a placeholder DG3 (DG3 answers
6982 on the virtual chip, as fingerprints are EAC-protected). `legacy-utf8` is the earlier
all-UTF8String layout without DG3 (kept on `v03-minh-rsa-pkcs1`).

**The 2024 Căn cước layouts are assumptions until a real 2024 dump is available.** The
Căn cước cards here (`generation` `can-cuoc-2024`) keep the DG13 indices, with index 8 read as
the place of birth registration and 9 as the place of residence; `thin-2024-assumed` leaves
ethnicity, religion and identifying marks empty (one public parser reports empty entries);
the child under 6 (`p11-an`) has no DG2 and no DG2 hash. Their QR text (field order not
published) is the 2021 order, then cancelled ID numbers (`qr_cancelled_id_numbers`), then
the parents' names for a child under 14 (`qr_has_parents`).

All cards: SHA-256 data-group hashes; EF.CardAccess is the card's own (TA, CA, PACE-ECDH-GM
brainpoolP256r1); DG14 holds a ChipAuthenticationInfo (id-CA-ECDH-AES-CBC-CMAC-128) and a
brainpoolP256r1 ChipAuthenticationPublicKeyInfo; DG15 is RSA-1024 or EC P-256. `card.json`
records the chip-authentication outcome and an AA challenge with the chip's answer (ISO 9796-2
scheme 1 with SHA-1 for RSA, plain ECDSA-SHA256 for EC), so AA can be re-checked offline.

## Personas (fictional)

| key | name | sex | born | ID number | card | issued | expires | face |
|---|---|---|---|---|---|---|---|---|
{personas}
## Cards

Verdict with the test CSCAs (and CRL) as trust anchors and the chip proven genuine (read
live, or the dump with `--aa-challenge`), the checks that must fail, and the verdict with no
trust anchor at all. The dump alone, with nothing proving the chip genuine, is
`inconclusive` for every valid card (`chip.authentication` not proven).

| folder | persona | card | DSC algorithm | CSCA | broken | verdict | failing | no anchors |
|---|---|---|---|---|---|---|---|---|
{cards}"
    )
}

const PKI_README: &str = "# TEST ONLY: test PKI of cccd\n\nThese certificates and keys are for tests. They are not, and do not imitate, any real\nauthority's. The private keys in `keys/` are published on purpose. Never trust them.\n\n- `csca-rsa` RSA-4096, `csca-ec` brainpoolP384r1, `csca-ec-explicit` brainpoolP384r1 with explicit\n  parameters, `csca-unrelated` P-256 (not a trust anchor). Valid 2020-01-01 to 2035-01-01.\n- `dsc-*`: document signers (see `../manifest.json`). `dsc-expired` expired 2025-03-01;\n  `dsc-revoked` is listed in `csca-ec.crl.pem`.\n- Check with `openssl verify -attime 1748736000 -CAfile csca-ec.crt.pem dsc-ec-bp384.crt.pem`.\n";

const SECRETS_README: &str = "# TEST ONLY: chip secrets of the sample cards\n\nFor each card: `aa-private.pem` (Active Authentication key, PKCS#8), `ca-private.pem`\n(Chip Authentication key, brainpoolP256r1, PKCS#8), `mrz.txt` and `can.txt`, so the virtual\nchip (`cccd-sim`) can serve the card. Fictional people, test keys.\n";
