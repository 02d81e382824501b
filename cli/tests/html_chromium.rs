//! The `--html` report rendered by a real browser (headless Chromium): the verdict element and
//! the face are there, the face image decodes, and the screenshot shows the verdict's colour.
//! Ignored by plain `cargo test` (needs Chromium); `scripts/test.sh` installs it and runs this.

#![allow(clippy::unwrap_used)]

mod support;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;

fn chromium(args: &[&str], profile: &Path) -> std::process::Output {
    Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium is installed by scripts/setup.sh")
}

/// The HTML report of the first verified sample card, written (exit 0) into a fresh folder
/// `<prefix>-<pid>` under the temporary directory; returns the folder and the page.
fn verified_report(prefix: &str) -> (PathBuf, PathBuf) {
    let tmp = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let page = tmp.join("report.html");
    let card = cards()
        .into_iter()
        .find(|c| c.expected_verdict == "verified")
        .unwrap();
    let out = cccd()
        .arg("verify")
        .arg(testdata().join(card.dir.as_str()))
        .args(["--at", &reference_date(), "--html"])
        .arg(&page)
        .args(proven_args(&card))
        .output()
        .unwrap();
    assert_exit(&out, 0);
    (tmp, page)
}

#[test]
#[ignore = "needs chromium; scripts/test.sh installs it and runs this"]
fn the_report_renders_with_verdict_and_a_decoded_face() {
    let (tmp, page) = verified_report("cccd-html");
    let url = format!("file://{}", page.display());

    // The DOM after load: verdict element, face element, and the face decoded by the browser.
    let dom = chromium(
        &["--virtual-time-budget=3000", "--dump-dom", &url],
        &tmp.join("p1"),
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains(r#"id="verdict" class="verified""#), "{dom}");
    let decoded = dom
        .split("data-decoded=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|w| w.parse::<u32>().ok())
        .expect("the browser did not decode the face image");
    assert!(decoded > 50, "face width {decoded}");
    assert!(dom.contains("dg.hash.DG1"));

    // A screenshot: the green verdict box is visible.
    let shot = tmp.join("shot.png");
    let s = chromium(
        &[
            "--window-size=1000,800",
            &format!("--screenshot={}", shot.display()),
            &url,
        ],
        &tmp.join("p2"),
    );
    assert!(
        shot.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&s.stderr)
    );
    let img = image::open(&shot).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (1000, 800));
    // The verdict box background is #d8f5d8.
    let green = img.pixels().filter(|p| p.0 == [0xd8, 0xf5, 0xd8]).count();
    assert!(green > 2000, "verdict box not visible ({green} pixels)");
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// The report page with a script appended (to a copy) that writes what the browser laid out
/// into the DOM: the face's rendered and natural size, and the horizontal overflow.
fn measure(page: &Path, width: u32, tmp: &Path) -> (f64, f64, i64) {
    let html = std::fs::read_to_string(page).unwrap();
    let probe = r"<script>addEventListener('load',()=>{const f=document.getElementById('face');const d=document.documentElement;document.body.dataset.m=[f.getBoundingClientRect().width,f.getBoundingClientRect().height,f.naturalWidth,f.naturalHeight,d.scrollWidth-d.clientWidth].join(',')})</script></body>";
    let copy = tmp.join(format!("measure-{width}.html"));
    std::fs::write(&copy, html.replace("</body>", probe)).unwrap();
    let dom = chromium(
        &[
            &format!("--window-size={width},900"),
            "--virtual-time-budget=3000",
            "--dump-dom",
            &format!("file://{}", copy.display()),
        ],
        &tmp.join(format!("pm{width}")),
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    let m: Vec<f64> = dom
        .split("data-m=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no measurement at {width}px: {dom}"))
        .split(',')
        .map(|v| v.parse().unwrap())
        .collect();
    let (w, h, nw, nh, overflow) = (m[0], m[1], m[2], m[3], m[4]);
    assert!(w > 50.0 && nw > 0.0, "{m:?}");
    (w / h, nw / nh, overflow as i64)
}

#[test]
#[ignore = "needs chromium; scripts/test.sh installs it and runs this"]
fn the_face_keeps_its_aspect_ratio_and_nothing_overflows_at_phone_width() {
    let (tmp, page) = verified_report("cccd-html-m");
    for width in [1000, 420] {
        let (shown, natural, overflow) = measure(&page, width, &tmp);
        assert!(
            (shown - natural).abs() / natural < 0.02,
            "{width}px: face shown at ratio {shown:.3}, the image is {natural:.3}"
        );
        assert!(
            overflow <= 0,
            "{width}px: {overflow}px of horizontal overflow"
        );
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn the_report_says_why_what_would_settle_it_and_marks_untrusted_data() {
    let tmp = tempfile::tempdir().unwrap();
    let render = |card: &cccd_testkit::CardEntry, extra: &[String]| {
        let page = tmp
            .path()
            .join(format!("{}.html", card.dir.as_str().replace('/', "-")));
        cccd()
            .arg("verify")
            .arg(testdata().join(card.dir.as_str()))
            .args(["--at", &reference_date(), "--html"])
            .arg(&page)
            .args(extra)
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .output()
            .unwrap();
        std::fs::read_to_string(page).unwrap()
    };
    // A card whose DG1 was altered: the why line names the failed hash, the identity is
    // marked untrusted.
    let altered = cards()
        .into_iter()
        .find(|c| expected_failures(c).iter().any(|f| f == "dg.hash.DG1"))
        .unwrap();
    let page = render(&altered, &proven_args(&altered));
    assert!(page.contains(r#"<p id="why">Failed: "#), "{page}");
    assert!(page.contains("dg.hash.DG1"));
    assert!(page.contains(r#"<p id="untrusted""#), "{page}");
    assert!(page.contains(r#"<tr class="untrusted">"#));
    // A valid card without anchors: inconclusive, and the page says what would settle it.
    let valid = cards()
        .into_iter()
        .find(|c| c.expected_verdict == "verified")
        .unwrap();
    let page = render(&valid, &challenge_args(&valid));
    assert!(
        page.contains(r#"id="verdict" class="inconclusive""#),
        "{page}"
    );
    assert!(page.contains("Not proven: sod.chain"), "{page}");
    assert!(page.contains("What would settle it: the CSCA"), "{page}");
    assert!(page.contains("trust anchors: none given"));
    assert!(!page.contains(r#"<tr class="untrusted">"#));
    // With anchors: verified, the anchors and the tool version named.
    let page = render(&valid, &proven_args(&valid));
    assert!(page.contains("Every required check passed."), "{page}");
    assert!(page.contains("trust anchors: C=VN"), "{page}");
    assert!(page.contains(concat!("cccd ", env!("CARGO_PKG_VERSION"))));
    assert!(page.contains(r#"name="viewport""#));
    // In Vietnamese (--lang vi, or a vi_VN locale): the verdict and the page's words.
    let mut args = proven_args(&valid);
    args.extend(["--lang".to_owned(), "vi".to_owned()]);
    let page = render(&valid, &args);
    assert!(page.contains(r#"<html lang="vi">"#), "{page}");
    assert!(page.contains("Đã xác minh"), "{page}");
    assert!(
        page.contains("Mọi bước kiểm tra bắt buộc đều đạt."),
        "{page}"
    );
    let human = cccd()
        .arg("verify")
        .arg(testdata().join(valid.dir.as_str()))
        .args(["--at", &reference_date()])
        .args(proven_args(&valid))
        .env("LANG", "vi_VN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.starts_with("ĐÃ XÁC MINH"), "{text}");
    let human = cccd()
        .arg("verify")
        .arg(testdata().join(valid.dir.as_str()))
        .args(["--at", &reference_date(), "--lang", "en"])
        .args(proven_args(&valid))
        .env("LANG", "vi_VN.UTF-8")
        .output()
        .unwrap();
    assert!(
        String::from_utf8(human.stdout)
            .unwrap()
            .starts_with("VERIFIED")
    );
}
