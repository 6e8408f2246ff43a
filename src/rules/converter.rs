//! Converter pitfalls: words a script converter got wrong (恢覆 for 恢復, 引髮 for 引發, 關于 for
//! 關於; 等於 in simplified text). Found from OpenCC's one-to-many data ([`crate::onetomany`]),
//! and from a hand-kept list (`rules/converter.toml`) for what that data cannot decide (a default
//! candidate in the wrong word: 雜志, 上遊) and for correct words (反覆, 答覆, 覆蓋, `safe`).

use super::{DocRule, RuleInfo};
use crate::finding::{Category, Finding, FindingBuilder, Severity};
use crate::knowledge::Knowledge;
use crate::model::Document;
use crate::onetomany::{one_to_many, Mode};
use crate::script::Script;
use std::ops::Range;

/// Rule `substitution/converter` (SB001): a script converter chose the wrong character (恢覆 for 恢復).
pub const CONVERTER: RuleInfo = RuleInfo {
    id: "substitution/converter",
    code: "SB001",
    category: Category::Substitution,
    severity: Severity::Warning,
    summary: "a script converter chose the wrong character (恢覆 for 恢復)",
    explain: "\
What it does: looks for words that a script converter got wrong, where one simplified character
stands for several traditional ones (复 → 復/複/覆, 发 → 發/髮, 于 → 於/于). In traditional text: a
character that OpenCC's phrase data (STPhrases) does not use in that word (引髮 for 引發, 關于 for
關於, 恢覆 for 恢復). In simplified text: a traditional form left inside a simplified word (等於).
A hand-kept list (rules/converter.toml) adds what the data cannot decide alone: the default form
in a word that needs another (雜志, 上遊, 太後).

Why: the wrong character changes the word (覆 means cover or overturn; 恢覆 is not a word) and marks
the copy as machine-converted rather than the original.

Not reported: correct words that contain the same characters (反覆, 答覆, 回覆, 覆函, 覆信,
覆蓋: in the phrase data, or listed as `safe`); variant glyphs (台 for 臺, 鑒 for 鑑); a character
that may belong to the neighbouring word instead (皇后來了).

Example: 生產生活秩序加快恢覆的態勢 → 恢復.

Silence: `--severity substitution/converter=off`, or add the word to `safe` in a rules folder.",
};

/// Finds converter pitfalls from the rules data: a word a script converter got wrong ([`CONVERTER`]).
pub struct Converter;

impl DocRule for Converter {
    fn infos(&self) -> &'static [RuleInfo] {
        std::slice::from_ref(&CONVERTER)
    }

    fn check(&self, doc: &Document, kb: &Knowledge, out: &mut super::Findings) {
        let script = doc.provenance.script.unwrap_or(Script::Neutral);
        let mode = match script {
            Script::Traditional => Mode::Traditional,
            Script::Simplified => Mode::Simplified,
            Script::Neutral => return,
        };
        let body = &doc.text[doc.body_start..];
        let covered = listed(doc, kb, script, body, out);
        let mut k = 0;
        for e in one_to_many().scan(body, mode) {
            // Words the hand-kept list speaks for (a pitfall, or a safe word) are its call.
            while k < covered.len() && covered[k].end <= e.range.start {
                k += 1;
            }
            if covered.get(k).is_some_and(|c| c.start < e.range.end) {
                continue;
            }
            let range = doc.body_start + e.range.start..doc.body_start + e.range.end;
            let why = "OpenCC's phrase data writes the word with another of the characters a \
                       converter can choose from";
            out.push(finding(doc, range, &e.wrong, &e.right, why));
        }
    }
}

/// One converter finding on `range` of the document.
fn finding(doc: &Document, range: Range<usize>, wrong: &str, right: &str, why: &str) -> Finding {
    FindingBuilder::new(&CONVERTER, doc, range.clone())
        .message(format!(
            "converter error: “{wrong}” where “{right}” is meant"
        ))
        .label(format!("should read “{right}”"))
        .help(format!("{why}; write “{right}”"))
        .subject(format!("{wrong}→{right}"))
        .around_in(doc, range)
        .build()
}

/// Report the hand-kept list's pitfalls in `body`; return the body ranges of the listed words
/// met (safe words, and the pitfalls reported), in order.
fn listed(
    doc: &Document,
    kb: &Knowledge,
    script: Script,
    body: &str,
    out: &mut super::Findings,
) -> Vec<Range<usize>> {
    let mut covered = Vec::new();
    let Some(ac) = &kb.pitfall_matcher else {
        return covered;
    };
    let relevant = match script {
        Script::Traditional => kb.pitfalls_for.0,
        Script::Simplified => kb.pitfalls_for.1,
        Script::Neutral => false,
    };
    for m in ac.find_iter(body) {
        let Some(p) = kb.pitfalls.get(m.pattern) else {
            // A safe word: correct, and it hides any pitfall inside it.
            covered.push(m.start..m.end);
            continue;
        };
        let applies = match script {
            Script::Traditional => p.traditional,
            Script::Simplified => !p.traditional,
            Script::Neutral => false,
        };
        // A pitfall of the other script (恢覆 listed for traditional text, met in simplified
        // text) leaves the word to the phrase data.
        if !relevant || !applies {
            continue;
        }
        covered.push(m.start..m.end);
        let range = doc.body_start + m.start..doc.body_start + m.end;
        let why = p
            .why
            .as_deref()
            .unwrap_or("a script converter picked the wrong one of several characters");
        out.push(finding(doc, range, &p.wrong, &p.right, why));
    }
    covered
}
