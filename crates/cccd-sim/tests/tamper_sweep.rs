//! Tamper sweep: every valid sample card, single bits flipped at seeded random positions in
//! every file the SOD protects (DG1, DG2, DG13, DG14, DG15) and in EF.SOD itself. Each altered
//! document is verified in memory with the test trust anchors at the reference date: it must
//! never come out `verified`, and `verify` must never panic (a file that no longer parses
//! surfaces as a failed check). EF.COM and EF.CardAccess are not covered by the SOD: flipping
//! them must leave the report exactly as it was, which shows that verification trusts nothing
//! in them.
//!
//! Run with `--nocapture` to see the table (docs/RELIABILITY.md quotes it):
//! `cargo test -p cccd-sim --test tamper_sweep -- --nocapture`.
//! `CCCD_TAMPER_FLIPS=<n>` changes the number of flips per file and card (default 400, 60 on
//! the brainpoolP384r1 cards), `CCCD_TAMPER_FLIPS=all` flips every bit in turn;
//! `CCCD_TAMPER_CARD=v03` and `CCCD_TAMPER_FILE=EF.SOD` narrow the sweep.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use cccd::document::Document;
use cccd::lds::{DataGroup, FileId};
use cccd::pki::TrustStore;
use cccd::verify::{Claims, Options, Report, Verdict, verify};
use cccd_testkit::{Manifest, manifest, testdata, trust_store};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The files whose every byte is covered by the SOD's signature, directly (EF.SOD's signed
/// attributes and LDS security object) or through a hash in it (the data groups).
const PROTECTED: [FileId; 6] = [
    FileId::Dg(DataGroup::Dg1),
    FileId::Dg(DataGroup::Dg2),
    FileId::Dg(DataGroup::Dg13),
    FileId::Dg(DataGroup::Dg14),
    FileId::Dg(DataGroup::Dg15),
    FileId::Sod,
];

/// Files on the chip that no signature covers.
const UNPROTECTED: [FileId; 2] = [FileId::Com, FileId::CardAccess];

/// Flips per file and card. Verifying a brainpoolP384r1 card costs ~20 ms in the debug
/// profile (the curve arithmetic is generic code compiled into `cccd` at opt-level 0), the
/// RSA and P-256 cards under 1 ms: the slow cards get fewer flips so the test stays near 30 s.
const DEFAULT_FLIPS_PER_FILE: usize = 400;
const DEFAULT_FLIPS_PER_FILE_BP384: usize = 60;

/// Verification at the manifest's reference date (2025-06-01).
fn options(m: &Manifest) -> Options {
    let date = time::Date::parse(
        &m.reference_date,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .unwrap();
    Options::default().at(date.with_hms(12, 0, 0).unwrap().assume_utc())
}

/// The valid sample cards: folder, and whether the document signer is brainpoolP384r1.
fn valid_cards(m: &Manifest) -> Vec<(String, bool)> {
    m.cards
        .iter()
        .filter(|c| c.expected_verdict == "verified")
        .map(|c| {
            let slow = c.dsc_algorithm.contains("brainpoolP384r1");
            (c.dir.clone(), slow)
        })
        .collect()
}

/// xorshift64*: a fixed seed gives the same positions on every run and machine.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `doc` with bit `bit` (0 = most significant bit of byte 0) of `file` inverted.
fn flipped(doc: &Document, file: FileId, bit: usize) -> Document {
    let mut bytes = doc.get(file).unwrap().to_vec();
    bytes[bit / 8] ^= 0x80 >> (bit % 8);
    let mut altered = doc.clone();
    altered.insert(file, bytes);
    altered
}

/// Which bits to flip in each file.
#[derive(Debug, Clone, Copy)]
enum Flips {
    /// This many, at seeded random positions.
    Random(usize),
    /// Every bit, one at a time (`CCCD_TAMPER_FLIPS=all`: minutes in the debug profile).
    Every,
}

/// Where `needle` sits in `hay` (first occurrence).
fn position(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The byte ranges of EF.SOD that a signature covers, or that are a signature: the
/// LDSSecurityObject (eContent), the signed attributes, the SOD signature value, and the
/// document signer certificate's TBSCertificate and signature. The rest of EF.SOD is the CMS
/// envelope (tags, lengths, versions, algorithm identifiers, the signer identifier).
fn sod_signed_ranges(sod_bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let sod = cccd::lds::sod::Sod::parse(sod_bytes).unwrap();
    let signed = &sod.signed_data;
    let signer = &signed.signer_infos[0];
    let attrs = &signer.signed_attrs.as_ref().unwrap().der_for_signature;
    // DER for the signature starts with SET (31); on the card it is [0] IMPLICIT: same body.
    let (attrs_tlv, _) = cccd::tlv::Tlv::parse(attrs).unwrap();
    let dsc = &signed.certificates[0];
    let (cert, _) = cccd::tlv::Tlv::parse(dsc).unwrap();
    let (tbs, rest) = cccd::tlv::Tlv::parse(cert.value()).unwrap();
    let (_, rest) = cccd::tlv::Tlv::parse(rest).unwrap();
    let (dsc_signature, _) = cccd::tlv::Tlv::parse(rest).unwrap();
    let tbs_bytes = &cert.value()[..tbs.total_len()];
    let mut ranges = Vec::new();
    for part in [
        signed.content.as_slice(),
        attrs_tlv.value(),
        signer.signature.as_slice(),
        tbs_bytes,
        // The BIT STRING's first byte counts unused bits: envelope, not signature.
        &dsc_signature.value()[1..],
    ] {
        let at = position(sod_bytes, part).unwrap();
        ranges.push(at..at + part.len());
    }
    ranges
}

/// What one altered document came to.
enum Outcome {
    Detected,
    /// `verify` said `verified`: the alteration went unnoticed.
    Undetected,
    Panicked,
}

fn run(doc: &Document, store: &TrustStore, opts: &Options) -> Result<Report, ()> {
    catch_unwind(AssertUnwindSafe(|| {
        verify(doc, store, &Claims::default(), None, opts)
    }))
    .map_err(|_| ())
}

/// Per file: flips tried, detected, panics, and the undetected (card, bit) pairs, split into
/// flips in signed bytes and flips in EF.SOD's unsigned CMS envelope.
#[derive(Default)]
struct Tally {
    tried: usize,
    detected: usize,
    panics: usize,
    undetected: Vec<(String, usize)>,
    /// EF.SOD only: flips outside every signed range.
    envelope_tried: usize,
    envelope_undetected: Vec<(String, usize)>,
}

fn sweep_card(
    dir: &str,
    flips: Flips,
    seed: u64,
    store: &TrustStore,
    opts: &Options,
) -> Vec<(FileId, Tally)> {
    let doc = Document::load(testdata().join(dir)).unwrap();
    // The challenge recorded in card.json stands for the one the verifier issued, so the
    // untouched dump proves its chip genuine and verifies.
    let challenge = doc
        .meta
        .active_authentication
        .as_ref()
        .and_then(|r| cccd::hex::decode(&r.challenge, 8))
        .and_then(|b| <[u8; 8]>::try_from(b).ok());
    let opts = &opts.clone().aa_challenge(challenge);
    let baseline = verify(&doc, store, &Claims::default(), None, opts);
    assert_eq!(
        baseline.verdict,
        Verdict::Verified,
        "{dir} must verify untouched: {:?}",
        baseline.failures()
    );
    let signed_ranges = sod_signed_ranges(doc.get(FileId::Sod).unwrap());
    let mut rng = XorShift(seed);
    // CCCD_TAMPER_FILE=EF.SOD (say) sweeps one file only, for a long exhaustive run.
    let only_file = std::env::var("CCCD_TAMPER_FILE").ok();
    PROTECTED
        .iter()
        .filter(|f| only_file.as_ref().is_none_or(|o| *o == f.to_string()))
        // A Căn cước child under 6 has no face: no DG2 to alter (any other missing file is
        // still an error below).
        .filter(|f| **f != FileId::Dg(DataGroup::Dg2) || doc.get(**f).is_some())
        .map(|&file| {
            let bits = doc
                .get(file)
                .unwrap_or_else(|| panic!("{dir}: no {file}"))
                .len()
                * 8;
            let mut tally = Tally::default();
            let count = match flips {
                Flips::Random(n) => n,
                Flips::Every => bits,
            };
            for i in 0..count {
                let bit = match flips {
                    Flips::Random(_) => rng.below(bits),
                    Flips::Every => i,
                };
                let altered = flipped(&doc, file, bit);
                let outcome = match run(&altered, store, opts) {
                    Err(()) => Outcome::Panicked,
                    Ok(r) if r.verdict == Verdict::Verified => Outcome::Undetected,
                    Ok(_) => Outcome::Detected,
                };
                let envelope =
                    file == FileId::Sod && !signed_ranges.iter().any(|r| r.contains(&(bit / 8)));
                tally.tried += 1;
                tally.envelope_tried += usize::from(envelope);
                match outcome {
                    Outcome::Detected => tally.detected += 1,
                    Outcome::Undetected if envelope => {
                        tally.envelope_undetected.push((dir.to_owned(), bit));
                    }
                    Outcome::Undetected => tally.undetected.push((dir.to_owned(), bit)),
                    Outcome::Panicked => tally.panics += 1,
                }
            }
            (file, tally)
        })
        .collect()
}

#[test]
fn every_single_bit_flip_in_a_protected_file_is_detected() {
    let m = manifest();
    let store = trust_store();
    let opts = options(&m);
    let cards = valid_cards(&m);
    assert!(cards.len() >= 10, "valid sample cards: {}", cards.len());
    let chosen = std::env::var("CCCD_TAMPER_FLIPS").ok();
    let flips_for = |slow: bool| match chosen.as_deref() {
        Some("all") => Flips::Every,
        Some(n) => Flips::Random(n.parse().unwrap()),
        None if slow => Flips::Random(DEFAULT_FLIPS_PER_FILE_BP384),
        None => Flips::Random(DEFAULT_FLIPS_PER_FILE),
    };
    let only = std::env::var("CCCD_TAMPER_CARD").ok();
    let cards: Vec<(String, bool)> = cards
        .into_iter()
        .filter(|(c, _)| only.as_ref().is_none_or(|o| c.contains(o.as_str())))
        .collect();
    // Two workers: the cards split between them (the machine has two cores).
    let per_card: Vec<Vec<(FileId, Tally)>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|w| {
                let cards = &cards;
                let (store, opts) = (&store, &opts);
                s.spawn(move || {
                    cards
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % 2 == w)
                        .map(|(i, (dir, slow))| {
                            sweep_card(dir, flips_for(*slow), 0x9E37_79B9 + i as u64, store, opts)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let mut totals: Vec<(FileId, Tally)> =
        PROTECTED.iter().map(|&f| (f, Tally::default())).collect();
    for card in per_card {
        for (file, t) in card {
            let total = &mut totals.iter_mut().find(|(f, _)| *f == file).unwrap().1;
            total.tried += t.tried;
            total.detected += t.detected;
            total.panics += t.panics;
            total.undetected.extend(t.undetected);
            total.envelope_tried += t.envelope_tried;
            total.envelope_undetected.extend(t.envelope_undetected);
        }
    }
    println!(
        "tamper sweep: {} valid cards; single-bit flips per file and card: {:?} (brainpoolP384r1 cards {:?})",
        cards.len(),
        flips_for(false),
        flips_for(true)
    );
    println!(
        "| file | tried | detected | undetected (signed bytes) | undetected (CMS envelope) | panics |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (file, t) in &totals {
        println!(
            "| {file} | {} | {} | {} | {} of {} | {} |",
            t.tried,
            t.detected,
            t.undetected.len(),
            t.envelope_undetected.len(),
            t.envelope_tried,
            t.panics
        );
    }
    for (file, t) in &totals {
        for (dir, bit) in &t.envelope_undetected {
            println!(
                "  envelope flip not detected: {dir} {file} byte {} bit {}",
                bit / 8,
                bit % 8
            );
        }
    }
    let panics: usize = totals.iter().map(|(_, t)| t.panics).sum();
    assert_eq!(panics, 0, "verify panicked on altered input");
    let undetected: Vec<String> = totals
        .iter()
        .flat_map(|(file, t)| {
            t.undetected
                .iter()
                .map(move |(dir, bit)| format!("{dir} {file} byte {} bit {}", bit / 8, bit % 8))
        })
        .collect();
    assert!(
        undetected.is_empty(),
        "{} altered documents were reported verified: {undetected:#?}",
        undetected.len()
    );
}

#[test]
fn files_outside_the_sod_do_not_change_the_report() {
    let m = manifest();
    let store = trust_store();
    let opts = options(&m);
    let mut counts = [0usize; 2];
    for (i, (dir, slow)) in valid_cards(&m).into_iter().enumerate() {
        let doc = Document::load(testdata().join(&dir)).unwrap();
        let baseline = verify(&doc, &store, &Claims::default(), None, &opts);
        let mut rng = XorShift(0x5EED + i as u64);
        for (n, &file) in UNPROTECTED.iter().enumerate() {
            let bits = doc
                .get(file)
                .unwrap_or_else(|| panic!("{dir}: no {file}"))
                .len()
                * 8;
            // Every bit of these small files (EF.COM ~25 bytes, EF.CardAccess ~54); 40 random
            // bits on the slow brainpoolP384r1 cards.
            let positions: Vec<usize> = if slow {
                (0..40).map(|_| rng.below(bits)).collect()
            } else {
                (0..bits).collect()
            };
            for bit in positions {
                let report = run(&flipped(&doc, file, bit), &store, &opts)
                    .unwrap_or_else(|()| panic!("{dir} {file} bit {bit}: verify panicked"));
                assert_eq!(
                    report, baseline,
                    "{dir}: flipping {file} bit {bit} changed the report"
                );
                counts[n] += 1;
            }
            // Absent altogether: the same report.
            let mut without = doc.clone();
            without.remove(file);
            assert_eq!(
                verify(&without, &store, &Claims::default(), None, &opts),
                baseline,
                "{dir}: removing {file} changed the report"
            );
        }
    }
    println!(
        "unprotected files: EF.COM {} flips, EF.CardAccess {} flips, every report unchanged",
        counts[0], counts[1]
    );
    assert!(counts.iter().all(|&c| c > 0));
}

/// Regression test for a bug the sweep found (fixed): EF.SOD's CMS envelope is malleable. These single-bit flips
/// in `v03-minh-rsa-pkcs1`'s EF.SOD (offsets in the file, asn1parse view) change no signed
/// byte, yet `verify` still says `verified`, so two different EF.SOD files pass as the same
/// document. Not a forgery (the data groups, the signed attributes and the keys are
/// untouched), but the parser accepts what DER and ICAO 9303-10 forbid:
/// - byte 29: SignedData.version 3 -> 7 (never checked);
/// - byte 40: an OID byte in SignedData.digestAlgorithms (never compared with the
///   SignerInfo's digestAlgorithm);
/// - byte 965: the DSC's outer signatureAlgorithm SEQUENCE tag 30 -> 70 (the certificate
///   parser ignores the tag class; RFC 5280 4.1.1.2 also wants it equal to the TBS's);
/// - byte 1507: SignerInfo.version 1 -> 3 (never checked against the sid form);
/// - byte 1765: the NULL parameters tag of SignerInfo.signatureAlgorithm 05 -> 04.
///
/// Fixed in `cccd::lds::sod::check_profile` and `auth::passive::signer::parse_dsc`.
#[test]
fn sod_envelope_flips_are_not_verified() {
    let m = manifest();
    let store = trust_store();
    let opts = options(&m);
    let doc = Document::load(testdata().join("cards/v03-minh-rsa-pkcs1")).unwrap();
    let sod = doc.get(FileId::Sod).unwrap();
    let signed = sod_signed_ranges(sod);
    let mut accepted = Vec::new();
    for (byte, mask) in [
        (29_usize, 0x04_u8),
        (40, 0x08),
        (965, 0x40),
        (1507, 0x02),
        (1765, 0x01),
    ] {
        assert!(
            !signed.iter().any(|r| r.contains(&byte)),
            "byte {byte} is signed"
        );
        let bit = byte * 8 + mask.leading_zeros() as usize;
        let report = verify(
            &flipped(&doc, FileId::Sod, bit),
            &store,
            &Claims::default(),
            None,
            &opts,
        );
        if report.verdict == Verdict::Verified {
            accepted.push(format!("byte {byte} ^ {mask:#04x}"));
        }
    }
    assert!(
        accepted.is_empty(),
        "altered EF.SOD reported verified: {accepted:?}"
    );
}

/// Regression test (fixed), same class as above, in the RSASSA-PSS parameters of the SOD's
/// SignerInfo.signatureAlgorithm (`v02-huong-rsa-pss`, offsets from the algorithm OID's tag):
/// the tag of the hash OID (+17: 06 -> 07), the NULL tag after it (+28: 05 -> 04), the NULL
/// tag in the MGF1 parameters (+58: 05 -> 04), and the last byte of the hash, MGF1 and
/// MGF1-hash OIDs (+27, +44, +57: continuation bit set, so the OID no longer ends where it
/// should) can
/// change and the card still verifies: the parameters are not held to DER.
#[test]
fn sod_pss_parameter_flips_are_not_verified() {
    let m = manifest();
    let store = trust_store();
    let opts = options(&m);
    let doc = Document::load(testdata().join("cards/v02-huong-rsa-pss")).unwrap();
    let sod = doc.get(FileId::Sod).unwrap();
    let signed = sod_signed_ranges(sod);
    // The offsets were file offsets 1769.. when the SOD held five hashes; they are kept
    // relative to the last id-RSASSA-PSS OID (SignerInfo.signatureAlgorithm, then at 1752),
    // so a SOD holding another hash (DG3 on real-layout cards) moves them with it.
    let pss_oid = [
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A,
    ];
    let base = sod
        .windows(pss_oid.len())
        .rposition(|w| w == pss_oid)
        .expect("SignerInfo uses RSASSA-PSS");
    assert_eq!(sod[base + 17], 0x06, "hash OID tag where expected");
    let mut accepted = Vec::new();
    for (offset, mask) in [
        (17_usize, 0x01_u8),
        (28, 0x01),
        (58, 0x01),
        (27, 0x80),
        (44, 0x80),
        (57, 0x80),
    ] {
        let byte = base + offset;
        assert!(
            !signed.iter().any(|r| r.contains(&byte)),
            "byte {byte} is signed"
        );
        let bit = byte * 8 + mask.leading_zeros() as usize;
        let report = verify(
            &flipped(&doc, FileId::Sod, bit),
            &store,
            &Claims::default(),
            None,
            &opts,
        );
        if report.verdict == Verdict::Verified {
            accepted.push(format!("byte {byte} ^ {mask:#04x}"));
        }
    }
    assert!(
        accepted.is_empty(),
        "altered EF.SOD reported verified: {accepted:?}"
    );
}
