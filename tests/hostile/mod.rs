//! Generators of hostile inputs (issue 13): texts of a given size in bytes, each of one shape that
//! once made a stage superlinear. Shared by the linear-work tests (tests/bounded.rs), the
//! randomized run (examples/fuzz.rs) and the bench (examples/hostile.rs, scripts/bench.sh).
//! Deterministic: the same kind and size give the same text.
#![allow(dead_code)]

/// Every kind, by the name the bench and the tests use.
pub const KINDS: &[&str] = &[
    "bidi-storm",
    "fibonacci",
    "thue-morse",
    "short-lines",
    "nfkc-expanding",
    "open-front-matter",
    "unpunctuated-wrap",
    "latin1-mojibake",
    "page-numbers",
    "running-heads",
    "bracket-lines",
    "one-paragraph",
    "varied-clause",
];

/// A text of about `bytes` bytes of the given kind (`None` for an unknown kind).
pub fn generate(kind: &str, bytes: usize) -> Option<String> {
    let mut g = Gen::new(bytes);
    match kind {
        "bidi-storm" => bidi_storm(&mut g),
        "fibonacci" => fibonacci(&mut g),
        "thue-morse" => thue_morse(&mut g),
        "short-lines" => short_lines(&mut g),
        "nfkc-expanding" => nfkc_expanding(&mut g),
        "open-front-matter" => open_front_matter(&mut g),
        "unpunctuated-wrap" => unpunctuated_wrap(&mut g),
        "latin1-mojibake" => latin1_mojibake(&mut g),
        "page-numbers" => page_numbers(&mut g),
        "running-heads" => running_heads(&mut g),
        "bracket-lines" => bracket_lines(&mut g),
        "one-paragraph" => one_paragraph(&mut g),
        "varied-clause" => varied_clause(&mut g),
        _ => return None,
    }
    Some(g.out)
}

/// Words of the kind chronicles are made of (written for these tests).
const WORDS: &[&str] = &[
    "会议",
    "研究",
    "部署",
    "疫情",
    "防控",
    "工作",
    "听取",
    "汇报",
    "主持",
    "召开",
    "中央",
    "专家",
    "组织",
    "发布",
    "通报",
    "病例",
    "医院",
    "物资",
    "保障",
    "复工",
    "复产",
    "国家",
    "卫生",
    "健康",
    "委员会",
    "湖北",
    "武汉",
    "社区",
    "加强",
    "落实",
];

struct Gen {
    out: String,
    want: usize,
    rng: u64,
}

impl Gen {
    fn new(want: usize) -> Gen {
        Gen {
            out: String::with_capacity(want + 64),
            want,
            rng: 0x2545_F491_4F6C_DD1D,
        }
    }
    fn full(&self) -> bool {
        self.out.len() >= self.want
    }
    /// xorshift64: deterministic, no dependency.
    fn next(&mut self) -> u64 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }
    /// A clause of `k` words.
    fn clause(&mut self, k: usize) -> String {
        (0..k).map(|_| self.word()).collect()
    }
}

/// Text with a bidi control or isolate after every few characters.
fn bidi_storm(g: &mut Gen) {
    const BIDI: [char; 6] = [
        '\u{202E}', '\u{202A}', '\u{2066}', '\u{2069}', '\u{200F}', '\u{202C}',
    ];
    while !g.full() {
        let w = g.word();
        g.out.push_str(w);
        let b = BIDI[g.below(BIDI.len())];
        g.out.push(b);
        if g.below(40) == 0 {
            g.out.push_str("。\n");
        }
    }
}

/// One line holding a Fibonacci word over two characters: squares and cubes of every
/// Fibonacci length, nested.
fn fibonacci(g: &mut Gen) {
    let (mut a, mut b) = (String::from("甲"), String::from("甲乙"));
    while b.len() < g.want {
        let next = format!("{b}{a}");
        a = std::mem::replace(&mut b, next);
    }
    g.out.push_str(&b);
    g.out.push('\n');
}

/// One line of the Thue–Morse word over two clauses: overlap-free, yet squares everywhere.
fn thue_morse(g: &mut Gen) {
    let mut i: usize = 0;
    while !g.full() {
        g.out.push_str(if i.count_ones() % 2 == 0 {
            "防控"
        } else {
            "疫情"
        });
        i += 1;
    }
    g.out.push('\n');
}

/// Very many lines of one or two characters.
fn short_lines(g: &mut Gen) {
    while !g.full() {
        let w = g.word();
        g.out
            .push_str(&w[..w.char_indices().nth(1).map_or(w.len(), |(i, _)| i)]);
        g.out.push('\n');
    }
}

/// Characters whose NFKC form is many characters long (ﷺ is 18, ﷻ 8, ㍿ 4, ㌀ 5).
fn nfkc_expanding(g: &mut Gen) {
    const WIDE: [char; 5] = ['\u{FDFA}', '\u{FDFB}', '\u{337F}', '\u{3300}', '\u{33AF}'];
    while !g.full() {
        for _ in 0..50 {
            let c = WIDE[g.below(WIDE.len())];
            g.out.push(c);
            let w = g.word();
            g.out.push_str(w);
        }
        g.out.push_str("。\n");
    }
}

/// Front matter that opens and never closes: every line looks like a key.
fn open_front_matter(g: &mut Gen) {
    g.out.push_str("---\n");
    let mut k = 0;
    while !g.full() {
        let c = g.clause(4);
        g.out.push_str(&format!("key{k}: {c}\n"));
        k += 1;
    }
}

/// An event hard-wrapped at 20 characters with no punctuation at all: one paragraph of
/// megabytes for anything that joins wrapped lines.
fn unpunctuated_wrap(g: &mut Gen) {
    g.out.push('◆');
    while !g.full() {
        let c = g.clause(10);
        g.out.push_str(&c);
        g.out.push('\n');
    }
}

/// UTF-8 Chinese read as Latin-1 and written back as UTF-8 (中文 → ä¸­æ–‡).
fn latin1_mojibake(g: &mut Gen) {
    while !g.full() {
        let c = g.clause(12);
        let moji: String = c.bytes().map(char::from).collect();
        g.out.push_str(&moji);
        g.out.push_str("。\n");
    }
}

/// A page-number line after every few lines of text.
fn page_numbers(g: &mut Gen) {
    let mut page = 1;
    while !g.full() {
        for _ in 0..3 {
            let c = g.clause(8);
            g.out.push_str(&c);
            g.out.push_str("。\n");
        }
        g.out.push_str(&format!("- {page} -\n"));
        page += 1;
    }
}

/// The same running head between every few paragraphs, as a print copy has on every page.
fn running_heads(g: &mut Gen) {
    while !g.full() {
        g.out.push_str("抗击新冠肺炎疫情的中国行动\n");
        for _ in 0..4 {
            let c = g.clause(15);
            g.out.push_str(&c);
            g.out.push_str("。\n\n");
        }
    }
}

/// Lines of opening brackets and quotes that never close.
fn bracket_lines(g: &mut Gen) {
    const OPEN: [char; 6] = ['（', '【', '「', '《', '(', '['];
    while !g.full() {
        for _ in 0..60 {
            let c = OPEN[g.below(OPEN.len())];
            g.out.push(c);
        }
        g.out.push('\n');
    }
}

/// One paragraph of punctuated text and no line break at all: every finding in it sits in
/// the same (huge) paragraph.
fn one_paragraph(g: &mut Gen) {
    while !g.full() {
        let c = g.clause(6);
        g.out.push_str(&c);
        let stop = if g.below(3) == 0 { "。" } else { "," };
        g.out.push_str(stop);
        // Findings all along the one line (a bidi mark after every clause, loops and converter
        // pitfalls now and then): each needs its column deep in the line.
        g.out.push('\u{202E}');
        match g.below(50) {
            0 => g.out.push_str("恢覆生產,"),
            1 => g.out.push_str("听取工作汇报,听取工作汇报,"),
            _ => {}
        }
    }
}

/// A clause repeated with one word changed each time, on long lines.
fn varied_clause(g: &mut Gen) {
    let base = g.clause(12);
    while !g.full() {
        for _ in 0..20 {
            let w = g.word();
            g.out.push_str(&base);
            g.out.push_str(w);
            g.out.push(',');
        }
        g.out.push_str("。\n");
    }
}
