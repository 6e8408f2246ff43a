//! Comparing paired event records fact by fact: the date of the occurrence, the numbers that
//! count the same thing, the people and offices that did the same act. Only a fact both records
//! state, differently, is a conflict: what one record leaves out is not.

use super::events::{Count, Fact};
use super::pair::Link;
use crate::knowledge::Knowledge;
use std::ops::Range;

/// Least overlap for a different date to be a conflict (rather than a similar event on
/// another day).
pub const DATE_MIN: f64 = 0.6;

/// What kind of fact two records disagree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The day of the occurrence.
    Date,
    /// A number counting the same thing.
    Number,
    /// The person named for the act.
    Person,
    /// The office named for the act.
    Office,
}

/// One disagreement between two paired records.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// What the records disagree on.
    pub kind: Kind,
    /// The first text's reading.
    pub a_reads: String,
    /// The second text's reading.
    pub b_reads: String,
    /// Raw byte span of the first text's reading.
    pub a_span: Range<usize>,
    /// Raw byte span of the second text's reading.
    pub b_span: Range<usize>,
}

/// Raw spans of folded characters of a record's unit.
pub struct Side<'a> {
    /// The document.
    pub doc: &'a crate::model::Document,
    /// Its records.
    pub facts: &'a [Fact],
}

impl Side<'_> {
    fn raw(&self, f: &Fact, r: Range<usize>) -> Range<usize> {
        let n = self.doc.units[f.unit].norm();
        n.raw_range(&self.doc.text, r.start, r.end)
            .map_or(f.span.clone(), |(s, e)| s..e)
    }
}

/// Whether two records agree on the date: the same day, or one dated to a day the other
/// mentions (`3月5日，会议决定自3月10日起…` and a `3月10日` record).
pub fn dates_agree(fa: &Fact, fb: &Fact) -> bool {
    fa.when.agrees(fb.when)
        || fa.mentioned.iter().any(|w| w.agrees(fb.when))
        || fb.mentioned.iter().any(|w| w.agrees(fa.when))
}

/// Whether a link joins records of the same occurrence: dates that agree, or a different day
/// that is a conflict (close, unambiguous content).
pub fn same_occurrence(fa: &Fact, fb: &Fact, link: &Link) -> bool {
    dates_agree(fa, fb) || !link.ambiguous && link.overlap >= DATE_MIN
}

/// The conflicts of one link.
pub fn compare(a: &Side<'_>, b: &Side<'_>, link: &Link, kb: &Knowledge) -> Vec<Conflict> {
    let (fa, fb) = (&a.facts[link.a], &b.facts[link.b]);
    let mut out = Vec::new();
    if !dates_agree(fa, fb) {
        if !same_occurrence(fa, fb, link) {
            return out;
        }
        out.push(Conflict {
            kind: Kind::Date,
            a_reads: fa.when.text(),
            b_reads: fb.when.text(),
            a_span: fa.date_span.clone(),
            b_span: fb.date_span.clone(),
        });
    }
    for (ca, cb) in number_conflicts(&fa.counts, &fb.counts) {
        out.push(Conflict {
            kind: Kind::Number,
            a_reads: shown(a, fa, ca),
            b_reads: shown(b, fb, cb),
            a_span: a.raw(fa, ca.at.clone()),
            b_span: b.raw(fb, cb.at.clone()),
        });
    }
    actor_conflicts(a, b, fa, fb, kb, &mut out);
    out
}

fn shown(side: &Side<'_>, f: &Fact, c: &Count) -> String {
    let r = side.raw(f, c.at.clone());
    side.doc.slice(r).to_string()
}

/// Numbers counting the same thing (one each, same measure and what follows) with different
/// values, where neither value appears among the other record's numbers.
fn number_conflicts<'a>(a: &'a [Count], b: &'a [Count]) -> Vec<(&'a Count, &'a Count)> {
    let mut out = Vec::new();
    for ca in a {
        let same_a = a.iter().filter(|c| c.what == ca.what).count();
        let mut same_b = b.iter().filter(|c| c.what == ca.what);
        let (Some(cb), None) = (same_b.next(), same_b.next()) else {
            continue;
        };
        if same_a != 1 || cb.value == ca.value {
            continue;
        }
        if b.iter().any(|c| c.value == ca.value) || a.iter().any(|c| c.value == cb.value) {
            continue;
        }
        out.push((ca, cb));
    }
    out
}

/// A person (or office) named by one record in place of another named by the other: each names
/// someone the other does not. An office held by a person both records name is no conflict
/// (国家主席习近平 and 总书记习近平 are one act).
fn actor_conflicts(
    a: &Side<'_>,
    b: &Side<'_>,
    fa: &Fact,
    fb: &Fact,
    kb: &Knowledge,
    out: &mut Vec<Conflict>,
) {
    let only = |x: &[usize], y: &[usize]| -> Vec<usize> {
        x.iter().copied().filter(|p| !y.contains(p)).collect()
    };
    let (pa, pb) = (only(&fa.people, &fb.people), only(&fb.people, &fa.people));
    if pa.len() == 1 && pb.len() == 1 {
        out.push(Conflict {
            kind: Kind::Person,
            ..named(
                a,
                b,
                fa,
                fb,
                &kb.people[pa[0]].names,
                &kb.people[pb[0]].names,
            )
        });
        return;
    }
    let (oa, ob) = (
        only(&fa.offices, &fb.offices),
        only(&fb.offices, &fa.offices),
    );
    if oa.len() != 1 || ob.len() != 1 {
        return;
    }
    // The same person under two of their titles is one act told two ways.
    if fa.people.iter().any(|p| fb.people.contains(p)) {
        return;
    }
    out.push(Conflict {
        kind: Kind::Office,
        ..named(
            a,
            b,
            fa,
            fb,
            &kb.offices[oa[0]].names,
            &kb.offices[ob[0]].names,
        )
    });
}

/// A conflict of names: each side's reading as its text writes it, and where.
fn named(
    a: &Side<'_>,
    b: &Side<'_>,
    fa: &Fact,
    fb: &Fact,
    names_a: &[String],
    names_b: &[String],
) -> Conflict {
    let a_span = name_span(a, fa, names_a);
    let b_span = name_span(b, fb, names_b);
    Conflict {
        kind: Kind::Person,
        a_reads: a.doc.slice(a_span.clone()).to_string(),
        b_reads: b.doc.slice(b_span.clone()).to_string(),
        a_span,
        b_span,
    }
}

/// Raw span of the first of `names` (folded) in a record, or the record's span.
fn name_span(side: &Side<'_>, f: &Fact, names: &[String]) -> Range<usize> {
    let s = &side.doc.units[f.unit].norm().chars[f.chars.clone()];
    for n in names {
        let nc: Vec<char> = n.chars().collect();
        if nc.is_empty() {
            continue;
        }
        if let Some(k) = s.windows(nc.len()).position(|w| w == &nc[..]) {
            let at = f.chars.start + k;
            return side.raw(f, at..at + nc.len());
        }
    }
    f.span.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(value: &str, what: &str) -> Count {
        Count {
            value: value.into(),
            what: what.into(),
            at: 0..0,
        }
    }

    #[test]
    fn numbers_conflict_only_on_the_same_count() {
        let a = [count("19", "个省份"), count("16", "个市州")];
        let b = [count("20", "个省份"), count("16", "个市州")];
        let c = number_conflicts(&a, &b);
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].0.value.as_str(), c[0].1.value.as_str()), ("19", "20"));
        // Another count (what differs), or a value the other names elsewhere: no conflict.
        assert!(number_conflicts(&[count("19", "个省份")], &[count("20", "名专家")]).is_empty());
        let b = [count("20", "个省份"), count("19", "家医院")];
        assert!(number_conflicts(&a[..1], &b).is_empty());
        // Two counts of one kind on a side: which is which is unknown, so nothing is said.
        let b = [count("20", "个省份"), count("21", "个省份")];
        assert!(number_conflicts(&a[..1], &b).is_empty());
    }
}
