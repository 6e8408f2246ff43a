//! The readable apparatus of `collatio collate` (text): for each witness, its variants in
//! reference order grouped under the date headings, each reading with a few characters of
//! context on both sides and both locations; with two or more witnesses, a table with one row per
//! place of the reference and each witness's reading (the alignment table CollateX users know).

use super::readings::{self, Row};
use crate::collate::{Collation, Variant};
use crate::model::Document;
use crate::util::excerpt;
use std::fmt::Write;

/// Characters of context shown either side of a reading.
pub const CONTEXT: usize = 6;

/// The text apparatus of `witnesses` collated against `reference` (`cols[i]` is witness `i`'s).
pub fn text(reference: &Document, witnesses: &[Document], cols: &[Collation]) -> String {
    let mut s = String::new();
    for (w, c) in witnesses.iter().zip(cols) {
        witness_section(&mut s, reference, w, c);
    }
    if witnesses.len() >= 2 {
        table(&mut s, reference, witnesses, cols);
    }
    // Readings quote the archive: control and bidi characters are shown, never sent.
    crate::util::visible(&s).into_owned()
}

/// A reading in its context: `…left[reading]right…`, `[∅]` for nothing.
fn in_context(doc: &Document, unit: usize, span: (usize, usize)) -> String {
    let (l, r) = readings::context(doc, unit, span, CONTEXT);
    let mid = readings::flat(doc, span.0..span.1);
    let mid = if mid.is_empty() {
        "∅".to_string()
    } else {
        excerpt(&mid, 30)
    };
    format!("…{l}[{mid}]{r}…")
}

fn summary(s: &mut String, reference: &Document, w: &Document, c: &Collation) {
    let _ = writeln!(
        s,
        "═══ {} against {} (reference)",
        w.display, reference.display
    );
    let changed = c
        .pairs
        .iter()
        .filter(|p| p.variants.iter().any(|v| !v.kind.ignored()))
        .count();
    let _ = writeln!(
        s,
        "    {} units aligned ({} identical after normalization, {} with variants), {} dropped, {} inserted, {} moved",
        c.pairs.len(),
        c.pairs.len() - changed,
        changed,
        c.dropped.len(),
        c.inserted.len(),
        c.pairs.iter().filter(|p| p.moved).count()
    );
    if let Some((f, l)) = c.covered {
        let _ = writeln!(
            s,
            "    covers reference lines {}–{}",
            reference.line_col(reference.units[f].span.start).0,
            reference.line_col(reference.units[l].span.start).0
        );
    }
}

fn witness_section(s: &mut String, reference: &Document, w: &Document, c: &Collation) {
    summary(s, reference, w, c);
    // A date heading is printed when something is printed under it, or when the witness lacks it.
    let mut heading: Option<String> = None;
    for (i, row) in readings::rows(reference, w, c).into_iter().enumerate() {
        let body = row_text(reference, w, c, row);
        if let Row::Section { r, w: wh } = row {
            let (rl, _) = reference.line_col(reference.units[r].span.start);
            let title = readings::flat(reference, reference.units[r].span.clone());
            let line = match wh {
                Some(u) => format!(
                    "  ── {title}  ({}:{rl}; {}:{})\n",
                    reference.display,
                    w.display,
                    w.line_col(w.units[u].span.start).0
                ),
                // The first heading may lie beyond the witness's cut start: not a loss.
                None if i == 0 => format!(
                    "  ── {title}  ({}:{rl}; {} starts after it)\n",
                    reference.display, w.display
                ),
                None => {
                    s.push_str(&format!(
                        "  ── {title}  ({}:{rl}; no such heading in {}: its events sit under the previous date)\n",
                        reference.display, w.display
                    ));
                    heading = None;
                    continue;
                }
            };
            heading = Some(line);
            continue;
        }
        if body.is_empty() {
            continue;
        }
        if let Some(h) = heading.take() {
            s.push_str(&h);
        }
        s.push_str(&body);
    }
    s.push('\n');
}

fn row_text(reference: &Document, w: &Document, c: &Collation, row: Row) -> String {
    match row {
        Row::Section { .. } => String::new(),
        Row::Pair(k) => {
            let p = &c.pairs[k];
            let vs: Vec<&Variant> = p.variants.iter().filter(|v| !v.kind.ignored()).collect();
            if vs.is_empty() && !p.moved {
                return String::new();
            }
            let (rl, _) = reference.line_col(reference.units[p.r].span.start);
            let (wl, _) = w.line_col(w.units[p.w].span.start);
            let mut out = format!(
                "  {}:{rl} ↔ {}:{wl}{}\n",
                reference.display,
                w.display,
                if p.moved { "  (moved)" } else { "" }
            );
            for v in vs {
                let (rl, rc) = reference.line_col(v.ref_span.0);
                let (wl, wc) = w.line_col(v.wit_span.0);
                let _ = writeln!(
                    out,
                    "      {:<22} {} ({rl}:{rc})\n      {:<22} {} ({wl}:{wc})",
                    v.kind.describe(),
                    in_context(reference, p.r, v.ref_span),
                    "  →",
                    in_context(w, p.w, v.wit_span),
                );
            }
            out
        }
        Row::Dropped(r) => format!(
            "  {}:{} — dropped: “{}”\n",
            reference.display,
            reference.line_col(reference.units[r].span.start).0,
            excerpt(
                &readings::flat(reference, reference.units[r].span.clone()),
                40
            )
        ),
        Row::Inserted(u) => format!(
            "  {}:{} + inserted: “{}”\n",
            w.display,
            w.line_col(w.units[u].span.start).0,
            excerpt(&readings::flat(w, w.units[u].span.clone()), 40)
        ),
    }
}

/// One row per place where some witness has a reported variant, each witness's reading in it.
fn table(s: &mut String, reference: &Document, witnesses: &[Document], cols: &[Collation]) {
    let _ = writeln!(
        s,
        "═══ readings at each place ({} witnesses and the reference)",
        witnesses.len()
    );
    // For each reference unit, each witness's pair (if any).
    let mut by_ref: std::collections::BTreeMap<usize, Vec<Option<usize>>> = Default::default();
    for (i, c) in cols.iter().enumerate() {
        for (k, p) in c.pairs.iter().enumerate() {
            if p.variants.iter().any(|v| !v.kind.ignored()) {
                by_ref.entry(p.r).or_insert_with(|| vec![None; cols.len()])[i] = Some(k);
            }
        }
    }
    // Witnesses with an identical unit have no variants: find their pair too.
    for (&r, slot) in by_ref.iter_mut() {
        for (i, c) in cols.iter().enumerate() {
            if slot[i].is_none() {
                slot[i] = c.pairs.iter().position(|p| p.r == r);
            }
        }
    }
    let width = witnesses
        .iter()
        .map(|w| w.display.chars().count())
        .chain([reference.display.chars().count()])
        .max()
        .unwrap_or(0);
    for (r, slot) in by_ref {
        place_rows(s, reference, witnesses, cols, r, &slot, width);
    }
    s.push('\n');
}

fn place_rows(
    s: &mut String,
    reference: &Document,
    witnesses: &[Document],
    cols: &[Collation],
    r: usize,
    slot: &[Option<usize>],
    width: usize,
) {
    // The folds of this row's units (held, or made again when the documents' are released).
    let na = reference.fold(r);
    let nw: Vec<Option<std::borrow::Cow<crate::normalize::Normalized>>> = slot
        .iter()
        .enumerate()
        .map(|(i, k)| k.map(|k| witnesses[i].fold(cols[i].pairs[k].w)))
        .collect();
    let hs: Vec<Vec<readings::Hunk>> = nw
        .iter()
        .map(|n| match n {
            Some(n) => readings::hunks(&na.chars, &n.chars),
            None => Vec::new(),
        })
        .collect();
    let refs: Vec<&[readings::Hunk]> = hs.iter().map(|h| h.as_slice()).collect();
    for (f, t) in readings::places(&refs) {
        let kinds: Vec<Option<&Variant>> = slot
            .iter()
            .enumerate()
            .map(|(i, k)| k.and_then(|k| readings::variant_at(&cols[i].pairs[k], f, t)))
            .collect();
        if !kinds.iter().flatten().any(|v| !v.kind.ignored()) {
            continue;
        }
        let rspan = crate::collate::raw_of(reference, &na, r, f, t);
        let (l, c) = reference.line_col(rspan.0);
        let _ = writeln!(
            s,
            "  {}:{l}:{c}  {}",
            reference.display,
            in_context(reference, r, rspan)
        );
        let _ = writeln!(
            s,
            "      {:<width$}  “{}”  (reference)",
            reference.display,
            readings::flat(reference, rspan.0..rspan.1)
        );
        for (i, w) in witnesses.iter().enumerate() {
            let line = match slot[i] {
                None => "— (no aligned unit)".to_string(),
                Some(k) => {
                    let wu = cols[i].pairs[k].w;
                    let (x, y) = readings::reading(&hs[i], f, t);
                    let span = match &nw[i] {
                        Some(n) => crate::collate::raw_of(w, n, wu, x, y),
                        None => (0, 0),
                    };
                    let kind = kinds[i].map_or("same as the reference".to_string(), |v| {
                        v.kind.describe().to_string()
                    });
                    format!(
                        "“{}”  ({}:{}; {kind})",
                        readings::flat(w, span.0..span.1),
                        w.line_col(span.0).0,
                        w.line_col(span.0).1
                    )
                }
            };
            let _ = writeln!(s, "      {:<width$}  {line}", w.display);
        }
    }
}
