//! `collatio rules import-wikidata`: office-holders from a Wikidata Query Service result, written
//! as a rules file.
//!
//! The input is the SPARQL 1.1 JSON results format (`head.vars`, `results.bindings`, each binding
//! `{ "type": "uri" | "literal", "value": … }`) of the query the README gives: one row per term
//! (position held, P39, with its start P580 and end P582 qualifiers), with the position's and the
//! person's Chinese labels and aliases (zh-hans, zh-hant, zh-tw, zh-hk) joined by `|`, and the
//! position's country or organisation. Rows of one label each (`positionName`, `personName`
//! without the aggregation) are merged too.
//!
//! Each position becomes an `[[office]]` whose coverage runs from its first term to the month
//! the result was saved (or `--verified-through`), with the position's Wikidata page as the
//! source; each person a `[[person]]` with one term per row. An office that names an office of
//! the built-in data (美国总统) extends it when loaded: its holders and coverage refresh it.

use crate::error::{Error, Result};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Wikidata items of the kinds of office the title rule compares across countries.
const KINDS: &[(&str, &str)] = &[
    ("Q48352", "head-of-state"),
    ("Q2285706", "head-of-government"),
];

/// Variables of the query (see README, "Rule data").
const POSITION: &str = "position";
const PERSON: &str = "person";

#[derive(Debug, Default)]
struct OfficeRow {
    names: Vec<String>,
    english: Option<String>,
    body: Option<String>,
    kind: Option<String>,
    first: Option<String>,
}

#[derive(Debug, Default)]
struct PersonRow {
    names: Vec<String>,
    latin: Option<String>,
    /// (office qid, from, to)
    terms: Vec<(String, String, Option<String>)>,
}

/// What an import produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Offices written.
    pub offices: usize,
    /// People written.
    pub people: usize,
    /// Terms of office written.
    pub terms: usize,
    /// Rows left out: no start date, no Chinese name, or no item.
    pub skipped: usize,
}

/// The Q-id at the end of an entity URI (`http://www.wikidata.org/entity/Q42` → `Q42`).
fn qid(uri: &str) -> Option<String> {
    let q = uri.rsplit('/').next()?;
    (q.starts_with('Q') && q.len() > 1 && q[1..].bytes().all(|b| b.is_ascii_digit()))
        .then(|| q.to_string())
}

/// `YYYY-MM` from an `xsd:dateTime` (`2024-07-05T00:00:00Z`); `None` for dates before year 1000
/// or unknown values (Wikidata writes those as blank nodes or `_:`).
fn month(v: &str) -> Option<String> {
    let v = v.strip_prefix('+').unwrap_or(v);
    let (y, rest) = v.split_once('-')?;
    let m = rest.get(..2)?;
    let (yn, mn): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    ((1000..=3000).contains(&yn) && (1..=12).contains(&mn)).then(|| format!("{yn:04}-{mn:02}"))
}

/// The value of variable `var` in a binding, when bound.
fn get<'a>(row: &'a Value, var: &str) -> Option<&'a str> {
    row.get(var)?.get("value")?.as_str().map(str::trim)
}

/// Chinese names in variables `vars` (each possibly `|`-joined), added to `into` once each.
fn add_names(row: &Value, vars: &[&str], into: &mut Vec<String>) {
    for v in vars {
        for n in get(row, v).unwrap_or("").split('|') {
            let n = n.trim();
            if !n.is_empty() && n.chars().any(is_cjk) && !into.iter().any(|x| x == n) {
                into.push(n.to_string());
            }
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Read the rows into offices and people keyed by Q-id. Returns the number of rows skipped.
fn collect(
    rows: &[Value],
    offices: &mut BTreeMap<String, OfficeRow>,
    people: &mut BTreeMap<String, PersonRow>,
) -> usize {
    let mut skipped = 0;
    for row in rows {
        let (Some(pos), Some(per)) = (
            get(row, POSITION).and_then(qid),
            get(row, PERSON).and_then(qid),
        ) else {
            skipped += 1;
            continue;
        };
        let o = offices.entry(pos.clone()).or_default();
        add_names(row, &["positionNames", "positionName"], &mut o.names);
        o.english = o
            .english
            .take()
            .or(get(row, "positionLabel").map(String::from));
        o.body = o.body.take().or(get(row, "bodyLabel").map(String::from));
        if let Some(k) = get(row, "kind").and_then(qid) {
            if let Some((_, t)) = KINDS.iter().find(|(q, _)| *q == k) {
                o.kind = Some(t.to_string());
            }
        }
        let p = people.entry(per).or_default();
        add_names(row, &["personNames", "personName"], &mut p.names);
        p.latin = p.latin.take().or(get(row, "personLabel").map(String::from));
        let Some(from) = get(row, "start").and_then(month) else {
            skipped += 1;
            continue;
        };
        let to = get(row, "end").and_then(month);
        if to.as_deref().is_some_and(|t| t < from.as_str()) {
            skipped += 1;
            continue;
        }
        let term = (pos.clone(), from.clone(), to);
        if !p.terms.contains(&term) {
            p.terms.push(term);
        }
        if o.first.as_deref().is_none_or(|f| from.as_str() < f) {
            o.first = Some(from);
        }
    }
    skipped
}

/// A TOML string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| q(s)).collect();
    format!("[{}]", items.join(", "))
}

/// Convert a Wikidata Query Service JSON result into a rules file. `path` names the input in
/// errors and in the file's header; `through` is the last month the result is complete for
/// (`YYYY-MM`: when the query was run).
pub fn import(path: &str, json: &str, through: &str) -> Result<(String, Summary)> {
    let bad = |m: String| Error::data(path, json, None, m, Some(QUERY_HELP.into()));
    let v: Value = serde_json::from_str(json).map_err(|e| {
        bad(format!(
            "not a SPARQL JSON result: {e} (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let rows = v
        .pointer("/results/bindings")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no `results.bindings` array".into()))?;
    let vars: Vec<&str> = v
        .pointer("/head/vars")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for need in [POSITION, PERSON, "start"] {
        if !vars.contains(&need) {
            return Err(bad(format!("the result has no variable `{need}`")));
        }
    }
    let mut offices = BTreeMap::new();
    let mut people = BTreeMap::new();
    let mut skipped = collect(rows, &mut offices, &mut people);
    // An office or person without a Chinese name cannot be found in a text.
    offices.retain(|_, o: &mut OfficeRow| !o.names.is_empty() && o.first.is_some());
    people.retain(|_, p: &mut PersonRow| {
        p.terms.retain(|t| offices.contains_key(&t.0));
        if p.names.is_empty() {
            skipped += p.terms.len();
        }
        !p.names.is_empty() && !p.terms.is_empty()
    });
    let text = render(path, through, &offices, &people);
    let summary = Summary {
        offices: offices.len(),
        people: people.len(),
        terms: people.values().map(|p| p.terms.len()).sum(),
        skipped,
    };
    Ok((text, summary))
}

/// The rules file text.
fn render(
    path: &str,
    through: &str,
    offices: &BTreeMap<String, OfficeRow>,
    people: &BTreeMap<String, PersonRow>,
) -> String {
    let mut s = format!(
        "# Office-holders imported from Wikidata by `collatio rules import-wikidata {}`.\n\
         # Each office's holder list is taken as complete from its first term through {through}.\n\n",
        path.replace('\n', " ")
    );
    for (id, o) in offices {
        let title = o.kind.clone().unwrap_or_else(|| format!("wikidata-{id}"));
        let _ = writeln!(s, "[[office]]");
        let _ = writeln!(s, "id = {}", q(&format!("wikidata-{id}")));
        let _ = writeln!(s, "names = {}", list(&o.names));
        let _ = writeln!(s, "body = {}", q(o.body.as_deref().unwrap_or("unknown")));
        let _ = writeln!(s, "title = {}", q(&title));
        let from = o.first.as_deref().unwrap_or(through);
        let _ = writeln!(s, "verified_from = {}", q(from.min(through)));
        let _ = writeln!(s, "verified_through = {}", q(through));
        let _ = writeln!(
            s,
            "coverage_source = {}\n",
            q(&format!("https://www.wikidata.org/wiki/{id}"))
        );
    }
    for (id, p) in people {
        let _ = writeln!(s, "[[person]]");
        let _ = writeln!(s, "id = {}", q(&format!("wikidata-{id}")));
        let _ = writeln!(s, "names = {}", list(&p.names));
        if let Some(l) = &p.latin {
            let _ = writeln!(s, "latin = {}", q(l));
        }
        let _ = writeln!(s, "held = [");
        for (office, from, to) in &p.terms {
            let to = to
                .as_ref()
                .map(|t| format!(", to = {}", q(t)))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "  {{ office = {}, from = {}{to}, source = {} }},",
                q(&format!("wikidata-{office}")),
                q(from),
                q(&format!("https://www.wikidata.org/wiki/{id}"))
            );
        }
        let _ = writeln!(s, "]\n");
    }
    s
}

const QUERY_HELP: &str = "run the query in README, section \"Rule data\", on query.wikidata.org and save the result as JSON";

/// The month (`YYYY-MM`, UTC) of a time: the default end of an import's coverage is the month the
/// result file was saved.
pub fn month_of(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_from_dates_and_times() {
        assert_eq!(month("2024-07-05T00:00:00Z").as_deref(), Some("2024-07"));
        assert_eq!(month("+1952-02-06T00:00:00Z").as_deref(), Some("1952-02"));
        assert_eq!(month("t123"), None);
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_764_460_800);
        assert_eq!(month_of(t), "2025-11"); // 2025-11-30
        assert_eq!(month_of(std::time::UNIX_EPOCH), "1970-01");
    }

    #[test]
    fn rows_become_offices_and_people() {
        let json = r#"{"head":{"vars":["position","positionLabel","bodyLabel","kind","person","personLabel","start","end","positionNames","personNames"]},
          "results":{"bindings":[
            {"position":{"type":"uri","value":"http://www.wikidata.org/entity/Q1"},
             "positionLabel":{"type":"literal","value":"President of Ruritania"},
             "bodyLabel":{"type":"literal","value":"Ruritania"},
             "kind":{"type":"uri","value":"http://www.wikidata.org/entity/Q48352"},
             "person":{"type":"uri","value":"http://www.wikidata.org/entity/Q2"},
             "personLabel":{"type":"literal","value":"Rudolf Rassendyll"},
             "start":{"type":"literal","value":"2021-03-01T00:00:00Z"},
             "positionNames":{"type":"literal","value":"鲁里塔尼亚总统|魯里塔尼亞總統"},
             "personNames":{"type":"literal","value":"拉森迪尔|拉森迪爾"}},
            {"position":{"type":"uri","value":"http://www.wikidata.org/entity/Q1"},
             "person":{"type":"uri","value":"http://www.wikidata.org/entity/Q3"},
             "start":{"type":"literal","value":"2024-01-01T00:00:00Z"},
             "personNames":{"type":"literal","value":""}}
          ]}}"#;
        let (text, s) = import("r.json", json, "2025-10").unwrap();
        assert_eq!(
            s,
            Summary {
                offices: 1,
                people: 1,
                terms: 1,
                skipped: 1
            }
        );
        assert!(
            text.contains(r#"names = ["鲁里塔尼亚总统", "魯里塔尼亞總統"]"#),
            "{text}"
        );
        assert!(text.contains(r#"title = "head-of-state""#), "{text}");
        assert!(text.contains(r#"verified_from = "2021-03""#), "{text}");
        assert!(text.contains(r#"verified_through = "2025-10""#), "{text}");
        assert!(text.contains(r#"from = "2021-03", source"#), "{text}");
    }

    #[test]
    fn a_result_without_the_variables_is_an_error() {
        let e = import(
            "r.json",
            r#"{"head":{"vars":["x"]},"results":{"bindings":[]}}"#,
            "2025-01",
        )
        .unwrap_err();
        assert!(e.to_string().contains("position"), "{e}");
        assert!(import("r.json", "not json", "2025-01").is_err());
    }
}
