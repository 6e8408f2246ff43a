//! Provenance: front matter checked against itself and against the text.
//!
//! - the archive URL (`url`, a Wayback-style `…/web/<timestamp>/<original>`) embeds `original_url`;
//! - the archive timestamp is not earlier than the publication `date`;
//! - a dateline in the text (`新华社北京4月6日电`) agrees with `date`;
//! - dates are calendar dates (`2020-02-30` is refused), the archive timestamp's too;
//! - front matter that cannot be read is reported;
//! - site boilerplate (subscription footers, navigation) is marked as such and not collated.

use super::{DocRule, RuleInfo};
use crate::dates::{iso_date, parse_number};
use crate::finding::{Category, FindingBuilder, Location, Severity};
use crate::knowledge::Knowledge;
use crate::model::{Document, UnitKind};
use jiff::civil::Date;
use regex::Regex;
use std::sync::OnceLock;

/// Rule `provenance/archive-url-mismatch` (PV001): the archive URL does not embed the stated original URL.
pub const URL_MISMATCH: RuleInfo = RuleInfo {
    id: "provenance/archive-url-mismatch",
    code: "PV001",
    category: Category::Provenance,
    severity: Severity::Error,
    summary: "the archive URL does not embed the stated original URL",
    explain: "\
What it does: for an archive URL of the form https://web.archive.org/web/<timestamp>/<original>,
checks that <original> is the front matter's `original_url` (scheme, `www.`, a trailing slash and
percent-encoding case do not matter).

Why: a copy whose archive link points elsewhere was filed under the wrong source.

Silence: `--severity provenance/archive-url-mismatch=off`.",
};

/// Rule `provenance/archive-before-publication` (PV002): the archive snapshot is dated before the publication date.
pub const ARCHIVE_BEFORE: RuleInfo = RuleInfo {
    id: "provenance/archive-before-publication",
    code: "PV002",
    category: Category::Provenance,
    severity: Severity::Error,
    summary: "the archive snapshot is dated before the publication date",
    explain: "\
What it does: compares the 14-digit timestamp in the archive URL with the front matter's `date`.
A snapshot cannot precede publication; one of the two is wrong.

Silence: `--severity provenance/archive-before-publication=off`.",
};

/// Rule `provenance/dateline-mismatch` (PV003): the dateline in the text disagrees with the stated date.
pub const DATELINE: RuleInfo = RuleInfo {
    id: "provenance/dateline-mismatch",
    code: "PV003",
    category: Category::Provenance,
    severity: Severity::Warning,
    summary: "the dateline in the text disagrees with the stated date",
    explain: "\
What it does: reads datelines such as 新华社北京4月6日电 or (新华社北京4月6日电) and compares them
with the front matter's `date`. A dateline may precede publication by a few days; one after the
stated date, or more than a week before it, is reported.

Silence: `--severity provenance/dateline-mismatch=off`.",
};

/// Rule `provenance/boilerplate` (PV004): site boilerplate (footer, navigation) marked and left out of collation.
pub const BOILERPLATE: RuleInfo = RuleInfo {
    id: "provenance/boilerplate",
    code: "PV004",
    category: Category::Provenance,
    severity: Severity::Note,
    summary: "site boilerplate (footer, navigation) marked and left out of collation",
    explain: "\
What it does: notes blocks of site furniture (subscription footers, navigation, link lines, as
listed in rules/layout.toml) so a reader knows they were not compared.

Silence: `--severity provenance/boilerplate=off`.",
};

/// Rule `provenance/bad-date` (PV005): a front-matter date that cannot be read.
pub const BAD_DATE: RuleInfo = RuleInfo {
    id: "provenance/bad-date",
    code: "PV005",
    category: Category::Provenance,
    severity: Severity::Warning,
    summary: "a front-matter date that cannot be read",
    explain: "\
What it does: reports a `date` or `last_updated` that is not YYYY-MM-DD (time optional) or not a
day of the calendar (2020-02-30), a `last_updated` earlier than `date`, and an archive URL whose
snapshot timestamp is written in digits other than ASCII (२०२००१०१, ２０２００１０１) or is not a
calendar date (20200230…).

Silence: `--severity provenance/bad-date=off`.",
};

/// Rule `provenance/bad-front-matter` (PV007): front matter that cannot be read.
pub const BAD_FRONT_MATTER: RuleInfo = RuleInfo {
    id: "provenance/bad-front-matter",
    code: "PV007",
    category: Category::Provenance,
    severity: Severity::Error,
    summary: "front matter that cannot be read (unclosed, not YAML, or not a map of fields)",
    explain: "\
What it does: reports a text that opens with a `---` line whose front matter cannot be read: no
closing `---` (or `...`) line within its first 64 KiB, YAML the parser refuses (the finding is at
the place the parser stopped, with its words), or YAML that is not a map of `key: value` fields.
None of the file's provenance fields (url, date, title …) can then be checked; the body is still
checked (all of the text, when the front matter is never closed).

Example: `title: \"会议纪要` (an unclosed quote), or `tags: [a, b` (an unclosed list).

Silence: `--severity provenance/bad-front-matter=off`.",
};

/// Checks front matter and datelines: archive URL and date against the original, dateline against the stated date, boilerplate, unreadable dates.
pub struct Provenance;

/// Days from `from` to `to` (negative when `to` is earlier).
fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map_or(0, |span| i64::from(span.get_days()))
}

fn canon_url(u: &str) -> String {
    let u = u.trim();
    let u = u.split_once("://").map_or(u, |(_, r)| r);
    let u = u.strip_prefix("www.").unwrap_or(u);
    let u = u.trim_end_matches('/');
    // Percent-escapes compare case-insensitively. By characters, not bytes: a URL may hold
    // any text, and a byte pushed as a char would turn UTF-8 into Latin-1.
    let mut out = String::with_capacity(u.len());
    let mut it = u.chars().peekable();
    while let Some(c) = it.next() {
        out.push(c);
        if c == '%' {
            for _ in 0..2 {
                if let Some(h) = it.next_if(char::is_ascii_hexdigit) {
                    out.push(h.to_ascii_uppercase());
                }
            }
        }
    }
    out
}

fn archive_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // ASCII digits only: `\d` matches every script's digits (२०२०, ２０２０), and the
    // timestamp is then sliced by bytes.
    RE.get_or_init(|| Regex::new(r"/web/([0-9]{4,14})[a-z_]*/(.+)$").expect("static pattern"))
}

/// A Wayback-style URL whose timestamp holds digits of another script (२०२००१०१, ２０２０…):
/// no archive resolves it. Gives the timestamp as written.
fn foreign_digit_timestamp(url: &str) -> Option<&str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"/web/(\d{4,14})[a-z_]*/").expect("static pattern"));
    let ts = re.captures(url)?.get(1)?.as_str();
    (!ts.bytes().all(|b| b.is_ascii_digit())).then_some(ts)
}

fn dateline_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:新华社|新華社|中新社|中新網|中新网|人民日报|人民日報|央视|央視|本报|本報)[\p{Han}]{0,6}?([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})月([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})日(?:电|電)")
            .expect("static pattern")
    })
}

impl DocRule for Provenance {
    fn infos(&self) -> &'static [RuleInfo] {
        &[
            URL_MISMATCH,
            ARCHIVE_BEFORE,
            DATELINE,
            BOILERPLATE,
            BAD_DATE,
            BAD_FRONT_MATTER,
        ]
    }

    fn check(&self, doc: &Document, _kb: &Knowledge, out: &mut super::Findings) {
        if let Some(e) = &doc.provenance.front_matter_error {
            out.push(
                FindingBuilder::new(&BAD_FRONT_MATTER, doc, e.span.clone())
                    .message(e.message.clone())
                    .label("front matter")
                    .help(e.help)
                    .subject(e.message.clone())
                    .build(),
            );
        }
        let pub_date = publication_date(doc, out);
        if let Some(pd) = pub_date {
            check_last_updated(doc, pd, out);
        }
        if let Some(url) = doc.provenance.field("url") {
            check_archive_url(doc, url, pub_date, out);
        }
        if let Some(pd) = pub_date {
            check_datelines(doc, pd, out);
        }
        mark_boilerplate(doc, out);
    }
}

/// The span of front-matter field `k` (empty when the field is absent).
fn span_of(doc: &Document, k: &str) -> std::ops::Range<usize> {
    doc.provenance.field_spans.get(k).cloned().unwrap_or(0..0)
}

/// The front matter's `date` as a date; one that cannot be read is a finding.
fn publication_date(doc: &Document, out: &mut super::Findings) -> Option<Date> {
    let d = doc.provenance.field("date")?;
    match iso_date(d) {
        Ok(d) => Some(d),
        Err(why) => {
            out.push(
                FindingBuilder::new(&BAD_DATE, doc, span_of(doc, "date"))
                    .message(format!("front-matter date “{d}” is not a date: {why}"))
                    .label("unreadable date")
                    .help("write the publication date as YYYY-MM-DD, a day that exists")
                    .subject(d.to_string())
                    .build(),
            );
            None
        }
    }
}

/// `last_updated` must be a date, not earlier than the publication date `pd`.
fn check_last_updated(doc: &Document, pd: Date, out: &mut super::Findings) {
    let Some(lu) = doc.provenance.field("last_updated") else {
        return;
    };
    let date = doc.provenance.field("date").unwrap_or("");
    match iso_date(lu) {
        Ok(l) if l < pd => out.push(
            FindingBuilder::new(&BAD_DATE, doc, span_of(doc, "last_updated"))
                .message(format!(
                    "last_updated “{lu}” is earlier than the publication date {date}"
                ))
                .label("before publication")
                .help("one of the two dates is wrong; check the source page")
                .subject(format!("last_updated<{lu}"))
                .build(),
        ),
        Err(why) => out.push(
            FindingBuilder::new(&BAD_DATE, doc, span_of(doc, "last_updated"))
                .message(format!("last_updated “{lu}” is not a date: {why}"))
                .label("unreadable date")
                .help("write it as YYYY-MM-DD HH:MM:SS")
                .subject(format!("last_updated:{lu}"))
                .build(),
        ),
        _ => {}
    }
}

/// The archive URL: its timestamp in ASCII digits and a calendar date, not before the
/// publication date, and the original URL it embeds the stated `original_url`.
fn check_archive_url(doc: &Document, url: &str, pub_date: Option<Date>, out: &mut super::Findings) {
    if let Some(ts) = foreign_digit_timestamp(url) {
        out.push(
            FindingBuilder::new(&BAD_DATE, doc, span_of(doc, "url"))
                .message(format!("the archive URL's timestamp “{ts}” is not written in ASCII digits"))
                .label("unreadable snapshot timestamp")
                .help("archives write the snapshot time as 14 ASCII digits (YYYYMMDDhhmmss); copy the link again from the archive")
                .subject(format!("url-timestamp:{ts}"))
                .build(),
        );
    }
    let Some(c) = archive_re().captures(url) else {
        return;
    };
    let ts = &c[1];
    let embedded = &c[2];
    if let Some(orig) = doc.provenance.field("original_url") {
        if canon_url(embedded) != canon_url(orig) {
            out.push(
                FindingBuilder::new(&URL_MISMATCH, doc, span_of(doc, "url"))
                    .message("the archive URL does not embed the stated original_url")
                    .label(format!("archives {}", embedded))
                    .related(Some(Location::in_doc(doc, span_of(doc, "original_url"))), format!("original_url is {orig}"))
                    .help("check which page was archived; fix url or original_url so they name the same page")
                    .subject(format!("{embedded}|{orig}"))
                    .build(),
            );
        }
    }
    check_snapshot_date(doc, ts, pub_date, out);
}

/// The archive timestamp `ts` (ASCII digits) must be a calendar date, not before `pub_date`.
fn check_snapshot_date(
    doc: &Document,
    ts: &str,
    pub_date: Option<Date>,
    out: &mut super::Findings,
) {
    let snapshot = (ts.len() >= 8).then(|| {
        let n = |r: std::ops::Range<usize>| ts[r].parse().unwrap_or(0);
        crate::dates::ymd_date(n(0..4), n(4..6), n(6..8))
    });
    if let Some(Err(why)) = &snapshot {
        out.push(
            FindingBuilder::new(&BAD_DATE, doc, span_of(doc, "url"))
                .message(format!("the archive URL's timestamp “{ts}” is not a date: {why}"))
                .label("impossible snapshot date")
                .help("archives write the snapshot time as YYYYMMDDhhmmss; copy the link again from the archive")
                .subject(format!("url-date:{ts}"))
                .build(),
        );
    }
    let date = doc.provenance.field("date").unwrap_or("");
    if let (Some(pd), Some(Ok(snap))) = (pub_date, snapshot) {
        if snap < pd {
            out.push(
                FindingBuilder::new(&ARCHIVE_BEFORE, doc, span_of(doc, "url"))
                    .message(format!("archive snapshot {snap} is earlier than the publication date {date}"))
                    .label("snapshot timestamp")
                    .related(Some(Location::in_doc(doc, span_of(doc, "date"))), "publication date")
                    .help("a page cannot be archived before it was published: the date or the archive link is wrong")
                    .subject(format!("{ts}<{date}"))
                    .build(),
            );
        }
    }
}

/// Datelines near the start or end of the body against the publication date `pd`.
fn check_datelines(doc: &Document, pd: Date, out: &mut super::Findings) {
    // Datelines open or close a dispatch: look at the first and last few lines only.
    let body = &doc.text[doc.body_start..];
    let head_end = crate::model::floor_char_boundary(body, 3000);
    let tail_start =
        crate::model::floor_char_boundary(body, body.len().saturating_sub(1500)).max(head_end);
    let windows = [(0, &body[..head_end]), (tail_start, &body[tail_start..])];
    for (off, c) in windows.iter().flat_map(|(off, w)| {
        dateline_re()
            .captures_iter(w)
            .take(3)
            .map(move |c| (*off, c))
    }) {
        let (Some(m), Some(d)) = (parse_number(&c[1]), parse_number(&c[2])) else {
            continue;
        };
        // The dateline has no year: take the publication year, or the one before when
        // the dateline's month is later (a 12月31日 dispatch published 1月2日).
        let y = if m > pd.month() as u32 {
            pd.year() - 1
        } else {
            pd.year()
        };
        // A dateline day that does not exist (2月30日) is not one to compare.
        let Ok(dl) = crate::dates::ymd_date(y, m.min(99) as i16, d.min(99) as i16) else {
            continue;
        };
        let diff = days_between(dl, pd);
        if !(0..=7).contains(&diff) {
            let whole = c.get(0).map_or(0..0, |x| x.range());
            let r = doc.body_start + off + whole.start..doc.body_start + off + whole.end;
            let date = doc.provenance.field("date").unwrap_or("");
            out.push(
                FindingBuilder::new(&DATELINE, doc, r)
                    .message(format!("dateline {}月{}日 disagrees with the stated date {}", m, d, date))
                    .label("dateline")
                    .related(Some(Location::in_doc(doc, span_of(doc, "date"))), "front-matter date")
                    .help("a dispatch is published on its dateline's day or shortly after; check the date in the front matter")
                    .subject(format!("{m}-{d}|{}", date))
                    .build(),
            );
        }
    }
}

/// Boilerplate: one note per contiguous block.
fn mark_boilerplate(doc: &Document, out: &mut super::Findings) {
    let mut i = 0;
    let units = &doc.units;
    while i < units.len() {
        if units[i].kind != UnitKind::Boilerplate {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < units.len() && units[j + 1].kind == UnitKind::Boilerplate {
            j += 1;
        }
        let r = units[i].span.start..units[j].span.end;
        let text: String = units[i..=j].iter().map(|u| u.norm_text()).collect();
        if !text.chars().all(|c| c == '-' || c == '*' || c == '_') {
            out.push(
                FindingBuilder::new(&BOILERPLATE, doc, r)
                    .message("site boilerplate, left out of collation")
                    .label("not part of the text")
                    .help("this block is the site's furniture (footer, navigation), not the archived text")
                    .subject(text)
                    .build(),
            );
        }
        i = j + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_arithmetic() {
        let d = |s| crate::dates::iso_date(s).unwrap();
        assert_eq!(days_between(d("2020-04-06"), d("2020-04-07")), 1);
        assert_eq!(days_between(d("2020-02-28"), d("2020-03-01")), 2);
        assert_eq!(days_between(d("2021-01-02"), d("2020-12-31")), -2);
    }

    #[test]
    fn urls_compare_loosely() {
        assert_eq!(
            canon_url("https://www.x.com/a%e6/"),
            canon_url("http://x.com/a%E6")
        );
        assert_ne!(canon_url("https://x.com/a"), canon_url("https://x.com/b"));
        assert_eq!(canon_url("http://例子.cn/%e6%例"), "例子.cn/%E6%例");
    }

    #[test]
    fn timestamps_in_other_digits_are_named_not_sliced() {
        let u = "https://web.archive.org/web/२०२००१०१/https://example.org/a";
        assert_eq!(foreign_digit_timestamp(u), Some("२०२००१०१"));
        assert!(archive_re().captures(u).is_none());
        let u = "https://web.archive.org/web/２０２００１０１１２００００/https://example.org/a";
        assert!(foreign_digit_timestamp(u).is_some());
        let u = "https://web.archive.org/web/20200101120000/https://example.org/a";
        assert_eq!(foreign_digit_timestamp(u), None);
        assert_eq!(&archive_re().captures(u).unwrap()[1], "20200101120000");
    }
}
