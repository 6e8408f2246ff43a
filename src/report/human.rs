//! Human output: one miette report per finding, grouped by file, with labelled spans on the raw
//! text and the other witness's reading as a related report, then a summary line.

use super::ReportInput;
use crate::finding::{Finding, Severity};
use crate::model::Document;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};
use std::fmt;

/// A finding as a miette diagnostic.
struct Diag<'a> {
    f: &'a Finding,
    message: String,
    src: Option<CharColumns>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    related: Vec<Diag<'a>>,
    severity: miette::Severity,
}

impl fmt::Debug for Diag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Diag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag<'_> {}

impl Diagnostic for Diag<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if self.f.code.is_empty() {
            return None;
        }
        Some(Box::new(format!("{} {}", self.f.code, self.f.rule)))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.src.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
    }
}

fn level(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    }
}

/// Limit what miette renders: the lines around the spans, not a 100 MB file.
/// A named source whose reported columns count characters, as collatio's own columns do (miette
/// counts bytes, which is three times too far right on a line of Chinese).
struct CharColumns {
    name: String,
    text: String,
}

impl miette::SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        let column = if inner.column() == 0 {
            0
        } else {
            let off = span.offset().min(self.text.len());
            let line_start = self
                .text
                .get(..off)
                .and_then(|s| s.rfind('\n'))
                .map_or(0, |i| i + 1);
            self.text
                .get(line_start..off)
                .map_or(inner.column(), |s| s.chars().count())
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

fn source_for(doc: &Document, spans: &[(usize, usize)]) -> (CharColumns, usize) {
    let lo = spans.iter().map(|s| s.0).min().unwrap_or(0);
    let hi = spans
        .iter()
        .map(|s| s.1)
        .max()
        .unwrap_or(0)
        .min(doc.text.len());
    let (l1, _) = doc.line_col(lo);
    let (l2, _) = doc.line_col(hi);
    let from = doc
        .lines
        .line_range(&doc.text, l1.saturating_sub(1).max(1))
        .start;
    let to = doc.lines.line_range(&doc.text, l2 + 1).end.max(hi);
    // miette counts lines from the start of the source it is given; pad with empty lines so that
    // line numbers shown are the file's own.
    let pad = "\n".repeat(l1.saturating_sub(1).max(1) - 1);
    let text = format!("{pad}{}", &doc.text[from..to]);
    let shift = pad.len() as isize - from as isize;
    (
        CharColumns {
            name: doc.display.clone(),
            text,
        },
        shift as usize,
    )
}

fn build<'a>(f: &'a Finding, input: &ReportInput<'a>) -> Diag<'a> {
    let doc = input.docs.get(f.location.file.as_str()).copied();
    let mut labels = Vec::new();
    let mut related = Vec::new();
    let mut src = None;
    // A snippet of a megabyte-long line helps nobody: show the location and message only.
    let doc = doc.filter(|d| {
        (f.location.line..=f.location.end_line)
            .all(|l| d.lines.line_range(&d.text, l).len() <= 4096)
    });
    if let Some(doc) = doc {
        let mut spans = vec![(f.location.start, f.location.end)];
        for r in &f.related {
            if let Some(l) = &r.location {
                if l.file == f.location.file {
                    spans.push((l.start, l.end));
                }
            }
        }
        let (s, shift) = source_for(doc, &spans);
        let at =
            |a: usize, b: usize| SourceSpan::from(a.wrapping_add(shift)..b.wrapping_add(shift));
        labels.push(LabeledSpan::new_primary_with_span(
            Some(f.label.clone()),
            at(f.location.start, f.location.end),
        ));
        for r in &f.related {
            if let Some(l) = &r.location {
                if l.file == f.location.file
                    && (l.start, l.end) != (f.location.start, f.location.end)
                {
                    labels.push(LabeledSpan::new_with_span(
                        Some(r.message.clone()),
                        at(l.start, l.end),
                    ));
                }
            }
        }
        src = Some(s);
    }
    for r in &f.related {
        let Some(l) = &r.location else {
            continue;
        };
        if l.file == f.location.file {
            continue;
        }
        let Some(odoc) = input.docs.get(l.file.as_str()).copied() else {
            continue;
        };
        if (l.line..=l.end_line).any(|n| odoc.lines.line_range(&odoc.text, n).len() > 4096) {
            continue;
        }
        let (s, shift) = source_for(odoc, &[(l.start, l.end)]);
        related.push(Diag {
            f,
            message: format!("{} ({}:{}:{})", r.message, l.file, l.line, l.column),
            src: Some(s),
            labels: vec![LabeledSpan::new_primary_with_span(
                Some(r.message.clone()),
                SourceSpan::from(l.start.wrapping_add(shift)..l.end.wrapping_add(shift)),
            )],
            help: None,
            related: Vec::new(),
            severity: miette::Severity::Advice,
        });
    }
    let mut message = format!(
        "{}:{}:{}: {}",
        f.location.file, f.location.line, f.location.column, f.message
    );
    if f.baseline_state.as_deref() == Some("unchanged") {
        message.push_str(" [baselined]");
    }
    for r in f.related.iter().filter(|r| r.location.is_none()) {
        message.push_str(&format!("\n  = {}", r.message));
    }
    Diag {
        f,
        message,
        src,
        labels,
        help: f.help.clone(),
        related,
        severity: level(f.severity),
    }
}

/// Write every finding, then the summary line, to `w`: rendered in parallel windows and written
/// in order (an archive run renders tens of thousands of diagnostics).
pub fn write(input: &ReportInput<'_>, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let theme = if input.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(input.width)
        .with_context_lines(1)
        .with_links(false);
    let findings = input.findings;
    let row = |i: usize, f: &Finding, buf: &mut Vec<u8>| {
        let mut out = String::new();
        let file = f.location.file.as_str();
        if i == 0 || findings[i - 1].location.file != file {
            out.push_str(&format!("── {file} ──\n"));
        }
        let d = build(f, input);
        if handler.render_report(&mut out, &d).is_err() {
            out.push_str(&format!("{}\n", d.message));
        }
        out.push('\n');
        buf.extend_from_slice(out.as_bytes());
    };
    super::write_rows(findings, 0, w, &row)?;
    let mut out = String::new();
    // Unreadable files were reported on standard error as they happened; the summary counts them.
    if input.baseline_used && !input.absent.is_empty() {
        out.push_str("Fixed since the baseline (prune with `collatio baseline --prune`):\n");
        for f in input.absent {
            out.push_str(&format!(
                "  {} {} {}: {}\n",
                f.code, f.rule, f.location.file, f.message
            ));
        }
    }
    out.push_str(&input.summary_line());
    out.push('\n');
    w.write_all(out.as_bytes())
}
