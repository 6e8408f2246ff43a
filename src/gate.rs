//! Gating: the baseline, the report and the exit code, for findings wherever they were computed.
//! `collatio check` computes its findings and hands them here; `collatio report` reads them back
//! from JSON Lines (written by `check --format jsonl`, by the Spark job, by another machine) and
//! hands them here too, so both print the same report and exit with the same code.

use crate::cli::{InputArgs, OutputArgs, RuleArgs, Setup};
use crate::error::Error;
use crate::finding::{Finding, Location};
use crate::model::Document;
use crate::report::{self, Format};
use clap::Args;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;

/// What a run found, ready to gate.
pub struct Run<'a> {
    /// The findings, sorted by file and position, with the settings applied.
    pub findings: Vec<Finding>,
    /// Documents the report may render spans of (human output), by their display paths.
    pub docs: &'a [Document],
    /// How many files were checked.
    pub files: usize,
    /// Files that could not be read (printed on standard error; they make the exit code 2).
    pub errors: &'a [Error],
    /// Events two texts report and their verdict (`collatio corroborate`); else empty.
    pub corroboration: Vec<crate::corroborate::Row>,
}

/// Apply the config's suppressions and the baseline at `baseline` (if any) to `run`, write the
/// report `out` asks for and return the exit code: 2 when files could not be read, 1 when new
/// findings reach the failing severity, 0 otherwise. The same path as `check`
/// ([`crate::report::finish::report`]).
pub fn gate_and_report(
    setup: &Setup,
    run: Run<'_>,
    baseline: Option<&PathBuf>,
    out: &OutputArgs,
) -> Result<ExitCode, Error> {
    let baseline = baseline
        .map(|p| crate::baseline::Baseline::read(p))
        .transpose()?;
    let errors: Vec<String> = run.errors.iter().map(|e| e.to_string()).collect();
    for e in run.errors {
        crate::cli::print_error(e);
    }
    let how = crate::report::finish::How {
        format: out.format,
        output: out.output.clone(),
        color: crate::cli::use_color(&out.color, out.output.is_some()),
        args: out.report.clone(),
        baseline,
        corroboration: run.corroboration,
    };
    crate::report::finish::report(setup, run.findings, run.docs, run.files, &errors, &how)
}

/// `collatio report`: gate and render findings computed elsewhere.
#[derive(Debug, Args)]
pub struct ReportCommandArgs {
    /// JSON Lines files of findings (`check --format jsonl`, the Spark job's findings.jsonl);
    /// several are merged and sorted as one run.
    #[arg(required = true, value_name = "FINDINGS.jsonl")]
    pub findings: Vec<PathBuf>,
    /// Fail only on findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Ignore the baseline named in collatio.toml.
    #[arg(long)]
    pub no_baseline: bool,
    /// The manifest of the run (`collatio fingerprint`, the Spark job's manifest.json): the
    /// report counts its files as the files checked. Without it, the files named by findings.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Fail (exit 1) on new findings at or above this severity.
    #[arg(long, value_name = "LEVEL")]
    pub fail_on: Option<String>,
    /// How the files the findings name are read (for human output's source lines).
    #[command(flatten)]
    pub input: InputArgs,
    /// Report format and destination.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Run `collatio report`.
pub fn report_command(a: ReportCommandArgs) -> Result<ExitCode, Error> {
    let rule_args = RuleArgs {
        fail_on: a.fail_on.clone(),
        ..RuleArgs::default()
    };
    let setup = crate::cli::setup(&a.input, &rule_args)?;
    let mut inputs: Vec<&PathBuf> = a.findings.iter().chain(&a.baseline).collect();
    inputs.extend(&a.manifest);
    crate::cli::refuse_overwrite(a.output.output.as_ref(), &inputs)?;
    let mut findings = Vec::new();
    for p in &a.findings {
        findings.extend(report::ingest::read(p)?);
    }
    // The order `check` prints; findings from several files (or from Spark's partitions) merge.
    crate::finding::sort(&mut findings);
    let files = match &a.manifest {
        Some(m) => crate::baseline::read_manifest(m)?.files.len(),
        None => named_files(&findings).len(),
    };
    // As in `check`: human and HTML output show the text, SARIF hashes its lines.
    let docs = if matches!(
        a.output.format,
        Format::Human | Format::Sarif | Format::Html
    ) {
        documents_for(&setup, &findings, a.output.report.quiet)
    } else {
        Vec::new()
    };
    let baseline = if a.no_baseline {
        None
    } else {
        a.baseline
            .clone()
            .or_else(|| setup.config.as_ref().and_then(|c| c.baseline.clone()))
    };
    let run = Run {
        findings,
        docs: &docs,
        files,
        errors: &[],
        corroboration: Vec::new(),
    };
    gate_and_report(&setup, run, baseline.as_ref(), &a.output)
}

/// The files findings are in.
fn named_files(findings: &[Finding]) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    for f in findings {
        names.insert(f.location.file.as_str());
    }
    names
}

/// The documents human output renders spans of, read again from where their display paths
/// point (relative to the config's folder, or to the working directory). A file that is gone
/// or changed since the findings were computed is left out: its findings are shown without
/// source lines rather than against the wrong text.
/// How many could not be used is noted unless `quiet`.
fn documents_for(setup: &Setup, findings: &[Finding], quiet: bool) -> Vec<Document> {
    // Every place a finding points at, by file: one pass over the findings.
    let mut places: BTreeMap<&str, Vec<&Location>> = BTreeMap::new();
    for f in findings {
        let related = f.related.iter().filter_map(|r| r.location.as_ref());
        for l in std::iter::once(&f.location).chain(related) {
            places.entry(l.file.as_str()).or_default().push(l);
        }
    }
    let root = setup.config.as_ref().map(|c| c.root.clone());
    let mut docs = Vec::new();
    let mut missing = 0usize;
    for (name, locations) in places {
        let path = match &root {
            Some(r) => r.join(name),
            None => PathBuf::from(name),
        };
        match crate::pipeline::load_file(&path, &setup.read, &setup.kb) {
            Ok(d) if d.display == name && locations.iter().all(|l| fits(&d, l)) => docs.push(d),
            _ => missing += 1,
        }
    }
    if missing > 0 {
        crate::cli::note(
            quiet,
            &format!(
                "{missing} file{} named by the findings could not be read here (or changed); \
                 their findings are shown without source lines",
                report::plural(missing)
            ),
        );
    }
    docs
}

/// `l` lies inside the text of `doc`, on character boundaries, at the line and column it
/// names: the file is (as far as can be told) the one the finding was computed on.
fn fits(doc: &Document, l: &Location) -> bool {
    l.end <= doc.text.len()
        && doc.text.is_char_boundary(l.start)
        && doc.text.is_char_boundary(l.end)
        && doc.source_line_col(l.start) == (l.line, l.column)
}
