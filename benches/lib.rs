//! Benchmarks of cccd live in `benches/` (criterion) and `examples/` (the read-cost model and
//! a one-core verification-rate probe used beside the Python peer); this library holds what
//! they share: the sample cards of `testdata/` and the read-cost model.
//!
//! The read-cost model runs a real [`Session`] against the in-process [`VirtualChip`] and
//! counts APDUs and bytes exactly as they cross the wire (secure-messaging wrapped), then turns
//! them into time with a contactless link model ([`LinkModel`]).

// Counts of APDUs, bytes and iterations are far below 2^52: exact as f64.
#![allow(clippy::cast_precision_loss)]

use std::path::PathBuf;

use cccd::document::Document;
use cccd::pki::TrustStore;
use cccd::session::{AccessKeys, ReadPlan, ReadStrategy, Session, SessionError};
use cccd_sim::chip::{ChipConfig, ChipStats, Profile, SimTransport, VirtualChip};
use cccd_sim::manifest::Manifest;
use time::Date;

/// Why a benchmark could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// testdata/manifest.json is missing or not what the generator writes.
    #[error("testdata/manifest.json: {0}")]
    Manifest(String),
    /// A sample dump did not load.
    #[error("{dir}: {reason}")]
    Dump {
        /// The dump folder.
        dir: String,
        /// Why.
        reason: String,
    },
    /// A trust anchor did not load.
    #[error("trust anchor {0}")]
    Trust(String),
    /// The session against the virtual chip failed.
    #[error("session: {0}")]
    Session(#[from] SessionError),
    /// The virtual chip could not serve the dump.
    #[error("virtual chip: {0}")]
    Chip(String),
}

/// The repository's `testdata/` folder.
pub fn testdata() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata"))
}

/// One sample card from testdata/manifest.json, loaded.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The folder name, e.g. `v01-hung-ec-bp384`.
    pub name: String,
    /// The dump folder.
    pub dir: PathBuf,
    /// The dump.
    pub doc: Document,
    /// The document signer's algorithm as the manifest words it.
    pub dsc_algorithm: String,
    /// The verdict the manifest expects with the test trust anchors.
    pub expected_verdict: String,
    /// The 12-digit ID number (opens the chip with the date of birth, as from the QR).
    pub id_number: String,
    /// Date of birth.
    pub date_of_birth: Date,
    /// The chip's secrets (MRZ, CAN, AA and CA private keys), so the virtual chip answers
    /// chip and active authentication as the real one would.
    pub secrets: PathBuf,
    /// The AA challenge the dump's answer is over, as the verifier that issued it knows it:
    /// with it, the recorded AA answer proves this chip (verdict `verified`), without it
    /// a replay cannot be ruled out (`inconclusive`).
    pub aa_challenge: Option<[u8; 8]>,
}

impl Sample {
    /// Options for verifying this dump at `at` as the verifier that issued its AA challenge:
    /// the options under which the manifest expects `expected_verdict`.
    pub fn options(&self, at: time::OffsetDateTime) -> cccd::verify::Options {
        cccd::verify::Options::default()
            .at(at)
            .aa_challenge(self.aa_challenge)
    }
}

/// The sample cards and the trust material of the manifest.
#[derive(Debug)]
pub struct Samples {
    /// Every card, in manifest order.
    pub cards: Vec<Sample>,
    /// DER of every trust anchor and PEM paths of every CRL (to build fresh stores fast).
    pub anchor_paths: Vec<PathBuf>,
    /// The CRL files.
    pub crl_paths: Vec<PathBuf>,
    /// The date the sample cards are valid at.
    pub reference_date: Date,
}

fn date(text: &str) -> Result<Date, BenchError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, format).map_err(|e| BenchError::Manifest(format!("date {text}: {e}")))
}

/// A manifest AA challenge: exactly 8 bytes of hex.
fn challenge(hex: &str) -> Result<[u8; 8], BenchError> {
    cccd::hex::decode(hex, 8)
        .and_then(|bytes| <[u8; 8]>::try_from(bytes).ok())
        .ok_or_else(|| BenchError::Manifest(format!("aa_challenge {hex:?} is not 16 hex digits")))
}

impl Samples {
    /// Load testdata/manifest.json and every dump it lists.
    pub fn load() -> Result<Self, BenchError> {
        let root = testdata();
        let text = std::fs::read_to_string(root.join("manifest.json"))
            .map_err(|e| BenchError::Manifest(e.to_string()))?;
        // The generator's own types: a missing or unknown field is an error naming it.
        let m: Manifest =
            serde_json::from_str(&text).map_err(|e| BenchError::Manifest(e.to_string()))?;
        let paths =
            |files: &[String]| -> Vec<PathBuf> { files.iter().map(|p| root.join(p)).collect() };
        let mut cards = Vec::new();
        for c in &m.cards {
            let dir = root.join(&c.dir);
            let doc = Document::load(&dir).map_err(|e| BenchError::Dump {
                dir: dir.display().to_string(),
                reason: e.to_string(),
            })?;
            cards.push(Sample {
                name: dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                dir,
                doc,
                dsc_algorithm: c.dsc_algorithm.clone(),
                expected_verdict: c.expected_verdict.clone(),
                id_number: c.id_number.clone(),
                date_of_birth: date(&c.dob)?,
                secrets: root.join(&c.secrets_dir),
                aa_challenge: c.aa_challenge.as_deref().map(challenge).transpose()?,
            });
        }
        Ok(Self {
            cards,
            anchor_paths: paths(&m.trust_anchors),
            crl_paths: paths(&m.crls),
            reference_date: date(&m.reference_date)?,
        })
    }

    /// A fresh trust store with the test anchors and CRLs (an empty signature cache).
    pub fn store(&self) -> Result<TrustStore, BenchError> {
        let mut store = TrustStore::new();
        let err = |p: &std::path::Path, e: cccd::pki::TrustError| {
            BenchError::Trust(format!("{}: {e}", p.display()))
        };
        for p in &self.anchor_paths {
            let _ = store.load_cscas(p).map_err(|e| err(p, e))?;
        }
        for p in &self.crl_paths {
            let _ = store.load_crls(p).map_err(|e| err(p, e))?;
        }
        Ok(store)
    }

    /// The valid cards, one per distinct DSC algorithm, in manifest order.
    pub fn one_per_algorithm(&self) -> Vec<&Sample> {
        let mut out: Vec<&Sample> = Vec::new();
        for c in self
            .cards
            .iter()
            .filter(|c| c.expected_verdict == "verified")
        {
            if !out.iter().any(|o| o.dsc_algorithm == c.dsc_algorithm) {
                out.push(c);
            }
        }
        out
    }

    /// The valid cards.
    pub fn valid(&self) -> impl Iterator<Item = &Sample> {
        self.cards
            .iter()
            .filter(|c| c.expected_verdict == "verified")
    }
}

/// A short label for a manifest algorithm string.
pub fn algorithm_label(dsc_algorithm: &str) -> &'static str {
    if dsc_algorithm.contains("PSS") {
        "rsa-pss-2048"
    } else if dsc_algorithm.contains("RSA") {
        "rsa-pkcs1-2048"
    } else if dsc_algorithm.contains("P-256") {
        "ecdsa-p256"
    } else if dsc_algorithm.contains("brainpoolP384r1") {
        "ecdsa-bp384"
    } else {
        "other"
    }
}

/// APDUs and bytes as counted by the chip.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    /// Command-response pairs.
    pub apdus: usize,
    /// Command APDU bytes (header, Lc, data, Le), as on the wire.
    pub command_bytes: usize,
    /// Response APDU bytes (data and SW1 SW2), as on the wire.
    pub response_bytes: usize,
}

impl Traffic {
    fn from_stats(s: ChipStats) -> Self {
        Self {
            apdus: s.apdus,
            command_bytes: s.bytes_in,
            response_bytes: s.bytes_out,
        }
    }

    fn minus(self, earlier: Self) -> Self {
        Self {
            apdus: self.apdus.saturating_sub(earlier.apdus),
            command_bytes: self.command_bytes.saturating_sub(earlier.command_bytes),
            response_bytes: self.response_bytes.saturating_sub(earlier.response_bytes),
        }
    }

    /// The sum of two counts.
    #[must_use]
    pub fn plus(self, other: Self) -> Self {
        Self {
            apdus: self.apdus + other.apdus,
            command_bytes: self.command_bytes + other.command_bytes,
            response_bytes: self.response_bytes + other.response_bytes,
        }
    }
}

/// What one read cost: opening the chip (EF.CardAccess, PACE or BAC) and reading the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadCost {
    /// Session::open: EF.CardAccess, PACE (or BAC), and chip authentication (or active
    /// authentication), up to the secure channel the files are read over.
    pub authentication: Traffic,
    /// Session::read of the plan, after authentication.
    pub read: Traffic,
}

impl ReadCost {
    /// Authentication and read together.
    pub fn total(&self) -> Traffic {
        self.authentication.plus(self.read)
    }
}

/// A chip's link limits, as the read-cost model varies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChipLimits {
    /// A label for tables.
    pub label: &'static str,
    /// Extended-length APDUs accepted.
    pub extended_length: bool,
    /// Largest READ BINARY answer.
    pub max_read: usize,
}

/// The chip profiles of the model: extended length on/off x largest answer 0xDF/0xFF/65536.
pub const CHIP_LIMITS: [ChipLimits; 6] = [
    ChipLimits {
        label: "ext, max 65536",
        extended_length: true,
        max_read: 65_536,
    },
    ChipLimits {
        label: "ext, max 0xFF",
        extended_length: true,
        max_read: 0xFF,
    },
    ChipLimits {
        label: "ext, max 0xDF",
        extended_length: true,
        max_read: 0xDF,
    },
    ChipLimits {
        label: "short, max 65536",
        extended_length: false,
        max_read: 65_536,
    },
    ChipLimits {
        label: "short, max 0xFF",
        extended_length: false,
        max_read: 0xFF,
    },
    ChipLimits {
        label: "short, max 0xDF",
        extended_length: false,
        max_read: 0xDF,
    },
];

/// The reader strategies compared: ours (extended length when offered, largest safe Le,
/// no header read) and JMRTD's default (short APDUs of at most 0xDF bytes, header first).
pub fn strategies() -> [(&'static str, ReadStrategy); 2] {
    [
        ("cccd", ReadStrategy::default()),
        ("JMRTD default", ReadStrategy::short_0xdf()),
    ]
}

/// A contactless link (ISO/IEC 14443-4) turned into time.
///
/// Time of one APDU = `apdu_latency` + airtime of its command and response. Airtime counts
/// 9 bits per byte at 106 kbit/s (8 data bits + the type A parity bit) and the same ratio at
/// higher rates, plus per I-block 3 bytes of framing (PCB and CRC_A) and, for every further
/// block of a chained message, an R(ACK) of 3 bytes and `block_turnaround`. Blocks carry at
/// most `frame_size - 3` bytes of APDU (FSC/FSD = 256 as common readers and chips negotiate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkModel {
    /// Bit rate, bits per second.
    pub bit_rate: f64,
    /// Per-APDU fixed cost in seconds: the host-reader round trip (PC/SC over USB, about
    /// 1 ms) plus the chip's secure-messaging work for one command (MAC check, decrypt,
    /// encrypt, MAC: a few ms on smart-card coprocessors). 5 ms is the assumed total.
    pub apdu_latency: f64,
    /// Largest frame, bytes (FSC/FSD).
    pub frame_size: usize,
    /// Extra time per additional chained block, seconds (frame delay and R(ACK) turnaround).
    pub block_turnaround: f64,
}

/// The per-APDU latency assumed by the tables, seconds.
pub const APDU_LATENCY: f64 = 0.005;

impl LinkModel {
    /// The model at `kbit_s` with the stated defaults.
    pub fn at(kbit_s: u32) -> Self {
        Self {
            bit_rate: f64::from(kbit_s) * 1000.0,
            apdu_latency: APDU_LATENCY,
            frame_size: 256,
            block_turnaround: 0.000_3,
        }
    }

    /// Airtime of one message of `len` APDU bytes, chained into blocks; seconds.
    fn message_time(&self, len: usize) -> f64 {
        let payload = self.frame_size.saturating_sub(3).max(1);
        let blocks = len.div_ceil(payload).max(1);
        let ack_bytes = 3 * (blocks - 1);
        let bytes = len + 3 * blocks + ack_bytes;
        let bits = bytes as f64 * 9.0;
        bits / self.bit_rate + (blocks - 1) as f64 * self.block_turnaround
    }

    /// Modelled time of exchanges whose sizes are known one by one: `(command, response)`
    /// byte counts.
    pub fn time_of_log(&self, exchanges: impl IntoIterator<Item = (usize, usize)>) -> f64 {
        exchanges
            .into_iter()
            .map(|(c, r)| self.apdu_latency + self.message_time(c) + self.message_time(r))
            .sum()
    }
}

/// Per-APDU sizes of a logged read: authentication exchanges then read exchanges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeSizes {
    /// `(command bytes, response bytes)` of each APDU of Session::open.
    pub authentication: Vec<(usize, usize)>,
    /// The same for Session::read.
    pub read: Vec<(usize, usize)>,
}

/// APDUs that `Session::open` (PACE-CAN, chip authentication reading DG14/DG15) takes for
/// `sample` behind a reader that claims extended length without the ATR settling it (a PC/SC
/// reader): on an extended-length chip, or on the short-only profile (`short_only`), which
/// declares itself in its ATR and EF.ATR/INFO. Also how many of them were refused with
/// 6700 (an extended command the chip does not take).
pub fn open_behind_extended_reader(
    sample: &Sample,
    short_only: bool,
    today: Date,
) -> Result<(usize, usize), BenchError> {
    let config = if short_only {
        ChipConfig::default().short_only()
    } else {
        ChipConfig::default()
    };
    let chip = VirtualChip::from_document_with_keys(&sample.doc, config, &sample.secrets)
        .map_err(|e| BenchError::Chip(e.to_string()))?;
    let id =
        cccd::IdNumber::parse(&sample.id_number).map_err(|e| BenchError::Chip(e.to_string()))?;
    let keys = AccessKeys::from_id_and_dob(&id, sample.date_of_birth, today);
    let transport = SimTransport::new(chip)
        .with_reader_extended_length(true)
        .with_log();
    let mut session = Session::open(transport, &keys)?;
    let log = session.transport_mut().log();
    let refused = log
        .iter()
        .filter(|(c, r)| c.is_extended() && r.sw == cccd::apdu::StatusWord::WrongLength)
        .count();
    Ok((log.len(), refused))
}

/// Open `sample` on a virtual chip with `limits` and the card's own chip keys (the CCCD
/// profile: PACE-CAN, from the ID number and date of birth as the QR gives them, then chip
/// authentication) and read `plan` with its strategy, counting
/// the traffic and keeping each APDU's size (for chaining in [`LinkModel::time_of_log`]).
pub fn measure_log(
    sample: &Sample,
    limits: ChipLimits,
    plan: &ReadPlan,
    today: Date,
) -> Result<(ReadCost, ExchangeSizes), BenchError> {
    measure_log_with(sample, (limits, Profile::default()), plan, today)
}

/// [`measure_log`] on a chip with another access profile (a PACE mapping: `pace-dh-gm`,
/// `pace-ecdh-im`, `pace-dh-im`, `pace-ecdh-cam`).
pub fn measure_log_with(
    sample: &Sample,
    (limits, profile): (ChipLimits, Profile),
    plan: &ReadPlan,
    today: Date,
) -> Result<(ReadCost, ExchangeSizes), BenchError> {
    let config = ChipConfig {
        extended_length: limits.extended_length,
        max_read: limits.max_read,
        profile,
        ..ChipConfig::default()
    };
    let chip = VirtualChip::from_document_with_keys(&sample.doc, config, &sample.secrets)
        .map_err(|e| BenchError::Chip(e.to_string()))?;
    let id =
        cccd::IdNumber::parse(&sample.id_number).map_err(|e| BenchError::Chip(e.to_string()))?;
    let keys = AccessKeys::from_id_and_dob(&id, sample.date_of_birth, today);
    let mut session = Session::open(SimTransport::new(chip).with_log(), &keys)?;
    let sizes = |t: &SimTransport| -> Vec<(usize, usize)> {
        t.log()
            .iter()
            .map(|(c, r)| {
                (
                    c.to_bytes().map_or(0, |b| b.len()),
                    r.data.len() + 2, // data and SW1 SW2
                )
            })
            .collect()
    };
    let after_open = Traffic::from_stats(session.transport_mut().chip().stats());
    let auth_sizes = sizes(session.transport_mut());
    session.read(plan, &mut |_| {})?;
    let after_read = Traffic::from_stats(session.transport_mut().chip().stats());
    let all = sizes(session.transport_mut());
    let read_sizes = all.get(auth_sizes.len()..).unwrap_or_default().to_vec();
    Ok((
        ReadCost {
            authentication: after_open,
            read: after_read.minus(after_open),
        },
        ExchangeSizes {
            authentication: auth_sizes,
            read: read_sizes,
        },
    ))
}

/// The cryptographic floor of passive authentication for one dump, taken apart ahead of time:
/// what is left is one signature verification of the SOD's signed attributes with the DSC
/// key, the messageDigest hash of the security object, and one hash per data group.
#[derive(Debug, Clone)]
pub struct Primitives {
    spki_der: Vec<u8>,
    signature_algorithm_der: Vec<u8>,
    digest: cccd::crypto::HashAlgorithm,
    signed_attributes: Vec<u8>,
    signature: Vec<u8>,
    content: Vec<u8>,
    dg_hash: cccd::crypto::HashAlgorithm,
    data_groups: Vec<(Vec<u8>, Vec<u8>)>,
    dsc_der: Vec<u8>,
}

impl Primitives {
    /// Take `doc`'s EF.SOD apart.
    pub fn of(doc: &Document) -> Result<Self, BenchError> {
        use x509_cert::der::{Decode, Encode};
        let bad = |why: &str| BenchError::Chip(format!("primitives: {why}"));
        let sod = doc
            .sod()
            .ok_or_else(|| bad("no EF.SOD"))?
            .map_err(|e| bad(&e.to_string()))?;
        let sd = &sod.signed_data;
        let signer = sd
            .signer_infos
            .first()
            .ok_or_else(|| bad("no SignerInfo"))?;
        let dsc_der = sd
            .signer_certificate(signer)
            .ok_or_else(|| bad("no DSC"))?
            .to_vec();
        let cert = x509_cert::Certificate::from_der(&dsc_der).map_err(|e| bad(&e.to_string()))?;
        let spki_der = cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|e| bad(&e.to_string()))?;
        let digest = cccd::crypto::HashAlgorithm::from_oid(&signer.digest_algorithm.oid)
            .ok_or_else(|| bad("digest algorithm"))?;
        let lso = &sod.lds_security_object;
        let dg_hash = lso.hash().ok_or_else(|| bad("DG hash algorithm"))?;
        let data_groups = lso
            .data_group_hashes
            .iter()
            .filter_map(|h| {
                doc.dg(h.data_group)
                    .map(|bytes| (bytes.to_vec(), h.hash.clone()))
            })
            .collect();
        Ok(Self {
            spki_der,
            signature_algorithm_der: signer.signature_algorithm.encode(),
            digest,
            signed_attributes: signer
                .signed_attrs
                .as_ref()
                .ok_or_else(|| bad("no signed attributes"))?
                .der_for_signature
                .clone(),
            signature: signer.signature.clone(),
            content: sd.content.clone(),
            dg_hash,
            data_groups,
            dsc_der,
        })
    }

    /// The signature over the signed attributes, the messageDigest and every data group hash;
    /// true when all hold.
    pub fn run(&self) -> bool {
        let signature_ok = cccd::pki::signature::verify_cms_signature_der(
            &self.spki_der,
            &self.signature_algorithm_der,
            self.digest,
            &self.signed_attributes,
            &self.signature,
        )
        .is_ok();
        let content_hash = self.digest.digest(&self.content);
        let hashes_ok = self
            .data_groups
            .iter()
            .all(|(bytes, expected)| self.dg_hash.digest(bytes) == *expected);
        signature_ok && !content_hash.is_empty() && hashes_ok
    }

    /// The DSC, DER (for the chain step's floor: one certificate signature).
    pub fn dsc_der(&self) -> &[u8] {
        &self.dsc_der
    }

    /// The signature over the signed attributes alone, on the plain path (the RustCrypto
    /// crates' own verification): the primitive floor.
    pub fn signature_plain(&self) -> bool {
        cccd::pki::signature::verify_cms_signature_der(
            &self.spki_der,
            &self.signature_algorithm_der,
            self.digest,
            &self.signed_attributes,
            &self.signature,
        )
        .is_ok()
    }

    /// The same signature with the DSC key prepared (decoded once; EC tables built), as the
    /// trust store's prepared-signer cache holds it from a DSC's second sighting.
    pub fn prepared(&self) -> Result<PreparedSignature, BenchError> {
        let key = cccd::pki::signature::PreparedKey::from_spki_der(&self.spki_der)
            .map_err(|e| BenchError::Chip(format!("primitives: {e}")))?;
        key.build_table();
        Ok(PreparedSignature {
            primitives: self.clone(),
            key,
        })
    }
}

/// [`Primitives`]' signature with a prepared key.
#[derive(Debug)]
pub struct PreparedSignature {
    primitives: Primitives,
    key: cccd::pki::signature::PreparedKey,
}

impl PreparedSignature {
    /// Verify the signature over the signed attributes with the prepared key.
    pub fn run(&self) -> bool {
        let p = &self.primitives;
        self.key
            .verify_cms_der(
                &p.spki_der,
                &p.signature_algorithm_der,
                p.digest,
                &p.signed_attributes,
                &p.signature,
            )
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::float_cmp)]
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn link_model_counts_framing_parity_and_latency() {
        // An empty exchange: each direction is one block of PCB + CRC (3 bytes, 27 bits).
        let link = LinkModel::at(424);
        let t = link.time_of_log([(0, 0)]);
        assert!(close(t, 0.005 + 54.0 / 424_000.0), "{t}");
        // 506 bytes need two blocks of 253: 506 + 2x3 framing + one 3-byte R(ACK) = 515
        // bytes = 4,635 bits, plus one block turnaround.
        let link = LinkModel::at(106);
        let t = link.time_of_log([(506, 0)]);
        let expected = 0.005 + 4_635.0 / 106_000.0 + 0.000_3 + 27.0 / 106_000.0;
        assert!(close(t, expected), "{t} vs {expected}");
        // Faster links are faster; more APDUs cost more.
        assert!(LinkModel::at(848).time_of_log([(20, 200)]) < link.time_of_log([(20, 200)]));
        assert!(link.time_of_log([(20, 200); 2]) > link.time_of_log([(20, 200)]));
    }

    #[test]
    fn the_transport_log_agrees_with_the_chip_counters() {
        let samples = Samples::load().unwrap();
        let card = samples.valid().next().unwrap();
        for limits in CHIP_LIMITS {
            let (cost, sizes) =
                measure_log(card, limits, &ReadPlan::with_face(), samples.reference_date).unwrap();
            assert_eq!(cost.authentication.apdus, sizes.authentication.len());
            assert_eq!(cost.read.apdus, sizes.read.len());
            let sum = |v: &[(usize, usize)]| v.iter().fold((0, 0), |a, x| (a.0 + x.0, a.1 + x.1));
            assert_eq!(
                sum(&sizes.read),
                (cost.read.command_bytes, cost.read.response_bytes),
                "{}",
                limits.label
            );
            // DG2 alone is larger than any single short answer: many APDUs without
            // extended length, few with it.
            assert!(cost.read.response_bytes > 16_000);
        }
    }

    #[test]
    fn a_short_only_chip_opens_in_as_many_apdus_as_an_extended_one() {
        let samples = Samples::load().unwrap();
        let today = samples.reference_date;
        let mut checked = 0;
        for sample in samples.valid().take(3) {
            let (extended, ext_refused) =
                open_behind_extended_reader(sample, false, today).unwrap();
            let (short, short_refused) = open_behind_extended_reader(sample, true, today).unwrap();
            assert_eq!(
                (ext_refused, short_refused),
                (0, 0),
                "no extended read refused"
            );
            // EF.ATR/INFO is one READ BINARY by file identifier (B1) on both chips: refused by
            // the extended one, answered by the short-only one; no second PACE.
            assert_eq!(short, extended, "{}", sample.name);
            checked += 1;
        }
        assert_eq!(checked, 3);
    }

    #[test]
    fn extended_length_beats_the_jmrtd_default_on_apdus() {
        let samples = Samples::load().unwrap();
        let card = samples.valid().next().unwrap();
        let plan = ReadPlan::with_face();
        let ours = measure_log(card, CHIP_LIMITS[0], &plan, samples.reference_date).unwrap();
        let theirs = measure_log(
            card,
            CHIP_LIMITS[0],
            &plan.clone().strategy_of(ReadStrategy::short_0xdf()),
            samples.reference_date,
        )
        .unwrap();
        assert!(ours.0.read.apdus <= 20, "{:?}", ours.0);
        assert!(
            theirs.0.read.apdus > 4 * ours.0.read.apdus,
            "{:?}",
            theirs.0
        );
    }

    #[test]
    fn a_wrong_id_number_does_not_open_the_chip() {
        let samples = Samples::load().unwrap();
        let mut card = samples.valid().next().unwrap().clone();
        card.id_number = "001099000001".to_owned();
        let e = measure_log(
            &card,
            CHIP_LIMITS[0],
            &ReadPlan::verification(),
            samples.reference_date,
        );
        assert!(matches!(e, Err(BenchError::Session(_))), "{e:?}");
    }

    #[test]
    fn the_floor_passes_valid_cards_and_catches_altered_ones() {
        let samples = Samples::load().unwrap();
        for card in &samples.cards {
            let Ok(floor) = Primitives::of(&card.doc) else {
                continue;
            };
            let altered_dg = card.name.contains("altered-dg");
            if card.expected_verdict == "verified" {
                assert!(floor.run(), "{}", card.name);
            } else if altered_dg || card.name.contains("bad-sod-signature") {
                assert!(!floor.run(), "{}", card.name);
            }
        }
    }
}
