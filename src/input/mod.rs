//! Inputs as users keep them: text files, HTML pages, WARC archives (plain, gzip per record or
//! whole-file gzip) and WACZ packages, each turned into documents with their provenance; PDFs,
//! images and other binaries named and refused.
//!
//! An archive record becomes a document whose text is what `collatio extract` writes: front
//! matter with the capture's provenance (URI, capture time, record id and offset, HTTP status,
//! content type, charset, digests) and the page's main text, so a finding's line in the report is
//! a line the user can open.

pub mod cli;
pub mod extract;
pub mod html;
pub mod surt;
pub mod wacz;
pub mod warc;

use crate::error::Error;
use crate::knowledge::Knowledge;
use crate::model::{Document, Provenance, SourceMap};
use crate::pipeline::ReadOptions;
use std::path::{Path, PathBuf};

/// What a file is, from its first bytes and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Plain text (any encoding collatio decodes).
    Text,
    /// An HTML page.
    Html,
    /// A WARC archive, plain or gzip-compressed.
    Warc,
    /// A WACZ package (zip with WARCs, pages and a datapackage).
    Wacz,
    /// A file collatio does not read, with what it is.
    Refused(String),
}

/// Magic numbers of files that are not text, and what to call them.
const MAGIC: &[(&[u8], &str)] = &[
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
];

/// What `bytes` (the file `path`) are.
pub fn sniff(path: &Path, bytes: &[u8]) -> Kind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if let Some((_, what)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Kind::Refused(what.to_string());
    }
    if bytes.len() > 12 && &bytes[8..12] == b"WEBP" && bytes.starts_with(b"RIFF") {
        return Kind::Refused("a WebP image".into());
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return if name.ends_with(".wacz") || wacz::is_wacz(bytes) {
            Kind::Wacz
        } else {
            Kind::Refused("a zip archive (not a WACZ package)".into())
        };
    }
    if warc::is_gzip(bytes) {
        return if gunzipped_head(bytes).starts_with(b"WARC/") {
            Kind::Warc
        } else {
            Kind::Refused("a gzip file that is not a WARC".into())
        };
    }
    if bytes.starts_with(b"WARC/1.") || bytes.starts_with(b"WARC/0.") {
        return Kind::Warc;
    }
    let html_name = [".html", ".htm", ".xhtml", ".shtml"]
        .iter()
        .any(|e| name.ends_with(e));
    if html_name || html::looks_like_html(bytes) {
        return Kind::Html;
    }
    Kind::Text
}

/// The first bytes of a gzip stream, decompressed.
fn gunzipped_head(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut head = Vec::new();
    let _ = flate2::bufread::GzDecoder::new(bytes)
        .take(16)
        .read_to_end(&mut head);
    head
}

/// Whether a file name says it is an archive (read whatever its size: the size limit applies to
/// each record instead).
pub fn archive_name(path: &Path) -> bool {
    let n = path.to_string_lossy().to_ascii_lowercase();
    n.ends_with(".warc") || n.ends_with(".warc.gz") || n.ends_with(".wacz")
}

/// What one input gave: documents, and records or members that could not be read.
pub type Documents = Vec<Result<Document, Error>>;

/// Every document in `bytes` (the file `path`): one for a text or HTML file, one per page
/// capture for a WARC or WACZ; each bad record is an error naming the file and byte offset, and
/// reading goes on after it. A PDF, an image or another binary is one [`Error::Binary`] naming
/// what it is.
pub fn documents(path: &Path, bytes: &[u8], opts: &ReadOptions, kb: &Knowledge) -> Documents {
    match sniff(path, bytes) {
        Kind::Text => vec![text_document(path, bytes, opts, kb)],
        Kind::Html => vec![html_document(path, bytes, opts, kb)],
        Kind::Warc | Kind::Wacz => {
            let (sources, errors) = archive_sources(path, bytes, opts);
            let mut out: Documents = errors.into_iter().map(Err).collect();
            for s in &sources {
                out.extend(
                    s.records
                        .iter()
                        .filter_map(|p| s.archive.document(p, opts, kb, true)),
                );
            }
            out
        }
        Kind::Refused(what) => vec![Err(Error::Binary {
            path: path.to_path_buf(),
            reason: format!("{what}; collatio reads text, HTML, WARC and WACZ"),
        })],
    }
}

fn text_document(
    path: &Path,
    bytes: &[u8],
    opts: &ReadOptions,
    kb: &Knowledge,
) -> Result<Document, Error> {
    let decoded = crate::source::decode(path, bytes, opts.encoding, opts.lossy)?;
    Ok(file_document(path, bytes, decoded, opts, kb))
}

/// The document of a file read whole (text or HTML) from its decoded text: its provenance is
/// the file's own (encoding, BOM, hash, size).
fn file_document(
    path: &Path,
    bytes: &[u8],
    (text, encoding, bom): (String, String, bool),
    opts: &ReadOptions,
    kb: &Knowledge,
) -> Document {
    let prov = Provenance {
        encoding,
        bom,
        sha256: crate::source::sha256_hex(bytes),
        size: bytes.len() as u64,
        ..Default::default()
    };
    crate::pipeline::document_from_text(path.to_path_buf(), opts.display(path), text, prov, kb)
}

/// Decode an HTML payload: the charset from the HTTP header, else the page's `<meta charset>`,
/// else detection. A declared charset the bytes do not decode in falls through to detection.
fn decode_html(
    path: &Path,
    bytes: &[u8],
    http_charset: Option<&str>,
    opts: &ReadOptions,
) -> Result<(String, String, bool), Error> {
    if opts.encoding.is_none() {
        let meta = html::meta_charset(bytes);
        for label in [http_charset.map(str::to_string), meta]
            .into_iter()
            .flatten()
        {
            let Some(enc) = encoding_rs::Encoding::for_label(label.trim().as_bytes()) else {
                continue;
            };
            // GB2312 and GBK pages are written in GB18030's superset in practice.
            let enc = if enc == encoding_rs::GBK {
                encoding_rs::GB18030
            } else {
                enc
            };
            if let Some(t) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
                return Ok((t.into_owned(), enc.name().to_string(), false));
            }
        }
    }
    crate::source::decode(path, bytes, opts.encoding, opts.lossy)
}

/// A front-matter block: `key: "value"` lines for the present values.
fn front_matter(fields: &[(&str, Option<String>)]) -> String {
    let mut s = String::from("---\n");
    for (k, v) in fields {
        if let Some(v) = v {
            let v: String = v
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            s.push_str(&format!("{k}: \"{}\"\n", v.trim().replace('"', "\\\"")));
        }
    }
    s.push_str("---\n\n");
    s
}

/// A `<meta>` date as `YYYY-MM-DD`, when it starts with one.
fn ymd(d: &str) -> Option<String> {
    let d = d.trim();
    let b = d.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    if digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
    {
        return Some(d[..10].to_string());
    }
    if digits(0..8) {
        return Some(format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]));
    }
    None
}

/// The text of an HTML page with `extra` provenance fields: front matter, then the main text.
fn page_text(page: &html::Page, extra: Vec<(&str, Option<String>)>) -> String {
    let mut fields: Vec<(&str, Option<String>)> = vec![
        ("title", page.title.clone()),
        ("date", page.date.as_deref().and_then(ymd)),
        ("last_updated", page.modified.as_deref().and_then(ymd)),
        ("canonical_url", page.canonical.clone()),
    ];
    fields.extend(extra);
    let mut s = front_matter(&fields);
    s.push_str(&html::body_text(page));
    s
}

/// The text collatio reads from an HTML file (front matter from its metadata, then its main
/// text), the encoding it was decoded from and whether it had a BOM.
pub fn html_text(
    path: &Path,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Result<(String, String, bool), Error> {
    html_parts(path, bytes, opts).map(|(decoded, _)| decoded)
}

/// [`html_text`], and the map from the text's lines to the HTML source.
fn html_parts(
    path: &Path,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Result<((String, String, bool), SourceMap), Error> {
    let (html_text, encoding, bom) = decode_html(path, bytes, None, opts)?;
    let page = html::extract(&html_text);
    let text = page_text(&page, vec![("source_format", Some("html".into()))]);
    // Front matter and the blank line after it: searched from the top of the source.
    let body_at = text.len() - html::body_text(&page).len();
    let mut hints = vec![1; text[..body_at].matches('\n').count()];
    for (i, b) in page.blocks.iter().enumerate() {
        let line = usize::try_from(b.line).unwrap_or(1).max(1);
        let rows = b.text.matches('\n').count() + 1 + usize::from(i + 1 < page.blocks.len());
        hints.extend(std::iter::repeat_n(line, rows));
    }
    let map = SourceMap {
        lines: crate::model::LineIndex::new(&html_text),
        source: html_text,
        hints,
    };
    Ok(((text, encoding, bom), map))
}

/// An HTML file as a document: its main text under front matter from its `<title>`, `<meta>`
/// dates and canonical URL. Its locations name lines and columns of the HTML source.
pub fn html_document(
    path: &Path,
    bytes: &[u8],
    opts: &ReadOptions,
    kb: &Knowledge,
) -> Result<Document, Error> {
    let (decoded, map) = html_parts(path, bytes, opts)?;
    let mut doc = file_document(path, bytes, decoded, opts, kb);
    doc.source_map = Some(std::sync::Arc::new(map));
    Ok(doc)
}

/// The record sources of an archive file (one for a WARC, one per WARC inside a WACZ), with the
/// errors met in the package itself (a WACZ file whose hash does not match its datapackage).
pub fn archive_sources(path: &Path, bytes: &[u8], opts: &ReadOptions) -> (Vec<Source>, Vec<Error>) {
    if bytes.starts_with(b"PK\x03\x04") {
        return wacz::sources(path, bytes, opts);
    }
    let archive = Archive {
        path: path.to_path_buf(),
        display: opts.display(path),
        index_notes: Default::default(),
    };
    (vec![Source::warc(archive, bytes)], Vec::new())
}

/// A record read from an archive, not yet a document.
pub enum Pending {
    /// A record, with the original record for a revisit found earlier in the same archive.
    Record(Box<warc::Record>, Option<Box<warc::Record>>),
    /// A record that could not be read.
    Bad(warc::BadRecord),
}

/// The records of a WARC held in `bytes`, revisits paired with their originals (by payload
/// digest, or by the record id they refer to).
pub fn warc_pending(bytes: &[u8]) -> Vec<Pending> {
    let mut out = Vec::new();
    let mut originals: std::collections::HashMap<String, (u64, Option<u64>)> = Default::default();
    warc::read_all(bytes, &mut |r| match r {
        Err(b) => out.push(Pending::Bad(b)),
        Ok(rec) => {
            let kind = rec.kind();
            if kind == "response" || kind == "resource" {
                for k in ["WARC-Payload-Digest", "WARC-Record-ID"] {
                    if let Some(v) = rec.header(k) {
                        originals.insert(v.to_string(), (rec.offset, rec.inner_offset));
                    }
                }
                out.push(Pending::Record(Box::new(rec), None));
            } else if kind == "revisit" {
                let orig = ["WARC-Refers-To", "WARC-Payload-Digest"]
                    .iter()
                    .filter_map(|k| rec.header(k))
                    .find_map(|v| originals.get(v))
                    .and_then(|&(o, i)| warc::record_at(bytes, o, i));
                out.push(Pending::Record(Box::new(rec), orig.map(Box::new)));
            }
        }
    });
    out
}

/// An archive whose records are read: the file, and its name in reports.
#[derive(Debug, Clone)]
pub struct Archive {
    /// The archive on disk (or the WACZ holding it).
    pub path: PathBuf,
    /// The archive as reports name it (`snap.wacz!archive/data.warc.gz` inside a WACZ).
    pub display: String,
    /// What a WACZ's index says wrongly about the record at each offset (see
    /// [`wacz::index_notes`]); empty for a WARC read on its own.
    pub index_notes: std::collections::BTreeMap<u64, String>,
}

/// The records of one archive, read and not yet turned into documents.
pub struct Source {
    /// Where the records come from.
    pub archive: Archive,
    /// The records, in file order.
    pub records: Vec<Pending>,
}

impl Source {
    /// The records of the WARC `bytes`, named as `archive`.
    pub fn warc(archive: Archive, bytes: &[u8]) -> Source {
        Source {
            archive,
            records: warc_pending(bytes),
        }
    }
}

impl Pending {
    /// The canonical URL key ([`surt::canonical`]) of a page capture.
    pub fn url_key(&self) -> Option<String> {
        match self {
            Pending::Record(r, _) => r.header("WARC-Target-URI").map(surt::canonical),
            Pending::Bad(_) => None,
        }
    }
}

impl Archive {
    /// The document a record gives: `None` for a record that is no page (request, metadata,
    /// an image, a redirect, an error page). `hash`: compute the sha256 of the payload
    /// (manifests need it, `check` does not).
    pub fn document(
        &self,
        p: &Pending,
        opts: &ReadOptions,
        kb: &Knowledge,
        hash: bool,
    ) -> Option<Result<Document, Error>> {
        match p {
            Pending::Bad(b) => Some(Err(Error::Archive {
                path: self.path.clone(),
                offset: b.offset,
                message: b.message.clone(),
            })),
            Pending::Record(rec, orig) => {
                self.record_document(rec, orig.as_deref(), opts, kb, hash)
            }
        }
    }

    /// A record as reports and `extract` name it: `ARCHIVE#OFFSET`.
    pub fn record_name(&self, rec: &warc::Record) -> String {
        match rec.inner_offset {
            Some(i) => format!("{}#{}+{}", self.display, rec.offset, i),
            None => format!("{}#{}", self.display, rec.offset),
        }
    }

    /// The payload and text of a record: `None` for a record that is no page.
    pub fn record_text<'r>(
        &self,
        rec: &'r warc::Record,
        orig: Option<&'r warc::Record>,
        opts: &ReadOptions,
    ) -> Option<Result<(String, extract::Payload<'r>, String), Error>> {
        let source = if rec.kind() == "revisit" { orig? } else { rec };
        let payload = extract::payload(source)?;
        let path = self.record_path(rec);
        Some(
            decode_html_or_text(&path, &payload, opts).map(|(text, encoding)| {
                let t = extract::record_text(self, rec, source, &payload, &text, &encoding);
                (t, payload, encoding)
            }),
        )
    }

    /// The record's path: the archive's, with `#OFFSET`.
    fn record_path(&self, rec: &warc::Record) -> PathBuf {
        let name = self.record_name(rec);
        PathBuf::from(format!(
            "{}{}",
            self.path.display(),
            &name[self.display.len()..]
        ))
    }

    fn record_document(
        &self,
        rec: &warc::Record,
        orig: Option<&warc::Record>,
        opts: &ReadOptions,
        kb: &Knowledge,
        hash: bool,
    ) -> Option<Result<Document, Error>> {
        let res = self.record_text(rec, orig, opts)?;
        Some(res.map(|(text, payload, encoding)| {
            let prov = Provenance {
                encoding,
                sha256: if hash {
                    crate::source::sha256_hex(&payload.body)
                } else {
                    String::new()
                },
                size: payload.body.len() as u64,
                ..Default::default()
            };
            crate::pipeline::document_from_text(
                self.record_path(rec),
                self.record_name(rec),
                text,
                prov,
                kb,
            )
        }))
    }
}

/// The decoded payload: `(page HTML or text, encoding)`.
fn decode_html_or_text(
    path: &Path,
    payload: &extract::Payload<'_>,
    opts: &ReadOptions,
) -> Result<(String, String), Error> {
    if payload.is_html {
        decode_html(path, &payload.body, payload.charset.as_deref(), opts).map(|(t, e, _)| (t, e))
    } else {
        crate::source::decode(path, &payload.body, opts.encoding, opts.lossy)
            .map(|(t, e, _)| (t, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_binaries_by_name() {
        let p = Path::new("x.bin");
        assert_eq!(
            sniff(p, b"%PDF-1.7\n"),
            Kind::Refused("a PDF document".into())
        );
        assert!(matches!(
            sniff(p, b"\x89PNG\r\n\x1a\n...."),
            Kind::Refused(_)
        ));
        assert_eq!(sniff(p, b"WARC/1.1\r\n"), Kind::Warc);
        assert_eq!(sniff(Path::new("a.htm"), "正文".as_bytes()), Kind::Html);
        assert_eq!(sniff(p, b"<!DOCTYPE html><p>x"), Kind::Html);
        assert_eq!(sniff(p, "纪事".as_bytes()), Kind::Text);
    }

    #[test]
    fn meta_dates() {
        assert_eq!(
            ymd("2020-04-07T10:00:00+08:00").as_deref(),
            Some("2020-04-07")
        );
        assert_eq!(ymd("20200407").as_deref(), Some("2020-04-07"));
        assert_eq!(ymd("April 7"), None);
    }
}
