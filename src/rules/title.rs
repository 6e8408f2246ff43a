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
use crate::finding::{Category, Finding, FindingBuilder, Severity};
use crate::knowledge::{Knowledge, Person};
use crate::model::{Document, Unit};
use crate::normalize::is_punct;

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

Example: 中国国家主席习近平应约同联合国副秘书长古特雷斯通电话 → 古特雷斯 was 联合国秘书长.

Silence: `--severity title/mismatch=off`; teach it a person with a rules folder (README, \"Rule data\").",
};

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
this way, since the data may not list them all.

Silence: `--severity title/unknown-holder=off`, or add the person to a rules folder.",
};

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
const NOT_NAMES: &[&str] = &[
    "高级",
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

fn mentions(kb: &Knowledge, chars: &[char]) -> Vec<Mention> {
    let (Some(oac), Some(pac)) = (&kb.office_matcher, &kb.person_matcher) else {
        return Vec::new();
    };
    // Character ranges of the offices named (most paragraphs name none).
    let offs: Vec<(usize, usize, usize)> = oac
        .find_iter_chars(chars)
        .iter()
        .map(|m| (m.start, m.end, kb.office_of_pattern[m.pattern]))
        .collect();
    let person_at = |at: usize| -> Option<(usize, usize)> {
        // Anchored: a name must start right where the office ends.
        let m = pac.find_at_chars(chars, at)?;
        // A short known name (孔特, 马林) at the head of a longer foreign name is not that person.
        let next = chars.get(m.end).copied();
        let bytes: usize = chars[at..m.end].iter().map(|c| c.len_utf8()).sum();
        if bytes <= 6 && next.is_some_and(|c| TRANSLIT.contains(c) || c == '·' || c == '-') {
            return None;
        }
        Some((kb.person_of_pattern[m.pattern], m.end))
    };
    let mut out = Vec::new();
    if offs.is_empty() {
        return out;
    }
    let mut i = 0;
    while i < offs.len() {
        let (s, mut e, o) = offs[i];
        let boundary = s == 0 || {
            let c = chars[s - 1];
            let open = is_punct(c) || c.is_whitespace() || (c as u32) < 0x3400;
            // Compared in place: this runs for every office named in the archive.
            let bare = || {
                let name = &chars[s..offs[i].1];
                BARE.iter().any(|b| b.chars().eq(name.iter().copied()))
            };
            !MODIFIERS.contains(c) && (open || BOUNDARY.contains(c) || !bare())
        };
        let mut chain = vec![o];
        let mut j = i + 1;
        while j < offs.len()
            && (offs[j].0 == e || (offs[j].0 == e + 1 && "、兼".contains(chars[e])))
        {
            chain.push(offs[j].2);
            e = offs[j].1;
            j += 1;
        }
        if boundary {
            let (person, name_end) = match person_at(e) {
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
    // Name before title: 习近平总书记, 李克强总理. A name of 2 to 8 characters must end right
    // where the office starts.
    for &(os, oe, o) in &offs {
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
    out
}

/// A name-like run after an office: a transliterated foreign name, or a Chinese name.
fn candidate_name(chars: &[char], at: usize) -> Option<(usize, String)> {
    let rest = &chars[at..];
    let first = *rest.first()?;
    let head: String = rest.iter().take(4).collect();
    if NOT_NAMES.iter().any(|w| head.starts_with(w)) {
        return None;
    }
    if TRANSLIT.contains(first) {
        let n = rest
            .iter()
            .take(8)
            .take_while(|c| TRANSLIT.contains(**c) || **c == '·' || **c == '-')
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

impl DocRule for Titles {
    fn infos(&self) -> &'static [RuleInfo] {
        &[MISMATCH, UNKNOWN_HOLDER, WRONG_BODY]
    }

    fn check(&self, doc: &Document, kb: &Knowledge, out: &mut Vec<Finding>) {
        if kb.office_matcher.is_none() {
            return;
        }
        let units: Vec<&Unit> = doc.units.iter().filter(|u| u.kind.is_content()).collect();
        let all: Vec<Vec<Mention>> = units.iter().map(|u| mentions(kb, &u.norm.chars)).collect();
        let mut era_cache: Option<Window> = None;
        for (u, ms) in units.iter().zip(all.iter()) {
            let u = *u;
            let chars = &u.norm.chars;
            if ms.is_empty() {
                continue;
            }
            // The unit's own month when it has one; else the era the whole text implies.
            let (w, on) = match u.date.month_key() {
                Some(m) => (Window::point(m), format!("on {}", u.date)),
                None => {
                    let e = *era_cache.get_or_insert_with(|| era(&all, kb));
                    (e, format!("in this text's era ({})", e.describe()))
                }
            };
            for m in ms {
                let span_end = match m.person {
                    Some(_) => m.name_end,
                    None => candidate_name(chars, m.to).map_or(m.to, |(e, _)| e),
                };
                let Some((a, b)) = u.norm.raw_range(&doc.text, m.from, span_end) else {
                    continue;
                };
                // Borrowed: most mentions are right and build no finding.
                let written = doc.slice(a..b);
                match m.person {
                    Some(pi) => {
                        let p = &kb.people[pi];
                        for &o in &m.offices {
                            if kb.namesakes[pi].iter().any(|&q| holds(&kb.people[q], o, w)) {
                                continue;
                            }
                            let office = &kb.offices[o];
                            let held: Vec<&crate::knowledge::Term> = p
                                .terms
                                .iter()
                                .filter(|t| w.overlaps(t.from, t.to))
                                .collect();
                            let same_kind = held.iter().find(|t| {
                                let other = &kb.offices[t.office];
                                other.title == office.title && other.body != office.body
                            });
                            let held_text = if held.is_empty() {
                                let all: Vec<String> = p
                                    .terms
                                    .iter()
                                    .take(4)
                                    .map(|t| term_text(p, kb, t))
                                    .collect();
                                format!(
                                    "{} held no office in the rules data {on}; known terms: {}",
                                    p.display,
                                    all.join("; ")
                                )
                            } else {
                                let list: Vec<String> =
                                    held.iter().take(3).map(|t| term_text(p, kb, t)).collect();
                                format!("{on} {} was {}", p.display, list.join("; "))
                            };
                            let sources: Vec<String> =
                                held.iter().take(2).map(|t| t.source.clone()).collect();
                            let b2 = if let Some(t) = same_kind {
                                FindingBuilder::new(&WRONG_BODY, doc, a..b)
                                    .message(format!(
                                        "“{written}”: {} was {} of {}, not of {}",
                                        p.display,
                                        kb.offices[t.office].display,
                                        kb.offices[t.office].body,
                                        office.body
                                    ))
                                    .label(format!("{} is {}", office.display, office.body))
                                    .help(format!(
                                        "{held_text}; check the country or organisation named here"
                                    ))
                            } else {
                                FindingBuilder::new(&MISMATCH, doc, a..b)
                                    .message(format!(
                                        "“{written}”: {} did not hold the office {} {on}",
                                        p.display, office.display
                                    ))
                                    .label(format!("not {}", office.display))
                                    .help(held_text)
                            };
                            let mut b2 = b2
                                .subject(format!("{}|{}", office.id, p.id))
                                .around_raw(&u.norm, a..b);
                            for s in sources {
                                b2 = b2.related(None, format!("source: {s}"));
                            }
                            out.push(b2.build());
                        }
                    }
                    None => {
                        let Some(&o) = m.offices.last() else {
                            continue;
                        };
                        let office = &kb.offices[o];
                        if office.plural {
                            continue;
                        }
                        let Some((_, name)) = candidate_name(chars, m.to) else {
                            continue;
                        };
                        // Holders of this office and of related offices in the window.
                        let mut related: Vec<usize> = vec![o];
                        related.extend(office.related.iter().filter_map(|r| kb.office_index(r)));
                        let mut holders: Vec<(f64, &Person, &crate::knowledge::Term)> = Vec::new();
                        for p in &kb.people {
                            for t in &p.terms {
                                if related.contains(&t.office) && w.overlaps(t.from, t.to) {
                                    let s = p
                                        .names
                                        .iter()
                                        .map(|n| similarity(&name, n))
                                        .fold(0.0, f64::max);
                                    holders.push((s, p, t));
                                }
                            }
                        }
                        let own_known = holders.iter().any(|(_, _, t)| t.office == o);
                        if !own_known {
                            continue; // nobody known for this office then: nothing to compare with
                        }
                        holders.sort_by(|x, y| y.0.total_cmp(&x.0));
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
                                format!("{on} the office was held by {}", list.join("; "))
                            }
                        };
                        let mut b2 = FindingBuilder::new(&UNKNOWN_HOLDER, doc, a..b)
                            .message(format!(
                                "“{written}”: {name} is not known to have been {} {on}",
                                office.display
                            ))
                            .label("unknown office-holder")
                            .help(help)
                            .subject(format!("{}|{name}", office.id))
                            .around_raw(&u.norm, a..b);
                        if let Some((_, _, t)) = holders.first() {
                            b2 = b2.related(None, format!("source: {}", t.source));
                        }
                        out.push(b2.build());
                    }
                }
            }
        }
    }
}

/// How many office mentions with a known person or an extractable name the rule checks in `doc`
/// (used to show that a clean result covers many mentions).
pub fn checked_mentions(doc: &Document, kb: &Knowledge) -> usize {
    doc.units
        .iter()
        .filter(|u| u.kind.is_content())
        .flat_map(|u| {
            mentions(kb, &u.norm.chars)
                .into_iter()
                .filter(|m| m.person.is_some() || candidate_name(&u.norm.chars, m.to).is_some())
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
