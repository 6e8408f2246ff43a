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
use crate::normalize::{normalize, Normalized};
use regex::Regex;
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
    Date(dates::DateRange),
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
        out.push(Item {
            range: start..start + n,
            line: Line::PageMark,
            block_start: false,
            first_of_line: false,
            indented: false,
        });
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
        let s = &text[start..end];
        // Cheap structural tests first: an event line is never boilerplate, so most lines never
        // reach the boilerplate patterns.
        let line = if s.starts_with('#') {
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
            Line::Date(d)
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
        };
        out.push(Item {
            range: start..end,
            line,
            block_start: false,
            first_of_line: false,
            indented: false,
        });
    }
    if let Some(r) = trailing {
        out.push(Item {
            range: r,
            line: Line::PageMark,
            block_start: false,
            first_of_line: false,
            indented: false,
        });
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
    let Some(last) = u.parts.last() else {
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
        u.norm = u.refold(text);
    }
}

/// [`segment`] without the folds: the units' `norm` is left empty (a caller that needs only a
/// summary of each fold makes and drops them one at a time, see [`Unit::refold`]).
pub fn segment_units(doc: &mut Document, kb: &Knowledge) {
    let text = doc.text.as_str();
    let body_start = doc.body_start;
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

    infer_paragraphs(text, &mut items);
    mark_caption_pairs(text, &mut items);

    // Short text lines that recur in the body are running heads (one per printed page).
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for it in &items {
        if matches!(it.line, Line::Text) && it.range.len() <= 150 {
            *counts.entry(&text[it.range.clone()]).or_default() += 1;
        }
    }
    // Normalized once here, not once per candidate line.
    let title: Option<String> = doc
        .provenance
        .field("title")
        .or_else(|| {
            items
                .iter()
                .find(|i| matches!(i.line, Line::Heading))
                .map(|i| text[i.range.clone()].trim_start_matches('#').trim())
        })
        .map(|t| normalize(t, 0).text());
    let year = doc
        .provenance
        .field("date")
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse::<i32>().ok());
    let mut cursor = DateCursor::with_year(year);

    let mut units: Vec<Unit> = Vec::new();
    // Index of the unit that the next text line may continue.
    let mut open: Option<usize> = None;
    let mut heading: Option<usize> = None;
    let new_unit = |kind, range: Range<usize>, date: Date, heading: Option<usize>| Unit {
        kind,
        span: range.clone(),
        parts: vec![range.clone()],
        date,
        heading,
        number: None,
        body_start: range.start,
        norm: Normalized::default(),
        evidence: None,
        summary: Default::default(),
    };
    let mut first_text_seen = false;
    // Whether a unit of text (an event, a paragraph with sentences) has been seen, and how many
    // units were looked at to know it.
    let (mut text_seen, mut scanned) = (false, 0usize);
    for (idx, it) in items.iter().enumerate() {
        let s = &text[it.range.clone()];
        let cut_open = open.filter(|&u| is_cut(&units[u], text));
        match &it.line {
            Line::Text => {
                let next_is_text = items[idx + 1..]
                    .iter()
                    .find(|n| !matches!(n.line, Line::PageMark))
                    .is_some_and(|n| matches!(n.line, Line::Text) && n.block_start);
                let repeats = counts.get(s).copied().unwrap_or(0);
                let title_here = if first_text_seen {
                    title.as_deref()
                } else {
                    None
                };
                first_text_seen = true;
                // A hard-wrapped line continues its block as it is.
                if !it.block_start {
                    if let Some(u) = open {
                        let unit = &mut units[u];
                        if let Some(last) = unit.parts.last_mut() {
                            last.end = it.range.end;
                        }
                        unit.span.end = it.range.end;
                        continue;
                    }
                }
                let interrupts = cut_open.is_some() && next_is_text && it.block_start;
                if is_running_head(s, repeats, title_here, interrupts) {
                    // Above the text it is the page's header (its title shown again), not a
                    // printed page's running head.
                    // (A site name or a headline above it is no text yet: text has sentences.)
                    // (Units are scanned once each, whatever the number of candidates.)
                    if !text_seen {
                        text_seen = units[scanned..].iter().any(|u| {
                            u.kind == UnitKind::Event
                                || (u.kind == UnitKind::Paragraph
                                    && text[u.span.clone()].contains(['。', '，', ',']))
                        });
                        scanned = units.len();
                    }
                    let above_text = !text_seen;
                    let mut u = new_unit(
                        if above_text {
                            UnitKind::Chrome
                        } else {
                            UnitKind::PageMark
                        },
                        it.range.clone(),
                        cursor.current,
                        heading,
                    );
                    u.evidence = above_text.then_some(chrome::Evidence::Recurring);
                    units.push(u);
                    continue;
                }
                if let Some(u) = cut_open.or(open.filter(|&u| units[u].kind == UnitKind::Event)) {
                    let unit = &mut units[u];
                    unit.parts.push(it.range.clone());
                    unit.span.end = it.range.end;
                    continue;
                }
                units.push(new_unit(
                    UnitKind::Paragraph,
                    it.range.clone(),
                    cursor.current,
                    heading,
                ));
                open = Some(units.len() - 1);
            }
            Line::Event { number, marker_end } => {
                let rest = &text[*marker_end..it.range.end];
                let rest_trim = rest.trim_start();
                let mut date = cursor.current;
                if let Some((r, _)) = dates::parse_inline(rest_trim) {
                    date = cursor.set(r.start);
                }
                let mut u = new_unit(UnitKind::Event, it.range.clone(), date, heading);
                u.number = *number;
                u.body_start = *marker_end + (rest.len() - rest_trim.len());
                units.push(u);
                open = Some(units.len() - 1);
            }
            Line::Date(r) => {
                // A date alone on a line between the two halves of a cut paragraph is the page's
                // running head (a newspaper prints its date on every page), not a heading.
                let next_continues = items[idx + 1..]
                    .iter()
                    .find(|n| !matches!(n.line, Line::PageMark))
                    .is_some_and(|n| matches!(n.line, Line::Text) && n.block_start);
                if cut_open.is_some() && next_continues && it.block_start {
                    units.push(new_unit(
                        UnitKind::PageMark,
                        it.range.clone(),
                        cursor.current,
                        heading,
                    ));
                    continue;
                }
                let d = cursor.set(r.start);
                units.push(new_unit(UnitKind::DateHeading, it.range.clone(), d, None));
                heading = Some(units.len() - 1);
                open = None;
            }
            Line::PageMark => {
                units.push(new_unit(
                    UnitKind::PageMark,
                    it.range.clone(),
                    cursor.current,
                    heading,
                ));
            }
            Line::Caption => {
                units.push(new_unit(
                    UnitKind::Caption,
                    it.range.clone(),
                    cursor.current,
                    heading,
                ));
                // A caption sits between the parts of a cut paragraph; it does not close it.
            }
            Line::Heading => {
                first_text_seen = true;
                units.push(new_unit(
                    UnitKind::Heading,
                    it.range.clone(),
                    cursor.current,
                    heading,
                ));
                open = None;
            }
            Line::Boilerplate => {
                units.push(new_unit(
                    UnitKind::Boilerplate,
                    it.range.clone(),
                    cursor.current,
                    heading,
                ));
                open = None;
            }
            Line::Provenance => {
                units.push(new_unit(
                    UnitKind::Provenance,
                    it.range.clone(),
                    cursor.current,
                    heading,
                ));
                open = None;
            }
            Line::Chrome(e) => {
                let mut u = new_unit(UnitKind::Chrome, it.range.clone(), cursor.current, heading);
                u.evidence = Some(*e);
                units.push(u);
                // A sidebar between the halves of a cut paragraph does not close it.
                open = open.filter(|&u| is_cut(&units[u], text));
            }
        }
    }

    // Folds are made by the caller (`segment`), or only summarized. Fingerprints are not taken
    // here: `check` never prints them, and the fingerprint stage hashes on demand.
    doc.units = units;
}

#[cfg(test)]
mod tests {
    use super::*;

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
