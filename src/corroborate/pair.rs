//! Pairing event records across two texts: by date window and shared content, tolerant of
//! paraphrase (overlap of character bigrams, measured on the shorter record, so a summary
//! sentence pairs with the fuller account), never across different named documents or places.
//!
//! Candidates come from an inverted index of the second text's bigrams, restricted to the date
//! window; bigrams shared by too many records (`新增`, `中国`) are not indexed. Each record keeps
//! its few best candidates, so the cost is near linear in the texts' length.

use super::events::Fact;
use std::collections::HashMap;

/// Days either side of a record's date where its partner may lie.
pub const WINDOW: i32 = 7;
/// Least overlap (shared bigrams / the shorter record's) for two records to be paired.
pub const PAIR_MIN: f64 = 0.5;
/// Records sharing a bigram beyond this many are not indexed under it: it says nothing.
const POSTING_CAP: usize = 64;
/// Candidates kept per record.
const KEEP: usize = 8;
/// Least shared indexed bigrams for a candidate.
const MIN_SHARED: u32 = 4;

/// Two records taken for the same event.
#[derive(Debug, Clone, Copy)]
pub struct Link {
    /// Index of the record in the first text.
    pub a: usize,
    /// Index of the record in the second text.
    pub b: usize,
    /// Shared bigrams over the shorter record's.
    pub overlap: f64,
    /// Whether some other record of the second text on another day is nearly as close (a
    /// recurring kind of event, such as a weekly meeting): then a different date is no conflict.
    pub ambiguous: bool,
}

/// Shared bigrams of two sorted lists.
pub fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Overlap of two records: shared bigrams over the shorter record's.
pub fn overlap(a: &Fact, b: &Fact) -> f64 {
    let m = a.grams.len().min(b.grams.len());
    if m == 0 {
        return 0.0;
    }
    shared(&a.grams, &b.grams) as f64 / m as f64
}

/// How close two records are: their overlap, and a tenth more for each count they share
/// (`连续7日` in both tells one milestone from a like one with `10日`).
pub fn affinity(a: &Fact, b: &Fact, overlap: f64) -> f64 {
    let same = a
        .counts
        .iter()
        .filter(|x| {
            b.counts
                .iter()
                .any(|y| y.value == x.value && y.what.chars().next() == x.what.chars().next())
        })
        .count();
    overlap + 0.1 * same.min(3) as f64
}

/// Whether two records may describe one event: no different named document, no place named by
/// one that the other does not mention while it names another.
pub fn compatible(a: &Fact, b: &Fact, a_text: &str, b_text: &str) -> bool {
    if !a.titles.is_empty() && !b.titles.is_empty() {
        let strip = |t: &str| -> String {
            t.chars()
                .filter(|c| super::events::numeral_at(&[*c], 0).is_none())
                .collect()
        };
        let same = a
            .titles
            .iter()
            .any(|x| b.titles.iter().any(|y| strip(x) == strip(y)));
        if !same {
            return false;
        }
    }
    let a_only = a.places.iter().any(|p| !b_text.contains(p.as_str()));
    let b_only = b.places.iter().any(|p| !a_text.contains(p.as_str()));
    !(a_only && b_only)
}

/// Candidate partners in `fb` for each record of `fa`: (a, b, overlap), overlap ≥ [`PAIR_MIN`].
fn candidates(
    fa: &[Fact],
    fb: &[Fact],
    compat: &dyn Fn(usize, usize) -> bool,
) -> Vec<(usize, usize, f64)> {
    let mut index: HashMap<u64, Vec<u32>> = HashMap::new();
    for (j, f) in fb.iter().enumerate() {
        for &g in &f.grams {
            let p = index.entry(g).or_default();
            if p.len() <= POSTING_CAP {
                p.push(j as u32);
            }
        }
    }
    let mut out = Vec::new();
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for (i, f) in fa.iter().enumerate() {
        counts.clear();
        for g in &f.grams {
            if let Some(p) = index.get(g).filter(|p| p.len() <= POSTING_CAP) {
                for &j in p {
                    if f.when.distance(fb[j as usize].when) <= WINDOW {
                        *counts.entry(j).or_default() += 1;
                    }
                }
            }
        }
        let mut best: Vec<(u32, u32)> = counts
            .iter()
            .filter(|(_, &n)| n >= MIN_SHARED)
            .map(|(&j, &n)| (n, j))
            .collect();
        best.sort_unstable_by(|x, y| y.cmp(x));
        for &(_, j) in best.iter().take(KEEP) {
            let j = j as usize;
            let o = overlap(f, &fb[j]);
            if o >= PAIR_MIN && compat(i, j) {
                out.push((i, j, o));
            }
        }
    }
    out
}

/// Pair the records of two texts one to one, best first (a same-day partner is preferred).
/// `a_text(i)` / `b_text(j)` give a record's folded sentence (for the place check).
pub fn pair(
    fa: &[Fact],
    fb: &[Fact],
    a_text: &dyn Fn(usize) -> String,
    b_text: &dyn Fn(usize) -> String,
) -> Vec<Link> {
    let compat = |i: usize, j: usize| compatible(&fa[i], &fb[j], &a_text(i), &b_text(j));
    let mut cand = candidates(fa, fb, &compat);
    let score = |&(i, j, o): &(usize, usize, f64)| {
        affinity(&fa[i], &fb[j], o)
            + if fa[i].when.agrees(fb[j].when) {
                0.15
            } else {
                0.0
            }
    };
    cand.sort_by(|x, y| {
        score(y)
            .total_cmp(&score(x))
            .then((x.0, x.1).cmp(&(y.0, y.1)))
    });
    let mut used_a = vec![false; fa.len()];
    let mut used_b = vec![false; fb.len()];
    let mut links = Vec::new();
    for &(i, j, o) in &cand {
        if used_a[i] || used_b[j] {
            continue;
        }
        used_a[i] = true;
        used_b[j] = true;
        links.push(Link {
            a: i,
            b: j,
            overlap: o,
            ambiguous: false,
        });
    }
    mark_ambiguous(fa, fb, &cand, &mut links);
    links.sort_by_key(|l| (l.a, l.b));
    links
}

/// A link is ambiguous when either record has another candidate nearly as close on another
/// day than its partner's: the event recurs, so a different date is no evidence of a conflict.
fn mark_ambiguous(fa: &[Fact], fb: &[Fact], cand: &[(usize, usize, f64)], links: &mut [Link]) {
    let mut by_a: HashMap<usize, Vec<(usize, f64)>> = HashMap::new();
    let mut by_b: HashMap<usize, Vec<(usize, f64)>> = HashMap::new();
    for &(i, j, o) in cand {
        by_a.entry(i).or_default().push((j, o));
        by_b.entry(j).or_default().push((i, o));
    }
    for l in links.iter_mut() {
        let own = affinity(&fa[l.a], &fb[l.b], l.overlap);
        let near = |i: usize, j: usize, o: f64| affinity(&fa[i], &fb[j], o) >= own - 0.05;
        let rival_b = by_a
            .get(&l.a)
            .into_iter()
            .flatten()
            .any(|&(j, o)| j != l.b && near(l.a, j, o) && !fb[j].when.agrees(fb[l.b].when));
        let rival_a = by_b
            .get(&l.b)
            .into_iter()
            .flatten()
            .any(|&(i, o)| i != l.a && near(i, l.b, o) && !fa[i].when.agrees(fa[l.a].when));
        l.ambiguous = rival_a || rival_b;
    }
}
