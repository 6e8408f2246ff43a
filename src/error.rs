//! Errors about input, configuration and rules data. Findings are not errors: they are values
//! handed to a reporter.

use miette::{Diagnostic, NamedSource, SourceSpan};
use std::path::PathBuf;
use thiserror::Error;

/// An error that stops one file (the run goes on with the others) or the whole run.
#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    #[error("{path}: cannot read: {source}")]
    #[diagnostic(code(collatio::io), help("check that the path exists and is readable"))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: looks like a binary file ({reason}); skipped")]
    #[diagnostic(
        code(collatio::binary),
        help("collatio reads text files; pass --encoding if this is text in an unusual encoding")
    )]
    Binary { path: PathBuf, reason: String },

    #[error(
        "{path}: cannot decode as {encoding}: invalid byte sequence at byte {offset} (line {line})"
    )]
    #[diagnostic(
        code(collatio::decode),
        help("name the file's encoding with --encoding (utf-8, utf-16le, gb18030, big5, …)")
    )]
    Decode {
        path: PathBuf,
        encoding: String,
        offset: usize,
        line: usize,
    },

    #[error("unknown encoding `{0}`")]
    #[diagnostic(
        code(collatio::encoding),
        help("use a WHATWG encoding label such as utf-8, utf-16le, gb18030, gbk, big5")
    )]
    UnknownEncoding(String),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Data(Box<DataError>),

    #[error("{0}")]
    #[diagnostic(code(collatio::usage))]
    Usage(String),

    #[error("{path}: too large ({size} bytes, over the limit of {limit} bytes); skipped")]
    #[diagnostic(
        code(collatio::too_large),
        help("split the file, or raise the limit with --max-file-size SIZE (or max_file_size in collatio.toml)")
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
}

impl Error {
    /// A data-file error at a byte span of `text` (rules, config, baseline, manifest).
    pub fn data(
        path: impl Into<String>,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Self {
        let path = path.into();
        let message = message.into();
        let (message, span) = match span {
            Some(r) => {
                let line = text[..r.start.min(text.len())].matches('\n').count() + 1;
                (
                    format!("line {line}: {message}"),
                    Some(SourceSpan::from(r.start..r.end.max(r.start))),
                )
            }
            None => (message, None),
        };
        Error::Data(Box::new(DataError {
            src: NamedSource::new(path.clone(), text.to_string()),
            path,
            message,
            span,
            help,
        }))
    }
}

/// An error in a data file (rules, config, baseline, manifest), with a span into the file.
#[derive(Debug, Error, Diagnostic)]
#[error("{path}: {message}")]
#[diagnostic(code(collatio::data))]
pub struct DataError {
    pub path: String,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: Option<SourceSpan>,
    #[help]
    pub help: Option<String>,
}

pub type Result<T> = std::result::Result<T, Error>;
