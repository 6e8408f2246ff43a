//! The HTML report rendered by headless Chromium (Debian's `chromium`; `.ci/run` installs it),
//! driven over the DevTools protocol by `tests/browser/cdp.mjs` (node, no npm packages): the
//! side-by-side rows, findings at their places, filters, keyboard navigation, no console
//! errors, and archive text that contains markup stays text.
//!
//! Without Chromium these tests fail (they are the only check of the page); set
//! `COLLATIO_SKIP_BROWSER=1` to skip them on a machine without it.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn browser() -> Option<PathBuf> {
    if std::env::var_os("COLLATIO_SKIP_BROWSER").is_some() {
        eprintln!("COLLATIO_SKIP_BROWSER is set: browser test skipped");
        return None;
    }
    let c = std::env::var_os("CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    assert!(
        c.exists(),
        "{} not found: install Debian's chromium (.ci/run does) or set COLLATIO_SKIP_BROWSER=1",
        c.display()
    );
    Some(c)
}

/// Open `html` at `width` px, run `expr` (the body of an async function) in the page, save a
/// screenshot to `shot` if given; the value it returns and the page's errors.
fn in_page(
    chromium: &Path,
    html: &Path,
    width: u32,
    shot: Option<&Path>,
    expr: &str,
) -> (Value, Vec<String>) {
    let url = format!("file://{}", html.canonicalize().unwrap().display());
    let shot = shot.map_or("-".to_string(), |p| p.display().to_string());
    let o = Command::new("node")
        .arg(root().join("tests/browser/cdp.mjs"))
        .args([url.as_str(), &width.to_string(), &shot, expr])
        .env("CHROMIUM", chromium)
        .output()
        .expect("run node (node 20 is needed for the browser tests)");
    let out: Value = serde_json::from_str(stdout(&o).trim())
        .unwrap_or_else(|e| panic!("driver output {}: {e}; stderr {}", stdout(&o), stderr(&o)));
    assert!(out.get("error").is_none(), "driver failed: {out}");
    let errors = out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap_or_default().to_string())
        .collect();
    (out["value"].clone(), errors)
}

/// What the seeds' report must show, checked in the page.
const SEEDS_CHECKS: &str = r#"
const q = (s, r) => Array.from((r || document).querySelectorAll(s));
const out = {};
const g = q('section.group').find(s => s.querySelector('h2').textContent.startsWith('fixtures/seeds/001'));
out.pairRows = q('tr.k-pair', g).filter(tr => tr.children.length === 4 && tr.children[1].textContent && tr.children[3].textContent).length;
const sec = h => q('tr.k-sec', g).find(tr => tr.getAttribute('data-heading').trim() === h);
const s29 = sec('3月29日'), s30 = sec('3月30日');
out.sections = !!s29 && !!s30;
out.missing30 = !!s30 && s30.classList.contains('missing');
const loop = q('.finding.cat-loop', g)[0];
const after = (a, b) => !!(a && b && (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));
out.loopIn29 = !!loop && after(s29, loop) && after(loop, s30);
const cl3 = q('.finding', g).find(f => f.querySelector('.code').textContent === 'CL003');
out.missingHeadingAt30 = !!cl3 && cl3.closest('tr').previousElementSibling === s30;
out.highlighted = q('span.chg, span.del, span.ins', g).length;
const shown = el => el.getClientRects().length > 0;
const box = q('#controls input[data-cat="loop"]')[0];
box.checked = false; box.dispatchEvent(new Event('change'));
out.loopHidden = !shown(loop) && q('#jump-list li.cat-loop').every(li => !shown(li));
out.othersStay = q('.finding.cat-altered-event', g).some(shown);
box.checked = true; box.dispatchEvent(new Event('change'));
out.loopShownAgain = shown(loop);
const sev = q('#controls input[data-sev="error"]')[0];
sev.checked = false; sev.dispatchEvent(new Event('change'));
out.errorsHidden = q('.finding.sev-error').every(f => !shown(f)) && q('.finding.sev-error').length > 0;
sev.checked = true; sev.dispatchEvent(new Event('change'));
out.errorsShownAgain = q('.finding.sev-error').every(shown);
document.dispatchEvent(new KeyboardEvent('keydown', { key: 'j' }));
document.dispatchEvent(new KeyboardEvent('keydown', { key: 'j' }));
const cur = q('.finding.current');
out.keyboard = cur.length === 1 && cur[0].getAttribute('data-i') === '1';
s30.scrollIntoView({ block: 'start' });
window.scrollBy(0, -200);
return out;
"#;

#[test]
fn the_seeds_report_renders_side_by_side_with_findings_in_place() {
    let Some(chromium) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("seeds.html");
    let o = run(&[
        "check",
        "--no-config",
        S001,
        S002,
        "--against",
        S000,
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    for width in [1280, 390] {
        let shot = std::env::temp_dir().join(format!("collatio-report-{width}.png"));
        let (v, errors) = in_page(&chromium, &html, width, Some(&shot), SEEDS_CHECKS);
        assert!(errors.is_empty(), "page errors at {width} px: {errors:?}");
        assert!(v["pairRows"].as_u64().unwrap() > 100, "{v}");
        for k in [
            "sections",
            "missing30",
            "loopIn29",
            "missingHeadingAt30",
            "loopHidden",
            "othersStay",
            "loopShownAgain",
            "errorsHidden",
            "errorsShownAgain",
            "keyboard",
        ] {
            assert_eq!(v[k], true, "{k} at {width} px: {v}");
        }
        assert!(v["highlighted"].as_u64().unwrap() > 50, "{v}");
        assert!(shot.exists());
    }
}

/// A witness whose text and front matter hold markup and scripts of their own.
const HOSTILE: &str = "---\ntitle: \"<script>window.__pwned='title';document.title='pwned'</script>\"\nurl: \"javascript:window.__pwned='url'\"\n---\n\n3月1日\n\n◆外交部发言人<script>window.__pwned='script';document.title='pwned'</script>介绍有关情况。\n\n◆卫生健康委<img src=x onerror=\"window.__pwned='img';document.title='pwned'\">通报疫情。\n\n◆会议</script><script>window.__pwned='close'</script><!-- 强调 -->加强合作。\n";

#[test]
fn markup_in_an_archive_text_does_not_run() {
    let Some(chromium) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("ref.txt");
    let witness = dir.path().join("wit.txt");
    std::fs::write(
        &reference,
        "3月1日\n\n◆外交部发言人介绍有关情况。\n\n◆卫生健康委通报疫情。\n\n◆会议强调加强合作。\n",
    )
    .unwrap();
    std::fs::write(&witness, HOSTILE).unwrap();
    let html = dir.path().join("r.html");
    for args in [
        vec![
            "collate",
            "--no-config",
            "--format",
            "html",
            reference.to_str().unwrap(),
        ],
        vec![
            "check",
            "--no-config",
            "--format",
            "html",
            "--against",
            reference.to_str().unwrap(),
        ],
    ] {
        let mut a = args.clone();
        a.extend([witness.to_str().unwrap(), "-o", html.to_str().unwrap()]);
        let o = run(&a);
        assert!(code(&o) <= 1, "{}", stderr(&o));
        let (v, errors) = in_page(
            &chromium,
            &html,
            1280,
            None,
            r#"await new Promise(r => setTimeout(r, 300));
            const text = document.body.textContent;
            return { pwned: window.__pwned || null, title: document.title,
              imgs: document.querySelectorAll('img').length,
              scripts: Array.from(document.scripts).filter(s => s.type !== 'application/json').length,
              shown: text.includes("<script>window.__pwned='script'") && text.includes('onerror=') };"#,
        );
        assert!(errors.is_empty(), "{args:?}: {errors:?}");
        assert_eq!(v["pwned"], Value::Null, "{args:?}: {v}");
        assert!(
            v["title"].as_str().unwrap().starts_with("collatio report"),
            "{v}"
        );
        assert_eq!(v["imgs"], 0, "{v}");
        assert_eq!(v["scripts"], 1, "{v}");
        // The hostile text is on the page, as text: the test is not vacuous.
        assert_eq!(v["shown"], true, "{args:?}: {v}");
    }
}

/// A collation of more rows than a page holds is paged: one page of rows in the DOM, a pager, and
/// a jump to a finding on a later page brings that page.
#[test]
fn a_long_collation_is_paged_and_jumps_reach_later_pages() {
    let Some(chromium) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (mut r, mut w) = (String::new(), String::new());
    for i in 0..900 {
        if i % 30 == 0 {
            let h = format!("{}月{}日\n\n", i / 30 % 12 + 1, i % 28 + 1);
            r.push_str(&h);
            w.push_str(&h);
        }
        let e = format!("◆第{i}项：外交部发言人介绍有关情况，各方加强国际合作。\n\n");
        r.push_str(&e);
        // The last events differ: their findings sit on the last page.
        w.push_str(&if i >= 880 {
            e.replace("国际", "实际")
        } else {
            e
        });
    }
    let (rp, wp, html) = (
        dir.path().join("r.txt"),
        dir.path().join("w.txt"),
        dir.path().join("r.html"),
    );
    std::fs::write(&rp, r).unwrap();
    std::fs::write(&wp, w).unwrap();
    let o = run(&[
        "collate",
        "--no-config",
        "--format",
        "html",
        rp.to_str().unwrap(),
        wp.to_str().unwrap(),
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let (v, errors) = in_page(
        &chromium,
        &html,
        1280,
        None,
        r#"const out = {};
        out.blocks = document.querySelectorAll('section.group script[type="application/json"]').length;
        out.rowsBefore = document.querySelectorAll('tr.row').length;
        out.pager = document.querySelector('.pager').textContent;
        const links = document.querySelectorAll('#jump-list a');
        links[links.length - 1].click();
        out.rowsAfter = document.querySelectorAll('tr.row').length;
        out.pagerAfter = document.querySelector('.pager').textContent;
        out.current = !!document.querySelector('.finding.current');
        return out;"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(v["blocks"], 3, "{v}");
    assert_eq!(v["rowsBefore"], 400, "{v}");
    assert!(v["pager"].as_str().unwrap().contains("page 1 of 3"), "{v}");
    assert!(
        v["pagerAfter"].as_str().unwrap().contains("page 3 of 3"),
        "{v}"
    );
    assert!(v["rowsAfter"].as_u64().unwrap() < 400, "{v}");
    assert_eq!(v["current"], true, "{v}");
}
