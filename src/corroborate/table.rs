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

/// A row from a conflict finding: its subject holds both readings (`date:2月19日|2月20日`,
/// see `finding` in this module's parent), its message the event between `(“` and `”)`.
fn from_finding(f: &Finding) -> [String; 4] {
    let l = &f.location;
    let (kind, readings) = f.subject.split_once(':').unwrap_or(("conflict", ""));
    let (a, b) = readings.split_once('|').unwrap_or((readings, ""));
    let event = f
        .message
        .split_once("(“")
        .and_then(|(_, rest)| rest.split_once("”)"))
        .map_or(f.message.as_str(), |(e, _)| e);
    let other = match f.related.first().and_then(|r| r.location.as_ref()) {
        Some(o) => format!("{}:{}: {b}", o.file, o.line),
        None => format!("{}: {b}", f.witness.as_deref().unwrap_or("")),
    };
    [
        event.to_string(),
        format!("{}:{}: {a}", l.file, l.line),
        other,
        format!("conflict: {kind}"),
    ]
}
