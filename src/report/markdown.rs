//! Markdown summary fit for a pull-request comment: a table of counts by category and severity,
//! then the new findings with `file:line` links, then what the baseline says is fixed.

use super::{plural, ReportInput};
use crate::finding::{Category, Severity};
use std::collections::BTreeMap;

/// `s` as inert Markdown text, fit for a table cell: HTML special characters as entities (no raw
/// HTML reaches the page), Markdown punctuation backslash-escaped (no link, emphasis or code
/// span can open), table pipes escaped, line breaks as spaces, control and bidi characters
/// shown as `\u{1b}`.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev = ' ';
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        let next = it.peek().copied().unwrap_or(' ');
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '`' => out.push_str("&#96;"),
            // `_` inside a word (a file name) opens no emphasis and stays readable.
            '_' if prev.is_alphanumeric() && next.is_alphanumeric() => out.push(c),
            '\\' | '|' | '*' | '_' | '[' | ']' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if crate::util::is_unsafe_char(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
        prev = c;
    }
    out
}

/// A path as a relative link target: every byte but unreserved ones and `/` percent-encoded,
/// so no scheme (`javascript:`) survives and no character ends the link.
pub fn link_target(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A rule code in backticks when it is a plain code; otherwise (a code read from a hostile
/// baseline) as escaped text.
fn code(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/')
    {
        format!("`{s}`")
    } else {
        text(s)
    }
}

/// A comment on a pull request holds at most 65,536 characters; the report stays under this.
pub const MAX_CHARS: usize = 60_000;

/// Room kept for what follows the table (the fixed entries by rule, unreadable files).
const TAIL_ROOM: usize = 8_000;

/// The report, under [`MAX_CHARS`] characters however many findings there are: counts, then
/// the new findings (warnings and errors) most severe first, then the fixed entries counted
/// by rule, then unreadable files.
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
    if input.suppressed > 0 {
        out.push_str(&format!(
            "; {} ignored by {}",
            input.suppressed,
            crate::util::visible(&input.config_name)
        ));
    }
    out.push_str(".\n\n");
    counts_table(&mut out, &new);
    // Before the findings: the findings table fills what room is left.
    out.push_str(&crate::corroborate::table::render(input));
    findings_table(&mut out, input, &new);
    fixed(&mut out, input);
    unreadable(&mut out, input);
    out
}

fn counts_table(out: &mut String, new: &[&crate::finding::Finding]) {
    let mut table: BTreeMap<Category, [usize; 3]> = BTreeMap::new();
    for f in new {
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
}

/// The link to `file` at `line`: absolute at the commit when known, else relative.
fn link(input: &ReportInput<'_>, file: &str, line: usize) -> String {
    format!(
        "{}{}#L{line}",
        input
            .link_base
            .as_deref()
            .map(url_prefix)
            .unwrap_or_default(),
        link_target(file)
    )
}

/// A URL prefix from the environment with every byte outside a plain URL percent-encoded,
/// so nothing in it ends the link or starts markup.
fn url_prefix(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_' | b'~' | b':' | b'%')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Rows while they fit in the budget (characters, as GitHub counts them), then how many more.
fn findings_table(out: &mut String, input: &ReportInput<'_>, new: &[&crate::finding::Finding]) {
    let listed = super::finish::by_severity(
        new.iter()
            .copied()
            .filter(|f| f.severity >= Severity::Warning),
    );
    if listed.is_empty() {
        return;
    }
    out.push_str(if input.baseline_used {
        "### New findings\n\n"
    } else {
        "### Findings\n\n"
    });
    out.push_str("| severity | rule | location | message |\n|---|---|---|---|\n");
    let mut chars = out.chars().count();
    let mut shown = 0;
    for f in &listed {
        let l = &f.location;
        let row = format!(
            "| {} | {} {} | [{}:{}]({}) | {} |\n",
            f.severity,
            code(&f.code),
            text(&f.rule),
            text(&l.file),
            l.line,
            link(input, &l.file, l.line),
            text(&crate::util::excerpt(&f.message, 300))
        );
        let n = row.chars().count();
        if chars + n > MAX_CHARS - TAIL_ROOM {
            break;
        }
        chars += n;
        out.push_str(&row);
        shown += 1;
    }
    if shown < listed.len() {
        out.push_str(&format!(
            "\n{} more — see the SARIF/JSONL artifact.\n",
            listed.len() - shown
        ));
    }
    out.push('\n');
}

/// The fixed entries, counted by rule (a list of each could run to megabytes).
fn fixed(out: &mut String, input: &ReportInput<'_>) {
    if input.absent.is_empty() {
        return;
    }
    out.push_str(&format!(
        "### Fixed since the baseline\n\n{} entr{} no longer found (`collatio baseline --prune` removes them):\n\n| rule | fixed |\n|---|---:|\n",
        input.absent.len(),
        if input.absent.len() == 1 { "y" } else { "ies" }
    ));
    let rules = super::finish::count_by_rule(input.absent.iter());
    for (rule, n) in rules.iter().take(40) {
        out.push_str(&format!("| {} | {n} |\n", text(rule)));
    }
    if rules.len() > 40 {
        out.push_str(&format!("| …{} more rules | |\n", rules.len() - 40));
    }
    out.push('\n');
}

fn unreadable(out: &mut String, input: &ReportInput<'_>) {
    if input.errors.is_empty() {
        return;
    }
    out.push_str("### Files that could not be read\n\n");
    for (i, e) in input.errors.iter().enumerate() {
        if i == 20 {
            out.push_str(&format!(
                "- …and {} more (see the log)\n",
                input.errors.len() - 20
            ));
            break;
        }
        out.push_str(&format!("- {}\n", text(&crate::util::excerpt(e, 300))));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_links_are_inert() {
        assert_eq!(
            text("<img src=x onerror=alert(1)>|`x`"),
            "&lt;img src=x onerror=alert(1)&gt;\\|&#96;x&#96;"
        );
        assert_eq!(
            text("[a](javascript:x)\u{1b}]8;;"),
            "\\[a\\](javascript:x)\\u{1b}\\]8;;"
        );
        assert_eq!(text("001_48fa _a_ *b*"), "001_48fa \\_a\\_ \\*b\\*");
        assert_eq!(
            link_target("javascript:alert(1)//a b.txt"),
            "javascript%3Aalert%281%29//a%20b.txt"
        );
        assert_eq!(
            link_target("archive/人民.txt"),
            "archive/%E4%BA%BA%E6%B0%91.txt"
        );
    }
}
