//! `cccd verify --batch`: one JSON line per sample dump, with the manifest's verdicts and
//! failed checks; the same results on 1 and 8 threads; exit codes for all-verified,
//! inconclusive, failed and bad input. No timing assertions.

#![allow(clippy::unwrap_used)]

mod support;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use support::*;

/// Run a batch over `dir` with `threads` rayon threads.
fn batch(dir: &Path, threads: usize, extra: &[String]) -> std::process::Output {
    cccd()
        .args(["verify", "--batch"])
        .arg(dir)
        .args(["--json", "--at", &reference_date()])
        .args(extra)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .unwrap()
}

/// Each output line as (folder name -> (verdict, failed checks)).
fn lines(out: &std::process::Output) -> BTreeMap<String, (String, BTreeSet<String>)> {
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let mut map = BTreeMap::new();
    for line in text.lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        // One line = one report document (or an error document), its source the dump.
        assert_eq!(v["schema_version"], 1, "{line}");
        let dir = PathBuf::from(v["source"].as_str().unwrap());
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let failed = v["checks"]
            .as_array()
            .map(|checks| {
                checks
                    .iter()
                    .filter(|c| c["status"] == "fail")
                    .map(|c| c["name"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        let verdict = v["verdict"].as_str().unwrap_or("error").to_owned();
        assert!(
            map.insert(name, (verdict, failed)).is_none(),
            "dump twice: {line}"
        );
    }
    map
}

/// A fresh empty folder under the system temp dir, removed by the caller.
fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cccd-batch-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A batch folder holding symlinks to the sample cards whose folder name starts with `prefix`.
fn linked_cards(tag: &str, prefix: &str) -> PathBuf {
    let dir = scratch(tag);
    for card in cards() {
        let src = testdata().join(card.dir.as_str());
        let name = src.file_name().unwrap().to_owned();
        if name.to_string_lossy().starts_with(prefix) {
            std::os::unix::fs::symlink(&src, dir.join(name)).unwrap();
        }
    }
    dir
}

/// With the readers' records trusted (`--trust-recorded-auth`, an operator's own kiosks),
/// each dump gets the manifest's verdict; without, a valid dump is only inconclusive.
#[test]
fn every_line_has_the_manifest_verdict_and_failed_checks() {
    let mut trusting = trust_args();
    trusting.push("--trust-recorded-auth".into());
    let out = batch(&testdata().join("cards"), 2, &trusting);
    let alone = lines(&batch(&testdata().join("cards"), 2, &trust_args()));
    let got = lines(&out);
    let cards = cards();
    assert_eq!(got.len(), cards.len(), "{got:?}");
    for card in &cards {
        let dir = card.dir.as_str();
        let name = dir.rsplit('/').next().unwrap();
        let (verdict, failed) = got.get(name).unwrap_or_else(|| panic!("no line for {dir}"));
        assert_eq!(verdict, card.expected_verdict.as_str(), "{dir}");
        assert_eq!(
            alone[name].0,
            card.expected_verdict_dump_alone.as_str(),
            "{dir} without trusting card.json"
        );
        for must in &card.failing_checks {
            assert!(
                failed.contains(must),
                "{dir}: {must} not among failed {failed:?}"
            );
        }
        if verdict == "verified" {
            assert!(failed.is_empty(), "{dir}: {failed:?}");
        }
    }
    // Broken cards are among them: exit 1.
    assert_exit(&out, 1);
}

#[test]
fn eight_threads_and_one_thread_give_the_same_results() {
    let dir = testdata().join("cards");
    let one = batch(&dir, 1, &trust_args());
    let eight = batch(&dir, 8, &trust_args());
    assert_eq!(one.status.code(), eight.status.code());
    let (one, eight) = (lines(&one), lines(&eight));
    assert!(one.len() >= 20);
    assert_eq!(one, eight);
}

#[test]
fn all_valid_cards_exit_zero_and_without_anchors_exit_four() {
    let dir = linked_cards("valid", "v");
    let mut trusting = trust_args();
    trusting.push("--trust-recorded-auth".into());
    let out = batch(&dir, 4, &trusting);
    let got = lines(&out);
    assert_eq!(out.status.code(), Some(0), "{got:?}");
    assert!(got.len() >= 10);
    assert!(got.values().all(|(v, _)| v == "verified"), "{got:?}");
    // card.json not trusted: nothing fails, but the chips are not proven genuine.
    let out = batch(&dir, 4, &trust_args());
    let got = lines(&out);
    assert_eq!(out.status.code(), Some(4), "{got:?}");
    assert!(got.values().all(|(v, _)| v == "inconclusive"), "{got:?}");
    // No CSCA given: nothing fails, but the chain is not anchored.
    let out = batch(&dir, 4, &["--trust-recorded-auth".to_owned()]);
    let got = lines(&out);
    assert_eq!(out.status.code(), Some(4), "{got:?}");
    assert!(got.values().all(|(v, _)| v == "inconclusive"), "{got:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_folder_that_is_not_a_dump_is_reported_and_exits_two() {
    let dir = linked_cards("junk", "v01");
    std::fs::create_dir(dir.join("not-a-dump")).unwrap();
    std::fs::write(dir.join("not-a-dump/README"), b"hello").unwrap();
    // Plain files and hidden folders beside the dumps are ignored.
    std::fs::write(dir.join("notes.txt"), b"ignored").unwrap();
    std::fs::create_dir(dir.join(".hidden")).unwrap();
    let mut trusting = trust_args();
    trusting.push("--trust-recorded-auth".into());
    let out = batch(&dir, 2, &trusting);
    let got = lines(&out);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got["v01-hung-ec-bp384"].0, "verified");
    assert_eq!(got["not-a-dump"].0, "error");
    assert_exit(&out, 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_folder_or_conflicting_flags_are_bad_input() {
    let out = batch(Path::new("/nonexistent/cccd-batch"), 1, &[]);
    assert_exit(&out, 2);
    // Under --json the error is an error document on standard output.
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["error"]["kind"], "bad_input");
    assert_eq!(doc["error"]["exit_code"], 2);
    let out = cccd()
        .args(["verify", "--batch"])
        .arg(testdata().join("cards"))
        .args(["--name", "Nguyễn Văn A"])
        .output()
        .unwrap();
    assert_exit(&out, 2);
}

#[test]
fn a_reader_that_stops_early_does_not_make_it_panic() {
    use std::io::{BufRead, BufReader};
    let mut child = cccd()
        .args(["verify", "--batch"])
        .arg(testdata().join("cards"))
        .args(["--json", "--at", &reference_date()])
        .env("RAYON_NUM_THREADS", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The pipe is closed here (the reader was dropped), like `| head -1`.
    let out = child.wait_with_output().unwrap();
    let line: serde_json::Value = serde_json::from_str(first.trim()).unwrap();
    assert!(line["verdict"].is_string(), "{first}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.code().is_some(), "killed by a signal");
}

/// `--jobs N`: the lines come in the folder's listing order, so one and two threads print the
/// very same lines in the same order; the end summary on standard error reports the
/// prepared-signer cache.
#[test]
fn jobs_keep_the_listing_order_and_report_the_signer_cache() {
    let dir = testdata().join("cards");
    let run = |jobs: &str| {
        cccd()
            .args(["verify", "--batch"])
            .arg(&dir)
            .args(["--json", "--at", &reference_date(), "--jobs", jobs])
            .args(trust_args())
            .output()
            .unwrap()
    };
    let (one, two) = (run("1"), run("2"));
    assert_eq!(one.status.code(), Some(1));
    let names = |out: &std::process::Output| -> Vec<String> {
        String::from_utf8(out.stdout.clone())
            .unwrap()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["source"].as_str().unwrap().to_owned()
            })
            .collect()
    };
    let listed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.display().to_string())
        .collect();
    assert!(listed.len() >= 20);
    assert_eq!(names(&one), listed);
    assert_eq!(one.stdout, two.stdout);
    for out in [&one, &two] {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("prepared signers: "), "{stderr}");
        assert!(
            stderr.contains(" hits, ") && stderr.contains(" misses"),
            "{stderr}"
        );
    }
    let zero = run("0");
    assert_eq!(zero.status.code(), Some(2), "--jobs 0 is refused");
}
