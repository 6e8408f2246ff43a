//! Where single-document rules put their findings: a list with a per-file cap per rule.
//!
//! A damaged file can hold a fault on every line or at every character (a Latin-1 decode puts a
//! C1 control character in every few bytes; a bidi storm, one per character). Listing them all
//! made 2 MB of such text into 300,000 findings, half a gigabyte of memory and 180 MB of report,
//! none of it more useful than the first few hundred. So after [`DEFAULT_MAX_PER_RULE`] findings
//! of one rule in one file the rest are counted, not kept, and one summary finding of the same
//! rule says how many were left out and where the first of them is (the way linters cap repeated
//! issues, e.g. golangci-lint's `max-same-issues`). Memory per file is then bounded by the cap,
//! whatever the input. The summary's fingerprint hashes the rule and file only, not the count nor
//! its place, so a baseline that holds it keeps matching while the file stays damaged.
//!
//! The cap is far above what a sound file produces (44 of one rule in one file is the most in the
//! generated 100 MB benchmark archive), and `--max-per-rule 0` lifts it.

use crate::finding::{Finding, FindingBuilder, Severity};
use crate::model::Document;

/// Findings of one rule kept per file when nothing else is asked for.
pub const DEFAULT_MAX_PER_RULE: usize = 1000;

/// What was left out of one rule's findings in this file.
struct Omitted {
    rule: String,
    count: usize,
    /// The highest severity among them (the summary takes it, so `--fail-on` still sees them).
    severity: Severity,
    /// The first one left out: the summary sits where it did.
    first: Finding,
}

/// The findings of the rules run on one document, at most `cap` of each rule (see the module
/// documentation).
pub struct Findings {
    list: Vec<Finding>,
    /// Kept findings per rule id, in the order rules first pushed (a file meets a handful).
    kept: Vec<(String, usize)>,
    omitted: Vec<Omitted>,
    cap: usize,
}

impl Findings {
    /// An empty list keeping at most `cap` findings of each rule (`0`: no limit).
    pub fn new(cap: usize) -> Findings {
        Findings {
            list: Vec::new(),
            kept: Vec::new(),
            omitted: Vec::new(),
            cap: if cap == 0 { usize::MAX } else { cap },
        }
    }

    /// Adds a finding, or counts it when its rule already has `cap` in this file.
    pub fn push(&mut self, f: Finding) {
        let k = match self.kept.iter().position(|(r, _)| *r == f.rule) {
            Some(k) => k,
            None => {
                self.kept.push((f.rule.clone(), 0));
                self.kept.len() - 1
            }
        };
        if self.kept[k].1 < self.cap {
            self.kept[k].1 += 1;
            self.list.push(f);
            return;
        }
        match self.omitted.iter_mut().find(|o| o.rule == f.rule) {
            Some(o) => {
                o.count += 1;
                o.severity = o.severity.max(f.severity);
            }
            None => self.omitted.push(Omitted {
                rule: f.rule.clone(),
                count: 1,
                severity: f.severity,
                first: f,
            }),
        }
    }

    /// Adds each finding of `it` (see [`Findings::push`]).
    pub fn extend(&mut self, it: impl IntoIterator<Item = Finding>) {
        for f in it {
            self.push(f);
        }
    }

    /// Findings kept so far.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// No finding kept so far.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The kept findings, then one summary finding per rule that had more than the cap.
    pub fn finish(self, doc: &Document) -> Vec<Finding> {
        let mut list = self.list;
        for o in self.omitted {
            list.push(summary(doc, o, self.cap));
        }
        list
    }
}

/// The finding that stands for the `o.count` findings of a rule left out.
fn summary(doc: &Document, o: Omitted, cap: usize) -> Finding {
    let n = o.count;
    let first = o.first;
    let info = crate::rules::find(&o.rule);
    let Some(info) = info else {
        // Every rule pushing here is registered; keep the first one rather than lose the count.
        return first;
    };
    let span = first.location.start..first.location.end;
    FindingBuilder::new(info, doc, span)
        .severity(o.severity)
        .message(format!(
            "{n} more {} finding{} in this file not listed (at most {cap} per rule and file)",
            o.rule,
            crate::report::plural(n)
        ))
        .label("the first finding not listed")
        .help(
            "so many faults of one kind usually mean the whole file is damaged (wrong encoding, \
             a broken scrape): fix the cause and check again, or list them all with \
             `--max-per-rule 0`",
        )
        // The identity is the rule in this file: the count and the place change as the file
        // does, and the baseline entry should not.
        .subject("findings not listed")
        .context("")
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleInfo;

    fn doc() -> Document {
        crate::pipeline::document_from_text(
            "t.txt".into(),
            "t.txt".into(),
            "甲乙丙丁。\n".repeat(20),
            Default::default(),
            &crate::knowledge::Knowledge::embedded(),
        )
    }

    fn one(info: &RuleInfo, doc: &Document, at: usize, sev: Severity) -> Finding {
        FindingBuilder::new(info, doc, at..at + 3)
            .severity(sev)
            .message(format!("at {at}"))
            .subject(format!("{at}"))
            .build()
    }

    #[test]
    fn keeps_the_cap_per_rule_and_summarizes_the_rest() {
        let d = doc();
        let (a, b) = (
            &crate::rules::loops::REPEATED_PHRASE,
            &crate::rules::layout::RUNNING_HEAD,
        );
        let mut out = Findings::new(3);
        for i in 0..10 {
            out.push(one(a, &d, i * 3, Severity::Warning));
        }
        out.push(one(b, &d, 0, Severity::Note));
        out.push(one(a, &d, 33, Severity::Error));
        let all = out.finish(&d);
        assert_eq!(all.len(), 3 + 1 + 1);
        let of_a: Vec<&Finding> = all.iter().filter(|f| f.rule == a.id).collect();
        assert_eq!(of_a.len(), 4);
        let s = of_a[3];
        assert!(s.message.starts_with("8 more "), "{}", s.message);
        // Where the first left out was, and as severe as the worst left out.
        assert_eq!(s.location.start, 9);
        assert_eq!(s.severity, Severity::Error);
        assert_eq!(all.iter().filter(|f| f.rule == b.id).count(), 1);
    }

    #[test]
    fn the_summary_identity_does_not_depend_on_count_or_place() {
        let d = doc();
        let a = &crate::rules::loops::REPEATED_PHRASE;
        let run = |n: usize, from: usize| {
            let mut out = Findings::new(2);
            for i in 0..n {
                out.push(one(a, &d, (from + i) * 3, Severity::Warning));
            }
            out.finish(&d).pop().map(|f| f.fingerprint)
        };
        assert_eq!(run(10, 0), run(25, 4));
    }

    #[test]
    fn zero_is_no_limit() {
        let d = doc();
        let mut out = Findings::new(0);
        for i in 0..50 {
            out.push(one(
                &crate::rules::loops::REPEATED_PHRASE,
                &d,
                i,
                Severity::Warning,
            ));
        }
        assert_eq!(out.finish(&d).len(), 50);
    }
}
