//! From the findings of a run to the report and the exit code: the config's `[[ignore]]` and
//! `[[override]]` entries, the baseline, then the chosen format. A function of a
//! `Vec<Finding>`, so `check` and a report re-rendered from saved findings print the same.

use super::{Format, ReportInput};
use crate::cli::Setup;
use crate::error::Error;
use crate::finding::Finding;
use crate::model::Document;
use crate::rules::Settings;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Report options shared by the commands that print findings.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReportArgs {
    /// Human output: list the findings the baseline accepts too (by default one line counts
    /// them).
    #[arg(long)]
    pub show_baselined: bool,
    /// SARIF: carry the findings the baseline accepts, and those an `[[ignore]]` of the config
    /// leaves out, as suppressed results with their reason (by default they are left out, so
    /// code scanning shows only new ones).
    #[arg(long)]
    pub sarif_include_baselined: bool,
    /// The findings and the errors only: no progress line, no summary line, no notes on
    /// standard error (files skipped, files a report cannot show lines of).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// How to report: the format and where, and the baseline to apply.
#[derive(Debug, Clone)]
pub struct How {
    /// Output format.
    pub format: Format,
    /// A file (written atomically), or standard output.
    pub output: Option<PathBuf>,
    /// Colour in human output.
    pub color: bool,
    /// `--show-baselined`, `--sarif-include-baselined`, `--quiet`.
    pub args: ReportArgs,
    /// The baseline, if one applies (read before the run, so a bad one fails at once).
    pub baseline: Option<crate::baseline::Baseline>,
    /// Events two texts report and their verdict (the Markdown corroboration table); empty
    /// unless the run corroborated.
    pub corroboration: Vec<crate::corroborate::Row>,
}

/// A finding an `[[ignore]]` entry of the config leaves out, with that entry's reason (SARIF
/// carries it as a suppressed result with `--sarif-include-baselined`).
#[derive(Debug, Clone)]
pub struct Ignored {
    /// The finding, with the levels of the overrides applied.
    pub finding: Finding,
    /// The `reason` of the first `[[ignore]]` entry that covers it.
    pub reason: String,
}

/// Apply the config's `[[override]]` levels and `[[ignore]]` entries (and the global levels
/// lifted for overrides, and the command line's levels): the findings kept, and those an
/// `[[ignore]]` left out.
pub fn suppress(setup: &Setup, findings: Vec<Finding>) -> (Vec<Finding>, Vec<Ignored>) {
    let Some(c) = setup.config.as_ref().filter(|c| c.has_path_rules()) else {
        return (findings, Vec::new());
    };
    let mut ignored = Vec::new();
    let kept = findings
        .into_iter()
        .filter_map(|f| {
            let f = levels_for_path(setup, c, f)?;
            if let Some(i) = c.ignore.iter().find(|i| i.covers(&f)) {
                ignored.push(Ignored {
                    finding: f,
                    reason: i.reason.clone(),
                });
                return None;
            }
            Some(f)
        })
        .collect();
    (kept, ignored)
}

/// The finding with the levels of the overrides matching its path (later ones win), after
/// the lifted global levels; `None` when they turn its rule off.
fn levels_for_path(setup: &Setup, c: &crate::config::Config, mut f: Finding) -> Option<Finding> {
    let mut level = crate::rules::level_in(&setup.lifted.overrides, &f);
    for o in c
        .overrides
        .iter()
        .filter(|o| o.paths.is_match(&f.location.file))
    {
        level = crate::rules::level_in(&o.levels, &f).or(level);
    }
    // The command line is the user's most specific intent: it wins on every path.
    level = crate::rules::level_in(&setup.command_line.overrides, &f).or(level);
    match level {
        None => Some(f),
        Some(None) => None,
        Some(Some(s)) => {
            f.severity = s;
            Some(f)
        }
    }
}

/// Move the global `off` levels that an `[[override]]` turns back on (for its paths) out of
/// `settings`, so the rule runs; they are returned and applied after the run (see
/// [`suppress`]), where the override wins on its paths.
pub fn lift_for_overrides(
    settings: &mut Settings,
    config: Option<&crate::config::Config>,
) -> Settings {
    let mut lifted = Settings::default();
    let Some(c) = config else {
        return lifted;
    };
    let enabled: Vec<&String> = c
        .overrides
        .iter()
        .flat_map(|o| o.levels.iter())
        .filter(|(_, v)| v.is_some())
        .map(|(k, _)| k)
        .collect();
    for info in crate::rules::all_infos() {
        let names = |k: &str| {
            k.eq_ignore_ascii_case(info.id)
                || k.eq_ignore_ascii_case(info.code)
                || k.eq_ignore_ascii_case(info.category.as_str())
        };
        if !enabled.iter().any(|k| names(k)) {
            continue;
        }
        let off: Vec<String> = settings
            .overrides
            .iter()
            .filter(|(k, v)| v.is_none() && names(k))
            .map(|(k, _)| k.clone())
            .collect();
        for k in off {
            settings.overrides.remove(&k);
            lifted.overrides.insert(k, None);
        }
    }
    lifted
}

/// Remove from the config's global levels in `settings` each key that would win over a
/// command-line key for some rule (it names the rule as specifically or more: the rule's id
/// over its code, its code over its category), so that the command line decides every rule it
/// names. A config key removed names one rule, which a command-line key names too, so no
/// other rule loses its configured level.
pub fn yield_to_command_line(settings: &mut Settings, command_line: &Settings) {
    // How specifically `key` names `info`: 2 its id, 1 its code, 0 its category.
    let rank = |key: &str, info: &crate::rules::RuleInfo| {
        if key.eq_ignore_ascii_case(info.id) {
            Some(2)
        } else if key.eq_ignore_ascii_case(info.code) {
            Some(1)
        } else if key.eq_ignore_ascii_case(info.category.as_str()) {
            Some(0)
        } else {
            None
        }
    };
    let infos = crate::rules::all_infos();
    settings.overrides.retain(|config_key, _| {
        !infos.iter().any(|info| {
            let Some(mine) = rank(config_key, info) else {
                return false;
            };
            command_line
                .overrides
                .keys()
                .any(|k| rank(k, info).is_some_and(|theirs| mine >= theirs))
        })
    });
}

/// The absolute link prefix to the files at this commit, from the variables GitHub Actions
/// sets (`GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`, `GITHUB_SHA`).
pub fn github_link_base() -> Option<String> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let server = var("GITHUB_SERVER_URL")?;
    let repo = var("GITHUB_REPOSITORY")?;
    let sha = var("GITHUB_SHA")?;
    Some(format!(
        "{}/{}/blob/{}/",
        server.trim_end_matches('/'),
        repo.trim_matches('/'),
        sha.trim()
    ))
}

/// The configuration file as the summary names it: relative to the working directory when it
/// lies under it (`collatio.toml`, `conf/strict.toml`), else as its path reads.
fn config_name(path: &Path) -> String {
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf));
    rel.as_deref().unwrap_or(path).display().to_string()
}

/// Suppressions, baseline, report, exit code: 0 when no new finding reaches the failing
/// severity, 1 when one does, 2 when a file could not be read.
pub fn report(
    setup: &Setup,
    findings: Vec<Finding>,
    docs: &[Document],
    files: usize,
    errors: &[String],
    how: &How,
) -> Result<ExitCode, Error> {
    let (mut findings, ignored) = suppress(setup, findings);
    let mut absent = Vec::new();
    let (mut baselined, mut fuzzy) = (0, 0);
    if let Some(b) = &how.baseline {
        let r = b.apply(&mut findings);
        absent = r.absent;
        baselined = r.unchanged;
        fuzzy = r.fuzzy;
    }
    let mut input = ReportInput::new(&findings, docs);
    input.files = files;
    input.absent = &absent;
    input.baselined = baselined;
    input.fuzzy = fuzzy;
    input.suppressed = ignored.len();
    if let Some(c) = &setup.config {
        input.config_name = config_name(&c.path);
    }
    input.ignored = &ignored;
    input.errors = errors;
    input.baseline_used = how.baseline.is_some();
    input.fail_on = setup.fail_on;
    input.kb = Some(&setup.kb);
    input.corroboration = &how.corroboration;
    input.color = how.color;
    input.show_baselined = how.args.show_baselined;
    input.include_baselined = how.args.sarif_include_baselined;
    input.quiet = how.args.quiet;
    input.link_base = github_link_base();
    crate::cli::emit_with(how.output.as_ref(), &mut |w| {
        super::write(how.format, &input, w)
    })?;
    if !errors.is_empty() {
        return Ok(ExitCode::from(2));
    }
    let failing = input.new_findings().any(|f| f.severity >= setup.fail_on);
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Findings sorted for a reader with little room: most severe first, then by file and
/// position (stable).
pub fn by_severity<'a>(findings: impl Iterator<Item = &'a Finding>) -> Vec<&'a Finding> {
    let mut v: Vec<&Finding> = findings.collect();
    v.sort_by(|a, b| most_severe_first(a, b));
    v
}

/// The order of [`by_severity`]: most severe first, then by file and position.
pub fn most_severe_first(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    b.severity
        .cmp(&a.severity)
        .then_with(|| a.location.file.cmp(&b.location.file))
        .then_with(|| a.location.start.cmp(&b.location.start))
}

/// Counts of `findings` by rule (code and id), most first.
pub fn count_by_rule<'a>(findings: impl Iterator<Item = &'a Finding>) -> Vec<(String, usize)> {
    let mut m: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in findings {
        *m.entry(format!("{} {}", f.code, f.rule)).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// A progress line on standard error for a run that lasts over two seconds, when standard
/// error is a terminal (never in a pipe or a CI log, never with `--quiet`).
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// Start the clock; the line appears after two seconds.
    pub fn start(quiet: bool) -> Progress {
        use std::io::IsTerminal;
        if quiet || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = indicatif::ProgressBar::hidden();
        let style = indicatif::ProgressStyle::with_template("{spinner} collatio: {msg} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_message("checking…");
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(2));
            if !shown.is_finished() {
                shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                shown.enable_steady_tick(std::time::Duration::from_millis(120));
            }
        });
        Progress { bar: Some(bar) }
    }

    /// Clear the line (again is harmless).
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    fn settings(keys: &[(&str, Option<Severity>)]) -> Settings {
        let mut s = Settings::default();
        for (k, v) in keys {
            s.overrides.insert(k.to_string(), *v);
        }
        s
    }

    /// A config key naming a rule as specifically as a command-line key, or more, gives way;
    /// a less specific one (a category over a code) and one naming other rules stay.
    #[test]
    fn config_levels_yield_to_the_command_line_rule_by_rule() {
        let mut config = settings(&[
            ("substitution/converter", Some(Severity::Error)),
            ("SB003", None),
            ("loop", None),
            ("layout", Some(Severity::Note)),
        ]);
        let cli = settings(&[("substitution", Some(Severity::Note)), ("LP001", None)]);
        yield_to_command_line(&mut config, &cli);
        let left: Vec<&str> = config.overrides.keys().map(String::as_str).collect();
        assert_eq!(left, ["layout", "loop"]);
        let mut config = settings(&[("SB001", Some(Severity::Error))]);
        yield_to_command_line(&mut config, &settings(&[("sb001", None)]));
        assert!(config.overrides.is_empty());
        let mut config = settings(&[("SB001", Some(Severity::Error))]);
        let by_id = settings(&[("substitution/converter-variant", None)]);
        yield_to_command_line(&mut config, &by_id);
        assert_eq!(config.overrides.len(), 1);
    }
}
