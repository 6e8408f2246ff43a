//! The one `Finding` type that flows out of every stage.
//!
//! A finding carries its file, byte span, line/column, message, help and related spans (the other
//! witness's reading, the knowledge-base entry), so nothing downstream re-reads files.

use crate::model::Document;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::ops::Range;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of discrepancy a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Loop,
    Title,
    DroppedEvent,
    InsertedEvent,
    AlteredEvent,
    DateStructure,
    Substitution,
    Layout,
    Provenance,
    Encoding,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Loop => "loop",
            Category::Title => "title",
            Category::DroppedEvent => "dropped-event",
            Category::InsertedEvent => "inserted-event",
            Category::AlteredEvent => "altered-event",
            Category::DateStructure => "date-structure",
            Category::Substitution => "substitution",
            Category::Layout => "layout",
            Category::Provenance => "provenance",
            Category::Encoding => "encoding",
        }
    }

    pub const ALL: [Category; 10] = [
        Category::Loop,
        Category::Title,
        Category::DroppedEvent,
        Category::InsertedEvent,
        Category::AlteredEvent,
        Category::DateStructure,
        Category::Substitution,
        Category::Layout,
        Category::Provenance,
        Category::Encoding,
    ];
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub file: String,
    /// Byte range in the decoded text.
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Location {
    pub fn in_doc(doc: &Document, r: Range<usize>) -> Location {
        let (line, column) = doc.line_col(r.start);
        let (end_line, end_column) = doc.line_col(r.end.max(r.start));
        Location {
            file: doc.display.clone(),
            start: r.start,
            end: r.end.max(r.start),
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// Another place that explains a finding: the other witness's reading, a knowledge entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub location: Option<Location>,
    pub message: String,
}

/// One discrepancy.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id, e.g. `loop/repeated-phrase`.
    pub rule: String,
    /// Short stable code, e.g. `LP001`.
    pub code: String,
    pub category: Category,
    pub severity: Severity,
    pub location: Location,
    pub message: String,
    pub help: Option<String>,
    /// Label shown under the primary span.
    pub label: String,
    pub related: Vec<Related>,
    /// The other witness involved, if any.
    pub witness: Option<String>,
    /// What the finding is about, normalized: the identity used by the fingerprint.
    pub subject: String,
    /// Normalized text of the unit the finding sits in (part of its identity). Only the
    /// fingerprint needs it: [`Finding::seal`] hashes it and lets it go, so tens of thousands of
    /// findings do not each keep a copy of their paragraph.
    #[serde(skip)]
    pub context: String,
    pub fingerprint: String,
    /// Under a baseline: `new` or `unchanged` (SARIF terms); `absent` for fixed entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_state: Option<String>,
}

impl Finding {
    /// Compute the stable fingerprint: rule, file (relative path), normalized unit text and
    /// subject. Never the line number, so it survives edits elsewhere in the file.
    pub fn seal(mut self) -> Finding {
        let mut h = Sha256::new();
        for part in [
            self.rule.as_str(),
            self.location.file.as_str(),
            self.context.as_str(),
            self.subject.as_str(),
            self.witness.as_deref().unwrap_or(""),
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        self.fingerprint = format!("{:x}", h.finalize())[..32].to_string();
        self.context = String::new();
        self
    }
}

/// A builder so rules read as prose.
pub struct FindingBuilder {
    f: Finding,
}

impl FindingBuilder {
    pub fn new(rule: &crate::rules::RuleInfo, doc: &Document, span: Range<usize>) -> Self {
        FindingBuilder {
            f: Finding {
                rule: rule.id.to_string(),
                code: rule.code.to_string(),
                category: rule.category,
                severity: rule.severity,
                location: Location::in_doc(doc, span),
                message: String::new(),
                help: None,
                label: String::new(),
                related: Vec::new(),
                witness: None,
                subject: String::new(),
                context: String::new(),
                fingerprint: String::new(),
                baseline_state: None,
            },
        }
    }
    pub fn message(mut self, m: impl Into<String>) -> Self {
        self.f.message = m.into();
        self
    }
    pub fn label(mut self, m: impl Into<String>) -> Self {
        self.f.label = m.into();
        self
    }
    pub fn help(mut self, m: impl Into<String>) -> Self {
        self.f.help = Some(m.into());
        self
    }
    pub fn severity(mut self, s: Severity) -> Self {
        self.f.severity = s;
        self
    }
    pub fn related(mut self, location: Option<Location>, message: impl Into<String>) -> Self {
        self.f.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }
    pub fn witness(mut self, w: Option<String>) -> Self {
        self.f.witness = w;
        self
    }
    pub fn subject(mut self, s: impl Into<String>) -> Self {
        self.f.subject = s.into();
        self
    }
    pub fn context(mut self, s: impl Into<String>) -> Self {
        self.f.context = s.into();
        self
    }
    pub fn build(self) -> Finding {
        self.f.seal()
    }
}

/// Sort findings for output: by file, then position, then rule.
pub fn sort(findings: &mut [Finding]) {
    // Stable and parallel: on a large archive this ran alone after the parallel checks.
    use rayon::slice::ParallelSliceMut;
    findings.par_sort_by(|a, b| {
        (&a.location.file, a.location.start, &a.rule, &a.message).cmp(&(
            &b.location.file,
            b.location.start,
            &b.rule,
            &b.message,
        ))
    });
}
