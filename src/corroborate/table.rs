//! The corroboration table of the Markdown report: event, source A, source B, agree/conflict.

use crate::finding::{Category, Finding};
use crate::report::markdown::text;
use crate::report::ReportInput;

/// Rows shown at most (a PR comment has a size limit); conflicts come first.
const MAX_ROWS: usize = 100;

/// The table as Markdown, or nothing when nothing was corroborated. Without rows (as from
/// `check --against`, which keeps only findings), the conflict findings make the table.
pub fn render(input: &ReportInput<'_>) -> String {
    let mut rows: Vec<[String; 4]> = input
        .corroboration
        .iter()
        .map(|r| [r.event.clone(), r.a.clone(), r.b.clone(), r.verdict.clone()])
        .collect();
    if rows.is_empty() {
        rows = input
            .findings
            .iter()
            .filter(|f| f.category == Category::Conflict && !f.rule.ends_with("unpaired"))
            .map(from_finding)
            .collect();
    }
    if rows.is_empty() {
        return String::new();
    }
    // Conflicts first, in their order; then agreements.
    rows.sort_by_key(|r| r[3] == "agree");
    let mut out = String::from(
        "### Corroboration\n\n| event | source A | source B | agree/conflict |\n|---|---|---|---|\n",
    );
    for r in rows.iter().take(MAX_ROWS) {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            text(&r[0]),
            text(&r[1]),
            text(&r[2]),
            text(&r[3])
        ));
    }
    if rows.len() > MAX_ROWS {
        out.push_str(&format!("\n…and {} more.\n", rows.len() - MAX_ROWS));
    }
    out.push('\n');
    out
}

fn from_finding(f: &Finding) -> [String; 4] {
    let l = &f.location;
    let other = f.related.first();
    let b = match other.and_then(|r| r.location.as_ref()) {
        Some(o) => format!(
            "{}:{}: {}",
            o.file,
            o.line,
            other.map_or("", |r| &r.message)
        ),
        None => f.witness.clone().unwrap_or_default(),
    };
    let kind = f.rule.strip_prefix("conflict/").unwrap_or(&f.rule);
    [
        f.message.clone(),
        format!("{}:{}", l.file, l.line),
        b,
        format!("conflict: {kind}"),
    ]
}
