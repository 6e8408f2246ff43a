//! Official titles that do not match the person (filled in by the knowledge rules).

use super::{DocRule, RuleInfo};
use crate::finding::Finding;
use crate::knowledge::Knowledge;
use crate::model::Document;

pub struct Titles;

impl DocRule for Titles {
    fn infos(&self) -> &'static [RuleInfo] {
        &[]
    }
    fn check(&self, _doc: &Document, _kb: &Knowledge, _out: &mut Vec<Finding>) {}
}
