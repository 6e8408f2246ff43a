//! Report stage: findings → human (miette), JSON Lines, SARIF 2.1.0, Markdown.
//!
//! Every format is a function of the same inputs ([`ReportInput`]); rules never format output.

use crate::finding::{Finding, Severity};
use crate::model::Document;
use std::collections::HashMap;

pub mod apparatus;
pub mod finish;
pub mod github;
pub mod html;
pub mod human;
pub mod ingest;
pub mod jsonl;
pub mod linehash;
pub mod markdown;
pub mod readings;
pub mod sarif;
pub mod tei;
pub mod views;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, for a terminal
    Human,
    /// One JSON object per finding, per line, for scripts
    Jsonl,
    /// SARIF 2.1.0, for code-scanning tools
    Sarif,
    /// A summary and table for a pull-request comment
    Markdown,
    /// A self-contained HTML page: summary, witnesses side by side, filters.
    Html,
    /// GitHub Actions workflow commands (`::error file=…,line=…::message`): annotations on
    /// the pull request.
    Github,
}

/// What a report is made from.
pub struct ReportInput<'a> {
    /// Every finding of the run, sorted, baselined ones included (marked by `baseline_state`).
    pub findings: &'a [Finding],
    /// Documents by display path, for rendering spans.
    pub docs: HashMap<&'a str, &'a Document>,
    /// Baseline entries that no longer occur (fixed).
    pub absent: &'a [Finding],
    /// How many findings the baseline accepted.
    pub baselined: usize,
    /// How many files were checked.
    pub files: usize,
    /// Files that could not be read, as messages.
    pub errors: &'a [String],
    /// A baseline was applied: the summary then says what it accepted and what is fixed.
    pub baseline_used: bool,
    /// Findings at or above this severity fail the run.
    pub fail_on: Severity,
    /// Colour and width for human output.
    pub color: bool,
    /// Terminal width in columns for human output.
    pub width: usize,
    /// Rule data for views that collate again (HTML); the built-in data when absent.
    pub kb: Option<&'a crate::knowledge::Knowledge>,
    /// Pairs of events two texts report, with their verdict (the Markdown report's
    /// corroboration table); empty when nothing was corroborated.
    pub corroboration: &'a [crate::corroborate::Row],
    /// Findings left out by `[[ignore]]` entries of the config.
    pub suppressed: usize,
    /// The configuration file those entries come from, as the summary names it (the file
    /// `--config` named, else the `collatio.toml` found).
    pub config_name: String,
    /// Those findings, with the reason of the entry (SARIF carries them as suppressed results
    /// with `include_baselined`); may be empty while `suppressed` counts them.
    pub ignored: &'a [finish::Ignored],
    /// Of the baselined findings, how many the fuzzy pass matched.
    pub fuzzy: usize,
    /// Human output: list the baselined findings too (else one line counts them).
    pub show_baselined: bool,
    /// Human output: findings only, no summary line.
    pub quiet: bool,
    /// SARIF: carry baselined findings as suppressed results (else they are left out).
    pub include_baselined: bool,
    /// Markdown: absolute link prefix to the files at the commit
    /// (`https://github.com/OWNER/REPO/blob/SHA/`), when known.
    pub link_base: Option<String>,
}

impl<'a> ReportInput<'a> {
    /// A report of `findings` over `docs` with no baseline, failing on warnings, no colour.
    pub fn new(findings: &'a [Finding], docs: &'a [Document]) -> Self {
        ReportInput {
            findings,
            docs: docs.iter().map(|d| (d.display.as_str(), d)).collect(),
            absent: &[],
            baselined: 0,
            files: docs.len(),
            errors: &[],
            baseline_used: false,
            fail_on: Severity::Warning,
            color: false,
            width: 100,
            kb: None,
            corroboration: &[],
            suppressed: 0,
            config_name: crate::config::FILE_NAME.to_string(),
            ignored: &[],
            fuzzy: 0,
            show_baselined: false,
            quiet: false,
            include_baselined: false,
            link_base: None,
        }
    }

    /// Findings that count toward failure: new ones (all, without a baseline).
    pub fn new_findings(&self) -> impl Iterator<Item = &'a Finding> + '_ {
        self.findings
            .iter()
            .filter(|f| f.baseline_state.as_deref() != Some("unchanged"))
    }

    /// Counts of error / warning / note among `it`.
    pub fn counts<'b>(it: impl Iterator<Item = &'b Finding>) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for f in it {
            match f.severity {
                Severity::Error => c.0 += 1,
                Severity::Warning => c.1 += 1,
                Severity::Note => c.2 += 1,
            }
        }
        c
    }

    /// The one-line summary printed after human output.
    pub fn summary_line(&self) -> String {
        let (e, w, n) = Self::counts(self.new_findings());
        let total = e + w + n;
        let mut s = format!(
            "collatio: {} file{} checked, {} finding{} ({e} error{}, {w} warning{}, {n} note{})",
            self.files,
            plural(self.files),
            total,
            plural(total),
            plural(e),
            plural(w),
            plural(n)
        );
        if self.baseline_used {
            s.push_str(&format!(
                "; {} accepted by the baseline, {} baseline entr{} fixed",
                self.baselined,
                self.absent.len(),
                if self.absent.len() == 1 { "y" } else { "ies" }
            ));
        }
        if self.suppressed > 0 {
            s.push_str(&format!(
                "; {} ignored by {}",
                self.suppressed,
                crate::util::visible(&self.config_name)
            ));
        }
        if !self.errors.is_empty() {
            s.push_str(&format!(
                "; {} file{} could not be read",
                self.errors.len(),
                plural(self.errors.len())
            ));
        }
        s
    }
}

/// `"s"` unless `n` is 1, for English counts in messages.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Write `input` in `format` to `w` (human, JSON Lines and SARIF streamed finding by finding,
/// Markdown rendered whole: it lists a bounded number).
pub fn write(
    format: Format,
    input: &ReportInput<'_>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Jsonl => jsonl::write(input, w),
        Format::Sarif => sarif::write(input, w),
        Format::Human => human::write(input, w),
        Format::Markdown => w.write_all(markdown::render(input).as_bytes()),
        Format::Html => html::write(input, w),
        Format::Github => github::write(input, w),
    }
}

/// Serialize `items` to `w` in order, in parallel a window at a time: memory stays bounded by a
/// window, not by the report. `row(i, item, buf)` appends item `i` (counting from `first`).
pub(crate) fn write_rows<T: Sync>(
    items: &[T],
    first: usize,
    w: &mut dyn std::io::Write,
    row: &(dyn Fn(usize, &T, &mut Vec<u8>) + Sync),
) -> std::io::Result<()> {
    use rayon::prelude::*;
    const WINDOW: usize = 16 * 1024;
    const CHUNK: usize = 1024;
    for (wi, window) in items.chunks(WINDOW).enumerate() {
        let bufs: Vec<Vec<u8>> = window
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(ci, chunk)| {
                let mut buf = Vec::with_capacity(chunk.len() * 450);
                for (k, f) in chunk.iter().enumerate() {
                    row(first + wi * WINDOW + ci * CHUNK + k, f, &mut buf);
                }
                buf
            })
            .collect();
        for b in bufs {
            w.write_all(&b)?;
        }
    }
    Ok(())
}

/// How [`write_findings`] serializes one finding: `(index, finding, is_absent, buffer)`.
pub(crate) type FindingRow<'a> = dyn Fn(usize, &Finding, bool, &mut Vec<u8>) + Sync + 'a;

/// The findings, then the baseline entries no longer found (`absent`), through [`write_rows`]:
/// `row(i, finding, is_absent, buf)`, with `i` counting on across both lists.
pub(crate) fn write_findings(
    findings: &[Finding],
    absent: &[Finding],
    w: &mut dyn std::io::Write,
    row: &FindingRow<'_>,
) -> std::io::Result<()> {
    write_rows(findings, 0, w, &|i, f, buf| row(i, f, false, buf))?;
    write_rows(absent, findings.len(), w, &|i, f, buf| row(i, f, true, buf))
}

/// Render `input` in `format` into a string.
pub fn render(format: Format, input: &ReportInput<'_>) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write(format, input, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Test data for the streamed writers.
#[cfg(test)]
pub(crate) mod testing {
    use crate::finding::Finding;
    use crate::knowledge::Knowledge;
    use crate::model::Document;

    /// A document with one converter finding, `n` copies of that finding on lines 1..=n (more
    /// than two windows of [`super::write_rows`] when n > 32K), and one more on line n + 1 for
    /// the list of absent baseline entries.
    pub fn numbered_findings(n: usize) -> (Document, Vec<Finding>, [Finding; 1]) {
        let kb = Knowledge::embedded();
        let doc = crate::pipeline::document_from_text(
            "a.txt".into(),
            "a.txt".into(),
            "生產生活秩序加快恢覆的態勢。\n".into(),
            Default::default(),
            &kb,
        );
        let one = crate::rules::check_document(&doc, &kb);
        let f = one
            .iter()
            .find(|f| f.rule == "substitution/converter")
            .expect("the converter finds 恢覆");
        let at = |line: usize| {
            let mut g = f.clone();
            g.location.line = line;
            g
        };
        let findings = (1..=n).map(at).collect();
        (doc, findings, [at(n + 1)])
    }
}
