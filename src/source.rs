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
    File(PathBuf),
    Skipped { path: PathBuf, why: String },
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
            if entry.file_type().is_file() {
                files.push(Found::File(entry.path().to_path_buf()));
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
        DecoderResult::Malformed(bad, _) => Err(read.saturating_sub(bad as usize)),
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

fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Decode a file's bytes. Returns the text (without BOM), the encoding name and whether a BOM was
/// present.
pub fn decode(
    path: &Path,
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<(String, String, bool)> {
    let decode_err = |enc: &'static Encoding, offset: usize| Error::Decode {
        path: path.to_path_buf(),
        encoding: enc.name().to_string(),
        offset,
        line: line_of(bytes, offset),
    };
    if let Some(enc) = forced {
        let (enc, bom_len) = Encoding::for_bom(bytes).unwrap_or((enc, 0));
        let text =
            strict_decode(enc, &bytes[bom_len..]).map_err(|o| decode_err(enc, o + bom_len))?;
        return Ok((text, enc.name().to_string(), bom_len > 0));
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let text =
            strict_decode(enc, &bytes[bom_len..]).map_err(|o| decode_err(enc, o + bom_len))?;
        return Ok((text, enc.name().to_string(), true));
    }
    if let Some(enc) = looks_utf16(bytes) {
        if let Ok(text) = strict_decode(enc, bytes) {
            return Ok((text, enc.name().to_string(), false));
        }
    }
    if let Some(reason) = binary_reason(bytes) {
        return Err(Error::Binary {
            path: path.to_path_buf(),
            reason,
        });
    }
    // simdutf8 validates at memory speed; std's validator is the single largest cost of reading
    // a CJK archive (every character is multi-byte). On failure std's error gives the offset.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok((s.to_string(), UTF_8.name().to_string(), false));
    }
    let utf8_err = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((s.to_string(), UTF_8.name().to_string(), false)),
        Err(e) => e.valid_up_to(),
    };
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let guess = det.guess(None, true);
    let guess = if guess == GBK { GB18030 } else { guess };
    // The detector's choice first, then the two CJK encodings; each must decode cleanly.
    let mut tried: Vec<&'static Encoding> = Vec::new();
    for enc in [guess, GB18030, BIG5] {
        if tried.contains(&enc) {
            continue;
        }
        tried.push(enc);
        if let Ok(text) = strict_decode(enc, bytes) {
            return Ok((text, enc.name().to_string(), false));
        }
    }
    Err(decode_err(UTF_8, utf8_err))
}

/// Read and decode one file. `hash`: compute the sha256 of its bytes (manifests and baselines
/// need it; `check` does not, and it was a twentieth of the time of a check).
pub fn read(
    path: &Path,
    forced: Option<&'static Encoding>,
    hash: bool,
) -> Result<(String, Provenance)> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let (text, encoding, bom) = decode(path, &bytes, forced)?;
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
                let ve = (vs + val.len()).min(end);
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

    #[test]
    fn decodes_gb18030_and_big5() {
        let p = Path::new("x");
        let (gb, _, _) = GB18030.encode("中国发布新冠肺炎疫情信息，推进疫情防控国际合作纪事。");
        let (t, enc, _) = decode(p, &gb, None).unwrap();
        assert_eq!(enc, "gb18030");
        assert!(t.starts_with("中国发布"));
        let (b5, _, _) = BIG5.encode("中國發布新冠肺炎疫情信息，推進疫情防控國際合作紀事。");
        let (t, enc, _) = decode(p, &b5, None).unwrap();
        assert_eq!(enc, "Big5");
        assert!(t.starts_with("中國發布"));
    }

    #[test]
    fn binary_is_refused() {
        let e = decode(
            Path::new("b.bin"),
            &[0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3],
            None,
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
        let (t, enc, bom) = decode(Path::new("x"), &b, None).unwrap();
        assert_eq!(
            (t.as_str(), enc.as_str(), bom),
            ("中文 text", "UTF-16LE", true)
        );
    }
}
