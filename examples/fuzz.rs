//! A long-running randomized run (issue 13): mutates the seed witnesses and the hostile
//! generators' texts (byte flips, splices, repeats, line-break shuffles, control and bidi
//! characters, truncation) and runs decode → front matter → segment → normalize → rules →
//! collate in process on each, catching panics and timing every input against a budget.
//!
//! `cargo run --release --example fuzz -- [SECONDS] [SEED] [OUT_DIR]` (defaults 600, 1,
//! `target/fuzz-crashers`). Inputs that panic or run past the budget are written to OUT_DIR
//! (to become regression tests in tests/); the summary prints the input count.
//! `cargo run --release --example fuzz -- replay FILE…` times one saved input again.
//! `cargo fuzz` needs a nightly toolchain, which this machine does not have; this runs on stable.

#[path = "../tests/hostile/mod.rs"]
mod hostile;

use collatio::knowledge::Knowledge;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// CPU time one input may take (release build) before it is reported as slow.
const BUDGET: Duration = Duration::from_secs(2);

/// CPU time of this thread (Linux: /proc/thread-self/schedstat, in ns), else wall time: the
/// machine is shared, and wall time counted other processes' work as this input's.
fn cpu_now(start: Instant) -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or_else(|| start.elapsed(), Duration::from_nanos)
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const INSERTS: &[&str] = &[
    "\u{202E}",
    "\u{2066}",
    "\u{200B}",
    "\u{0000}",
    "\u{0007}",
    "\u{FEFF}",
    "\u{FFFD}",
    "\r",
    "\n\n",
    "---\n",
    "◆",
    "2020年1月",
    "3月29日",
    "（9）",
    "- 12 -",
    "https://web.archive.org/web/२०२००१०१/x",
    "title: \"\\\"标题题题",
    "ä¸\u{AD}æ–‡",
    "\u{FDFA}",
    "〔续〕",
];

/// One mutation of `b`, in place.
fn mutate(b: &mut Vec<u8>, rng: &mut Rng, corpus: &[Vec<u8>]) {
    let n = b.len();
    match rng.below(8) {
        0 if n > 0 => {
            // byte flips
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(n);
                b[i] ^= 1 << rng.below(8);
            }
        }
        1 => {
            // splice a piece of another input
            let other = &corpus[rng.below(corpus.len())];
            if !other.is_empty() {
                let a = rng.below(other.len());
                let e = (a + 1 + rng.below(4096)).min(other.len());
                let at = rng.below(n + 1);
                b.splice(at..at, other[a..e].iter().copied());
            }
        }
        2 if n > 0 => {
            // repeat a piece back to back
            let a = rng.below(n);
            let e = (a + 1 + rng.below(300)).min(n);
            let piece = b[a..e].to_vec();
            let times = 1 + rng.below(20);
            for _ in 0..times {
                b.splice(e..e, piece.iter().copied());
            }
        }
        3 => {
            // shuffle line breaks: drop some, add others
            let mut out = Vec::with_capacity(n + 64);
            for &c in b.iter() {
                if c == b'\n' && rng.below(3) == 0 {
                    continue;
                }
                out.push(c);
                if c == 0xE3 && rng.below(200) == 0 {
                    out.push(b'\n'); // inside a character: breaks UTF-8 on purpose
                }
            }
            *b = out;
        }
        4 | 5 => {
            let s = INSERTS[rng.below(INSERTS.len())].as_bytes();
            for _ in 0..1 + rng.below(50) {
                let at = rng.below(b.len() + 1);
                b.splice(at..at, s.iter().copied());
            }
        }
        6 if n > 0 => b.truncate(rng.below(n)),
        _ => {
            let a = rng.below(n + 1);
            let e = (a + rng.below(2000)).min(n);
            b.drain(a..e);
        }
    }
}

/// Every stage on one input, and collation against `reference`.
fn run_one(bytes: &[u8], reference: &collatio::model::Document, kb: &Knowledge) {
    let path = Path::new("fuzz.txt");
    let Ok((text, enc, bom)) = collatio::source::decode(path, bytes, None, false) else {
        return; // undecodable input is an error, not a crash
    };
    let prov = collatio::model::Provenance {
        encoding: enc,
        bom,
        ..Default::default()
    };
    let doc = collatio::pipeline::document_from_text(
        PathBuf::from("fuzz.txt"),
        "fuzz.txt".into(),
        text,
        prov,
        kb,
    );
    let f = collatio::rules::check_document(&doc, kb);
    let g = collatio::collate::check_group(reference, &[&doc], kb);
    let _ = collatio::fingerprint::file_entry(&doc);
    std::hint::black_box((f.len(), g.len()));
}

/// `fuzz replay FILE…`: time every stage on each file, as the run does.
fn replay(files: &[String], reference: &collatio::model::Document, kb: &Knowledge) {
    for f in files {
        let b = std::fs::read(f).expect("read input");
        let t = Instant::now();
        let r = catch_unwind(AssertUnwindSafe(|| run_one(&b, reference, kb)));
        let what = if r.is_err() { "panic" } else { "ok" };
        println!("{f}: {what}, {:.3} s", t.elapsed().as_secs_f64());
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let secs: u64 = args.first().and_then(|s| s.parse().ok()).unwrap_or(600);
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let out = PathBuf::from(
        args.get(2)
            .cloned()
            .unwrap_or("target/fuzz-crashers".into()),
    );
    let kb = Knowledge::embedded();
    let mut corpus: Vec<Vec<u8>> = Vec::new();
    if let Ok(rd) = std::fs::read_dir("fixtures/seeds") {
        let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        {
            corpus.push(std::fs::read(p).expect("read seed"));
        }
    }
    for k in hostile::KINDS {
        corpus.push(hostile::generate(k, 20_000).unwrap().into_bytes());
    }
    let reference = collatio::pipeline::document_from_text(
        "ref.txt".into(),
        "ref.txt".into(),
        String::from_utf8_lossy(&corpus[0]).into_owned(),
        Default::default(),
        &kb,
    );
    if args.first().map(String::as_str) == Some("replay") {
        replay(&args[1..], &reference, &kb);
        return;
    }
    // Panics are caught and counted; keep their messages off the terminal but for the first.
    let quiet = std::sync::atomic::AtomicBool::new(false);
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !quiet.swap(true, std::sync::atomic::Ordering::Relaxed) {
            default_hook(info);
        }
    }));
    let mut rng = Rng(seed);
    let start = Instant::now();
    let (mut inputs, mut panics, mut slow) = (0u64, 0u64, 0u64);
    let mut slowest = Duration::ZERO;
    while start.elapsed().as_secs() < secs {
        let mut b = corpus[rng.below(corpus.len())].clone();
        for _ in 0..1 + rng.below(4) {
            mutate(&mut b, &mut rng, &corpus);
        }
        b.truncate(4 << 20);
        let t = cpu_now(start);
        let r = catch_unwind(AssertUnwindSafe(|| run_one(&b, &reference, &kb)));
        let took = cpu_now(start).saturating_sub(t);
        slowest = slowest.max(took);
        inputs += 1;
        let bad = if r.is_err() {
            panics += 1;
            Some("panic")
        } else if took > BUDGET {
            slow += 1;
            Some("slow")
        } else {
            None
        };
        if let Some(what) = bad {
            let _ = std::fs::create_dir_all(&out);
            let p = out.join(format!("{what}-{seed}-{inputs}.txt"));
            let _ = std::fs::write(&p, &b);
            eprintln!(
                "{what}: {} ({} bytes, {:.2} s)",
                p.display(),
                b.len(),
                took.as_secs_f64()
            );
        } else if b.len() < 200_000 && rng.below(20) == 0 && corpus.len() < 64 {
            corpus.push(b); // grow the corpus with survivors, bounded
        }
    }
    println!(
        "fuzz: {inputs} inputs in {} s (seed {seed}): {panics} panics, {slow} over {} s of CPU; slowest {:.2} s",
        start.elapsed().as_secs(),
        BUDGET.as_secs(),
        slowest.as_secs_f64()
    );
    if panics + slow > 0 {
        std::process::exit(1);
    }
}
