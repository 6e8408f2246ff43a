//! Variant classification: what kind of difference one changed stretch between two aligned units
//! is. The order of the checks is the order of seriousness: a change that touches a number is a
//! number change even if it also looks like a change of wording.

use crate::knowledge::Knowledge;
use crate::normalize::is_punct;
use crate::script::tables;
use serde::Serialize;

/// Kinds of variant, from ignorable to serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VariantKind {
    /// Punctuation or spacing only: ignored.
    Punctuation,
    /// The same characters in the other script: ignored.
    Script,
    /// The same word in another region's vocabulary (资讯 for 信息, 义大利 for 意大利): ignored.
    Regional,
    /// Other words of similar weight (技术/工作, 意方/意大利): a note.
    Wording,
    /// An inserted or dropped function word (的, 了): a note.
    FunctionWord,
    /// An inserted or dropped phrase, or conjunction: a warning.
    Phrase,
    /// One character replaced by an unrelated one (国际 → 实际): a warning.
    Character,
    /// A confusable character (OCR-style): a warning.
    Ocr,
    /// A wrong character of the same simplified form (converter): a warning.
    Converter,
    /// Numbers or dates: an error.
    Number,
    /// Negation, polarity or tense words: an error.
    Negation,
    /// Official titles: an error.
    Title,
    /// Names of people: an error.
    Name,
    /// Names of organisations and places: an error.
    Organisation,
}

impl VariantKind {
    pub fn ignored(self) -> bool {
        matches!(
            self,
            VariantKind::Punctuation | VariantKind::Script | VariantKind::Regional
        )
    }

    pub fn describe(self) -> &'static str {
        match self {
            VariantKind::Punctuation => "punctuation",
            VariantKind::Script => "script",
            VariantKind::Regional => "regional vocabulary",
            VariantKind::Wording => "wording",
            VariantKind::FunctionWord => "function word",
            VariantKind::Phrase => "phrase",
            VariantKind::Character => "character",
            VariantKind::Ocr => "OCR-style substitution",
            VariantKind::Converter => "converter substitution",
            VariantKind::Number => "number or date",
            VariantKind::Negation => "negation or tense",
            VariantKind::Title => "official title",
            VariantKind::Name => "name",
            VariantKind::Organisation => "organisation or place",
        }
    }
}

const FUNCTION_WORDS: &str = "的了地得之其也而着过吧呢啊所";
const CONJUNCTIONS: &str = "和与及并或跟同暨";
const NEGATORS: &str = "不未没无非否勿别莫毋";
const TIME_WORDS: &[&str] = &[
    "现在", "未来", "过去", "目前", "当前", "今后", "以前", "此前", "以后", "之前", "之后", "将要",
    "正在", "即将", "将来", "如今", "从前", "今年", "去年", "明年", "昨天", "今天", "明天",
];
const TITLE_SUFFIXES: &[&str] = &[
    "长",
    "主席",
    "总统",
    "总理",
    "首相",
    "书记",
    "国王",
    "女王",
    "委员",
    "主任",
    "大使",
    "代表",
    "秘书",
    "总干事",
    "院士",
    "主教",
    "亲王",
    "王储",
];
const TITLE_MODIFIERS: &str = "副前代常原候署";
const ORG_SUFFIXES: &[&str] = &[
    "组织",
    "大学",
    "学院",
    "委员会",
    "理事会",
    "专题会",
    "协会",
    "学会",
    "基金会",
    "银行",
    "集团",
    "公司",
    "联盟",
    "盟",
    "医院",
    "政府",
    "省",
    "市",
    "州",
    "地区",
    "共和国",
    "王国",
    "研究院",
    "科学院",
    "工程院",
    "研究所",
    "中心",
    "议会",
    "峰会",
    "论坛",
];
/// Characters common in transliterated foreign names.
pub const TRANSLIT: &str = "马阿埃艾爱安奥巴拜班邦鲍贝本比彼毕波伯博布查达戴丹道德迪蒂丁杜多厄恩法菲费芬丰弗福盖甘冈戈格贡古圭哈海汉豪赫亨胡怀霍基吉贾杰金卡凯坎康考柯科克肯库夸奎拉莱兰朗劳勒雷蕾里利丽连列林琳卢鲁伦罗洛玛迈麦曼梅蒙米敏莫默穆纳奈南内尼涅努诺欧帕潘佩彭皮普齐奇恰乔切琴丘萨塞桑瑟森沙尚舍什施斯索苏塔泰坦汤唐特提图托瓦旺威韦维温沃乌伍希谢辛休雅扬耶伊尤约泽扎詹兹佐尔茨瑞娜茜";

fn has_digit(s: &[char]) -> bool {
    s.iter()
        .any(|c| c.is_ascii_digit() || "〇零两十百千万亿".contains(*c) || "年月日号".contains(*c))
}

fn digits(s: &[char]) -> String {
    s.iter()
        .filter(|c| {
            c.is_ascii_digit() || "〇零一二两三四五六七八九十百千万亿年月日号".contains(**c)
        })
        .collect()
}

fn contains_word(s: &[char], w: &str) -> bool {
    let w: Vec<char> = w.chars().collect();
    s.windows(w.len()).any(|x| x == w.as_slice())
}

fn window(s: &[char], from: usize, to: usize, pad: usize) -> &[char] {
    &s[from.saturating_sub(pad)..(to + pad).min(s.len())]
}

/// What one of the knowledge base's name automata finds in `s` (office or person indices).
fn found_in(ac: Option<&crate::lexicon::Lexicon>, of_pattern: &[usize], s: &[char]) -> Vec<usize> {
    let Some(ac) = ac else {
        return Vec::new();
    };
    ac.find_iter_chars(s)
        .iter()
        .map(|m| of_pattern[m.pattern])
        .collect()
}

fn offices_in(kb: &Knowledge, s: &[char]) -> Vec<usize> {
    found_in(kb.office_matcher.as_ref(), &kb.office_of_pattern, s)
}

fn people_in(kb: &Knowledge, s: &[char]) -> Vec<usize> {
    found_in(kb.person_matcher.as_ref(), &kb.person_of_pattern, s)
}

/// Length of the run of transliteration characters around `[from, to)` in `s`.
fn translit_run(s: &[char], from: usize, to: usize) -> usize {
    let is = |c: char| TRANSLIT.contains(c);
    if from < to && !s[from..to].iter().all(|&c| is(c)) {
        return 0;
    }
    let mut a = from;
    while a > 0 && is(s[a - 1]) {
        a -= 1;
    }
    let mut b = to;
    while b < s.len() && is(s[b]) {
        b += 1;
    }
    b - a
}

/// Whether an organisation or place suffix follows within a few characters (same clause).
fn org_follows(s: &[char], to: usize, inside: &[char]) -> bool {
    let mut tail: Vec<char> = inside.to_vec();
    for &c in s[to..].iter().take(8) {
        if is_punct(c) {
            break;
        }
        tail.push(c);
    }
    let t: String = tail.iter().collect();
    ORG_SUFFIXES.iter().any(|suf| t.contains(suf))
}

/// A piece (two characters or more) of the witness's changed stretch that also stands right
/// next to it, and that the reference's stretch does not have.
fn echoes_context(w: &[char], wf: usize, wt: usize, a: &[char]) -> Option<String> {
    let b = &w[wf..wt];
    if b.len() < 2 {
        return None;
    }
    let before = &w[wf.saturating_sub(4)..wf];
    let after = &w[wt..(wt + 4).min(w.len())];
    for len in (2..=b.len().min(4)).rev() {
        for piece in b.windows(len) {
            if piece.iter().any(|c| is_punct(*c)) {
                continue;
            }
            let near =
                before.windows(len).any(|x| x == piece) || after.windows(len).any(|x| x == piece);
            if near && !a.windows(len).any(|x| x == piece) {
                return Some(piece.iter().collect());
            }
        }
    }
    None
}

/// Detail for a classification (the confusable pair's explanation, the office names …).
pub struct Classified {
    pub kind: VariantKind,
    pub detail: Option<String>,
}

/// Classify the change of `r[rf..rt]` (reference) into `w[wf..wt]` (witness).
pub fn classify(
    kb: &Knowledge,
    r: &[char],
    rf: usize,
    rt: usize,
    w: &[char],
    wf: usize,
    wt: usize,
) -> Classified {
    let a = &r[rf..rt];
    let b = &w[wf..wt];
    let out = |kind, detail: Option<String>| Classified { kind, detail };
    let only_punct = |s: &[char]| s.iter().all(|c| is_punct(*c) || c.is_whitespace());
    if only_punct(a) && only_punct(b) {
        return out(VariantKind::Punctuation, None);
    }
    let t = tables();
    if a.len() == b.len() && a.iter().zip(b).all(|(x, y)| t.script_equivalent(*x, *y)) {
        return out(VariantKind::Script, None);
    }
    // A regional rendering of the same word is no change at all, before any check that a
    // changed name, title or number would claim it (义大利 is not a changed place name).
    if crate::regional::regional().same_word(r, rf, rt, w, wf, wt) {
        return out(VariantKind::Regional, None);
    }
    // Numbers and dates, with the whole number in view (2000万 vs 200万).
    let wa = window(r, rf, rt, 2);
    let wb = window(w, wf, wt, 2);
    if (has_digit(a) || has_digit(b)) && digits(wa) != digits(wb) {
        return out(VariantKind::Number, None);
    }
    // Negation and tense.
    let neg = |s: &[char]| s.iter().filter(|c| NEGATORS.contains(**c)).count();
    if neg(a) != neg(b) {
        return out(VariantKind::Negation, None);
    }
    let ra = window(r, rf, rt, 1);
    let rb = window(w, wf, wt, 1);
    for tw in TIME_WORDS {
        if contains_word(ra, tw) != contains_word(rb, tw) {
            return out(VariantKind::Negation, Some(format!("“{tw}”")));
        }
    }
    // Official titles: the office words around the change differ, or a modifier (副, 前, 代理)
    // was added or removed next to a title.
    let oa = offices_in(kb, window(r, rf, rt, 6));
    let ob = offices_in(kb, window(w, wf, wt, 6));
    if oa != ob {
        return out(VariantKind::Title, None);
    }
    let modifier_change = |x: &[char], s: &[char], to: usize| {
        x.iter().any(|c| TITLE_MODIFIERS.contains(*c)) && {
            let after: String = s[to..(to + 4).min(s.len())].iter().collect();
            let inside: String = x.iter().collect();
            TITLE_SUFFIXES
                .iter()
                .any(|suf| after.starts_with(suf) || after.contains(suf) || inside.ends_with(suf))
        }
    };
    if modifier_change(a, r, rt) || modifier_change(b, w, wt) {
        return out(VariantKind::Title, None);
    }
    // Names of people: a known name, or a transliterated name changed.
    let pa = people_in(kb, window(r, rf, rt, 4));
    let pb = people_in(kb, window(w, wf, wt, 4));
    if pa != pb {
        return out(VariantKind::Name, None);
    }
    if !a.is_empty()
        && translit_run(r, rf, rt) >= 3
        && (b.is_empty() || translit_run(w, wf, wt) >= 2)
    {
        return out(VariantKind::Name, None);
    }
    // Organisations and places: a stretch inside a name that ends in 组织, 大学, 盟 …; a single
    // character added or dropped before a name (应 in 应欧洲呼吸学会邀请) is not a name change.
    let inside_name = (!a.is_empty() && !b.is_empty()) || a.len().max(b.len()) >= 2;
    if inside_name && (org_follows(r, rt, a) || org_follows(w, wt, b)) {
        return out(VariantKind::Organisation, None);
    }
    // Garbled text: the witness repeats a piece of its own neighbourhood (国家做好中国做好防范).
    if let Some(piece) = echoes_context(w, wf, wt, a) {
        return out(
            VariantKind::Phrase,
            Some(format!(
                "garbled: repeats “{piece}” from the text around it"
            )),
        );
    }
    if a.len() == 1 && b.len() == 1 {
        let (x, y) = (a[0], b[0]);
        if let Some(why) = kb.confusables.get(&(x, y)) {
            return out(VariantKind::Ocr, Some(why.clone()));
        }
        let shared = |x: char, y: char| {
            let fx = t.fold(x);
            let fy = t.fold(y);
            t.script_equivalent(fx, y) || t.script_equivalent(fy, x)
        };
        if shared(x, y) {
            return out(VariantKind::Converter, None);
        }
        return out(VariantKind::Character, None);
    }
    if a.is_empty() || b.is_empty() {
        let s = if a.is_empty() { b } else { a };
        let text: Vec<char> = s.iter().copied().filter(|c| !is_punct(*c)).collect();
        if text.is_empty() {
            return out(VariantKind::Punctuation, None);
        }
        if text.len() == 1 && FUNCTION_WORDS.contains(text[0]) {
            return out(VariantKind::FunctionWord, None);
        }
        if text.len() == 1 && CONJUNCTIONS.contains(text[0]) {
            return out(
                VariantKind::Phrase,
                Some("a conjunction changes how the sentence is built".into()),
            );
        }
        if text.len() == 1 {
            return out(VariantKind::Character, None);
        }
        return out(VariantKind::Phrase, None);
    }
    out(VariantKind::Wording, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(r: &str, w: &str) -> VariantKind {
        let kb = Knowledge::embedded();
        let r: Vec<char> = r.chars().collect();
        let w: Vec<char> = w.chars().collect();
        // The changed stretch is what lies between the common prefix and suffix.
        let p = r.iter().zip(&w).take_while(|(a, b)| a == b).count();
        let s = r[p..]
            .iter()
            .rev()
            .zip(w[p..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        classify(&kb, &r, p, r.len() - s, &w, p, w.len() - s).kind
    }

    #[test]
    fn kinds() {
        assert_eq!(k("合作。", "合作,"), VariantKind::Punctuation);
        assert_eq!(k("捐款2000万美元", "捐款200万美元"), VariantKind::Number);
        assert_eq!(
            k("控制重点一是上游,围堵", "控制重点一是上流,围堵"),
            VariantKind::Ocr
        );
        assert_eq!(k("同欧盟委员会", "同东盟委员会"), VariantKind::Organisation);
        assert_eq!(
            k("中国科学技术大学第一附属医院", "中国科学院大学第一附属医院"),
            VariantKind::Organisation
        );
        assert_eq!(
            k(
                "在北京同巴基斯坦总统阿尔维会谈",
                "在北京同巴基斯坦总统阿维会谈"
            ),
            VariantKind::Name
        );
        assert_eq!(k("现在是关键时刻", "未来是关键时刻"), VariantKind::Negation);
        assert_eq!(k("力所能及范围内", "力所能及和范围内"), VariantKind::Phrase);
        assert_eq!(k("开展国际行动", "开展实际行动"), VariantKind::Character);
        assert_eq!(
            k(
                "同联合国秘书长古特雷斯通电话",
                "同联合国副秘书长古特雷斯通电话"
            ),
            VariantKind::Title
        );
        assert_eq!(k("进行技术交流", "进行工作交流"), VariantKind::Wording);
        assert_eq!(
            k("同意大利总统通电话", "同义大利总统通电话"),
            VariantKind::Regional
        );
        assert_eq!(k("发布疫情信息", "发布疫情资讯"), VariantKind::Regional);
    }
}
