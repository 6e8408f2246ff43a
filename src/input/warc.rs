//! WARC records, read as they are stored: plain, one gzip member per record (the format's
//! recommendation, which keeps every record's byte offset), or a whole file in one gzip member.
//!
//! Hand-written: the `warc` crate reads a `.warc.gz` through a multi-member decoder, which hides
//! where each member starts, and stops at the first bad record; an archivist needs the offset of
//! every record and a run that goes on past a damaged one. The format is small (a header block of
//! `Name: value` lines, then `Content-Length` bytes).

use sha1::Digest;
use std::io::{BufRead, Read};

/// Records larger than this are reported and skipped (a page is kilobytes; a video is not text).
pub const MAX_RECORD: u64 = 64 << 20;
/// A header block longer than this is not a WARC header.
const MAX_HEADER: usize = 64 << 10;

/// One WARC record: where it starts and what it holds.
#[derive(Debug, Clone)]
pub struct Record {
    /// Byte offset of the record (of its gzip member, in a `.warc.gz`) in the archive file.
    pub offset: u64,
    /// For a whole-file gzip: the offset of the record in the decompressed stream.
    pub inner_offset: Option<u64>,
    /// Header fields in file order (names as written).
    pub headers: Vec<(String, String)>,
    /// The record block (`Content-Length` bytes).
    pub block: Vec<u8>,
}

impl Record {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`, lower case.
    pub fn kind(&self) -> String {
        self.header("WARC-Type").unwrap_or("").to_ascii_lowercase()
    }
}

/// A record that could not be read: the byte offset where it starts and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord {
    /// Byte offset (in the archive file) of the record or gzip member.
    pub offset: u64,
    /// What is wrong, in words.
    pub message: String,
}

/// A `BufRead` that counts the bytes consumed from it (gzip member offsets).
struct Counting<R> {
    inner: R,
    pos: u64,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.pos += amt as u64;
        self.inner.consume(amt);
    }
}

/// Whether `bytes` start a gzip member.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// Read every record of the archive `bytes`, calling `on` with each record or bad record in
/// file order. Bad records are reported and skipped: after a damaged gzip member reading goes on
/// at the next member; it stops only where the file cannot be followed any further (a bad WARC
/// header or a length running past the end in an uncompressed file, a truncated last member).
pub fn read_all(bytes: &[u8], on: &mut dyn FnMut(Result<Record, BadRecord>)) {
    if is_gzip(bytes) {
        read_members(bytes, on);
    } else {
        let mut r = Counting {
            inner: bytes,
            pos: 0,
        };
        read_plain(&mut r, 0, None, on);
    }
}

/// Where the next gzip member may start after `from` (its magic and the deflate method byte).
fn next_member(bytes: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, &[0x1f, 0x8b, 0x08]).map(|i| from + i)
}

/// Records of a `.warc.gz`: member by member, each member's records parsed from its
/// decompressed bytes.
fn read_members(bytes: &[u8], on: &mut dyn FnMut(Result<Record, BadRecord>)) {
    // One buffer for every member: a fresh one each time was a fifth of the ingest time in
    // zeroing new pages.
    let mut data = Vec::new();
    let mut start = 0usize;
    while start < bytes.len() {
        let mut r = Counting {
            inner: &bytes[start..],
            pos: 0,
        };
        data.clear();
        let res = flate2::bufread::GzDecoder::new(&mut r)
            .take(MAX_RECORD * 16)
            .read_to_end(&mut data);
        if let Err(e) = res {
            let next = next_member(bytes, start + 1);
            let what = match next {
                Some(n) => format!("reading goes on at the next member, at byte {n}"),
                None => "no member follows".to_string(),
            };
            on(Err(bad(
                start as u64,
                format!("damaged gzip member ({e}); {what}"),
            )));
            match next {
                Some(n) => {
                    start = n;
                    continue;
                }
                None => return,
            }
        }
        member_records(&data, start as u64, on);
        if r.pos == 0 {
            return;
        }
        start += r.pos as usize;
    }
}

/// The records of one decompressed member that starts at byte `start` of the file.
fn member_records(data: &[u8], start: u64, on: &mut dyn FnMut(Result<Record, BadRecord>)) {
    let mut inner = Counting {
        inner: data,
        pos: 0,
    };
    let mut recs: Vec<Result<Record, BadRecord>> = Vec::new();
    read_plain(&mut inner, start, Some(start), &mut |x| recs.push(x));
    let single = recs.len() == 1;
    for mut x in recs {
        if single {
            // One record per member: the member's offset is the record's.
            match &mut x {
                Ok(rec) => rec.inner_offset = None,
                Err(b) => b.offset = start,
            }
        }
        on(x);
    }
}

fn bad(offset: u64, message: String) -> BadRecord {
    BadRecord { offset, message }
}

/// Records of an uncompressed stream. `base`: the file offset of the stream; `member`: the gzip
/// member holding it (then record offsets are the member's, with the inner offset kept).
fn read_plain<R: BufRead>(
    r: &mut Counting<R>,
    base: u64,
    member: Option<u64>,
    on: &mut dyn FnMut(Result<Record, BadRecord>),
) {
    loop {
        // Blank lines between records (the two CRLFs after a block) are skipped.
        let at = loop {
            match r.fill_buf() {
                Ok([]) => return,
                Ok(b) => {
                    let skip = b.iter().take_while(|&&c| c == b'\r' || c == b'\n').count();
                    if skip == 0 {
                        break r.pos;
                    }
                    r.consume(skip);
                }
                Err(e) => {
                    on(Err(bad(base + r.pos, format!("cannot read: {e}"))));
                    return;
                }
            }
        };
        let (offset, inner) = match member {
            Some(m) => (m, Some(at)),
            None => (base + at, None),
        };
        match read_one(r) {
            Ok((headers, block)) => on(Ok(Record {
                offset,
                inner_offset: inner,
                headers,
                block,
            })),
            Err((msg, fatal)) => {
                on(Err(bad(base + at, msg)));
                if fatal {
                    return;
                }
            }
        }
    }
}

/// One record at the reader's position. An error says whether reading can go on.
#[allow(clippy::type_complexity)]
fn read_one<R: BufRead>(
    r: &mut Counting<R>,
) -> Result<(Vec<(String, String)>, Vec<u8>), (String, bool)> {
    let mut head = Vec::new();
    // The header block ends at the first empty line.
    loop {
        let before = head.len();
        let n = r
            .take((MAX_HEADER - head.len().min(MAX_HEADER)) as u64 + 1)
            .read_until(b'\n', &mut head)
            .map_err(|e| (format!("cannot read: {e}"), true))?;
        if n == 0 {
            return Err(("the file ends inside a WARC header".into(), true));
        }
        if head.len() > MAX_HEADER {
            return Err(("WARC header longer than 64 KiB".into(), true));
        }
        if head[before..].iter().all(|c| matches!(c, b'\r' | b'\n')) {
            break;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.lines();
    let version = lines.next().unwrap_or("").trim();
    if !version.starts_with("WARC/") {
        return Err((
            format!(
                "bad WARC header: expected a `WARC/1.x` line, found `{}`",
                crate::util::visible(&version.chars().take(40).collect::<String>())
            ),
            true,
        ));
    }
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, v)| v.parse::<u64>().ok())
        .ok_or_else(|| {
            (
                "bad WARC header: no readable Content-Length".to_string(),
                true,
            )
        })?;
    if len > MAX_RECORD {
        // Skip the block without keeping it; the next record is still reachable.
        let skipped = std::io::copy(&mut r.take(len), &mut std::io::sink()).unwrap_or(0);
        let fatal = skipped < len;
        return Err((
            format!("record of {len} bytes, over the limit of {MAX_RECORD}; skipped"),
            fatal,
        ));
    }
    let mut block = Vec::with_capacity(len as usize);
    let got = r
        .take(len)
        .read_to_end(&mut block)
        .map_err(|e| (format!("cannot read: {e}"), true))?;
    if (got as u64) < len {
        return Err((
            format!("record length {len} runs past the end of the file ({got} bytes left)"),
            true,
        ));
    }
    Ok((headers, block))
}

/// The record starting at `offset` (and, in a whole-file gzip, `inner` bytes into the
/// decompressed stream) of the archive `bytes`.
pub fn record_at(bytes: &[u8], offset: u64, inner: Option<u64>) -> Option<Record> {
    let rest = bytes.get(offset as usize..)?;
    let mut found = None;
    if is_gzip(rest) {
        let mut data = Vec::new();
        flate2::bufread::GzDecoder::new(rest)
            .take(MAX_RECORD * 16)
            .read_to_end(&mut data)
            .ok()?;
        let from = inner.unwrap_or(0) as usize;
        let mut c = Counting {
            inner: data.get(from..)?,
            pos: 0,
        };
        let mut once = true;
        read_plain(&mut c, offset, Some(offset), &mut |x| {
            if once {
                found = x.ok();
            }
            once = false;
        });
    } else {
        let mut c = Counting {
            inner: rest,
            pos: 0,
        };
        let mut once = true;
        read_plain(&mut c, offset, None, &mut |x| {
            if once {
                found = x.ok();
            }
            once = false;
        });
    }
    found.map(|mut r| {
        r.offset = offset;
        r.inner_offset = inner;
        r
    })
}

/// A digest as WARC writes it (`sha1:BASE32`, `sha256:HEX` or `sha256:BASE32`) checked against
/// `bytes`: `None` when the algorithm is not one collatio computes, else the digest of the bytes
/// in the header's own notation and whether it matches.
pub fn check_digest(header: &str, bytes: &[u8]) -> Option<(String, bool)> {
    let (alg, value) = header.trim().split_once(':')?;
    let value = value.trim();
    let raw: Vec<u8> = match alg.to_ascii_lowercase().as_str() {
        "sha1" => sha1::Sha1::digest(bytes).to_vec(),
        "sha256" | "sha-256" => sha2::Sha256::digest(bytes).to_vec(),
        _ => return None,
    };
    let b32 = data_encoding::BASE32.encode(&raw);
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let ok = value.eq_ignore_ascii_case(&b32) || value.eq_ignore_ascii_case(&hex);
    let computed = if value.len() == hex.len() && value.bytes().all(|c| c.is_ascii_hexdigit()) {
        hex
    } else {
        b32
    };
    Some((format!("{alg}:{computed}"), ok))
}

/// Base32 sha1 of `bytes` as a WARC digest header value (the test helper writes records).
pub fn sha1_digest(bytes: &[u8]) -> String {
    format!(
        "sha1:{}",
        data_encoding::BASE32.encode(&sha1::Sha1::digest(bytes))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn rec(uri: &str, body: &str) -> Vec<u8> {
        let mut v = format!(
            "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: {uri}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        v.extend_from_slice(body.as_bytes());
        v.extend_from_slice(b"\r\n\r\n");
        v
    }

    fn gz(b: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    }

    fn all(bytes: &[u8]) -> Vec<Result<Record, BadRecord>> {
        let mut v = Vec::new();
        read_all(bytes, &mut |x| v.push(x));
        v
    }

    #[test]
    fn plain_records_with_offsets() {
        let a = rec("http://a/", "one");
        let b = rec("http://b/", "two");
        let file = [a.clone(), b].concat();
        let got = all(&file);
        assert_eq!(got.len(), 2);
        let r = got[1].as_ref().unwrap();
        assert_eq!(
            (r.offset, r.block.as_slice()),
            (a.len() as u64, &b"two"[..])
        );
        assert_eq!(r.header("warc-target-uri"), Some("http://b/"));
        assert!(record_at(&file, a.len() as u64, None).is_some());
    }

    #[test]
    fn gzip_members_and_a_truncated_one() {
        let a = gz(&rec("http://a/", "one"));
        let b = gz(&rec("http://b/", "two"));
        let file = [a.clone(), b.clone()].concat();
        let got = all(&file);
        assert_eq!(got[1].as_ref().unwrap().offset, a.len() as u64);
        let cut = [a.clone(), b[..b.len() / 2].to_vec()].concat();
        let got = all(&cut);
        assert!(got[0].is_ok());
        assert_eq!(got[1].as_ref().unwrap_err().offset, a.len() as u64);
        // A damaged member in the middle: reported, and the next member is read.
        let mut broken = b.clone();
        let mid = broken.len() / 2;
        broken[mid..mid + 4].copy_from_slice(b"\xff\xff\xff\xff");
        let c = gz(&rec("http://c/", "three"));
        let got = all(&[a.clone(), broken.clone(), c].concat());
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1].as_ref().unwrap_err().offset, a.len() as u64);
        assert!(got[1].as_ref().unwrap_err().message.contains("goes on"));
        assert_eq!(got[2].as_ref().unwrap().block, b"three");
        // Whole-file gzip: both records, with their place in the stream.
        let whole = gz(&[rec("http://a/", "one"), rec("http://b/", "two")].concat());
        let got = all(&whole);
        assert_eq!(got.len(), 2);
        let r = got[1].as_ref().unwrap();
        let again = record_at(&whole, r.offset, r.inner_offset).unwrap();
        assert_eq!(again.block, b"two");
    }

    #[test]
    fn length_past_the_end_and_bad_header() {
        let mut a = rec("http://a/", "one");
        a.truncate(a.len() - 5);
        assert!(all(&a)[0]
            .as_ref()
            .unwrap_err()
            .message
            .contains("past the end"));
        let got = all(b"HTTP/1.1 200 OK\r\n\r\n");
        assert!(got[0]
            .as_ref()
            .unwrap_err()
            .message
            .contains("bad WARC header"));
    }

    #[test]
    fn digests() {
        let d = sha1_digest(b"abc");
        assert_eq!(d, "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
        assert_eq!(check_digest(&d, b"abc").map(|x| x.1), Some(true));
        assert_eq!(check_digest(&d, b"abd").map(|x| x.1), Some(false));
        assert_eq!(check_digest("md5:x", b"abc"), None);
    }

    proptest::proptest! {
        /// Any bytes, and any cut or flipped byte of a valid archive: reading never panics,
        /// ends, and every bad record names an offset inside the file.
        #[test]
        fn any_archive_bytes_are_read_or_reported(
            noise in proptest::collection::vec(proptest::num::u8::ANY, 0..300),
            cut in 0usize..400,
            flip in 0usize..400,
            gzipped in proptest::bool::ANY,
        ) {
            let mut file = [rec("http://a/", "一二三"), rec("http://b/", "four")].concat();
            if gzipped {
                file = [gz(&rec("http://a/", "一二三")), gz(&rec("http://b/", "four"))].concat();
            }
            let f = flip % file.len();
            file[f] ^= 0x5a;
            file.truncate(cut.min(file.len()));
            for bytes in [&file[..], &noise[..]] {
                for r in all(bytes) {
                    if let Err(b) = r {
                        proptest::prop_assert!(b.offset <= bytes.len() as u64);
                    }
                }
            }
        }
    }
}
