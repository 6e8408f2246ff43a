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

/// A snippet of source for miette: the lines around the spans, each long line cut to a window
/// around the spans on it (a paragraph of Chinese is often one line of hundreds of characters,
/// three or four terminal rows once wrapped, and miette's underlines no longer line up under a
/// wrapped line). Reported columns count characters of the file, as collatio's own columns do
/// (miette counts bytes from the start of what it is given).
struct CharColumns {
    name: String,
    text: String,
    /// Lines of the file before the snippet's first line: added to the line numbers miette
    /// reports (padding the snippet with that many newlines made rendering quadratic).
    line_offset: usize,
    /// The lines of the snippet, in order.
    cuts: Vec<Cut>,
}

/// One line of a snippet: bytes `from..to` of the file, placed at `at` in the snippet (after an
/// ellipsis when cut on the left), with `before` characters of its line cut off before it.
struct Cut {
    from: usize,
    to: usize,
    at: usize,
    before: usize,
}

impl CharColumns {
    /// The snippet span of the file's byte range `a..b` (both ends on lines of the snippet).
    fn span(&self, a: usize, b: usize) -> SourceSpan {
        let map = |x: usize| {
            self.cuts
                .iter()
                .find(|c| c.from <= x && x <= c.to)
                .map_or(0, |c| c.at + (x - c.from))
        };
        let (a, b) = (map(a), map(b));
        SourceSpan::from(a..b.max(a))
    }
}

impl miette::SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        let off = span.offset().min(self.text.len());
        let k = self.cuts.partition_point(|c| c.at <= off);
        let column = k
            .checked_sub(1)
            .and_then(|k| {
                let c = &self.cuts[k];
                Some(c.before + self.text.get(c.at..off)?.chars().count())
            })
            .unwrap_or(inner.column());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.line_offset,
            column,
            inner.line_count(),
        )))
    }
}

/// Lines longer than this many characters are cut to a window around their spans.
const LONG_LINE: usize = 48;
/// Characters kept on each side of the spans in a cut line.
const AROUND: usize = 16;

/// The byte offset `n` characters before `at` in `s`, not before `lo`.
fn chars_back(s: &str, at: usize, n: usize, lo: usize) -> usize {
    if n == 0 {
        return at;
    }
    s[lo..at]
        .char_indices()
        .rev()
        .nth(n - 1)
        .map_or(lo, |(i, _)| lo + i)
}

/// The byte offset `n` characters after `at` in `s`, not after `hi`.
fn chars_forward(s: &str, at: usize, n: usize, hi: usize) -> usize {
    s[at..hi].char_indices().nth(n).map_or(hi, |(i, _)| at + i)
}

/// Append bytes `r` of `text` to the snippet `out`, with a [`Cut`] for each run of safe
/// characters: a control or bidi character (ESC of a terminal sequence, a right-to-left
/// override) is written as `\u{1b}`, never as itself, and spans still land on their text.
/// `before`: characters of the line before `r`.
fn push_escaped(
    out: &mut String,
    cuts: &mut Vec<Cut>,
    text: &str,
    r: std::ops::Range<usize>,
    mut before: usize,
) {
    let mut seg = r.start;
    for (i, c) in text[r.clone()].char_indices() {
        let i = r.start + i;
        if !crate::util::is_unsafe_char(c) {
            continue;
        }
        cuts.push(Cut {
            from: seg,
            to: i,
            at: out.len(),
            before,
        });
        out.push_str(&text[seg..i]);
        before += text[seg..i].chars().count() + 1;
        out.push_str(&crate::util::visible(&text[i..i + c.len_utf8()]));
        seg = i + c.len_utf8();
    }
    cuts.push(Cut {
        from: seg,
        to: r.end,
        at: out.len(),
        before,
    });
    out.push_str(&text[seg..r.end]);
}

/// The source of the diagnostic: the lines that hold `spans` (one line of context either side),
/// each line past [`LONG_LINE`] characters cut to the part around the spans.
fn source_for(doc: &Document, spans: &[(usize, usize)]) -> CharColumns {
    let text = doc.text.as_str();
    // Spans on character boundaries (a span that ends mid-character must not panic here).
    let floor = |x: usize| crate::model::floor_char_boundary(text, x);
    let spans: Vec<(usize, usize)> = spans.iter().map(|&(a, b)| (floor(a), floor(b))).collect();
    let spans = spans.as_slice();
    let lo = spans.iter().map(|s| s.0).min().unwrap_or(0).min(text.len());
    let hi = spans
        .iter()
        .map(|s| s.1)
        .max()
        .unwrap_or(0)
        .clamp(lo, text.len());
    let (l1, _) = doc.line_col(lo);
    let (l2, _) = doc.line_col(hi);
    let first = l1.saturating_sub(1).max(1);
    // miette counts lines from the start of the source it is given; `line_offset` makes the
    // line numbers shown the file's own.
    let mut out = String::new();
    let mut cuts = Vec::new();
    for line in first..=l2 + 1 {
        let r = doc.lines.line_range(text, line);
        if line > l2 && r.start >= text.len() {
            break;
        }
        if line > first {
            out.push('\n');
        }
        let (ls, le) = (r.start, r.end);
        let (from, to) = if text[ls..le].chars().count() > LONG_LINE {
            long_line_window(text, spans, ls, le)
        } else {
            (ls, le)
        };
        if from > ls {
            out.push('…');
        }
        push_escaped(
            &mut out,
            &mut cuts,
            text,
            from..to,
            text[ls..from].chars().count(),
        );
        if to < le {
            out.push('…');
        }
    }
    CharColumns {
        name: crate::util::visible(&doc.display).into_owned(),
        text: out,
        line_offset: first - 1,
        cuts,
    }
}

/// The part of the long line `ls..le` to show: [`AROUND`] characters either side of the spans
/// on it, or its start if no span touches it.
fn long_line_window(text: &str, spans: &[(usize, usize)], ls: usize, le: usize) -> (usize, usize) {
    // Span ends on this line, and whether a span runs on past either end of it.
    let points: Vec<usize> = spans
        .iter()
        .flat_map(|&(a, b)| [a, b])
        .filter(|&x| ls <= x && x <= le)
        .collect();
    let open_left = spans.iter().any(|&(a, b)| a < ls && b >= ls);
    let open_right = spans.iter().any(|&(a, b)| a <= le && b > le);
    if points.is_empty() && !open_left && !open_right {
        // A context line: its start.
        return (ls, chars_forward(text, ls, LONG_LINE, le));
    }
    let p_lo = if open_left {
        ls
    } else {
        points.iter().copied().min().unwrap_or(ls)
    };
    let p_hi = if open_right {
        le
    } else {
        points.iter().copied().max().unwrap_or(le)
    };
    (
        chars_back(text, p_lo, AROUND, ls),
        chars_forward(text, p_hi, AROUND, le),
    )
}

/// Text from the archive (messages quote it) with control and bidi characters escaped.
fn vis(s: &str) -> String {
    crate::util::visible(s).into_owned()
}

/// The diagnostic for `f`: its own snippet and labels, one related diagnostic per place in
/// another witness, and its message.
fn build<'a>(f: &'a Finding, input: &ReportInput<'a>) -> Diag<'a> {
    let doc = input.docs.get(f.location.file.as_str()).copied();
    // A snippet of a megabyte-long line helps nobody: show the location and message only.
    let doc = doc.filter(|d| {
        (f.location.line..=f.location.end_line)
            .all(|l| d.lines.line_range(&d.text, l).len() <= 4096)
    });
    let (src, labels) = match doc {
        Some(doc) => {
            let (s, labels) = own_snippet(f, doc);
            (Some(s), labels)
        }
        None => (None, Vec::new()),
    };
    let related = f
        .related
        .iter()
        .filter_map(|r| other_witness(f, r, input))
        .collect();
    Diag {
        f,
        message: vis(&headline(f)),
        src,
        labels,
        help: f.help.as_deref().map(vis),
        related,
        severity: level(f.severity),
    }
}

/// The snippet of `f`'s own file, labelled at the finding and at every related place in the
/// same file.
fn own_snippet(f: &Finding, doc: &Document) -> (CharColumns, Vec<LabeledSpan>) {
    let same_file = || {
        f.related
            .iter()
            .filter_map(|r| r.location.as_ref().map(|l| (r, l)))
            .filter(|(_, l)| l.file == f.location.file)
    };
    let mut spans = vec![(f.location.start, f.location.end)];
    spans.extend(same_file().map(|(_, l)| (l.start, l.end)));
    let s = source_for(doc, &spans);
    let at = |a: usize, b: usize| s.span(a, b);
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(vis(&f.label)),
        at(f.location.start, f.location.end),
    )];
    for (r, l) in same_file() {
        if (l.start, l.end) != (f.location.start, f.location.end) {
            labels.push(LabeledSpan::new_with_span(
                Some(vis(&r.message)),
                at(l.start, l.end),
            ));
        }
    }
    (s, labels)
}

/// A related place in another witness, as an advice with its own snippet (none if that file is
/// not loaded, or its lines are too long to show).
fn other_witness<'a>(
    f: &'a Finding,
    r: &crate::finding::Related,
    input: &ReportInput<'a>,
) -> Option<Diag<'a>> {
    let l = r.location.as_ref()?;
    if l.file == f.location.file {
        return None;
    }
    let odoc = input.docs.get(l.file.as_str()).copied()?;
    if (l.line..=l.end_line).any(|n| odoc.lines.line_range(&odoc.text, n).len() > 4096) {
        return None;
    }
    let s = source_for(odoc, &[(l.start, l.end)]);
    let span = s.span(l.start, l.end);
    Some(Diag {
        f,
        message: vis(&format!(
            "{} ({}:{}:{})",
            r.message, l.file, l.line, l.column
        )),
        src: Some(s),
        labels: vec![LabeledSpan::new_primary_with_span(
            Some(vis(&r.message)),
            span,
        )],
        help: None,
        related: Vec::new(),
        severity: miette::Severity::Advice,
    })
}

/// `file:line:column: message`, with the baseline mark and the related notes that have no
/// place.
fn headline(f: &Finding) -> String {
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
    message
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
    // Baselined findings are counted in one line unless asked for.
    let hide = input.baseline_used && !input.show_baselined;
    let shown: Vec<&Finding> = input
        .findings
        .iter()
        .filter(|f| !hide || f.baseline_state.as_deref() != Some("unchanged"))
        .collect();
    let row = |i: usize, f: &&Finding, buf: &mut Vec<u8>| {
        let mut out = String::new();
        let file = f.location.file.as_str();
        if i == 0 || shown[i - 1].location.file != file {
            out.push_str(&format!("── {} ──\n", vis(file)));
        }
        let d = build(f, input);
        // A panic inside miette must not lose the report: the finding is written plainly.
        let rendered = crate::error::guard(std::path::Path::new(file), || {
            let mut s = String::new();
            Ok(handler.render_report(&mut s, &d).map(|_| s))
        });
        match rendered {
            Ok(Ok(s)) => out.push_str(&s),
            _ => out.push_str(&format!("{}\n", d.message)),
        }
        out.push('\n');
        buf.extend_from_slice(out.as_bytes());
    };
    super::write_rows(&shown, 0, w, &row)?;
    if input.quiet {
        return Ok(());
    }
    w.write_all(tail(input, shown.len()).as_bytes())
}

/// Listed one by one up to this many; beyond, counted by rule.
const FIXED_LISTED: usize = 20;

/// What follows the findings: the baselined findings not shown, the fixed entries, the
/// summary line.
fn tail(input: &ReportInput<'_>, shown: usize) -> String {
    let mut out = String::new();
    let hidden = input.findings.len() - shown;
    if hidden > 0 {
        out.push_str(&format!(
            "{hidden} finding{} accepted by the baseline not shown (--show-baselined lists them)\n",
            super::plural(hidden)
        ));
    }
    // Unreadable files were reported on standard error as they happened; the summary counts them.
    if input.baseline_used && !input.absent.is_empty() {
        out.push_str("Fixed since the baseline (prune with `collatio baseline --prune`):\n");
        if input.absent.len() <= FIXED_LISTED {
            for f in input.absent {
                out.push_str(&vis(&format!(
                    "  {} {} {}: {}\n",
                    f.code, f.rule, f.location.file, f.message
                )));
            }
        } else {
            for (rule, n) in super::finish::count_by_rule(input.absent.iter()) {
                out.push_str(&vis(&format!("  {n} × {rule}\n")));
            }
        }
    }
    out.push_str(&input.summary_line());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::SourceCode;

    /// A long line is cut to a window around the span; the span lands on the same text in the
    /// snippet, and the column reported is the file's.
    #[test]
    fn long_lines_are_windowed_and_columns_stay_the_file_s() {
        let kb = crate::knowledge::Knowledge::embedded();
        let line = format!("{}目标{}", "甲".repeat(100), "乙".repeat(100));
        let text = format!("标题\n\n{line}\n");
        let doc = crate::pipeline::document_from_text(
            "a.txt".into(),
            "a.txt".into(),
            text.clone(),
            Default::default(),
            &kb,
        );
        let a = text.find("目标").unwrap();
        let b = a + "目标".len();
        let src = source_for(&doc, &[(a, b)]);
        let span = src.span(a, b);
        assert_eq!(&src.text[span.offset()..span.offset() + span.len()], "目标");
        let snippet_line = src.text.lines().find(|l| l.contains("目标")).unwrap();
        assert!(snippet_line.starts_with('…') && snippet_line.ends_with('…'));
        assert_eq!(snippet_line.chars().count(), 1 + AROUND + 2 + AROUND + 1);
        let contents = src.read_span(&span, 0, 0).unwrap();
        assert_eq!(contents.line() + 1, 3);
        assert_eq!(contents.column() + 1, doc.line_col(a).1);
        // A short line is left whole.
        let src = source_for(&doc, &[(0, "标题".len())]);
        assert!(src.text.starts_with("标题"));
    }
}
