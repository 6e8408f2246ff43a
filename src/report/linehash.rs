//! `primaryLocationLineHash`, computed as GitHub code scanning computes it when it receives a
//! SARIF log without one: a rolling hash (base 37, 64-bit wrapping) of the first 100 UTF-16
//! code units from the start of each line, spaces and tabs skipped, `\r\n` and `\r` read as
//! `\n`, then `:N` for the N-th line of the file with that hash. Giving it ourselves keeps
//! alerts matched across uploads even where the upload step cannot read the file.

use std::collections::{HashMap, HashSet};

const BLOCK: usize = 100;
const MOD: i64 = 37;
/// The end-of-file marker fed after the last character.
const EOF: i64 = 65_535;

/// The hashes of the 1-based `lines` of `text` (lines past the end are left out). Linear in
/// the text.
pub fn line_hashes(text: &str, lines: &HashSet<usize>) -> HashMap<usize, String> {
    let mut h = Hasher::new();
    let mut out = HashMap::new();
    let mut emit = |line: usize, hash: String| {
        if lines.contains(&line) {
            out.insert(line, hash);
        }
    };
    let mut prev_cr = false;
    for unit in text.encode_utf16() {
        let c = i64::from(unit);
        // Spaces and tabs are skipped, and a line feed right after a carriage return.
        if c == 0x20 || c == 0x09 || (prev_cr && c == 0x0a) {
            prev_cr = false;
            continue;
        }
        prev_cr = c == 0x0d;
        h.feed(if prev_cr { 0x0a } else { c }, &mut emit);
    }
    h.feed(EOF, &mut emit);
    for _ in 0..BLOCK {
        if h.lines[h.index].is_some() {
            h.output(&mut emit);
        }
        h.update(0);
    }
    out
}

struct Hasher {
    window: [i64; BLOCK],
    lines: [Option<usize>; BLOCK],
    hash: i64,
    first_mod: i64,
    index: usize,
    line: usize,
    line_start: bool,
    counts: HashMap<u64, u32>,
}

impl Hasher {
    fn new() -> Hasher {
        Hasher {
            window: [0; BLOCK],
            lines: [None; BLOCK],
            hash: 0,
            first_mod: (0..BLOCK).fold(1i64, |m, _| m.wrapping_mul(MOD)),
            index: 0,
            line: 0,
            line_start: true,
            counts: HashMap::new(),
        }
    }

    fn output(&mut self, emit: &mut impl FnMut(usize, String)) {
        let v = self.hash as u64;
        let n = self.counts.entry(v).or_default();
        *n += 1;
        if let Some(line) = self.lines[self.index] {
            emit(line, format!("{v:x}:{n}"));
        }
        self.lines[self.index] = None;
    }

    fn update(&mut self, c: i64) {
        let begin = self.window[self.index];
        self.window[self.index] = c;
        self.hash = MOD
            .wrapping_mul(self.hash)
            .wrapping_add(c)
            .wrapping_sub(self.first_mod.wrapping_mul(begin));
        self.index = (self.index + 1) % BLOCK;
    }

    fn feed(&mut self, c: i64, emit: &mut impl FnMut(usize, String)) {
        if self.lines[self.index].is_some() {
            self.output(emit);
        }
        if self.line_start {
            self.line_start = false;
            self.line += 1;
            self.lines[self.index] = Some(self.line);
        }
        if c == 0x0a {
            self.line_start = true;
        }
        self.update(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str, n: usize) -> Vec<String> {
        let lines: HashSet<usize> = (1..=n).collect();
        let h = line_hashes(text, &lines);
        (1..=n).map(|l| h[&l].clone()).collect()
    }

    /// The published test vectors of GitHub's implementation (codeql-action, fingerprints).
    #[test]
    fn matches_github_vectors() {
        assert_eq!(all("", 1), ["c129715d7a2bc9a3:1"]);
        assert_eq!(
            all(" a\nb\n  \t\tc\n d", 4),
            [
                "271789c17abda88f:1",
                "54703d4cd895b18:1",
                "180aee12dab6264:1",
                "a23a3dc5e078b07b:1"
            ]
        );
        // Line endings of every kind hash alike.
        let lf = all(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n", 7);
        assert_eq!(lf[0], "e9496ae3ebfced30:1");
        assert_eq!(lf[6], "c129715d7a2bc9a3:1");
        let crlf = all(
            " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
            7,
        );
        assert_eq!(lf, crlf);
        let cr = all(" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r", 7);
        assert_eq!(lf, cr);
    }

    #[test]
    fn repeated_lines_are_numbered() {
        let text = "同一行文字重复出现。\n".repeat(20);
        let h = all(&text, 5);
        assert!(h[0].ends_with(":1") && h[1].ends_with(":2"), "{h:?}");
        assert_eq!(h[0].split(':').next(), h[1].split(':').next());
    }
}
