//! `--format html`: one self-contained page (inline CSS and JavaScript, no network fetches) with a
//! summary, the reference and each witness side by side unit by unit, every finding at its place,
//! filters, a jump list and keyboard navigation.
//!
//! Archive text never becomes markup: the rows and findings travel as JSON inside
//! `<script type="application/json">` blocks (with `<`, `>` and `&` escaped, so no text can close
//! the block) and the script puts them on the page with `textContent` only. The summary is
//! rendered here, through [`esc`]. Rows come in chunks of [`CHUNK`], each its own block, parsed
//! only when its page is shown: a report of a 100 MB collation opens without building a DOM of
//! the whole archive.

use super::readings::{self, Row};
use super::ReportInput;
use crate::collate::Collation;
use crate::finding::{Category, Finding, Severity};
use crate::knowledge::Knowledge;
use crate::model::Document;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};

/// Rows per page (and per JSON block).
pub const CHUNK: usize = 400;

const CSS: &str = include_str!("html.css");
const JS: &str = include_str!("html.js");

/// One reference–witness pair shown side by side.
pub struct GroupView<'a> {
    /// The reference.
    pub reference: &'a Document,
    /// The witness.
    pub witness: &'a Document,
    /// The witness collated against the reference.
    pub collation: Collation,
}

/// The HTML report of a `check` run: the witness pairs are those the collation findings name
/// (a finding's `witness` is its reference), collated again here for the side-by-side view.
pub fn write(input: &ReportInput<'_>, w: &mut dyn Write) -> io::Result<()> {
    let embedded;
    let kb = match input.kb {
        Some(k) => k,
        None => {
            embedded = Knowledge::embedded();
            &embedded
        }
    };
    let mut seen = Vec::new();
    let mut known = std::collections::HashSet::new();
    for f in input.findings {
        let Some(r) = f.witness.as_deref() else {
            continue;
        };
        let key = (r, f.location.file.as_str());
        if known.insert(key) {
            seen.push(key);
        }
    }
    let groups: Vec<GroupView> = seen
        .into_iter()
        .filter_map(|(r, wname)| {
            let (rd, wd) = (input.docs.get(r)?, input.docs.get(wname)?);
            (!rd.units.is_empty() && !wd.units.is_empty()).then(|| GroupView {
                reference: rd,
                witness: wd,
                collation: crate::collate::collate(rd, wd, kb),
            })
        })
        .collect();
    write_groups(input, &groups, w)
}

/// The HTML report of `input` with `groups` side by side.
pub fn write_groups(
    input: &ReportInput<'_>,
    groups: &[GroupView<'_>],
    w: &mut dyn Write,
) -> io::Result<()> {
    let views: Vec<Vec<Row>> = groups
        .iter()
        .map(|g| readings::rows(g.reference, g.witness, &g.collation))
        .collect();
    let places = place_findings(input.findings, groups, &views);
    head(input, w)?;
    summary(input, groups, w)?;
    controls(w)?;
    for (gi, g) in groups.iter().enumerate() {
        group_section(gi, g, &views[gi], &places, input.findings, w)?;
    }
    data_block(input, &places, w)?;
    write!(w, "<script>{JS}</script>\n</body>\n</html>\n")
}

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if crate::util::is_unsafe_char(c) => o.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => o.push(c),
        }
    }
    o
}

/// JSON for a `<script type="application/json">` block: `<`, `>`, `&` escaped inside strings
/// (they occur nowhere else in JSON), so `</script>` or `<!--` in an archive cannot end it.
fn json_block<T: Serialize>(v: &T) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn head(input: &ReportInput<'_>, w: &mut dyn Write) -> io::Result<()> {
    let (e, wn, n) = ReportInput::counts(input.new_findings());
    write!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
<title>collatio report: {e} errors, {wn} warnings, {n} notes</title>\n<style>{CSS}</style>\n</head>\n<body data-chunk=\"{CHUNK}\">\n\
<header><h1>collatio report</h1><p class=\"hint\">Keys: <kbd>j</kbd>/<kbd>n</kbd> next finding, <kbd>k</kbd>/<kbd>p</kbd> previous. Severity: <span class=\"sev sev-error\">✖ error</span> <span class=\"sev sev-warning\">▲ warning</span> <span class=\"sev sev-note\">● note</span></p></header>\n"
    )
}

fn symbol(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✖",
        Severity::Warning => "▲",
        Severity::Note => "●",
    }
}

fn summary(input: &ReportInput<'_>, groups: &[GroupView<'_>], w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "<section id=\"summary\"><h2>Summary</h2><p>{}</p>",
        esc(&input.summary_line())
    )?;
    counts_table(input, w)?;
    if input.baseline_used {
        writeln!(
            w,
            "<p class=\"baseline\">Baseline: {} finding{} new, {} accepted by the baseline, {} baseline entr{} no longer found (fixed).</p>",
            input.new_findings().count(),
            super::plural(input.new_findings().count()),
            input.baselined,
            input.absent.len(),
            if input.absent.len() == 1 { "y" } else { "ies" }
        )?;
    }
    for e in input.errors {
        writeln!(w, "<p class=\"error\">{}</p>", esc(e))?;
    }
    witnesses_table(input, groups, w)?;
    writeln!(w, "</section>")
}

fn counts_table(input: &ReportInput<'_>, w: &mut dyn Write) -> io::Result<()> {
    let mut by: HashMap<(Category, Severity), usize> = HashMap::new();
    for f in input.findings {
        *by.entry((f.category, f.severity)).or_default() += 1;
    }
    let sevs = [Severity::Error, Severity::Warning, Severity::Note];
    write!(
        w,
        "<table class=\"counts\"><thead><tr><th scope=\"col\">category</th>"
    )?;
    for s in sevs {
        write!(
            w,
            "<th scope=\"col\"><span class=\"sev sev-{0}\">{1} {0}</span></th>",
            s.as_str(),
            symbol(s)
        )?;
    }
    write!(w, "</tr></thead><tbody>")?;
    for c in Category::ALL {
        if !sevs.iter().any(|&s| by.contains_key(&(c, s))) {
            continue;
        }
        write!(w, "<tr><th scope=\"row\">{}</th>", c.as_str())?;
        for s in sevs {
            write!(w, "<td>{}</td>", by.get(&(c, s)).copied().unwrap_or(0))?;
        }
        write!(w, "</tr>")?;
    }
    writeln!(w, "</tbody></table>")
}

/// A capture time from a web-archive address (`…/web/20210712041756/…`), as `2021-07-12 04:17:56`.
fn capture_time(url: &str) -> Option<String> {
    let at = url.find("/web/")? + 5;
    let d: String = url[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (d.len() == 14).then(|| {
        format!(
            "{}-{}-{} {}:{}:{}",
            &d[0..4],
            &d[4..6],
            &d[6..8],
            &d[8..10],
            &d[10..12],
            &d[12..14]
        )
    })
}

/// `%E6%AD%A6` → `武`: an address as a reader would type it (invalid UTF-8 shown as U+FFFD).
fn percent_decoded(url: &str) -> String {
    let b = url.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).and_then(|&c| hex(c)),
            b.get(i + 2).and_then(|&c| hex(c)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn role(d: &Document, groups: &[GroupView<'_>]) -> &'static str {
    if groups.iter().any(|g| std::ptr::eq(g.reference, d)) {
        "reference"
    } else if groups.iter().any(|g| std::ptr::eq(g.witness, d)) {
        "witness"
    } else {
        "checked"
    }
}

fn witnesses_table(
    input: &ReportInput<'_>,
    groups: &[GroupView<'_>],
    w: &mut dyn Write,
) -> io::Result<()> {
    let mut docs: Vec<&Document> = input.docs.values().copied().collect();
    docs.sort_by(|a, b| a.display.cmp(&b.display));
    writeln!(
        w,
        "<div class=\"scroll\"><table class=\"witnesses\"><thead><tr><th>file</th><th>role</th><th>source</th><th>date</th><th>captured</th><th>encoding</th><th>sha256</th></tr></thead><tbody>"
    )?;
    for d in docs {
        let p = &d.provenance;
        let url = p.field("original_url").or(p.field("url")).unwrap_or("");
        let captured = p
            .field("url")
            .and_then(capture_time)
            .or_else(|| p.field("captured").map(str::to_string))
            .unwrap_or_default();
        // Shown decoded (a percent-encoded CJK address is unreadable), linked as written.
        let link = if url.starts_with("http://") || url.starts_with("https://") {
            format!(
                "<a href=\"{}\" title=\"{1}\" rel=\"noreferrer noopener\">{1}</a>",
                esc(url),
                esc(&percent_decoded(url))
            )
        } else {
            esc(url)
        };
        writeln!(
            w,
            "<tr><td data-label=\"file\">{}</td><td data-label=\"role\">{}</td><td data-label=\"source\" class=\"url\">{link}</td><td data-label=\"date\">{}</td><td data-label=\"captured\">{}</td><td data-label=\"encoding\">{}{}</td><td data-label=\"sha256\" class=\"hash\">{}</td></tr>",
            esc(&d.display),
            role(d, groups),
            esc(p.field("date").unwrap_or("")),
            esc(&captured),
            esc(&p.encoding),
            if p.bom { " (BOM)" } else { "" },
            if p.sha256.is_empty() { "not computed by check (see collatio fingerprint)".into() } else { esc(&p.sha256) }
        )?;
    }
    writeln!(w, "</tbody></table></div>")
}

fn controls(w: &mut dyn Write) -> io::Result<()> {
    write!(
        w,
        "<nav id=\"controls\" aria-label=\"filters\"><fieldset><legend>Severity</legend>"
    )?;
    for s in [Severity::Error, Severity::Warning, Severity::Note] {
        write!(
            w,
            "<label><input type=\"checkbox\" checked data-sev=\"{0}\"> <span class=\"sev sev-{0}\">{1} {0}</span></label>",
            s.as_str(),
            symbol(s)
        )?;
    }
    write!(w, "</fieldset><fieldset><legend>Category</legend>")?;
    for c in Category::ALL {
        write!(
            w,
            "<label><input type=\"checkbox\" checked data-cat=\"{0}\"> {0}</label>",
            c.as_str()
        )?;
    }
    writeln!(
        w,
        "</fieldset></nav>\n<section id=\"jump\"><h2>Findings <span id=\"jump-count\"></span></h2><ol id=\"jump-list\"></ol><button type=\"button\" id=\"jump-more\" hidden>show more</button></section>"
    )
}

/// Where each finding is shown: (group, row), or nowhere (the list of other findings).
type Places = Vec<Option<(usize, usize)>>;

fn place_findings(findings: &[Finding], groups: &[GroupView<'_>], views: &[Vec<Row>]) -> Places {
    let mut out: Places = vec![None; findings.len()];
    for (gi, (g, rows)) in groups.iter().zip(views).enumerate() {
        let idx = RowIndex::new(g, rows);
        for (fi, f) in findings.iter().enumerate() {
            if out[fi].is_some() {
                continue;
            }
            out[fi] = idx.place(g, f).map(|r| (gi, r));
        }
    }
    out
}

/// Byte starts of the units each row shows, per side, to find the row a finding falls in.
struct RowIndex {
    refs: Vec<(usize, usize)>,
    wits: Vec<(usize, usize)>,
    sections: HashMap<usize, usize>,
}

impl RowIndex {
    fn new(g: &GroupView<'_>, rows: &[Row]) -> RowIndex {
        let (rd, wd, c) = (g.reference, g.witness, &g.collation);
        let mut ix = RowIndex {
            refs: Vec::new(),
            wits: Vec::new(),
            sections: HashMap::new(),
        };
        for (i, row) in rows.iter().enumerate() {
            let (r, w) = match *row {
                Row::Section { r, w } => {
                    ix.sections.insert(rd.units[r].span.start, i);
                    (Some(r), w)
                }
                Row::Pair(k) => (Some(c.pairs[k].r), Some(c.pairs[k].w)),
                Row::Dropped(r) => (Some(r), None),
                Row::Inserted(u) => (None, Some(u)),
            };
            if let Some(r) = r {
                ix.refs.push((rd.units[r].span.start, i));
            }
            if let Some(u) = w {
                ix.wits.push((wd.units[u].span.start, i));
            }
        }
        // Moved pairs break the order: sort by byte.
        ix.refs.sort_unstable();
        ix.wits.sort_unstable();
        ix
    }

    fn place(&self, g: &GroupView<'_>, f: &Finding) -> Option<usize> {
        // A finding about a heading (a missing one) goes to that heading's section row.
        for rel in &f.related {
            if let Some(l) = &rel.location {
                if l.file == g.reference.display {
                    if let Some(&row) = self.sections.get(&l.start) {
                        return Some(row);
                    }
                }
            }
        }
        let side = if f.location.file == g.witness.display {
            &self.wits
        } else if f.location.file == g.reference.display {
            &self.refs
        } else {
            return None;
        };
        let at = side.partition_point(|&(b, _)| b <= f.location.start);
        (at > 0).then(|| side[at - 1].1)
    }
}

fn script_lang(d: &Document) -> &'static str {
    match d.provenance.script {
        Some(crate::script::Script::Traditional) => "zh-Hant",
        Some(crate::script::Script::Simplified) => "zh-Hans",
        _ => "zh",
    }
}

fn group_section(
    gi: usize,
    g: &GroupView<'_>,
    rows: &[Row],
    places: &Places,
    findings: &[Finding],
    w: &mut dyn Write,
) -> io::Result<()> {
    let c = &g.collation;
    let mut at_row: HashMap<usize, Vec<usize>> = HashMap::new();
    for (fi, p) in places.iter().enumerate() {
        if let Some((pg, r)) = *p {
            if pg == gi {
                at_row.entry(r).or_default().push(fi);
            }
        }
    }
    let changed = c
        .pairs
        .iter()
        .filter(|p| p.variants.iter().any(|v| !v.kind.ignored()))
        .count();
    writeln!(
        w,
        "<section class=\"group\" id=\"g{gi}\" data-group=\"{gi}\" data-rows=\"{}\" data-ref-lang=\"{}\" data-wit-lang=\"{}\"><h2>{} <span class=\"vs\">against</span> {} <span class=\"vs\">(reference)</span></h2>\
<p class=\"hint\">{} units aligned ({changed} with variants), {} dropped, {} inserted, {} moved. Rows over the stretch of the reference the witness covers.</p>\
<div class=\"pager\" hidden></div><div class=\"scroll\"><table class=\"sbs\"><thead><tr><th class=\"ln\">line</th><th>{}</th><th class=\"ln\">line</th><th>{}</th></tr></thead><tbody></tbody></table></div><div class=\"pager\" hidden></div>",
        rows.len(),
        script_lang(g.reference),
        script_lang(g.witness),
        esc(&g.witness.display),
        esc(&g.reference.display),
        c.pairs.len(),
        c.dropped.len(),
        c.inserted.len(),
        c.pairs.iter().filter(|p| p.moved).count(),
        esc(&g.reference.display),
        esc(&g.witness.display),
    )?;
    for (ci, chunk) in rows.chunks(CHUNK).enumerate() {
        let js: Vec<RowJ> = chunk
            .iter()
            .enumerate()
            .map(|(k, row)| {
                let i = ci * CHUNK + k;
                row_json(
                    g,
                    *row,
                    at_row.get(&i).cloned().unwrap_or_default(),
                    findings,
                )
            })
            .collect();
        writeln!(
            w,
            "<script type=\"application/json\" id=\"g{gi}c{ci}\">{}</script>",
            json_block(&js)
        )?;
    }
    writeln!(w, "</section>")
}

/// One row as the script reads it.
#[derive(Serialize)]
struct RowJ {
    /// `sec`, `pair`, `moved`, `drop`, `ins`.
    k: &'static str,
    /// Reference and witness line numbers.
    rl: Option<usize>,
    wl: Option<usize>,
    /// Text pieces `[text, classes]` of each side.
    r: Vec<(String, String)>,
    w: Vec<(String, String)>,
    /// Findings shown on this row.
    f: Vec<usize>,
}

/// A mark on a unit's raw text: byte range and class letters (`c` changed, `d` only in the
/// reference, `i` only in the witness, `m` minor: punctuation or script, `x` a finding's span).
type Mark = (usize, usize, &'static str);

fn row_json(g: &GroupView<'_>, row: Row, f: Vec<usize>, findings: &[Finding]) -> RowJ {
    let (rd, wd, c) = (g.reference, g.witness, &g.collation);
    let line = |d: &Document, u: usize| Some(d.line_col(d.units[u].span.start).0);
    let spans_in = |d: &Document, u: usize| finding_marks(d, u, &f, findings);
    let (k, r, w) = match row {
        Row::Section { r, w } => ("sec", Some(r), w),
        Row::Pair(p) => {
            let p = &c.pairs[p];
            let k = if p.moved { "moved" } else { "pair" };
            let (mut mr, mut mw) = (spans_in(rd, p.r), spans_in(wd, p.w));
            for v in &p.variants {
                let (cr, cw) = variant_classes(v);
                mr.push((v.ref_span.0, v.ref_span.1, cr));
                mw.push((v.wit_span.0, v.wit_span.1, cw));
            }
            return RowJ {
                k,
                rl: line(rd, p.r),
                wl: line(wd, p.w),
                r: pieces(rd, p.r, &mr),
                w: pieces(wd, p.w, &mw),
                f,
            };
        }
        Row::Dropped(r) => ("drop", Some(r), None),
        Row::Inserted(u) => ("ins", None, Some(u)),
    };
    RowJ {
        k,
        rl: r.and_then(|u| line(rd, u)),
        wl: w.and_then(|u| line(wd, u)),
        r: r.map_or_else(Vec::new, |u| pieces(rd, u, &spans_in(rd, u))),
        w: w.map_or_else(Vec::new, |u| pieces(wd, u, &spans_in(wd, u))),
        f,
    }
}

fn variant_classes(v: &crate::collate::Variant) -> (&'static str, &'static str) {
    if v.kind.ignored() {
        ("m", "m")
    } else if v.wit_norm.is_empty() {
        ("d", "d")
    } else if v.ref_norm.is_empty() {
        ("i", "i")
    } else {
        ("c", "c")
    }
}

/// The spans of this row's findings that fall inside unit `u` of `d`.
fn finding_marks(d: &Document, u: usize, fs: &[usize], findings: &[Finding]) -> Vec<Mark> {
    let span = &d.units[u].span;
    fs.iter()
        .map(|&i| &findings[i].location)
        .filter(|l| l.file == d.display && l.start < span.end && l.end > span.start)
        .map(|l| (l.start, l.end, "x"))
        .collect()
}

/// The unit's raw text cut into pieces at every mark edge, each piece with the classes of the
/// marks over it; an empty mark (an insertion point) is an empty piece. Line breaks are dropped.
fn pieces(d: &Document, u: usize, marks: &[Mark]) -> Vec<(String, String)> {
    let span = d.units[u].span.clone();
    let clamp = |x: usize| x.clamp(span.start, span.end);
    let mut cuts: Vec<usize> = vec![span.start, span.end];
    for &(s, e, _) in marks {
        cuts.push(clamp(s));
        cuts.push(clamp(e));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<(String, String)> = Vec::new();
    for win in cuts.windows(2) {
        let (s, e) = (win[0], win[1]);
        for &(ms, me, cls) in marks {
            if ms == me && clamp(ms) == s {
                out.push((String::new(), format!("{cls} p")));
            }
        }
        let mut cls: Vec<&str> = marks
            .iter()
            .filter(|&&(ms, me, _)| ms < e && me > s)
            .map(|m| m.2)
            .collect();
        cls.sort_unstable();
        cls.dedup();
        let text = readings::flat(d, s..e);
        if !text.is_empty() {
            out.push((text, cls.join(" ")));
        }
    }
    if let Some(&(ms, _, cls)) = marks.iter().find(|m| m.0 == m.1 && clamp(m.0) == span.end) {
        let _ = ms;
        out.push((String::new(), format!("{cls} p")));
    }
    out
}

/// A finding as the script reads it.
#[derive(Serialize)]
struct FindingJ<'a> {
    s: &'static str,
    c: &'static str,
    code: &'a str,
    rule: &'a str,
    file: &'a str,
    href: String,
    l: usize,
    col: usize,
    m: &'a str,
    h: Option<&'a str>,
    rel: Vec<String>,
    w: Option<&'a str>,
    b: Option<&'a str>,
    /// Group and row it is shown on.
    g: Option<(usize, usize)>,
    /// For a finding shown on no row: its line, cut around it, as (before, span, after).
    x: Option<(String, String, String)>,
}

/// Characters of the line shown either side of a finding that is on no row.
const LINE_CONTEXT: usize = 40;

/// The finding's line around its span (line breaks of a longer span dropped), when the
/// document's text is at hand.
fn line_context(input: &ReportInput<'_>, f: &Finding) -> Option<(String, String, String)> {
    let d = input.docs.get(f.location.file.as_str())?;
    if d.text_len() == 0 {
        return None;
    }
    let line = d.line_range(f.location.line);
    let s = f.location.start.clamp(line.start, line.end);
    let e = f.location.end.clamp(s, d.text_len()).min(s + 4 * 200);
    let before = d.text_at(line.start..s);
    let skip = before.chars().count().saturating_sub(LINE_CONTEXT);
    let after_end = d.line_range(d.line_col(e).0).end.max(e);
    Some((
        before.chars().skip(skip).collect(),
        readings::flat(d, s..e),
        readings::flat(d, e..after_end)
            .chars()
            .take(LINE_CONTEXT)
            .collect(),
    ))
}

fn file_href(input: &ReportInput<'_>, file: &str) -> String {
    let path = input
        .docs
        .get(file)
        .map(|d| crate::engine::canon(&d.path))
        .unwrap_or_else(|| std::path::PathBuf::from(file));
    let s = path.to_string_lossy();
    let mut o = String::from("file://");
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                o.push(b as char)
            }
            _ => o.push_str(&format!("%{b:02X}")),
        }
    }
    o
}

fn data_block(input: &ReportInput<'_>, places: &Places, w: &mut dyn Write) -> io::Result<()> {
    let mut hrefs: HashMap<&str, String> = HashMap::new();
    let fs: Vec<FindingJ> = input
        .findings
        .iter()
        .zip(places)
        .map(|(f, &g)| {
            let href = hrefs
                .entry(f.location.file.as_str())
                .or_insert_with(|| file_href(input, &f.location.file))
                .clone();
            FindingJ {
                s: f.severity.as_str(),
                c: f.category.as_str(),
                code: &f.code,
                rule: &f.rule,
                file: &f.location.file,
                href,
                l: f.location.line,
                col: f.location.column,
                m: &f.message,
                h: f.help.as_deref(),
                rel: f.related.iter().map(related_text).collect(),
                w: f.witness.as_deref(),
                b: f.baseline_state.as_deref(),
                g,
                x: if g.is_none() {
                    line_context(input, f)
                } else {
                    None
                },
            }
        })
        .collect();
    writeln!(
        w,
        "<script type=\"application/json\" id=\"findings\">{}</script>",
        json_block(&fs)
    )
}

fn related_text(r: &crate::finding::Related) -> String {
    match &r.location {
        Some(l) => format!("{}:{}:{}: {}", l.file, l.line, l.column, r.message),
        None => r.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_blocks_cannot_be_closed_by_archive_text() {
        let s = json_block(&vec!["</script><script>alert(1)</script>", "<!-- & -->"]);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Vec<String> = serde_json::from_str(&s).unwrap();
        assert_eq!(back[0], "</script><script>alert(1)</script>");
    }

    #[test]
    fn escaping_covers_markup_and_attribute_quotes() {
        assert_eq!(
            esc("<img src=x onerror='a'>\"&"),
            "&lt;img src=x onerror=&#39;a&#39;&gt;&quot;&amp;"
        );
    }

    #[test]
    fn a_unit_is_cut_into_marked_pieces_with_insertion_points() {
        let kb = Knowledge::embedded();
        let d = crate::pipeline::document_from_text(
            "a.txt".into(),
            "a.txt".into(),
            "◆外交部发言人介绍情况。\n".into(),
            Default::default(),
            &kb,
        );
        let u = d.units.iter().position(|u| u.kind.is_content()).unwrap();
        let s = d.units[u].span.start;
        let at = |c: usize| s + "◆外交部发言人介绍情况。".char_indices().nth(c).unwrap().0;
        let p = pieces(
            &d,
            u,
            &[
                (at(1), at(4), "c"),
                (at(7), at(7), "i"),
                (at(3), at(6), "x"),
            ],
        );
        let texts: Vec<(&str, &str)> = p.iter().map(|(t, c)| (t.as_str(), c.as_str())).collect();
        assert_eq!(
            texts,
            vec![
                ("◆", ""),
                ("外交", "c"),
                ("部", "c x"),
                ("发言", "x"),
                ("人", ""),
                ("", "i p"),
                ("介绍情况。", "")
            ]
        );
    }

    #[test]
    fn web_archive_addresses_give_the_capture_time() {
        assert_eq!(
            capture_time("https://web.archive.org/web/20210712041756/https://example.org/a"),
            Some("2021-07-12 04:17:56".into())
        );
        assert_eq!(capture_time("https://example.org/web/2021/"), None);
        assert_eq!(
            percent_decoded("https://a.org/%E6%AD%A6%zz%"),
            "https://a.org/武%zz%"
        );
    }
}
