//! Broken and hostile input (issue 19): damaged encodings are reported, not guessed; archive
//! text reaches no output raw; special files never block; data files are validated; writes
//! are careful. Every fixture is made by the test.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Run the binary in `dir` with `args`, killing it if it takes longer than `limit`.
fn run_bounded(dir: &Path, args: &[&str], limit: Duration) -> (Output, Duration) {
    let t = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_collatio"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run collatio");
    while child.try_wait().expect("wait").is_none() {
        if t.elapsed() > limit {
            let _ = child.kill();
            panic!("collatio {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    (child.wait_with_output().expect("output"), t.elapsed())
}

fn run_here(dir: &Path, args: &[&str]) -> Output {
    run_bounded(dir, args, Duration::from_secs(60)).0
}

/// A two-paragraph text with a bell character (an EN003 finding) in its last line, encoded in
/// `enc`, with one bad byte inserted `chars` characters into line 2.
fn damaged(enc: &'static encoding_rs::Encoding, bad: &[u8], chars: usize) -> Vec<u8> {
    let lines = [
        // Traditional: Big5 has no simplified forms.
        "國務院新聞辦公室發布白皮書，介紹疫情防控工作的主要情況。\n",
        "第二段落講述各地的防控措施與成效，國際合作持續推進。\n",
        "第三段落有一個響鈴字元\u{7}在這裡。\n",
    ];
    let enc_str = |s: &str| enc.encode(s).0.into_owned();
    let mut out = enc_str(lines[0]);
    let head: String = lines[1].chars().take(chars).collect();
    let tail: String = lines[1].chars().skip(chars).collect();
    out.extend(enc_str(&head));
    out.extend_from_slice(bad);
    out.extend(enc_str(&tail));
    out.extend(enc_str(lines[2]));
    out
}

#[test]
fn one_bad_byte_is_damage_at_its_line_and_column_and_lossy_checks_the_rest() {
    use encoding_rs::{BIG5, GB18030, UTF_8};
    let dir = tempfile::tempdir().unwrap();
    // A truncated UTF-8 sequence; 0xFF, never valid in GB18030 or Big5.
    let cases = [
        ("u8.txt", damaged(UTF_8, b"\xe4\xb8", 5), "UTF-8"),
        ("gb.txt", damaged(GB18030, b"\xff", 5), "gb18030"),
        ("b5.txt", damaged(BIG5, b"\xff", 5), "Big5"),
    ];
    for (name, bytes, enc) in &cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let o = run_here(
            dir.path(),
            &["check", "--no-config", "--format", "jsonl", name],
        );
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{name}: {err}");
        assert!(
            err.contains(&format!("{name}:2:6: damaged text")),
            "{name}: {err}"
        );
        assert!(err.contains(enc), "{name}: {err}");
        assert!(jsonl(&o).is_empty(), "{name}: nothing checked");
        // No legacy guess in the manifest either.
        let o = run_here(dir.path(), &["fingerprint", "--no-config", name]);
        assert_eq!(code(&o), 2, "{name}");
        assert!(!stdout(&o).contains("windows-125"), "{}", stdout(&o));

        let o = run_here(
            dir.path(),
            &["check", "--no-config", "--lossy", "--format", "jsonl", name],
        );
        assert_ne!(code(&o), 2, "{name}: {}", stderr(&o));
        let v = jsonl(&o);
        let lost = with_rule(&v, "encoding/replacement-char");
        assert_eq!(lost.len(), 1, "{name}: {v:?}");
        assert_eq!(
            (lost[0]["line"].as_u64(), lost[0]["column"].as_u64()),
            (Some(2), Some(6)),
            "{name}"
        );
        // The rest of the file was checked: the bell on line 3 is found.
        let bell = with_rule(&v, "encoding/control-char");
        assert_eq!(lines_of(&bell), vec![3], "{name}: {v:?}");
    }
}

#[test]
fn truncated_utf8_is_never_read_as_latin_mojibake() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.txt"),
        b"\xe4\xb8\xad\xe6\x96\x87\n\xe4\xb8",
    )
    .unwrap();
    let o = run_here(dir.path(), &["fingerprint", "--no-config", "t.txt"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("t.txt:2:1"), "{}", stderr(&o));
    // Config `lossy = true` is the same as --lossy.
    std::fs::write(
        dir.path().join("collatio.toml"),
        "paths = [\"t.txt\"]\nlossy = true\n",
    )
    .unwrap();
    let o = run_here(dir.path(), &["fingerprint", "t.txt"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("\"UTF-8\""), "{}", stdout(&o));
}

/// Text that attacks each medium: HTML, a `javascript:` link, a screen clear, an OSC 8
/// hyperlink, an OSC 52 clipboard write, a right-to-left override.
const HOSTILE: &str = "\u{1b}[2J<img src=x onerror=alert(1)><script>alert(2)</script>[点此](javascript:alert(3))\u{1b}]8;;http://evil.example/\u{7}链接\u{1b}]8;;\u{7}\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}反转文字\u{202c}";

/// A reference and a witness that carries [`HOSTILE`] in its text and a `javascript:` link in
/// its file name.
fn hostile_pair() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let base = "国务院新闻办公室发布白皮书，介绍疫情防控工作的主要情况。";
    let other = "世界卫生组织总干事表示，中国采取的措施有效。";
    std::fs::write(dir.path().join("ref.txt"), format!("{base}\n{other}\n")).unwrap();
    // At the start of the paragraph: excerpts of it in messages quote the hostile part.
    let name = "[x](javascript:alert(1)).txt".to_string();
    std::fs::write(
        dir.path().join(&name),
        format!("{HOSTILE}{base}\n{other}\n"),
    )
    .unwrap();
    (dir, name)
}

#[test]
fn markdown_report_renders_hostile_text_inert() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let (dir, name) = hostile_pair();
    let o = run_here(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--against",
            "ref.txt",
            &name,
            "--format",
            "markdown",
        ],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.contains("&lt;img src=x"), "the text is quoted: {md}");
    assert!(!md.contains('\u{1b}') && !md.contains('\u{202e}'), "{md}");
    let mut links = 0;
    for ev in Parser::new_ext(&md, Options::ENABLE_TABLES) {
        match ev {
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML in the report: {h}"),
            Event::Start(Tag::Link { dest_url, .. }) => {
                links += 1;
                let d = dest_url.trim().to_ascii_lowercase();
                assert!(
                    !d.contains("javascript:") && !d.contains("://"),
                    "link to {dest_url}"
                );
            }
            _ => {}
        }
    }
    assert!(links > 0, "findings link to their file: {md}");
}

#[test]
fn terminal_outputs_show_escapes_and_never_send_them() {
    let (dir, name) = hostile_pair();
    let sent = |s: &str| s.contains('\u{1b}') || s.contains('\u{202e}') || s.contains('\u{7}');
    let o = run_here(
        dir.path(),
        &["check", "--no-config", "--against", "ref.txt", &name],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let human = stdout(&o);
    assert!(!sent(&human), "{human}");
    assert!(
        human.contains("\\u{1b}]52;") && human.contains("\\u{202e}"),
        "shown visibly: {human}"
    );
    let o = run_here(dir.path(), &["collate", "--no-config", "ref.txt", &name]);
    assert!(
        !sent(&stdout(&o)) && stdout(&o).contains("\\u{1b}[2J<img src=x"),
        "{}",
        stdout(&o)
    );
    let o = run_here(
        dir.path(),
        &["fingerprint", "--no-config", "ref.txt", "-o", "m.json"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    std::fs::copy(dir.path().join(&name), dir.path().join("ref.txt")).unwrap();
    let o = run_here(dir.path(), &["diff", "--no-config", "m.json", "ref.txt"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        !sent(&stdout(&o)) && stdout(&o).contains("\\u{1b}"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn escaped_quote_before_cjk_in_front_matter_does_not_panic() {
    let text = format!(
        "---\ndate: \"\\\"二〇二〇年{}\"\n---\n正文第一段，国务院新闻办公室发布白皮书。\n",
        "题".repeat(60)
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fm.txt"), text).unwrap();
    let o = run_here(dir.path(), &["check", "--no-config", "fm.txt"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("fm.txt:2:8") && stdout(&o).contains("二〇二〇年题"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn error_at_the_end_of_a_200kb_one_line_rules_file_names_its_column() {
    let dir = tempfile::tempdir().unwrap();
    let line = format!("safe = [{}] bogus", vec!["\"反覆\""; 20_000].join(", "));
    assert!(line.len() > 200_000);
    std::fs::write(dir.path().join("one.toml"), &line).unwrap();
    std::fs::write(dir.path().join("a.txt"), "正文。\n").unwrap();
    let o = run_here(
        dir.path(),
        &["check", "--no-config", "--rules", "one.toml", "a.txt"],
    );
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    let col = line.chars().count() - "bogus".len() + 1;
    assert!(err.contains(&format!("one.toml:1:{col}")), "{err}");
    assert!(!err.contains("panicked") && err.len() < 4000, "{err}");
}

/// Every role a path plays, with `P` for the special file.
const ROLES: &[&[&str]] = &[
    &["check", "--no-config", "P"],
    &["check", "--config", "P", "a.txt"],
    &["check", "--no-config", "--baseline", "P", "a.txt"],
    &["check", "--no-config", "--rules", "P", "a.txt"],
    &["check", "--no-config", "--against", "P", "a.txt"],
    &["collate", "--no-config", "P", "a.txt"],
    &["collate", "--no-config", "a.txt", "P"],
    &["fingerprint", "--no-config", "P"],
    &["diff", "--no-config", "P", "a.txt"],
    &["rules", "check", "P"],
    &["corroborate", "--no-config", "P", "a.txt"],
    &["corroborate", "--no-config", "a.txt", "P"],
];

#[test]
fn fifo_and_devices_in_every_role_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "国务院新闻办公室发布白皮书。\n").unwrap();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let mut specials = vec!["/dev/zero", "/dev/null"];
    if made.is_ok_and(|s| s.success()) {
        specials.push("pipe");
    }
    for special in specials {
        for role in ROLES {
            let args: Vec<&str> = role
                .iter()
                .map(|a| if *a == "P" { special } else { a })
                .collect();
            let (o, took) = run_bounded(dir.path(), &args, Duration::from_secs(20));
            let err = stderr(&o);
            assert_eq!(code(&o), 2, "{args:?}: {err}");
            assert!(
                err.contains("FIFO") || err.contains("character device"),
                "{args:?}: {err}"
            );
            // A FIFO read would block until the 20 s kill; refused at once takes milliseconds
            // unloaded, seconds on a loaded CI machine.
            assert!(took < Duration::from_secs(15), "{args:?} took {took:?}");
        }
    }
    // Inside a folder a FIFO is passed over with a note.
    if dir.path().join("pipe").exists() {
        let o = run_here(dir.path(), &["check", "--no-config", "."]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert!(
            stderr(&o).contains("pipe: not a regular file"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn hostile_data_files_are_refused_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "国务院新闻办公室发布白皮书。\n").unwrap();
    let fails = |args: &[&str], needles: &[&str]| {
        let o = run_here(d, args);
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{args:?}: {err}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: no `{n}` in {err}");
        }
    };
    std::fs::write(
        d.join("b.json"),
        "{\"collatio_baseline\": 1, \"findings\": [\n{\"fingerprint\": \"f1\", \"rule\": \"loop/repeated-phrase\", \"code\": \"LP001\", \"category\": \"loop\", \"severity\": \"warning\", \"file\": \"a.txt\", \"line\": 1, \"column\": 1, \"message\": \"m\",\n \"count\": 1000000000000}]}\n",
    )
    .unwrap();
    fails(
        &["check", "--no-config", "--baseline", "b.json", "a.txt"],
        &["b.json", "line 2", "count"],
    );
    std::fs::write(
        d.join("m.json"),
        "{\n  \"collatio_manifest\": 9,\n  \"files\": []\n}\n",
    )
    .unwrap();
    fails(
        &["diff", "--no-config", "m.json", "a.txt"],
        &["m.json", "line 2", "version 9"],
    );
    fails(
        &[
            "diff",
            "--no-config",
            "--format",
            "sarif",
            "m.json",
            "a.txt",
        ],
        &["SARIF"],
    );
    fails(
        &["check", "--no-config", "--color", "sometimes", "a.txt"],
        &["sometimes"],
    );
    std::fs::write(
        d.join("r.toml"),
        "[[office]]\nid = \"x\"\nnames = [\"、 \"]\nbody = \"X\"\ntitle = \"head-of-state\"\n",
    )
    .unwrap();
    fails(
        &["check", "--no-config", "--rules", "r.toml", "a.txt"],
        &["r.toml", "line 1", "no letter"],
    );
    std::fs::write(
        d.join("c.toml"),
        "paths = [\"a.txt\"]\n\n[[group]]\nreference = \"a.txt\"\nwitnesses = [\"w/[x*.txt\"]\n",
    )
    .unwrap();
    fails(
        &["check", "--config", "c.toml"],
        &["c.toml", "line 5", "bad witness glob"],
    );
}

#[test]
fn writes_follow_links_keep_modes_refuse_inputs_and_clean_stale_temps() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "国务院新闻办公室发布白皮书。\n").unwrap();
    // A link is followed: the link stays, its target gets the report and keeps its mode.
    std::fs::write(d.join("real.md"), "old").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(d.join("real.md"), std::fs::Permissions::from_mode(0o640))
            .unwrap();
        std::os::unix::fs::symlink("real.md", d.join("link.md")).unwrap();
        let o = run_here(d, &["check", "--no-config", "a.txt", "-o", "link.md"]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert!(std::fs::symlink_metadata(d.join("link.md"))
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(std::fs::read_to_string(d.join("real.md"))
            .unwrap()
            .contains("1 file checked"));
        let mode = std::fs::metadata(d.join("real.md"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    // The file being checked is never overwritten.
    let o = run_here(d, &["check", "--no-config", "a.txt", "-o", "./a.txt"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("overwrite an input"), "{}", stderr(&o));
    assert!(std::fs::read_to_string(d.join("a.txt"))
        .unwrap()
        .contains("白皮书"));
    // A device is written in place, never replaced by a renamed temp file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let o = run_here(d, &["check", "--no-config", "a.txt", "-o", "/dev/null"]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let ft = std::fs::metadata("/dev/null").unwrap().file_type();
        assert!(ft.is_char_device());
    }
    // A failed write says so.
    let o = run_here(
        d,
        &[
            "fingerprint",
            "--no-config",
            "a.txt",
            "-o",
            "no/such/m.json",
        ],
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
    // Temp files of killed writes to this target are removed; nothing else is.
    let dead = ".m.json.collatio-tmp.999999999.0badc0de";
    let keep = [
        ".m.json.collatio-tmp.x.1",
        ".m.json.tmp.7",
        ".n.json.collatio-tmp.999999999.1",
        "m.json.collatio-tmp.999999999.1",
    ];
    for f in std::iter::once(&dead).chain(&keep) {
        std::fs::write(d.join(f), "partial").unwrap();
    }
    let o = run_here(d, &["fingerprint", "--no-config", "a.txt", "-o", "m.json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!d.join(dead).exists());
    for f in keep {
        assert!(d.join(f).exists(), "{f} was removed");
    }
    let temps = std::fs::read_dir(d)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".m.json.collatio-tmp.9")
        })
        .count();
    assert_eq!(temps, 0);
}

/// A panic while checking one document becomes an internal error naming that file; the other
/// files are still checked.
#[test]
fn a_panic_in_one_document_is_an_error_for_that_file_only() {
    use collatio::pipeline::{check_paths, Keep, ReadOptions};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "國務院新聞辦公室發布白皮書。\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "生產生活秩序加快恢覆的態勢。\n").unwrap();
    let kb = collatio::knowledge::Knowledge::embedded();
    // `keep` runs inside the per-document work, after the rules: a stand-in for a rule that
    // panics on one file.
    let keep = |d: &collatio::model::Document, _: &[collatio::finding::Finding]| {
        if d.path.ends_with("a.txt") {
            panic!("boom in a rule");
        }
        Keep::No
    };
    let r = check_paths(
        &[dir.path().to_path_buf()],
        &ReadOptions::default(),
        &kb,
        &collatio::rules::Settings::default(),
        &keep,
    );
    assert_eq!(r.files, 1);
    assert!(r
        .findings
        .iter()
        .any(|f| f.location.file.ends_with("b.txt")));
    assert_eq!(r.errors.len(), 1);
    let e = r.errors[0].to_string();
    assert!(
        e.contains("a.txt") && e.contains("internal error") && e.contains("boom in a rule"),
        "{e}"
    );
}

/// Offsets into a document are 32-bit: a size limit of 4 GiB or more is refused up front with the
/// largest limit that works, and that limit is taken.
#[test]
fn a_size_limit_of_4_gib_or_more_is_refused() {
    let o = run(&[
        "check",
        "--no-config",
        "--max-file-size",
        "4G",
        "fixtures/seeds",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("4095M"), "{}", stderr(&o));
    let o = run(&[
        "check",
        "--no-config",
        "--max-file-size",
        "4095M",
        "fixtures/seeds",
    ]);
    assert_ne!(code(&o), 2, "{}", stderr(&o));
}
