//! The `--html` report rendered by a real browser (headless Chromium): the verdict element and
//! the face are there, the face image decodes, and the screenshot shows the verdict's colour.
//! Ignored by plain `cargo test` (needs Chromium); `scripts/test.sh` installs it and runs this.

#![allow(clippy::unwrap_used)]

mod support;
use std::path::Path;
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

#[test]
#[ignore = "needs chromium; scripts/test.sh installs it and runs this"]
fn the_report_renders_with_verdict_and_a_decoded_face() {
    let tmp = std::env::temp_dir().join(format!("cccd-html-{}", std::process::id()));
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
