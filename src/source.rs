//! Source stage: find files, decode them, read their front matter.
//!
//! Decoding is detected, not guessed blindly: a BOM decides; otherwise valid UTF-8 is UTF-8;
//! otherwise `chardetng` (Firefox's detector) picks among the legacy CJK encodings and the result
//! must decode without a single malformed sequence, else the file is reported as undecodable.

use crate::error::{Error, Result};
use crate::model::{FmValue, FrontMatterError, Provenance};
use encoding_rs::{DecoderResult, Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A file to read, or a note about one that was skipped.
#[derive(Debug)]
pub enum Found {
    /// A file to read.
    File(PathBuf),
    /// A path passed over on purpose.
    Skipped {
        /// The path.
        path: PathBuf,
        /// Why, for the note (hidden file, not a regular file …).
        why: String,
    },
}

/// Expand paths (files and directories) into files, sorted for stable output. Hidden files and
/// directories (name starting with `.`) inside directories are skipped with a note.
pub fn walk(
    paths: &[PathBuf],
    exclude: &dyn Fn(&Path) -> bool,
) -> Vec<std::result::Result<Found, Error>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_file() {
            out.push(Ok(Found::File(p.clone())));
            continue;
        }
        if let Some(e) = unwalkable(p) {
            out.push(Err(e));
            continue;
        }
        let files = walk_dir(p, exclude, &mut out);
        out.extend(files.into_iter().map(Ok));
    }
    out
}

/// Why a path named by the user that is not a regular file cannot be walked: a FIFO or a
/// device (an error, not a silent skip), or nothing there.
fn unwalkable(p: &Path) -> Option<Error> {
    if p.exists() && !p.is_dir() {
        if let Err(source) = crate::util::ensure_regular(p) {
            return Some(Error::Io {
                path: p.to_path_buf(),
                source,
            });
        }
    }
    if !p.exists() {
        return Some(Error::Io {
            path: p.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
        });
    }
    None
}

/// The files under folder `p`, sorted by name, without following links: hidden entries and
/// what is not a regular file are skipped (with why), `exclude`d ones left out; an entry
/// that cannot be read is an error pushed to `out` at once.
fn walk_dir(
    p: &Path,
    exclude: &dyn Fn(&Path) -> bool,
    out: &mut Vec<std::result::Result<Found, Error>>,
) -> Vec<Found> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(p)
        .follow_links(false)
        .sort_by_file_name();
    let mut it = walker.into_iter();
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or_else(|| p.to_path_buf(), Path::to_path_buf);
                out.push(Err(Error::Io {
                    path,
                    source: std::io::Error::other(e.to_string()),
                }));
                continue;
            }
        };
        let hidden = entry.depth() > 0
            && entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with('.'));
        if hidden || exclude(entry.path()) {
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            if hidden {
                files.push(Found::Skipped {
                    path: entry.path().to_path_buf(),
                    why: "hidden".into(),
                });
            }
            continue;
        }
        let ft = entry.file_type();
        if ft.is_file() {
            files.push(Found::File(entry.path().to_path_buf()));
        } else if !ft.is_dir() && !ft.is_symlink() {
            // FIFOs, sockets and devices are never read (a FIFO would block the run).
            files.push(Found::Skipped {
                path: entry.path().to_path_buf(),
                why: "not a regular file".into(),
            });
        }
    }
    files
}

/// Resolve a user-given encoding label (WHATWG labels: `utf-8`, `gbk`, `big5`, `utf-16le` …).
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
        .ok_or_else(|| Error::UnknownEncoding(label.to_string()))
}

fn strict_decode(enc: &'static Encoding, bytes: &[u8]) -> std::result::Result<String, usize> {
    let mut dec = enc.new_decoder_without_bom_handling();
    let cap = dec
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut out = String::with_capacity(cap);
    let (res, read) = dec.decode_to_string_without_replacement(bytes, &mut out, true);
    match res {
        DecoderResult::InputEmpty => Ok(out),
        // `read` counts the malformed sequence and the bytes consumed after it.
        DecoderResult::Malformed(bad, after) => {
            Err(read.saturating_sub(bad as usize + after as usize))
        }
        DecoderResult::OutputFull => Err(read),
    }
}

fn looks_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 8 || bytes.len() % 2 != 0 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let (mut even0, mut odd0) = (0usize, 0usize);
    for (i, b) in sample.iter().enumerate() {
        if *b == 0 {
            if i % 2 == 0 {
                even0 += 1;
            } else {
                odd0 += 1;
            }
        }
    }
    let half = sample.len() / 2;
    if odd0 * 3 > half && even0 * 20 < half {
        Some(UTF_16LE)
    } else if even0 * 3 > half && odd0 * 20 < half {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn binary_reason(bytes: &[u8]) -> Option<String> {
    let sample = &bytes[..bytes.len().min(8192)];
    if let Some(i) = sample.iter().position(|&b| b == 0) {
        return Some(format!("NUL byte at offset {i}"));
    }
    let ctrl = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    // A stray control character is an encoding finding in a text file; many of them mean binary.
    if ctrl >= 8 && ctrl * 20 > sample.len() {
        return Some(format!(
            "{ctrl} control bytes in the first {} bytes",
            sample.len()
        ));
    }
    None
}

/// Line (1-based) and column (1-based, in characters of the line decoded in `enc`) of the byte
/// at `offset`.
fn line_col_of(bytes: &[u8], offset: usize, enc: &'static Encoding) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let head = &bytes[..offset];
    let line = memchr::memchr_iter(b'\n', head).count() + 1;
    // UTF-16 has NUL bytes beside its newlines; its lines are counted in code units.
    let ls = if enc == UTF_16LE || enc == UTF_16BE {
        let nl: &[u8] = if enc == UTF_16LE {
            &[b'\n', 0]
        } else {
            &[0, b'\n']
        };
        let mut ls = 0;
        let mut i = 0;
        while i + 1 < head.len() {
            if head[i..i + 2] == *nl {
                ls = i + 2;
            }
            i += 2;
        }
        ls
    } else {
        memchr::memrchr(b'\n', head).map_or(0, |i| i + 1)
    };
    let column = match std::str::from_utf8(&bytes[ls..offset]) {
        Ok(s) if enc == UTF_8 => s.chars().count(),
        _ => enc
            .decode_without_bom_handling(&bytes[ls..offset])
            .0
            .chars()
            .count(),
    };
    (line, column + 1)
}

/// Continuation bytes of valid UTF-8 multi-byte characters (a CJK character has two), and
/// bytes that are not valid UTF-8.
fn utf8_profile(bytes: &[u8]) -> (usize, usize) {
    // `chars().count()` is core's counting loop: fast, and no per-byte loop here.
    let extra = |s: &str| s.len() - s.chars().count();
    let (mut good, mut bad) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => return (good + extra(s), bad),
            Err(e) => {
                let ok = e.valid_up_to();
                // Checked just now by from_utf8.
                good += std::str::from_utf8(&rest[..ok]).map_or(0, extra);
                let n = e.error_len().unwrap_or(rest.len() - ok);
                bad += n;
                rest = &rest[ok + n..];
            }
        }
    }
}

/// Whether `bytes` are UTF-8 with damage rather than a legacy encoding: the continuation bytes
/// of valid UTF-8 characters outnumber the invalid bytes. GB18030 or Big5 text forms valid
/// UTF-8 by chance only here and there (about one continuation byte per four invalid ones in
/// Chinese text); UTF-8 with a truncated sequence has thousands per bad byte.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (good, bad) = utf8_profile(bytes);
    good > 0 && good >= bad
}

/// Whether `enc` is one of the multi-byte East Asian encodings.
fn is_cjk_encoding(enc: &'static Encoding) -> bool {
    [
        "GBK",
        "gb18030",
        "Big5",
        "EUC-JP",
        "ISO-2022-JP",
        "Shift_JIS",
        "EUC-KR",
    ]
    .contains(&enc.name())
}

/// Han, kana, hangul, CJK punctuation and full-width forms.
fn is_cjk_char(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x30FF | 0x3100..=0x31FF | 0x3200..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Whether `text`, decoded from a legacy encoding, reads as text in it: no C1 controls; in a CJK
/// encoding, mostly CJK among the non-ASCII characters; in a single-byte encoding, non-ASCII
/// letters a minority among letters (GB or Big5 bytes read as Latin-1 give runs of accented
/// letters: "ÖÐ¹ú").
fn reads_as_text(text: &str, enc: &'static Encoding) -> bool {
    let (mut non_ascii, mut cjk, mut letters, mut high_letters) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        if ('\u{80}'..='\u{9f}').contains(&c) || ('\u{E000}'..='\u{F8FF}').contains(&c) {
            return false;
        }
        if !c.is_ascii() {
            non_ascii += 1;
            cjk += usize::from(is_cjk_char(c));
        }
        if c.is_alphabetic() {
            letters += 1;
            high_letters += usize::from(!c.is_ascii());
        }
    }
    if is_cjk_encoding(enc) {
        non_ascii == 0 || cjk * 10 >= non_ascii * 8
    } else if NON_LATIN_SINGLE_BYTE.contains(&enc.name()) {
        // Cyrillic, Greek, Hebrew, Arabic, Thai: non-ASCII letters are the text, but words are
        // separated by spaces; CJK bytes read this way have almost none.
        let spaces = text.chars().filter(|c| c.is_ascii_whitespace()).count();
        spaces * 20 >= high_letters
    } else {
        high_letters * 10 <= letters * 3
    }
}

/// Single-byte encodings whose letters are not Latin.
const NON_LATIN_SINGLE_BYTE: &[&str] = &[
    "windows-1251",
    "windows-1253",
    "windows-1255",
    "windows-1256",
    "windows-874",
    "KOI8-R",
    "KOI8-U",
    "IBM866",
    "ISO-8859-5",
    "ISO-8859-6",
    "ISO-8859-7",
    "ISO-8859-8",
    "ISO-8859-8-I",
    "x-mac-cyrillic",
];

/// Which encoding a damaged file that is not [mostly UTF-8](mostly_utf8) is in: the detector's
/// choice on the part before the first bad byte, among the CJK encodings.
fn damaged_encoding(bytes: &[u8]) -> &'static Encoding {
    let good_prefix = [GB18030, BIG5]
        .iter()
        .map(|e| strict_decode(e, bytes).err().unwrap_or(bytes.len()))
        .max()
        .unwrap_or(0);
    let mut det = chardetng::EncodingDetector::new();
    det.feed(&bytes[..good_prefix], true);
    match det.guess(None, true) {
        g if g == BIG5 => BIG5,
        _ => GB18030,
    }
}

/// Decoding of a whole file, strict or (with `lossy`) with U+FFFD for each bad sequence.
fn decode_in(
    path: &Path,
    enc: &'static Encoding,
    bytes: &[u8],
    bom_len: usize,
    lossy: bool,
) -> Result<String> {
    // UTF-8 through std (optimized even in debug builds, and faster than a decoder loop).
    let strict = if enc == UTF_8 {
        std::str::from_utf8(&bytes[bom_len..])
            .map(str::to_string)
            .map_err(|e| e.valid_up_to())
    } else {
        strict_decode(enc, &bytes[bom_len..])
    };
    match strict {
        Err(_) if lossy && enc == UTF_8 => {
            Ok(String::from_utf8_lossy(&bytes[bom_len..]).into_owned())
        }
        Ok(t) => Ok(t),
        Err(_) if lossy => Ok(enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned()),
        Err(o) => {
            let offset = o + bom_len;
            let (line, column) = line_col_of(&bytes[bom_len..], o, enc);
            Err(Error::Decode {
                path: path.to_path_buf(),
                encoding: enc.name().to_string(),
                offset,
                line,
                column,
            })
        }
    }
}

/// [`decode`], taking the bytes: a file in UTF-8 without a BOM (the common case) becomes the
/// text without a copy, so a large file is not held twice while it is read. Same result.
pub fn decode_owned(
    path: &Path,
    bytes: Vec<u8>,
    forced: Option<&'static Encoding>,
    lossy: bool,
) -> Result<(String, String, bool)> {
    let plain = forced.is_none()
        && Encoding::for_bom(&bytes).is_none()
        && looks_utf16(&bytes).is_none()
        && binary_reason(&bytes).is_none();
    if !plain {
        return decode(path, &bytes, forced, lossy);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, UTF_8.name().to_string(), false)),
        Err(e) => decode(path, e.as_bytes(), forced, lossy),
    }
}

/// Decode a file's bytes. Returns the text (without BOM), the encoding name and whether a BOM was
/// present. A legacy encoding is chosen only when the whole file decodes cleanly in it and
/// reads as text in it; otherwise the file is damaged: an error at the first bad byte, or with
/// `lossy` the text with U+FFFD in place of each bad sequence.
pub fn decode(
    path: &Path,
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    lossy: bool,
) -> Result<(String, String, bool)> {
    let named = |enc: &'static Encoding, t: String, bom: bool| (t, enc.name().to_string(), bom);
    if let Some(enc) = forced {
        let (enc, bom_len) = Encoding::for_bom(bytes).unwrap_or((enc, 0));
        let text = decode_in(path, enc, bytes, bom_len, lossy)?;
        return Ok(named(enc, text, bom_len > 0));
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let text = decode_in(path, enc, bytes, bom_len, lossy)?;
        return Ok(named(enc, text, true));
    }
    if let Some(enc) = looks_utf16(bytes) {
        if let Ok(text) = strict_decode(enc, bytes) {
            return Ok(named(enc, text, false));
        }
    }
    if let Some(reason) = binary_reason(bytes) {
        return Err(Error::Binary {
            path: path.to_path_buf(),
            reason,
        });
    }
    // simdutf8 validates at memory speed; std's validator is the single largest cost of reading
    // a CJK archive (every character is multi-byte).
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok(named(UTF_8, s.to_string(), false));
    }
    let utf8 = mostly_utf8(bytes);
    if !utf8 {
        let mut det = chardetng::EncodingDetector::new();
        det.feed(bytes, true);
        let guess = det.guess(None, true);
        let guess = if guess == GBK { GB18030 } else { guess };
        // The detector's choice first, then the two CJK encodings: each must decode cleanly
        // and read as text.
        let mut tried: Vec<&'static Encoding> = Vec::new();
        for enc in [guess, GB18030, BIG5] {
            if tried.contains(&enc) {
                continue;
            }
            tried.push(enc);
            if let Ok(text) = strict_decode(enc, bytes) {
                if reads_as_text(&text, enc) {
                    return Ok(named(enc, text, false));
                }
            }
        }
    }
    let enc = if utf8 { UTF_8 } else { damaged_encoding(bytes) };
    let text = decode_in(path, enc, bytes, 0, lossy)?;
    Ok(named(enc, text, false))
}

/// Read and decode one file. `hash`: compute the sha256 of its bytes (manifests and baselines
/// need it; `check` does not, and it was a twentieth of the time of a check). `lossy`: decode a
/// damaged file with U+FFFD for its bad bytes instead of refusing it.
pub fn read(
    path: &Path,
    forced: Option<&'static Encoding>,
    hash: bool,
    lossy: bool,
) -> Result<(String, Provenance)> {
    let bytes = crate::util::read_limited(path, crate::util::limits::INPUT).map_err(|source| {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    })?;
    let (text, encoding, bom) = decode(path, &bytes, forced, lossy)?;
    let prov = Provenance {
        encoding,
        bom,
        sha256: if hash {
            sha256_hex(&bytes)
        } else {
            String::new()
        },
        size: bytes.len() as u64,
        ..Default::default()
    };
    Ok((text, prov))
}

/// sha256 of `bytes` as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(bytes);
    format!("{:x}", h.finalize())
}

/// Front matter longer than this is not metadata: it is refused (bounding the YAML parse,
/// whose nesting is bounded by the same length).
pub const MAX_FRONT_MATTER: usize = 64 << 10;
/// Nesting of lists and maps in front matter deeper than this is refused.
const MAX_FRONT_MATTER_DEPTH: usize = 16;
const UNCLOSED_HELP: &str = "close the front matter with a line `---` after its last field, or remove the opening `---` if the text has none";
const YAML_HELP: &str = "write each field as `key: value` (quote a value that holds `: ` or starts with a quote; lists as `[a, b]` or `- a` lines)";

/// Parse YAML front matter (`---` … `---` or `...` at the top of the file) into
/// `prov.front_matter`, with the byte span of each top-level scalar value. Returns the byte
/// offset where the body starts.
///
/// Front matter that cannot be read (no closing fence, malformed YAML, not a map) leaves the
/// fields empty and sets `prov.front_matter_error`; without a closing fence the whole text is
/// the body, as if there were no front matter.
pub fn parse_front_matter(text: &str, prov: &mut Provenance) -> usize {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return 0;
    }
    let open = 0..text[..first_line_end].trim_end().len();
    let block_start = (first_line_end + 1).min(text.len());
    let Some((block_end, body)) = closing_fence(text, block_start) else {
        prov.front_matter_error = Some(FrontMatterError {
            span: open,
            message: format!(
                "front matter opened here has no closing `---` line within its first {} KiB",
                MAX_FRONT_MATTER >> 10
            ),
            help: UNCLOSED_HELP,
        });
        return 0;
    };
    prov.front_matter_span = Some(0..block_end);
    if let Err(e) = read_fields(text, block_start..block_end, prov) {
        prov.front_matter.clear();
        prov.field_spans.clear();
        prov.front_matter_error = Some(e);
    }
    body
}

/// The end of the front-matter block starting at `from` (the start of its closing fence line)
/// and where the body starts; `None` when no fence closes it within [`MAX_FRONT_MATTER`].
fn closing_fence(text: &str, from: usize) -> Option<(usize, usize)> {
    let limit = (from + MAX_FRONT_MATTER).min(text.len());
    let mut pos = from;
    while pos < limit {
        let end = memchr::memchr(b'\n', &text.as_bytes()[pos..])
            .map(|i| pos + i)
            .unwrap_or(text.len());
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            return Some((pos, (end + 1).min(text.len())));
        }
        pos = end + 1;
    }
    None
}

/// Parse `text[block]` as YAML and store its top-level fields.
fn read_fields(
    text: &str,
    block: Range<usize>,
    prov: &mut Provenance,
) -> std::result::Result<(), FrontMatterError> {
    use saphyr::{LoadableYamlNode, MarkedYaml};
    let src = &text[block.clone()];
    // Markers count characters; this maps them to bytes of `text` (the block is bounded).
    let offsets: Vec<usize> = src
        .char_indices()
        .map(|(i, _)| block.start + i)
        .chain([block.end])
        .collect();
    let byte = |m: &saphyr::Marker| offsets[m.index().min(offsets.len() - 1)];
    let docs = MarkedYaml::load_from_str(src).map_err(|e| {
        let at = byte(e.marker());
        FrontMatterError {
            span: at..crate::model::floor_char_boundary(text, (at + 1).min(block.end)).max(at),
            message: format!("front matter is not valid YAML: {}", e.info()),
            help: YAML_HELP,
        }
    })?;
    let Some(root) = docs.first() else {
        return Ok(()); // empty, or only comments
    };
    let cx = Fm { text, byte: &byte };
    let saphyr::YamlData::Mapping(map) = &root.data else {
        if matches!(root.data, saphyr::YamlData::Value(saphyr::Scalar::Null)) {
            return Ok(());
        }
        return Err(cx.error(
            root,
            "front matter is not a map of `key: value` fields".into(),
        ));
    };
    for (k, v) in map {
        let key = cx.key(k)?;
        let value = cx.value(v, 0)?;
        if matches!(value, FmValue::Text(_)) {
            prov.field_spans.insert(key.clone(), cx.scalar_span(v));
        }
        prov.front_matter.insert(key, value);
    }
    Ok(())
}

/// Conversion of parsed YAML nodes into [`FmValue`]s, with byte spans into the document.
struct Fm<'a> {
    text: &'a str,
    byte: &'a dyn Fn(&saphyr::Marker) -> usize,
}

impl Fm<'_> {
    fn span(&self, n: &saphyr::MarkedYaml<'_>) -> Range<usize> {
        let (a, b) = ((self.byte)(&n.span.start), (self.byte)(&n.span.end));
        a..b.max(a)
    }

    /// A scalar's span without its quotes: the raw value between them (an escaped quote is
    /// two bytes there, so the parsed value's length would end mid-character).
    /// The parser's end marker of a quoted scalar may lie past a trailing comment, so the
    /// closing quote is found here.
    fn scalar_span(&self, n: &saphyr::MarkedYaml<'_>) -> Range<usize> {
        let r = self.span(n);
        let raw = &self.text[r.clone()];
        let b = raw.as_bytes();
        let close = match b.first() {
            Some(b'"') => {
                let mut i = 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i
            }
            Some(b'\'') => {
                let mut i = 1;
                while i < b.len() && !(b[i] == b'\'' && b.get(i + 1) != Some(&b'\'')) {
                    i += if b[i] == b'\'' { 2 } else { 1 };
                }
                i
            }
            _ => return r.start..r.start + raw.trim_end().len(),
        };
        r.start + 1..r.start + close.min(b.len())
    }

    fn error(&self, n: &saphyr::MarkedYaml<'_>, message: String) -> FrontMatterError {
        FrontMatterError {
            span: self.span(n),
            message,
            help: YAML_HELP,
        }
    }

    fn key(&self, k: &saphyr::MarkedYaml<'_>) -> std::result::Result<String, FrontMatterError> {
        use saphyr::YamlData;
        match &k.data {
            YamlData::Sequence(_) | YamlData::Mapping(_) => {
                Err(self.error(k, "a front-matter key is a list or a map".into()))
            }
            _ => match self.value(k, 0)? {
                FmValue::Text(s) => Ok(s),
                _ => Err(self.error(k, "a front-matter key is a list or a map".into())),
            },
        }
    }

    fn value(
        &self,
        n: &saphyr::MarkedYaml<'_>,
        depth: usize,
    ) -> std::result::Result<FmValue, FrontMatterError> {
        use saphyr::{Scalar, YamlData};
        let deep = || {
            self.error(
                n,
                format!("front matter nested deeper than {MAX_FRONT_MATTER_DEPTH} levels"),
            )
        };
        Ok(match &n.data {
            YamlData::Value(Scalar::String(s)) => FmValue::Text(s.to_string()),
            YamlData::Representation(s, ..) => FmValue::Text(s.to_string()),
            // Numbers, booleans and null as written (`1.10` stays `1.10`, `~` stays `~`).
            YamlData::Value(_) => FmValue::Text(self.text[self.span(n)].trim().to_string()),
            YamlData::Tagged(_, inner) => self.value(inner, depth)?,
            YamlData::Sequence(items) if depth < MAX_FRONT_MATTER_DEPTH => FmValue::List(
                items
                    .iter()
                    .map(|i| self.value(i, depth + 1))
                    .collect::<std::result::Result<_, _>>()?,
            ),
            YamlData::Mapping(map) if depth < MAX_FRONT_MATTER_DEPTH => {
                let mut out = std::collections::BTreeMap::new();
                for (k, v) in map {
                    out.insert(self.key(k)?, self.value(v, depth + 1)?);
                }
                FmValue::Map(out)
            }
            YamlData::Sequence(_) | YamlData::Mapping(_) => return Err(deep()),
            YamlData::Alias(_) | YamlData::BadValue => {
                return Err(self.error(n, "a front-matter value could not be read".into()))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fields_and_lists() {
        let t = "---\ntitle: \"T\"\ntags:\n  - \"a\"\n  - b\nurl: x\n---\nbody";
        let mut p = Provenance::default();
        let b = parse_front_matter(t, &mut p);
        assert_eq!(&t[b..], "body");
        assert_eq!(p.field("title"), Some("T"));
        assert_eq!(
            p.front_matter["tags"],
            FmValue::List(vec![FmValue::Text("a".into()), FmValue::Text("b".into())])
        );
        let r = p.field_spans["title"].clone();
        assert_eq!(&t[r], "T");
    }

    /// An escaped quote before CJK text: the span is the raw value between the quotes (it
    /// once ended a byte short, inside a character, and the human report panicked).
    #[test]
    fn escaped_quote_span_covers_the_raw_value() {
        let t = "---\ntitle: \"\\\"标题题题\"\n---\nbody";
        let mut p = Provenance::default();
        parse_front_matter(t, &mut p);
        assert_eq!(p.field("title"), Some("\"标题题题"));
        assert_eq!(&t[p.field_spans["title"].clone()], "\\\"标题题题");
    }

    fn fm(t: &str) -> (usize, Provenance) {
        let mut p = Provenance::default();
        let b = parse_front_matter(t, &mut p);
        (b, p)
    }

    fn text(s: &str) -> FmValue {
        FmValue::Text(s.into())
    }

    /// What a line-by-line `key: value` reader got wrong: block scalars, flow lists, nested
    /// maps, quoted values with `: ` inside, comments.
    #[test]
    fn yaml_front_matter_is_read_as_yaml() {
        let t = "---\ntitle: \"会议: 纪要\"  # a comment\nsummary: |\n  第一行\n  第二行\ntags: [防控, \"疫情\"]\nsource:\n  name: 新华社\n  pages: [1, 2]\ncount: 1.10\n---\n正文";
        let (b, p) = fm(t);
        assert_eq!(&t[b..], "正文");
        assert!(p.front_matter_error.is_none(), "{:?}", p.front_matter_error);
        assert_eq!(p.field("title"), Some("会议: 纪要"));
        assert_eq!(p.field("summary"), Some("第一行\n第二行\n"));
        assert_eq!(
            p.front_matter["tags"],
            FmValue::List(vec![text("防控"), text("疫情")])
        );
        let FmValue::Map(src) = &p.front_matter["source"] else {
            panic!("{:?}", p.front_matter["source"]);
        };
        assert_eq!(src["name"], text("新华社"));
        assert_eq!(src["pages"], FmValue::List(vec![text("1"), text("2")]));
        assert_eq!(p.field("count"), Some("1.10"), "numbers as written");
        assert_eq!(&t[p.field_spans["title"].clone()], "会议: 纪要");
        assert_eq!(&t[p.field_spans["count"].clone()], "1.10");
    }

    #[test]
    fn unterminated_front_matter_is_an_error_at_its_opening_and_the_text_is_body() {
        let t = "---\ntitle: 会议\n正文第一段。\n";
        let (b, p) = fm(t);
        assert_eq!(b, 0);
        assert!(p.front_matter.is_empty());
        let e = p.front_matter_error.unwrap();
        assert_eq!(e.span, 0..3);
        assert!(e.message.contains("no closing `---`"), "{}", e.message);
        // A fence after the first 64 KiB does not close it.
        let t = format!(
            "---\nk: {}\n---\nbody",
            "长".repeat(MAX_FRONT_MATTER / 3 + 1)
        );
        assert!(fm(&t).1.front_matter_error.is_some());
    }

    #[test]
    fn malformed_yaml_is_an_error_where_the_parser_stopped() {
        let t = "---\ntitle: 会议\ntags: [a, b\n---\n正文";
        let (b, p) = fm(t);
        assert_eq!(&t[b..], "正文", "the body is still known");
        assert!(p.front_matter.is_empty() && p.field_spans.is_empty());
        let e = p.front_matter_error.unwrap();
        assert!(
            e.message.starts_with("front matter is not valid YAML"),
            "{}",
            e.message
        );
        // The parser stops at the fence line (line 4), where `]` was due.
        assert_eq!(t[..e.span.start].matches('\n').count() + 1, 4);
        for bad in ["- a\n- b\n", "just text\n", "a: 1\na: 2\n", "? [a]\n: b\n"] {
            let t = format!("---\n{bad}---\nbody");
            let e = fm(&t).1.front_matter_error;
            assert!(e.is_some(), "{bad:?} accepted");
        }
    }

    #[test]
    fn hostile_yaml_is_bounded() {
        // Deep flow nesting, deep block nesting, an alias bomb: errors, never a crash.
        let deep = format!("---\nk: {}{}\n---\n", "[".repeat(300), "]".repeat(300));
        assert!(fm(&deep).1.front_matter_error.is_some());
        let mut block = String::from("---\n");
        for i in 0..40 {
            block.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
        }
        block.push_str(&format!("{}v: x\n---\n", " ".repeat(40)));
        let e = fm(&block).1.front_matter_error.unwrap();
        assert!(e.message.contains("nested deeper"), "{}", e.message);
        let mut bomb = String::from("---\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            bomb.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        bomb.push_str("---\n");
        assert!(fm(&bomb).1.front_matter_error.is_some());
        // Empty front matter and a document start marker only.
        assert!(fm("---\n---\nbody").1.front_matter_error.is_none());
        assert!(fm("---\n# only a comment\n...\nbody")
            .1
            .front_matter_error
            .is_none());
    }

    /// One bad byte in a UTF-8 or a GB18030 text is damage at that byte, never a clean
    /// decoding in some other encoding.
    #[test]
    fn one_bad_byte_is_never_a_legacy_encoding() {
        let text = "中国发布新冠肺炎疫情信息，推进疫情防控国际合作纪事。\n第二段。\n";
        let mut u8 = text.as_bytes().to_vec();
        u8.insert(text.find('第').unwrap() + 3, 0xe4);
        let e = decode(Path::new("u"), &u8, None, false).unwrap_err();
        assert!(
            matches!(e, Error::Decode { ref encoding, line: 2, column: 2, .. } if encoding == "UTF-8"),
            "{e}"
        );
        let (mut gb, _, _) = GB18030.encode(text);
        let at = gb.iter().position(|&b| b == b'\n').unwrap() + 3;
        gb.to_mut().insert(at, 0xff);
        let e = decode(Path::new("g"), &gb, None, false).unwrap_err();
        assert!(
            matches!(e, Error::Decode { ref encoding, line: 2, column: 2, .. } if encoding == "gb18030"),
            "{e}"
        );
        let (t, enc, _) = decode(Path::new("g"), &gb, None, true).unwrap();
        assert_eq!(
            (t.matches('\u{FFFD}').count(), enc.as_str()),
            (1, "gb18030")
        );
    }

    /// Legacy single-byte texts still decode: Latin-1 French, windows-1251 Russian.
    #[test]
    fn single_byte_texts_still_decode() {
        let fr = encoding_rs::WINDOWS_1252
            .encode("Le café est très bon, même à Paris, dit-elle à l'été.\n")
            .0;
        let (_, enc, _) = decode(Path::new("f"), &fr, None, false).unwrap();
        assert_eq!(enc, "windows-1252");
        let ru = encoding_rs::WINDOWS_1251
            .encode("Архив хранит копии текстов, которые могут исчезнуть или измениться.\n")
            .0;
        let (t, enc, _) = decode(Path::new("r"), &ru, None, false).unwrap();
        assert_eq!(
            (enc.as_str(), t.starts_with("Архив")),
            ("windows-1251", true)
        );
    }

    #[test]
    fn decodes_gb18030_and_big5() {
        let p = Path::new("x");
        let (gb, _, _) = GB18030.encode("中国发布新冠肺炎疫情信息，推进疫情防控国际合作纪事。");
        let (t, enc, _) = decode(p, &gb, None, false).unwrap();
        assert_eq!(enc, "gb18030");
        assert!(t.starts_with("中国发布"));
        let (b5, _, _) = BIG5.encode("中國發布新冠肺炎疫情信息，推進疫情防控國際合作紀事。");
        let (t, enc, _) = decode(p, &b5, None, false).unwrap();
        assert_eq!(enc, "Big5");
        assert!(t.starts_with("中國發布"));
    }

    #[test]
    fn binary_is_refused() {
        let e = decode(
            Path::new("b.bin"),
            &[0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3],
            None,
            false,
        )
        .unwrap_err();
        assert!(e.to_string().contains("b.bin"), "{e}");
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "中文 text".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let (t, enc, bom) = decode(Path::new("x"), &b, None, false).unwrap();
        assert_eq!(
            (t.as_str(), enc.as_str(), bom),
            ("中文 text", "UTF-16LE", true)
        );
    }

    proptest::proptest! {
        /// Any bytes: decoding never panics; with `lossy` only a binary file is refused; a
        /// refusal names a line and column inside the file.
        #[test]
        fn any_bytes_decode_or_name_the_bad_byte(
            bytes in proptest::collection::vec(proptest::prop_oneof![
                proptest::num::u8::ANY,
                proptest::sample::select(vec![b'\n', 0xe4, 0xb8, 0xad, 0xd6, 0xd0, 0xa4, 0x40]),
            ], 0..200)
        ) {
            match decode(Path::new("x"), &bytes, None, false) {
                Err(Error::Decode { line, column, offset, .. }) => {
                    proptest::prop_assert!(offset < bytes.len().max(1));
                    proptest::prop_assert!(line >= 1 && column >= 1);
                    proptest::prop_assert!(line <= bytes.iter().filter(|&&b| b == b'\n').count() + 1);
                    let lossy = decode(Path::new("x"), &bytes, None, true);
                    proptest::prop_assert!(lossy.is_ok());
                }
                Err(Error::Binary { .. }) | Ok(_) => {}
                Err(e) => proptest::prop_assert!(false, "{}", e),
            }
        }
    }
}
