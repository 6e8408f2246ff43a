//! `collatio extract ARCHIVE… -o DIR`: the text collatio reads from each capture (and HTML
//! page), one file per capture with its provenance as front matter, so a finding's line in a
//! report can be opened.

use super::Kind;
use crate::error::Error;
use crate::pipeline::ReadOptions;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `collatio extract`.
#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// WARC (`.warc`, `.warc.gz`), WACZ or HTML files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Folder to write the texts into (created if missing); each file is named as reports name
    /// the capture (`snap.warc.gz#1234.txt`).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Errors only: no line counting the texts written.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// A report name as a file name: `/` and `!` (WACZ members) become `_`.
pub fn file_name(display: &str) -> String {
    let base = display.rsplit('/').next().unwrap_or(display);
    let inside = display.split_once('!').map(|(_, m)| m.replace('/', "_"));
    match inside {
        Some(m) => format!("{}!{m}.txt", base.split('!').next().unwrap_or(base)).replace('!', "_"),
        None => format!("{base}.txt"),
    }
}

/// Run `collatio extract`: exit 0 when every input was read, 2 when some record or file could
/// not be (each error is printed, the others are still written).
pub fn run(a: ExtractArgs) -> Result<ExitCode, Error> {
    let opts = ReadOptions::default();
    std::fs::create_dir_all(&a.output).map_err(|source| Error::Write {
        path: a.output.clone(),
        source,
    })?;
    let mut failed = false;
    let mut written = 0usize;
    for path in &a.paths {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        for item in texts(path, &bytes, &opts) {
            match item {
                Ok((name, text)) => {
                    let out = a.output.join(file_name(&name));
                    crate::util::write_atomic(&out, text.as_bytes())
                        .map_err(|source| Error::Write { path: out, source })?;
                    written += 1;
                }
                Err(e) => {
                    failed = true;
                    crate::cli::print_error(&e);
                }
            }
        }
    }
    if !a.quiet {
        eprintln!(
            "collatio: {written} texts written to {}",
            a.output.display()
        );
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// `(report name, text)` of every capture or page in one input.
pub fn texts(
    path: &Path,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Vec<Result<(String, String), Error>> {
    match super::sniff(path, bytes) {
        Kind::Warc | Kind::Wacz => {
            let (sources, errors) = super::archive_sources(path, bytes, opts);
            let mut out: Vec<_> = errors.into_iter().map(Err).collect();
            for s in &sources {
                for p in &s.records {
                    match p {
                        super::Pending::Bad(b) => out.push(Err(Error::Archive {
                            path: s.archive.path.clone(),
                            offset: b.offset,
                            message: b.message.clone(),
                        })),
                        super::Pending::Record(rec, orig) => {
                            if let Some(r) = s.archive.record_text(rec, orig.as_deref(), opts) {
                                out.push(r.map(|(t, ..)| (s.archive.record_name(rec), t)));
                            }
                        }
                    }
                }
            }
            out
        }
        Kind::Html => {
            vec![super::html_text(path, bytes, opts).map(|(t, ..)| (opts.display(path), t))]
        }
        Kind::Text => Vec::new(),
        Kind::Refused(what) => vec![Err(Error::Binary {
            path: path.to_path_buf(),
            reason: format!("{what}; collatio reads text, HTML, WARC and WACZ"),
        })],
    }
}
