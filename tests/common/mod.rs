//! Helpers shared by the integration tests: run the real binary, read its JSONL.
#![allow(dead_code)]

pub mod corpus;
pub mod warc;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const S000: &str = "fixtures/seeds/000_8486d6720058fcd3.txt";
pub const S001: &str = "fixtures/seeds/001_48fa0945fdd95d78.txt";
pub const S002: &str = "fixtures/seeds/002_3a4511cf1fe87385.txt";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The command `collatio ARGS` in `dir`, not yet run: no colour, and none of the GitHub
/// Actions variables (Markdown links are absolute under them; a test sets them when it wants
/// them, or spawns the command to kill it).
pub fn collatio_in(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_collatio"));
    c.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_SERVER_URL")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_SHA");
    c
}

/// Run `collatio ARGS` from `dir` (the repository root by default), with no config discovery
/// unless the test passes one.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    collatio_in(dir, args).output().expect("run collatio")
}

/// A project folder: the three seeds under `archive/`, and `config` as its `collatio.toml`.
/// The folder is removed when the returned guard is dropped.
pub fn seed_project(config: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).unwrap();
    for s in [S000, S001, S002] {
        let name = Path::new(s).file_name().unwrap();
        std::fs::copy(root().join(s), archive.join(name)).unwrap();
    }
    std::fs::write(dir.path().join("collatio.toml"), config).unwrap();
    let p = dir.path().to_path_buf();
    (dir, p)
}

pub fn run(args: &[&str]) -> Output {
    run_in(&root(), args)
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Findings of a JSONL run.
pub fn jsonl(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSONL line {l}: {e}")))
        .collect()
}

/// `check --no-config --format jsonl ARGS`, the whole process output.
pub fn check_output(args: &[&str]) -> Output {
    let mut a = vec!["check", "--no-config", "--format", "jsonl"];
    a.extend_from_slice(args);
    run(&a)
}

/// `check --no-config --format jsonl ARGS`: exit code and findings.
pub fn check(args: &[&str]) -> (i32, Vec<Value>) {
    let o = check_output(args);
    (code(&o), jsonl(&o))
}

/// The findings of `check` on `text`, written to a file of its own.
#[allow(dead_code)]
pub fn check_text(text: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("t.txt");
    std::fs::write(&p, text).unwrap();
    check(&[p.to_str().unwrap()]).1
}

/// The findings of one category.
#[allow(dead_code)]
pub fn in_category<'a>(v: &'a [Value], category: &str) -> Vec<&'a Value> {
    v.iter().filter(|x| x["category"] == category).collect()
}

pub fn with_rule<'a>(v: &'a [Value], rule: &str) -> Vec<&'a Value> {
    v.iter().filter(|f| f["rule"] == rule).collect()
}

pub fn in_file<'a>(v: &'a [Value], file: &str) -> Vec<&'a Value> {
    v.iter().filter(|f| f["file"] == file).collect()
}

pub fn lines_of(v: &[&Value]) -> Vec<u64> {
    let mut l: Vec<u64> = v.iter().map(|f| f["line"].as_u64().unwrap_or(0)).collect();
    l.sort();
    l
}
