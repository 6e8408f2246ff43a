//! Encoding problems inside a decoded text: replacement characters (bytes lost in an earlier
//! decode), mojibake (UTF-8 read as Latin-1, GBK read as UTF-8), control and invisible
//! direction characters, and characters of the other Chinese script than the text's own.

use super::{DocRule, RuleInfo};
use crate::finding::{Category, FindingBuilder, Severity};
use crate::knowledge::Knowledge;
use crate::model::Document;
use crate::script::{tables, Script};
use regex::Regex;
use std::sync::OnceLock;

/// Rule `encoding/replacement-char` (EN001): U+FFFD replacement characters: text lost in an earlier decode.
pub const REPLACEMENT: RuleInfo = RuleInfo {
    id: "encoding/replacement-char",
    code: "EN001",
    category: Category::Encoding,
    severity: Severity::Error,
    summary: "U+FFFD replacement characters: text lost in an earlier decode",
    explain: "\
What it does: reports runs of U+FFFD (�). A decoder writes it for bytes it could not read, so the
original characters are gone from this copy.

What to do: recover the passage from another witness.

Silence: `--severity encoding/replacement-char=off`.",
};

/// Rule `encoding/mojibake` (EN002): mojibake: text decoded with the wrong encoding at some point.
pub const MOJIBAKE: RuleInfo = RuleInfo {
    id: "encoding/mojibake",
    code: "EN002",
    category: Category::Encoding,
    severity: Severity::Error,
    summary: "mojibake: text decoded with the wrong encoding at some point",
    explain: "\
What it does: finds the typical traces of text decoded with the wrong encoding: UTF-8 read as
Latin-1 or Windows-1252 (Ã©, â€™ and the like), the GBK/UTF-8 round-trip garbage 锟斤拷, 烫烫烫, 屯屯屯,
and GBK or Big5 bytes read as Windows-1252 inside Chinese text (保障包括°¢ÁªÇõ¹«民在內): a run of
Latin-1 letters whose bytes, read as GBK or Big5, are common Chinese characters. The help then gives
the recovered text (阿联酋公).

What to do: re-decode the source with the right encoding, or take the passage from another witness.

Silence: `--severity encoding/mojibake=off`.",
};

/// Rule `encoding/control-char` (EN003): control, invisible or bidirectional-override characters in the text.
pub const CONTROL: RuleInfo = RuleInfo {
    id: "encoding/control-char",
    code: "EN003",
    category: Category::Encoding,
    severity: Severity::Warning,
    summary: "control, invisible or bidirectional-override characters in the text",
    explain: "\
What it does: reports C0/C1 control characters (other than tab and line breaks), a byte-order mark
inside the text, and bidirectional overrides (U+202A–U+202E, U+2066–U+2069) that can make text
display differently from what it contains.

Silence: `--severity encoding/control-char=off`.",
};

/// Rule `encoding/mixed-script` (EN004): simplified characters in a traditional text, or the reverse.
pub const MIXED_SCRIPT: RuleInfo = RuleInfo {
    id: "encoding/mixed-script",
    code: "EN004",
    category: Category::Encoding,
    severity: Severity::Warning,
    summary: "simplified characters in a traditional text, or the reverse",
    explain: "\
What it does: decides the text's script from characters that exist in only one script (OpenCC
data), then reports, line by line, characters of the other script. Characters valid in both (于,
后, 干, 覆) are never reported.

Why: a copy that mixes scripts was edited or re-typed in part, or partly converted.

Example: a traditional text containing 国 or 发.

Silence: `--severity encoding/mixed-script=off`.",
};

/// Finds decoding damage: replacement characters, mojibake, control characters and text in the other script.
pub struct Encoding;

fn mojibake_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:[ÃÂ][\u{80}-\u{BF}€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ¡-¿])+|(?:â€[\u{80}-\u{BF}™œ¦“”˜¢¡])+|(?:[äåæçèé][\u{80}-\u{BF}¸¹º»¼½¾¿][\u{80}-\u{BF}¡-¿€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]){2,}|(?:锟斤拷)+|(?:烫){3,}|(?:屯){3,}")
            .expect("static pattern")
    })
}

fn control_name(c: char) -> Option<&'static str> {
    match c {
        '\t' | '\n' | '\r' | '\u{0C}' => None,
        '\u{00}'..='\u{1F}' | '\u{7F}' => Some("control character"),
        '\u{80}'..='\u{9F}' => Some("C1 control character"),
        '\u{FEFF}' => Some("byte-order mark inside the text"),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some("bidirectional override"),
        _ => None,
    }
}

/// Byte offsets where a character `control_name` names may start, in order. Those start with a
/// C0 byte, 0x7F, 0xC2 (C1 controls), 0xE2 (bidi controls) or are U+FEFF; this runs over the
/// whole archive, so the rare lead bytes are found with memchr and C0 bytes eight at a time.
/// 0xE2 also leads “ ” — … and 0xC2 leads ·, common in Chinese text: the bytes after them are
/// tested here, before anything is collected.
fn control_candidates(b: &[u8]) -> Vec<usize> {
    let next = |i: usize, k: usize| b.get(i + k).copied().unwrap_or(0);
    let mut at: Vec<usize> = memchr::memchr3_iter(0x7F, 0xC2, 0xE2, b)
        .filter(|&i| match b[i] {
            0xC2 => (0x80..=0x9F).contains(&next(i, 1)), // U+0080–U+009F
            0xE2 => match next(i, 1) {
                0x80 => (0xAA..=0xAE).contains(&next(i, 2)), // U+202A–U+202E
                0x81 => (0xA6..=0xA9).contains(&next(i, 2)), // U+2066–U+2069
                _ => false,
            },
            _ => true,
        })
        .collect();
    at.extend(memchr::memmem::find_iter(b, "\u{FEFF}".as_bytes()));
    let c0 = |y: u8| y < 0x20 && !matches!(y, b'\t' | b'\n' | b'\r' | 0x0C);
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    const LOW7: u64 = ONES * 0x7F;
    // Some byte of x is below 0x20 (the classic "hasless" test: cheap, exact for the word).
    let low = |x: u64| x.wrapping_sub(ONES * 0x20) & !x & HIGH;
    // Per byte and exact (no borrow crosses bytes): the high bit of each byte below 0x20, and
    // of each byte equal to c.
    let below = |x: u64| !((x & LOW7).wrapping_add(ONES * 0x60) | x) & HIGH;
    let equal = |x: u64, c: u8| {
        let v = x ^ (ONES * c as u64);
        !((v & LOW7).wrapping_add(LOW7) | v) & HIGH
    };
    let mut chunks = b.chunks_exact(8);
    let mut base = 0;
    for c in &mut chunks {
        let x = u64::from_le_bytes(c.try_into().unwrap_or([0x20; 8]));
        // Line breaks and tabs are the usual low bytes: tell them apart before a byte scan.
        if low(x) != 0
            && below(x) & !(equal(x, b'\n') | equal(x, b'\r') | equal(x, b'\t') | equal(x, 0x0C))
                != 0
        {
            at.extend(
                c.iter()
                    .enumerate()
                    .filter(|(_, &y)| c0(y))
                    .map(|(k, _)| base + k),
            );
        }
        base += 8;
    }
    at.extend(
        chunks
            .remainder()
            .iter()
            .enumerate()
            .filter(|(_, &y)| c0(y))
            .map(|(k, _)| base + k),
    );
    at.sort_unstable();
    at
}

/// Windows-1252's characters for bytes 0x80–0x9F (undefined ones decode to the C1 control of
/// the same number). The quotes, dashes, bullet and ellipsis are left out: Chinese text uses them
/// as themselves, and GB2312 and Big5 characters never need those bytes.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '\0', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž',
    'Ÿ',
];

/// The byte a non-ASCII character stands for when legacy bytes were read as Windows-1252 or
/// Latin-1.
fn legacy_byte(c: char) -> Option<u8> {
    match c as u32 {
        0x80..=0xFF => Some(c as u32 as u8),
        _ if c != '\0' => CP1252_HIGH
            .iter()
            .position(|&x| x == c)
            .map(|i| 0x80 + i as u8),
        _ => None,
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// What a run of mojibake was, and what it said.
struct Recovered {
    /// Raw byte range of the run.
    span: std::ops::Range<usize>,
    /// The encoding the bytes were in.
    encoding: &'static str,
    text: String,
}

/// The two-byte encodings a run may hold, and whether one character (its two bytes) is among
/// its frequent characters (GB2312's hanzi and symbol rows, Big5's level 1), so that a few
/// accented letters that happen to decode to rare characters are not taken for Chinese.
fn frequent(enc: &encoding_rs::Encoding, lead: u8, trail: u8, c: char) -> bool {
    let t = crate::script::tables();
    if enc == encoding_rs::GBK {
        (0xA1..=0xF7).contains(&lead) && trail >= 0xA1 || t.is_traditional_only(c)
    } else {
        (0xA1..=0xC6).contains(&lead)
    }
}

/// Decode `bytes` (pairs) as `enc`: the characters if every pair is one CJK character or CJK
/// punctuation, with how many are frequent.
fn decode_pairs(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> Option<(String, usize)> {
    let s = enc.decode_without_bom_handling_and_without_replacement(bytes)?;
    let cs: Vec<char> = s.chars().collect();
    let ok = |c: char| {
        is_cjk(c)
            || ('\u{3000}'..='\u{303F}').contains(&c)
            || ('\u{FF01}'..='\u{FF5E}').contains(&c)
    };
    if cs.len() * 2 != bytes.len() || !cs.iter().all(|&c| ok(c)) {
        return None;
    }
    let n = cs
        .iter()
        .zip(bytes.chunks(2))
        .filter(|(c, b)| frequent(enc, b[0], b[1], **c))
        .count();
    Some((s.into_owned(), n))
}

/// Judge one sequence of byte pairs (`bytes`, from raw `span`): GBK or Big5 mojibake, or not.
/// `traditional` breaks a tie towards Big5; `beside_cjk` says whether CJK text touches it.
fn judge_pairs(
    bytes: &[u8],
    span: std::ops::Range<usize>,
    traditional: bool,
    beside_cjk: bool,
) -> Option<Recovered> {
    let n = bytes.len() / 2;
    // A short run needs Chinese beside it, and one character's worth two high bytes (Pokémon's
    // “ém” decodes too); a long run needs no neighbours.
    // UTF-8 read as Latin-1 is the pattern's to report (and GBK would read it too).
    if std::str::from_utf8(bytes).is_ok_and(|s| s.chars().any(is_cjk)) {
        return None;
    }
    let high = bytes.iter().all(|&b| b >= 0xA1);
    if n == 0 || (n < 3 && !beside_cjk) || (n == 1 && !high) {
        return None;
    }
    let mut best: Option<(&'static str, String, usize)> = None;
    let order: [(&'static encoding_rs::Encoding, &str); 2] = if traditional {
        [(encoding_rs::BIG5, "Big5"), (encoding_rs::GBK, "GBK")]
    } else {
        [(encoding_rs::GBK, "GBK"), (encoding_rs::BIG5, "Big5")]
    };
    for (enc, name) in order {
        if let Some((text, f)) = decode_pairs(enc, bytes) {
            if best.as_ref().is_none_or(|b| f > b.2) {
                best = Some((name, text, f));
            }
        }
    }
    let (encoding, text, f) = best?;
    (f * 5 >= n * 3).then_some(Recovered {
        span,
        encoding,
        text,
    })
}

/// Whether `c` may be part of a legacy mojibake run: a character standing for a high byte, or
/// an ASCII character that can be a trail byte.
fn in_run(c: char) -> bool {
    ('\u{40}'..='\u{7E}').contains(&c) || legacy_byte(c).is_some()
}

/// The Windows-1252 byte of a quote, dash, bullet or ellipsis. Inside a run (between two
/// Latin-1 characters) it is a byte of the garble: 聯 in GBK is C2 93, read as “Â“”.
fn quote_byte(c: char) -> Option<u8> {
    Some(match c {
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        _ => return None,
    })
}

/// The end of the run that starts at `p`: characters of [`in_run`], and a quote or dash right
/// after a high character.
fn run_end(text: &str, p: usize) -> usize {
    let mut end = p;
    let mut prev_high = false;
    for (i, c) in text[p..].char_indices() {
        // A quote after a high character may be its trail byte; if it is not, the pairs leave
        // it out of the finding (“°¢ÁªÇõ” keeps its closing quote).
        let inner_quote = prev_high && quote_byte(c).is_some();
        if !in_run(c) && !inner_quote {
            break;
        }
        prev_high = legacy_byte(c).is_some() || inner_quote;
        end = p + i + c.len_utf8();
    }
    end
}

/// Split the run `text[a..b]` into sequences of byte pairs (a high lead byte and any trail) and
/// judge each.
fn pairs_in_run(text: &str, a: usize, b: usize, traditional: bool, out: &mut Vec<Recovered>) {
    let cs: Vec<(usize, u8)> = text[a..b]
        .char_indices()
        .map(|(i, c)| {
            let byte = legacy_byte(c).or(quote_byte(c)).unwrap_or(c as u32 as u8);
            (a + i, byte)
        })
        .collect();
    let cjk_at = |i: usize| text[..i].chars().next_back().is_some_and(is_cjk);
    let cjk_after = |i: usize| text[i..].chars().next().is_some_and(is_cjk);
    let mut k = 0;
    while k < cs.len() {
        let from = k;
        while k + 1 < cs.len()
            && cs[k].1 >= 0x81
            && (0x40..=0xFE).contains(&cs[k + 1].1)
            && cs[k + 1].1 != 0x7F
        {
            k += 2;
        }
        if k > from {
            let start = cs[from].0;
            let end = cs.get(k).map_or(b, |x| x.0);
            let bytes: Vec<u8> = cs[from..k].iter().map(|x| x.1).collect();
            let beside = cjk_at(start) || cjk_after(end);
            out.extend(judge_pairs(&bytes, start..end, traditional, beside));
        } else {
            k += 1;
        }
    }
}

/// GBK or Big5 bytes that were decoded as Windows-1252 or Latin-1 (`保障包括°¢ÁªÇõ¹«民在內`):
/// runs of Latin-1 letters and symbols between Chinese text whose bytes, decoded as GBK or Big5,
/// give Chinese. Only texts with a character from U+0080 to U+00FF are looked at (memchr on its
/// UTF-8 lead bytes); each run is read once.
fn legacy_mojibake(text: &str, traditional: bool) -> Vec<Recovered> {
    let mut out = Vec::new();
    let mut done = 0;
    for p in memchr::memchr2_iter(0xC2, 0xC3, text.as_bytes()) {
        if p < done || !text.is_char_boundary(p) {
            continue;
        }
        // Back to the first high character of the run (bounded), then on to its end.
        let mut a = p;
        for (n, c) in text[done..p].chars().rev().enumerate() {
            if n >= 64 || c.is_ascii() || legacy_byte(c).is_none() {
                break;
            }
            a -= c.len_utf8();
        }
        let b = run_end(text, p);
        pairs_in_run(text, a, b, traditional, &mut out);
        done = b.max(p + 1);
    }
    out
}

impl DocRule for Encoding {
    fn infos(&self) -> &'static [RuleInfo] {
        &[REPLACEMENT, MOJIBAKE, CONTROL, MIXED_SCRIPT]
    }

    fn check(&self, doc: &Document, _kb: &Knowledge, out: &mut super::Findings) {
        replacement_runs(doc, out);
        // Legacy mojibake: GBK or Big5 read as Windows-1252 (UTF-8 read as Latin-1 is left to
        // the pattern below, which skips what is found here).
        let traditional = doc.provenance.script == Some(Script::Traditional);
        let legacy: Vec<Recovered> = legacy_mojibake(&doc.text, traditional);
        for r in &legacy {
            let raw = &doc.text[r.span.clone()];
            out.push(
                FindingBuilder::new(&MOJIBAKE, doc, r.span.clone())
                    .message(format!("mojibake “{raw}”: {} bytes decoded as Windows-1252 (Latin-1)", r.encoding))
                    .label(format!("{} read as Latin-1", r.encoding))
                    .help(format!("read as {}, these bytes say “{}”: re-decode the source as {}, or restore “{}” after checking another witness", r.encoding, r.text, r.encoding, r.text))
                    .subject(raw.to_string())
                    .around_in(doc, r.span.clone())
                    .build(),
            );
        }
        pattern_mojibake(doc, &legacy, out);
        controls(doc, &legacy, out);
        mixed_script(doc, out);
    }
}

/// Replacement characters, one finding per run. (memmem, not `str::find`: the latter looks
/// for U+FFFD's last byte, which is in a third of all CJK characters.)
fn replacement_runs(doc: &Document, out: &mut super::Findings) {
    let text = &doc.text;
    let mut i = 0;
    while let Some(off) = memchr::memmem::find(&text.as_bytes()[i..], "\u{FFFD}".as_bytes()) {
        let a = i + off;
        let mut b = a;
        while text[b..].starts_with('\u{FFFD}') {
            b += '\u{FFFD}'.len_utf8();
        }
        let n = (b - a) / 3;
        out.push(
            FindingBuilder::new(&REPLACEMENT, doc, a..b)
                .message(format!("{n} replacement character{} (U+FFFD): text lost in an earlier decode", if n == 1 { "" } else { "s" }))
                .label("lost characters")
                .help("the bytes here could not be decoded when this copy was made; recover the passage from another witness")
                .subject(format!("fffd×{n}"))
                .around_in(doc, a..b)
                .build(),
        );
        i = b;
    }
}

/// Mojibake the pattern knows (UTF-8 read as Latin-1, the CJK garbage strings), outside the
/// legacy mojibake already reported.
fn pattern_mojibake(doc: &Document, legacy: &[Recovered], out: &mut super::Findings) {
    let text = &doc.text;
    // Latin-1 mojibake always holds the byte 0xC3 (Ã, â, ä … in UTF-8); the CJK garbage has
    // fixed strings. Skip the regex scan when neither can occur.
    let has = |s: &str| memchr::memmem::find(text.as_bytes(), s.as_bytes()).is_some();
    let maybe_mojibake = memchr::memchr(0xC3, text.as_bytes()).is_some()
        || has("锟斤拷")
        || has("烫烫烫")
        || has("屯屯屯");
    for m in mojibake_re().find_iter(if maybe_mojibake { text } else { "" }) {
        if legacy
            .iter()
            .any(|r| r.span.start < m.end() && m.start() < r.span.end)
        {
            continue;
        }
        out.push(
            FindingBuilder::new(&MOJIBAKE, doc, m.range())
                .message(format!("mojibake “{}”: text decoded with the wrong encoding", m.as_str()))
                .label("garbled")
                .help("re-decode the source with its real encoding (often UTF-8 read as Latin-1, or GBK/UTF-8 confusion), or take the passage from another witness")
                .subject(m.as_str().to_string())
                .around_in(doc, m.range())
                .build(),
        );
    }
}

/// Invisible control and format characters (a BOM at the very start is allowed), outside the
/// legacy mojibake whose bytes they are.
fn controls(doc: &Document, legacy: &[Recovered], out: &mut super::Findings) {
    let text = &doc.text;
    for at in control_candidates(text.as_bytes()) {
        // A C1 control inside mojibake is one of its bytes, already reported.
        if legacy.iter().any(|r| r.span.contains(&at)) {
            continue;
        }
        let Some(c) = text.get(at..).and_then(|r| r.chars().next()) else {
            continue;
        };
        if at == 0 && c == '\u{FEFF}' {
            continue;
        }
        if let Some(name) = control_name(c) {
            out.push(
                FindingBuilder::new(&CONTROL, doc, at..at + c.len_utf8())
                    .message(format!("{name} U+{:04X} in the text", c as u32))
                    .label("invisible character")
                    .help("delete it; it is not part of the text and can hide or reorder what a reader sees")
                    .subject(format!("U+{:04X}", c as u32))
                    .around_in(doc, at..at + c.len_utf8())
                    .build(),
            );
        }
    }
}

/// Characters of the minority script in a text with a clear majority script: one finding per
/// unit part that holds any.
fn mixed_script(doc: &Document, out: &mut super::Findings) {
    let stats = doc.provenance.script_stats;
    let (major, minor) = match doc.provenance.script {
        Some(Script::Traditional) => (stats.traditional, stats.simplified),
        Some(Script::Simplified) => (stats.simplified, stats.traditional),
        _ => return,
    };
    if major < 20 || minor == 0 || minor * 4 > major {
        return;
    }
    let t = tables();
    let is_minor = |c: char| match doc.provenance.script {
        Some(Script::Traditional) => t.is_simplified_only(c),
        _ => t.is_traditional_only(c),
    };
    for u in &doc.units {
        if !u.kind.is_content() {
            continue;
        }
        // Normalization counted the unit's characters of each script: most units hold none
        // of the minority script, and then only the marker before the text (◆, （3）) is left
        // to look at.
        let counted = match doc.provenance.script {
            Some(Script::Traditional) => u.norm().simplified,
            _ => u.norm().traditional,
        };
        let marker = u
            .parts()
            .first()
            .map_or("", |p| doc.slice(p.start..u.body().clamp(p.start, p.end)));
        if counted == 0 && !marker.chars().any(is_minor) {
            continue;
        }
        for p in u.parts() {
            mixed_in_part(doc, u, p.clone(), &is_minor, out);
        }
    }
}

/// The minority-script characters of one part `p` of unit `u`, as one finding.
fn mixed_in_part(
    doc: &Document,
    u: &crate::model::Unit,
    p: std::ops::Range<usize>,
    is_minor: &dyn Fn(char) -> bool,
    out: &mut super::Findings,
) {
    let (want, other) = match doc.provenance.script {
        Some(Script::Traditional) => ("traditional", "simplified"),
        _ => ("simplified", "traditional"),
    };
    let s = doc.slice(p.clone());
    let hits: Vec<(usize, char)> = s.char_indices().filter(|(_, c)| is_minor(*c)).collect();
    if hits.is_empty() {
        return;
    }
    let a = p.start + hits[0].0;
    let b = p.start + hits[hits.len() - 1].0 + hits[hits.len() - 1].1.len_utf8();
    let list: String = hits.iter().map(|(_, c)| *c).collect();
    out.push(
        FindingBuilder::new(&MIXED_SCRIPT, doc, a..b)
            .message(format!("{other} character{} “{list}” in a {want} text", if hits.len() == 1 { "" } else { "s" }))
            .label(format!("{other} form"))
            .help(format!("the rest of the file is {want}; this passage was edited, re-typed or converted separately. Check it against another witness"))
            .subject(list)
            .around_raw(u.norm(), a..b)
            .build(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `phrase` written in `enc` and the bytes read back as Windows-1252: real mojibake.
    fn garble(phrase: &str, enc: &'static encoding_rs::Encoding) -> String {
        let (bytes, _, bad) = enc.encode(phrase);
        assert!(!bad, "{phrase} in {}", enc.name());
        encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned()
    }

    proptest::proptest! {
        /// Any text: no panic, runs on character boundaries, each recovered as CJK.
        #[test]
        fn legacy_runs_are_spans_of_the_text(
            text in "[国包括°¢ÁªÇõ¹«¦bA-Za-z“”‚€\u{81}\u{9D}。 ]{0,60}",
            trad in proptest::bool::ANY,
        ) {
            for r in legacy_mojibake(&text, trad) {
                proptest::prop_assert!(r.span.start < r.span.end && r.span.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(r.span.start) && text.is_char_boundary(r.span.end));
                proptest::prop_assert!(!r.text.is_empty());
            }
        }
    }

    #[test]
    fn legacy_mojibake_is_found_and_recovered() {
        let gbk = [
            "防聯控機",
            "國務院",
            "阿联酋公",
            "国务院",
            "新冠肺炎疫情",
            "世界卫生组织",
            "联合国秘书长",
            "防控工作",
            "医疗物资",
            "湖北省武汉市",
        ];
        let big5 = [
            "開第",
            "防聯控機",
            "阿聯酋公",
            "國務院",
            "新冠肺炎疫情",
            "世界衛生組織",
            "聯合國秘書長",
            "防控工作",
            "醫療物資",
            "湖北省武漢市",
        ];
        let mut found = 0;
        let mut total = 0;
        for (phrases, enc, trad) in [
            (gbk, encoding_rs::GBK, false),
            (big5, encoding_rs::BIG5, true),
        ] {
            for p in phrases {
                let m = garble(p, enc);
                let text = format!("保障包括{m}民在内的各项权益。");
                let got = legacy_mojibake(&text, trad);
                total += 1;
                if let [r] = got.as_slice() {
                    if r.text == p && text[r.span.clone()] == m {
                        found += 1;
                        continue;
                    }
                }
                eprintln!(
                    "missed {p} as {m:?} in {}: {:?}",
                    enc.name(),
                    got.iter().map(|r| &r.text).collect::<Vec<_>>()
                );
            }
        }
        eprintln!("legacy mojibake: {found} of {total} found");
        assert!(found * 100 >= total * 90, "{found} of {total}");
    }

    /// Recall over many phrases: four-character runs of Han text cut from the seeds (simplified
    /// as GBK, traditional as Big5), garbled in the middle of their own sentence; and no finding
    /// on the clean seeds.
    #[test]
    fn legacy_mojibake_recall_on_phrases_from_the_seeds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
        let (mut found, mut total) = (0, 0);
        for (file, enc, trad) in [
            ("001_48fa0945fdd95d78.txt", encoding_rs::GBK, false),
            ("000_8486d6720058fcd3.txt", encoding_rs::BIG5, true),
            ("002_3a4511cf1fe87385.txt", encoding_rs::GBK, false),
        ] {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            assert!(legacy_mojibake(&text, trad).is_empty(), "{file}");
            let cs: Vec<char> = text.chars().collect();
            for at in (0..cs.len().saturating_sub(12)).step_by(97) {
                let w = &cs[at..at + 12];
                if !w.iter().all(|&c| is_cjk(c)) {
                    continue;
                }
                let phrase: String = w[4..8].iter().collect();
                let (_, _, bad) = enc.encode(&phrase);
                if bad {
                    continue;
                }
                let m = garble(&phrase, enc);
                let line = format!(
                    "{}{m}{}",
                    w[..4].iter().collect::<String>(),
                    w[8..].iter().collect::<String>()
                );
                total += 1;
                if legacy_mojibake(&line, trad)
                    .iter()
                    .any(|r| r.text == phrase)
                {
                    found += 1;
                } else {
                    eprintln!("missed {phrase} ({}) as {m:?}", enc.name());
                }
            }
        }
        eprintln!("legacy mojibake on seed phrases: {found} of {total}");
        assert!(
            total > 100 && found * 100 >= total * 97,
            "{found} of {total}"
        );
    }

    #[test]
    fn latin_words_and_symbols_are_not_mojibake() {
        for s in [
            "科学家Ångström提出",
            "宝可梦Pokémon游戏",
            "气温30°C，湿度±5%",
            "马克·吐温的小说",
            "德国Müller公司",
            "法语élève一词",
            "版权所有©2020",
            "“中国”—— 这是…",
            "他说：“°C是摄氏度”",
        ] {
            let got = legacy_mojibake(s, false);
            assert!(
                got.is_empty(),
                "{s}: {:?}",
                got.iter().map(|r| &r.text).collect::<Vec<_>>()
            );
        }
    }

    proptest::proptest! {
        /// The word-at-a-time scan finds every character `control_name` names, and the byte
        /// filters drop only characters it does not name.
        #[test]
        fn candidates_hold_every_control(
            text in "[a中，。“”—…·°\n\r\t\u{0C}\u{0B}\u{00}\u{1F}\u{7F}\u{80}\u{9F}\u{A0}\u{FEFF}\u{202A}\u{202E}\u{2066}\u{2069}\u{2028}]{0,80}"
        ) {
            let got: Vec<usize> = control_candidates(text.as_bytes())
                .into_iter()
                .filter(|&i| text[i..].chars().next().is_some_and(|c| control_name(c).is_some()))
                .collect();
            let want: Vec<usize> = text
                .char_indices()
                .filter(|(_, c)| control_name(*c).is_some())
                .map(|(i, _)| i)
                .collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
