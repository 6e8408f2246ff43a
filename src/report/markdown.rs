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

/// The Markdown report for a pull-request comment: a summary, counts by category, a table of
/// the findings, the fixed baseline entries and the files that could not be read.
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
                "| {} | {} {} | [{}:{}]({}#L{}) | {} |\n",
                f.severity,
                code(&f.code),
                text(&f.rule),
                text(&l.file),
                l.line,
                link_target(&l.file),
                l.line,
                text(&f.message)
            ));
        }
        if listed.len() > 200 {
            out.push_str(&format!("\n…and {} more.\n", listed.len() - 200));
        }
        out.push('\n');
    }
    out.push_str(&crate::corroborate::table::render(input));
    if !input.absent.is_empty() {
        out.push_str("### Fixed since the baseline\n\n");
        for f in input.absent {
            out.push_str(&format!(
                "- {} {} in {}: {}\n",
                code(&f.code),
                text(&f.rule),
                text(&f.location.file),
                text(&f.message)
            ));
        }
        out.push('\n');
    }
    if !input.errors.is_empty() {
        out.push_str("### Files that could not be read\n\n");
        for e in input.errors {
            out.push_str(&format!("- {}\n", text(e)));
        }
    }
    out
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
