//! `collatio report`: findings written as JSON Lines by `check` and read back give the report
//! and exit code `check` gives, in every format, with and without a baseline.

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// A project folder with the three seeds under `archive/`, a witness group (the print copy
/// against the web copy) and a config.
fn project() -> (tempfile::TempDir, PathBuf) {
    seed_project(
        "paths = [\"archive\"]\n\
         [[group]]\nreference = \"archive/000_8486d6720058fcd3.txt\"\n\
         witnesses = [\"archive/001_48fa0945fdd95d78.txt\"]\n",
    )
}

/// `check` in `format`, then `report` on check's JSONL in the same format: the same bytes on
/// standard output and the same exit code. `extra` goes to both (a baseline flag).
fn assert_same(p: &Path, format: &str, extra: &[&str]) {
    let mut a = vec!["check", "--format", format, "--color", "never"];
    a.extend_from_slice(extra);
    let checked = run_in(p, &a);
    let mut r = vec![
        "report",
        "findings.jsonl",
        "--manifest",
        "manifest.json",
        "--format",
        format,
        "--color",
        "never",
    ];
    r.extend_from_slice(extra);
    let reported = run_in(p, &r);
    assert!(!checked.stdout.is_empty());
    assert_eq!(
        stdout(&reported),
        stdout(&checked),
        "{format} {extra:?}: {}",
        stderr(&reported)
    );
    assert_eq!(code(&reported), code(&checked), "{format} {extra:?}");
}

/// Write `findings.jsonl` (check's JSONL, no baseline) and `manifest.json` in `p`.
fn record(p: &Path) {
    let o = run_in(p, &["check", "--format", "jsonl", "--no-baseline"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    std::fs::write(p.join("findings.jsonl"), &o.stdout).unwrap();
    let o = run_in(p, &["fingerprint", "archive", "-o", "manifest.json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn report_prints_what_check_prints_in_every_format() {
    let (_tmp, p) = project();
    record(&p);
    for format in ["human", "sarif", "markdown", "jsonl"] {
        assert_same(&p, format, &[]);
    }
    // The failing severity is the reader's: above every finding, both exit 0.
    let o = run_in(&p, &["report", "findings.jsonl", "--fail-on", "error"]);
    let c = run_in(&p, &["check", "--fail-on", "error"]);
    assert_eq!(code(&o), code(&c));
}

#[test]
fn report_gates_with_a_baseline_as_check_does() {
    let (_tmp, p) = project();
    // Accept the findings of a state where one paragraph differs: the report then has new,
    // unchanged and fixed (absent) entries.
    let w = p.join("archive").join("002_3a4511cf1fe87385.txt");
    let original = std::fs::read_to_string(&w).unwrap();
    let edited = original.replacen(
        '\n',
        "\n\n外交部发言人介绍有关情况有关情况有关情况。\n\n",
        1,
    );
    std::fs::write(&w, &edited).unwrap();
    let o = run_in(&p, &["baseline", "-o", "accepted.json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    std::fs::write(&w, &original).unwrap();
    record(&p);
    let checked = run_in(
        &p,
        &["check", "--format", "jsonl", "--baseline", "accepted.json"],
    );
    let states: Vec<String> = jsonl(&checked)
        .iter()
        .map(|f| f["baseline_state"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(states.iter().any(|s| s == "absent"), "{states:?}");
    assert!(states.iter().any(|s| s == "unchanged"), "{states:?}");
    for format in ["human", "sarif", "markdown", "jsonl"] {
        assert_same(&p, format, &["--baseline", "accepted.json"]);
    }
    // Every finding accepted: both exit 0.
    let o = run_in(&p, &["baseline", "-o", "all.json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_same(&p, "sarif", &["--baseline", "all.json"]);
    let o = run_in(&p, &["report", "findings.jsonl", "--baseline", "all.json"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

#[test]
fn report_refuses_what_is_not_findings() {
    let (_tmp, p) = project();
    std::fs::write(
        p.join("bad.jsonl"),
        "{\"rule\": \"loop/repeated-phrase\"}\n",
    )
    .unwrap();
    let o = run_in(&p, &["report", "bad.jsonl"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("bad.jsonl:1"), "{}", stderr(&o));
    let o = run_in(&p, &["report", "missing.jsonl"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn human_report_without_the_files_still_lists_every_finding() {
    let (tmp, p) = project();
    record(&p);
    let jsonl_text = std::fs::read(p.join("findings.jsonl")).unwrap();
    // Another machine: the findings without the archive.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("f.jsonl"), jsonl_text).unwrap();
    drop(tmp);
    let o = run_in(
        elsewhere.path(),
        &["report", "f.jsonl", "--no-config", "--color", "never"],
    );
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("without source lines"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("LP001") || stdout(&o).contains("loop"));
    // `--quiet`: the findings, and no note about the files.
    let q = run_in(
        elsewhere.path(),
        &[
            "report",
            "f.jsonl",
            "--no-config",
            "--color",
            "never",
            "--quiet",
        ],
    );
    assert_eq!(code(&q), 1);
    assert_eq!(stderr(&q), "");
    assert!(stdout(&q).contains("LP001") || stdout(&q).contains("loop"));
}
