//! `collatio collate --format html|tei`: the collation views written from the command line.

use super::html::{self, GroupView};
use super::{tei, ReportInput};
use crate::cli::Setup;
use crate::error::Error;
use crate::model::Document;
use std::path::PathBuf;

/// Collate `witnesses` against `reference` and write the HTML report (with every finding of
/// the group: the single-document rules' and the collation's) or the TEI document.
pub fn collate_view(
    setup: &Setup,
    reference: &Document,
    witnesses: &[Document],
    format: &str,
    output: Option<&PathBuf>,
) -> Result<(), Error> {
    use rayon::prelude::*;
    let cols: Vec<_> = witnesses
        .par_iter()
        .map(|w| crate::collate::collate(reference, w, &setup.kb))
        .collect();
    if format == "tei" {
        return crate::cli::emit_with(output, &mut |w| {
            tei::write_to(w, reference, witnesses, &cols)
        });
    }
    let refs: Vec<&Document> = witnesses.iter().collect();
    let findings = setup.checker.check_group(reference, &refs);
    let mut input = ReportInput::new(&findings, &[]);
    input.docs = std::iter::once(reference)
        .chain(witnesses)
        .map(|d| (d.display.as_str(), d))
        .collect();
    input.files = witnesses.len() + 1;
    input.fail_on = setup.fail_on;
    input.kb = Some(&setup.kb);
    let groups: Vec<GroupView> = witnesses
        .iter()
        .zip(cols)
        .map(|(w, c)| GroupView {
            reference,
            witness: w,
            collation: c,
        })
        .collect();
    crate::cli::emit_with(output, &mut |w| html::write_groups(&input, &groups, w))
}
