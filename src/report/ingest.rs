//! Findings read back from JSON Lines (the rows [`super::jsonl`] writes), so findings computed
//! elsewhere — by a Spark job, on another machine, by an earlier run — go through the same
//! baseline, reports and exit code as `check`'s own (`collatio report`).

use crate::error::Error;
use crate::finding::{Category, Finding, Location, Related, Severity};
use serde::Deserialize;
use std::io::BufRead;
use std::path::Path;

/// One JSONL row as read. Fields added after the first version (`start`, `end`, `label`) may be
/// missing: such a finding still gates and reports, only without its source snippet.
#[derive(Deserialize)]
struct RowIn {
    #[serde(default)]
    baseline_state: Option<String>,
    /// The WARC record of a finding in a web-archive capture.
    #[serde(default)]
    record: Option<Box<crate::finding::RecordRef>>,
    /// The identity in parts, for the baseline's fuzzy pass.
    #[serde(default)]
    anchors: crate::finding::Anchors,
    category: Category,
    code: String,
    column: usize,
    #[serde(default)]
    end: usize,
    end_column: usize,
    end_line: usize,
    file: String,
    fingerprint: String,
    help: Option<String>,
    #[serde(default)]
    label: String,
    line: usize,
    message: String,
    #[serde(default)]
    related: Vec<RelatedIn>,
    rule: String,
    severity: Severity,
    #[serde(default)]
    start: usize,
    witness: Option<String>,
}

/// A related place (`file` and position) or a note (`message` only).
#[derive(Deserialize)]
struct RelatedIn {
    column: Option<usize>,
    #[serde(default)]
    end: usize,
    end_column: Option<usize>,
    end_line: Option<usize>,
    file: Option<String>,
    line: Option<usize>,
    message: String,
    #[serde(default)]
    start: usize,
}

impl RelatedIn {
    fn into_related(self) -> Related {
        let location = match (self.file, self.line, self.column) {
            (Some(file), Some(line), Some(column)) => Some(Location {
                file,
                start: self.start,
                end: self.end.max(self.start),
                line,
                column,
                end_line: self.end_line.unwrap_or(line),
                end_column: self.end_column.unwrap_or(column),
            }),
            _ => None,
        };
        Related {
            location,
            message: self.message,
        }
    }
}

impl RowIn {
    /// The finding this row was written from, or `None` for a baseline entry that no longer
    /// occurred (`absent`): a report recomputes those from its own baseline.
    fn into_finding(self) -> Option<Finding> {
        if self.baseline_state.as_deref() == Some("absent") {
            return None;
        }
        Some(Finding {
            rule: self.rule,
            code: self.code,
            category: self.category,
            severity: self.severity,
            location: Location {
                file: self.file,
                start: self.start,
                end: self.end.max(self.start),
                line: self.line,
                column: self.column,
                end_line: self.end_line,
                end_column: self.end_column,
            },
            message: self.message,
            help: self.help,
            label: self.label,
            related: self
                .related
                .into_iter()
                .map(RelatedIn::into_related)
                .collect(),
            witness: self.witness,
            // Only the fingerprint needed these; it is already sealed.
            subject: String::new(),
            context: String::new(),
            fingerprint: self.fingerprint,
            // Gating is the reader's job: its baseline decides, not the writer's.
            baseline_state: None,
            record: self.record,
            anchors: self.anchors,
        })
    }
}

/// Parse JSONL text: one finding per non-blank line. `name` names the source in errors, which
/// give the line number and what is wrong with it.
pub fn parse(name: &str, text: &str) -> Result<Vec<Finding>, Error> {
    parse_lines(name, text.lines().map(|l| Ok(l.to_string())), &|e| {
        Error::Usage(format!("{name}: {e}"))
    })
}

/// Read a JSONL file of findings, line by line (a file of millions of findings is never held
/// as one string).
pub fn read(path: &Path) -> Result<Vec<Finding>, Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    crate::util::ensure_regular(path).map_err(io)?;
    let file = std::fs::File::open(path).map_err(io)?;
    let reader = std::io::BufReader::with_capacity(1 << 16, file);
    parse_lines(&crate::error::shown(path), reader.lines(), &io)
}

fn parse_lines(
    name: &str,
    lines: impl Iterator<Item = std::io::Result<String>>,
    io: &dyn Fn(std::io::Error) -> Error,
) -> Result<Vec<Finding>, Error> {
    let mut out = Vec::new();
    for (i, line) in lines.enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let row: RowIn = serde_json::from_str(&line).map_err(|e| {
            let col = e.column().saturating_sub(1).min(line.len());
            let col = (0..=col).rev().find(|&c| line.is_char_boundary(c)).unwrap_or(0);
            Error::data(
                format!("{name}:{}", i + 1),
                &line,
                Some(col..col),
                format!("not a collatio finding: {e}"),
                Some(
                    "give `collatio report` the JSON Lines written by `collatio check --format jsonl` \
                     or by the Spark job (findings.jsonl)"
                        .into(),
                ),
            )
        })?;
        out.extend(row.into_finding());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{render, Format, ReportInput};

    /// Every field `check` writes comes back: written again, the rows are the same bytes.
    #[test]
    fn rows_round_trip() {
        let kb = crate::knowledge::Knowledge::embedded();
        let doc = crate::pipeline::document_from_text(
            "a.txt".into(),
            "a.txt".into(),
            "生產生活秩序加快恢覆的態勢。\n\n外交部发言人介绍有关情况有关情况有关情况。\n".into(),
            Default::default(),
            &kb,
        );
        let findings = crate::rules::check_document(&doc, &kb);
        assert!(findings.len() >= 2, "{findings:#?}");
        let docs = [doc];
        let out = render(Format::Jsonl, &ReportInput::new(&findings, &docs));
        let back = parse("t.jsonl", &out).unwrap();
        assert_eq!(back.len(), findings.len());
        assert_eq!(back[0].location, findings[0].location);
        assert_eq!(back[0].label, findings[0].label);
        let again = render(Format::Jsonl, &ReportInput::new(&back, &docs));
        assert_eq!(again, out);
    }

    #[test]
    fn a_bad_line_is_an_error_naming_it() {
        let e = parse("f.jsonl", "\n{\"rule\": 3}\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("f.jsonl:2"), "{e}");
        assert!(parse("f.jsonl", "not json").is_err());
    }

    #[test]
    fn absent_rows_are_left_to_the_reader_s_baseline() {
        let kb = crate::knowledge::Knowledge::embedded();
        let doc = crate::pipeline::document_from_text(
            "a.txt".into(),
            "a.txt".into(),
            "生產生活秩序加快恢覆的態勢。\n".into(),
            Default::default(),
            &kb,
        );
        let findings = crate::rules::check_document(&doc, &kb);
        let docs = [doc];
        let mut input = ReportInput::new(&findings, &docs);
        input.absent = &findings;
        let out = render(Format::Jsonl, &input);
        let back = parse("t.jsonl", &out).unwrap();
        assert_eq!(back.len(), findings.len());
        assert!(back.iter().all(|f| f.baseline_state.is_none()));
    }
}
