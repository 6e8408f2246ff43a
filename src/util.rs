//! Small helpers shared by stages: bounded reads of regular files, atomic writes, and showing
//! archive text safely on a terminal.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Size limits of the files collatio reads (bytes). A limit stops `/dev/zero`-like inputs and
/// mistakes (a video named `.txt`) with a clear message instead of exhausting memory.
pub mod limits {
    /// A text to check.
    pub const INPUT: u64 = 2 << 30;
    /// `collatio.toml`.
    pub const CONFIG: u64 = 1 << 20;
    /// One rules-data file.
    pub const RULES: u64 = 64 << 20;
    /// A baseline.
    pub const BASELINE: u64 = 512 << 20;
    /// A manifest (it holds the normalized text of every unit, so about the archive's size).
    pub const MANIFEST: u64 = 2 << 30;
}

/// Why a path cannot be read as a file.
fn kind_of(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// `Ok` if `path` (after following links) is a regular file; otherwise an error of kind
/// `InvalidInput` that says what it is. Checked before opening: opening a FIFO blocks until a
/// writer comes, and a device never ends.
pub fn ensure_regular(path: &Path) -> std::io::Result<std::fs::Metadata> {
    let md = std::fs::metadata(path)?;
    if md.is_file() {
        Ok(md)
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "{} — collatio reads only regular files",
                kind_of(&md.file_type())
            ),
        ))
    }
}

/// Read a regular file of at most `limit` bytes. Anything else (a FIFO, a device, a directory,
/// a larger file) is an error saying what it is and what the limit is.
pub fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    ensure_regular(path)?;
    let f = std::fs::File::open(path)?;
    // The file may have been swapped between the check and the open: check what was opened.
    let md = f.metadata()?;
    if !md.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "{} — collatio reads only regular files",
                kind_of(&md.file_type())
            ),
        ));
    }
    let too_big = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "larger than the limit of {} bytes for this kind of file",
                limit
            ),
        )
    };
    if md.len() > limit {
        return Err(too_big());
    }
    let mut buf = Vec::with_capacity(md.len() as usize);
    // `take` bounds a file that grows while it is read.
    f.take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(buf)
}

/// [`read_limited`] for a UTF-8 text file (config, rules, baseline, manifest).
pub fn read_text_limited(path: &Path, limit: u64) -> std::io::Result<String> {
    let bytes = read_limited(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Write `bytes` to `path` atomically: a temporary file in the same directory, flushed and synced,
/// then renamed over the target. A run killed mid-write leaves the old file intact.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, &mut |w| w.write_all(bytes))
}

/// Temp files of killed writes older than this are removed even if their PID is alive (PIDs
/// are reused).
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Where a write to `path` really goes. A symlink is followed on purpose (the link stays, its
/// target is replaced, as `cp` and editors do); a link to nowhere is refused, since the file
/// it would create is not the one named.
pub fn write_target(path: &Path) -> std::io::Result<PathBuf> {
    let dir = || std::io::Error::new(std::io::ErrorKind::InvalidInput, "a directory; name a file");
    let Ok(md) = std::fs::symlink_metadata(path) else {
        return Ok(path.to_path_buf());
    };
    if md.is_dir() {
        return Err(dir());
    }
    if !md.file_type().is_symlink() {
        return Ok(path.to_path_buf());
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(dir()),
        // `/dev/stdout` → `/proc/self/fd/1` → a pipe: a stream, written in place.
        Ok(m) if !m.is_file() => Ok(path.to_path_buf()),
        _ => std::fs::canonicalize(path).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "a symbolic link to a file that does not exist; name the target instead",
            )
        }),
    }
}

/// The prefix of our temp files for a target named `name`: `.NAME.collatio-tmp.`, followed by
/// `PID.RAND`. Nothing else carries it, so clean-up never removes a file it did not make.
fn temp_prefix(name: &str) -> String {
    format!(".{name}.collatio-tmp.")
}

/// A random-enough suffix for a temp name (uniqueness is enforced by `create_new`).
fn rand_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{:08x}", h.finish() as u32)
}

/// Whether process `pid` is running; `None` where that cannot be told (no `/proc`).
fn pid_alive(pid: u32) -> Option<bool> {
    if !Path::new("/proc/self").exists() {
        return None;
    }
    Some(Path::new(&format!("/proc/{pid}")).exists())
}

/// Whether `file` (a name in the target's folder) is a stale temp file of a write to `name`:
/// exactly `.NAME.collatio-tmp.PID.RAND` (PID digits, RAND hex), from a process that is gone or
/// older than [`STALE_AFTER`].
fn is_stale_temp(file: &str, name: &str, age: Option<std::time::Duration>) -> bool {
    let Some(rest) = file.strip_prefix(&temp_prefix(name)) else {
        return false;
    };
    let Some((pid, rand)) = rest.split_once('.') else {
        return false;
    };
    let pattern = !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && !rand.is_empty()
        && rand.bytes().all(|b| b.is_ascii_hexdigit());
    let Ok(pid) = pid.parse::<u32>() else {
        return false;
    };
    if !pattern || pid == std::process::id() {
        return false;
    }
    pid_alive(pid) == Some(false) || age.is_some_and(|a| a > STALE_AFTER)
}

/// Remove temp files that killed writes to `name` left in `dir`. Errors are ignored: clean-up
/// must never stop a write.
fn remove_stale_temps(dir: &Path, name: &str) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for e in rd.flatten() {
        let file = e.file_name();
        let Some(file) = file.to_str() else { continue };
        let Ok(md) = e.metadata() else { continue };
        if !md.is_file() {
            continue;
        }
        let age = md.modified().ok().and_then(|m| now.duration_since(m).ok());
        if is_stale_temp(file, name, age) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// [`write_atomic`] for output produced piecewise: `fill` writes into a buffered temp file.
/// A symlink is followed (see [`write_target`]); an existing target keeps its permissions; temp
/// files that killed writes to the same target left behind are removed first. A device or a
/// FIFO (`-o /dev/null`) is written in place.
pub fn write_atomic_with(
    path: &Path,
    fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let target = write_target(path)?;
    if std::fs::metadata(&target).is_ok_and(|m| !m.is_file()) {
        // `/dev/null`, `/dev/stdout`, a pipe: a stream, written in place (a temp file renamed
        // over a device would replace the device).
        let mut w = std::io::BufWriter::new(std::fs::OpenOptions::new().write(true).open(&target)?);
        fill(&mut w)?;
        return w.flush();
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    remove_stale_temps(&dir, &name);
    let old_perms = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let (tmp, file) = create_temp(&dir, &name)?;
    let result = (|| {
        let mut w = std::io::BufWriter::new(file);
        fill(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        if let Some(p) = old_perms {
            f.set_permissions(p)?;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A new temp file `.NAME.collatio-tmp.PID.RAND` in `dir`, never an existing one.
fn create_temp(dir: &Path, name: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    let mut last = None;
    for _ in 0..16 {
        let tmp = dir.join(format!(
            "{}{}.{}",
            temp_prefix(name),
            std::process::id(),
            rand_hex()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temp name")))
}

/// Whether `c` must not reach a terminal as is: C0 controls other than tab and newline, DEL, C1
/// controls (ESC, CSI and OSC start sequences that clear screens, forge links or write the
/// clipboard), bidirectional overrides and isolates (they reorder what is shown), and the line
/// and paragraph separators.
pub fn is_unsafe_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// `s` with every [unsafe](is_unsafe_char) character shown visibly as `\u{1b}` (a CR before a
/// line feed is kept: it is a line ending). Borrowed when there is nothing to escape.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\r' && it.peek() == Some(&'\n') {
            out.push(c);
        } else if c == '\r' || is_unsafe_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Shorten `s` to `max` characters with an ellipsis.
pub fn excerpt(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_escapes_controls_and_bidi_only() {
        assert_eq!(visible("甲\u{1b}[2J乙"), "甲\\u{1b}[2J乙");
        assert_eq!(visible("a\u{202e}b\u{9b}"), "a\\u{202e}b\\u{9b}");
        assert_eq!(visible("行\r\n\t中"), "行\r\n\t中");
        assert_eq!(visible("x\ry"), "x\\u{d}y");
        assert!(matches!(visible("中文，text"), Cow::Borrowed(_)));
    }

    #[test]
    fn stale_temp_pattern_is_exact() {
        let old = Some(STALE_AFTER * 2);
        assert!(is_stale_temp(
            ".m.json.collatio-tmp.4294967.0a1b",
            "m.json",
            old
        ));
        // Other names, other targets, other shapes: never.
        assert!(!is_stale_temp(".m.json.collatio-tmp.12.zz", "m.json", old));
        assert!(!is_stale_temp(".m.json.collatio-tmp.x.0a", "m.json", old));
        assert!(!is_stale_temp(".n.json.collatio-tmp.12.0a", "m.json", old));
        assert!(!is_stale_temp("m.json", "m.json", old));
        assert!(!is_stale_temp(".m.json.tmp.12", "m.json", old));
        // Ours, alive and young: kept.
        let me = format!(".m.json.collatio-tmp.{}.0a", std::process::id());
        assert!(!is_stale_temp(&me, "m.json", old));
    }

    #[test]
    fn special_files_are_refused() {
        for p in ["/dev/null", "/dev/zero", "/"] {
            if Path::new(p).exists() {
                let e = read_limited(Path::new(p), 10).unwrap_err();
                assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{p}: {e}");
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("big.txt");
        std::fs::write(&f, "0123456789A").unwrap();
        let e = read_limited(&f, 10).unwrap_err();
        assert!(e.to_string().contains("limit of 10 bytes"), "{e}");
        assert_eq!(read_limited(&f, 11).unwrap().len(), 11);
    }
}
