//! `--quiet` on `baseline` and `extract`, and the summary naming the config file actually used.

mod common;
use common::*;

/// A config, not named `collatio.toml`, that ignores every repeated phrase of the archive.
const STRICT: &str = "paths = [\"archive\"]\n\
    [[ignore]]\nrule = \"loop/repeated-phrase\"\npaths = [\"archive/*\"]\nreason = \"待校\"\n";

#[test]
fn the_summary_names_the_config_given_with_config() {
    let (_guard, p) = seed_project("paths = [\"archive\"]\n");
    std::fs::write(p.join("strict.toml"), STRICT).unwrap();
    for format in ["human", "markdown"] {
        let o = run_in(
            &p,
            &["check", "--config", "strict.toml", "--format", format],
        );
        let out = stdout(&o);
        assert_ne!(code(&o), 2, "{}", stderr(&o));
        assert!(out.contains("ignored by strict.toml"), "{format}: {out}");
        assert!(!out.contains("ignored by collatio.toml"), "{format}: {out}");
    }
    // The config found by walking up is named as before.
    std::fs::write(p.join("collatio.toml"), STRICT).unwrap();
    let o = run_in(&p, &["check"]);
    assert!(
        stdout(&o).contains("ignored by collatio.toml"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn baseline_quiet_writes_the_file_and_says_nothing() {
    let (_guard, p) = seed_project("paths = [\"archive\"]\n");
    let o = run_in(&p, &["baseline", "-o", "loud.json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("wrote loud.json"), "{}", stderr(&o));
    let o = run_in(&p, &["baseline", "--quiet", "-o", "quiet.json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    assert_eq!(stdout(&o), "");
    let loud = std::fs::read_to_string(p.join("loud.json")).unwrap();
    let quiet = std::fs::read_to_string(p.join("quiet.json")).unwrap();
    assert_eq!(loud, quiet);
}

#[test]
fn extract_quiet_writes_the_texts_and_says_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        "<html><head><meta charset=\"utf-8\"><title>春雨</title></head>\
         <body><p>三月初，江南细雨连日，农人趁雨插秧。</p></body></html>",
    )
    .unwrap();
    let out = |name: &str| dir.path().join(name);
    let page = page.to_str().unwrap();
    let o = run(&["extract", page, "-o", out("loud").to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("1 texts written"), "{}", stderr(&o));
    let o = run(&["extract", "-q", page, "-o", out("quiet").to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let text = std::fs::read_to_string(out("quiet").join("page.html.txt")).unwrap();
    assert!(text.contains("农人趁雨插秧"), "{text}");
}
