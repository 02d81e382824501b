//! The C test program (`tests/verify_cards.c`) compiled with `cc` against `include/cccd.h`
//! and the cdylib, run under AddressSanitizer with leak detection: every sample card reaches
//! the manifest's verdict from its folder and from memory, and every error path (NULL
//! pointers, bad paths, wrong kinds, a wrong AA challenge) returns its code, frees what it
//! made and leaks nothing.
//!
//! The `--read` variant needs pcscd with a virtual card (`cccd simulate`): ignored by plain
//! `cargo test`, run by scripts/test.sh under scripts/with-pcscd.sh.

use cccd_testkit::{cards, pcscd, testdata};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// target/<profile>, where cargo put libcccd_c.so (the test binary is in its deps/).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps")
        .to_owned()
}

/// The compiled C program, built once per test process: the tests run in parallel, and a
/// second compile writing the file while the first test executes it fails with ETXTBSY.
fn compile() -> PathBuf {
    static PROGRAM: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PROGRAM.get_or_init(compile_once).clone()
}

/// Compile the C program with AddressSanitizer; returns its path.
fn compile_once() -> PathBuf {
    let lib_dir = profile_dir();
    assert!(
        lib_dir.join("libcccd_c.so").is_file(),
        "{} has no libcccd_c.so",
        lib_dir.display()
    );
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("verify_cards");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let status = Command::new(&cc)
        .args([
            "-std=c11",
            "-D_DEFAULT_SOURCE",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-g",
        ])
        .args(["-fsanitize=address,undefined", "-fno-omit-frame-pointer"])
        .arg("-I")
        .arg(crate_dir().join("include"))
        .arg(crate_dir().join("tests/verify_cards.c"))
        .arg("-o")
        .arg(&out)
        .arg(format!("-L{}", lib_dir.display()))
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .args(["-lcccd_c", "-lpthread"])
        .status()
        .unwrap_or_else(|e| panic!("{cc}: {e} (install gcc)"));
    assert!(status.success(), "{cc} failed to compile verify_cards.c");
    out
}

fn sanitized(program: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.env(
        "ASAN_OPTIONS",
        "detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=23",
    )
    .env("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1");
    cmd
}

#[test]
fn c_program_verifies_the_samples_and_drives_the_error_paths() {
    let program = compile();
    let mut cases = String::new();
    for card in cards() {
        writeln!(
            cases,
            "{} {} {}",
            card.dir,
            card.expected_verdict,
            card.aa_challenge.as_deref().unwrap_or("-"),
        )
        .expect("write to a String");
    }
    let cases_file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("verify_cards.cases");
    std::fs::write(&cases_file, cases).expect("write cases");
    let out = sanitized(&program)
        .arg(testdata())
        .arg(&cases_file)
        .output()
        .expect("run verify_cards");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "verify_cards failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    assert!(stdout.contains(" 0 failures"), "{stdout}");
    assert!(!stderr.contains("LeakSanitizer"), "{stderr}");
}

/// The virtual reader `cccd simulate --port 35964` serves.
const READER: &str = pcscd::VPCD_READER_1;

#[test]
#[ignore = "needs pcscd with vpcd: scripts/with-pcscd.sh cargo test -- --include-ignored"]
fn c_program_reads_a_card_through_pcscd() {
    let program = compile();
    let card = cards()
        .into_iter()
        .find(|c| c.expected_verdict == "verified")
        .expect("a valid card");
    let cccd = profile_dir().join("cccd");
    assert!(
        cccd.is_file(),
        "build the CLI with its simulator first: cargo build -p cccd-cli --features sim"
    );
    let dir = testdata().join(&card.dir);
    let _reader = pcscd::lock_reader();
    // Waits until pcscd reports the card; dropped, it leaves the reader empty again.
    let sim = pcscd::Simulated::start(
        || {
            let mut command = Command::new(&cccd);
            command.arg("simulate").arg(&dir).args(["--port", "35964"]);
            command
        },
        READER,
        &format!("cccd simulate {}", dir.display()),
    );
    let can = card.can.as_str();
    let wrong: String = can
        .chars()
        .map(|c| {
            if c == '9' {
                '0'
            } else {
                char::from(c as u8 + 1)
            }
        })
        .collect();
    let out_dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("c-read-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out_dir);
    let started = Instant::now();
    let out = sanitized(&program)
        .args(["--read", READER, can, &wrong])
        .arg(&out_dir)
        .arg(testdata())
        .output()
        .expect("run verify_cards --read");
    drop(sim);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "verify_cards --read failed after {:?}:\n{stdout}\n{stderr}",
        started.elapsed()
    );
    assert!(out_dir.join("EF.SOD").is_file() && out_dir.join("DG1").is_file());
    std::fs::remove_dir_all(&out_dir).expect("remove the dump");
}
