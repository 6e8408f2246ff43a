//! Web archives as users keep them (issue 14): the seeds rendered as web pages, written into
//! WARC records (UTF-8, GBK, Big5), a second capture with an edit, a revisit, a wrong payload
//! digest, a truncated gzip member, and a WACZ of them — all made here, in a temporary folder.

mod common;

use common::warc::*;
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn seed(p: &str) -> String {
    std::fs::read_to_string(root().join(p)).unwrap()
}

/// A message without the line numbers it cites (a page's front matter is longer than the seed's).
fn without_lines(m: &str) -> String {
    let mut out = String::new();
    let mut rest = m;
    while let Some(i) = rest.find("line ") {
        out.push_str(&rest[..i + 5]);
        rest = rest[i + 5..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push('N');
    }
    out.push_str(rest);
    out
}

/// The content findings (all but provenance) of each file: `(rule, message)`, sorted; the
/// line numbers a message cites are left out.
fn content(findings: &[Value]) -> BTreeMap<String, Vec<(String, String)>> {
    let mut m: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for f in findings.iter().filter(|f| f["category"] != "provenance") {
        let file = f["file"].as_str().unwrap().to_string();
        m.entry(file).or_default().push((
            f["rule"].as_str().unwrap().into(),
            without_lines(f["message"].as_str().unwrap()),
        ));
    }
    for v in m.values_mut() {
        v.sort();
    }
    m
}

/// The content findings of a seed checked as its `.txt` file.
fn txt_findings(p: &str) -> Vec<(String, String)> {
    let (_, f) = check(&[p]);
    content(&f).remove(p).unwrap_or_default()
}

/// Replace the first `from` in the seed's text: the edit between two captures.
fn edited(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the seed has {from}");
    text.replacen(from, to, 1)
}

const SEEDS: [(&str, &str, &str); 3] = [
    (S000, "big5", "https://news.example.hk/article/28683"),
    (
        S001,
        "gbk",
        "http://www.paper.example.cn/2020-04/07/page7.html",
    ),
    (
        S002,
        "utf-8",
        "https://paper.example.cn/2020-06/08/page5.html",
    ),
];

/// The seeds as pages in three encodings, a later capture of the third with an edit (under
/// another spelling of its URL), a revisit of the first, a page with a wrong payload digest, a
/// request record, and a truncated member at the end. Returns the archive and the offset of
/// each record, in the order written.
fn snapshot() -> (Vec<u8>, Vec<u64>) {
    let mut file = Vec::new();
    let mut offsets = Vec::new();
    let mut add = |rec: Vec<u8>, file: &mut Vec<u8>| {
        offsets.push(file.len() as u64);
        file.extend_from_slice(&gz(&rec));
    };
    let mut digest0 = String::new();
    for (i, (p, enc, uri)) in SEEDS.iter().enumerate() {
        let body = encode(&render_page(&seed(p), enc), enc);
        if i == 0 {
            digest0 = sha1_b32(&body);
        }
        add(
            request(uri, "2024-01-05T10:00:00Z", &format!("req{i}")),
            &mut file,
        );
        add(
            response(
                uri,
                "2024-01-05T10:00:01Z",
                &format!("page{i}"),
                &body,
                enc,
                false,
            ),
            &mut file,
        );
    }
    let changed = edited(&seed(S002), "统筹安排19个省份", "统筹安排16个省份");
    let body = encode(&render_page(&changed, "utf-8"), "utf-8");
    add(
        response(
            "https://www.paper.example.cn/2020-06/08/page5.html/?utm_source=feed",
            "2024-03-01T09:00:00Z",
            "page2b",
            &body,
            "utf-8",
            false,
        ),
        &mut file,
    );
    add(
        revisit(
            SEEDS[0].2,
            "2024-02-01T00:00:00Z",
            "rev0",
            "page0",
            &digest0,
        ),
        &mut file,
    );
    let small = "---\ntitle: \"通告\"\n---\n\n# 通告\n\n本館開放時間調整，請留意。\n";
    let body = encode(&render_page(small, "utf-8"), "utf-8");
    add(
        response(
            "https://news.example.hk/notice",
            "2024-01-05T10:00:02Z",
            "bad",
            &body,
            "utf-8",
            true,
        ),
        &mut file,
    );
    let last = gz(&response(
        "https://news.example.hk/cut",
        "2024-01-05T10:00:03Z",
        "cut",
        &body,
        "utf-8",
        false,
    ));
    offsets.push(file.len() as u64);
    file.extend_from_slice(&last[..last.len() / 2]);
    (file, offsets)
}

/// Record offsets of `snapshot`, by name.
struct At {
    pages: [u64; 3],
    edited: u64,
    revisit: u64,
    bad_digest: u64,
    truncated: u64,
}

fn at(o: &[u64]) -> At {
    At {
        pages: [o[1], o[3], o[5]],
        edited: o[6],
        revisit: o[7],
        bad_digest: o[8],
        truncated: o[9],
    }
}

#[test]
fn seeds_as_html_give_the_txt_findings() {
    let dir = tempfile::tempdir().unwrap();
    for (p, _, _) in SEEDS {
        let html = dir
            .path()
            .join(Path::new(p).file_stem().unwrap())
            .with_extension("html");
        std::fs::write(&html, render_page(&seed(p), "utf-8")).unwrap();
        let (_, f) = check(&[html.to_str().unwrap()]);
        let got = content(&f)
            .remove(html.to_str().unwrap())
            .unwrap_or_default();
        let want = txt_findings(p);
        assert!(!want.is_empty());
        assert_eq!(got, want, "{p} as HTML");
    }
}

#[test]
fn warc_captures_give_the_txt_findings_the_edit_and_the_bad_records() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, offsets) = snapshot();
    let a = at(&offsets);
    let warc = dir.path().join("snap.warc.gz");
    std::fs::write(&warc, &bytes).unwrap();
    let w = warc.to_str().unwrap();
    let o = check_output(&[w]);
    let f = jsonl(&o);
    let by_file = content(&f);
    let name = |off: u64| format!("{w}#{off}");
    // The same content findings as the seed files, whatever the page's encoding.
    for (i, (p, _, _)) in SEEDS.iter().enumerate() {
        let got = by_file.get(&name(a.pages[i])).cloned().unwrap_or_default();
        let want = txt_findings(p);
        let extra: Vec<_> = got.iter().filter(|x| !want.contains(x)).collect();
        assert!(
            want.iter().all(|x| got.contains(x)),
            "{p}: missing {:?}",
            want.iter().filter(|x| !got.contains(x)).collect::<Vec<_>>()
        );
        assert!(extra.is_empty(), "{p}: extra {extra:?}");
    }
    // The edit between the two captures of one page: found on the later one, against the earlier.
    let later: Vec<&Value> = f.iter().filter(|x| x["file"] == name(a.edited)).collect();
    let edit: Vec<&&Value> = later
        .iter()
        .filter(|x| x["witness"] == name(a.pages[2]))
        .collect();
    assert_eq!(edit.len(), 1, "{later:#?}");
    assert_eq!(edit[0]["rule"], "altered-event/number");
    assert!(
        edit[0]["message"].as_str().unwrap().contains("“9”"),
        "{edit:#?}"
    );
    // The revisit is the first page again: no difference from it.
    assert!(
        f.iter()
            .all(|x| x["file"] != name(a.revisit) || x["witness"].is_null()),
        "{f:#?}"
    );
    // The wrong digest: one finding naming the record.
    let pv: Vec<&Value> = f.iter().filter(|x| x["code"] == "PV010").collect();
    assert_eq!(pv.len(), 1, "{pv:#?}");
    assert_eq!(pv[0]["file"], name(a.bad_digest));
    assert!(pv[0]["message"].as_str().unwrap().contains("urn:uuid:bad"));
    // JSONL names the record of every finding in a capture.
    let r = &pv[0]["record"];
    assert_eq!(r["offset"], a.bad_digest);
    assert_eq!(r["uri"], "https://news.example.hk/notice");
    assert_eq!(r["captured"], "2024-01-05T10:00:02Z");
    assert_eq!(r["id"], "<urn:uuid:bad>");
    assert!(
        f.iter().all(|x| x["record"]["archive"] == w),
        "every finding is in a record"
    );
    // Chrome is not text: no finding quotes it.
    for x in &f {
        for c in CHROME_WORDS {
            assert!(!x.to_string().contains(c), "chrome {c} in {x}");
        }
    }
    // The truncated member: an error naming the file and the byte offset; the rest was checked.
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains(&format!("at byte {}", a.truncated)), "{err}");
    assert!(err.contains("damaged gzip member"), "{err}");
}

#[test]
fn extract_writes_the_text_the_findings_point_into() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, offsets) = snapshot();
    let a = at(&offsets);
    let warc = dir.path().join("snap.warc.gz");
    std::fs::write(&warc, &bytes).unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "extract",
        warc.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let text =
        |off: u64| std::fs::read_to_string(out.join(format!("snap.warc.gz#{off}.txt"))).unwrap();
    let first = text(a.pages[0]);
    assert!(
        first.contains("original_url: \"https://news.example.hk/article/28683\""),
        "{first}"
    );
    assert!(first.contains("charset: \"Big5\""), "{first}");
    assert!(
        first.contains("captured: \"2024-01-05T10:00:01Z\""),
        "{first}"
    );
    for c in CHROME_WORDS {
        assert!(!first.contains(c), "{c} in the extracted text");
    }
    let rev = text(a.revisit);
    assert!(rev.contains("revisit_of: \"<urn:uuid:page0>\""), "{rev}");
    // Every finding's line in the archive is the same line of the extracted file.
    let (_, from_archive) = check(&[warc.to_str().unwrap()]);
    let (_, from_files) = check(&[out.to_str().unwrap()]);
    let lines = |v: &[Value], file_of: &dyn Fn(&str) -> String| {
        let mut l: Vec<(String, u64, String)> = v
            .iter()
            .filter(|x| x["witness"].is_null())
            .map(|x| {
                (
                    file_of(x["file"].as_str().unwrap()),
                    x["line"].as_u64().unwrap(),
                    x["rule"].to_string(),
                )
            })
            .collect();
        l.sort();
        l
    };
    let base = |s: &str| {
        s.rsplit('/')
            .next()
            .unwrap()
            .trim_end_matches(".txt")
            .to_string()
    };
    assert_eq!(lines(&from_archive, &base), lines(&from_files, &base));
}

#[test]
fn two_snapshots_report_what_changed_on_each_page() {
    let dir = tempfile::tempdir().unwrap();
    let (p, _, uri) = SEEDS[1];
    let old = encode(&render_page(&seed(p), "gbk"), "gbk");
    let changed = edited(&seed(p), "3月7日", "3月8日");
    let new = encode(&render_page(&changed, "gbk"), "gbk");
    let o = dir.path().join("OLD.warc.gz");
    let n = dir.path().join("NEW.warc");
    std::fs::write(
        &o,
        gz(&response(
            uri,
            "2024-01-01T00:00:00Z",
            "o",
            &old,
            "gbk",
            false,
        )),
    )
    .unwrap();
    // The newer snapshot uncompressed: both forms are read.
    std::fs::write(
        &n,
        response(uri, "2024-06-01T00:00:00Z", "n", &new, "gbk", false),
    )
    .unwrap();
    let (_, f) = check(&[o.to_str().unwrap(), n.to_str().unwrap()]);
    let changed: Vec<&Value> = f
        .iter()
        .filter(|x| x["file"].as_str().unwrap().contains("NEW.warc#0") && !x["witness"].is_null())
        .collect();
    assert!(!changed.is_empty(), "{f:#?}");
    assert!(
        changed
            .iter()
            .any(|x| x.to_string().contains("3月8日") || x.to_string().contains("8日")),
        "{changed:#?}"
    );
    // The earlier snapshot is the reference: nothing is reported against it.
    assert!(f
        .iter()
        .filter(|x| x["file"].as_str().unwrap().contains("OLD"))
        .all(|x| x["witness"].is_null()));
}

#[test]
fn wacz_gives_the_warc_findings_and_a_tampered_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, offsets) = snapshot();
    let a = at(&offsets);
    let pages: Vec<(&str, &str)> = SEEDS.iter().map(|s| (s.2, "紀事")).collect();
    let pkg = dir.path().join("snap.wacz");
    std::fs::write(&pkg, wacz(&[("snap.warc.gz", bytes.clone())], &pages, None)).unwrap();
    let p = pkg.to_str().unwrap();
    let o = check_output(&[p]);
    let f = jsonl(&o);
    let by_file = content(&f);
    for (i, (s, _, _)) in SEEDS.iter().enumerate() {
        let got = by_file
            .get(&format!("{p}!archive/snap.warc.gz#{}", a.pages[i]))
            .cloned()
            .unwrap_or_default();
        assert_eq!(got, txt_findings(s), "{s} in the WACZ");
    }
    assert_eq!(f.iter().filter(|x| x["code"] == "PV010").count(), 1);
    assert!(
        stderr(&o).contains(&format!("at byte {}", a.truncated)),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("datapackage"), "{}", stderr(&o));
    std::fs::write(
        &pkg,
        wacz(&[("snap.warc.gz", bytes)], &pages, Some("snap.warc.gz")),
    )
    .unwrap();
    let o = check_output(&[p]);
    let err = stderr(&o);
    assert!(
        err.contains("archive/snap.warc.gz:") && err.contains("datapackage.json gives"),
        "{err}"
    );
}

#[test]
fn binaries_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, what) in [
        (
            "report.pdf",
            &b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"[..],
            "PDF document",
        ),
        (
            "scan.png",
            &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..],
            "PNG image",
        ),
        ("notes.gz", &gz(b"not a warc")[..], "gzip file that is"),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let o = check_output(&[p.to_str().unwrap()]);
        assert_eq!(code(&o), 2);
        assert!(stderr(&o).contains(what), "{name}: {}", stderr(&o));
        assert!(jsonl(&o).is_empty());
    }
}

/// The extracted text of an HTML file, as `collatio extract` writes it.
fn extracted(html: &Path, dir: &Path) -> String {
    let out = dir.join("extracted");
    let o = run(&[
        "extract",
        html.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(code(&o) < 2, "{}", stderr(&o));
    let f = std::fs::read_dir(&out).unwrap().next().unwrap().unwrap();
    std::fs::read_to_string(f.path()).unwrap()
}

#[test]
fn findings_on_an_html_file_name_its_source_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut seen = 0;
    for (p, _, _) in SEEDS {
        let html = dir
            .path()
            .join(Path::new(p).file_stem().unwrap())
            .with_extension("html");
        let source = render_page(&seed(p), "utf-8");
        std::fs::write(&html, &source).unwrap();
        let text = extracted(&html, dir.path());
        let _ = std::fs::remove_dir_all(dir.path().join("extracted"));
        let src_lines: Vec<&str> = source.lines().collect();
        let (_, f) = check(&[html.to_str().unwrap()]);
        let mut locations: Vec<&Value> = f.iter().collect();
        for r in f.iter().flat_map(|f| f["related"].as_array().unwrap()) {
            if r["location"].is_object() && r["location"]["file"] == html.to_str().unwrap() {
                locations.push(&r["location"]);
            }
        }
        for l in locations {
            let (s, e) = (
                l["start"].as_u64().unwrap() as usize,
                l["end"].as_u64().unwrap() as usize,
            );
            let excerpt: String = text[s..e]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .collect();
            if excerpt.is_empty() {
                continue;
            }
            let line = src_lines[l["line"].as_u64().unwrap() as usize - 1];
            let col = l["column"].as_u64().unwrap() as usize;
            let at: String = line.chars().skip(col - 1).collect();
            assert!(
                at.starts_with(&excerpt),
                "{p}: “{excerpt}” at {}:{col} in the HTML source: {line}",
                l["line"]
            );
            seen += 1;
        }
    }
    assert!(seen > 3, "{seen} locations checked");
}

/// An index entry that misses its record is a finding (PV011), in a CDXJ index and in a
/// classic CDX one (read by its header).
#[test]
fn a_wacz_index_entry_that_misses_its_record_is_a_finding() {
    index_entries_are_checked("index.cdxj", "", cdxj_line);
    index_entries_are_checked("index.cdx", CDX_HEADER, cdx_line);
}

/// The index `name` (`header`, then lines written by `line`): right entries give no PV011,
/// a wrong offset and a wrong digest one each, an entry for a URL not captured an error.
fn index_entries_are_checked(name: &str, header: &str, line: fn(&str, u64, &str, &str) -> String) {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, offsets) = snapshot();
    let a = at(&offsets);
    let pages: Vec<(&str, &str)> = SEEDS.iter().map(|s| (s.2, "紀事")).collect();
    let digest = |p: &str, enc: &str| sha1_b32(&encode(&render_page(&seed(p), enc), enc));
    let right: String = SEEDS
        .iter()
        .enumerate()
        .map(|(i, (p, enc, uri))| line(uri, a.pages[i], &digest(p, enc), "snap.warc.gz"))
        .collect();
    let pkg = dir.path().join("snap.wacz");
    let p = pkg.to_str().unwrap();
    let pv011 = |index: &str| {
        let text = format!("{header}{index}");
        std::fs::write(
            &pkg,
            wacz_with_index(
                &[("snap.warc.gz", bytes.clone())],
                &pages,
                None,
                Some((name, &text)),
            ),
        )
        .unwrap();
        let o = check_output(&[p]);
        let f = jsonl(&o);
        let hits: Vec<(String, String)> = f
            .iter()
            .filter(|x| x["code"] == "PV011")
            .map(|x| {
                (
                    x["file"].as_str().unwrap().to_string(),
                    x["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        (hits, stderr(&o))
    };
    let (hits, _) = pv011(&right);
    assert!(hits.is_empty(), "{name}: {hits:?}");
    // The second page's entry gives the first page's offset; the third page's another digest.
    let (u1, u2) = (SEEDS[1].2, SEEDS[2].2);
    let wrong = format!(
        "{}{}{}",
        line(
            SEEDS[0].2,
            a.pages[0],
            &digest(SEEDS[0].0, SEEDS[0].1),
            "snap.warc.gz"
        ),
        line(
            u1,
            a.pages[0],
            &digest(SEEDS[1].0, SEEDS[1].1),
            "snap.warc.gz"
        ),
        line(
            u2,
            a.pages[2],
            "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "snap.warc.gz"
        ),
    );
    let (hits, _) = pv011(&wrong);
    assert_eq!(hits.len(), 2, "{name}: {hits:?}");
    let on = |i: usize| {
        hits.iter()
            .find(|h| h.0 == format!("{p}!archive/snap.warc.gz#{}", a.pages[i]))
            .unwrap_or_else(|| panic!("no PV011 on page {i}: {hits:?}"))
            .1
            .clone()
    };
    assert!(on(1).contains(&format!("byte {}", a.pages[0])), "{}", on(1));
    assert!(on(2).contains("AAAAAAAA"), "{}", on(2));
    // An entry for a URL the package does not capture is an error of the package.
    let (_, err) = pv011(&line(
        "https://nowhere.example/x",
        7,
        "sha1:B",
        "snap.warc.gz",
    ));
    assert!(
        err.contains("no record of the package captures it"),
        "{err}"
    );
}

/// `check --against REF FOLDER` collates the folder's text files with REF, and a web-archive
/// capture in it with the other captures of its URL only: the same whether the folder is named
/// relative or absolute (it once depended on that), and as the Spark job does.
#[test]
fn against_a_reference_leaves_captures_to_their_url_group() {
    let dir = tempfile::tempdir().unwrap();
    let (p, _, uri) = SEEDS[1];
    let sub = dir.path().join("crawl");
    std::fs::create_dir(&sub).unwrap();
    let captured = edited(&seed(p), "3月7日", "3月9日");
    let page = encode(&render_page(&captured, "utf-8"), "utf-8");
    let warc = response(uri, "2024-01-01T00:00:00Z", "a", &page, "utf-8", false);
    std::fs::write(sub.join("a.warc.gz"), gz(&warc)).unwrap();
    std::fs::write(sub.join("w.txt"), edited(&seed(p), "3月7日", "3月8日")).unwrap();
    std::fs::write(dir.path().join("ref.txt"), seed(p)).unwrap();
    let abs = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let against = |r: &str, folder: &str| {
        let args = [
            "check",
            "--no-config",
            "--format",
            "jsonl",
            "--against",
            r,
            folder,
        ];
        run_in(dir.path(), &args)
    };
    let runs = [
        against("ref.txt", "crawl"),
        against(&abs("ref.txt"), &abs("crawl")),
    ];
    for o in &runs {
        let f = jsonl(o);
        let collated = |name: &str| {
            f.iter()
                .filter(|x| x["file"].as_str().unwrap().contains(name) && !x["witness"].is_null())
                .count()
        };
        assert!(
            collated("w.txt") > 0,
            "the text witness is collated: {f:#?}"
        );
        assert_eq!(collated("a.warc.gz#"), 0, "{f:#?}");
    }
}
