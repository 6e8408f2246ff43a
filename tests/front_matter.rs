//! Front matter read as YAML, and dates checked against the calendar, through the binary:
//! what a user sees for a malformed or unterminated block and for an impossible date.

mod common;

use common::{code, jsonl, run_in, stderr, stdout};

const BODY: &str = "新华社北京1月5日电 国务院新闻办公室发布白皮书，介绍疫情防控工作的主要情况。\n";

/// `check --format jsonl` (or `human`) on `text`, written as `fm.txt` in a folder of its own.
fn check(text: &str, format: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fm.txt"), text).unwrap();
    run_in(
        dir.path(),
        &["check", "--no-config", "--format", format, "fm.txt"],
    )
}

fn findings(text: &str, code_: &str) -> Vec<serde_json::Value> {
    let o = check(text, "jsonl");
    assert_ne!(code(&o), 2, "{}", stderr(&o));
    jsonl(&o)
        .into_iter()
        .filter(|f| f["code"] == code_)
        .collect()
}

#[test]
fn malformed_yaml_is_one_error_at_its_line() {
    let text = format!("---\ntitle: 会议纪要\ntags: [防控, 疫情\ndate: 2020-01-05\n---\n{BODY}");
    let f = findings(&text, "PV007");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["severity"], "error");
    assert_eq!(f[0]["line"], 4, "{f:?}");
    assert!(
        f[0]["message"].as_str().unwrap().contains("not valid YAML"),
        "{f:?}"
    );
    // Valid YAML that a line reader misread is no finding at all.
    let ok = format!("---\ntitle: \"会议: 纪要\"\nsummary: |\n  第一行\n  第二行\ntags: [防控, 疫情]\nsource:\n  name: 新华社\ndate: 2020-01-05\n---\n{BODY}");
    assert!(findings(&ok, "PV007").is_empty());
    assert!(findings(&ok, "PV005").is_empty());
}

#[test]
fn unterminated_front_matter_is_an_error_naming_file_and_line_and_the_body_is_checked() {
    let text = format!("---\ntitle: 会议纪要\n{BODY}第二段有一个响铃字符\u{7}在这里。\n");
    let o = check(&text, "human");
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("fm.txt:1:1"), "{out}");
    assert!(out.contains("no closing `---`"), "{out}");
    // The body is still checked: the bell character is an encoding finding.
    let o = check(&text, "jsonl");
    assert!(
        jsonl(&o).iter().any(|f| f["code"] == "EN003"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn impossible_dates_are_refused_with_the_reason() {
    let text = format!("---\ntitle: 会议\ndate: 2020-02-30\n---\n{BODY}");
    let f = findings(&text, "PV005");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0]["line"].as_u64(), f[0]["column"].as_u64()),
        (Some(3), Some(7))
    );
    let m = f[0]["message"].as_str().unwrap();
    assert!(m.contains("2020-02 has 29 days"), "{m}");
    let leap = format!("---\ndate: 2020-02-29\n---\n{BODY}");
    assert!(findings(&leap, "PV005").is_empty());
    // A capture date (the archive URL's timestamp) too.
    let url = format!("---\ndate: 2020-01-05\nurl: https://web.archive.org/web/20200231120000/https://example.org/a\noriginal_url: https://example.org/a\n---\n{BODY}");
    let f = findings(&url, "PV005");
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0]["message"].as_str().unwrap().contains("20200231"),
        "{f:?}"
    );
}

/// A title or date that opens with an escaped quote before CJK text: the finding's span is the
/// raw value, and the human report renders it (a span ending mid-character once panicked).
#[test]
fn escaped_quote_before_cjk_renders_in_every_format() {
    let text = format!(
        "---\ntitle: \"\\\"标题{}\"\ndate: \"\\\"二〇二〇年{}\"  # comment\n---\n{BODY}",
        "题".repeat(40),
        "题".repeat(40)
    );
    for format in ["human", "jsonl", "sarif", "markdown"] {
        let o = check(&text, format);
        assert_eq!(code(&o), 1, "{format}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panick"), "{format}: {}", stderr(&o));
    }
    let o = check(&text, "human");
    assert!(stdout(&o).contains("fm.txt:3:8"), "{}", stdout(&o));
}
