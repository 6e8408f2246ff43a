//! Baseline and snapshot diff: the CI side of collatio.
//!
//! A baseline is the accepted set of findings. A finding's identity is its fingerprint (rule,
//! path relative to the project root, the finding's normalized text with a bounded context
//! around it, the variant), never its line, so inserting paragraphs elsewhere does not make an
//! old finding new. Identical findings in one file are counted, not merged. The file is sorted, stable JSON, written atomically.

use crate::cli::{self, BaselineArgs, DiffArgs, RuleArgs};
use crate::error::{Error, Result};
use crate::finding::{Category, Finding, Location, Severity};
use crate::fingerprint::{self, FileEntry, Manifest, UnitEntry};
use crate::report::Format;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The `collatio_baseline` format version this build reads and writes; any other is refused.
pub const BASELINE_VERSION: u32 = 1;
/// Where `collatio baseline` writes and `--baseline` looks when no path is given.
pub const DEFAULT_FILE: &str = "collatio-baseline.json";
/// The largest `count` of one entry: identical findings in one file are counted, and each
/// missing one becomes an "absent" finding, so the count bounds memory.
pub const MAX_COUNT: usize = 100_000;
/// The largest sum of counts of a baseline.
pub const MAX_TOTAL: usize = 10_000_000;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
/// One accepted finding (or several identical ones in one file) as stored in the baseline file.
pub struct Entry {
    /// The finding's identity (see [`Finding::fingerprint`]); matched against new findings.
    pub fingerprint: String,
    /// The rule's name, e.g. `loops/repeated-phrase`; part of the match key.
    pub rule: String,
    /// The rule's stable code, kept so the file is readable without collatio.
    pub code: String,
    /// The finding's category when accepted; informational.
    pub category: Category,
    /// The finding's severity when accepted; informational.
    pub severity: Severity,
    /// Path relative to the project root, `/`-separated; part of the match key.
    pub file: String,
    /// Where it was when accepted; informational only, never part of the identity.
    pub line: usize,
    /// Column when accepted; informational only, like `line`.
    pub column: usize,
    /// The message when accepted, so a reviewer of the file sees what was accepted.
    pub message: String,
    /// How many identical findings (same file, rule and fingerprint) were accepted.
    pub count: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
/// The accepted set of findings, as read from or written to `collatio-baseline.json`.
pub struct Baseline {
    /// Format version; must equal [`BASELINE_VERSION`].
    pub collatio_baseline: u32,
    /// The entries, sorted by file, rule and fingerprint so the file diffs cleanly.
    pub findings: Vec<Entry>,
}

/// What applying a baseline did.
pub struct Applied {
    /// Findings the baseline explained (marked baselined, so they no longer fail the run).
    pub unchanged: usize,
    /// Entries that no longer occur, as findings (one per missing occurrence).
    pub absent: Vec<Finding>,
}

impl Baseline {
    /// Builds a baseline accepting `findings`, counting identical ones per file instead of
    /// repeating them.
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        let mut map: BTreeMap<(String, String, String), Entry> = BTreeMap::new();
        for f in findings {
            let key = (
                f.location.file.clone(),
                f.rule.clone(),
                f.fingerprint.clone(),
            );
            map.entry(key)
                .and_modify(|e| e.count += 1)
                .or_insert_with(|| Entry {
                    fingerprint: f.fingerprint.clone(),
                    rule: f.rule.clone(),
                    code: f.code.clone(),
                    category: f.category,
                    severity: f.severity,
                    file: f.location.file.clone(),
                    line: f.location.line,
                    column: f.location.column,
                    message: f.message.clone(),
                    count: 1,
                });
        }
        Baseline {
            collatio_baseline: BASELINE_VERSION,
            findings: map.into_values().collect(),
        }
    }

    /// Reads and validates a baseline file; a malformed file, another version or an out-of-range
    /// count is a data error pointing into the file.
    pub fn read(path: &Path) -> Result<Baseline> {
        let text = crate::util::read_text_limited(path, crate::util::limits::BASELINE).map_err(
            |source| Error::Io {
                path: path.to_path_buf(),
                source,
            },
        )?;
        let name = path.display().to_string();
        let b: Baseline = serde_json::from_str(&text).map_err(|e| {
            let off = offset_of(&text, e.line(), e.column());
            Error::data(
                &name,
                &text,
                Some(off..off),
                format!("not a collatio baseline: {}", json_message(&e)),
                Some(
                    "regenerate it with `collatio baseline`, or restore it from version control"
                        .into(),
                ),
            )
        })?;
        if b.collatio_baseline != BASELINE_VERSION {
            return Err(Error::data(
                &name,
                &text,
                None,
                format!(
                    "baseline version {} is not supported (expected {BASELINE_VERSION})",
                    b.collatio_baseline
                ),
                None,
            ));
        }
        b.validate(&name, &text)?;
        Ok(b)
    }

    /// Counts within their limits; an error names the entry's line.
    fn validate(&self, name: &str, text: &str) -> Result<()> {
        let mut total = 0usize;
        for e in &self.findings {
            total = total.saturating_add(e.count);
            if e.count == 0 || e.count > MAX_COUNT || total > MAX_TOTAL {
                // The entry's place: its fingerprint, which is unique in the file.
                let at = text
                    .find(&format!("\"{}\"", e.fingerprint))
                    .map(|i| i..i + e.fingerprint.len() + 2);
                let msg = if e.count == 0 || e.count > MAX_COUNT {
                    format!(
                        "entry {} has \"count\": {}; a count is between 1 and {MAX_COUNT}",
                        e.fingerprint, e.count
                    )
                } else {
                    format!("the counts add up to more than {MAX_TOTAL}")
                };
                return Err(Error::data(
                    name,
                    text,
                    at,
                    msg,
                    Some("regenerate the baseline with `collatio baseline`".into()),
                ));
            }
        }
        Ok(())
    }

    /// Writes the baseline as pretty JSON, atomically (a crash never leaves half a file).
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut s = serde_json::to_string_pretty(self).map_err(|e| Error::Usage(e.to_string()))?;
        s.push('\n');
        crate::util::write_atomic(path, s.as_bytes()).map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Mark each finding `new` or `unchanged`; return the entries that no longer occur.
    pub fn apply(&self, findings: &mut [Finding]) -> Applied {
        let mut left: HashMap<&str, usize> = HashMap::new();
        for e in &self.findings {
            *left.entry(e.fingerprint.as_str()).or_default() += e.count;
        }
        let mut unchanged = 0;
        for f in findings.iter_mut() {
            match left.get_mut(f.fingerprint.as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    unchanged += 1;
                    f.baseline_state = Some("unchanged".into());
                }
                _ => f.baseline_state = Some("new".into()),
            }
        }
        let mut absent = Vec::new();
        for e in &self.findings {
            let n = left
                .get_mut(e.fingerprint.as_str())
                .map(std::mem::take)
                .unwrap_or(0);
            for _ in 0..n.min(e.count.max(n)) {
                absent.push(entry_finding(e));
            }
        }
        Applied { unchanged, absent }
    }
}

fn entry_finding(e: &Entry) -> Finding {
    Finding {
        rule: e.rule.clone(),
        code: e.code.clone(),
        category: e.category,
        severity: e.severity,
        location: Location {
            file: e.file.clone(),
            start: 0,
            end: 0,
            line: e.line,
            column: e.column,
            end_line: e.line,
            end_column: e.column,
        },
        message: e.message.clone(),
        help: None,
        label: String::new(),
        related: Vec::new(),
        witness: None,
        subject: String::new(),
        context: String::new(),
        fingerprint: e.fingerprint.clone(),
        baseline_state: Some("absent".into()),
        record: None,
    }
}

/// serde_json's message without its " at line L column C" (a byte column; the error names the
/// line and the character column itself).
fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    s.strip_suffix(&tail).map_or(s.clone(), str::to_string)
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return (off + column.saturating_sub(1)).min(text.len());
        }
        off += l.len();
    }
    text.len()
}

/// `collatio baseline`: write (or prune) the accepted findings.
pub fn baseline_command(a: BaselineArgs) -> Result<ExitCode> {
    let setup = cli::setup(&a.input, &a.rules)?;
    let inputs: Vec<&PathBuf> = a.paths.iter().chain(&a.against).collect();
    cli::refuse_overwrite(a.output.as_ref(), &inputs)?;
    let checked = cli::run_check(&setup, &a.paths, a.against.as_ref(), false)?;
    for e in &checked.errors {
        cli::print_error(e);
    }
    let path = a
        .output
        .clone()
        .or_else(|| setup.config.as_ref().and_then(|c| c.baseline.clone()))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_FILE));
    let current = Baseline::from_findings(&checked.findings);
    let (b, what) = if a.prune {
        let old = Baseline::read(&path)?;
        let now: HashMap<&str, usize> = current
            .findings
            .iter()
            .map(|e| (e.fingerprint.as_str(), e.count))
            .collect();
        let before: usize = old.findings.iter().map(|e| e.count).sum();
        let kept: Vec<Entry> = old
            .findings
            .iter()
            .filter_map(|e| {
                let n = now
                    .get(e.fingerprint.as_str())
                    .copied()
                    .unwrap_or(0)
                    .min(e.count);
                (n > 0).then(|| Entry {
                    count: n,
                    ..e.clone()
                })
            })
            .collect();
        let after: usize = kept.iter().map(|e| e.count).sum();
        (
            Baseline {
                collatio_baseline: BASELINE_VERSION,
                findings: kept,
            },
            format!(
                "pruned {} fixed entr{}",
                before - after,
                if before - after == 1 { "y" } else { "ies" }
            ),
        )
    } else {
        let n: usize = current.findings.iter().map(|e| e.count).sum();
        (
            current,
            format!("accepted {n} finding{}", crate::report::plural(n)),
        )
    };
    b.write(&path)?;
    eprintln!("collatio: {what}; wrote {}", crate::error::shown(&path));
    Ok(if checked.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// One change between a manifest and the current files.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// What happened: `changed`, `moved`, `added`, `removed`, `provenance`, `file-added` or
    /// `file-removed`.
    pub change: &'static str,
    /// The file, relative to the project root.
    pub file: String,
    /// Where the unit was in the manifest (1-based), if it existed there.
    pub old_line: Option<usize>,
    /// Where the unit is now (1-based), if it still exists.
    pub line: Option<usize>,
    /// The kind of unit that changed, when the change is about one unit.
    pub kind: Option<crate::model::UnitKind>,
    /// One line for the human report, e.g. which front-matter key changed.
    pub message: String,
    /// The old text (a front-matter value or a unit's text), when known.
    pub old_text: Option<String>,
    /// The new text, when known.
    pub new_text: Option<String>,
}

fn unit_ok(u: &UnitEntry) -> bool {
    u.kind.is_content() || u.kind == crate::model::UnitKind::DateHeading
}

/// Compare one file's manifest entry with its current state.
pub fn diff_file(old: &FileEntry, new: &FileEntry) -> Vec<Change> {
    let mut out = Vec::new();
    for key in ["url", "original_url", "date", "title"] {
        let (a, b) = (old.front_matter.get(key), new.front_matter.get(key));
        if a != b {
            out.push(Change {
                change: "provenance",
                file: new.path.clone(),
                old_line: None,
                line: None,
                kind: None,
                message: format!(
                    "front matter `{key}` changed: {} → {}",
                    a.map_or("(none)".into(), |v| v.to_string()),
                    b.map_or("(none)".into(), |v| v.to_string())
                ),
                old_text: a.map(|v| v.to_string()),
                new_text: b.map(|v| v.to_string()),
            });
        }
    }
    let ou: Vec<&UnitEntry> = old.units.iter().filter(|u| unit_ok(u)).collect();
    let nu: Vec<&UnitEntry> = new.units.iter().filter(|u| unit_ok(u)).collect();
    let oc: Vec<Vec<char>> = ou.iter().map(|u| u.text.chars().collect()).collect();
    let nc: Vec<Vec<char>> = nu.iter().map(|u| u.text.chars().collect()).collect();
    let pairs = crate::collate::align::align(&oc, &nc);
    let mut matched_old = vec![false; ou.len()];
    let mut matched_new = vec![false; nu.len()];
    let mut equal_pairs = Vec::new();
    for p in &pairs {
        matched_old[p.0] = true;
        matched_new[p.1] = true;
        if ou[p.0].sha256_norm == nu[p.1].sha256_norm {
            equal_pairs.push(*p);
        } else {
            let diff = crate::collate::align::char_diff_summary(&oc[p.0], &nc[p.1]);
            out.push(Change {
                change: "changed",
                file: new.path.clone(),
                old_line: Some(ou[p.0].line),
                line: Some(nu[p.1].line),
                kind: Some(nu[p.1].kind),
                message: format!("unit changed (was line {}): {diff}", ou[p.0].line),
                old_text: Some(ou[p.0].text.clone()),
                new_text: Some(nu[p.1].text.clone()),
            });
        }
    }
    for &(o, n) in &crate::collate::align::moved(&pairs) {
        out.push(Change {
            change: "moved",
            file: new.path.clone(),
            old_line: Some(ou[o].line),
            line: Some(nu[n].line),
            kind: Some(nu[n].kind),
            message: format!(
                "unit moved from line {} to line {}: “{}”",
                ou[o].line,
                nu[n].line,
                crate::util::excerpt(&nu[n].text, 30)
            ),
            old_text: None,
            new_text: Some(nu[n].text.clone()),
        });
    }
    for (_, u) in ou.iter().enumerate().filter(|(i, _)| !matched_old[*i]) {
        out.push(Change {
            change: "removed",
            file: new.path.clone(),
            old_line: Some(u.line),
            line: None,
            kind: Some(u.kind),
            message: format!(
                "unit removed (was line {}): “{}”",
                u.line,
                crate::util::excerpt(&u.text, 40)
            ),
            old_text: Some(u.text.clone()),
            new_text: None,
        });
    }
    for (_, u) in nu.iter().enumerate().filter(|(i, _)| !matched_new[*i]) {
        out.push(Change {
            change: "added",
            file: new.path.clone(),
            old_line: None,
            line: Some(u.line),
            kind: Some(u.kind),
            message: format!("unit added: “{}”", crate::util::excerpt(&u.text, 40)),
            old_text: None,
            new_text: Some(u.text.clone()),
        });
    }
    let unit_changes = out.iter().filter(|c| c.change != "provenance").count();
    if old.sha256 != new.sha256 && unit_changes == 0 {
        out.push(Change {
            change: "provenance",
            file: new.path.clone(),
            old_line: None,
            line: None,
            kind: None,
            message: format!("file bytes changed (sha256 {}… → {}…) but no unit's text did: whitespace, layout or encoding only", &old.sha256[..12.min(old.sha256.len())], &new.sha256[..12.min(new.sha256.len())]),
            old_text: None,
            new_text: None,
        });
    }
    if old.encoding != new.encoding {
        out.push(Change {
            change: "provenance",
            file: new.path.clone(),
            old_line: None,
            line: None,
            kind: None,
            message: format!("encoding changed: {} → {}", old.encoding, new.encoding),
            old_text: None,
            new_text: None,
        });
    }
    out.sort_by_key(|c| (c.line.or(c.old_line).unwrap_or(0), c.change));
    out
}

/// Compare two manifests.
pub fn diff_manifests(old: &Manifest, new: &Manifest) -> Vec<Change> {
    let mut out = Vec::new();
    let olds: BTreeMap<&str, &FileEntry> = old.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let news: BTreeMap<&str, &FileEntry> = new.files.iter().map(|f| (f.path.as_str(), f)).collect();
    for (p, nf) in &news {
        match olds.get(p) {
            Some(of) => out.extend(diff_file(of, nf)),
            None => out.push(Change {
                change: "file-added",
                file: p.to_string(),
                old_line: None,
                line: None,
                kind: None,
                message: format!("new file ({} units)", nf.units.len()),
                old_text: None,
                new_text: None,
            }),
        }
    }
    for (p, of) in &olds {
        if !news.contains_key(p) {
            out.push(Change {
                change: "file-removed",
                file: p.to_string(),
                old_line: None,
                line: None,
                kind: None,
                message: format!("file no longer present ({} units)", of.units.len()),
                old_text: None,
                new_text: None,
            });
        }
    }
    out
}

/// Read a manifest written by `collatio fingerprint`, of a version this build knows.
pub fn read_manifest(path: &Path) -> Result<Manifest> {
    let text =
        crate::util::read_text_limited(path, crate::util::limits::MANIFEST).map_err(|source| {
            Error::Io {
                path: path.to_path_buf(),
                source,
            }
        })?;
    let name = path.display().to_string();
    let help = || Some("write one with `collatio fingerprint PATH… -o FILE`".to_string());
    // The version first: a manifest of another version fails on its own terms, not on a field.
    #[derive(Deserialize)]
    struct Version {
        collatio_manifest: Option<serde_json::Value>,
    }
    if let Ok(Version {
        collatio_manifest: Some(v),
    }) = serde_json::from_str::<Version>(&text)
    {
        if v.as_u64() != Some(u64::from(fingerprint::MANIFEST_VERSION)) {
            let at = text.find("\"collatio_manifest\"").map(|i| i..i + 19);
            return Err(Error::data(
                &name,
                &text,
                at,
                format!(
                    "manifest version {v} is not supported (this collatio reads version {})",
                    fingerprint::MANIFEST_VERSION
                ),
                help(),
            ));
        }
    }
    serde_json::from_str(&text).map_err(|e| {
        let off = offset_of(&text, e.line(), e.column());
        Error::data(
            &name,
            &text,
            Some(off..off),
            format!("not a collatio manifest: {}", json_message(&e)),
            help(),
        )
    })
}

/// `collatio diff OLD_MANIFEST PATH…`.
pub fn diff_command(a: DiffArgs) -> Result<ExitCode> {
    // An allow-list: a format added for findings later is refused here too, not printed as human.
    if !matches!(a.format, Format::Human | Format::Jsonl | Format::Markdown) {
        return Err(Error::Usage(format!(
            "diff writes human, jsonl or markdown, not {}: that format is for findings of `collatio check`",
            match a.format {
                Format::Sarif => "SARIF".to_string(),
                f => clap::ValueEnum::to_possible_value(&f)
                    .map_or_else(String::new, |v| v.get_name().to_string()),
            }
        )));
    }
    let setup = cli::setup(&a.input, &RuleArgs::default())?;
    let mut inputs: Vec<&PathBuf> = a.paths.iter().collect();
    inputs.push(&a.manifest);
    cli::refuse_overwrite(a.output.as_ref(), &inputs)?;
    let old = read_manifest(&a.manifest)?;
    let loaded = crate::pipeline::load_paths(&a.paths, &setup.read, &setup.kb);
    for e in &loaded.errors {
        cli::print_error(e);
    }
    let new = fingerprint::manifest(&loaded.docs);
    let changes = diff_manifests(&old, &new);
    let s = match a.format {
        Format::Jsonl => changes
            .iter()
            .map(|c| serde_json::to_string(c).unwrap_or_default() + "\n")
            .collect(),
        Format::Markdown => {
            use crate::report::markdown::text;
            let mut s = format!(
                "## collatio diff against {}\n\n",
                text(&a.manifest.display().to_string())
            );
            if changes.is_empty() {
                s.push_str("No changes.\n");
            } else {
                s.push_str("| change | file | line | what |\n|---|---|---|---|\n");
                for c in &changes {
                    s.push_str(&format!(
                        "| {} | {} | {} | {} |\n",
                        c.change,
                        text(&c.file),
                        c.line
                            .or(c.old_line)
                            .map_or(String::new(), |l| l.to_string()),
                        text(&c.message)
                    ));
                }
            }
            s
        }
        _ => {
            let mut s = String::new();
            for c in &changes {
                let at = c
                    .line
                    .or(c.old_line)
                    .map_or(String::new(), |l| format!(":{l}"));
                s.push_str(&format!("{:<13} {}{at}: {}\n", c.change, c.file, c.message));
            }
            let count = |k: &str| changes.iter().filter(|c| c.change == k).count();
            s.push_str(&format!(
                "collatio diff: {} changed, {} added, {} removed, {} moved, {} provenance change{}\n",
                count("changed"),
                count("added"),
                count("removed"),
                count("moved"),
                count("provenance"),
                crate::report::plural(count("provenance"))
            ));
            // Unit text from the archive: no terminal escape reaches the screen.
            crate::util::visible(&s).into_owned()
        }
    };
    cli::emit(a.output.as_ref(), &s)?;
    Ok(if !loaded.errors.is_empty() {
        ExitCode::from(2)
    } else if changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
