//! A capture's payload (the HTTP body of a `response`, the block of a `resource`) and the text
//! collatio reads from it: front matter with the record's provenance, then the page's main text.
//! `collatio extract` writes exactly this text.

use super::{html, warc, Archive};
use std::borrow::Cow;
use std::io::Read;

/// A record's payload, ready to decode.
#[derive(Debug, Clone)]
pub struct Payload<'a> {
    /// The body, with transfer and content encodings (chunked, gzip, deflate) undone
    /// (borrowed from the record when there were none).
    pub body: Cow<'a, [u8]>,
    /// Whether it is an HTML page (else plain text).
    pub is_html: bool,
    /// The charset the HTTP `Content-Type` names.
    pub charset: Option<String>,
    /// The HTTP status (none for a `resource` record).
    pub status: Option<u16>,
    /// The media type, lower case, without parameters.
    pub content_type: String,
    /// `WARC-Payload-Digest` checked against the payload's bytes: (header, computed, matches).
    pub payload_digest: Option<(String, String, bool)>,
    /// `WARC-Block-Digest` checked against the block's bytes.
    pub block_digest: Option<(String, String, bool)>,
}

/// Bodies larger than this after decompression are cut (a page is far smaller).
const MAX_BODY: u64 = 64 << 20;

/// `(media type, charset)` of a `Content-Type` value.
fn media_type(v: &str) -> (String, Option<String>) {
    let mut parts = v.split(';');
    let mt = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let cs = parts
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, v)| v.trim().trim_matches(['"', '\'']).to_string());
    (mt, cs)
}

/// HTTP header fields, names lower case.
type Headers = Vec<(String, String)>;

/// The HTTP response in `block`: status, headers, and the offset where the body starts.
fn http_head(block: &[u8]) -> Option<(u16, Headers, usize)> {
    let end = memchr::memmem::find(block, b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| memchr::memmem::find(block, b"\n\n").map(|i| i + 2))?;
    let head = String::from_utf8_lossy(&block[..end]);
    let mut lines = head.lines();
    let status = lines
        .next()?
        .split_whitespace()
        .nth(1)?
        .parse::<u16>()
        .ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some((status, headers, end))
}

/// A chunked body, de-chunked (what can be read of it).
fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(nl) = memchr::memchr(b'\n', b) {
        let size_s = String::from_utf8_lossy(&b[..nl]);
        let size_s = size_s.split(';').next().unwrap_or("").trim().to_string();
        let Ok(size) = usize::from_str_radix(&size_s, 16) else {
            break;
        };
        b = &b[nl + 1..];
        if size == 0 || size > b.len() {
            out.extend_from_slice(&b[..size.min(b.len())]);
            break;
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size..];
        b = b
            .strip_prefix(b"\r\n")
            .or_else(|| b.strip_prefix(b"\n"))
            .unwrap_or(b);
    }
    out
}

/// A body with its content encoding undone (gzip, deflate); as it is when it cannot be.
fn decode_content<'a>(body: Cow<'a, [u8]>, encoding: Option<&str>) -> Cow<'a, [u8]> {
    let mut out = Vec::new();
    let ok = match encoding.map(|e| e.trim().to_ascii_lowercase()).as_deref() {
        Some("gzip") | Some("x-gzip") => flate2::read::MultiGzDecoder::new(&body[..])
            .take(MAX_BODY)
            .read_to_end(&mut out)
            .is_ok(),
        Some("deflate") => flate2::read::ZlibDecoder::new(&body[..])
            .take(MAX_BODY)
            .read_to_end(&mut out)
            .is_ok(),
        _ => false,
    };
    if ok {
        Cow::Owned(out)
    } else {
        body
    }
}

/// The payload of a `response` or `resource` record with a page or text in it; `None` for any
/// other record (a redirect, an error page, an image, a script).
pub fn payload(rec: &warc::Record) -> Option<Payload<'_>> {
    let block_digest = rec
        .header("WARC-Block-Digest")
        .and_then(|h| warc::check_digest(h, &rec.block).map(|(c, ok)| (h.to_string(), c, ok)));
    let (status, ctype, raw, body) = if rec.kind() == "response" {
        let (status, headers, at) = http_head(&rec.block)?;
        let get = |k: &str| {
            headers
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
        };
        let raw = &rec.block[at..];
        let mut body = if get("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
            Cow::Owned(dechunk(raw))
        } else {
            Cow::Borrowed(raw)
        };
        body = decode_content(body, get("content-encoding"));
        let ct = get("content-type").unwrap_or("").to_string();
        (Some(status), ct, raw, body)
    } else {
        let ct = rec.header("Content-Type").unwrap_or("").to_string();
        (None, ct, &rec.block[..], Cow::Borrowed(&rec.block[..]))
    };
    if status.is_some_and(|s| !(200..300).contains(&s)) {
        return None;
    }
    let (mt, charset) = media_type(&ctype);
    let is_html = match mt.as_str() {
        "text/html" | "application/xhtml+xml" => true,
        "text/plain" | "text/markdown" => false,
        "" => html::looks_like_html(&body),
        _ => return None,
    };
    let payload_digest = rec
        .header("WARC-Payload-Digest")
        .and_then(|h| warc::check_digest(h, raw).map(|(c, ok)| (h.to_string(), c, ok)));
    Some(Payload {
        body,
        is_html,
        charset,
        status,
        content_type: mt,
        payload_digest,
        block_digest,
    })
}

/// The text of a capture: front matter naming the record, then the page's main text. `rec` is
/// the record read (a revisit names its original `source`), `decoded` the payload as text.
pub fn record_text(
    ctx: &Archive,
    rec: &warc::Record,
    source: &warc::Record,
    p: &Payload<'_>,
    decoded: &str,
    encoding: &str,
) -> String {
    let h = |k: &str| rec.header(k).map(str::to_string);
    let mismatch = |d: &Option<(String, String, bool)>| {
        d.as_ref().and_then(|(_, c, ok)| (!ok).then(|| c.clone()))
    };
    let revisit = !std::ptr::eq(rec, source);
    let extra = vec![
        ("original_url", h("WARC-Target-URI")),
        ("captured", h("WARC-Date")),
        ("archive", Some(ctx.display.clone())),
        ("record_offset", Some(rec.offset.to_string())),
        (
            "record_inner_offset",
            rec.inner_offset.map(|i| i.to_string()),
        ),
        ("record_id", h("WARC-Record-ID")),
        ("record_type", Some(rec.kind())),
        (
            "revisit_of",
            revisit.then(|| source.header("WARC-Record-ID").unwrap_or("").to_string()),
        ),
        ("http_status", p.status.map(|s| s.to_string())),
        ("content_type", Some(p.content_type.clone())),
        ("charset", Some(encoding.to_string())),
        (
            "payload_digest",
            p.payload_digest.as_ref().map(|d| d.0.clone()),
        ),
        ("payload_digest_computed", mismatch(&p.payload_digest)),
        ("block_digest", p.block_digest.as_ref().map(|d| d.0.clone())),
        ("block_digest_computed", mismatch(&p.block_digest)),
        ("index_mismatch", ctx.index_notes.get(&rec.offset).cloned()),
    ];
    if p.is_html {
        super::page_text(&html::extract(decoded), extra)
    } else {
        let mut s = super::front_matter(&extra);
        s.push_str(decoded);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies_and_content_types() {
        assert_eq!(dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"), b"abcde");
        assert_eq!(
            media_type("text/html; charset=\"GBK\""),
            ("text/html".into(), Some("GBK".into()))
        );
        let (s, h, at) =
            http_head(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>").unwrap();
        assert_eq!((s, h[0].0.as_str(), at), (200, "content-type", 44));
    }
}
