//! The document model: a decoded text, its line index, provenance and units.

use crate::dates::Date;
use crate::normalize::Normalized;
use crate::script::ScriptStats;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

mod disk;
pub use disk::DiskText;

/// Byte offset → (line, column) for one text. Lines are 1-based; columns are 1-based and count
/// characters, not bytes (what editors and SARIF viewers expect for CJK text).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters before every [`MARK`]-th byte (rounded down to a character boundary), so a
    /// column deep in a long line costs a bounded count instead of one from the line's start:
    /// a line of megabytes with a finding every few characters was quadratic.
    marks: Vec<(usize, usize)>,
}

/// Bytes read after a raw cluster's start to find its end on a released text.
const RAW_END_WINDOW: usize = 256;

/// Bytes between two character-count marks of a [`LineIndex`].
const MARK: usize = 4096;

impl LineIndex {
    /// Indexes `text`'s line starts and character-count marks (one linear pass).
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        let mut marks = Vec::with_capacity(text.len() / MARK + 1);
        let (mut byte, mut chars) = (0, 0);
        for k in 0..=text.len() / MARK {
            let b = floor_char_boundary(text, k * MARK);
            chars += text[byte..b].chars().count();
            byte = b;
            marks.push((b, chars));
        }
        LineIndex { starts, marks }
    }

    /// Characters before byte `at`, from the nearest mark (`read` gives a text's byte range).
    fn chars_before<'t>(&self, at: usize, read: &impl Fn(Range<usize>) -> Cow<'t, str>) -> usize {
        let (b, c) = self.marks.get(at / MARK).copied().unwrap_or((0, 0));
        c + read(b..at).chars().count()
    }

    /// 1-based line and 1-based character column of byte offset `at` in `text`.
    pub fn line_col(&self, text: &str, at: usize) -> (usize, usize) {
        self.line_col_with(text.len(), at, |r| {
            let s = floor_char_boundary(text, r.start);
            Cow::Borrowed(&text[s..floor_char_boundary(text, r.end.max(s))])
        })
    }

    /// [`LineIndex::line_col`] of a text of `len` bytes that `read` gives a byte range of (both
    /// ends moved back to character boundaries): at most 4 KiB is read (the distance between
    /// two character-count marks).
    pub fn line_col_with<'t>(
        &self,
        len: usize,
        at: usize,
        read: impl Fn(Range<usize>) -> Cow<'t, str>,
    ) -> (usize, usize) {
        let at = at.min(len);
        let line = match self.starts.binary_search(&at) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let col = if at - start <= MARK {
            read(start..at).chars().count() + 1
        } else {
            self.chars_before(at, &read) - self.chars_before(start, &read) + 1
        };
        (line + 1, col)
    }

    /// Byte range of 1-based line `line`, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        self.line_range_with(text.len(), line, |at| {
            text.as_bytes().get(at) == Some(&b'\r')
        })
    }

    /// [`LineIndex::line_range`] of a text of `len` bytes; `cr(at)` tells whether byte `at` is a
    /// carriage return (dropped with the line break).
    pub fn line_range_with(
        &self,
        len: usize,
        line: usize,
        cr: impl Fn(usize) -> bool,
    ) -> Range<usize> {
        let s = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(len);
        let e = self.starts.get(line).map(|e| e - 1).unwrap_or(len);
        let e = if e > s && cr(e - 1) { e - 1 } else { e };
        s..e.max(s)
    }

    /// Lines in the text (a final line without a line break counts).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

fn memchr_newlines(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', b)
}

/// The largest char boundary at or before `i`.
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A front-matter value, as YAML gives it: a scalar, a list or a nested map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FmValue {
    /// A scalar (`title: …`, a block scalar `summary: |`), numbers and booleans as written.
    Text(String),
    /// A list (`tags: [a, b]` or `- a` lines).
    List(Vec<FmValue>),
    /// A nested map (`source:` with indented `name:` and `url:`).
    Map(BTreeMap<String, FmValue>),
}

impl FmValue {
    /// The text of a scalar value; `None` for a list or a map.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            FmValue::Text(s) => Some(s),
            FmValue::List(_) | FmValue::Map(_) => None,
        }
    }
}

/// Front matter that could not be read: unterminated, malformed YAML, or not a map of fields.
/// The text is still checked (its body as if there were no front matter); the provenance rule
/// reports this as a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// Byte range in the decoded text where the problem is.
    pub span: Range<usize>,
    /// What is wrong, in one line (the YAML parser's own words for a syntax error).
    pub message: String,
    /// What to do about it.
    pub help: &'static str,
}

/// Where a copy came from.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Provenance {
    /// Encoding the bytes were decoded from (WHATWG name), and whether a BOM was present.
    pub encoding: String,
    /// The file started with a byte-order mark.
    pub bom: bool,
    /// sha256 of the file's bytes (empty when the file was read for `check` only).
    pub sha256: String,
    /// Size of the file in bytes.
    pub size: u64,
    /// Front-matter fields, in file order of their keys.
    pub front_matter: BTreeMap<String, FmValue>,
    /// Byte span of each front-matter value in the decoded text (for diagnostics).
    #[serde(skip)]
    pub field_spans: BTreeMap<String, Range<usize>>,
    /// Byte span of the whole front-matter block, if any.
    #[serde(skip)]
    pub front_matter_span: Option<Range<usize>>,
    /// Why the front matter could not be read, when it could not.
    #[serde(skip)]
    pub front_matter_error: Option<FrontMatterError>,
    /// The script most of the text is in, when the counts make it clear.
    pub script: Option<crate::script::Script>,
    /// Counts of characters that only one script uses, behind `script`.
    #[serde(skip)]
    pub script_stats: ScriptStats,
}

impl Provenance {
    /// A scalar front-matter field (`url`, `date`, `title` …); `None` if absent or a list.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.front_matter.get(key).and_then(FmValue::as_text)
    }
}

/// What a unit is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, PartialOrd, Ord,
)]
#[serde(rename_all = "kebab-case")]
pub enum UnitKind {
    /// Title, byline or section heading.
    Heading,
    /// A line that is only a date (`3月29日`): the events after it are filed under it.
    DateHeading,
    /// An entry of a chronicle, usually numbered (`（32）`) or starting with its own date.
    Event,
    /// Running text.
    Paragraph,
    /// `(上接第7版)`, `（下转7版）`, a running head or page number inside the body.
    PageMark,
    /// A photo or figure caption.
    Caption,
    /// A line matching the rules data's site boilerplate (subscription notices …).
    Boilerplate,
    /// Page chrome around the text: navigation, share bars, timestamps, footers, photo credits
    /// ([`Unit::evidence`] says why). Never collated, never a loop.
    Chrome,
    /// A dateline, byline or source line (`新华社北京4月6日电`, `新华社记者`, `来源：…`): compared as
    /// provenance, not collated as content.
    Provenance,
}

impl UnitKind {
    /// Whether the unit is content to collate (not layout or site furniture).
    pub fn is_content(self) -> bool {
        matches!(
            self,
            UnitKind::Event | UnitKind::Paragraph | UnitKind::Caption | UnitKind::Heading
        )
    }
}

/// A piece of the text: a heading, an event, a paragraph, a page mark …
#[derive(Debug, Clone)]
pub struct Unit {
    /// What the unit is; decides whether it is collated.
    pub kind: UnitKind,
    /// Raw byte span, from the first to the last byte of the unit (may cover several lines and
    /// a page break).
    pub span: Range<usize>,
    /// The blocks that make up the unit (more than one when a page break split it): see
    /// [`Unit::parts`].
    parts: Parts,
    /// Date in force for this unit, packed: see [`Unit::date`].
    date: PackedDate,
    /// Index of the date heading unit this unit is filed under: see [`Unit::heading`].
    heading: OptU32,
    /// Item number for numbered events `（32）`: see [`Unit::number`].
    number: OptU32,
    /// Byte offset where the unit's text starts after any marker (`◆`, `（32）`); `u32` as the
    /// fold's offsets ([`Unit::body`] gives it as a `usize`).
    pub body_start: u32,
    /// Normalized text of the body (after the marker), with its offset map. Kept as characters
    /// only: the rules index it by character, and the string form is made when one is reported.
    /// Boxed, and only while held and not empty ([`Unit::norm`] gives it): 8 bytes inline for a
    /// released unit instead of 64.
    norm: Option<Box<Normalized>>,
    /// For page chrome, what made the line chrome.
    pub evidence: Option<crate::segment::chrome::Evidence>,
    /// Set by [`Document::release_folds`] with `summary_len` and `released`: what collation
    /// needs of the fold once `norm` is dropped ([`Unit::fold_summary`] gives them). Three
    /// fields, not a [`FoldSummary`], so the `u32` shares a word with others instead of
    /// padding.
    summary_hash: u64,
    /// Folded characters, once released.
    summary_len: u32,
    /// The fold was released: `norm` is empty, `summary_hash` and `summary_len` stand for it.
    released: bool,
}

/// A [`Date`] in 8 bytes instead of 24 (three options of four bytes): the year, then month
/// and day as bytes, and which of the three are known. Dates come from the text, checked (month
/// 1–12, day 1–31), so a month or day beyond 255 is not one a unit holds: it would be kept
/// as unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct PackedDate {
    year: i32,
    month: u8,
    day: u8,
    /// Bits: 1 the year is known, 2 the month, 4 the day.
    known: u8,
}

impl PackedDate {
    fn new(d: Date) -> PackedDate {
        let month = d.month.and_then(|m| u8::try_from(m).ok());
        let day = d.day.and_then(|d| u8::try_from(d).ok());
        PackedDate {
            year: d.year.unwrap_or(0),
            month: month.unwrap_or(0),
            day: day.unwrap_or(0),
            known: u8::from(d.year.is_some())
                | u8::from(month.is_some()) << 1
                | u8::from(day.is_some()) << 2,
        }
    }

    fn get(self) -> Date {
        Date {
            year: (self.known & 1 != 0).then_some(self.year),
            month: (self.known & 2 != 0).then_some(self.month.into()),
            day: (self.known & 4 != 0).then_some(self.day.into()),
        }
    }
}

/// An optional `u32` in 4 bytes instead of 8: `u32::MAX` stands for none (a heading index
/// past 4 G units, where byte offsets have given out already, or an item number that large,
/// is kept as none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OptU32(u32);

impl OptU32 {
    const NONE: OptU32 = OptU32(u32::MAX);

    fn get(self) -> Option<u32> {
        (self != Self::NONE).then_some(self.0)
    }
}

impl From<Option<u32>> for OptU32 {
    fn from(v: Option<u32>) -> OptU32 {
        v.map_or(Self::NONE, OptU32)
    }
}

/// The blocks of a unit, in 8 bytes: nothing for a unit of one block (nearly all of them: its
/// one part is its span), else every block, boxed. Hundreds of thousands of units are held for
/// a whole collation run: a vector each was 24 bytes and a heap block a unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Parts(
    // A boxed vector on purpose: 8 bytes inline where a boxed slice takes 16.
    #[allow(clippy::box_collection)] Option<Box<Vec<Range<usize>>>>,
);

/// What a unit's fold is, in 16 bytes, once the fold itself is released: collation aligns on
/// these and folds again only the units it compares character by character.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FoldSummary {
    /// 64-bit hash of the folded characters ([`fold_hash`]).
    pub hash: u64,
    /// Folded characters.
    pub len: u32,
    /// The fold was released: `norm` is empty, this summary stands for it.
    pub released: bool,
}

impl FoldSummary {
    /// The summary of a fold (not released).
    pub fn of(n: &Normalized) -> FoldSummary {
        FoldSummary {
            hash: fold_hash(&n.chars),
            len: n.chars.len().min(u32::MAX as usize) as u32,
            released: false,
        }
    }
}

/// The fold [`Unit::norm`] gives for a unit that holds none.
static EMPTY_FOLD: std::sync::LazyLock<Normalized> = std::sync::LazyLock::new(Normalized::default);

/// A fixed-seed 64-bit hash of folded characters: equal texts hash equal in every run and
/// process (collation compares units by it, with their lengths, instead of by content).
pub fn fold_hash(chars: &[char]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = foldhash::quality::FixedState::with_seed(0x636f_6c6c_6174_696f).build_hasher();
    let mut it = chars.chunks_exact(2);
    for p in &mut it {
        h.write_u64((p[0] as u64) << 32 | p[1] as u64);
    }
    for &c in it.remainder() {
        h.write_u32(c as u32);
    }
    h.write_usize(chars.len());
    h.finish()
}

impl Unit {
    /// A unit of `kind` made of the one block `span`, its body starting at `span.start`, with
    /// no date, heading, number, fold or evidence yet.
    pub fn new(kind: UnitKind, span: Range<usize>) -> Unit {
        Unit {
            kind,
            body_start: u32::try_from(span.start).unwrap_or(u32::MAX),
            span,
            parts: Parts::default(),
            date: PackedDate::default(),
            heading: OptU32::NONE,
            number: OptU32::NONE,
            norm: None,
            evidence: None,
            summary_hash: 0,
            summary_len: 0,
            released: false,
        }
    }

    /// The blocks that make up the unit, in order (more than one when a page break split it;
    /// a unit of one block has its span as its one part).
    #[inline]
    pub fn parts(&self) -> &[Range<usize>] {
        match &self.parts.0 {
            Some(v) => v,
            None => std::slice::from_ref(&self.span),
        }
    }

    /// Adds the block `block` after the unit's last (a page break split the unit); the span
    /// grows to its end.
    pub fn push_part(&mut self, block: Range<usize>) {
        let v = self
            .parts
            .0
            .get_or_insert_with(|| Box::new(vec![self.span.clone()]));
        self.span.end = block.end;
        v.push(block);
    }

    /// Extends the unit's last block, and its span, to `end` (a hard-wrapped line continues
    /// the block).
    pub fn extend_last_part(&mut self, end: usize) {
        if let Some(last) = self.parts.0.as_mut().and_then(|v| v.last_mut()) {
            last.end = end;
        }
        self.span.end = end;
    }

    /// Normalized text of the body (after the marker), with its offset map: the fold
    /// segmentation made, or an empty one once [`Document::release_folds`] has dropped it
    /// ([`Unit::fold`] makes it again). Kept as characters only: the rules index it by
    /// character, and the string form is made when one is reported.
    #[inline]
    pub fn norm(&self) -> &Normalized {
        match &self.norm {
            Some(n) => n,
            None => &EMPTY_FOLD,
        }
    }

    /// Holds `norm`, the fold of the unit's body ([`Unit::refold`]), as the unit's fold; an
    /// empty fold is held without an allocation.
    pub fn set_norm(&mut self, norm: Normalized) {
        self.norm = (norm != Normalized::default()).then(|| Box::new(norm));
        self.released = false;
    }

    /// Drops the unit's fold, keeping only its summary: `norm` is the fold (the one held, or
    /// one made by [`Unit::refold`] for a unit that never held it).
    pub fn summarize(&mut self, norm: &Normalized) {
        let s = FoldSummary::of(norm);
        (self.summary_hash, self.summary_len, self.released) = (s.hash, s.len, true);
        self.norm = None;
    }

    /// Byte offset where the unit's text starts after any marker ([`Unit::body_start`]).
    #[inline]
    pub fn body(&self) -> usize {
        self.body_start as usize
    }

    /// Date in force for this unit (from the last heading, or the event's own inline date).
    #[inline]
    pub fn date(&self) -> Date {
        self.date.get()
    }

    /// Sets the date in force for this unit (a month or day beyond 255, which no date checked
    /// against the calendar has, is kept as unknown).
    pub fn set_date(&mut self, date: Date) {
        self.date = PackedDate::new(date);
    }

    /// Index of the date heading unit this unit is filed under (`u32`: a unit is at least a
    /// byte, and byte offsets are `u32` already, see [`Normalized::src`]).
    #[inline]
    pub fn heading(&self) -> Option<u32> {
        self.heading.get()
    }

    /// Files the unit under the date heading unit of index `heading` (none past 4 G units).
    pub fn set_heading(&mut self, heading: Option<usize>) {
        self.heading = heading.and_then(|h| u32::try_from(h).ok()).into();
    }

    /// Index of the date heading unit this unit is filed under ([`Unit::heading`] as an index).
    #[inline]
    pub fn heading_index(&self) -> Option<usize> {
        self.heading().map(|h| h as usize)
    }

    /// Item number for numbered events `（32）`.
    #[inline]
    pub fn number(&self) -> Option<u32> {
        self.number.get()
    }

    /// Sets the item number (`u32::MAX` is kept as none).
    pub fn set_number(&mut self, number: Option<u32>) {
        self.number = number.into();
    }

    /// The unit's fold: the one it holds, or (after [`Document::release_folds`]) made again
    /// from `text`, the document's text, exactly as segmentation made it.
    pub fn fold<'u>(&'u self, text: &str) -> Cow<'u, Normalized> {
        if self.released && self.summary_len > 0 {
            Cow::Owned(self.refold(text))
        } else {
            Cow::Borrowed(self.norm())
        }
    }

    /// The fold of the unit's body, computed from `text` (the document's text): the unit's
    /// parts, the first from `body_start`, folded into one buffer.
    pub fn refold(&self, text: &str) -> Normalized {
        self.refold_window(text, 0)
    }

    /// [`Unit::refold`] from `window`, the document's text from byte `base` on (a released
    /// text read back around the unit).
    pub fn refold_window(&self, window: &str, base: usize) -> Normalized {
        let mut norm = Normalized::default();
        for (i, p) in self.parts().iter().enumerate() {
            let from = if i == 0 {
                self.body().max(p.start)
            } else {
                p.start
            };
            let (from, to) = (from.min(p.end), p.end.min(base + window.len()));
            if let Some(t) = from
                .checked_sub(base)
                .and_then(|f| window.get(f..to - base))
            {
                crate::normalize::normalize_into(&mut norm, t, from);
            }
        }
        norm
    }

    /// Folded characters in the unit, whether or not the fold is held.
    pub fn fold_len(&self) -> usize {
        if self.released {
            self.summary_len as usize
        } else {
            self.norm().len()
        }
    }

    /// The unit's [`FoldSummary`], whether or not the fold is held.
    pub fn fold_summary(&self) -> FoldSummary {
        if self.released {
            FoldSummary {
                hash: self.summary_hash,
                len: self.summary_len,
                released: true,
            }
        } else {
            FoldSummary::of(self.norm())
        }
    }

    /// The normalized text of the body as a string.
    pub fn norm_text(&self) -> String {
        self.norm().text()
    }

    /// [`Unit::sha_norm`] whether or not the fold is held (`text`: the document's text).
    pub fn sha_fold(&self, text: &str) -> String {
        crate::source::sha256_hex(self.fold(text).text().as_bytes())
    }

    /// sha256 (hex) of the normalized text: the unit's fingerprint across witnesses.
    pub fn sha_norm(&self) -> String {
        crate::source::sha256_hex(self.norm_text().as_bytes())
    }

    /// sha256 (hex) of the raw text of the unit's parts, joined by line breaks. `text` is the
    /// document's text.
    pub fn sha_raw(&self, text: &str) -> String {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        for (i, p) in self.parts().iter().enumerate() {
            if i > 0 {
                h.update(b"\n");
            }
            h.update(&text.as_bytes()[p.clone()]);
        }
        format!("{:x}", h.finalize())
    }
}

/// One decoded, segmented file.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path as found on disk.
    pub path: PathBuf,
    /// Path as reported (relative to the project root when there is one).
    pub display: String,
    /// The decoded text, front matter included (spans index into it).
    pub text: String,
    /// Line index of `text`.
    pub lines: LineIndex,
    /// Encoding, hash, size and front matter of the file.
    pub provenance: Provenance,
    /// Byte offset where the body starts (after front matter).
    pub body_start: usize,
    /// The segments of the body, in order of their first byte.
    pub units: Vec<Unit>,
    /// For a document extracted from an HTML file: the HTML source, so locations name the
    /// source line and column of the text they point at (see [`Document::source_line_col`]).
    pub source_map: Option<std::sync::Arc<SourceMap>>,
    /// Set by [`Document::release_text`]: `text` is empty and the text is read back from the
    /// file. Readers after a release go through [`Document::text_at`], [`Document::fold`],
    /// [`Document::line_col`] and [`Document::raw_range`], which serve both cases.
    pub disk: Option<Arc<DiskText>>,
}

/// The HTML source of an extracted document, and where each line of the extracted text came
/// from.
#[derive(Debug, Clone)]
pub struct SourceMap {
    /// The decoded HTML source.
    pub source: String,
    /// Line index of `source`.
    pub lines: LineIndex,
    /// For each line of the extracted text (index `line - 1`), the 1-based source line of the
    /// block it belongs to (1 for front matter: its values are searched from the start).
    pub hints: Vec<usize>,
}

/// Characters of the text at a location searched for in the HTML source.
const NEEDLE_CHARS: usize = 12;

/// Bytes of source searched from a block's first line: a bound, so locating every finding of
/// a large page stays linear in the findings (a whole-source search per finding would not).
const SEARCH_WINDOW: usize = 64 * 1024;

impl SourceMap {
    /// Where the text `needle` first occurs in the source within [`SEARCH_WINDOW`] bytes from
    /// 1-based line `from`, as a 1-based line and column.
    fn find(&self, from: usize, needle: &str) -> Option<(usize, usize)> {
        if needle.is_empty() {
            return None;
        }
        let start = self.lines.line_range(&self.source, from).start;
        let end = floor_char_boundary(&self.source, (start + SEARCH_WINDOW).min(self.source.len()));
        let at = start + self.source[start..end].find(needle)?;
        Some(self.lines.line_col(&self.source, at))
    }
}

/// The first characters of `s` up to whitespace (at most [`NEEDLE_CHARS`]).
fn needle(s: &str) -> &str {
    let mut end = 0;
    for (n, (i, c)) in s.char_indices().enumerate() {
        if n == NEEDLE_CHARS || c.is_whitespace() {
            break;
        }
        end = i + c.len_utf8();
    }
    &s[..end]
}

impl Document {
    /// Drops every unit's fold (`norm`, 8 bytes a character against 3 for the raw text),
    /// keeping its [`FoldSummary`]: what a large document does once its single-document rules
    /// have run and before it enters collation, which folds again only the units it compares
    /// ([`Unit::fold`]). Rules that read [`Unit::norm`] must run before this. Idempotent.
    pub fn release_folds(&mut self) {
        for u in &mut self.units {
            if !u.released {
                let norm = u.norm.take();
                u.summarize(norm.as_deref().unwrap_or(&EMPTY_FOLD));
            }
        }
    }

    /// The document with every unit's fold held: itself, or (after
    /// [`Document::release_folds`]) a copy with the folds made again, for a reader of
    /// [`Unit::norm`] (corroboration of a text that turned out not to be a copy: rare).
    pub fn with_folds(&self) -> Cow<'_, Document> {
        if !self.folds_released() {
            return Cow::Borrowed(self);
        }
        let mut d = self.clone();
        d.hold_text();
        for u in &mut d.units {
            if u.released {
                u.set_norm(u.refold(&d.text));
            }
        }
        Cow::Owned(d)
    }

    /// Whether [`Document::release_folds`] has dropped the units' folds.
    pub fn folds_released(&self) -> bool {
        self.units.iter().any(|u| u.released)
    }

    /// 1-based line and character column of byte offset `at`.
    pub fn line_col(&self, at: usize) -> (usize, usize) {
        match &self.disk {
            None => self.lines.line_col(&self.text, at),
            Some(d) => self.lines.line_col_with(d.len(), at, |r| d.read(r).1),
        }
    }

    /// Byte range of 1-based line `line` without its line break, on the held or released text.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        match &self.disk {
            None => self.lines.line_range(&self.text, line),
            Some(d) => self
                .lines
                .line_range_with(d.len(), line, |at| d.read(at..at + 1).1 == "\r"),
        }
    }

    /// Bytes in the text, held or released.
    pub fn text_len(&self) -> usize {
        self.disk.as_ref().map_or(self.text.len(), |d| d.len())
    }

    /// The raw text of byte range `r`, both ends moved back to character boundaries: borrowed
    /// from the held text, or read from the file after [`Document::release_text`].
    pub fn text_at(&self, r: Range<usize>) -> Cow<'_, str> {
        match &self.disk {
            None => Cow::Borrowed(self.slice(r)),
            Some(d) => d.read(r).1,
        }
    }

    /// Unit `u`'s fold: held, or made again from the text (held or read back).
    pub fn fold(&self, u: usize) -> Cow<'_, Normalized> {
        let unit = &self.units[u];
        match &self.disk {
            Some(d) if unit.released && unit.summary_len > 0 => {
                let (base, window) = d.read(unit.span.clone());
                Cow::Owned(unit.refold_window(&window, base))
            }
            _ => unit.fold(&self.text),
        }
    }

    /// Where a raw cluster starting at byte `start` ends ([`crate::normalize::raw_end`]), on
    /// the held or released text.
    pub fn raw_end(&self, start: usize) -> usize {
        match &self.disk {
            None => crate::normalize::raw_end(&self.text, start),
            Some(d) => {
                // A cluster is a character and its combining marks: a bounded window holds any
                // real one.
                let (base, w) = d.read(start..start.saturating_add(RAW_END_WINDOW));
                base + crate::normalize::raw_end(&w, start - base)
            }
        }
    }

    /// Reads a released text back into memory, for readers of `text` (the human, SARIF and
    /// HTML reports, corroboration). Returns whether the text is held; a file that changed
    /// since it was read stays released (its reads are marked [`DiskText::changed`]).
    pub fn hold_text(&mut self) -> bool {
        let Some(d) = &self.disk else {
            return true;
        };
        let Some(t) = d.read_all() else {
            return false;
        };
        self.text = t;
        self.disk = None;
        true
    }

    /// [`Normalized::raw_range`] of a fold of this document, on the held or released text.
    pub fn raw_range(&self, n: &Normalized, from: usize, to: usize) -> Option<(usize, usize)> {
        n.raw_range_with(from, to, |start| self.raw_end(start))
    }

    /// Drops the text of a plain UTF-8 file (its bytes are its text) and reads it back from
    /// the file from now on (see [`DiskText`]). Only after the single-document rules have run
    /// and [`Document::release_folds`]: they read `text` and the folds directly. Returns whether
    /// the text was released (not for a decoded, HTML-extracted or archived text).
    pub fn release_text(&mut self) -> bool {
        let plain = self.provenance.encoding == "UTF-8"
            && !self.provenance.bom
            && self.source_map.is_none()
            && self.provenance.size == self.text.len() as u64;
        if self.disk.is_some() || !plain || !self.units.iter().all(|u| u.released) {
            return self.disk.is_some();
        }
        let Some(d) = DiskText::open(&self.path, self.text.len()) else {
            return false;
        };
        // The file must still hold this text: its first and last few KiB are compared (a
        // document made from text under a file's name is not that file).
        let n = self.text.len();
        let edges = [0..n.min(4096), n.saturating_sub(4096)..n];
        if edges
            .iter()
            .any(|r| d.read(r.clone()).1 != self.text_at(r.clone()))
        {
            return false;
        }
        self.disk = Some(Arc::new(d));
        self.text = String::new();
        true
    }

    /// The line and column a location at byte offset `at` reports: [`Document::line_col`],
    /// or for a document extracted from an HTML file, the line and column in the HTML source
    /// where the text at `at` is (exact when its first characters are found verbatim from the
    /// block's source line on; else the column where the text's line starts in the source;
    /// else column 1 of the block's source line).
    pub fn source_line_col(&self, at: usize) -> (usize, usize) {
        let (line, col) = self.line_col(at);
        let Some(map) = &self.source_map else {
            return (line, col);
        };
        let hint = map.hints.get(line - 1).copied().unwrap_or(1).max(1);
        let at = floor_char_boundary(&self.text, at.min(self.text.len()));
        let row = self.lines.line_range(&self.text, line);
        let rest = &self.text[at..row.end.max(at)];
        let head = self.text[row.start..row.end.max(row.start)]
            .trim_start_matches('#')
            .trim_start();
        map.find(hint, needle(rest))
            .or_else(|| map.find(hint, needle(head)))
            .unwrap_or((hint, 1))
    }

    /// The raw text of a byte range, clamped to char boundaries.
    /// Reads the held text: for single-document rules, which run before
    /// [`Document::release_text`] (after it, [`Document::text_at`]).
    pub fn slice(&self, r: Range<usize>) -> &str {
        let s = floor_char_boundary(&self.text, r.start);
        let e = floor_char_boundary(&self.text, r.end.max(s));
        &self.text[s..e]
    }

    /// Index of the unit that contains byte offset `at`. Units are in order of their first byte;
    /// a unit split by a page break may enclose a page-mark unit, so look back a few units.
    pub fn unit_at(&self, at: usize) -> Option<usize> {
        let end = self.units.partition_point(|u| u.span.start <= at);
        (end.saturating_sub(16)..end)
            .rev()
            .find(|&i| self.units[i].parts().iter().any(|p| p.contains(&at)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text is left in its file only when the file still holds it.
    #[test]
    fn a_text_is_released_only_to_the_file_that_holds_it() {
        let kb = crate::knowledge::Knowledge::embedded();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "3月1日\n\n◆外交部发言人介绍有关情况。\n").unwrap();
        let read = || {
            let mut d = crate::pipeline::load_file(&p, &Default::default(), &kb).unwrap();
            d.release_folds();
            d
        };
        let mut d = read();
        // Rewritten, same length: not the text read.
        std::fs::write(&p, "3月2日\n\n◆外交部发言人介绍有关情况。\n").unwrap();
        assert!(!d.release_text());
        assert!(d.disk.is_none() && !d.text.is_empty());
        let mut d = read();
        assert!(d.release_text());
        assert_eq!(d.text_at(0..8), "3月2日");
    }

    #[test]
    fn columns_count_characters() {
        let t = "ab\n中文x\n";
        let li = LineIndex::new(t);
        assert_eq!(li.line_col(t, 0), (1, 1));
        assert_eq!(li.line_col(t, 3), (2, 1));
        assert_eq!(li.line_col(t, 9), (2, 3));
        assert_eq!(li.line_range(t, 2), 3..10);
    }

    /// Deep in lines longer than the mark interval, columns come from the marks: they must
    /// equal a plain count from the line's start.
    #[test]
    fn columns_in_long_lines_match_a_plain_count() {
        let line: String = (0..5000).map(|i| ["中", "a", "é", "𠀀"][i % 4]).collect();
        let t = format!("x\n{line}\n{line}{line}\nend");
        let li = LineIndex::new(&t);
        for at in (0..t.len()).step_by(997).chain([t.len()]) {
            let at = floor_char_boundary(&t, at);
            let start = t[..at].rfind('\n').map_or(0, |i| i + 1);
            let want = t[start..at].chars().count() + 1;
            assert_eq!(li.line_col(&t, at).1, want, "at {at}");
        }
    }

    /// A unit of one block has its span as its one part, with no allocation; a block pushed
    /// after it keeps the first and grows the span; a hard wrap extends the last block only.
    #[test]
    fn parts_follow_the_span_until_a_second_block() {
        let mut u = Unit::new(UnitKind::Paragraph, 10..20);
        assert_eq!(u.parts(), std::slice::from_ref(&(10..20)));
        assert!(u.parts.0.is_none());
        u.extend_last_part(25);
        assert_eq!(u.parts(), std::slice::from_ref(&(10..25)));
        assert_eq!(u.span, 10..25);
        u.push_part(40..50);
        u.extend_last_part(60);
        u.push_part(70..80);
        assert_eq!(u.parts(), &[10..25, 40..60, 70..80]);
        assert_eq!(u.span, 10..80);
    }

    /// A fold is held boxed while it is held and not empty; released, the unit holds its
    /// summary only and [`Unit::norm`] gives an empty fold.
    #[test]
    fn a_fold_is_boxed_only_while_held_and_not_empty() {
        let text = "◆外交部發言人介紹有關情況。";
        let mut u = Unit::new(UnitKind::Event, 0..text.len());
        u.body_start = "◆".len() as u32;
        u.set_norm(Normalized::default());
        assert!(u.norm.is_none());
        let fold = u.refold(text);
        assert_eq!(fold.text(), "外交部发言人介绍有关情况。");
        assert!(fold.traditional > 0);
        u.set_norm(fold.clone());
        assert_eq!((u.norm(), u.fold_len()), (&fold, fold.len()));
        u.summarize(&fold);
        assert!(u.norm.is_none() && u.norm().is_empty());
        assert_eq!(u.fold_summary().len as usize, fold.len());
        assert_eq!(&*u.fold(text), &fold);
    }

    /// Released, a unit holds nothing on the heap unless a page break split it (its list of
    /// parts), so a document's units cost their table and no allocation each.
    #[test]
    fn a_released_unit_holds_no_heap_unless_split() {
        let checker = crate::engine::Checker::new(crate::knowledge::Knowledge::embedded());
        let text = "# 大事记\n\n3月1日\n\n◆外交部发言人介绍有关情况，共有12个国家参加会议。\n\n◆国家卫生健康委员会部署下一阶段防控工作，\n\n（下转第2版）\n\n强调不得放松。\n";
        let mut d = checker.document_from_text("x.txt", text);
        assert!(d.units.iter().filter(|u| u.norm.is_some()).count() >= 3);
        d.release_folds();
        assert!(d.units.iter().all(|u| u.norm.is_none()));
        let split: Vec<&Unit> = d.units.iter().filter(|u| u.parts.0.is_some()).collect();
        assert_eq!(split.len(), 1);
        assert_eq!(split[0].parts().len(), 2);
        assert_eq!(d.slice(split[0].parts()[1].clone()), "强调不得放松。");
    }

    /// A document holds hundreds of thousands of units for the whole run: their size is part of
    /// the collation memory bound (issue 13). 176 bytes before compact folds, 168 with the
    /// fold's offsets (32 bytes inline), the heading index and the body start as `u32`; then
    /// the parts (8 bytes for 24), the fold boxed (8 for 64), the date packed (8 for 24), the
    /// fold's summary flattened (13 for 16) and the heading and number as `u32` with a sentinel
    /// (4 each for 8) bring it to 72.
    #[test]
    fn unit_stays_small() {
        assert_eq!(std::mem::size_of::<Unit>(), 72);
        assert_eq!(std::mem::size_of::<Normalized>(), 64);
    }

    proptest::proptest! {
        /// A date a unit can hold (month and day up to 255, as the calendar's are) reads back
        /// as it was set; a larger month or day reads back as unknown, the rest kept.
        #[test]
        fn a_packed_date_reads_back(
            year in proptest::option::of(proptest::num::i32::ANY),
            month in proptest::option::of(0u32..300),
            day in proptest::option::of(0u32..300),
        ) {
            let mut u = Unit::new(UnitKind::Event, 0..1);
            u.set_date(Date { year, month, day });
            let fits = |v: Option<u32>| v.filter(|&v| v <= 255);
            proptest::prop_assert_eq!(u.date(), Date { year, month: fits(month), day: fits(day) });
        }
    }

    /// The heading index and item number read back as set, `None` included, with `u32::MAX`
    /// (the sentinel) and an index past it kept as none.
    #[test]
    fn heading_and_number_read_back() {
        let mut u = Unit::new(UnitKind::Event, 0..1);
        assert_eq!((u.heading(), u.number()), (None, None));
        u.set_heading(Some(0));
        u.set_number(Some(32));
        assert_eq!((u.heading_index(), u.number()), (Some(0), Some(32)));
        u.set_heading(Some(u32::MAX as usize - 1));
        u.set_number(Some(u32::MAX));
        assert_eq!((u.heading(), u.number()), (Some(u32::MAX - 1), None));
        u.set_heading(Some(u32::MAX as usize));
        assert_eq!(u.heading(), None);
    }
}
