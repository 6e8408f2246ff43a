//! HTML to text with its structure: headings, paragraphs and list items as separate blocks, page
//! furniture (navigation, share bars, sidebars, footers, scripts) left out.
//!
//! Main-content extraction runs on html5ever's tokenizer (servo's, well kept, linear and fast)
//! rather than on a readability crate: the ones on crates.io either flatten the page to one
//! string (losing the paragraph and list-item boundaries collation depends on) or build a full
//! DOM and score it, several times slower than the tokenizer. The rules here are the usual
//! readability signals, by shape and never by site: semantic furniture elements, class/id/role
//! words (`nav`, `share`, `footer` …), link density, and `<article>`/`<main>` when the page has one.
//! What still looks like chrome in the text (a share line inside the article) is left to the
//! text chrome detector (src/segment/chrome.rs), which runs on every document.

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;

/// What a block of extracted text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// `<h1>`…`<h6>`, with its level.
    Heading(u8),
    /// A paragraph (or any other block of text).
    Paragraph,
    /// A list item.
    Item,
}

/// A block of extracted text and the line of the HTML source where it starts.
#[derive(Debug, Clone)]
pub struct Block {
    /// Heading, paragraph or list item.
    pub kind: BlockKind,
    /// The text, whitespace collapsed; `<br>` kept as a line break.
    pub text: String,
    /// 1-based line in the HTML source.
    pub line: u64,
}

/// A page reduced to its main text and the metadata collatio keeps as provenance.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// `<title>` (or `og:title` when the page has no title).
    pub title: Option<String>,
    /// Publication date from `<meta>` (`article:published_time`, `datePublished`, `date` …).
    pub date: Option<String>,
    /// Modification date from `<meta>` (`article:modified_time`, `dateModified`).
    pub modified: Option<String>,
    /// `<link rel="canonical">` (or `og:url`).
    pub canonical: Option<String>,
    /// The main text, in reading order.
    pub blocks: Vec<Block>,
}

/// Class, id and role words that mark page furniture (compared as whole words of the value).
const CHROME_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "share",
    "sharing",
    "social",
    "footer",
    "sidebar",
    "aside",
    "comment",
    "comments",
    "related",
    "recommend",
    "toolbar",
    "banner",
    "advert",
    "ad",
    "ads",
    "cookie",
    "subscribe",
    "newsletter",
    "pagination",
    "pager",
    "copyright",
    "masthead",
    "topbar",
    "login",
    "complementary",
    "contentinfo",
    "search",
];

/// Elements whose content is never page text.
const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "nav", "aside", "footer", "form", "button",
    "select", "iframe", "object", "textarea", "head", "menu", "dialog",
];

/// Elements that start and end a block of text.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "td",
    "th",
    "tr",
    "table",
    "ul",
    "ol",
    "dl",
    "figure",
    "figcaption",
    "header",
    "hr",
    "address",
    "body",
    "center",
];

/// Elements with no end tag.
const VOID_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

#[derive(Debug)]
struct Frame {
    name: String,
    skip: bool,
    main: bool,
    link: bool,
}

#[derive(Default)]
struct Current {
    kind: Option<BlockKind>,
    text: String,
    link_chars: usize,
    chars: usize,
    line: u64,
    /// Whitespace seen and not yet written (true: it held a line break).
    pending: Option<bool>,
}

#[derive(Default)]
struct State {
    stack: Vec<Frame>,
    skip_depth: usize,
    main_depth: usize,
    link_depth: usize,
    in_title: bool,
    title: String,
    page: Page,
    og_title: Option<String>,
    og_url: Option<String>,
    cur: Current,
    /// Blocks with (inside main content, link characters, characters).
    raw: Vec<(Block, bool, usize, usize)>,
    seen_main: bool,
}

struct Sink(RefCell<State>);

/// Whether an attribute value names furniture (`class="share-bar"`, `id="footer"`).
fn chrome_value(v: &str) -> bool {
    v.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| CHROME_WORDS.iter().any(|c| w.eq_ignore_ascii_case(c)))
}

fn attr<'a>(tag: &'a Tag, name: &str) -> Option<&'a str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x30FF | 0x3100..=0x31FF | 0x3200..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

impl State {
    fn flush(&mut self) {
        let cur = std::mem::take(&mut self.cur);
        let text = cur.text.trim().to_string();
        if !text.is_empty() {
            let block = Block {
                kind: cur.kind.unwrap_or(BlockKind::Paragraph),
                text,
                line: cur.line,
            };
            let main = self.main_depth > 0;
            self.raw.push((block, main, cur.link_chars, cur.chars));
        }
    }

    fn push_text(&mut self, s: &str, line: u64) {
        if self.in_title {
            self.title.push_str(s);
            return;
        }
        if self.skip_depth > 0 {
            return;
        }
        if self.cur.text.is_empty() && self.cur.pending.is_none() {
            self.cur.line = line;
        }
        let link = self.link_depth > 0;
        for c in s.chars() {
            if c.is_whitespace() && c != '\u{3000}' && c != '\u{a0}' {
                let nl = c == '\n';
                self.cur.pending = Some(self.cur.pending.unwrap_or(false) || nl);
                continue;
            }
            if let Some(nl) = self.cur.pending.take() {
                let prev = self.cur.text.chars().next_back();
                let drop = match prev {
                    None => true,
                    Some('\n') => true,
                    // A line break between two CJK characters is no space (CSS Text).
                    Some(p) => nl && is_wide(p) && is_wide(c),
                };
                if !drop {
                    self.cur.text.push(' ');
                }
            }
            if self.cur.text.is_empty() {
                self.cur.line = line;
            }
            self.cur.text.push(c);
            self.cur.chars += 1;
            self.cur.link_chars += usize::from(link);
        }
    }

    fn meta(&mut self, tag: &Tag) {
        let key = attr(tag, "property")
            .or_else(|| attr(tag, "name"))
            .or_else(|| attr(tag, "itemprop"))
            .unwrap_or("")
            .to_ascii_lowercase();
        let Some(content) = attr(tag, "content").map(|c| c.trim().to_string()) else {
            return;
        };
        match key.as_str() {
            "article:published_time"
            | "datepublished"
            | "pubdate"
            | "publishdate"
            | "date"
            | "dc.date"
            | "dc.date.issued"
            | "publication_date"
            | "og:published_time" => {
                self.page.date.get_or_insert(content);
            }
            "article:modified_time" | "datemodified" | "og:updated_time" => {
                self.page.modified.get_or_insert(content);
            }
            "og:title" => {
                self.og_title.get_or_insert(content);
            }
            "og:url" => {
                self.og_url.get_or_insert(content);
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: &Tag, line: u64) {
        let name: &str = &tag.name;
        match name {
            "meta" => self.meta(tag),
            "link" => {
                let rel = attr(tag, "rel").unwrap_or("");
                if rel
                    .split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
                {
                    if let Some(h) = attr(tag, "href") {
                        self.page.canonical.get_or_insert(h.trim().to_string());
                    }
                }
            }
            "title" if self.stack.iter().all(|f| f.name != "svg") => self.in_title = true,
            _ => {}
        }
        if name == "br" {
            if self.skip_depth == 0 && !self.cur.text.is_empty() {
                self.cur.pending = None;
                self.cur.text.push('\n');
            }
            return;
        }
        if BLOCK_TAGS.contains(&name) {
            self.flush();
            self.cur.line = line;
            self.cur.kind = Some(match name.as_bytes() {
                [b'h', d @ b'1'..=b'6'] => BlockKind::Heading(d - b'0'),
                b"li" | b"dt" | b"dd" => BlockKind::Item,
                _ => BlockKind::Paragraph,
            });
        }
        if VOID_TAGS.contains(&name) || tag.self_closing {
            return;
        }
        let role = attr(tag, "role").unwrap_or("");
        let furniture = SKIP_TAGS.contains(&name)
            // A header outside the article is the site's masthead; inside it, the headline.
            || (name == "header" && self.main_depth == 0)
            || attr(tag, "hidden").is_some()
            || attr(tag, "aria-hidden") == Some("true")
            || chrome_value(role)
            || attr(tag, "class").is_some_and(chrome_value)
            || attr(tag, "id").is_some_and(chrome_value);
        let main = matches!(name, "article" | "main")
            || role.eq_ignore_ascii_case("main")
            || attr(tag, "itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody"));
        let frame = Frame {
            name: name.to_string(),
            skip: furniture,
            main,
            link: name == "a",
        };
        self.skip_depth += usize::from(frame.skip);
        self.main_depth += usize::from(frame.main);
        self.link_depth += usize::from(frame.link);
        self.seen_main |= main;
        self.stack.push(frame);
    }

    fn end(&mut self, tag: &Tag) {
        let name: &str = &tag.name;
        if name == "title" {
            self.in_title = false;
        }
        if BLOCK_TAGS.contains(&name) || name == "br" {
            self.flush();
        }
        // Close up to the matching open element; a stray end tag closes nothing.
        let Some(i) = self.stack.iter().rposition(|f| f.name == name) else {
            return;
        };
        for f in self.stack.drain(i..) {
            self.skip_depth -= usize::from(f.skip);
            self.main_depth -= usize::from(f.main);
            self.link_depth -= usize::from(f.link);
        }
    }

    /// The page: only the main content when the page marks one, blocks that are mostly links
    /// left out (menus, lists of related articles).
    fn finish(mut self) -> Page {
        self.flush();
        let has_main = self.seen_main && self.raw.iter().any(|(_, m, _, _)| *m);
        let mut page = self.page;
        page.blocks = self
            .raw
            .into_iter()
            .filter(|(_, main, links, chars)| (!has_main || *main) && links * 2 <= *chars)
            .map(|(b, ..)| b)
            .collect();
        let title = self.title.split_whitespace().collect::<Vec<_>>().join(" ");
        page.title = Some(title).filter(|t| !t.is_empty()).or(self.og_title);
        page.canonical = page.canonical.or(self.og_url);
        page
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let mut st = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => {
                    st.start(&tag, line);
                    let raw = match &*tag.name {
                        "script" => Some(RawKind::ScriptData),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                            Some(RawKind::Rawtext)
                        }
                        "title" | "textarea" => Some(RawKind::Rcdata),
                        _ => None,
                    };
                    if let (Some(k), false) = (raw, tag.self_closing) {
                        return TokenSinkResult::RawData(k);
                    }
                }
                TagKind::EndTag => st.end(&tag),
            },
            Token::CharacterTokens(t) => st.push_text(&t, line),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// `html` with the contents of its `<script>` and `<style>` elements reduced to their line
/// breaks (source lines stay where they were). They are never text, and the tokenizer reads raw
/// text one character at a time: on pages with large inline scripts this was a third of the
/// extraction time. The end of a script is found as the HTML tokenizer finds it (the first
/// `</script`, whatever the script means by it).
fn without_raw_text(html: &str) -> std::borrow::Cow<'_, str> {
    static OPEN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let open = OPEN
        .get_or_init(|| regex::Regex::new(r"(?i)<(script|style)\b[^>]*>").expect("valid regex"));
    let mut out = String::new();
    let mut from = 0;
    let mut at = 0;
    while let Some(m) = open.captures_at(html, at) {
        let whole = m.get(0).expect("match");
        let close = format!("</{}", m[1].to_ascii_lowercase());
        let body_start = whole.end();
        let Some(end) = find_ascii_ci(&html[body_start..], &close).map(|i| body_start + i) else {
            break;
        };
        out.push_str(&html[from..body_start]);
        out.extend(html[body_start..end].chars().filter(|&c| c == '\n'));
        from = end;
        at = end + close.len();
    }
    if from == 0 {
        return std::borrow::Cow::Borrowed(html);
    }
    out.push_str(&html[from..]);
    std::borrow::Cow::Owned(out)
}

/// The first place `needle` (ASCII lower case) occurs in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    let h = hay.as_bytes();
    memchr::memchr_iter(b'<', h).find(|&i| {
        h.get(i..i + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

/// Extract the main text and metadata of an HTML page.
pub fn extract(html: &str) -> Page {
    let tok = Tokenizer::new(
        Sink(RefCell::new(State::default())),
        TokenizerOpts::default(),
    );
    let q = BufferQueue::default();
    q.push_back((&*without_raw_text(html)).into());
    let _ = tok.feed(&q);
    tok.end();
    tok.sink.0.into_inner().finish()
}

/// The page's text as collatio reads it: headings as `#` lines, blocks separated by blank lines.
pub fn body_text(page: &Page) -> String {
    let mut out = String::new();
    for b in &page.blocks {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        if let BlockKind::Heading(l) = b.kind {
            for _ in 0..l {
                out.push('#');
            }
            out.push(' ');
        }
        out.push_str(&b.text);
    }
    out.push('\n');
    out
}

/// The charset a page declares in a `<meta>` within its first 4 KiB.
pub fn meta_charset(bytes: &[u8]) -> Option<String> {
    static RE: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::bytes::Regex::new(r#"(?i)<meta[^>]{0,200}?charset\s*=\s*["']?([a-z0-9_\-:.]{1,40})"#)
            .expect("valid regex")
    });
    let head = &bytes[..bytes.len().min(4096)];
    re.captures(head)
        .map(|c| String::from_utf8_lossy(&c[1]).into_owned())
}

/// Whether `bytes` look like an HTML document (a doctype or `<html>` near the start).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let s = String::from_utf8_lossy(head).to_ascii_lowercase();
    let t = s.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<!doctype html") || t.starts_with("<html") || t.starts_with("<head")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8">
<title>纪事 - 新闻网</title>
<meta property="article:published_time" content="2020-04-07T10:00:00+08:00">
<link rel="canonical" href="https://news.example/a/1">
<script>var x = "<p>不是文字</p>";</script><style>p{}</style></head>
<body><header><a href="/">首页</a> <a href="/n">新闻</a></header>
<nav><ul><li><a href="/">首页</a></li></ul></nav>
<div class="top-share-bar">分享到：微信 微博</div>
<article><h1>中国发布纪事</h1>
<p>新华社北京4月6日电<br>第二行</p>
<p>疫情是一次重大
突发公共卫生事件。</p>
<ul><li>第一项</li><li>第二项</li></ul>
<div class="share">分享到 Facebook</div>
</article>
<aside>相关阅读</aside><footer>版权所有</footer></body></html>"#;

    #[test]
    fn keeps_structure_and_drops_furniture() {
        let p = extract(PAGE);
        let texts: Vec<(BlockKind, &str)> =
            p.blocks.iter().map(|b| (b.kind, b.text.as_str())).collect();
        assert_eq!(
            texts,
            vec![
                (BlockKind::Heading(1), "中国发布纪事"),
                (BlockKind::Paragraph, "新华社北京4月6日电\n第二行"),
                (BlockKind::Paragraph, "疫情是一次重大突发公共卫生事件。"),
                (BlockKind::Item, "第一项"),
                (BlockKind::Item, "第二项"),
            ]
        );
        assert_eq!(p.title.as_deref(), Some("纪事 - 新闻网"));
        assert_eq!(p.date.as_deref(), Some("2020-04-07T10:00:00+08:00"));
        assert_eq!(p.canonical.as_deref(), Some("https://news.example/a/1"));
        assert_eq!(p.blocks[2].line, 12);
        assert_eq!(meta_charset(PAGE.as_bytes()).as_deref(), Some("utf-8"));
    }

    #[test]
    fn script_and_style_bodies_are_dropped_with_their_lines_kept() {
        let h = "<p>a</p><SCRIPT type=x>if (a<b) {\n s = \"<p>no</p>\";\n}</Script><style>\np{}</style><p>b</p>";
        let t = without_raw_text(h);
        assert_eq!(
            t,
            "<p>a</p><SCRIPT type=x>\n\n</Script><style>\n</style><p>b</p>"
        );
        let texts: Vec<String> = extract(h).blocks.into_iter().map(|b| b.text).collect();
        assert_eq!(texts, vec!["a", "b"]);
        // An unclosed script: left to the tokenizer.
        assert_eq!(without_raw_text("<script>x"), "<script>x");
    }

    #[test]
    fn without_main_element_link_lists_are_dropped() {
        let p = extract(
            "<body><div><a href=a>一</a> <a href=b>二</a></div><p>正文，<a href=c>链接</a>在此。</p></body>",
        );
        let t: Vec<&str> = p.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(t, vec!["正文，链接在此。"]);
        assert_eq!(body_text(&p), "正文，链接在此。\n");
    }

    proptest::proptest! {
        /// Any markup-ish text: extraction never panics, and no block is empty.
        #[test]
        fn any_markup_extracts(s in "(<[a-zA-Z/!]{0,8}[^<>]{0,12}>?|[^<]{0,10}|\\s|<br>|</script>){0,60}") {
            for b in extract(&s).blocks {
                proptest::prop_assert!(!b.text.trim().is_empty());
            }
        }
    }
}
