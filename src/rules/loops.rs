//! Repeated-phrase loops: a phrase repeated back to back (a tandem repeat after normalization),
//! the mark of a copy, OCR or conversion tool that went round in circles.
//!
//! Rhetorical parallelism is not a loop: `越是要…，越是要…` and `强调要…；强调要…` repeat a
//! head word with different content; `抓紧抓实抓细` repeats one character. A loop repeats a whole
//! phrase exactly: at least six characters twice, three characters three times, or two characters
//! four times.

use super::{DocRule, RuleInfo};
use crate::finding::{Category, Finding, FindingBuilder, Severity};
use crate::knowledge::Knowledge;
use crate::model::{Document, UnitKind};
use crate::normalize::is_punct;

pub const REPEATED_PHRASE: RuleInfo = RuleInfo {
    id: "loop/repeated-phrase",
    code: "LP001",
    category: Category::Loop,
    severity: Severity::Error,
    summary: "a phrase repeated back to back (copy or conversion loop)",
    explain: "\
What it does: looks for a phrase that repeats immediately after itself inside one unit, after
normalization (script, punctuation width and spacing do not matter). One finding per loop, spanning
the whole repeated region, naming the repeated phrase and how many times it occurs.

Why: tools that copy, OCR or convert text sometimes loop and write the same phrase again and again.
The repeated copies are not in the source.

Not a loop: rhetorical parallelism (越是要…，越是要…), repeated head words (强调要…；强调要…),
repeated single characters (抓紧抓实抓细, 看看). A loop needs a phrase of at least 6 characters
written twice in a row, 3 characters three times, or 2 characters four times.

Example: 主持召开中央政治局常委会会议,听取疫情防控工作汇报,并主持召开中央政治局常委会会议,听取疫情防控工作汇报,

Silence: `--severity loop/repeated-phrase=off`, or `[rules] \"loop/repeated-phrase\" = \"off\"` in collatio.toml.",
};

pub const REPEATED_PARAGRAPH: RuleInfo = RuleInfo {
    id: "loop/repeated-paragraph",
    code: "LP002",
    category: Category::Loop,
    severity: Severity::Error,
    summary: "a paragraph or event repeated verbatim right after itself",
    explain: "\
What it does: reports a unit (event or paragraph) whose normalized text equals the unit right
before it. A duplicated block is a copying loop at paragraph scale.

Example: the same ◆ event printed twice in a row.

Silence: `--severity loop/repeated-paragraph=off`.",
};

pub struct Loops;

/// A tandem repeat: a phrase of `period` chars starting at `start`, repeated over `len` chars.
/// `count` is how many times the phrase occurs; a last copy that lacks only its joining
/// character or two (`…汇报,并` then `…汇报。`) counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tandem {
    pub start: usize,
    pub period: usize,
    pub count: usize,
    pub len: usize,
}

impl Tandem {
    pub fn end(&self) -> usize {
        self.start + self.len
    }

    fn new(start: usize, period: usize, len: usize) -> Tandem {
        let full = len / period;
        let rem = len % period;
        let count = if rem * 10 >= period * 8 {
            full + 1
        } else {
            full
        };
        let len = if count > full { len } else { full * period };
        Tandem {
            start,
            period,
            count,
            len,
        }
    }
}

const LONG: usize = 6;

const MAX_PERIOD: usize = 4000;
/// 2K slots of 4 bytes (8 KiB): the table is probed at random for every character, so it must
/// stay in L1. Collisions cost little: any 6-gram of the second copy can reveal a loop.
const SLOTS_BITS: u32 = 11;

fn substantive(s: &[char]) -> bool {
    s.iter()
        .filter(|c| !is_punct(**c) && !c.is_ascii_digit() && !c.is_whitespace())
        .count()
        >= 2
}

thread_local! {
    /// Last position of each 6-gram slot, and the position base of the current unit.
    static TABLE: std::cell::RefCell<(Vec<u32>, u32)> = const { std::cell::RefCell::new((Vec::new(), 0)) };
}

/// Smallest period that tiles `s`.
fn primitive_period(s: &[char]) -> usize {
    let n = s.len();
    (1..=n)
        .find(|&p| n % p == 0 && (p..n).all(|i| s[i] == s[i - p]))
        .unwrap_or(n)
}

fn extend(s: &[char], start: usize, p: usize) -> Tandem {
    let mut a = start;
    while a > 0 && s[a - 1] == s[a - 1 + p] {
        a -= 1;
    }
    let mut run = 0;
    while a + run + p < s.len() && s[a + run] == s[a + run + p] {
        run += 1;
    }
    Tandem::new(a, p, p + run)
}

/// Short phrases (2–5 characters): three or more copies (two-character phrases four or more).
/// Such a loop is a run of at least 1.8·p positions where s[k] == s[k + p], so testing every p-th
/// position finds each run; the run is then widened to its maximal extent both ways.
fn short_tandems(s: &[char]) -> Vec<Tandem> {
    let n = s.len();
    let mut out = Vec::new();
    for p in 2..LONG {
        let mut i = 0;
        let mut done = 0; // runs end before here
        while i + p < n {
            if i >= done && s[i] == s[i + p] {
                let mut a = i;
                while a > done && s[a - 1] == s[a - 1 + p] {
                    a -= 1;
                }
                let mut run = i - a;
                while a + run + p < n && s[a + run] == s[a + run + p] {
                    run += 1;
                }
                // Three copies (counting a last one that is 80 % there) need 2.8·p characters:
                // most equal pairs are chance (a comma p apart) and stop here, before any division.
                if (p + run) * 10 >= 28 * p {
                    let t = Tandem::new(a, p, p + run);
                    if t.count >= 3
                        && substantive(&s[a..a + p])
                        && primitive_period(&s[a..a + p]) == p
                    {
                        out.push(t);
                    }
                }
                done = a + run + 1;
            }
            i += p;
        }
    }
    out
}

/// The loop, if any, shown by the 6-gram at `i` having been seen last at `j`. The gram must really
/// recur (slots collide); the run of s[k] == s[k + p] around it, widened both ways, must hold two
/// whole copies. (Not "the p characters from i repeat those from j": with exactly two copies that
/// holds at one i only, and a slot collision there would hide the loop.)
fn long_loop_at(s: &[char], j: usize, i: usize) -> Option<Tandem> {
    let p = i - j;
    if !(LONG..=MAX_PERIOD).contains(&p) || s[j..j + LONG] != s[i..i + LONG] {
        return None;
    }
    let t = extend(s, j, p);
    if t.len < 2 * p {
        return None;
    }
    let pp = primitive_period(&s[t.start..t.start + p]);
    let t = if pp < p { extend(s, t.start, pp) } else { t };
    (t.count >= 2 && t.period >= LONG && substantive(&s[t.start..t.start + t.period])).then_some(t)
}

/// Find loops in a folded character sequence. Near-linear: candidate periods come from repeated
/// 6-grams (for long phrases) and a short scan (for 3–5 character phrases).
pub fn find_tandems(s: &[char]) -> Vec<Tandem> {
    let n = s.len();
    let mut found: Vec<Tandem> = Vec::new();
    if n < 6 {
        return found;
    }
    found.extend(short_tandems(s));
    // Long phrases, two or more copies: a 6-gram seen again p chars later. Last positions live
    // in a direct-mapped table (thread-local, reused across units): a collision only loses a
    // candidate at one position, and every candidate is verified by comparing the slices.
    // The 6-gram at i is kept in a shift register of 10 bits per character (the low bits of a
    // code point; 60 of 64 bits), so moving one character on costs a shift instead of rehashing
    // six characters. Lossy on purpose: like a slot collision, a false candidate is caught by
    // the comparison of the slices.
    const MASK: u64 = (1u64 << (10 * LONG)) - 1;
    let bits = |c: char| c as u64 & 0x3FF;
    let gram_at = |i: usize| s[i..i + LONG].iter().fold(0u64, |r, &c| r << 10 | bits(c));
    let slot_of = |r: u64| (r.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLOTS_BITS)) as usize;
    TABLE.with(|cell| {
        let mut guard = cell.borrow_mut();
        let (table, base) = &mut *guard;
        if table.is_empty() {
            table.resize(1 << SLOTS_BITS, 0);
        }
        // Positions are stored as `base + i + 1`, so entries of earlier units read as absent;
        // when the base would overflow, the table starts afresh.
        if (*base as usize).saturating_add(n + 1) >= u32::MAX as usize {
            table.fill(0);
            *base = 0;
        }
        let b = *base;
        *base += n as u32 + 1;
        let mut covered = 0usize;
        let mut i = 0;
        let mut reg = gram_at(0);
        while i + LONG <= n {
            let slot = slot_of(reg);
            let stored = table[slot];
            if stored > b && i >= covered {
                if let Some(t) = long_loop_at(s, (stored - b - 1) as usize, i) {
                    covered = t.end();
                    found.push(t);
                    i = covered;
                    if i + LONG <= n {
                        reg = gram_at(i);
                    }
                    continue;
                }
            }
            table[slot] = b + i as u32 + 1;
            i += 1;
            if i + LONG <= n {
                reg = (reg << 10 | bits(s[i + LONG - 1])) & MASK;
            }
        }
    });
    // Keep the widest of overlapping findings.
    found.sort_by_key(|t| (t.start, std::cmp::Reverse(t.end())));
    let mut out: Vec<Tandem> = Vec::new();
    for t in found {
        if let Some(prev) = out.last() {
            if t.start < prev.end() {
                continue;
            }
        }
        out.push(t);
    }
    out
}

fn excerpt(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        s.to_string()
    } else {
        let head: String = s.chars().take(max).collect();
        format!("{head}…")
    }
}

impl DocRule for Loops {
    fn infos(&self) -> &'static [RuleInfo] {
        &[REPEATED_PHRASE, REPEATED_PARAGRAPH]
    }

    fn check(&self, doc: &Document, _kb: &Knowledge, out: &mut Vec<Finding>) {
        let mut prev: Option<usize> = None;
        for (ui, u) in doc.units.iter().enumerate() {
            if matches!(u.kind, UnitKind::DateHeading | UnitKind::Heading) {
                prev = None; // a heading in between: the same text under two dates is no loop
            }
            if !u.kind.is_content() {
                continue;
            }
            let chars = &u.norm.chars;
            for t in find_tandems(chars) {
                let Some((a, b)) = u.norm.raw_range(&doc.text, t.start, t.end()) else {
                    continue;
                };
                let Some((ca, cb)) = u.norm.raw_range(&doc.text, t.start, t.start + t.period)
                else {
                    continue;
                };
                let phrase = doc.slice(ca..cb).replace(['\n', '\r'], "");
                let folded: String = chars[t.start..t.start + t.period].iter().collect();
                out.push(
                    FindingBuilder::new(&REPEATED_PHRASE, doc, a..b)
                        .message(format!(
                            "phrase repeated {} times back to back: “{}”",
                            t.count,
                            excerpt(&phrase, 40)
                        ))
                        .label(format!("{} copies of a {}-character phrase", t.count, t.period))
                        .help(format!(
                            "a copying or conversion loop; the source most likely has the phrase once. Keep one “{}” and compare with another witness (`collatio check FILE --against REF`)",
                            excerpt(&phrase, 24)
                        ))
                        .subject(format!("{folded}×{}", t.count))
                        .context(u.norm_text())
                        .build(),
                );
            }
            if let Some(p) = prev {
                let pu = &doc.units[p];
                if pu.kind == u.kind
                    && pu.norm.chars == u.norm.chars
                    && u.norm.len() >= 10
                    && u.kind != UnitKind::Heading
                {
                    let (pl, _) = doc.line_col(pu.span.start);
                    out.push(
                        FindingBuilder::new(&REPEATED_PARAGRAPH, doc, u.span.clone())
                            .message(format!("this {:?} repeats the one on line {pl} word for word", u.kind).to_lowercase())
                            .label("second copy")
                            .related(Some(crate::finding::Location::in_doc(doc, pu.span.clone())), "first copy")
                            .help("a duplicated block is a copying loop; delete one copy unless the source prints it twice")
                            .subject(u.sha_norm())
                            .context(u.norm_text())
                            .build(),
                    );
                }
            }
            prev = Some(ui);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<Tandem> {
        let c: Vec<char> = s.chars().collect();
        find_tandems(&c)
    }

    #[test]
    fn finds_long_loop_with_count() {
        let s = "工作,主持召开会议,听取工作汇报,并主持召开会议,听取工作汇报,并主持召开会议,听取工作汇报。";
        let v = t(s);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].count, 3);
    }

    #[test]
    fn parallelism_is_not_a_loop() {
        assert!(t("越是要保持头脑清醒,越是要慎终如始,越是要再接再厉,善作善成").is_empty());
        assert!(t("该坚持的坚持,该完善的完善,该建立的建立").is_empty());
        assert!(t("强调要提高收治率;强调要提高治愈率;强调要降低感染率").is_empty());
        assert!(t("抓紧抓实抓细常态化疫情防控").is_empty());
        assert!(t("研究研究,看看再说").is_empty());
        assert!(t("——————————").is_empty());
        assert!(t("2020202020202020").is_empty());
    }

    #[test]
    fn short_phrase_three_times() {
        let v = t("我们要防控疫情防控疫情防控疫情啊");
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].count, 3);
    }

    /// The plain scan the strided one replaces: every position, every period.
    fn short_tandems_naive(s: &[char]) -> Vec<Tandem> {
        let n = s.len();
        let mut out = Vec::new();
        for p in 2..LONG {
            let mut i = 0;
            while i + p < n {
                if s[i] == s[i + p] {
                    let mut run = 0;
                    while i + run + p < n && s[i + run] == s[i + run + p] {
                        run += 1;
                    }
                    let t = Tandem::new(i, p, p + run);
                    if t.count >= 3
                        && substantive(&s[i..i + p])
                        && primitive_period(&s[i..i + p]) == p
                    {
                        out.push(t);
                    }
                    i += run.max(1);
                } else {
                    i += 1;
                }
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn strided_scan_finds_what_the_full_scan_finds(text in "[防控疫情ab,]{0,80}") {
            let c: Vec<char> = text.chars().collect();
            proptest::prop_assert_eq!(short_tandems(&c), short_tandems_naive(&c));
        }

        /// A phrase of 6 to 300 characters repeated back to back inside other text is found,
        /// with its period and count, whatever the units checked before it left in the table.
        #[test]
        fn long_loop_found_in_any_text(
            pre in "[a-z甲乙丙丁 ]{0,200}",
            phrase in "[中国发展合作防控疫情世界卫生组织专家考察]{6,300}",
            count in 2usize..5,
            post in "[a-z甲乙丙丁 ]{0,200}",
        ) {
            let ph: Vec<char> = phrase.chars().collect();
            proptest::prop_assume!(primitive_period(&ph) == ph.len());
            let pre: Vec<char> = pre.chars().collect();
            let mut c = pre.clone();
            for _ in 0..count {
                c.extend_from_slice(&ph);
            }
            c.extend(post.chars());
            let found = find_tandems(&c);
            proptest::prop_assert!(
                found.iter().any(|t| t.start == pre.len() && t.period == ph.len() && t.count == count),
                "{:?}",
                found
            );
        }
    }

    #[test]
    fn long_phrase_twice() {
        let v = t("他说中方愿意提供帮助中方愿意提供帮助。");
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!((v[0].period, v[0].count), (8, 2));
    }
}
