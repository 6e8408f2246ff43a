//! Collation of the print copy (001, simplified) against the web copy (000, traditional), and
//! of a witness that differs from the reference only by script, punctuation and line wrapping.

mod common;
use common::*;
use serde_json::Value;

fn collated() -> Vec<Value> {
    let (rc, f) = check(&[S001, "--against", S000]);
    assert_eq!(rc, 1);
    f
}

/// Findings in 001 whose message mentions both readings, at a line.
fn has(f: &[Value], line: u64, category: &str, needles: &[&str]) -> bool {
    f.iter().any(|x| {
        x["file"] == S001
            && x["line"] == line
            && x["category"] == category
            && needles
                .iter()
                .all(|n| x["message"].as_str().unwrap_or("").contains(n))
    })
}

#[test]
fn names_titles_and_organisations_are_errors_in_the_right_entry() {
    let f = collated();
    // 12 March: 联合国秘书长 → 联合国副秘书长, 世卫组织 → 世界组织
    assert!(has(&f, 55, "title", &["副"]), "副秘书长");
    assert!(f.iter().any(|x| x["line"] == 55
        && x["rule"] == "altered-event/name"
        && x["message"].as_str().unwrap().contains("界")));
    // 14 March: 意大利总统马塔雷拉 → 意大利总理马德拉
    assert!(
        f.iter()
            .any(|x| x["file"] == S001 && x["line"] == 85 && x["category"] == "title"),
        "马德拉"
    );
    // 17 March: 阿尔维 → 阿维; 31 March: 杰拉德 → 拉德梅
    assert!(has(&f, 108, "altered-event", &["爾"]));
    assert!(has(&f, 271, "altered-event", &["拉德梅", "傑拉德"]));
    // 11 March 欧盟 → 东盟; 13 March 中国科学技术大学 → 中国科学院大学; 30 March 共抗疫情 → 共同传统
    assert!(has(&f, 44, "altered-event", &["东", "歐"]));
    assert!(has(&f, 82, "altered-event", &["院", "技術"]));
    assert!(has(&f, 260, "altered-event", &["同传统", "抗疫情"]));
    for x in f.iter().filter(|x| {
        x["file"] == S001 && [44, 82, 108, 260, 271].contains(&x["line"].as_u64().unwrap())
    }) {
        if x["rule"] == "altered-event/name" {
            assert_eq!(x["severity"], "error");
            assert_eq!(x["witness"], S000);
            assert!(
                x["related"][0]["file"] == S000,
                "related span in the reference: {x}"
            );
        }
    }
}

#[test]
fn altered_meaning_ocr_and_inserted_conjunction() {
    let f = collated();
    assert!(
        has(&f, 110, "altered-event", &["未来", "現在"]),
        "现在 → 未来"
    );
    assert!(
        has(&f, 55, "altered-event", &["实", "國"]),
        "国际行动 → 实际行动"
    );
    assert!(
        f.iter()
            .any(|x| x["line"] == 55 && x["message"].as_str().unwrap().contains("做好中国")),
        "做好中国做好"
    );
    assert!(has(&f, 229, "altered-event", &["阿拉伯"]));
    let ocr: Vec<_> = with_rule(&f, "substitution/ocr");
    assert!(
        ocr.iter()
            .any(|x| x["line"] == 135 && x["message"].as_str().unwrap().contains("流")),
        "上游 → 上流"
    );
    for line in [221u64, 273] {
        assert!(
            has(&f, line, "altered-event", &["“和”"]),
            "inserted 和 on line {line}"
        );
    }
}

#[test]
fn twenty_ninth_of_march_loop_and_lost_ending() {
    let f = collated();
    let on_252: Vec<_> = f
        .iter()
        .filter(|x| x["file"] == S001 && x["line"] == 252)
        .collect();
    // One fault, one finding: the loop, which carries what the reference reads in its place.
    assert_eq!(on_252.len(), 1, "{on_252:#?}");
    assert!(
        on_252.iter().any(|x| x["category"] == "loop"
            && x["message"].as_str().unwrap().contains("至4月1日")),
        "{on_252:#?}"
    );
}

#[test]
fn missing_heading_is_reported_once_with_the_misfiled_events() {
    let f = collated();
    let mh = with_rule(&f, "date-structure/missing-heading");
    assert_eq!(mh.len(), 1, "{mh:#?}");
    let m = mh[0];
    assert!(m["message"].as_str().unwrap().contains("3月30日"));
    assert_eq!(m["line"], 258, "where the heading should be");
    assert!(m["related"].as_array().unwrap().len() >= 6);
    assert!(with_rule(&f, "date-structure/misfiled").is_empty());
}

#[test]
fn partial_witness_is_not_reported_as_dropping_what_lies_outside_it() {
    let f = collated();
    let dropped = with_rule(&f, "dropped-event/missing-unit");
    // 001 starts inside 6 March: nothing before its first page (the reference's 3月7日 heading is
    // on line 677) is "dropped".
    assert!(
        dropped
            .iter()
            .all(|x| x["related"][0]["line"].as_u64().unwrap() > 677),
        "{dropped:#?}"
    );
}

#[test]
fn a_dropped_event_is_reported_once_where_it_should_stand() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("001-dropped.txt");
    let text = std::fs::read_to_string(root().join(S001)).unwrap();
    let gone = "◆国家卫生健康委推荐专家参与世界卫生组织基因测序指南制定。\n\n";
    assert!(text.contains(gone));
    std::fs::write(&w, text.replacen(gone, "", 1)).unwrap();
    let (_, before) = check(&[S001, "--against", S000]);
    let (_, after) = check(&[w.to_str().unwrap(), "--against", S000]);
    let d0 = with_rule(&before, "dropped-event/missing-unit").len();
    let d: Vec<_> = with_rule(&after, "dropped-event/missing-unit");
    assert_eq!(d.len(), d0 + 1, "{d:#?}");
    let new = d
        .iter()
        .find(|x| x["message"].as_str().unwrap().contains("基因測序"))
        .expect("the dropped event");
    assert_eq!(new["file"], w.to_str().unwrap());
    assert_eq!(
        new["line"], 39,
        "the last event of its day: after the event before it"
    );
    assert_eq!(new["related"][0]["file"], S000);
}

#[test]
fn layout_and_punctuation() {
    let f = collated();
    assert_eq!(lines_of(&with_rule(&f, "layout/running-head")), vec![65]);
    // 。 vs , and full/half width never make a finding: no variant message is about punctuation.
    assert!(f
        .iter()
        .all(|x| !x["message"].as_str().unwrap().starts_with("punctuation")));
    // Wording differences are notes only.
    assert!(with_rule(&f, "altered-event/wording")
        .iter()
        .all(|x| x["severity"] == "note"));
}

/// A simplified witness made from 000 with OpenCC (phrase-level t2s), with ASCII punctuation and
/// re-wrapped lines: nothing above note.
#[test]
fn script_punctuation_and_wrapping_alone_give_nothing_above_note() {
    let src = std::fs::read_to_string(root().join(S000)).unwrap();
    let cc =
        ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s).unwrap();
    let mut out = String::new();
    let mut fences = 0;
    for line in src.lines() {
        if line == "---" {
            fences += 1;
        }
        // Front matter and link lines keep their lines (a URL is not re-wrapped).
        if fences < 2 || line.contains("http") || line.contains('[') {
            out.push_str(&cc.convert(line));
            out.push('\n');
            continue;
        }
        let conv = cc
            .convert(line)
            .replace('，', ",")
            .replace('：', ":")
            .replace('；', ";")
            .replace('「', "“")
            .replace('」', "”");
        // Hard-wrap long lines at 60 characters.
        let chars: Vec<char> = conv.chars().collect();
        for (i, chunk) in chars.chunks(60).enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.extend(chunk);
        }
        out.push('\n');
    }
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("simplified.txt");
    std::fs::write(&w, out).unwrap();
    let (_, f) = check(&[w.to_str().unwrap(), "--against", S000]);
    let wname = w.to_str().unwrap();
    let above: Vec<_> = f
        .iter()
        .filter(|x| x["file"] == wname && x["severity"] != "note")
        .filter(|x| x["category"] != "substitution" || x["rule"] != "substitution/converter")
        .collect();
    assert!(above.is_empty(), "{above:#?}");
    // And collation found every unit: nothing dropped or inserted.
    assert!(
        f.iter()
            .all(|x| x["category"] != "dropped-event" && x["category"] != "inserted-event"),
        "{f:#?}"
    );
}

#[test]
fn three_witnesses_name_the_ones_that_agree() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().join("r.txt");
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&r, "3月1日\n\n◆国家卫生健康委向世界卫生组织通报疫情信息,分享病毒基因序列。\n\n◆外交部发言人介绍有关情况。\n").unwrap();
    std::fs::write(&a, "3月1日\n\n◆国家卫生健康委向世界卫生组织通报疫情信息,分享病毒基因序列。\n\n◆外交部发言人介绍有关情况。\n").unwrap();
    std::fs::write(&b, "3月1日\n\n◆国家卫生健康委向世界卫生组织通报疫情信息,分享病毒基因序列2份。\n\n◆外交部发言人介绍有关情况。\n").unwrap();
    let (_, f) = check(&[
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--against",
        r.to_str().unwrap(),
    ]);
    let nums = with_rule(&f, "altered-event/number");
    assert_eq!(nums.len(), 1, "{f:#?}");
    assert_eq!(nums[0]["file"], b.to_str().unwrap());
    assert!(
        nums[0]["message"]
            .as_str()
            .unwrap()
            .contains("a.txt agrees with the reference"),
        "{}",
        nums[0]["message"]
    );
}

#[test]
fn collate_command_prints_apparatus_and_json() {
    let o = run(&["collate", "--no-config", S000, S001]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s = stdout(&o);
    assert!(
        s.contains("organisation or place") && s.contains("[歐]") && s.contains("[东]"),
        "{s}"
    );
    let o = run(&["collate", "--no-config", "--format", "json", S000, S001]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let w = &v["witnesses"][0];
    assert!(w["pairs"].as_array().unwrap().len() > 100);
    assert!(w["pairs"][0]["reference"]["line"].as_u64().is_some());
}

#[test]
fn every_witness_unit_pairs_at_most_once() {
    // The alignment is a matching: no witness unit is claimed by two reference units.
    let o = run(&["collate", "--no-config", "--format", "json", S000, S001]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let pairs = v["witnesses"][0]["pairs"].as_array().unwrap();
    let mut seen = std::collections::HashSet::new();
    for p in pairs {
        assert!(
            seen.insert(p["witness"]["start"].as_u64().unwrap()),
            "a witness unit paired twice"
        );
    }
}

#[test]
fn an_excerpt_of_another_text_is_said_once_not_listed_unit_by_unit() {
    // The white paper (002) repeats some of the chronicle's events but is not a copy of it.
    let (_, f) = check(&[S002, "--against", S000]);
    let in002: Vec<_> = in_file(&f, S002);
    assert_eq!(
        with_rule(&f, "altered-event/unrelated-witness").len(),
        1,
        "{in002:#?}"
    );
    assert!(with_rule(&f, "dropped-event/missing-unit").is_empty());
    assert!(with_rule(&f, "date-structure/missing-heading").is_empty());
    // After the verdict, no unit-level finding: nothing of the collation above a note (the
    // conflicts corroboration finds instead are tested in tests/corroborate.rs).
    let loud: Vec<_> = in002
        .iter()
        .filter(|x| x["witness"] == S000 && x["severity"] != "note" && x["category"] != "conflict")
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
}
