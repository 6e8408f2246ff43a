//! Large texts are left in their files once checked and read back on demand (issue 13): the
//! threshold lowered to 0 (`COLLATIO_TEXT_ON_DISK_FROM`) runs the seeds through that path, and
//! every output must be the one of texts held in memory.

mod common;
use common::*;

/// `collatio ARGS` from the repository root, texts released from `from` bytes on.
fn run_released(args: &[&str], from: Option<&str>) -> std::process::Output {
    let mut c = collatio_in(&root(), args);
    match from {
        Some(v) => c.env("COLLATIO_TEXT_ON_DISK_FROM", v),
        None => c.env_remove("COLLATIO_TEXT_ON_DISK_FROM"),
    };
    c.output().expect("run collatio")
}

#[test]
fn released_texts_give_the_outputs_of_held_ones() {
    let mut runs: Vec<Vec<&str>> = ["text", "json", "tei", "html"]
        .iter()
        .map(|f| vec!["collate", "--no-config", "--format", f, S000, S001, S002])
        .collect();
    for f in ["human", "jsonl", "sarif"] {
        runs.push(vec![
            "check",
            "--no-config",
            "--format",
            f,
            S001,
            S002,
            "--against",
            S000,
        ]);
    }
    for args in &runs {
        let held = run_released(args, None);
        let released = run_released(args, Some("0"));
        assert!(!stdout(&held).is_empty(), "{args:?}");
        assert_eq!(stdout(&held), stdout(&released), "{args:?}");
        assert_eq!(code(&held), code(&released), "{args:?}");
        assert!(stderr(&released).is_empty() || stderr(&released) == stderr(&held));
    }
}

/// The library's group check on documents that released their folds and texts (as `collate`
/// leaves them) runs the single-document rules on them made whole again: the findings of the
/// documents as read.
#[test]
fn a_group_check_of_released_documents_finds_what_it_finds_on_held_ones() {
    use collatio::engine::Checker;
    use collatio::knowledge::Knowledge;
    let checker = Checker::new(Knowledge::embedded());
    let load = |p: &str| {
        let d = collatio::pipeline::load_file(&root().join(p), &checker.read, &checker.kb).unwrap();
        let mut released = d.clone();
        released.release_folds();
        assert!(released.release_text());
        (d, released)
    };
    let (r, r2) = load(S000);
    let (w, w2) = load(S002);
    let held = checker.check_group(&r, &[&w]);
    assert!(held.iter().any(|f| f.category.as_str() != "dropped-event"));
    let released = checker.check_group(&r2, &[&w2]);
    assert_eq!(format!("{held:?}"), format!("{released:?}"));
}
