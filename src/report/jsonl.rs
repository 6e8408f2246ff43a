//! JSON Lines: one finding per line. A public interface: fields are only ever added.
//!
//! `rule, code, category, severity, file, line, column, end_line, end_column, message, help,
//! witness, fingerprint, related, label, start, end` and, under a baseline, `baseline_state`
//! (`new`, `unchanged`, or `absent` for baseline entries that no longer occur), and for a finding
//! in a web-archive capture `record` (`archive`, `offset`, `uri`, `captured`, `id`). Lines and
//! columns are 1-based; columns count characters; `start` and `end` are byte offsets in the
//! decoded text (they, and the `label` under the primary span, let `collatio report` render a
//! finding read back from JSONL as `check` renders it: see [`super::ingest::read`]).

use super::ReportInput;
use crate::finding::{Anchors, Finding, Location};
use serde::Serialize;

/// One line, serialized straight from borrowed fields (an archive run prints tens of thousands).
/// Fields are in alphabetical order: the key order of the format since its first version.
#[derive(Serialize)]
struct Row<'a> {
    /// The identity in parts, so a baseline's fuzzy pass can run on saved findings.
    #[serde(skip_serializing_if = "Anchors::is_empty")]
    anchors: &'a Anchors,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'a str>,
    category: &'a str,
    code: &'a str,
    column: usize,
    end: usize,
    end_column: usize,
    end_line: usize,
    file: &'a str,
    fingerprint: &'a str,
    help: Option<&'a str>,
    label: &'a str,
    line: usize,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<&'a crate::finding::RecordRef>,
    related: Vec<RelatedRow<'a>>,
    rule: &'a str,
    severity: &'a str,
    start: usize,
    witness: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum RelatedRow<'a> {
    At {
        column: usize,
        end: usize,
        end_column: usize,
        end_line: usize,
        file: &'a str,
        line: usize,
        message: &'a str,
        start: usize,
    },
    Note {
        message: &'a str,
    },
}

fn row<'a>(f: &'a Finding, baseline_state: Option<&'a str>) -> Row<'a> {
    Row {
        anchors: &f.anchors,
        baseline_state,
        category: f.category.as_str(),
        code: &f.code,
        column: f.location.column,
        end: f.location.end,
        end_column: f.location.end_column,
        end_line: f.location.end_line,
        file: &f.location.file,
        fingerprint: &f.fingerprint,
        help: f.help.as_deref(),
        label: &f.label,
        line: f.location.line,
        message: &f.message,
        record: f.record.as_deref(),
        related: f
            .related
            .iter()
            .map(|r| match &r.location {
                Some(Location {
                    file,
                    start,
                    end,
                    line,
                    column,
                    end_line,
                    end_column,
                }) => RelatedRow::At {
                    column: *column,
                    end: *end,
                    end_column: *end_column,
                    end_line: *end_line,
                    file,
                    line: *line,
                    message: &r.message,
                    start: *start,
                },
                None => RelatedRow::Note {
                    message: &r.message,
                },
            })
            .collect(),
        rule: &f.rule,
        severity: f.severity.as_str(),
        start: f.location.start,
        witness: f.witness.as_deref(),
    }
}

/// Stream the rows to `w`: one row per finding, written as it is made, so a report of tens of
/// thousands of findings is never held in memory as a whole.
pub fn write(input: &ReportInput<'_>, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    super::write_findings(input.findings, input.absent, w, &|_, f, absent, buf| {
        let state = if absent {
            Some("absent")
        } else {
            f.baseline_state.as_deref()
        };
        // Serializing strings and numbers into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *buf, &row(f, state));
        buf.push(b'\n');
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows are serialized in parallel windows and chunks; they must come out whole, one per
    /// line, in the findings' order, with the absent entries last.
    #[test]
    fn parallel_rows_keep_order() {
        let n = 40_000;
        let (doc, findings, absent) = crate::report::testing::numbered_findings(n);
        let docs = [doc];
        let mut input = ReportInput::new(&findings, &docs);
        input.absent = &absent;
        let out = crate::report::render(crate::report::Format::Jsonl, &input);
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), n + 1);
        for (i, v) in lines.iter().enumerate() {
            assert_eq!(v["line"], i + 1);
        }
        assert_eq!(lines[n]["baseline_state"], "absent");
        assert!(lines[0].get("baseline_state").is_none_or(|s| s.is_null()));
    }
}
