//! `collatio completions` and `collatio man`: shell completions and man pages generated from the
//! clap definition in [`crate::cli`], so they list exactly the flags the binary accepts.

use crate::cli::Cli;
use crate::error::Error;
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `collatio completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
    /// Write the script to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `collatio man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write collatio.1 and one page per subcommand (collatio-check.1 …) into DIR, creating it;
    /// without it, collatio.1 goes to standard output.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// The command tree as the generators need it: built (so subcommands carry their full names,
/// `collatio-check`) and without clap's implicit `help` subcommand, which has no page.
fn command() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// The completion script for `shell`.
pub fn completion_script(shell: Shell) -> Vec<u8> {
    let mut cmd = command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "collatio", &mut out);
    out
}

/// Print (or write) the completion script for one shell.
pub fn completions(a: CompletionsArgs) -> Result<ExitCode, Error> {
    let script = completion_script(a.shell);
    crate::cli::emit_with(a.output.as_ref(), &mut |w| w.write_all(&script))?;
    Ok(ExitCode::SUCCESS)
}

/// The roff man page of `cmd` (one command of the tree).
fn render(cmd: clap::Command) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| Error::Usage(format!("cannot render the man page: {e}")))?;
    Ok(out)
}

/// Every page of the tree: (file name, roff), the top command first, then each subcommand
/// depth-first (`collatio-rules.1`, `collatio-rules-list.1` …).
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>, Error> {
    fn walk(cmd: &clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> Result<(), Error> {
        let name = cmd.get_display_name().unwrap_or(cmd.get_name());
        out.push((format!("{name}.1"), render(cmd.clone())?));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, out)?;
        }
        Ok(())
    }
    let mut pages = Vec::new();
    walk(&command(), &mut pages)?;
    Ok(pages)
}

/// Print collatio.1, or write every page into a folder.
pub fn man(a: ManArgs) -> Result<ExitCode, Error> {
    let Some(dir) = a.output else {
        let page = render(command())?;
        crate::cli::emit_with(None, &mut |w| w.write_all(&page))?;
        return Ok(ExitCode::SUCCESS);
    };
    write_pages(&dir)?;
    Ok(ExitCode::SUCCESS)
}

fn write_pages(dir: &Path) -> Result<(), Error> {
    let failed = |source| Error::Write {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    let pages = man_pages()?;
    for (name, roff) in &pages {
        let path = dir.join(name);
        crate::util::write_atomic(&path, roff).map_err(|source| Error::Write { path, source })?;
    }
    eprintln!(
        "collatio: wrote {} man page{} to {}",
        pages.len(),
        crate::report::plural(pages.len()),
        crate::error::shown(dir)
    );
    Ok(())
}
