//! Knowledge rules: official titles checked in a single document.

mod common;
use common::*;

#[test]
fn swapped_titles_in_001_alone() {
    let (_, f) = check(&[S001]);
    let t = in_category(&f, "title");
    let gu = t
        .iter()
        .find(|x| x["line"] == 55)
        .expect("联合国副秘书长古特雷斯");
    assert_eq!(gu["rule"], "title/mismatch");
    assert_eq!(gu["severity"], "error");
    assert!(
        gu["help"].as_str().unwrap().contains("联合国秘书长"),
        "{gu}"
    );
    let ma = t
        .iter()
        .find(|x| x["line"] == 85)
        .expect("意大利总理马德拉");
    assert_eq!(ma["rule"], "title/unknown-holder");
    assert!(
        ma["help"].as_str().unwrap().contains("意大利总统马塔雷拉"),
        "{ma}"
    );
}

#[test]
fn no_title_findings_in_000_and_002_and_many_mentions_checked() {
    let kb = collatio::knowledge::Knowledge::embedded();
    let mut mentions = 0;
    for s in [S000, S002] {
        let (_, f) = check(&[s]);
        let t = in_category(&f, "title");
        assert!(t.is_empty(), "{s}: {t:#?}");
        let doc = collatio::pipeline::load_file(&root().join(s), &Default::default(), &kb).unwrap();
        mentions += collatio::rules::title::checked_mentions(&doc, &kb);
    }
    assert!(
        mentions > 100,
        "only {mentions} office mentions were checked"
    );
}

#[test]
fn a_dated_text_uses_the_date_in_force() {
    // 2019: 孔特 is Italy's prime minister; 2022-11: 梅洛尼 is, so 孔特 is wrong then.
    let f = check_text("2019年12月\n\n◆国务院总理李克强同意大利总理孔特通电话。\n\n2022年11月\n\n◆国务院总理李克强同意大利总理孔特通电话。\n");
    let t = in_category(&f, "title");
    assert_eq!(lines_of(&t), vec![7], "{t:#?}");
    assert!(
        t[0]["help"].as_str().unwrap().contains("2018-06"),
        "{}",
        t[0]["help"]
    );
}

#[test]
fn wrong_country_is_a_warning_and_modifiers_make_other_offices() {
    let f = check_text("2020年3月\n\n◆国家主席习近平同法国总理默克尔通电话。\n\n◆前美国总统奥巴马发表讲话。\n\n◆中共中央总书记、国家主席、中央军委主席习近平出席会议。\n");
    let t = in_category(&f, "title");
    assert_eq!(t.len(), 1, "{t:#?}");
    assert_eq!(t[0]["rule"], "title/wrong-body");
    assert_eq!(t[0]["severity"], "warning");
}

#[test]
fn a_user_rules_folder_adds_a_person_without_rebuilding() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("sierra-leone.toml"),
        r#"
[[office]]
id = "sl-president"
names = ["塞拉利昂总统", "獅子山總統"]
body = "Sierra Leone"
title = "head-of-state"
verified_from = "2018-04"
verified_through = "2024-12"
coverage_source = "https://en.wikipedia.org/wiki/President_of_Sierra_Leone"

[[person]]
id = "bio"
names = ["比奥"]
latin = "Julius Maada Bio"
held = [{ office = "sl-president", from = "2018-04", source = "https://en.wikipedia.org/wiki/Julius_Maada_Bio" }]
"#,
    )
    .unwrap();
    let p = dir.path().join("t.txt");
    std::fs::write(&p, "2020年3月\n\n◆国家主席习近平同塞拉利昂总统比奥通电话。\n\n◆国家主席习近平同塞拉利昂总统科罗马通电话。\n").unwrap();
    let (_, without) = check(&[p.to_str().unwrap()]);
    assert!(without.iter().all(|x| x["category"] != "title"));
    let (_, with) = check(&["--rules", rules.to_str().unwrap(), p.to_str().unwrap()]);
    let t = in_category(&with, "title");
    assert_eq!(lines_of(&t), vec![5], "{t:#?}");
    assert!(t[0]["help"].as_str().unwrap().contains("比奥"));
    let o = run(&["rules", "check", rules.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("1 person"), "{}", stdout(&o));
}

#[test]
fn rules_check_reports_file_and_line_of_a_bad_entry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("x.toml"),
        "[[person]]\nid = \"x\"\nnames = [\"某某\"]\nheld = [{ office = \"no-such-office\", from = \"2020-01\", source = \"s\" }]\n",
    )
    .unwrap();
    let o = run(&["rules", "check", dir.path().to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(
        e.contains("x.toml") && e.contains("line 1") && e.contains("no-such-office"),
        "{e}"
    );
}

#[test]
fn the_embedded_knowledge_covers_the_seed_offices() {
    let kb = collatio::knowledge::Knowledge::embedded();
    assert!(kb.people.len() > 40);
    for p in &kb.people {
        for t in &p.terms {
            assert!(!t.source.is_empty(), "{} has a term without a source", p.id);
        }
    }
}

#[test]
fn people_beyond_the_seeds_and_namesakes() {
    let f = check_text("2020年5月\n\n◆国家主席习近平同新加坡总统李显龙通电话。\n\n◆国务院总理李克强同比利时国王菲利普通电话。\n\n◆国家主席习近平同法国总理菲利普通电话。\n\n◆国家主席习近平同俄罗斯总统梅德韦杰夫通电话。\n\n◆国家主席习近平同越南国家主席阮富仲通电话。\n");
    let t = in_category(&f, "title");
    // 李显龙 was prime minister, 梅德韦杰夫 no longer president; 菲利普 is both a Belgian king and
    // a French prime minister, and both mentions are right.
    assert_eq!(lines_of(&t), vec![3, 9], "{t:#?}");
    assert!(t[0]["help"].as_str().unwrap().contains("新加坡总理"));
}

/// Error-level title findings.
fn errors(f: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    f.iter()
        .filter(|x| x["category"] == "title" && x["severity"] == "error")
        .collect()
}

#[test]
fn news_of_2022_to_2026_naming_the_heads_of_government_of_that_year_is_clean() {
    let text = "\
2022年6月

◆国家主席习近平同法国总统马克龙、德国总理朔尔茨通电话。英国首相约翰逊、意大利总理德拉吉、日本首相岸田文雄、加拿大总理特鲁多出席峰会。

◆韩国总统尹锡悦会见澳大利亚总理阿尔巴尼斯。瑞典首相安德松、芬兰总理马林、以色列总理贝内特分别发表声明。

2023年4月

◆國務院總理李強同新西蘭總理希普金斯會談。英國首相蘇納克、意大利總理梅洛尼、巴西總統盧拉出席。

◆捷克总统帕维尔、尼日利亚总统布哈里、越南国家主席武文赏、菲律宾总统马科斯分别致电。

2024年3月

◆巴基斯坦总统扎尔达里、印尼总统佐科、泰国总理赛塔、荷兰首相吕特、葡萄牙总理科斯塔出席会议。

2025年8月

◆英国首相斯塔默、德国总理默茨、日本首相石破茂、美国总统特朗普、韩国总统李在明出席。加拿大总理卡尼同法国总理贝鲁通电话。波兰总统纳夫罗茨基、乌克兰总理斯维里坚科发表讲话。

2026年3月

◆美国总统特朗普、英国首相斯塔默、德国总理默茨、日本首相高市早苗、俄罗斯总统普京、法国总统马克龙出席。
";
    let f = check_text(text);
    assert!(errors(&f).is_empty(), "{:#?}", errors(&f));
    // Not silence: the same text with its years moved back makes errors.
    let wrong = check_text(&text.replace("2025年8月", "2019年8月"));
    assert!(errors(&wrong).len() >= 5, "{:#?}", errors(&wrong));
}

#[test]
fn every_head_of_state_and_government_in_the_data_is_clean_in_2022_to_2026() {
    // Generated from the data: for each month, each holder of a head-of-state or -government
    // office then, as news would name them (simplified office name, first name form).
    let kb = collatio::knowledge::Knowledge::embedded();
    let mut text = String::new();
    let mut named = 0;
    for (y, m) in [(2022, 6), (2023, 6), (2024, 6), (2025, 3), (2026, 3)] {
        text.push_str(&format!("{y}年{m}月\n\n"));
        let key = y * 12 + m - 1;
        for (i, o) in kb.offices.iter().enumerate() {
            if !["head-of-state", "head-of-government"].contains(&o.title.as_str()) {
                continue;
            }
            for p in &kb.people {
                if p.terms.iter().any(|t| t.office == i && t.covers(Some(key))) {
                    text.push_str(&format!(
                        "◆国家主席习近平同{}{}通电话。\n\n",
                        o.display, p.display
                    ));
                    named += 1;
                }
            }
        }
    }
    assert!(named > 300, "{named}");
    let f = check_text(&text);
    assert!(errors(&f).is_empty(), "{:#?}", errors(&f));
}

#[test]
fn taiwan_and_hong_kong_renderings_are_the_holder() {
    // Listed renderings: nothing to say. Unlisted ones that sound like the holder's name: a note
    // that names the holder.
    let f = check_text("2023年5月\n\n◆烏克蘭總統澤倫斯基、法國總統馬克宏、俄羅斯總統蒲亭、美國國務卿布林肯出席。英國首相辛偉誠表示歡迎。\n\n◆法國總統馬可龍、德國總理蕭爾茨發表聲明。\n");
    assert!(errors(&f).is_empty(), "{:#?}", errors(&f));
    let t = in_category(&f, "title");
    assert!(t.iter().all(|x| x["line"] == 5), "{t:#?}");
    let notes = with_rule(&f, "title/regional-name");
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert!(
        notes[0]["message"].as_str().unwrap().contains("马克龙"),
        "{}",
        notes[0]
    );
    assert!(
        notes[1]["message"].as_str().unwrap().contains("朔尔茨"),
        "{}",
        notes[1]
    );
    assert_eq!(notes[0]["severity"], "note");
}

#[test]
fn a_regional_rendering_is_taken_whole() {
    // The data here knows only 马克龙: 馬克宏 must be read as one three-syllable name, not as
    // an unknown 馬克 (宏 is rare in transliterations).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("fr.toml"),
        r#"
[[office]]
id = "fr-president"
names = ["法国总统"]
body = "France"
title = "head-of-state"
verified_from = "2017-05"
verified_through = "2025-06"
coverage_source = "https://en.wikipedia.org/wiki/President_of_France"

[[person]]
id = "macron"
names = ["马克龙"]
held = [{ office = "fr-president", from = "2017-05", source = "https://en.wikipedia.org/wiki/Emmanuel_Macron" }]
"#,
    )
    .unwrap();
    let p = dir.path().join("t.txt");
    std::fs::write(&p, "2023年5月\n\n◆法國總統馬克宏出席。\n").unwrap();
    let (_, f) = check(&[
        "--no-default-rules",
        "--rules",
        dir.path().to_str().unwrap(),
        p.to_str().unwrap(),
    ]);
    let t = in_category(&f, "title");
    assert_eq!(t.len(), 1, "{t:#?}");
    assert_eq!(t[0]["rule"], "title/regional-name");
    // 法國總統馬克宏 runs from column 2 to 9 (exclusive).
    assert_eq!(
        (t[0]["column"].as_u64(), t[0]["end_column"].as_u64()),
        (Some(2), Some(9)),
        "{}",
        t[0]
    );
}

#[test]
fn an_invented_name_is_an_error_inside_the_coverage_and_a_note_outside() {
    let f = check_text("2024年5月\n\n◆英国首相班德森出席会议。\n\n2026年3月\n\n◆英国首相班德森出席会议。\n\n◆英国首相约翰逊出席会议。\n");
    let t = in_category(&f, "title");
    assert_eq!(lines_of(&t), vec![3, 7, 9], "{t:#?}");
    assert_eq!(t[0]["rule"], "title/unknown-holder");
    assert_eq!(t[0]["severity"], "error");
    assert!(
        t[0]["help"].as_str().unwrap().contains("苏纳克"),
        "{}",
        t[0]
    );
    // 2026 is past the data for 英国首相: not an error, no guess.
    assert_eq!(t[1]["rule"], "title/unknown-holder");
    assert_eq!(t[1]["severity"], "note");
    let msg = t[1]["message"].as_str().unwrap();
    assert!(
        msg.contains("not in the knowledge data for 2026-03"),
        "{msg}"
    );
    assert!(msg.contains("data for 英国首相 ends 2025-06"), "{msg}");
    assert!(!t[1]["help"].as_str().unwrap().contains("did you mean"));
    // A known person past the data may have taken the office since: a note too.
    assert_eq!(t[2]["rule"], "title/mismatch");
    assert_eq!(t[2]["severity"], "note");
}

#[test]
fn an_office_without_coverage_is_refused_by_rules_check() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("x.toml"),
        "[[office]]\nid = \"ruritania-president\"\nnames = [\"鲁里塔尼亚总统\"]\nbody = \"Ruritania\"\ntitle = \"head-of-state\"\n",
    )
    .unwrap();
    let o = run(&["rules", "check", dir.path().to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(
        e.contains("x.toml") && e.contains("line 1") && e.contains("verified_through"),
        "{e}"
    );
    std::fs::write(
        dir.path().join("x.toml"),
        "[[office]]\nid = \"ruritania-president\"\nnames = [\"鲁里塔尼亚总统\"]\nbody = \"Ruritania\"\ntitle = \"head-of-state\"\nverified_from = \"2020-01\"\nverified_through = \"2019-12\"\ncoverage_source = \"s\"\n",
    )
    .unwrap();
    let o = run(&["rules", "check", dir.path().to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("ends"), "{}", stderr(&o));
}

#[test]
fn import_wikidata_gives_rules_that_check_and_the_title_rule_uses() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("offices.toml");
    let o = run(&[
        "rules",
        "import-wikidata",
        root()
            .join("tests/fixtures/wikidata-sample.json")
            .to_str()
            .unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--verified-through",
        "2026-10",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("2 offices, 4 people"), "{}", stderr(&o));
    let o = run(&["rules", "check", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let p = dir.path().join("t.txt");
    std::fs::write(&p, "2026年3月\n\n◆塞拉利昂总统比奥出席会议。狮子山总统班德拉出席会议。\n\n◆英国首相斯塔默出席会议。英国首相班德森出席会议。\n").unwrap();
    // Without the import: Sierra Leone is unknown, and 2026 is past the built-in UK data.
    let (_, without) = check(&[p.to_str().unwrap()]);
    assert!(errors(&without).is_empty(), "{without:#?}");
    // With it: the import covers both offices through 2026-10; the invented names are errors.
    let (_, with) = check(&["--rules", out.to_str().unwrap(), p.to_str().unwrap()]);
    let e = errors(&with);
    assert_eq!(lines_of(&e), vec![3, 5], "{e:#?}");
    assert!(e[0]["help"].as_str().unwrap().contains("比奥"), "{}", e[0]);
    assert!(
        e[1]["help"].as_str().unwrap().contains("斯塔默"),
        "{}",
        e[1]
    );
}

#[test]
fn taiwan_and_hong_kong_conversions_of_the_seeds_keep_their_title_findings() {
    // The seeds re-written with Taiwan and Hong Kong vocabulary and name renderings (OpenCC
    // s2twp, s2hk): the titles they name are read as the same offices and people, so the faults
    // of 001 (a swapped title, altered names) are still its title findings, on the same lines,
    // and 000 and 002 stay clean.
    use ferrous_opencc::{config::BuiltinConfig, OpenCC};
    let t2s = OpenCC::from_config(BuiltinConfig::T2s).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let lines = |f: &[serde_json::Value]| -> Vec<u64> {
        let t: Vec<_> = in_category(f, "title")
            .into_iter()
            .filter(|x| x["severity"] != "note")
            .collect();
        lines_of(&t)
    };
    for s in [S000, S001, S002] {
        let (_, original) = check(&[s]);
        let want = lines(&original);
        assert_eq!(want.is_empty(), s != S001, "{s}: {want:?}");
        let text = std::fs::read_to_string(root().join(s)).unwrap();
        for (cfg, tag) in [(BuiltinConfig::S2twp, "tw"), (BuiltinConfig::S2hk, "hk")] {
            let cc = OpenCC::from_config(cfg).unwrap();
            let p = dir.path().join(format!("{tag}-{}.txt", &s[15..18]));
            std::fs::write(&p, cc.convert(&t2s.convert(&text))).unwrap();
            let (_, f) = check(&[p.to_str().unwrap()]);
            assert_eq!(lines(&f), want, "{tag} {s}");
        }
    }
}

#[test]
fn a_past_holder_named_as_such_is_not_claimed_for_the_text_date() {
    let f = check_text("2024年6月\n\n◆时任英国首相约翰逊曾于2021年访问。已故伊朗总统莱希的葬礼举行。\n\n◆英国首相约翰逊出席。伊朗总统莱希出席。\n");
    let t = in_category(&f, "title");
    assert_eq!(lines_of(&t), vec![5, 5], "{t:#?}");
    assert!(t
        .iter()
        .all(|x| x["rule"] == "title/mismatch" && x["severity"] == "error"));
}

#[test]
fn an_undated_text_says_the_data_cannot_date_it() {
    let f = check_text("◆英国首相班德森出席会议。\n");
    let t = in_category(&f, "title");
    assert_eq!(t.len(), 1, "{t:#?}");
    assert_eq!(t[0]["severity"], "note");
    let m = t[0]["message"].as_str().unwrap();
    assert!(m.contains("undated") && m.contains("covers"), "{m}");
}
