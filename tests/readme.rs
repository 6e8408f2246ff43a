//! The README's examples and `rules explain`'s advice run here, so they cannot drift:
//!
//! - every ```toml block under a "Rule data" heading passes `collatio rules check`;
//! - every other ```toml block parses as a `collatio.toml`; the first one under "Configuration"
//!   also runs: a project is laid out with the folders and files it names (seed texts for the
//!   texts), and `collatio baseline` and `collatio check` run in it;
//! - every command line starting with `collatio` in a ```sh, ```console or ```yaml block runs in
//!   that project, in README order, and must not end in a usage or input error (exit 2);
//! - the "Silence" advice of every rule (`--severity …` and the config block) is accepted.
//!
//! A block that cannot run in a test (it needs the network, a GitHub runner …) opts out with an
//! HTML comment on the line before its fence: `<!-- untested: why -->`.

mod common;

use common::warc::{encode, gz, render_page, response, wacz};
use common::{code, root, run, run_in, stderr, stdout, S000, S001, S002};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One fenced code block of a Markdown file.
#[derive(Debug)]
struct Block {
    /// The info string's first word (`toml`, `sh` …).
    lang: String,
    /// The `##` heading it sits under.
    section: String,
    /// 1-based line of its opening fence.
    line: usize,
    text: String,
    /// Marked `<!-- untested: … -->`.
    skip: bool,
}

fn blocks(md: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let (mut section, mut prev) = (String::new(), "");
    let mut open: Option<Block> = None;
    for (i, line) in md.lines().enumerate() {
        if let Some(b) = open.as_mut() {
            if line.trim_start().starts_with("```") {
                out.extend(open.take());
            } else {
                b.text.push_str(line);
                b.text.push('\n');
            }
            continue;
        }
        if let Some(h) = line.strip_prefix("## ") {
            section = h.trim().to_string();
        } else if let Some(info) = line.trim_start().strip_prefix("```") {
            open = Some(Block {
                lang: info.split_whitespace().next().unwrap_or("").to_string(),
                section: section.clone(),
                line: i + 1,
                text: String::new(),
                skip: prev.trim_start().starts_with("<!-- untested"),
            });
        }
        if !line.trim().is_empty() {
            prev = line;
        }
    }
    out
}

fn readme() -> Vec<Block> {
    let md = std::fs::read_to_string(root().join("README.md")).unwrap();
    blocks(&md).into_iter().filter(|b| !b.skip).collect()
}

#[test]
fn rule_data_examples_pass_rules_check() {
    let examples: Vec<Block> = readme()
        .into_iter()
        .filter(|b| b.lang == "toml" && b.section.contains("Rule data"))
        .collect();
    assert!(!examples.is_empty(), "no rule-data example found");
    for b in examples {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("example.toml"), &b.text).unwrap();
        let o = run(&["rules", "check", dir.path().to_str().unwrap()]);
        assert_eq!(
            code(&o),
            0,
            "README.md:{}: the rule-data example fails `rules check`:\n{}",
            b.line,
            stderr(&o)
        );
    }
}

#[test]
fn config_examples_parse_as_configs() {
    let examples: Vec<Block> = readme()
        .into_iter()
        .filter(|b| b.lang == "toml" && !b.section.contains("Rule data"))
        .collect();
    assert!(
        examples.iter().any(|b| b.section.contains("Configuration")),
        "no configuration example found"
    );
    for b in examples {
        if let Err(e) = collatio::config::Config::parse(Path::new("collatio.toml"), &b.text) {
            panic!(
                "README.md:{}: the config example does not parse: {:?}",
                b.line,
                miette::Report::new(e)
            );
        }
    }
}

/// A project laid out as the README's configuration example describes: that config as
/// `collatio.toml`, its text folders holding seed copies, its rules folders, and a file for
/// each group reference and witness (a glob's wildcards read as `1`).
fn project() -> tempfile::TempDir {
    let b = readme()
        .into_iter()
        .find(|b| b.lang == "toml" && b.section.contains("Configuration"))
        .expect("a configuration example");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("collatio.toml"), &b.text).unwrap();
    let cfg = collatio::config::Config::load(&p.join("collatio.toml")).expect("the config parses");
    let put = |rel: &str, seed: &str| {
        let to = p.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        if !to.exists() {
            std::fs::copy(root().join(seed), to).unwrap();
        }
    };
    for d in cfg.paths.iter().chain(&cfg.rules) {
        std::fs::create_dir_all(p.join(d)).unwrap();
    }
    if let Some(first) = cfg.paths.first() {
        put(&format!("{first}/a.txt"), S000);
    }
    web_archives(p);
    put("white-paper.txt", S002);
    put("chronicle.txt", S000);
    for (reference, witnesses) in &cfg.groups {
        put(reference, S000);
        for w in witnesses {
            put(&w.replace(['*', '?'], "1"), S001);
        }
    }
    dir
}

/// The archives the "Checking a web archive" commands name: the seed chronicle as a captured page,
/// a later capture of it with one edit, a WACZ of both, and a saved page.
fn web_archives(p: &Path) {
    let text = std::fs::read_to_string(root().join(S000)).unwrap();
    let url = "https://news.example.org/2020/chronicle.html";
    let capture = |text: &str, date: &str, id: &str| {
        let body = encode(&render_page(text, "utf-8"), "utf-8");
        gz(&response(url, date, id, &body, "utf-8", false))
    };
    let old = capture(
        &text,
        "2020-04-07T08:00:00Z",
        "00000000-0000-0000-0000-000000000001",
    );
    let edited = text.replacen("。", "，", 1);
    let new = capture(
        &edited,
        "2021-04-07T08:00:00Z",
        "00000000-0000-0000-0000-000000000002",
    );
    std::fs::write(p.join("snapshot.warc.gz"), &old).unwrap();
    std::fs::write(p.join("OLD.warc.gz"), &old).unwrap();
    std::fs::write(p.join("NEW.warc.gz"), &new).unwrap();
    let pkg = wacz(
        &[("a.warc.gz", old), ("b.warc.gz", new)],
        &[(url, "chronicle")],
        None,
    );
    std::fs::write(p.join("crawl.wacz"), pkg).unwrap();
    std::fs::create_dir_all(p.join("saved")).unwrap();
    std::fs::write(p.join("saved/page.html"), render_page(&text, "utf-8")).unwrap();
}

#[test]
fn the_configuration_example_runs() {
    let dir = project();
    let o = run_in(dir.path(), &["baseline"]);
    assert_eq!(
        code(&o),
        0,
        "`collatio baseline` with the README config: {}",
        stderr(&o)
    );
    let o = run_in(dir.path(), &["check"]);
    assert_eq!(
        code(&o),
        0,
        "`collatio check` under its fresh baseline: {}{}",
        stdout(&o),
        stderr(&o)
    );
}

/// Command lines of the README's shell and workflow blocks that run collatio, with their line.
fn command_lines() -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for b in readme() {
        if !matches!(b.lang.as_str(), "sh" | "console" | "yaml" | "bash") {
            continue;
        }
        for (i, l) in b.text.lines().enumerate() {
            let l = l.trim().trim_start_matches("$ ");
            if l.starts_with("collatio ") || l == "collatio" {
                out.push((b.line + 1 + i, l.to_string()));
            }
        }
    }
    out
}

#[test]
fn readme_command_lines_run() {
    let lines = command_lines();
    assert!(lines.len() >= 5, "too few command lines found: {lines:?}");
    let dir = project();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_collatio"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for (line, cmd) in lines {
        let o = Command::new("sh")
            .args(["-c", &cmd])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .expect("run sh");
        assert!(
            matches!(code(&o), 0 | 1),
            "README.md:{line}: `{cmd}` exited {}:\n{}",
            code(&o),
            stderr(&o)
        );
    }
}

/// Every rule's "Silence" advice: the `--severity` flags run, and the config block parses and
/// turns the rule off.
#[test]
fn rules_explain_silence_advice_is_accepted() {
    let list = stdout(&run(&["rules", "list"]));
    let codes: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| c.len() == 5 && c.chars().skip(2).all(|d| d.is_ascii_digit()))
        .collect();
    assert!(codes.len() > 30, "{list}");
    let mut flags = Vec::new();
    for c in codes {
        let o = run(&["rules", "explain", c]);
        assert_eq!(code(&o), 0, "{c}: {}", stderr(&o));
        let text = stdout(&o);
        let id = text.split_whitespace().nth(1).unwrap().to_string();
        let silence = text
            .lines()
            .find(|l| l.starts_with("Silence:"))
            .unwrap_or_else(|| panic!("{c}: no Silence advice"));
        for part in silence.split('`').skip(1).step_by(2) {
            if let Some(f) = part.strip_prefix("--severity ") {
                flags.push(f.to_string());
            }
        }
        let config: String = text
            .split("Or in collatio.toml:")
            .nth(1)
            .unwrap_or_else(|| panic!("{c}: no config advice"))
            .lines()
            .filter_map(|l| l.strip_prefix("    "))
            .map(|l| format!("{l}\n"))
            .collect();
        let cfg = collatio::config::Config::parse(Path::new("collatio.toml"), &config)
            .unwrap_or_else(|e| panic!("{c}: {config}: {:?}", miette::Report::new(e)));
        assert_eq!(cfg.rule_levels.get(&id), Some(&None), "{c}: {config}");
    }
    let mut args = vec!["check", "--no-config", "--format", "jsonl"];
    for f in &flags {
        args.extend(["--severity", f.as_str()]);
    }
    args.push(S000);
    let o = run(&args);
    assert_ne!(code(&o), 2, "{}", stderr(&o));
    assert!(
        common::jsonl(&o).is_empty(),
        "every rule silenced, yet: {}",
        stdout(&o)
    );
}

/// `diff` writes human, jsonl and markdown; any other format is a usage error, never human
/// text under another name.
#[test]
fn diff_refuses_formats_it_does_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("a.txt");
    std::fs::copy(root().join(S000), &text).unwrap();
    let m = dir.path().join("m.json");
    let o = run(&[
        "fingerprint",
        "--no-config",
        text.to_str().unwrap(),
        "-o",
        m.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let args = |f| {
        vec![
            "diff",
            "--no-config",
            "--format",
            f,
            m.to_str().unwrap(),
            text.to_str().unwrap(),
        ]
    };
    for f in ["human", "jsonl", "markdown"] {
        assert_eq!(code(&run(&args(f))), 0, "{f}");
    }
    let o = run(&args("sarif"));
    assert_eq!(code(&o), 2);
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("diff writes human, jsonl or markdown"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_block_reader_sees_fences_sections_and_opt_outs() {
    let md = "## Rule data\n\n```toml\na = 1\n```\n\n## Other\n<!-- untested: network -->\n```sh\ncollatio x\n```\n";
    let b = blocks(md);
    assert_eq!(b.len(), 2);
    assert_eq!(
        (b[0].lang.as_str(), b[0].section.as_str(), b[0].line),
        ("toml", "Rule data", 3)
    );
    assert_eq!(b[0].text, "a = 1\n");
    assert!(!b[0].skip && b[1].skip);
}

/// Every ```rust block is in a file of `examples/` (inside `fn main`; compared without white
/// space, so rustfmt may lay it out), which `cargo test` compiles: a README example that stops
/// compiling fails the build.
#[test]
fn rust_examples_are_compiled_examples() {
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let examples: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .map(|s| squeeze(&s))
        .collect();
    for b in readme().into_iter().filter(|b| b.lang == "rust") {
        assert!(
            examples.iter().any(|e| e.contains(&squeeze(&b.text))),
            "README.md:{}: this Rust example is in no file of examples/ (copy it into one, inside `fn main`, so it is compiled):\n{}",
            b.line,
            b.text
        );
    }
}
