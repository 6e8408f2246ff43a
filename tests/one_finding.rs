//! One fault, one finding, in the right category: a loop, lost characters, mojibake and
//! annotation residue in a witness are reported once, by the single-document rule, with the
//! reference's reading; changes of wording around negators and names keep their own category.
//! Texts of their own, faults written in on purpose.

mod common;
use common::*;
use serde_json::Value;

const REFERENCE: &str = "\
2020年3月

3月12日

◆国家主席习近平同联合国秘书长古特雷斯通电话。习近平指出，中方愿同各方加强合作，共同应对疫情挑战。

◆国务院新闻办公室举行新闻发布会，介绍疫情防控工作进展情况，说明保障包括阿联酋公民在内的外国人员合法权益的措施。

◆国家卫生健康委员会主任马晓伟出席视频会议，介绍中国防控经验，强调各国应不断加强合作。

3月13日

◆外交部发言人表示，中方专门派出医疗专家组前往意大利，协助当地开展疫情防控工作。

◆商务部表示，中国企业向非洲多国提供防疫物资，当地民众对此非常感谢。
";

/// GBK bytes of `phrase` read as Windows-1252.
fn gbk_as_latin1(phrase: &str) -> String {
    let (bytes, _, bad) = encoding_rs::GBK.encode(phrase);
    assert!(!bad);
    encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned()
}

/// The reference with one fault of each kind written in.
fn witness() -> String {
    REFERENCE
        .replace(
            "同联合国秘书长古特雷斯通电话。",
            "同联合国秘书长古特雷斯通电话，同联合国秘书长古特雷斯通电话，同联合国秘书长古特雷斯通电话。",
        )
        .replace("工作进展情况", "工作\u{FFFD}\u{FFFD}情况")
        .replace("阿联酋公", &gbk_as_latin1("阿联酋公"))
        .replace("国家卫生健康", "国(guó)家(jiā)卫生健康")
        .replace("不断加强", "持续加强")
        .replace("中方专门派出", "中方派出")
        .replace("非常感谢", "十分感谢")
}

struct Case {
    _dir: tempfile::TempDir,
    reference: String,
    witness: String,
    text: String,
}

fn case() -> Case {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().join("reference.txt");
    let w = dir.path().join("witness.txt");
    let text = witness();
    std::fs::write(&r, REFERENCE).unwrap();
    std::fs::write(&w, &text).unwrap();
    Case {
        reference: r.to_str().unwrap().to_string(),
        witness: w.to_str().unwrap().to_string(),
        _dir: dir,
        text,
    }
}

impl Case {
    /// The 1-based line of the witness that holds `needle`.
    fn line(&self, needle: &str) -> u64 {
        self.text
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i as u64 + 1)
            .unwrap_or_else(|| panic!("{needle} not in the witness"))
    }

    fn collated(&self) -> Vec<Value> {
        check(&[&self.witness, "--against", &self.reference]).1
    }
}

fn on_line<'a>(f: &'a [Value], file: &str, line: u64) -> Vec<&'a Value> {
    f.iter()
        .filter(|x| x["file"] == file && x["line"] == line)
        .collect()
}

fn message(x: &Value) -> &str {
    x["message"].as_str().unwrap_or("")
}

#[test]
fn a_loop_is_one_loop_finding_with_the_reference_reading() {
    let c = case();
    let f = c.collated();
    let here = on_line(&f, &c.witness, c.line("古特雷斯通电话，同"));
    assert_eq!(here.len(), 1, "{here:#?}");
    assert_eq!(here[0]["rule"], "loop/repeated-phrase");
    // The loop stands where the reference has nothing: the clause says so.
    assert!(
        message(here[0]).contains("the reference has no"),
        "{here:#?}"
    );
    assert!(
        here[0]["related"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["file"] == c.reference.as_str()),
        "{here:#?}"
    );
}

#[test]
fn lost_characters_are_one_encoding_finding() {
    let c = case();
    let f = c.collated();
    let line = c.line("\u{FFFD}");
    let here: Vec<_> = on_line(&f, &c.witness, line)
        .into_iter()
        .filter(|x| x["rule"] != "encoding/mojibake")
        .collect();
    assert_eq!(here.len(), 1, "{here:#?}");
    assert_eq!(here[0]["rule"], "encoding/replacement-char");
    assert!(message(here[0]).contains("进展"), "{here:#?}");
}

#[test]
fn mojibake_is_found_alone_and_in_collation_is_never_a_number() {
    let c = case();
    let line = c.line("民在内");
    let (_, alone) = check(&[&c.witness]);
    let m = with_rule(&alone, "encoding/mojibake");
    assert_eq!(lines_of(&m), vec![line], "{m:#?}");
    assert!(
        m[0]["help"].as_str().unwrap().contains("阿联酋公"),
        "the help gives the recovered text: {m:#?}"
    );
    let f = c.collated();
    assert!(with_rule(&f, "altered-event/number").is_empty(), "{f:#?}");
    let here: Vec<_> = on_line(&f, &c.witness, line)
        .into_iter()
        .filter(|x| x["rule"] != "encoding/replacement-char")
        .collect();
    assert_eq!(here.len(), 1, "{here:#?}");
    assert_eq!(here[0]["rule"], "encoding/mojibake");
    assert!(message(here[0]).contains("阿联酋公"), "{here:#?}");
}

#[test]
fn annotation_residue_is_one_warning_per_unit_and_no_name_error() {
    let c = case();
    let line = c.line("(guó)");
    let (_, alone) = check(&[&c.witness]);
    let a = with_rule(&alone, "encoding/annotation-residue");
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0]["line"], line);
    assert_eq!(a[0]["severity"], "warning");
    assert!(message(a[0]).contains("2 marks"), "{a:#?}");
    assert!(message(a[0]).contains("(guó)"), "{a:#?}");
    let f = c.collated();
    let here = on_line(&f, &c.witness, line);
    assert!(
        here.iter()
            .all(|x| x["rule"] != "altered-event/name" && x["severity"] != "error"),
        "{here:#?}"
    );
    // The marks' variants are folded into the one annotation finding.
    assert!(
        here.iter().all(|x| x["category"] != "altered-event"
            || !(message(x).contains("guó") || message(x).contains("jiā"))),
        "{here:#?}"
    );
    let a = with_rule(&f, "encoding/annotation-residue");
    assert_eq!(a.len(), 1, "{f:#?}");
    assert!(
        a[0]["related"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["file"] == c.reference.as_str()),
        "{a:#?}"
    );
}

#[test]
fn words_around_negators_and_names_keep_their_category() {
    let c = case();
    let f = c.collated();
    for needle in ["持续加强", "十分感谢"] {
        let here = on_line(&f, &c.witness, c.line(needle));
        assert!(
            here.iter()
                .all(|x| x["rule"] != "altered-event/negation" && x["severity"] != "error"),
            "{needle}: {here:#?}"
        );
    }
    let here = on_line(&f, &c.witness, c.line("中方派出"));
    assert!(!here.is_empty(), "the dropped 专门 is still reported");
    assert!(
        here.iter()
            .all(|x| x["rule"] != "altered-event/name" && x["severity"] != "error"),
        "{here:#?}"
    );
}

#[test]
fn the_clean_reference_has_no_encoding_findings() {
    let c = case();
    let (_, f) = check(&[&c.reference]);
    assert!(in_category(&f, "encoding").is_empty(), "{f:#?}");
}
