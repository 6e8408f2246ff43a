//! Provenance lines compared across witnesses: the dateline (`新华社北京4月6日电`), the byline
//! (`新华社记者`) and the source line (`来源：…`).
//!
//! They say who sent the text, from where and when; a copy that changes them changes its
//! provenance, not its content. So they are taken out of content collation (a dateline that opens
//! a paragraph included) and compared here, kind by kind, wherever each witness has them: the
//! reference's opening dateline and a print copy's closing one are the same dateline.

use crate::model::{Document, UnitKind};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// What a provenance line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Agency, place and day of a dispatch.
    Dateline,
    /// Who wrote it.
    Byline,
    /// Where it was taken from.
    Source,
}

impl Kind {
    /// A word for messages.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Dateline => "dateline",
            Kind::Byline => "byline",
            Kind::Source => "source line",
        }
    }
}

/// One provenance line of a document.
#[derive(Debug, Clone)]
pub struct Line {
    /// What it is.
    pub kind: Kind,
    /// Raw byte span of the line's provenance text.
    pub span: Range<usize>,
    /// Its normalized text (script, width and punctuation folded).
    pub norm: String,
    /// Month and day of a dateline.
    pub day: Option<(u32, u32)>,
}

fn dateline_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:新华社|新華社|中新社|中新網|中新网|人民日报|人民日報|央视|央視|本报|本報)[\p{Han}]{0,8}?([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})月([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})日\s*(?:电|電)")
            .expect("static pattern")
    })
}

fn line_of(d: &Document, kind: Kind, span: Range<usize>) -> Line {
    let raw = d.text_at(span.clone());
    let raw = raw.as_ref();
    let norm = crate::normalize::normalize(raw, 0)
        .chars
        .into_iter()
        .filter(|c| !crate::normalize::is_punct(*c) && *c != ' ')
        .collect();
    let day = (kind == Kind::Dateline)
        .then(|| dateline_re().captures(raw))
        .flatten()
        .and_then(|c| {
            Some((
                crate::dates::parse_number(c.get(1)?.as_str())?,
                crate::dates::parse_number(c.get(2)?.as_str())?,
            ))
        });
    Line {
        kind,
        span,
        norm,
        day,
    }
}

/// The provenance lines of `d`, in text order: provenance units, and a dateline that opens a
/// content paragraph (within its first 40 bytes).
pub fn lines(d: &Document) -> Vec<Line> {
    let mut out = Vec::new();
    for u in &d.units {
        match u.kind {
            UnitKind::Provenance => {
                let raw = d.text_at(u.span.clone());
                let raw = raw.as_ref();
                let kind = if dateline_re().is_match(raw) {
                    Kind::Dateline
                } else if raw.contains("来源") || raw.contains("來源") || raw.contains("稿源")
                {
                    Kind::Source
                } else {
                    Kind::Byline
                };
                let span = match (kind, dateline_re().find(raw)) {
                    (Kind::Dateline, Some(m)) => u.span.start + m.start()..u.span.start + m.end(),
                    _ => u.span.clone(),
                };
                out.push(line_of(d, kind, span));
            }
            k if k.is_content() => {
                // Only a paragraph's opening counts: search its first few dozen bytes, not the
                // whole paragraph of every unit.
                let head = d.text_at(u.span.start..(u.span.start + 120).min(u.span.end));
                let head = head.as_ref();
                if let Some(m) = dateline_re().find(head).filter(|m| m.start() <= 40) {
                    out.push(line_of(
                        d,
                        Kind::Dateline,
                        u.span.start + m.start()..u.span.start + m.end(),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// Pairs of provenance lines that differ: for each kind, the reference's first line of that kind
/// against the witness's first. A witness without a line of a kind (a page cut before it) says
/// nothing about it.
pub fn changed(reference: &[Line], witness: &[Line]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for kind in [Kind::Dateline, Kind::Byline, Kind::Source] {
        let r = reference.iter().position(|l| l.kind == kind);
        let w = witness.iter().position(|l| l.kind == kind);
        if let (Some(r), Some(w)) = (r, w) {
            if reference[r].norm != witness[w].norm {
                out.push((r, w));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        let kb = crate::knowledge::Knowledge::embedded();
        crate::pipeline::document_from_text(
            "t.txt".into(),
            "t.txt".into(),
            text.to_string(),
            Default::default(),
            &kb,
        )
    }

    #[test]
    fn datelines_open_or_close_and_compare_by_kind() {
        let a = doc("新華社北京4月6日電 題：某某紀事\n\n新華社記者\n\n◆某事發生了。\n");
        let b = doc("◆某事发生了。\n\n(新华社北京4月6日电)\n");
        let c = doc("新华社北京4月1日电 题：某某纪事\n\n人民日报记者\n\n◆某事发生了。\n");
        let (la, lb, lc) = (lines(&a), lines(&b), lines(&c));
        assert_eq!(la.len(), 2, "{la:?}");
        assert_eq!(la[0].day, Some((4, 6)));
        assert!(
            changed(&la, &lb).is_empty(),
            "same dateline, other place: {lb:?}"
        );
        let ch = changed(&la, &lc);
        assert_eq!(ch.len(), 2, "dateline and byline changed: {lc:?}");
        assert_eq!(lc[ch[0].1].day, Some((4, 1)));
    }
}
