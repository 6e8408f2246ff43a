//! Unit alignment: unique equal units first (anchors, as in patience diff), then units paired by
//! similarity inside the gaps between anchors, so the cost stays near linear for long texts.
//!
//! A long gap (a text repeated, so few of its units are unique) is first cut by a diff of the
//! unit ids (Myers; a deadline only on very large gaps): its runs of equal units are pairs, and only the stretches
//! between them are paired by similarity. Units are interned once, and every similarity inside a
//! gap is computed from keys built once per unit, never from a map built per compared pair.

use foldhash::{HashMap, HashMapExt};
use std::borrow::Cow;
use std::time::{Duration, Instant};

/// The unit texts alignment reads, by index: how many, their lengths, a key that equal texts
/// share (a 64-bit hash with the length), and their characters — borrowed, or folded again on
/// demand when a document's folds are released (only the units compared character by
/// character are: those in gaps between equal units, and the edges).
pub trait Texts {
    /// How many units.
    fn count(&self) -> usize;
    /// Characters in unit `i`.
    fn len_of(&self, i: usize) -> usize;
    /// Equality key of unit `i`: equal keys are taken for equal texts.
    fn key(&self, i: usize) -> (u64, usize);
    /// The characters of unit `i`.
    fn text(&self, i: usize) -> Cow<'_, [char]>;
}

impl<T: AsRef<[char]>> Texts for [T] {
    fn count(&self) -> usize {
        self.len()
    }
    fn len_of(&self, i: usize) -> usize {
        self[i].as_ref().len()
    }
    fn key(&self, i: usize) -> (u64, usize) {
        let t = self[i].as_ref();
        (crate::model::fold_hash(t), t.len())
    }
    fn text(&self, i: usize) -> Cow<'_, [char]> {
        Cow::Borrowed(self[i].as_ref())
    }
}

impl<T: AsRef<[char]>> Texts for Vec<T> {
    fn count(&self) -> usize {
        self.len()
    }
    fn len_of(&self, i: usize) -> usize {
        self[i].as_ref().len()
    }
    fn key(&self, i: usize) -> (u64, usize) {
        self.as_slice().key(i)
    }
    fn text(&self, i: usize) -> Cow<'_, [char]> {
        Cow::Borrowed(self[i].as_ref())
    }
}

/// Dice coefficient of character-bigram multisets (1.0 = same bigrams).
pub fn similarity(a: &[char], b: &[char]) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.len() < 2 || b.len() < 2 {
        return 0.0;
    }
    let mut counts: HashMap<(char, char), i32> = HashMap::with_capacity(a.len());
    for w in a.windows(2) {
        *counts.entry((w[0], w[1])).or_default() += 1;
    }
    let mut common = 0;
    for w in b.windows(2) {
        if let Some(c) = counts.get_mut(&(w[0], w[1])) {
            if *c > 0 {
                *c -= 1;
                common += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() - 1 + b.len() - 1) as f64
}

/// The character bigrams of `a`, packed into integers and sorted: a unit's key for
/// [`similarity_of_keys`], built once per unit instead of once per pair compared.
pub fn bigram_key(a: &[char]) -> Vec<u64> {
    let mut k: Vec<u64> = a
        .windows(2)
        .map(|w| (w[0] as u64) << 32 | w[1] as u64)
        .collect();
    k.sort_unstable();
    k
}

/// [`similarity`] of `a` and `b` from their [`bigram_key`]s: the size of the multiset
/// intersection by one merge of two sorted vectors (no hashing, no allocation). Same value.
pub fn similarity_of_keys(a: &[char], b: &[char], ka: &[u64], kb: &[u64]) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.len() < 2 || b.len() < 2 {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < ka.len() && j < kb.len() {
        match ka[i].cmp(&kb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() - 1 + b.len() - 1) as f64
}

/// Minimum similarity for two units to be taken as the same unit, altered.
pub const MIN_SIMILARITY: f64 = 0.4;

/// Longest increasing subsequence of `v` (indices into `v`).
fn lis(v: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; v.len()];
    for i in 0..v.len() {
        let pos = tails.partition_point(|&t| v[t] < v[i]);
        if pos > 0 {
            prev[i] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::new();
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(i);
        cur = prev[i];
    }
    out.reverse();
    out
}

/// Pairs (sorted by the first index) that are out of order: not on the longest increasing run of
/// second indices. These are moves.
pub fn moved(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut p = pairs.to_vec();
    p.sort();
    let seconds: Vec<usize> = p.iter().map(|x| x.1).collect();
    let mut keep = vec![false; p.len()];
    for i in lis(&seconds) {
        keep[i] = true;
    }
    p.iter()
        .enumerate()
        .filter(|(i, _)| !keep[*i])
        .map(|(_, x)| *x)
        .collect()
}

/// Unit texts as ids (equal text, equal id) with each id's count on both sides: the unique
/// units are found, and long gaps diffed, on integers instead of on texts.
struct Interned {
    a: Vec<u32>,
    b: Vec<u32>,
    /// Per id: occurrences in `a` and in `b`, and its first position in `a`.
    count: Vec<[u32; 2]>,
    first_a: Vec<usize>,
}

/// The id of an empty unit (never paired, never counted).
const EMPTY: u32 = u32::MAX;

impl Interned {
    fn new<A: Texts + ?Sized>(a: &A, b: &A) -> Interned {
        let mut ids: HashMap<(u64, usize), u32> = HashMap::with_capacity(a.count() + b.count());
        let mut me = Interned {
            a: Vec::new(),
            b: Vec::new(),
            count: Vec::new(),
            first_a: Vec::new(),
        };
        me.a = me.side(a, 0, &mut ids);
        me.b = me.side(b, 1, &mut ids);
        me
    }

    /// The ids of one side's units (`s`: 0 reference, 1 witness), counted.
    fn side<A: Texts + ?Sized>(
        &mut self,
        units: &A,
        s: usize,
        ids: &mut HashMap<(u64, usize), u32>,
    ) -> Vec<u32> {
        let mut out = Vec::with_capacity(units.count());
        for i in 0..units.count() {
            if units.len_of(i) == 0 {
                out.push(EMPTY);
                continue;
            }
            let id = *ids.entry(units.key(i)).or_insert_with(|| {
                self.count.push([0, 0]);
                self.first_a.push(i); // a's position: the reference side is interned first
                (self.count.len() - 1) as u32
            });
            self.count[id as usize][s] += 1;
            out.push(id);
        }
        out
    }

    /// Pairs of units that occur once on each side, sorted by the reference index.
    fn unique_pairs(&self) -> Vec<(usize, usize)> {
        let mut uniq: Vec<(usize, usize)> = self
            .b
            .iter()
            .enumerate()
            .filter(|&(_, &id)| id != EMPTY && self.count[id as usize] == [1, 1])
            .map(|(j, &id)| (self.first_a[id as usize], j))
            .collect();
        uniq.sort_unstable();
        uniq
    }
}

/// Gaps with more unit pairs than this are cut by a diff of unit ids before any pairing.
const LARGE_GAP: usize = 250_000;

/// Order-preserving pairing of two gaps by similarity (dynamic programming, maximum total score).
/// A gap too large for that is cut by [`by_equal_runs`] first (once: `cut` false below it), and
/// what is still too large is paired greedily.
fn pair_gap<A: Texts + ?Sized>(
    a: &A,
    ai: &[usize],
    b: &A,
    bi: &[usize],
    ids: Option<&Interned>,
    out: &mut Vec<(usize, usize)>,
) {
    let (n, m) = (ai.len(), bi.len());
    if n == 0 || m == 0 {
        return;
    }
    if n.saturating_mul(m) > LARGE_GAP {
        match ids {
            Some(ids) => by_equal_runs(a, ai, b, bi, ids, out),
            // Too large for the quadratic pass: pair greedily through an n-gram index.
            None => greedy(a, ai, b, bi, out),
        }
        return;
    }
    // Keys once per unit: the n·m comparisons below were each a fresh hash map (63 % of the
    // time of a 4 MB pair).
    // Texts once per unit too: a released fold is made again here, not per comparison.
    let ta: Vec<Cow<[char]>> = ai.iter().map(|&x| a.text(x)).collect();
    let tb: Vec<Cow<[char]>> = bi.iter().map(|&y| b.text(y)).collect();
    let ka: Vec<Vec<u64>> = ta.iter().map(|t| bigram_key(t)).collect();
    let kb: Vec<Vec<u64>> = tb.iter().map(|t| bigram_key(t)).collect();
    let sim: Vec<Vec<f64>> = ta
        .iter()
        .zip(&ka)
        .map(|(tx, kx)| {
            tb.iter()
                .zip(&kb)
                .map(|(ty, ky)| similarity_of_keys(tx, ty, kx, ky))
                .collect()
        })
        .collect();
    drop((ta, tb));
    let mut dp = vec![vec![0.0f64; m + 1]; n + 1];
    for i in 1..=n {
        for j in 1..=m {
            let mut best = dp[i - 1][j].max(dp[i][j - 1]);
            let s = sim[i - 1][j - 1];
            if s >= MIN_SIMILARITY {
                best = best.max(dp[i - 1][j - 1] + s);
            }
            dp[i][j] = best;
        }
    }
    let (mut i, mut j) = (n, m);
    let mut got = Vec::new();
    while i > 0 && j > 0 {
        let s = sim[i - 1][j - 1];
        if s >= MIN_SIMILARITY && (dp[i][j] - (dp[i - 1][j - 1] + s)).abs() < 1e-9 {
            got.push((ai[i - 1], bi[j - 1]));
            i -= 1;
            j -= 1;
        } else if (dp[i][j] - dp[i - 1][j]).abs() < 1e-9 {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    got.reverse();
    out.extend(got);
}

/// Upper bound on the diff's work, (n + m) · (least edit distance), beyond which the diff is not
/// tried: texts that share too few units go straight to greedy pairing.
const DIFF_WORK: usize = 200_000_000;

/// A large gap cut by a Myers diff of its unit ids: runs of equal units are pairs (in order); the
/// stretches between them are paired by [`pair_gap`] without a second cut. The diff is bounded
/// by a deadline and by [`DIFF_WORK`]; past them its last stretch is one large gap, paired
/// greedily.
fn by_equal_runs<A: Texts + ?Sized>(
    a: &A,
    ai: &[usize],
    b: &A,
    bi: &[usize],
    ids: &Interned,
    out: &mut Vec<(usize, usize)>,
) {
    let xa: Vec<u32> = ai.iter().map(|&x| ids.a[x]).collect();
    let xb: Vec<u32> = bi.iter().map(|&y| ids.b[y]).collect();
    // Units both sides share (a multiset intersection): the longest common run is no longer,
    // so the edit distance is at least n + m − 2·shared.
    let mut left: HashMap<u32, usize> = HashMap::with_capacity(xa.len());
    for &x in &xa {
        *left.entry(x).or_default() += 1;
    }
    let shared = xb
        .iter()
        .filter(|y| match left.get_mut(y) {
            Some(c) if *c > 0 => {
                *c -= 1;
                true
            }
            _ => false,
        })
        .count();
    let d_min = xa.len() + xb.len() - 2 * shared;
    if d_min.saturating_mul(xa.len() + xb.len()) > DIFF_WORK {
        greedy(a, ai, b, bi, out);
        return;
    }
    let ops = similar::capture_diff_slices_deadline(
        similar::Algorithm::Myers,
        &xa,
        &xb,
        diff_deadline(xa.len() + xb.len(), 300),
    );
    let (mut pa, mut pb) = (Vec::new(), Vec::new());
    for op in ops {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            pair_gap(a, &pa, b, &pb, None, out);
            pa.clear();
            pb.clear();
            out.extend(o.zip(n).map(|(x, y)| (ai[x], bi[y])));
        } else {
            pa.extend(o.map(|x| ai[x]));
            pb.extend(n.map(|y| bi[y]));
        }
    }
    pair_gap(a, &pa, b, &pb, None, out);
}

/// Diffs of up to this many items (both sides) run without a deadline: their worst case,
/// (n + m)², is bounded, and their result never depends on how fast or loaded the machine is
/// (a finding that came and went with the load would break baselines).
pub const EXACT_DIFF_ITEMS: usize = 20_000;

/// The deadline of a diff of `items` items: none up to [`EXACT_DIFF_ITEMS`]; beyond (a
/// pathological input), `ms` milliseconds from now.
pub fn diff_deadline(items: usize, ms: u64) -> Option<Instant> {
    (items > EXACT_DIFF_ITEMS).then(|| Instant::now() + Duration::from_millis(ms))
}

fn greedy<A: Texts + ?Sized>(
    a: &A,
    ai: &[usize],
    b: &A,
    bi: &[usize],
    out: &mut Vec<(usize, usize)>,
) {
    let mut index: HashMap<[char; 3], Vec<usize>> = HashMap::new();
    for (k, &y) in bi.iter().enumerate() {
        for w in b.text(y).windows(3) {
            let e = index.entry([w[0], w[1], w[2]]).or_default();
            if e.last() != Some(&k) && e.len() < 64 {
                e.push(k);
            }
        }
    }
    let mut cands = Vec::new();
    for &x in ai {
        let mut votes: HashMap<usize, usize> = HashMap::new();
        let tx = a.text(x);
        for w in tx.windows(3) {
            if let Some(v) = index.get(&[w[0], w[1], w[2]]) {
                for &k in v {
                    *votes.entry(k).or_default() += 1;
                }
            }
        }
        if let Some((&k, _)) = votes
            .iter()
            .max_by_key(|(k, v)| (**v, std::cmp::Reverse(**k)))
        {
            if similarity(&tx, &b.text(bi[k])) >= MIN_SIMILARITY {
                cands.push((x, bi[k]));
            }
        }
    }
    let seconds: Vec<usize> = cands.iter().map(|c| c.1).collect();
    let keep = lis(&seconds);
    out.extend(keep.into_iter().map(|i| cands[i]));
}

/// Align unit texts `a` (reference) to `b` (witness). Returns pairs `(i, j)`; pairs that cross
/// others are moves (see [`moved`]).
pub fn align<A: Texts + ?Sized>(a: &A, b: &A) -> Vec<(usize, usize)> {
    let ids = Interned::new(a, b);
    // Unique equal units.
    let uniq = ids.unique_pairs();
    let seconds: Vec<usize> = uniq.iter().map(|p| p.1).collect();
    let keep = lis(&seconds);
    let anchors: Vec<(usize, usize)> = keep.iter().map(|&k| uniq[k]).collect();
    let anchor_set: foldhash::HashSet<(usize, usize)> = anchors.iter().copied().collect();
    let moved_equal: Vec<(usize, usize)> = uniq
        .iter()
        .copied()
        .filter(|p| !anchor_set.contains(p))
        .collect();
    let mut used_a = vec![false; a.count()];
    let mut used_b = vec![false; b.count()];
    for &(i, j) in anchors.iter().chain(moved_equal.iter()) {
        used_a[i] = true;
        used_b[j] = true;
    }
    let mut out = anchors.clone();
    out.extend(moved_equal.iter().copied());
    // Gaps between anchors.
    let mut bounds = vec![(None, None)];
    bounds.extend(anchors.iter().map(|&(i, j)| (Some(i), Some(j))));
    for k in 0..bounds.len() {
        let lo = bounds[k];
        let hi = bounds.get(k + 1).copied().unwrap_or((None, None));
        let a_from = lo.0.map_or(0, |x| x + 1);
        let a_to = hi.0.unwrap_or(a.count());
        let b_from = lo.1.map_or(0, |x| x + 1);
        let b_to = hi.1.unwrap_or(b.count());
        let ai: Vec<usize> = (a_from..a_to.max(a_from))
            .filter(|&x| !used_a[x] && a.len_of(x) > 0)
            .collect();
        let bi: Vec<usize> = (b_from..b_to.max(b_from))
            .filter(|&y| !used_b[y] && b.len_of(y) > 0)
            .collect();
        let mut got = Vec::new();
        pair_gap(a, &ai, b, &bi, Some(&ids), &mut got);
        for &(x, y) in &got {
            used_a[x] = true;
            used_b[y] = true;
        }
        out.extend(got);
    }
    // Altered units that also moved: pair what is left, anywhere, when clearly similar.
    let rest_a: Vec<usize> = (0..a.count())
        .filter(|&x| !used_a[x] && a.len_of(x) >= 8)
        .collect();
    let rest_b: Vec<usize> = (0..b.count())
        .filter(|&y| !used_b[y] && b.len_of(y) >= 8)
        .collect();
    if rest_a.len() * rest_b.len() <= 40_000 {
        let mut cands: Vec<(f64, usize, usize)> = Vec::new();
        let tb: Vec<Cow<[char]>> = rest_b.iter().map(|&y| b.text(y)).collect();
        let kb: Vec<Vec<u64>> = tb.iter().map(|t| bigram_key(t)).collect();
        for &x in &rest_a {
            let tx = a.text(x);
            let kx = bigram_key(&tx);
            for ((&y, ty), ky) in rest_b.iter().zip(&tb).zip(&kb) {
                let s = similarity_of_keys(&tx, ty, &kx, ky);
                if s >= 0.6 {
                    cands.push((s, x, y));
                }
            }
        }
        cands.sort_by(|p, q| q.0.total_cmp(&p.0));
        for (_, x, y) in cands {
            if !used_a[x] && !used_b[y] {
                used_a[x] = true;
                used_b[y] = true;
                out.push((x, y));
            }
        }
    }
    out.sort();
    out
}

/// A short description of how `a` became `b`: up to three changed stretches.
pub fn char_diff_summary(a: &[char], b: &[char]) -> String {
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, a, b);
    let mut parts = Vec::new();
    for op in ops {
        let (_, old, new) = op.as_tag_tuple();
        let o: String = a[old].iter().collect();
        let n: String = b[new].iter().collect();
        match op.tag() {
            similar::DiffTag::Equal => {}
            similar::DiffTag::Delete => parts.push(format!("−“{o}”")),
            similar::DiffTag::Insert => parts.push(format!("+“{n}”")),
            similar::DiffTag::Replace => parts.push(format!("“{o}” → “{n}”")),
        }
    }
    let more = parts.len().saturating_sub(3);
    parts.truncate(3);
    let mut s = parts.join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(xs: &[&str]) -> Vec<Vec<char>> {
        xs.iter().map(|s| s.chars().collect()).collect()
    }

    #[test]
    fn anchors_gaps_and_moves() {
        let a = v(&[
            "甲乙丙丁戊己",
            "庚辛壬癸子丑",
            "寅卯辰巳午未",
            "申酉戌亥天地",
        ]);
        let b = v(&[
            "甲乙丙丁戊己",
            "寅卯辰巳午未",
            "庚辛壬癸子丑",
            "申酉戌亥天玄",
        ]);
        let p = align(&a, &b);
        assert_eq!(p, vec![(0, 0), (1, 2), (2, 1), (3, 3)]);
        assert_eq!(moved(&p).len(), 1);
    }

    #[test]
    fn dropped_unit_is_unpaired() {
        let a = v(&["一二三四五六", "七八九十百千", "东南西北中外"]);
        let b = v(&["一二三四五六", "东南西北中外"]);
        assert_eq!(align(&a, &b), vec![(0, 0), (2, 1)]);
    }

    /// A text repeated many times has no unique unit to anchor on: the whole text is one gap,
    /// too large for the quadratic pairing. The diff of unit ids pairs each copy with its own
    /// copy (greedy pairing sent every repeat to the first copy, and kept one pair per unit).
    #[test]
    fn repeated_text_pairs_copy_with_copy() {
        let units: Vec<String> = (0..12)
            .map(|k| format!("第{k}段：国务院联防联控机制召开新闻发布会，介绍疫情防控工作情况"))
            .collect();
        let a: Vec<Vec<char>> = (0..64)
            .flat_map(|_| units.iter().map(|u| u.chars().collect()))
            .collect();
        let mut b = a.clone();
        b[500] = "第八段：国务院联防联控机制召开新闻发布会，介绍疫情防控工作进展"
            .chars()
            .collect();
        b.remove(300);
        assert!(a.len() * b.len() > LARGE_GAP);
        let p = align(&a, &b);
        // Every witness unit paired, in order, with the reference unit it came from.
        assert_eq!(p.len(), b.len());
        assert!(moved(&p).is_empty());
        for &(i, j) in &p {
            assert_eq!(i, if j < 300 { j } else { j + 1 }, "pair ({i}, {j})");
        }
    }

    /// A large gap between texts that share nothing goes to greedy pairing without a diff, and
    /// pairs nothing.
    #[test]
    fn unrelated_large_gap_pairs_nothing() {
        // Unit k written in two disjoint sets of ten characters: no bigram in common.
        let spell = |k: usize, set: &str| -> Vec<char> {
            let d: Vec<char> = set.chars().collect();
            format!("{k:04}")
                .bytes()
                .map(|x| d[(x - b'0') as usize])
                .collect()
        };
        let a: Vec<Vec<char>> = (0..600).map(|k| spell(k, "甲乙丙丁戊己庚辛壬癸")).collect();
        let b: Vec<Vec<char>> = (0..600).map(|k| spell(k, "子丑寅卯辰巳午未申酉")).collect();
        assert!(align(&a, &b).is_empty());
    }

    proptest::proptest! {
        /// The merge of sorted keys gives exactly the hash-map count.
        #[test]
        fn keyed_similarity_equals_similarity(a in "[甲乙丙丁ab]{0,30}", b in "[甲乙丙丁ab]{0,30}") {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let k = similarity_of_keys(&a, &b, &bigram_key(&a), &bigram_key(&b));
            proptest::prop_assert_eq!(k, similarity(&a, &b));
        }
    }

    #[test]
    fn similarity_bounds() {
        let x: Vec<char> = "国际合作".chars().collect();
        assert_eq!(similarity(&x, &x), 1.0);
        let y: Vec<char> = "天地玄黄".chars().collect();
        assert_eq!(similarity(&x, &y), 0.0);
    }
}
