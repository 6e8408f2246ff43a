//! Corroboration: different texts about the same events, compared fact by fact. Pairs written
//! for these tests (a chronicle with date headings in traditional script, and a paraphrase of it
//! with inline dates in simplified script, a few facts changed), and the seeds (the white paper
//! 002 against the chronicle 000).

mod common;
use common::*;
use serde_json::Value;

/// A chronicle: date headings, `◆` events, one relative date (`1日` in the 3月2日 entry), a
/// meeting that recurs (3月4日 and 3月9日).
const CHRONICLE: &str = "2020年3月

3月2日

◆國務院聯防聯控機制新聞發布會通報，1日，湖北省以外省份新增確診病例首次降至個位數。

◆國家主席習近平同法國總統馬克龍通電話，雙方就疫情防控交換意見。

3月4日

◆中共中央政治局常務委員會召開會議，研究疫情防控和經濟社會發展工作。

3月5日

◆國家衛生健康委派出專家組赴山東省指導防控，專家組由12名專家組成。

◆國務院總理李克強主持召開國務院常務會議，部署穩就業工作。

◆國務院辦公廳印發通知，自3月10日起在全國推行健康碼互認，方便人員有序流動。

3月9日

◆外交部發言人介紹中方向伊拉克派出醫療專家組的情況。

◆世界衛生組織總幹事在日內瓦發布會上讚賞中方防控努力。

◆中共中央政治局常務委員會召開會議，研究疫情防控和經濟社會發展工作。
";

/// The same days told as a white paper tells them, in other words, with five facts changed: the
/// day of (1), the person of (2) and (4), the number of (3), the office of (7). (5) is the
/// recurring meeting on a day the chronicle does not report it; (6) is only reworded; (8)
/// writes the day a measure takes effect (`自3月10日起`) beside the day it was decided.
const PAPER: &str = "《抗疫行动纪要》

（1）3月2日，湖北省以外省份新增确诊病例首次降至个位数。

（2）3月2日，国家主席习近平同德国总理默克尔通电话，双方就疫情防控交换意见。

（3）3月5日，国家卫生健康委派出由15名专家组成的专家组赴山东省指导防控工作。

（4）3月5日，国务院副总理韩正主持召开国务院常务会议，部署稳就业工作。

（5）3月6日，中共中央政治局常务委员会召开会议，研究疫情防控和经济社会发展工作。

（6）3月9日，外交部发言人介绍了中方向伊拉克派出医疗专家组的有关情况。

（7）3月9日，联合国秘书长在日内瓦发布会上赞赏中方防控努力。

（8）3月5日，国务院办公厅印发通知，自3月10日起在全国推行健康码互认，方便人员有序流动。
";

/// `corroborate paper.txt chronicle.txt --no-config --format FORMAT EXTRA…` on texts `a` and `b`
/// in a folder of their own (returned, so it lives as long as the output is read).
fn corroborate_as(
    a: &str,
    b: &str,
    format: &str,
    extra: &[&str],
) -> (std::process::Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("paper.txt"), a).unwrap();
    std::fs::write(dir.path().join("chronicle.txt"), b).unwrap();
    let mut args = vec![
        "corroborate",
        "paper.txt",
        "chronicle.txt",
        "--no-config",
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    (run_in(dir.path(), &args), dir)
}

fn corroborate_texts(a: &str, b: &str, extra: &[&str]) -> (i32, Vec<Value>, tempfile::TempDir) {
    let (o, dir) = corroborate_as(a, b, "jsonl", extra);
    (code(&o), jsonl(&o), dir)
}

fn summary(v: &[Value]) -> Vec<(String, u64, String)> {
    v.iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["related"][0]["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_changed_fact_of_a_paraphrase_is_found_and_nothing_else() {
    let (code, v, _d) = corroborate_texts(PAPER, CHRONICLE, &[]);
    assert_eq!(code, 1);
    let got = summary(&v);
    let want = [
        ("CF001", 3, "chronicle.txt reads “3月1日”"),
        ("CF003", 5, "chronicle.txt reads “馬克龍”"),
        ("CF002", 7, "chronicle.txt reads “12名”"),
        ("CF003", 9, "chronicle.txt reads “李克強”"),
        ("CF004", 15, "chronicle.txt reads “世界衛生組織總幹事”"),
        // (8): no conflict, though one date in it is 3月10日.
    ];
    let want: Vec<(String, u64, String)> = want
        .iter()
        .map(|(c, l, m)| (c.to_string(), *l, m.to_string()))
        .collect();
    assert_eq!(got, want, "{v:#?}");
    // Dates and numbers are errors; people and offices warnings.
    let errors: Vec<&str> = v
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(errors, ["CF001", "CF002"]);
    for f in &v {
        assert_eq!(f["category"], "conflict");
        assert_eq!(f["witness"], "chronicle.txt");
        assert_eq!(f["related"][0]["file"], "chronicle.txt");
    }
    // Both readings in the message, the primary span on this text's reading.
    let date = &v[0];
    assert!(date["message"].as_str().unwrap().contains("3月2日"));
    assert!(date["message"].as_str().unwrap().contains("3月1日"));
    assert_eq!(
        (date["line"].as_u64(), date["column"].as_u64()),
        (Some(3), Some(4))
    );
    assert_eq!(date["related"][0]["line"], 5);
}

#[test]
fn corroboration_is_symmetric_in_what_it_finds() {
    let (_, v, _d) = corroborate_texts(CHRONICLE, PAPER, &[]);
    let codes: Vec<&str> = v.iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        ["CF001", "CF003", "CF002", "CF003", "CF004"],
        "{v:#?}"
    );
}

#[test]
fn a_faithful_paraphrase_has_no_conflict() {
    // The paraphrase with the changed facts put back.
    let faithful = PAPER
        .replace("（1）3月2日", "（1）3月1日")
        .replace("德国总理默克尔", "法国总统马克龙")
        .replace("15名", "12名")
        .replace("国务院副总理韩正", "国务院总理李克强")
        .replace("联合国秘书长", "世界卫生组织总干事");
    let (code, v, _d) = corroborate_texts(&faithful, CHRONICLE, &[]);
    assert_eq!((code, v.len()), (0, 0), "{v:#?}");
}

#[test]
fn unpaired_events_only_on_request() {
    let (_, v, _d) = corroborate_texts(PAPER, CHRONICLE, &["--unpaired"]);
    let unpaired: Vec<u64> = with_rule(&v, "conflict/unpaired")
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    // The recurring meeting on a day the chronicle does not report: no partner.
    assert_eq!(unpaired, [11], "{v:#?}");
    assert!(with_rule(&v, "conflict/unpaired")
        .iter()
        .all(|f| f["severity"] == "note"));
}

#[test]
fn markdown_has_a_corroboration_table() {
    let (o, _dir) = corroborate_as(PAPER, CHRONICLE, "markdown", &[]);
    let md = stdout(&o);
    assert!(md.contains("### Corroboration"), "{md}");
    assert!(md.contains("| event | source A | source B | agree/conflict |"));
    let table: Vec<&str> = md
        .split("### Corroboration")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| event"))
        .collect();
    assert_eq!(
        table.iter().filter(|l| l.ends_with("| agree |")).count(),
        2,
        "{md}"
    );
    assert!(
        table[0].contains("paper.txt:3: 3月2日") && table[0].contains("chronicle.txt:5: 3月1日")
    );
    assert!(table[0].ends_with("| conflict: date |"), "{md}");
}

#[test]
fn sarif_lists_the_conflict_rules() {
    let (o, _dir) = corroborate_as(PAPER, CHRONICLE, "sarif", &[]);
    let s: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules = s["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let date = rules.iter().find(|r| r["id"] == "conflict/date").unwrap();
    assert_eq!(date["properties"]["category"], "conflict");
    assert_eq!(date["defaultConfiguration"]["level"], "error");
    let results = s["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
}

#[test]
fn seeds_white_paper_against_chronicle_two_date_conflicts() {
    let o = run(&[
        "corroborate",
        S002,
        S000,
        "--no-config",
        "--format",
        "jsonl",
    ]);
    let v = jsonl(&o);
    let above_note: Vec<&Value> = v.iter().filter(|f| f["severity"] != "note").collect();
    assert!(above_note.len() < 10, "{v:#?}");
    let dates = with_rule(&v, "conflict/date");
    assert_eq!(dates.len(), 2, "{v:#?}");
    // Recoveries first above new cases in Wuhan: 2月19日 in the paper, 20日 in the 2月21日 entry.
    let msgs: Vec<&str> = dates
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        msgs[0].contains("2月19日") && msgs[0].contains("2月20日"),
        "{msgs:?}"
    );
    // Seven days without local cases outside Hubei: 至19日 in the paper, 18日 in the chronicle.
    assert!(
        msgs[1].contains("3月19日") && msgs[1].contains("3月18日"),
        "{msgs:?}"
    );
    assert!(v
        .iter()
        .all(|f| f["severity"] != "error" || f["rule"] == "conflict/date"));
}

#[test]
fn seeds_check_against_a_non_copy_corroborates_instead_of_collating() {
    let (_, v) = check(&[S002, "--against", S000]);
    let witness = in_file(&v, S002);
    let above_note: Vec<&&Value> = witness.iter().filter(|f| f["severity"] != "note").collect();
    assert!(above_note.len() < 10, "{above_note:#?}");
    let dates = with_rule(&v, "conflict/date");
    assert_eq!(dates.len(), 2, "{v:#?}");
    assert!(dates
        .iter()
        .all(|f| f["file"] == S002 && f["witness"] == S000));
    // The verdict that it is not a copy stays, and no unit-level collation finding.
    assert_eq!(with_rule(&v, "altered-event/unrelated-witness").len(), 1);
    assert!(in_category(&v, "altered-event").len() == 1);
}

#[test]
fn seeds_a_copy_is_collated_not_corroborated() {
    let (_, v) = check(&[S001, "--against", S000]);
    assert!(in_category(&v, "conflict").is_empty());
    assert!(!in_category(&v, "altered-event").is_empty());
}

#[test]
fn like_events_of_other_places_or_documents_are_other_events() {
    // A national milestone is not the provincial one two days before; a treatment plan is not
    // the prevention plan, whatever their editions.
    let chronicle = "2020年3月

3月2日

◆國務院聯防聯控機制新聞發布會通報，1日，湖北省以外省份新增確診病例首次降至個位數。

3月4日

◆國家衛生健康委發布《新型冠狀病毒肺炎防控方案（第五版）》。
";
    let paper = "（1）3月3日，全国新增确诊病例首次降至个位数。

（2）3月3日，国家卫生健康委发布《新型冠状病毒肺炎诊疗方案（试行第七版）》。
";
    let (code, v, _d) = corroborate_texts(paper, chronicle, &[]);
    assert_eq!((code, v.len()), (0, 0), "{v:#?}");
    // The same plan with another edition is one document, and its edition a number conflict.
    let same_plan = paper.replace("诊疗方案（试行第七版）", "防控方案（第六版）");
    let (_, v, _d) = corroborate_texts(&same_plan, chronicle, &[]);
    let codes: Vec<&str> = v.iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["CF001", "CF002"], "{v:#?}");
    assert!(
        v[1]["message"].as_str().unwrap().contains("第六版")
            || v[1]["message"].as_str().unwrap().contains("六版")
    );
}

#[test]
fn seeds_check_markdown_tables_the_conflicts() {
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "markdown",
        S002,
        "--against",
        S000,
    ]);
    let md = stdout(&o);
    let table = md
        .split("### Corroboration")
        .nth(1)
        .expect("a corroboration table");
    // The table ends where the next section starts.
    let table = table.split("\n### ").next().unwrap_or_default();
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| event"))
        .take_while(|l| l.ends_with("|"))
        .collect();
    assert_eq!(rows.len(), 2, "{md}");
    assert!(
        rows[0].contains(":31: 2月19日 |") && rows[0].contains(":535: 2月20日 |"),
        "{md}"
    );
    assert!(
        rows[1].contains(":101: 3月19日 |") && rows[1].contains(":819: 3月18日 |"),
        "{md}"
    );
    assert!(rows.iter().all(|r| r.ends_with("| conflict: date |")));
}

#[test]
fn a_heading_that_misdates_several_events_is_one_finding() {
    // The other account files two events of 3月10日 under 3月9日 (its 3月10日 heading is lost).
    let chronicle = "2020年3月

3月9日

◆外交部發言人介紹中方向伊拉克派出醫療專家組的情況。

3月10日

◆國家衛生健康委與世界衛生組織舉行視頻會議，介紹社區防控經驗。

◆中國向意大利派出的第二批醫療專家組從福州啟程。
";
    let other = "2020年3月

3月9日

◆外交部发言人介绍了中方向伊拉克派出医疗专家组的有关情况。

◆国家卫生健康委同世界卫生组织举行视频会议，介绍了社区防控的经验。

◆中国向意大利派出的第二批医疗专家组从福州出发。
";
    let (_, v, _d) = corroborate_texts(other, chronicle, &[]);
    assert_eq!(v.len(), 1, "{v:#?}");
    assert_eq!(v[0]["code"], "CF001");
    assert_eq!(v[0]["line"], 3);
    let msg = v[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("one more event dated here is dated 3月10日 there"),
        "{msg}"
    );
    let related: Vec<u64> = v[0]["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(related, [7, 9, 11]);
}

/// `corroborate` reports through the same gate as `check`: the config's `[[ignore]]` entries
/// leave out what they name, and only that.
#[test]
fn corroborate_honours_the_config_ignore_list() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::copy(root().join(S002), p.join("paper.txt")).unwrap();
    std::fs::copy(root().join(S000), p.join("chronicle.txt")).unwrap();
    let dates = |o: &std::process::Output| {
        jsonl(o)
            .iter()
            .filter(|f| f["rule"] == "conflict/date")
            .count()
    };
    let args = [
        "corroborate",
        "paper.txt",
        "chronicle.txt",
        "--format",
        "jsonl",
    ];
    std::fs::write(p.join("collatio.toml"), "").unwrap();
    let before = run_in(p, &args);
    assert_eq!(dates(&before), 2, "{}", stdout(&before));
    std::fs::write(
        p.join("collatio.toml"),
        "[[ignore]]\nrule = \"conflict/date\"\npaths = [\"paper.txt\"]\nreason = \"checked by hand\"\n",
    )
    .unwrap();
    let after = run_in(p, &args);
    assert_eq!(dates(&after), 0, "{}", stdout(&after));
    assert_eq!(code(&after), 0, "{}", stderr(&after));
}
