//! Views of a collation: the readable `collate` apparatus and the TEI export (valid against the
//! TEI schema with `jing`, and each witness's text rebuilt from it).

mod common;

use collatio::engine::Checker;
use collatio::knowledge::Knowledge;
use common::*;
use std::path::Path;

fn collate(args: &[&str]) -> String {
    let mut a = vec!["collate", "--no-config"];
    a.extend_from_slice(args);
    let o = run(&a);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    stdout(&o)
}

/// Every variant of 001 against 000 is shown with context on both readings: `…left[reading]right…`.
#[test]
fn the_apparatus_shows_every_variant_in_context() {
    let out = collate(&[S000, S001]);
    let lines: Vec<&str> = out.lines().collect();
    let mut variants = 0;
    for (i, l) in lines.iter().enumerate() {
        let Some(rest) = l.strip_prefix("        →") else {
            continue;
        };
        variants += 1;
        for side in [lines[i - 1], rest] {
            let (left, tail) = side
                .split_once('[')
                .unwrap_or_else(|| panic!("no reading in {side}"));
            let (_, right) = tail.split_once(']').unwrap();
            let left = left.rsplit('…').next().unwrap_or_default();
            let right = right.split('…').next().unwrap_or_default();
            assert!(
                !left.trim().is_empty() || !right.trim().is_empty(),
                "no context: {side}"
            );
            assert!(side.trim_end().ends_with(')'), "no location: {side}");
        }
    }
    assert!(variants > 40, "{out}");
    // Grouped by date: the 29 March loop's entry under its heading, the missing heading said.
    let h29 = out.find("── 3月29日").expect("3月29日 heading");
    let h30 = out.find("── 3月30日").expect("3月30日 heading");
    assert!(h29 < h30);
    assert!(
        out[h30..]
            .lines()
            .next()
            .unwrap()
            .contains("no such heading"),
        "{out}"
    );
}

const REF: &str =
    "3月1日\n\n◆外交部发言人介绍有关情况，加强国际合作。\n\n◆卫生健康委通报全国疫情。\n";

#[test]
fn with_three_witnesses_each_place_lists_every_reading() {
    let dir = tempfile::tempdir().unwrap();
    let texts = [
        ("ref.txt", REF),
        (
            "a.txt",
            "3月1日\n\n◆外交部发言人介绍有关情况，加强实际合作。\n\n◆卫生健康委通报全国疫情。\n",
        ),
        (
            "b.txt",
            "3月1日\n\n◆外交部发言人介绍有关情况，加强国际合作。\n\n◆卫生健康委通报全国疫情。\n",
        ),
    ];
    for (n, t) in texts {
        std::fs::write(dir.path().join(n), t).unwrap();
    }
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let out = collate(&[&p("ref.txt"), &p("a.txt"), &p("b.txt")]);
    let table = &out[out.find("═══ readings at each place").expect(&out)..];
    let rows: Vec<&str> = table.lines().collect();
    let at = rows
        .iter()
        .position(|l| l.contains("[国]际合作"))
        .expect(table);
    assert!(
        rows[at + 1].contains("“国”") && rows[at + 1].contains("(reference)"),
        "{table}"
    );
    assert!(
        rows[at + 2].contains("a.txt") && rows[at + 2].contains("“实”"),
        "{table}"
    );
    assert!(
        rows[at + 3].contains("b.txt") && rows[at + 3].contains("same as the reference"),
        "{table}"
    );
}

fn jing_valid(xml: &Path) {
    let schema = root().join("tests/fixtures/tei_all.rng");
    let o = std::process::Command::new("jing")
        .arg(&schema)
        .arg(xml)
        .output()
        .expect("run jing (Debian package jing; .ci/run installs it)");
    assert!(
        o.status.success(),
        "{} is not valid TEI:\n{}",
        xml.display(),
        String::from_utf8_lossy(&o.stdout)
    );
}

/// A witness's text from the TEI: in each `<ab>`, the plain text and, in each `<app>`, the
/// reading whose `wit` names it; an `<ab>` that gives it nothing is a unit it lacks.
fn rebuild(doc: &roxmltree::Document, id: &str) -> String {
    fn text_of(n: roxmltree::Node, id: &str, out: &mut String) {
        for c in n.children() {
            if c.is_text() {
                out.push_str(c.text().unwrap_or_default());
            } else if c.has_tag_name("app") {
                let hit = c.children().find(|r| {
                    r.has_tag_name("rdg")
                        && r.attribute("wit")
                            .is_some_and(|w| w.split(' ').any(|x| x == id))
                });
                if let Some(r) = hit {
                    text_of(r, id, out);
                }
            }
        }
    }
    let target = format!("#{id}");
    let mut units = Vec::new();
    for ab in doc.descendants().filter(|n| n.has_tag_name("ab")) {
        let mut s = String::new();
        text_of(ab, &target, &mut s);
        if !s.is_empty() {
            units.push(s);
        }
    }
    units.join("\n")
}

fn tei_round_trip(files: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.xml");
    let mut args = files.to_vec();
    args.extend(["--format", "tei", "-o", out.to_str().unwrap()]);
    collate(&args);
    jing_valid(&out);
    let xml = std::fs::read_to_string(&out).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let checker = Checker::new(Knowledge::embedded());
    for (i, f) in files.iter().enumerate() {
        let d = checker
            .document(Path::new(f), &std::fs::read(root().join(f)).unwrap())
            .unwrap();
        let want = collatio::report::tei::normalized_text(&d);
        let got = rebuild(&doc, &format!("w{i}"));
        assert!(!want.is_empty());
        assert!(
            got == want,
            "{f}: the text rebuilt from the TEI differs (got {} chars, want {})",
            got.chars().count(),
            want.chars().count()
        );
    }
    // Readings carry the variant class; an omission is an empty reading.
    assert!(
        xml.contains("<rdg wit=\"#w1\" type=\""),
        "{}",
        &xml[..2000.min(xml.len())]
    );
}

#[test]
fn tei_of_001_against_000_is_valid_and_gives_both_texts_back() {
    tei_round_trip(&[S000, S001]);
}

#[test]
fn tei_of_the_three_seeds_is_valid_and_gives_every_text_back() {
    tei_round_trip(&[S000, S001, S002]);
}

#[test]
fn tei_keeps_markup_in_readings_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().join("r.txt");
    let w = dir.path().join("w.txt");
    std::fs::write(&r, REF).unwrap();
    let text = "3月1日\n\n◆外交部发言人<b>介绍</b>有关情况，加强国际合作&amp;交流]]>。\n\n◆卫生健康委通报全国疫情。\n";
    std::fs::write(&w, text).unwrap();
    let out = dir.path().join("c.xml");
    collate(&[
        r.to_str().unwrap(),
        w.to_str().unwrap(),
        "--format",
        "tei",
        "-o",
        out.to_str().unwrap(),
    ]);
    jing_valid(&out);
    let xml = std::fs::read_to_string(&out).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let got = rebuild(&doc, "w1");
    let want = collatio::report::tei::normalized_text(
        &Checker::new(Knowledge::embedded()).document_from_text("w.txt", text),
    );
    assert_eq!(got, want);
    assert!(got.contains("&amp;交流"), "{got}");
}
