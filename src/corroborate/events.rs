//! Event records: each sentence of an event or paragraph with the date it happened on, the
//! people, offices, places, titles and counted numbers it names, and the content it is paired
//! by — all read from the folded text (so both scripts compare), with raw spans for reports.
//!
//! Dates come from where texts put them: the date heading in force, an inline date opening an
//! event (`（37）2月14日，…`), a relative date opening a clause (`通报，20日，…`, `至19日，…`,
//! `3月11日至17日，…`, `当天`). A date found in a sentence holds for the rest of its unit, so
//! `18日，内地报告…。湖北以外省份…` dates both sentences to the 18th.

use crate::dates::{chinese_digit, Digits};
use crate::knowledge::Knowledge;
use crate::model::{Document, UnitKind};
use std::ops::Range;

/// A day as `(month, day)` with an optional year: what corroboration compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    /// The year when the text gives or carries one.
    pub year: Option<i32>,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
}

impl Day {
    /// An ordinal for date windows (years are ignored: one side often has none).
    pub fn ordinal(self) -> i32 {
        const DAYS_BEFORE: [i32; 12] = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];
        DAYS_BEFORE[(self.month.clamp(1, 12) - 1) as usize] + self.day as i32
    }

    /// `2月19日` (the way the texts write it).
    pub fn text(self) -> String {
        format!("{}月{}日", self.month, self.day)
    }
}

/// When an event happened: one day or a range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    /// The first (or only) day.
    pub start: Day,
    /// The last day of a range (`3月11日至17日`).
    pub end: Option<Day>,
}

impl When {
    /// `2月19日` or `3月11日至3月17日`.
    pub fn text(self) -> String {
        match self.end {
            Some(e) => format!("{}至{}", self.start.text(), e.text()),
            None => self.start.text(),
        }
    }

    fn last(self) -> Day {
        self.end.unwrap_or(self.start)
    }

    /// Whether two datings can describe the same occurrence: equal days, or overlapping ranges.
    pub fn agrees(self, other: When) -> bool {
        if self.end.is_none() && other.end.is_none() {
            return self.start.ordinal() == other.start.ordinal();
        }
        self.start.ordinal() <= other.last().ordinal()
            && other.start.ordinal() <= self.last().ordinal()
    }

    /// Days between the two (0 when they overlap).
    pub fn distance(self, other: When) -> i32 {
        if self.agrees(other) {
            return 0;
        }
        let a = self.start.ordinal() - other.last().ordinal();
        let b = other.start.ordinal() - self.last().ordinal();
        a.max(b).abs()
    }
}

/// Where a fact's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    /// The date heading in force (or the unit's own inline date, as segmentation read it).
    Unit,
    /// A date written in this sentence (inline or relative).
    Written,
    /// A date written earlier in the same unit.
    Carried,
}

/// A number and what it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// The value as written, in ASCII digits (Chinese numerals converted).
    pub value: String,
    /// What it counts: the measure word and up to two characters after it (`个省份`, `例`,
    /// `版`), with `万`/`亿` kept in front.
    pub what: String,
    /// Folded character range in the unit's text (the numeral and its measure word).
    pub at: Range<usize>,
}

/// One event record: a sentence and the facts it states.
#[derive(Debug, Clone)]
pub struct Fact {
    /// The unit (event or paragraph) it comes from.
    pub unit: usize,
    /// Folded character range of the sentence in the unit's text.
    pub chars: Range<usize>,
    /// Raw byte span of the sentence.
    pub span: Range<usize>,
    /// When it happened.
    pub when: When,
    /// Where the date came from.
    pub source: DateSource,
    /// Every date the sentence writes (a period's start too): a partner dated to one of them
    /// is no date conflict.
    pub mentioned: Vec<When>,
    /// Raw byte span of the date as written (the heading for a date from the unit).
    pub date_span: Range<usize>,
    /// People named (indices into the knowledge data's people).
    pub people: Vec<usize>,
    /// Offices named (indices into the knowledge data's offices).
    pub offices: Vec<usize>,
    /// Places and scopes named (`湖北`, `武汉`, `全国`).
    pub places: Vec<String>,
    /// Titles in 《》, folded.
    pub titles: Vec<String>,
    /// Numbers with what they count (dates excluded).
    pub counts: Vec<Count>,
    /// Sorted, distinct character bigrams of the content (digits as `#`, dates left out).
    pub grams: Vec<u64>,
    /// The sentence's raw text after its date: the event's key phrase.
    pub phrase: String,
}

/// Characters that end a sentence in folded text.
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | ';' | '!' | '?')
}

/// Characters after which a clause starts (a date there dates the clause).
fn opens_clause(c: char) -> bool {
    matches!(c, ',' | ':' | '(' | '。' | ';')
}

/// Value of an ASCII digit or a Chinese one; only the plain Chinese digits: counts and clause
/// dates have never read the stand-ins (○, Ｏ, 兩) that [`crate::dates`] accepts.
fn digit(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return Some(c as u32 - '0' as u32);
    }
    chinese_digit(c, Digits::Plain)
}

fn is_numeral(c: char) -> bool {
    digit(c).is_some() || matches!(c, '十' | '百' | '千')
}

/// The numeral at `i` (ASCII digits, or Chinese numerals up to 千): its value and length.
/// Bounded to 12 characters, so a run of digits costs nothing.
pub(crate) fn numeral_at(s: &[char], i: usize) -> Option<(u64, usize)> {
    let first = *s.get(i)?;
    if first.is_ascii_digit() {
        let n = s[i..]
            .iter()
            .take(12)
            .take_while(|c| c.is_ascii_digit())
            .count();
        let v = s[i..i + n]
            .iter()
            .fold(0u64, |v, c| v * 10 + (*c as u64 - '0' as u64));
        return Some((v, n));
    }
    let n = s[i..]
        .iter()
        .take(8)
        .take_while(|c| is_numeral(**c))
        .count();
    if n == 0 {
        return None;
    }
    chinese_value(&s[i..i + n]).map(|v| (v, n))
}

/// Value of a Chinese numeral: positional (`二〇二〇`) or with 十/百/千.
fn chinese_value(s: &[char]) -> Option<u64> {
    if !s.iter().any(|c| matches!(c, '十' | '百' | '千')) {
        return s
            .iter()
            .try_fold(0u64, |v, c| Some(v * 10 + digit(*c)? as u64));
    }
    let (mut total, mut cur) = (0u64, None::<u64>);
    for &c in s {
        let mult = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => {
                cur = Some(digit(c)? as u64);
                continue;
            }
        };
        total += cur.take().unwrap_or(1) * mult;
    }
    Some(total + cur.unwrap_or(0))
}

/// A date written at `i`: `[N月]N日` with an optional range `至[N月]N日`. Returns (month or
/// None, day, optional end (month or None, day), length in characters).
type Written = (Option<u32>, u32, Option<(Option<u32>, u32)>, usize);

fn month_day_at(s: &[char], i: usize) -> Option<(Option<u32>, u32, usize)> {
    let (a, n) = numeral_at(s, i)?;
    match s.get(i + n) {
        Some('月') => {
            let (d, m) = numeral_at(s, i + n + 1)?;
            let unit = s.get(i + n + 1 + m)?;
            let ok = matches!(unit, '日' | '号') && (1..=12).contains(&a) && (1..=31).contains(&d);
            ok.then_some((Some(a as u32), d as u32, n + 1 + m + 1))
        }
        Some('日' | '号') if (1..=31).contains(&a) => Some((None, a as u32, n + 1)),
        _ => None,
    }
}

fn written_date_at(s: &[char], i: usize) -> Option<Written> {
    // A year in front (`2020年3月1日`) is read past: years are not compared.
    let year = match numeral_at(s, i) {
        Some((y, n)) if (1900..=2200).contains(&y) && s.get(i + n) == Some(&'年') => n + 1,
        _ => 0,
    };
    let (m, d, n) = month_day_at(s, i + year)?;
    if year > 0 && m.is_none() {
        return None;
    }
    let mut len = year + n;
    let mut end = None;
    if let Some('至' | '到' | '-') = s.get(i + len) {
        if let Some((m2, d2, n2)) = month_day_at(s, i + len + 1) {
            end = Some((m2, d2));
            len += 1 + n2;
        }
    }
    // A duration, not a date: `7日内`, `10日来`, `3日以来`.
    if let Some('内' | '来' | '以' | '之' | '后' | '前') = s.get(i + len) {
        m?;
    }
    Some((m, d, end, len))
}

/// Prefixes that may stand between a clause start and its date.
const DATE_PREFIXES: [&str; 8] = ["截至", "截止", "至", "到", "于", "自", "从", "在"];

/// A date opening the clause at `i` (after any prefix): its start, and the written date.
fn clause_date(s: &[char], i: usize) -> Option<(usize, Written)> {
    let mut at = i;
    for p in DATE_PREFIXES {
        let pc: Vec<char> = p.chars().collect();
        if s.get(at..at + pc.len()) == Some(&pc[..]) {
            at += pc.len();
            break;
        }
    }
    written_date_at(s, at).map(|w| (i, w))
}

/// Words that date a clause to the day in force.
const SAME_DAY: [&str; 4] = ["当天", "当日", "同日", "同天"];

fn starts_with(s: &[char], i: usize, w: &str) -> bool {
    (i..).zip(w.chars()).all(|(k, c)| s.get(k) == Some(&c))
}

/// A date resolved against the day in force: missing month from it; a day far after it
/// belongs to the month before (`20日` under a `3月2日` heading is not 3月20日 in a report).
fn resolve(base: Day, month: Option<u32>, day: u32) -> Day {
    match month {
        Some(m) => Day {
            year: base.year,
            month: m,
            day,
        },
        None if day > base.day + 7 && base.month > 1 => Day {
            year: base.year,
            month: base.month - 1,
            day,
        },
        None => Day {
            year: base.year,
            month: base.month,
            day,
        },
    }
}

/// Every event record of `doc`: one per sentence of its events and paragraphs that has a day.
pub fn extract(doc: &Document, kb: &Knowledge) -> Vec<Fact> {
    let mut out = Vec::new();
    for (ui, u) in doc.units.iter().enumerate() {
        if !matches!(u.kind, UnitKind::Event | UnitKind::Paragraph) || u.norm().is_empty() {
            continue;
        }
        let (Some(month), Some(day)) = (u.date().month, u.date().day) else {
            continue;
        };
        let base = Day {
            year: u.date().year,
            month,
            day,
        };
        let date_span = u
            .heading_index()
            .map_or(u.body()..u.body(), |h| doc.units[h].span.clone());
        unit_facts(doc, kb, ui, base, date_span, &mut out);
    }
    out
}

/// State carried from sentence to sentence in a unit: the date last written.
struct Carry {
    when: When,
    source: DateSource,
    span: Range<usize>,
}

fn unit_facts(
    doc: &Document,
    kb: &Knowledge,
    ui: usize,
    base: Day,
    heading_span: Range<usize>,
    out: &mut Vec<Fact>,
) {
    let u = &doc.units[ui];
    let s = &u.norm().chars;
    let mut carry = Carry {
        when: When {
            start: base,
            end: None,
        },
        source: DateSource::Unit,
        span: heading_span,
    };
    let mut start = 0;
    while start < s.len() {
        let end = s[start..]
            .iter()
            .position(|&c| ends_sentence(c))
            .map_or(s.len(), |k| start + k + 1);
        if let Some(f) = sentence_fact(doc, kb, ui, base, start..end, &mut carry) {
            out.push(f);
        }
        start = end;
    }
}

/// A date written at a clause start.
struct Dated {
    /// Folded character range (with its prefix: `至19日`).
    at: Range<usize>,
    when: When,
    /// The start of a period (`自3月10日起`, `2月27日以来`), not the day of the event.
    since: bool,
}

/// Words before a date that make it the start of a period.
const SINCE_BEFORE: [char; 2] = ['自', '从'];
/// Words after a date that make it the start of a period.
const SINCE_AFTER: [&str; 3] = ["起", "开始", "以来"];

/// The dates written at clause starts of a sentence. `base` resolves a date without a month;
/// `today` is the day in force (what `当天` means).
fn dates_in(s: &[char], r: Range<usize>, base: Day, today: When) -> Vec<Dated> {
    let mut found = Vec::new();
    let mut i = r.start;
    while i < r.end {
        let at_clause = i == r.start || opens_clause(s[i - 1]);
        if at_clause {
            if let Some((from, (m, d, end, len))) = clause_date(s, i) {
                let prefix = {
                    let mut k = from;
                    while k < r.end && !s[k].is_ascii_digit() && !is_numeral(s[k]) {
                        k += 1;
                    }
                    k - from
                };
                let stop = (from + prefix + len).min(r.end);
                let start = resolve(base, m, d);
                let end = end.map(|(m2, d2)| resolve(start, m2.or(Some(start.month)), d2));
                let since = SINCE_BEFORE.contains(&s[from])
                    || SINCE_AFTER.iter().any(|w| starts_with(s, stop, w));
                // `（至4月1日）` after an event: it lasted from the day in force to that day.
                let until = from > 0 && s[from - 1] == '(' && matches!(s[from], '至' | '到');
                let when = if until && end.is_none() && start.ordinal() > today.start.ordinal() {
                    When {
                        start: today.start,
                        end: Some(start),
                    }
                } else {
                    When { start, end }
                };
                found.push(Dated {
                    at: from..stop,
                    when,
                    since,
                });
                i = stop;
                continue;
            }
            if let Some(w) = SAME_DAY.iter().find(|w| starts_with(s, i, w)) {
                let n = w.chars().count();
                found.push(Dated {
                    at: i..i + n,
                    when: today,
                    since: false,
                });
                i += n;
                continue;
            }
        }
        i += 1;
    }
    found
}

fn sentence_fact(
    doc: &Document,
    kb: &Knowledge,
    ui: usize,
    base: Day,
    r: Range<usize>,
    carry: &mut Carry,
) -> Option<Fact> {
    let u = &doc.units[ui];
    let s = &u.norm().chars;
    let dates = dates_in(s, r.clone(), base, carry.when);
    // The first date written in a sentence (not the start of a period) dates it and what
    // follows in the unit.
    let (when, source, date_span) = match dates.iter().find(|d| !d.since) {
        Some(d) => {
            let span = u.norm().raw_range(&doc.text, d.at.start, d.at.end)?;
            carry.when = d.when;
            carry.source = DateSource::Carried;
            carry.span = span.0..span.1;
            (d.when, DateSource::Written, span.0..span.1)
        }
        None => (carry.when, carry.source, carry.span.clone()),
    };
    let masked: Vec<Range<usize>> = dates.iter().map(|d| d.at.clone()).collect();
    let content = content_chars(s, r.clone(), &masked);
    if content.len() < 4 {
        return None;
    }
    let span = u.norm().raw_range(&doc.text, r.start, r.end)?;
    let phrase_from = masked.first().map_or(r.start, |d| d.end);
    let skip = s[phrase_from.min(r.end)..r.end]
        .iter()
        .take_while(|c| crate::normalize::is_punct(**c) || **c == ',')
        .count();
    let phrase = u
        .norm()
        .raw_range(&doc.text, (phrase_from + skip).min(r.end), r.end)
        .map_or(String::new(), |(a, b)| doc.slice(a..b).replace('\n', ""));
    Some(Fact {
        mentioned: dates.iter().map(|d| d.when).collect(),
        unit: ui,
        chars: r.clone(),
        span: span.0..span.1,
        when,
        source,
        date_span,
        people: people(kb, &s[r.clone()]),
        offices: offices(kb, &s[r.clone()]),
        places: places(&s[r.clone()]),
        titles: titles(&s[r.clone()]),
        counts: counts(s, r, &masked),
        grams: grams(&content),
        phrase,
    })
}

/// The sentence's characters that carry content: no punctuation, no dates, digits as `#`.
fn content_chars(s: &[char], r: Range<usize>, masked: &[Range<usize>]) -> Vec<char> {
    (r.start..r.end)
        .filter(|i| !masked.iter().any(|m| m.contains(i)))
        .map(|i| s[i])
        .filter(|c| !crate::normalize::is_punct(*c) && *c != ',' && !c.is_whitespace())
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// Sorted distinct bigrams.
fn grams(content: &[char]) -> Vec<u64> {
    let mut g: Vec<u64> = content
        .windows(2)
        .map(|w| (w[0] as u64) << 32 | w[1] as u64)
        .collect();
    g.sort_unstable();
    g.dedup();
    g
}

fn people(kb: &Knowledge, s: &[char]) -> Vec<usize> {
    let Some(m) = &kb.person_matcher else {
        return Vec::new();
    };
    let mut v: Vec<usize> = m
        .find_iter_chars(s)
        .iter()
        .map(|h| kb.person_of_pattern[h.pattern])
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn offices(kb: &Knowledge, s: &[char]) -> Vec<usize> {
    let Some(m) = &kb.office_matcher else {
        return Vec::new();
    };
    let mut v: Vec<usize> = m
        .find_iter_chars(s)
        .iter()
        .map(|h| kb.office_of_pattern[h.pattern])
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Scopes that place an event as a name does.
const SCOPES: [&str; 4] = ["全国", "内地", "全球", "全省"];

/// Places named before 省/市/县 (`湖北省` → 湖北), and scope words. Shape, not a gazetteer:
/// `省份`, `市场`, `上市`, `城市` and the like are left out.
fn places(s: &[char]) -> Vec<String> {
    let mut v = Vec::new();
    for (i, &c) in s.iter().enumerate() {
        if !matches!(c, '省' | '市' | '县') || i < 2 {
            continue;
        }
        if matches!(s.get(i + 1), Some('份' | '场' | '级' | '民' | '内' | '外')) {
            continue;
        }
        let name = &s[i - 2..i];
        let bad = name.iter().any(|c| {
            !('\u{4E00}'..='\u{9FFF}').contains(c)
                || "以外各等全本该上城超省市县和与及的在个地".contains(*c)
        });
        if !bad {
            v.push(name.iter().collect());
        }
    }
    for w in SCOPES {
        let wc: Vec<char> = w.chars().collect();
        if s.windows(2).any(|x| x == &wc[..]) {
            v.push(w.to_string());
        }
    }
    v.sort();
    v.dedup();
    v
}

/// Titles in 《》 (folded), at most 60 characters each.
fn titles(s: &[char]) -> Vec<String> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i] == '《' {
            if let Some(k) = s[i + 1..].iter().take(60).position(|&c| c == '》') {
                v.push(s[i + 1..i + 1 + k].iter().collect());
                i += k + 2;
                continue;
            }
        }
        i += 1;
    }
    v
}

/// Measure words a count ends with (what follows names what it counts).
const MEASURES: &str = "个名例人次家支批架件吨天日年周项条种版届轮所座台套箱剂份省国%";

/// Numbers with what they count, outside the dates (`19个省份` → 19, `个省份`).
fn counts(s: &[char], r: Range<usize>, masked: &[Range<usize>]) -> Vec<Count> {
    let mut v = Vec::new();
    let mut i = r.start;
    while i < r.end {
        if masked.iter().any(|m| m.contains(&i)) || i > r.start && is_numeral(s[i - 1]) {
            i += 1;
            continue;
        }
        let Some((val, n)) = numeral_at(s, i) else {
            i += 1;
            continue;
        };
        // A lone 一/十 inside a word (一道, 十分) is not a count: Chinese numerals need a measure.
        let mut k = i + n;
        let mut what = String::new();
        if let Some(&m @ ('万' | '亿')) = s.get(k) {
            what.push(m);
            k += 1;
        }
        let measure = s.get(k).copied().filter(|c| MEASURES.contains(*c));
        let ascii = s[i].is_ascii_digit();
        if k <= r.end && (measure.is_some() || ascii && !what.is_empty()) {
            if let Some(m) = measure {
                what.push(m);
                k += 1;
                what.extend(
                    s[k..r.end.min(k + 2)]
                        .iter()
                        .take_while(|c| ('\u{4E00}'..='\u{9FFF}').contains(*c)),
                );
            }
            v.push(Count {
                value: val.to_string(),
                what,
                at: i..k,
            });
        }
        i += n.max(1);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One checker for every test (the rule data takes a while to build).
    fn checker() -> &'static crate::engine::Checker {
        static C: std::sync::OnceLock<crate::engine::Checker> = std::sync::OnceLock::new();
        C.get_or_init(|| crate::engine::Checker::new(Knowledge::embedded()))
    }

    fn facts(text: &str) -> Vec<Fact> {
        let c = checker();
        extract(&c.document_from_text("t", text), &c.kb)
    }

    #[test]
    fn relative_dates_date_their_clause_and_what_follows() {
        let f = facts("2020年\n\n2月21日\n\n◆发布会通报，20日，武汉市新增治愈病例首次大于新增确诊病例。湖北以外省份连续7日无新增病例。\n\n◆国家卫生健康委发布通知。\n");
        let days: Vec<String> = f.iter().map(|f| f.when.text()).collect();
        assert_eq!(days, ["2月20日", "2月20日", "2月21日"]);
        assert_eq!(f[0].source, DateSource::Written);
        assert_eq!(f[1].source, DateSource::Carried);
        // `7日` after 连续 is a count, not a date.
        assert!(f[1]
            .counts
            .iter()
            .any(|c| c.value == "7" && c.what.starts_with('日')));
    }

    #[test]
    fn inline_ranges_and_by_dates() {
        let f = facts("（3）3月18日，全国首次实现零报告。至19日，湖北省以外省份连续7日无新增。\n\n（4）3月11日至17日，专家组考察了5个城市。\n");
        assert_eq!(f[0].when.text(), "3月18日");
        assert_eq!(f[1].when.text(), "3月19日");
        assert_eq!(f[2].when.text(), "3月11日至3月17日");
        assert!(f[1].places.contains(&"湖北".to_string()));
        assert!(f[0].places.contains(&"全国".to_string()));
        assert_eq!(f[2].counts[0].value, "5");
    }

    #[test]
    fn a_closing_until_makes_a_range() {
        let f = facts("3月29日\n\n◆习近平前往浙江调研（至4月1日）。\n");
        assert_eq!(f[0].when.text(), "3月29日至4月1日");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any text: no panic, every record's spans inside the text and on its own unit, every
        /// day a real day, and corroborating it against itself finds no conflict.
        #[test]
        fn records_are_sound_on_any_text(
            lines in proptest::collection::vec("[0-9一二十月日号至到，。；《》省市县个名例连续当天◆（）\n 武汉湖北新增病例]{0,24}", 1..12)
        ) {
            let text = format!("2020年\n\n3月5日\n\n{}", lines.join("\n\n"));
            let checker = checker();
            let doc = checker.document_from_text("t", &text);
            for f in extract(&doc, &checker.kb) {
                proptest::prop_assert!(f.span.end <= text.len() && f.span.start <= f.span.end);
                proptest::prop_assert!(f.date_span.end <= text.len());
                for d in [Some(f.when.start), f.when.end].into_iter().flatten() {
                    proptest::prop_assert!((1..=12).contains(&d.month) && (1..=31).contains(&d.day));
                }
            }
            let c = super::super::corroborate(&doc, &doc, &checker.kb, super::super::Options::default());
            proptest::prop_assert!(c.findings.is_empty(), "{:#?}", c.findings);
        }
    }

    #[test]
    fn numerals() {
        let s: Vec<char> = "第十二次".chars().collect();
        assert_eq!(numeral_at(&s, 1), Some((12, 2)));
        let s: Vec<char> = "二〇二〇年".chars().collect();
        assert_eq!(numeral_at(&s, 0), Some((2020, 4)));
        let s: Vec<char> = "一百零五".chars().collect();
        assert_eq!(numeral_at(&s, 0), Some((105, 4)));
    }

    #[test]
    fn numerals_take_only_the_plain_digits() {
        let at = |t: &str| numeral_at(&t.chars().collect::<Vec<_>>(), 0);
        // The stand-ins that dates accept (○, Ｏ, 兩) end a numeral here.
        assert_eq!(at("二○二○年"), Some((2, 1)));
        assert_eq!(at("二ＯＯ八年"), Some((2, 1)));
        assert_eq!(at("○"), None);
        assert_eq!(at("兩千"), None);
        assert_eq!(at("两千人"), Some((2000, 2)));
        assert_eq!(at("零"), Some((0, 1)));
        assert_eq!(at("〇"), Some((0, 1)));
        // Full-width digits are not read as numbers here either.
        assert_eq!(at("１２"), None);
        assert_eq!(at("12人"), Some((12, 2)));
    }
}
