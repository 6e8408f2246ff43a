//! The rule engine: every rule in its own file, all registered in [`REGISTRY`] (single-document
//! rules) and [`COLLATION_RULES`] (rules that the collation stage applies to variants).
//!
//! A rule declares its metadata once ([`RuleInfo`]: id, code, category, default severity, summary
//! and the text `collatio rules explain ID` prints); nothing else has to be kept in sync by hand.

use crate::finding::{Category, Finding, Severity};
use crate::knowledge::Knowledge;
use crate::model::Document;
pub use sink::Findings;
use std::collections::BTreeMap;

pub mod annotation;
pub mod capture;
pub mod converter;
pub mod encoding;
pub mod index;
pub mod layout;
pub mod loops;
pub mod provenance;
pub mod sink;
pub mod title;

/// A rule's metadata.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// `category/name`, e.g. `loop/repeated-phrase`.
    pub id: &'static str,
    /// Short stable code, e.g. `LP001`.
    pub code: &'static str,
    /// The category its findings are in.
    pub category: Category,
    /// Default severity, before config and `--severity`.
    pub severity: Severity,
    /// One line: what it finds.
    pub summary: &'static str,
    /// What it looks for, an example, and how to silence it.
    pub explain: &'static str,
}

/// A `RuleInfo` constant, documented with its id, code and summary (the collation and
/// corroboration rules are declared with it).
macro_rules! rule_info {
    ($name:ident, $id:literal, $code:literal, $cat:ident, $sev:ident, $summary:literal, $explain:literal) => {
        #[doc = concat!("Rule `", $id, "` (", $code, "): ", $summary, ".")]
        pub const $name: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
            id: $id,
            code: $code,
            category: $crate::finding::Category::$cat,
            severity: $crate::finding::Severity::$sev,
            summary: $summary,
            explain: $explain,
        };
    };
}
pub(crate) use rule_info;

/// A rule that looks at one document on its own.
pub trait DocRule: Sync {
    /// The ids this rule can emit (one file may emit closely related ids).
    fn infos(&self) -> &'static [RuleInfo];
    /// Checks one document with the rules data, appending findings to `out`.
    fn check(&self, doc: &Document, kb: &Knowledge, out: &mut Findings);
}

/// Every single-document rule, in the order they run.
pub static REGISTRY: &[&dyn DocRule] = &[
    &loops::Loops,
    &converter::Converter,
    &layout::Layout,
    &encoding::Encoding,
    &annotation::Annotation,
    &provenance::Provenance,
    &title::Titles,
    &capture::Capture,
    &index::Index,
];

/// Rules the collation stage emits (declared in `crate::collate::rules_info`).
pub static COLLATION_RULES: &[RuleInfo] = crate::collate::RULES;

/// All rule metadata, single-document and collation.
pub fn all_infos() -> Vec<&'static RuleInfo> {
    let mut v: Vec<&'static RuleInfo> = REGISTRY.iter().flat_map(|r| r.infos().iter()).collect();
    v.extend(COLLATION_RULES.iter());
    v.extend(crate::corroborate::RULES.iter());
    v
}

/// Find a rule by id or code (case-insensitive).
pub fn find(id: &str) -> Option<&'static RuleInfo> {
    all_infos()
        .into_iter()
        .find(|r| r.id.eq_ignore_ascii_case(id) || r.code.eq_ignore_ascii_case(id))
}

/// Per-rule severity and enable/disable, from the command line and the config file. Keys may be
/// a rule id (`loop/repeated-phrase`), a code (`LP001`) or a category (`loop`); the most specific
/// key wins.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `None` disables.
    pub overrides: BTreeMap<String, Option<Severity>>,
    /// Findings of one rule listed per file ([`sink::DEFAULT_MAX_PER_RULE`] when `None`; `0`: no
    /// limit).
    pub max_per_rule: Option<usize>,
}

/// The level `levels` give `f`: by rule id, else code, else category (the most specific wins;
/// keys compared without case). `Some(None)` is `off`; `None`, no level given.
pub fn level_in(
    levels: &BTreeMap<String, Option<Severity>>,
    f: &Finding,
) -> Option<Option<Severity>> {
    let by = |k: &str| {
        levels
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| *v)
    };
    by(&f.rule)
        .or_else(|| by(&f.code))
        .or_else(|| by(f.category.as_str()))
}

impl Settings {
    /// Parse `off`, `note`, `warning`, `error`.
    pub fn parse_level(s: &str) -> Option<Option<Severity>> {
        match s.trim().to_ascii_lowercase().as_str() {
            "off" | "disable" | "disabled" | "none" | "allow" => Some(None),
            other => Severity::parse(other).map(Some),
        }
    }

    /// Whether `key` names a rule id, code or category that exists.
    pub fn known_key(key: &str) -> bool {
        find(key).is_some()
            || Category::ALL
                .iter()
                .any(|c| c.as_str().eq_ignore_ascii_case(key))
    }

    /// Whether the settings turn rule `info` off (its id, code or category set to `off`).
    pub fn disables(&self, info: &RuleInfo) -> bool {
        let by = |k: &str| {
            self.overrides
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(k))
                .map(|(_, v)| *v)
        };
        let level = by(info.id)
            .or_else(|| by(info.code))
            .or_else(|| by(info.category.as_str()));
        level == Some(None)
    }

    fn lookup(&self, f: &Finding) -> Option<Option<Severity>> {
        level_in(&self.overrides, f)
    }

    /// Apply the settings: drop disabled findings, change severities.
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        if self.overrides.is_empty() {
            return findings;
        }
        findings
            .into_iter()
            .filter_map(|mut f| match self.lookup(&f) {
                None => Some(f),
                Some(None) => None,
                Some(Some(s)) => {
                    f.severity = s;
                    Some(f)
                }
            })
            .collect()
    }
}

/// Run every registered single-document rule on `doc`.
pub fn check_document(doc: &Document, kb: &Knowledge) -> Vec<Finding> {
    check_document_with(doc, kb, &Settings::default())
}

/// Run the rules on `doc` that `settings` leave on: a rule all of whose ids are disabled is not
/// run at all (`--disable loop` saves the loop detector's time, not only its output).
pub fn check_document_with(doc: &Document, kb: &Knowledge, settings: &Settings) -> Vec<Finding> {
    let cap = settings.max_per_rule.unwrap_or(sink::DEFAULT_MAX_PER_RULE);
    let mut out = Findings::new(cap);
    for r in REGISTRY {
        if !r.infos().iter().all(|i| settings.disables(i)) {
            r.check(doc, kb, &mut out);
        }
    }
    out.finish(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_is_skipped_only_when_all_its_ids_are_off() {
        let loops = &loops::Loops;
        let off = |keys: &[(&str, Option<Severity>)]| Settings {
            overrides: keys.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            ..Settings::default()
        };
        let skipped = |s: &Settings| loops.infos().iter().all(|i| s.disables(i));
        assert!(skipped(&off(&[("loop", None)])));
        assert!(skipped(&off(&[
            ("LP001", None),
            ("loop/repeated-paragraph", None)
        ])));
        assert!(!skipped(&off(&[("LP001", None)])));
        assert!(!skipped(&off(&[("loop", Some(Severity::Note))])));
        // The most specific key wins: the category off, one id back on.
        assert!(!skipped(&off(&[
            ("loop", None),
            ("LP002", Some(Severity::Error))
        ])));
        assert!(!skipped(&Settings::default()));
    }

    #[test]
    fn ids_and_codes_are_unique_and_well_formed() {
        let infos = all_infos();
        let mut ids = std::collections::HashSet::new();
        let mut codes = std::collections::HashSet::new();
        for i in &infos {
            assert!(ids.insert(i.id), "duplicate id {}", i.id);
            assert!(codes.insert(i.code), "duplicate code {}", i.code);
            let (cat, _) = i.id.split_once('/').expect("id is category/name");
            assert_eq!(
                cat,
                i.category.as_str(),
                "{} is filed under the wrong category",
                i.id
            );
            assert!(!i.explain.is_empty() && !i.summary.is_empty());
        }
    }
}
