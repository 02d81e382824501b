//! Human output in Vietnamese and English (`--lang`, or the locale), JSON unchanged by the
//! language, values from a data group whose hash failed marked untrusted beside them (text
//! and HTML), and `inspect`'s curve and algorithm names.

#![allow(clippy::unwrap_used)]

mod support;
use support::*;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

fn valid_card() -> CardEntry {
    cards()
        .into_iter()
        .find(|c| c.expected_verdict == "verified")
        .unwrap()
}

/// `cccd verify` of a sample card with its trust anchors and AA challenge, plus `extra`.
fn verify(card: &CardEntry, extra: &[&str]) -> std::process::Output {
    cccd()
        .arg("verify")
        .arg(testdata().join(card.dir.as_str()))
        .args(["--at", &reference_date()])
        .args(proven_args(card))
        .args(extra)
        .output()
        .unwrap()
}

/// Words only the Vietnamese output holds: the verdict, check titles, labels, a status.
const VIETNAMESE: [&str; 6] = [
    "ĐÃ XÁC MINH",
    "Chữ ký của người ký tài liệu trên EF.SOD",
    "Chip là chip gốc (xác thực chip)",
    "DG1 không bị sửa đổi (mã băm)",
    "Số định danh",
    "Các bước kiểm tra",
];

/// Their English counterparts.
const ENGLISH: [&str; 6] = [
    "VERIFIED",
    "Document signer's signature on EF.SOD",
    "Chip is the original (chip authentication)",
    "DG1 unaltered (hash)",
    "ID number",
    "Checks",
];

#[test]
fn verify_speaks_vietnamese_with_lang_vi_and_english_with_lang_en() {
    let card = valid_card();
    let vi = verify(&card, &["--lang", "vi"]);
    assert_exit(&vi, 0);
    let text = stdout(&vi);
    for word in VIETNAMESE {
        assert!(text.contains(word), "{word:?} missing from:\n{text}");
    }
    assert!(text.contains("đạt"), "{text}");
    // The library's reasons stay English, labelled as such.
    assert!(text.contains("[tiếng Anh] "), "{text}");
    let en = verify(&card, &["--lang", "en"]);
    let text = stdout(&en);
    for word in ENGLISH {
        assert!(text.contains(word), "{word:?} missing from:\n{text}");
    }
    for word in VIETNAMESE {
        assert!(
            !text.contains(word),
            "{word:?} in the English output:\n{text}"
        );
    }
    assert!(!text.contains("tiếng Anh"), "{text}");
}

#[test]
fn an_inconclusive_verdict_says_what_would_settle_it_in_either_language() {
    let card = valid_card();
    let run = |lang: &str| {
        let out = cccd()
            .arg("verify")
            .arg(testdata().join(card.dir.as_str()))
            .args(["--at", &reference_date(), "--lang", lang])
            .args(challenge_args(&card))
            .output()
            .unwrap();
        assert_exit(&out, 4);
        stdout(&out)
    };
    let text = run("vi");
    assert!(text.starts_with("CHƯA ĐỦ CĂN CỨ"), "{text}");
    assert!(
        text.contains("chưa chứng minh: Người ký tài liệu được CSCA tin cậy chứng nhận"),
        "{text}"
    );
    assert!(
        text.contains("Cần thêm để kết luận: chứng thư CSCA"),
        "{text}"
    );
    let text = run("en");
    assert!(text.starts_with("INCONCLUSIVE"), "{text}");
    assert!(text.contains("What would settle it: the CSCA"), "{text}");
}

#[test]
fn the_language_comes_from_the_locale_when_not_given() {
    let card = valid_card();
    let run = |var: &str, value: &str| {
        let mut command = cccd();
        command
            .arg("verify")
            .arg(testdata().join(card.dir.as_str()))
            .args(["--at", &reference_date()])
            .args(proven_args(&card))
            .env(var, value);
        stdout(&command.output().unwrap())
    };
    assert!(run("LANG", "vi_VN.UTF-8").starts_with("ĐÃ XÁC MINH"));
    assert!(run("LC_ALL", "vi_VN.UTF-8").starts_with("ĐÃ XÁC MINH"));
    assert!(run("LANG", "en_US.UTF-8").starts_with("VERIFIED"));
    // LC_MESSAGES outranks LANG.
    let mut command = cccd();
    command
        .arg("verify")
        .arg(testdata().join(card.dir.as_str()))
        .args(["--at", &reference_date()])
        .args(proven_args(&card))
        .env("LANG", "en_US.UTF-8")
        .env("LC_MESSAGES", "vi_VN.UTF-8");
    assert!(stdout(&command.output().unwrap()).starts_with("ĐÃ XÁC MINH"));
}

#[test]
fn json_does_not_depend_on_the_language() {
    let card = valid_card();
    let vi = json_of(&verify(&card, &["--json", "--lang", "vi"]));
    let en = json_of(&verify(&card, &["--json", "--lang", "en"]));
    assert_eq!(vi, en);
    let inspect = |lang: &str| {
        json_of(
            &cccd()
                .arg("inspect")
                .arg(testdata().join(card.dir.as_str()))
                .args(["--json", "--lang", lang])
                .output()
                .unwrap(),
        )
    };
    assert_eq!(inspect("vi"), inspect("en"));
}

#[test]
fn batch_lines_and_summary_follow_the_language() {
    let run = |lang: &str| {
        cccd()
            .args(["verify", "--batch"])
            .arg(testdata().join("cards"))
            .args([
                "--at",
                &reference_date(),
                "--trust-recorded-auth",
                "--lang",
                lang,
            ])
            .args(trust_args())
            .output()
            .unwrap()
    };
    let vi = run("vi");
    let (lines, summary) = (stdout(&vi), stderr(&vi));
    assert!(
        lines.lines().any(|l| l.starts_with("ĐÃ XÁC MINH")),
        "{lines}"
    );
    assert!(
        lines.lines().any(|l| l.starts_with("KHÔNG XÁC MINH ĐƯỢC")),
        "{lines}"
    );
    assert!(summary.contains("đã xác minh"), "{summary}");
    let en = run("en");
    let (lines, summary) = (stdout(&en), stderr(&en));
    assert!(lines.lines().any(|l| l.starts_with("VERIFIED")), "{lines}");
    assert!(!lines.contains("XÁC MINH"), "{lines}");
    assert!(summary.contains(" verified, "), "{summary}");
}

#[test]
fn inspect_mrz_qr_and_trust_follow_the_language() {
    let card = valid_card();
    let run = |args: &[&str], lang: &str| {
        let out = cccd().args(args).args(["--lang", lang]).output().unwrap();
        stdout(&out)
    };
    let dump = testdata().join(card.dir.as_str()).display().to_string();
    let pki = testdata().join("pki").display().to_string();
    let mrz = card.mrz.replace('\n', "|");
    // (command, a Vietnamese word it must show, the English word in its place)
    let cases: [(Vec<&str>, &str, &str); 4] = [
        (
            vec!["inspect", &dump],
            "Xác thực chip (CA)",
            "Chip auth. (CA)",
        ),
        (vec!["mrz", &mrz], "Hạt giống khoá BAC", "BAC key seed"),
        (vec!["qr", &card.qr_text], "Nhất quán", "Consistent"),
        (vec!["trust", &pki], "chứng thư;", "certificates;"),
    ];
    for (args, vi, en) in cases {
        let text = run(&args, "vi");
        assert!(
            text.contains(vi),
            "{args:?} in Vietnamese lacks {vi:?}:\n{text}"
        );
        assert!(
            !text.contains(en),
            "{args:?} in Vietnamese shows {en:?}:\n{text}"
        );
        let text = run(&args, "en");
        assert!(
            text.contains(en),
            "{args:?} in English lacks {en:?}:\n{text}"
        );
        assert!(
            !text.contains(vi),
            "{args:?} in English shows {vi:?}:\n{text}"
        );
    }
}

/// The card whose only failing check is `dg.hash.<dg>` (a tampered data group).
fn tampered(dg: &str) -> CardEntry {
    let check = format!("dg.hash.{dg}");
    cards()
        .into_iter()
        .find(|c| expected_failures(c) == [check.clone()])
        .unwrap_or_else(|| panic!("no sample card fails only {check}"))
}

/// The human line of an identity row, by its label.
fn row<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no {label} row in:\n{text}"))
}

#[test]
fn values_from_a_tampered_data_group_are_marked_untrusted_in_text() {
    // DG1 altered: the MRZ name (DG1) is untrusted; the full name and ID number (DG13) not.
    let card = tampered("DG1");
    let out = verify(&card, &[]);
    assert_exit(&out, 1);
    let text = stdout(&out);
    assert!(
        row(&text, "MRZ name").contains("[UNTRUSTED: DG1 hash failed]"),
        "{text}"
    );
    for label in ["Full name", "ID number", "Place of"] {
        assert!(!row(&text, label).contains("UNTRUSTED"), "{text}");
    }
    // DG13 altered: the other way round.
    let card = tampered("DG13");
    let text = stdout(&verify(&card, &[]));
    for label in ["Full name", "ID number", "Date of birth"] {
        assert!(
            row(&text, label).contains("[UNTRUSTED: DG13 hash failed]"),
            "{label}: {text}"
        );
    }
    assert!(!row(&text, "MRZ name").contains("UNTRUSTED"), "{text}");
    // In Vietnamese too.
    let text = stdout(&verify(&card, &["--lang", "vi"]));
    assert!(
        row(&text, "Họ và tên").contains("KHÔNG TIN CẬY: mã băm DG13 không khớp"),
        "{text}"
    );
    // A valid card: nothing marked.
    let text = stdout(&verify(&valid_card(), &[]));
    assert!(!text.contains("UNTRUSTED"), "{text}");
}

#[test]
fn values_from_a_tampered_data_group_are_marked_untrusted_in_html() {
    let tmp = tempfile::tempdir().unwrap();
    let page = |card: &CardEntry| {
        let path = tmp.path().join(format!("{}.html", card.persona));
        let _ = std::fs::remove_file(&path);
        let out = verify(card, &["--html", path.to_str().unwrap()]);
        assert!(out.status.code().is_some(), "{}", stderr(&out));
        std::fs::read_to_string(path).unwrap()
    };
    let untrusted = |label: &str| format!(r#"<tr class="untrusted"><th>{label}</th>"#);
    let trusted = |label: &str| format!("<tr><th>{label}</th>");
    let html = page(&tampered("DG1"));
    assert!(html.contains(&untrusted("MRZ name")), "{html}");
    assert!(html.contains("(untrusted: DG1 hash failed)"), "{html}");
    assert!(html.contains(&trusted("Full name")), "{html}");
    assert!(html.contains(&trusted("ID number")), "{html}");
    let html = page(&tampered("DG13"));
    assert!(html.contains(&untrusted("Full name")), "{html}");
    assert!(html.contains(&untrusted("ID number")), "{html}");
    assert!(html.contains(&trusted("MRZ name")), "{html}");
    let html = page(&valid_card());
    assert!(!html.contains(r#"class="untrusted""#), "{html}");
    assert!(!html.contains("(untrusted:"), "{html}");
    assert!(!html.contains(r#"id="untrusted""#), "{html}");
}

#[test]
fn inspect_names_curves_and_algorithms() {
    for card in cards().into_iter().filter(|c| c.broken == "nothing") {
        let out = cccd()
            .arg("inspect")
            .arg(testdata().join(card.dir.as_str()))
            .output()
            .unwrap();
        let text = stdout(&out);
        // No Rust Debug names (`BrainpoolP256r1`, `NistP256`, `Sha256`).
        for debug in ["Brainpool", "NistP", "Sha2", "Sha3", "Sha1"] {
            assert!(!text.contains(debug), "{}: {debug} in\n{text}", card.dir);
        }
        let pace = row(&text, "PACE");
        assert!(pace.contains("id-PACE-"), "{pace}");
        assert!(
            pace.contains("(brainpoolP") || pace.contains("(P-") || pace.contains("parameter"),
            "{pace}"
        );
        assert!(row(&text, "EF.SOD hash").contains("SHA-"), "{text}");
        let aa = row(&text, "Active auth.");
        match card.aa_key.as_str() {
            "ec-p256" => assert!(aa.contains("EC P-256 (secp256r1) key"), "{aa}"),
            "rsa-1024" => assert!(aa.contains("RSA-1024 key"), "{aa}"),
            "rsa-2048" => assert!(aa.contains("RSA-2048 key"), "{aa}"),
            _ => {}
        }
    }
}
