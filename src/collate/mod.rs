//! Collation: align a witness's units to the reference's, then characters inside aligned units,
//! and turn the differences into findings.
//!
//! ```text
//! reference units ──┐                      ┌─► dropped (reference unit, no partner)
//!                   ├─ align (anchors, gaps)┼─► inserted (witness unit, no partner)
//! witness units ────┘                      ├─► moved (pairs out of order)
//!                                          ├─► date structure (partner under another date)
//!                                          └─► pairs ─► char diff (`similar`) ─► variants
//! ```
//!
//! A witness that covers only part of the reference (a newspaper page that starts with
//! `(上接第7版)`) is aligned on its own span: reference units outside the span it covers are not
//! "dropped". Boilerplate, page marks and running heads are not collated.

pub mod align;
pub mod classify;
pub mod edges;
pub mod merge;
pub mod provenance;

use crate::finding::{Finding, FindingBuilder, Location, Severity};
use crate::knowledge::Knowledge;
use crate::model::{Document, UnitKind};
use crate::normalize::Normalized;
use crate::rules::RuleInfo;
use crate::util::excerpt;
use align::Texts;
use classify::{classify, VariantKind};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use crate::rules::rule_info as rule;

rule!(DROPPED, "dropped-event/missing-unit", "CL001", DroppedEvent, Warning,
    "an event or paragraph of the reference is missing from the witness",
    "What it does: after aligning the witness to the reference, reports each reference unit (event,\nparagraph, caption) that has no partner, inside the stretch of the reference the witness covers.\nUnits before the witness's first or after its last aligned unit are not reported: a page or fragment\nis not expected to hold the whole text.\n\nThe finding points at the place in the witness where the unit should stand; the reference's unit is\nthe related span.\n\nSilence: `--severity dropped-event/missing-unit=off`.");
rule!(INSERTED, "inserted-event/extra-unit", "CL002", InsertedEvent, Warning,
    "the witness has an event or paragraph the reference does not",
    "What it does: reports each witness unit that has no partner in the reference.\n\nSilence: `--severity inserted-event/extra-unit=off`.");
rule!(MISSING_HEADING, "date-structure/missing-heading", "CL003", DateStructure, Warning,
    "a date heading is missing, so its events sit under the previous date",
    "What it does: when the reference has a date heading (3月30日) that the witness lacks, the events of\nthat date sit under the previous heading in the witness. Reported once, where the heading should be,\nwith the misfiled events as related spans.\n\nSilence: `--severity date-structure/missing-heading=off`.");
rule!(MISFILED, "date-structure/misfiled", "CL004", DateStructure, Warning,
    "events filed under another date than in the reference",
    "What it does: reports a run of witness events whose reference partners sit under another date,\nwhen no missing heading explains it.\n\nSilence: `--severity date-structure/misfiled=off`.");
rule!(MOVED, "date-structure/moved", "CL005", DateStructure, Warning,
    "an event moved to another place than in the reference",
    "What it does: reports each unit whose partner lies out of order (not on the longest run of units\nin the same order in both witnesses). One finding per move.\n\nSilence: `--severity date-structure/moved=off`.");
rule!(NUMBER, "altered-event/number", "AE001", AlteredEvent, Error,
    "a number or date differs from the reference",
    "What it does: a changed stretch in an aligned unit touches digits or a date (2000万 → 200万,\n3月29日 → 3月28日, or text with a date that is gone).\n\nSilence: `--severity altered-event/number=off`.");
rule!(NEGATION, "altered-event/negation", "AE002", AlteredEvent, Error,
    "negation, polarity or tense differs (不, 未, 现在 → 未来)",
    "What it does: a changed stretch adds or removes a negator (不 未 没 无 非) or changes a time word\n(现在, 未来, 目前, 此前 …): the meaning is reversed or moved in time.\n\nSilence: `--severity altered-event/negation=off`.");
rule!(NAME, "altered-event/name", "AE003", AlteredEvent, Error,
    "a name of a person, organisation or place differs",
    "What it does: a changed stretch touches a person's name (known from rules data, or a\ntransliterated foreign name: 阿尔维 → 阿维) or the name of an organisation or place (a stretch\nfollowed by 组织, 大学, 委员会, 盟, 省 …: 欧盟 → 东盟, 中国科学技术大学 → 中国科学院大学).\n\nSilence: `--severity altered-event/name=off`.");
rule!(PHRASE, "altered-event/phrase", "AE004", AlteredEvent, Warning,
    "a phrase (or a conjunction) inserted or dropped",
    "What it does: reports text present in one witness and absent from the other inside an aligned\nunit: a dropped clause, an inserted phrase (做好中国做好), an inserted conjunction (力所能及和范围内).\n\nSilence: `--severity altered-event/phrase=off`.");
rule!(CHARACTER, "altered-event/character", "AE005", AlteredEvent, Warning,
    "one character replaced by an unrelated one (国际 → 实际)",
    "What it does: reports a single character replaced by another that is neither a confusable nor the\nsame character in another script: the word changed.\n\nSilence: `--severity altered-event/character=off`.");
rule!(WORDING, "altered-event/wording", "AE006", AlteredEvent, Note,
    "other wording (技术 → 工作) or a function word",
    "What it does: notes changes of wording that do not touch names, titles, numbers or negation, and\ninserted or dropped function words (的, 了).\n\nSilence: `--severity altered-event/wording=off`.");
rule!(TITLE_ALTERED, "title/altered", "TT004", Title, Error,
    "an official title differs from the reference (秘书长 → 副秘书长)",
    "What it does: a changed stretch touches an office name from the rules data, or adds or removes a\nmodifier (副, 前, 代理, 常务) next to a title.\n\nSilence: `--severity title/altered=off`.");
rule!(OCR, "substitution/ocr", "SB002", Substitution, Warning,
    "a confusable character (OCR-style substitution, 上游 → 上流)",
    "What it does: a one-character change between two characters listed as confusable in\nrules/confusables.toml (similar shape or sound).\n\nSilence: `--severity substitution/ocr=off`.");
rule!(CONVERTER_VARIANT, "substitution/converter-variant", "SB003", Substitution, Warning,
    "a wrong character of the same simplified form (復 → 覆)",
    "What it does: a one-character change between two traditional characters that share a simplified\nform (復/複/覆 all simplify to 复): the mark of a script converter.\n\nSilence: `--severity substitution/converter-variant=off`.");
rule!(UNRELATED, "altered-event/unrelated-witness", "AE007", AlteredEvent, Note,
    "the witness shares too little with the reference to be collated",
    "What it does: when fewer than a fifth of the witness's units align with the reference, the two are\nprobably not copies of one text; collatio says so once instead of reporting every unit.\n\nSilence: `--severity altered-event/unrelated-witness=off`.");

rule!(CUT_EDGE, "layout/cut-edge", "LY005", Layout, Note,
    "the witness starts or ends inside a unit of the reference (a page or excerpt cut there)",
    "What it does: a page of a paginated site or an excerpt may begin or end mid-event. collatio pairs\nthe cut piece with the reference unit it was cut from and compares only the part the witness has;\nwhat lies beyond the cut is not reported as dropped. One note per cut edge says where it is.\n\nSilence: `--severity layout/cut-edge=off`.");

rule!(PROVENANCE_LINE, "provenance/line-changed", "PV006", Provenance, Warning,
    "the dateline, byline or source line differs from the reference's",
    "What it does: compares the provenance lines of a witness with the reference's, kind by kind\n(dateline 新华社北京4月6日电, byline 新华社记者, source line 来源：…), wherever each text has them (an\nopening dateline and a closing one are the same dateline). A changed day in a dateline is an error;\nanother agency, place, author or source is a warning. These lines are not collated as content.\n\nSilence: `--severity provenance/line-changed=off`.");

/// Every rule the collation emits.
pub static RULES: &[RuleInfo] = &[
    DROPPED,
    INSERTED,
    MISSING_HEADING,
    MISFILED,
    MOVED,
    NUMBER,
    NEGATION,
    NAME,
    PHRASE,
    CHARACTER,
    WORDING,
    TITLE_ALTERED,
    OCR,
    CONVERTER_VARIANT,
    UNRELATED,
    CUT_EDGE,
    PROVENANCE_LINE,
];

/// The rules that report a changed stretch inside an aligned unit (what [`rule_for`] gives).
pub(crate) const VARIANT_RULES: [RuleInfo; 9] = [
    NUMBER,
    NEGATION,
    NAME,
    PHRASE,
    CHARACTER,
    WORDING,
    TITLE_ALTERED,
    OCR,
    CONVERTER_VARIANT,
];

fn rule_for(kind: VariantKind) -> Option<&'static RuleInfo> {
    Some(match kind {
        VariantKind::Punctuation | VariantKind::Script | VariantKind::Regional => return None,
        VariantKind::Wording | VariantKind::FunctionWord => &WORDING,
        VariantKind::Phrase => &PHRASE,
        VariantKind::Character => &CHARACTER,
        VariantKind::Ocr => &OCR,
        VariantKind::Converter => &CONVERTER_VARIANT,
        VariantKind::Number => &NUMBER,
        VariantKind::Negation => &NEGATION,
        VariantKind::Title => &TITLE_ALTERED,
        VariantKind::Name | VariantKind::Organisation => &NAME,
    })
}

/// One changed stretch inside an aligned unit pair.
#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    /// What kind of difference it is; decides the rule and the severity.
    pub kind: VariantKind,
    /// Folded character ranges inside the units' normalized text.
    pub ref_chars: (usize, usize),
    /// The witness's folded character range, as `ref_chars`.
    pub wit_chars: (usize, usize),
    /// Raw byte ranges (empty at an insertion point).
    pub ref_span: (usize, usize),
    /// The witness's raw byte range, as `ref_span`: where the finding points.
    pub wit_span: (usize, usize),
    /// The reference's raw text of the stretch (empty for an insertion).
    pub ref_text: String,
    /// The witness's raw text of the stretch (empty for a deletion).
    pub wit_text: String,
    /// The reference's stretch after normalization, as it was compared.
    pub ref_norm: String,
    /// The witness's stretch after normalization, as it was compared.
    pub wit_norm: String,
    /// Why it was classified so (the confusable pair, the office name …), for the message.
    pub detail: Option<String>,
}

/// An aligned pair of units.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    /// Unit indices in the reference and witness documents.
    pub r: usize,
    /// The witness unit's index, as `r`.
    pub w: usize,
    /// The two units' normalized texts are identical (no variants).
    pub equal: bool,
    /// The pair lies off the longest in-order run: the witness moved this unit.
    pub moved: bool,
    /// The witness unit is cut at the witness's start or end: compared on the part it has.
    pub cut: Cut,
    /// The changed stretches inside the pair, in text order (ignorable kinds included).
    pub variants: Vec<Variant>,
}

/// Which ends of a witness unit are the witness's cut edges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Cut {
    /// The witness starts inside this unit: what the reference has before it is beyond the cut.
    pub start: bool,
    /// The witness ends inside this unit: what the reference has after it is beyond the cut.
    pub end: bool,
}

/// The collation of one witness against the reference.
#[derive(Debug, Clone, Serialize)]
pub struct Collation {
    /// The aligned unit pairs, in reference order.
    pub pairs: Vec<Pair>,
    /// Reference units with no partner inside the covered stretch.
    pub dropped: Vec<usize>,
    /// Witness units with no partner.
    pub inserted: Vec<usize>,
    /// Reference unit indices of the first and last aligned unit.
    pub covered: Option<(usize, usize)>,
    /// Share of witness content units that aligned.
    pub aligned_share: f64,
    /// Share of the reference's units inside the covered stretch that aligned: low for an
    /// excerpt or a summary, high for a copy.
    pub covered_share: f64,
    /// Mean similarity of the aligned pairs (computed for a low `covered_share` only; 1.0
    /// otherwise): near 1 for an excerpt, lower for a summary or another text.
    pub pair_similarity: f64,
    /// Witness units outside the aligned stretch taken for page furniture (not inserted).
    pub outside: Vec<usize>,
}

/// A document's content units as alignment reads them: equality keys taken once, characters
/// borrowed from the held fold or folded again on demand from the text.
struct Units<'d> {
    doc: &'d Document,
    units: &'d [usize],
    keys: Vec<(u64, usize)>,
}

impl<'d> Units<'d> {
    fn new(doc: &'d Document, units: &'d [usize]) -> Units<'d> {
        let keys = units
            .iter()
            .map(|&i| {
                let s = doc.units[i].fold_summary();
                (s.hash, s.len as usize)
            })
            .collect();
        Units { doc, units, keys }
    }
}

impl Texts for Units<'_> {
    fn count(&self) -> usize {
        self.units.len()
    }
    fn len_of(&self, i: usize) -> usize {
        self.keys[i].1
    }
    fn key(&self, i: usize) -> (u64, usize) {
        self.keys[i]
    }
    fn text(&self, i: usize) -> Cow<'_, [char]> {
        match self.doc.fold(self.units[i]) {
            Cow::Borrowed(n) => Cow::Borrowed(n.chars.as_slice()),
            Cow::Owned(n) => Cow::Owned(n.chars),
        }
    }
}

fn content_units(d: &Document) -> Vec<usize> {
    d.units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.kind.is_content() && u.kind != UnitKind::Heading && u.fold_len() > 0)
        .map(|(i, _)| i)
        .collect()
}

fn raw_point(d: &Document, n: &Normalized, u: usize, at: usize) -> (usize, usize) {
    if let Some(s) = n.src.get(at) {
        let s = s as usize;
        (s, s)
    } else if let Some(l) = n.src.last() {
        let e = d.raw_end(l as usize);
        (e, e)
    } else {
        (d.units[u].span.start, d.units[u].span.start)
    }
}

/// Raw byte range of folded chars `from..to` of unit `u`, whose fold is `n` (an insertion
/// point when empty).
pub(crate) fn raw_of(
    d: &Document,
    n: &Normalized,
    u: usize,
    from: usize,
    to: usize,
) -> (usize, usize) {
    d.raw_range(n, from, to)
        .unwrap_or_else(|| raw_point(d, n, u, from))
}

/// Merge diff hunks separated by one or two equal Han characters (杰拉德 → 拉德梅 is one change).
fn hunks(a: &[char], b: &[char]) -> Vec<(usize, usize, usize, usize)> {
    let deadline = align::diff_deadline(a.len() + b.len(), 2000);
    let ops = similar::capture_diff_slices_deadline(similar::Algorithm::Myers, a, b, deadline);
    let mut out: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut last_equal: Option<(usize, usize)> = None;
    for op in ops {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            last_equal = Some((o.start, o.end));
            continue;
        }
        // Two changes close together are one: across one or two characters of a word, or across
        // a few characters between two long changes (a rewritten clause keeps stray anchors).
        let merge = match (out.last(), last_equal) {
            (Some(prev), Some((es, ee))) => {
                let gap = ee - es;
                let big = |x: usize, y: usize| x.max(y) >= 6;
                prev.1 == es
                    && ((gap <= 2 && a[es..ee].iter().all(|c| !crate::normalize::is_punct(*c)))
                        || (gap <= 6
                            && big(prev.1 - prev.0, prev.3 - prev.2)
                            && big(o.len(), n.len())))
            }
            _ => false,
        };
        if merge {
            if let Some(prev) = out.last_mut() {
                prev.1 = o.end;
                prev.3 = n.end;
            }
        } else {
            out.push((o.start, o.end, n.start, n.end));
        }
        last_equal = None;
    }
    out
}

fn variants_of(
    kb: &Knowledge,
    rd: &Document,
    ru: usize,
    wd: &Document,
    wu: usize,
    may_cut: Cut,
) -> (Vec<Variant>, Cut) {
    // The pair's folds, made again if the documents' folds are released: only pairs that
    // differ come here, two units at a time.
    let (na, nb) = (rd.fold(ru), wd.fold(wu));
    let (a, b) = (&na.chars, &nb.chars);
    let mut out = Vec::new();
    let mut cut = Cut::default();
    for (rf, rt, wf, wt) in hunks(a, b) {
        // What the reference has beyond a cut edge is not a loss.
        if wf == wt && may_cut.start && wt == 0 {
            cut.start = true;
            continue;
        }
        if wf == wt && may_cut.end && wf == b.len() {
            cut.end = true;
            continue;
        }
        let c = classify(kb, a, rf, rt, b, wf, wt);
        let ref_span = raw_of(rd, &na, ru, rf, rt);
        let wit_span = raw_of(wd, &nb, wu, wf, wt);
        out.push(Variant {
            kind: c.kind,
            ref_chars: (rf, rt),
            wit_chars: (wf, wt),
            ref_span,
            wit_span,
            ref_text: rd.text_at(ref_span.0..ref_span.1).replace(['\n', '\r'], ""),
            wit_text: wd.text_at(wit_span.0..wit_span.1).replace(['\n', '\r'], ""),
            ref_norm: a[rf..rt].iter().collect(),
            wit_norm: b[wf..wt].iter().collect(),
            detail: c.detail,
        });
    }
    (out, cut)
}

/// Collate `wit` against `reference`.
pub fn collate(reference: &Document, wit: &Document, kb: &Knowledge) -> Collation {
    let ru = content_units(reference);
    let wu = content_units(wit);
    // Keys and lengths, not texts: a unit's characters are borrowed, or folded again on demand
    // when the document's folds are released (see [`Units`]).
    let a = Units::new(reference, &ru);
    let b = Units::new(wit, &wu);
    let mut raw_pairs = align::align(&a, &b);
    let edges = edges::settle(&a, &b, &mut raw_pairs);
    let moved: std::collections::HashSet<(usize, usize)> =
        align::moved(&raw_pairs).into_iter().collect();
    let pairs = raw_pairs
        .iter()
        .map(|&(x, y)| pair_of(kb, (&a, &b), (x, y), &edges, moved.contains(&(x, y))))
        .collect();
    let mut paired_r = vec![false; ru.len()];
    let mut paired_w = vec![false; wu.len()];
    for &(x, y) in &raw_pairs {
        paired_r[x] = true;
        paired_w[y] = true;
    }
    // The stretch of the reference the witness covers: from its first to its last pair in order.
    let in_order: Vec<usize> = raw_pairs
        .iter()
        .filter(|p| !moved.contains(p))
        .map(|p| p.0)
        .collect();
    let covered = match (in_order.first(), in_order.last()) {
        (Some(&f), Some(&l)) => Some((f, l)),
        _ => None,
    };
    let dropped: Vec<usize> = match covered {
        Some((f, l)) => (f..=l).filter(|&x| !paired_r[x]).map(|x| ru[x]).collect(),
        None => Vec::new(),
    };
    let covered_share = match covered {
        Some((f, l)) => 1.0 - dropped.len() as f64 / (l - f + 1) as f64,
        None => 0.0,
    };
    let inserted = (0..wu.len())
        .filter(|&y| !paired_w[y] && !edges.outside.contains(&y))
        .map(|y| wu[y])
        .collect();
    Collation {
        pairs,
        dropped,
        inserted,
        covered: covered.map(|(f, l)| (ru[f], ru[l])),
        aligned_share: if wu.is_empty() {
            1.0
        } else {
            raw_pairs.len() as f64 / wu.len() as f64
        },
        covered_share,
        pair_similarity: pair_similarity(&a, &b, &raw_pairs, covered_share),
        outside: edges.outside.iter().map(|&y| wu[y]).collect(),
    }
}

/// The aligned pair of content units `x` and `y` (indices into `a` and `b`), with its variants
/// when the units differ.
fn pair_of(
    kb: &Knowledge,
    (a, b): (&Units, &Units),
    (x, y): (usize, usize),
    edges: &edges::Edges,
    moved: bool,
) -> Pair {
    let (r, w) = (a.units[x], b.units[y]);
    let cut = Cut {
        start: edges.cut_start == Some(y),
        end: edges.cut_end == Some(y),
    };
    let equal = a.key(x) == b.key(y);
    // `cut` says where the witness may be cut; what comes back says where it was.
    let (variants, cut) = if equal {
        (Vec::new(), Cut::default())
    } else {
        variants_of(kb, a.doc, r, b.doc, w, cut)
    };
    Pair {
        r,
        w,
        equal,
        moved,
        cut,
        variants,
    }
}

/// How close the pairs are, for a witness that covers less than half of its stretch: near 1
/// for an excerpt (its pairs near-identical), lower for a summary; 1.0 otherwise (not computed).
fn pair_similarity(a: &Units, b: &Units, pairs: &[(usize, usize)], covered_share: f64) -> f64 {
    if covered_share < 0.5 && !pairs.is_empty() {
        pairs
            .iter()
            .map(|&(x, y)| align::similarity(&a.text(x), &b.text(y)))
            .sum::<f64>()
            / pairs.len() as f64
    } else {
        1.0
    }
}

fn loc(d: &Document, span: (usize, usize)) -> Location {
    Location::in_doc(d, span.0..span.1)
}

/// The span to point at for a variant in the witness: the changed text, or the character before
/// an insertion point (a zero-width span is hard to see).
fn visible(d: &Document, span: (usize, usize)) -> Range<usize> {
    if span.1 > span.0 {
        return span.0..span.1;
    }
    // The character before the point, else the one after it (a character is 4 bytes at most).
    let len = |c: Option<char>| c.map_or(0, char::len_utf8);
    let s = span.0
        - len(d
            .text_at(span.0.saturating_sub(4)..span.0)
            .chars()
            .next_back());
    let e = span.0 + len(d.text_at(span.0..span.0 + 4).chars().next());
    s..e
}

fn date_of_heading(d: &Document, u: usize) -> Option<(u32, u32)> {
    let h = d.units[u].heading_index()?;
    // A range line (（2月21日至3月17日）) heads a stage, not a day: no day to compare.
    if crate::dates::parse_heading(&d.text_at(d.units[h].span.clone()))
        .is_some_and(|r| r.end.is_some())
    {
        return None;
    }
    let date = d.units[h].date();
    Some((date.month?, date.day?))
}

/// Findings of one witness's collation. `others` gives, for majority readings, the collations of
/// the other witnesses of the group: (witness document, its collation).
fn findings_for(
    reference: &Document,
    wit: &Document,
    col: &Collation,
    others: &[(&Document, &Collation)],
    out: &mut Vec<Finding>,
) {
    let wname = Some(reference.display.clone());
    if let Some(f) = no_copy_verdict(reference, wit, col, &wname) {
        out.push(f);
        return;
    }
    structure_findings(reference, wit, col, &wname, out);
    // A witness that keeps fewer than a third of the reference's units in the stretch it covers
    // is an excerpt or a summary: say so once rather than list every unit it leaves out.
    let excerpt_only = col.covered_share < 0.34 && col.dropped.len() > 3;
    if excerpt_only {
        out.push(verdict(
            wit,
            &wname,
            format!(
                "keeps only {:.0}% of the reference's units in the stretch it spans: an excerpt or a summary of {}, not a copy; its {} missing units are not listed",
                col.covered_share * 100.0,
                reference.display,
                col.dropped.len()
            ),
            "excerpt",
            "collate it against the full text it copies, or accept that it is a selection",
            format!("excerpt:{}", reference.display),
        ));
    }
    cut_edge_notes(reference, wit, col, &wname, out);
    let prov_w = provenance::lines(wit);
    provenance_findings(reference, wit, &prov_w, &wname, out);
    if !excerpt_only {
        dropped_findings(reference, wit, col, &wname, out);
    }
    inserted_findings(wit, col, &wname, out);
    variant_findings(reference, wit, col, others, &prov_w, &wname, out);
}

/// The verdict on a witness that is no copy of the reference (too little aligns), or a summary
/// or another account of it: it stands alone, with no unit findings.
fn no_copy_verdict(
    reference: &Document,
    wit: &Document,
    col: &Collation,
    wname: &Option<String>,
) -> Option<Finding> {
    if col.aligned_share < 0.2 && !col.pairs.is_empty()
        || col.pairs.is_empty() && !content_units(wit).is_empty()
    {
        let span = wit.units.first().map_or(0..0, |u| u.span.clone());
        return Some(
            FindingBuilder::new(&UNRELATED, wit, span)
                .message(format!(
                    "only {:.0}% of this file's units align with {}: it does not look like a copy of that text",
                    col.aligned_share * 100.0,
                    reference.display
                ))
                .label("not collated")
                .help("check the witness group: is this file a copy of the reference?")
                .witness(wname.clone())
                .subject(reference.display.clone())
                .build(),
        );
    }
    // A summary or another account of the same events (few of the reference's units in the
    // stretch it spans, and those only similar): the verdict stands alone, no unit findings.
    // Corroboration compares such texts fact by fact.
    if col.covered_share < 0.34 && col.dropped.len() > 3 && col.pair_similarity < 0.75 {
        return Some(verdict(
            wit,
            wname,
            format!(
                "keeps only {:.0}% of the reference's units in the stretch it spans, and those only in other words: a summary or another account of {}, not a copy",
                col.covered_share * 100.0,
                reference.display,
            ),
            "not a copy",
            "collate it against the text it copies; a different account of the same events is compared fact by fact, not word by word",
            format!("summary:{}", reference.display),
        ));
    }
    None
}

/// A finding per reference unit the witness lacks, placed in the witness where it should stand:
/// right after the witness unit that partners the nearest earlier reference unit (or before the
/// next one).
fn dropped_findings(
    reference: &Document,
    wit: &Document,
    col: &Collation,
    wname: &Option<String>,
    out: &mut Vec<Finding>,
) {
    let partner_of: std::collections::BTreeMap<usize, usize> = col
        .pairs
        .iter()
        .filter(|p| !p.moved)
        .map(|p| (p.r, p.w))
        .collect();
    for &r in &col.dropped {
        let u = &reference.units[r];
        let text = excerpt(&reference.text_at(u.span.clone()).replace('\n', ""), 40);
        let (span, place, empty_day) = dropped_place(reference, wit, r, &partner_of);
        let (rl, _) = reference.line_col(u.span.start);
        let empty = if empty_day {
            "; the witness's heading for that day is left with no events"
        } else {
            ""
        };
        out.push(
            FindingBuilder::new(&DROPPED, wit, span)
                .message(format!("missing here: the reference has “{text}” (line {rl}){empty}"))
                .label(format!("dropped {place}"))
                .related(Some(Location::in_doc(reference, u.span.clone())), "the reference's unit")
                .help(format!(
                    "this copy has no counterpart for the reference's {} at {}:{rl}; check whether it was dropped or changed beyond recognition",
                    format!("{:?}", u.kind).to_lowercase(),
                    reference.display
                ))
                .witness(wname.clone())
                .subject(reference.fold(r).text())
                .around(&reference.fold(r), 0..u.fold_len())
                .build(),
        );
    }
}

/// A finding per witness unit with no counterpart in the reference.
fn inserted_findings(
    wit: &Document,
    col: &Collation,
    wname: &Option<String>,
    out: &mut Vec<Finding>,
) {
    for &w in &col.inserted {
        let u = &wit.units[w];
        let text = excerpt(&wit.text_at(u.span.clone()).replace('\n', ""), 40);
        out.push(
            FindingBuilder::new(&INSERTED, wit, u.span.clone())
                .message(format!("not in the reference: “{text}”"))
                .label("no counterpart in the reference")
                .help("this unit has no partner in the reference; check its source")
                .witness(wname.clone())
                .subject(wit.fold(w).text())
                .around(&wit.fold(w), 0..u.fold_len())
                .build(),
        );
    }
}

/// Missing date headings, misfiled and moved events of one witness.
fn structure_findings(
    reference: &Document,
    wit: &Document,
    col: &Collation,
    wname: &Option<String>,
    out: &mut Vec<Finding>,
) {
    let (misfiled, misfiled_other) = misfiled_pairs(reference, wit, col);
    for ((m, d), ps) in &misfiled {
        out.push(missing_heading(reference, wit, (*m, *d), ps, wname));
    }
    for (p, rd, wd) in misfiled_other {
        let u = &wit.units[p.w];
        out.push(
            FindingBuilder::new(&MISFILED, wit, u.span.clone())
                .message(format!(
                    "event filed under {}月{}日; the reference has it under {}月{}日",
                    wd.0, wd.1, rd.0, rd.1
                ))
                .label("under the wrong date")
                .related(
                    Some(Location::in_doc(
                        reference,
                        reference.units[p.r].span.clone(),
                    )),
                    "the reference's event",
                )
                .help("move the event under its date, or check which witness has the date right")
                .witness(wname.clone())
                .subject(format!("{}-{}|{}-{}", rd.0, rd.1, wd.0, wd.1))
                .around(&wit.fold(p.w), 0..u.fold_len())
                .build(),
        );
    }
    for p in col.pairs.iter().filter(|p| p.moved) {
        out.push(moved_finding(reference, wit, p, wname));
    }
}

/// A month and day.
type MonthDay = (u32, u32);

/// Pairs under a missing date heading, by that date; misfiled pairs with the reference's and
/// the witness's dates.
type Misfiled<'c> = (
    BTreeMap<MonthDay, Vec<&'c Pair>>,
    Vec<(&'c Pair, MonthDay, MonthDay)>,
);

/// Pairs (not moved) whose units sit under different date headings: by the reference's date
/// when the witness has no heading of that date (a missing heading), and one by one when it has
/// one (a misfiled event, with the reference's and the witness's dates).
fn misfiled_pairs<'c>(reference: &Document, wit: &Document, col: &'c Collation) -> Misfiled<'c> {
    let wit_heading_dates: std::collections::HashSet<MonthDay> = wit
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::DateHeading)
        .filter_map(|u| Some((u.date().month?, u.date().day?)))
        .collect();
    let mut misfiled: BTreeMap<MonthDay, Vec<&Pair>> = BTreeMap::new();
    let mut misfiled_other = Vec::new();
    for p in &col.pairs {
        if p.moved {
            continue;
        }
        let (Some(rd), Some(wd)) = (date_of_heading(reference, p.r), date_of_heading(wit, p.w))
        else {
            continue;
        };
        if rd == wd {
            continue;
        }
        if !wit_heading_dates.contains(&rd) {
            misfiled.entry(rd).or_default().push(p);
        } else {
            misfiled_other.push((p, rd, wd));
        }
    }
    (misfiled, misfiled_other)
}

/// The finding for a date heading the witness lacks: at the first of the events `ps` that
/// belong under it, naming the heading they sit under instead and each of them.
fn missing_heading(
    reference: &Document,
    wit: &Document,
    (m, d): MonthDay,
    ps: &[&Pair],
    wname: &Option<String>,
) -> Finding {
    let first = ps[0];
    let wu = &wit.units[first.w];
    let under = wu
        .heading_index()
        .map(|h| wit.text_at(wit.units[h].span.clone()).to_string())
        .unwrap_or_default();
    let ref_heading = reference.units[first.r].heading_index();
    let mut b = FindingBuilder::new(&MISSING_HEADING, wit, first_char(wit, wu.span.clone()))
        .message(format!(
            "date heading {m}月{d}日 is missing: {} event{} of that date sit under {under}",
            ps.len(),
            crate::report::plural(ps.len())
        ))
        .label(format!("{m}月{d}日 should start here"))
        .help(format!("insert the heading {m}月{d}日 before this event; the reference files these events under it"))
        .witness(wname.clone())
        .subject(format!("{m}-{d}"))
        .around_raw(&wit.fold(first.w), wu.span.start..wu.span.start + 1);
    if let Some(h) = ref_heading {
        b = b.related(
            Some(Location::in_doc(reference, reference.units[h].span.clone())),
            format!("the reference's heading {m}月{d}日"),
        );
    }
    for p in ps {
        let u = &wit.units[p.w];
        b = b.related(
            Some(Location::in_doc(wit, u.span.clone())),
            format!("filed under {under}, belongs to {m}月{d}日"),
        );
    }
    b.build()
}

/// The finding for an event the witness has in another order than the reference.
fn moved_finding(
    reference: &Document,
    wit: &Document,
    p: &Pair,
    wname: &Option<String>,
) -> Finding {
    let u = &wit.units[p.w];
    let (rl, _) = reference.line_col(reference.units[p.r].span.start);
    FindingBuilder::new(&MOVED, wit, u.span.clone())
        .message(format!(
            "event out of place: the reference has it at line {rl}, in another order"
        ))
        .label("moved")
        .related(
            Some(Location::in_doc(
                reference,
                reference.units[p.r].span.clone(),
            )),
            "its place in the reference",
        )
        .help("check the order of events against the reference")
        .witness(wname.clone())
        .subject(crate::source::sha256_hex(
            reference.fold(p.r).text().as_bytes(),
        ))
        .around(&wit.fold(p.w), 0..u.fold_len())
        .build()
}

/// The variants of one witness's aligned pairs, each with its class and, for majority
/// judgement, what the other witnesses of the group read there. A variant inside a provenance
/// line is that line's finding (`prov_w`), reported apart.
fn variant_findings(
    reference: &Document,
    wit: &Document,
    col: &Collation,
    others: &[(&Document, &Collation)],
    prov_w: &[provenance::Line],
    wname: &Option<String>,
    out: &mut Vec<Finding>,
) {
    // Variants, with the other witnesses' readings for majority judgement. A variant inside a
    // provenance line is that line's finding, reported above.
    for p in &col.pairs {
        // The witness unit's fold, made once per pair that has a finding.
        let mut wn = None;
        for v in &p.variants {
            let Some(rule) = rule_for(v.kind) else {
                continue;
            };
            // (An insertion point is a zero-width span: it counts as its next byte.)
            let (vs, ve) = (v.wit_span.0, v.wit_span.1.max(v.wit_span.0 + 1));
            let in_prov = |l: &provenance::Line| vs < l.span.end && l.span.start < ve;
            if prov_w.iter().any(in_prov) {
                continue;
            }
            let show = Shown::of(v);
            let wn = wn.get_or_insert_with(|| wit.fold(p.w));
            let loop_here = !crate::rules::loops::find_tandems(
                wn.chars
                    .get(v.wit_chars.0..v.wit_chars.1)
                    .unwrap_or_default(),
            )
            .is_empty();
            let message = variant_message(v, &show, loop_here, &other_readings(others, p, v));
            let (label, related_msg) = variant_labels(v, &show);
            let ref_loc = if v.ref_span.1 > v.ref_span.0 {
                loc(reference, v.ref_span)
            } else {
                let r = visible(reference, v.ref_span);
                loc(reference, (r.start, r.end))
            };
            let mut b = FindingBuilder::new(rule, wit, visible(wit, v.wit_span))
                .message(message)
                .label(label)
                .help(variant_help(v, &show))
                .related(Some(ref_loc), related_msg)
                .witness(wname.clone())
                .subject(format!("{}→{}", v.ref_norm, v.wit_norm))
                .around_raw(wn, v.wit_span.0..v.wit_span.1);
            if v.kind == VariantKind::Wording || v.kind == VariantKind::FunctionWord {
                b = b.severity(Severity::Note);
            }
            out.push(b.build());
        }
    }
}

/// A variant's two readings as messages show them (an excerpt, or "—" for none).
struct Shown {
    r: String,
    w: String,
}

impl Shown {
    fn of(v: &Variant) -> Shown {
        let show = |t: &str| {
            if t.is_empty() {
                "—".to_string()
            } else {
                excerpt(t, 40)
            }
        };
        Shown {
            r: show(&v.ref_text),
            w: show(&v.wit_text),
        }
    }
}

/// What the other witnesses of the group read where `v` is: (those that read as this copy,
/// those that agree with the reference).
fn other_readings(
    others: &[(&Document, &Collation)],
    p: &Pair,
    v: &Variant,
) -> (Vec<String>, Vec<String>) {
    let mut same = Vec::new();
    let mut with_ref = Vec::new();
    for (od, oc) in others {
        let Some(op) = oc.pairs.iter().find(|q| q.r == p.r) else {
            continue;
        };
        if op
            .variants
            .iter()
            .any(|ov| ov.ref_chars == v.ref_chars && ov.wit_norm == v.wit_norm)
        {
            same.push(od.display.clone());
        } else if !op.variants.iter().any(|ov| {
            ov.ref_chars.0 < v.ref_chars.1.max(v.ref_chars.0 + 1)
                && v.ref_chars.0 < ov.ref_chars.1.max(ov.ref_chars.0 + 1)
        }) {
            with_ref.push(od.display.clone());
        }
    }
    (same, with_ref)
}

/// A variant finding's message: what changed, a loop in its place, and how the other witnesses
/// read.
fn variant_message(
    v: &Variant,
    show: &Shown,
    loop_here: bool,
    (same, with_ref): &(Vec<String>, Vec<String>),
) -> String {
    let what = v.kind.describe();
    let (ref_show, wit_show) = (&show.r, &show.w);
    let mut message = if v.wit_norm.is_empty() {
        format!("{what}: “{ref_show}” of the reference is missing here")
    } else if v.ref_norm.is_empty() {
        format!("{what}: “{wit_show}” is not in the reference")
    } else {
        format!("{what}: reads “{wit_show}” where the reference reads “{ref_show}”")
    };
    if loop_here {
        message.push_str(" (a repeated-phrase loop stands in its place)");
    }
    if !with_ref.is_empty() {
        message.push_str(&format!(
            "; {} agree{} with the reference",
            with_ref.join(", "),
            if with_ref.len() == 1 { "s" } else { "" }
        ));
    }
    if !same.is_empty() {
        message.push_str(&format!(
            "; {} read{} the same as this copy",
            same.join(", "),
            if same.len() == 1 { "s" } else { "" }
        ));
    }
    message
}

/// A variant finding's advice.
fn variant_help(v: &Variant, show: &Shown) -> String {
    let (ref_show, wit_show) = (&show.r, &show.w);
    let mut help = match v.kind {
        VariantKind::Ocr => format!("OCR-style confusion ({}); the reference reads “{ref_show}”", v.detail.clone().unwrap_or_default()),
        VariantKind::Converter => "a script converter chose the wrong one of several traditional characters".to_string(),
        VariantKind::Wording | VariantKind::FunctionWord => "a difference of wording; check it if the exact text matters".to_string(),
        _ if v.ref_norm.is_empty() => format!("the reference does not have “{wit_show}”; check the source before accepting it"),
        _ if v.wit_norm.is_empty() => format!("the reference has “{ref_show}” here; restore it if the source has it"),
        _ => format!("compare with the reference (“{ref_show}”) and the source; correct whichever copy is wrong"),
    };
    if let Some(d) = &v.detail {
        if v.kind != VariantKind::Ocr {
            help.push_str(&format!(" ({d})"));
        }
    }
    help
}

/// A variant finding's label and the message on the reference's place.
fn variant_labels(v: &Variant, show: &Shown) -> (String, String) {
    let (ref_show, wit_show) = (&show.r, &show.w);
    if v.ref_norm.is_empty() {
        (
            "not in the reference".to_string(),
            format!("the reference has no “{wit_show}” here"),
        )
    } else if v.wit_norm.is_empty() {
        (
            format!("“{ref_show}” missing here"),
            format!("the reference reads “{ref_show}”"),
        )
    } else {
        (
            format!("reference: “{ref_show}”"),
            format!("the reference reads “{ref_show}”"),
        )
    }
}

/// The first character of `r` in `d`, as a span (a place to point at).
fn first_char(d: &Document, r: Range<usize>) -> Range<usize> {
    let n = d
        .text_at(r.clone())
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    r.start..r.start + n
}

/// The last character of `r` in `d`, as a span.
fn last_char(d: &Document, r: Range<usize>) -> Range<usize> {
    let n = d
        .text_at(r.clone())
        .chars()
        .next_back()
        .map_or(0, char::len_utf8);
    r.end - n..r.end
}

/// Where reference unit `r`, dropped from the witness, stood in it: right before the witness
/// unit that partners the next reference unit when that one is of the same day; else right
/// after the partner of the unit before it — or after the witness's heading of its day, when
/// it opened its day. Also whether that day is left with no event. `partner_of` maps paired
/// reference units to witness units.
fn dropped_place(
    reference: &Document,
    wit: &Document,
    r: usize,
    partner_of: &BTreeMap<usize, usize>,
) -> (Range<usize>, &'static str, bool) {
    let u = &reference.units[r];
    let after = partner_of
        .range(..r)
        .next_back()
        .map(|(_, &w)| &wit.units[w]);
    let next = partner_of.range(r..).next();
    let day_heading = day_heading_before(reference, wit, r, after.map(|a| a.span.end));
    let empty_day = day_heading.is_some_and(|h| day_is_empty(wit, h));
    let after = day_heading.map(|h| &wit.units[h]).or(after);
    let same_day = next.is_some_and(|(&r2, _)| reference.units[r2].heading() == u.heading());
    let before = next.map(|(_, &w)| &wit.units[w]);
    let (span, place) = match (after, before) {
        (_, Some(b)) if same_day && !empty_day => {
            (first_char(wit, b.span.clone()), "before this unit")
        }
        (Some(a), _) => (last_char(wit, a.span.clone()), "after this unit"),
        (None, Some(b)) => (first_char(wit, b.span.clone()), "before this unit"),
        (None, None) => (0..0, "here"),
    };
    (span, place, empty_day)
}

/// When reference unit `r` opens its day (the content unit before it sits under another
/// heading), the witness's heading of that day, if the witness has one after byte `after`.
fn day_heading_before(
    reference: &Document,
    wit: &Document,
    r: usize,
    after: Option<usize>,
) -> Option<usize> {
    let u = &reference.units[r];
    let h = u.heading_index()?;
    let prev = reference.units[..r]
        .iter()
        .rev()
        .find(|p| p.kind.is_content() && p.kind != UnitKind::Heading)?;
    if prev.heading_index() == Some(h) {
        return None;
    }
    let day = reference.units[h].date();
    let (m, d) = (day.month?, day.day?);
    wit.units.iter().position(|w| {
        w.kind == UnitKind::DateHeading
            && w.date().month == Some(m)
            && w.date().day == Some(d)
            && after.is_none_or(|a| w.span.start >= a)
    })
}

/// Whether the witness's date heading `h` has no content unit under it.
fn day_is_empty(wit: &Document, h: usize) -> bool {
    !wit.units[h + 1..]
        .iter()
        .take_while(|u| u.kind != UnitKind::DateHeading)
        .any(|u| u.kind.is_content() && u.kind != UnitKind::Heading)
}

/// Provenance lines that differ from the reference's, one finding each, with both readings.
fn provenance_findings(
    reference: &Document,
    wit: &Document,
    prov_w: &[provenance::Line],
    wname: &Option<String>,
    out: &mut Vec<Finding>,
) {
    let prov_r = provenance::lines(reference);
    for (r, w) in provenance::changed(&prov_r, prov_w) {
        let (lr, lw) = (&prov_r[r], &prov_w[w]);
        let (rt, wt) = (
            reference.text_at(lr.span.clone()),
            wit.text_at(lw.span.clone()),
        );
        let (rt, wt) = (rt.as_ref(), wt.as_ref());
        let day_changed = lr.day.is_some() && lw.day.is_some() && lr.day != lw.day;
        let what = lw.kind.word();
        let mut b = FindingBuilder::new(&PROVENANCE_LINE, wit, lw.span.clone())
            .message(format!(
                "{what} reads “{}” where the reference reads “{}”{}",
                excerpt(wt, 40),
                excerpt(rt, 40),
                if day_changed { ": another day" } else { "" }
            ))
            .label(format!("reference: “{}”", excerpt(rt, 30)))
            .related(Some(Location::in_doc(reference, lr.span.clone())), format!("the reference's {what}"))
            .help(format!("the {what} says where the text came from; check it against the source before trusting this copy's provenance"))
            .witness(wname.clone())
            .subject(format!("{}→{}", lr.norm, lw.norm))
            .context(lw.norm.clone()); // a provenance line is short: its whole text
        if day_changed {
            b = b.severity(Severity::Error);
        }
        out.push(b.build());
    }
}

/// The one note that says what a witness is (an excerpt, a summary), at its first character.
fn verdict(
    wit: &Document,
    wname: &Option<String>,
    message: String,
    label: &str,
    help: &str,
    subject: String,
) -> Finding {
    let at = wit.units.first().map_or(0, |u| u.span.start);
    FindingBuilder::new(&UNRELATED, wit, visible(wit, (at, at)))
        .message(message)
        .label(label)
        .help(help)
        .witness(wname.clone())
        .subject(subject)
        .build()
}

/// One note per cut edge of the witness: where it starts or ends inside a reference unit.
fn cut_edge_notes(
    reference: &Document,
    wit: &Document,
    col: &Collation,
    wname: &Option<String>,
    out: &mut Vec<Finding>,
) {
    for p in col.pairs.iter().filter(|p| p.cut.start || p.cut.end) {
        let u = &wit.units[p.w];
        let (rl, _) = reference.line_col(reference.units[p.r].span.start);
        for (is, what) in [(p.cut.start, "starts"), (p.cut.end, "ends")] {
            if !is {
                continue;
            }
            let at = if what == "starts" {
                first_char(wit, u.span.clone())
            } else {
                last_char(wit, u.span.clone())
            };
            out.push(
                FindingBuilder::new(&CUT_EDGE, wit, at)
                    .message(format!(
                        "the witness {what} inside the reference's unit at line {rl}: compared on the part it has"
                    ))
                    .label(format!("cut edge: the witness {what} here"))
                    .related(
                        Some(Location::in_doc(reference, reference.units[p.r].span.clone())),
                        "the whole unit in the reference",
                    )
                    .help("a page or an excerpt cut here; nothing to do unless the witness should be whole")
                    .witness(wname.clone())
                    .subject(format!("cut-{what}"))
                    .build(),
            );
        }
    }
}

/// Whether the collation judged the witness not a copy of the reference (unrelated, or a
/// summary or another account): the tests [`findings_for`] gives its verdicts by.
fn not_a_copy(wit: &Document, col: &Collation) -> bool {
    col.aligned_share < 0.2 && !col.pairs.is_empty()
        || col.pairs.is_empty() && !content_units(wit).is_empty()
        || col.covered_share < 0.34 && col.dropped.len() > 3 && col.pair_similarity < 0.75
}

/// Collate each witness of a group against the reference and return the findings.
pub fn check_group(reference: &Document, witnesses: &[&Document], kb: &Knowledge) -> Vec<Finding> {
    use rayon::prelude::*;
    let cols: Vec<Collation> = witnesses
        .par_iter()
        .map(|w| collate(reference, w, kb))
        .collect();
    let mut out = Vec::new();
    for (i, w) in witnesses.iter().enumerate() {
        let others: Vec<(&Document, &Collation)> = witnesses
            .iter()
            .zip(&cols)
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, (d, c))| (*d, c))
            .collect();
        findings_for(reference, w, &cols[i], &others, &mut out);
        // Not a copy: another account of the same events, compared fact by fact instead.
        if not_a_copy(w, &cols[i]) {
            // Corroboration reads the units' folds: made again if they were released.
            out.extend(crate::corroborate::conflicts(
                &w.with_folds(),
                &reference.with_folds(),
                kb,
            ));
        }
    }
    out
}

#[derive(Serialize)]
struct JsonSpan {
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start: usize,
    end: usize,
}

fn jspan(d: &Document, r: Range<usize>) -> JsonSpan {
    let l = Location::in_doc(d, r);
    JsonSpan {
        file: l.file,
        line: l.line,
        column: l.column,
        end_line: l.end_line,
        end_column: l.end_column,
        start: l.start,
        end: l.end,
    }
}

/// The printed apparatus (`collatio collate`), or its JSON form.
pub fn apparatus(
    reference: &Document,
    witnesses: &[Document],
    kb: &Knowledge,
    json: bool,
) -> String {
    let cols: Vec<Collation> = witnesses
        .iter()
        .map(|w| collate(reference, w, kb))
        .collect();
    if json {
        let v: Vec<serde_json::Value> = witnesses
            .iter()
            .zip(&cols)
            .map(|(w, c)| {
                serde_json::json!({
                    "witness": w.display,
                    "aligned_share": c.aligned_share,
                    "covered": c.covered.map(|(f, l)| serde_json::json!({"from": jspan(reference, reference.units[f].span.clone()), "to": jspan(reference, reference.units[l].span.clone())})),
                    "pairs": c.pairs.iter().map(|p| serde_json::json!({
                        "reference": jspan(reference, reference.units[p.r].span.clone()),
                        "witness": jspan(w, w.units[p.w].span.clone()),
                        "equal": p.equal,
                        "moved": p.moved,
                        "variants": p.variants.iter().map(|v| serde_json::json!({
                            "kind": v.kind,
                            "reference": jspan(reference, v.ref_span.0..v.ref_span.1),
                            "witness": jspan(w, v.wit_span.0..v.wit_span.1),
                            "reference_text": v.ref_text,
                            "witness_text": v.wit_text,
                            "ignored": v.kind.ignored(),
                        })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                    "dropped": c.dropped.iter().map(|&r| jspan(reference, reference.units[r].span.clone())).collect::<Vec<_>>(),
                    "inserted": c.inserted.iter().map(|&u| jspan(w, w.units[u].span.clone())).collect::<Vec<_>>(),
                    "outside": c.outside.iter().map(|&u| jspan(w, w.units[u].span.clone())).collect::<Vec<_>>(),
                    "chrome": w.units.iter().filter_map(|u| u.evidence.map(|e| serde_json::json!({"at": jspan(w, u.span.clone()), "evidence": e.describe()}))).collect::<Vec<_>>(),
                })
            })
            .collect();
        let doc = serde_json::json!({"reference": reference.display, "witnesses": v});
        return serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    }
    // The readable apparatus lives with the other views of a collation.
    crate::report::apparatus::text(reference, witnesses, &cols)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FoldSummary;

    const REFERENCE: &str = "# 大事记\n\n3月1日\n\n◆外交部发言人介绍有关情况，共有12个国家参加会议。\n\n◆国务院新闻办公室举行新闻发布会，介绍春季学期开学安排。\n\n◆市人民政府发布复工复产工作方案，涉及35家企业。\n\n3月2日\n\n◆省教育厅通报最新进展，全省学校分批开学。\n\n◆国家卫生健康委员会部署下一阶段防控工作，\n\n（下转第2版）\n\n强调不得放松。\n";
    const WITNESS: &str = "# 大事记\n\n3月1日\n\n◆外交部發言人介紹有關情況，共有21个国家参加会议。\n\n◆市人民政府发布复工复产工作方案，涉及35家企业。\n\n3月2日\n\n◆国务院新闻办公室举行新闻发布会，介绍春季学期开学安排。\n\n◆省教育厅通报最新进展，全省学校不分批开学。\n\n◆一则原文没有的消息。\n\n◆国家卫生健康委员会部署下一阶段防控工作，强调不得放松。\n";

    /// Collation of documents whose folds are released (folded again on demand) gives the
    /// findings and the apparatus of documents that hold them.
    #[test]
    fn released_folds_collate_as_held_ones() {
        let checker = crate::engine::Checker::new(Knowledge::embedded());
        let r = checker.document_from_text("ref.txt", REFERENCE);
        let w = checker.document_from_text("wit.txt", WITNESS);
        let held = check_group(&r, &[&w], &checker.kb);
        let (mut r2, mut w2) = (r.clone(), w.clone());
        r2.release_folds();
        w2.release_folds();
        assert!(r2.units.iter().all(|u| u.norm().chars.capacity() == 0));
        let released = check_group(&r2, &[&w2], &checker.kb);
        let rules: Vec<&str> = held.iter().map(|f| f.rule.as_str()).collect();
        for want in [
            "altered-event/number",
            "altered-event/negation",
            "inserted-event/extra-unit",
            "date-structure/moved",
        ] {
            assert!(rules.contains(&want), "{want} not in {rules:?}");
        }
        assert_eq!(format!("{held:?}"), format!("{released:?}"));
        let text =
            |r: &Document, w: &Document| apparatus(r, std::slice::from_ref(w), &checker.kb, false);
        assert_eq!(text(&r, &w), text(&r2, &w2));
        let json =
            |r: &Document, w: &Document| apparatus(r, std::slice::from_ref(w), &checker.kb, true);
        assert_eq!(json(&r, &w), json(&r2, &w2));
    }

    /// The page furniture outside a witness's aligned stretch is listed in witness order, so
    /// the apparatus is the same at every run (it was a hash set's order: the seeds' JSON
    /// apparatus changed from run to run).
    #[test]
    fn furniture_outside_the_stretch_is_listed_in_order() {
        let checker = crate::engine::Checker::new(Knowledge::embedded());
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
        let read = |prefix: &str| {
            let e = std::fs::read_dir(&seeds)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
                .unwrap();
            checker.document_from_text("x.txt", &std::fs::read_to_string(e).unwrap())
        };
        let (r, w) = (read("000_"), read("002_"));
        let col = collate(&r, &w, &checker.kb);
        assert!(col.outside.len() > 3, "{:?}", col.outside);
        assert!(
            col.outside.windows(2).all(|p| p[0] < p[1]),
            "{:?}",
            col.outside
        );
    }

    /// Documents whose texts are released to their files (read back on demand) collate as
    /// documents that hold them: the same findings, apparatus and folds, on a pair and on the
    /// seeds; and a released text comes back whole.
    #[test]
    fn released_texts_collate_as_held_ones() {
        let kb = Knowledge::embedded();
        let dir = tempfile::tempdir().unwrap();
        let load = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            let d = crate::pipeline::load_file(&p, &Default::default(), &kb).unwrap();
            let mut released = d.clone();
            released.release_folds();
            assert!(released.release_text(), "{name}: a plain UTF-8 file");
            assert!(released.text.is_empty());
            (d, released)
        };
        let (r, r2) = load("ref.txt", REFERENCE);
        let (w, w2) = load("wit.txt", WITNESS);
        let held = check_group(&r, &[&w], &kb);
        assert!(!held.is_empty());
        assert_eq!(
            format!("{held:?}"),
            format!("{:?}", check_group(&r2, &[&w2], &kb))
        );
        for json in [false, true] {
            let text =
                |r: &Document, w: &Document| apparatus(r, std::slice::from_ref(w), &kb, json);
            assert_eq!(text(&r, &w), text(&r2, &w2));
        }
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
        for e in std::fs::read_dir(seeds).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let (d, mut released) = load("seed.txt", &std::fs::read_to_string(&p).unwrap());
            for (i, u) in d.units.iter().enumerate() {
                assert_eq!(&*released.fold(i), u.norm(), "{}: unit {i}", p.display());
                assert_eq!(released.line_col(u.span.end), d.line_col(u.span.end));
                assert_eq!(released.text_at(u.span.clone()), d.text_at(u.span.clone()));
            }
            assert!(released.hold_text());
            assert_eq!(released.text, d.text);
        }
    }

    /// A unit's fold made again from the text is the one segmentation made, for every unit of
    /// the seeds (real witnesses: page breaks, markers, both scripts).
    #[test]
    fn refold_equals_the_segmented_fold() {
        let checker = crate::engine::Checker::new(Knowledge::embedded());
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
        let mut split = 0;
        for e in std::fs::read_dir(seeds).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let d = checker.document_from_text("x.txt", &text);
            split += d.units.iter().filter(|u| u.parts().len() > 1).count();
            let mut released = d.clone();
            released.release_folds();
            for (u, v) in d.units.iter().zip(&released.units) {
                assert_eq!(&u.refold(&d.text), u.norm());
                assert_eq!(&*v.fold(&d.text), u.norm());
                assert_eq!(
                    v.fold_summary(),
                    FoldSummary {
                        released: true,
                        ..u.fold_summary()
                    }
                );
                assert_eq!(v.fold_len(), u.norm().len());
            }
        }
        assert!(split > 0, "a unit split by a page break");
    }

    #[test]
    fn every_rule_a_variant_can_get_is_listed_as_a_variant_rule() {
        use VariantKind::*;
        let kinds = [
            Punctuation,
            Script,
            Regional,
            Wording,
            FunctionWord,
            Phrase,
            Character,
            Ocr,
            Converter,
            Number,
            Negation,
            Title,
            Name,
            Organisation,
        ];
        for k in kinds {
            if let Some(r) = rule_for(k) {
                assert!(
                    VARIANT_RULES.iter().any(|v| v.id == r.id),
                    "{k:?} → {}",
                    r.id
                );
            }
        }
    }
}
