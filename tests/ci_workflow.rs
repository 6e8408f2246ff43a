//! The CI workflow: config, baseline that survives edits, manifests and diff, SARIF, Markdown.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A project folder with the three seeds under `archive/` and a config with no witness groups.
fn project() -> (tempfile::TempDir, PathBuf) {
    seed_project(
        "paths = [\"archive\"]\nbaseline = \"collatio-baseline.json\"\n[severity]\n\"provenance/boilerplate\" = \"off\"\n",
    )
}

fn w001(p: &Path) -> PathBuf {
    p.join("archive").join("001_48fa0945fdd95d78.txt")
}

#[test]
fn baseline_scenario_new_fixed_and_corrupt() {
    let (_tmp, p) = project();
    // Accept the current state.
    let o = run_in(&p, &["baseline"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let base = std::fs::read_to_string(p.join("collatio-baseline.json")).unwrap();
    let b: Value = serde_json::from_str(&base).unwrap();
    assert!(b["findings"].as_array().unwrap().len() > 10);
    let o = run_in(&p, &["check", "--format", "jsonl"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(jsonl(&o).iter().all(|f| f["baseline_state"] == "unchanged"));

    // Five paragraphs at the top and a new loop in the middle.
    let text = std::fs::read_to_string(w001(&p)).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("◆首批中国抗疫医疗专家组抵达意大利"))
        .unwrap();
    lines[at] = "◆首批中国抗疫医疗专家组抵达意大利,并带来部分中方援助的医疗物资,并带来部分中方援助的医疗物资。".into();
    let mut edited = String::new();
    for i in 0..5 {
        edited.push_str(&format!(
            "新增的第{i}段说明文字,与正文无关,只为移动行号。\n\n"
        ));
    }
    edited.push_str(&lines.join("\n"));
    std::fs::write(w001(&p), &edited).unwrap();
    let o = run_in(&p, &["check", "--format", "jsonl"]);
    assert_eq!(code(&o), 1);
    let f = jsonl(&o);
    let new: Vec<_> = f.iter().filter(|x| x["baseline_state"] == "new").collect();
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0]["rule"], "loop/repeated-phrase");
    assert!(new[0]["message"]
        .as_str()
        .unwrap()
        .contains("中方援助的医疗物资"));

    // Remove a baselined fault (the 29 March loop): listed as fixed (absent).
    let fixed = edited.replace(
        "并主持召开中央政治局常委会会议,听取疫情防控工作汇报,并主持召开中央政治局常委会会议,听取疫情防控工作汇报,并主持召开中央政治局常委会会议,听取疫情防控工作汇报。",
        "。",
    );
    assert_ne!(fixed, edited);
    std::fs::write(w001(&p), &fixed).unwrap();
    let o = run_in(&p, &["check", "--format", "jsonl"]);
    let f = jsonl(&o);
    let absent: Vec<_> = f
        .iter()
        .filter(|x| x["baseline_state"] == "absent")
        .collect();
    assert_eq!(absent.len(), 1, "{absent:#?}");
    assert_eq!(absent[0]["rule"], "loop/repeated-phrase");
    let o = run_in(&p, &["check"]);
    assert!(
        stdout(&o).contains("1 baseline entry fixed"),
        "{}",
        stdout(&o)
    );
    // Prune drops it from the baseline.
    let before = std::fs::read_to_string(p.join("collatio-baseline.json")).unwrap();
    let o = run_in(&p, &["baseline", "--prune"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let after = std::fs::read_to_string(p.join("collatio-baseline.json")).unwrap();
    assert!(after.len() < before.len());
    assert!(!after.contains("phrase repeated 4 times"));

    // A corrupt baseline is an error naming it.
    std::fs::write(
        p.join("collatio-baseline.json"),
        "{ \"collatio_baseline\": 1, \"findings\": [ {",
    )
    .unwrap();
    let o = run_in(&p, &["check"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("collatio-baseline.json"),
        "{}",
        stderr(&o)
    );
    // As the error advises, `collatio baseline` regenerates it.
    let o = run_in(&p, &["baseline"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("replacing it"), "{}", stderr(&o));
    assert_eq!(code(&run_in(&p, &["check"])), 0);
}

#[test]
fn identical_findings_are_counted_not_merged() {
    let (_tmp, p) = project();
    let o = run_in(&p, &["baseline"]);
    assert_eq!(code(&o), 0);
    // The same converter pitfall twice more on one line: two new findings, not one.
    let f000 = p.join("archive").join("000_8486d6720058fcd3.txt");
    let text = std::fs::read_to_string(&f000).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("恢覆的態勢"))
        .unwrap()
        .to_string();
    std::fs::write(
        &f000,
        text.replace(&line, &format!("{line}\n\n{line}\n\n{line}")),
    )
    .unwrap();
    let o = run_in(&p, &["check", "--format", "jsonl"]);
    let new: Vec<_> = jsonl(&o)
        .into_iter()
        .filter(|x| x["baseline_state"] == "new")
        .collect();
    // Each copy of the paragraph carries the pitfall; and the copies repeat each other (loop).
    let conv = new
        .iter()
        .filter(|x| x["rule"] == "substitution/converter")
        .count();
    assert_eq!(conv, 2, "{new:#?}");
}

#[test]
fn a_killed_baseline_write_leaves_the_old_file_whole() {
    let (_tmp, p) = project();
    assert_eq!(code(&run_in(&p, &["baseline"])), 0);
    let old = std::fs::read_to_string(p.join("collatio-baseline.json")).unwrap();
    std::fs::write(w001(&p), "◆新文本。\n").unwrap();
    let mut seen = Vec::new();
    for delay_ms in [0u64, 5, 20, 60, 120] {
        let mut child = collatio_in(&p, &["baseline"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read_to_string(p.join("collatio-baseline.json")).unwrap();
        let parsed: Result<Value, _> = serde_json::from_str(&now);
        assert!(
            parsed.is_ok(),
            "baseline half-written after a kill at {delay_ms} ms"
        );
        seen.push(now);
    }
    // Every state seen is the old baseline or the complete new one.
    assert_eq!(code(&run_in(&p, &["baseline"])), 0);
    let new = std::fs::read_to_string(p.join("collatio-baseline.json")).unwrap();
    assert_ne!(new, old);
    for s in &seen {
        assert!(*s == old || *s == new, "a partial baseline was observed");
    }
    // No temporary files are left next to it.
    let leftovers: Vec<_> = std::fs::read_dir(&p)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp."))
        .collect();
    assert!(leftovers.len() <= 1, "{leftovers:?}");
}

#[test]
fn config_errors_name_file_and_line() {
    let (_tmp, p) = project();
    std::fs::write(
        p.join("collatio.toml"),
        "paths = [\"archive\"]\nfail_on = \"loud\"\n",
    )
    .unwrap();
    let o = run_in(&p, &["check"]);
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(e.contains("collatio.toml") && e.contains("line 2"), "{e}");
    std::fs::write(p.join("collatio.toml"), "paths = [\"archive\"]\n\n[[group]]\nreference = \"archive/000_8486d6720058fcd3.txt\"\nwitnesses = [\"archive/001_*.txt\"]\ncolour = 1\n").unwrap();
    let o = run_in(&p, &["check"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("line 6"), "{}", stderr(&o));
}

#[test]
fn config_groups_collate_and_paths_are_relative_to_the_config() {
    let (_tmp, p) = project();
    std::fs::write(
        p.join("collatio.toml"),
        "paths = [\"archive\"]\n[[group]]\nreference = \"archive/000_8486d6720058fcd3.txt\"\nwitnesses = [\"archive/001_*.txt\"]\n",
    )
    .unwrap();
    let sub = p.join("archive");
    let o = run_in(&sub, &["check", "--format", "jsonl"]);
    let f = jsonl(&o);
    assert!(f
        .iter()
        .any(|x| x["rule"] == "date-structure/missing-heading"
            && x["file"] == "archive/001_48fa0945fdd95d78.txt"));
    assert!(f
        .iter()
        .all(|x| !x["file"].as_str().unwrap().starts_with('/')));
}

#[test]
fn sarif_validates_against_the_schema() {
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "sarif",
        S001,
        "--against",
        S000,
    ]);
    let sarif: Value = serde_json::from_str(&stdout(&o)).unwrap();
    // The published schema's `run.language` pattern has a bare `]`, which ECMAScript reads as a
    // literal and Rust's regex engine refuses; escape it so the schema compiles here.
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/sarif-2.1.0-rtm.5.json")).unwrap();
    let text = text.replace("-[a-zA-Z]{2}]?$", "-[a-zA-Z]{2}\\\\]?$");
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(10)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does reject a broken log.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("severe");
    assert!(!validator.is_valid(&broken));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() > 20);
    for r in results {
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
        assert_eq!(
            r["partialFingerprints"]["collatio/v1"]
                .as_str()
                .unwrap()
                .len(),
            32
        );
    }
    // Rules carry descriptions and help.
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules
        .iter()
        .all(|r| r["help"]["text"].as_str().is_some_and(|t| !t.is_empty())));
}

#[test]
fn sarif_under_a_baseline_leaves_accepted_findings_out_or_suppressed() {
    let (_tmp, p) = project();
    assert_eq!(code(&run_in(&p, &["baseline"])), 0);
    let o = run_in(&p, &["check", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 0);
    let o = run_in(
        &p,
        &["check", "--format", "sarif", "--sarif-include-baselined"],
    );
    let sarif: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() > 10);
    assert!(results
        .iter()
        .all(|r| r["baselineState"] == "unchanged" && r["suppressions"][0]["kind"] == "external"));
}

#[test]
fn markdown_summary_table_and_links() {
    let o = run(&["check", "--no-config", "--format", "markdown", S001]);
    let s = stdout(&o);
    assert!(s.contains("| category | error | warning | note |"), "{s}");
    assert!(s.contains("| loop | 1 | 0 | 0 |"), "{s}");
    assert!(s.contains(&format!("[{S001}:252]({S001}#L252)")), "{s}");
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.jsonl");
    let o = check_output(&["--output", out.to_str().unwrap(), S001]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).is_empty());
    assert!(std::fs::read_to_string(&out).unwrap().lines().count() > 5);
}

#[test]
fn diff_reports_exactly_a_change_a_drop_and_a_move() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("001.txt");
    std::fs::copy(root().join(S001), &f).unwrap();
    let manifest = dir.path().join("m.json");
    let o = run_in(
        dir.path(),
        &["fingerprint", "--no-config", "001.txt", "-o", "m.json"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(manifest.exists());
    let text = std::fs::read_to_string(&f).unwrap();
    let changed = text.replace(
        "◆中国红十字会总会派遣的中方医疗专家组",
        "◆中国红十字会派遣的中方医疗专家组",
    );
    let dropped_line = "◆国家卫生健康委推荐专家参与世界卫生组织基因测序指南制定。\n\n";
    assert!(changed.contains(dropped_line));
    let changed = changed.replacen(dropped_line, "", 1);
    let moved = "◆中国疾控中心专家参加世界卫生组织疫苗研发电话会议。\n\n";
    assert!(changed.contains(moved));
    let changed =
        changed
            .replacen(moved, "", 1)
            .replacen("3月21日\n", &format!("3月21日\n{moved}"), 1);
    std::fs::write(&f, changed).unwrap();
    let o = run_in(
        dir.path(),
        &[
            "diff",
            "--no-config",
            "--format",
            "jsonl",
            "m.json",
            "001.txt",
        ],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let c = jsonl(&o);
    let kinds: Vec<&str> = c.iter().map(|x| x["change"].as_str().unwrap()).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(sorted, vec!["changed", "moved", "removed"], "{c:#?}");
    let o = run_in(dir.path(), &["diff", "--no-config", "m.json", "001.txt"]);
    assert!(
        stdout(&o).contains("1 changed, 0 added, 1 removed, 1 moved"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn corrupt_manifest_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("m.json"),
        "{\"collatio_manifest\": 1,\n\"files\": [}",
    )
    .unwrap();
    let o = run_in(dir.path(), &["diff", "--no-config", "m.json", "."]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("m.json") && stderr(&o).contains("line 2"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn repository_config_runs_with_no_arguments() {
    let o = run(&["check", "--format", "jsonl"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let f = jsonl(&o);
    assert!(f
        .iter()
        .any(|x| x["rule"] == "date-structure/missing-heading"));
    assert!(f.iter().all(|x| x["rule"] != "provenance/boilerplate"));
}

/// `--quiet` leaves the findings and the errors: no note about a file passed over, but a
/// file that cannot be read is still named.
#[cfg(unix)]
#[test]
fn quiet_prints_findings_and_errors_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(S001), dir.path().join("a.txt")).unwrap();
    // A socket in the folder: never read, noted as skipped.
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("s.sock")).unwrap();
    let d = dir.path().to_str().unwrap();
    let o = run(&["check", "--no-config", "--format", "jsonl", d]);
    assert!(stderr(&o).contains("note: skipped"), "{}", stderr(&o));
    let q = run(&["check", "--no-config", "--format", "jsonl", "--quiet", d]);
    assert_eq!(stderr(&q), "");
    assert_eq!(stdout(&q), stdout(&o));
    assert!(!jsonl(&q).is_empty());
    let missing = dir.path().join("missing.txt");
    let e = run(&[
        "check",
        "--no-config",
        "--quiet",
        d,
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code(&e), 2);
    assert!(stderr(&e).contains("missing.txt"), "{}", stderr(&e));
    assert!(!stderr(&e).contains("note:"), "{}", stderr(&e));
}
