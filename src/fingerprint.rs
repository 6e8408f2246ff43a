//! Fingerprint stage: a manifest of every file (sha256 of the bytes, encoding, provenance) and
//! every unit (line, kind, date, sha256 of raw and of normalized text).
//!
//! Comparing a new snapshot with the last manifest tells which paragraphs were added, removed,
//! changed or moved (`collatio diff`).

use crate::model::{Document, UnitKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const MANIFEST_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub collatio_manifest: u32,
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub size: u64,
    pub encoding: String,
    pub script: Option<crate::script::Script>,
    #[serde(default)]
    pub front_matter: BTreeMap<String, serde_json::Value>,
    pub units: Vec<UnitEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UnitEntry {
    pub line: usize,
    pub end_line: usize,
    pub kind: UnitKind,
    /// Date in force, `YYYY-MM-DD` with unknown parts left out.
    pub date: String,
    pub sha256_raw: String,
    pub sha256_norm: String,
    /// Normalized text, so a later diff can show what changed.
    pub text: String,
    /// For page chrome, why the line was taken for chrome (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chrome: Option<String>,
}

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
                date: u.date.iso(),
                sha256_raw: u.sha_raw(&doc.text),
                sha256_norm: u.sha_norm(),
                text: u.norm_text(),
                chrome: u.evidence.map(|e| e.describe().to_string()),
            })
            .collect(),
    }
}

pub fn manifest(docs: &[Document]) -> Manifest {
    Manifest {
        collatio_manifest: MANIFEST_VERSION,
        files: docs.iter().map(file_entry).collect(),
    }
}
