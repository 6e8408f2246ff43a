//! A released document's text, read back from its file on demand.
//!
//! Collation of a large pair needs few characters of either text once both are segmented: the
//! units that differ, the places findings point at. A plain UTF-8 file's bytes *are* its text,
//! so [`Document::release_text`](super::Document::release_text) drops the copy in memory and
//! keeps this handle; every later read is a positioned read of the bytes it asks for.

use std::borrow::Cow;
use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// The text of a document whose bytes stay in its file (see the module comment).
#[derive(Debug)]
pub struct DiskText {
    path: PathBuf,
    /// The file's modification time when the document was read: a file rewritten since is
    /// noticed even at the same length.
    modified: Option<std::time::SystemTime>,
    len: usize,
    /// Set when a read came back short or not UTF-8: the file changed during the run.
    changed: AtomicBool,
    /// The open file and the bytes last read from it.
    cache: Mutex<Cache>,
}

/// What a [`DiskText`] keeps between reads.
#[derive(Debug, Default)]
struct Cache {
    /// The file, kept open while fewer than [`MAX_OPEN`] texts keep theirs (a run over
    /// thousands of large files must not run out of handles); else opened for each read.
    file: Option<File>,
    /// The bytes last read and where they start.
    window: Option<(usize, Vec<u8>)>,
}

/// Files kept open by all [`DiskText`]s at most.
const MAX_OPEN: usize = 64;

/// Files kept open now.
static OPEN: AtomicUsize = AtomicUsize::new(0);

impl Drop for DiskText {
    fn drop(&mut self) {
        if self.cache.get_mut().is_ok_and(|c| c.file.is_some()) {
            OPEN.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

/// Bytes read from the file at a time for short reads.
const WINDOW: usize = 8 * 1024;

/// A UTF-8 continuation byte (`10xxxxxx`): not the first byte of a character.
fn continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

impl DiskText {
    /// Opens `path` as the text of a document whose text is `len` bytes; `None` when the file
    /// cannot be opened or no longer has that length.
    pub fn open(path: &Path, len: usize) -> Option<DiskText> {
        let m = std::fs::metadata(path).ok()?;
        (m.is_file() && m.len() == len as u64).then(|| DiskText {
            path: path.to_path_buf(),
            modified: m.modified().ok(),
            len,
            changed: AtomicBool::new(false),
            cache: Mutex::new(Cache::default()),
        })
    }

    /// Bytes in the text.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The file the text is read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a read found the file changed since the document was read (it must not change
    /// while collatio runs: offsets would point at other text).
    pub fn changed(&self) -> bool {
        self.changed.load(Ordering::Relaxed)
    }

    /// The text of byte range `r`, both ends moved back to character boundaries (as
    /// [`floor_char_boundary`](super::floor_char_boundary) does on a held text), and where it
    /// starts. A failed read gives an empty text and marks the file [`changed`](Self::changed).
    pub fn read(&self, r: Range<usize>) -> (usize, Cow<'static, str>) {
        let end = r.end.min(self.len);
        let start = r.start.min(end);
        // Up to 3 bytes before (to find the start's character) and 1 after (to know whether the
        // end cuts a character).
        let from = start.saturating_sub(3);
        let to = (end + 1).min(self.len);
        let Some(buf) = self.bytes(from, to) else {
            self.changed.store(true, Ordering::Relaxed);
            return (start, Cow::Borrowed(""));
        };
        let floor = |mut i: usize| {
            while i > from && i < to && continuation(buf[i - from]) {
                i -= 1;
            }
            i
        };
        let (s, e) = (floor(start), floor(end));
        let e = e.max(s);
        match std::str::from_utf8(&buf[s - from..e - from]) {
            Ok(t) => (s, Cow::Owned(t.to_string())),
            Err(_) => {
                self.changed.store(true, Ordering::Relaxed);
                let t = String::from_utf8_lossy(&buf[s - from..e - from]).into_owned();
                (s, Cow::Owned(t))
            }
        }
    }

    /// The whole text, read back; `None` (and marked [`changed`](Self::changed)) when the file
    /// no longer holds it.
    pub fn read_all(&self) -> Option<String> {
        let t = self
            .bytes(0, self.len)
            .and_then(|b| String::from_utf8(b).ok());
        if t.is_none() {
            self.changed.store(true, Ordering::Relaxed);
        }
        t
    }

    /// Bytes `from..to` of the text: from the window last read when it holds them, else read
    /// (a window of [`WINDOW`] bytes from `from` for a short read: the reads of one unit, its
    /// variants and their lines, fall close together).
    fn bytes(&self, from: usize, to: usize) -> Option<Vec<u8>> {
        let mut cache = self.cache.lock().ok()?;
        if let Some((s, w)) = cache.window.as_ref() {
            if *s <= from && to <= s + w.len() {
                return Some(w[from - s..to - s].to_vec());
            }
        }
        if to - from > WINDOW {
            return self.read_file(&mut cache, from, to);
        }
        let end = (from + WINDOW).min(self.len).max(to);
        let w = self.read_file(&mut cache, from, end)?;
        let out = w[..to - from].to_vec();
        cache.window = Some((from, w));
        Some(out)
    }

    /// Bytes `from..to` of the file, by a positioned read; `None` when the file is gone or
    /// changed (its length or modification time).
    fn read_file(&self, cache: &mut Cache, from: usize, to: usize) -> Option<Vec<u8>> {
        let opened;
        let file = match &cache.file {
            Some(f) => f,
            None => {
                opened = File::open(&self.path).ok()?;
                if OPEN.fetch_add(1, Ordering::Relaxed) < MAX_OPEN {
                    cache.file.insert(opened)
                } else {
                    OPEN.fetch_sub(1, Ordering::Relaxed);
                    &opened
                }
            }
        };
        let m = file.metadata().ok()?;
        if m.len() != self.len as u64 || m.modified().ok() != self.modified {
            return None;
        }
        let mut buf = vec![0; to - from];
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt;
            file.read_exact_at(&mut buf, from as u64).ok()?;
        }
        #[cfg(windows)]
        {
            use std::os::windows::fs::FileExt;
            let mut done = 0;
            while done < buf.len() {
                match file.seek_read(&mut buf[done..], (from + done) as u64) {
                    Ok(0) | Err(_) => return None,
                    Ok(n) => done += n,
                }
            }
        }
        Some(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_floor_to_character_boundaries_as_a_held_text_does() {
        let text = "ab中文x\n第二行";
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.txt");
        std::fs::write(&p, text).unwrap();
        let d = DiskText::open(&p, text.len()).unwrap();
        for a in 0..=text.len() + 2 {
            for b in a..=text.len() + 2 {
                let s = super::super::floor_char_boundary(text, a);
                let e = super::super::floor_char_boundary(text, b.max(s));
                assert_eq!(d.read(a..b), (s, Cow::Borrowed(&text[s..e])), "{a}..{b}");
            }
        }
        assert!(!d.changed());
    }

    #[test]
    fn a_file_of_another_length_is_not_taken_and_a_shrunk_one_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.txt");
        std::fs::write(&p, "一二三四").unwrap();
        assert!(DiskText::open(&p, 5).is_none());
        let d = DiskText::open(&p, 12).unwrap();
        std::fs::write(&p, "一").unwrap();
        assert_eq!(d.read(6..12).1, "");
        assert!(d.changed());
        // Rewritten at the same length: noticed by its modification time.
        let d = DiskText::open(&p, 3).unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(later).unwrap();
        assert_eq!(d.read(0..3).1, "");
        assert!(d.changed());
    }
}
