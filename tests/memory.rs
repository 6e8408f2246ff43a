//! Memory of collation (issue 13): a witness checked against its reference holds the two texts
//! and their units, not their folds (8 bytes a character against 3 for the text). A counting
//! allocator measures the peak of live heap over a generated pair; the bound fails if the
//! checked documents keep their folds into collation, or if two large documents are folded at
//! once. One test in this binary: the counters are global.

use collatio::engine::{Checker, Group};
use collatio::knowledge::Knowledge;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Relaxed) + l.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            if new >= l.size() {
                let now = LIVE.fetch_add(new - l.size(), Relaxed) + new - l.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                LIVE.fetch_sub(l.size() - new, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// A chronicle of `days` days, a few events each, every sentence its own (numbers vary).
fn chronicle(days: usize) -> String {
    let who = [
        "外交部发言人",
        "国务院新闻办公室",
        "国家卫生健康委员会",
        "市人民政府",
        "省教育厅",
    ];
    let did = [
        "介绍有关情况",
        "召开新闻发布会",
        "发布工作方案",
        "通报最新进展",
        "部署下一阶段工作",
    ];
    let what = [
        "防控工作",
        "复工复产",
        "物资保障",
        "国际合作",
        "春季学期开学安排",
    ];
    let mut s = String::from("# 大事记\n\n");
    for d in 0..days {
        s.push_str(&format!("{}月{}日\n\n", d / 28 % 12 + 1, d % 28 + 1));
        for e in 0..6 {
            let k = d * 6 + e;
            s.push_str(&format!(
                "◆{}{}，就{}答记者问，第{}次会议确定{}项措施，涉及{}个地区。\n\n",
                who[k % 5],
                did[k / 5 % 5],
                what[k / 25 % 5],
                k + 1,
                k % 97 + 3,
                k % 31 + 2
            ));
        }
    }
    s
}

/// The copy: one word changed in every 50th event, every 80th event dropped.
fn copy_of(reference: &str) -> String {
    let mut out = String::with_capacity(reference.len());
    let mut event = 0;
    for line in reference.split_inclusive('\n') {
        if !line.starts_with('◆') {
            out.push_str(line);
            continue;
        }
        event += 1;
        if event % 80 == 3 {
            continue;
        }
        if event % 50 == 1 {
            out.push_str(&line.replacen("确定", "决定", 1));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Peak live heap of `f` above what was live when it started.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let out = f();
    (out, PEAK.load(Relaxed) - base)
}

#[test]
fn a_checked_pair_peaks_well_below_two_folded_documents() {
    let dir = tempfile::tempdir().unwrap();
    let reference = chronicle(2600);
    let witness = copy_of(&reference);
    let (rp, wp) = (dir.path().join("ref.txt"), dir.path().join("wit.txt"));
    std::fs::write(&rp, &reference).unwrap();
    std::fs::write(&wp, &witness).unwrap();
    let input = reference.len() + witness.len();
    assert!(input > 3_000_000, "{input}");
    // The folds of both documents: what the check held at once before issue 13.
    let chars = reference.chars().count() + witness.chars().count();
    let folds = 8 * chars;
    let checker = Checker::new(Knowledge::embedded());
    let groups = [Group {
        reference: rp.clone(),
        members: Vec::new(),
    }];
    // One thread: the bound is about what is held, not about how many files load at once.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    // Rule data built on first use (automata, tables) is not the pair's: a small pair first.
    let small = dir.path().join("small");
    std::fs::create_dir(&small).unwrap();
    let (sr, sw) = (small.join("ref.txt"), small.join("wit.txt"));
    std::fs::write(&sr, chronicle(40)).unwrap();
    std::fs::write(&sw, copy_of(&chronicle(40))).unwrap();
    let warm = [Group {
        reference: sr,
        members: Vec::new(),
    }];
    drop(pool.install(|| checker.check_paths(&[sw], &warm, false)));
    let base = LIVE.load(Relaxed);
    let (checked, peak) =
        peak_of(|| pool.install(|| checker.check_paths(std::slice::from_ref(&wp), &groups, false)));
    // What the run holds once checked and collated: the documents (and the findings).
    let held = LIVE.load(Relaxed) - base;
    eprintln!("input {input} B, peak {peak} B, held {held} B, both folds {folds} B");
    // The collation ran and found the edits.
    let rules: Vec<&str> = checked.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(rules.contains(&"dropped-event/missing-unit"), "{rules:?}");
    assert!(
        rules.iter().any(|r| r.starts_with("altered-event/")),
        "{rules:?}"
    );
    // The documents kept for collation hold no folds.
    for d in &checked.docs {
        assert!(d.folds_released(), "{}", d.display);
        assert!(d.units.iter().all(|u| u.norm().chars.capacity() == 0));
    }
    // Held: the texts, units and findings (3.1× the input here); with the folds kept it was
    // 6×, the folds of both documents more.
    assert!(
        held < 3 * input + folds / 2,
        "{held} bytes held for {input} bytes of input ({folds} bytes of folds)"
    );
    // Peak: one document's fold at a time while its rules run (4.4× the input of this small
    // pair, rule data aside, with compact offsets; 4.9× with a `u32` offset a character, 6.9×
    // when both documents' folds stayed into collation).
    assert!(
        peak < input * 46 / 10,
        "peak {peak} bytes for {input} bytes of input ({folds} bytes of folds)"
    );
    // Texts left in their files, as for a pair of 16 MiB or more (the threshold lowered here):
    // the same findings, the texts no longer held (the units are what remains).
    let on_disk =
        Checker::new(Knowledge::embedded()).with_read_options(collatio::pipeline::ReadOptions {
            text_on_disk_from: Some(0),
            ..Default::default()
        });
    let base = LIVE.load(Relaxed);
    let released = pool.install(|| on_disk.check_paths(std::slice::from_ref(&wp), &groups, false));
    let held_released = LIVE.load(Relaxed) - base;
    eprintln!("held with the texts in their files {held_released} B");
    assert_eq!(
        format!("{:?}", checked.findings),
        format!("{:?}", released.findings)
    );
    assert!(released
        .docs
        .iter()
        .all(|d| d.disk.is_some() && d.text.capacity() == 0));
    assert!(
        held_released + input * 9 / 10 < held,
        "{held_released} bytes held with the texts released, {held} with them"
    );
    fingerprint_is_streamed(&dir, &checker);
}

/// `collatio fingerprint` of many files writes each file's entry as it reads it: its peak is a
/// batch of documents, not the archive and its manifest (which holds every unit's normalized
/// text: 5× the input when built whole).
fn fingerprint_is_streamed(dir: &tempfile::TempDir, checker: &Checker) {
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).unwrap();
    let mut input = 0;
    for i in 0..320 {
        let text = copy_of(&chronicle(12 + i % 5));
        input += text.len();
        std::fs::write(archive.join(format!("{i:03}.txt")), text).unwrap();
    }
    let paths = [archive];
    let mut out = std::io::sink();
    let (written, peak) = peak_of(|| {
        let mut m = collatio::fingerprint::ManifestWriter::start(&mut out).unwrap();
        let mut n = 0;
        collatio::pipeline::for_each_document(&paths, &checker.read, &checker.kb, &mut |d| {
            m.file(&d.unwrap()).unwrap();
            n += 1;
        });
        m.finish().unwrap();
        n
    });
    eprintln!("fingerprint of {written} files, {input} B: peak {peak} B");
    assert_eq!(written, 320);
    // A batch of 64 files of the 320 (a fifth of the input) as documents: 0.6× measured.
    assert!(peak < input, "peak {peak} bytes for {input} bytes of input");
}
