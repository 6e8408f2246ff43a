//! A long-running randomized run (issue 13): mutates the seed witnesses and the hostile
//! generators' texts (byte flips, splices, repeats, line-break shuffles, control and bidi
//! characters, truncation) and runs decode → front matter → segment → normalize → rules →
//! collate in process on each, catching panics and timing every input against a budget.
//! Half the inputs are also aimed at one stage (see `Stage`): re-encoded bytes for decode, a
//! generated front matter, line and page structure for segmentation, compatibility and variant
//! characters for normalization, rule triggers for the rules, and for collation a witness made
//! from the reference by paragraph edits, or the mutated text as the reference.
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

/// The stage a stage mutation aims at: each makes the input that stage reads hardest.
#[derive(Clone, Copy, Debug)]
enum Stage {
    Decode,
    FrontMatter,
    Segment,
    Normalize,
    Rules,
    Collate,
}

const STAGES: [Stage; 6] = [
    Stage::Decode,
    Stage::FrontMatter,
    Stage::Segment,
    Stage::Normalize,
    Stage::Rules,
    Stage::Collate,
];

/// How one input is run: decoded leniently or not, and which side of the collation it is.
#[derive(Clone, Copy, Default)]
struct Mode {
    lossy: bool,
    as_reference: bool,
}

/// Front matter pieces: keys the provenance rule reads, quoting and escapes, lists, fences.
const FM_PIECES: &[&str] = &[
    "title: ",
    "date: ",
    "url: ",
    "original_url: ",
    "tags:\n  - ",
    "\"",
    "'",
    "\\\"",
    "2020-04-06",
    "२०२००१०१",
    "２０２０年４月６日",
    "https://web.archive.org/web/20200406000000/http://example.cn/a.html",
    "https://web.archive.org/web/",
    "中國發布疫情信息紀事",
    ": : :",
    "\n",
    "\r\n",
    "---\n",
    "...\n",
    "\u{FEFF}",
];

/// Segmentation pieces: headings, event marks, page marks, chrome, indents, wraps.
const SEGMENT_PIECES: &[&str] = &[
    "\n",
    "\n\n",
    "\n\n\n\n",
    "\n　　",
    "\n    ",
    "\n◆",
    "\n2020年3月\n",
    "\n3月29日\n",
    "\n（上接第7版）\n",
    "（下转7版）",
    "\n- 12 -\n",
    "\n第3页\n",
    "\n来源：新华社 编辑：张三 2020-04-06 10:00\n",
    "\n分享到：微信 微博 QQ\n",
    "\n（新华社北京4月6日电）\n",
    "\n（三）第三阶段：2月21日至3月17日\n",
    "\n（32）2月10日，",
    "\nhttp://example.cn/a.html\n",
    "\n图为会议现场。新华社记者 摄\n",
    "\u{000C}",
];

/// Normalization pieces: compatibility forms, variants, combining marks, width, controls.
const NORMALIZE_PIECES: &[&str] = &[
    "\u{FDFA}",
    "\u{3300}",
    "\u{2474}",
    "ｆｕｌｌ　ｗｉｄｔｈ１２３",
    "\u{0301}\u{0301}\u{0301}",
    "e\u{0301}",
    "\u{F900}\u{F901}",
    "\u{2F00}\u{2F08}",
    "\u{200D}",
    "\u{00AD}",
    "\u{FE0F}",
    "\u{1F600}",
    "\u{E000}",
    "\u{D7FF}",
    "\u{10FFFF}",
    "為爲为",
    "裏裡里",
    "，，。。、、",
    "\u{3000}\u{3000}",
    "\u{2028}",
];

/// Rule triggers: converter pitfalls, titles, loops, encodings, annotations, provenance.
const RULE_PIECES: &[&str] = &[
    "覆工覆產",
    "恢覆",
    "引髮",
    "關于",
    "联合国秘书长古特雷斯",
    "意大利总理马德拉",
    "美国总统特朗普",
    "听取汇报，听取汇报，听取汇报，",
    "做好做好做好做好",
    "ä¸\u{AD}å›½",
    "涓浗",
    "\u{FFFD}\u{FFFD}",
    "（注：",
    "[1]",
    "zhong guo",
    "（新华社北京4月6日电）",
    "记者 张三",
    "1月3日",
    "3000万",
    "不同意",
];

/// A random piece of `pieces`, `times` times at random places.
fn insert_pieces(b: &mut Vec<u8>, rng: &mut Rng, pieces: &[&str], times: usize) {
    for _ in 0..times {
        let s = pieces[rng.below(pieces.len())].as_bytes();
        let at = char_boundary(b, rng.below(b.len() + 1));
        b.splice(at..at, s.iter().copied());
    }
}

/// The nearest UTF-8 character start at or before `i` (stage mutations keep the text valid
/// so that it reaches the stage they aim at; the generic mutations break it).
fn char_boundary(b: &[u8], mut i: usize) -> usize {
    while i > 0 && i < b.len() && (b[i] & 0xC0) == 0x80 {
        i -= 1;
    }
    i
}

/// The text of `b` in another encoding (with or without a BOM), a few bytes flipped.
fn reencode(b: &[u8], rng: &mut Rng) -> Vec<u8> {
    let text = String::from_utf8_lossy(b).into_owned();
    let mut out = Vec::new();
    match rng.below(4) {
        0 => {
            out.extend_from_slice(b"\xEF\xBB\xBF");
            out.extend_from_slice(text.as_bytes());
        }
        1 => {
            let le = rng.below(2) == 0;
            if rng.below(2) == 0 {
                out.extend_from_slice(if le { b"\xFF\xFE" } else { b"\xFE\xFF" });
            }
            for u in text.encode_utf16() {
                out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
        }
        _ => {
            let enc = [
                encoding_rs::GB18030,
                encoding_rs::BIG5,
                encoding_rs::GBK,
                encoding_rs::SHIFT_JIS,
                encoding_rs::WINDOWS_1252,
            ][rng.below(5)];
            out.extend_from_slice(&enc.encode(&text).0);
        }
    }
    let n = out.len();
    for _ in 0..rng.below(4) {
        if n > 0 {
            let i = rng.below(n);
            out[i] ^= 1 << rng.below(8);
        }
    }
    out
}

/// One mutation aimed at `stage`, in place. Returns how the input is to be run.
fn mutate_for(stage: Stage, b: &mut Vec<u8>, rng: &mut Rng, reference: &[u8]) -> Mode {
    let mut mode = Mode::default();
    match stage {
        Stage::Decode => {
            *b = reencode(b, rng);
            mode.lossy = rng.below(2) == 0;
        }
        Stage::FrontMatter => {
            let mut fm = b"---\n".to_vec();
            let times = 1 + rng.below(30);
            insert_pieces(&mut fm, rng, FM_PIECES, times);
            if rng.below(4) != 0 {
                fm.extend_from_slice(b"\n---\n");
            }
            b.splice(0..0, fm);
        }
        Stage::Segment | Stage::Normalize | Stage::Rules => {
            let (pieces, most) = match stage {
                Stage::Segment => (SEGMENT_PIECES, 200),
                Stage::Normalize => (NORMALIZE_PIECES, 200),
                _ => (RULE_PIECES, 100),
            };
            let times = 1 + rng.below(most);
            insert_pieces(b, rng, pieces, times);
        }
        Stage::Collate => {
            if rng.below(3) == 0 {
                mode.as_reference = true; // the mutated text as the reference, the seed as witness
            } else {
                *b = unit_edits(reference, rng);
            }
        }
    }
    mode
}

/// A witness made from `reference` by paragraph edits: drops, copies, moves, cut edges, joins
/// and splits, one character changed; the kinds of difference collation pairs and classifies.
fn unit_edits(reference: &[u8], rng: &mut Rng) -> Vec<u8> {
    let text = String::from_utf8_lossy(reference);
    let mut paras: Vec<String> = text.split("\n\n").map(str::to_string).collect();
    for _ in 0..1 + rng.below(40) {
        let n = paras.len();
        if n == 0 {
            break;
        }
        let i = rng.below(n);
        match rng.below(6) {
            0 => {
                paras.remove(i);
            }
            1 => {
                let p = paras[i].clone();
                paras.insert(rng.below(n + 1), p);
            }
            2 => {
                let p = paras.remove(i);
                paras.insert(rng.below(n), p);
            }
            3 => cut_edge(&mut paras, i, rng),
            4 => {
                let mut cs: Vec<char> = paras[i].chars().collect();
                if !cs.is_empty() {
                    let k = rng.below(cs.len());
                    cs[k] = ['某', '千', '覆', '0', '不', '，'][rng.below(6)];
                }
                paras[i] = cs.into_iter().collect();
            }
            _ if i + 1 < n && rng.below(2) == 0 => {
                let next = paras.remove(i + 1);
                paras[i].push_str(&next);
            }
            _ => {
                let cs: Vec<char> = paras[i].chars().collect();
                let k = rng.below(cs.len() + 1);
                paras[i] = cs[..k].iter().collect();
                paras.insert(i + 1, cs[k..].iter().collect());
            }
        }
    }
    paras.join("\n\n").into_bytes()
}

/// The witness starts or ends inside paragraph `i`.
fn cut_edge(paras: &mut Vec<String>, i: usize, rng: &mut Rng) {
    let cs: Vec<char> = paras[i].chars().collect();
    let k = rng.below(cs.len() + 1);
    if rng.below(2) == 0 {
        paras[i] = cs[k..].iter().collect();
        paras.drain(..i);
    } else {
        paras[i] = cs[..k].iter().collect();
        paras.truncate(i + 1);
    }
}

/// A document from bytes, as `check` reads a file: `None` when it does not decode (an
/// undecodable input is an error, not a crash).
fn document(bytes: &[u8], mode: Mode, kb: &Knowledge) -> Option<collatio::model::Document> {
    let path = Path::new("fuzz.txt");
    let (text, enc, bom) = collatio::source::decode(path, bytes, None, mode.lossy).ok()?;
    let prov = collatio::model::Provenance {
        encoding: enc,
        bom,
        ..Default::default()
    };
    Some(collatio::pipeline::document_from_text(
        PathBuf::from("fuzz.txt"),
        "fuzz.txt".into(),
        text,
        prov,
        kb,
    ))
}

/// Every stage on one input, and collation against `reference` (or of `reference` against it).
fn run_one(bytes: &[u8], mode: Mode, reference: &collatio::model::Document, kb: &Knowledge) {
    let Some(doc) = document(bytes, mode, kb) else {
        return;
    };
    let f = collatio::rules::check_document(&doc, kb);
    let g = if mode.as_reference {
        collatio::collate::check_group(&doc, &[reference], kb)
    } else {
        collatio::collate::check_group(reference, &[&doc], kb)
    };
    let _ = collatio::fingerprint::file_entry(&doc);
    std::hint::black_box((f.len(), g.len()));
}

/// `fuzz replay FILE…`: time every stage on each file, as the run does.
fn replay(files: &[String], reference: &collatio::model::Document, kb: &Knowledge) {
    for f in files {
        let b = std::fs::read(f).expect("read input");
        let t = Instant::now();
        // The mode is in the saved file's name (see `main`).
        let mode = Mode {
            lossy: f.contains("-lossy"),
            as_reference: f.contains("-asref"),
        };
        let r = catch_unwind(AssertUnwindSafe(|| run_one(&b, mode, reference, kb)));
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
    let mut per_stage = [0u64; STAGES.len()];
    let mut slowest = Duration::ZERO;
    while start.elapsed().as_secs() < secs {
        let mut b = corpus[rng.below(corpus.len())].clone();
        // Half the inputs get a stage mutation, before or after the generic ones.
        let stage = (rng.below(2) == 0).then(|| rng.below(STAGES.len()));
        let early = rng.below(2) == 0;
        let mut mode = Mode::default();
        if let (Some(s), true) = (stage, early) {
            mode = mutate_for(STAGES[s], &mut b, &mut rng, &corpus[0]);
        }
        for _ in 0..rng.below(4) + usize::from(stage.is_none()) {
            mutate(&mut b, &mut rng, &corpus);
        }
        if let (Some(s), false) = (stage, early) {
            mode = mutate_for(STAGES[s], &mut b, &mut rng, &corpus[0]);
        }
        if let Some(s) = stage {
            per_stage[s] += 1;
        }
        b.truncate(4 << 20);
        let t = cpu_now(start);
        let r = catch_unwind(AssertUnwindSafe(|| run_one(&b, mode, &reference, &kb)));
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
            let tag = format!(
                "{}{}",
                if mode.lossy { "-lossy" } else { "" },
                if mode.as_reference { "-asref" } else { "" }
            );
            let p = out.join(format!("{what}-{seed}-{inputs}{tag}.txt"));
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
    let stages: Vec<String> = STAGES
        .iter()
        .zip(per_stage)
        .map(|(s, n)| format!("{s:?} {n}"))
        .collect();
    println!("stage mutations: {}", stages.join(", "));
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
