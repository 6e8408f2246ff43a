//! WACZ index integrity: an entry of the package's index (CDXJ or classic CDX, under
//! `indexes/`) that does not point at the capture it names: no record of that URL at the offset it gives, or a payload
//! digest other than the record's.
//!
//! The reader (src/input/wacz.rs) checks every index entry against the records of the
//! package's WARCs and writes `index_mismatch` into the front matter of the capture concerned;
//! this rule turns it into one finding on that line. An entry whose URL no record captures at
//! all is reported as an error of the package.

use super::{DocRule, RuleInfo};
use crate::finding::{Category, FindingBuilder, Severity};
use crate::knowledge::Knowledge;
use crate::model::Document;

/// A WACZ index entry that does not point at its capture.
pub const INDEX_MISMATCH: RuleInfo = RuleInfo {
    id: "provenance/index-mismatch",
    code: "PV011",
    category: Category::Provenance,
    severity: Severity::Error,
    summary: "a WACZ index entry does not point at the record it names (offset, URL or digest)",
    explain: "\
What it does: for a page read from a WACZ package, reads the package's index, CDXJ
(indexes/*.cdxj) or classic CDX (indexes/*.cdx, .cdx.gz, read by its header line), and checks that each entry's offset is where a record of the
entry's URL starts in the named WARC, and that the entry's digest is the record's
WARC-Payload-Digest.

Why: replay tools find a page through the index; an entry pointing at another record, or with
another digest, replays something other than what was captured (the package was re-indexed
wrongly, altered, or its WARCs were replaced).

Silence: `--severity provenance/index-mismatch=off`.",
};

/// The rule.
pub struct Index;

impl DocRule for Index {
    fn infos(&self) -> &'static [RuleInfo] {
        &[INDEX_MISMATCH]
    }

    fn check(&self, doc: &Document, _kb: &Knowledge, out: &mut super::Findings) {
        let p = &doc.provenance;
        let Some(what) = p.field("index_mismatch") else {
            return;
        };
        let span = p.field_spans.get("index_mismatch").cloned().unwrap_or(0..0);
        out.push(
            FindingBuilder::new(&INDEX_MISMATCH, doc, span)
                .message(format!(
                    "the package index does not point at the capture of {} (record at byte {} of {}): {what}",
                    p.field("original_url").unwrap_or("?"),
                    p.field("record_offset").unwrap_or("?"),
                    p.field("archive").unwrap_or("?"),
                ))
                .label("index entry disagrees with the record")
                .help("re-index the package (e.g. `py-wacz create` or `wb-manager reindex`) from WARCs you trust, or restore the package from another copy")
                .subject(format!("index:{what}"))
                .build(),
        );
    }
}
