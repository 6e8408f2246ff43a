//! Fingerprint stage: a manifest of every file (sha256 of the bytes, encoding, provenance) and
//! every unit (line, kind, date, sha256 of raw and of normalized text).
//!
//! Comparing a new snapshot with the last manifest tells which paragraphs were added, removed,
//! changed or moved (`collatio diff`).

use crate::model::{Document, UnitKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;

/// The `collatio_manifest` format version this build writes and `diff` reads.
pub const MANIFEST_VERSION: u32 = 1;

/// What `collatio fingerprint` writes: a snapshot of files and units for a later `diff`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// Format version; [`MANIFEST_VERSION`].
    pub collatio_manifest: u32,
    /// One entry per file, in the order the files were read.
    pub files: Vec<FileEntry>,
}

/// One file of a manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileEntry {
    /// The file as reported (relative to the project root when there is one).
    pub path: String,
    /// sha256 (hex) of the file's bytes: any change to the file changes it.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// The encoding the file was decoded from (WHATWG name).
    pub encoding: String,
    /// The script most of its characters are in, when it is clear.
    pub script: Option<crate::script::Script>,
    /// Front-matter fields; `diff` reports a changed `url`, `date` or `title`.
    #[serde(default)]
    pub front_matter: BTreeMap<String, serde_json::Value>,
    /// The units, in text order.
    pub units: Vec<UnitEntry>,
}

/// One unit of a manifest file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UnitEntry {
    /// 1-based line where the unit starts.
    pub line: usize,
    /// 1-based line where it ends.
    pub end_line: usize,
    /// What the unit is (event, paragraph, page mark …).
    pub kind: UnitKind,
    /// Date in force, `YYYY-MM-DD` with unknown parts left out.
    pub date: String,
    /// sha256 of the raw text: changes with any edit, punctuation and script included.
    pub sha256_raw: String,
    /// sha256 of the normalized text: the same across scripts and punctuation styles.
    pub sha256_norm: String,
    /// Normalized text, so a later diff can show what changed.
    pub text: String,
    /// For page chrome, why the line was taken for chrome (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chrome: Option<String>,
}

/// The manifest entry of unit `i` of `doc`, whether the document holds its folds and text or
/// not ([`Document::fold`], [`Document::text_at`]).
pub fn unit_entry(doc: &Document, i: usize) -> UnitEntry {
    let u = &doc.units[i];
    let fold = doc.fold(i);
    let text = fold.text();
    UnitEntry {
        line: doc.line_col(u.span.start).0,
        end_line: doc.line_col(u.span.end).0,
        kind: u.kind,
        date: u.date().iso(),
        sha256_raw: sha_raw(doc, i),
        sha256_norm: crate::source::sha256_hex(text.as_bytes()),
        text,
        chrome: u.evidence.map(|e| e.describe().to_string()),
    }
}

/// sha256 (hex) of the raw text of unit `i`'s parts, joined by line breaks.
fn sha_raw(doc: &Document, i: usize) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for (k, p) in doc.units[i].parts().iter().enumerate() {
        if k > 0 {
            h.update(b"\n");
        }
        h.update(doc.text_at(p.clone()).as_bytes());
    }
    format!("{:x}", h.finalize())
}

/// Writes a manifest one document at a time, exactly as `serde_json::to_writer_pretty` writes
/// [`manifest`] of them all: a run over a large archive never holds the manifest (it holds the
/// normalized text of every unit), nor more documents than it reads at once.
pub struct ManifestWriter<'w> {
    w: &'w mut dyn Write,
    files: usize,
}

impl<'w> ManifestWriter<'w> {
    /// Starts the manifest.
    pub fn start(w: &'w mut dyn Write) -> std::io::Result<Self> {
        write!(
            w,
            "{{\n  \"collatio_manifest\": {MANIFEST_VERSION},\n  \"files\": ["
        )?;
        Ok(ManifestWriter { w, files: 0 })
    }

    /// Writes the entry of the next document.
    pub fn file(&mut self, doc: &Document) -> std::io::Result<()> {
        write_file(self.w, doc, self.files)?;
        self.files += 1;
        Ok(())
    }

    /// Closes the manifest (no final line break, as `to_writer_pretty`).
    pub fn finish(self) -> std::io::Result<()> {
        if self.files > 0 {
            self.w.write_all(b"\n  ")?;
        }
        self.w.write_all(b"]\n}")
    }
}

/// Writes the manifest of every document under `paths` to `w` as the files are read, a few at
/// a time ([`crate::pipeline::for_each_document`]): what `collatio fingerprint` runs. A file
/// that cannot be read goes to `error`; the others are written.
pub fn write_paths(
    w: &mut dyn Write,
    paths: &[std::path::PathBuf],
    opts: &crate::pipeline::ReadOptions,
    kb: &crate::knowledge::Knowledge,
    error: &mut dyn FnMut(crate::error::Error),
) -> std::io::Result<()> {
    let mut m = ManifestWriter::start(w)?;
    let mut written = Ok(());
    crate::pipeline::for_each_document(paths, opts, kb, &mut |r| match r {
        Ok(d) if written.is_ok() => written = m.file(&d),
        Ok(_) => {}
        Err(e) => error(e),
    });
    written?;
    m.finish()
}

/// The manifest of every document under `paths`, each entry made as its file is read (the
/// documents are never all held): what `collatio diff` compares with the last one. A file that
/// cannot be read goes to `error`.
pub fn manifest_of_paths(
    paths: &[std::path::PathBuf],
    opts: &crate::pipeline::ReadOptions,
    kb: &crate::knowledge::Knowledge,
    error: &mut dyn FnMut(crate::error::Error),
) -> Manifest {
    let mut files = Vec::new();
    crate::pipeline::for_each_document(paths, opts, kb, &mut |r| match r {
        Ok(d) => files.push(file_entry(&d)),
        Err(e) => error(e),
    });
    Manifest {
        collatio_manifest: MANIFEST_VERSION,
        files,
    }
}

/// One file of a [`ManifestWriter`] (`index`: files written before it), units streamed.
fn write_file(w: &mut dyn Write, doc: &Document, index: usize) -> std::io::Result<()> {
    let head = FileEntry {
        units: Vec::new(),
        ..file_entry_head(doc)
    };
    let head = serde_json::to_string_pretty(&head)?;
    // The entry's own pretty form ends with its (empty) unit list, its last field.
    let Some(open) = head.strip_suffix("[]\n}") else {
        return Err(std::io::Error::other(
            "manifest entry without its unit list",
        ));
    };
    w.write_all(if index > 0 { b",\n" } else { b"\n" })?;
    write_indented(w, open, 4)?;
    if doc.units.is_empty() {
        return w.write_all(b"[]\n    }");
    }
    w.write_all(b"[")?;
    for i in 0..doc.units.len() {
        w.write_all(if i > 0 { b",\n" } else { b"\n" })?;
        write_indented(w, &serde_json::to_string_pretty(&unit_entry(doc, i))?, 8)?;
    }
    w.write_all(b"\n      ]\n    }")
}

/// `s` with every line indented by `by` spaces (a JSON string holds no raw line break, so lines
/// are the pretty form's own).
fn write_indented(w: &mut dyn Write, s: &str, by: usize) -> std::io::Result<()> {
    let pad = " ".repeat(by);
    for (k, line) in s.split('\n').enumerate() {
        if k > 0 {
            w.write_all(b"\n")?;
        }
        if !line.is_empty() {
            w.write_all(pad.as_bytes())?;
        }
        w.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// A document's manifest entry without its units.
fn file_entry_head(doc: &Document) -> FileEntry {
    FileEntry {
        path: doc.display.clone(),
        sha256: doc.provenance.sha256.clone(),
        size: doc.provenance.size,
        encoding: doc.provenance.encoding.clone(),
        script: doc.provenance.script,
        front_matter: doc
            .provenance
            .front_matter
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or_default()))
            .collect(),
        units: Vec::new(),
    }
}

/// The manifest entry of one document (its sha256 must have been computed when it was read).
pub fn file_entry(doc: &Document) -> FileEntry {
    FileEntry {
        units: (0..doc.units.len()).map(|i| unit_entry(doc, i)).collect(),
        ..file_entry_head(doc)
    }
}

/// The manifest of `docs`.
pub fn manifest(docs: &[Document]) -> Manifest {
    Manifest {
        collatio_manifest: MANIFEST_VERSION,
        files: docs.iter().map(file_entry).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streamed(docs: &[Document]) -> String {
        let mut out = Vec::new();
        let mut m = ManifestWriter::start(&mut out).unwrap();
        for d in docs {
            m.file(d).unwrap();
        }
        m.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The manifest written a document at a time is the one serde writes of them all: no
    /// file, a file without units, front matter with a nested map and a list, the seeds (with
    /// their folds released, as `collatio fingerprint` reads them).
    #[test]
    fn a_streamed_manifest_is_the_pretty_manifest() {
        let checker = crate::engine::Checker::new(crate::knowledge::Knowledge::embedded());
        let mut docs = vec![
            checker.document_from_text("empty.txt", ""),
            checker.document_from_text(
                "fm.txt",
                "---\ntitle: 标题\ntags: [a, b]\nsource:\n  name: 某报\n  url: https://example.org/a\n---\n\n3月1日\n\n◆外交部发言人介绍有关情况。\n",
            ),
        ];
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
        for e in std::fs::read_dir(seeds).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                let text = std::fs::read_to_string(&p).unwrap();
                docs.push(checker.document_from_text("seed.txt", &text));
            }
        }
        assert!(docs[0].units.is_empty() && !docs[1].provenance.front_matter.is_empty());
        for n in [0, 1, 2, docs.len()] {
            let want = serde_json::to_string_pretty(&manifest(&docs[..n])).unwrap();
            assert_eq!(streamed(&docs[..n]), want, "{n} files");
        }
        let want = serde_json::to_string_pretty(&manifest(&docs)).unwrap();
        docs.iter_mut().for_each(Document::release_folds);
        assert_eq!(streamed(&docs), want, "folds released");
    }
}
