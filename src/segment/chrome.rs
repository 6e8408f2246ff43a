//! Page chrome: lines a web page or an app wraps around the text (breadcrumbs, share and print
//! bars, timestamp-and-source lines, copyright footers, reading counts, photo credits).
//!
//! Found by shape, never by a list of sites: a line with no sentence punctuation built from
//! separators and short tokens, a timestamp or a `来源：` label, a URL, a footer mark. What a line
//! was taken for is kept as its evidence, so reports can say why it was left out of collation.

use regex::Regex;
use std::sync::OnceLock;

/// Why a line was taken for page chrome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// Short tokens between separators (`首页 > 新闻 > 要闻`, `打印 | 关闭`).
    SeparatedTokens,
    /// A date and time, or a source, editor or reading-count label (`2020-04-06 18:47 来源：…`).
    TimestampOrSource,
    /// A web address, alone or glued to a title.
    Url,
    /// Copyright, licence-number or contact footer.
    Footer,
    /// A navigation or sharing word (`查看原文`, `导读：`, `分享到`, `返回顶部`).
    NavigationWord,
    /// A photo caption or credit (`（新华社记者 某某 摄）`), or alt text repeated as a caption.
    PhotoCaption,
    /// A short line that recurs in the document outside the text (a template line).
    Recurring,
    /// A short line outside the stretch that aligns with the reference (found in collation).
    OutsideText,
}

impl Evidence {
    /// A short phrase for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Evidence::SeparatedTokens => {
                "short tokens between separators (navigation or a share bar)"
            }
            Evidence::TimestampOrSource => "a timestamp or a source/editor label",
            Evidence::Url => "a web address",
            Evidence::Footer => "a copyright or site footer",
            Evidence::NavigationWord => "a navigation or sharing label",
            Evidence::PhotoCaption => "a photo caption or credit",
            Evidence::Recurring => "a short line that recurs in the page",
            Evidence::OutsideText => "a short line outside the text that aligns with the reference",
        }
    }
}

macro_rules! static_re {
    ($pat:expr) => {{
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new($pat).expect("static pattern"))
    }};
}

/// Sentence punctuation: a line that has any is prose, not chrome (tested on the line's own
/// characters, full and half width).
fn has_sentence_punct(s: &str) -> bool {
    s.contains(['。', '，', '；', '！', '？', '、']) || s.contains(", ") || s.contains(". ")
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

const SEPARATORS: &[char] = &[
    '>', '|', '｜', '丨', '›', '»', '＞', '/', '／', '·', '•', '∣', '┊',
];

/// Breadcrumbs, share bars, language switches: at least three short tokens, split by separators
/// (or by spaces in CJK text), with no sentence punctuation.
fn separated_tokens(s: &str) -> bool {
    if has_sentence_punct(s) || s.chars().count() > 80 {
        return false;
    }
    let explicit = s.chars().filter(|c| SEPARATORS.contains(c)).count();
    let cjk = s.chars().any(is_cjk);
    let tokens: Vec<&str> = s
        .split(|c: char| SEPARATORS.contains(&c) || c.is_whitespace() || c == '\u{3000}')
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() || tokens.iter().any(|t| t.chars().count() > 10) {
        return false;
    }
    let spaced = cjk && s.split_whitespace().count() >= 2;
    (explicit >= 2 && tokens.len() >= 3)
        || (explicit >= 1 && tokens.len() >= 2 && s.chars().count() <= 30)
        || (spaced && tokens.len() >= 3)
        || (spaced
            && tokens.len() == 2
            && s.chars().count() <= 24
            && tokens.iter().all(|t| t.chars().count() >= 2))
}

/// `2020-04-06 18:47 来源：新华社`, `发布时间：…`, `阅读 10万+`.
fn timestamp_or_source(s: &str) -> bool {
    if s.contains('。') || s.chars().count() > 90 {
        return false;
    }
    let date_time = static_re!(
        r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*(?:\d{1,2}[:：]\d{2})"
    );
    let iso_date = static_re!(r"^\s*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\b");
    let label = static_re!(
        r"(?:来源|來源|作者|编辑|編輯|责编|責編|责任编辑|責任編輯|发布时间|發布時間|發佈時間|发布日期|發布日期|更新时间|更新時間|浏览|瀏覽|阅读|閱讀|点击|點擊|字号|字號|分享|收藏)\s*(?:[:：]|次|量|数|數|\s*\d)"
    );
    date_time.is_match(s) || iso_date.is_match(s) || (label.is_match(s) && !has_sentence_punct(s))
}

fn url(s: &str) -> bool {
    (s.contains("http://") || s.contains("https://") || s.contains("www.")) && !s.contains('。')
}

fn footer(s: &str) -> bool {
    let strong =
        static_re!(r"©|(?i:copyright)|版权所有|版權所有|ICP\s*[备備证證]|公网安备|公網安備");
    // Words that prose can use too ("关于我们国家…") count only on a short line without sentences.
    let weak = static_re!(
        r"违法和不良信息|違法和不良信息|联系我们|聯繫我們|聯絡我們|關於我們|关于我们|网站地图|網站地圖|免责声明|免責聲明"
    );
    s.chars().count() <= 120
        && (strong.is_match(s)
            || (weak.is_match(s) && !has_sentence_punct(s) && s.chars().count() <= 40))
}

fn navigation_word(s: &str) -> bool {
    // A summary label (`导读：…`) marks an editor's abstract above the text, whatever its length.
    if static_re!(
        r"^[【\[（(]?\s*(?:导读|導讀|摘要|编者按|編者按|内容提要|內容提要)\s*[】\]）)]?\s*[:：]?"
    )
    .is_match(s)
    {
        return true;
    }
    s.chars().count() <= 40
        && !s.contains('。')
        && static_re!(
            r"^(?:查看原文|阅读原文|閱讀原文|查看更多|展开全文|展開全文|返回顶部|返回頂部|返回首页|返回首頁|打印本页|打印本頁|关闭窗口|關閉窗口|上一篇|下一篇|上一页|下一頁|下一页|相关新闻|相關新聞|相关阅读|相關閱讀|推荐阅读|推薦閱讀|热门推荐|熱門推薦|分享到|扫一扫|掃一掃|长按|長按|点赞|點贊|在看|关注我们|關注我們|点击关注|點擊關注|原创|原創|转载|轉載|责任编辑|責任編輯)"
        )
        .is_match(s)
}

/// A photo credit or a caption line (`（新华社记者 某某 摄）`, `图为…`, `资料图`).
pub fn photo_caption(s: &str) -> bool {
    s.chars().count() <= 120
        && (static_re!(r"(?:摄|攝|供图|供圖|图片来源|圖片來源)\s*[）)]?\s*$").is_match(s)
            || static_re!(r"^[（(]?\s*(?:图为|圖為|图片|圖片|资料图|資料圖|图\s*[:：]|圖\s*[:：])")
                .is_match(s))
}

/// A news agency's dateline (`新华社北京4月6日电`): provenance, never chrome.
fn dateline(s: &str) -> bool {
    (s.contains('电') || s.contains('電'))
        && static_re!(r"[0-9０-９一二三四五六七八九十]{1,3}\s*日\s*(?:电|電)").is_match(s)
}

/// Whether a line of the body is page chrome, and why. `s` is the line without its surrounding
/// white space. Lines with sentence punctuation are prose, except for the few shapes (a summary
/// label, a footer, a photo credit) that carry their own mark.
pub fn chrome_line(s: &str) -> Option<Evidence> {
    if s.is_empty() || dateline(s) {
        return None;
    }
    if navigation_word(s) {
        return Some(Evidence::NavigationWord);
    }
    if footer(s) {
        return Some(Evidence::Footer);
    }
    // Segmentation asks this of every text line: a line with a full stop (most of a text) can
    // be no address, timestamp or token bar, so those scans are skipped for it.
    let prose = s.contains('。');
    if !prose && url(s) {
        return Some(Evidence::Url);
    }
    if !prose && timestamp_or_source(s) {
        return Some(Evidence::TimestampOrSource);
    }
    if photo_caption(s) {
        return Some(Evidence::PhotoCaption);
    }
    if !prose && separated_tokens(s) {
        return Some(Evidence::SeparatedTokens);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_chrome() {
        let yes = [
            ("首页 > 农业新闻 > 行业资讯", Evidence::SeparatedTokens),
            ("字號:默認 超大 | 打印 | 關閉", Evidence::SeparatedTokens),
            ("繁體 | 简体 | English", Evidence::SeparatedTokens),
            ("2020-04-06 18:47 來源: 新華社", Evidence::TimestampOrSource),
            ("来源：人民网  编辑：王某", Evidence::TimestampOrSource),
            ("阅读 10万+", Evidence::TimestampOrSource),
            ("https://example.org/news/123.html", Evidence::Url),
            (
                "版權所有 © 某某網 京ICP備12345678號",
                Evidence::NavigationWord,
            ),
            ("查看原文", Evidence::NavigationWord),
            (
                "导读：这是一段很长的摘要，说明了文章的主要内容。",
                Evidence::NavigationWord,
            ),
            ("（新华社记者 张三 摄）", Evidence::PhotoCaption),
            ("点赞 在看 分享", Evidence::NavigationWord),
        ];
        for (s, _) in yes {
            assert!(chrome_line(s).is_some(), "{s} should be chrome");
        }
        assert_eq!(
            chrome_line("首页 > 农业新闻 > 行业资讯"),
            Some(Evidence::SeparatedTokens)
        );
        let no = [
            "◆国家卫生健康委发布《新型冠状病毒肺炎防控方案(第六版)》。",
            "新华社北京4月6日电 题：中国发布新冠肺炎疫情信息、推进疫情防控国际合作纪事",
            "新华社记者",
            "3月7日",
            "病毒没有国界，疫情不分种族。",
            "中国发布新冠肺炎疫情信息、推进疫情防控国际合作纪事",
            "国务院联防联控机制召开新闻发布会，介绍2020年3月7日18时的疫情",
            "（三）第三阶段：本土新增病例数逐步下降至个位数",
        ];
        for s in no {
            assert_eq!(chrome_line(s), None, "{s} is text");
        }
    }
}
