//! `collatio corroborate A B…`: the first text's event records compared with each other text's,
//! conflicts reported in every format (and the corroboration table in Markdown).

use crate::cli::{
    emit_with, print_error, refuse_overwrite, setup, InputArgs, OutputArgs, RuleArgs,
};
use crate::error::Error;
use crate::finding;
use crate::report::{self, ReportInput};
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
    for e in &loaded.errors {
        print_error(e);
    }
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
    let errors: Vec<String> = loaded.errors.iter().map(|e| e.to_string()).collect();
    let mut docs = vec![text];
    docs.extend(loaded.docs);
    let mut input = ReportInput::new(&findings, &docs);
    input.errors = &errors;
    input.fail_on = setup.fail_on;
    input.corroboration = &rows;
    input.color = crate::cli::use_color(&a.output.color, a.output.output.is_some());
    emit_with(a.output.output.as_ref(), &mut |w| {
        report::write(a.output.format, &input, w)
    })?;
    if !loaded.errors.is_empty() {
        return Ok(ExitCode::from(2));
    }
    let failing = input.new_findings().any(|f| f.severity >= setup.fail_on);
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
