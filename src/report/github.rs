//! `--format github`: GitHub Actions workflow commands, one per new finding
//! (`::error file=…,line=…,col=…,title=…::message`), which the runner turns into annotations
//! on the pull request. Findings the baseline accepts are left out; a summary line ends it.

use super::ReportInput;
use crate::finding::{Finding, Severity};

/// A message with the characters a workflow command reserves escaped.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`, which end a property.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(f: &Finding) -> String {
    let kind = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let l = &f.location;
    let mut msg = f.message.clone();
    if let Some(h) = &f.help {
        msg.push_str(" — ");
        msg.push_str(h);
    }
    // Control characters from the archive are shown, never passed to the runner.
    let msg = crate::util::visible(&msg);
    format!(
        "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        property(&crate::util::visible(&l.file)),
        l.line,
        l.column,
        l.end_line.max(l.line),
        l.end_column,
        property(&format!("{} {}", f.code, f.rule)),
        data(&msg)
    )
}

/// Write the commands, then the summary line, to `w`.
pub fn write(input: &ReportInput<'_>, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    for f in input.new_findings() {
        w.write_all(command(f).as_bytes())?;
    }
    if !input.quiet {
        w.write_all(format!("{}\n", input.summary_line()).as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_are_escaped() {
        assert_eq!(property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
        assert_eq!(data("50%: a,b\r\n"), "50%25: a,b%0D%0A");
    }
}
