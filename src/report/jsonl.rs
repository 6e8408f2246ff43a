//! JSON Lines: one finding per line. A public interface: fields are only ever added.
//!
//! `rule, code, category, severity, file, line, column, end_line, end_column, message, help,
//! witness, fingerprint, related` and, under a baseline, `baseline_state` (`new`, `unchanged`,
//! or `absent` for baseline entries that no longer occur). Lines and columns are 1-based;
//! columns count characters.

use super::ReportInput;
use crate::finding::Finding;
use serde_json::{json, Value};

pub fn finding_json(f: &Finding) -> Value {
    let mut v = json!({
        "rule": f.rule,
        "code": f.code,
        "category": f.category.as_str(),
        "severity": f.severity.as_str(),
        "file": f.location.file,
        "line": f.location.line,
        "column": f.location.column,
        "end_line": f.location.end_line,
        "end_column": f.location.end_column,
        "message": f.message,
        "help": f.help,
        "witness": f.witness,
        "fingerprint": f.fingerprint,
        "related": f.related.iter().map(|r| match &r.location {
            Some(l) => json!({"file": l.file, "line": l.line, "column": l.column, "end_line": l.end_line, "end_column": l.end_column, "message": r.message}),
            None => json!({"message": r.message}),
        }).collect::<Vec<_>>(),
    });
    if let Some(s) = &f.baseline_state {
        v["baseline_state"] = json!(s);
    }
    v
}

pub fn render(input: &ReportInput<'_>) -> String {
    let mut out = String::new();
    for f in input.findings {
        out.push_str(&finding_json(f).to_string());
        out.push('\n');
    }
    for f in input.absent {
        let mut v = finding_json(f);
        v["baseline_state"] = json!("absent");
        out.push_str(&v.to_string());
        out.push('\n');
    }
    out
}
