//! PACE-CAM against OpenSSL (ICAO 9303-11 §4.4.3.5, BSI TR-03110-2 §3.4.2): a whole run of
//! the reader (`cccd::access::pace`) with the virtual chip's responder, on keys the `openssl`
//! CLI made (the chip's static key, the reader's mapping and ephemeral keys), then recomputed
//! from the transcript with `openssl` alone:
//! - the key agreement: `pkeyutl -derive` of the reader's ephemeral key with the chip's
//!   ephemeral public key (84) gives K (ECDH does not depend on the mapped generator);
//! - KSenc = SHA-1(K || 00000001)[0..16] (`dgst -sha1`), IV = E(KSenc, FF..FF) (`enc
//!   -aes-128-ecb`), and the chip's encrypted CA data (8A) decrypted with `enc -d
//!   -aes-128-cbc`: it must be the CA_IC that the reader decrypted;
//! - PK_Map,IC = CA_IC · PK_IC: `pkeyutl -derive` with CA_IC as a private key and the static
//!   public key gives the x-coordinate of the chip's mapping key (82).

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use cccd::access::pace::establish_detailed;
use cccd::access::pace::protocol::PaceRandomness;
use cccd::apdu::{Command, Response};
use cccd::crypto::Cipher;
use cccd::ec::{Curve, EcScalar};
use cccd::lds::security_infos::{KeyAgreement, Mapping, PaceInfo, PaceProtocol};
use cccd::mrz::{AccessKey, Can};
use cccd::tlv::{Tlv, Tlvs};
use cccd::transport::{Transport, TransportError};
use cccd_sim::pace::{PaceOutcome, PaceResponder};
use std::path::PathBuf;
use zeroize::Zeroizing;

const ID: &str = "001099000001";

/// The CAN of [`ID`]: its last 6 digits.
fn can_of_id() -> Can {
    Can::from_id(&ID.parse().expect("ID number"))
}
/// The SubjectPublicKeyInfo of a brainpoolP256r1 point, up to the point (RFC 5480).
const BP256_SPKI_PREFIX: &str = "305a301406072a8648ce3d020106092b2403030208010107034200";

struct Dir(PathBuf);

impl Dir {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("cccd-cam-openssl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_owned()
    }

    fn openssl(&self, args: &[&str]) {
        cccd_testkit::openssl_ok(&self.0, args);
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.0.join(name)).unwrap()
    }

    fn write(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.0.join(name), bytes).unwrap();
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn hex(bytes: &[u8]) -> String {
    cccd::hex::encode(bytes)
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// A brainpoolP256r1 key made by OpenSSL: its file and its private scalar.
fn openssl_key(dir: &Dir, name: &str) -> Vec<u8> {
    let key = dir.path(&format!("{name}.pem"));
    dir.openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:brainpoolP256r1",
        "-out",
        &key,
    ]);
    let sec1 = dir.path(&format!("{name}.sec1.der"));
    dir.openssl(&[
        "pkey",
        "-in",
        &key,
        "-traditional",
        "-outform",
        "DER",
        "-out",
        &sec1,
    ]);
    // SEC 1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING privateKey, ... }.
    let der = dir.read(&format!("{name}.sec1.der"));
    let (outer, _) = Tlv::parse(&der).unwrap();
    Tlvs::new(outer.value())
        .nth(1)
        .unwrap()
        .unwrap()
        .value()
        .to_vec()
}

/// The reader's randomness: OpenSSL's keys, in the order PACE asks for them.
struct FixedKeys(Vec<EcScalar>);

impl PaceRandomness for FixedKeys {
    fn private_key(&mut self, _curve: Curve) -> EcScalar {
        self.0.remove(0)
    }

    fn nonce(&mut self, len: usize) -> Zeroizing<Vec<u8>> {
        let mut nonce = Zeroizing::new(vec![0u8; len]);
        rand::fill(&mut nonce[..]);
        nonce
    }
}

/// The chip's PACE responder, recording every GENERAL AUTHENTICATE answer.
struct RecordingChip {
    pace: PaceResponder,
    answers: Vec<Vec<u8>>,
}

impl Transport for RecordingChip {
    fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        let response = match self.pace.handle(command) {
            PaceOutcome::Reply(response) | PaceOutcome::Established { response, .. } => response,
        };
        if command.ins == 0x86 {
            self.answers.push(response.data.clone());
        }
        Ok(response)
    }
}

/// The value of data object `tag` inside a `7C` dynamic authentication data answer.
fn data_object(answer: &[u8], tag: u32) -> Vec<u8> {
    let (outer, _) = Tlv::parse(answer).unwrap();
    Tlvs::new(outer.value())
        .map(Result::unwrap)
        .find(|o| o.tag().value() == tag)
        .unwrap_or_else(|| panic!("no {tag:X} in {}", hex(answer)))
        .value()
        .to_vec()
}

/// `pkeyutl -derive` of private key file `key` (DER or PEM) with the public point `point`.
fn derive(dir: &Dir, key: &str, keyform: &str, point: &[u8], out: &str) -> Vec<u8> {
    let peer = format!("{out}.peer.der");
    dir.write(&peer, &[unhex(BP256_SPKI_PREFIX), point.to_vec()].concat());
    dir.openssl(&[
        "pkeyutl",
        "-derive",
        "-inkey",
        &dir.path(key),
        "-keyform",
        keyform,
        "-peerkey",
        &dir.path(&peer),
        "-peerform",
        "DER",
        "-out",
        &dir.path(out),
    ]);
    dir.read(out)
}

/// KSenc = SHA-1(K || 00000001)[0..16], IV = E(KSenc, FF..FF), then the chip's encrypted CA
/// data decrypted (AES-128-CBC) and unpadded, all by the `openssl` CLI.
fn decrypt_with_openssl(dir: &Dir, k: Vec<u8>, encrypted_ca: &[u8]) -> Vec<u8> {
    dir.write("k-enc-input.bin", &[k, vec![0, 0, 0, 1]].concat());
    dir.openssl(&[
        "dgst",
        "-sha1",
        "-binary",
        "-out",
        &dir.path("k-enc.bin"),
        &dir.path("k-enc-input.bin"),
    ]);
    let ks_enc = dir.read("k-enc.bin")[..16].to_vec();
    dir.write("ones.bin", &[0xFF; 16]);
    dir.openssl(&[
        "enc",
        "-aes-128-ecb",
        "-nopad",
        "-K",
        &hex(&ks_enc),
        "-in",
        &dir.path("ones.bin"),
        "-out",
        &dir.path("iv.bin"),
    ]);
    let iv = dir.read("iv.bin");
    dir.write("a-ic.bin", encrypted_ca);
    dir.openssl(&[
        "enc",
        "-d",
        "-aes-128-cbc",
        "-nopad",
        "-K",
        &hex(&ks_enc),
        "-iv",
        &hex(&iv),
        "-in",
        &dir.path("a-ic.bin"),
        "-out",
        &dir.path("ca-ic.padded"),
    ]);
    let padded = dir.read("ca-ic.padded");
    // ISO/IEC 9797-1 padding method 2: 80 then zeros, up to the block.
    let end = padded.iter().rposition(|&b| b != 0).unwrap();
    assert_eq!(padded[end], 0x80, "padding of the decrypted CA data");
    padded[..end].to_vec()
}

#[test]
fn pace_cam_key_agreement_and_ca_data_agree_with_openssl() {
    // Panics naming the command when openssl is missing (see README: the outside tools
    // behind the tests).
    let _ = cccd_testkit::openssl(&["version"]);
    let dir = Dir::new();
    let curve = Curve::BrainpoolP256r1;
    let chip_static = openssl_key(&dir, "chip-static");
    let reader_mapping = openssl_key(&dir, "reader-mapping");
    let reader_ephemeral = openssl_key(&dir, "reader-ephemeral");
    let scalar = |bytes: &[u8]| curve.scalar_from_be_bytes(bytes).unwrap();
    let static_public = curve.mul_generator(&scalar(&chip_static)).unwrap();

    let info = PaceInfo {
        protocol: PaceProtocol {
            mapping: Mapping::ChipAuthentication,
            key_agreement: KeyAgreement::Ecdh,
            cipher: Cipher::Aes128,
        },
        version: 2,
        parameter_id: Some(13),
    };
    let can = can_of_id();
    let mut chip = RecordingChip {
        pace: PaceResponder::new(Some(can.clone()), None, vec![info])
            .with_chip_authentication_key(scalar(&chip_static)),
        answers: Vec::new(),
    };
    let mut randomness = FixedKeys(vec![scalar(&reader_mapping), scalar(&reader_ephemeral)]);
    let done = establish_detailed(&mut chip, &AccessKey::Can(can), &info, &mut randomness)
        .expect("PACE-CAM");
    let evidence = done.chip_authentication.expect("CAM evidence");
    assert_eq!(evidence.verify(&static_public), Ok(()));
    assert!(randomness.0.is_empty(), "both reader keys were used");

    // The transcript: nonce, mapping (82), key agreement (84), tokens (86, 8A).
    let [_, mapping, agreement, tokens] = chip.answers.as_slice() else {
        panic!(
            "four GENERAL AUTHENTICATE answers, got {}",
            chip.answers.len()
        );
    };
    let chip_mapping_key = data_object(mapping, 0x82);
    let chip_ephemeral_key = data_object(agreement, 0x84);
    let encrypted_ca = data_object(tokens, 0x8A);
    assert_eq!(
        chip_mapping_key,
        evidence.mapping_key().to_uncompressed().unwrap()
    );

    // K by OpenSSL, then KSenc, the IV and the CA data.
    let k = derive(
        &dir,
        "reader-ephemeral.pem",
        "PEM",
        &chip_ephemeral_key,
        "k.bin",
    );
    assert_eq!(k.len(), 32);
    let ca_ic = &decrypt_with_openssl(&dir, k, &encrypted_ca)[..];
    assert_eq!(ca_ic, evidence.chip_authentication_data());

    // PK_Map,IC = CA_IC · PK_IC, by OpenSSL: CA_IC as a SEC 1 private key (brainpoolP256r1).
    let ca_key = [
        &unhex("3032020101" /* SEQUENCE, version 1 */)[..],
        &[0x04, 0x20],
        ca_ic,
        &unhex("a00b06092b2403030208010107"),
    ]
    .concat();
    dir.write("ca-ic.der", &ca_key);
    let x = derive(
        &dir,
        "ca-ic.der",
        "DER",
        &static_public.to_uncompressed().unwrap(),
        "map-x.bin",
    );
    assert_eq!(x, chip_mapping_key[1..33]);

    // And a clone (another static key) does not pass the same check.
    let (_, other) = curve.generate_keypair(&mut rand::rng());
    let wrong = derive(
        &dir,
        "ca-ic.der",
        "DER",
        &other.to_uncompressed().unwrap(),
        "wrong-x.bin",
    );
    assert_ne!(wrong, chip_mapping_key[1..33]);
}
