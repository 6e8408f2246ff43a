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
    let runs: [&[&str]; 6] = [
        &[
            "collate",
            "--no-config",
            "--format",
            "tei",
            S000,
            S001,
            S002,
        ],
        &[
            "collate",
            "--no-config",
            "--format",
            "json",
            S000,
            S001,
            S002,
        ],
        &["collate", "--no-config", S000, S002],
        &["check", "--no-config", S001, S002, "--against", S000],
        &[
            "check",
            "--no-config",
            "--format",
            "jsonl",
            S001,
            S002,
            "--against",
            S000,
        ],
        &[
            "check",
            "--no-config",
            "--format",
            "sarif",
            S002,
            "--against",
            S000,
        ],
    ];
    for args in runs {
        let held = run_released(args, None);
        let released = run_released(args, Some("0"));
        assert!(!stdout(&held).is_empty(), "{args:?}");
        assert_eq!(stdout(&held), stdout(&released), "{args:?}");
        assert_eq!(code(&held), code(&released), "{args:?}");
        assert!(stderr(&released).is_empty() || stderr(&released) == stderr(&held));
    }
}
