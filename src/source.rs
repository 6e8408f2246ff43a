//! Source stage: find files, decode them, read their front matter.
//!
//! Decoding is detected, not guessed blindly: a BOM decides; otherwise valid UTF-8 is UTF-8;
//! otherwise `chardetng` (Firefox's detector) picks among the legacy CJK encodings and the result
//! must decode without a single malformed sequence, else the file is reported as undecodable.

use crate::error::{Error, Result};
use crate::model::{FmValue, Provenance};
use encoding_rs::{DecoderResult, Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};
use sha2::{Digest, Sha256};
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
        // A FIFO or a device named on the command line: an error, not a silent skip.
        if p.exists() && !p.is_dir() {
            if let Err(source) = crate::util::ensure_regular(p) {
                out.push(Err(Error::Io {
                    path: p.clone(),
                    source,
                }));
                continue;
            }
        }
        if !p.exists() {
            out.push(Err(Error::Io {
                path: p.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file or directory",
                ),
            }));
            continue;
        }
        let mut files = Vec::new();
        let walker = walkdir::WalkDir::new(p)
            .follow_links(false)
            .sort_by_file_name();
        let mut it = walker.into_iter();
        while let Some(entry) = it.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| p.clone());
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
            if hidden {
                if entry.file_type().is_dir() {
                    it.skip_current_dir();
                }
                files.push(Found::Skipped {
                    path: entry.path().to_path_buf(),
                    why: "hidden".into(),
                });
                continue;
            }
            if exclude(entry.path()) {
                if entry.file_type().is_dir() {
                    it.skip_current_dir();
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
        out.extend(files.into_iter().map(Ok));
    }
    out
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

/// Parse YAML-style front matter (`---` … `---` at the top of the file): `key: value`, quoted or
/// not, and lists of `- item` under a key. Returns the byte offset where the body starts.
pub fn parse_front_matter(text: &str, prov: &mut Provenance) -> usize {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return 0;
    }
    let mut pos = first_line_end + 1;
    let mut current_list: Option<String> = None;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        let line = &text[pos..end];
        let trimmed = line.trim_end_matches('\r');
        if trimmed.trim_end() == "---" || trimmed.trim_end() == "..." {
            let body = (end + 1).min(text.len());
            prov.front_matter_span = Some(0..end);
            return body;
        }
        let t = trimmed.trim_start();
        if let Some(item) = t.strip_prefix("- ") {
            if let Some(key) = &current_list {
                let (v, _) = unquote(item.trim());
                if let Some(FmValue::List(l)) = prov.front_matter.get_mut(key) {
                    l.push(v);
                }
            }
        } else if let Some((k, v)) = t.split_once(':') {
            let key = k.trim().to_string();
            let raw_v = v.trim();
            if raw_v.is_empty() {
                prov.front_matter
                    .insert(key.clone(), FmValue::List(Vec::new()));
                current_list = Some(key);
            } else {
                current_list = None;
                let (val, quoted) = unquote(raw_v);
                let vstart = pos + (trimmed.len() - trimmed.trim_start().len()) + k.len() + 1;
                let lead = v.len() - v.trim_start().len();
                let vs = vstart + lead + usize::from(quoted);
                // The span covers the raw value between the quotes: an escaped quote (`\"`) is
                // two bytes there and one in `val`, so `val`'s length would end mid-character.
                let raw_len = raw_v.len() - 2 * usize::from(quoted);
                let ve = (vs + raw_len).min(end);
                prov.field_spans.insert(key.clone(), vs..ve);
                prov.front_matter.insert(key, FmValue::Text(val));
            }
        }
        pos = end + 1;
    }
    // No closing fence: not front matter after all.
    prov.front_matter.clear();
    prov.field_spans.clear();
    0
}

fn unquote(v: &str) -> (String, bool) {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            let inner = &v[1..v.len() - 1];
            return (inner.replace("\\\"", "\""), true);
        }
    }
    (v.to_string(), false)
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
            FmValue::List(vec!["a".into(), "b".into()])
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
