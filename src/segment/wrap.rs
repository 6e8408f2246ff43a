//! Paragraph structure, inferred per document: does a line break inside a block of non-blank
//! lines end a paragraph, or only wrap it?
//!
//! Text scraped from a web page or an app has one paragraph per line and no blank lines; a
//! printed page or an e-mail is hard-wrapped at a fixed width; many files mix both. The evidence
//! is the document's own: the width most of its inner lines share (a hard-wrapped text fills its
//! lines to one width, a paragraph-per-line text has lines of every length), sentence-final
//! punctuation at a line's end, an indented next line, a word broken across the break.
//!
//! ```text
//! 新華社記者                                   short, no width shared  → its own paragraph
//! 新冠肺炎疫情，是新中國成立以來發生的傳播速度最快、  full width (the shared one) → wraps
//! 感染範圍最廣、防控難度最大的一次重大突發公共衛生事件。  shorter, ends a sentence → paragraph ends
//! ```

use super::ends_sentence;

/// How one document breaks its lines.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wrapping {
    /// The width, in characters, to which the document fills its hard-wrapped lines, when enough
    /// of its inner lines share one.
    pub width: Option<usize>,
    /// Whether the document marks paragraph starts by indenting them.
    pub indents: bool,
}

/// One line of a block, as the inference sees it.
#[derive(Debug, Clone, Copy)]
pub struct LineShape<'a> {
    /// The line without surrounding white space.
    pub text: &'a str,
    /// Whether the line is indented (leading spaces or an ideographic space).
    pub indented: bool,
}

fn width(s: &str) -> usize {
    s.chars().count()
}

impl Wrapping {
    /// Infer the wrapping from `inner` (the lines followed by another line of the same block:
    /// only those can be wrapped) and from how many of the body's `lines` are `indented`.
    pub fn infer(inner: &[LineShape<'_>], indented: usize, lines: usize) -> Wrapping {
        Wrapping {
            width: shared_width(inner),
            indents: lines >= 4 && indented * 3 >= lines,
        }
    }

    /// Whether the break between `prev` and `next` (consecutive non-blank lines) only wraps a
    /// paragraph.
    pub fn joins(&self, prev: LineShape<'_>, next: LineShape<'_>) -> bool {
        if self.indents && next.indented {
            return false;
        }
        if broken_word(prev.text, next.text) {
            return true;
        }
        let w = width(prev.text);
        if let Some(full) = self.width {
            // A line filled to the width wraps, even when the width happened to fall after a
            // full stop; a paragraph's last line is shorter.
            // (Longer lines are paragraphs of a mixed document that were never wrapped; a little
            // over the width is punctuation hung past the margin.)
            // A sentence that ends short of the width ends its paragraph even near the margin.
            // (Only a line filled to the width itself may end a sentence and still wrap.)
            let near_full = w * 100 >= full * 85 && w <= full + 2;
            let at_margin = w >= full && w <= full + 2;
            if near_full && (at_margin || !ends_sentence(prev.text)) {
                return true;
            }
        }
        if self.indents && !next.indented {
            // An indenting document starts every paragraph indented: a flush line continues.
            return !ends_sentence(prev.text) || self.width.is_some_and(|f| w * 100 >= f * 85);
        }
        // Prose cut off at the line's end (a clause, not a title or a byline) goes on below.
        // (A clause comma, not an enumeration comma: titles list things with 、.)
        // The line below must read as prose too: a short line without punctuation is a title
        // or a running head that interrupts the cut paragraph, not its continuation.
        let next_prose = width(next.text) > 40 || next.text.contains(['，', ',', '。', '；', '、']);
        !ends_sentence(prev.text)
            && w >= 24
            && prev.text.contains(['，', ','])
            && next_prose
            && !next.text.starts_with(super::EVENT_MARKERS)
    }
}

/// A Latin word broken across the line break (`inter-` / `national`, or letters on both sides).
fn broken_word(prev: &str, next: &str) -> bool {
    let last = prev.chars().last();
    let first = next.chars().next();
    match (last, first) {
        (Some('-'), Some(f)) => {
            f.is_ascii_lowercase()
                && prev
                    .chars()
                    .rev()
                    .nth(1)
                    .is_some_and(|c| c.is_ascii_alphabetic())
        }
        _ => false,
    }
}

/// The width most inner lines are filled to: the value `v` that the most inner lines come
/// within 10 % below of, when at least three lines and a quarter of all inner lines do. A
/// paragraph-per-line document has lines of every length and no such width.
fn shared_width(inner: &[LineShape<'_>]) -> Option<usize> {
    if inner.len() < 3 {
        return None;
    }
    let mut w: Vec<usize> = inner
        .iter()
        .map(|l| width(l.text))
        .filter(|&w| w >= 8)
        .collect();
    w.sort_unstable();
    // Two pointers over the sorted widths: for each candidate top `w[hi]`, count widths in
    // [0.9·top, top]. Linear after the sort.
    let (mut best, mut best_count, mut lo) = (0, 0, 0);
    for hi in 0..w.len() {
        while w[lo] * 10 < w[hi] * 9 {
            lo += 1;
        }
        let count = hi - lo + 1;
        if count > best_count || (count == best_count && w[hi] > best) {
            best = w[hi];
            best_count = count;
        }
    }
    (best_count >= 3 && best_count * 4 >= inner.len()).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &str) -> LineShape<'_> {
        LineShape {
            text: s,
            indented: false,
        }
    }

    #[test]
    fn a_hard_wrapped_text_has_a_width_and_a_scraped_one_has_none() {
        let wrapped: Vec<String> = (0..8).map(|i| "字".repeat(30 - (i % 2))).collect();
        let shapes: Vec<LineShape> = wrapped.iter().map(|s| l(s)).collect();
        assert_eq!(shared_width(&shapes), Some(30));
        let scraped = [
            "短",
            "一个长长长长长长长长的句子。",
            "另一段文字，长度完全不同，而且更长更长更长。",
            "再一段。",
            "第五段文字在这里结束了，没有别的。",
        ];
        let shapes: Vec<LineShape> = scraped.iter().map(|s| l(s)).collect();
        assert_eq!(shared_width(&shapes), None);
    }

    #[test]
    fn breaks() {
        let w = Wrapping {
            width: Some(30),
            indents: false,
        };
        let full = "字".repeat(29);
        assert!(w.joins(l(&full), l("下一行")));
        assert!(!w.joins(l("新華社記者"), l("新冠肺炎疫情，是…")));
        // Near the margin but a sentence's end: the paragraph's last line.
        let last = format!("{}。", "字".repeat(26));
        assert!(!w.joins(l(&last), l("下一段")));
        let one_short = format!("{}。", "字".repeat(28));
        assert!(!w.joins(l(&one_short), l("下一段")));
        let full_stop_at_margin = format!("{}。", "字".repeat(29));
        assert!(w.joins(l(&full_stop_at_margin), l("下一行")));
        let cut = "字".repeat(27);
        assert!(w.joins(l(&cut), l("下一行")));
        let none = Wrapping::default();
        assert!(!none.joins(l("新華社記者"), l("新冠肺炎疫情")));
        assert!(!none.joins(
            l("一个完整的句子，到这里结束了，没有更多的内容了。"),
            l("下一段")
        ));
        assert!(none.joins(
            l("一个被切断的句子，到这里还没有结束，后面还有很多内容"),
            l("接着写完。")
        ));
        // A running head between the halves of a cut paragraph is no continuation.
        assert!(!none.joins(
            l("一个被切断的句子，到这里还没有结束，后面还有很多内容"),
            l("某某纪事")
        ));
        assert!(none.joins(l("inter-"), l("national")));
    }
}
