//! Fingerprint stage: a manifest of every file (sha256 of the bytes, encoding, provenance) and
//! every unit (line, kind, date, sha256 of raw and of normalized text).
//!
//! Comparing a new snapshot with the last manifest tells which paragraphs were added, removed,
//! changed or moved (`collatio diff`).

use crate::model::{Document, UnitKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// The manifest entry of one document (its sha256 must have been computed when it was read).
pub fn file_entry(doc: &Document) -> FileEntry {
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
        units: doc
            .units
            .iter()
            .map(|u| UnitEntry {
                line: doc.line_col(u.span.start).0,
                end_line: doc.line_col(u.span.end).0,
                kind: u.kind,
                date: u.date().iso(),
                sha256_raw: u.sha_raw(&doc.text),
                sha256_norm: u.sha_norm(),
                text: u.norm_text(),
                chrome: u.evidence.map(|e| e.describe().to_string()),
            })
            .collect(),
    }
}

/// The manifest of `docs`.
pub fn manifest(docs: &[Document]) -> Manifest {
    Manifest {
        collatio_manifest: MANIFEST_VERSION,
        files: docs.iter().map(file_entry).collect(),
    }
}
