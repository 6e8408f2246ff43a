//! collatio — provenance and textual integrity of archived texts.
//!
//! The crate is laid out as the data flow it implements (see `README.md`):
//!
//! ```text
//! paths ─► source (walk, decode, front matter) ─► Document
//! Document ─► segment (units with raw byte spans, dates in force)
//!          ─► normalize (NFKC, script fold, punctuation fold; offset map back to raw bytes)
//!          ─► fingerprint (sha256 of raw and normalized unit text) ─► manifest
//! Documents ─► rules (one file per rule, registered in `rules::registry`)
//! Witness group ─► collate (align units, then characters) ─► findings
//! Findings ─► baseline filter ─► report (human, jsonl, sarif, markdown) ─► exit code
//! ```

#![warn(missing_docs)]

pub mod baseline;
pub mod cli;
pub mod collate;
pub mod config;
pub mod corroborate;
pub mod dates;
pub mod engine;
pub mod error;
pub mod finding;
pub mod fingerprint;
pub mod gate;
pub mod input;
pub mod knowledge;
pub mod lexicon;
pub mod manual;
pub mod model;
pub mod normalize;
pub mod onetomany;
pub mod pipeline;
pub mod regional;
pub mod report;
pub mod rules;
pub mod script;
pub mod segment;
pub mod source;
pub mod translit;
pub mod util;
pub mod wikidata;
