//! Collation: align witnesses to a reference, then characters inside aligned units.
pub mod align;

use crate::finding::Finding;
use crate::knowledge::Knowledge;
use crate::model::Document;
use crate::rules::RuleInfo;

pub static RULES: &[RuleInfo] = &[];

pub fn check_group(
    _reference: &Document,
    _witnesses: &[&Document],
    _kb: &Knowledge,
) -> Vec<Finding> {
    Vec::new()
}

pub fn apparatus(
    _reference: &Document,
    _witnesses: &[Document],
    _kb: &Knowledge,
    _json: bool,
) -> String {
    String::new()
}
