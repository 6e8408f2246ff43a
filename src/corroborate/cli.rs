//! `collatio corroborate A B…`: the first text's event records compared with each other text's,
//! conflicts reported in every format (and the corroboration table in Markdown).

use crate::cli::{refuse_overwrite, setup, InputArgs, OutputArgs, RuleArgs};
use crate::error::Error;
use crate::finding;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `collatio corroborate`.
#[derive(Debug, Args)]
pub struct CorroborateArgs {
    /// The text to check.
    pub text: PathBuf,
    /// Other texts about the same events.
    #[arg(required = true)]
    pub others: Vec<PathBuf>,
    /// Also note the text's dated events that another text does not report.
    #[arg(long)]
    pub unpaired: bool,
    /// How the texts are read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Rule severities and the failing severity.
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Report format and destination.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Run `collatio corroborate`: exit 1 when a conflict at or above the failing severity is
/// found, 2 when a file could not be read.
pub fn run(a: CorroborateArgs) -> Result<ExitCode, Error> {
    let setup = setup(&a.input, &a.rules)?;
    let inputs: Vec<&PathBuf> = std::iter::once(&a.text).chain(&a.others).collect();
    refuse_overwrite(a.output.output.as_ref(), &inputs)?;
    let text = crate::pipeline::load_file(&a.text, &setup.read, &setup.kb)?;
    let loaded = crate::pipeline::load_paths(&a.others, &setup.read, &setup.kb);
    let opts = super::Options {
        unpaired: a.unpaired,
    };
    let mut findings = Vec::new();
    let mut rows = Vec::new();
    for other in &loaded.docs {
        let c = setup.checker.corroborate(&text, other, opts);
        findings.extend(c.findings);
        rows.extend(c.rows);
    }
    finding::sort(&mut findings);
    let mut docs = vec![text];
    docs.extend(loaded.docs);
    let run = crate::gate::Run {
        findings,
        docs: &docs,
        files: docs.len(),
        errors: &loaded.errors,
        corroboration: rows,
    };
    // The same suppressions, report and exit code as `check`; no baseline: the baseline holds
    // `check`'s findings.
    crate::gate::gate_and_report(&setup, run, None, &a.output)
}
