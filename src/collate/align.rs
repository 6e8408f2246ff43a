//! Unit alignment: unique equal units first (anchors, as in patience diff), then units paired by
//! similarity inside the gaps between anchors, so the cost stays near linear for long texts.

use std::collections::HashMap;

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
    let keep: std::collections::HashSet<usize> = lis(&seconds).into_iter().collect();
    p.iter()
        .enumerate()
        .filter(|(i, _)| !keep.contains(i))
        .map(|(_, x)| *x)
        .collect()
}

/// Order-preserving pairing of two gaps by similarity (dynamic programming, maximum total score).
fn pair_gap<T: AsRef<[char]>>(
    a: &[T],
    ai: &[usize],
    b: &[T],
    bi: &[usize],
    out: &mut Vec<(usize, usize)>,
) {
    let (n, m) = (ai.len(), bi.len());
    if n == 0 || m == 0 {
        return;
    }
    if n * m > 250_000 {
        // Too large for the quadratic pass: pair greedily through an n-gram index.
        greedy(a, ai, b, bi, out);
        return;
    }
    // Keys once per unit: the n·m comparisons below were each a fresh hash map (63 % of the
    // time of a 4 MB pair).
    let ka: Vec<Vec<u64>> = ai.iter().map(|&x| bigram_key(a[x].as_ref())).collect();
    let kb: Vec<Vec<u64>> = bi.iter().map(|&y| bigram_key(b[y].as_ref())).collect();
    let sim: Vec<Vec<f64>> = ai
        .iter()
        .zip(&ka)
        .map(|(&x, kx)| {
            bi.iter()
                .zip(&kb)
                .map(|(&y, ky)| similarity_of_keys(a[x].as_ref(), b[y].as_ref(), kx, ky))
                .collect()
        })
        .collect();
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

fn greedy<T: AsRef<[char]>>(
    a: &[T],
    ai: &[usize],
    b: &[T],
    bi: &[usize],
    out: &mut Vec<(usize, usize)>,
) {
    let mut index: HashMap<[char; 3], Vec<usize>> = HashMap::new();
    for (k, &y) in bi.iter().enumerate() {
        for w in b[y].as_ref().windows(3) {
            let e = index.entry([w[0], w[1], w[2]]).or_default();
            if e.last() != Some(&k) && e.len() < 64 {
                e.push(k);
            }
        }
    }
    let mut cands = Vec::new();
    for &x in ai {
        let mut votes: HashMap<usize, usize> = HashMap::new();
        for w in a[x].as_ref().windows(3) {
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
            if similarity(a[x].as_ref(), b[bi[k]].as_ref()) >= MIN_SIMILARITY {
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
pub fn align<T: AsRef<[char]>>(a: &[T], b: &[T]) -> Vec<(usize, usize)> {
    let mut ca: HashMap<&[char], (usize, usize)> = HashMap::with_capacity(a.len());
    for (i, t) in a.iter().enumerate() {
        let t = t.as_ref();
        if t.is_empty() {
            continue;
        }
        let e = ca.entry(t).or_insert((0, i));
        e.0 += 1;
    }
    let mut cb: HashMap<&[char], (usize, usize)> = HashMap::with_capacity(b.len());
    for (j, t) in b.iter().enumerate() {
        let t = t.as_ref();
        if t.is_empty() {
            continue;
        }
        let e = cb.entry(t).or_insert((0, j));
        e.0 += 1;
    }
    // Unique equal units.
    let mut uniq: Vec<(usize, usize)> = ca
        .iter()
        .filter(|(_, (n, _))| *n == 1)
        .filter_map(|(t, (_, i))| cb.get(t).filter(|(m, _)| *m == 1).map(|(_, j)| (*i, *j)))
        .collect();
    uniq.sort();
    let seconds: Vec<usize> = uniq.iter().map(|p| p.1).collect();
    let keep = lis(&seconds);
    let anchors: Vec<(usize, usize)> = keep.iter().map(|&k| uniq[k]).collect();
    let anchor_set: std::collections::HashSet<(usize, usize)> = anchors.iter().copied().collect();
    let moved_equal: Vec<(usize, usize)> = uniq
        .iter()
        .copied()
        .filter(|p| !anchor_set.contains(p))
        .collect();
    let mut used_a = vec![false; a.len()];
    let mut used_b = vec![false; b.len()];
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
        let a_to = hi.0.unwrap_or(a.len());
        let b_from = lo.1.map_or(0, |x| x + 1);
        let b_to = hi.1.unwrap_or(b.len());
        let ai: Vec<usize> = (a_from..a_to.max(a_from))
            .filter(|&x| !used_a[x] && !a[x].as_ref().is_empty())
            .collect();
        let bi: Vec<usize> = (b_from..b_to.max(b_from))
            .filter(|&y| !used_b[y] && !b[y].as_ref().is_empty())
            .collect();
        let mut got = Vec::new();
        pair_gap(a, &ai, b, &bi, &mut got);
        for &(x, y) in &got {
            used_a[x] = true;
            used_b[y] = true;
        }
        out.extend(got);
    }
    // Altered units that also moved: pair what is left, anywhere, when clearly similar.
    let rest_a: Vec<usize> = (0..a.len())
        .filter(|&x| !used_a[x] && a[x].as_ref().len() >= 8)
        .collect();
    let rest_b: Vec<usize> = (0..b.len())
        .filter(|&y| !used_b[y] && b[y].as_ref().len() >= 8)
        .collect();
    if rest_a.len() * rest_b.len() <= 40_000 {
        let mut cands: Vec<(f64, usize, usize)> = Vec::new();
        for &x in &rest_a {
            for &y in &rest_b {
                let s = similarity(a[x].as_ref(), b[y].as_ref());
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
