//! The edges of a witness: where its text starts and ends against the reference.
//!
//! A page of a paginated site, an excerpt or a repost covers a stretch of the reference and may
//! be cut anywhere, mid-event included; around it sit a headline, a running title, chrome. So:
//! - a pair at either end that anchors the witness far from the rest of its pairs (a page title
//!   matching the reference's title or dateline) does not stretch the covered span;
//! - the witness's first and last units may be pieces of a reference unit: they are paired with
//!   the unit they are cut from (next to the rest of the alignment, never a distant one) and
//!   compared on the part they have;
//! - short units outside the aligned stretch are the page's furniture, not inserted events.
//!
//! ```text
//! reference:  … [u40 ◆AAAA BBBB CCCC] [u41 ◆DDDD] … [u60 ◆XXXX YYYY]
//! witness:    新华社防疫纪事 | BBBB CCCC | ◆DDDD | … | ◆XXXX Y | 第3页
//!             outside        cut start                cut end   (page mark)
//! ```

use super::align::{moved, similarity, Texts};
use std::collections::HashSet;

/// What [`settle`] decided about a witness's edges.
#[derive(Debug, Clone, Default)]
pub struct Edges {
    /// Witness unit (content index) that starts inside its reference unit.
    pub cut_start: Option<usize>,
    /// Witness unit (content index) that ends inside its reference unit.
    pub cut_end: Option<usize>,
    /// Unpaired witness units outside the aligned stretch, short enough to be page furniture,
    /// in witness order (ordered: the apparatus lists them, and a run must print what the last
    /// one did).
    pub outside: std::collections::BTreeSet<usize>,
}

/// Share of the character bigrams of `piece` that occur in `whole` (1.0: a piece cut from it).
pub fn contained(piece: &[char], whole: &[char]) -> f64 {
    if piece.len() < 2 {
        return if piece.iter().all(|c| whole.contains(c)) {
            1.0
        } else {
            0.0
        };
    }
    let set: foldhash::HashSet<(char, char)> = whole.windows(2).map(|w| (w[0], w[1])).collect();
    let hit = piece
        .windows(2)
        .filter(|w| set.contains(&(w[0], w[1])))
        .count();
    hit as f64 / (piece.len() - 1) as f64
}

/// Whether a unit text is short or reads like a title or a label (no sentence punctuation):
/// outside the aligned stretch such a unit is furniture.
fn furniture(t: &[char]) -> bool {
    t.len() <= 40 || !t.iter().any(|c| matches!(c, '。' | ',' | ';' | '!' | '?'))
}

/// Moves (pairs off the longest in-order run), and the other pairs in witness order.
type Split = (HashSet<(usize, usize)>, Vec<(usize, usize)>);

/// Split `pairs` into moves and the in-order pairs (see [`Split`]).
fn in_order(pairs: &[(usize, usize)]) -> Split {
    let mv: HashSet<(usize, usize)> = moved(pairs).into_iter().collect();
    let mut order: Vec<(usize, usize)> =
        pairs.iter().copied().filter(|p| !mv.contains(p)).collect();
    order.sort_by_key(|p| p.1);
    (mv, order)
}

/// How far the reference may jump between an end pair and the rest before the end pair is taken
/// for an outlier.
const JUMP: usize = 5;

/// Drop outlier pairs at either end of the in-order alignment: a short or inexact pair followed
/// (or preceded) by a jump of at least [`JUMP`] reference units with at most one witness unit in
/// between. A copy that really drops five units in a row keeps its exact pairs, and the last
/// pair standing is never dropped.
fn trim_outliers<A: Texts + ?Sized>(a: &A, b: &A, pairs: &mut Vec<(usize, usize)>) {
    for from_end in [false, true] {
        loop {
            let (_, mut order) = in_order(pairs);
            if order.len() < 2 {
                break;
            }
            if from_end {
                order.reverse();
            }
            let (p, q) = (order[0], order[1]);
            let ref_gap = p.0.abs_diff(q.0).saturating_sub(1);
            let wit_gap = p.1.abs_diff(q.1).saturating_sub(1);
            let weak = b.len_of(p.1) <= 30 || similarity(&a.text(p.0), &b.text(p.1)) < 0.9;
            if ref_gap >= JUMP && wit_gap <= 1 && weak {
                pairs.retain(|r| *r != p);
            } else {
                break;
            }
        }
    }
}

/// A cut edge unit keeps only the start (or the end) of its unit, and several events may start
/// alike (`◆国务院联防联控机制召开新闻发布会，介绍…`): the alignment may pair it with a later look-alike
/// and leave its true partner unpaired in between. Re-pair the witness's last in-order unit with
/// the unpaired reference unit between it and the pair before that holds it best (and the first
/// unit likewise), so what lies beyond the cut is not counted as dropped.
fn repair_edges<A: Texts + ?Sized>(a: &A, b: &A, pairs: &mut Vec<(usize, usize)>) {
    for at_end in [true, false] {
        let (_, order) = in_order(pairs);
        if order.len() < 2 {
            return;
        }
        let (edge, inner) = if at_end {
            (order[order.len() - 1], order[order.len() - 2])
        } else {
            (order[0], order[1])
        };
        let paired: HashSet<usize> = pairs.iter().map(|p| p.0).collect();
        let piece = b.text(edge.1);
        let piece = &*piece;
        let range = if at_end {
            inner.0 + 1..edge.0
        } else {
            edge.0 + 1..inner.0
        };
        let now = contained(piece, &a.text(edge.0));
        let best = range
            .filter(|x| !paired.contains(x))
            .map(|x| (contained(piece, &a.text(x)), x))
            .max_by(|p, q| {
                p.0.total_cmp(&q.0)
                    .then(if at_end { q.1.cmp(&p.1) } else { p.1.cmp(&q.1) })
            });
        if let Some((score, x)) = best {
            if score >= 0.8 && score > now + 0.05 {
                pairs.retain(|p| *p != edge);
                pairs.push((x, edge.1));
                pairs.sort();
            }
        }
    }
}

/// Settle the witness's edges: trim outlier pairs, pair a cut first or last unit with the
/// reference unit it was cut from, and mark the furniture outside the aligned stretch. `pairs`
/// (content indices, reference then witness) is updated in place.
pub fn settle<A: Texts + ?Sized>(a: &A, b: &A, pairs: &mut Vec<(usize, usize)>) -> Edges {
    trim_outliers(a, b, pairs);
    repair_edges(a, b, pairs);
    let mut edges = Edges::default();
    let (mv, order) = in_order(pairs);
    let (Some(&first), Some(&last)) = (order.first(), order.last()) else {
        return edges;
    };
    let paired_a: HashSet<usize> = pairs.iter().map(|p| p.0).collect();
    let paired_b: HashSet<usize> = pairs.iter().map(|p| p.1).collect();
    // The witness unit right before the first pair may be cut from the reference unit right
    // before it; the one right after the last pair, from the unit right after.
    let mut start = first;
    if first.1 > 0 && first.0 > 0 {
        let (x, y) = (first.0 - 1, first.1 - 1);
        if !paired_a.contains(&x) && !paired_b.contains(&y) && piece_of(&b.text(y), &a.text(x)) {
            pairs.push((x, y));
            start = (x, y);
        }
    }
    let mut end = last;
    if last.1 + 1 < b.count() && last.0 + 1 < a.count() {
        let (x, y) = (last.0 + 1, last.1 + 1);
        if !paired_a.contains(&x) && !paired_b.contains(&y) && piece_of(&b.text(y), &a.text(x)) {
            pairs.push((x, y));
            end = (x, y);
        }
    }
    // A unit of a fragment that pairs only with a reference unit outside the stretch the
    // fragment covers is no move: it is text the reference does not have there (an event made
    // from pieces of others looks like the one it borrows from).
    pairs.retain(|&(x, y)| !mv.contains(&(x, y)) || (start.0..=end.0).contains(&x));
    pairs.sort();
    // A witness that starts after the reference's start, or ends before its end, may be cut
    // inside its edge units.
    if start.0 > 0 {
        edges.cut_start = Some(start.1);
    }
    if end.0 + 1 < a.count() {
        edges.cut_end = Some(end.1);
    }
    let paired_b: HashSet<usize> = pairs.iter().map(|p| p.1).collect();
    edges.outside = (0..b.count())
        .filter(|&y| (y < start.1 || y > end.1) && !paired_b.contains(&y))
        .filter(|&y| furniture(&b.text(y)))
        .collect();
    edges
}

/// A piece cut from `whole`: long enough to tell, and nearly all of it found there.
fn piece_of(piece: &[char], whole: &[char]) -> bool {
    piece.len() >= 4 && piece.len() <= whole.len() + 2 && contained(piece, whole) >= 0.8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(xs: &[&str]) -> Vec<Vec<char>> {
        xs.iter().map(|s| s.chars().collect()).collect()
    }

    #[test]
    fn a_title_does_not_anchor_a_page_from_the_middle() {
        let a = v(&[
            "防疫纪事",
            "一甲乙丙丁戊己庚辛壬癸。",
            "二子丑寅卯辰巳午未申酉。",
            "三东南西北中前后左右上。",
            "四金木水火土日月星辰风。",
            "五春夏秋冬寒暑晴雨雪霜。",
            "六山川河海湖泊江溪泉瀑。",
            "七梅兰竹菊松柏桃李杏桂。",
            "八天地玄黄宇宙洪荒日月。",
        ]);
        // A page: its title, then a piece of 六, then 七 and the start of 八.
        let b = v(&[
            "防疫纪事",
            "泊江溪泉瀑。",
            "七梅兰竹菊松柏桃李杏桂。",
            "八天地玄黄",
        ]);
        let mut pairs = vec![(0, 0), (7, 2)];
        let e = settle(&a, &b, &mut pairs);
        assert_eq!(pairs, vec![(6, 1), (7, 2), (8, 3)]);
        assert!(e.outside.contains(&0));
        assert_eq!(e.cut_start, Some(1));
        assert_eq!(e.cut_end, None, "八 is the reference's last unit");
    }

    #[test]
    fn outlier_pairs_at_the_ends_are_dropped() {
        let a: Vec<Vec<char>> = (0..20)
            .map(|i| {
                format!("第{i}段文字内容在这里，各不相同的一段话{i}。")
                    .chars()
                    .collect()
            })
            .collect();
        let mut b = vec!["第0段".chars().collect::<Vec<char>>()];
        b.extend(a[12..16].iter().cloned());
        let mut pairs = vec![(0, 0), (12, 1), (13, 2), (14, 3), (15, 4)];
        let e = settle(&a, &b, &mut pairs);
        assert!(!pairs.contains(&(0, 0)), "{pairs:?}");
        assert!(e.outside.contains(&0));
        assert_eq!(e.cut_start, Some(1));
        assert_eq!(e.cut_end, Some(4));
    }

    #[test]
    fn a_cut_last_unit_pairs_with_its_own_unit_not_a_later_look_alike() {
        let a = v(&[
            "一甲乙丙丁戊己庚辛壬癸。",
            "发布会介绍公共场所交通工具以及不同风险人群的防护。",
            "二子丑寅卯辰巳午未申酉。",
            "发布会介绍公共场所心理服务热线有关情况。",
        ]);
        let b = v(&[
            "一甲乙丙丁戊己庚辛壬癸。",
            "发布会介绍公共场所交通工具以及不",
        ]);
        let mut pairs = vec![(0, 0), (3, 1)];
        let e = settle(&a, &b, &mut pairs);
        assert_eq!(pairs, vec![(0, 0), (1, 1)]);
        assert_eq!(e.cut_end, Some(1));
    }

    #[test]
    fn a_fragment_unit_like_one_outside_its_stretch_is_not_a_move() {
        let a: Vec<Vec<char>> = (0..12)
            .map(|i| {
                format!("第{i}段文字内容在这里，各不相同的一段话{i}。")
                    .chars()
                    .collect()
            })
            .collect();
        let mut b: Vec<Vec<char>> = a[4..8].to_vec();
        b.insert(2, a[10].clone());
        // (10, 2) crosses the in-order pairs: a move from outside the fragment's stretch.
        let mut pairs = vec![(4, 0), (5, 1), (10, 2), (6, 3), (7, 4)];
        settle(&a, &b, &mut pairs);
        assert_eq!(pairs, vec![(4, 0), (5, 1), (6, 3), (7, 4)]);
    }

    #[test]
    fn containment() {
        let w: Vec<char> = "甲乙丙丁戊己庚".chars().collect();
        let p: Vec<char> = "丁戊己庚".chars().collect();
        assert_eq!(contained(&p, &w), 1.0);
        let q: Vec<char> = "子丑寅卯".chars().collect();
        assert_eq!(contained(&q, &w), 0.0);
    }
}
