//! What the views of a collation share (the text apparatus, the HTML report, the TEI export):
//! the rows of one witness against the reference in reading order, a character alignment inside
//! a unit pair that covers every character (cut edges included), and the readings of several
//! witnesses at one place of the reference.

use crate::collate::{Collation, Pair, Variant};
use crate::model::{Document, UnitKind};
use std::collections::HashMap;

/// One row of a witness set beside the reference, in reference order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A date heading of the reference (a section row), with the witness's heading of the same
    /// text when it has one.
    Section {
        /// Reference unit.
        r: usize,
        /// Witness unit.
        w: Option<usize>,
    },
    /// An aligned unit pair (index into [`Collation::pairs`]).
    Pair(usize),
    /// A reference unit the witness lacks.
    Dropped(usize),
    /// A witness unit the reference lacks.
    Inserted(usize),
}

/// The rows of `col` (the collation of `wit` against `reference`) over the stretch the witness
/// covers, in reference order: inserted units stand after the pair that precedes them in the
/// witness. Linear in the number of units (plus a sort).
pub fn rows(reference: &Document, wit: &Document, col: &Collation) -> Vec<Row> {
    let Some((first, last)) = covered_units(col) else {
        return col.inserted.iter().map(|&u| Row::Inserted(u)).collect();
    };
    // The section heading of the first covered unit starts the view.
    let from = reference.units[first]
        .heading_index()
        .unwrap_or(first)
        .min(first);
    let wit_heads: HashMap<String, usize> = wit
        .units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.kind == UnitKind::DateHeading)
        .map(|(i, _)| (wit.fold(i).text(), i))
        .collect();
    // (reference byte, order inside the place, row)
    let mut keyed: Vec<(usize, usize, Row)> = Vec::new();
    for (i, u) in reference.units.iter().enumerate().take(last + 1).skip(from) {
        if u.kind == UnitKind::DateHeading {
            let w = wit_heads.get(&reference.fold(i).text()).copied();
            keyed.push((u.span.start, 0, Row::Section { r: i, w }));
        }
    }
    for (k, p) in col.pairs.iter().enumerate() {
        keyed.push((reference.units[p.r].span.start, 0, Row::Pair(k)));
    }
    for &r in &col.dropped {
        keyed.push((reference.units[r].span.start, 0, Row::Dropped(r)));
    }
    // The pair before each inserted unit in witness order places it.
    let mut by_w: Vec<(usize, usize)> = col
        .pairs
        .iter()
        .filter(|p| !p.moved)
        .map(|p| (p.w, reference.units[p.r].span.start))
        .collect();
    by_w.sort_unstable();
    for &u in &col.inserted {
        let at = by_w.partition_point(|&(w, _)| w < u);
        let key = if at == 0 {
            reference.units[from].span.start
        } else {
            by_w[at - 1].1
        };
        keyed.push((key, 1 + u, Row::Inserted(u)));
    }
    keyed.sort_by_key(|&(k, o, _)| (k, o));
    keyed.into_iter().map(|(_, _, r)| r).collect()
}

/// First and last reference units aligned in order (the stretch the witness covers).
fn covered_units(col: &Collation) -> Option<(usize, usize)> {
    let mut it = col.pairs.iter().filter(|p| !p.moved).map(|p| p.r);
    let first = it.next()?;
    let last = it.next_back().unwrap_or(first);
    Some((first.min(last), first.max(last)))
}

/// A changed stretch of a character alignment: reference chars `rf..rt`, witness chars `wf..wt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hunk {
    /// Reference start.
    pub rf: usize,
    /// Reference end (exclusive).
    pub rt: usize,
    /// Witness start.
    pub wf: usize,
    /// Witness end (exclusive).
    pub wt: usize,
}

/// Every changed stretch between `a` and `b` (a Myers diff with a deadline, so a pathological
/// pair costs at most a few seconds and still covers every character).
pub fn hunks(a: &[char], b: &[char]) -> Vec<Hunk> {
    let deadline = crate::collate::align::diff_deadline(a.len() + b.len(), 2000);
    let ops = similar::capture_diff_slices_deadline(similar::Algorithm::Myers, a, b, deadline);
    let mut out: Vec<Hunk> = Vec::new();
    for op in ops {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        match out.last_mut() {
            Some(h) if h.rt == o.start && h.wt == n.start => {
                h.rt = o.end;
                h.wt = n.end;
            }
            _ => out.push(Hunk {
                rf: o.start,
                rt: o.end,
                wf: n.start,
                wt: n.end,
            }),
        }
    }
    out
}

/// The places of the reference where any witness differs: the hunks of all witnesses merged
/// where they overlap or touch, as reference char ranges, in order.
pub fn places(per_witness: &[&[Hunk]]) -> Vec<(usize, usize)> {
    let mut all: Vec<(usize, usize)> = per_witness
        .iter()
        .flat_map(|hs| hs.iter().map(|h| (h.rf, h.rt)))
        .collect();
    all.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (f, t) in all {
        match out.last_mut() {
            Some(last) if f <= last.1 => last.1 = last.1.max(t),
            _ => out.push((f, t)),
        }
    }
    out
}

/// The witness char range that reads the reference's `a..b`, for a place from [`places`] (no
/// hunk of the witness crosses its edges).
pub fn reading(hs: &[Hunk], a: usize, b: usize) -> (usize, usize) {
    let mut before = 0isize;
    let mut through = 0isize;
    for h in hs {
        let d = (h.wt - h.wf) as isize - (h.rt - h.rf) as isize;
        if h.rt < a {
            before += d;
        }
        if h.rf <= b {
            through += d;
        }
    }
    let at = |p: usize, d: isize| (p as isize + d).max(0) as usize;
    (at(a, before), at(b, through).max(at(a, before)))
}

/// The variant of `pair` over reference chars `a..b` (the most serious one there), if any.
pub fn variant_at(pair: &Pair, a: usize, b: usize) -> Option<&Variant> {
    pair.variants
        .iter()
        .filter(|v| {
            let (f, t) = v.ref_chars;
            (f < b && a < t) || (f == t && a <= f && f <= b) || (a == b && f <= a && a <= t)
        })
        .max_by_key(|v| (!v.kind.ignored(), v.kind as u8))
}

/// The raw text of `doc[range]` on one line (line breaks inside a unit removed).
pub fn flat(doc: &Document, r: std::ops::Range<usize>) -> String {
    doc.text_at(r).replace(['\n', '\r'], "")
}

/// Up to `n` characters of the unit's raw text either side of `span` (line breaks removed):
/// the context a reader needs to find a variant.
pub fn context(doc: &Document, unit: usize, span: (usize, usize), n: usize) -> (String, String) {
    let u = &doc.units[unit];
    let from = u.body().clamp(u.span.start, u.span.end);
    let s = span.0.clamp(from, u.span.end);
    let e = span.1.clamp(s, u.span.end);
    let left = flat(doc, from..s);
    let right = flat(doc, e..u.span.end);
    let lc = left.chars().count();
    let left: String = left.chars().skip(lc.saturating_sub(n)).collect();
    let right: String = right.chars().take(n).collect();
    (left, right)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn readings_rebuild_each_witness_at_merged_places() {
        let a = chars("加强国际合作共同应对");
        let b = chars("加强疫情国际合作应对");
        let c = chars("加强国实合作共同应对挑战");
        let hb = hunks(&a, &b);
        let hc = hunks(&a, &c);
        let ps = places(&[&hb, &hc]);
        for (hs, w) in [(&hb, &b), (&hc, &c)] {
            // Equal stretches between places plus each place's reading give the witness back.
            let mut out = String::new();
            let mut at = 0;
            for &(f, t) in &ps {
                out.extend(&a[at..f]);
                let (x, y) = reading(hs, f, t);
                out.extend(&w[x..y]);
                at = t;
            }
            out.extend(&a[at..]);
            assert_eq!(out, w.iter().collect::<String>());
        }
    }

    #[test]
    fn a_cut_start_is_a_hunk_too() {
        let a = chars("前文被截去后面的文字相同");
        let b = chars("后面的文字相同");
        let h = hunks(&a, &b);
        assert_eq!(
            h,
            vec![Hunk {
                rf: 0,
                rt: 5,
                wf: 0,
                wt: 0
            }]
        );
        assert_eq!(reading(&h, 0, 5), (0, 0));
    }
}
