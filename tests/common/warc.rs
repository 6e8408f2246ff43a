//! Web archives the tests build themselves: any text with front matter rendered as a web page
//! (navigation, a share bar, a footer around the article), WARC records of such pages in any
//! encoding (response, revisit, request, a wrong digest, a truncated gzip member), and a WACZ
//! package of them. Nothing here is committed as a binary: every archive is made in the test.
#![allow(dead_code)]

use sha1::Digest as _;
use std::io::Write;

/// Front-matter fields and body of a text (`---` … `---` at the top, as the seeds have).
pub fn split_front_matter(text: &str) -> (Vec<(String, String)>, &str) {
    let mut fields = Vec::new();
    let Some(rest) = text.strip_prefix("---\n") else {
        return (fields, text);
    };
    let Some(end) = rest.find("\n---\n") else {
        return (fields, text);
    };
    for line in rest[..end].lines() {
        if let Some((k, v)) = line.split_once(':') {
            if !line.starts_with(' ') && !v.trim().is_empty() {
                fields.push((k.trim().into(), v.trim().trim_matches('"').into()));
            }
        }
    }
    (fields, &rest[end + 5..])
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The article body as HTML: blank-line blocks become `<p>` (their lines joined by `<br>`), a
/// `# ` line an `<h1>`, a `---` line an `<hr>`.
pub fn body_html(body: &str) -> String {
    let mut out = String::new();
    for block in body.split("\n\n") {
        let block = block.trim_matches('\n');
        if block.trim().is_empty() {
            continue;
        }
        if let Some(h) = block.strip_prefix("# ").filter(|h| !h.contains('\n')) {
            out.push_str(&format!("<h1>{}</h1>\n", esc(h)));
        } else if block.trim() == "---" {
            out.push_str("<hr>\n");
        } else {
            let lines: Vec<String> = block.lines().map(esc).collect();
            out.push_str(&format!("<p>{}</p>\n", lines.join("<br>\n")));
        }
    }
    out
}

/// A text with front matter as a news site would serve it: `<title>`, `<meta>` date and
/// canonical link from the front matter, a masthead with navigation, a share bar above and
/// inside the article, a sidebar of related links and a footer. `charset` is declared in a
/// `<meta>`.
pub fn render_page(text: &str, charset: &str) -> String {
    let (fm, body) = split_front_matter(text);
    let get = |k: &str| {
        fm.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut head = format!(
        "<meta charset=\"{charset}\">\n<title>{}</title>\n",
        esc(&get("title"))
    );
    if !get("date").is_empty() {
        head.push_str(&format!(
            "<meta property=\"article:published_time\" content=\"{}T08:00:00+08:00\">\n",
            esc(&get("date"))
        ));
    }
    if !get("original_url").is_empty() {
        head.push_str(&format!(
            "<link rel=\"canonical\" href=\"{}\">\n",
            esc(&get("original_url"))
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n{head}<script>window.dataLayer=[];</script>\n\
<style>.share-bar{{display:flex}}</style>\n</head>\n<body>\n\
<header class=\"site-header\"><a href=\"/\">首頁</a> | <a href=\"/news\">新聞</a> | <a href=\"/opinion\">評論</a> | <a href=\"/about\">關於我們</a></header>\n\
<div class=\"share-bar top\">分享到：<a href=\"#wx\">微信</a> <a href=\"#wb\">微博</a> <a href=\"#fb\">Facebook</a></div>\n\
<main>\n<article>\n{}<div class=\"article-share\">分享到：<a href=\"#wx\">微信</a> <a href=\"#fb\">Facebook</a> 列印 轉寄</div>\n</article>\n\
<div id=\"related\"><h3>相關新聞</h3><ul><li><a href=\"/a/2\">春季招聘會開幕</a></li><li><a href=\"/a/3\">地鐵新線通車</a></li></ul></div>\n</main>\n\
<footer><p>版權所有 © 本站保留一切權利 ｜ 聯絡我們 ｜ 私隱政策</p></footer>\n</body>\n</html>\n",
        body_html(body)
    )
}

/// Words of the page furniture [`render_page`] adds: none may reach the extracted text.
pub const CHROME_WORDS: &[&str] = &[
    "分享到",
    "相關新聞",
    "版權所有",
    "關於我們",
    "春季招聘會",
    "列印 轉寄",
];

/// `text` encoded in `encoding` (`utf-8`, `gbk`, `big5`); characters the encoding lacks become
/// HTML character references, as a browser's form encoder writes them.
pub fn encode(text: &str, encoding: &str) -> Vec<u8> {
    let enc = encoding_rs::Encoding::for_label(encoding.as_bytes()).expect("known encoding");
    enc.encode(text).0.into_owned()
}

/// sha1 in base32, as WARC digests are written.
pub fn sha1_b32(b: &[u8]) -> String {
    format!(
        "sha1:{}",
        data_encoding::BASE32.encode(&sha1::Sha1::digest(b))
    )
}

/// One WARC record (uncompressed) with the given type, headers and block; the block digest is
/// written correctly.
pub fn record(
    kind: &str,
    uri: &str,
    date: &str,
    id: &str,
    extra: &[(&str, String)],
    block: &[u8],
) -> Vec<u8> {
    let mut h = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Block-Digest: {}\r\n",
        sha1_b32(block)
    );
    for (k, v) in extra {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
    let mut v = h.into_bytes();
    v.extend_from_slice(block);
    v.extend_from_slice(b"\r\n\r\n");
    v
}

/// A `response` record of an HTML page (`body` already encoded in `charset`). With
/// `wrong_digest` the payload digest is that of other bytes.
pub fn response(
    uri: &str,
    date: &str,
    id: &str,
    body: &[u8],
    charset: &str,
    wrong_digest: bool,
) -> Vec<u8> {
    let mut block = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset={charset}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    block.extend_from_slice(body);
    let digest = if wrong_digest {
        sha1_b32(&[body, b" "].concat())
    } else {
        sha1_b32(body)
    };
    record(
        "response",
        uri,
        date,
        id,
        &[
            ("WARC-Payload-Digest", digest),
            ("Content-Type", "application/http; msgtype=response".into()),
        ],
        &block,
    )
}

/// A `revisit` record (identical payload) of `uri`, referring to record `refers_to`.
pub fn revisit(uri: &str, date: &str, id: &str, refers_to: &str, payload_digest: &str) -> Vec<u8> {
    let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
    record(
        "revisit",
        uri,
        date,
        id,
        &[
            (
                "WARC-Profile",
                "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest".into(),
            ),
            ("WARC-Refers-To", format!("<urn:uuid:{refers_to}>")),
            ("WARC-Payload-Digest", payload_digest.into()),
        ],
        &block,
    )
}

/// A `request` record (not a page: read and passed over).
pub fn request(uri: &str, date: &str, id: &str) -> Vec<u8> {
    let block = format!("GET / HTTP/1.1\r\nHost: {uri}\r\n\r\n").into_bytes();
    record("request", uri, date, id, &[], &block)
}

/// One gzip member.
pub fn gz(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

/// A WACZ package of `warcs` (`archive/NAME`), with `pages/pages.jsonl` listing `pages` and a
/// `datapackage.json` of every file's sha256. `tamper`: the WARC named is altered after hashing.
pub fn wacz(warcs: &[(&str, Vec<u8>)], pages: &[(&str, &str)], tamper: Option<&str>) -> Vec<u8> {
    wacz_indexed(warcs, pages, tamper, None)
}

/// One line of a CDXJ index: the capture of `url` at byte `offset` of the WARC `filename`, with
/// its payload digest.
pub fn cdxj_line(url: &str, offset: u64, digest: &str, filename: &str) -> String {
    format!(
        "{url} 20240105100001 {}\n",
        serde_json::json!({"url": url, "digest": digest, "mime": "text/html", "offset": offset.to_string(), "length": "1", "status": "200", "filename": filename})
    )
}

/// The header of a classic CDX index: the fields of [`cdx_line`].
pub const CDX_HEADER: &str = " CDX N b a m s k r M S V g\n";

/// One line of a classic CDX index (the fields of [`CDX_HEADER`]): the capture of `url` at
/// byte `offset` of the WARC `filename`, with its payload digest (without `sha1:`, as CDX
/// files write it).
pub fn cdx_line(url: &str, offset: u64, digest: &str, filename: &str) -> String {
    let digest = digest.strip_prefix("sha1:").unwrap_or(digest);
    format!("{url} 20240105100001 {url} text/html 200 {digest} - - 1 {offset} {filename}\n")
}

/// [`wacz`], with `indexes/index.cdxj` holding `index` when given.
pub fn wacz_indexed(
    warcs: &[(&str, Vec<u8>)],
    pages: &[(&str, &str)],
    tamper: Option<&str>,
    index: Option<&str>,
) -> Vec<u8> {
    wacz_with_index(warcs, pages, tamper, index.map(|i| ("index.cdxj", i)))
}

/// [`wacz`], with `indexes/NAME` holding the index text when given.
pub fn wacz_with_index(
    warcs: &[(&str, Vec<u8>)],
    pages: &[(&str, &str)],
    tamper: Option<&str>,
    index: Option<(&str, &str)>,
) -> Vec<u8> {
    let mut files: Vec<(String, Vec<u8>)> = warcs
        .iter()
        .map(|(n, b)| (format!("archive/{n}"), b.clone()))
        .collect();
    if let Some((name, i)) = index {
        files.push((format!("indexes/{name}"), i.as_bytes().to_vec()));
    }
    let mut jsonl = String::from("{\"format\": \"json-pages-1.0\", \"id\": \"pages\"}\n");
    for (url, title) in pages {
        jsonl.push_str(
            &serde_json::json!({"url": url, "title": title, "ts": "2024-01-01T00:00:00Z"})
                .to_string(),
        );
        jsonl.push('\n');
    }
    files.push(("pages/pages.jsonl".into(), jsonl.into_bytes()));
    let resources: Vec<serde_json::Value> = files
        .iter()
        .map(|(n, b)| {
            use sha2::Digest;
            let hex: String = sha2::Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect();
            serde_json::json!({"name": n, "path": n, "hash": format!("sha256:{hex}"), "bytes": b.len()})
        })
        .collect();
    let package = serde_json::json!({"profile": "data-package", "wacz_version": "1.1.1", "resources": resources});
    if let Some(t) = tamper {
        for (n, b) in &mut files {
            if n.ends_with(t) {
                b.extend_from_slice(&gz(b"WARC/1.1\r\nContent-Length: 0\r\n\r\n\r\n\r\n"));
            }
        }
    }
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (n, b) in files {
        w.start_file(n, opts).unwrap();
        w.write_all(&b).unwrap();
    }
    w.start_file("datapackage.json", opts).unwrap();
    w.write_all(package.to_string().as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}
