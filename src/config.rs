//! `collatio.toml`: the project's configuration, found by walking up from the working directory
//! (or named with `--config`). Paths in it are relative to its folder, which is also the root
//! that reported paths and fingerprints are relative to.
//!
//! ```toml
//! paths = ["archive"]                      # what `collatio check` reads with no arguments
//! exclude = ["**/README.md"]               # globs, relative to this file's folder
//! rules = ["rules-local"]                  # extra rule-data folders
//! no_default_rules = false                 # true: only the folders above
//! fail_on = "warning"                      # note | warning | error
//! baseline = "collatio-baseline.json"
//! encoding = "utf-8"                       # optional: force one encoding
//! lossy = false                            # true: check damaged files with U+FFFD (as --lossy)
//! max_file_size = "256M"                   # larger files are reported and skipped
//! max_per_rule = 1000                      # findings of one rule listed per file (0: all)
//!
//! [severity]                               # per rule id, code or category: off|note|warning|error
//! "provenance/boilerplate" = "off"
//! LY002 = "note"
//!
//! [[group]]                                # witness groups: copies of one text
//! reference = "archive/chronicle-xinhua.txt"
//! witnesses = ["archive/print-*.txt"]
//!
//! [[ignore]]                               # accepted findings, each with a reason: by
//! rule = "LY001"                           # fingerprint, or rule (+ paths, + text)
//! paths = ["archive/scans/**"]
//! reason = "OCR layout"
//!
//! [[override]]                             # rule levels for some paths (later ones win)
//! paths = ["archive/drafts/**"]
//! severity = { loop = "note" }
//! ```

use crate::error::{Error, Result};
use crate::finding::Severity;
use crate::rules::Settings;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The configuration file's name, looked for in the working directory and its parents.
pub const FILE_NAME: &str = "collatio.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    no_default_rules: bool,
    #[serde(default)]
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    baseline: Option<String>,
    #[serde(default)]
    encoding: Option<Spanned<String>>,
    #[serde(default)]
    lossy: bool,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    group: Vec<Spanned<RawGroup>>,
    #[serde(default)]
    max_file_size: Option<Spanned<toml::Value>>,
    #[serde(default)]
    max_per_rule: Option<usize>,
    #[serde(default)]
    ignore: Vec<Spanned<RawIgnore>>,
    #[serde(default, rename = "override")]
    overrides: Vec<Spanned<RawOverride>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    #[serde(default)]
    fingerprint: Option<String>,
    #[serde(default)]
    rule: Option<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    paths: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    reference: String,
    #[serde(default)]
    witnesses: Vec<Spanned<String>>,
}

/// A loaded configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from; errors and relative paths refer to it.
    pub path: PathBuf,
    /// The config file's folder.
    pub root: PathBuf,
    /// Files and folders to check when the command line names none (relative to `root`).
    pub paths: Vec<String>,
    /// Paths matching these globs are not read (`exclude = [...]`); `None` when empty.
    pub exclude: Option<globset::GlobSet>,
    /// Folders of rule-data files added to the built-in data (relative to `root`).
    pub rules: Vec<String>,
    /// Use only the `rules` folders, not the built-in data.
    pub no_default_rules: bool,
    /// Findings at or above this severity fail the run (exit 1).
    pub fail_on: Option<Severity>,
    /// The baseline file `check` applies, resolved against `root`.
    pub baseline: Option<PathBuf>,
    /// An encoding label (validated) that every file is decoded with instead of detecting.
    pub encoding: Option<String>,
    /// Check damaged files with U+FFFD for their bad bytes (`--lossy`).
    pub lossy: bool,
    /// `[severity]`: rule id, code or category → its level (`None` is `off`).
    pub rule_levels: BTreeMap<String, Option<Severity>>,
    /// `[[group]]`: a reference path and the witness paths or globs collated against it.
    pub groups: Vec<(String, Vec<String>)>,
    /// Files larger than this many bytes are skipped.
    pub max_file_size: Option<u64>,
    /// Findings of one rule listed per file, then one summary finding (`0`: all); the command
    /// line's `--max-per-rule` wins.
    pub max_per_rule: Option<usize>,
    /// Findings accepted in the config (`[[ignore]]`), each with its reason.
    pub ignore: Vec<Ignore>,
    /// Rule levels for some paths (`[[override]]`), in file order (a later one wins).
    pub overrides: Vec<Override>,
}

/// One `[[ignore]]` entry: the findings it names are left out of reports and never fail a run.
/// Every condition given must hold.
#[derive(Debug, Clone)]
pub struct Ignore {
    /// A finding's exact fingerprint.
    pub fingerprint: Option<String>,
    /// A rule id, code or category.
    pub rule: Option<String>,
    /// Globs on the path relative to the config's folder.
    pub paths: Option<globset::GlobSet>,
    /// Text the finding's message or subject contains.
    pub text: Option<String>,
    /// Why (required).
    pub reason: String,
}

impl Ignore {
    /// Whether this entry covers `f`.
    pub fn covers(&self, f: &crate::finding::Finding) -> bool {
        self.fingerprint
            .as_ref()
            .is_none_or(|x| *x == f.fingerprint)
            && self.rule.as_ref().is_none_or(|r| names_rule(r, f))
            && self
                .paths
                .as_ref()
                .is_none_or(|g| g.is_match(&f.location.file))
            && self
                .text
                .as_ref()
                .is_none_or(|t| f.message.contains(t.as_str()) || f.subject.contains(t.as_str()))
    }
}

/// Whether `key` (a rule id, code or category) names the rule of `f`.
pub fn names_rule(key: &str, f: &crate::finding::Finding) -> bool {
    key.eq_ignore_ascii_case(&f.rule)
        || key.eq_ignore_ascii_case(&f.code)
        || key.eq_ignore_ascii_case(f.category.as_str())
}

/// One `[[override]]`: rule levels for the files its globs match.
#[derive(Debug, Clone)]
pub struct Override {
    /// Globs on the path relative to the config's folder.
    pub paths: globset::GlobSet,
    /// Levels as in `[severity]`.
    pub levels: BTreeMap<String, Option<Severity>>,
}

impl Config {
    /// Find and load the configuration: `explicit` if given, else `collatio.toml` in the working
    /// directory or the nearest parent.
    pub fn discover(explicit: Option<&Path>, disabled: bool) -> Result<Option<Config>> {
        if let Some(p) = explicit {
            return Config::load(p).map(Some);
        }
        if disabled {
            return Ok(None);
        }
        let Ok(mut dir) = std::env::current_dir() else {
            return Ok(None);
        };
        loop {
            let cand = dir.join(FILE_NAME);
            if cand.is_file() {
                return Config::load(&cand).map(Some);
            }
            if !dir.pop() {
                return Ok(None);
            }
        }
    }

    /// Reads and parses the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config> {
        let text = crate::util::read_text_limited(path, crate::util::limits::CONFIG).map_err(
            |source| Error::Io {
                path: path.to_path_buf(),
                source,
            },
        )?;
        Config::parse(path, &text)
    }

    /// Parses and validates `text` as the configuration file `path` (levels, globs, encoding,
    /// sizes); an error points at the offending value.
    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let name = path.display().to_string();
        let raw: Raw = toml::from_str(text).map_err(|e| {
            Error::data(
                &name,
                text,
                e.span(),
                e.message().to_string(),
                Some("see README, section \"Configuration\"".into()),
            )
        })?;
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let bad = |span: std::ops::Range<usize>, msg: String, help: &str| {
            Error::data(&name, text, Some(span), msg, Some(help.to_string()))
        };
        let fail_on = raw
            .fail_on
            .as_ref()
            .map(|s| fail_level(s, &bad))
            .transpose()?;
        let rule_levels = levels(&raw.severity, &bad)?;
        if let Some(e) = &raw.encoding {
            crate::source::encoding_for_label(e.get_ref()).map_err(|_| {
                bad(
                    e.span(),
                    format!("unknown encoding `{}`", e.get_ref()),
                    "use a WHATWG label such as utf-8, gb18030, big5",
                )
            })?;
        }
        let exclude = exclude_globs(&name, &raw.exclude, &bad)?;
        let max_file_size = raw
            .max_file_size
            .as_ref()
            .map(|v| size(v, &bad))
            .transpose()?;
        let ignore = raw
            .ignore
            .iter()
            .map(|i| ignore_entry(i, &bad))
            .collect::<Result<Vec<_>>>()?;
        let overrides = raw
            .overrides
            .iter()
            .map(|o| override_entry(o, &bad))
            .collect::<Result<Vec<_>>>()?;
        let groups = raw
            .group
            .iter()
            .map(|g| group(g, &bad))
            .collect::<Result<Vec<_>>>()?;
        Ok(Config {
            path: path.to_path_buf(),
            paths: raw.paths,
            exclude,
            rules: raw.rules,
            no_default_rules: raw.no_default_rules,
            fail_on,
            baseline: raw.baseline.map(|b| root.join(b)),
            encoding: raw.encoding.map(|e| e.into_inner()),
            lossy: raw.lossy,
            rule_levels,
            groups,
            max_file_size,
            max_per_rule: raw.max_per_rule,
            root,
            ignore,
            overrides,
        })
    }

    /// Whether any `[[ignore]]` or `[[override]]` is set.
    pub fn has_path_rules(&self) -> bool {
        !self.ignore.is_empty() || !self.overrides.is_empty()
    }

    /// The `rules` folders resolved against the config's folder.
    pub fn rules_dirs(&self) -> Vec<PathBuf> {
        self.rules.iter().map(|r| self.root.join(r)).collect()
    }

    /// The paths to check, resolved against the root (the root itself when none are named).
    pub fn paths(&self) -> Vec<PathBuf> {
        if self.paths.is_empty() {
            return vec![self.root.clone()];
        }
        self.paths.iter().map(|p| self.root.join(p)).collect()
    }

    /// Witness groups with globs expanded: (reference, witnesses).
    pub fn groups(&self) -> Result<Vec<(PathBuf, Vec<PathBuf>)>> {
        let mut out = Vec::new();
        for (r, ws) in &self.groups {
            let reference = self.root.join(r);
            let mut members = Vec::new();
            for w in ws {
                members.extend(self.expand(w)?);
            }
            members.retain(|m| m != &reference);
            if members.is_empty() && !ws.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: group {r}: no file matches {}",
                    self.path.display(),
                    ws.join(", ")
                )));
            }
            out.push((reference, members));
        }
        Ok(out)
    }

    fn expand(&self, pattern: &str) -> Result<Vec<PathBuf>> {
        if !pattern.contains(['*', '?', '[']) {
            return Ok(vec![self.root.join(pattern)]);
        }
        let glob = globset::Glob::new(pattern)
            .map_err(|e| {
                Error::Usage(format!(
                    "{}: bad glob `{pattern}`: {e}",
                    self.path.display()
                ))
            })?
            .compile_matcher();
        let mut out = Vec::new();
        for e in walkdir::WalkDir::new(&self.root)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !e.file_type().is_file() {
                continue;
            }
            if let Ok(rel) = e.path().strip_prefix(&self.root) {
                if glob.is_match(rel) {
                    out.push(e.path().to_path_buf());
                }
            }
        }
        Ok(out)
    }
}

type Bad<'a> = dyn Fn(std::ops::Range<usize>, String, &str) -> Error + 'a;

/// A `[severity]` table (global or of an `[[override]]`): each key a rule, code or category,
/// each value a level; the first bad one is an error at its place.
fn levels(
    table: &BTreeMap<String, Spanned<String>>,
    bad: &Bad,
) -> Result<BTreeMap<String, Option<Severity>>> {
    let mut out = BTreeMap::new();
    for (k, v) in table {
        let level = Settings::parse_level(v.get_ref()).ok_or_else(|| {
            bad(
                v.span(),
                format!("`{k}` = \"{}\" is not a level", v.get_ref()),
                "use off, note, warning or error",
            )
        })?;
        if !Settings::known_key(k) {
            return Err(bad(
                v.span(),
                format!("no rule, code or category `{k}`"),
                "`collatio rules list` shows the rules",
            ));
        }
        out.insert(k.clone(), level);
    }
    Ok(out)
}

/// Globs relative to the config's folder, as one set.
fn glob_set(globs: &[String], span: std::ops::Range<usize>, bad: &Bad) -> Result<globset::GlobSet> {
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        let glob = globset::Glob::new(g).map_err(|e| {
            bad(
                span.clone(),
                format!("bad glob `{g}`: {e}"),
                "globs use *, ** and ?",
            )
        })?;
        b.add(glob);
    }
    b.build()
        .map_err(|e| bad(span, format!("bad globs: {e}"), "globs use *, ** and ?"))
}

/// `fail_on`: a severity.
fn fail_level(s: &Spanned<String>, bad: &Bad) -> Result<Severity> {
    Severity::parse(s.get_ref()).ok_or_else(|| {
        bad(
            s.span(),
            format!("fail_on = \"{}\" is not a severity", s.get_ref()),
            "use note, warning or error",
        )
    })
}

/// The `exclude` globs as one set (`None` when there are none).
fn exclude_globs(
    name: &str,
    globs: &[Spanned<String>],
    bad: &Bad,
) -> Result<Option<globset::GlobSet>> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        let glob = globset::Glob::new(g.get_ref())
            .map_err(|e| bad(g.span(), format!("bad glob: {e}"), "globs use *, ** and ?"))?;
        b.add(glob);
    }
    Ok(Some(
        b.build()
            .map_err(|e| Error::Usage(format!("{name}: {e}")))?,
    ))
}

/// `max_file_size`: bytes, or a string with k, M or G.
fn size(v: &Spanned<toml::Value>, bad: &Bad) -> Result<u64> {
    let n = match v.get_ref() {
        toml::Value::Integer(i) => u64::try_from(*i).ok(),
        toml::Value::String(s) => crate::pipeline::parse_size(s),
        _ => None,
    };
    n.ok_or_else(|| {
        bad(
            v.span(),
            "max_file_size must be a size".into(),
            "max_file_size = \"256M\" (bytes, or a number with k, M or G)",
        )
    })
}

/// One `[[group]]`: its reference and witnesses; a bad witness glob is an error here, where
/// its line is known, not when expanded.
fn group(g: &Spanned<RawGroup>, bad: &Bad) -> Result<(String, Vec<String>)> {
    let gr = g.get_ref();
    if gr.reference.trim().is_empty() {
        return Err(bad(
            g.span(),
            "a group needs a `reference`".into(),
            "reference = \"path/to/reference.txt\"",
        ));
    }
    for w in &gr.witnesses {
        if w.get_ref().contains(['*', '?', '[']) {
            globset::Glob::new(w.get_ref()).map_err(|e| {
                bad(
                    w.span(),
                    format!("bad witness glob `{}`: {e}", w.get_ref()),
                    "globs use *, ** and ?, relative to this file's folder",
                )
            })?;
        }
    }
    let ws = gr.witnesses.iter().map(|w| w.get_ref().clone()).collect();
    Ok((gr.reference.clone(), ws))
}

fn ignore_entry(i: &Spanned<RawIgnore>, bad: &Bad) -> Result<Ignore> {
    let r = i.get_ref();
    let span = i.span();
    let reason = r.reason.as_deref().map(str::trim).unwrap_or("");
    if reason.is_empty() {
        return Err(bad(
            span,
            "an [[ignore]] entry needs a `reason`".into(),
            "reason = \"why these findings are accepted\"",
        ));
    }
    if r.fingerprint.is_none() && r.rule.is_none() {
        return Err(bad(
            span,
            "an [[ignore]] entry needs a `fingerprint` or a `rule`".into(),
            "fingerprint = \"…\" (from `check --format jsonl`), or rule = \"LP001\" with paths or text",
        ));
    }
    if let Some(k) = &r.rule {
        if !Settings::known_key(k) {
            return Err(bad(
                span,
                format!("no rule, code or category `{k}`"),
                "`collatio rules list` shows the rules",
            ));
        }
    }
    let paths = if r.paths.is_empty() {
        None
    } else {
        Some(glob_set(&r.paths, span.clone(), bad)?)
    };
    Ok(Ignore {
        fingerprint: r.fingerprint.clone(),
        rule: r.rule.clone(),
        paths,
        text: r.text.clone().filter(|t| !t.is_empty()),
        reason: reason.to_string(),
    })
}

fn override_entry(o: &Spanned<RawOverride>, bad: &Bad) -> Result<Override> {
    let r = o.get_ref();
    if r.paths.is_empty() {
        return Err(bad(
            o.span(),
            "an [[override]] needs `paths`".into(),
            "paths = [\"archive/drafts/**\"]",
        ));
    }
    let levels = levels(&r.severity, bad)?;
    Ok(Override {
        paths: glob_set(&r.paths, o.span(), bad)?,
        levels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_file_and_line() {
        let e = Config::parse(Path::new("c/collatio.toml"), "paths = []\nbogus = 1\n").unwrap_err();
        let s = e.to_string();
        assert!(s.contains("collatio.toml") && s.contains("line 2"), "{s}");
    }

    #[test]
    fn bad_level_names_line() {
        let e = Config::parse(Path::new("collatio.toml"), "[severity]\nLP001 = \"loud\"\n")
            .unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        let e =
            Config::parse(Path::new("collatio.toml"), "[severity]\nNOPE = \"off\"\n").unwrap_err();
        assert!(e.to_string().contains("NOPE"), "{e}");
    }

    #[test]
    fn bad_witness_glob_names_file_and_line() {
        let e = Config::parse(
            Path::new("proj/collatio.toml"),
            "paths = []\n[[group]]\nreference = \"a.txt\"\nwitnesses = [\"b.txt\",\n  \"w/[x*.txt\"]\n",
        )
        .unwrap_err();
        let s = e.to_string();
        assert!(
            s.contains("proj/collatio.toml") && s.contains("line 5") && s.contains("[x*"),
            "{s}"
        );
    }

    #[test]
    fn parses_groups_and_levels() {
        let c = Config::parse(
            Path::new("proj/collatio.toml"),
            "paths=[\"a\"]\nfail_on=\"error\"\n[severity]\nloop=\"warning\"\n[[group]]\nreference=\"a/r.txt\"\nwitnesses=[\"a/w.txt\"]\n",
        )
        .unwrap();
        assert_eq!(c.fail_on, Some(Severity::Error));
        assert_eq!(c.groups.len(), 1);
        assert_eq!(c.paths(), vec![PathBuf::from("proj/a")]);
    }
}
