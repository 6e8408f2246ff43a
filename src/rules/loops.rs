//! Repeated-phrase loops: a phrase repeated back to back (a tandem repeat after normalization),
//! the mark of a copy, OCR or conversion tool that went round in circles.
//!
//! Rhetorical parallelism is not a loop: `越是要…，越是要…` and `强调要…；强调要…` repeat a
//! head word with different content; `抓紧抓实抓细` repeats one character. A loop repeats a whole
//! phrase exactly: at least six characters twice, three characters three times, or two characters
//! four times.

use super::{DocRule, RuleInfo};
use crate::finding::{Category, FindingBuilder, Severity};
use crate::knowledge::Knowledge;
use crate::model::{Document, UnitKind};
use crate::normalize::is_punct;

/// Rule `loop/repeated-phrase` (LP001): a phrase repeated back to back (copy or conversion loop).
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

Silence: `--severity loop/repeated-phrase=off`.",
};

/// Rule `loop/repeated-paragraph` (LP002): a paragraph or event repeated verbatim right after itself.
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

/// Finds text repeated back to back: a looping phrase, a paragraph copied after itself.
pub struct Loops;

/// A tandem repeat: a phrase of `period` chars starting at `start`, repeated over `len` chars.
/// `count` is how many times the phrase occurs; a last copy that lacks only its joining
/// character or two (`…汇报,并` then `…汇报。`) counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tandem {
    /// Character index where the first copy starts.
    pub start: usize,
    /// Length of the phrase in characters.
    pub period: usize,
    /// How many times the phrase occurs (at least two).
    pub count: usize,
    /// Characters covered by all the copies.
    pub len: usize,
}

impl Tandem {
    /// Character index just past the last copy.
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
/// Work allowed per character (comparisons, steps of a scan). The analysis gives far less (each
/// run of a period is walked once, see [`LongScan`]); the budget is a safety net so that no input,
/// however built, makes the detector superlinear: past it the long-phrase scan stops.
const WORK_PER_CHAR: usize = 64;

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

/// Smallest period that tiles `s`, in linear time (the border of the whole string from the
/// prefix function: `s` is tiled by `n - border` when that divides `n`).
fn primitive_period(s: &[char]) -> usize {
    let n = s.len();
    if n == 0 {
        return 0;
    }
    let mut pi = vec![0usize; n];
    for i in 1..n {
        let mut k = pi[i - 1];
        while k > 0 && s[i] != s[k] {
            k = pi[k - 1];
        }
        if s[i] == s[k] {
            k += 1;
        }
        pi[i] = k;
    }
    let p = n - pi[n - 1];
    if n % p == 0 {
        p
    } else {
        n
    }
}

/// Work done by [`find_tandems_counted`]: character comparisons and scan steps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Steps taken.
    pub steps: usize,
    /// Whether the budget ran out and the long-phrase scan stopped early.
    pub exhausted: bool,
}

/// The maximal run of positions `k` with `s[k] == s[k + p]` that holds `at`, not reaching below
/// `floor`: `(a, b)` with the run `a..b`. Counts its comparisons in `work`.
fn run_around(s: &[char], at: usize, p: usize, floor: usize, work: &mut usize) -> (usize, usize) {
    let mut a = at;
    while a > floor && s[a - 1] == s[a - 1 + p] {
        a -= 1;
    }
    let mut b = at;
    while b + p < s.len() && s[b] == s[b + p] {
        b += 1;
    }
    *work += (at - a) + (b - at) + 2;
    (a, b)
}

/// Short phrases (2–5 characters): three or more copies (two-character phrases four or more).
/// Such a loop is a run of at least 1.8·p positions where s[k] == s[k + p], so testing every p-th
/// position finds each run; the run is then widened to its maximal extent both ways (never below
/// the end of the last run of the same period, so each position is walked once per period).
fn short_tandems(s: &[char], work: &mut usize) -> Vec<Tandem> {
    let n = s.len();
    let mut out = Vec::new();
    for p in 2..LONG {
        let mut i = 0;
        let mut done = 0; // runs end before here
        while i + p < n {
            *work += 1;
            if i >= done && s[i] == s[i + p] {
                let (a, b) = run_around(s, i, p, done, work);
                let run = b - a;
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
                done = b + 1;
            }
            i += p;
        }
    }
    out
}

/// A gram's slot lost to another gram fewer than this many characters later is looked at again
/// (see [`LongScan::recover`]).
const NEAR: usize = 2 * LONG;

/// The scan for long phrases (6 characters and more, two or more copies): a 6-gram seen again
/// p characters later proposes period p; the run of s[k] == s[k + p] around it decides.
///
/// Why it is linear: a run of period p, once walked, is remembered (`seen`), and later
/// proposals inside it are skipped; a new run of the same period is disjoint from the last one,
/// so each period walks each position at most once, and in practice a position is proposed a
/// few periods at most. A found loop moves the scan past the end of its run (never backwards:
/// the old code jumped to the end of the loop rounded down to whole copies, which could be
/// where it stood, and looped for ever), and later runs do not reach back into it. `budget`
/// caps the rest.
struct LongScan<'a> {
    s: &'a [char],
    /// For a period p: the end of the last run of that period walked.
    seen: std::collections::HashMap<usize, usize>,
    /// Loops found end before here; later runs start at or after it.
    covered: usize,
    work: usize,
    budget: usize,
    /// Positions whose gram lost its slot fewer than [`NEAR`] characters later (to a colliding
    /// gram, or to a recurrence too close to be a period): the loop they start may have had no
    /// other chance to be seen.
    lost: Vec<usize>,
}

impl LongScan<'_> {
    /// Look again at the grams that lost their slot (`lost`): a phrase of p characters repeated
    /// twice is seen by the gram scan at only p − 5 places (a 6-character phrase: at one), and
    /// the slot table is lossy, so a gram of the first copy whose slot another took before the
    /// second copy came could hide the loop (作织家防考作 twice was missed). Each lost position is
    /// compared with the [`NEAR`] positions after it, accepted as [`LongScan::at`] accepts a
    /// loop, outside the loops already found. Linear: a position is lost at most once, and a
    /// period's runs are walked once (`walked`).
    fn recover(&mut self, found: &mut Vec<Tandem>) {
        let s = self.s;
        let mut lost = std::mem::take(&mut self.lost);
        lost.sort_unstable();
        lost.dedup();
        let mut cover: Vec<(usize, usize)> = found.iter().map(|t| (t.start, t.end())).collect();
        cover.sort_unstable();
        // reach[k]: the furthest end of the first k loops.
        let mut reach = vec![0usize; cover.len() + 1];
        for (k, &(_, e)) in cover.iter().enumerate() {
            reach[k + 1] = reach[k].max(e);
        }
        let mut walked = [0usize; NEAR + 1];
        let mut new_end = 0;
        let mut recovered = Vec::new();
        for j in lost {
            // Inside a loop found: nothing new starts here. Else the loops found end by `floor`.
            let k = cover.partition_point(|&(a, _)| a <= j);
            let floor = reach[k].max(new_end);
            if j < floor {
                continue;
            }
            self.work += 1;
            for p in LONG..=NEAR {
                if j < walked[p]
                    || j + p + LONG > s.len()
                    || s[j..j + LONG] != s[j + p..j + p + LONG]
                {
                    continue;
                }
                let (a, b) = run_around(s, j, p, floor, &mut self.work);
                walked[p] = b;
                let t = Tandem::new(a, p, p + b - a);
                self.work += 2 * p;
                if t.len >= 2 * p
                    && t.count >= 2
                    && substantive(&s[a..a + p])
                    && primitive_period(&s[a..a + p]) == p
                {
                    new_end = t.end();
                    recovered.push(t);
                    break;
                }
            }
        }
        found.extend(recovered);
    }

    /// The loop shown by the 6-gram at `i` having been seen last at `j`, and where the scan goes
    /// on. The gram must really recur (slots collide and the register is lossy); the run around
    /// it, widened both ways, must hold two whole copies. (Not "the p characters from i repeat
    /// those from j": with exactly two copies that holds at one i only, and a slot collision
    /// there would hide the loop.)
    fn at(&mut self, j: usize, i: usize) -> Option<(Tandem, usize)> {
        let s = self.s;
        let p = i - j;
        self.work += LONG;
        if !(LONG..=MAX_PERIOD).contains(&p) || j < self.covered || s[j..j + LONG] != s[i..i + LONG]
        {
            return None;
        }
        if self.seen.get(&p).is_some_and(|&end| j < end) {
            return None; // inside a run of this period already walked
        }
        let (a, b) = run_around(s, j, p, self.covered, &mut self.work);
        self.seen.insert(p, b);
        let t = Tandem::new(a, p, p + b - a);
        if t.len < 2 * p {
            return None;
        }
        // A phrase that is itself a repeat (abcabc twice) is reported at its own period; the
        // region is periodic with it too, so its run reaches at least as far.
        self.work += 2 * p;
        let pp = primitive_period(&s[a..a + p]);
        let (t, end) = if pp < p {
            let (a2, b2) = run_around(s, a, pp, self.covered, &mut self.work);
            (Tandem::new(a2, pp, pp + b2 - a2), b2 + pp)
        } else {
            (t, b + p)
        };
        self.work += t.period;
        let keep = t.count >= 2 && t.period >= LONG && substantive(&s[t.start..t.start + t.period]);
        // The whole run is explained by the period: go on after it (it ends past i + LONG).
        let next = end.max(t.end()).max(i + 1);
        keep.then_some((t, next))
    }
}

/// Find loops in a folded character sequence. Linear: candidate periods come from repeated
/// 6-grams (for long phrases) and a short scan (for 3–5 character phrases).
pub fn find_tandems(s: &[char]) -> Vec<Tandem> {
    find_tandems_counted(s).0
}

/// [`find_tandems`], with the work it did (tests bound it by a multiple of the length).
pub fn find_tandems_counted(s: &[char]) -> (Vec<Tandem>, Work) {
    let n = s.len();
    let mut found: Vec<Tandem> = Vec::new();
    if n < 6 {
        return (found, Work::default());
    }
    let mut work = 0;
    found.extend(short_tandems(s, &mut work));
    let mut scan = LongScan {
        s,
        seen: std::collections::HashMap::new(),
        lost: Vec::new(),
        covered: 0,
        work,
        budget: WORK_PER_CHAR * n + 8 * MAX_PERIOD,
    };
    long_tandems(&mut scan, &mut found);
    scan.recover(&mut found);
    let work = Work {
        steps: scan.work,
        exhausted: scan.work > scan.budget,
    };
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
    (out, work)
}

/// Long phrases, two or more copies: a 6-gram seen again p chars later. Last positions live in a
/// direct-mapped table (thread-local, reused across units): a collision only loses a candidate
/// at one position, and every candidate is verified by comparing the slices. The 6-gram at i is
/// kept in a shift register of 10 bits per character (the low bits of a code point; 60 of 64
/// bits), so moving one character on costs a shift instead of rehashing six characters. Lossy
/// on purpose: like a slot collision, a false candidate is caught by the comparison of the slices.
fn long_tandems(scan: &mut LongScan, found: &mut Vec<Tandem>) {
    let s = scan.s;
    let n = s.len();
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
        let mut i = 0;
        let mut reg = gram_at(0);
        while i + LONG <= n && scan.work <= scan.budget {
            scan.work += 1;
            let slot = slot_of(reg);
            let stored = table[slot];
            if stored > b {
                if let Some((t, next)) = scan.at((stored - b - 1) as usize, i) {
                    scan.covered = t.end();
                    found.push(t);
                    i = next;
                    if i + LONG <= n {
                        reg = gram_at(i);
                    }
                    continue;
                }
            }
            if stored > b && i - ((stored - b - 1) as usize) < NEAR {
                scan.lost.push((stored - b - 1) as usize);
            }
            table[slot] = b + i as u32 + 1;
            i += 1;
            if i + LONG <= n {
                reg = (reg << 10 | bits(s[i + LONG - 1])) & MASK;
            }
        }
    });
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

    fn check(&self, doc: &Document, _kb: &Knowledge, out: &mut super::Findings) {
        let mut prev: Option<usize> = None;
        for (ui, u) in doc.units.iter().enumerate() {
            if matches!(u.kind, UnitKind::DateHeading | UnitKind::Heading) {
                prev = None; // a heading in between: the same text under two dates is no loop
            }
            if !u.kind.is_content() {
                continue;
            }
            let chars = &u.norm().chars;
            for t in find_tandems(chars) {
                let Some((a, b)) = u.norm().raw_range(&doc.text, t.start, t.end()) else {
                    continue;
                };
                let Some((ca, cb)) = u.norm().raw_range(&doc.text, t.start, t.start + t.period)
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
                        .around(u.norm(), t.start..t.end())
                        .build(),
                );
            }
            if let Some(p) = prev {
                let pu = &doc.units[p];
                if pu.kind == u.kind
                    && pu.norm().chars == u.norm().chars
                    && u.norm().len() >= 10
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
                            .around(u.norm(), 0..u.norm().len())
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
            proptest::prop_assert_eq!(short_tandems(&c, &mut 0), short_tandems_naive(&c));
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

    /// Two copies of a six-character phrase one of whose grams shares a slot with another gram
    /// of it (作织家防考作: the grams at 0 and 3 do), which the 6-gram scan alone missed
    /// (a proptest case of `long_loop_found_in_any_text`).
    #[test]
    fn short_long_phrase_twice_is_found_despite_a_slot_collision() {
        let ph: Vec<char> = "作织家防考作".chars().collect();
        for (pre, post) in [("", ""), ("甲乙", "ab")] {
            let mut c: Vec<char> = pre.chars().collect();
            c.extend_from_slice(&ph);
            c.extend_from_slice(&ph);
            c.extend(post.chars());
            let found = find_tandems(&c);
            let at = pre.chars().count();
            assert!(
                found
                    .iter()
                    .any(|t| (t.start, t.period, t.count) == (at, 6, 2)),
                "{found:?}"
            );
        }
    }

    /// The clause repeated with a variation that hung the old scan (it jumped to the end of the
    /// loop rounded down to whole copies, which was where it stood).
    #[test]
    fn clause_repeated_with_variation_terminates() {
        let s = ",听取疫情防控工作汇报,听取疫情防控工作汇报,并主持召开中央政治局常委会会议,听取疫情防控工作汇报,并主持召开中央政治局常委会会议,听取疫情防";
        let c: Vec<char> = s.chars().collect();
        let (v, work) = find_tandems_counted(&c);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!((v[0].start, v[0].period, v[0].count), (0, 11, 2));
        assert!(
            !work.exhausted && work.steps <= STEPS_PER_CHAR * c.len(),
            "{work:?}"
        );
    }

    /// Steps per character the adversarial families below stay within (the budget is larger:
    /// reaching it would mean the analysis in [`LongScan`] is wrong).
    const STEPS_PER_CHAR: usize = 24;

    const ALPHA: [char; 8] = ['防', '控', '疫', '情', '工', '作', '汇', '报'];

    fn fibonacci(n: usize) -> Vec<char> {
        let (mut a, mut b) = (vec!['甲'], vec!['甲', '乙']);
        while b.len() < n {
            let next = [b.as_slice(), a.as_slice()].concat();
            a = std::mem::replace(&mut b, next);
        }
        b.truncate(n);
        b
    }

    fn thue_morse(n: usize, x: char, y: char) -> Vec<char> {
        (0..n)
            .map(|i: usize| if i.count_ones() % 2 == 0 { x } else { y })
            .collect()
    }

    /// A phrase, its square, the square of that … (nested tandems), cut to `n`.
    fn nested(n: usize, seed: &[char]) -> Vec<char> {
        let mut v = seed.to_vec();
        let mut k = 0;
        while v.len() < n {
            let copy = v.clone();
            v.push(ALPHA[k % ALPHA.len()]);
            v.extend(copy);
            k += 1;
        }
        v.truncate(n);
        v
    }

    /// A clause of `p` characters written again and again, each copy with one character changed
    /// at a moving place: every copy proposes period p and fails just short of two copies.
    fn varied_clause(n: usize, p: usize) -> Vec<char> {
        let clause: Vec<char> = (0..p).map(|i| ALPHA[(i * 7 + i / 8) % 8]).collect();
        let mut v = Vec::with_capacity(n + p);
        let mut k = 0;
        while v.len() < n {
            let mut c = clause.clone();
            c[(k * 13) % p] = '变';
            v.extend(c);
            k += 1;
        }
        v.truncate(n);
        v
    }

    fn assert_linear(name: &str, c: &[char]) {
        let (_, work) = find_tandems_counted(c);
        assert!(
            !work.exhausted && work.steps <= STEPS_PER_CHAR * c.len() + 8 * MAX_PERIOD,
            "{name}: {} chars, {work:?}",
            c.len()
        );
    }

    #[test]
    fn adversarial_repeats_take_linear_steps() {
        for n in [1_000, 20_000, 200_000] {
            assert_linear("fibonacci", &fibonacci(n));
            assert_linear("thue-morse", &thue_morse(n, '甲', '乙'));
            assert_linear("one char", &vec!['啊'; n]);
            assert_linear("nested", &nested(n, &['防', '控', '疫', '情', '工', '作']));
            for p in [6, 7, 40, 999, 3999, 4001] {
                assert_linear(&format!("varied clause {p}"), &varied_clause(n, p));
            }
        }
    }

    proptest::proptest! {
        /// Random text over a small alphabet, spliced with repeats of its own pieces, in any
        /// mix: the scan stays within its step bound and never runs out of budget.
        #[test]
        fn random_repeats_take_linear_steps(
            base in proptest::collection::vec(0usize..8, 1..400),
            splices in proptest::collection::vec((0usize..400, 1usize..300, 1usize..6), 0..8),
        ) {
            let mut c: Vec<char> = base.iter().map(|&k| ALPHA[k]).collect();
            for (at, len, times) in splices {
                let at = at % c.len();
                let end = (at + len).min(c.len());
                let piece: Vec<char> = c[at..end].to_vec();
                let tail = c.split_off(end);
                for _ in 0..times {
                    c.extend_from_slice(&piece);
                }
                c.extend(tail);
            }
            let (_, work) = find_tandems_counted(&c);
            proptest::prop_assert!(!work.exhausted && work.steps <= STEPS_PER_CHAR * c.len() + 8 * MAX_PERIOD, "{} chars {:?}", c.len(), work);
        }
    }

    #[test]
    fn long_phrase_twice() {
        let v = t("他说中方愿意提供帮助中方愿意提供帮助。");
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!((v[0].period, v[0].count), (8, 2));
    }
}
