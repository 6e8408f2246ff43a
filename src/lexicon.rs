//! A word list matched against text: leftmost-longest, non-overlapping matches, the semantics of
//! an Aho-Corasick automaton with `MatchKind::LeftmostLongest`, but built for short CJK word lists
//! scanned over a whole archive.
//!
//! Why not the automaton itself: every byte of a Chinese text is a plausible start byte, so
//! aho-corasick's prefilters cannot skip anything, and the DFA for a few hundred CJK words does
//! not stay in cache (measured: ~270 ms per 100 MB for the office list alone, and ~260 ns per
//! anchored call). Almost no position of a real text starts a listed word, though. So the text is
//! walked once, testing the first two characters of each position against a 64 Kbit bitset
//! (8 KiB, stays in L1); only a hit looks up the few words that begin with that pair and compares
//! them, longest first. The bitset holds every true start, and the longest word at the leftmost
//! start is what leftmost-longest picks, so the matches are exactly the automaton's (a property
//! test checks this against aho-corasick).
//!
//! Two walks with that scheme: over UTF-8 bytes ([`Lexicon::find_iter`], for raw text: converter
//! pitfalls are raw-script words) and over decoded characters ([`Lexicon::find_iter_chars`], for
//! folded text, which units keep as characters: offices and names). A property test checks that
//! both find the same matches.

const BITS: usize = 1 << 16;

/// One match: which word, and its byte range in the searched text (character range for the
/// `_chars` walks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the word in the list the lexicon was built from.
    pub pattern: usize,
    /// Where the match starts.
    pub start: usize,
    /// Where it ends (exclusive).
    pub end: usize,
}

impl Hit {
    /// `start..end`.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// Words grouped by a hash of their first characters, longest first in each group. Rows are
/// found by rank in the bitset (a count per 64 bits, then the bits below), not through a table
/// with an entry for each of the 64K hashes: that table took 256 KiB for each of the six bucket
/// sets of the built-in lists; this takes about 12 KiB (the walks' speed measured the same).
struct Buckets {
    bits: Box<[u64]>,
    /// Occupied buckets before each 64-bit word of `bits`.
    rank: Box<[u32]>,
    /// Row bounds of the occupied buckets, in hash order: `ids[offs[k]..offs[k + 1]]`.
    offs: Vec<u32>,
    ids: Vec<u32>,
}

impl Buckets {
    /// `len[id]` orders each row (longest first).
    fn new(keys: &[(usize, usize)], len: &[usize]) -> Buckets {
        let mut bits = vec![0u64; BITS / 64].into_boxed_slice();
        let mut keys = keys.to_vec();
        // By bucket, then longest first, then list order (the automaton breaks ties the same way).
        keys.sort_by_key(|&(h, id)| (h, std::cmp::Reverse(len[id]), id));
        let mut offs = Vec::new();
        let mut ids = Vec::with_capacity(keys.len());
        for (k, &(h, id)) in keys.iter().enumerate() {
            if k == 0 || keys[k - 1].0 != h {
                bits[h >> 6] |= 1 << (h & 63);
                offs.push(ids.len() as u32);
            }
            ids.push(id as u32);
        }
        offs.push(ids.len() as u32);
        let mut rank = vec![0u32; BITS / 64].into_boxed_slice();
        let mut before = 0;
        for (r, w) in rank.iter_mut().zip(bits.iter()) {
            *r = before;
            before += w.count_ones();
        }
        Buckets {
            bits,
            rank,
            offs,
            ids,
        }
    }

    #[inline]
    fn hit(&self, h: usize) -> bool {
        self.bits[h >> 6] >> (h & 63) & 1 == 1
    }

    /// The words of bucket `h` (empty unless [`Buckets::hit`]).
    #[inline]
    fn row(&self, h: usize) -> &[u32] {
        let w = h >> 6;
        let bit = 1u64 << (h & 63);
        if self.bits[w] & bit == 0 {
            return &[];
        }
        let k = self.rank[w] as usize + (self.bits[w] & (bit - 1)).count_ones() as usize;
        &self.ids[self.offs[k] as usize..self.offs[k + 1] as usize]
    }
}

/// A compiled word list: leftmost-longest matching over bytes or characters (see the module
/// documentation for how and why).
pub struct Lexicon {
    words: Vec<String>,
    /// The first eight bytes of each word (zero-padded), as the text is loaded to compare.
    heads: Vec<u64>,
    /// The same words as characters, and their index by character pairs, for matching folded
    /// text that is already decoded (built on first use: not every list is matched that way).
    by_char: std::sync::OnceLock<CharIndex>,
    /// Words of two characters or more, by their first two characters.
    pairs: Buckets,
    /// Words of one character.
    singles: Buckets,
    has_singles: bool,
}

/// Masks keeping the first n bytes of a little-endian u64.
const MASK: [u64; 9] = [
    0,
    0xFF,
    0xFFFF,
    0xFF_FFFF,
    0xFFFF_FFFF,
    0xFF_FFFF_FFFF,
    0xFFFF_FFFF_FFFF,
    0xFF_FFFF_FFFF_FFFF,
    u64::MAX,
];

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// UTF-8 length of a character from its lead byte (a continuation byte, never at a char
/// boundary of a `str`, counts 1, so no walk can stall). Branches, not a table: the walk's loop-carried chain is "position → lead byte → length →
/// next position", and a predicted branch (CJK text is nearly all 3-byte characters) takes the
/// table load off that chain.
#[inline(always)]
fn char_len(lead: u8) -> usize {
    if lead >= 0xE0 {
        if lead >= 0xF0 {
            4
        } else {
            3
        }
    } else if lead >= 0xC0 {
        2
    } else {
        1
    }
}

/// The bytes of the first `n` bytes of `b` (n ≤ 8) as an integer, hashed into the bitset's range.
#[inline(always)]
fn key(b: &[u8], n: usize) -> usize {
    hash(load8(b, 0) & MASK[n.min(8)])
}

/// The eight bytes at `i` as a little-endian integer, zero-padded at the end of the text.
#[inline(always)]
fn load8(b: &[u8], i: usize) -> u64 {
    match b.get(i..i + 8) {
        Some(w) => u64::from_le_bytes(w.try_into().unwrap_or([0; 8])),
        None => {
            let mut buf = [0u8; 8];
            let rest = b.get(i..).unwrap_or(&[]);
            buf[..rest.len().min(8)].copy_from_slice(&rest[..rest.len().min(8)]);
            u64::from_le_bytes(buf)
        }
    }
}

#[inline(always)]
fn hash(v: u64) -> usize {
    (v.wrapping_mul(K) >> 48) as usize
}

/// Byte length of the first one and the first two characters at the start of `b` (a char
/// boundary); the second is `None` when `b` holds one character only.
#[inline(always)]
fn lens(b: &[u8]) -> (usize, Option<usize>) {
    let l1 = char_len(b[0]);
    match b.get(l1) {
        Some(&n) => (l1, Some(l1 + char_len(n))),
        None => (l1, None),
    }
}

impl Lexicon {
    /// `None` when there are no (non-empty) words.
    pub fn new<S: AsRef<str>>(words: &[S]) -> Option<Lexicon> {
        let words: Vec<String> = words.iter().map(|w| w.as_ref().to_string()).collect();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let mut pair_keys = Vec::new();
        let mut single_keys = Vec::new();
        for (id, w) in refs.iter().enumerate() {
            let b = w.as_bytes();
            if b.is_empty() {
                continue;
            }
            match lens(b) {
                (_, Some(l2)) => pair_keys.push((key(b, l2), id)),
                (l1, None) => single_keys.push((key(b, l1), id)),
            }
        }
        if pair_keys.is_empty() && single_keys.is_empty() {
            return None;
        }
        let len: Vec<usize> = refs.iter().map(|w| w.len()).collect();
        Some(Lexicon {
            pairs: Buckets::new(&pair_keys, &len),
            has_singles: !single_keys.is_empty(),
            singles: Buckets::new(&single_keys, &len),
            heads: refs.iter().map(|w| load8(w.as_bytes(), 0)).collect(),
            words,
            by_char: std::sync::OnceLock::new(),
        })
    }

    /// The word with pattern id `pattern` (its index in the list given to [`Lexicon::new`]).
    pub fn word(&self, pattern: usize) -> &str {
        &self.words[pattern]
    }

    /// The longest word at byte `at` of `text` (a char boundary).
    #[inline(never)]
    fn at(&self, text: &[u8], at: usize) -> Option<Hit> {
        let rest = &text[at..];
        let first8 = load8(rest, 0);
        let try_row = |row: &[u32]| {
            row.iter().find_map(|&id| {
                let w = self.words[id as usize].as_bytes();
                // Words are short: the first eight bytes in one compare, the rest (rarely any)
                // as a slice.
                let n = w.len();
                let same = n <= rest.len()
                    && first8 & MASK[n.min(8)] == self.heads[id as usize]
                    && (n <= 8 || rest[8..n] == w[8..]);
                same.then(|| Hit {
                    pattern: id as usize,
                    start: at,
                    end: at + w.len(),
                })
            })
        };
        let (l1, l2) = lens(rest);
        if let Some(l2) = l2 {
            let h = key(rest, l2);
            if self.pairs.hit(h) {
                if let Some(m) = try_row(self.pairs.row(h)) {
                    return Some(m);
                }
            }
        }
        if self.has_singles {
            let h = key(rest, l1);
            if self.singles.hit(h) {
                return try_row(self.singles.row(h));
            }
        }
        None
    }

    /// The longest word starting exactly at byte `at` of `text` (a char boundary).
    pub fn find_at(&self, text: &str, at: usize) -> Option<Hit> {
        if at >= text.len() || !text.is_char_boundary(at) {
            return None;
        }
        self.at(text.as_bytes(), at)
    }

    /// Every leftmost-longest, non-overlapping match in `text`. The walk works on bytes: at each
    /// character start, the bytes of that character and the next one are the key (no decoding).
    pub fn find_iter(&self, text: &str) -> Vec<Hit> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        // The length of the character at i, known from the step before (it was the second
        // character there): the next position does not wait for this position's bytes.
        let mut l1 = b.first().map_or(1, |&x| char_len(x));
        while i < b.len() {
            // Eight bytes at once; the key keeps the first one or two characters of them.
            let w = load8(b, i);
            let l2 = l1 + char_len((w >> (8 * l1)) as u8);
            let pair = i + l1 < b.len() && self.pairs.hit(hash(w & MASK[l2.min(8)]));
            if pair || (self.has_singles && self.singles.hit(hash(w & MASK[l1.min(8)]))) {
                if let Some(m) = self.at(b, i) {
                    out.push(m);
                    i = m.end;
                    l1 = b.get(i).map_or(1, |&x| char_len(x));
                    continue;
                }
            }
            i += l1;
            // The second character started within the eight bytes loaded (l1 <= 4).
            l1 = l2 - l1;
        }
        out
    }
}

/// A lexicon's words as characters, keyed by their first one, two or three characters.
struct CharIndex {
    words: Vec<Vec<char>>,
    /// The last two characters of the words of two or more, hashed into a bitset.
    last: Box<[u64]>,
    /// The first two characters of every word of two or more: the walk's test per position.
    gate: Box<[u64]>,
    /// Words of three or more by their first three characters, words of exactly two by both.
    /// Office names share their heads (国家主席, 国家副主席, 国家卫健委主任 …): keyed by two
    /// characters, one row held dozens of words, each compared in turn.
    triples: Buckets,
    pairs: Buckets,
    singles: Buckets,
    has_singles: bool,
}

#[inline(always)]
fn pair_key(a: char, b: char) -> usize {
    hash((a as u64) << 32 | b as u64)
}

#[inline(always)]
fn triple_key(a: char, b: char, c: char) -> usize {
    hash(((a as u64) << 42 | (b as u64) << 21 | c as u64).wrapping_add(K))
}

#[inline(always)]
fn single_key(a: char) -> usize {
    hash(a as u64)
}

impl Lexicon {
    fn char_index(&self) -> &CharIndex {
        self.by_char.get_or_init(|| {
            let words: Vec<Vec<char>> = self.words.iter().map(|w| w.chars().collect()).collect();
            let (mut triple_keys, mut pair_keys, mut single_keys) =
                (Vec::new(), Vec::new(), Vec::new());
            let mut gate = vec![0u64; BITS / 64].into_boxed_slice();
            for (id, w) in words.iter().enumerate() {
                if let [a, b, ..] = w.as_slice() {
                    let h = pair_key(*a, *b);
                    gate[h >> 6] |= 1 << (h & 63);
                }
                match w.as_slice() {
                    [] => {}
                    [a] => single_keys.push((single_key(*a), id)),
                    [a, b] => pair_keys.push((pair_key(*a, *b), id)),
                    [a, b, c, ..] => triple_keys.push((triple_key(*a, *b, *c), id)),
                }
            }
            let len: Vec<usize> = words.iter().map(Vec::len).collect();
            let mut last = vec![0u64; BITS / 64].into_boxed_slice();
            for w in words.iter().filter(|w| w.len() >= 2) {
                let h = pair_key(w[w.len() - 2], w[w.len() - 1]);
                last[h >> 6] |= 1 << (h & 63);
            }
            CharIndex {
                last,
                gate,
                triples: Buckets::new(&triple_keys, &len),
                pairs: Buckets::new(&pair_keys, &len),
                singles: Buckets::new(&single_keys, &len),
                has_singles: !single_keys.is_empty(),
                words,
            }
        })
    }

    /// False when no word of two or more characters ends with `a`, `b` (true may be a hash
    /// collision). Two characters, not one: names end in common characters (平, 明, 强), pairs
    /// of them are rare.
    pub fn may_end_with(&self, a: char, b: char) -> bool {
        let h = pair_key(a, b);
        self.char_index().last[h >> 6] >> (h & 63) & 1 == 1
    }

    /// The longest word starting exactly at character `at` of `s`; the hit's range counts
    /// characters.
    pub fn find_at_chars(&self, s: &[char], at: usize) -> Option<Hit> {
        let ix = self.char_index();
        let rest = s.get(at..).filter(|r| !r.is_empty())?;
        let try_row = |row: &[u32]| {
            row.iter().find_map(|&id| {
                let w = &ix.words[id as usize];
                // A short loop, not a call to memcmp: words are a few characters.
                let same = w.len() <= rest.len() && w.iter().zip(rest).all(|(a, b)| a == b);
                same.then(|| Hit {
                    pattern: id as usize,
                    start: at,
                    end: at + w.len(),
                })
            })
        };
        // Longest first: a word of three or more shares the first three characters, then one
        // of two, then one of one.
        if let [a, b, c, ..] = rest {
            let h = triple_key(*a, *b, *c);
            if ix.triples.hit(h) {
                if let Some(m) = try_row(ix.triples.row(h)) {
                    return Some(m);
                }
            }
        }
        if let [a, b, ..] = rest {
            let h = pair_key(*a, *b);
            if ix.pairs.hit(h) {
                if let Some(m) = try_row(ix.pairs.row(h)) {
                    return Some(m);
                }
            }
        }
        if ix.has_singles {
            let h = single_key(rest[0]);
            if ix.singles.hit(h) {
                return try_row(ix.singles.row(h));
            }
        }
        None
    }

    /// [`Lexicon::find_iter`] over decoded characters (folded text is kept as characters):
    /// the same matches, with ranges in characters. No decoding, so the test per position is a
    /// multiply and a bit.
    pub fn find_iter_chars(&self, s: &[char]) -> Vec<Hit> {
        let ix = self.char_index();
        let mut out = Vec::new();
        let mut i = 0;
        while i < s.len() {
            let a = s[i];
            let pair = s.get(i + 1).is_some_and(|&b| {
                let h = pair_key(a, b);
                ix.gate[h >> 6] >> (h & 63) & 1 == 1
            });
            if pair || (ix.has_singles && ix.singles.hit(single_key(a))) {
                if let Some(m) = self.find_at_chars(s, i) {
                    out.push(m);
                    i = m.end;
                    continue;
                }
            }
            i += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "总理",
        "国务院总理",
        "王",
        "回覆",
        "覆函",
        "院长",
        "a王",
        "总理府",
        "𠀀总",
        "é",
        // Heads shared with a longer word: found when the three-character row has no match.
        "国务",
        "国务院总",
    ];

    fn automaton(text: &str) -> Vec<Hit> {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(WORDS)
            .unwrap()
            .find_iter(text)
            .map(|m| Hit {
                pattern: m.pattern().as_usize(),
                start: m.start(),
                end: m.end(),
            })
            .collect()
    }

    #[test]
    fn longest_at_leftmost_start() {
        let lx = Lexicon::new(WORDS).unwrap();
        let t = "国务院总理李克强回覆函王";
        let got: Vec<&str> = lx.find_iter(t).iter().map(|m| &t[m.range()]).collect();
        assert_eq!(got, ["国务院总理", "回覆", "王"]);
        assert_eq!(
            lx.find_at(t, "国务院".len()).map(|m| m.end),
            Some("国务院总理".len())
        );
        assert!(Lexicon::new::<&str>(&[]).is_none());
        assert!(WORDS.iter().filter(|w| w.chars().count() >= 2).all(|w| {
            let c: Vec<char> = w.chars().collect();
            lx.may_end_with(c[c.len() - 2], c[c.len() - 1])
        }));
        assert!(!lx.may_end_with('务', '院') && !lx.may_end_with('总', '王'));
    }

    proptest! {
        /// The bitset walk gives exactly what the automaton gives.
        #[test]
        fn same_as_automaton(text in "[总理国务院长王回覆函府a ，é𠀀]{0,40}") {
            let lx = Lexicon::new(WORDS).unwrap();
            prop_assert_eq!(lx.find_iter(&text), automaton(&text));
        }

        /// Matching decoded characters gives the same matches, counted in characters.
        #[test]
        fn chars_same_as_bytes(text in "[总理国务院长王回覆函府a ，é𠀀]{0,40}") {
            let lx = Lexicon::new(WORDS).unwrap();
            let chars: Vec<char> = text.chars().collect();
            let ci = |b: usize| text[..b].chars().count();
            let bytes: Vec<Hit> = lx
                .find_iter(&text)
                .iter()
                .map(|m| Hit { pattern: m.pattern, start: ci(m.start), end: ci(m.end) })
                .collect();
            prop_assert_eq!(lx.find_iter_chars(&chars), bytes);
            for at in 0..chars.len() {
                let b = text.char_indices().nth(at).map(|x| x.0).unwrap_or(text.len());
                let want = lx.find_at(&text, b).map(|m| (m.pattern, ci(m.end)));
                prop_assert_eq!(lx.find_at_chars(&chars, at).map(|m| (m.pattern, m.end)), want);
            }
        }
    }
}
