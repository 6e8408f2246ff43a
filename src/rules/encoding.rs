//! Encoding problems inside a decoded text: replacement characters (bytes lost in an earlier
//! decode), mojibake (UTF-8 read as Latin-1, GBK read as UTF-8), control and invisible
//! direction characters, and characters of the other Chinese script than the text's own.

use super::{DocRule, RuleInfo};
use crate::finding::{Category, Finding, FindingBuilder, Severity};
use crate::knowledge::Knowledge;
use crate::model::Document;
use crate::script::{tables, Script};
use regex::Regex;
use std::sync::OnceLock;

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

pub const MOJIBAKE: RuleInfo = RuleInfo {
    id: "encoding/mojibake",
    code: "EN002",
    category: Category::Encoding,
    severity: Severity::Error,
    summary: "mojibake: text decoded with the wrong encoding at some point",
    explain: "\
What it does: finds the typical traces of text decoded with the wrong encoding: UTF-8 read as
Latin-1 or Windows-1252 (Ã©, â€™ and the like), and the GBK/UTF-8 round-trip garbage 锟斤拷, 烫烫烫, 屯屯屯.

What to do: re-decode the source with the right encoding, or take the passage from another witness.

Silence: `--severity encoding/mojibake=off`.",
};

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

impl DocRule for Encoding {
    fn infos(&self) -> &'static [RuleInfo] {
        &[REPLACEMENT, MOJIBAKE, CONTROL, MIXED_SCRIPT]
    }

    fn check(&self, doc: &Document, _kb: &Knowledge, out: &mut Vec<Finding>) {
        let text = &doc.text;
        // Replacement characters, one finding per run. (memmem, not `str::find`: the latter
        // looks for U+FFFD's last byte, which is in a third of all CJK characters.)
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
        // Latin-1 mojibake always holds the byte 0xC3 (Ã, â, ä … in UTF-8); the CJK garbage has
        // fixed strings. Skip the regex scan when neither can occur.
        let has = |s: &str| memchr::memmem::find(text.as_bytes(), s.as_bytes()).is_some();
        let maybe_mojibake = memchr::memchr(0xC3, text.as_bytes()).is_some()
            || has("锟斤拷")
            || has("烫烫烫")
            || has("屯屯屯");
        for m in mojibake_re().find_iter(if maybe_mojibake { text } else { "" }) {
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
        for at in control_candidates(text.as_bytes()) {
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
        // Mixed script, only with a clear majority.
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
        let (want, other) = match doc.provenance.script {
            Some(Script::Traditional) => ("traditional", "simplified"),
            _ => ("simplified", "traditional"),
        };
        for u in &doc.units {
            if !u.kind.is_content() {
                continue;
            }
            // Normalization counted the unit's characters of each script: most units hold none
            // of the minority script, and then only the marker before the text (◆, （3）) is left
            // to look at.
            let counted = match doc.provenance.script {
                Some(Script::Traditional) => u.norm.simplified,
                _ => u.norm.traditional,
            };
            let marker = u.parts.first().map_or("", |p| {
                doc.slice(p.start..u.body_start.clamp(p.start, p.end))
            });
            if counted == 0 && !marker.chars().any(is_minor) {
                continue;
            }
            for p in &u.parts {
                let s = doc.slice(p.clone());
                let hits: Vec<(usize, char)> =
                    s.char_indices().filter(|(_, c)| is_minor(*c)).collect();
                if hits.is_empty() {
                    continue;
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
                        .around_raw(&u.norm, a..b)
                        .build(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
