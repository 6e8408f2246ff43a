//! Markdown summary fit for a pull-request comment: a table of counts by category and severity,
//! then the new findings with `file:line` links, then what the baseline says is fixed.

use super::{plural, ReportInput};
use crate::finding::{Category, Severity};
use std::collections::BTreeMap;

fn esc(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(input: &ReportInput<'_>) -> String {
    let new: Vec<_> = input.new_findings().collect();
    let mut out = String::from("## collatio report\n\n");
    let (e, w, n) = ReportInput::counts(new.iter().copied());
    out.push_str(&format!(
        "{} file{} checked: **{e}** error{}, **{w}** warning{}, **{n}** note{}",
        input.files,
        plural(input.files),
        plural(e),
        plural(w),
        plural(n)
    ));
    if input.baseline_used {
        out.push_str(&format!(
            " new; {} accepted by the baseline; {} fixed",
            input.baselined,
            input.absent.len()
        ));
    }
    out.push_str(".\n\n");
    let mut table: BTreeMap<Category, [usize; 3]> = BTreeMap::new();
    for f in &new {
        let row = table.entry(f.category).or_default();
        match f.severity {
            Severity::Error => row[0] += 1,
            Severity::Warning => row[1] += 1,
            Severity::Note => row[2] += 1,
        }
    }
    if !table.is_empty() {
        out.push_str("| category | error | warning | note |\n|---|---:|---:|---:|\n");
        for (c, r) in &table {
            out.push_str(&format!("| {} | {} | {} | {} |\n", c, r[0], r[1], r[2]));
        }
        out.push('\n');
    }
    let listed: Vec<_> = new
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();
    if !listed.is_empty() {
        out.push_str(if input.baseline_used {
            "### New findings\n\n"
        } else {
            "### Findings\n\n"
        });
        out.push_str("| severity | rule | location | message |\n|---|---|---|---|\n");
        for f in listed.iter().take(200) {
            let l = &f.location;
            out.push_str(&format!(
                "| {} | `{}` {} | [{}:{}]({}#L{}) | {} |\n",
                f.severity,
                f.code,
                f.rule,
                l.file,
                l.line,
                l.file,
                l.line,
                esc(&f.message)
            ));
        }
        if listed.len() > 200 {
            out.push_str(&format!("\n…and {} more.\n", listed.len() - 200));
        }
        out.push('\n');
    }
    if !input.absent.is_empty() {
        out.push_str("### Fixed since the baseline\n\n");
        for f in input.absent {
            out.push_str(&format!(
                "- `{}` {} in {}: {}\n",
                f.code,
                f.rule,
                f.location.file,
                esc(&f.message)
            ));
        }
        out.push('\n');
    }
    if !input.errors.is_empty() {
        out.push_str("### Files that could not be read\n\n");
        for e in input.errors {
            out.push_str(&format!("- {}\n", esc(e)));
        }
    }
    out
}
