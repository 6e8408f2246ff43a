//! Corroboration: different texts about the same events (a chronicle and a white paper, two
//! reports of one day), compared fact by fact rather than word by word.
//!
//! ```text
//! text A ─► events (sentences with date, actors, places, titles, counts) ─┐
//!                                                                        ├─► pair (date window,
//! text B ─► events ──────────────────────────────────────────────────────┘    shared content)
//!        ─► compare (date, numbers, people, offices) ─► conflicts ─► findings (category conflict)
//! ```
//!
//! Only facts both texts state, differently, are findings: other wording, other layout (a date
//! heading or an inline date) and events one text leaves out are not. [`corroborate`] also
//! returns every pair with its verdict, for the corroboration table of the Markdown report.

pub mod cli;
pub mod compare;
pub mod events;
pub mod pair;
pub mod table;

use crate::finding::{Finding, FindingBuilder, Location};
use crate::knowledge::Knowledge;
use crate::model::Document;
use crate::rules::RuleInfo;
use crate::util::excerpt;
use compare::{Conflict, Kind, Side};
use events::Fact;

use crate::rules::rule_info;

rule_info!(DATE, "conflict/date", "CF001", Conflict, Error,
    "another text dates the same occurrence to another day",
    "What it does: `collatio corroborate A B` (and `check A --against B` when A is not a copy of B)\nreads both texts as event records (a sentence, the day it happened on from a date heading, an inline\ndate `（37）2月14日，…` or a relative one `20日`, `至19日`, `当天`), pairs records of the same event\nacross the texts (date window, shared content), and reports a record whose partner dates it to another\nday. A recurring kind of event (a weekly meeting) is never paired across days.\n\nExample: 2月19日，武汉市新增治愈出院病例数首次大于新增确诊病例数 / (2月21日) 20日，武汉市新增治愈出院病例首次大于新增确诊病例.\n\nSilence: `--severity conflict/date=off`.");
rule_info!(NUMBER, "conflict/number", "CF002", Conflict, Error,
    "another text gives another number for the same count",
    "What it does: in paired event records, a number that counts the same thing (same measure word and\nwhat follows it: 19个省份, 25名专家, 2000例) with another value, when neither value occurs in the other\nrecord.\n\nSilence: `--severity conflict/number=off`.");
rule_info!(PERSON, "conflict/person", "CF003", Conflict, Warning,
    "another text names another person for the same act",
    "What it does: in paired event records, each names a person (from the knowledge data) that the other\ndoes not: the act is attributed to someone else. A record that leaves a person out is no conflict.\n\nSilence: `--severity conflict/person=off`.");
rule_info!(OFFICE, "conflict/office", "CF004", Conflict, Warning,
    "another text names another office for the same act",
    "What it does: in paired event records that name no common person, each names an office (from the\nknowledge data) that the other does not. The same person under two of their titles is no conflict.\n\nSilence: `--severity conflict/office=off`.");
rule_info!(UNPAIRED, "conflict/unpaired", "CF005", Conflict, Note,
    "an event no other text reports (only on request)",
    "What it does: with `collatio corroborate --unpaired`, notes each dated event record of the first text\nthat has no partner in the other: one text is not expected to hold the other, so this is off unless\nasked for.\n\nSilence: leave out `--unpaired`.");

/// Every rule corroboration emits.
pub static RULES: &[RuleInfo] = &[DATE, NUMBER, PERSON, OFFICE, UNPAIRED];

/// One row of the corroboration table: an event both texts report, and whether they agree.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    /// The event's key phrase (from the first text).
    pub event: String,
    /// The first text: its name and line, and its reading where they conflict.
    pub a: String,
    /// The other text: its name and line, and its reading where they conflict.
    pub b: String,
    /// `agree`, or `conflict: date` (the facts that differ).
    pub verdict: String,
}

/// Options of a corroboration.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Also note the first text's dated events that the other does not report.
    pub unpaired: bool,
}

/// The outcome of corroborating one text against another.
#[derive(Debug, Clone, Default)]
pub struct Corroboration {
    /// Conflict findings, located in the first text, the other's reading as related span.
    pub findings: Vec<Finding>,
    /// Every pair of records taken for one occurrence, with its verdict.
    pub rows: Vec<Row>,
}

/// Corroborate `a` against `other`: pair their event records and report what they disagree on.
pub fn corroborate(a: &Document, other: &Document, kb: &Knowledge, opts: Options) -> Corroboration {
    let fa = events::extract(a, kb);
    let fb = events::extract(other, kb);
    let text = |d: &Document, f: &Fact| -> String {
        d.units[f.unit].norm().chars[f.chars.clone()]
            .iter()
            .collect()
    };
    let links = pair::pair(&fa, &fb, &|i| text(a, &fa[i]), &|j| text(other, &fb[j]));
    let (sa, sb) = (
        Side { doc: a, facts: &fa },
        Side {
            doc: other,
            facts: &fb,
        },
    );
    let mut out = Corroboration::default();
    let mut paired = vec![false; fa.len()];
    let mut found: Vec<(pair::Link, Conflict)> = Vec::new();
    for l in &links {
        // A like event on another day (a recurring meeting) is not this one's partner.
        if !compare::same_occurrence(&fa[l.a], &fb[l.b], l) {
            continue;
        }
        paired[l.a] = true;
        let conflicts = compare::compare(&sa, &sb, l, kb);
        out.rows.push(row(&sa, &sb, l, &conflicts));
        found.extend(conflicts.into_iter().map(|c| (*l, c)));
    }
    for group in grouped(found) {
        out.findings.push(finding(&sa, &sb, &group));
    }
    if opts.unpaired {
        for (i, f) in fa.iter().enumerate().filter(|(i, _)| !paired[*i]) {
            out.findings.push(unpaired(a, other, f, i));
        }
    }
    out
}

/// Conflict findings of `witness` against `reference`: what `check --against` adds for a
/// witness that is not a copy of its reference.
pub fn conflicts(witness: &Document, reference: &Document, kb: &Knowledge) -> Vec<Finding> {
    corroborate(witness, reference, kb, Options::default()).findings
}

fn rule_of(k: Kind) -> &'static RuleInfo {
    match k {
        Kind::Date => &DATE,
        Kind::Number => &NUMBER,
        Kind::Person => &PERSON,
        Kind::Office => &OFFICE,
    }
}

fn what(k: Kind) -> &'static str {
    match k {
        Kind::Date => "date",
        Kind::Number => "number",
        Kind::Person => "person",
        Kind::Office => "office",
    }
}

fn sentence(side: &Side<'_>, f: &Fact) -> String {
    excerpt(&side.doc.slice(f.span.clone()).replace('\n', ""), 40)
}

fn row(a: &Side<'_>, b: &Side<'_>, l: &pair::Link, conflicts: &[Conflict]) -> Row {
    let (fa, fb) = (&a.facts[l.a], &b.facts[l.b]);
    let place = |s: &Side<'_>, f: &Fact, reads: Option<&str>| {
        let (line, _) = s.doc.line_col(f.span.start);
        match reads {
            Some(r) => format!("{}:{line}: {r}", s.doc.display),
            None => format!("{}:{line}: {}", s.doc.display, fa.when.text()),
        }
    };
    let first = conflicts.first();
    Row {
        event: excerpt(&fa.phrase, 30),
        a: place(a, fa, first.map(|c| c.a_reads.as_str())),
        b: place(b, fb, first.map(|c| c.b_reads.as_str())),
        verdict: if conflicts.is_empty() {
            "agree".into()
        } else {
            let kinds: Vec<&str> = conflicts.iter().map(|c| what(c.kind)).collect();
            format!("conflict: {}", kinds.join(", "))
        },
    }
}

/// One fault, one finding: conflicts that share this text's reading at one place (a heading
/// that dates several events to another day than the other text does) form one group.
fn grouped(found: Vec<(pair::Link, Conflict)>) -> Vec<Vec<(pair::Link, Conflict)>> {
    let mut groups: Vec<Vec<(pair::Link, Conflict)>> = Vec::new();
    let mut at: std::collections::HashMap<(Kind, usize, usize, String, String), usize> =
        std::collections::HashMap::new();
    for (l, c) in found {
        let key = (
            c.kind,
            c.a_span.start,
            c.a_span.end,
            c.a_reads.clone(),
            c.b_reads.clone(),
        );
        match at.get(&key) {
            Some(&g) => groups[g].push((l, c)),
            None => {
                at.insert(key, groups.len());
                groups.push(vec![(l, c)]);
            }
        }
    }
    groups
}

/// The finding of a group of conflicts (see [`grouped`]): the first one's, with the other
/// text's events of the rest as related spans.
fn finding(a: &Side<'_>, b: &Side<'_>, group: &[(pair::Link, Conflict)]) -> Finding {
    let (l, c) = &group[0];
    let (fa, fb) = (&a.facts[l.a], &b.facts[l.b]);
    let other = &b.doc.display;
    let (bl, _) = b.doc.line_col(fb.span.start);
    let event = excerpt(&fa.phrase, 24);
    let more = match group.len() {
        1 => String::new(),
        2 => format!("; one more event dated here is dated {} there", c.b_reads),
        n => format!(
            "; {} more events dated here are dated {} there",
            n - 1,
            c.b_reads
        ),
    };
    let message = match c.kind {
        Kind::Date => format!(
            "dated {} here, {} in {other}:{bl} for the same occurrence (“{event}”): “{}”{more}",
            c.a_reads,
            c.b_reads,
            sentence(b, fb)
        ),
        _ => format!(
            "{} reads “{}” here, “{}” in {other}:{bl} for the same event (“{event}”)",
            what(c.kind),
            c.a_reads,
            c.b_reads
        ),
    };
    let mut builder = FindingBuilder::new(rule_of(c.kind), a.doc, c.a_span.clone())
        .message(message)
        .label(format!("{} conflicts with {other}", what(c.kind)))
        .related(
            Some(Location::in_doc(b.doc, c.b_span.clone())),
            format!("{other} reads “{}”", c.b_reads),
        );
    // A date read from a heading stands apart from its event: point at the event too.
    if c.b_span.end <= fb.span.start || c.b_span.start >= fb.span.end {
        builder = builder.related(
            Some(Location::in_doc(b.doc, fb.span.clone())),
            format!("the event in {other}"),
        );
    }
    for (l, _) in &group[1..] {
        builder = builder.related(
            Some(Location::in_doc(b.doc, b.facts[l.b].span.clone())),
            format!("{other} dates this event {} too", c.b_reads),
        );
    }
    builder
        .help(format!(
            "the two texts disagree on this {}: check it against a primary source and correct the one that is wrong",
            what(c.kind)
        ))
        .witness(Some(other.clone()))
        .subject(format!("{}:{}|{}", what(c.kind), c.a_reads, c.b_reads))
        .around_raw(a.doc.units[fa.unit].norm(), fa.span.clone())
        .build()
}

fn unpaired(a: &Document, other: &Document, f: &Fact, _i: usize) -> Finding {
    FindingBuilder::new(&UNPAIRED, a, f.span.clone())
        .message(format!(
            "{} reports no event like this one of {} (“{}”)",
            other.display,
            f.when.text(),
            excerpt(&f.phrase, 24)
        ))
        .label("no partner")
        .help("nothing to do unless the other text should report every event")
        .witness(Some(other.display.clone()))
        .subject(format!("unpaired:{}", f.phrase))
        .around_raw(a.units[f.unit].norm(), f.span.clone())
        .build()
}
