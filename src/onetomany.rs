//! Converter errors from OpenCC's one-to-many data.
//!
//! A simplified→traditional converter maps one simplified character to several traditional ones
//! (发 → 發 髮, 复 → 復 複 覆, 于 → 於 于) and must pick one per word; a naive or mis-segmenting
//! converter picks the wrong one (引髮 for 引發, 恢覆 for 恢復, 關于 for 關於). OpenCC's phrase data
//! (`STPhrases.txt`: simplified word → its traditional form) says which form each word takes, so
//! a traditional character in a word whose phrase entry has another candidate there is a converter
//! error. In simplified text it is the other way: a traditional candidate left inside a simplified
//! word (复工覆产, 等於).
//!
//! Speed: the scan runs over the raw text of every document. Nearly every character is ruled out
//! by one bit of a 64 Kbit set (characters that are a wrong candidate in some phrase); the rest by
//! a hash look-up of the pair it forms with its neighbour (pairs seen in a wrong rendering of some
//! phrase). Only what passes both is looked up in the phrase table, in windows around it.

use crate::script::tables;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// A multiply-rotate hasher (FxHash's): the keys are a few characters or one `u64`, built in
/// their hundreds of thousands at start-up, where SipHash's cost showed.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        // The product's high bits are the well-mixed ones, and hashbrown takes its bucket from
        // the low bits: without the rotation a pair's bucket depended on its right character
        // alone, and the sets of pairs probed long chains (rustc-hash 2 does the same).
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type FxBuild = BuildHasherDefault<Fx>;
type FxMap<K, V> = HashMap<K, V, FxBuild>;
type FxSet<K> = HashSet<K, FxBuild>;

const ST_PHRASES: &str = include_str!("../rules/opencc/STPhrases.txt");
const ST_CHARACTERS: &str = include_str!("../rules/opencc/STCharacters.txt");
/// Longest phrase looked up; longer entries are idioms and names the short ones already cover.
const MAX_LEN: usize = 6;

/// Which script the scanned text is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A traditional text: a candidate its word's phrase entry does not use is wrong.
    Traditional,
    /// A simplified text: a traditional candidate inside a simplified word is wrong.
    Simplified,
}

/// A converter error found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Byte range of the word in the scanned text (white space inside it included).
    pub range: std::ops::Range<usize>,
    /// The word as the text has it, without white space.
    pub wrong: String,
    /// The word as the phrase data has it.
    pub right: String,
}

/// Prefilter for one mode: the characters that can be wrong, and the pairs they are wrong in.
#[derive(Default)]
struct Filter {
    /// Bit per BMP character: it is a wrong candidate somewhere.
    bits: Vec<u64>,
    /// (folded left neighbour, wrong candidate) and (wrong candidate, folded right neighbour).
    pairs: FxSet<u64>,
}

impl Filter {
    fn new() -> Self {
        Filter {
            bits: vec![0; 1 << 10],
            pairs: FxSet::default(),
        }
    }

    fn mark(&mut self, wrong: char, left: Option<char>, right: Option<char>) {
        // Only characters of three UTF-8 bytes are looked for (see `OneToMany::scan`): every
        // candidate in OpenCC's data is one.
        if !(0x800..0x10000).contains(&(wrong as u32)) {
            return;
        }
        self.bits[wrong as usize >> 6] |= 1 << (wrong as u32 & 63);
        if let Some(l) = left {
            self.pairs.insert(pair(l, wrong));
        }
        if let Some(r) = right {
            self.pairs.insert(pair(wrong, r));
        }
    }

    #[inline]
    fn may_be_wrong_code(&self, cp: u32) -> bool {
        self.bits
            .get(cp as usize >> 6)
            .is_some_and(|w| w & (1 << (cp & 63)) != 0)
    }
}

#[inline]
fn pair(a: char, b: char) -> u64 {
    (a as u64) << 32 | b as u64
}

/// A set of characters: a bit per BMP character, a sorted list for the rest.
struct CharSet {
    bits: Vec<u64>,
    astral: Vec<char>,
}

impl CharSet {
    fn of(chars: impl Iterator<Item = char>) -> CharSet {
        let mut s = CharSet {
            bits: vec![0; 1 << 10],
            astral: Vec::new(),
        };
        for c in chars {
            match s.bits.get_mut(c as usize >> 6) {
                Some(w) => *w |= 1 << (c as u32 & 63),
                None => s.astral.push(c),
            }
        }
        s.astral.sort_unstable();
        s
    }

    #[inline]
    fn contains(&self, c: char) -> bool {
        match self.bits.get(c as usize >> 6) {
            Some(w) => w >> (c as u32 & 63) & 1 == 1,
            None => self.astral.binary_search(&c).is_ok(),
        }
    }
}

/// Up to [`MAX_LEN`] characters in one integer, 21 bits each (the phrase tables are kept per
/// length, so no two keys of one table differ only by leading zeros).
#[inline]
fn pack(chars: &[char]) -> u128 {
    chars.iter().fold(0u128, |acc, &c| acc << 21 | c as u128)
}

/// A phrase over the text whose form has another character where the text has its own.
struct Contradiction {
    /// Where the phrase starts in the context window, and its length.
    start: usize,
    len: usize,
    /// The character the phrase has in place of the text's.
    right: char,
}

/// OpenCC's one-to-many characters and phrases, compiled for scanning.
pub struct OneToMany {
    /// Simplified character → its traditional candidates, first the default, for characters with
    /// two or more.
    candidates: FxMap<char, Vec<char>>,
    /// Traditional candidate → the simplified characters it is a candidate of.
    of: FxMap<char, Vec<char>>,
    /// Simplified phrase → its traditional forms, by phrase length (index 2 to [`MAX_LEN`]):
    /// the phrase's characters packed into a `u128` ([`pack`]) → where its forms are in
    /// `forms`, and how many (each as long as the phrase). No allocation per phrase: the table
    /// is built at every start, and 49,000 boxed keys and values were most of its cost.
    phrases: [FxMap<u128, (u32, u32)>; MAX_LEN + 1],
    /// The traditional forms of all phrases, one after another.
    forms: Vec<char>,
    /// Adjacent pairs inside simplified phrases: the text's character may belong to its
    /// neighbour's word (皇后 in 冰雪皇后) when it is a default that needs no entry of its own.
    key_pairs: FxSet<u64>,
    /// The same for traditional phrases, with the left character folded (皇, 后 from 冰雪皇后)
    /// and with the right one folded.
    value_pairs: (FxSet<u64>, FxSet<u64>),
    /// Glyph-variant group of each character in [`GLYPH_VARIANTS`].
    glyph_group: FxMap<char, usize>,
    traditional: Filter,
    simplified: Filter,
}

fn parse(text: &str) -> impl Iterator<Item = (&str, Vec<&str>)> {
    text.lines().filter_map(|l| {
        let l = l.trim_end_matches('\r');
        if l.starts_with('#') {
            return None;
        }
        let (k, v) = l.split_once('\t')?;
        let vals: Vec<&str> = v.split(' ').filter(|s| !s.is_empty()).collect();
        (!vals.is_empty() && !k.is_empty()).then_some((k, vals))
    })
}

/// Candidates of one simplified character that are variant glyphs of one another in traditional
/// use rather than a converter's choice between words: STCharacters lists both (鉴 → 鑑 鑒) and
/// the phrase data picks one, but a text with the other is not wrong. Most of all 臺 / 台: Taiwan
/// writes 台 for 臺 (台灣), which OpenCC's standard does not.
const GLYPH_VARIANTS: &[&str] = &[
    "臺台",
    "鑑鑒",
    "嘆歎",
    "悽淒",
    "閒閑",
    "跡蹟",
    "諮咨",
    "凌淩",
    "巖岩",
    "庵菴",
    "杯盃",
    "梁樑",
    "泛氾汎",
    "沾霑",
    "熏燻",
    "玩翫",
    "皂皁",
    "矩榘",
    "繃綳",
    "胄冑",
    "修脩",
    "俊儁",
    "僵殭",
    "兇凶",
    "噪譟",
    "席蓆",
    "弦絃",
    "恤卹",
    "戚慼",
    "抵牴",
    "拐柺",
    "挨捱",
    "搜蒐",
    "昆崑",
    "暗闇",
    "杆桿",
    "杠槓",
    "欲慾",
    "毀燬譭",
    "漓灕",
    "煉鍊",
    "私俬",
    "背揹",
    "醃腌",
    "薦荐",
    "蕩盪",
    "蔭廕",
    "嫋裊",
    "蹠跖",
    "酸痠",
    "針鍼",
    "雕鵰",
    "飢饑",
    "譁嘩",
    "娘孃",
    "嘗嚐",
    "湧涌",
    "彩綵",
    "個箇",
    "仿彷",
    "伙夥",
    "升昇",
    "占佔",
    "巨鉅",
    "布佈",
    "佛彿",
];

/// The one-to-many characters of OpenCC's character data: simplified → its traditional
/// candidates (two or more, first the default), and traditional candidate → its simplified.
fn char_candidates() -> (FxMap<char, Vec<char>>, FxMap<char, Vec<char>>) {
    let mut candidates = FxMap::default();
    let mut of: FxMap<char, Vec<char>> = FxMap::default();
    for (k, vals) in parse(ST_CHARACTERS) {
        let mut kc = k.chars();
        let (Some(s), None) = (kc.next(), kc.next()) else {
            continue;
        };
        let cands: Vec<char> = vals.iter().filter_map(|v| v.chars().next()).collect();
        if cands.len() < 2 {
            continue;
        }
        for &c in &cands {
            of.entry(c).or_default().push(s);
        }
        candidates.insert(s, cands);
    }
    (candidates, of)
}

impl OneToMany {
    /// Two traditional characters are the same form up to a variant glyph (裡 / 裏, 鑑 / 鑒).
    fn same_form(&self, a: char, b: char) -> bool {
        a == b
            || tables().same_glyph(a, b)
            || self
                .glyph_group
                .get(&a)
                .is_some_and(|g| self.glyph_group.get(&b) == Some(g))
    }

    fn build() -> Self {
        let (candidates, of) = char_candidates();
        // Room for what the data holds (about 100,000 pairs a set), so no set grows by rehashing.
        let sized = || FxSet::with_capacity_and_hasher(1 << 15, FxBuild::default());
        let mut me = OneToMany {
            candidates,
            of,
            phrases: Default::default(),
            forms: Vec::with_capacity(1 << 18),
            key_pairs: sized(),
            value_pairs: (sized(), sized()),
            glyph_group: GLYPH_VARIANTS
                .iter()
                .enumerate()
                .flat_map(|(g, s)| s.chars().map(move |c| (c, g)))
                .collect(),
            traditional: Filter::new(),
            simplified: Filter::new(),
        };
        me.add_phrases();
        me
    }

    /// Stores each phrase of 2 to [`MAX_LEN`] characters that has a form of its own length,
    /// with its forms, the pairs inside it and the wrong renderings it implies.
    fn add_phrases(&mut self) {
        let of_bits = CharSet::of(self.of.keys().copied());
        let mut key: Vec<char> = Vec::with_capacity(MAX_LEN + 1);
        for (k, vals) in parse(ST_PHRASES) {
            key.clear();
            key.extend(k.chars().take(MAX_LEN + 1));
            let len = key.len();
            if !(2..=MAX_LEN).contains(&len) {
                continue;
            }
            let start = self.forms.len();
            let n = self.push_forms(&vals, len);
            if n == 0 {
                continue;
            }
            self.add_pairs(&key, start, &of_bits);
            self.mark_wrong_renderings(&key, start, n);
            self.phrases[len].insert(pack(&key), (start as u32, n as u32));
        }
    }

    /// Appends to `forms` each value exactly `len` characters long; returns how many.
    fn push_forms(&mut self, vals: &[&str], len: usize) -> usize {
        let start = self.forms.len();
        for v in vals {
            let at = self.forms.len();
            self.forms.extend(v.chars().take(len + 1));
            if self.forms.len() - at != len {
                self.forms.truncate(at);
            }
        }
        (self.forms.len() - start) / len
    }

    /// Records the adjacent pairs of phrase `key` and of its forms (from `start`) that hold a
    /// candidate character.
    fn add_pairs(&mut self, key: &[char], start: usize, of_bits: &CharSet) {
        let t = tables();
        // The pair sets are only asked about a character that passed a filter, and every
        // such character is a candidate (a key of `of`): pairs without one are left out,
        // which keeps the sets a fraction of their size.
        let cand = |c: char| of_bits.contains(c);
        for w in key.windows(2) {
            if cand(w[0]) || cand(w[1]) {
                self.key_pairs.insert(pair(w[0], w[1]));
            }
        }
        for w in self.forms[start..]
            .chunks_exact(key.len())
            .flat_map(|v| v.windows(2))
        {
            if cand(w[1]) {
                self.value_pairs.0.insert(pair(t.fold(w[0]), w[1]));
            }
            if cand(w[0]) {
                self.value_pairs.1.insert(pair(w[0], t.fold(w[1])));
            }
        }
    }

    /// The traditional forms of phrase `key`, one after another (each `key.len()` long).
    fn forms_of(&self, key: &[char]) -> Option<&[char]> {
        let (start, n) = *self.phrases.get(key.len())?.get(&pack(key))?;
        let (start, len) = (start as usize, key.len());
        self.forms.get(start..start + n as usize * len)
    }

    /// Mark in the filters the candidates a phrase does not take, with their neighbours. In
    /// traditional text only a candidate other than the default is marked: where OpenCC's phrase
    /// picks a non-default form for a word a text writes with the default (了解 / 瞭解), the two
    /// are often both in use, and the hand-kept list names the real errors of that kind.
    fn mark_wrong_renderings(&mut self, key: &[char], start: usize, n: usize) {
        let t = tables();
        let len = key.len();
        // Indices into `forms`, so the filters can be marked while the forms are read.
        let form = |k: usize, p: usize| start + k * len + p;
        for (p, s) in key.iter().enumerate() {
            let Some(cands) = self.candidates.get(s) else {
                continue;
            };
            let left = p.checked_sub(1).map(|q| key[q]);
            let right = key.get(p + 1).copied();
            for (k, &c) in cands.iter().enumerate() {
                if c != *s {
                    self.simplified.mark(c, left, right);
                }
                if k > 0 && !(0..n).any(|v| self.same_form(self.forms[form(v, p)], c)) {
                    let tl = p.checked_sub(1).map(|q| t.fold(self.forms[form(0, q)]));
                    let tr = (p + 1 < len).then(|| t.fold(self.forms[form(0, p + 1)]));
                    self.traditional.mark(c, tl, tr);
                }
            }
        }
    }

    fn filter(&self, mode: Mode) -> &Filter {
        match mode {
            Mode::Traditional => &self.traditional,
            Mode::Simplified => &self.simplified,
        }
    }

    /// Converter errors in `text`, written in `mode`'s script. Near-linear: one bit test per
    /// character, a pair look-up for the few that pass, phrase look-ups for fewer still.
    pub fn scan(&self, text: &str, mode: Mode) -> Vec<Error> {
        let f = self.filter(mode);
        let t = tables();
        let mut out: Vec<Error> = Vec::new();
        let b = text.as_bytes();
        let mut i = 0;
        // Over the bytes, not the characters: every candidate is a CJK character, three bytes in
        // UTF-8 (`Filter::mark` keeps no other), so anything else is stepped over a byte at a
        // time without decoding, and a three-byte character costs one bit test.
        while i + 2 < b.len() {
            let x = b[i];
            if !(0xE0..0xF0).contains(&x) {
                i += 1;
                continue;
            }
            let cp = ((x & 0x0F) as u32) << 12
                | ((b[i + 1] & 0x3F) as u32) << 6
                | (b[i + 2] & 0x3F) as u32;
            i += 3;
            if !f.may_be_wrong_code(cp) {
                continue;
            }
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let i = i - 3;
            let left = text[..i].chars().rev().find(|d| !d.is_whitespace());
            let hit_left = left.is_some_and(|l| f.pairs.contains(&pair(t.fold(l), c)));
            let hit_right = || {
                text[i + c.len_utf8()..]
                    .chars()
                    .find(|d| !d.is_whitespace())
                    .is_some_and(|r| f.pairs.contains(&pair(c, t.fold(r))))
            };
            if !hit_left && !hit_right() {
                continue;
            }
            if out.last().is_some_and(|e| e.range.end > i) {
                continue; // one finding per word
            }
            if let Some(e) = self.judge(text, i, c, mode) {
                out.push(e);
            }
        }
        out
    }

    /// The characters around byte `i` (white space skipped), up to `MAX_LEN - 1` each side, with
    /// their byte offsets; and where in them the character at `i` stands.
    fn context(text: &str, i: usize, c: char) -> (Vec<(usize, char)>, usize) {
        let mut raw: Vec<(usize, char)> = text[..i]
            .char_indices()
            .rev()
            .filter(|(_, d)| !d.is_whitespace())
            .take(MAX_LEN - 1)
            .collect();
        raw.reverse();
        let mid = raw.len();
        raw.push((i, c));
        let j = i + c.len_utf8();
        raw.extend(
            text[j..]
                .char_indices()
                .filter(|(_, d)| !d.is_whitespace())
                .take(MAX_LEN - 1)
                .map(|(k, d)| (j + k, d)),
        );
        (raw, mid)
    }

    /// Whether the character at byte `i` is a converter error, and in which word.
    fn judge(&self, text: &str, i: usize, c: char, mode: Mode) -> Option<Error> {
        let t = tables();
        let (raw, mid) = Self::context(text, i, c);
        let mut folded: Vec<char> = raw.iter().map(|&(_, d)| t.fold(d)).collect();
        // Readings of this character in simplified: its own fold, and every simplified
        // character it is a candidate of (覆 is its own fold, and a candidate of 复).
        let mut readings = vec![folded[mid]];
        for &s in self.of.get(&c).into_iter().flatten() {
            if !readings.contains(&s) {
                readings.push(s);
            }
        }
        let mut best: Option<Contradiction> = None;
        for &s in &readings {
            folded[mid] = s;
            if self.contradictions(&folded, mid, c, s, mode, &mut best) {
                return None; // a phrase has the text's very character here
            }
        }
        let b = best?;
        if self.may_belong_to_neighbour(&raw, b.start, b.len, mid, mode) {
            return None;
        }
        let word = &raw[b.start..b.start + b.len];
        let mut right: Vec<char> = word.iter().map(|&(_, d)| d).collect();
        right[mid - b.start] = b.right;
        let (last, lc) = word[b.len - 1];
        Some(Error {
            range: word[0].0..last + lc.len_utf8(),
            wrong: word.iter().map(|&(_, d)| d).collect(),
            right: right.into_iter().collect(),
        })
    }

    /// Look up every phrase over `folded` that covers `mid` (which reads `s`); keep in `best` the
    /// longest whose form has another character there than the text's `c`. True when a phrase
    /// supports `c` instead: then there is no error, whatever else was found.
    fn contradictions(
        &self,
        folded: &[char],
        mid: usize,
        c: char,
        s: char,
        mode: Mode,
        best: &mut Option<Contradiction>,
    ) -> bool {
        let t = tables();
        for len in (2..=MAX_LEN.min(folded.len())).rev() {
            let lo = (mid + 1).saturating_sub(len);
            let hi = mid.min(folded.len() - len);
            for a in lo..=hi {
                let Some(forms) = self.forms_of(&folded[a..a + len]) else {
                    continue;
                };
                let mut vals = forms.chunks_exact(len);
                let p = mid - a;
                let supported = match mode {
                    Mode::Traditional => vals.any(|v| self.same_form(v[p], c)),
                    // A simplified word with this very character (覆盖), or one whose
                    // traditional form keeps it and it is its own fold, so simplified text
                    // writes it too (显著 → 顯著; not 於, which folds to 于).
                    Mode::Simplified => s == c || (t.fold(c) == c && vals.any(|v| v[p] == c)),
                };
                if supported {
                    return true;
                }
                if best.as_ref().is_none_or(|b| len > b.len) {
                    let right = match mode {
                        Mode::Traditional => forms[p],
                        Mode::Simplified => s,
                    };
                    *best = Some(Contradiction {
                        start: a,
                        len,
                        right,
                    });
                }
            }
        }
        false
    }

    /// A character at the edge of the word may instead end or start the neighbouring word,
    /// one the phrase data lists with this very character (后 in 皇后來了: 后来 → 後來, but
    /// 冰雪皇后 has 皇后): then the data cannot tell, and the text is given the benefit. A
    /// traditional-only character in simplified text is wrong in any word.
    fn may_belong_to_neighbour(
        &self,
        raw: &[(usize, char)],
        a: usize,
        len: usize,
        mid: usize,
        mode: Mode,
    ) -> bool {
        let t = tables();
        let c = raw[mid].1;
        let (left_pairs, right_pairs) = match mode {
            Mode::Traditional => (&self.value_pairs.0, &self.value_pairs.1),
            Mode::Simplified if t.fold(c) != c => return false,
            Mode::Simplified => (&self.key_pairs, &self.key_pairs),
        };
        let before = (mid == a)
            .then(|| mid.checked_sub(1).map(|q| pair(t.fold(raw[q].1), c)))
            .flatten();
        let after = (mid == a + len - 1)
            .then(|| raw.get(mid + 1).map(|&(_, r)| pair(c, t.fold(r))))
            .flatten();
        before.is_some_and(|p| left_pairs.contains(&p))
            || after.is_some_and(|p| right_pairs.contains(&p))
    }
}

/// The tables, built on first use (a few milliseconds: the converter rule is the only user).
pub fn one_to_many() -> &'static OneToMany {
    static DATA: OnceLock<OneToMany> = OnceLock::new();
    DATA.get_or_init(OneToMany::build)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrong_words(text: &str, mode: Mode) -> Vec<(String, String)> {
        one_to_many()
            .scan(text, mode)
            .into_iter()
            .map(|e| (e.wrong, e.right))
            .collect()
    }

    #[test]
    fn traditional_errors_from_phrase_data() {
        let got = wrong_words(
            "這次事故引髮了廣泛關注，公司加大研髮投入。",
            Mode::Traditional,
        );
        assert!(got.contains(&("引髮".into(), "引發".into())), "{got:?}");
        assert!(got.contains(&("研髮".into(), "研發".into())), "{got:?}");
        let got = wrong_words("關于這個問題，他說得很清楚。", Mode::Traditional);
        assert_eq!(got, vec![("關于".into(), "關於".into())]);
        // 於防 stands in some phrase: that must not pass for 于 before 防.
        let got = wrong_words("關于防控工作", Mode::Traditional);
        assert_eq!(got, vec![("關于".into(), "關於".into())]);
        let got = wrong_words("各地工廠陸續恢覆生產。", Mode::Traditional);
        assert_eq!(got, vec![("恢覆".into(), "恢復".into())]);
    }

    #[test]
    fn correct_traditional_is_silent() {
        for ok in [
            "他在覆函中表示感謝，並已覆信給對方。",
            "收到回覆後，對方作了答覆，又反覆確認。",
            "研發投入逐年增加，引發各界關注。",
            "皇后來了以後，大家都很高興。",
            "他的頭髮很長，每月理髮一次。",
        ] {
            assert_eq!(wrong_words(ok, Mode::Traditional), vec![], "{ok}");
        }
    }

    #[test]
    fn simplified_errors_from_phrase_data() {
        let got = wrong_words("这个数字等於去年的两倍。", Mode::Simplified);
        assert_eq!(got, vec![("等於".into(), "等于".into())]);
        assert_eq!(
            wrong_words("绿色植被覆盖了山坡。", Mode::Simplified),
            vec![]
        );
    }

    #[test]
    fn found_after_latin_and_astral_characters_and_at_the_end() {
        let text = "a é 😀 𠀀關于";
        let e = one_to_many().scan(text, Mode::Traditional);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(&text[e[0].range.clone()], "關于");
    }

    #[test]
    fn white_space_inside_a_word_is_spanned() {
        let text = "引\n髮";
        let e = one_to_many().scan(text, Mode::Traditional);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].range, 0..text.len());
    }
}
