//! Make the realistic-layout corpus and the fault benchmark's witnesses from a clean text.
//!
//! `cargo run --release --example mkcorpus -- CLEAN.txt OUTDIR [--seed N]` writes
//! OUTDIR/reference.txt (the clean text), OUTDIR/other-script.txt (its t2s or s2t form),
//! OUTDIR/layouts/*.txt (clean layouts), OUTDIR/faults/*.txt (witnesses with faults) and
//! OUTDIR/truth.jsonl (where each fault is and which rule ids / categories may report it).

#[path = "../tests/common/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut seed = 1u64;
    let mut pos = vec![];
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--seed" {
            match it.next().and_then(|s| s.parse().ok()) {
                Some(s) => seed = s,
                None => return usage("--seed needs a number"),
            }
        } else {
            pos.push(a.clone());
        }
    }
    let [clean, out] = pos.as_slice() else {
        return usage("need CLEAN.txt and OUTDIR");
    };
    let text = match std::fs::read_to_string(clean) {
        Ok(t) => t,
        Err(e) => return usage(&format!("cannot read {clean}: {e}")),
    };
    let cv = corpus::Converters::new();
    let c = corpus::generate(&text, seed, &cv);
    let dir = PathBuf::from(out);
    if let Err(e) = corpus::write(&c, &dir) {
        eprintln!("mkcorpus: cannot write {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    eprintln!(
        "mkcorpus: {} ({:?}), seed {seed}: {} layouts, {} fault witnesses, {} faults → {}",
        clean,
        c.script,
        c.layouts.len(),
        c.faults.len(),
        c.truth.len(),
        dir.display()
    );
    ExitCode::SUCCESS
}

fn usage(why: &str) -> ExitCode {
    eprintln!("mkcorpus: {why}\nusage: mkcorpus CLEAN.txt OUTDIR [--seed N]");
    ExitCode::from(2)
}
