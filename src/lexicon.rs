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

const BITS: usize = 1 << 16;

/// One match: which word, and its byte range in the searched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub pattern: usize,
    pub start: usize,
    pub end: usize,
}

impl Hit {
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// Words grouped by a hash of their first one or two characters, longest first in each group
/// (compressed rows: `starts[h]..starts[h + 1]` indexes `ids`).
struct Buckets {
    bits: Box<[u64]>,
    starts: Vec<u32>,
    ids: Vec<u32>,
}

impl Buckets {
    fn new(keys: &[(usize, usize)], words: &[&str]) -> Buckets {
        let mut bits = vec![0u64; BITS / 64].into_boxed_slice();
        let mut count = vec![0u32; BITS + 1];
        for &(h, _) in keys {
            bits[h >> 6] |= 1 << (h & 63);
            count[h + 1] += 1;
        }
        for i in 1..=BITS {
            count[i] += count[i - 1];
        }
        let starts = count.clone();
        let mut ids = vec![0u32; keys.len()];
        let mut fill = count;
        for &(h, id) in keys {
            ids[fill[h] as usize] = id as u32;
            fill[h] += 1;
        }
        for h in 0..BITS {
            let row = &mut ids[starts[h] as usize..starts[h + 1] as usize];
            // Longest first, then list order (the automaton breaks ties the same way).
            row.sort_by_key(|&id| (std::cmp::Reverse(words[id as usize].len()), id));
        }
        Buckets { bits, starts, ids }
    }

    #[inline]
    fn hit(&self, h: usize) -> bool {
        self.bits[h >> 6] >> (h & 63) & 1 == 1
    }

    #[inline]
    fn row(&self, h: usize) -> &[u32] {
        &self.ids[self.starts[h] as usize..self.starts[h + 1] as usize]
    }
}

pub struct Lexicon {
    words: Vec<String>,
    /// Words of two characters or more, by their first two characters.
    pairs: Buckets,
    /// Words of one character.
    singles: Buckets,
    has_singles: bool,
}

#[inline]
fn h1(c: char) -> usize {
    (c as usize).wrapping_mul(0x9E37_79B1) >> 8 & (BITS - 1)
}

#[inline]
fn h2(a: char, b: char) -> usize {
    ((a as usize).wrapping_mul(0x9E37_79B1) ^ (b as usize).wrapping_mul(0x85EB_CA77)) >> 9
        & (BITS - 1)
}

impl Lexicon {
    /// `None` when there are no (non-empty) words.
    pub fn new<S: AsRef<str>>(words: &[S]) -> Option<Lexicon> {
        let words: Vec<String> = words.iter().map(|w| w.as_ref().to_string()).collect();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let mut pair_keys = Vec::new();
        let mut single_keys = Vec::new();
        for (id, w) in refs.iter().enumerate() {
            let mut cs = w.chars();
            match (cs.next(), cs.next()) {
                (Some(a), Some(b)) => pair_keys.push((h2(a, b), id)),
                (Some(a), None) => single_keys.push((h1(a), id)),
                _ => {}
            }
        }
        if pair_keys.is_empty() && single_keys.is_empty() {
            return None;
        }
        Some(Lexicon {
            pairs: Buckets::new(&pair_keys, &refs),
            has_singles: !single_keys.is_empty(),
            singles: Buckets::new(&single_keys, &refs),
            words,
        })
    }

    pub fn word(&self, pattern: usize) -> &str {
        &self.words[pattern]
    }

    /// Whether a word may start at character `a` followed by `b` (the bitset test; inlined into
    /// the walks, since it runs once per character of the archive).
    #[inline(always)]
    fn may_start(&self, a: char, b: Option<char>) -> bool {
        b.is_some_and(|b| self.pairs.hit(h2(a, b))) || (self.has_singles && self.singles.hit(h1(a)))
    }

    /// The longest word at byte `at` of `text`, given the character there and the next one.
    #[inline(never)]
    fn at(&self, text: &[u8], at: usize, a: char, b: Option<char>) -> Option<Hit> {
        let rest = &text[at..];
        let try_row = |row: &[u32]| {
            row.iter().find_map(|&id| {
                let w = self.words[id as usize].as_bytes();
                rest.starts_with(w).then(|| Hit {
                    pattern: id as usize,
                    start: at,
                    end: at + w.len(),
                })
            })
        };
        if let Some(b) = b {
            let h = h2(a, b);
            if self.pairs.hit(h) {
                if let Some(m) = try_row(self.pairs.row(h)) {
                    return Some(m);
                }
            }
        }
        if self.has_singles {
            let h = h1(a);
            if self.singles.hit(h) {
                return try_row(self.singles.row(h));
            }
        }
        None
    }

    /// The longest word starting exactly at byte `at` of `text` (a char boundary).
    pub fn find_at(&self, text: &str, at: usize) -> Option<Hit> {
        let mut cs = text.get(at..)?.chars();
        let a = cs.next()?;
        self.at(text.as_bytes(), at, a, cs.next())
    }

    /// Every leftmost-longest, non-overlapping match in `text`.
    pub fn find_iter(&self, text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut it = text.char_indices().peekable();
        let mut resume = 0;
        while let Some((at, c)) = it.next() {
            let next = it.peek().map(|n| n.1);
            if at >= resume && self.may_start(c, next) {
                if let Some(m) = self.at(text.as_bytes(), at, c, next) {
                    resume = m.end;
                    out.push(m);
                }
            }
        }
        out
    }

    /// [`Lexicon::find_iter`] for a text whose characters are already decoded into `chars`
    /// (normalized units keep both): the walk then costs no UTF-8 decoding.
    pub fn find_iter_chars(&self, text: &str, chars: &[char]) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut at = 0;
        let mut resume = 0;
        for (i, &c) in chars.iter().enumerate() {
            let next = chars.get(i + 1).copied();
            if at >= resume && self.may_start(c, next) {
                if let Some(m) = self.at(text.as_bytes(), at, c, next) {
                    resume = m.end;
                    out.push(m);
                }
            }
            at += c.len_utf8();
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
    }

    proptest! {
        /// The bitset walk gives exactly what the automaton gives, from text and from chars.
        #[test]
        fn same_as_automaton(text in "[总理国务院长王回覆函府a ，]{0,40}") {
            let lx = Lexicon::new(WORDS).unwrap();
            let chars: Vec<char> = text.chars().collect();
            prop_assert_eq!(lx.find_iter(&text), automaton(&text));
            prop_assert_eq!(lx.find_iter_chars(&text, &chars), automaton(&text));
        }
    }
}
