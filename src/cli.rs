//! Command line: every flag declared once, with its help text, in the clap structs below.
//!
//! Exit codes: 0 no new findings at or above the failing severity; 1 new findings; 2 usage,
//! input or configuration error.

use crate::engine::{Checked, Checker, Group};
use crate::error::Error;
use crate::finding::Severity;
use crate::knowledge::Knowledge;
use crate::pipeline::{self, ReadOptions};
use crate::report::{self, Format};
use crate::rules::{self, Settings};
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "collatio",
    version,
    about = "Check the provenance and textual integrity of archived texts",
    long_about = "collatio fingerprints every paragraph of archived texts, collates copies (witnesses) \
of the same text across scripts and punctuation styles, and runs rules that find loops, wrong \
official titles, dropped or altered events, converter and OCR substitutions, layout artifacts, \
date-structure faults, provenance and encoding problems.\n\nExit codes: 0 no new findings at or \
above the failing severity, 1 new findings, 2 usage, input or configuration error."
)]
/// The parsed command line: one subcommand and its arguments.
pub struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// collatio's subcommands; each variant's doc comment is its `--help` summary.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and folders: single-document rules, and collation against a reference.
    Check(CheckArgs),
    /// Collate witnesses against a reference and print the apparatus.
    Collate(CollateArgs),
    /// Write a JSON manifest of files and units with their sha256 fingerprints.
    Fingerprint(FingerprintArgs),
    /// Compare a manifest with the current files: units added, removed, changed, moved.
    Diff(DiffArgs),
    /// Write the accepted findings (the baseline) for `check --baseline`.
    Baseline(BaselineArgs),
    /// Write the text read from each capture of a WARC/WACZ (or each HTML page), one file per
    /// capture with its provenance as front matter: the lines reports point at.
    Extract(crate::input::cli::ExtractArgs),
    /// Compare a text with other texts about the same events, fact by fact: conflicting
    /// dates, numbers, people and offices.
    Corroborate(crate::corroborate::cli::CorroborateArgs),
    /// Gate and render findings computed elsewhere (JSON Lines from `check --format jsonl` or
    /// the Spark job): the baseline, report formats and exit code of `check`.
    Report(crate::gate::ReportCommandArgs),
    /// List, explain and validate rules.
    Rules {
        /// What to do with the rules.
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(crate::manual::CompletionsArgs),
    /// Print the man page, or write one page per subcommand into a folder.
    Man(crate::manual::ManArgs),
}

/// The subcommands of `collatio rules`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Every rule with its code, category and default severity.
    List,
    /// What a rule looks for, an example, and how to silence it.
    Explain {
        /// Rule id (`loop/repeated-phrase`) or code (`LP001`).
        id: String,
    },
    /// Validate a rules folder (or file) and report what it holds.
    Check {
        /// Folder of `*.toml` rule-data files, or one file.
        dir: PathBuf,
    },
    /// Convert a Wikidata Query Service JSON result (README, "Rule data") into a rules file of
    /// offices and their holders.
    ImportWikidata {
        /// The saved JSON result of the query.
        file: PathBuf,
        /// Where to write the rules file (atomically); standard output when absent.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Last month the result is complete for (`YYYY-MM`); default: the month the file was
        /// saved.
        #[arg(long, value_name = "YYYY-MM")]
        verified_through: Option<String>,
    },
}

/// Options shared by every command that reads texts.
#[derive(Debug, Args, Clone, Default)]
pub struct InputArgs {
    /// Add the `*.toml` rule-data files of DIR to the built-in data (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Use only the rule data given with --rules, not the built-in data.
    #[arg(long)]
    pub no_default_rules: bool,
    /// Decode every file with this encoding (utf-8, utf-16le, gb18030, big5 …) instead of detecting.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Skip (with an error naming it) any file larger than SIZE: bytes, or with k, M, G
    /// (default 256M).
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,
    /// Configuration file (default: collatio.toml in this folder or the nearest parent).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any collatio.toml.
    #[arg(long)]
    pub no_config: bool,
    /// Check damaged files anyway: each bad byte becomes U+FFFD and an encoding finding
    /// (without it, a file that does not decode is an error naming the first bad byte).
    #[arg(long)]
    pub lossy: bool,
}

/// Options that change which rules run and what fails the run (`check`, `baseline`).
#[derive(Debug, Args, Clone, Default)]
pub struct RuleArgs {
    /// Set a rule's severity: RULE=LEVEL, where RULE is an id, code or category and LEVEL is
    /// off, note, warning or error (repeatable).
    #[arg(long = "severity", value_name = "RULE=LEVEL")]
    pub severity: Vec<String>,
    /// Disable a rule, code or category (repeatable).
    #[arg(long = "disable", value_name = "RULE")]
    pub disable: Vec<String>,
    /// Fail (exit 1) on new findings at or above this severity.
    #[arg(long, value_name = "LEVEL")]
    pub fail_on: Option<String>,
    /// List at most N findings of one rule per file, then one finding counting the rest
    /// (default 1000; 0: list all).
    #[arg(long, value_name = "N")]
    pub max_per_rule: Option<usize>,
}

/// Where and how `check` writes its report.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Colour in human output: auto, always, never.
    #[arg(long, default_value = "auto", value_name = "WHEN", value_parser = ["auto", "always", "never"])]
    pub color: String,
    /// Baselined findings in reports, `--quiet`.
    #[command(flatten)]
    pub report: crate::report::finish::ReportArgs,
}

/// Arguments of `collatio check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and folders to check (default: what collatio.toml names).
    pub paths: Vec<PathBuf>,
    /// Collate every checked file against this reference witness.
    #[arg(long, value_name = "REF")]
    pub against: Option<PathBuf>,
    /// Fail only on findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Ignore the baseline named in collatio.toml.
    #[arg(long)]
    pub no_baseline: bool,
    /// How the texts are read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Which rules run and what fails the run.
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Report format and destination.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `collatio collate`.
#[derive(Debug, Args)]
pub struct CollateArgs {
    /// The reference witness.
    pub reference: PathBuf,
    /// Witnesses to collate against it.
    #[arg(required = true)]
    pub witnesses: Vec<PathBuf>,
    /// Output: text (the apparatus), json (the alignment), html (side by side, with findings)
    /// or tei (TEI P5, parallel segmentation).
    #[arg(long, default_value = "text", value_parser = ["text", "json", "html", "tei"])]
    pub format: String,
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How the texts are read.
    #[command(flatten)]
    pub input: InputArgs,
}

/// Arguments of `collatio fingerprint`.
#[derive(Debug, Args)]
pub struct FingerprintArgs {
    /// Files and folders.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Write the manifest to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How the texts are read.
    #[command(flatten)]
    pub input: InputArgs,
}

/// Arguments of `collatio diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// A manifest written by `collatio fingerprint`.
    pub manifest: PathBuf,
    /// The current files and folders.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format (human, jsonl or markdown).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How the texts are read.
    #[command(flatten)]
    pub input: InputArgs,
}

/// Arguments of `collatio baseline`.
#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Files and folders (default: what collatio.toml names).
    pub paths: Vec<PathBuf>,
    /// Collate against this reference.
    #[arg(long, value_name = "REF")]
    pub against: Option<PathBuf>,
    /// Baseline file to write (default: the config's, or collatio-baseline.json).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only remove entries that no longer occur; add nothing new. An entry a current finding
    /// still explains (its text unchanged and the context on one side, or the finding in its
    /// place) is kept.
    #[arg(long)]
    pub prune: bool,
    /// Add the current findings with this fingerprint to the baseline (needs --reason); other
    /// entries are kept as they are.
    #[arg(long, value_name = "FINGERPRINT")]
    pub accept: Option<String>,
    /// Why the findings are accepted: stored on the entries written (with the date).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Who accepts them (stored with --reason).
    #[arg(long, value_name = "NAME")]
    pub accepted_by: Option<String>,
    /// The findings and the errors only: no line saying what was written, no notes on
    /// standard error.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// How the texts are read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Which rules run (the baseline accepts what they find).
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Parse the command line and run. Never panics on user input; errors become exit code 2.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(e));
            ExitCode::from(2)
        }
    }
}

/// Print an error about one file on standard error (the run goes on). Its text is shown with
/// control characters escaped: a file name may hold them.
pub fn print_error(e: &Error) {
    let msg = crate::util::visible(&e.to_string()).into_owned();
    eprintln!("{:?}", miette::Report::msg(msg));
}

/// Print a note (not an error: something the reader may want to know) on standard error,
/// unless `quiet`: `--quiet` leaves the findings and the errors only.
pub fn note(quiet: bool, msg: &str) {
    if !quiet {
        eprintln!("note: {msg}");
    }
}

/// Refuse to write the output over a file this run reads (`check x.txt -o x.txt`).
pub fn refuse_overwrite(output: Option<&PathBuf>, inputs: &[&PathBuf]) -> Result<(), Error> {
    let Some(out) = output else {
        return Ok(());
    };
    let Ok(target) = crate::util::write_target(out).and_then(std::fs::canonicalize) else {
        return Ok(());
    };
    for i in inputs {
        if std::fs::canonicalize(i).is_ok_and(|c| c == target) {
            return Err(Error::Usage(format!(
                "{}: the output would overwrite an input of this run; write the report elsewhere",
                crate::error::shown(out)
            )));
        }
    }
    Ok(())
}

/// Write `s` to FILE (atomically) or to standard output; a closed pipe ends quietly.
pub fn emit(output: Option<&PathBuf>, s: &str) -> Result<(), Error> {
    emit_with(output, &mut |w| w.write_all(s.as_bytes()))
}

/// [`emit`] for output written piecewise (a file is still replaced atomically).
pub fn emit_with(
    output: Option<&PathBuf>,
    fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    match output {
        Some(p) => crate::util::write_atomic_with(p, fill).map_err(|source| Error::Write {
            path: p.clone(),
            source,
        }),
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            match fill(&mut out).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Error::Write {
                    path: PathBuf::from("<stdout>"),
                    source: e,
                }),
                Ok(()) => Ok(()),
            }
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Check(a) => check(a),
        Command::Collate(a) => collate(a),
        Command::Fingerprint(a) => fingerprint(a),
        Command::Diff(a) => crate::baseline::diff_command(a),
        Command::Baseline(a) => crate::baseline::baseline_command(a),
        Command::Corroborate(a) => crate::corroborate::cli::run(a),
        Command::Report(a) => crate::gate::report_command(a),
        Command::Rules { command } => rules_command(command),
        Command::Extract(a) => crate::input::cli::run(a),
        Command::Completions(a) => crate::manual::completions(a),
        Command::Man(a) => crate::manual::man(a),
    }
}

/// Everything a run needs that comes from flags and config together: the engine, and what only
/// the command line uses (the failing severity, the config). Reads as the [`Checker`] it holds
/// (`setup.kb`, `setup.read`).
pub struct Setup {
    /// The engine, built from the rule data and settings.
    pub checker: Checker,
    /// New findings at or above this severity make the exit code 1.
    pub fail_on: Severity,
    /// The configuration file, if one was found.
    pub config: Option<crate::config::Config>,
    /// Global `off` levels lifted so that an `[[override]]` can turn the rule on for its
    /// paths; applied after the run to every other path.
    pub lifted: Settings,
    /// The levels `--severity` and `--disable` set: applied after the config's `[[override]]`
    /// entries too, so the command line wins on every path.
    pub command_line: Settings,
}

impl std::ops::Deref for Setup {
    type Target = Checker;
    fn deref(&self) -> &Checker {
        &self.checker
    }
}

/// Merge command-line options with the config file.
pub fn setup(input: &InputArgs, rule_args: &RuleArgs) -> Result<Setup, Error> {
    let config = crate::config::Config::discover(input.config.as_deref(), input.no_config)?;
    let mut dirs = Vec::new();
    let mut replace = input.no_default_rules;
    if let Some(c) = &config {
        dirs.extend(c.rules_dirs());
        replace |= c.no_default_rules;
    }
    dirs.extend(input.rules.iter().cloned());
    let kb = Knowledge::load(&dirs, replace)?;
    let encoding = match input
        .encoding
        .as_deref()
        .or(config.as_ref().and_then(|c| c.encoding.as_deref()))
    {
        Some(l) => Some(crate::source::encoding_for_label(l)?),
        None => None,
    };
    let mut settings = Settings {
        max_per_rule: rule_args
            .max_per_rule
            .or(config.as_ref().and_then(|c| c.max_per_rule)),
        ..Settings::default()
    };
    if let Some(c) = &config {
        settings.overrides.extend(c.rule_levels.clone());
    }
    // Before the command line's levels, which win over the config's overrides.
    let lifted = crate::report::finish::lift_for_overrides(&mut settings, config.as_ref());
    let command_line = command_line_levels(rule_args)?;
    crate::report::finish::yield_to_command_line(&mut settings, &command_line);
    settings.overrides.extend(command_line.overrides.clone());
    let fail_on = match rule_args.fail_on.as_deref() {
        Some(l) => Severity::parse(l)
            .ok_or_else(|| Error::Usage(format!("--fail-on {l}: use note, warning or error")))?,
        None => config
            .as_ref()
            .and_then(|c| c.fail_on)
            .unwrap_or(Severity::Warning),
    };
    let max_file_size = match &input.max_file_size {
        Some(s) => Some(crate::pipeline::parse_size(s).ok_or_else(|| {
            Error::Usage(format!(
                "--max-file-size {s}: use bytes, or a number with k, M or G"
            ))
        })?),
        None => config.as_ref().and_then(|c| c.max_file_size),
    };
    // Offsets into a document's text are 32-bit (compact units and folds).
    if let Some(n) = max_file_size.filter(|&n| n > u64::from(u32::MAX)) {
        return Err(Error::Usage(format!(
            "max file size {n}: a document of 4 GiB or more cannot be read (its offsets are \
             32-bit); use at most 4095M"
        )));
    }
    let read = ReadOptions {
        encoding,
        root: config.as_ref().map(|c| c.root.clone()),
        exclude: config.as_ref().and_then(|c| c.exclude.clone()),
        lossy: input.lossy || config.as_ref().is_some_and(|c| c.lossy),
        max_file_size,
        // Not a user setting: the tests lower it to run everything through the released path.
        text_on_disk_from: std::env::var("COLLATIO_TEXT_ON_DISK_FROM")
            .ok()
            .and_then(|v| v.trim().parse().ok()),
    };
    Ok(Setup {
        checker: Checker::new(kb)
            .with_settings(settings)
            .with_read_options(read),
        fail_on,
        config,
        lifted,
        command_line,
    })
}

/// The levels `--severity RULE=LEVEL` and `--disable RULE` set, checked.
fn command_line_levels(rule_args: &RuleArgs) -> Result<Settings, Error> {
    let mut settings = Settings::default();
    for s in &rule_args.severity {
        let (k, v) = s
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--severity takes RULE=LEVEL, got `{s}`")))?;
        let level = Settings::parse_level(v).ok_or_else(|| {
            Error::Usage(format!(
                "--severity {s}: level must be off, note, warning or error"
            ))
        })?;
        if !Settings::known_key(k) {
            return Err(Error::Usage(format!(
                "--severity {s}: no rule, code or category `{k}` (see `collatio rules list`)"
            )));
        }
        settings.overrides.insert(k.to_string(), level);
    }
    for k in &rule_args.disable {
        if !Settings::known_key(k) {
            return Err(Error::Usage(format!(
                "--disable {k}: no rule, code or category `{k}` (see `collatio rules list`)"
            )));
        }
        settings.overrides.insert(k.clone(), None);
    }
    Ok(settings)
}

/// Run the single-document rules and the collation for `paths` (and the config's groups, and
/// `against`): the engine's [`Checker::check_paths`] with the groups this run names. Files
/// passed over (hidden, not regular) are noted on standard error unless `quiet`.
pub fn run_check(
    setup: &Setup,
    paths: &[PathBuf],
    against: Option<&PathBuf>,
    keep_for_report: bool,
    quiet: bool,
) -> Result<Checked, Error> {
    let mut paths = paths.to_vec();
    let mut groups: Vec<Group> = Vec::new();
    if paths.is_empty() {
        match &setup.config {
            Some(c) => {
                paths = c.paths();
                groups = c
                    .groups()?
                    .into_iter()
                    .map(|(reference, members)| Group { reference, members })
                    .collect();
            }
            None => return Err(Error::Usage(
                "no paths given and no collatio.toml found; try `collatio check fixtures/seeds`"
                    .into(),
            )),
        }
    }
    if let Some(r) = against {
        groups.push(Group {
            reference: r.clone(),
            members: Vec::new(),
        });
    }
    let checked = setup.checker.check_paths(&paths, &groups, keep_for_report);
    for (p, why) in &checked.skipped {
        note(quiet, &format!("skipped {}: {why}", crate::error::shown(p)));
    }
    Ok(checked)
}

/// Whether human output is coloured: `always`, `never`, or (auto) on a terminal without NO_COLOR.
pub(crate) fn use_color(when: &str, to_file: bool) -> bool {
    match when {
        "always" => true,
        "never" => false,
        _ => !to_file && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// `check` refuses an output that would overwrite a file the run reads by name: the paths,
/// the reference, the baseline, the config and what it names.
fn refuse_overwriting_inputs(a: &CheckArgs, setup: &Setup) -> Result<(), Error> {
    let named: Vec<PathBuf> = setup.config.as_ref().map_or_else(Vec::new, |c| {
        let refs = c.groups.iter().map(|(r, _)| c.root.join(r));
        std::iter::once(c.path.clone())
            .chain(c.paths())
            .chain(refs)
            .chain(c.baseline.clone())
            .collect()
    });
    let mut inputs: Vec<&PathBuf> = a
        .paths
        .iter()
        .chain(&a.against)
        .chain(&a.baseline)
        .collect();
    inputs.extend(&named);
    refuse_overwrite(a.output.output.as_ref(), &inputs)
}

/// The baseline `check` applies: `--baseline`, else the config's, none with `--no-baseline`.
fn check_baseline(
    a: &CheckArgs,
    setup: &Setup,
) -> Result<Option<crate::baseline::Baseline>, Error> {
    let baseline_path = if a.no_baseline {
        None
    } else {
        a.baseline
            .clone()
            .or_else(|| setup.config.as_ref().and_then(|c| c.baseline.clone()))
    };
    baseline_path
        .as_deref()
        .map(crate::baseline::Baseline::read)
        .transpose()
}

fn check(a: CheckArgs) -> Result<ExitCode, Error> {
    let setup = setup(&a.input, &a.rules)?;
    refuse_overwriting_inputs(&a, &setup)?;
    // Human and HTML output show the text around findings, SARIF hashes its lines: keep it.
    let keep = matches!(
        a.output.format,
        Format::Human | Format::Sarif | Format::Html
    );
    // Read first: a bad baseline fails the run before the archive is read.
    let baseline = check_baseline(&a, &setup)?;
    let progress = crate::report::finish::Progress::start(a.output.report.quiet);
    let checked = run_check(
        &setup,
        &a.paths,
        a.against.as_ref(),
        keep,
        a.output.report.quiet,
    )?;
    for e in &checked.errors {
        print_error(e);
    }
    let errors: Vec<String> = checked.errors.iter().map(|e| e.to_string()).collect();
    let how = crate::report::finish::How {
        format: a.output.format,
        output: a.output.output.clone(),
        color: use_color(&a.output.color, a.output.output.is_some()),
        args: a.output.report.clone(),
        baseline,
        corroboration: Vec::new(),
    };
    // A report written to the terminal the line is on would be torn by it.
    if a.output.output.is_none() && std::io::stdout().is_terminal() {
        progress.finish();
    }
    let code = crate::report::finish::report(
        &setup,
        checked.findings,
        &checked.docs,
        checked.files,
        &errors,
        &how,
    );
    progress.finish();
    code
}

fn collate(a: CollateArgs) -> Result<ExitCode, Error> {
    let setup = setup(&a.input, &RuleArgs::default())?;
    let inputs: Vec<&PathBuf> = std::iter::once(&a.reference).chain(&a.witnesses).collect();
    refuse_overwrite(a.output.as_ref(), &inputs)?;
    // The apparatus and the views fold again the units they show and read back the lines they
    // quote: the documents hold neither their folds nor, when large, their text.
    let mut r = pipeline::load_file_summarized(&a.reference, &setup.read, &setup.kb)?;
    pipeline::release(&mut r, &setup.read); // an HTML or WARC input is folded when it is read
    let mut loaded = pipeline::load_paths_summarized(&a.witnesses, &setup.read, &setup.kb);
    for e in &loaded.errors {
        print_error(e);
    }
    for d in &mut loaded.docs {
        pipeline::release(d, &setup.read);
    }
    let ws = loaded.docs;
    match a.format.as_str() {
        "html" | "tei" => {
            crate::report::views::collate_view(&setup, &r, &ws, &a.format, a.output.as_ref())?
        }
        _ => {
            let out = crate::collate::apparatus(&r, &ws, &setup.kb, a.format == "json");
            emit(a.output.as_ref(), &out)?;
        }
    }
    let changed = pipeline::changed_texts(std::iter::once(&r).chain(&ws));
    for e in &changed {
        print_error(e);
    }
    Ok(if loaded.errors.is_empty() && changed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn fingerprint(a: FingerprintArgs) -> Result<ExitCode, Error> {
    let setup = setup(&a.input, &RuleArgs::default())?;
    refuse_overwrite(a.output.as_ref(), &a.paths.iter().collect::<Vec<_>>())?;
    // Written as the files are read, a few at a time: the manifest holds the normalized text of
    // every unit, more than the input, and is never held whole.
    let mut errors = 0;
    emit_with(a.output.as_ref(), &mut |w| {
        crate::fingerprint::write_paths(w, &a.paths, &setup.read, &setup.kb, &mut |e| {
            errors += 1;
            print_error(&e);
        })?;
        w.write_all(b"\n")
    })?;
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn rules_command(c: RulesCommand) -> Result<ExitCode, Error> {
    match c {
        RulesCommand::List => {
            let mut s = String::new();
            s.push_str(&format!(
                "{:<7} {:<38} {:<15} {:<8} {}\n",
                "CODE", "ID", "CATEGORY", "DEFAULT", "SUMMARY"
            ));
            for i in rules::all_infos() {
                s.push_str(&format!(
                    "{:<7} {:<38} {:<15} {:<8} {}\n",
                    i.code,
                    i.id,
                    i.category.as_str(),
                    i.severity.as_str(),
                    i.summary
                ));
            }
            emit(None, &s)?;
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Explain { id } => match rules::find(&id) {
            Some(i) => {
                // The config form is generated, not written per rule, so it always parses (a
                // test reads it back as a config).
                let s = format!(
                    "{} {} — {}\ncategory: {}, default severity: {}\n\n{}\n\nOr in collatio.toml:\n\n    [severity]\n    \"{}\" = \"off\"\n",
                    i.code,
                    i.id,
                    i.summary,
                    i.category.as_str(),
                    i.severity.as_str(),
                    i.explain,
                    i.id
                );
                emit(None, &s)?;
                Ok(ExitCode::SUCCESS)
            }
            None => Err(Error::Usage(format!(
                "no rule `{id}`; `collatio rules list` shows them all"
            ))),
        },
        RulesCommand::Check { dir } => {
            let [files, pitfalls, safe, confusables, offices, people] = Knowledge::check_dir(&dir)?;
            let s = format!(
                "{}: ok — {files} file{}, {pitfalls} pitfall{}, {safe} safe word{}, {confusables} confusable pair{}, {offices} office{}, {people} {}\n",
                dir.display(),
                report::plural(files),
                report::plural(pitfalls),
                report::plural(safe),
                report::plural(confusables),
                report::plural(offices),
                if people == 1 { "person" } else { "people" },
            );
            emit(None, &s)?;
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::ImportWikidata {
            file,
            output,
            verified_through,
        } => import_wikidata(&file, output.as_ref(), verified_through),
    }
}

/// `rules import-wikidata`: convert, check that the result loads, write it.
fn import_wikidata(
    file: &PathBuf,
    output: Option<&PathBuf>,
    through: Option<String>,
) -> Result<ExitCode, Error> {
    let io = |source| Error::Io {
        path: file.clone(),
        source,
    };
    let json = std::fs::read_to_string(file).map_err(io)?;
    let through = match through {
        Some(t) => t,
        None => crate::wikidata::month_of(
            std::fs::metadata(file)
                .and_then(|m| m.modified())
                .map_err(io)?,
        ),
    };
    if crate::knowledge::month_key(&through).is_none() {
        return Err(Error::Usage(format!(
            "--verified-through {through}: not a month (YYYY-MM)"
        )));
    }
    let (text, n) = crate::wikidata::import(&file.display().to_string(), &json, &through)?;
    // The file must load on its own and with the built-in data before it replaces anything.
    Knowledge::check_text(
        &output.map_or("(output)".into(), |p| p.display().to_string()),
        &text,
    )?;
    emit(output, &text)?;
    eprintln!(
        "{}: {} office{}, {} {}, {} term{} (coverage through {through}); {} row{} left out (no start date, no Chinese name)",
        file.display(),
        n.offices,
        report::plural(n.offices),
        n.people,
        if n.people == 1 { "person" } else { "people" },
        n.terms,
        report::plural(n.terms),
        n.skipped,
        report::plural(n.skipped),
    );
    Ok(ExitCode::SUCCESS)
}
