//! The realistic-layout corpus and the fault benchmark's generator (issues 11 and 12).
//!
//! From ANY clean text (optional YAML front matter, a title, paragraphs; traditional or
//! simplified; date headings and `◆` events, or plain paragraphs) it makes:
//! - clean *layouts*: the same text as real users find it (paragraph per line, mixed hard wraps,
//!   page chrome, numbered pages cut mid-event, a repost, a photo sidebar, OpenCC regional
//!   conversions, ASCII punctuation), each a complete file;
//! - *fault witnesses*: copies with faults injected at known places, and the truth (file, lines,
//!   kind, accepted rule ids / categories) of every fault.
//!
//! Everything is a pure function of the text and a seed (own xorshift RNG), so a corpus can be
//! remade exactly. Positions are tracked with private-use marker characters placed around each
//! injected fault before layout; the rendered files are scanned for them, then they are removed.
//! That keeps the truth exact whatever the layout does to lines.
#![allow(dead_code)]

use ferrous_opencc::{config::BuiltinConfig, OpenCC};
use std::collections::HashMap;

// ---------------------------------------------------------------------------------------------
// RNG

/// A small deterministic RNG (xorshift64*): the corpus must be reproducible from a seed.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` (any value, 0 included).
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D | 1)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi - lo + 1)
        }
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    /// Shuffle in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scripts and converters

/// The script a text is written in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Script {
    /// Traditional characters.
    Traditional,
    /// Simplified characters.
    Simplified,
}

/// The OpenCC converters the corpus uses, built once.
pub struct Converters {
    /// Traditional → simplified.
    pub t2s: OpenCC,
    /// Simplified → traditional (OpenCC standard forms).
    pub s2t: OpenCC,
    /// Simplified → traditional, Taiwan forms and vocabulary.
    pub s2twp: OpenCC,
    /// Simplified → traditional, Hong Kong forms.
    pub s2hk: OpenCC,
}

impl Converters {
    /// Load the four built-in configurations.
    pub fn new() -> Self {
        let c = |b| OpenCC::from_config(b).expect("OpenCC built-in config");
        Converters {
            t2s: c(BuiltinConfig::T2s),
            s2t: c(BuiltinConfig::S2t),
            s2twp: c(BuiltinConfig::S2twp),
            s2hk: c(BuiltinConfig::S2hk),
        }
    }
    /// `text` in `script` (a traditional target uses OpenCC's standard forms).
    pub fn to_script(&self, text: &str, from: Script, to: Script) -> String {
        match (from, to) {
            (Script::Traditional, Script::Simplified) => self.t2s.convert(text),
            (Script::Simplified, Script::Traditional) => self.s2t.convert(text),
            _ => text.to_string(),
        }
    }
}

impl Default for Converters {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether a text is traditional: simplifying it changes a noticeable share of its Han characters.
pub fn detect_script(text: &str, cv: &Converters) -> Script {
    let simp = cv.t2s.convert(text);
    let han = text.chars().filter(|c| is_han(*c)).count().max(1);
    let changed = text
        .chars()
        .zip(simp.chars())
        .filter(|(a, b)| a != b)
        .count();
    if changed * 50 > han {
        Script::Traditional
    } else {
        Script::Simplified
    }
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

// ---------------------------------------------------------------------------------------------
// Parsing the clean text

/// What a paragraph is, by shape.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// A date or section heading on its own line.
    Heading,
    /// An event (`◆…`, `（12）…`, `3. …`).
    Event,
    /// Any other paragraph.
    Para,
}

/// One paragraph of the clean text.
#[derive(Clone, Debug)]
pub struct Para {
    /// The paragraph's text, its source lines joined.
    pub text: String,
    /// Its kind.
    pub kind: Kind,
    /// The character counts of its source lines (to redo the source's own hard wraps).
    pub widths: Vec<usize>,
    /// No blank line after it in the source (a heading directly above its first event).
    pub tight: bool,
}

/// A clean text, parsed.
#[derive(Clone, Debug)]
pub struct Source {
    /// The YAML front matter with its `---` lines and final newline, or empty.
    pub front_matter: String,
    /// The title (front matter `title:`, a `# ` line, or the first short paragraph).
    pub title: String,
    /// Whether the body had a `# title` line (kept by the original layout).
    pub title_line: bool,
    /// The body paragraphs, in order.
    pub paras: Vec<Para>,
}

/// The kind of a paragraph, from its shape only.
pub fn classify(text: &str) -> Kind {
    let t = text.trim();
    let first = t.chars().next().unwrap_or(' ');
    if matches!(first, '◆' | '●' | '■' | '◇' | '★') {
        return Kind::Event;
    }
    let n = t.chars().count();
    if t.starts_with('（') || t.starts_with('(') {
        let inner: String = t
            .chars()
            .skip(1)
            .take_while(|c| *c != '）' && *c != ')')
            .collect();
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) {
            return Kind::Event;
        }
    }
    let sentence = t.contains(['。', '，', '；', ',', ';']);
    let dated = t.chars().any(|c| c.is_ascii_digit()) && t.contains(['年', '月', '日']);
    if n <= 24 && !sentence && (dated || t.starts_with('（') || t.starts_with('第')) {
        return Kind::Heading;
    }
    Kind::Para
}

/// Split YAML front matter (`---` … `---`) from the rest.
fn split_front_matter(text: &str) -> (String, &str) {
    if let Some(rest) = text.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---\n") {
            let cut = 4 + end + 5;
            return (text[..cut].to_string(), &text[cut..]);
        }
    }
    (String::new(), text)
}

fn front_title(fm: &str) -> Option<String> {
    fm.lines().find_map(|l| {
        let v = l
            .strip_prefix("title:")?
            .trim()
            .trim_matches('"')
            .trim_matches('\'');
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// Parse a clean text into front matter, title and paragraphs. Paragraphs are blocks separated
/// by blank lines; a body without any blank line is taken as one paragraph per line.
pub fn parse(clean: &str) -> Source {
    let text = clean.replace("\r\n", "\n");
    let (front_matter, body) = split_front_matter(&text);
    let mut lines: Vec<&str> = body.lines().collect();
    let mut title = front_title(&front_matter);
    let mut title_line = false;
    if let Some(i) = lines.iter().position(|l| !l.trim().is_empty()) {
        if let Some(t) = lines[i].trim().strip_prefix("# ") {
            title.get_or_insert_with(|| t.trim().to_string());
            title_line = true;
            lines.drain(..=i);
        }
    }
    let paras: Vec<Para> = line_blocks(&lines)
        .iter()
        .flat_map(|b| split_block(b))
        .collect();
    let title = title.unwrap_or_else(|| {
        paras
            .iter()
            .find(|p| p.text.chars().count() <= 40 && !p.text.contains('。'))
            .map(|p| p.text.clone())
            .unwrap_or_else(|| "無題".to_string())
    });
    Source {
        front_matter,
        title,
        title_line,
        paras,
    }
}

/// Runs of non-blank lines; one line each when the text has no blank line at all.
fn line_blocks<'a>(lines: &[&'a str]) -> Vec<Vec<&'a str>> {
    let mut blocks: Vec<Vec<&str>> = vec![];
    let mut cur: Vec<&str> = vec![];
    for l in lines {
        if l.trim().is_empty() {
            if !cur.is_empty() {
                blocks.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(l.trim_end());
        }
    }
    if !cur.is_empty() {
        blocks.push(cur);
    }
    if blocks.len() == 1 {
        blocks = blocks[0].iter().map(|l| vec![*l]).collect();
    }
    blocks
}

/// The paragraphs of one block. A block may hold a heading line and its first event with no
/// blank line between (a print layout): a heading line, the line after it, or a line opening an
/// event starts a paragraph of its own.
fn split_block(b: &[&str]) -> Vec<Para> {
    let mut parts: Vec<Vec<&str>> = vec![];
    for l in b {
        let after_heading = parts
            .last()
            .is_some_and(|p| p.len() == 1 && classify(p[0]) == Kind::Heading);
        if parts.is_empty() || after_heading || classify(l) != Kind::Para {
            parts.push(vec![*l]);
        } else if let Some(p) = parts.last_mut() {
            p.push(*l);
        }
    }
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(k, part)| {
            let text: String = part.iter().map(|l| l.trim()).collect();
            let widths = part.iter().map(|l| l.trim().chars().count()).collect();
            Para {
                kind: classify(&text),
                widths,
                text,
                tight: k + 1 < n,
            }
        })
        .collect()
}

/// The body text with all whitespace removed: what a layout must preserve.
pub fn normalized_body(paras: &[Para]) -> String {
    paras
        .iter()
        .flat_map(|p| p.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Markers: where each injected fault ends up in the rendered files

fn start_mark(id: usize) -> char {
    char::from_u32(0xF0000 + id as u32).expect("marker id")
}
fn end_mark(id: usize) -> char {
    char::from_u32(0x10_0000 + id as u32).expect("marker id")
}
fn is_mark(c: char) -> bool {
    c as u32 >= 0xF0000
}
/// `s` with the markers of fault `id` around it.
fn marked(id: usize, s: &str) -> String {
    format!("{}{s}{}", start_mark(id), end_mark(id))
}
/// The text without markers.
pub fn strip_marks(s: &str) -> String {
    s.chars().filter(|c| !is_mark(*c)).collect()
}
/// Character count, markers excluded (what a reader sees).
fn width(s: &str) -> usize {
    s.chars().filter(|c| !is_mark(*c)).count()
}

// ---------------------------------------------------------------------------------------------
// Layouts

/// How paragraphs become lines.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Style {
    /// One line per paragraph, a blank line between paragraphs.
    Blank,
    /// One line per paragraph, no blank lines (the common scraped shape).
    PerLine,
    /// Some paragraphs hard-wrapped at 30–40 characters, others one line, no blank lines.
    Mixed,
    /// The source's own hard wraps and blank lines.
    Original,
}

/// Hard-wrap `s` every `w` visible characters (mid-word, as a printed page does).
fn wrap(s: &str, w: usize) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    let mut n = 0;
    for c in s.chars() {
        if n == w && !is_mark(c) {
            out.push(std::mem::take(&mut cur));
            n = 0;
        }
        cur.push(c);
        if !is_mark(c) {
            n += 1;
        }
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

/// Wrap at the source's own line widths (the last line takes what is left).
fn wrap_widths(s: &str, widths: &[usize]) -> Vec<String> {
    if widths.len() <= 1 {
        return vec![s.to_string()];
    }
    let mut out = vec![];
    let mut cur = String::new();
    let mut n = 0;
    let mut k = 0;
    for c in s.chars() {
        if k + 1 < widths.len() && n == widths[k] && !is_mark(c) {
            out.push(std::mem::take(&mut cur));
            n = 0;
            k += 1;
        }
        cur.push(c);
        if !is_mark(c) {
            n += 1;
        }
    }
    out.push(cur);
    out
}

/// A paragraph ready to be laid out.
#[derive(Clone, Debug)]
pub struct Block {
    /// Its text (may hold markers).
    pub text: String,
    /// Its kind.
    pub kind: Kind,
    /// Source line widths (for [`Style::Original`]).
    pub widths: Vec<usize>,
    /// No blank line after it in [`Style::Original`].
    pub tight: bool,
}

impl From<&Para> for Block {
    fn from(p: &Para) -> Self {
        Block {
            text: p.text.clone(),
            kind: p.kind,
            widths: p.widths.clone(),
            tight: p.tight,
        }
    }
}

/// Lay paragraphs out as lines in `style`.
pub fn render(blocks: &[Block], style: Style, rng: &mut Rng) -> Vec<String> {
    let w = rng.range(30, 40);
    let mut out = vec![];
    for b in blocks {
        match style {
            Style::Blank => {
                out.push(b.text.clone());
                out.push(String::new());
            }
            Style::PerLine => out.push(b.text.clone()),
            Style::Mixed => {
                if b.kind != Kind::Heading && width(&b.text) > w && rng.chance(0.5) {
                    out.extend(wrap(&b.text, w));
                } else {
                    out.push(b.text.clone());
                }
            }
            Style::Original => {
                out.extend(wrap_widths(&b.text, &b.widths));
                if !b.tight {
                    out.push(String::new());
                }
            }
        }
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Page chrome (invented sites; written simplified, converted for traditional pages)

const SITE_A: &[&str] = &[
    "晴川", "云帆", "南岭", "青禾", "远山", "星河", "松涛", "明湖", "丰泽", "北辰",
];
const SITE_B: &[&str] = &[
    "资讯网",
    "新闻网",
    "在线",
    "农讯网",
    "之窗",
    "时报网",
    "融媒",
];
const SECTIONS: &[&str] = &[
    "新闻",
    "要闻",
    "国内",
    "资讯",
    "行业资讯",
    "时政",
    "专题",
    "农业新闻",
];
const SLOGANS: &[&str] = &[
    "凝心聚力 共创未来",
    "服务三农 振兴乡村",
    "传递正能量 讲好身边事",
    "权威 及时 准确",
];

/// Chrome lines are built in simplified and converted to the page's script.
struct Chrome<'a> {
    rng: &'a mut Rng,
    cv: &'a Converters,
    script: Script,
    site: String,
}

impl<'a> Chrome<'a> {
    fn new(rng: &'a mut Rng, cv: &'a Converters, script: Script) -> Self {
        let site = format!("{}{}", rng.pick(SITE_A), rng.pick(SITE_B));
        Chrome {
            rng,
            cv,
            script,
            site,
        }
    }
    fn s(&self, simplified: &str) -> String {
        self.cv
            .to_script(simplified, Script::Simplified, self.script)
    }
    fn domain(&mut self) -> String {
        let letters: String = (0..self.rng.range(4, 8))
            .map(|_| (b'a' + self.rng.below(26) as u8) as char)
            .collect();
        format!(
            "www.{letters}.{}",
            self.rng.pick(&["com", "cn", "com.cn", "net"])
        )
    }
    fn timestamp(&mut self) -> String {
        format!(
            "{}-{:02}-{:02} {:02}:{:02}",
            self.rng.range(2015, 2024),
            self.rng.range(1, 12),
            self.rng.range(1, 28),
            self.rng.range(6, 23),
            self.rng.range(0, 59)
        )
    }
    fn breadcrumb(&mut self) -> String {
        let sep = *self.rng.pick(&[" > ", " » ", " / ", ">"]);
        let a = *self.rng.pick(SECTIONS);
        let b = *self.rng.pick(SECTIONS);
        self.s(&format!("首页{sep}{a}{sep}{b}"))
    }
    fn font_bar(&mut self) -> String {
        let v = [
            "字号：默认 超大 | 打印 | 关闭",
            "字号：大 中 小 | 打印本页 | 关闭窗口",
            "【字体：大 中 小】【打印】【关闭】",
            "分享到： 微博 微信 QQ空间 | 打印",
        ];
        let pick = *self.rng.pick(&v);
        self.s(pick)
    }
    fn source_line(&mut self) -> String {
        let ts = self.timestamp();
        let site = self.site.clone();
        let v = format!("{ts} 来源：{site}");
        let w = format!("发布时间：{ts}  来源：{site}  作者：编辑部");
        let pick = if self.rng.chance(0.5) { v } else { w };
        self.s(&pick)
    }
    fn footer(&mut self) -> Vec<String> {
        let prov = *self.rng.pick(&["京", "沪", "粤", "浙", "鲁", "湘", "川"]);
        let icp = format!(
            "{prov}ICP备{}号-{}",
            self.rng.range(10_000_000, 99_999_999),
            self.rng.range(1, 9)
        );
        let mut lines = vec![
            format!(
                "Copyright © {} {} 版权所有",
                self.rng.range(2010, 2024),
                self.site
            ),
            icp,
            "关于我们 | 联系我们 | 网站地图 | 广告服务".to_string(),
            format!(
                "联系电话：0{}-{}",
                self.rng.range(10, 99),
                self.rng.range(1_000_000, 9_999_999)
            ),
            "责任编辑：李明".to_string(),
        ];
        self.rng.shuffle(&mut lines);
        let k = self.rng.range(2, lines.len());
        lines.truncate(k);
        lines.iter().map(|l| self.s(l)).collect()
    }
    /// Lines above the text: breadcrumbs, bars, the title (sometimes with a URL or language
    /// switch glued to it, sometimes twice), a source line, `导读`.
    fn header(&mut self, title: &str) -> Vec<String> {
        let mut top = vec![self.s(&self.site.clone()), self.breadcrumb()];
        if self.rng.chance(0.5) {
            let slogan = *self.rng.pick(SLOGANS);
            top.push(self.s(slogan));
        }
        self.rng.shuffle(&mut top);
        let glued = match self.rng.below(3) {
            0 => format!("{title}{}", self.s("简体版")),
            1 => format!("{title}{}", self.domain()),
            _ => title.to_string(),
        };
        top.push(glued);
        let mut rest = vec![self.source_line(), self.font_bar()];
        self.rng.shuffle(&mut rest);
        top.extend(rest);
        if self.rng.chance(0.5) {
            top.push(self.s("导读"));
        }
        if self.rng.chance(0.5) {
            top.push(title.to_string());
        }
        top
    }
    /// Lines below the text: share bar, `查看原文`, footer.
    fn trailer(&mut self) -> Vec<String> {
        let mut v = vec![];
        if self.rng.chance(0.6) {
            v.push(self.s("查看原文"));
        }
        v.push(self.font_bar());
        v.extend(self.footer());
        v
    }
}

// ---------------------------------------------------------------------------------------------
// Faults

/// One injected fault, located in the generated files.
#[derive(Clone, Debug)]
pub struct Truth {
    /// The witness file name (relative to the corpus `faults/` folder).
    pub file: String,
    /// First line (1-based) of the fault in that file.
    pub line: usize,
    /// Last line (1-based).
    pub end_line: usize,
    /// The fault kind (`number`, `loop`, …).
    pub kind: String,
    /// Accepted rule ids or categories (`*` is a wildcard; `altered-event/number`, `loop/*`).
    pub accept: Vec<String>,
    /// The injected text as it stands in the file (empty for an absence).
    pub text: String,
}

impl Truth {
    /// One JSON object (a JSON Lines row).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "file": self.file, "line": self.line, "end_line": self.end_line, "kind": self.kind,
            "accept": self.accept, "text": self.text,
        })
    }
}

/// Whether a finding's `rule` or `category` is among `accept` (`*` matches any run of characters).
pub fn accepts(accept: &[String], rule: &str, category: &str) -> bool {
    accept.iter().any(|a| glob(a, rule) || glob(a, category))
}

fn glob(pat: &str, s: &str) -> bool {
    match pat.split_once('*') {
        None => pat == s,
        Some((pre, post)) => {
            s.starts_with(pre) && s.len() >= pre.len() + post.len() && {
                let rest = &s[pre.len()..];
                if post.contains('*') {
                    (0..=rest.len())
                        .filter(|i| rest.is_char_boundary(*i))
                        .any(|i| glob(post, &rest[i..]))
                } else {
                    rest.ends_with(post)
                }
            }
        }
    }
}

/// Every fault kind the generator injects.
pub const FAULT_KINDS: &[&str] = &[
    "number",
    "date",
    "dropped",
    "inserted",
    "moved",
    "loop",
    "title",
    "name",
    "negation",
    "ocr",
    "converter",
    "missing-heading",
    "page-split",
    "replacement-char",
    "mojibake",
    "annotation",
    "dateline",
    "byline",
];

/// The accepted rule ids / categories of a fault kind.
pub fn accepted(kind: &str, script: Script) -> Vec<String> {
    let v: &[&str] = match kind {
        "number" | "date" => &["altered-event/number"],
        "dropped" => &["dropped-event/missing-unit"],
        "inserted" => &["inserted-event/extra-unit"],
        "moved" => &["date-structure/moved", "date-structure/misfiled"],
        "loop" => &["loop/*"],
        "title" => &["title"],
        "name" => &["altered-event/name"],
        "negation" => &["altered-event/negation"],
        "ocr" => &["substitution/ocr"],
        "converter" if script == Script::Simplified => &["substitution", "encoding/mixed-script"],
        "converter" => &["substitution"],
        "missing-heading" => &["date-structure/missing-heading"],
        "page-split" => &["layout/*"],
        "replacement-char" | "mojibake" => &["encoding"],
        "annotation" => &["encoding", "*annotation*"],
        "dateline" | "byline" => &["provenance"],
        _ => &[],
    };
    v.iter().map(|s| s.to_string()).collect()
}

/// A paragraph of a witness being built: tombstones keep indices stable while faults are placed.
#[derive(Clone, Debug)]
struct WPara {
    text: String,
    kind: Kind,
    widths: Vec<usize>,
    tight: bool,
    /// Dropped: not rendered; its markers (an absence) go to the next paragraph.
    gone: bool,
    /// Paragraphs inserted after this one.
    after: Vec<(String, Kind)>,
}

impl From<&Para> for WPara {
    fn from(p: &Para) -> Self {
        WPara {
            text: p.text.clone(),
            kind: p.kind,
            widths: p.widths.clone(),
            tight: p.tight,
            gone: false,
            after: vec![],
        }
    }
}

/// A fault placed in the paragraphs, not yet located in lines.
#[derive(Clone, Debug)]
struct Planted {
    id: usize,
    kind: &'static str,
    /// The witness's script (the accepted categories of a converter slip depend on it).
    script: Script,
    text: String,
    point: bool,
}

/// Shared data for the fault functions.
struct FaultCtx<'a> {
    rng: &'a mut Rng,
    cv: &'a Converters,
    script: Script,
    events: Vec<String>,
    confusables: Vec<Vec<char>>,
    /// The offices the text names (for swapping one for another).
    offices: Vec<&'static str>,
}

const TRANSLIT: &str = "阿埃艾安奥奧巴贝貝比波伯布达達德迪蒂多杜尔爾菲费費弗福戈格古哈赫霍基吉加卡凯凱坎科克库庫拉莱萊兰蘭勒雷里利林卢盧鲁魯罗羅洛马馬迈邁米莫穆纳納内內尼诺諾帕佩皮普齐齊切萨薩塞桑森什斯索塔泰特提图圖托瓦维維沃西希谢謝雅亚亞伊因尤约約扎兹茲祖佐";
const TRANSLIT_NEUTRAL: &str = "阿埃艾安巴比波伯布德迪蒂多杜菲弗福戈格古哈赫霍基吉加卡坎科克拉勒雷里利林洛米莫穆尼帕佩皮普切塞桑森什斯索塔泰特提托瓦沃西希雅伊因尤扎祖佐";
const OFFICES: &[&str] = &[
    "總理",
    "总理",
    "總統",
    "总统",
    "主席",
    "部長",
    "部长",
    "秘書長",
    "秘书长",
    "總幹事",
    "总干事",
    "外長",
    "外长",
    "首相",
    "國務卿",
    "国务卿",
    "委員長",
    "委员长",
    "大使",
    "主任",
];
const NEG_VERBS: &[(&str, &str)] = &[
    ("支持", "不"),
    ("同意", "不"),
    ("願意", "不"),
    ("愿意", "不"),
    ("接受", "不"),
    ("發布", "未"),
    ("发布", "未"),
    ("提供", "未"),
    ("通報", "未"),
    ("通报", "未"),
    ("派出", "未"),
    ("舉行", "未"),
    ("举行", "未"),
    ("召開", "未"),
    ("召开", "未"),
    ("參加", "未"),
    ("参加", "未"),
];
/// One-to-many traditional characters a converter gets wrong: (right, wrong).
const CONVERTER_TRAD: &[(char, char)] = &[
    ('復', '覆'),
    ('發', '髮'),
    ('於', '于'),
    ('後', '后'),
    ('範', '范'),
    ('準', '准'),
    ('製', '制'),
    ('幹', '干'),
];
/// Simplified characters and the traditional form a half-done conversion leaves in.
const CONVERTER_SIMP: &[(char, char)] = &[
    ('国', '國'),
    ('发', '發'),
    ('会', '會'),
    ('经', '經'),
    ('卫', '衛'),
    ('组', '組'),
    ('织', '織'),
    ('员', '員'),
];
/// Pinyin for the annotation-residue fault (both scripts).
const PINYIN: &[(&str, &str)] = &[
    ("国國", "guó"),
    ("务務", "wù"),
    ("院", "yuàn"),
    ("中", "zhōng"),
    ("人", "rén"),
    ("民", "mín"),
    ("会會", "huì"),
    ("家", "jiā"),
    ("卫衛", "wèi"),
    ("生", "shēng"),
    ("健", "jiàn"),
    ("康", "kāng"),
    ("委", "wěi"),
    ("员員", "yuán"),
    ("组組", "zǔ"),
    ("织織", "zhī"),
    ("世", "shì"),
    ("界", "jiè"),
    ("总總", "zǒng"),
    ("理", "lǐ"),
    ("主", "zhǔ"),
    ("席", "xí"),
    ("部", "bù"),
    ("长長", "zhǎng"),
    ("发發", "fā"),
    ("布", "bù"),
    ("外", "wài"),
    ("交", "jiāo"),
    ("新", "xīn"),
    ("闻聞", "wén"),
    ("疫", "yì"),
    ("情", "qíng"),
    ("防", "fáng"),
    ("控", "kòng"),
    ("合", "hé"),
    ("作", "zuò"),
    ("表", "biǎo"),
    ("示", "shì"),
    ("病", "bìng"),
    ("毒", "dú"),
    ("肺", "fèi"),
    ("炎", "yán"),
    ("际際", "jì"),
    ("专專", "zhuān"),
    ("门門", "mén"),
    ("医醫", "yī"),
    ("疗療", "liáo"),
    ("队隊", "duì"),
    ("科", "kē"),
    ("学學", "xué"),
    ("研", "yán"),
    ("究", "jiū"),
    ("所", "suǒ"),
    ("省", "shěng"),
    ("市", "shì"),
    ("举舉", "jǔ"),
    ("行", "xíng"),
    ("开開", "kāi"),
    ("议議", "yì"),
    ("通", "tōng"),
    ("电電", "diàn"),
    ("话話", "huà"),
    ("经經", "jīng"),
    ("验驗", "yàn"),
    ("分", "fēn"),
    ("享", "xiǎng"),
    ("技", "jì"),
    ("术術", "shù"),
    ("工", "gōng"),
    ("方", "fāng"),
    ("案", "àn"),
    ("检檢", "jiǎn"),
    ("测測", "cè"),
    ("物", "wù"),
    ("资資", "zī"),
    ("援", "yuán"),
    ("助", "zhù"),
    ("加", "jiā"),
    ("强強", "qiáng"),
    ("应應", "yìng"),
    ("对對", "duì"),
    ("同", "tóng"),
    ("领領", "lǐng"),
    ("导導", "dǎo"),
    ("习習", "xí"),
    ("近", "jìn"),
    ("平", "píng"),
    ("李", "lǐ"),
    ("克", "kè"),
    ("京", "jīng"),
    ("北", "běi"),
    ("湖", "hú"),
    ("武", "wǔ"),
    ("汉漢", "hàn"),
    ("政", "zhèng"),
    ("府", "fǔ"),
    ("公", "gōng"),
    ("共", "gòng"),
    ("安", "ān"),
    ("全", "quán"),
    ("社", "shè"),
    ("报報", "bào"),
    ("告", "gào"),
];

fn pinyin(c: char) -> Option<&'static str> {
    PINYIN
        .iter()
        .find(|(cs, _)| cs.contains(c))
        .map(|(_, p)| *p)
}

/// The confusable sets of `rules/confusables.toml` (simplified forms).
fn confusable_sets() -> Vec<Vec<char>> {
    include_str!("../../rules/confusables.toml")
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("chars = \"")?
                .strip_suffix('"')
                .map(|s| s.chars().collect())
        })
        .collect()
}

/// Replace chars `a..b` of paragraph text `t` with `new`, marked as fault `id`.
fn splice(t: &str, a: usize, b: usize, id: usize, new: &str) -> String {
    let cs: Vec<char> = t.chars().collect();
    let pre: String = cs[..a].iter().collect();
    let post: String = cs[b..].iter().collect();
    format!("{pre}{}{post}", marked(id, new))
}

fn clean_span(cs: &[char], a: usize, b: usize) -> bool {
    b <= cs.len() && cs[a..b].iter().all(|c| !is_mark(*c))
}

/// Place fault `kind` at paragraph `i`; returns the injected text (empty for an absence) and
/// whether it is a point (an absence), or `None` when the paragraph does not fit the kind.
fn inject(
    kind: &'static str,
    ps: &mut [WPara],
    i: usize,
    id: usize,
    cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    match kind {
        "number" => fault_number(ps, i, id, cx),
        "date" => fault_date(ps, i, id, cx),
        "dropped" => fault_dropped(ps, i, id, cx),
        "inserted" => fault_inserted(ps, i, id, cx),
        "moved" => fault_moved(ps, i, id, cx),
        "loop" => fault_loop(ps, i, id, cx),
        "title" => fault_title(ps, i, id, cx),
        "name" => fault_name(ps, i, id, cx),
        "negation" => fault_negation(ps, i, id, cx),
        "ocr" => fault_ocr(ps, i, id, cx),
        "converter" => fault_converter(ps, i, id, cx),
        "missing-heading" => fault_missing_heading(ps, i, id, cx),
        "page-split" => fault_page_split(ps, i, id, cx),
        "replacement-char" => fault_replacement_char(ps, i, id, cx),
        "mojibake" => fault_mojibake(ps, i, id, cx),
        "annotation" => fault_annotation(ps, i, id, cx),
        "dateline" => fault_dateline(ps, i, id, cx),
        "byline" => fault_byline(ps, i, id, cx),
        _ => None,
    }
}

/// A digit of a number (not part of a date or time) changed.
fn fault_number(
    ps: &mut [WPara],
    i: usize,
    id: usize,
    cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    let p = &ps[i];
    let cs: Vec<char> = ps[i].text.chars().collect();
    let content = ps[i].kind != Kind::Heading && !ps[i].gone;
    if !content {
        return None;
    }
    let runs = digit_runs(&cs)
        .into_iter()
        .filter(|(a, b)| {
            let next = cs.get(*b).copied().unwrap_or(' ');
            let prev = if *a > 0 { cs[*a - 1] } else { ' ' };
            !"年月日时時点點号號.．:：%-/".contains(next) && !"./．-:".contains(prev)
        })
        .collect::<Vec<_>>();
    if runs.is_empty() {
        return None;
    }
    let (a, b) = *cx.rng.pick(&runs);
    let mut digits: Vec<char> = cs[a..b].to_vec();
    let k = digits.len() - 1;
    let d = digits[k].to_digit(10)? as usize;
    digits[k] = char::from_digit(((d + cx.rng.range(1, 8)) % 10) as u32, 10)?;
    let new: String = digits.iter().collect();
    ps[i].text = splice(&p.text, a, b, id, &new);
    Some((new, false))
}

/// The day of a date inside an event changed.
fn fault_date(ps: &mut [WPara], i: usize, id: usize, cx: &mut FaultCtx) -> Option<(String, bool)> {
    let p = &ps[i];
    let cs: Vec<char> = ps[i].text.chars().collect();
    let content = ps[i].kind != Kind::Heading && !ps[i].gone;
    if !content {
        return None;
    }
    let mut spots = vec![];
    for (a, b) in digit_runs(&cs) {
        if a > 0
            && cs[a - 1] == '月'
            && cs.get(b) == Some(&'日')
            && !matches!(cs.get(b + 1), Some('電' | '电'))
        {
            spots.push((a, b));
        }
    }
    if spots.is_empty() {
        return None;
    }
    let (a, b) = *cx.rng.pick(&spots);
    let day: usize = cs[a..b].iter().collect::<String>().parse().ok()?;
    let new_day = (day.saturating_sub(1) + cx.rng.range(1, 5)) % 28 + 1;
    if new_day == day {
        return None;
    }
    let new = new_day.to_string();
    ps[i].text = splice(&p.text, a, b, id, &new);
    Some((new, false))
}

/// An event left out (an absence: its truth is where it should stand).
fn fault_dropped(
    ps: &mut [WPara],
    i: usize,
    id: usize,
    _cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    let p = &ps[i];
    if p.kind != Kind::Event || p.gone || !p.after.is_empty() {
        return None;
    }
    ps[i].gone = true;
    ps[i].text = start_mark(id).to_string();
    Some((String::new(), true))
}

/// A new event after this one, made of the first clause of one event and the rest of another.
fn fault_inserted(
    ps: &mut [WPara],
    i: usize,
    id: usize,
    cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    let p = &ps[i];
    if p.kind != Kind::Event || cx.events.len() < 3 {
        return None;
    }
    let a = cx.rng.pick(&cx.events).clone();
    let b = cx.rng.pick(&cx.events).clone();
    let (ha, _) = a.split_once('，')?;
    let (_, tb) = b.split_once('，')?;
    let new = format!("{ha}，{tb}");
    // The borrowed head is the shorter part, so the new event is not a reworded copy of one.
    let (nh, nt) = (ha.chars().count(), tb.chars().count());
    if new == a || new == b || nh < 6 || nt < 10 || nh > nt {
        return None;
    }
    ps[i].after.push((marked(id, &new), Kind::Event));
    Some((new, false))
}

/// An event moved under a later date heading.
fn fault_moved(
    ps: &mut [WPara],
    i: usize,
    id: usize,
    _cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    let p = &ps[i];
    if p.kind != Kind::Event || p.gone || !p.after.is_empty() {
        return None;
    }
    let j = (i + 2..(i + 7).min(ps.len()))
        .find(|&j| ps[j].kind == Kind::Heading && !ps[j].gone && ps[j].after.is_empty())?;
    let text = p.text.clone();
    ps[i].gone = true;
    ps[i].text = String::new();
    ps[j].after.push((marked(id, &text), Kind::Event));
    Some((text, false))
}

/// A clause repeated back to back, 3 or 4 times in all.
fn fault_loop(ps: &mut [WPara], i: usize, id: usize, cx: &mut FaultCtx) -> Option<(String, bool)> {
    let p = &ps[i];
    let cs: Vec<char> = ps[i].text.chars().collect();
    let content = ps[i].kind != Kind::Heading && !ps[i].gone;
    if !content {
        return None;
    }
    let clauses = clause_spans(&cs);
    let fit: Vec<_> = clauses
        .into_iter()
        .filter(|(a, b)| (4..=16).contains(&(b - a)) && clean_span(&cs, *a, *b))
        .collect();
    if fit.is_empty() {
        return None;
    }
    let (a, b) = *cx.rng.pick(&fit);
    let clause: String = cs[a..b].iter().collect();
    let copies = clause.repeat(cx.rng.range(2, 3));
    let new = format!("{clause}{copies}");
    ps[i].text = splice(&p.text, a, b, id, &new);
    Some((new, false))
}

/// 副 added before an office, or the office swapped for another the text names.
fn fault_title(ps: &mut [WPara], i: usize, id: usize, cx: &mut FaultCtx) -> Option<(String, bool)> {
    let p = &ps[i];
    let content = ps[i].kind != Kind::Heading && !ps[i].gone;
    if !content {
        return None;
    }
    let t = &p.text;
    let (pos, off) = OFFICES
        .iter()
        .filter_map(|o| t.find(o).map(|x| (x, *o)))
        .min()?;
    let prev = t[..pos].chars().last().unwrap_or(' ');
    if matches!(prev, '副' | '總' | '总' | '主') {
        return None;
    }
    let a = t[..pos].chars().count();
    let b = a + off.chars().count();
    // Half the time 副 before the office, else another office the text itself names.
    let others: Vec<&str> = cx
        .offices
        .iter()
        .copied()
        .filter(|o| *o != off && !o.contains(off) && !off.contains(o))
        .collect();
    let new = if others.is_empty() || cx.rng.chance(0.5) {
        format!("副{off}")
    } else {
        cx.rng.pick(&others).to_string()
    };
    ps[i].text = splice(t, a, b, id, &new);
    Some((new, false))
}

/// One character of a transliterated name changed.
fn fault_name(ps: &mut [WPara], i: usize, id: usize, cx: &mut FaultCtx) -> Option<(String, bool)> {
    let p = &ps[i];
    let cs: Vec<char> = ps[i].text.chars().collect();
    let content = ps[i].kind != Kind::Heading && !ps[i].gone;
    if !content {
        return None;
    }
    let set: Vec<char> = TRANSLIT.chars().collect();
    let mut runs = vec![];
    let mut s = 0;
    for k in 0..=cs.len() {
        if k == cs.len() || !set.contains(&cs[k]) {
            if k - s >= 3 {
                runs.push((s, k));
            }
            s = k + 1;
        }
    }
    if runs.is_empty() {
        return None;
    }
    let (a, b) = *cx.rng.pick(&runs);
    let at = cx.rng.range(a + 1, b - 1);
    let neutral: Vec<char> = TRANSLIT_NEUTRAL.chars().collect();
    let mut c = *cx.rng.pick(&neutral);
    while c == cs[at] {
        c = *cx.rng.pick(&neutral);
    }
    ps[i].text = splice(&p.text, at, at + 1, id, &c.to_string());
    Some((c.to_string(), false))
}

/// A negator before a verb removed, or 不/未 inserted.
fn fault_negation(
    ps: &mut [WPara],
    i: usize,
    id: usize,
    _cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    let p = &ps[i];
    let content = ps[i].kind != Kind::Heading && !ps[i].gone;
    if !content {
        return None;
    }
    let t = &p.text;
    // A negator before a verb is removed when there is one, else one is inserted.
    let removable = NEG_VERBS
        .iter()
        .filter_map(|(v, _)| {
            ["不", "未"]
                .iter()
                .find_map(|n| t.find(&format!("{n}{v}")).map(|x| (x, *n, *v)))
        })
        .min();
    if let Some((pos, n, v)) = removable {
        let a = t[..pos].chars().count();
        let b = a + n.chars().count() + v.chars().count();
        ps[i].text = splice(t, a, b, id, v);
        return Some((v.to_string(), false));
    }
    let (pos, v, neg) = NEG_VERBS
        .iter()
        .filter_map(|(v, n)| t.find(v).map(|x| (x, *v, *n)))
        .min()?;
    let prev = t[..pos].chars().last().unwrap_or(' ');
    if "不未没沒非無无".contains(prev) {
        return None;
    }
    let a = t[..pos].chars().count();
    let b = a + v.chars().count();
    let new = format!("{neg}{v}");
    ps[i].text = splice(t, a, b, id, &new);
    Some((new, false))
}

/// A character swapped for a confusable one (rules/confusables.toml).
fn fault_ocr(ps: &mut [WPara], i: usize, id: usize, cx: &mut FaultCtx) -> Option<(String, bool)> {
    let p = &ps[i];
    let cs: Vec<char> = ps[i].text.chars().collect();
    let content = ps[i].kind != Kind::Heading && !ps[i].gone;
    if !content {
        return None;
    }
    let mut spots = vec![];
    for (k, c) in cs.iter().enumerate() {
        let near_digit = (k > 0 && cs[k - 1].is_ascii_digit())
            || cs.get(k + 1).is_some_and(|d| d.is_ascii_digit());
        if near_digit || "未末不于干千日曰".contains(*c) {
            continue;
        }
        if let Some(set) = cx.confusables.iter().find(|s| s.contains(c)) {
            spots.push((k, set.clone()));
        }
    }
    if spots.is_empty() {
        return None;
    }
    let (k, set) = cx.rng.pick(&spots).clone();
    let others: Vec<char> = set.iter().copied().filter(|x| *x != cs[k]).collect();
    let c = *cx.rng.pick(&others);
    ps[i].text = splice(&p.text, k, k + 1, id, &c.to_string());
    Some((c.to_string(), false))
}

/// A one-to-many converter slip: 復→覆 … in traditional text, a traditional form left in simplified.
fn fault_converter(
    ps: &mut [WPara],
    i: usize,
    id: usize,
    cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    let p = &ps[i];
    let cs: Vec<char> = ps[i].text.chars().collect();
    let content = ps[i].kind != Kind::Heading && !ps[i].gone;
    if !content {
        return None;
    }
    let table = if cx.script == Script::Traditional {
        CONVERTER_TRAD
    } else {
        CONVERTER_SIMP
    };
    let spots: Vec<(usize, char)> = cs
        .iter()
        .enumerate()
        .filter_map(|(k, c)| table.iter().find(|(r, _)| r == c).map(|(_, w)| (k, *w)))
        .collect();
    if spots.is_empty() {
        return None;
    }
    let (k, w) = *cx.rng.pick(&spots);
    ps[i].text = splice(&p.text, k, k + 1, id, &w.to_string());
    Some((w.to_string(), false))
}

/// A date heading deleted (an absence at the first event of its day).
fn fault_missing_heading(
    ps: &mut [WPara],
    i: usize,
    id: usize,
    _cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    let p = &ps[i];
    if p.kind != Kind::Heading || p.gone || !p.after.is_empty() {
        return None;
    }
    let next = ps.get(i + 1)?;
    if next.kind != Kind::Event
        || next.gone
        || i == 0
        || !ps[..i].iter().any(|q| q.kind == Kind::Heading)
    {
        return None;
    }
    ps[i].gone = true;
    ps[i].text = start_mark(id).to_string();
    Some((String::new(), true))
}

/// The paragraph split by a blank line and a page mark.
fn fault_page_split(
    ps: &mut [WPara],
    i: usize,
    id: usize,
    cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    let p = &ps[i];
    let cs: Vec<char> = ps[i].text.chars().collect();
    let content = ps[i].kind != Kind::Heading && !ps[i].gone;
    if !content || cs.len() < 40 || !p.after.is_empty() || !clean_span(&cs, 0, cs.len()) {
        return None;
    }
    let k = cx.rng.range(cs.len() / 3, 2 * cs.len() / 3);
    let first: String = cs[..k].iter().collect();
    let second: String = cs[k..].iter().collect();
    let page = cx.rng.range(2, 16);
    let mark = match cx.rng.below(3) {
        0 => format!("（下转第{}版）", page + 1),
        1 => format!("— {page} —"),
        _ => format!("（上接第{page}版）"),
    };
    ps[i].text = format!("{first}{}", start_mark(id));
    // A blank line and the page mark, whatever the layout does with paragraph breaks.
    ps[i].after.push((format!("\n{mark}\n"), Kind::Para));
    ps[i]
        .after
        .push((format!("{}{second}", end_mark(id)), Kind::Para));
    Some((mark, false))
}

/// A run of U+FFFD replacing characters.
fn fault_replacement_char(
    ps: &mut [WPara],
    i: usize,
    id: usize,
    cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    let p = &ps[i];
    let cs: Vec<char> = ps[i].text.chars().collect();
    let content = ps[i].kind != Kind::Heading && !ps[i].gone;
    let spots = han_runs(&cs, 6);
    if !content || spots.is_empty() {
        return None;
    }
    let (a, _) = *cx.rng.pick(&spots);
    let n = cx.rng.range(2, 4);
    let new = "\u{FFFD}".repeat(n);
    ps[i].text = splice(&p.text, a + 1, a + 1 + n, id, &new);
    Some((new, false))
}

/// A phrase's Big5 or GBK bytes read as cp1252.
fn fault_mojibake(
    ps: &mut [WPara],
    i: usize,
    id: usize,
    cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    let p = &ps[i];
    let cs: Vec<char> = ps[i].text.chars().collect();
    let content = ps[i].kind != Kind::Heading && !ps[i].gone;
    let spots = han_runs(&cs, 6);
    if !content || spots.is_empty() {
        return None;
    }
    let (a, _) = *cx.rng.pick(&spots);
    let n = cx.rng.range(3, 6);
    let phrase: String = cs[a..a + n].iter().collect();
    let enc = if cx.script == Script::Traditional {
        encoding_rs::BIG5
    } else {
        encoding_rs::GBK
    };
    let (bytes, _, bad) = enc.encode(&phrase);
    if bad {
        return None;
    }
    let (new, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let new = new.into_owned();
    ps[i].text = splice(&p.text, a, a + n, id, &new);
    Some((new, false))
}

/// Pinyin in parentheses after 3–6 characters (scraped ruby text).
fn fault_annotation(
    ps: &mut [WPara],
    i: usize,
    id: usize,
    cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    let p = &ps[i];
    let cs: Vec<char> = ps[i].text.chars().collect();
    let content = ps[i].kind != Kind::Heading && !ps[i].gone;
    if !content {
        return None;
    }
    let mut runs = vec![];
    let mut s = 0;
    for k in 0..=cs.len() {
        if k == cs.len() || pinyin(cs[k]).is_none() {
            if k - s >= 3 {
                runs.push((s, k));
            }
            s = k + 1;
        }
    }
    if runs.is_empty() {
        return None;
    }
    let (a, b) = *cx.rng.pick(&runs);
    let n = cx.rng.range(3, 6).min(b - a);
    let new: String = cs[a..a + n]
        .iter()
        .map(|c| format!("{c}({})", pinyin(*c).unwrap_or("")))
        .collect();
    ps[i].text = splice(&p.text, a, a + n, id, &new);
    Some((new, false))
}

/// The day of the dateline (…日電) changed.
fn fault_dateline(
    ps: &mut [WPara],
    i: usize,
    id: usize,
    cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    let p = &ps[i];
    let cs: Vec<char> = ps[i].text.chars().collect();
    let mut spot = None;
    for (a, b) in digit_runs(&cs) {
        if a > 0
            && cs[a - 1] == '月'
            && cs.get(b) == Some(&'日')
            && matches!(cs.get(b + 1), Some('電' | '电'))
        {
            spot = Some((a, b));
        }
    }
    let (a, b) = spot?;
    let day: usize = cs[a..b].iter().collect::<String>().parse().ok()?;
    let new_day = (day.saturating_sub(1) + cx.rng.range(1, 5)) % 28 + 1;
    let new = new_day.to_string();
    ps[i].text = splice(&p.text, a, b, id, &new);
    Some((new, false))
}

/// The agency of a byline (…記者) swapped for another.
fn fault_byline(
    ps: &mut [WPara],
    i: usize,
    id: usize,
    cx: &mut FaultCtx,
) -> Option<(String, bool)> {
    let p = &ps[i];
    let t = p.text.trim();
    let n = t.chars().count();
    let head = t.strip_suffix("記者").or_else(|| t.strip_suffix("记者"))?;
    if n > 14 || head.is_empty() {
        return None;
    }
    let trad = cx.script == Script::Traditional;
    let agencies: &[&str] = if trad {
        &["人民日報", "中新社", "光明日報", "經濟日報"]
    } else {
        &["人民日报", "中新社", "光明日报", "经济日报"]
    };
    let ag = *cx.rng.pick(agencies);
    if ag == head {
        return None;
    }
    let a = 0;
    let b = head.chars().count();
    ps[i].text = splice(t, a, b, id, ag);
    Some((ag.to_string(), false))
}

fn digit_runs(cs: &[char]) -> Vec<(usize, usize)> {
    let mut v = vec![];
    let mut k = 0;
    while k < cs.len() {
        if cs[k].is_ascii_digit() {
            let s = k;
            while k < cs.len() && cs[k].is_ascii_digit() {
                k += 1;
            }
            v.push((s, k));
        } else {
            k += 1;
        }
    }
    v
}

/// Spans of clauses (between sentence or clause punctuation).
fn clause_spans(cs: &[char]) -> Vec<(usize, usize)> {
    let mut v = vec![];
    let mut s = 0;
    for (k, c) in cs.iter().enumerate() {
        if "，。；：、,;:！？◆".contains(*c) {
            if k > s {
                v.push((s, k));
            }
            s = k + 1;
        }
    }
    v
}

/// Starts of runs of at least `n` Han characters (no markers), as (start, run end).
fn han_runs(cs: &[char], n: usize) -> Vec<(usize, usize)> {
    let mut v = vec![];
    let mut s = 0;
    for k in 0..=cs.len() {
        if k == cs.len() || !is_han(cs[k]) {
            if k - s >= n {
                v.push((s, k));
            }
            s = k + 1;
        }
    }
    v
}

// ---------------------------------------------------------------------------------------------
// Locating the markers

/// Find every planted fault in the files, make its truth, and strip the markers. A fault whose
/// markers are not both in one file (cut off at a fragment's edge) has no truth.
fn locate(files: &mut [(String, String)], planted: &[(String, Planted)]) -> Vec<Truth> {
    let mut starts: HashMap<usize, (usize, usize)> = HashMap::new();
    let mut ends: HashMap<usize, (usize, usize)> = HashMap::new();
    for (fi, (_, text)) in files.iter().enumerate() {
        for (li, line) in text.lines().enumerate() {
            for c in line.chars().filter(|c| is_mark(*c)) {
                let u = c as u32;
                if u >= 0x10_0000 {
                    ends.insert((u - 0x10_0000) as usize, (fi, li + 1));
                } else {
                    starts.insert((u - 0xF0000) as usize, (fi, li + 1));
                }
            }
        }
    }
    let mut truth = vec![];
    for (_, p) in planted {
        let Some(&(fs, ls)) = starts.get(&p.id) else {
            continue;
        };
        let (fe, le) = if p.point {
            (fs, ls)
        } else {
            ends.get(&p.id).copied().unwrap_or((usize::MAX, 0))
        };
        if fe != fs {
            continue;
        }
        truth.push(Truth {
            file: files[fs].0.clone(),
            line: ls,
            end_line: le,
            kind: p.kind.to_string(),
            accept: accepted(p.kind, p.script),
            text: p.text.clone(),
        });
    }
    for (_, text) in files.iter_mut() {
        *text = strip_marks(text);
    }
    truth.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    truth
}

// ---------------------------------------------------------------------------------------------
// Building witnesses

/// A generated corpus.
pub struct Corpus {
    /// The reference copy (the clean text as given).
    pub reference: String,
    /// The clean text in the other script (t2s of a traditional text, s2t of a simplified one).
    pub other_script: String,
    /// The script of the clean text.
    pub script: Script,
    /// The standard s2t conversion of the simplified form (carries the converter's own slips).
    pub converted: String,
    /// Clean layouts: (file name, text).
    pub layouts: Vec<(String, String)>,
    /// Witnesses with faults: (file name, text).
    pub faults: Vec<(String, String)>,
    /// Where each fault is.
    pub truth: Vec<Truth>,
}

/// The paragraphs of `src` converted to another script or regional variant.
fn convert_paras(paras: &[Para], f: &dyn Fn(&str) -> String) -> Vec<Para> {
    paras
        .iter()
        .map(|p| Para {
            text: f(&p.text),
            kind: p.kind,
            widths: p.widths.clone(),
            tight: p.tight,
        })
        .collect()
}

/// ASCII punctuation for the full-width marks (，→, 。→. “”→"" …).
pub fn ascii_punct(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '，' => ',',
            '。' => '.',
            '“' | '”' | '「' | '」' => '"',
            '；' => ';',
            '：' => ':',
            '（' => '(',
            '）' => ')',
            '！' => '!',
            '？' => '?',
            c => c,
        })
        .collect()
}

/// A variant of the text: its script and paragraphs.
struct Variant {
    name: &'static str,
    script: Script,
    title: String,
    paras: Vec<Para>,
}

fn variants(src: &Source, script: Script, cv: &Converters) -> Vec<Variant> {
    let simp: Vec<Para> = if script == Script::Simplified {
        src.paras.clone()
    } else {
        convert_paras(&src.paras, &|t| cv.t2s.convert(t))
    };
    let simp_title = if script == Script::Simplified {
        src.title.clone()
    } else {
        cv.t2s.convert(&src.title)
    };
    let other = if script == Script::Simplified {
        Script::Traditional
    } else {
        Script::Simplified
    };
    let other_paras = if script == Script::Simplified {
        convert_paras(&src.paras, &|t| cv.s2t.convert(t))
    } else {
        simp.clone()
    };
    vec![
        Variant {
            name: "same",
            script,
            title: src.title.clone(),
            paras: src.paras.clone(),
        },
        Variant {
            name: "other",
            script: other,
            title: cv.to_script(&src.title, script, other),
            paras: other_paras,
        },
        Variant {
            name: "s2twp",
            script: Script::Traditional,
            title: cv.s2twp.convert(&simp_title),
            paras: convert_paras(&simp, &|t| cv.s2twp.convert(t)),
        },
        Variant {
            name: "s2hk",
            script: Script::Traditional,
            title: cv.s2hk.convert(&simp_title),
            paras: convert_paras(&simp, &|t| cv.s2hk.convert(t)),
        },
    ]
}

fn blocks_of(paras: &[Para]) -> Vec<Block> {
    paras.iter().map(Block::from).collect()
}

fn join(lines: &[String]) -> String {
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

/// A file: the source's front matter and title line, then the body in the source's layout.
fn original_file(src: &Source, title: &str, body: &[String]) -> String {
    let mut s = src.front_matter.clone();
    if src.title_line {
        s.push_str(&format!("\n# {title}\n\n"));
    }
    s.push_str(&join(body));
    s
}

/// A scraped page: chrome above and below the body.
fn chrome_file(
    title: &str,
    body: Vec<String>,
    rng: &mut Rng,
    cv: &Converters,
    script: Script,
) -> String {
    let mut ch = Chrome::new(rng, cv, script);
    let mut lines = ch.header(title);
    lines.extend(body);
    lines.extend(ch.trailer());
    join(&lines)
}

/// A messaging-platform repost: a new headline, account line, `原创`, read count, share bar.
fn repost_file(
    body: Vec<String>,
    rng: &mut Rng,
    cv: &Converters,
    script: Script,
    first: &str,
) -> String {
    let topic: String = first
        .chars()
        .take_while(|c| is_han(*c))
        .take(rng.range(6, 12))
        .collect();
    let head = format!(
        "{}{topic}",
        rng.pick(&["重磅｜", "收藏！", "权威发布：", "速看！", "一文读懂："])
    );
    let account = format!(
        "{}{}",
        rng.pick(SITE_A),
        rng.pick(&["发布", "观察", "微言", "头条"])
    );
    let mut lines = vec![
        head,
        format!(
            "原创 {} {account}",
            rng.pick(&["小编", "编辑部", "融媒体中心"])
        ),
        format!(
            "{account} {}-{:02}-{:02}",
            rng.range(2016, 2024),
            rng.range(1, 12),
            rng.range(1, 28)
        ),
    ];
    if rng.chance(0.5) {
        lines.push("点击上方蓝字关注我们".to_string());
    }
    let mut lines: Vec<String> = lines
        .iter()
        .map(|l| cv.to_script(l, Script::Simplified, script))
        .collect();
    lines.extend(body);
    let tail = [
        format!(
            "阅读 {}",
            if rng.chance(0.5) {
                "10万+".to_string()
            } else {
                rng.range(300, 99_999).to_string()
            }
        ),
        rng.pick(&["点赞 在看 分享", "赞 | 在看 | 转发", "分享 收藏 点赞 在看"])
            .to_string(),
        format!("来源：{account}"),
    ];
    lines.extend(
        tail.iter()
            .map(|l| cv.to_script(l, Script::Simplified, script)),
    );
    join(&lines)
}

/// The first prose paragraph (a repost's new headline borrows its opening words).
fn first_sentence(paras: &[Para]) -> String {
    paras
        .iter()
        .find(|p| p.kind == Kind::Para && p.text.contains(['。', '.']))
        .map(|p| strip_marks(&p.text))
        .unwrap_or_default()
}

/// A photo sidebar: an image's alt text and its caption (the same line twice) between paragraphs.
fn photo_lines(body: Vec<String>, rng: &mut Rng, cv: &Converters, script: Script) -> Vec<String> {
    const SCENES: &[&str] = &[
        "工作人员在仓库分拣援助物资",
        "医护人员在病房内交接班",
        "志愿者在社区入口测量体温",
        "运输车辆在机场停机坪装载货物",
        "专家组在会议室进行视频连线",
    ];
    let mut out = vec![];
    let gap = rng.range(6, 12);
    for (k, l) in body.into_iter().enumerate() {
        out.push(l);
        if k % gap == gap - 1 {
            let cap = format!(
                "图为{}。（{}摄）",
                rng.pick(SCENES),
                rng.pick(&["张伟", "王芳", "刘洋", "陈静"])
            );
            let cap = cv.to_script(&cap, Script::Simplified, script);
            out.push(cap.clone());
            out.push(cap);
        }
    }
    out
}

/// Numbered pages: the body cut at random characters inside events, each page with a running
/// title and a page-number line.
fn pages(
    title: &str,
    blocks: &[Block],
    n_pages: usize,
    rng: &mut Rng,
    style: Style,
    script: Script,
) -> Vec<String> {
    let total: usize = blocks.iter().map(|b| width(&b.text)).sum();
    let per = total / n_pages.max(1) + 1;
    let mut pages: Vec<Vec<Block>> = vec![vec![]];
    let mut acc = 0;
    for b in blocks {
        let w = width(&b.text);
        if acc + w > per && b.kind == Kind::Event && w >= 8 && pages.len() < n_pages {
            let cs: Vec<char> = b.text.chars().collect();
            let k = rng.range(cs.len() / 4, 3 * cs.len() / 4);
            let head: String = cs[..k].iter().collect();
            let tail: String = cs[k..].iter().collect();
            pages.last_mut().expect("page").push(Block {
                text: head,
                ..b.clone()
            });
            pages.push(vec![Block {
                text: tail,
                ..b.clone()
            }]);
            acc = width(&b.text) - k;
        } else {
            pages.last_mut().expect("page").push(b.clone());
            acc += w;
        }
    }
    let n = pages.len();
    pages
        .iter()
        .enumerate()
        .map(|(k, pg)| {
            let mut lines = vec![format!("{title}（{}）", k + 1), String::new()];
            lines.extend(render(pg, style, rng));
            lines.push(String::new());
            let foot = if script == Script::Traditional {
                format!("第{}頁 共{n}頁", k + 1)
            } else {
                format!("第{}页 共{n}页", k + 1)
            };
            lines.push(foot);
            join(&lines)
        })
        .collect()
}

/// A title line, then the body lines.
fn titled(title: &str, gap: bool, body: Vec<String>) -> String {
    let mut lines = vec![title.to_string()];
    if gap {
        lines.push(String::new());
    }
    lines.extend(body);
    join(&lines)
}

/// Make the clean layouts: the text as given, then scraped and printed shapes of it, then its
/// other-script and regional conversions.
fn make_layouts(
    clean: &str,
    vs: &[Variant],
    rng: &mut Rng,
    cv: &Converters,
) -> Vec<(String, String)> {
    let mut out = vec![("original.txt".to_string(), clean.replace("\r\n", "\n"))];
    out.extend(scraped_layouts(&vs[0], rng, cv));
    for v in &vs[1..] {
        let name = match (v.name, v.script) {
            ("other", Script::Simplified) => "simplified",
            ("other", Script::Traditional) => "traditional",
            (n, _) => n,
        };
        let body = render(&blocks_of(&v.paras), Style::Blank, rng);
        out.push((format!("{name}.txt"), titled(&v.title, true, body)));
    }
    out
}

/// The shapes real copies of a text take on web pages, apps and printed pages.
fn scraped_layouts(same: &Variant, rng: &mut Rng, cv: &Converters) -> Vec<(String, String)> {
    let blocks = blocks_of(&same.paras);
    let (t, sc) = (&same.title, same.script);
    let mut out = vec![
        (
            "paragraph-per-line.txt".into(),
            titled(t, false, render(&blocks, Style::PerLine, rng)),
        ),
        (
            "mixed-wrap.txt".into(),
            titled(t, false, render(&blocks, Style::Mixed, rng)),
        ),
    ];
    let body = render(&blocks, Style::PerLine, rng);
    out.push(("chrome.txt".into(), chrome_file(t, body, rng, cv, sc)));
    let body = render(&blocks, Style::Blank, rng);
    out.push(("chrome-blank.txt".into(), chrome_file(t, body, rng, cv, sc)));
    let body = render(&blocks, Style::PerLine, rng);
    out.push((
        "repost.txt".into(),
        repost_file(body, rng, cv, sc, &first_sentence(&same.paras)),
    ));
    let photo = photo_lines(render(&blocks, Style::PerLine, rng), rng, cv, sc);
    out.push(("photo-sidebar.txt".into(), titled(t, false, photo)));
    for (k, page) in pages(t, &blocks, 4, rng, Style::Blank, sc)
        .into_iter()
        .enumerate()
    {
        out.push((format!("pages-{:02}.txt", k + 1), page));
    }
    let ascii: Vec<Block> = blocks
        .iter()
        .map(|b| Block {
            text: ascii_punct(&b.text),
            ..b.clone()
        })
        .collect();
    let body = render(&ascii, Style::PerLine, rng);
    out.push((
        "ascii-punct.txt".into(),
        titled(&ascii_punct(t), false, body),
    ));
    out
}

/// Indices of paragraphs faults may go to: the body from the first heading or event (or the
/// start) to the last event (or the end), so a trailing footer is left alone.
fn body_range(ps: &[Para]) -> (usize, usize) {
    let last = ps
        .iter()
        .rposition(|p| p.kind == Kind::Event)
        .unwrap_or(ps.len().saturating_sub(1));
    (0, last)
}

/// The shape of a fault witness: how much of the text, in which layout.
#[derive(Clone, Copy, Debug)]
struct Shape {
    /// A part of the text cut mid-event at both ends, with a running title.
    fragment: bool,
    /// How paragraphs become lines.
    style: Style,
    /// What the page puts around the text.
    frame: Frame,
}

/// What a page puts around a witness's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frame {
    /// Nothing: a title line and the text.
    Bare,
    /// Breadcrumbs, bars, source line above; share bar and footer below.
    Chrome,
    /// A messaging-platform repost with a new headline.
    Repost,
    /// A photo sidebar: alt text and caption lines between paragraphs.
    Photo,
}

impl Frame {
    /// The file-name suffix.
    fn suffix(self) -> &'static str {
        match self {
            Frame::Bare => "",
            Frame::Chrome => "-chrome",
            Frame::Repost => "-repost",
            Frame::Photo => "-photo",
        }
    }
}

/// The paragraph range a witness keeps: the body, or for a fragment a quarter to a half of it.
fn witness_range(paras: &[Para], fragment: bool, rng: &mut Rng) -> (usize, usize) {
    let (lo, hi) = body_range(paras);
    if fragment && hi > lo + 40 {
        let len = rng.range((hi - lo) / 4, (hi - lo) / 2);
        let s = rng.range(lo + 1, hi - len);
        (s, s + len)
    } else {
        (lo, hi)
    }
}

/// The confusable sets in `script`, leaving out sets the conversion merged (a set must keep
/// distinct characters).
fn confusables_in(script: Script, cv: &Converters) -> Vec<Vec<char>> {
    confusable_sets()
        .into_iter()
        .map(|s| {
            let s: String = s.into_iter().collect();
            cv.to_script(&s, Script::Simplified, script)
                .chars()
                .collect::<Vec<char>>()
        })
        .filter(|s| {
            let mut d = s.clone();
            d.sort();
            d.dedup();
            d.len() == s.len()
        })
        .collect()
}

/// Place each of `kinds` at a random paragraph of `range` that fits it, apart from the others.
fn place_faults(
    ps: &mut [WPara],
    range: (usize, usize),
    kinds: &[&'static str],
    next_id: &mut usize,
    cx: &mut FaultCtx,
) -> Vec<Planted> {
    let mut planted = vec![];
    let mut reserved = vec![false; ps.len()];
    if ps.is_empty() {
        return planted; // an empty text has no place for a fault
    }
    for &kind in kinds {
        let mut cand: Vec<usize> = (range.0..=range.1.min(ps.len() - 1)).collect();
        cx.rng.shuffle(&mut cand);
        for i in cand {
            // Faults stand apart so each can be told from the others; provenance lines are
            // adjacent at the top, so they only reserve themselves.
            let (before, after) = if matches!(kind, "dateline" | "byline") {
                (0, 0)
            } else {
                (3, 7)
            };
            let lo_r = i.saturating_sub(before);
            let hi_r = (i + after).min(ps.len() - 1);
            if reserved[lo_r..=hi_r].iter().any(|r| *r) {
                continue;
            }
            let id = *next_id;
            if let Some((text, point)) = inject(kind, ps, i, id, cx) {
                *next_id += 1;
                reserved[lo_r..=hi_r].iter_mut().for_each(|r| *r = true);
                planted.push(Planted {
                    id,
                    kind,
                    script: cx.script,
                    text,
                    point,
                });
                break;
            }
        }
    }
    planted
}

/// The witness paragraphs in `range` as blocks: dropped ones hand their markers to the next
/// paragraph, inserted ones follow their anchor.
fn flatten(ps: Vec<WPara>, range: (usize, usize)) -> Vec<Block> {
    let mut blocks = vec![];
    let mut carry = String::new();
    for (k, p) in ps.into_iter().enumerate() {
        if !(range.0..=range.1).contains(&k) {
            continue;
        }
        if p.gone {
            carry.push_str(&p.text);
        } else {
            let tight = p.tight && p.after.is_empty();
            let text = format!("{carry}{}", p.text);
            blocks.push(Block {
                text,
                kind: p.kind,
                widths: p.widths,
                tight,
            });
            carry.clear();
        }
        for (t, kind) in p.after {
            blocks.push(Block {
                text: format!("{carry}{t}"),
                kind,
                widths: vec![],
                tight: false,
            });
            carry.clear();
        }
    }
    blocks
}

/// One fault witness: paragraphs of a variant, faults at spaced places, a layout.
fn fault_witness(
    src: &Source,
    v: &Variant,
    kinds: &[&'static str],
    shape: Shape,
    next_id: &mut usize,
    rng: &mut Rng,
    cv: &Converters,
) -> (String, Vec<Planted>) {
    let (lo, hi) = witness_range(&v.paras, shape.fragment, rng);
    let mut ps: Vec<WPara> = v.paras.iter().map(WPara::from).collect();
    let mut cx = FaultCtx {
        rng,
        cv,
        script: v.script,
        events: v
            .paras
            .iter()
            .filter(|p| p.kind == Kind::Event)
            .map(|p| p.text.clone())
            .collect(),
        confusables: confusables_in(v.script, cv),
        offices: OFFICES
            .iter()
            .copied()
            .filter(|o| v.paras.iter().any(|p| p.text.contains(o)))
            .collect(),
    };
    // A fragment's faults keep off its cut edges.
    let range = if shape.fragment {
        (lo + 2, hi.saturating_sub(2))
    } else {
        (lo, hi)
    };
    let planted = place_faults(&mut ps, range, kinds, next_id, &mut cx);
    let mut blocks = flatten(
        ps,
        if shape.fragment {
            (lo, hi)
        } else {
            (0, usize::MAX)
        },
    );
    if shape.fragment {
        cut_edges(&mut blocks, rng);
    }
    let body = render(&blocks, shape.style, rng);
    let text = if shape.fragment {
        // A page from the middle: running title above, page number below.
        let page = rng.range(2, 9);
        let head = format!("{}（{page}）", v.title);
        join(
            &[
                vec![head, String::new()],
                body,
                vec![String::new(), format!("— {page} —")],
            ]
            .concat(),
        )
    } else {
        match shape.frame {
            Frame::Chrome => chrome_file(&v.title, body, rng, cv, v.script),
            Frame::Repost => repost_file(body, rng, cv, v.script, &first_sentence(&v.paras)),
            Frame::Photo => titled(&v.title, false, photo_lines(body, rng, cv, v.script)),
            Frame::Bare if shape.style == Style::Original && v.name == "same" => {
                original_file(src, &v.title, &body)
            }
            Frame::Bare => titled(&v.title, true, body),
        }
    };
    (text, planted)
}

/// Cut a fragment's first and last block at a random character (a page starts and ends mid-event).
fn cut_edges(blocks: &mut [Block], rng: &mut Rng) {
    if let Some(b) = blocks.first_mut() {
        let cs: Vec<char> = b.text.chars().collect();
        if cs.len() > 8 {
            let k = rng.range(cs.len() / 4, cs.len() / 2);
            b.text = cs[k..].iter().collect();
        }
    }
    if let Some(b) = blocks.last_mut() {
        let cs: Vec<char> = b.text.chars().collect();
        if cs.len() > 8 {
            let k = rng.range(cs.len() / 2, 3 * cs.len() / 4);
            b.text = cs[..k].iter().collect();
        }
    }
}

/// How many fault witnesses a corpus has, and how many faults each.
pub const WITNESSES: usize = 10;
/// Faults per witness.
pub const FAULTS_PER_WITNESS: usize = 8;

/// Generate the whole corpus from a clean text.
pub fn generate(clean: &str, seed: u64, cv: &Converters) -> Corpus {
    // Supplementary private-use characters are the position markers: a text's own are dropped.
    let clean = &strip_marks(clean);
    // The text is part of the seed, so two texts of one structure (a text and its other-script
    // copy) do not get their faults at the same places.
    let fnv = clean.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    let mut rng = Rng::new(seed ^ fnv);
    let src = parse(clean);
    let script = detect_script(clean, cv);
    let vs = variants(&src, script, cv);
    let layouts = make_layouts(clean, &vs, &mut rng, cv);
    let other_script = match script {
        Script::Traditional => cv.t2s.convert(clean),
        Script::Simplified => cv.s2t.convert(clean),
    };
    let mut files = vec![];
    let mut planted = vec![];
    let mut next_id = 0;
    let mut plan = Plan::default();
    for w in 0..WITNESSES {
        let v = &vs[w % vs.len()];
        let (shape, kinds) = plan.next(w);
        let extent = if shape.fragment { "fragment" } else { "whole" };
        let name = format!(
            "w{:02}-{}-{extent}{}.txt",
            w + 1,
            v.name,
            shape.frame.suffix()
        );
        let (text, p) = fault_witness(&src, v, &kinds, shape, &mut next_id, &mut rng, cv);
        files.push((name.clone(), text));
        planted.extend(p.into_iter().map(|p| (name.clone(), p)));
    }
    let truth = locate(&mut files, &planted);
    let simplified = if script == Script::Simplified {
        clean.to_string()
    } else {
        other_script.clone()
    };
    let converted = cv.s2t.convert(&simplified);
    Corpus {
        reference: clean.replace("\r\n", "\n"),
        other_script,
        converted,
        script,
        layouts,
        faults: files,
        truth,
    }
}

/// Which fault kinds and which shape each witness gets.
#[derive(Default)]
struct Plan {
    /// The next kind in rotation.
    rot: usize,
    /// Provenance kinds a fragment passed on.
    deferred: Vec<&'static str>,
}

impl Plan {
    /// The shape and kinds of witness `w`: kinds in rotation so every kind comes up; provenance
    /// lines sit at the top of a whole text, so fragments pass them on to the next whole witness.
    fn next(&mut self, w: usize) -> (Shape, Vec<&'static str>) {
        const STYLES: [Style; 5] = [
            Style::Original,
            Style::PerLine,
            Style::Mixed,
            Style::PerLine,
            Style::Blank,
        ];
        let fragment = w % 3 == 2;
        let frame = match (fragment, w % 6) {
            (true, _) => Frame::Bare,
            (false, 3) => Frame::Chrome,
            (false, 4) => Frame::Photo,
            (false, 0) if w > 0 => Frame::Repost,
            _ => Frame::Bare,
        };
        let shape = Shape {
            fragment,
            style: STYLES[w % STYLES.len()],
            frame,
        };
        let mut kinds = vec![];
        while kinds.len() < FAULTS_PER_WITNESS {
            let k = FAULT_KINDS[self.rot % FAULT_KINDS.len()];
            self.rot += 1;
            if fragment && matches!(k, "dateline" | "byline") {
                self.deferred.push(k);
            } else {
                kinds.push(k);
            }
        }
        if !fragment {
            kinds.append(&mut self.deferred);
        }
        (shape, kinds)
    }
}

/// The files of a written corpus whose single-document findings a witness inherits: faults of
/// the clean text itself, in either script, and the slips of the converter that made the copies.
pub const INHERITED_FROM: &[&str] = &["reference.txt", "other-script.txt", "converted.txt"];

/// Write a corpus to `dir`: `reference.txt`, `other-script.txt`, `converted.txt`, `layouts/`,
/// `faults/`, `truth.jsonl`.
pub fn write(c: &Corpus, dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("layouts"))?;
    std::fs::create_dir_all(dir.join("faults"))?;
    std::fs::write(dir.join("reference.txt"), &c.reference)?;
    std::fs::write(dir.join("other-script.txt"), &c.other_script)?;
    std::fs::write(dir.join("converted.txt"), &c.converted)?;
    for (n, t) in &c.layouts {
        std::fs::write(dir.join("layouts").join(n), t)?;
    }
    for (n, t) in &c.faults {
        std::fs::write(dir.join("faults").join(n), t)?;
    }
    let mut s = String::new();
    for t in &c.truth {
        s.push_str(&t.to_json().to_string());
        s.push('\n');
    }
    std::fs::write(dir.join("truth.jsonl"), s)
}
