//! Annotation residue: marks a scraper or converter left in the text that belong beside it, not
//! in it — pinyin after characters (`國(guó)務(wù)院`, `国（guo2）`, ruby text flattened to
//! `国guó务wù`), zhuyin, and footnote markers stuck to words (`措施[1]`, `措施①。`, `注1`).
//!
//! One finding per unit, not per mark: a page scraped with its ruby has hundreds of marks, and
//! they are one fault. Every mark is a related span, so collation can tell its variants apart
//! from real ones (see `crate::collate::merge`).

use super::{DocRule, RuleInfo};
use crate::finding::{Category, FindingBuilder, Location, Severity};
use crate::knowledge::Knowledge;
use crate::model::Document;
use crate::util::excerpt;
use regex::Regex;
use std::sync::OnceLock;

/// Rule `encoding/annotation-residue` (EN005): pinyin, ruby text or footnote markers left inside the text.
pub const RESIDUE: RuleInfo = RuleInfo {
    id: "encoding/annotation-residue",
    code: "EN005",
    category: Category::Encoding,
    severity: Severity::Warning,
    summary: "pinyin, ruby text or footnote markers left inside the text",
    explain: "\
What it does: finds annotations that a scraper or converter flattened into the text: pinyin after
characters (國(guó)務(wù)院, 国（guo2）务（wu4）院), ruby text without brackets (国guó务wù), zhuyin
(国ㄍㄨㄛˊ), and footnote markers stuck to words (措施[1], 措施①。, 措施注1。). One finding per
paragraph or event: how many marks, the first ones quoted; every mark is a related span.

Not residue: pinyin without tones in brackets once in a paragraph (it may be a gloss), a list
marker ① that starts an item, a bracketed number at the start of a line (a reference list).

What to do: delete the marks, or take the text from a copy without them.

Silence: `--severity encoding/annotation-residue=off`.",
};

/// At most this many marks are kept as related spans of one finding.
const MAX_MARKS: usize = 200;

/// Finds annotation residue (pinyin, ruby text, footnote markers) left in the text ([`RESIDUE`]).
pub struct Annotation;

/// What kind of mark, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pinyin,
    Zhuyin,
    Footnote,
}

/// One mark: raw byte range, kind, and whether it is certain on its own (a tone, a footnote
/// shape) or only when it has company (a toneless bracketed syllable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    start: usize,
    end: usize,
    kind: Kind,
    strong: bool,
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}')
}

/// A pinyin letter without its tone mark, and whether it had one.
fn untone(c: char) -> Option<(char, bool)> {
    Some(match c {
        'a'..='z' => (c, false),
        'ü' => ('v', false),
        'ā' | 'á' | 'ǎ' | 'à' => ('a', true),
        'ē' | 'é' | 'ě' | 'è' | 'ê' => ('e', true),
        'ī' | 'í' | 'ǐ' | 'ì' => ('i', true),
        'ō' | 'ó' | 'ǒ' | 'ò' => ('o', true),
        'ū' | 'ú' | 'ǔ' | 'ù' => ('u', true),
        'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => ('v', true),
        'ń' | 'ň' | 'ǹ' => ('n', true),
        'ḿ' => ('m', true),
        _ => return None,
    })
}

/// One or more pinyin syllables (tones stripped, ü as v), each with an optional tone digit.
fn syllables_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|vn|ia|ie|iu|ua|uo|ui|ve|er|a|o|e|i|u|v)[1-5]?'?)+$",
        )
        .expect("static pattern")
    })
}

/// Whether `s` is pinyin (lower case, one or more syllables), and whether it carries tones.
fn pinyin(s: &str) -> Option<bool> {
    let mut base = String::with_capacity(s.len());
    let mut toned = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            toned |= ('1'..='5').contains(&c);
            base.push(c);
        } else if c == '\'' || c == ' ' {
            base.push('\'');
        } else {
            let (b, t) = untone(c)?;
            toned |= t;
            base.push(b);
        }
    }
    (!base.is_empty() && syllables_re().is_match(&base)).then_some(toned)
}

fn is_zhuyin(c: char) -> bool {
    matches!(c, '\u{3105}'..='\u{312F}' | '\u{31A0}'..='\u{31BF}' | 'ˊ' | 'ˇ' | 'ˋ' | '˙')
}

fn is_circled(c: char) -> bool {
    matches!(c, '\u{2460}'..='\u{2473}' | '\u{2776}'..='\u{277F}' | '\u{24EB}'..='\u{24F4}')
}

fn is_superscript_digit(c: char) -> bool {
    matches!(c, '¹' | '²' | '³' | '\u{2070}' | '\u{2074}'..='\u{2079}')
}

/// Closing punctuation after which a footnote marker may stand (措施。[1]).
fn closes(c: char) -> bool {
    "。，、；：！？”」』）)".contains(c)
}

/// A character after which a footnote marker is stuck to the text, not starting a line.
fn after_text(c: Option<char>) -> bool {
    c.is_some_and(|c| is_han(c) || closes(c))
}

/// A character that ends a footnote marker's word: punctuation, a space or the end.
fn ends_word(c: Option<char>) -> bool {
    c.is_none_or(|c| !is_han(c) && !c.is_alphanumeric())
}

/// How far a mark may reach, in characters (the longest: a bracketed pinyin word).
const LOOKAHEAD: usize = 28;

/// Whether `c` can start a mark. Most characters are Han or ASCII text: two range tests.
fn may_start(c: char) -> bool {
    if c.is_ascii() {
        return matches!(c, '(' | '[') || c.is_ascii_lowercase();
    }
    if is_han(c) {
        return c == '注';
    }
    matches!(c, '（' | '［' | '【' | '〔')
        || is_zhuyin(c)
        || is_circled(c)
        || is_superscript_digit(c)
        || untone(c).is_some_and(|x| x.1)
}

/// Lead bytes [`may_start_at`] looks at further.
const LEADS: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    while k < 256 {
        t[k] = matches!(k as u8, b'(' | b'[' | b'0'..=b'9' | b'a'..=b'z' | 0xC2..=0xC7 | 0xCB | 0xE1..=0xE3 | 0xEF);
        k += 1;
    }
    t
};

/// Bytes in the UTF-8 sequence that `lead` starts (1 for anything else, so a scan never stalls).
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

/// Whether the character at byte `i` of `b` may start a mark, from its bytes alone: most of a
/// Chinese text is Han characters and common punctuation, rejected here without decoding.
fn may_start_at(b: &[u8], i: usize) -> bool {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        b'(' | b'[' | b'a'..=b'z' => true,
        // Toned letters (á, ā, ǎ, ń, ḿ) and zhuyin tones (ˊ ˇ ˋ ˙).
        0xC3 | 0xC4 | 0xC5 | 0xC7 | 0xCB | 0xE1 => true,
        0xC2 => matches!(at(1), 0xB2 | 0xB3 | 0xB9), // ² ³ ¹
        0xE2 => matches!(at(1), 0x81 | 0x91 | 0x93 | 0x9D), // ⁴…⁹, ①…⑳, ⓫…, ❶…
        0xE3 => matches!((at(1), at(2)), (0x80, 0x90 | 0x94) | (0x84 | 0x86, _)), // 【 〔 zhuyin
        // A digit after 注 (the mark starts at 注: Han lead bytes are too common to test).
        b'0'..=b'9' => b[..i].ends_with("注".as_bytes()),
        0xEF => at(1) == 0xBC && matches!(at(2), 0x88 | 0xBB), // （ ［
        _ => false,
    }
}

/// The marks in `s`, the raw text of one unit at offset `base` in the document. One pass over
/// the bytes; only a character that can start a mark, after text, looks ahead (never past the
/// line's end).
fn marks_in(s: &str, base: usize) -> Vec<Mark> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // Character by character (a UTF-8 lead byte gives the width): a third of the steps of
        // a byte scan over Chinese text, and one table read for most of them.
        if !LEADS[b[i] as usize] || !may_start_at(b, i) {
            i += utf8_width(b[i]);
            continue;
        }
        // 注① and 注1 start at 注.
        let next = i + utf8_width(b[i]);
        if s[..i].ends_with('注') {
            i -= '注'.len_utf8();
        }
        let p = s[..i].chars().next_back();
        let after_han = p.is_some_and(is_han);
        if !s[i..].chars().next().is_some_and(may_start) || !(after_han || after_text(p)) {
            i = next;
            continue;
        }
        let cs: Vec<(usize, char)> = s[i..]
            .char_indices()
            .take_while(|x| x.1 != '\n' && x.1 != '\r')
            .take(LOOKAHEAD)
            .map(|(k, c)| (i + k, c))
            .collect();
        let found = if after_han {
            bracketed(&cs, 0)
                .or_else(|| bare_pinyin(&cs, 0))
                .or_else(|| zhuyin(&cs, 0))
                .or_else(|| stuck_note(&cs, 0))
        } else {
            None
        }
        .or_else(|| footnote(&cs, 0));
        match found {
            Some((end, kind, strong)) => {
                let last = cs.last().map_or(i + 1, |x| x.0 + x.1.len_utf8());
                let end = cs.get(end).map_or(last, |x| x.0);
                out.push(Mark {
                    start: base + i,
                    end: base + end,
                    kind,
                    strong,
                });
                i = end.max(next);
            }
            None => i = next,
        }
    }
    out
}

/// `(guó)`, `（guo2）`, `(guówùyuàn)` right after a character: (end index, kind, certain).
fn bracketed(cs: &[(usize, char)], i: usize) -> Option<(usize, Kind, bool)> {
    if !matches!(cs[i].1, '(' | '（') {
        return None;
    }
    let close = (i + 1..cs.len().min(i + 26)).find(|&k| matches!(cs[k].1, ')' | '）'))?;
    let inner: String = cs[i + 1..close].iter().map(|x| x.1).collect();
    if inner.chars().all(is_zhuyin) && !inner.is_empty() {
        return Some((close + 1, Kind::Zhuyin, true));
    }
    pinyin(&inner).map(|toned| (close + 1, Kind::Pinyin, toned))
}

/// Ruby text flattened without brackets: `国guó务wù`, `国guo2务`. Only with a tone, and only
/// when the letters stop at a character or punctuation (not an English word).
fn bare_pinyin(cs: &[(usize, char)], i: usize) -> Option<(usize, Kind, bool)> {
    let mut k = i;
    while k < cs.len() && k - i < 12 && (untone(cs[k].1).is_some() || cs[k].1.is_ascii_digit()) {
        k += 1;
    }
    // The letters end at a character, punctuation, a space or the line's end: not at a symbol
    // or a Latin-1 letter (é_µÚ is mojibake, not ruby).
    let ends =
        |c: char| is_han(c) || closes(c) || "，。、；：！？,.;:!?".contains(c) || c.is_whitespace();
    if k == i || cs.get(k).is_some_and(|x| !ends(x.1)) {
        return None;
    }
    let s: String = cs[i..k].iter().map(|x| x.1).collect();
    (pinyin(&s) == Some(true)).then_some((k, Kind::Pinyin, true))
}

/// Zhuyin (bopomofo) after a character: it has no other use inside Chinese prose.
fn zhuyin(cs: &[(usize, char)], i: usize) -> Option<(usize, Kind, bool)> {
    let n = cs[i..].iter().take_while(|x| is_zhuyin(x.1)).count();
    (n > 0 && cs[i].1 != '˙' || n > 1).then_some((i + n, Kind::Zhuyin, true))
}

/// `注1`, `注①` right after a word, ending there (措施注1。), and superscript digits (措施¹).
fn stuck_note(cs: &[(usize, char)], i: usize) -> Option<(usize, Kind, bool)> {
    let at = |k: usize| cs.get(k).map(|x| x.1);
    if cs[i].1 == '注' && at(i + 1).is_some_and(|c| c.is_ascii_digit() || is_circled(c)) {
        let k = i
            + 1
            + cs[i + 1..]
                .iter()
                .take_while(|x| x.1.is_ascii_digit())
                .count()
                .max(1);
        return ends_word(at(k)).then_some((k, Kind::Footnote, true));
    }
    let n = cs[i..]
        .iter()
        .take_while(|x| is_superscript_digit(x.1))
        .count();
    // Not inside mojibake (°¢ÁªÇõ¹«): the superscript must stand between text and punctuation.
    if n > 0 && n <= 3 && at(i + n).is_none_or(|c| is_han(c) || closes(c) || c.is_whitespace()) {
        return Some((i + n, Kind::Footnote, true));
    }
    None
}

/// A bracketed number or note (`[1]`, `［12］`, `【注2】`) or a circled number that ends a word
/// (`措施①。`), after text. `（注1）` is not one: printed documents write their own note
/// references so.
fn footnote(cs: &[(usize, char)], i: usize) -> Option<(usize, Kind, bool)> {
    let at = |k: usize| cs.get(k).map(|x| x.1);
    let c = cs[i].1;
    if is_circled(c) {
        return ends_word(at(i + 1)).then_some((i + 1, Kind::Footnote, true));
    }
    let close = match c {
        '[' => ']',
        '［' => '］',
        '【' => '】',
        '〔' => '〕',
        _ => return None,
    };
    let mut k = i + 1;
    if at(k) == Some('注') {
        k += 1;
    }
    let d = cs[k..].iter().take_while(|x| x.1.is_ascii_digit()).count();
    let circled = d == 0 && at(k).is_some_and(is_circled);
    let n = if circled { 1 } else { d };
    (n > 0 && n <= 3 && at(k + n) == Some(close)).then_some((k + n + 1, Kind::Footnote, true))
}

/// The text of `[from, to)` with the marks in it taken out.
fn without_marks(doc: &Document, from: usize, to: usize, marks: &[Mark]) -> String {
    let mut s = String::new();
    let mut at = from;
    for m in marks.iter().filter(|m| m.start >= from && m.end <= to) {
        s.push_str(doc.slice(at..m.start));
        at = m.end;
    }
    s.push_str(doc.slice(at..to));
    s.replace(['\n', '\r'], "")
}

fn describe(k: Kind) -> &'static str {
    match k {
        Kind::Pinyin => "pinyin",
        Kind::Zhuyin => "zhuyin",
        Kind::Footnote => "footnote marker",
    }
}

impl Annotation {
    fn report(&self, doc: &Document, u: usize, marks: &[Mark], out: &mut super::Findings) {
        let unit = &doc.units[u];
        let (first, last) = (marks[0], marks[marks.len() - 1]);
        let quoted: Vec<String> = marks
            .iter()
            .take(3)
            .map(|m| format!("{} “{}”", describe(m.kind), doc.slice(m.start..m.end)))
            .collect();
        let n = marks.len();
        let more = if n > 3 { " …" } else { "" };
        // The text around the first marks, as it reads without them.
        let upto = marks.get(2).map_or(last.end, |m| m.end);
        let upto = doc.text[upto..unit.span.end.max(upto)]
            .char_indices()
            .nth(4)
            .map_or(unit.span.end.max(upto), |(i, _)| upto + i);
        let from = crate::model::floor_char_boundary(&doc.text, first.start.saturating_sub(9))
            .max(unit.span.start);
        let clean = excerpt(&without_marks(doc, from, upto, marks), 30);
        let mut b = FindingBuilder::new(&RESIDUE, doc, first.start..last.end)
            .message(format!(
                "annotation residue: {n} mark{} left in the text ({}{more})",
                crate::report::plural(n),
                quoted.join(", ")
            ))
            .label(format!("{n} annotation mark{}", crate::report::plural(n)))
            .help(format!(
                "a scraper kept pinyin, ruby text or footnote markers; delete them (without them it reads “{clean}”), or take the text from a clean copy"
            ))
            .subject(
                marks
                    .iter()
                    .take(8)
                    .map(|m| doc.slice(m.start..m.end))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
            .around_raw(unit.norm(), first.start..first.end);
        for (k, m) in marks.iter().take(MAX_MARKS).enumerate() {
            b = b.related(
                Some(Location::in_doc(doc, m.start..m.end)),
                format!(
                    "mark {}: {} “{}”",
                    k + 1,
                    describe(m.kind),
                    doc.slice(m.start..m.end)
                ),
            );
        }
        out.push(b.build());
    }
}

impl DocRule for Annotation {
    fn infos(&self) -> &'static [RuleInfo] {
        &[RESIDUE]
    }

    fn check(&self, doc: &Document, _kb: &Knowledge, out: &mut super::Findings) {
        for (ui, u) in doc.units.iter().enumerate() {
            if !u.kind.is_content() {
                continue;
            }
            let raw = doc.slice(u.span.clone());
            if raw.is_ascii() {
                continue;
            }
            let marks = marks_in(raw, u.span.start);
            let strong = marks.iter().any(|m| m.strong);
            if strong || marks.len() >= 2 {
                self.report(doc, ui, &marks, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(s: &str) -> Vec<String> {
        marks_in(s, 0)
            .into_iter()
            .map(|m| s[m.start..m.end].to_string())
            .collect()
    }

    proptest::proptest! {
        /// Any text: no panic, marks in order, apart, on character boundaries.
        #[test]
        fn marks_are_ordered_spans_of_the_text(
            text in "[国务院注(（)）\\[\\]［］【】gouàí1234①②¹²ㄍˊ。，\n\r a]{0,60}"
        ) {
            let ms = marks_in(&text, 0);
            let mut last = 0;
            for m in ms {
                proptest::prop_assert!(last <= m.start && m.start < m.end && m.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
                last = m.end;
            }
        }
    }

    #[test]
    fn pinyin_after_characters() {
        assert_eq!(marks("國(guó)務(wù)院"), ["(guó)", "(wù)"]);
        assert_eq!(marks("習(xí)近平"), ["(xí)"]);
        assert_eq!(marks("国（guo2）务（wu4）院"), ["（guo2）", "（wu4）"]);
        assert_eq!(marks("国guó务wù院"), ["guó", "wù"]);
        assert_eq!(marks("国ㄍㄨㄛˊ务"), ["ㄍㄨㄛˊ"]);
        assert_eq!(marks("國務院(guówùyuàn)發布"), ["(guówùyuàn)"]);
    }

    #[test]
    fn footnote_markers_stuck_to_words() {
        assert_eq!(marks("加强防控措施[1]。"), ["[1]"]);
        assert_eq!(marks("加强防控措施。［12］"), ["［12］"]);
        assert_eq!(marks("加强防控措施①。"), ["①"]);
        assert_eq!(marks("加强防控措施【注2】。"), ["【注2】"]);
        assert_eq!(marks("加强防控措施注1。"), ["注1"]);
    }

    #[test]
    fn ordinary_text_has_no_marks() {
        for s in [
            "世界卫生组织(WHO)发布报告",
            "[1]张三：《论疫情》，2020年",
            "包括①加强管理；②做好防控",
            "新华社(Xinhua)报道",
            "气温30°C",
            "关注1万人次",
            "Emmanuel Macron表示",
            "马克·吐温",
            "保障包括°¢ÁªÇõ¹«民在內",
            "会议召é_µÚ一次",
            // A note reference the document prints itself.
            "价值不可估量。”（注1）",
        ] {
            assert!(marks(s).is_empty(), "{s}: {:?}", marks(s));
        }
        // A toneless bracketed syllable is only a weak mark.
        assert!(marks_in("全称(an)", 0).iter().all(|m| !m.strong));
    }
}
