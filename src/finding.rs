//! The one `Finding` type that flows out of every stage.
//!
//! A finding carries its file, byte span, line/column, message, help and related spans (the other
//! witness's reading, the knowledge-base entry), so nothing downstream re-reads files.

use crate::model::Document;
use crate::normalize::Normalized;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::ops::Range;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; fails a run only with `--fail-on note`.
    Note,
    /// Probably a fault of the text.
    Warning,
    /// A fault that changes meaning (a number, a name, a title).
    Error,
}

impl Severity {
    /// Reads a severity as users write it (`note`/`info`, `warning`/`warn`, `error`; any case).
    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }

    /// The lowercase name, as in reports and config files.
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
    /// Text repeated by a broken copy or scrape (a phrase or paragraph looping).
    Loop,
    /// An official title that is wrong for the person or date.
    Title,
    /// A unit of the reference missing from a witness.
    DroppedEvent,
    /// A unit of a witness absent from the reference.
    InsertedEvent,
    /// A changed stretch inside an aligned unit (number, name, negation, wording …).
    AlteredEvent,
    /// Date headings and the events filed under them disagree (missing, misfiled, moved).
    DateStructure,
    /// Character substitutions by a script converter or OCR.
    Substitution,
    /// Page furniture left in the text: running heads, page splits, continuation marks.
    Layout,
    /// Where the copy came from: URLs, capture dates, datelines, boilerplate.
    Provenance,
    /// Decoding damage: replacement characters, mojibake, control characters, mixed scripts.
    Encoding,
    /// Two texts about the same events disagree on a fact (corroboration).
    Conflict,
}

impl Category {
    /// The kebab-case name used in rule ids, reports and `--severity`.
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
            Category::Conflict => "conflict",
        }
    }

    /// Every category, in the order reports list them.
    pub const ALL: [Category; 11] = [
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
        Category::Conflict,
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
    /// The file as reported (relative to the project root when there is one).
    pub file: String,
    /// Byte range in the decoded text.
    pub start: usize,
    /// End of the byte range (exclusive); equal to `start` at an insertion point.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in characters.
    pub column: usize,
    /// 1-based line of `end`.
    pub end_line: usize,
    /// 1-based column of `end`, in characters.
    pub end_column: usize,
}

impl Location {
    /// The location of byte range `r` of `doc`, with lines and columns from its line index (in
    /// the HTML source for a document extracted from an HTML file: [`Document::source_line_col`]).
    pub fn in_doc(doc: &Document, r: Range<usize>) -> Location {
        let (line, column) = doc.source_line_col(r.start);
        let (end_line, end_column) = doc.source_line_col(r.end.max(r.start));
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
    /// Where, when the explanation is a place in a file (not for a knowledge-base entry).
    pub location: Option<Location>,
    /// What is there, e.g. "the reference reads 秘书长".
    pub message: String,
}

/// One discrepancy.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id, e.g. `loop/repeated-phrase`.
    pub rule: String,
    /// Short stable code, e.g. `LP001`.
    pub code: String,
    /// The rule's category.
    pub category: Category,
    /// The severity after config and `--severity` were applied.
    pub severity: Severity,
    /// Where the finding is.
    pub location: Location,
    /// What is wrong, in one line.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Label shown under the primary span.
    pub label: String,
    /// Other places that explain the finding (the other witness's reading …).
    pub related: Vec<Related>,
    /// The other witness involved, if any.
    pub witness: Option<String>,
    /// What the finding is about, normalized: the identity used by the fingerprint.
    pub subject: String,
    /// The finding's own normalized text with up to [`CONTEXT_CHARS`] folded characters either
    /// side, from the unit it sits in (part of its identity; see [`FindingBuilder::around`]).
    /// Only the fingerprint needs it: [`Finding::seal`] hashes it and lets it go.
    #[serde(skip)]
    pub context: String,
    /// The identity baselines match on (32 hex digits); set by [`Finding::seal`].
    pub fingerprint: String,
    /// Parts of the identity hashed apart, for the baseline's second, fuzzy pass (see
    /// [`Anchors`]).
    #[serde(default, skip_serializing_if = "Anchors::is_empty")]
    pub anchors: Anchors,
    /// Under a baseline: `new` or `unchanged` (SARIF terms); `absent` for fixed entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_state: Option<String>,
    /// For a finding in a web-archive capture: the record it is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Box<RecordRef>>,
}

/// The WARC record a capture was read from (JSONL's `record` field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRef {
    /// The archive file as reports name it.
    pub archive: String,
    /// Byte offset of the record (its gzip member) in the archive.
    pub offset: u64,
    /// `WARC-Target-URI`.
    pub uri: String,
    /// `WARC-Date`: the capture time.
    pub captured: String,
    /// `WARC-Record-ID`.
    pub id: String,
}

impl RecordRef {
    /// The record of a capture read from an archive (from its front matter), if `doc` is one.
    pub fn of(doc: &Document) -> Option<Box<RecordRef>> {
        let p = &doc.provenance;
        let offset = p.field("record_offset")?.parse().ok()?;
        let get = |k: &str| p.field(k).unwrap_or("").to_string();
        Some(Box::new(RecordRef {
            archive: get("archive"),
            offset,
            uri: get("original_url"),
            captured: get("captured"),
            id: get("record_id"),
        }))
    }
}

/// A finding's identity in three parts, each a short hash: its own text (`span`: rule, file,
/// subject, witness and the folded text of the span) and the context on either side
/// (`before`, `after`: up to [`CONTEXT_CHARS`] folded characters each, with the rule, file and
/// witness). An edit next to a finding changes its fingerprint but leaves `span` and one side
/// alone, which is what the baseline's fuzzy pass looks for. Empty when the finding has no
/// context in a unit (a side that is empty never matches).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchors {
    /// The finding's own text.
    #[serde(default)]
    pub span: String,
    /// The context before the span.
    #[serde(default)]
    pub before: String,
    /// The context after the span.
    #[serde(default)]
    pub after: String,
}

impl Anchors {
    /// True when no part was computed (a finding read from an old baseline).
    pub fn is_empty(&self) -> bool {
        self.span.is_empty() && self.before.is_empty() && self.after.is_empty()
    }
}

/// 16 hex digits of the sha256 of `parts`, each ended by a NUL.
fn short_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for part in parts {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    format!("{:x}", h.finalize())[..16].to_string()
}

impl Finding {
    /// Compute the stable fingerprint: rule, file (relative path), the bounded normalized
    /// context around the finding's span, subject and witness. Never the line number, nor the
    /// rest of the paragraph, so it survives edits elsewhere in the file and in the paragraph.
    /// The same text found twice in a file gives the same fingerprint twice: baselines count
    /// occurrences per fingerprint (`count`), so a repeat is neither merged nor lost.
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
        self.anchors = self.split_anchors();
        self.context = String::new();
        self
    }
}

impl Finding {
    /// The [`Anchors`] of the context (marked off by [`bounded_context`]; a context without
    /// marks is all span).
    fn split_anchors(&self) -> Anchors {
        let (before, rest) = self
            .context
            .split_once('\u{2}')
            .unwrap_or(("", &self.context));
        let (span, after) = rest.split_once('\u{3}').unwrap_or((rest, ""));
        let (rule, file) = (self.rule.as_str(), self.location.file.as_str());
        let witness = self.witness.as_deref().unwrap_or("");
        // A side cut short by the unit's edge (a finding at a paragraph's end) anchors little:
        // many findings share "。".
        let side = |s: &str, which: &str| {
            if s.chars().count() < MIN_SIDE {
                String::new()
            } else {
                short_hash(&[which, rule, file, witness, s])
            }
        };
        Anchors {
            span: short_hash(&["span", rule, file, witness, &self.subject, span]),
            before: side(before, "before"),
            after: side(after, "after"),
        }
    }
}

/// Fewer folded characters than this on a side of a finding do not anchor it.
pub const MIN_SIDE: usize = 8;

/// A builder so rules read as prose.
pub struct FindingBuilder {
    f: Finding,
}

impl FindingBuilder {
    /// Starts a finding of `rule` at byte range `span` of `doc`, with the rule's category and
    /// default severity.
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
                anchors: Anchors::default(),
                baseline_state: None,
                record: RecordRef::of(doc),
            },
        }
    }
    /// Sets the one-line message.
    pub fn message(mut self, m: impl Into<String>) -> Self {
        self.f.message = m.into();
        self
    }
    /// Sets the label shown under the span.
    pub fn label(mut self, m: impl Into<String>) -> Self {
        self.f.label = m.into();
        self
    }
    /// Sets the advice on what to do.
    pub fn help(mut self, m: impl Into<String>) -> Self {
        self.f.help = Some(m.into());
        self
    }
    /// Overrides the rule's default severity for this finding (e.g. a changed day is an error).
    pub fn severity(mut self, s: Severity) -> Self {
        self.f.severity = s;
        self
    }
    /// Adds a related place (or, without a location, a related fact).
    pub fn related(mut self, location: Option<Location>, message: impl Into<String>) -> Self {
        self.f.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }
    /// Names the other witness involved; part of the identity.
    pub fn witness(mut self, w: Option<String>) -> Self {
        self.f.witness = w;
        self
    }
    /// Sets what the finding is about (normalized); part of the identity.
    pub fn subject(mut self, s: impl Into<String>) -> Self {
        self.f.subject = s.into();
        self
    }
    /// Identity context given as text (keep it short: it is hashed once per finding). Rules
    /// whose finding sits in a unit use [`FindingBuilder::around`] instead.
    pub fn context(mut self, s: impl Into<String>) -> Self {
        self.f.context = s.into();
        self
    }
    /// Identity context: the folded characters `span` of `norm` (the unit the finding sits in),
    /// with up to [`CONTEXT_CHARS`] either side. Bounded, so a finding in a paragraph of
    /// megabytes costs what one in a short paragraph does (hashing the whole paragraph made
    /// every stage quadratic in paragraph length), and an edit further away leaves it alone.
    pub fn around(mut self, norm: &Normalized, span: Range<usize>) -> Self {
        self.f.context = bounded_context(&norm.chars, span);
        self
    }
    /// [`FindingBuilder::around_raw`] in the unit of `doc` that holds `raw.start` (no context
    /// outside units: front matter, chrome).
    pub fn around_in(self, doc: &Document, raw: Range<usize>) -> Self {
        match doc.unit_at(raw.start) {
            Some(u) => self.around_raw(doc.units[u].norm(), raw),
            None => self,
        }
    }
    /// [`FindingBuilder::around`] for a raw byte range of the document (absolute offsets, as
    /// the unit's offset map holds them).
    pub fn around_raw(self, norm: &Normalized, raw: Range<usize>) -> Self {
        let span = folded_range(norm, raw);
        self.around(norm, span)
    }
    /// Finishes the finding, computing its fingerprint.
    pub fn build(self) -> Finding {
        self.f.seal()
    }
}

/// Folded characters taken either side of a finding's span for its fingerprint.
pub const CONTEXT_CHARS: usize = 32;

/// The folded characters of `norm` whose source starts inside raw bytes `raw` (absolute
/// offsets). Binary search on the sorted map.
pub fn folded_range(norm: &Normalized, raw: Range<usize>) -> Range<usize> {
    let src = &norm.src;
    let from = src.partition_point(|o| (o as usize) < raw.start);
    let to = src.partition_point(|o| (o as usize) < raw.end.max(raw.start));
    // An empty range (a span with no folded text: punctuation-only, an insertion point) still
    // places the window.
    from..to
}

/// `span` of `chars` with up to [`CONTEXT_CHARS`] either side, the span marked off (so moving
/// text across its edge changes the identity).
pub fn bounded_context(chars: &[char], span: Range<usize>) -> String {
    let n = chars.len();
    let a = span.start.min(n);
    let b = span.end.clamp(a, n);
    let lo = a.saturating_sub(CONTEXT_CHARS);
    let hi = (b + CONTEXT_CHARS).min(n);
    let mut s = String::with_capacity((hi - lo) * 3 + 2);
    s.extend(&chars[lo..a]);
    s.push('\u{2}');
    s.extend(&chars[a..b]);
    s.push('\u{3}');
    s.extend(&chars[b..hi]);
    s
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

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> Normalized {
        let chars: Vec<char> = s.chars().collect();
        let mut src = Vec::new();
        let mut at = 0u32;
        for c in &chars {
            src.push(at);
            at += c.len_utf8() as u32;
        }
        Normalized {
            chars,
            src: src.into(),
            ..Normalized::default()
        }
    }

    #[test]
    fn context_is_the_span_with_a_bounded_window() {
        let text = "甲".repeat(100) + "恢覆" + &"乙".repeat(100);
        let n = norm(&text);
        let c = bounded_context(&n.chars, 100..102);
        assert_eq!(
            c,
            format!("{}\u{2}恢覆\u{3}{}", "甲".repeat(32), "乙".repeat(32))
        );
        // The same span found by its raw bytes.
        assert_eq!(folded_range(&n, 300..306), 100..102);
        // Edges and empty spans do not panic and keep what there is.
        assert_eq!(
            bounded_context(&n.chars, 0..0),
            format!("\u{2}\u{3}{}", "甲".repeat(32))
        );
        assert_eq!(
            bounded_context(&n.chars, 500..900),
            format!("{}\u{2}\u{3}", "乙".repeat(32))
        );
        assert_eq!(folded_range(&n, 2000..3000), 202..202);
    }
}
