//! A damaged file cannot flood the report: at most `--max-per-rule` findings of one rule per file
//! (1000 unless told), then one finding counting the rest. The texts come from the hostile-input
//! generators (tests/hostile).

mod common;
#[path = "hostile/mod.rs"]
mod hostile;
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;

/// `check` of a Latin-1 mojibake text of `bytes` bytes (a C1 control character every few bytes)
/// with `extra` arguments: its findings.
fn mojibake_findings(bytes: usize, extra: &[&str]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("mojibake.txt");
    std::fs::write(&p, hostile::generate("latin1-mojibake", bytes).unwrap()).unwrap();
    let mut args: Vec<&str> = extra.to_vec();
    args.push(p.to_str().unwrap());
    check(&args).1
}

fn per_rule(v: &[Value]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for f in v {
        *m.entry(f["rule"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    m
}

#[test]
fn a_file_damaged_throughout_lists_at_most_the_cap_of_each_rule() {
    let all = mojibake_findings(1_000_000, &[]);
    let counts = per_rule(&all);
    // Without the cap this file gives about 150,000 control-character findings.
    for (rule, n) in &counts {
        assert!(*n <= 1001, "{rule}: {n} findings listed");
    }
    assert!(all.len() < 6000, "{} findings in all", all.len());
    let summary: Vec<&Value> = with_rule(&all, "encoding/control-char")
        .into_iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .contains("more encoding/control-char")
        })
        .collect();
    assert_eq!(summary.len(), 1, "one finding counts the rest");
    let msg = summary[0]["message"].as_str().unwrap();
    let left_out: usize = msg.split(' ').next().unwrap().parse().unwrap();
    assert!(left_out > 10_000, "{msg}");
}

#[test]
fn max_per_rule_sets_the_cap_and_zero_lifts_it() {
    let few = per_rule(&mojibake_findings(100_000, &["--max-per-rule", "5"]));
    assert_eq!(
        few["encoding/control-char"], 6,
        "five listed and one summary"
    );
    let all = per_rule(&mojibake_findings(100_000, &["--max-per-rule", "0"]));
    assert!(all["encoding/control-char"] > 5_000, "{all:?}");
}

/// `max_per_rule` in `collatio.toml` sets the cap; `--max-per-rule` on the command line wins.
#[test]
fn the_config_sets_the_cap_and_the_command_line_wins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("collatio.toml"), "max_per_rule = 3\n").unwrap();
    std::fs::write(
        dir.path().join("mojibake.txt"),
        hostile::generate("latin1-mojibake", 100_000).unwrap(),
    )
    .unwrap();
    let counts = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "jsonl"];
        args.extend_from_slice(extra);
        args.push("mojibake.txt");
        per_rule(&jsonl(&run_in(dir.path(), &args)))["encoding/control-char"]
    };
    assert_eq!(counts(&[]), 4, "three listed and one summary");
    assert_eq!(counts(&["--max-per-rule", "7"]), 8);
}
