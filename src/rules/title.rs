//! Official titles that do not match the person, checked in one document with the knowledge in
//! `rules/titles.toml`.
//!
//! Chinese puts the office before the name (`意大利总统马塔雷拉`, lists such as
//! `中共中央总书记、国家主席、中央军委主席习近平`), sometimes after it (`习近平总书记`). For each
//! mention the rule takes the date in force of the unit and asks who held the office then.
//!
//! When a text gives no year (a newspaper page that prints only `3月12日`), the era is inferred
//! from the document itself: the terms of the office-holders it names correctly overlap in a
//! window (for a text naming 孔特 as Italy's prime minister and 冯德莱恩 as Commission president:
//! 2019-12 to 2021-02), and holders are looked up in that window.

use super::{DocRule, RuleInfo};
use crate::collate::classify::TRANSLIT;
use crate::finding::{Category, FindingBuilder, Severity};
use crate::knowledge::{month_text, Knowledge, Office, Person, Term};
use crate::lexicon::Lexicon;
use crate::model::{Document, Unit};
use crate::normalize::is_punct;
use crate::translit;

/// Rule `title/mismatch` (TT001): a known person with an office they did not hold on that date.
pub const MISMATCH: RuleInfo = RuleInfo {
    id: "title/mismatch",
    code: "TT001",
    category: Category::Title,
    severity: Severity::Error,
    summary: "a known person with an office they did not hold on that date",
    explain: "\
What it does: finds office + name mentions (联合国秘书长古特雷斯, 国务院总理李克强, chains such as
中共中央总书记、国家主席、中央军委主席习近平, and name + title such as 习近平总书记), takes the date
in force of the paragraph, and checks rules/titles.toml: did this person hold this office then?
The help names the office they did hold.

Offices with a modifier (副, 前, 代理, 常务) are different offices: 联合国副秘书长古特雷斯 is wrong.
When the date lies outside the period the office's holder list is complete for (`verified_from`
to `verified_through` in the data), the person may have taken the office after the data ends: the
finding is then a note that says where the data ends.

Example: 中国国家主席习近平应约同联合国副秘书长古特雷斯通电话 → 古特雷斯 was 联合国秘书长.

Silence: `--severity title/mismatch=off`; teach it a person with a rules folder (README, \"Rule data\").",
};

/// Rule `title/unknown-holder` (TT002): an unknown name after an office whose holder on that date is known.
pub const UNKNOWN_HOLDER: RuleInfo = RuleInfo {
    id: "title/unknown-holder",
    code: "TT002",
    category: Category::Title,
    severity: Severity::Error,
    summary: "an unknown name after an office whose holder on that date is known",
    explain: "\
What it does: after an office that has one holder at a time (a president, a prime minister, a
secretary-general), a name that is not the holder's, nor anyone's in the rules data, is reported.
The help suggests the closest name among the holders of that office and of related offices
(意大利总理马德拉 → did you mean 意大利总统马塔雷拉?).

Offices with several holders at once (副总理, 国务委员: `plural = true` in the data) are not checked
this way, since the data may not list them all. It is an error only when the date lies inside the
period the office's holder list is complete for (`verified_from`, `verified_through`); outside it
the finding is a note, \"not in the knowledge data for 2026-03 (data for 英国首相 ends 2025-06)\",
without a suggestion. A name that sounds like the holder's is a regional rendering (TT005).

Silence: `--severity title/unknown-holder=off`, or add the person to a rules folder.",
};

/// Rule `title/wrong-body` (TT003): a known person with the right kind of office, but of another country or body.
pub const WRONG_BODY: RuleInfo = RuleInfo {
    id: "title/wrong-body",
    code: "TT003",
    category: Category::Title,
    severity: Severity::Warning,
    summary: "a known person with the right kind of office, but of another country or body",
    explain: "\
What it does: the person held an office of the same kind (head of government, head of state …) on
that date, but of another country or organisation than the text says: 法国总理默克尔 (默克尔 was
德国总理). Most often the country name was altered.

Silence: `--severity title/wrong-body=off`.",
};

/// Rule `title/regional-name` (TT005): a name after an office that sounds like the holder's: a regional rendering.
pub const REGIONAL_NAME: RuleInfo = RuleInfo {
    id: "title/regional-name",
    code: "TT005",
    category: Category::Title,
    severity: Severity::Note,
    summary: "a name after an office that sounds like the holder's: a regional rendering",
    explain: "\
What it does: after an office with one holder, a name that is not in the rules data but sounds
like the name of that office's holder on that date, syllable by syllable (the same number of
syllables, near-homophone characters on toneless pinyin: zh/z, n/l, -n/-ng, f/h count as equal),
is taken for a Taiwan, Hong Kong or other regional rendering of that holder's name: a note that
names the holder, not an unknown office-holder. The name is taken as long as the holder's, so a
rendering with characters rare in transliterations (馬克宏) is not cut short.

Example: 2023年 烏克蘭總統澤倫斯基 → 澤倫斯基 reads as 泽连斯基 (乌克兰总统 since 2019-05).

Silence: `--severity title/regional-name=off`, or add the rendering to the person's `names`.",
};

/// Checks official titles against the rules data's offices and holders on the text's date.
pub struct Titles;

/// Before an office name that does not name its country (国家主席, 总书记), only these may
/// stand: otherwise it is another country's office (古巴国家主席) or part of a longer name.
const BOUNDARY: &str = "、与和同及兼向致应由经据在对给称为将并暨时后期即电约见晤";
/// Office names that do not carry their country or organisation.
const BARE: &[&str] = &[
    "国家主席",
    "国家副主席",
    "总书记",
    "外交部长",
    "外交部部长",
    "国务委员",
];
/// A modifier right before an office makes it another office (前美国总统, 副总理 …).
const MODIFIERS: &str = "前副原代候";
/// Words before an office that put the holder in the past (时任英国首相约翰逊 in a later text,
/// 已故伊朗总统莱希): the office is not claimed for the text's date.
const PAST: &[&str] = &["时任", "曾任", "卸任", "历任", "前任", "已故", "故"];

/// Whether the office starting at char `s` follows a word of [`PAST`].
fn past(chars: &[char], s: usize) -> bool {
    PAST.iter().any(|w| {
        let n = w.chars().count();
        s >= n && w.chars().eq(chars[s - n..s].iter().copied())
    })
}
/// Words after an office that begin another role or thing, not a name; with their Taiwan and
/// Hong Kong forms (高階顧問 for 高级顾问), folded.
const NOT_NAMES: &[&str] = &[
    "高级",
    "高阶",
    "资深",
    "首席",
    "幕僚",
    "特助",
    "特别",
    "特使",
    "顾问",
    "代表",
    "助理",
    "发言人",
    "办公室",
    "夫人",
    "府",
    "一行",
    "大选",
    "任期",
    "职务",
    "候选人",
    "先生",
    "女士",
    "阁下",
    "本人",
    "官邸",
    "当选",
    "就职",
];
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤栗温";
/// Characters of Taiwan and Hong Kong transliterations (folded) that the mainland alphabet
/// (`TRANSLIT`) lacks: without them an unlisted 馬克宏 would be read as 马克. Only
/// characters that rarely begin a word after a name.
const REGIONAL_TRANSLIT: &str = "宏亭蒲萧柏璐琪妮莉丝芙珊汀葛寇赖滕娃娅莎黛薇夫翰";
const NAME_STOP: &str = "同与和在就向致对应通会主出表指说强称为于的了将等及并也都是已曾即";

/// A window of months `[lo, hi]`; `None` bounds are open.
#[derive(Debug, Clone, Copy)]
struct Window {
    lo: Option<i32>,
    hi: Option<i32>,
}

impl Window {
    fn point(m: i32) -> Window {
        Window {
            lo: Some(m),
            hi: Some(m),
        }
    }
    fn any() -> Window {
        Window { lo: None, hi: None }
    }
    fn overlaps(&self, from: i32, to: Option<i32>) -> bool {
        self.hi.is_none_or(|h| from <= h) && self.lo.is_none_or(|l| to.is_none_or(|t| t >= l))
    }
    fn describe(&self) -> String {
        let f = |m: i32| format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1);
        match (self.lo, self.hi) {
            (Some(a), Some(b)) if a == b => f(a),
            (Some(a), Some(b)) => format!("{}–{}", f(a), f(b)),
            _ => "any date".into(),
        }
    }
}

fn term_text(p: &Person, kb: &Knowledge, t: &crate::knowledge::Term) -> String {
    let f = |m: i32| format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1);
    format!(
        "{} {} ({}–{})",
        kb.offices[t.office].display,
        p.display,
        f(t.from),
        t.to.map(f).unwrap_or_default()
    )
}

fn holds(p: &Person, office: usize, w: Window) -> bool {
    p.terms
        .iter()
        .any(|t| t.office == office && w.overlaps(t.from, t.to))
}

/// A mention: offices (indices), the char range of the office chain, the person (if known) and
/// the char range of the name.
struct Mention {
    offices: Vec<usize>,
    from: usize,
    to: usize,
    person: Option<usize>,
    name_end: usize,
}

/// An office named in a paragraph: its char range and office index.
type OfficeAt = (usize, usize, usize);

fn mentions(kb: &Knowledge, chars: &[char]) -> Vec<Mention> {
    let (Some(oac), Some(pac)) = (&kb.office_matcher, &kb.person_matcher) else {
        return Vec::new();
    };
    // Character ranges of the offices named (most paragraphs name none).
    let offs: Vec<OfficeAt> = oac
        .find_iter_chars(chars)
        .iter()
        .map(|m| (m.start, m.end, kb.office_of_pattern[m.pattern]))
        .collect();
    if offs.is_empty() {
        return Vec::new();
    }
    let mut out = title_first(kb, pac, chars, &offs);
    name_first(kb, pac, chars, &offs, &mut out);
    out
}

/// Decides the mentions where the title comes first: chains of offices, each followed by the
/// known person (if any) whose name starts where the chain ends.
fn title_first(kb: &Knowledge, pac: &Lexicon, chars: &[char], offs: &[OfficeAt]) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < offs.len() {
        let s = offs[i].0;
        let boundary = starts_mention(chars, offs[i]);
        let (chain, e, j) = office_chain(chars, offs, i);
        if boundary {
            let (person, name_end) = match person_after(kb, pac, chars, e) {
                Some((p, end)) => (Some(p), end),
                None => (None, e),
            };
            out.push(Mention {
                offices: chain,
                from: s,
                to: e,
                person,
                name_end,
            });
        }
        i = j;
    }
    out
}

/// Whether the office at `(s, e)` opens a mention: it follows a boundary, not a modifier, nor
/// a word that makes it part of something else.
fn starts_mention(chars: &[char], (s, e, _): OfficeAt) -> bool {
    if s == 0 {
        return true;
    }
    let c = chars[s - 1];
    let open = is_punct(c) || c.is_whitespace() || (c as u32) < 0x3400;
    // Compared in place: this runs for every office named in the archive.
    let bare = || {
        let name = &chars[s..e];
        BARE.iter().any(|b| b.chars().eq(name.iter().copied()))
    };
    !MODIFIERS.contains(c) && !past(chars, s) && (open || BOUNDARY.contains(c) || !bare())
}

/// The chain of offices starting at `offs[i]` (adjacent, or joined by 、 or 兼): their
/// indices, the char where the chain ends, and the index of the first office after it.
fn office_chain(chars: &[char], offs: &[OfficeAt], i: usize) -> (Vec<usize>, usize, usize) {
    let (_, mut e, o) = offs[i];
    let mut chain = vec![o];
    let mut j = i + 1;
    while j < offs.len() && (offs[j].0 == e || (offs[j].0 == e + 1 && "、兼".contains(chars[e])))
    {
        chain.push(offs[j].2);
        e = offs[j].1;
        j += 1;
    }
    (chain, e, j)
}

/// The known person whose name starts right at `at` (where an office ends), with the char
/// where the name ends; none when a short name only heads a longer foreign name.
fn person_after(
    kb: &Knowledge,
    pac: &Lexicon,
    chars: &[char],
    at: usize,
) -> Option<(usize, usize)> {
    // Anchored: a name must start right where the office ends.
    let m = pac.find_at_chars(chars, at)?;
    // A short known name (孔特, 马林) at the head of a longer foreign name is not that person.
    let next = chars.get(m.end).copied();
    let bytes: usize = chars[at..m.end].iter().map(|c| c.len_utf8()).sum();
    if bytes <= 6 && next.is_some_and(|c| TRANSLIT.contains(c) || c == '·' || c == '-') {
        return None;
    }
    Some((kb.person_of_pattern[m.pattern], m.end))
}

/// Adds the mentions where the name comes first (习近平总书记, 李克强总理): a known name of 2 to
/// 8 characters ending right where an office starts, unless a title-first mention covers it.
fn name_first(
    kb: &Knowledge,
    pac: &Lexicon,
    chars: &[char],
    offs: &[OfficeAt],
    out: &mut Vec<Mention>,
) {
    for &(os, oe, o) in offs {
        // Most offices follow something that ends no name: one bit says so.
        if os < 2 || !pac.may_end_with(chars[os - 2], chars[os - 1]) {
            continue;
        }
        for len in 2..=8usize.min(os) {
            let ps = os - len;
            let Some(m) = pac.find_at_chars(&chars[..os], ps) else {
                continue;
            };
            if m.end != os {
                continue;
            }
            if !out.iter().any(|x| x.from <= ps && ps < x.name_end) {
                out.push(Mention {
                    offices: vec![o],
                    from: ps,
                    to: oe,
                    person: Some(kb.person_of_pattern[m.pattern]),
                    name_end: oe,
                });
            }
            break;
        }
    }
}

/// Whether the words at `at` begin another role or thing ([`NOT_NAMES`]), not a name.
fn not_a_name(chars: &[char], at: usize) -> bool {
    let head: String = chars[at.min(chars.len())..].iter().take(4).collect();
    NOT_NAMES.iter().any(|w| head.starts_with(w))
}

/// A name-like run after an office: a transliterated foreign name, or a Chinese name.
fn candidate_name(chars: &[char], at: usize) -> Option<(usize, String)> {
    let rest = &chars[at..];
    let first = *rest.first()?;
    if not_a_name(chars, at) {
        return None;
    }
    if TRANSLIT.contains(first) {
        let n = rest
            .iter()
            .take(8)
            .take_while(|c| {
                TRANSLIT.contains(**c)
                    || REGIONAL_TRANSLIT.contains(**c)
                    || **c == '·'
                    || **c == '-'
            })
            .count();
        return (n >= 2).then(|| (at + n, rest[..n].iter().collect()));
    }
    if SURNAMES.contains(first)
        && rest.len() >= 2
        && !NAME_STOP.contains(rest[1])
        && !is_punct(rest[1])
    {
        let n = if rest.len() >= 3 && !NAME_STOP.contains(rest[2]) && !is_punct(rest[2]) {
            3
        } else {
            2
        };
        return Some((at + n, rest[..n].iter().collect()));
    }
    None
}

fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut used = vec![false; b.len()];
    let mut common = 0;
    for c in &a {
        if let Some(k) = (0..b.len()).find(|&k| !used[k] && b[k] == *c) {
            used[k] = true;
            common += 1;
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// The era of a document without years: the overlap of the terms of the office-holders it names
/// correctly.
fn era(all: &[Vec<Mention>], kb: &Knowledge) -> Window {
    let mut w = Window::any();
    let mut seen = 0;
    for ms in all {
        for m in ms {
            let Some(pi) = m.person else {
                continue;
            };
            if kb.namesakes[pi].len() > 1 {
                continue; // a name several people share says nothing about the era
            }
            let p = &kb.people[pi];
            for &o in &m.offices {
                if kb.offices[o].plural {
                    continue;
                }
                let terms: Vec<_> = p.terms.iter().filter(|t| t.office == o).collect();
                if terms.is_empty() {
                    continue;
                }
                let lo = terms.iter().map(|t| t.from).min().unwrap_or(0);
                let hi = if terms.iter().any(|t| t.to.is_none()) {
                    None
                } else {
                    terms.iter().filter_map(|t| t.to).max()
                };
                let nlo = w.lo.map_or(lo, |x| x.max(lo));
                let nhi = match (w.hi, hi) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                if nhi.is_some_and(|h| h < nlo) {
                    continue; // inconsistent with the rest: that mention is the suspect one
                }
                w = Window {
                    lo: Some(nlo),
                    hi: nhi,
                };
                seen += 1;
            }
        }
    }
    if seen == 0 {
        Window::any()
    } else {
        w
    }
}

/// What one unit's findings are built from: the document, the unit, the months the unit speaks
/// of and how to say them.
struct Ctx<'a> {
    doc: &'a Document,
    kb: &'a Knowledge,
    unit: &'a Unit,
    w: Window,
    on: String,
}

/// Whether the holder list of `office` is complete for every month of `w` (an open or unknown
/// window is not covered: the text may speak of a time the data does not reach).
fn covered(office: &Office, w: Window) -> bool {
    match (w.lo, w.hi) {
        (Some(lo), Some(hi)) => office.coverage.contains(lo) && office.coverage.contains(hi),
        _ => false,
    }
}

/// Why the data cannot judge `office` in `w`: "data for 英国首相 ends 2021-12".
fn coverage_gap(office: &Office, w: Window) -> String {
    let c = &office.coverage;
    let (from, through) = (month_text(c.from), month_text(c.through));
    match (w.lo, w.hi) {
        (_, Some(hi)) if hi < c.from => format!("data for {} starts {from}", office.display),
        (Some(lo), _) if lo > c.through => format!("data for {} ends {through}", office.display),
        _ => format!("data for {} covers {from}–{through}", office.display),
    }
}

const REFRESH: &str = "add the person to a rules folder (README, \"Rule data\") or refresh the data with `collatio rules import-wikidata`";

impl DocRule for Titles {
    fn infos(&self) -> &'static [RuleInfo] {
        &[MISMATCH, UNKNOWN_HOLDER, WRONG_BODY, REGIONAL_NAME]
    }

    fn check(&self, doc: &Document, kb: &Knowledge, out: &mut super::Findings) {
        if kb.office_matcher.is_none() {
            return;
        }
        let units: Vec<&Unit> = doc.units.iter().filter(|u| u.kind.is_content()).collect();
        let all: Vec<Vec<Mention>> = units
            .iter()
            .map(|u| mentions(kb, &u.norm().chars))
            .collect();
        let mut era_cache: Option<Window> = None;
        for (u, ms) in units.iter().zip(all.iter()) {
            if ms.is_empty() {
                continue;
            }
            // The unit's own month when it has one; else the era the whole text implies.
            let (w, on) = match u.date().month_key() {
                Some(m) => (Window::point(m), format!("on {}", u.date())),
                None => {
                    let e = *era_cache.get_or_insert_with(|| era(&all, kb));
                    (e, format!("in this text's era ({})", e.describe()))
                }
            };
            let cx = Ctx {
                doc,
                kb,
                unit: u,
                w,
                on,
            };
            for m in ms {
                match m.person {
                    Some(pi) => known_person(&cx, m, pi, out),
                    None => unknown_name(&cx, m, out),
                }
            }
        }
    }
}

/// The raw byte range of a mention from the office to `end` (a char index), and its text.
fn written<'a>(cx: &Ctx<'a>, from: usize, end: usize) -> Option<(usize, usize, &'a str)> {
    let (a, b) = cx.unit.norm().raw_range(&cx.doc.text, from, end)?;
    Some((a, b, cx.doc.slice(a..b)))
}

/// A known person after offices: each office they did not hold then is a finding (an error
/// inside the office's coverage, a note outside it).
fn known_person(cx: &Ctx, m: &Mention, pi: usize, out: &mut super::Findings) {
    let kb = cx.kb;
    let Some((a, b, written)) = written(cx, m.from, m.name_end) else {
        return;
    };
    let p = &kb.people[pi];
    for &o in &m.offices {
        if kb.namesakes[pi]
            .iter()
            .any(|&q| holds(&kb.people[q], o, cx.w))
        {
            continue;
        }
        let office = &kb.offices[o];
        let held: Vec<&Term> = p
            .terms
            .iter()
            .filter(|t| cx.w.overlaps(t.from, t.to))
            .collect();
        let same_kind = held.iter().find(|t| {
            let other = &kb.offices[t.office];
            other.title == office.title && other.body != office.body
        });
        out.push(not_held(
            cx,
            p,
            office,
            &held,
            same_kind.copied(),
            (a, b, written),
        ));
    }
}

/// The finding for a person named with an office they did not hold in the window: of another
/// body when they held the same title elsewhere (`same_kind`), a note outside the data's coverage.
fn not_held(
    cx: &Ctx,
    p: &Person,
    office: &Office,
    held: &[&Term],
    same_kind: Option<&Term>,
    (a, b, written): (usize, usize, &str),
) -> crate::finding::Finding {
    let kb = cx.kb;
    let held_text = held_text(cx, p, held);
    let b2 = if let Some(t) = same_kind {
        FindingBuilder::new(&WRONG_BODY, cx.doc, a..b)
            .message(format!(
                "“{written}”: {} was {} of {}, not of {}",
                p.display, kb.offices[t.office].display, kb.offices[t.office].body, office.body
            ))
            .label(format!("{} is {}", office.display, office.body))
            .help(format!(
                "{held_text}; check the country or organisation named here"
            ))
    } else {
        FindingBuilder::new(&MISMATCH, cx.doc, a..b)
            .message(format!(
                "“{written}”: {} did not hold the office {} {}",
                p.display, office.display, cx.on
            ))
            .label(format!("not {}", office.display))
            .help(held_text)
    };
    // Outside the coverage the person may have taken the office after the data ends.
    let b2 = if covered(office, cx.w) {
        b2
    } else {
        b2.severity(Severity::Note)
            .message(format!(
                "“{written}”: {} is not known to have held {} {} ({})",
                p.display,
                office.display,
                cx.on,
                coverage_gap(office, cx.w)
            ))
            .help(format!(
                "the knowledge data cannot tell who held {} then; if {} did, {REFRESH}",
                office.display, p.display
            ))
    };
    let mut b2 = b2
        .subject(format!("{}|{}", office.id, p.id))
        .around_raw(cx.unit.norm(), a..b);
    for t in held.iter().take(2) {
        b2 = b2.related(None, format!("source: {}", t.source));
    }
    b2.build()
}

/// What the person did hold in the window, or all their known terms.
fn held_text(cx: &Ctx, p: &Person, held: &[&Term]) -> String {
    if held.is_empty() {
        let all: Vec<String> = p
            .terms
            .iter()
            .take(4)
            .map(|t| term_text(p, cx.kb, t))
            .collect();
        format!(
            "{} held no office in the rules data {}; known terms: {}",
            p.display,
            cx.on,
            all.join("; ")
        )
    } else {
        let list: Vec<String> = held
            .iter()
            .take(3)
            .map(|t| term_text(p, cx.kb, t))
            .collect();
        format!("{} {} was {}", cx.on, p.display, list.join("; "))
    }
}

/// A name after an office that is nobody's in the data: a regional rendering of a holder's name
/// (a note naming the holder), an unknown holder inside the office's coverage (an error with
/// the closest holder), or outside it (a note: the data does not reach that date).
fn unknown_name(cx: &Ctx, m: &Mention, out: &mut super::Findings) {
    let kb = cx.kb;
    let Some(&o) = m.offices.last() else {
        return;
    };
    let office = &kb.offices[o];
    if office.plural {
        return;
    }
    let chars = &cx.unit.norm().chars;
    if not_a_name(chars, m.to) {
        return;
    }
    if let Some((end, p, t)) = regional_rendering(kb, chars, m.to, o, cx.w) {
        if let Some((a, b, written)) = written(cx, m.from, end) {
            let name: String = chars[m.to..end].iter().collect();
            let f = FindingBuilder::new(&REGIONAL_NAME, cx.doc, a..b)
                .message(format!(
                    "“{written}”: {name} reads as a regional rendering of {}, {}",
                    p.display,
                    term_text(p, kb, t)
                ))
                .label(format!("{} {}", office.display, p.display))
                .help(format!(
                    "the names sound alike syllable by syllable; if {name} is {} add it to the person's `names` in a rules folder, if it is another person add them",
                    p.display
                ))
                .subject(format!("{}|{name}", office.id))
                .around_raw(cx.unit.norm(), a..b)
                .related(None, format!("source: {}", t.source));
            out.push(f.build());
        }
        return;
    }
    let Some((end, name)) = candidate_name(chars, m.to) else {
        return;
    };
    let Some((a, b, written)) = written(cx, m.from, end) else {
        return;
    };
    if !covered(office, cx.w) {
        let f = FindingBuilder::new(&UNKNOWN_HOLDER, cx.doc, a..b)
            .severity(Severity::Note)
            .message(format!(
                "“{written}”: {name} is not in the knowledge data for {} ({})",
                match (cx.w.lo, cx.w.hi) {
                    (None, None) => "this undated text".to_string(),
                    _ => cx.w.describe(),
                },
                coverage_gap(office, cx.w)
            ))
            .label("not in the knowledge data")
            .help(format!(
                "the data cannot tell who held {} {}; if {name} did, {REFRESH}",
                office.display, cx.on
            ))
            .subject(format!("{}|{name}", office.id))
            .around_raw(cx.unit.norm(), a..b)
            .related(None, format!("coverage: {}", office.coverage.source));
        out.push(f.build());
        return;
    }
    unknown_holder(cx, o, (a, b, written), &name, out);
}

/// An unknown name inside the coverage: an error suggesting the closest holder of the office or
/// of a related office.
fn unknown_holder(
    cx: &Ctx,
    o: usize,
    (a, b, written): (usize, usize, &str),
    name: &str,
    out: &mut super::Findings,
) {
    let kb = cx.kb;
    let office = &kb.offices[o];
    let mut related: Vec<usize> = vec![o];
    related.extend(office.related.iter().filter_map(|r| kb.office_index(r)));
    let mut holders: Vec<(f64, &Person, &Term)> = Vec::new();
    for p in &kb.people {
        for t in &p.terms {
            if related.contains(&t.office) && cx.w.overlaps(t.from, t.to) {
                let s = p
                    .names
                    .iter()
                    .map(|n| similarity(name, n))
                    .fold(0.0, f64::max);
                holders.push((s, p, t));
            }
        }
    }
    if !holders.iter().any(|(_, _, t)| t.office == o) {
        return; // nobody known for this office then: nothing to compare with
    }
    holders.sort_by(|x, y| y.0.total_cmp(&x.0));
    // One person may come from two files (the built-in data and an import): name them once.
    let mut seen = std::collections::HashSet::new();
    holders.retain(|(_, p, t)| seen.insert((p.display.as_str(), t.office, t.from)));
    let help = match holders.first() {
        Some((s, p, t)) if *s > 0.0 => format!(
            "did you mean {}{}? ({})",
            kb.offices[t.office].display,
            p.display,
            term_text(p, kb, t)
        ),
        _ => {
            let list: Vec<String> = holders
                .iter()
                .filter(|h| h.2.office == o)
                .take(3)
                .map(|(_, p, t)| term_text(p, kb, t))
                .collect();
            format!("{} the office was held by {}", cx.on, list.join("; "))
        }
    };
    let mut b2 = FindingBuilder::new(&UNKNOWN_HOLDER, cx.doc, a..b)
        .message(format!(
            "“{written}”: {name} is not known to have been {} {}",
            office.display, cx.on
        ))
        .label("unknown office-holder")
        .help(help)
        .subject(format!("{}|{name}", office.id))
        .around_raw(cx.unit.norm(), a..b);
    if let Some((_, _, t)) = holders.first() {
        b2 = b2.related(None, format!("source: {}", t.source));
    }
    out.push(b2.build());
}

/// A holder of office `o` in `w` whose name the text at `at` renders another way (澤倫斯基 for
/// 泽连斯基): the name's length is the holder's syllable count, so a name the transliteration
/// alphabet would cut short (馬克宏: 宏 is rare in transliterations) is taken whole. Returns the
/// end of the name, the person and the term.
fn regional_rendering<'k>(
    kb: &'k Knowledge,
    chars: &[char],
    at: usize,
    o: usize,
    w: Window,
) -> Option<(usize, &'k Person, &'k Term)> {
    let mut best: Option<(f64, usize, &Person, &Term)> = None;
    for p in &kb.people {
        for t in p
            .terms
            .iter()
            .filter(|t| t.office == o && w.overlaps(t.from, t.to))
        {
            for n in &p.names {
                let Some(end) = name_end(chars, at, n) else {
                    continue;
                };
                let written: String = chars[at..end].iter().collect();
                let Some(c) = translit::closeness(&written, n) else {
                    continue;
                };
                if c >= translit::SAME_NAME && best.is_none_or(|b| c > b.0) {
                    best = Some((c, end, p, t));
                }
            }
        }
    }
    best.map(|(_, end, p, t)| (end, p, t))
}

/// Where a name as long as `like` (in syllables) that starts at `at` ends, when it is one: no
/// punctuation or function word inside it, and it does not run on into more transliteration.
fn name_end(chars: &[char], at: usize, like: &str) -> Option<usize> {
    let syllables = like.chars().filter(|c| !is_separator(*c)).count();
    let mut end = at;
    let mut n = 0;
    while n < syllables {
        let c = *chars.get(end)?;
        end += 1;
        if is_separator(c) {
            continue;
        }
        if is_punct(c) || c.is_whitespace() || NAME_STOP.contains(c) {
            return None;
        }
        n += 1;
    }
    let runs_on = chars
        .get(end)
        .is_some_and(|c| TRANSLIT.contains(*c) || is_separator(*c));
    (!runs_on).then_some(end)
}

fn is_separator(c: char) -> bool {
    matches!(c, '·' | '-' | '‧' | '•' | '－' | '・')
}

/// How many office mentions with a known person or an extractable name the rule checks in `doc`
/// (used to show that a clean result covers many mentions).
pub fn checked_mentions(doc: &Document, kb: &Knowledge) -> usize {
    doc.units
        .iter()
        .filter(|u| u.kind.is_content())
        .flat_map(|u| {
            mentions(kb, &u.norm().chars)
                .into_iter()
                .filter(|m| m.person.is_some() || candidate_name(&u.norm().chars, m.to).is_some())
                .map(|m| m.offices.len())
                .collect::<Vec<_>>()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_names() {
        let c: Vec<char> = "马德拉,就近期".chars().collect();
        assert_eq!(
            candidate_name(&c, 0).map(|x| x.1),
            Some("马德拉".to_string())
        );
        let c: Vec<char> = "高级顾问艾尔沃德".chars().collect();
        assert!(candidate_name(&c, 0).is_none());
        let c: Vec<char> = "特使".chars().collect();
        assert!(candidate_name(&c, 0).is_none());
    }

    #[test]
    fn name_similarity_prefers_shared_characters() {
        assert!(similarity("马德拉", "马塔雷拉") > similarity("马德拉", "孔特"));
    }
}
