//! `collatio._native`: the collatio engine for Python (and so for Spark workers).
//!
//! Documents go in as paths and bytes; findings come out as the JSON Lines rows `collatio check
//! --format jsonl` prints (the same serializer), fingerprints as the manifest entries `collatio
//! fingerprint` writes. The Python side (`collatio.arrow`) turns both into Arrow record batches:
//! no Arrow crate is compiled here, which keeps this crate a thin, quick-to-build layer.

use collatio::cli::{InputArgs, RuleArgs, Setup};
use collatio::engine::canon;
use collatio::finding::Finding;
use collatio::model::{Document, FmValue};
use collatio::report::{self, Format, ReportInput};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A finding as a JSONL row (without the newline) with its sort key, so that Python does not
/// parse the row to order it: `(row, file, start, rule, message)`.
type Row = (String, String, u64, String, String);

/// What one call on a batch of documents gives back: `(rows, row_doc, manifest, errors)`.
/// `rows` are JSONL findings with their sort keys ([`Row`]), `row_doc[i]` the index in the batch of the
/// document row `i` is about; `manifest[d]` the manifest entry (JSON) of document `d`, or
/// `None` when it could not be read; `errors[d]` why not.
type BatchOut = (Vec<Row>, Vec<u32>, Vec<Option<String>>, Vec<Option<String>>);

/// The plan of a run, as `collatio check` makes it: `(files, displays, group, is_reference,
/// errors)`. `group[i]` is the witness group of file `i` (-1: none), `errors` the paths that
/// could not be walked, with why.
type PlanOut = (Vec<String>, Vec<String>, Vec<i64>, Vec<bool>, Vec<String>);

/// What one input file gives: `(rows, manifest, errors, archive)`. `rows` are JSONL findings
/// of its documents, `manifest` the manifest entry (JSON) of each document read from it (one
/// per page capture for a WARC or WACZ), `errors` what could not be read (the whole file, or a
/// record), `archive` whether it is a WARC or WACZ.
type FileOut = (Vec<Row>, Vec<String>, Vec<String>, bool);

/// A page capture of an archive, as stage 1 of the Spark job hands it on: `(name, key,
/// offset, length, orig_offset, orig_length)`. `name` is the capture's document name
/// (`ARCHIVE#OFFSET`), `key` the canonical URL ([`collatio::input::surt::canonical`]) of a
/// capture with an original URL and a capture time (what `check` groups captures by), `offset`
/// the record's byte offset in the file and `length` how many bytes from there hold it (-1:
/// the record cannot be read on its own, as in a whole-file gzip or a WACZ, and the file is read
/// whole); for a revisit, `orig_offset` and `orig_length` the record holding its payload (-1:
/// none).
type Capture = (String, Option<String>, u64, i64, i64, i64);

/// What one archive file gives in stage 1: `(captures, rows, row_capture, manifest, errors)`.
/// `rows` are the single-document findings of the captures (`row_capture[i]` the index in
/// `captures` of the one row `i` is about), `manifest` the manifest entry of each capture,
/// `errors` what could not be read.
type CapturesOut = (Vec<Capture>, Vec<Row>, Vec<u32>, Vec<String>, Vec<String>);

/// What a group of captures gives in stage 2: `(rows, row_member, errors)`, `row_member[i]`
/// the index (in the call) of the capture row `i` is about, `errors[m]` why capture `m` could
/// not be read again (then it is left out of the group).
type CaptureGroupOut = (Vec<Row>, Vec<u32>, Vec<Option<String>>);

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
    /// single-document rules. Every read document gets its manifest entry. `provenance[d]`, a
    /// JSON object (`{"original_url": …, "captured": …, "title": …}`), gives document `d`
    /// front-matter fields its text does not have itself (the text's own win): the rules
    /// read them as they read front matter.
    #[pyo3(signature = (paths, contents, rules, provenance=None))]
    fn check_documents(
        &self,
        py: Python<'_>,
        paths: Vec<PathBuf>,
        contents: Vec<PyBackedBytes>,
        rules: Vec<bool>,
        provenance: Option<Vec<Option<String>>>,
    ) -> PyResult<BatchOut> {
        let n = paths.len();
        if contents.len() != n
            || rules.len() != n
            || provenance.as_ref().is_some_and(|p| p.len() != n)
        {
            return Err(PyValueError::new_err(
                "paths, contents, rules and provenance must be as long as each other",
            ));
        }
        let fields = provenance
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(d, p)| {
                p.as_deref().map(fields_of).transpose().map_err(|e| {
                    PyValueError::new_err(format!("provenance of {}: {e}", paths[d].display()))
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(py.detach(|| self.check_batch(&paths, &contents, &rules, &fields)))
    }

    /// Every document of one input file (text, HTML, or one per capture of a WARC or WACZ), as
    /// `collatio check` reads it: manifest entries, errors, and for a text or HTML file whose
    /// `rules` is true the single-document rules. An archive's findings are not given here:
    /// captures of one page across the run's archives are a witness group (`check_captures`
    /// gives each capture's URL key and findings, `check_capture_group` checks a group).
    fn check_file(
        &self,
        py: Python<'_>,
        path: PathBuf,
        content: PyBackedBytes,
        rules: bool,
    ) -> FileOut {
        py.detach(|| self.file(&path, &content, rules))
    }

    /// Stage 1 of the Spark job for one archive file (WARC or WACZ): every page capture with
    /// its URL key and where its record is ([`Capture`]), its single-document findings and
    /// manifest entry, and the records that could not be read. `None` when `path` is not an
    /// archive (read it with `check_file`). A capture whose key another capture of the run
    /// shares is checked again with its group by `check_capture_group`, whose findings then
    /// replace these (one fault, one finding).
    fn check_captures(
        &self,
        py: Python<'_>,
        path: PathBuf,
        content: PyBackedBytes,
    ) -> Option<CapturesOut> {
        py.detach(|| self.captures(&path, &content))
    }

    /// Stage 2 of the Spark job: the captures of one page (one URL key), each given as its
    /// archive's `path`, its document `name`, and `content` — the bytes of its record alone
    /// (read at `offset`, with `orig`, the record holding a revisit's payload, read at
    /// `orig_offset`) when `ranged`, else the whole archive file. Checked as `collatio check`
    /// checks captures of one page: single-document rules on each, the captures collated in
    /// capture order against the earliest, one finding per fault.
    #[allow(clippy::too_many_arguments)]
    fn check_capture_group(
        &self,
        py: Python<'_>,
        paths: Vec<PathBuf>,
        names: Vec<String>,
        contents: Vec<PyBackedBytes>,
        ranged: Vec<bool>,
        offsets: Vec<u64>,
        origs: Vec<Option<PyBackedBytes>>,
        orig_offsets: Vec<u64>,
    ) -> PyResult<CaptureGroupOut> {
        let n = paths.len();
        if [
            names.len(),
            contents.len(),
            ranged.len(),
            offsets.len(),
            origs.len(),
            orig_offsets.len(),
        ]
        .iter()
        .any(|&l| l != n)
        {
            return Err(PyValueError::new_err(
                "every list of a capture group must be as long as the others",
            ));
        }
        let members: Vec<Member> = (0..n)
            .map(|m| Member {
                path: &paths[m],
                name: &names[m],
                bytes: &contents[m],
                ranged: ranged[m],
                offset: offsets[m],
                orig: origs[m].as_deref().map(|o| (o, orig_offsets[m])),
            })
            .collect();
        Ok(py.detach(|| self.capture_group(&members)))
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

    fn captures(&self, path: &Path, bytes: &[u8]) -> Option<CapturesOut> {
        use collatio::input::Kind;
        if !matches!(collatio::input::sniff(path, bytes), Kind::Warc | Kind::Wacz) {
            return None;
        }
        Some(
            collatio::error::guard(path, || Ok(self.captures_of(path, bytes))).unwrap_or_else(
                |e| {
                    (
                        Vec::new(),
                        Vec::new(),
                        Vec::new(),
                        Vec::new(),
                        vec![e.to_string()],
                    )
                },
            ),
        )
    }

    fn captures_of(&self, path: &Path, bytes: &[u8]) -> CapturesOut {
        use collatio::input::{self, Pending};
        let c = &self.setup.checker;
        let (sources, errors) = input::archive_sources(path, bytes, &c.read);
        let mut out: CapturesOut = Default::default();
        out.4 = errors.iter().map(|e| e.to_string()).collect();
        for s in &sources {
            let ends = RecordEnds::of(s, bytes, path);
            for p in &s.records {
                let Some(d) = s.archive.document(p, &c.read, &c.kb, true) else {
                    continue;
                };
                let doc = match d {
                    Ok(doc) => doc,
                    Err(e) => {
                        out.4.push(e.to_string());
                        continue;
                    }
                };
                let Pending::Record(rec, orig) = p else {
                    continue;
                };
                let at = out.0.len() as u32;
                let (orig_offset, orig_length) = orig
                    .as_ref()
                    .map_or((-1, -1), |o| (o.offset as i64, ends.length(o)));
                out.0.push((
                    doc.display.clone(),
                    capture_key(&doc),
                    rec.offset,
                    ends.length(rec),
                    orig_offset,
                    orig_length,
                ));
                if let Ok(j) = serde_json::to_string(&collatio::fingerprint::file_entry(&doc)) {
                    out.3.push(j);
                }
                for row in rows_of(&c.check_document(&doc)) {
                    out.1.push(row);
                    out.2.push(at);
                }
            }
        }
        out
    }

    fn capture_group(&self, members: &[Member]) -> CaptureGroupOut {
        let c = &self.setup.checker;
        let mut out: CaptureGroupOut = Default::default();
        let mut whole: HashMap<PathBuf, Vec<collatio::input::Source>> = HashMap::new();
        let mut docs = Vec::with_capacity(members.len());
        let mut index: HashMap<String, u32> = HashMap::new();
        for (m, member) in members.iter().enumerate() {
            let doc = collatio::error::guard(member.path, || {
                member.document(c, &mut whole).ok_or_else(|| {
                    collatio::error::Error::Usage(format!(
                        "{}: the capture could not be read again",
                        member.name
                    ))
                })?
            });
            match doc {
                Ok(doc) => {
                    index.insert(doc.display.clone(), m as u32);
                    docs.push(doc);
                    out.2.push(None);
                }
                Err(e) => out.2.push(Some(e.to_string())),
            }
        }
        let single: Vec<Finding> = docs.iter().flat_map(|d| c.check_document(d)).collect();
        let collated = c.settings.apply(c.collate_captures(&docs));
        let mut findings = collatio::collate::merge::merge(single, collated);
        collatio::finding::sort(&mut findings);
        for (f, row) in findings.iter().zip(rows_of(&findings)) {
            out.0.push(row);
            out.1
                .push(index.get(f.location.file.as_str()).copied().unwrap_or(0));
        }
        out
    }

    fn check_batch(
        &self,
        paths: &[PathBuf],
        contents: &[PyBackedBytes],
        rules: &[bool],
        fields: &[Option<Fields>],
    ) -> BatchOut {
        let mut out: BatchOut = Default::default();
        for (d, (path, bytes)) in paths.iter().zip(contents).enumerate() {
            match self.read(path, bytes) {
                Ok(mut doc) => {
                    if let Some(Some(f)) = fields.get(d) {
                        for (k, v) in f {
                            doc.provenance
                                .front_matter
                                .entry(k.clone())
                                .or_insert_with(|| FmValue::Text(v.clone()));
                        }
                    }
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
        let index: HashMap<&str, u32> = docs
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

/// Front-matter fields given beside a document (a provenance column), as text.
type Fields = Vec<(String, String)>;

/// The fields of a provenance column's JSON object: strings as they are, numbers and booleans
/// as written; null is no field. A list or an object is refused (front matter from a column is
/// flat).
fn fields_of(json: &str) -> Result<Fields, String> {
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json).map_err(|e| format!("not a JSON object: {e}"))?;
    let mut out = Vec::with_capacity(map.len());
    for (k, v) in map {
        let text = match v {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => return Err(format!("field {k:?} is a list or an object, not a value")),
        };
        out.push((k, text));
    }
    Ok(out)
}

/// The JSONL rows of `findings`, written by the report's own serializer, with their sort keys.
fn rows_of(findings: &[Finding]) -> Vec<Row> {
    if findings.is_empty() {
        return Vec::new();
    }
    let text = report::render(Format::Jsonl, &ReportInput::new(findings, &[]));
    text.lines()
        .zip(findings)
        .map(|(row, f)| {
            let l = &f.location;
            (
                row.to_string(),
                l.file.clone(),
                l.start as u64,
                f.rule.clone(),
                f.message.clone(),
            )
        })
        .collect()
}

/// What `collate_captures` groups a capture by: the canonical form of its original URL, for a
/// capture that also has a capture time.
fn capture_key(doc: &Document) -> Option<String> {
    let p = &doc.provenance;
    p.field("captured")?;
    p.field("original_url")
        .map(collatio::input::surt::canonical)
}

/// Where each record of a plain WARC ends: at the next record's offset (or the file's end), so
/// that stage 2 reads a record's bytes alone. A WACZ or a whole-file gzip has no such ranges.
struct RecordEnds(Option<Vec<u64>>);

impl RecordEnds {
    fn of(s: &collatio::input::Source, bytes: &[u8], path: &Path) -> RecordEnds {
        use collatio::input::Pending;
        if s.archive.path != path || !s.archive.index_notes.is_empty() {
            return RecordEnds(None);
        }
        let mut starts = Vec::with_capacity(s.records.len() + 1);
        for p in &s.records {
            match p {
                Pending::Record(r, _) if r.inner_offset.is_some() => return RecordEnds(None),
                Pending::Record(r, _) => starts.push(r.offset),
                Pending::Bad(b) => starts.push(b.offset),
            }
        }
        starts.push(bytes.len() as u64);
        starts.sort_unstable();
        starts.dedup();
        RecordEnds(Some(starts))
    }

    /// The bytes from `rec`'s offset to the next record, or -1.
    fn length(&self, rec: &collatio::input::warc::Record) -> i64 {
        let Some(starts) = &self.0 else { return -1 };
        if rec.inner_offset.is_some() {
            return -1;
        }
        let i = starts.partition_point(|&o| o <= rec.offset);
        starts.get(i).map_or(-1, |&end| (end - rec.offset) as i64)
    }
}

/// A capture handed to stage 2: its record's bytes alone, or the whole archive.
struct Member<'a> {
    path: &'a Path,
    name: &'a str,
    bytes: &'a [u8],
    ranged: bool,
    offset: u64,
    orig: Option<(&'a [u8], u64)>,
}

impl Member<'_> {
    /// The capture's document, read as `check` reads it (no payload hash: no rule reads it).
    /// `whole` keeps the records of archives read whole, so each is parsed once per group.
    fn document(
        &self,
        c: &collatio::engine::Checker,
        whole: &mut HashMap<PathBuf, Vec<collatio::input::Source>>,
    ) -> Option<Result<Document, collatio::error::Error>> {
        use collatio::input::{self, warc, Archive, Pending};
        if self.ranged {
            let at = |bytes: &[u8], offset: u64| {
                warc::record_at(bytes, 0, None).map(|mut r| {
                    r.offset = offset;
                    Box::new(r)
                })
            };
            let rec = at(self.bytes, self.offset)?;
            let orig = self.orig.and_then(|(b, o)| at(b, o));
            let archive = Archive {
                path: self.path.to_path_buf(),
                display: c.read.display(self.path),
                index_notes: Default::default(),
            };
            return archive.document(&Pending::Record(rec, orig), &c.read, &c.kb, false);
        }
        let sources = whole
            .entry(self.path.to_path_buf())
            .or_insert_with(|| input::archive_sources(self.path, self.bytes, &c.read).0);
        sources.iter().find_map(|s| {
            s.records.iter().find_map(|p| match p {
                Pending::Record(r, _) if s.archive.record_name(r) == self.name => {
                    s.archive.document(p, &c.read, &c.kb, false)
                }
                _ => None,
            })
        })
    }
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
