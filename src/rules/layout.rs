//! Page-layout artifacts: a running head captured inside the body, a paragraph split by a page
//! break, continuation marks (`(上接第7版)`, `（下转7版）`) and page numbers.
//!
//! The segment stage already knows the structure (page marks are units of their own, a split
//! paragraph is one unit with several parts); this rule turns it into findings.

use super::{DocRule, RuleInfo};
use crate::finding::{Category, FindingBuilder, Location, Severity};
use crate::knowledge::Knowledge;
use crate::model::{Document, Unit, UnitKind};
use crate::segment::{ends_sentence, leading_page_mark, trailing_page_mark};

/// Rule `layout/running-head` (LY001): a running page header or the title repeated inside the body.
pub const RUNNING_HEAD: RuleInfo = RuleInfo {
    id: "layout/running-head",
    code: "LY001",
    category: Category::Layout,
    severity: Severity::Warning,
    summary: "a running page header or the title repeated inside the body",
    explain: "\
What it does: finds a short line without sentence punctuation that is a page's running head rather
than text: it interrupts a paragraph cut mid-sentence, or it repeats in the body, or it is the
document's title printed again.

Why: text taken from printed pages picks up the header of each page; left in, it splits a sentence
and is collated as if it were content.

Example: …中方同世界卫生组织在会上共 / 中国发布新冠肺炎疫情信息、推进疫情防控国际合作纪事 / 同发布…

Silence: `--severity layout/running-head=off`.",
};

/// Rule `layout/page-split` (LY002): a paragraph split across a page break.
pub const PAGE_SPLIT: RuleInfo = RuleInfo {
    id: "layout/page-split",
    code: "LY002",
    category: Category::Layout,
    severity: Severity::Note,
    summary: "a paragraph split across a page break",
    explain: "\
What it does: reports a paragraph or event that stops mid-sentence and continues in the next block
(after blank lines, a running head or a page mark). collatio joins the parts for collation; the
note shows where the break is.

Example: ◆国务院联防联控机制新闻发布会通报,…要严 / 防境外疫情输入,…

Silence: `--severity layout/page-split=off`.",
};

/// Rule `layout/continuation-mark` (LY003): a continuation mark or page number from the printed page.
pub const CONTINUATION_MARK: RuleInfo = RuleInfo {
    id: "layout/continuation-mark",
    code: "LY003",
    category: Category::Layout,
    severity: Severity::Note,
    summary: "a continuation mark or page number from the printed page",
    explain: "\
What it does: reports continuation marks such as (上接第7版), （下转7版） and bare page numbers.
They are not collated as content.

Silence: `--severity layout/continuation-mark=off`.",
};

/// Finds printed-page furniture left in the text: running heads, page splits, continuation marks.
pub struct Layout;

/// Whether byte `at` lies in the break of a paragraph split mid-sentence (between two parts of
/// one unit, the first not ending a sentence): the page-split finding there says it all.
fn inside_split(doc: &Document, at: usize) -> bool {
    // Units are in order of their first byte; a split unit encloses only the few units between
    // its parts, so look back a bounded number of units (linear over a document of page marks).
    let end = doc.units.partition_point(|u| u.span.start < at);
    doc.units[end.saturating_sub(16)..end]
        .iter()
        .filter(|o| o.parts().len() > 1 && o.span.start < at && at < o.span.end)
        .any(|o| {
            o.parts().windows(2).any(|w| {
                w[0].end <= at && at < w[1].start && !ends_sentence(doc.slice(w[0].clone()))
            })
        })
}

fn first_chars(s: &str, n: usize) -> String {
    let t: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        format!("{t}…")
    } else {
        t
    }
}

fn last_chars(s: &str, n: usize) -> String {
    let c: Vec<char> = s.chars().collect();
    let t: String = c[c.len().saturating_sub(n)..].iter().collect();
    if c.len() > n {
        format!("…{t}")
    } else {
        t
    }
}

impl DocRule for Layout {
    fn infos(&self) -> &'static [RuleInfo] {
        &[RUNNING_HEAD, PAGE_SPLIT, CONTINUATION_MARK]
    }

    fn check(&self, doc: &Document, _kb: &Knowledge, out: &mut super::Findings) {
        for u in &doc.units {
            match u.kind {
                UnitKind::PageMark => page_mark(doc, u, out),
                UnitKind::Event | UnitKind::Paragraph => page_splits(doc, u, out),
                _ => {}
            }
        }
    }
}

/// Decides what a page-mark unit is: a continuation mark or page number, or else a running head.
fn page_mark(doc: &Document, u: &Unit, out: &mut super::Findings) {
    let s = doc.slice(u.span.clone());
    let is_mark = leading_page_mark(s).is_some() || trailing_page_mark(s).is_some();
    let is_number = s
        .chars()
        .all(|c| !c.is_alphabetic() || c.is_ascii_digit() || "第版页頁Pagep".contains(c));
    // A mark inside a split paragraph is part of that split: one finding.
    if (is_mark || is_number) && inside_split(doc, u.span.start) {
        return;
    }
    if is_mark || is_number {
        continuation_mark(doc, u, s, is_mark, out);
    } else {
        running_head(doc, u, s, out);
    }
}

/// Reports a continuation mark (`is_mark`) or a bare page number.
fn continuation_mark(doc: &Document, u: &Unit, s: &str, is_mark: bool, out: &mut super::Findings) {
    out.push(
        FindingBuilder::new(&CONTINUATION_MARK, doc, u.span.clone())
            .message(format!(
                "{} “{s}” from the printed page",
                if is_mark {
                    "continuation mark"
                } else {
                    "page number"
                }
            ))
            .label("layout, not text")
            .help("not part of the text; collatio leaves it out of collation")
            .subject(u.norm_text())
            .build(),
    );
}

/// Reports a running head, naming the split paragraph it interrupts when there is one.
fn running_head(doc: &Document, u: &Unit, s: &str, out: &mut super::Findings) {
    // Which paragraph does it interrupt?
    // Units are sorted by start and the paragraph it interrupts starts
    // just before it: look back a few units, not through the document (that
    // made a file of many short lines quadratic).
    let at = doc.units.partition_point(|o| o.span.start < u.span.start);
    let split = doc.units[at.saturating_sub(16)..at]
        .iter()
        .rev()
        .find(|o| o.parts().len() > 1 && u.span.end < o.span.end);
    let mut b = FindingBuilder::new(&RUNNING_HEAD, doc, u.span.clone())
        .message(format!(
            "running head “{}” inside the body",
            first_chars(s, 30)
        ))
        .label("page header, not text")
        .subject(u.norm_text());
    if let Some(o) = split {
        let (l, _) = doc.line_col(o.span.start);
        b = b
            .help("the page's header was captured with the text; delete this line and join the paragraph around it")
            .related(Some(Location::in_doc(doc, o.parts()[0].clone())), format!("it interrupts the paragraph that starts on line {l}"))
            .around_raw(o.norm(), u.span.clone());
    } else {
        b = b.help("the page's header or the title was captured with the text; delete this line");
    }
    out.push(b.build());
}

/// Reports each break between two parts of a paragraph or event where the first part stops
/// mid-sentence.
fn page_splits(doc: &Document, u: &Unit, out: &mut super::Findings) {
    for w in u.parts().windows(2) {
        let before = doc.slice(w[0].clone());
        if ends_sentence(before) {
            continue; // a continuation paragraph, not a split
        }
        let after = doc.slice(w[1].clone());
        let (nl, _) = doc.line_col(w[1].start);
        // Span: the last character before the break to the first one after it.
        let last_start = w[0].end - before.chars().last().map_or(0, char::len_utf8);
        let first_end = w[1].start + after.chars().next().map_or(0, char::len_utf8);
        out.push(
            FindingBuilder::new(&PAGE_SPLIT, doc, last_start..first_end)
                .message(format!(
                    "paragraph split by a page break: “{}” continues as “{}” on line {nl}",
                    last_chars(before, 12),
                    first_chars(after, 12)
                ))
                .label("split here")
                .help("join the two parts; the break is a layout artifact of the printed page")
                .related(Some(Location::in_doc(doc, w[1].clone())), "continuation")
                .subject(format!(
                    "{}|{}",
                    last_chars(before, 6),
                    first_chars(after, 6)
                ))
                .around_raw(u.norm(), last_start..first_end)
                .build(),
        );
    }
}
