//! Snapshots of what a person reads: the human report, with CJK (double-width) lines, under a
//! fixed theme and width.

mod common;
use common::*;

#[test]
fn human_report_for_the_print_copy() {
    let o = run(&[
        "check",
        "--no-config",
        "--color",
        "never",
        "--disable",
        "altered-event/wording",
        S001,
        "--against",
        S000,
        "--disable",
        "substitution/converter",
    ]);
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn human_report_for_the_white_paper() {
    let o = run(&["check", "--no-config", "--color", "never", S002]);
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn collate_apparatus() {
    let o = run(&["collate", "--no-config", S000, S001]);
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn rules_list() {
    let o = run(&["rules", "list"]);
    insta::assert_snapshot!(stdout(&o));
}
