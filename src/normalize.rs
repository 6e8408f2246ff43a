//! Normalization with an offset map back to the raw text.
//!
//! Witnesses differ in script (traditional/simplified), punctuation width (`，` vs `,`), quote style
//! (「」 “” ""), spacing and line wrapping. Collation and fingerprints work on the folded text; every
//! diagnostic is rendered on the raw text. So [`normalize`] returns the folded characters together
//! with, for each of them, where in the raw text it came from.
//!
//! ```
//! use collatio::normalize::normalize;
//! let raw = "「中國」，\n發布";
//! let n = normalize(raw, 0);
//! assert_eq!(n.text(), "\"中国\",发布");
//! // `發` (3 bytes) starts at byte 16 of the raw text.
//! assert_eq!(n.src.get(5), Some(16));
//! assert_eq!(n.raw_range(raw, 5, 7), Some((16, 22)));
//! ```
//!
//! Only where each folded character starts is stored: where it ends follows from the raw text
//! ([`raw_end`]), and a third less to write and keep matters for whole archives held in memory.
//!
//! Steps, per character (a base character and its combining marks form one cluster):
//! 1. drop zero-width characters and the BOM; whitespace runs vanish, except one space between
//!    two ASCII letters or digits (so Latin words stay apart);
//! 2. NFKC (full-width forms become ASCII, compatibility ideographs become unified ones);
//! 3. punctuation folding into classes (all quotes → `"`, all commas → `,`, …);
//! 4. traditional → simplified at the character level ([`crate::script`]);
//! 5. ASCII letters to lower case.

use crate::script::tables;
pub use offsets::{Appender, Offsets};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

mod offsets;

/// Folded text with its map to raw byte offsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The folded characters.
    pub chars: Vec<char>,
    /// How many raw characters were traditional-only and simplified-only (script statistics come
    /// for free with the fold).
    pub traditional: u32,
    /// Simplified-only raw characters, as `traditional`.
    pub simplified: u32,
    /// For each folded character, the raw byte offset where the character or cluster it came
    /// from starts (absolute in the document; [`raw_end`] gives the end). Several folded chars
    /// may share a start (NFKC expansions). Compact: about 1.25 bytes a character.
    pub src: Offsets,
}

impl Normalized {
    /// The folded characters as a string.
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// Number of folded characters (not bytes).
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// No folded characters (a unit of only punctuation or spaces).
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Raw byte range covered by folded chars `[from, to)`; `raw` is the whole document text
    /// (offsets are absolute).
    pub fn raw_range(&self, raw: &str, from: usize, to: usize) -> Option<(usize, usize)> {
        self.raw_range_with(from, to, |start| raw_end(raw, start))
    }

    /// [`Normalized::raw_range`] with `end` finding where the raw cluster starting at a byte
    /// ends (a text held in memory or read back from its file).
    pub fn raw_range_with(
        &self,
        from: usize,
        to: usize,
        end: impl Fn(usize) -> usize,
    ) -> Option<(usize, usize)> {
        if from >= to || to > self.src.len() {
            return None;
        }
        Some((
            self.src.get(from)? as usize,
            end(self.src.get(to - 1)? as usize),
        ))
    }

    /// Raw byte range `[start, end)` that folded char `i` came from.
    pub fn span(&self, raw: &str, i: usize) -> Option<(usize, usize)> {
        self.raw_range(raw, i, i + 1)
    }

    /// Append another normalized run (e.g. the continuation of a paragraph split by a page break).
    pub fn extend(&mut self, other: &Normalized) {
        self.chars.extend_from_slice(&other.chars);
        self.src.extend_from(&other.src);
        self.traditional += other.traditional;
        self.simplified += other.simplified;
    }
}

/// Fold a punctuation character into its class representative, if it is one we fold.
#[inline]
pub fn fold_punct(c: char) -> char {
    match c {
        '，' | '、' | '﹐' | '﹑' | '､' => ',',
        '。' | '｡' | '．' => '。',
        '；' | '﹔' => ';',
        '：' | '﹕' => ':',
        '！' | '﹗' => '!',
        '？' | '﹖' => '?',
        '“' | '”' | '„' | '‟' | '「' | '」' | '『' | '』' | '﹁' | '﹂' | '﹃' | '﹄' | '‘'
        | '’' | '‚' | '‛' | '＂' | '＇' | '\'' | '`' | '′' | '″' => '"',
        '（' | '［' | '【' | '〔' | '〖' | '[' | '{' | '｛' | '﹙' => '(',
        '）' | '］' | '】' | '〕' | '〗' | ']' | '}' | '｝' | '﹚' => ')',
        '〈' | '<' | '«' | '‹' | '＜' => '《',
        '〉' | '>' | '»' | '›' | '＞' => '》',
        '—' | '–' | '―' | '‐' | '‑' | '‒' | '－' | '﹣' | '─' | '〜' | '～' => {
            '-'
        }
        '・' | '•' | '‧' | '∙' | '·' => '·',
        _ => c,
    }
}

/// Whether a (folded) character is punctuation or a symbol rather than text.
pub fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '。' | '《' | '》' | '·' | '…' | '◆' | '●' | '■' | '★' | '▲' | '○' | '◇' | '□'
        )
        || ('\u{2000}'..='\u{206F}').contains(&c)
        || ('\u{3000}'..='\u{303F}').contains(&c)
        || ('\u{FE30}'..='\u{FE4F}').contains(&c)
        || ('\u{FF00}'..='\u{FF0F}').contains(&c)
}

#[inline]
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

#[inline]
fn is_cjk_fast(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// Where the raw character or cluster starting at byte `start` of `raw` ends: white space is
/// one character (a run folds to one space that points at its first character); anything else
/// takes the combining marks after it, as normalization groups them. Out-of-range or
/// mid-character offsets give the nearest sensible end, never a panic.
pub fn raw_end(raw: &str, start: usize) -> usize {
    let Some(rest) = raw.get(start..) else {
        return start.min(raw.len());
    };
    let table = table();
    let mut it = rest.char_indices();
    let Some((_, c)) = it.next() else {
        return start;
    };
    let mut end = start + c.len_utf8();
    if code_in(table, c) == LUT_WS {
        return end;
    }
    for (i, d) in it {
        if code_in(table, d) != LUT_COMB {
            break;
        }
        end = start + i + d.len_utf8();
    }
    end
}

/// The output of one normalization run, held in locals so the hot loop keeps lengths and
/// pointers in registers instead of reloading them through `&mut Normalized` on every push.
struct Sink {
    chars: Vec<char>,
    src: Appender,
    pending_space: Option<u32>,
}

impl Sink {
    #[inline(always)]
    fn push(&mut self, ch: char, s: u32) {
        if let Some(sp) = self.pending_space.take() {
            let prev_alnum = self.chars.last().is_some_and(|p| p.is_ascii_alphanumeric());
            if prev_alnum && ch.is_ascii_alphanumeric() {
                self.chars.push(' ');
                self.src.push(sp);
            }
        }
        self.chars.push(ch);
        self.src.push(s);
    }

    #[inline(always)]
    fn space(&mut self, s: u32) {
        if self.pending_space.is_none() {
            self.pending_space = Some(s);
        }
    }
}

/// Decode the character at byte `i` of valid UTF-8: the character and its length.
#[inline(always)]
fn decode(b: &[u8], i: usize) -> Option<(char, usize)> {
    let x = *b.get(i)? as u32;
    let at = |k: usize| (b.get(i + k).copied().unwrap_or(0x80) & 0x3F) as u32;
    let (cp, len) = if x < 0x80 {
        (x, 1)
    } else if x < 0xE0 {
        ((x & 0x1F) << 6 | at(1), 2)
    } else if x < 0xF0 {
        ((x & 0x0F) << 12 | at(1) << 6 | at(2), 3)
    } else {
        ((x & 0x07) << 18 | at(1) << 12 | at(2) << 6 | at(3), 4)
    };
    Some((char::from_u32(cp).unwrap_or('\u{FFFD}'), len))
}

const LUT_WS: u32 = 0xFFFF_FFFF;
const LUT_DROP: u32 = 0xFFFF_FFFE;
const LUT_COMB: u32 = 0xFFFF_FFFD;
const LUT_SLOW: u32 = 0xFFFF_FFFC;
/// Flags packed above the 21 bits of a character in ordinary table entries.
const LUT_TRAD: u32 = 1 << 29;
const LUT_SIMP: u32 = 1 << 30;
const LUT_CHAR: u32 = (1 << 21) - 1;

/// One table for the whole BMP: what a lone character becomes after NFKC, punctuation folding,
/// script folding and case folding, with its script flags — or a code saying it is white space,
/// invisible, a combining mark, or expands to several characters (the slow path). Built once, in
/// a few milliseconds; after that the common character costs one array read.
///
/// Flat `u32`s (256 KiB), not packed. Measured on the units of the bench archive (one thread,
/// AMD EPYC VM): this table ~840 MB/s; `u16` entries with 2-bit script flags beside them (144 KiB,
/// two reads) ~760 MB/s; the CJK block as bits with a rank (8.5 KiB, so it stayed in L1, but a
/// chain of dependent reads and a popcount per character) ~490 MB/s. The CJK block here is 82 KiB
/// and stays in L2. (On a VM with less cache the compact forms had measured faster; the
/// difference is a few per cent of a whole `check` either way.)
fn table() -> &'static [u32] {
    static TABLE: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    TABLE.get_or_init(build_table)
}

/// The code of any character: [`table`] for the BMP; beyond it, a combining mark or the slow
/// path.
#[inline(always)]
fn code_in(table: &[u32], c: char) -> u32 {
    match table.get(c as usize) {
        Some(&v) => v,
        None if canonical_combining_class(c) != 0 => LUT_COMB,
        None => LUT_SLOW,
    }
}

/// Build [`table`].
fn build_table() -> Vec<u32> {
    let t = tables();
    (0..=0xFFFFu32)
        .map(|cp| {
            let Some(c) = char::from_u32(cp) else {
                return LUT_SLOW;
            };
            if c.is_whitespace() {
                return LUT_WS;
            }
            if is_invisible(c) {
                return LUT_DROP;
            }
            if canonical_combining_class(c) != 0 {
                return LUT_COMB;
            }
            let mut n = std::iter::once(c).nfkc();
            match (n.next(), n.next()) {
                (Some(d), None) => {
                    if d.is_whitespace() {
                        LUT_WS
                    } else if is_invisible(d) {
                        LUT_DROP
                    } else {
                        let mut v = final_fold(t, d) as u32;
                        if t.is_traditional_only(c) {
                            v |= LUT_TRAD;
                        } else if t.is_simplified_only(c) {
                            v |= LUT_SIMP;
                        }
                        v
                    }
                }
                _ => LUT_SLOW,
            }
        })
        .collect()
}

#[inline]
fn final_fold(t: &crate::script::ScriptTables, d: char) -> char {
    let f = fold_punct(d);
    if is_cjk_fast(f) || ('\u{20000}'..='\u{3FFFF}').contains(&f) {
        t.fold(f)
    } else {
        f.to_ascii_lowercase()
    }
}

/// Normalize `raw`, whose first byte sits at absolute offset `base` in its document.
pub fn normalize(raw: &str, base: usize) -> Normalized {
    let mut out = Normalized::default();
    normalize_into(&mut out, raw, base);
    out
}

/// Normalize `raw` (at absolute offset `base`) and append it to `out`: the parts of a unit split
/// by a page break go into one buffer without copying.
pub fn normalize_into(out: &mut Normalized, raw: &str, base: usize) {
    // Exact room (one folded character per raw one, bar the rare expansion): units are kept for
    // the whole run in collation, so slack from doubling growth would cost real memory.
    let n = raw.chars().count();
    out.chars.reserve_exact(n);
    out.src.reserve_exact(n);
    let (chars_before, src_before) = (out.chars.len(), out.src.len());
    if !normalize_simple(out, raw, base) {
        out.chars.truncate(chars_before);
        out.src.truncate(src_before);
        normalize_clusters(out, raw, base);
    }
}

/// The common case: every character folds on its own (no combining marks, no expansions, all in
/// the BMP) — nearly every paragraph of a Chinese or Latin text. One table read per character
/// and no look-ahead. Gives up (false, `out` partly written) at the first character that needs
/// [`normalize_clusters`]; the caller then starts over with that.
fn normalize_simple(out: &mut Normalized, raw: &str, base: usize) -> bool {
    let table = table();
    let mut chars = std::mem::take(&mut out.chars);
    let mut src = Appender::new(std::mem::take(&mut out.src));
    let mut pending_space: Option<u32> = None;
    let (mut trad, mut simp) = (0u32, 0u32);
    let mut ok = true;
    for (i, c) in raw.char_indices() {
        let start = (base + i) as u32;
        let Some(&code) = table.get(c as usize) else {
            ok = false; // outside the BMP
            break;
        };
        if code >= LUT_SLOW {
            match code {
                LUT_WS => {
                    pending_space.get_or_insert(start);
                    continue;
                }
                LUT_DROP => continue,
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        trad += (code & LUT_TRAD != 0) as u32;
        simp += (code & LUT_SIMP != 0) as u32;
        let f = char::from_u32(code & LUT_CHAR).unwrap_or(c);
        if let Some(sp) = pending_space.take() {
            if f.is_ascii_alphanumeric() && chars.last().is_some_and(|p| p.is_ascii_alphanumeric())
            {
                chars.push(' ');
                src.push(sp);
            }
        }
        chars.push(f);
        src.push(start);
    }
    out.chars = chars;
    out.src = src.finish();
    if ok {
        out.traditional += trad;
        out.simplified += simp;
    }
    ok
}

/// Normalization with clusters: a character and the combining marks after it go through NFKC
/// together, and characters that expand to several are expanded.
fn normalize_clusters(out: &mut Normalized, raw: &str, base: usize) {
    let t = tables();
    let table = table();
    let code_of = |c: char| code_in(table, c);
    let b = raw.as_bytes();
    let mut sink = Sink {
        chars: std::mem::take(&mut out.chars),
        src: Appender::new(std::mem::take(&mut out.src)),
        pending_space: None,
    };
    let (mut trad, mut simp) = (0u32, 0u32);
    let mut cluster = String::new();
    // The next character is decoded (and looked up) once, ahead: whether it is a combining mark
    // decides how the current one is folded.
    let mut i = 0;
    let mut next = decode(b, 0).map(|(c, n)| (c, n, code_of(c)));
    while let Some((c, len, code)) = next {
        let start = (base + i) as u32;
        i += len;
        next = decode(b, i).map(|(c, n)| (c, n, code_of(c)));
        if code == LUT_WS {
            sink.space(start);
            continue;
        }
        if code == LUT_DROP {
            continue;
        }
        let followed_by_mark = next.is_some_and(|n| n.2 == LUT_COMB);
        if !followed_by_mark && code < LUT_SLOW {
            // The common case: one character in, one character out.
            trad += (code & LUT_TRAD != 0) as u32;
            simp += (code & LUT_SIMP != 0) as u32;
            let f = char::from_u32(code & LUT_CHAR).unwrap_or(c);
            sink.push(f, start);
            continue;
        }
        trad += t.is_traditional_only(c) as u32;
        simp += t.is_simplified_only(c) as u32;
        cluster.clear();
        cluster.push(c);
        while let Some((d, n, dc)) = next {
            if dc != LUT_COMB {
                break;
            }
            cluster.push(d);
            i += n;
            next = decode(b, i).map(|(c, n)| (c, n, code_of(c)));
        }
        for n in cluster.nfkc() {
            if n.is_whitespace() {
                sink.space(start);
            } else if !is_invisible(n) {
                sink.push(final_fold(t, n), start);
            }
        }
    }
    out.chars = sink.chars;
    out.src = sink.src.finish();
    out.traditional += trad;
    out.simplified += simp;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_script_punctuation_and_space() {
        let a = normalize("中國發布，「推進」\n合作。", 0);
        let b = normalize("中国发布,“推进”合作.", 0);
        assert_eq!(a.text(), "中国发布,\"推进\"合作。");
        assert_eq!(b.text(), "中国发布,\"推进\"合作.");
    }

    #[test]
    fn latin_words_keep_one_space() {
        assert_eq!(normalize("N95  Mask\tX", 0).text(), "n95 mask x");
        assert_eq!(normalize("中 文", 0).text(), "中文");
    }

    #[test]
    fn converter_error_stays_visible() {
        assert_ne!(normalize("恢覆", 0).text(), normalize("恢復", 0).text());
        assert_eq!(normalize("恢復", 0).text(), normalize("恢复", 0).text());
    }

    #[test]
    fn table_codes() {
        let t = table();
        assert_eq!(code_in(t, ' '), LUT_WS);
        assert_eq!(code_in(t, '\u{200B}'), LUT_DROP);
        assert_eq!(code_in(t, '\u{301}'), LUT_COMB);
        assert_eq!(code_in(t, '㈱'), LUT_SLOW);
        assert_eq!(code_in(t, '\u{1D165}'), LUT_COMB); // a mark beyond the BMP
        assert_eq!(code_in(t, '𠀀'), LUT_SLOW);
        assert_eq!(code_in(t, '發'), '发' as u32 | LUT_TRAD);
        assert_eq!(code_in(t, '发'), '发' as u32 | LUT_SIMP);
        assert_eq!(code_in(t, '，'), ',' as u32);
        assert_eq!(code_in(t, 'Ａ'), 'a' as u32);
    }

    proptest::proptest! {
        /// The one-character-at-a-time path gives exactly what the cluster path gives, and
        /// hands over to it when it meets a mark or an expansion.
        #[test]
        fn simple_path_same_as_clusters(
            parts in proptest::collection::vec("[a-z0-9 \t\n中國发發，「」（）é\u{301}\u{200B}㈠ﬁ𠀀]{0,12}", 1..3)
        ) {
            let (mut fast, mut slow) = (Normalized::default(), Normalized::default());
            let mut base = 0;
            for p in &parts {
                normalize_into(&mut fast, p, base);
                normalize_clusters(&mut slow, p, base);
                base += p.len() + 1;
            }
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn offsets_are_absolute() {
        let n = normalize("a發", 10);
        assert_eq!(n.src.iter().collect::<Vec<_>>(), vec![10, 11]);
        let doc = format!("{}a發", " ".repeat(10));
        assert_eq!(n.span(&doc, 1), Some((11, 14)));
    }

    #[test]
    fn ends_take_marks_but_not_past_white_space() {
        let raw = "e\u{301}\u{302}x \u{301}y";
        let n = normalize(raw, 0);
        assert_eq!(n.span(raw, 0), Some((0, 5)));
        let x = n.chars.iter().position(|&c| c == 'x').unwrap();
        assert_eq!(n.span(raw, x), Some((5, 6)));
        assert_eq!(raw_end(raw, 6), 7); // the space, not the mark after it
        assert_eq!(raw_end(raw, 99), raw.len());
        assert_eq!(raw_end(raw, 2), 2); // inside a character: no range
    }
}
