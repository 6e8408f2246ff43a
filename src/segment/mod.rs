//! Segment stage: cut a decoded body into units with raw byte spans and the date in force.
//!
//! Lines are classified first (date heading, event start, page mark, caption, heading,
//! boilerplate, text), then grouped: an event runs on through its continuation paragraphs, and a
//! paragraph that ends mid-sentence continues after a page break, a running head or a page mark
//! (the unit then has several `parts`; the layout rule reports the split).
//!
//! ```text
//! 3月12日                          DateHeading  date 3月12日
//! ◆中国与世界卫生组织…中方同世界卫生组织在会上共   Event (part 1, ends mid-sentence)
//! 中国发布新冠肺炎疫情信息、推进…纪事            PageMark (running head)
//! 同发布最新诊疗方案和防控方案英文版。             Event (part 2)
//! ```

pub mod chrome;
pub mod wrap;

use crate::dates::{self, Date, DateCursor};
use crate::knowledge::Knowledge;
use crate::model::{Document, Unit, UnitKind};
use crate::normalize::normalize;
use regex::Regex;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

/// Characters that open an event paragraph.
pub const EVENT_MARKERS: &[char] = &['◆', '●', '■', '▲', '★', '◇', '○', '□', '▶', '►', '◎', '•'];

/// Characters after which a paragraph is complete. A block that ends otherwise was cut.
pub fn ends_sentence(text: &str) -> bool {
    match text.trim_end().chars().last() {
        None => true,
        Some(c) => matches!(
            c,
            '。' | '！'
                | '？'
                | '!'
                | '?'
                | '；'
                | ';'
                | '…'
                | '”'
                | '’'
                | '」'
                | '』'
                | '）'
                | ')'
                | '】'
                | '》'
                | '"'
                | '\''
                | '：'
                | ':'
                | '.'
                | '．'
                | '｡'
        ),
    }
}

/// A regular expression compiled once, on first use.
macro_rules! static_re {
    ($pat:expr) => {{
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new($pat).expect("static pattern"))
    }};
}

/// A page mark at the start of a line: `(上接第7版)`, `（上接5版）`, `（接上页）`.
pub fn leading_page_mark(s: &str) -> Option<usize> {
    // Cheap gates before each pattern: classify runs them on every line of the archive.
    if !s.trim_start().starts_with(['（', '(', '[', '【']) {
        return None;
    }
    let r = static_re!(
        r"^\s*[（(\[【]\s*(?:上接|接上|紧接|緊接|承上|下转|下轉|转|轉|接|续|續|见|見)\s*(?:第?\s*[0-9０-９一二三四五六七八九十A-Za-z]+\s*(?:版|页|頁|面)|上?[页頁版])\s*[）)\]】]"
    );
    r.find(s).map(|m| m.end())
}

/// A page mark at the end of a line: `（下转7版）`.
pub fn trailing_page_mark(s: &str) -> Option<usize> {
    let r = static_re!(
        r"[（(\[【]\s*(?:下转|下轉|转|轉|接|续|續|上接|紧接|緊接|见|見)\s*第?\s*[0-9０-９一二三四五六七八九十A-Za-z]+\s*(?:版|页|頁|面)\s*[）)\]】]\s*$"
    );
    r.find(s).map(|m| m.start())
}

fn page_number_line(s: &str) -> bool {
    s.starts_with(|c: char| {
        c.is_whitespace()
            || c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || "-—–－_·第Pp".contains(c)
    }) && static_re!(r"^[\s\-—–－_·]*(?:第\s*)?[0-9０-９]{1,4}\s*(?:版|页|頁)?[\s\-—–－_·]*$|^[\s\-—–－]*(?:Page|page|p\.)\s*[0-9]{1,4}(?:\s*/\s*[0-9]+)?[\s\-—–－]*$")
    .is_match(s)
}

fn numbered_event(s: &str) -> Option<(u32, usize)> {
    if !s.starts_with(['（', '(']) {
        return None;
    }
    let r = static_re!(r"^[（(]\s*([0-9０-９]{1,4})\s*[）)]");
    let c = r.captures(s)?;
    let n = dates::parse_number(c.get(1)?.as_str())?;
    Some((n, c.get(0)?.end()))
}

fn section_heading(s: &str) -> bool {
    if !s.starts_with([
        '（', '(', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '第',
    ]) {
        return false;
    }
    let r = static_re!(
        r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十0-9]+[章节節部分])"
    );
    r.is_match(s) && !ends_with_full_stop(s) && s.chars().count() <= 60
}

fn ends_with_full_stop(s: &str) -> bool {
    matches!(
        s.trim_end().chars().last(),
        Some('。' | '！' | '？' | '.' | '!' | '?' | '；')
    )
}

fn caption(s: &str) -> bool {
    s.starts_with(['图', '圖', '表', 'F', 'T'])
        && static_re!(
            r"^(?:图|圖|表|Figure|Fig\.|Table)\s*[0-9０-９一二三四五六七八九十]+(?:[\s:：、.．]|$)"
        )
        .is_match(s)
        && s.chars().count() <= 80
}

/// A line that is only a dateline, `(新华社北京4月6日电)`: provenance, not text to collate.
fn dateline_only(s: &str) -> bool {
    s.contains(['电', '電'])
        && static_re!(r"^[（(]?\s*(?:新华社|新華社|中新社|人民日报|人民日報|本报|本報)[^（()）]{0,16}(?:电|電)\s*[）)]?$")
    .is_match(s)
}

/// A byline (`新华社记者`, `（本报记者 张三 李四）`) or a source line (`来源：新华社`) on a line of its
/// own: provenance, compared as such rather than collated as text.
fn byline_or_source(s: &str) -> bool {
    let n = s.chars().count();
    n <= 40
        && !s.contains(['。', '，', '；'])
        && (static_re!(r"^[（(]?\s*[\p{Han}·]{0,12}(?:记者|記者|通讯员|通訊員|特约记者|特約記者|评论员|評論員)(?:[\s\p{Han}·、]{0,24})[）)]?$")
            .is_match(s)
            || static_re!(r"^[（(]?\s*(?:来源|來源|稿源|出处|出處)\s*[:：]\s*[^\d]{1,24}[）)]?$").is_match(s))
}

fn horizontal_rule(s: &str) -> bool {
    let t = s.trim();
    t.len() >= 3
        && (t.chars().all(|c| c == '-')
            || t.chars().all(|c| c == '*')
            || t.chars().all(|c| c == '_'))
}

/// How one non-blank line reads.
#[derive(Debug, Clone)]
enum Line {
    Heading,
    /// Boxed: a date line is rare and its range is large; one item per line of the file is
    /// held while the file is segmented (40 bytes an item instead of 72).
    Date(Box<dates::DateRange>),
    Event {
        number: Option<u32>,
        marker_end: usize,
    },
    PageMark,
    Caption,
    Boilerplate,
    Provenance,
    Chrome(chrome::Evidence),
    Text,
}

#[derive(Debug, Clone)]
struct Item {
    range: Range<usize>,
    line: Line,
    /// A new paragraph starts here: after a blank line (or at the start of the body), or after a
    /// line break that [`wrap::Wrapping`] judges a paragraph end. Other lines are the wrapped
    /// lines of the paragraph above.
    block_start: bool,
    /// The first item of its line (a page mark split off a line makes a second one).
    first_of_line: bool,
    /// The line starts with white space.
    indented: bool,
}

impl Item {
    /// An item for `range`, neither a block start nor the first of its line until the caller
    /// says so.
    fn new(range: Range<usize>, line: Line) -> Self {
        Item {
            range,
            line,
            block_start: false,
            first_of_line: false,
            indented: false,
        }
    }
}

/// Classify the line at `range` into `out`: page marks stuck to its start or end become items
/// of their own, around the line itself.
fn classify(text: &str, range: Range<usize>, kb: &Knowledge, out: &mut Vec<Item>) {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start().len();
    let mut start = range.start + lead;
    let mut end = range.start + s.trim_end().len();
    if start >= end {
        return;
    }
    // Page marks stuck to the start or end of a line are units of their own.
    if let Some(n) = leading_page_mark(&text[start..end]) {
        out.push(Item::new(start..start + n, Line::PageMark));
        start += n;
        start += text[start..end].len() - text[start..end].trim_start().len();
    }
    let mut trailing = None;
    let closes = text[start..end].ends_with(['）', ')', '】', ']']);
    if let Some(n) = closes
        .then(|| trailing_page_mark(&text[start..end]))
        .flatten()
    {
        if n > 0 {
            trailing = Some(start + n..end);
            end = start + n;
            end = start + text[start..end].trim_end().len();
        }
    }
    if start < end {
        out.push(Item::new(
            start..end,
            line_kind(&text[start..end], start, kb),
        ));
    }
    if let Some(r) = trailing {
        out.push(Item::new(r, Line::PageMark));
    }
}

/// How the trimmed line `s`, starting at byte `start` of the text, reads.
fn line_kind(s: &str, start: usize, kb: &Knowledge) -> Line {
    // Cheap structural tests first: an event line is never boilerplate, so most lines never
    // reach the boilerplate patterns.
    if s.starts_with('#') {
        Line::Heading
    } else if s.starts_with(EVENT_MARKERS) {
        let c = s.chars().next().map_or(0, char::len_utf8);
        Line::Event {
            number: None,
            marker_end: start + c,
        }
    } else if let Some((n, len)) = numbered_event(s) {
        Line::Event {
            number: Some(n),
            marker_end: start + len,
        }
    } else if let Some(d) = dates::parse_heading(s) {
        Line::Date(Box::new(d))
    } else if s.len() < 300 && (dateline_only(s) || byline_or_source(s)) {
        Line::Provenance
    } else if horizontal_rule(s) || (s.len() < 300 && kb.is_boilerplate(s)) {
        Line::Boilerplate
    } else if page_number_line(s) || leading_page_mark(s).is_some_and(|n| n == s.len()) {
        Line::PageMark
    } else if caption(s) {
        Line::Caption
    } else if section_heading(s) {
        Line::Heading
    } else if let Some(e) = (s.len() < 600).then(|| chrome::chrome_line(s)).flatten() {
        Line::Chrome(e)
    } else {
        Line::Text
    }
}

/// Whether a text line is a running head: a short line with no sentence punctuation that
/// interrupts a paragraph cut mid-sentence, or a short line that repeats inside the body, or the
/// document's own title repeated in the body. `title` is the title already normalized.
fn is_running_head(s: &str, repeats: usize, title: Option<&str>, interrupts: bool) -> bool {
    let n = s.chars().count();
    if n == 0 || n > 50 || ends_with_full_stop(s) || s.contains('，') || s.contains(',') && n > 30
    {
        return false;
    }
    let same_as_title = title.is_some_and(|b| {
        let a = normalize(s, 0).text();
        !a.is_empty() && (a == b || (a.chars().count() >= 8 && b.contains(&a)))
    });
    interrupts || repeats >= 2 || same_as_title
}

/// Whether a unit's last block stops mid-sentence, so that the next text block continues it. Only
/// prose counts: an event, or a paragraph long enough to hold a clause (a byline or a title line
/// that ends without punctuation is not cut).
fn is_cut(u: &Unit, text: &str) -> bool {
    let Some(last) = u.parts().last() else {
        return false;
    };
    let s = &text[last.clone()];
    if ends_sentence(s) {
        return false;
    }
    // Bounded work: the block grows with every wrapped line and this runs once per line. A
    // block of 400 bytes or more is prose whatever it holds; a shorter one is searched whole.
    u.kind == UnitKind::Event
        || (s.char_indices().nth(39).is_some()
            && (s.len() >= 400 || s.contains('，') || s.contains(',')))
}

/// Decide, for every line that follows another non-blank line, whether it starts a paragraph or
/// wraps the one above (see [`wrap`]); the decision is stored as `block_start`.
fn infer_paragraphs(text: &str, items: &mut [Item]) {
    let shape = |it: &Item| wrap::LineShape {
        text: &text[it.range.clone()],
        indented: it.indented,
    };
    let wraps_into = |prev: &Item, next: &Item| {
        next.first_of_line
            && !next.block_start
            && matches!(next.line, Line::Text)
            && matches!(prev.line, Line::Text | Line::Event { .. })
    };
    let inner: Vec<wrap::LineShape> = items
        .windows(2)
        .filter(|w| wraps_into(&w[0], &w[1]))
        .map(|w| shape(&w[0]))
        .collect();
    let lines = items.iter().filter(|i| i.first_of_line).count();
    let indented = items
        .iter()
        .filter(|i| i.first_of_line && i.indented)
        .count();
    let wrapping = wrap::Wrapping::infer(&inner, indented, lines);
    for k in 1..items.len() {
        let (a, b) = items.split_at_mut(k);
        let (prev, next) = (&a[k - 1], &mut b[0]);
        if next.first_of_line && !next.block_start {
            next.block_start =
                !(wraps_into(prev, next) && wrapping.joins(shape(prev), shape(next)));
        }
    }
}

/// A photo's alt text followed by the same text as its caption: a short line printed twice in a
/// row is page furniture, not a repeated paragraph (events, with their markers, are never taken).
fn mark_caption_pairs(text: &str, items: &mut [Item]) {
    for k in 1..items.len() {
        let same = {
            let (p, n) = (&items[k - 1], &items[k]);
            matches!(p.line, Line::Text | Line::Chrome(_))
                && matches!(n.line, Line::Text)
                && n.range.len() <= 240
                && text[p.range.clone()] == text[n.range.clone()]
        };
        if same {
            items[k - 1].line = Line::Chrome(chrome::Evidence::PhotoCaption);
            items[k].line = Line::Chrome(chrome::Evidence::PhotoCaption);
        }
    }
}

/// Segment the body of `doc` (text and provenance already set) into units, each with its fold.
pub fn segment(doc: &mut Document, kb: &Knowledge) {
    segment_units(doc, kb);
    let text = doc.text.as_str();
    for u in &mut doc.units {
        u.set_norm(u.refold(text));
    }
}

/// [`segment`] without the folds: the units' `norm` is left empty (a caller that needs only a
/// summary of each fold makes and drops them one at a time, see [`Unit::refold`]).
pub fn segment_units(doc: &mut Document, kb: &Knowledge) {
    let text = doc.text.as_str();
    let mut items = line_items(text, doc.body_start, kb);
    infer_paragraphs(text, &mut items);
    mark_caption_pairs(text, &mut items);
    let year = doc
        .provenance
        .field("date")
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse::<i32>().ok());
    let mut b = Grouper {
        text,
        items: &items,
        counts: short_line_counts(text, &items),
        title: doc_title(doc, text, &items),
        cursor: DateCursor::with_year(year),
        units: Vec::new(),
        open: None,
        heading: None,
        first_text_seen: false,
        text_seen: false,
        scanned: 0,
    };
    for idx in 0..items.len() {
        b.item(idx);
    }
    // Folds are made by the caller (`segment`), or only summarized. Fingerprints are not taken
    // here: `check` never prints them, and the fingerprint stage hashes on demand.
    doc.units = b.units;
}

/// Classify every line of the body from `body_start` on, marking the first item of each line and
/// whether a blank line (or the start of the body) comes before it.
fn line_items(text: &str, body_start: usize, kb: &Knowledge) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut pos = body_start;
    let mut blank_before = true;
    while pos < text.len() {
        let end = memchr::memchr(b'\n', &text.as_bytes()[pos..]).map_or(text.len(), |i| pos + i);
        let line_end = if end > pos && text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        let before = items.len();
        classify(text, pos..line_end, kb, &mut items);
        if let Some(first) = items.get_mut(before) {
            first.block_start = blank_before;
            first.first_of_line = true;
            first.indented = text[pos..line_end].starts_with([' ', '\t', '\u{3000}']);
        }
        blank_before = items.len() == before;
        pos = end + 1;
    }
    items
}

/// How often each short text line occurs in the body: one that recurs is a running head (one
/// per printed page).
fn short_line_counts<'t>(text: &'t str, items: &[Item]) -> HashMap<&'t str, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for it in items {
        if matches!(it.line, Line::Text) && it.range.len() <= 150 {
            *counts.entry(&text[it.range.clone()]).or_default() += 1;
        }
    }
    counts
}

/// The document's title, normalized once here rather than once per candidate line: the
/// provenance's, else the first heading's.
fn doc_title(doc: &Document, text: &str, items: &[Item]) -> Option<String> {
    doc.provenance
        .field("title")
        .or_else(|| {
            items
                .iter()
                .find(|i| matches!(i.line, Line::Heading))
                .map(|i| text[i.range.clone()].trim_start_matches('#').trim())
        })
        .map(|t| normalize(t, 0).text())
}

/// A unit of one part, `range`, with the date and heading in force.
fn new_unit(kind: UnitKind, range: Range<usize>, date: Date, heading: Option<usize>) -> Unit {
    let mut u = Unit::new(kind, range);
    u.set_date(date);
    u.set_heading(heading);
    u
}

/// Whether the next item after `idx` (page marks aside) is a text line that starts a block.
fn next_starts_text_block(items: &[Item], idx: usize) -> bool {
    items[idx + 1..]
        .iter()
        .find(|n| !matches!(n.line, Line::PageMark))
        .is_some_and(|n| matches!(n.line, Line::Text) && n.block_start)
}

/// Groups classified lines into units, one item at a time, keeping the state that carries from
/// line to line: the open unit, the heading and the date in force.
struct Grouper<'a> {
    text: &'a str,
    items: &'a [Item],
    /// Occurrences of each short text line (see [`short_line_counts`]).
    counts: HashMap<&'a str, usize>,
    /// The document's title, normalized.
    title: Option<String>,
    cursor: DateCursor,
    units: Vec<Unit>,
    /// Index of the unit that the next text line may continue.
    open: Option<usize>,
    heading: Option<usize>,
    first_text_seen: bool,
    /// Whether a unit of text (an event, a paragraph with sentences) has been seen, and how many
    /// units were looked at to know it.
    text_seen: bool,
    scanned: usize,
}

impl Grouper<'_> {
    /// Push a unit of one part with the date and heading in force.
    fn push(&mut self, kind: UnitKind, range: Range<usize>) -> &mut Unit {
        self.units
            .push(new_unit(kind, range, self.cursor.current, self.heading));
        let last = self.units.len() - 1;
        &mut self.units[last]
    }

    /// The open unit, if its last block was cut mid-sentence.
    fn cut_open(&self) -> Option<usize> {
        self.open.filter(|&u| is_cut(&self.units[u], self.text))
    }

    /// Group item `idx`.
    fn item(&mut self, idx: usize) {
        let items = self.items;
        let it = &items[idx];
        let range = it.range.clone();
        match &it.line {
            Line::Text => self.text_line(idx),
            Line::Event { number, marker_end } => self.event(range, *number, *marker_end),
            Line::Date(r) => self.date_line(idx, r.start),
            Line::PageMark => {
                self.push(UnitKind::PageMark, range);
            }
            Line::Caption => {
                // A caption sits between the parts of a cut paragraph; it does not close it.
                self.push(UnitKind::Caption, range);
            }
            Line::Heading => {
                self.first_text_seen = true;
                self.push(UnitKind::Heading, range);
                self.open = None;
            }
            Line::Boilerplate => {
                self.push(UnitKind::Boilerplate, range);
                self.open = None;
            }
            Line::Provenance => {
                self.push(UnitKind::Provenance, range);
                self.open = None;
            }
            Line::Chrome(e) => {
                self.push(UnitKind::Chrome, range).evidence = Some(*e);
                // A sidebar between the halves of a cut paragraph does not close it.
                self.open = self.cut_open();
            }
        }
    }

    /// A text line: the wrapped continuation of the open block, a running head, the next part
    /// of a cut paragraph or event, or a new paragraph.
    fn text_line(&mut self, idx: usize) {
        let (text, items) = (self.text, self.items);
        let it = &items[idx];
        let s = &text[it.range.clone()];
        let cut_open = self.cut_open();
        let next_is_text = next_starts_text_block(self.items, idx);
        let repeats = self.counts.get(s).copied().unwrap_or(0);
        let title_here = if self.first_text_seen {
            self.title.as_deref()
        } else {
            None
        };
        self.first_text_seen = true;
        // A hard-wrapped line continues its block as it is.
        if !it.block_start {
            if let Some(u) = self.open {
                self.units[u].extend_last_part(it.range.end);
                return;
            }
        }
        let interrupts = cut_open.is_some() && next_is_text && it.block_start;
        if is_running_head(s, repeats, title_here, interrupts) {
            self.running_head(it.range.clone());
            return;
        }
        let open_event = self.open.filter(|&u| self.units[u].kind == UnitKind::Event);
        if let Some(u) = cut_open.or(open_event) {
            self.units[u].push_part(it.range.clone());
            return;
        }
        self.push(UnitKind::Paragraph, it.range.clone());
        self.open = Some(self.units.len() - 1);
    }

    /// A running head. Above the text it is the page's header (its title shown again), not a
    /// printed page's running head. (A site name or a headline above it is no text yet: text
    /// has sentences.) (Units are scanned once each, whatever the number of candidates.)
    fn running_head(&mut self, range: Range<usize>) {
        if !self.text_seen {
            let text = self.text;
            self.text_seen = self.units[self.scanned..].iter().any(|u| {
                u.kind == UnitKind::Event
                    || (u.kind == UnitKind::Paragraph
                        && text[u.span.clone()].contains(['。', '，', ',']))
            });
            self.scanned = self.units.len();
        }
        let above_text = !self.text_seen;
        let kind = if above_text {
            UnitKind::Chrome
        } else {
            UnitKind::PageMark
        };
        self.push(kind, range).evidence = above_text.then_some(chrome::Evidence::Recurring);
    }

    /// An event line: it opens a unit dated by the date at its start, if any.
    fn event(&mut self, range: Range<usize>, number: Option<u32>, marker_end: usize) {
        let rest = &self.text[marker_end..range.end];
        let rest_trim = rest.trim_start();
        let mut date = self.cursor.current;
        if let Some((r, _)) = dates::parse_inline(rest_trim) {
            date = self.cursor.set(r.start);
        }
        let mut u = new_unit(UnitKind::Event, range, date, self.heading);
        u.set_number(number);
        u.body_start =
            u32::try_from(marker_end + (rest.len() - rest_trim.len())).unwrap_or(u32::MAX);
        self.units.push(u);
        self.open = Some(self.units.len() - 1);
    }

    /// A date alone on a line: a date heading, unless it is a running head.
    fn date_line(&mut self, idx: usize, start: Date) {
        let items = self.items;
        let it = &items[idx];
        // A date alone on a line between the two halves of a cut paragraph is the page's
        // running head (a newspaper prints its date on every page), not a heading.
        if self.cut_open().is_some() && next_starts_text_block(self.items, idx) && it.block_start {
            self.push(UnitKind::PageMark, it.range.clone());
            return;
        }
        let d = self.cursor.set(start);
        self.units
            .push(new_unit(UnitKind::DateHeading, it.range.clone(), d, None));
        self.heading = Some(self.units.len() - 1);
        self.open = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One item is held per line of the file while it is segmented.
    #[test]
    fn a_line_item_stays_small() {
        assert_eq!(std::mem::size_of::<Item>(), 40);
    }

    #[test]
    fn page_marks() {
        assert_eq!(leading_page_mark("(上接第7版)"), Some("(上接第7版)".len()));
        assert_eq!(
            leading_page_mark("（上接5版）（32）2月10日"),
            Some("（上接5版）".len())
        );
        assert!(trailing_page_mark("文字。（下转7版）").is_some());
        assert!(leading_page_mark("（32）2月10日").is_none());
    }

    #[test]
    fn sentence_end() {
        assert!(ends_sentence("合作。"));
        assert!(!ends_sentence("世界卫生组织在会上共"));
        assert!(ends_sentence("（图6）"));
    }

    #[test]
    fn headings_and_captions() {
        assert!(section_heading(
            "（三）第三阶段：本土新增病例数逐步下降至个位数"
        ));
        assert!(section_heading("二、防控和救治两个战场协同作战"));
        assert!(!section_heading("（32）2月10日，建立"));
        assert!(caption(
            "图6 中国境内新冠肺炎新增确诊病例情况（2月21日至3月17日）"
        ));
        assert!(page_number_line("— 7 —"));
    }
}
