//! Capture integrity: a WARC record's `WARC-Payload-Digest` or `WARC-Block-Digest` that does not
//! match the record's bytes. The digest is the strongest integrity signal an archive carries:
//! written at capture time, it proves the bytes are the ones the crawler saw.
//!
//! The reader (src/input) computes the digests and writes `payload_digest_computed` /
//! `block_digest_computed` into the capture's front matter only when they differ from the
//! record's; this rule turns each into one finding on that line, naming the record.

use super::{DocRule, RuleInfo};
use crate::finding::{Category, FindingBuilder, Location, Severity};
use crate::knowledge::Knowledge;
use crate::model::Document;

/// A record whose stored digest does not match its bytes.
pub const DIGEST_MISMATCH: RuleInfo = RuleInfo {
    id: "provenance/capture-digest-mismatch",
    code: "PV010",
    category: Category::Provenance,
    severity: Severity::Error,
    summary: "a WARC record's payload or block digest does not match its bytes",
    explain: "\
What it does: for a page read from a WARC (or a WACZ), computes the sha1 (or sha256) of the
record's payload and block and compares them with the record's WARC-Payload-Digest and
WARC-Block-Digest headers.

Why: the digests were written when the page was captured; bytes that no longer match them were
altered or damaged afterwards, and the capture's text cannot be trusted as a witness.

Silence: `--severity provenance/capture-digest-mismatch=off`.",
};

/// The rule.
pub struct Capture;

impl DocRule for Capture {
    fn infos(&self) -> &'static [RuleInfo] {
        &[DIGEST_MISMATCH]
    }

    fn check(&self, doc: &Document, _kb: &Knowledge, out: &mut super::Findings) {
        let p = &doc.provenance;
        let record = format!(
            "record {} ({} captured {}, at byte {} of {})",
            p.field("record_id").unwrap_or("?"),
            p.field("original_url").unwrap_or("?"),
            p.field("captured").unwrap_or("?"),
            p.field("record_offset").unwrap_or("?"),
            p.field("archive").unwrap_or("?"),
        );
        for (what, header) in [
            ("payload", "WARC-Payload-Digest"),
            ("block", "WARC-Block-Digest"),
        ] {
            let key = format!("{what}_digest");
            let (Some(stated), Some(computed)) =
                (p.field(&key), p.field(&format!("{key}_computed")))
            else {
                continue;
            };
            let span = p.field_spans.get(&key).cloned().unwrap_or(0..0);
            let computed_span = p.field_spans.get(&format!("{key}_computed")).cloned();
            out.push(
                FindingBuilder::new(&DIGEST_MISMATCH, doc, span)
                    .message(format!(
                        "{header} of {record} does not match its bytes: the record says {stated}, its bytes give {computed}"
                    ))
                    .label(format!("{what} altered or damaged after capture"))
                    .related(
                        computed_span.map(|s| Location::in_doc(doc, s)),
                        format!("the {what} as stored hashes to {computed}"),
                    )
                    .help("restore the archive from another copy or re-crawl the page; do not use this capture as a witness until then")
                    .subject(format!("{what}-digest:{stated}|{computed}"))
                    .build(),
            );
        }
    }
}
