//! Errors about input, configuration and rules data. Findings are not errors: they are values
//! handed to a reporter.

use miette::{Diagnostic, SourceSpan};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// A path as an error message shows it: control and bidi characters in a file name are shown
/// escaped, never sent to the terminal.
pub fn shown(path: &Path) -> String {
    crate::util::visible(&path.display().to_string()).into_owned()
}

/// An error that stops one file (the run goes on with the others) or the whole run.
#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    #[error("{}: cannot read: {source}", shown(path))]
    #[diagnostic(code(collatio::io), help("check that the path exists and is readable"))]
    /// A file or folder could not be read.
    Io {
        /// What was being read.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },

    #[error("{}: cannot write: {source}", shown(path))]
    #[diagnostic(
        code(collatio::write),
        help("check that the folder exists and is writable, and that the disk is not full")
    )]
    /// A report, manifest or baseline could not be written.
    Write {
        /// What was being written.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },

    #[error("{}: looks like a binary file ({reason}); skipped", shown(path))]
    #[diagnostic(
        code(collatio::binary),
        help("collatio reads text files; pass --encoding if this is text in an unusual encoding")
    )]
    /// The file does not look like text (NUL bytes, an image signature …) and was skipped.
    Binary {
        /// The skipped file.
        path: PathBuf,
        /// What gave it away, for the message.
        reason: String,
    },

    #[error("{}: at byte {offset}: {message}", shown(path))]
    #[diagnostic(
        code(collatio::archive),
        help("the record was skipped and the run went on; restore the archive from a good copy, or re-crawl the page")
    )]
    /// A WARC record or WACZ member that could not be read (the run went on with the next one).
    Archive {
        /// The archive file.
        path: PathBuf,
        /// Byte offset of the record (of its gzip member) in the file.
        offset: u64,
        /// What is wrong.
        message: String,
    },

    #[error(
        "{}:{line}:{column}: damaged text: invalid byte sequence for {encoding} at byte {offset} (line {line}, column {column}); the file was not checked",
        shown(path)
    )]
    #[diagnostic(
        code(collatio::decode),
        help("restore the file from a good copy; or name its encoding with --encoding (utf-8, gb18030, big5, …); or check it anyway with --lossy (each bad byte becomes U+FFFD and an encoding finding)")
    )]
    /// The file does not decode in its (detected or named) encoding; it was not checked.
    Decode {
        /// The damaged file.
        path: PathBuf,
        /// The encoding it was decoded with.
        encoding: String,
        /// Byte offset of the first bad byte.
        offset: usize,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based, in characters of the decoded line before the bad byte.
        column: usize,
    },

    #[error("unknown encoding `{0}`")]
    #[diagnostic(
        code(collatio::encoding),
        help("use a WHATWG encoding label such as utf-8, utf-16le, gb18030, gbk, big5")
    )]
    /// `--encoding` (or `encoding =`) names no encoding known to WHATWG; holds the label.
    UnknownEncoding(String),

    #[error("{}: internal error in {stage}: {message}; the file's other findings are lost, the run went on", shown(path))]
    #[diagnostic(
        code(collatio::internal),
        help("this is a bug in collatio: please report it with the file (or a short text that shows it)")
    )]
    /// A rule or stage panicked on one file; the panic was caught and the run went on.
    Internal {
        /// The file being processed.
        path: PathBuf,
        /// The rule or stage that failed (`rule src/rules/loops.rs`, `segment` …).
        stage: String,
        /// The panic's message.
        message: String,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    /// A data file (rules, config, baseline, manifest) is malformed; boxed to keep `Error` small.
    Data(Box<DataError>),

    #[error("{0}")]
    #[diagnostic(code(collatio::usage))]
    /// The command line or its combination of options is wrong; holds the whole message.
    Usage(String),

    #[error("{path}: too large ({size} bytes, over the limit of {limit} bytes); skipped")]
    #[diagnostic(
        code(collatio::too_large),
        help("split the file, or raise the limit with --max-file-size SIZE (or max_file_size in collatio.toml)")
    )]
    /// The file is over the size limit and was skipped.
    TooLarge {
        /// The skipped file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes (`--max-file-size`).
        limit: u64,
    },
}

/// Characters of a data file's line shown on each side of an error.
const WINDOW: usize = 40;

impl Error {
    /// A data-file error at a byte span of `text` (rules, config, baseline, manifest). The
    /// message names the line and column; the snippet is a window of the error's line (a
    /// minified file is one line of megabytes).
    pub fn data(
        path: impl Into<String>,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Self {
        let path = crate::util::visible(&path.into()).into_owned();
        let message = message.into();
        let (message, src, span) = match span {
            Some(r) => {
                let w = Window::around(&path, text, r);
                // The column only where it tells something (a span not at a line's start).
                let at = if w.column > 1 {
                    format!("line {}, column {}", w.line, w.column)
                } else {
                    format!("line {}", w.line)
                };
                (format!("{at}: {message}"), Some(w.src), Some(w.span))
            }
            None => (message, None, None),
        };
        Error::Data(Box::new(DataError {
            src,
            path,
            message,
            span,
            help,
        }))
    }
}

/// A window of one line of a data file around an error, for miette: a few dozen characters,
/// control characters escaped, with the file's line and column.
#[derive(Debug)]
pub struct Window {
    name: String,
    text: String,
    /// 1-based line and column (characters) of the error in the file.
    line: usize,
    column: usize,
}

/// What [`Window::around`] makes: the source, the error's span in it, its line and column.
struct Windowed {
    src: Window,
    span: SourceSpan,
    line: usize,
    column: usize,
}

impl Window {
    fn around(name: &str, text: &str, r: std::ops::Range<usize>) -> Windowed {
        use crate::model::floor_char_boundary as floor;
        let start = floor(text, r.start.min(text.len()));
        let end = floor(text, r.end.clamp(start, text.len()));
        let ls = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line = text[..start].matches('\n').count() + 1;
        let column = text[ls..start].chars().count() + 1;
        let from = chars_back(text, start, WINDOW, ls);
        let mut out = String::new();
        let (mut a, mut b) = (0, 0);
        // The span's lines (a table spans several), each cut to a window.
        let mut line_start = ls;
        for k in 0..MAX_LINES {
            let le = text[line_start..]
                .find('\n')
                .map_or(text.len(), |i| line_start + i);
            let seg = if k == 0 { from } else { line_start };
            // A window past the span's end on this line, at most 4 windows long.
            let to = chars_forward(text, seg, 4 * WINDOW, le).min(chars_forward(
                text,
                end.clamp(seg, le),
                WINDOW,
                le,
            ));
            if k > 0 {
                out.push('\n');
            }
            if seg > line_start {
                out.push('…');
            }
            let s0 = start.clamp(seg, to);
            let s1 = end.clamp(s0, to);
            push_visible(&mut out, &text[seg..s0]);
            if k == 0 {
                a = out.len();
            }
            push_visible(&mut out, &text[s0..s1]);
            b = out.len();
            push_visible(&mut out, text[s1..to].trim_end_matches('\r'));
            if to < le {
                out.push('…');
            }
            if end <= le || le >= text.len() {
                break;
            }
            line_start = le + 1;
        }
        Windowed {
            src: Window {
                name: name.to_string(),
                text: out,
                line,
                column,
            },
            span: SourceSpan::from(a..b.max(a)),
            line,
            column,
        }
    }
}

/// Lines of a multi-line span shown at most.
const MAX_LINES: usize = 8;

fn push_visible(out: &mut String, s: &str) {
    out.push_str(&crate::util::visible(s));
}

/// The byte offset `n` characters before `at`, not before `lo`.
fn chars_back(s: &str, at: usize, n: usize, lo: usize) -> usize {
    s[lo..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(lo, |(i, _)| lo + i)
}

/// The byte offset `n` characters after `at`, not after `hi`.
fn chars_forward(s: &str, at: usize, n: usize, hi: usize) -> usize {
    let at = at.min(hi);
    s[at..hi].char_indices().nth(n).map_or(hi, |(i, _)| at + i)
}

impl miette::SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> std::result::Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            self.line - 1,
            self.column - 1,
            inner.line_count(),
        )))
    }
}

/// An error in a data file (rules, config, baseline, manifest), with a span into the file.
#[derive(Debug, Error, Diagnostic)]
#[error("{path}: {message}")]
#[diagnostic(code(collatio::data))]
pub struct DataError {
    /// The data file, as shown to the user.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// The lines around the error, so miette can show them.
    #[source_code]
    pub src: Option<Window>,
    /// Where in `src` the error is.
    #[label("here")]
    pub span: Option<SourceSpan>,
    /// How to fix it.
    #[help]
    pub help: Option<String>,
}

/// collatio's result type.
pub type Result<T> = std::result::Result<T, Error>;

thread_local! {
    /// Set while [`guard`] runs on this thread: its panics are recorded, not printed.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Where and why the last guarded panic on this thread happened.
    static LAST_PANIC: std::cell::RefCell<Option<(String, String)>> =
        const { std::cell::RefCell::new(None) };
}

/// The message a panic carries.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Run `f` (the work on one file); a panic inside it becomes [`Error::Internal`] naming `path`
/// and the source file of the rule or stage that panicked, so one bad document never loses the
/// whole run.
pub fn guard<T>(path: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(|g| g.get()) {
                return previous(info);
            }
            let at = info
                .location()
                .map_or_else(String::new, |l| format!("{}:{}", l.file(), l.line()));
            let why = panic_text(info.payload());
            LAST_PANIC.with(|p| *p.borrow_mut() = Some((at, why)));
        }));
    });
    let was = GUARDED.with(|g| g.replace(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    r.unwrap_or_else(|payload| {
        // A panic on another thread (a nested parallel loop) was not recorded here: its
        // payload still says why.
        let (at, why) = LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| (String::new(), panic_text(payload.as_ref())));
        let stage = if at.contains("src/rules/") {
            format!("rule {at}")
        } else if at.is_empty() {
            "an unknown stage".into()
        } else {
            format!("stage {at}")
        };
        Err(Error::Internal {
            path: path.to_path_buf(),
            stage,
            message: crate::util::visible(&why).into_owned(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error_naming_file_and_place() {
        let e = guard::<()>(Path::new("甲.txt"), || panic!("index out of bounds")).unwrap_err();
        let s = e.to_string();
        assert!(
            s.contains("甲.txt") && s.contains("src/error.rs") && s.contains("index out of bounds"),
            "{s}"
        );
        assert_eq!(guard(Path::new("x"), || Ok(3)).unwrap(), 3);
    }

    /// An error far along a one-line file renders (miette once panicked on columns past
    /// 65,535) and names the line and column.
    #[test]
    fn error_past_column_65535_renders_a_window() {
        let text = format!("x = \"{}\"\ny = [\u{1b}]2;boom", "甲".repeat(100_000));
        let at = text.find('\u{1b}').unwrap();
        let e = Error::data("r.toml", &text, Some(at..at + 1), "bad", None);
        let s = e.to_string();
        assert!(s.contains("line 2, column 6"), "{s}");
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .render_report(&mut out, &e)
            .unwrap();
        assert!(
            out.contains("r.toml:2:6") && !out.contains('\u{1b}'),
            "{out}"
        );
        let one_line = format!("[[pitfall]] wrong = \"{}\" bogus", "乙".repeat(70_000));
        let at = one_line.find("bogus").unwrap();
        let e = Error::data("r.toml", &one_line, Some(at..at + 5), "bad", None);
        let mut out = String::new();
        miette::GraphicalReportHandler::new()
            .render_report(&mut out, &e)
            .unwrap();
        assert!(out.contains("line 1, column 70024"), "{out}");
        assert!(out.len() < 2000, "{}", out.len());
    }

    proptest::proptest! {
        /// Any span of any text renders, bounded, without a panic.
        #[test]
        fn any_span_renders(text in "[a\\n甲\\r\u{1b}\u{202e} ]{0,300}", a in 0usize..400, n in 0usize..400) {
            let e = Error::data("f.toml", &text, Some(a..a + n), "bad", None);
            let mut out = String::new();
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .render_report(&mut out, &e)
                .unwrap();
            let sent = out.contains('\u{1b}') || out.contains('\u{202e}');
            proptest::prop_assert!(!sent, "{}", out);
            proptest::prop_assert!(out.len() < 8000, "{}", out.len());
        }
    }
}
