//! `collatio completions` and `collatio man`: generated from the clap definition, so every
//! subcommand and flag the binary accepts is in them.

mod common;

use clap::CommandFactory;
use common::{code, run, run_in, stderr, stdout};
use std::process::Command;

/// Every visible subcommand name, nested ones as `rules-list`, from the library's definition.
fn subcommands() -> Vec<String> {
    fn walk(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
        for s in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let name = format!("{prefix}{}", s.get_name());
            out.push(name.clone());
            walk(s, &format!("{name}-"), out);
        }
    }
    let mut out = Vec::new();
    walk(&collatio::cli::Cli::command(), "", &mut out);
    out
}

#[test]
fn the_man_page_names_every_subcommand() {
    let o = run(&["man"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.contains(".TH collatio 1"), "not a man page:\n{page}");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    // Top-level subcommands are listed as cross references to their own pages.
    for top in collatio::cli::Cli::command().get_subcommands() {
        let r = format!("collatio\\-{}(1)", top.get_name().replace('-', "\\-"));
        assert!(page.contains(&r), "the man page lacks {r}");
    }
    assert!(page.contains("Exit codes"), "the description is missing");
}

#[test]
fn man_into_a_folder_writes_one_page_per_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let o = run(&["man", "-o", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let mut names = vec!["collatio".to_string()];
    names.extend(subcommands().iter().map(|s| format!("collatio-{s}")));
    for n in &names {
        let page = std::fs::read_to_string(out.join(format!("{n}.1")))
            .unwrap_or_else(|e| panic!("{n}.1 not written: {e}"));
        assert!(page.contains(".TH"), "{n}.1 is not a man page");
    }
    let written = std::fs::read_dir(&out).unwrap().count();
    assert_eq!(written, names.len(), "pages: {names:?}");
    // The check page documents its flags.
    let check = std::fs::read_to_string(out.join("collatio-check.1")).unwrap();
    assert!(check.contains("against"), "{check}");
}

#[test]
fn man_into_a_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("f");
    std::fs::write(&f, "").unwrap();
    let o = run(&["man", "-o", f.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
}

/// What bash completes for the words `line` (the last one being typed).
fn bash_complete(script: &str, line: &[&str]) -> Vec<String> {
    let words: Vec<String> = line.iter().map(|w| format!("'{w}'")).collect();
    let cword = line.len() - 1;
    let prog = format!(
        "{script}\nCOMP_WORDS=({}); COMP_CWORD={cword}; _collatio collatio '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        words.join(" "),
        line[cword],
        line[cword.saturating_sub(1)],
    );
    let o = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &prog])
        .output()
        .expect("run bash");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completion_completes_subcommands_and_flags() {
    let o = run(&["completions", "bash"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let script = stdout(&o);
    assert_eq!(bash_complete(&script, &["collatio", "ch"]), ["check"]);
    let all = bash_complete(&script, &["collatio", ""]);
    for s in collatio::cli::Cli::command().get_subcommands() {
        assert!(all.iter().any(|w| w == s.get_name()), "{all:?}");
    }
    let flags = bash_complete(&script, &["collatio", "check", "--ag"]);
    assert_eq!(flags, ["--against"]);
}

#[test]
fn every_shell_gets_a_script_naming_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run(&["completions", shell]);
        assert_eq!(code(&o), 0, "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for s in ["check", "baseline", "completions"] {
            assert!(script.contains(s), "{shell}: no `{s}`");
        }
    }
    let o = run(&["completions", "nosuchshell"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn completions_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["completions", "fish", "-o", "collatio.fish"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s = std::fs::read_to_string(dir.path().join("collatio.fish")).unwrap();
    assert!(s.contains("complete -c collatio"), "{s}");
}
