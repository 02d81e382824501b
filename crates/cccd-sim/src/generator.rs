//! A deterministic generator of a test PKI and realistic sample card dumps (`testdata/`).
//!
//! ```text
//! cargo run -p cccd-sim --bin cccd-gen -- --seed 1 --out testdata
//! ```
//!
//! Everything is a function of the seed: keys come from ChaCha20 streams keyed by the seed and
//! a label ([`keys`]), all dates are fixed relative to [`persona::REFERENCE_DAY`] (2025-06-01),
//! ECDSA is deterministic (RFC 6979) and RSA-PSS salts come from the seeded stream. Private
//! keys of the PKI are written to `pki/keys/` and loaded from there on the next run (RSA-4096
//! generation is slow); delete that folder to regenerate them from the seed.
//!
//! JPEG 2000 faces are encoded by the external `opj_compress` (see [`face`]).
//!
//! Output layout under `out`:
//!
//! | path | content |
//! |---|---|
//! | `pki/*.crt.pem`, `pki/*.crl.pem` | CSCAs, DSCs, the CRL |
//! | `pki/keys/*.key.pem` | their private keys (PKCS#8, TEST ONLY) |
//! | `cards/<dir>/` | dump folders (`EF.COM`, `EF.SOD`, `EF.CardAccess`, `DG1`, `DG2`, `DG13`, `DG14`, `DG15`, `card.json`) |
//! | `secrets/<dir>/` | the chip's AA and CA private keys, MRZ and CAN (TEST ONLY) |
//! | `qr/<persona>.png` | the persona's QR code |
//! | `manifest.json`, `README.md` | what each card is and the verdict it must get |

pub mod card;
pub mod face;
pub mod keys;
pub mod layout;
pub mod manifest;
pub mod meta;
pub mod persona;
pub mod pki;
pub mod spec;
pub mod testpki;

use cccd::lds::DataGroup;
use spec::{AaKind, CardSpec, Fault};
use std::fs;
use std::path::{Path, PathBuf};
use testpki::{DscId, TestPki};

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// Reading or writing a file.
    #[error("{path}: {message}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Key generation, signing or certificate encoding.
    #[error("crypto: {0}")]
    Crypto(String),
    /// Building a data structure or running an external encoder.
    #[error("{0}")]
    Data(String),
}

impl GenError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, e: &std::io::Error) -> Self {
        GenError::Io {
            path: path.to_owned(),
            message: e.to_string(),
        }
    }
}

/// Generator settings.
#[derive(Debug, Clone)]
pub struct GenOptions {
    /// The seed every key and random value derives from.
    pub seed: u64,
    /// The output folder (`testdata`).
    pub out: PathBuf,
    /// Where PKI private keys are loaded from / saved to (default `out/pki/keys`).
    pub key_dir: Option<PathBuf>,
}

/// The sample cards, in manifest order.
///
/// Every card uses the real-card DG13 layout ([`persona::Dg13Layout::RealCard`]) except
/// `v03-minh-rsa-pkcs1` (the earlier all-UTF8String layout, kept as a variant) and the
/// 2024 child under 6 (`v11-an-child-no-photo`, the thin 2024 layout, no DG2).
pub const CARDS: [CardSpec; 26] = {
    use AaKind::{EcP256 as Ec, Rsa1024 as Rsa};
    use persona::Dg13Layout;
    const fn c(
        dir: &'static str,
        persona: usize,
        dsc: DscId,
        aa: AaKind,
        fault: Fault,
    ) -> CardSpec {
        CardSpec {
            dir,
            persona,
            dsc,
            aa,
            fault,
            dg13: Dg13Layout::RealCard,
        }
    }
    const fn with_layout(card: CardSpec, dg13: Dg13Layout) -> CardSpec {
        CardSpec { dg13, ..card }
    }
    [
        c("v01-hung-ec-bp384", 3, DscId::EcBrainpool, Rsa, Fault::None),
        c("v02-huong-rsa-pss", 2, DscId::RsaPss, Ec, Fault::None),
        with_layout(
            c("v03-minh-rsa-pkcs1", 1, DscId::RsaPkcs1, Rsa, Fault::None),
            Dg13Layout::Legacy,
        ),
        c("v04-ngoc-ec-p256", 0, DscId::EcP256, Ec, Fault::None),
        c("v05-duyen-ec-bp384", 4, DscId::EcBrainpool, Ec, Fault::None),
        c(
            "v06-thang-ec-bp384",
            5,
            DscId::EcBrainpool,
            Rsa,
            Fault::None,
        ),
        c("v07-lananh-rsa-pss", 6, DscId::RsaPss, Rsa, Fault::None),
        c("v08-dao-ec-p256", 7, DscId::EcP256, Rsa, Fault::None),
        c("v09-khoi-rsa-pkcs1", 8, DscId::RsaPkcs1, Ec, Fault::None),
        c("v10-tram-ec-bp384", 9, DscId::EcBrainpool, Ec, Fault::None),
        with_layout(
            c(
                "v11-an-child-no-photo",
                10,
                DscId::EcBrainpool,
                Ec,
                Fault::None,
            ),
            Dg13Layout::Thin2024,
        ),
        c(
            "b01-altered-dg1",
            3,
            DscId::EcBrainpool,
            Rsa,
            Fault::Altered(DataGroup::Dg1),
        ),
        c(
            "b02-altered-dg2",
            1,
            DscId::RsaPkcs1,
            Rsa,
            Fault::Altered(DataGroup::Dg2),
        ),
        c(
            "b03-altered-dg13",
            6,
            DscId::EcBrainpool,
            Ec,
            Fault::Altered(DataGroup::Dg13),
        ),
        c(
            "b04-altered-dg14",
            4,
            DscId::EcBrainpool,
            Ec,
            Fault::Altered(DataGroup::Dg14),
        ),
        c(
            "b05-altered-dg15",
            8,
            DscId::RsaPss,
            Rsa,
            Fault::Altered(DataGroup::Dg15),
        ),
        c(
            "b06-bad-sod-signature",
            5,
            DscId::EcBrainpool,
            Rsa,
            Fault::BadSignature,
        ),
        c(
            "b07-wrong-message-digest",
            1,
            DscId::RsaPkcs1,
            Ec,
            Fault::WrongMessageDigest,
        ),
        c("b08-unknown-csca", 6, DscId::Unrelated, Rsa, Fault::None),
        c("b09-expired-dsc", 9, DscId::Expired, Ec, Fault::None),
        c("b10-revoked-dsc", 9, DscId::Revoked, Rsa, Fault::None),
        c(
            "b11-missing-dg15-hash",
            3,
            DscId::EcBrainpool,
            Ec,
            Fault::MissingHash(DataGroup::Dg15),
        ),
        c(
            "b12-cloned-chip",
            4,
            DscId::EcBrainpool,
            Ec,
            Fault::ClonedChip,
        ),
        c(
            "b13-mrz-check-digit",
            8,
            DscId::EcP256,
            Rsa,
            Fault::MrzCheckDigit,
        ),
        c(
            "b14-dg1-dg13-mismatch",
            2,
            DscId::RsaPkcs1,
            Ec,
            Fault::Dg1Dg13Mismatch,
        ),
        c(
            "b15-truncated-dg13",
            7,
            DscId::EcBrainpool,
            Rsa,
            Fault::TruncatedDg13,
        ),
    ]
};

/// JPEG quality and JPEG 2000 ratio that give faces of about 15-20 KB.
const JPEG_QUALITY: u8 = 90;
const JP2_RATIO: u32 = 12;

/// Remove a generated folder before writing it again (only the ones this generator owns).
fn clear(dir: &Path) -> Result<(), GenError> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| GenError::io(dir, &e))?;
    }
    Ok(())
}

/// Generate everything into `opts.out`.
pub fn generate(opts: &GenOptions) -> Result<manifest::Summary, GenError> {
    let out = &opts.out;
    fs::create_dir_all(out).map_err(|e| GenError::io(out, &e))?;
    for sub in ["cards", "secrets", "qr"] {
        clear(&out.join(sub))?;
    }
    let key_dir = opts
        .key_dir
        .clone()
        .unwrap_or_else(|| out.join("pki").join("keys"));
    let pki = TestPki::build(opts.seed, &key_dir, &out.join("pki"))?;

    let people = persona::personas();
    let mut derived = Vec::new();
    let mut faces = Vec::new();
    let work = out.join(".face-work");
    for p in &people {
        let d = p.derive(opts.seed)?;
        let img = face::draw(opts.seed, p.key, p.sex == persona::Sex::Female);
        let bytes = match p.face {
            persona::FaceFormat::Jpeg => face::jpeg(&img, JPEG_QUALITY)?,
            persona::FaceFormat::Jpeg2000 => face::jpeg2000(&img, JP2_RATIO, &work)?,
        };
        faces.push(bytes);
        manifest::write_qr(out, p.key, &d.qr_text)?;
        derived.push(d);
    }
    clear(&work)?;

    let mut built = Vec::new();
    for spec in &CARDS {
        let (Some(p), Some(d), Some(f)) = (
            people.get(spec.persona),
            derived.get(spec.persona),
            faces.get(spec.persona),
        ) else {
            return Err(GenError::Data(format!("{}: no such persona", spec.dir)));
        };
        built.push(card::build(opts.seed, spec, p, d, f, &pki, out)?);
    }
    manifest::write_all(opts.seed, out, &people, &derived, &faces, &built)
}
