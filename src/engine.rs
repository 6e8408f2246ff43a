//! The engine: a [`Checker`] built from rule data and settings takes documents and returns
//! findings — single-document rules, fingerprints, collation of a witness group — and runs the
//! whole check over paths. It knows nothing of the command line, the terminal or report formats;
//! the CLI ([`crate::cli`]) and any other host (a test, a Python worker, a Spark task) drive it.
//!
//! ```
//! use collatio::engine::Checker;
//! use collatio::knowledge::Knowledge;
//!
//! let checker = Checker::new(Knowledge::embedded());
//! let reference = checker.document_from_text("ref.txt", "3月1日\n\n◆外交部发言人介绍有关情况。\n");
//! let copy = checker.document_from_text("copy.txt", "3月1日\n\n◆外交部发言人介绍有关情况。\n");
//! assert!(checker.check_document(&copy).is_empty());
//! assert!(checker.collate_group(&reference, &[&copy]).is_empty());
//! ```

use crate::error::Error;
use crate::finding::{self, Finding};
use crate::fingerprint::Manifest;
use crate::knowledge::Knowledge;
use crate::model::{Document, Provenance};
use crate::pipeline::{self, ReadOptions};
use crate::rules::Settings;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Rule data, per-rule settings and read options: everything a check needs, built once and
/// shared by every document.
pub struct Checker {
    /// Rule knowledge (offices, people, converter pitfalls, confusables, boilerplate).
    pub kb: Knowledge,
    /// Per-rule severities and disabled rules.
    pub settings: Settings,
    /// How inputs are read (forced encoding, reporting root, excludes).
    pub read: ReadOptions,
}

/// A witness group: copies of one text collated against a reference.
#[derive(Debug, Clone)]
pub struct Group {
    /// The reference witness.
    pub reference: PathBuf,
    /// The copies; empty means every checked file.
    pub members: Vec<PathBuf>,
}

/// The result of [`Checker::check_paths`].
pub struct Checked {
    /// Documents kept for rendering or collation (not necessarily all that were read). Those
    /// a group collated hold summaries of their folds, not the folds
    /// ([`Document::release_folds`]; [`crate::model::Unit::fold`] makes one again).
    pub docs: Vec<Document>,
    /// Findings, sorted by file and position, with the settings applied.
    pub findings: Vec<Finding>,
    /// Files that could not be read, and references missing from the inputs; the run went on.
    pub errors: Vec<Error>,
    /// How many files were read.
    pub files: usize,
    /// Files passed over on purpose, with the reason (other than being hidden).
    pub skipped: Vec<(PathBuf, String)>,
}

impl Checker {
    /// A checker with the given rule data, default settings and read options.
    pub fn new(kb: Knowledge) -> Checker {
        Checker {
            kb,
            settings: Settings::default(),
            read: ReadOptions::default(),
        }
    }

    /// The same checker with per-rule settings.
    pub fn with_settings(mut self, settings: Settings) -> Checker {
        self.settings = settings;
        self
    }

    /// The same checker with read options.
    pub fn with_read_options(mut self, read: ReadOptions) -> Checker {
        self.read = read;
        self
    }

    /// A document from a file's bytes: decoded (encoding detected or forced), front matter read,
    /// segmented and normalized. `path` names it in errors and reports.
    pub fn document(&self, path: &Path, bytes: &[u8]) -> Result<Document, Error> {
        let (text, encoding, bom) =
            crate::source::decode(path, bytes, self.read.encoding, self.read.lossy)?;
        let prov = Provenance {
            encoding,
            bom,
            sha256: crate::source::sha256_hex(bytes),
            size: bytes.len() as u64,
            ..Default::default()
        };
        Ok(pipeline::document_from_text(
            path.to_path_buf(),
            self.read.display(path),
            text,
            prov,
            &self.kb,
        ))
    }

    /// A document from text already decoded (front matter, if any, is read from it).
    pub fn document_from_text(&self, name: &str, text: &str) -> Document {
        pipeline::document_from_text(
            PathBuf::from(name),
            name.to_string(),
            text.to_string(),
            Provenance {
                encoding: "utf-8".into(),
                size: text.len() as u64,
                ..Default::default()
            },
            &self.kb,
        )
    }

    /// The single-document rules on `doc`, with the settings applied. The rules read every
    /// unit's fold and the text: a document that released them
    /// ([`Document::release_folds`], [`Document::release_text`]) is made whole again for them,
    /// one document at a time.
    pub fn check_document(&self, doc: &Document) -> Vec<Finding> {
        let doc = doc.with_folds();
        self.settings
            .apply(crate::rules::check_document(&doc, &self.kb))
    }

    /// The manifest entries (file and unit fingerprints) of `docs`.
    pub fn fingerprint(&self, docs: &[Document]) -> Manifest {
        crate::fingerprint::manifest(docs)
    }

    /// Collate each witness against `reference`; findings with the settings applied. These are
    /// the collation's findings only: [`Checker::check_group`] merges them with the
    /// single-document rules' (one fault, one finding).
    pub fn collate_group(&self, reference: &Document, witnesses: &[&Document]) -> Vec<Finding> {
        self.settings
            .apply(crate::collate::check_group(reference, witnesses, &self.kb))
    }

    /// Corroborate `text` against `other`, a different text about the same events: their event
    /// records (date, actors, numbers, key phrase) are paired and compared fact by fact. The
    /// findings (category `conflict`, located in `text`, the other's reading as related span)
    /// have the settings applied; the rows say, for every pair, whether the texts agree.
    ///
    /// ```
    /// use collatio::corroborate::Options;
    /// use collatio::engine::Checker;
    /// use collatio::knowledge::Knowledge;
    ///
    /// let checker = Checker::new(Knowledge::embedded());
    /// let chronicle = checker.document_from_text(
    ///     "chronicle.txt",
    ///     "2月21日\n\n◆发布会通报，20日，武汉市新增治愈出院病例首次大于新增确诊病例。\n",
    /// );
    /// let paper = checker.document_from_text(
    ///     "paper.txt",
    ///     "（45）2月19日，武汉市新增治愈出院病例数首次大于新增确诊病例数。\n",
    /// );
    /// let c = checker.corroborate(&paper, &chronicle, Options::default());
    /// assert_eq!(c.findings.len(), 1, "{:#?}", c.findings);
    /// assert_eq!(c.findings[0].rule, "conflict/date");
    /// assert!(c.findings[0].message.contains("2月19日") && c.findings[0].message.contains("2月20日"));
    /// ```
    pub fn corroborate(
        &self,
        text: &Document,
        other: &Document,
        opts: crate::corroborate::Options,
    ) -> crate::corroborate::Corroboration {
        let mut c = crate::corroborate::corroborate(text, other, &self.kb, opts);
        c.findings = self.settings.apply(c.findings);
        c
    }

    /// A witness group checked as `collatio check WITNESS… --against REFERENCE` checks it, for
    /// documents already in memory: the single-document rules on the reference and each
    /// witness, the collation, and one finding per fault (a variant on a loop, a garble or an
    /// annotation goes into that finding), sorted by file and position.
    ///
    /// ```
    /// use collatio::engine::Checker;
    /// use collatio::knowledge::Knowledge;
    ///
    /// let checker = Checker::new(Knowledge::embedded());
    /// let reference = checker.document_from_text("ref.txt", "3月1日\n\n◆外交部发言人介绍有关情况。\n");
    /// let copy = checker.document_from_text("copy.txt", "3月1日\n\n◆外交部发言人介绍有关情况有关情况有关情况。\n");
    /// let findings = checker.check_group(&reference, &[&copy]);
    /// // The loop, once: not also as an inserted phrase.
    /// assert_eq!(findings.len(), 1, "{findings:#?}");
    /// assert_eq!(findings[0].category.as_str(), "loop");
    /// ```
    pub fn check_group(&self, reference: &Document, witnesses: &[&Document]) -> Vec<Finding> {
        let mut single = self.check_document(reference);
        for w in witnesses {
            single.extend(self.check_document(w));
        }
        let collated = self.collate_group(reference, witnesses);
        let mut findings = crate::collate::merge::merge(single, collated);
        finding::sort(&mut findings);
        findings
    }

    /// Read and check every file under `paths`, then collate each group: what `collatio check`
    /// runs. A group whose members are empty takes every checked file as a witness.
    /// `keep_for_report` keeps the text of documents with findings (human output renders it).
    pub fn check_paths(
        &self,
        paths: &[PathBuf],
        groups: &[Group],
        keep_for_report: bool,
    ) -> Checked {
        // The reference is read under the name it was given (reports show that name).
        let mut all_paths = paths.to_vec();
        for g in groups {
            if !paths.iter().any(|p| canon(p) == canon(&g.reference)) {
                all_paths.push(g.reference.clone());
            }
        }
        let groups = Groups::of(paths, groups);
        let keep = |d: &Document, f: &[Finding]| {
            if groups.holds(d) {
                pipeline::Keep::Whole
            } else if keep_for_report && !f.is_empty() {
                pipeline::Keep::Text
            } else {
                pipeline::Keep::No
            }
        };
        let pipeline::CheckedPaths {
            mut docs,
            findings,
            mut errors,
            files,
            skipped,
        } = pipeline::check_paths(&all_paths, &self.read, &self.kb, &self.settings, &keep);
        let mut collated = self.collate_groups(&docs, &groups, &mut errors);
        collated.extend(self.collate_captures(&docs));
        // One fault, one finding: variants on a loop, garble or annotation go into that finding
        // (after the settings, so a variant stays when the rule that would explain it is off).
        let mut findings = crate::collate::merge::merge(
            self.settings.apply(findings),
            self.settings.apply(collated),
        );
        finding::sort(&mut findings);
        // The reports that render text read it whole: a released text comes back for them.
        if keep_for_report {
            docs.iter_mut().for_each(|d| {
                d.hold_text();
            });
        }
        errors.extend(pipeline::changed_texts(&docs));
        Checked {
            docs,
            findings,
            errors,
            files,
            skipped: skipped
                .into_iter()
                .filter(|(_, why)| why != "hidden")
                .collect(),
        }
    }

    /// The findings of collating each group's witnesses against its reference; a reference
    /// that could not be read is an error.
    fn collate_groups(
        &self,
        docs: &[Document],
        groups: &Groups,
        errors: &mut Vec<Error>,
    ) -> Vec<Finding> {
        let doc_paths: Vec<PathBuf> = docs.iter().map(|d| canon(&d.path)).collect();
        let mut collated = Vec::new();
        for (reference, members) in &groups.groups {
            let Some(ri) = doc_paths.iter().position(|p| p == reference) else {
                errors.push(Error::Usage(format!(
                    "reference {} could not be read",
                    reference.display()
                )));
                continue;
            };
            let witnesses: Vec<&Document> = (0..docs.len())
                .filter(|&i| i != ri)
                .filter(|&i| {
                    if members.is_empty() {
                        // A web-archive capture is collated with the other captures of its URL
                        // (`collate_captures`), not with `--against`'s text, as the Spark job
                        // does; `collatio extract` makes it a text file to compare.
                        !is_capture(&docs[i].path)
                            && groups.roots.iter().any(|r| doc_paths[i].starts_with(r))
                    } else {
                        members.contains(&doc_paths[i])
                    }
                })
                .map(|i| &docs[i])
                .collect();
            collated.extend(crate::collate::check_group(&docs[ri], &witnesses, &self.kb));
        }
        collated
    }
}

/// The witness groups of a run with paths in canonical form, each resolved once (not once per
/// document).
struct Groups {
    /// Each group's reference and members.
    groups: Vec<(PathBuf, HashSet<PathBuf>)>,
    /// The paths the run was given: an empty group's members are the files under them.
    roots: Vec<PathBuf>,
    /// Some group takes every checked file.
    collate_all: bool,
}

impl Groups {
    fn of(paths: &[PathBuf], groups: &[Group]) -> Groups {
        let groups: Vec<(PathBuf, HashSet<PathBuf>)> = groups
            .iter()
            .map(|g| {
                (
                    canon(&g.reference),
                    g.members.iter().map(|x| canon(x)).collect(),
                )
            })
            .collect();
        Groups {
            collate_all: groups.iter().any(|(_, m)| m.is_empty()),
            groups,
            roots: paths.iter().map(|p| canon(p)).collect(),
        }
    }

    /// Whether a group collates `d` (as its reference or a member): only then is it kept whole.
    fn holds(&self, d: &Document) -> bool {
        self.collate_all || {
            let p = canon(&d.path);
            self.groups.iter().any(|(r, m)| *r == p || m.contains(&p))
        }
    }
}

impl Checker {
    /// Every document in one input's bytes: one for a text or HTML file, one per page capture
    /// for a WARC (`.warc`, `.warc.gz`) or a WACZ; a bad record, a refused binary (PDF, image)
    /// or an undecodable file is an error naming the file (and the record's byte offset), and
    /// the other documents are still given. The one call the CLI, the Python binding and the
    /// Spark job read any input through.
    ///
    /// ```
    /// use collatio::engine::Checker;
    /// use collatio::knowledge::Knowledge;
    /// use std::path::Path;
    ///
    /// let checker = Checker::new(Knowledge::embedded());
    /// let page = "<!DOCTYPE html><title>纪事</title><nav><a href=/>首页</a></nav>\
    ///             <article><h1>纪事</h1><p>外交部发言人介绍有关情况。</p></article>";
    /// let docs = checker.documents(Path::new("page.html"), page.as_bytes());
    /// let doc = docs[0].as_ref().unwrap();
    /// assert_eq!(doc.provenance.field("title"), Some("纪事"));
    /// assert!(doc.text.ends_with("# 纪事\n\n外交部发言人介绍有关情况。\n"));
    /// let pdf = checker.documents(Path::new("x.pdf"), b"%PDF-1.7\n");
    /// assert!(pdf[0].as_ref().unwrap_err().to_string().contains("PDF"));
    /// ```
    pub fn documents(&self, path: &Path, bytes: &[u8]) -> Vec<Result<Document, Error>> {
        crate::input::documents(path, bytes, &self.read, &self.kb)
    }

    /// Captures of one page (same canonical URL, [`crate::input::surt::canonical`]) collated
    /// in capture order against the earliest: what changed on the page between captures.
    pub fn collate_captures(&self, docs: &[Document]) -> Vec<Finding> {
        let mut by_url: std::collections::BTreeMap<String, Vec<&Document>> = Default::default();
        for d in docs {
            let p = &d.provenance;
            if let (Some(url), Some(_)) = (p.field("original_url"), p.field("captured")) {
                by_url
                    .entry(crate::input::surt::canonical(url))
                    .or_default()
                    .push(d);
            }
        }
        let mut out = Vec::new();
        for group in by_url.values_mut().filter(|g| g.len() > 1) {
            group.sort_by(|a, b| {
                let at = |d: &Document| d.provenance.field("captured").unwrap_or("").to_string();
                at(a).cmp(&at(b)).then_with(|| a.display.cmp(&b.display))
            });
            out.extend(crate::collate::check_group(group[0], &group[1..], &self.kb));
        }
        out
    }
}

/// Whether `path` names a record inside an archive (`ARCHIVE#OFFSET`), not a file.
fn is_capture(path: &Path) -> bool {
    let Some(name) = path.to_str() else {
        return false;
    };
    match name.rfind('#') {
        Some(at) => !path.exists() && Path::new(&name[..at]).is_file(),
        None => false,
    }
}

/// A path in canonical form when it exists (so `./a/../a/x.txt` and `a/x.txt` compare equal).
pub fn canon(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}
