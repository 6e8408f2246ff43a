//! Converter pitfalls: words a simplified→traditional converter got wrong (恢覆 for 恢復,
//! 覆工覆產 for 復工復產, 覆旦 for 復旦). The word list is data (`rules/converter.toml`); correct
//! words that contain a pitfall's text (反覆, 答覆, 覆蓋) are listed there as `safe`.

use super::{DocRule, RuleInfo};
use crate::finding::{Category, Finding, FindingBuilder, Severity};
use crate::knowledge::Knowledge;
use crate::model::Document;
use crate::script::Script;

pub const CONVERTER: RuleInfo = RuleInfo {
    id: "substitution/converter",
    code: "SB001",
    category: Category::Substitution,
    severity: Severity::Warning,
    summary: "a script converter chose the wrong character (恢覆 for 恢復)",
    explain: "\
What it does: looks for words that a simplified→traditional converter typically gets wrong, where
one simplified character stands for several traditional ones (复 → 復/複/覆, 发 → 發/髮,
干 → 幹/乾/干). The word list is data: rules/converter.toml. Pitfalls apply to documents written
mostly in the script they are listed for (traditional by default).

Why: the wrong character changes the word (覆 means cover or overturn; 恢覆 is not a word) and marks
the copy as machine-converted rather than the original.

Not reported: correct words that contain the same characters (反覆, 答覆, 回覆, 覆函, 覆信,
覆蓋), listed as `safe` in the data.

Example: 生產生活秩序加快恢覆的態勢 → 恢復.

Silence: `--severity substitution/converter=off`, or add the word to `safe` in a rules folder.",
};

pub struct Converter;

impl DocRule for Converter {
    fn infos(&self) -> &'static [RuleInfo] {
        std::slice::from_ref(&CONVERTER)
    }

    fn check(&self, doc: &Document, kb: &Knowledge, out: &mut Vec<Finding>) {
        let Some(ac) = &kb.pitfall_matcher else {
            return;
        };
        let script = doc.provenance.script.unwrap_or(Script::Neutral);
        let relevant = match script {
            Script::Traditional => kb.pitfalls_for.0,
            Script::Simplified => kb.pitfalls_for.1,
            Script::Neutral => false,
        };
        if !relevant {
            return;
        }
        let body = &doc.text[doc.body_start..];
        for m in ac.find_iter(body) {
            let Some(p) = kb.pitfalls.get(m.pattern) else {
                continue; // a safe word: correct, and it hides any pitfall inside it
            };
            let applies = match script {
                Script::Traditional => p.traditional,
                Script::Simplified => !p.traditional,
                Script::Neutral => false,
            };
            if !applies {
                continue;
            }
            let (a, b) = (doc.body_start + m.start, doc.body_start + m.end);
            let why = p.why.clone().unwrap_or_else(|| {
                "a script converter picked the wrong one of several characters".into()
            });
            out.push(
                FindingBuilder::new(&CONVERTER, doc, a..b)
                    .message(format!(
                        "converter error: “{}” where “{}” is meant",
                        p.wrong, p.right
                    ))
                    .label(format!("should read “{}”", p.right))
                    .help(format!("{why}; write “{}”", p.right))
                    .subject(format!("{}→{}", p.wrong, p.right))
                    .around_in(doc, a..b)
                    .build(),
            );
        }
    }
}
