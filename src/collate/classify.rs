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
    /// Kinds that are not differences of the text (punctuation, script, regional vocabulary):
    /// they make no finding.
    pub fn ignored(self) -> bool {
        matches!(
            self,
            VariantKind::Punctuation | VariantKind::Script | VariantKind::Regional
        )
    }

    /// A short English name for messages ("official title", "number or date").
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
/// Words that name a role or an office on their own (a changed stretch that is one of these on
/// both sides is another office). `长` alone is not one: 成长 and 增长 are no offices.
const ROLE_WORDS: &[&str] = &[
    "部长",
    "外长",
    "院长",
    "会长",
    "市长",
    "省长",
    "校长",
    "州长",
    "局长",
    "司长",
    "处长",
    "厅长",
    "县长",
    "署长",
    "秘书长",
    "委员长",
    "议长",
    "团长",
    "行长",
    "董事长",
    "主席",
    "总统",
    "总理",
    "首相",
    "书记",
    "国王",
    "女王",
    "大使",
    "特使",
    "代表",
    "总干事",
    "国务卿",
    "大臣",
    "主任",
    "委员",
    "发言人",
    "参赞",
    "领事",
    "部长助理",
    "司令",
    "总司令",
];

/// Whether `s` (folded) is a role word, or ends with one after at most four characters of
/// qualifier (卫生部长, 驻华大使).
fn role_word(s: &[char]) -> bool {
    if s.is_empty() || s.len() > 8 {
        return false;
    }
    let t: String = s.iter().collect();
    ROLE_WORDS
        .iter()
        .any(|r| t.ends_with(r) && t.chars().count() <= r.chars().count() + 4)
}

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
    "斯坦",
];
/// Characters common in transliterated foreign names.
pub const TRANSLIT: &str = "马阿埃艾爱安奥巴拜班邦鲍贝本比彼毕波伯博布查达戴丹道德迪蒂丁杜多厄恩法菲费芬丰弗福盖甘冈戈格贡古圭哈海汉豪赫亨胡怀霍基吉贾杰金卡凯坎康考柯科克肯库夸奎拉莱兰朗劳勒雷蕾里利丽连列林琳卢鲁伦罗洛玛迈麦曼梅蒙米敏莫默穆纳奈南内尼涅努诺欧帕潘佩彭皮普齐奇恰乔切琴丘萨塞桑瑟森沙尚舍什施斯索苏塔泰坦汤唐特提图托瓦旺威韦维温沃乌伍希谢辛休雅扬耶伊尤约泽扎詹兹佐尔茨瑞娜茜亚";

/// Letters and symbols of Latin-1 and the Windows-1252 range: legacy bytes read with the wrong
/// encoding turn into these (and NFKC turns their ¹ ² ½ into digits).
fn latinish(c: char) -> bool {
    ('\u{80}'..='\u{24F}').contains(&c) || "ˆ˜€‚„†‡‰‹›™⁄".contains(c)
}

/// Whether `s[i]` is a real digit: a digit or Chinese numeral that is not part of a run of
/// mojibake (°¢ÁªÇõ¹« folds to °¢Áaçõ1《: its 1 was a byte, not a number).
fn real_digit(s: &[char], i: usize, numerals: &str) -> bool {
    let c = s[i];
    (c.is_ascii_digit() || numerals.contains(c))
        && !(i > 0 && latinish(s[i - 1]))
        && !s.get(i + 1).is_some_and(|&n| latinish(n))
}

/// Words whose numerals or date characters count nothing (十分 "very", 日本, 号召, 一些 …).
const NOT_NUMBER: &str = "\
    十分 万分 千万 万一 百姓 百货 千方百计 万众一心 日本 日报 日常 日益 日趋 日前 月球 号召 信号 口号 型号 称号 一些 \
    一起 一直 一定 一样 一切 一般 一致 一道 一同 一系列 统一 唯一 进一步 同一 一旦 一再 一律 一线 三思 年轻 年度 两岸";

/// Whether position `i` of `s` lies inside an occurrence of one of `words` (separated by
/// white space).
fn inside_word(s: &[char], i: usize, words: &str) -> bool {
    words.split_whitespace().any(|w| {
        let n = w.chars().count();
        (i.saturating_sub(n - 1)..=i).any(|a| {
            s.get(a..a + n)
                .is_some_and(|x| x.iter().copied().eq(w.chars()))
        })
    })
}

/// The real digits in `s[from..to]`: not bytes of mojibake, not inside a word like 十分 (the
/// words are looked up in the whole unit).
fn digits_in(s: &[char], from: usize, to: usize, numerals: &str) -> String {
    (from..to)
        .filter(|&i| real_digit(s, i, numerals) && !inside_word(s, i, NOT_NUMBER))
        .map(|i| s[i])
        .collect()
}

fn has_digit(s: &[char], from: usize, to: usize) -> bool {
    !digits_in(s, from, to, "〇零两十百千万亿年月日号").is_empty()
}

/// The digits around a change, two characters either side (2000万 vs 200万).
fn digits(s: &[char], from: usize, to: usize) -> String {
    digits_in(
        s,
        from.saturating_sub(2),
        (to + 2).min(s.len()),
        "〇零一二两三四五六七八九十百千万亿年月日号",
    )
}

/// Words that hold a negator without negating anything (不断, 非常, 无论, 前所未有, 特别, 是否,
/// 莫斯科 …): a changed stretch inside one of them does not reverse a meaning.
const NOT_NEGATION: &str = "\
    不断 不明 不仅 不但 不论 不管 不过 不久 不少 不同 不足 不利 不良 不宜 不已 不禁 不妨 不免 不然 不如 不时 不停 \
    不懈 不惜 不朽 不安 不幸 不适 不止 不只 不得不 不可或缺 刻不容缓 义不容辞 迫不及待 坚定不移 毫不动摇 源源不断 \
    不折不扣 不约而同 层出不穷 必不可少 密不可分 不遗余力 不计其数 非常 非洲 非法 非典 非凡 非正式 非政府 非营利 非物质 \
    南非 北非 东非 西非 是非 除非 无论 无偿 无线 无人机 无数 无疑 无比 无限 无私 无畏 无缝 无形 无锡 无与伦比 \
    义无反顾 毫无疑问 前所未有 未来 未成年 没收 淹没 埋没 出没 是否 否则 能否 可否 与否 否认 否决 特别 分别 区别 别人 \
    告别 级别 类别 别的 个别 识别 辨别 鉴别 性别 差别 别墅 莫斯科 莫过于 莫大 莫名 莫桑比克 毋庸";

/// How many negators in `s[from..to]` negate: those not inside a word of [`NOT_NEGATION`]
/// (looked up in the whole unit, so 不 of 不断 counts as a word even when only 不 changed).
fn negators(s: &[char], from: usize, to: usize) -> usize {
    (from..to)
        .filter(|&i| {
            NEGATORS.contains(s[i])
                && (inside_word(s, i, NEGATION_FIRST) || !inside_word(s, i, NOT_NEGATION))
        })
        .count()
}

/// Negations that begin like a word of [`NOT_NEGATION`] (不同意 is not 不同 + 意).
const NEGATION_FIRST: &str = "不同意 不同情 不足以";

/// A stretch of annotation: a bracketed Latin syllable or number with nothing Chinese in it
/// (`(guó)`, `(guo2)`, `(1)` from `[1]`). Scrapers leave these; they are no name or number.
fn annotation_like(s: &[char]) -> bool {
    let inner: Vec<char> = s
        .iter()
        .copied()
        .filter(|&c| !matches!(c, '(' | ')' | ' '))
        .collect();
    !inner.is_empty()
        && inner.len() <= 24
        && s.first() == Some(&'(')
        && s.last() == Some(&')')
        && (inner.iter().all(|c| c.is_ascii_digit())
            || inner
                .iter()
                .all(|&c| c.is_lowercase() || c.is_ascii_digit()))
}

/// Whether the witness's changed stretch lies on a repeated-phrase loop that the reference does
/// not have there. Bounded: the loop search looks at the stretch and as much again on each side.
fn loop_stands_here(r: &[char], rf: usize, rt: usize, w: &[char], wf: usize, wt: usize) -> bool {
    let has_loop = |s: &[char], f: usize, t: usize| {
        let pad = (t - f).clamp(8, 4000);
        let a = f.saturating_sub(pad);
        let b = (t + pad).min(s.len());
        crate::rules::loops::find_tandems(&s[a..b])
            .iter()
            .any(|x| a + x.start < t.max(f + 1) && f < a + x.end())
    };
    wt > wf && has_loop(w, wf, wt) && !has_loop(r, rf, rt)
}

/// Why a changed stretch is damage rather than a change of words: a loop, lost characters or
/// mojibake. Such a stretch is never a name, a title or a number.
fn damage(r: &[char], rf: usize, rt: usize, w: &[char], wf: usize, wt: usize) -> Option<String> {
    let b = &w[wf..wt];
    if loop_stands_here(r, rf, rt, w, wf, wt) {
        return Some("a repeated-phrase loop stands in its place".into());
    }
    if b.contains(&'\u{FFFD}') {
        return Some("replacement characters: text lost in an earlier decode".into());
    }
    if b.iter().filter(|&&c| latinish(c)).count() >= 2 {
        return Some("Latin-1 letters where Chinese stood: mojibake".into());
    }
    None
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

/// Words that stand before a name without being part of it (专门 in 专门赴湖北省, 有关 in 有关
/// 国际组织): added or dropped, they change no name.
const BEFORE_NAMES: &[&str] = &[
    "专门", "专项", "有关", "相关", "各级", "各", "该", "此", "本", "这", "那", "主要", "重要",
    "其他", "其它", "所有", "全部", "部分", "一些", "若干", "这些", "那些", "多个", "多家", "多所",
    "首次", "再次", "已经", "已", "正式", "共同", "分别", "积极", "及时", "亲自", "随后", "当天",
    "还",
];

/// Characters that end a name before an organisation or place suffix could (赴 in 专门赴湖北省,
/// 的 in 工作的委员会): a suffix after one of them names something else.
const NAME_BREAKS: &str = "的和与及在赴向对为把被将从到是了并等由于至往";

/// Whether the changed stretch `s[from..to]` is part of a name that ends in an organisation or
/// place suffix: the suffix overlaps the stretch (土库曼斯|坦, 中国科学|院), or follows it
/// closely with no word break between (a one-character suffix such as 省 or 盟 within two
/// characters, a longer one within six).
fn org_follows(s: &[char], from: usize, to: usize) -> bool {
    let text = |x: &[char]| -> Vec<char> { x.iter().copied().filter(|c| !is_punct(*c)).collect() };
    let pre = text(&s[from.saturating_sub(1)..from]);
    let inside = text(&s[from..to]);
    let tail: Vec<char> = s[to..]
        .iter()
        .take(8)
        .take_while(|&&c| !is_punct(c) && !NAME_BREAKS.contains(c))
        .copied()
        .collect();
    let around: Vec<char> = pre.iter().chain(&inside).chain(&tail).copied().collect();
    let after = pre.len() + inside.len();
    ORG_SUFFIXES.iter().any(|suf| {
        let suf: Vec<char> = suf.chars().collect();
        let gap = if suf.len() == 1 { 2 } else { 6 };
        around
            .windows(suf.len())
            .enumerate()
            .any(|(at, x)| x == suf.as_slice() && at + suf.len() > pre.len() && at <= after + gap)
    })
}

/// Whether an added or dropped stretch is only a word that stands before names.
fn before_name(x: &[char], y: &[char]) -> bool {
    let t: String = x.iter().chain(y).filter(|c| !is_punct(**c)).collect();
    (x.is_empty() || y.is_empty()) && BEFORE_NAMES.contains(&t.as_str())
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
    /// The most serious kind the change matches.
    pub kind: VariantKind,
    /// Why, in words, when the kind alone does not say it.
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
    let c = Change {
        r,
        rf,
        rt,
        w,
        wf,
        wt,
    };
    // The order is the meaning: a step only sees changes no earlier step explained.
    no_change_of_meaning(kb, &c)
        .or_else(|| numbers_and_negation(kb, &c))
        .or_else(|| offices(kb, &c))
        .or_else(|| names(kb, &c))
        .unwrap_or_else(|| residue(kb, &c))
}

/// A change under classification: `r[rf..rt]` in the reference became `w[wf..wt]`.
struct Change<'a> {
    r: &'a [char],
    rf: usize,
    rt: usize,
    w: &'a [char],
    wf: usize,
    wt: usize,
}

impl Change<'_> {
    fn a(&self) -> &[char] {
        &self.r[self.rf..self.rt]
    }
    fn b(&self) -> &[char] {
        &self.w[self.wf..self.wt]
    }
    /// A one-for-one swap of single characters.
    fn one_for_one(&self) -> Option<(char, char)> {
        match (self.a(), self.b()) {
            ([x], [y]) => Some((*x, *y)),
            _ => None,
        }
    }
}

fn found(kind: VariantKind, detail: Option<String>) -> Option<Classified> {
    Some(Classified { kind, detail })
}

/// Punctuation, script, a regional word, damage, annotation, a listed misreading: the same
/// text in another form, or a known kind of noise.
fn no_change_of_meaning(kb: &Knowledge, c: &Change) -> Option<Classified> {
    let (a, b) = (c.a(), c.b());
    let only_punct = |s: &[char]| s.iter().all(|c| is_punct(*c) || c.is_whitespace());
    if only_punct(a) && only_punct(b) {
        return found(VariantKind::Punctuation, None);
    }
    let t = tables();
    if a.len() == b.len() && a.iter().zip(b).all(|(x, y)| t.script_equivalent(*x, *y)) {
        return found(VariantKind::Script, None);
    }
    // A regional rendering of the same word is no change at all, before any check that a
    // changed name, title or number would claim it (义大利 is not a changed place name).
    if crate::regional::regional().same_word(c.r, c.rf, c.rt, c.w, c.wf, c.wt) {
        return found(VariantKind::Regional, None);
    }
    // Damage (a loop, lost characters, mojibake) and annotation are not changes of meaning.
    if let Some(why) = damage(c.r, c.rf, c.rt, c.w, c.wf, c.wt) {
        return found(VariantKind::Phrase, Some(why));
    }
    if (a.is_empty() && annotation_like(b)) || (b.is_empty() && annotation_like(a)) {
        return found(
            VariantKind::Phrase,
            Some("a bracketed syllable or number: pinyin or a footnote marker, not a name".into()),
        );
    }
    // A listed confusable pair swapped one for one is the misreading it looks like, even when
    // one side is a numeral or a negator (于 → 千, 未 → 末, 准 → 淮).
    let (x, y) = c.one_for_one()?;
    kb.confusables
        .get(&(x, y))
        .and_then(|why| found(VariantKind::Ocr, Some(why.clone())))
}

/// Another role word, another number or date, a negator or time word added or removed.
fn numbers_and_negation(_kb: &Knowledge, c: &Change) -> Option<Classified> {
    let (a, b) = (c.a(), c.b());
    let (r, rf, rt, w, wf, wt) = (c.r, c.rf, c.rt, c.w, c.wf, c.wt);
    // One role word for another (部长 → 大使, 外长 → 国务卿): another office.
    if role_word(a) && role_word(b) {
        return found(VariantKind::Title, None);
    }
    // Numbers and dates, with the whole number in view (2000万 vs 200万).
    if (has_digit(r, rf, rt) || has_digit(w, wf, wt)) && digits(r, rf, rt) != digits(w, wf, wt) {
        return found(VariantKind::Number, None);
    }
    // Negation: a negating word added or removed (不断, 非常, 未来 do not count). A rewritten
    // clause that happens to hold a negator is a phrase, not a reversed meaning.
    // (莫, 尼 inside a transliterated name are syllables: 莫迪 → 巴迪 is a changed name.)
    let in_name = a.len() == 1
        && b.len() == 1
        && translit_run(r, rf, rt) >= 3
        && translit_run(w, wf, wt) >= 3;
    if !in_name && a.len().max(b.len()) < 8 && negators(r, rf, rt) != negators(w, wf, wt) {
        return found(VariantKind::Negation, None);
    }
    let ra = window(r, rf, rt, 1);
    let rb = window(w, wf, wt, 1);
    TIME_WORDS
        .iter()
        .find(|tw| contains_word(ra, tw) != contains_word(rb, tw))
        .and_then(|tw| {
            found(
                VariantKind::Negation,
                Some(format!("the time word “{tw}” is in one copy only")),
            )
        })
}

/// Official titles: the office words around the change differ, or a modifier (副, 前, 代理)
/// was added or removed next to a title.
fn offices(kb: &Knowledge, c: &Change) -> Option<Classified> {
    let (a, b) = (c.a(), c.b());
    let oa = offices_in(kb, window(c.r, c.rf, c.rt, 6));
    let ob = offices_in(kb, window(c.w, c.wf, c.wt, 6));
    if oa != ob {
        // A misspelt country inside an office (塞尔瓦亚总统 for 塞尔维亚总统): the office word is
        // no longer known only because a transliterated place name changed — a name, not a title.
        let translit = |x: &[char]| !x.is_empty() && x.iter().all(|c| TRANSLIT.contains(*c));
        if ob.is_empty() && translit(a) && translit(b) && a.len() == b.len() {
            return found(
                VariantKind::Name,
                Some("a place name inside an office".into()),
            );
        }
        return found(VariantKind::Title, None);
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
    if modifier_change(a, c.r, c.rt) || modifier_change(b, c.w, c.wt) {
        return found(VariantKind::Title, None);
    }
    None
}

/// Names of people (a known name, or a transliterated name changed), organisations and places.
fn names(kb: &Knowledge, c: &Change) -> Option<Classified> {
    let (a, b) = (c.a(), c.b());
    let (r, rf, rt, w, wf, wt) = (c.r, c.rf, c.rt, c.w, c.wf, c.wt);
    let pa = people_in(kb, window(r, rf, rt, 4));
    let pb = people_in(kb, window(w, wf, wt, 4));
    if pa != pb {
        return found(VariantKind::Name, None);
    }
    if !a.is_empty()
        && translit_run(r, rf, rt) >= 3
        && (b.is_empty() || translit_run(w, wf, wt) >= 2)
    {
        return found(VariantKind::Name, None);
    }
    // Organisations and places: a stretch inside a name that ends in 组织, 大学, 盟 …; a single
    // character added or dropped before a name (应 in 应欧洲呼吸学会邀请) is not a name change.
    let inside_name = ((!a.is_empty() && !b.is_empty()) || a.len().max(b.len()) >= 2)
        && !before_name(a, b)
        && (a.iter().chain(b).any(|c| !is_punct(*c) && !c.is_ascii()));
    if inside_name && (org_follows(r, rf, rt) || org_follows(w, wf, wt)) {
        return found(VariantKind::Organisation, None);
    }
    None
}

/// What is left: garbled text, one character for another (a converter's or a misreading),
/// an added or dropped word, or other wording.
fn residue(kb: &Knowledge, c: &Change) -> Classified {
    let (a, b) = (c.a(), c.b());
    let out = |kind, detail: Option<String>| Classified { kind, detail };
    // Garbled text: the witness repeats a piece of its own neighbourhood (国家做好中国做好防范).
    if let Some(piece) = echoes_context(c.w, c.wf, c.wt, a) {
        return out(
            VariantKind::Phrase,
            Some(format!(
                "garbled: repeats “{piece}” from the text around it"
            )),
        );
    }
    if let Some((x, y)) = c.one_for_one() {
        return one_character(kb, x, y);
    }
    if a.is_empty() || b.is_empty() {
        return added_or_dropped(if a.is_empty() { b } else { a });
    }
    out(VariantKind::Wording, None)
}

/// One character for another: a listed misreading, a converter's confusion, or another
/// character.
fn one_character(kb: &Knowledge, x: char, y: char) -> Classified {
    let out = |kind, detail: Option<String>| Classified { kind, detail };
    if let Some(why) = kb.confusables.get(&(x, y)) {
        return out(VariantKind::Ocr, Some(why.clone()));
    }
    let t = tables();
    let shared = |x: char, y: char| {
        let fx = t.fold(x);
        let fy = t.fold(y);
        t.script_equivalent(fx, y) || t.script_equivalent(fy, x)
    };
    if shared(x, y) {
        return out(VariantKind::Converter, None);
    }
    out(VariantKind::Character, None)
}

/// Text `s` in one copy only.
fn added_or_dropped(s: &[char]) -> Classified {
    let out = |kind, detail: Option<String>| Classified { kind, detail };
    let text: Vec<char> = s.iter().copied().filter(|c| !is_punct(*c)).collect();
    match text.as_slice() {
        [] => out(VariantKind::Punctuation, None),
        [c] if FUNCTION_WORDS.contains(*c) => out(VariantKind::FunctionWord, None),
        [c] if CONJUNCTIONS.contains(*c) => out(
            VariantKind::Phrase,
            Some("a conjunction changes how the sentence is built".into()),
        ),
        [_] => out(VariantKind::Character, None),
        _ => out(VariantKind::Phrase, None),
    }
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

    /// Like `k`, on the texts as collation sees them (normalized: NFKC, folded script and
    /// punctuation).
    fn kn(r: &str, w: &str) -> VariantKind {
        let fold = |s: &str| crate::normalize::normalize(s, 0).text();
        k(&fold(r), &fold(w))
    }

    #[test]
    fn a_negator_inside_a_word_is_no_negation() {
        assert_ne!(
            k("发现不明原因肺炎病例", "发现原因肺炎病例"),
            VariantKind::Negation
        );
        assert_ne!(
            k("面临前所未有的挑战", "面临前所罕有的挑战"),
            VariantKind::Negation
        );
        assert_ne!(
            k("向对方无偿提供物资", "向对方免费提供物资"),
            VariantKind::Negation
        );
        assert_ne!(
            k("这次会议非常重要", "这次会议十分重要"),
            VariantKind::Negation
        );
        assert_ne!(
            k("无论如何都要坚持", "不管如何都要坚持"),
            VariantKind::Negation
        );
        assert_ne!(k("合作不断加强", "合作持续加强"), VariantKind::Negation);
        assert_ne!(k("访问莫斯科期间", "访问新斯科期间"), VariantKind::Negation);
        // A real negator still is one.
        assert_eq!(k("疫情得到控制", "疫情未得到控制"), VariantKind::Negation);
        assert_eq!(k("居民可以外出", "居民不可以外出"), VariantKind::Negation);
        assert_eq!(k("目前已有病例", "目前没有病例"), VariantKind::Negation);
    }

    #[test]
    fn a_bracketed_syllable_or_footnote_is_no_name_or_number() {
        let kind = kn("习近平主持会议", "习(xí)近平主持会议");
        assert_eq!(kind, VariantKind::Phrase);
        assert_eq!(kn("国务院发布", "国（guo2）务院发布"), VariantKind::Phrase);
        assert_eq!(kn("防控措施。", "防控措施[1]。"), VariantKind::Phrase);
    }

    #[test]
    fn a_dropped_adverb_is_no_organisation() {
        assert_ne!(
            k("主席专门赴湖北省武汉市考察", "主席赴湖北省武汉市考察"),
            VariantKind::Organisation
        );
        assert_ne!(
            k("有关国际组织表示", "国际组织表示"),
            VariantKind::Organisation
        );
        // A change inside the name still is one.
        assert_eq!(
            k("前往湖北省考察", "前往湖南省考察"),
            VariantKind::Organisation
        );
    }

    #[test]
    fn mojibake_is_no_number() {
        // 阿联酋 in GBK read as Windows-1252; NFKC makes its ¹ a 1.
        let (bytes, _, _) = encoding_rs::GBK.encode("阿联酋公");
        let garbled = encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned();
        assert!(garbled.contains('¹'));
        let kind = kn(
            "保障包括阿联酋公民在内",
            &format!("保障包括{garbled}民在内"),
        );
        assert_eq!(kind, VariantKind::Phrase);
        let has = |s: &str| {
            let s: Vec<char> = s.chars().collect();
            has_digit(&s, 0, s.len())
        };
        assert!(!has("°¢Áaçõ1《"));
        assert!(has("共1例"));
    }

    #[test]
    fn a_numeral_inside_a_word_is_no_number() {
        assert_ne!(k("对此非常感谢", "对此十分感谢"), VariantKind::Number);
        assert_ne!(k("访问日本期间", "访问韩国期间"), VariantKind::Number);
        assert_eq!(k("捐款两千万元", "捐款两百万元"), VariantKind::Number);
    }

    #[test]
    fn a_loop_is_no_title() {
        let r = "同联合国秘书长古特雷斯通电话。";
        let w =
            "同联合国秘书长古特雷斯通电话,联合国秘书长古特雷斯通电话,联合国秘书长古特雷斯通电话。";
        assert_eq!(kn(r, w), VariantKind::Phrase);
        // Lost characters where a numeral stood are no number change.
        assert_eq!(
            kn("损失十分严重", "损失\u{FFFD}\u{FFFD}严重"),
            VariantKind::Phrase
        );
    }

    #[test]
    fn confusable_swaps_and_role_swaps() {
        assert_eq!(k("会议于3月召开", "会议千3月召开"), VariantKind::Ocr);
        assert_eq!(
            k("会见巴基斯坦总统阿尔维", "会见莫基斯坦总统阿尔维"),
            VariantKind::Name
        );
        assert_eq!(
            k("他同意这个方案", "他不同意这个方案"),
            VariantKind::Negation
        );
        assert_eq!(k("批准实施", "批淮实施"), VariantKind::Ocr);
        assert_eq!(
            k("会见某国部长时说", "会见某国大使时说"),
            VariantKind::Title
        );
        assert_eq!(
            k("同美国外长通电话", "同美国国务卿通电话"),
            VariantKind::Title
        );
        // Growth is no office, and a real number change stays a number.
        assert_ne!(k("经济成长较快", "经济增长较快"), VariantKind::Title);
        assert_eq!(k("捐款2000万美元", "捐款3000万美元"), VariantKind::Number);
    }

    #[test]
    fn a_misspelt_country_inside_an_office_is_a_name() {
        assert_eq!(
            k(
                "向塞尔维亚总统武契奇致慰问电",
                "向塞尔瓦亚总统武契奇致慰问电"
            ),
            VariantKind::Name
        );
        // A place name changed outside an office is a name too.
        assert_eq!(
            k(
                "专家组抵达塞尔维亚，由中国政府捐赠",
                "专家组抵达塞尔维塔，由中国政府捐赠"
            ),
            VariantKind::Name
        );
        // Another office altogether stays a title.
        assert_eq!(
            k(
                "同联合国秘书长古特雷斯通电话",
                "同联合国副秘书长古特雷斯通电话"
            ),
            VariantKind::Title
        );
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
