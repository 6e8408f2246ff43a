//! One fault, one finding: when a collation variant lies on a fault a single-document rule has
//! already explained (a loop, an encoding garble, annotation residue), the variant is the same
//! fault seen again from the other witness. The document finding is the more specific one: it
//! stays, and takes the variant's information (the reference's reading as a related span and a
//! clause in its message); the variant goes.
//!
//! The same goes for an inserted unit that is the second copy of a repeated paragraph.

use crate::finding::{Category, Finding, Related};
use std::collections::HashMap;

/// Rules of the collation that report a changed stretch inside an aligned unit.
fn is_variant(rule: &str) -> bool {
    super::VARIANT_RULES.iter().any(|r| r.id == rule)
}

/// The annotation-residue rule lists each mark as a related span: those, not the stretch from
/// the first mark to the last, are the fault (a real variant between two marks stays).
fn marks_are_related(f: &Finding) -> bool {
    f.rule == crate::rules::annotation::RESIDUE.id
}

/// The byte spans (in the finding's own file) a document finding says are at fault, or nothing
/// if its rule does not explain variants.
fn fault_spans(f: &Finding) -> Vec<(usize, usize)> {
    let explains = match f.category {
        Category::Loop => true,
        // Mixed script is one span per line over every odd character: it would swallow real
        // variants. The other encoding rules point at the damage itself.
        Category::Encoding => f.rule != crate::rules::encoding::MIXED_SCRIPT.id,
        // A single-document title finding (古特雷斯 was not 联合国副秘书长) explains the
        // collation's altered title on the same words.
        Category::Title => f.witness.is_none(),
        _ => marks_are_related(f),
    };
    if !explains {
        return Vec::new();
    }
    if marks_are_related(f) {
        return f
            .related
            .iter()
            .filter_map(|r| r.location.as_ref())
            .filter(|l| l.file == f.location.file)
            .map(|l| (l.start, l.end))
            .collect();
    }
    vec![(f.location.start, f.location.end)]
}

/// Whether the collation finding `c` is one this merge may fold into a document finding.
fn foldable(c: &Finding) -> bool {
    is_variant(&c.rule) || c.rule == super::INSERTED.id
}

/// Which rules a collation finding may be folded into: an inserted unit only into a repeated
/// paragraph (its second copy), a variant into any explaining rule.
fn fits(c: &Finding, doc: &Finding) -> bool {
    if c.rule == super::INSERTED.id {
        doc.rule == crate::rules::loops::REPEATED_PARAGRAPH.id
    } else if c.category == Category::Title && c.witness.is_none() {
        // A title rule's name broken by garbage (李克±): the garbage is the fault.
        doc.category == Category::Encoding
    } else if doc.category == Category::Title {
        // Only the altered title: a changed name next to an office stays a name change.
        c.rule == super::TITLE_ALTERED.id
    } else {
        true
    }
}

/// A single-document title finding whose name is cut by encoding damage or annotation marks
/// (國務院總理李克±j¥D) reports the damage again, as an unknown holder.
fn broken_title(f: &Finding) -> bool {
    f.category == Category::Title && f.witness.is_none()
}

/// Spans at fault, per file, sorted by start: (start, end, index of the document finding).
type Index = HashMap<String, Vec<(usize, usize, usize)>>;

fn index(docs: &[Finding]) -> Index {
    let mut by_file: Index = HashMap::new();
    for (i, f) in docs.iter().enumerate() {
        for (s, e) in fault_spans(f) {
            by_file
                .entry(f.location.file.clone())
                .or_default()
                .push((s, e.max(s + 1), i));
        }
    }
    for v in by_file.values_mut() {
        v.sort_unstable();
    }
    by_file
}

/// The document finding whose fault span overlaps `c`'s span, if any. Fault spans of one file
/// hardly overlap each other, so a few steps back from the first span starting after `c`'s end
/// are enough (bounded: never a scan of the file).
fn explaining(ix: &Index, docs: &[Finding], c: &Finding) -> Option<usize> {
    let spans = ix.get(&c.location.file)?;
    let (s, e) = (c.location.start, c.location.end.max(c.location.start + 1));
    let upto = spans.partition_point(|x| x.0 < e);
    spans[..upto]
        .iter()
        .rev()
        .take(16)
        .find(|x| x.1 > s && fits(c, &docs[x.2]))
        .map(|x| x.2)
}

/// Carry what the variant knew into the document finding: its related spans (the reference's
/// reading) and, the first time, a clause naming the reference's reading.
fn absorb(doc: &mut Finding, c: Finding) {
    let first_absorbed = !doc.related.iter().any(|r| {
        r.location
            .as_ref()
            .is_some_and(|l| l.file != doc.location.file)
    });
    for r in c.related {
        if !doc.related.contains(&r) {
            // Annotation marks are many small insertions: the related spans say enough.
            if first_absorbed
                && !marks_are_related(doc)
                && r.location
                    .as_ref()
                    .is_some_and(|l| l.file != doc.location.file)
            {
                doc.message.push_str(&format!("; {}", r.message));
                if let Some(w) = &c.witness {
                    doc.message.push_str(&format!(" ({w})"));
                }
            }
            doc.related.push(Related {
                location: r.location,
                message: r.message,
            });
        }
    }
}

/// Merge the single-document findings and the collation findings of the witnesses: every
/// collation variant (or inserted repeated paragraph) that lies on a loop, encoding damage or
/// annotation residue found in the same file is dropped, and its reference reading goes into
/// that finding. Everything else is returned unchanged: the document findings first, then the
/// remaining collation findings.
pub fn merge(mut docs: Vec<Finding>, collation: Vec<Finding>) -> Vec<Finding> {
    let ix = index(&docs);
    // Title findings of one document on damage, first (indices stay valid: nothing is removed
    // until the end).
    let mut gone = vec![false; docs.len()];
    for t in 0..docs.len() {
        if !broken_title(&docs[t]) {
            continue;
        }
        if let Some(i) = explaining(&ix, &docs, &docs[t]).filter(|&i| i != t) {
            let msg = format!("it also breaks a name: {}", docs[t].message);
            let location = Some(docs[t].location.clone());
            docs[i].related.push(Related {
                location,
                message: msg,
            });
            gone[t] = true;
        }
    }
    let mut k = 0;
    docs.retain(|_| {
        k += 1;
        !gone[k - 1]
    });
    let ix = if gone.iter().any(|&g| g) {
        index(&docs)
    } else {
        ix
    };
    let mut kept = Vec::with_capacity(collation.len());
    for c in collation {
        match foldable(&c).then(|| explaining(&ix, &docs, &c)).flatten() {
            Some(i) => absorb(&mut docs[i], c),
            None => kept.push(c),
        }
    }
    docs.extend(kept);
    docs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Location, Severity};

    fn f(rule: &str, cat: Category, file: &str, span: (usize, usize)) -> Finding {
        let loc = |s: usize, e: usize| Location {
            file: file.into(),
            start: s,
            end: e,
            line: 1,
            column: s + 1,
            end_line: 1,
            end_column: e + 1,
        };
        Finding {
            rule: rule.into(),
            code: "X".into(),
            category: cat,
            severity: Severity::Error,
            location: loc(span.0, span.1),
            message: "m".into(),
            help: None,
            label: String::new(),
            related: Vec::new(),
            witness: None,
            subject: String::new(),
            context: String::new(),
            fingerprint: String::new(),
            anchors: Default::default(),
            baseline_state: None,
            record: None,
        }
    }

    fn variant(file: &str, span: (usize, usize)) -> Finding {
        let mut v = f(super::super::NUMBER.id, Category::AlteredEvent, file, span);
        v.witness = Some("ref.txt".into());
        v.related.push(Related {
            location: Some(Location {
                file: "ref.txt".into(),
                ..v.location.clone()
            }),
            message: "the reference reads “甲乙”".into(),
        });
        v
    }

    #[test]
    fn a_variant_on_a_loop_goes_into_the_loop() {
        let docs = vec![f("loop/repeated-phrase", Category::Loop, "w.txt", (10, 40))];
        let col = vec![variant("w.txt", (5, 12)), variant("w.txt", (40, 45))];
        let out = merge(docs, col);
        assert_eq!(out.len(), 2, "{out:#?}");
        assert_eq!(out[0].rule, "loop/repeated-phrase");
        assert!(out[0].message.contains("the reference reads “甲乙”"));
        assert_eq!(out[0].related.len(), 1);
        // The variant that touches the loop only at its end (40 is outside [10, 40)) stays.
        assert_eq!(out[1].location.start, 40);
    }

    #[test]
    fn a_title_finding_on_mojibake_goes_into_the_mojibake() {
        let docs = vec![
            f("title/unknown-holder", Category::Title, "w.txt", (0, 20)),
            f(
                crate::rules::encoding::MOJIBAKE.id,
                Category::Encoding,
                "w.txt",
                (15, 25),
            ),
            f("title/unknown-holder", Category::Title, "w.txt", (40, 50)),
        ];
        let out = merge(docs, Vec::new());
        assert_eq!(out.len(), 2, "{out:#?}");
        assert_eq!(out[0].rule, crate::rules::encoding::MOJIBAKE.id);
        assert!(out[0].related[0].message.contains("breaks a name"));
        assert_eq!(out[1].location.start, 40);
    }

    #[test]
    fn an_altered_title_goes_into_the_title_finding_a_name_does_not() {
        let docs = vec![f("title/mismatch", Category::Title, "w.txt", (0, 30))];
        let mut t = variant("w.txt", (3, 6));
        t.rule = super::super::TITLE_ALTERED.id.into();
        t.category = Category::Title;
        let mut n = variant("w.txt", (20, 26));
        n.rule = super::super::NAME.id.into();
        let out = merge(docs, vec![t, n]);
        assert_eq!(out.len(), 2, "{out:#?}");
        assert_eq!(out[0].rule, "title/mismatch");
        assert_eq!(out[1].rule, super::super::NAME.id);
    }

    #[test]
    fn only_the_same_file_and_only_explaining_rules() {
        let docs = vec![
            f("loop/repeated-phrase", Category::Loop, "a.txt", (0, 30)),
            f(
                crate::rules::encoding::MIXED_SCRIPT.id,
                Category::Encoding,
                "w.txt",
                (0, 30),
            ),
            f("title/mismatch", Category::Title, "w.txt", (0, 30)),
        ];
        let out = merge(docs, vec![variant("w.txt", (3, 6))]);
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn annotation_marks_not_the_stretch_between_them() {
        let mut a = f(
            crate::rules::annotation::RESIDUE.id,
            Category::Encoding,
            "w.txt",
            (0, 100),
        );
        for (s, e) in [(3, 8), (90, 95)] {
            a.related.push(Related {
                location: Some(Location {
                    start: s,
                    end: e,
                    ..a.location.clone()
                }),
                message: "mark".into(),
            });
        }
        let out = merge(
            vec![a],
            vec![variant("w.txt", (3, 8)), variant("w.txt", (40, 46))],
        );
        assert_eq!(out.len(), 2);
        assert_eq!(
            out[1].location.start, 40,
            "a real variant between marks stays"
        );
    }
}
