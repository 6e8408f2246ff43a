//! The core pipeline on the seed witnesses: loops, converter pitfalls, layout, encodings, bad
//! input.

mod common;
use common::*;

#[test]
fn loop_in_001_is_one_finding_on_29_march_with_the_phrase_and_count() {
    let (rc, f) = check(&[S001]);
    assert_eq!(rc, 1);
    let loops: Vec<_> = f.iter().filter(|x| x["category"] == "loop").collect();
    assert_eq!(loops.len(), 1, "{loops:#?}");
    let l = loops[0];
    assert_eq!(l["line"], 252);
    assert_eq!(l["rule"], "loop/repeated-phrase");
    let msg = l["message"].as_str().unwrap();
    assert!(msg.contains("4 times"), "{msg}");
    assert!(msg.contains("主持召开中央政治局常委会会议"), "{msg}");
    assert!(l["witness"].is_null());
}

#[test]
fn no_loops_in_000_and_002() {
    for s in [S000, S002] {
        let (_, f) = check(&[s]);
        assert!(f.iter().all(|x| x["category"] != "loop"), "{s}: {f:#?}");
    }
}

#[test]
fn layout_in_001_running_head_and_every_page_split() {
    let (_, f) = check(&[S001]);
    let heads = with_rule(&f, "layout/running-head");
    assert_eq!(lines_of(&heads), vec![65]);
    let splits = with_rule(&f, "layout/page-split");
    assert_eq!(lines_of(&splits), vec![63, 114, 173, 219]);
    let marks = with_rule(&f, "layout/continuation-mark");
    assert_eq!(lines_of(&marks), vec![5]);
}

#[test]
fn layout_in_002_splits_and_marks() {
    let (_, f) = check(&[S002]);
    assert_eq!(lines_of(&with_rule(&f, "layout/page-split")), vec![95, 133]);
    assert_eq!(
        lines_of(&with_rule(&f, "layout/continuation-mark")),
        vec![5, 194]
    );
    assert!(with_rule(&f, "layout/running-head").is_empty());
}

#[test]
fn converter_pitfalls_in_000_on_every_line_and_never_on_correct_uses() {
    let text = std::fs::read_to_string(root().join(S000)).unwrap();
    let (_, f) = check(&[S000]);
    let conv = with_rule(&f, "substitution/converter");
    let flagged: std::collections::BTreeSet<u64> =
        conv.iter().map(|x| x["line"].as_u64().unwrap()).collect();
    let wrong = ["恢覆", "覆工", "覆產", "覆雜", "覆制", "覆旦", "康覆"];
    let right = ["覆函", "回覆", "覆信", "答覆", "反覆", "覆蓋"];
    for (i, line) in text.lines().enumerate() {
        let n = (i + 1) as u64;
        if wrong.iter().any(|w| line.contains(w)) {
            assert!(
                flagged.contains(&n),
                "line {n} holds a pitfall but has no finding"
            );
        }
    }
    for x in &conv {
        let m = x["message"].as_str().unwrap();
        assert!(
            !right.iter().any(|r| m.contains(&format!("“{r}”"))),
            "correct use flagged: {m}"
        );
    }
    // The correct uses stand on lines 245, 303, 503 and 895; a pitfall-free line gets nothing.
    for n in [245u64, 303, 503, 895] {
        assert!(!flagged.contains(&n), "correct use on line {n} was flagged");
    }
    let c = conv
        .iter()
        .find(|x| x["message"].as_str().unwrap().contains("覆旦"))
        .unwrap();
    assert!(c["help"].as_str().unwrap().contains("復旦"));
}

#[test]
fn gb18030_copy_gives_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(S001)).unwrap();
    let (bytes, _, bad) = encoding_rs::GB18030.encode(&text);
    assert!(!bad);
    let gb = dir.path().join("001.gb18030.txt");
    std::fs::write(&gb, &bytes).unwrap();
    let (_, a) = check(&[S001]);
    let (_, b) = check(&[gb.to_str().unwrap()]);
    let key = |v: &serde_json::Value| {
        (
            v["rule"].clone(),
            v["line"].clone(),
            v["column"].clone(),
            v["message"].clone(),
        )
    };
    assert_eq!(
        a.iter().map(key).collect::<Vec<_>>(),
        b.iter().map(key).collect::<Vec<_>>()
    );
    let o = run(&["fingerprint", "--no-config", gb.to_str().unwrap()]);
    assert!(
        stdout(&o).contains("\"encoding\": \"gb18030\""),
        "{}",
        stdout(&o)
    );
}

#[test]
fn binary_and_undecodable_files_are_named_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.bin"),
        [0x7fu8, b'E', b'L', b'F', 0, 0, 1, 2],
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        [0xffu8, 0xfe, 0xfd, 0x80, 0x81, b'a', 0xc3],
    )
    .unwrap();
    std::fs::copy(root().join(S001), dir.path().join("c.txt")).unwrap();
    let o = check_output(&[dir.path().to_str().unwrap()]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("a.bin") && err.contains("binary"), "{err}");
    assert!(err.contains("b.txt"), "{err}");
    let f = jsonl(&o);
    assert!(f
        .iter()
        .any(|x| x["rule"] == "loop/repeated-phrase"
            && x["file"].as_str().unwrap().ends_with("c.txt")));
}

#[test]
fn missing_path_unknown_encoding_and_bad_rules_are_errors_with_exit_2() {
    let o = run(&["check", "--no-config", "no/such/file.txt"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no/such/file.txt"), "{}", stderr(&o));

    let o = run(&["check", "--no-config", "--encoding", "klingon-8", S001]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("klingon-8"), "{}", stderr(&o));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        "[[pitfall]]\nwrong = \"恢覆\"\nright = 7\n",
    )
    .unwrap();
    let o = run(&[
        "check",
        "--no-config",
        "--rules",
        dir.path().to_str().unwrap(),
        S001,
    ]);
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(e.contains("bad.toml") && e.contains("line 3"), "{e}");
}

#[test]
fn odd_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let huge: String = "防控".repeat(600_000); // one 3.6 MB line
    std::fs::write(dir.path().join("huge.txt"), format!("◆{huge}。\n")).unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    std::fs::write(
        dir.path().join("ctl.txt"),
        "◆文字\u{0007}文字\u{202E}。\n---\nunterminated: \"front",
    )
    .unwrap();
    let mut bom16 = vec![0xFEu8, 0xFF];
    for u in "◆中國發布。".encode_utf16() {
        bom16.extend_from_slice(&u.to_be_bytes());
    }
    std::fs::write(dir.path().join("u16be.txt"), bom16).unwrap();
    let o = check_output(&[dir.path().to_str().unwrap()]);
    assert!(matches!(code(&o), 0 | 1), "{}", stderr(&o));
    let f = jsonl(&o);
    assert!(f.iter().any(|x| x["rule"] == "encoding/control-char"));
    assert!(f.iter().any(|x| x["rule"] == "loop/repeated-phrase"
        && x["file"].as_str().unwrap().ends_with("huge.txt")));
}

#[test]
fn jsonl_has_the_public_fields() {
    let (_, f) = check(&[S001]);
    for x in &f {
        for k in [
            "rule",
            "category",
            "severity",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "message",
            "witness",
            "fingerprint",
        ] {
            assert!(x.get(k).is_some(), "missing {k} in {x}");
        }
        assert!(x["line"].as_u64().unwrap() >= 1 && x["column"].as_u64().unwrap() >= 1);
    }
    // Columns count characters: the running head starts at column 1 of line 65 and ends after
    // its 25 characters.
    let h = with_rule(&f, "layout/running-head")[0];
    assert_eq!(
        (h["column"].as_u64(), h["end_column"].as_u64()),
        (Some(1), Some(26))
    );
}

#[test]
fn exit_code_follows_the_failing_severity() {
    let (rc, _) = check(&[S002]);
    assert_eq!(rc, 0, "002 has only notes");
    let (rc, _) = check(&["--fail-on", "note", S002]);
    assert_eq!(rc, 1);
    let (rc, f) = check(&["--disable", "layout", "--fail-on", "note", S002]);
    assert_eq!((rc, f.len()), (0, 0));
    let (rc, f) = check(&[
        "--severity",
        "loop=note",
        S001,
        "--disable",
        "title",
        "--disable",
        "layout",
    ]);
    assert_eq!(rc, 0);
    assert_eq!(f[0]["severity"], "note");
}

#[test]
fn fingerprint_manifest_lists_units_with_hashes() {
    let o = run(&["fingerprint", "--no-config", S002]);
    assert_eq!(code(&o), 0);
    let m: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let f = &m["files"][0];
    assert_eq!(f["path"], S002);
    assert_eq!(f["sha256"].as_str().unwrap().len(), 64);
    let units = f["units"].as_array().unwrap();
    let ev = units.iter().find(|u| u["kind"] == "event").unwrap();
    assert_eq!(ev["line"], 5);
    assert_eq!(ev["sha256_norm"].as_str().unwrap().len(), 64);
    assert!(units.iter().any(|u| u["kind"] == "caption"));
}

#[test]
fn rules_list_and_explain() {
    let o = run(&["rules", "list"]);
    let s = stdout(&o);
    for id in [
        "LP001",
        "loop/repeated-phrase",
        "SB001",
        "LY001",
        "EN004",
        "PV001",
        "TT001",
        "CL001",
    ] {
        assert!(s.contains(id), "{id} missing from rules list");
    }
    let o = run(&["rules", "explain", "LP001"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("Silence"));
    let o = run(&["rules", "explain", "nope"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn newspaper_page_artifacts_of_other_shapes() {
    let f = check_text(
        "（紧接第3版）\n\n3月5日\n\n◆国家卫生健康委同有关国家分享最新版诊疗方案,介绍中国防控\n\n2020年3月6日\n\n措施和经验。\n\n◆外交部发言人介绍有关情况。（转第5版）\n\n— 4 —\n",
    );
    assert_eq!(
        lines_of(&with_rule(&f, "layout/continuation-mark")),
        vec![1, 11, 13],
        "{f:#?}"
    );
    assert_eq!(
        lines_of(&with_rule(&f, "layout/running-head")),
        vec![7],
        "{f:#?}"
    );
    assert_eq!(
        lines_of(&with_rule(&f, "layout/page-split")),
        vec![5],
        "{f:#?}"
    );
}
