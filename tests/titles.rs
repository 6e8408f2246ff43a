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
