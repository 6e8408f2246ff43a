//! `collatio._native`: the collatio engine for Python (and so for Spark workers).
//!
//! Documents go in as paths and bytes; findings come out as the JSON Lines rows `collatio check
//! --format jsonl` prints (the same serializer), fingerprints as the manifest entries `collatio
//! fingerprint` writes. The Python side (`collatio.arrow`) turns both into Arrow record batches:
//! no Arrow crate is compiled here, which keeps this crate a thin, quick-to-build layer.

use collatio::cli::{InputArgs, RuleArgs, Setup};
use collatio::engine::canon;
use collatio::finding::Finding;
use collatio::model::Document;
use collatio::report::{self, Format, ReportInput};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What one call on a batch of documents gives back: `(rows, row_doc, manifest, errors)`.
/// `rows` are JSONL findings (without the newline), `row_doc[i]` the index in the batch of the
/// document row `i` is about; `manifest[d]` the manifest entry (JSON) of document `d`, or
/// `None` when it could not be read; `errors[d]` why not.
type BatchOut = (
    Vec<String>,
    Vec<u32>,
    Vec<Option<String>>,
    Vec<Option<String>>,
);

/// The plan of a run, as `collatio check` makes it: `(files, displays, group, is_reference,
/// errors)`. `group[i]` is the witness group of file `i` (-1: none), `errors` the paths that
/// could not be walked, with why.
type PlanOut = (Vec<String>, Vec<String>, Vec<i64>, Vec<bool>, Vec<String>);

/// What one input file gives: `(rows, manifest, errors, archive)`. `rows` are JSONL findings
/// of its documents, `manifest` the manifest entry (JSON) of each document read from it (one
/// per page capture for a WARC or WACZ), `errors` what could not be read (the whole file, or a
/// record), `archive` whether it is a WARC or WACZ.
type FileOut = (Vec<String>, Vec<String>, Vec<String>, bool);

/// What the archives of a run give together: `(rows, row_file)`, `row_file[i]` the index of
/// the archive (in the call) that row `i` is about.
type ArchivesOut = (Vec<String>, Vec<u32>);

/// The engine with its rule data and settings, built once per Python process.
#[pyclass(frozen, module = "collatio._native")]
struct Engine {
    setup: Setup,
}

fn usage(e: collatio::error::Error) -> PyErr {
    PyValueError::new_err(e.to_string())
}

#[pymethods]
impl Engine {
    /// Build an engine as `collatio check` builds its own from these options: `config` is a
    /// collatio.toml (none: no config), `rules` folders of rule data added to the built-in data.
    #[new]
    #[pyo3(signature = (config=None, rules=Vec::new(), no_default_rules=false, encoding=None, lossy=false, max_file_size=None, fail_on=None))]
    fn new(
        config: Option<PathBuf>,
        rules: Vec<PathBuf>,
        no_default_rules: bool,
        encoding: Option<String>,
        lossy: bool,
        max_file_size: Option<String>,
        fail_on: Option<String>,
    ) -> PyResult<Engine> {
        let input = InputArgs {
            rules,
            no_default_rules,
            encoding,
            max_file_size,
            no_config: config.is_none(),
            config,
            lossy,
        };
        let rule_args = RuleArgs {
            fail_on,
            ..RuleArgs::default()
        };
        let setup = collatio::cli::setup(&input, &rule_args).map_err(usage)?;
        Ok(Engine { setup })
    }

    /// The name reports give `path` (relative to the config's folder when there is one).
    fn display(&self, path: PathBuf) -> String {
        self.setup.read.display(&path)
    }

    /// The files `collatio check PATHS [--against REF]` reads, in its order, and the witness
    /// group of each (from the config when `paths` is empty, and from `against`).
    #[pyo3(signature = (paths, against=None))]
    fn plan(&self, paths: Vec<PathBuf>, against: Option<PathBuf>) -> PyResult<PlanOut> {
        plan(&self.setup, paths, against).map_err(usage)
    }

    /// Read each document from its bytes; for those whose `rules[d]` is true, run the
    /// single-document rules. Every read document gets its manifest entry.
    fn check_documents(
        &self,
        py: Python<'_>,
        paths: Vec<PathBuf>,
        contents: Vec<PyBackedBytes>,
        rules: Vec<bool>,
    ) -> PyResult<BatchOut> {
        if paths.len() != contents.len() || paths.len() != rules.len() {
            return Err(PyValueError::new_err(
                "paths, contents and rules must be as long as each other",
            ));
        }
        Ok(py.detach(|| self.check_batch(&paths, &contents, &rules)))
    }

    /// Every document of one input file (text, HTML, or one per capture of a WARC or WACZ), as
    /// `collatio check` reads it: manifest entries, errors, and for a text or HTML file whose
    /// `rules` is true the single-document rules. An archive's findings are not given here:
    /// captures of one page across the run's archives are a witness group, so the archives are
    /// checked together by `check_archives`.
    fn check_file(
        &self,
        py: Python<'_>,
        path: PathBuf,
        content: PyBackedBytes,
        rules: bool,
    ) -> FileOut {
        py.detach(|| self.file(&path, &content, rules))
    }

    /// The archives of a run checked together, as `collatio check` checks them: the
    /// single-document rules on every capture, captures of one canonical URL collated in
    /// capture order against the earliest, one finding per fault. Errors are not given (the
    /// archives' `check_file` gave them).
    fn check_archives(
        &self,
        py: Python<'_>,
        paths: Vec<PathBuf>,
        contents: Vec<PyBackedBytes>,
    ) -> PyResult<ArchivesOut> {
        if paths.len() != contents.len() {
            return Err(PyValueError::new_err(
                "paths and contents must be as long as each other",
            ));
        }
        Ok(py.detach(|| self.archives(&paths, &contents)))
    }

    /// A witness group checked as `collatio check` checks it: document 0 is the reference,
    /// the others its witnesses, in the order given. Single-document rules on each, the
    /// collation, one finding per fault. No manifest entries (the documents' own batch gives
    /// them).
    fn check_group(
        &self,
        py: Python<'_>,
        paths: Vec<PathBuf>,
        contents: Vec<PyBackedBytes>,
    ) -> PyResult<BatchOut> {
        if paths.len() != contents.len() || paths.is_empty() {
            return Err(PyValueError::new_err(
                "a group needs a reference, and as many contents as paths",
            ));
        }
        Ok(py.detach(|| self.group(&paths, &contents)))
    }

    /// The version of collatio this engine is.
    #[staticmethod]
    fn version() -> &'static str {
        env!("CARGO_PKG_VERSION")
    }
}

impl Engine {
    fn read(&self, path: &Path, bytes: &[u8]) -> Result<Document, String> {
        collatio::error::guard(path, || self.setup.checker.document(path, bytes))
            .map_err(|e| e.to_string())
    }

    fn all(&self, path: &Path, bytes: &[u8]) -> collatio::input::Documents {
        collatio::error::guard(path, || Ok(self.setup.checker.documents(path, bytes)))
            .unwrap_or_else(|e| vec![Err(e)])
    }

    fn file(&self, path: &Path, bytes: &[u8], rules: bool) -> FileOut {
        use collatio::input::Kind;
        let archive = matches!(collatio::input::sniff(path, bytes), Kind::Warc | Kind::Wacz);
        let mut out: FileOut = (Vec::new(), Vec::new(), Vec::new(), archive);
        for d in self.all(path, bytes) {
            match d {
                Ok(doc) => {
                    let entry = collatio::fingerprint::file_entry(&doc);
                    if let Ok(j) = serde_json::to_string(&entry) {
                        out.1.push(j);
                    }
                    if rules && !archive {
                        out.0
                            .extend(rows_of(&self.setup.checker.check_document(&doc)));
                    }
                }
                Err(e) => out.2.push(e.to_string()),
            }
        }
        out
    }

    fn archives(&self, paths: &[PathBuf], contents: &[PyBackedBytes]) -> ArchivesOut {
        let checker = &self.setup.checker;
        let mut docs = Vec::new();
        let mut single = Vec::new();
        let mut file_of: std::collections::HashMap<String, u32> = Default::default();
        for (i, (path, bytes)) in paths.iter().zip(contents).enumerate() {
            for doc in self.all(path, bytes).into_iter().flatten() {
                single.extend(checker.check_document(&doc));
                file_of.insert(doc.display.clone(), i as u32);
                docs.push(doc);
            }
        }
        let collated = checker.settings.apply(checker.collate_captures(&docs));
        let mut findings = collatio::collate::merge::merge(single, collated);
        collatio::finding::sort(&mut findings);
        let mut out: ArchivesOut = Default::default();
        for (f, row) in findings.iter().zip(rows_of(&findings)) {
            out.0.push(row);
            out.1
                .push(file_of.get(f.location.file.as_str()).copied().unwrap_or(0));
        }
        out
    }

    fn check_batch(
        &self,
        paths: &[PathBuf],
        contents: &[PyBackedBytes],
        rules: &[bool],
    ) -> BatchOut {
        let mut out: BatchOut = Default::default();
        for (d, (path, bytes)) in paths.iter().zip(contents).enumerate() {
            match self.read(path, bytes) {
                Ok(doc) => {
                    let entry = collatio::fingerprint::file_entry(&doc);
                    out.2.push(serde_json::to_string(&entry).ok());
                    out.3.push(None);
                    if rules[d] {
                        let findings = self.setup.checker.check_document(&doc);
                        push_rows(&mut out, d as u32, &findings);
                    }
                }
                Err(e) => {
                    out.2.push(None);
                    out.3.push(Some(e));
                }
            }
        }
        out
    }

    fn group(&self, paths: &[PathBuf], contents: &[PyBackedBytes]) -> BatchOut {
        let mut out: BatchOut = Default::default();
        let mut docs = Vec::with_capacity(paths.len());
        for (path, bytes) in paths.iter().zip(contents) {
            match self.read(path, bytes) {
                Ok(doc) => {
                    docs.push(doc);
                    out.3.push(None);
                }
                Err(e) => out.3.push(Some(e)),
            }
            out.2.push(None);
        }
        // The reference could not be read: nothing to collate against (the error is in
        // `errors[0]`), but the witnesses still get their own rules, as `check` gives them.
        if out.3[0].is_some() {
            let mut at = 0u32;
            for (d, e) in out.3.clone().iter().enumerate() {
                if e.is_none() {
                    let findings = self.setup.checker.check_document(&docs[at as usize]);
                    push_rows(&mut out, d as u32, &findings);
                    at += 1;
                }
            }
            return out;
        }
        let witnesses: Vec<&Document> = docs[1..].iter().collect();
        let findings = self.setup.checker.check_group(&docs[0], &witnesses);
        // Rows name their file; the document index is that of the file in the group.
        let index: std::collections::HashMap<&str, u32> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.display.as_str(), i as u32))
            .collect();
        let rows = rows_of(&findings);
        for (f, row) in findings.iter().zip(rows) {
            out.0.push(row);
            out.1
                .push(index.get(f.location.file.as_str()).copied().unwrap_or(0));
        }
        out
    }
}

/// The JSONL rows of `findings`, written by the report's own serializer.
fn rows_of(findings: &[Finding]) -> Vec<String> {
    if findings.is_empty() {
        return Vec::new();
    }
    let text = report::render(Format::Jsonl, &ReportInput::new(findings, &[]));
    text.lines().map(str::to_string).collect()
}

fn push_rows(out: &mut BatchOut, doc: u32, findings: &[Finding]) {
    for row in rows_of(findings) {
        out.0.push(row);
        out.1.push(doc);
    }
}

/// What `collatio check` does before reading a byte (`cli::run_check`, then
/// `Checker::check_paths`): the paths (the config's when none are given), the witness groups
/// (the config's, and `against`), every file under the paths plus references outside them,
/// and the group each file belongs to. A file in two groups is refused: the Spark job checks
/// each file in one task.
fn plan(
    setup: &Setup,
    mut paths: Vec<PathBuf>,
    against: Option<PathBuf>,
) -> Result<PlanOut, collatio::error::Error> {
    let mut groups: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    if paths.is_empty() {
        let Some(c) = &setup.config else {
            return Err(collatio::error::Error::Usage(
                "no paths given and no config: name the files and folders to check".into(),
            ));
        };
        paths = c.paths();
        groups = c.groups()?;
    }
    if let Some(r) = against {
        groups.push((r, Vec::new()));
    }
    let mut all_paths = paths.clone();
    for (r, _) in &groups {
        if !paths.iter().any(|p| canon(p) == canon(r)) {
            all_paths.push(r.clone());
        }
    }
    let (files, errors, _skipped) = collatio::pipeline::files_under(&all_paths, &setup.read);
    let roots: Vec<PathBuf> = paths.iter().map(|p| canon(p)).collect();
    let groups: Vec<(PathBuf, HashSet<PathBuf>)> = groups
        .iter()
        .map(|(r, m)| (canon(r), m.iter().map(|x| canon(x)).collect()))
        .collect();
    let mut out: PlanOut = Default::default();
    for f in &files {
        let c = canon(f);
        let mut mine = groups.iter().enumerate().filter(|(_, (r, m))| {
            *r == c
                || (m.is_empty() && roots.iter().any(|root| c.starts_with(root)))
                || m.contains(&c)
        });
        let first = mine.next();
        if first.is_some() && mine.next().is_some() {
            return Err(collatio::error::Error::Usage(format!(
                "{}: in more than one witness group; the Spark job checks each file in one group",
                collatio::error::shown(f)
            )));
        }
        out.0.push(f.to_string_lossy().into_owned());
        out.1.push(setup.read.display(f));
        out.2.push(first.map_or(-1, |(i, _)| i as i64));
        out.3.push(first.is_some_and(|(_, (r, _))| *r == c));
    }
    out.4 = errors.iter().map(|e| e.to_string()).collect();
    Ok(out)
}

/// Read a file's bytes (what a Spark task does for each path it is given), refusing what is
/// not a regular file or is over `limit` bytes.
#[pyfunction]
fn read_bytes(py: Python<'_>, path: PathBuf, limit: u64) -> PyResult<Vec<u8>> {
    py.detach(|| {
        let meta = std::fs::metadata(&path)?;
        if !meta.is_file() {
            return Err(std::io::Error::other("not a regular file"));
        }
        if meta.len() > limit {
            return Err(std::io::Error::other(format!(
                "{} bytes, over the limit of {limit}",
                meta.len()
            )));
        }
        std::fs::read(&path)
    })
    .map_err(|e| PyOSError::new_err(format!("{}: {e}", path.display())))
}

/// The module: the engine class and the file reader.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add_function(wrap_pyfunction!(read_bytes, m)?)?;
    Ok(())
}
