//! Baseline and snapshot diff: the CI side of collatio.
//!
//! A baseline is the accepted set of findings. A finding's identity is its fingerprint (rule,
//! path relative to the project root, the finding's normalized text with a bounded context
//! around it, the variant), never its line, so inserting paragraphs elsewhere does not make an
//! old finding new. Identical findings in one file are counted, not merged. The file is sorted, stable JSON, written atomically.

use crate::cli::{self, BaselineArgs, DiffArgs, RuleArgs};
use crate::error::{Error, Result};
use crate::finding::{Anchors, Category, Finding, Location, Severity};
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

/// One accepted finding (with how many times it occurs in its file).
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
    /// The identity in parts, for the fuzzy pass (absent in baselines written before it).
    #[serde(default, skip_serializing_if = "Anchors::is_empty")]
    pub anchors: Anchors,
    /// Why the finding is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Who accepted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_by: Option<String>,
    /// When it was accepted (`YYYY-MM-DD`, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Entry {
    fn of(f: &Finding) -> Entry {
        Entry {
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
            anchors: f.anchors.clone(),
            reason: None,
            accepted_by: None,
            date: None,
        }
    }
}

/// A baseline file: the accepted findings.
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
    /// Of those, how many the fuzzy pass matched (text next to them was edited).
    pub fuzzy: usize,
    /// Entries that no longer occur, as findings (one per missing occurrence).
    pub absent: Vec<Finding>,
}

/// How a finding stands against a baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// Same fingerprint as an entry.
    Exact(usize),
    /// Same rule, file and text as an entry, with the context on one side unchanged: text
    /// next to it was edited.
    Fuzzy(usize),
    /// New, though it stands where an entry stood (same rule and file, the context on one
    /// side unchanged): the finding's own text changed. The entry is not called fixed, and
    /// `--prune` keeps it, so restoring the text restores the old state.
    Supersedes(usize),
    /// New.
    New,
}

/// The result of matching findings against entries.
pub struct Matching {
    /// Per finding, in order.
    pub per_finding: Vec<Match>,
    /// Per entry, occurrences no finding explains.
    pub left: Vec<usize>,
}

/// Match `findings` against `entries` in three passes: exact fingerprints, then the fuzzy pass
/// (same [`Anchors::span`] and one side equal), then entries superseded in place (one side
/// equal, the span not). A side anchors only with [`crate::finding::MIN_SIDE`] characters. Each entry occurrence explains one finding at most. Linear: every pass is hash
/// lookups, and exhausted candidates are dropped from their lists as they are met.
pub fn match_findings(entries: &[Entry], findings: &[Finding]) -> Matching {
    let mut m = Matching {
        per_finding: vec![Match::New; findings.len()],
        left: entries.iter().map(|e| e.count).collect(),
    };
    pass(
        entries,
        findings,
        &mut m,
        |fp, _| vec![fp.to_string()],
        Match::Exact,
    );
    // Fuzzy: the span's own hash and one side's.
    let fuzzy = |_: &str, a: &Anchors| -> Vec<(String, String)> {
        if a.span.is_empty() {
            return Vec::new();
        }
        [&a.before, &a.after]
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(|s| (a.span.clone(), s.clone()))
            .collect()
    };
    pass(entries, findings, &mut m, fuzzy, Match::Fuzzy);
    // Superseded in place: the context on one side as it was, the text changed.
    let place = |_: &str, a: &Anchors| -> Vec<String> {
        [&a.before, &a.after]
            .into_iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect()
    };
    pass(entries, findings, &mut m, place, Match::Supersedes);
    m
}

/// One pass of [`match_findings`]: index the entries with occurrences left under `keys`, then
/// give each finding still new the first entry found under one of its own keys.
fn pass<K: std::hash::Hash + Eq>(
    entries: &[Entry],
    findings: &[Finding],
    m: &mut Matching,
    keys: impl Fn(&str, &Anchors) -> Vec<K>,
    found: fn(usize) -> Match,
) {
    let mut index: HashMap<K, Vec<usize>> = HashMap::new();
    // Pushed last to first, so `take` pops them in file order.
    for (i, e) in entries.iter().enumerate().rev() {
        if m.left[i] > 0 {
            for k in keys(&e.fingerprint, &e.anchors) {
                index.entry(k).or_default().push(i);
            }
        }
    }
    for (k, f) in findings.iter().enumerate() {
        if m.per_finding[k] != Match::New {
            continue;
        }
        for key in keys(&f.fingerprint, &f.anchors) {
            if let Some(i) = take(&mut index, key, &mut m.left) {
                m.per_finding[k] = found(i);
                break;
            }
        }
    }
}

/// Take one occurrence of the first entry under `key` that has any left; entries found
/// exhausted are dropped from the list (each is dropped once, so the pass stays linear).
fn take<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, Vec<usize>>,
    key: K,
    left: &mut [usize],
) -> Option<usize> {
    let list = map.get_mut(&key)?;
    while let Some(&i) = list.last() {
        if left[i] > 0 {
            left[i] -= 1;
            return Some(i);
        }
        list.pop();
    }
    None
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
                .or_insert_with(|| Entry::of(f));
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

    /// Mark each finding `new` or `unchanged`; return the entries that no longer occur (an
    /// entry a new finding supersedes in place is not among them).
    pub fn apply(&self, findings: &mut [Finding]) -> Applied {
        let m = match_findings(&self.findings, findings);
        let mut unchanged = 0;
        let mut fuzzy = 0;
        for (f, how) in findings.iter_mut().zip(&m.per_finding) {
            let state = match how {
                Match::Exact(_) => "unchanged",
                Match::Fuzzy(_) => {
                    fuzzy += 1;
                    "unchanged"
                }
                Match::Supersedes(_) | Match::New => "new",
            };
            unchanged += usize::from(state == "unchanged");
            f.baseline_state = Some(state.into());
        }
        let mut absent = Vec::new();
        for (e, &n) in self.findings.iter().zip(&m.left) {
            absent.extend(std::iter::repeat_n(e, n).map(entry_finding));
        }
        Applied {
            unchanged,
            fuzzy,
            absent,
        }
    }

    /// The entries still explained by `findings` (exactly, by the fuzzy pass, or superseded in
    /// place), each with the count explained; nothing is added.
    pub fn pruned(&self, findings: &[Finding]) -> Baseline {
        let m = match_findings(&self.findings, findings);
        let findings = self
            .findings
            .iter()
            .zip(&m.left)
            .filter(|(e, &left)| left < e.count)
            .map(|(e, &left)| Entry {
                count: e.count - left,
                ..e.clone()
            })
            .collect();
        Baseline {
            collatio_baseline: BASELINE_VERSION,
            findings,
        }
    }

    /// The baseline of `findings`, keeping the `reason`, `accepted_by` and `date` of the
    /// entries of `self` they match (exactly or by the fuzzy pass).
    pub fn renewed(&self, findings: &[Finding]) -> Baseline {
        let m = match_findings(&self.findings, findings);
        let mut b = Baseline::from_findings(findings);
        let mut meta: HashMap<&str, &Entry> = HashMap::new();
        for (f, how) in findings.iter().zip(&m.per_finding) {
            if let Match::Exact(i) | Match::Fuzzy(i) = how {
                meta.entry(f.fingerprint.as_str())
                    .or_insert(&self.findings[*i]);
            }
        }
        for e in &mut b.findings {
            if let Some(old) = meta.get(e.fingerprint.as_str()) {
                e.reason.clone_from(&old.reason);
                e.accepted_by.clone_from(&old.accepted_by);
                e.date.clone_from(&old.date);
            }
        }
        b
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
        anchors: e.anchors.clone(),
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

/// `collatio baseline`: write the accepted findings, prune fixed ones, or accept one.
pub fn baseline_command(a: BaselineArgs) -> Result<ExitCode> {
    let setup = cli::setup(&a.input, &a.rules)?;
    let inputs: Vec<&PathBuf> = a.paths.iter().chain(&a.against).collect();
    cli::refuse_overwrite(a.output.as_ref(), &inputs)?;
    if a.accept.is_some() && a.prune {
        return Err(Error::Usage(
            "--accept adds one finding and --prune removes fixed ones; use one at a time".into(),
        ));
    }
    if a.accept.is_some() && a.reason.is_none() {
        return Err(Error::Usage(
            "--accept needs --reason \"why this finding is accepted\"".into(),
        ));
    }
    let checked = cli::run_check(&setup, &a.paths, a.against.as_ref(), false, a.quiet)?;
    for e in &checked.errors {
        cli::print_error(e);
    }
    let path = a
        .output
        .clone()
        .or_else(|| setup.config.as_ref().and_then(|c| c.baseline.clone()))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_FILE));
    // Suppressed findings need no baseline entry.
    let findings = crate::report::finish::suppress(&setup, checked.findings).0;
    let old = || -> Result<Option<Baseline>> {
        if path.exists() {
            Baseline::read(&path).map(Some)
        } else {
            Ok(None)
        }
    };
    let (b, what) = if let Some(fp) = &a.accept {
        accept(old()?, &findings, fp, &a)?
    } else if a.prune {
        let old = Baseline::read(&path)?;
        let b = old.pruned(&findings);
        let gone = total(&old) - total(&b);
        let what = format!(
            "pruned {gone} fixed entr{}",
            if gone == 1 { "y" } else { "ies" }
        );
        (b, what)
    } else {
        renew(old(), &findings, &a)
    };
    b.write(&path)?;
    if !a.quiet {
        eprintln!("collatio: {what}; wrote {}", crate::error::shown(&path));
    }
    Ok(if checked.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The baseline rewritten from `findings`, keeping the reasons of `old` entries still found.
fn renew(
    old: Result<Option<Baseline>>,
    findings: &[Finding],
    a: &BaselineArgs,
) -> (Baseline, String) {
    // A baseline that cannot be read is replaced (the error says to regenerate it), its
    // reasons lost: say so.
    let mut b = match old {
        Ok(Some(old)) => old.renewed(findings),
        Ok(None) => Baseline::from_findings(findings),
        Err(e) => {
            cli::print_error(&e);
            // Part of the error above, so printed with --quiet too.
            eprintln!("collatio: replacing it; reasons it held are not kept");
            Baseline::from_findings(findings)
        }
    };
    stamp(&mut b.findings, a);
    let n = total(&b);
    (
        b,
        format!("accepted {n} finding{}", crate::report::plural(n)),
    )
}

fn total(b: &Baseline) -> usize {
    b.findings.iter().map(|e| e.count).sum()
}

/// Give entries without a reason the one of `--reason` (with `--accepted-by` and today's date).
fn stamp(entries: &mut [Entry], a: &BaselineArgs) {
    let Some(reason) = &a.reason else {
        return;
    };
    let today = today();
    for e in entries.iter_mut().filter(|e| e.reason.is_none()) {
        e.reason = Some(reason.clone());
        e.accepted_by.clone_from(&a.accepted_by);
        e.date = Some(today.clone());
    }
}

/// `--accept FINGERPRINT`: add the findings with that fingerprint to the baseline (created if
/// missing), with the reason; every other entry is kept as it is.
fn accept(
    old: Option<Baseline>,
    findings: &[Finding],
    fp: &str,
    a: &BaselineArgs,
) -> Result<(Baseline, String)> {
    let fp = fp.trim();
    let these: Vec<Finding> = findings
        .iter()
        .filter(|f| f.fingerprint == fp)
        .cloned()
        .collect();
    if these.is_empty() {
        return Err(Error::Usage(format!(
            "--accept {fp}: no current finding has this fingerprint (`check --format jsonl` shows them)"
        )));
    }
    let mut b = old.unwrap_or(Baseline {
        collatio_baseline: BASELINE_VERSION,
        findings: Vec::new(),
    });
    b.findings.retain(|e| e.fingerprint != fp);
    let mut added = Baseline::from_findings(&these).findings;
    stamp(&mut added, a);
    b.findings.extend(added);
    b.findings.sort_by(|x, y| {
        (&x.file, &x.rule, &x.fingerprint).cmp(&(&y.file, &y.rule, &y.fingerprint))
    });
    let f = &these[0];
    let what = format!(
        "accepted {} {} at {}:{}",
        f.code, f.rule, f.location.file, f.location.line
    );
    Ok((b, what))
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
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
    let mut out = front_matter_changes(old, new);
    out.extend(unit_changes(old, new));
    let unit_changes = out.iter().filter(|c| c.change != "provenance").count();
    if old.sha256 != new.sha256 && unit_changes == 0 {
        out.push(Change::of_file(new, format!("file bytes changed (sha256 {}… → {}…) but no unit's text did: whitespace, layout or encoding only", &old.sha256[..12.min(old.sha256.len())], &new.sha256[..12.min(new.sha256.len())])));
    }
    if old.encoding != new.encoding {
        out.push(Change::of_file(
            new,
            format!("encoding changed: {} → {}", old.encoding, new.encoding),
        ));
    }
    out.sort_by_key(|c| (c.line.or(c.old_line).unwrap_or(0), c.change));
    out
}

impl Change {
    /// A provenance change about the file as a whole (no unit, no line, no text).
    fn of_file(new: &FileEntry, message: String) -> Change {
        Change {
            change: "provenance",
            file: new.path.clone(),
            old_line: None,
            line: None,
            kind: None,
            message,
            old_text: None,
            new_text: None,
        }
    }
}

/// The provenance fields of the front matter that changed.
fn front_matter_changes(old: &FileEntry, new: &FileEntry) -> Vec<Change> {
    let mut out = Vec::new();
    for key in ["url", "original_url", "date", "title"] {
        let (a, b) = (old.front_matter.get(key), new.front_matter.get(key));
        if a != b {
            out.push(Change {
                old_text: a.map(|v| v.to_string()),
                new_text: b.map(|v| v.to_string()),
                ..Change::of_file(
                    new,
                    format!(
                        "front matter `{key}` changed: {} → {}",
                        a.map_or("(none)".into(), |v| v.to_string()),
                        b.map_or("(none)".into(), |v| v.to_string())
                    ),
                )
            });
        }
    }
    out
}

/// The units changed, moved, removed and added: the old units aligned with the new.
fn unit_changes(old: &FileEntry, new: &FileEntry) -> Vec<Change> {
    let ou: Vec<&UnitEntry> = old.units.iter().filter(|u| unit_ok(u)).collect();
    let nu: Vec<&UnitEntry> = new.units.iter().filter(|u| unit_ok(u)).collect();
    let oc: Vec<Vec<char>> = ou.iter().map(|u| u.text.chars().collect()).collect();
    let nc: Vec<Vec<char>> = nu.iter().map(|u| u.text.chars().collect()).collect();
    let pairs = crate::collate::align::align(&oc, &nc);
    let mut out = Vec::new();
    for &(o, n) in &pairs {
        if ou[o].sha256_norm != nu[n].sha256_norm {
            let diff = crate::collate::align::char_diff_summary(&oc[o], &nc[n]);
            out.push(Change {
                change: "changed",
                file: new.path.clone(),
                old_line: Some(ou[o].line),
                line: Some(nu[n].line),
                kind: Some(nu[n].kind),
                message: format!("unit changed (was line {}): {diff}", ou[o].line),
                old_text: Some(ou[o].text.clone()),
                new_text: Some(nu[n].text.clone()),
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
    out.extend(unmatched_units(new, &ou, &nu, &pairs));
    out
}

/// The old units no pair holds (removed), then the new ones (added).
fn unmatched_units(
    new: &FileEntry,
    ou: &[&UnitEntry],
    nu: &[&UnitEntry],
    pairs: &[(usize, usize)],
) -> Vec<Change> {
    let mut matched_old = vec![false; ou.len()];
    let mut matched_new = vec![false; nu.len()];
    for p in pairs {
        matched_old[p.0] = true;
        matched_new[p.1] = true;
    }
    let mut out = Vec::new();
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
    let mut errors = 0;
    let new = fingerprint::manifest_of_paths(&a.paths, &setup.read, &setup.kb, &mut |e| {
        errors += 1;
        cli::print_error(&e);
    });
    let changes = diff_manifests(&old, &new);
    let s = match a.format {
        Format::Jsonl => changes
            .iter()
            .map(|c| serde_json::to_string(c).unwrap_or_default() + "\n")
            .collect(),
        Format::Markdown => diff_markdown(&a.manifest, &changes),
        _ => diff_human(&changes),
    };
    cli::emit(a.output.as_ref(), &s)?;
    Ok(if errors > 0 {
        ExitCode::from(2)
    } else if changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The changes as a Markdown table, for a pull-request comment.
fn diff_markdown(manifest: &Path, changes: &[Change]) -> String {
    use crate::report::markdown::text;
    let mut s = format!(
        "## collatio diff against {}\n\n",
        text(&manifest.display().to_string())
    );
    if changes.is_empty() {
        s.push_str("No changes.\n");
    } else {
        s.push_str("| change | file | line | what |\n|---|---|---|---|\n");
        for c in changes {
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

/// The changes one a line, then a line counting them.
fn diff_human(changes: &[Change]) -> String {
    let mut s = String::new();
    for c in changes {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Anchors;
    use proptest::prelude::*;

    /// A finding with the given identity parts (hashes stand in for text).
    fn finding(file: &str, fp: &str, span: &str, before: &str, after: &str) -> Finding {
        let mut f = entry_finding(&Entry {
            fingerprint: fp.into(),
            rule: "loop/repeated-phrase".into(),
            code: "LP001".into(),
            category: Category::Loop,
            severity: Severity::Warning,
            file: file.into(),
            line: 1,
            column: 1,
            message: "m".into(),
            count: 1,
            anchors: Anchors {
                span: span.into(),
                before: before.into(),
                after: after.into(),
            },
            reason: None,
            accepted_by: None,
            date: None,
        });
        f.baseline_state = None;
        f
    }

    #[test]
    fn fuzzy_then_superseded_then_new() {
        let old = [
            finding("a", "f1", "s1", "b1", "a1"),
            finding("a", "f2", "s2", "b2", "a2"),
        ];
        let b = Baseline::from_findings(&old);
        let now = [
            // Same text, the context after it edited.
            finding("a", "g1", "s1", "b1", "zz"),
            // Other text where the second stood.
            finding("a", "g2", "t2", "b2", "a2"),
            // Elsewhere.
            finding("a", "g3", "s3", "b3", "a3"),
        ];
        let m = match_findings(&b.findings, &now);
        assert_eq!(m.per_finding[0], Match::Fuzzy(0));
        assert_eq!(m.per_finding[1], Match::Supersedes(1));
        assert_eq!(m.per_finding[2], Match::New);
        assert_eq!(m.left, [0, 0]);
        let mut f = now.to_vec();
        let applied = b.apply(&mut f);
        assert_eq!((applied.unchanged, applied.fuzzy), (1, 1));
        assert!(applied.absent.is_empty());
        // Prune keeps both entries, unchanged.
        assert_eq!(b.pruned(&now), b);
        // Without the findings, both are fixed and prune drops them.
        assert_eq!(b.apply(&mut []).absent.len(), 2);
        assert!(b.pruned(&[]).findings.is_empty());
    }

    #[test]
    fn dates_from_day_counts() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_422), (2025, 11, 30));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    fn arb_finding() -> impl Strategy<Value = Finding> {
        let s = |n: u8| (0..n).prop_map(|i| format!("{i}"));
        (s(2), s(6), s(3), s(3), s(3))
            // Every part of an identity names the file, as the real hashes do.
            .prop_map(|(file, fp, span, b, a)| {
                let k = |x: &str| format!("{file}/{x}");
                finding(&file, &k(&fp), &k(&span), &k(&b), &k(&a))
            })
    }

    proptest! {
        /// Every entry occurrence explains one finding at most, and a match only pairs an
        /// entry with a finding of its file; a baseline of the findings accepts them all.
        #[test]
        fn matching_is_a_partial_pairing(
            old in proptest::collection::vec(arb_finding(), 0..40),
            now in proptest::collection::vec(arb_finding(), 0..40),
        ) {
            let b = Baseline::from_findings(&old);
            let m = match_findings(&b.findings, &now);
            let mut used = vec![0usize; b.findings.len()];
            for (f, how) in now.iter().zip(&m.per_finding) {
                if let Match::Exact(i) | Match::Fuzzy(i) | Match::Supersedes(i) = how {
                    used[*i] += 1;
                    prop_assert_eq!(&b.findings[*i].file, &f.location.file);
                }
            }
            for (i, e) in b.findings.iter().enumerate() {
                prop_assert_eq!(used[i] + m.left[i], e.count);
            }
            let mut again = old.clone();
            let applied = Baseline::from_findings(&old).apply(&mut again);
            prop_assert_eq!(applied.unchanged, old.len());
            prop_assert!(applied.absent.is_empty());
        }
    }
}
