//! Wiring of the stages: paths → documents → findings. The binary and the tests both go through
//! here, so what the tests check is what users run.

use crate::error::Error;
use crate::finding::Finding;
use crate::knowledge::Knowledge;
use crate::model::Document;
use crate::script::ScriptStats;
use crate::source::{self, Found};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// How to read inputs.
#[derive(Default, Clone)]
pub struct ReadOptions {
    /// Force an encoding instead of detecting it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Paths are reported relative to this root (the config file's folder).
    pub root: Option<PathBuf>,
    /// Paths to leave out (globs relative to the root).
    pub exclude: Option<globset::GlobSet>,
    /// Decode damaged files with U+FFFD for their bad bytes (each an encoding finding) instead
    /// of refusing them.
    pub lossy: bool,
    /// Files larger than this many bytes are reported as too large and skipped (default
    /// [`DEFAULT_MAX_FILE_SIZE`]).
    pub max_file_size: Option<u64>,
    /// A checked document whose text is at least this many bytes leaves it in its file for
    /// collation ([`release`]; default [`LARGE_FILE`]). The CLI takes it from
    /// `COLLATIO_TEXT_ON_DISK_FROM`: `0` releases every plain text, which the tests use to run
    /// the whole suite through the released path.
    pub text_on_disk_from: Option<u64>,
}

/// Files over 256 MiB are skipped unless the limit is raised: a document takes several times
/// its size in memory once segmented and folded, and one file must not take the machine.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 << 20;

/// A size such as `1048576`, `512k`, `256M`, `256MB`, `1G`, `2GiB` (binary units).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().ok()?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return None,
    };
    n.checked_mul(1u64 << shift)
}

impl ReadOptions {
    /// `path` as reports show it: relative to the project root when under it, `/`-separated.
    pub fn display(&self, path: &Path) -> String {
        display_path(path, self.root.as_deref())
    }

    fn excluded(&self, path: &Path) -> bool {
        let Some(set) = &self.exclude else {
            return false;
        };
        let rel = self.display(path);
        set.is_match(&rel) || set.is_match(path)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_with_binary_units() {
        assert_eq!(parse_size("1048576"), Some(1 << 20));
        assert_eq!(parse_size("512k"), Some(512 << 10));
        assert_eq!(parse_size("256MB"), Some(256 << 20));
        assert_eq!(parse_size(" 2 GiB "), Some(2 << 30));
        assert_eq!(parse_size("1.5G"), None);
        assert_eq!(parse_size("ten"), None);
        assert_eq!(parse_size("99999999999T"), None);
    }
}

/// A path as reported: relative to `root` when inside it, with `/` separators.
pub fn display_path(path: &Path, root: Option<&Path>) -> String {
    let p = match root {
        Some(r) => {
            let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            let root = std::fs::canonicalize(r).unwrap_or_else(|_| r.to_path_buf());
            abs.strip_prefix(&root)
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| path.to_path_buf())
        }
        None => path.to_path_buf(),
    };
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Build a document from decoded text (used for files, and by tests on strings).
pub fn document_from_text(
    path: PathBuf,
    display: String,
    text: String,
    prov: crate::model::Provenance,
    kb: &Knowledge,
) -> Document {
    document_with(path, display, text, prov, kb, true)
}

/// [`document_from_text`]; without `fold`, the units hold only a summary of their folds, made
/// one unit at a time (as after [`Document::release_folds`], without ever holding them all).
fn document_with(
    path: PathBuf,
    display: String,
    text: String,
    mut prov: crate::model::Provenance,
    kb: &Knowledge,
    fold: bool,
) -> Document {
    let body_start = source::parse_front_matter(&text, &mut prov);
    let mut doc = Document {
        path,
        display,
        lines: crate::model::LineIndex::new(&text),
        text,
        provenance: prov,
        body_start,
        units: Vec::new(),
        source_map: None,
        disk: None,
    };
    // Script statistics are counted while folding the units.
    let mut stats = ScriptStats::default();
    if fold {
        crate::segment::segment(&mut doc, kb);
        for u in &doc.units {
            stats.traditional += u.norm().traditional as usize;
            stats.simplified += u.norm().simplified as usize;
        }
    } else {
        crate::segment::segment_units(&mut doc, kb);
        for u in &mut doc.units {
            let n = u.refold(&doc.text);
            stats.traditional += n.traditional as usize;
            stats.simplified += n.simplified as usize;
            u.summarize(&n);
        }
    }
    // Units are kept for the run (collation): no slack from the vector's doubling growth.
    doc.units.shrink_to_fit();
    doc.provenance.script_stats = stats;
    doc.provenance.script = Some(stats.majority());
    doc
}

/// Read, decode and segment one file, with the sha256 of its bytes.
pub fn load_file(path: &Path, opts: &ReadOptions, kb: &Knowledge) -> Result<Document, Error> {
    load(path, opts, kb, true, true)
}

/// [`load_file`] for collation alone: a text file's units hold a summary of their folds, not
/// the folds (see [`Document::release_folds`]); no single-document rule may read them.
pub fn load_file_summarized(
    path: &Path,
    opts: &ReadOptions,
    kb: &Knowledge,
) -> Result<Document, Error> {
    load(path, opts, kb, true, false)
}

fn load(
    path: &Path,
    opts: &ReadOptions,
    kb: &Knowledge,
    hash: bool,
    fold: bool,
) -> Result<Document, Error> {
    match read_input(path, opts, kb, hash, fold)? {
        Input::Doc(d) => Ok(*d),
        // A single document was asked for: an archive's first page.
        Input::Archive(sources, errors) => {
            let mut errors = errors.into_iter();
            sources
                .iter()
                .flat_map(|s| s.records.iter().map(move |p| (s, p)))
                .find_map(|(s, p)| s.archive.document(p, opts, kb, hash))
                .unwrap_or_else(|| {
                    Err(errors.next().unwrap_or_else(|| Error::Archive {
                        path: path.to_path_buf(),
                        offset: 0,
                        message: "no page capture in the archive".into(),
                    }))
                })
        }
    }
}

/// One input file read: a document, or an archive's records still to turn into documents.
enum Input {
    Doc(Box<Document>),
    Archive(Vec<crate::input::Source>, Vec<Error>),
}

/// Read one file and tell what it is: text (decoded, front matter read), an HTML page (main
/// text extracted), an archive (its records read), or a refused binary (an error naming it).
fn read_input(
    path: &Path,
    opts: &ReadOptions,
    kb: &Knowledge,
    hash: bool,
    fold: bool,
) -> Result<Input, Error> {
    use crate::input::{self, Kind};
    // Before reading a byte: a file over the limit costs nothing but this error. An archive's
    // records are limited one by one instead.
    let limit = opts.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE);
    if let Ok(m) = std::fs::metadata(path) {
        if m.is_file() && m.len() > limit && !input::archive_name(path) {
            return Err(Error::TooLarge {
                path: path.to_path_buf(),
                size: m.len(),
                limit,
            });
        }
    }
    let bytes = crate::util::read_limited(path, crate::util::limits::INPUT).map_err(|source| {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    })?;
    let doc = match input::sniff(path, &bytes) {
        Kind::Warc | Kind::Wacz => {
            let (sources, errors) = input::archive_sources(path, &bytes, opts);
            return Ok(Input::Archive(sources, errors));
        }
        Kind::Html => input::html_document(path, &bytes, opts, kb)?,
        Kind::Refused(what) => {
            return Err(Error::Binary {
                path: path.to_path_buf(),
                reason: format!("{what}; collatio reads text, HTML, WARC and WACZ"),
            })
        }
        Kind::Text => {
            let (size, sha256) = (
                bytes.len() as u64,
                if hash {
                    source::sha256_hex(&bytes)
                } else {
                    String::new()
                },
            );
            // The bytes become the text (UTF-8 without a copy): a large file is not held twice.
            let (text, encoding, bom) =
                source::decode_owned(path, bytes, opts.encoding, opts.lossy)?;
            let prov = crate::model::Provenance {
                encoding,
                bom,
                sha256,
                size,
                ..Default::default()
            };
            document_with(path.to_path_buf(), opts.display(path), text, prov, kb, fold)
        }
    };
    Ok(Input::Doc(Box::new(doc)))
}

/// What reading a set of paths gave.
#[derive(Default)]
pub struct Loaded {
    /// The documents read and segmented, in path order.
    pub docs: Vec<Document>,
    /// Files that could not be read; the run went on without them.
    pub errors: Vec<Error>,
    /// Files passed over on purpose (hidden).
    pub skipped: Vec<(PathBuf, String)>,
}

/// The files under `paths`, in walk order, each once (a folder and a reference inside it name
/// the same file twice), with the errors and skipped entries met on the way.
pub fn files_under(
    paths: &[PathBuf],
    opts: &ReadOptions,
) -> (Vec<PathBuf>, Vec<Error>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let single = paths.len() == 1;
    for f in source::walk(paths, &|p| opts.excluded(p)) {
        match f {
            Ok(Found::File(p)) => {
                // One folder walked without following links gives each file once; resolving
                // every path (a system call per path component) is only needed across roots.
                if single || seen.insert(std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone())) {
                    files.push(p);
                }
            }
            Ok(Found::Skipped { path, why }) => skipped.push((path, why)),
            Err(e) => errors.push(e),
        }
    }
    (files, errors, skipped)
}

/// Read every file under `paths`, in parallel. Order of documents follows the sorted walk.
pub fn load_paths(paths: &[PathBuf], opts: &ReadOptions, kb: &Knowledge) -> Loaded {
    load_paths_with(paths, opts, kb, true)
}

/// [`load_paths`] for collation alone: text files' units hold summaries of their folds, as
/// [`load_file_summarized`] gives them.
pub fn load_paths_summarized(paths: &[PathBuf], opts: &ReadOptions, kb: &Knowledge) -> Loaded {
    load_paths_with(paths, opts, kb, false)
}

fn load_paths_with(paths: &[PathBuf], opts: &ReadOptions, kb: &Knowledge, fold: bool) -> Loaded {
    let (files, errors, skipped) = files_under(paths, opts);
    let mut out = Loaded {
        docs: Vec::new(),
        errors,
        skipped,
    };
    // Whether a file is large matters (and costs a `stat`) only when reading for collation.
    let files: Vec<(PathBuf, bool)> = files
        .into_iter()
        .map(|p| {
            let large = !fold && is_large(&p);
            (p, large)
        })
        .collect();
    load_files(&files, opts, kb, fold, &mut out);
    out
}

/// Every document under `paths`, in walk order, handed to `each` a few files at a time (with
/// the errors met reading them) instead of all held at once: what a run that writes one entry
/// per document needs (`collatio fingerprint`, `collatio diff`). Documents are read for
/// collation alone (see [`load_paths_summarized`]): a unit's fold is made again when asked
/// ([`Document::fold`]). Returns the entries skipped on purpose.
pub fn for_each_document(
    paths: &[PathBuf],
    opts: &ReadOptions,
    kb: &Knowledge,
    each: &mut dyn FnMut(Result<Document, Error>),
) -> Vec<(PathBuf, String)> {
    let (files, errors, skipped) = files_under(paths, opts);
    errors.into_iter().for_each(|e| each(Err(e)));
    let mut flush = |batch: &[(PathBuf, bool)]| {
        let mut out = Loaded::default();
        load_files(batch, opts, kb, false, &mut out);
        out.docs.into_iter().for_each(|d| each(Ok(d)));
        out.errors.into_iter().for_each(|e| each(Err(e)));
    };
    // Small files a batch at a time (read in parallel); a large one alone.
    let mut batch: Vec<(PathBuf, bool)> = Vec::new();
    for f in files {
        let large = is_large(&f);
        if large || batch.len() == BATCH {
            flush(&batch);
            batch.clear();
        }
        batch.push((f, large));
        if large {
            flush(&batch);
            batch.clear();
        }
    }
    flush(&batch);
    skipped
}

/// Small files read at once by [`for_each_document`].
const BATCH: usize = 64;

/// Read `files` into `out`, in the order given: in parallel, but, for collation alone
/// (`!fold`), the large ones (`files[i].1`) one at a time after the others (as `check` does):
/// two large texts are never read at once, and each is released as soon as it is read.
fn load_files(
    files: &[(PathBuf, bool)],
    opts: &ReadOptions,
    kb: &Knowledge,
    fold: bool,
    out: &mut Loaded,
) {
    let read = |p: &PathBuf| {
        crate::error::guard(p, || {
            let mut input = read_input(p, opts, kb, true, fold)?;
            // For collation alone, a document keeps only what collation needs from the moment
            // it is read: its text is not held while the other files are read.
            if let (false, Input::Doc(d)) = (fold, &mut input) {
                release(d, opts);
            }
            Ok(input)
        })
    };
    let alone = |large: bool| !fold && large;
    let mut results: Vec<(usize, Result<Input, Error>)> = files
        .par_iter()
        .enumerate()
        .filter(|(_, (_, large))| !alone(*large))
        .map(|(i, (p, _))| (i, read(p)))
        .collect();
    results.extend(
        files
            .iter()
            .enumerate()
            .filter(|(_, (_, large))| alone(*large))
            .map(|(i, (p, _))| (i, read(p))),
    );
    // In the walk's order again.
    results.sort_by_key(|(i, _)| *i);
    for (_, r) in results {
        match r {
            Ok(Input::Doc(d)) => out.docs.push(*d),
            Ok(Input::Archive(sources, errors)) => {
                out.errors.extend(errors);
                let docs: Vec<Result<Document, Error>> = records(&sources)
                    .par_iter()
                    .filter_map(|(s, p)| s.archive.document(p, opts, kb, true))
                    .collect();
                for d in docs {
                    match d {
                        Ok(d) => out.docs.push(d),
                        Err(e) => out.errors.push(e),
                    }
                }
            }
            Err(e) => out.errors.push(e),
        }
    }
}

/// Every record of `sources`, with its source.
fn records(
    sources: &[crate::input::Source],
) -> Vec<(&crate::input::Source, &crate::input::Pending)> {
    sources
        .iter()
        .flat_map(|s| s.records.iter().map(move |p| (s, p)))
        .collect()
}

/// Text files at least this large are read and checked one at a time, not beside others: a
/// document's folds take 8 bytes a character while its rules run, so two 100 MB files checked
/// at once held twice that. Small files (an archive's pages) keep the parallel pass.
pub const LARGE_FILE: u64 = 16 << 20;

/// [`Document::release_folds`], then [`Document::release_text`] when the text is at least
/// [`ReadOptions::text_on_disk_from`] bytes: what collation keeps of a checked document. The two
/// texts of a large pair were most of the memory of collating it.
pub fn release(doc: &mut Document, opts: &ReadOptions) {
    doc.release_folds();
    let from = opts.text_on_disk_from.unwrap_or(LARGE_FILE);
    if doc.text.len() as u64 >= from && doc.release_text() {
        if let Some(give_back) = GIVE_BACK.get() {
            give_back();
        }
    }
}

/// What the program calls once a large text is dropped (see [`set_give_back`]).
static GIVE_BACK: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Sets what to call once [`release`] has dropped a large text: the binary's allocator gives
/// the freed memory back to the system there. An allocator that keeps freed memory for reuse
/// (mimalloc) would otherwise still hold the first text of a pair while the second is read.
pub fn set_give_back(f: fn()) {
    let _ = GIVE_BACK.set(f);
}

/// An error for each document whose released text was found changed in its file while the run
/// read it back ([`crate::model::DiskText::changed`]): its findings may point at other text.
pub fn changed_texts<'d>(docs: impl IntoIterator<Item = &'d Document>) -> Vec<Error> {
    docs.into_iter()
        .filter(|d| d.disk.as_ref().is_some_and(|t| t.changed()))
        .map(|d| Error::Io {
            path: d.path.clone(),
            source: std::io::Error::other(
                "the file changed while collatio read it back (large texts are read again \
                 from their files for collation); its findings may point at other text: run again",
            ),
        })
        .collect()
}

/// A text file of at least [`LARGE_FILE`] bytes (not a web archive: its records are pages).
fn is_large(path: &Path) -> bool {
    !crate::input::archive_name(path)
        && std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() >= LARGE_FILE)
}

/// What to keep of a document once it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Nothing: the document is not collated and the report needs none of its text.
    No,
    /// Its text (a report renders spans of it); its units, which take about three times the
    /// memory of the text, are dropped.
    Text,
    /// All of it (collation needs the units).
    Whole,
}

/// A checked document: what `keep` kept of it, and its findings.
type Kept = (Option<Document>, Vec<Finding>);
type One = Result<Kept, Error>;
/// A file checked (text, HTML), or an archive whose records are checked next.
type FirstPass = Result<Kept, Input>;

/// What checking a document needs.
struct Checking<'a> {
    opts: &'a ReadOptions,
    kb: &'a Knowledge,
    settings: &'a crate::rules::Settings,
    keep: &'a (dyn Fn(&Document, &[Finding]) -> Keep + Sync),
}

impl Checking<'_> {
    /// Check one document and keep what `keep` says (`whole`: a capture with other captures of
    /// its page, which the engine collates).
    fn one(&self, d: Document, whole: bool) -> Kept {
        let f = crate::rules::check_document_with(&d, self.kb, self.settings);
        let k = if whole {
            Keep::Whole
        } else {
            (self.keep)(&d, &f)
        };
        let d = match k {
            Keep::No => None,
            Keep::Text => Some(Document {
                units: Vec::new(),
                ..d
            }),
            // Collation needs the units, not their folds (8 bytes a character): it folds again
            // the few it compares character by character.
            Keep::Whole => {
                let mut d = d;
                release(&mut d, self.opts);
                Some(d)
            }
        };
        (d, f)
    }

    /// Every page capture of `sources`, checked in parallel. Captures of one page (across all
    /// archives of the run) form a witness group: those are kept whole for the engine to collate.
    fn captures(&self, sources: &[crate::input::Source]) -> Vec<One> {
        let recs = records(sources);
        let mut count: std::collections::HashMap<String, usize> = Default::default();
        for (_, p) in &recs {
            if let Some(k) = p.url_key() {
                *count.entry(k).or_default() += 1;
            }
        }
        recs.par_iter()
            .filter_map(|(s, p)| {
                let whole = p.url_key().is_some_and(|k| count[&k] > 1);
                let r = crate::error::guard(&s.archive.path, || {
                    s.archive.document(p, self.opts, self.kb, false).transpose()
                });
                match r {
                    Ok(Some(d)) => Some(Ok(self.one(d, whole))),
                    Ok(None) => None,
                    Err(e) => Some(Err(e)),
                }
            })
            .collect()
    }
}

/// Read and check every file under `paths` in one pass per file, in parallel (rules that
/// `settings` turn off are not run), keeping of each
/// document what `keep` says (human output renders spans; collation needs its group). Memory stays
/// bounded by what is kept, not by the size of the archive.
pub fn check_paths(
    paths: &[PathBuf],
    opts: &ReadOptions,
    kb: &Knowledge,
    settings: &crate::rules::Settings,
    keep: &(dyn Fn(&Document, &[Finding]) -> Keep + Sync),
) -> CheckedPaths {
    let (files, mut errors, skipped) = files_under(paths, opts);
    let c = Checking {
        opts,
        kb,
        settings,
        keep,
    };
    let mut sources = Vec::new();
    let mut results: Vec<One> = Vec::new();
    let first = |p: &PathBuf| {
        // A panic in one document's segmentation or rules is reported as an internal error
        // naming the file and the rule; the run goes on with the other files.
        crate::error::guard(p, || {
            // No rule reads the file's hash: only manifests and baselines do.
            match read_input(p, opts, kb, false, true)? {
                Input::Doc(d) => Ok(Ok(c.one(*d, false))),
                archive => Ok(Err(archive)),
            }
        })
    };
    // Small files in parallel; large ones one at a time after them (see [`LARGE_FILE`]), each
    // result in its file's place.
    let large: Vec<bool> = files.iter().map(|p| is_large(p)).collect();
    let mut firsts: Vec<Option<Result<FirstPass, Error>>> = files
        .par_iter()
        .zip(&large)
        .map(|(p, &l)| (!l).then(|| first(p)))
        .collect();
    for (slot, p) in firsts.iter_mut().zip(&files).filter(|(s, _)| s.is_none()) {
        *slot = Some(first(p));
    }
    for r in firsts.into_iter().flatten() {
        match r {
            Ok(Ok(x)) => results.push(Ok(x)),
            Ok(Err(Input::Archive(s, e))) => {
                sources.extend(s);
                errors.extend(e);
            }
            Ok(Err(Input::Doc(_))) => {}
            Err(e) => results.push(Err(e)),
        }
    }
    results.extend(c.captures(&sources));
    let mut docs = Vec::new();
    // Exact room: growing by doubling copied tens of megabytes of findings into fresh pages.
    let total = results
        .iter()
        .map(|r| r.as_ref().map_or(0, |(_, f)| f.len()))
        .sum();
    let mut findings = Vec::with_capacity(total);
    let mut count = 0;
    for r in results {
        match r {
            Ok((d, f)) => {
                count += 1;
                docs.extend(d);
                findings.extend(f);
            }
            Err(e) => errors.push(e),
        }
    }
    CheckedPaths {
        docs,
        findings,
        errors,
        files: count,
        skipped,
    }
}

/// What [`check_paths`] gives back.
pub struct CheckedPaths {
    /// The documents `keep` asked for (without units where it asked for the text only; kept
    /// whole, with their folds released once their rules have run).
    pub docs: Vec<Document>,
    /// The single-document rules' findings, file by file (not yet sorted).
    pub findings: Vec<Finding>,
    /// Files that could not be read or checked; the run went on without them.
    pub errors: Vec<Error>,
    /// How many files were read and checked.
    pub files: usize,
    /// Files passed over on purpose (hidden).
    pub skipped: Vec<(PathBuf, String)>,
}
