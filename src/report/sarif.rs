//! SARIF 2.1.0 for code-scanning dashboards: rules with descriptions and help, results with
//! locations, related locations, `partialFingerprints` and, under a baseline, `baselineState`.
//!
//! Streamed: the log's head, then one result per finding serialized from borrowed fields (in
//! parallel windows, in order), then its tail. Built as one JSON tree, an archive run of 36,000
//! findings took 0.85 s and 500 MB more than the same run in JSON Lines.

use super::ReportInput;
use crate::finding::{Finding, Location};
use crate::rules::all_infos;
use serde::Serialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::io::Write;

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: &'a str,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Loc<'a> {
    physical_location: Physical<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLoc<'a> {
    id: usize,
    message: Text<'a>,
    physical_location: Physical<'a>,
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    #[serde(rename = "collatio/v1")]
    v1: &'a str,
    #[serde(
        rename = "primaryLocationLineHash",
        skip_serializing_if = "Option::is_none"
    )]
    line_hash: Option<&'a str>,
}

/// Why a result is suppressed: accepted outside the log (the baseline, or the config's
/// `[[ignore]]` entry with its reason).
#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
}

#[derive(Serialize)]
struct Props<'a> {
    category: &'a str,
    code: &'a str,
    witness: Option<&'a str>,
}

/// One result. Keys in alphabetical order, as the log had them when it was built as a tree.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'a str>,
    level: &'a str,
    locations: [Loc<'a>; 1],
    message: Text<'a>,
    partial_fingerprints: Fingerprints<'a>,
    properties: Props<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLoc<'a>>,
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
}

fn physical(l: &Location) -> Physical<'_> {
    let (line, column) = (l.line, l.column);
    Physical {
        artifact_location: ArtifactLocation {
            uri: &l.file,
            uri_base_id: "%SRCROOT%",
        },
        region: Region {
            start_line: line,
            start_column: column,
            end_line: l.end_line.max(line),
            // SARIF regions may not be empty.
            end_column: if l.end_line > line || l.end_column > column {
                l.end_column
            } else {
                column + 1
            },
        },
    }
}

/// A finding in the log, what it says and where its rule is in the driver's list.
struct Shown<'a> {
    f: &'a Finding,
    message: &'a str,
    rule_index: Option<usize>,
}

/// The suppression of a result: the reason of the `[[ignore]]` entry that left it out, else
/// the baseline's acceptance.
fn suppressions<'a>(state: Option<&str>, ignored: Option<&'a str>) -> Vec<Suppression<'a>> {
    let justification = match ignored {
        Some(reason) => reason,
        None if state == Some("unchanged") => "accepted in the collatio baseline",
        None => return Vec::new(),
    };
    vec![Suppression {
        kind: "external",
        status: "accepted",
        justification,
    }]
}

fn result<'a>(
    shown: Shown<'a>,
    state: Option<&'a str>,
    line_hash: Option<&'a str>,
    ignored: Option<&'a str>,
) -> SarifResult<'a> {
    let Shown {
        f,
        message,
        rule_index,
    } = shown;
    SarifResult {
        baseline_state: state,
        level: f.severity.as_str(),
        locations: [Loc {
            physical_location: physical(&f.location),
        }],
        message: Text { text: message },
        partial_fingerprints: Fingerprints {
            v1: &f.fingerprint,
            line_hash,
        },
        properties: Props {
            category: f.category.as_str(),
            code: &f.code,
            witness: f.witness.as_deref(),
        },
        related_locations: f
            .related
            .iter()
            .enumerate()
            .filter_map(|(i, rel)| {
                Some(RelatedLoc {
                    id: i,
                    message: Text { text: &rel.message },
                    physical_location: physical(rel.location.as_ref()?),
                })
            })
            .collect(),
        rule_id: &f.rule,
        rule_index,
        suppressions: suppressions(state, ignored),
    }
}

/// GitHub code scanning takes at most this many results in a run.
pub const MAX_RESULTS: usize = 25_000;

/// A result of the log: a finding, and the reason of the `[[ignore]]` entry that left it out.
type Chosen<'a> = (&'a Finding, Option<&'a str>);

/// The results of the log, most severe first: the findings that are not baselined (all of
/// them with `--sarif-include-baselined`, then the findings the config's `[[ignore]]` entries
/// left out), never the baseline entries no longer found. Over [`MAX_RESULTS`], the first
/// `MAX_RESULTS - 1`, how many were left out and the first of them.
fn selected<'a>(input: &ReportInput<'a>) -> (Vec<Chosen<'a>>, usize, Option<&'a Finding>) {
    let keep = |f: &&Finding| {
        !input.baseline_used
            || input.include_baselined
            || f.baseline_state.as_deref() != Some("unchanged")
    };
    let mut v: Vec<Chosen<'a>> = super::finish::by_severity(input.findings.iter().filter(keep))
        .into_iter()
        .map(|f| (f, None))
        .collect();
    if input.include_baselined {
        // After the rest: suppressed results are the first a cap leaves out.
        let mut ignored: Vec<&super::finish::Ignored> = input.ignored.iter().collect();
        ignored.sort_by(|a, b| super::finish::most_severe_first(&a.finding, &b.finding));
        v.extend(
            ignored
                .into_iter()
                .map(|i| (&i.finding, Some(i.reason.as_str()))),
        );
    }
    if v.len() <= MAX_RESULTS {
        return (v, 0, None);
    }
    let left = v.len() - (MAX_RESULTS - 1);
    let first_left = v[MAX_RESULTS - 1].0;
    v.truncate(MAX_RESULTS - 1);
    (v, left, Some(first_left))
}

/// `primaryLocationLineHash` of every selected finding whose file text the run kept, by
/// (file, line): each file hashed once, files in parallel.
fn line_hashes(input: &ReportInput<'_>, chosen: &[Chosen<'_>]) -> HashMap<(String, usize), String> {
    use rayon::prelude::*;
    let mut by_file: HashMap<&str, HashSet<usize>> = HashMap::new();
    for (f, _) in chosen {
        if input.docs.contains_key(f.location.file.as_str()) {
            by_file
                .entry(f.location.file.as_str())
                .or_default()
                .insert(f.location.line);
        }
    }
    let files: Vec<(&str, HashSet<usize>)> = by_file.into_iter().collect();
    files
        .par_iter()
        .flat_map_iter(|(file, lines)| {
            let text = &input.docs[file].text;
            super::linehash::line_hashes(text, lines)
                .into_iter()
                .map(move |(l, h)| ((file.to_string(), l), h))
        })
        .collect()
}

/// A result that says how many results were left out (GitHub rejects a run of more than
/// [`MAX_RESULTS`]), placed at the first file left out.
fn summary_result(left: usize, first: Option<&Finding>) -> serde_json::Value {
    let file = first.map_or("", |f| f.location.file.as_str());
    json!({
        "level": "note",
        "locations": [{ "physicalLocation": {
            "artifactLocation": { "uri": file, "uriBaseId": "%SRCROOT%" },
            "region": { "startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2 }
        }}],
        "message": { "text": format!(
            "{left} more finding{} not listed: code scanning takes at most {MAX_RESULTS} results per run, the most severe first. The JSON Lines report (`--format jsonl`) lists them all.",
            super::plural(left)
        )},
        "partialFingerprints": { "collatio/v1": "collatio/truncated" },
        "ruleId": "collatio/truncated",
    })
}

fn driver() -> serde_json::Value {
    let infos = all_infos();
    let mut rules: Vec<serde_json::Value> = infos
        .iter()
        .map(|i| {
            json!({
                "id": i.id,
                "name": i.code,
                "shortDescription": { "text": i.summary },
                "fullDescription": { "text": i.explain },
                "help": { "text": i.explain },
                "defaultConfiguration": { "level": i.severity.as_str() },
                "properties": { "category": i.category.as_str() },
            })
        })
        .collect();
    rules.push(json!({
        "id": "collatio/truncated",
        "name": "TRUNCATED",
        "shortDescription": { "text": "More findings than a code-scanning run takes" },
        "fullDescription": { "text": "The run found more results than GitHub code scanning accepts in one run; the most severe are listed, and this result counts the rest. Accept or fix findings (`collatio baseline`) to bring the count down." },
        "help": { "text": "Fix or accept findings (`collatio baseline`, `[[ignore]]` in collatio.toml) until a run has fewer than 25,000; the JSON Lines report lists every finding." },
        "defaultConfiguration": { "level": "note" },
    }));
    json!({
        "name": "collatio",
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": "https://crates.io/crates/collatio",
        "rules": rules,
    })
}

/// Write the log to `w`.
pub fn write(input: &ReportInput<'_>, w: &mut dyn Write) -> std::io::Result<()> {
    let infos = all_infos();
    let (chosen, left, first_left) = selected(input);
    let hashes = line_hashes(input, &chosen);
    w.write_all(b"{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": ")?;
    serde_json::to_writer(&mut *w, &driver())?;
    // The root is where paths are relative to (the folder of collatio.toml, or the working
    // directory); its URI is the consumer's to know (the checkout, for code scanning).
    w.write_all(b"\n      },\n      \"columnKind\": \"unicodeCodePoints\",\n      \"originalUriBaseIds\": { \"%SRCROOT%\": { \"description\": { \"text\": \"The project root: the folder of collatio.toml, or the folder collatio ran in.\" } } },\n      \"results\": [")?;
    let index = |f: &Finding| infos.iter().position(|i| i.id == f.rule);
    let row = |i: usize, &(f, ignored): &Chosen<'_>, buf: &mut Vec<u8>| {
        buf.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        let message = match &f.help {
            Some(h) => format!("{} — {h}", f.message),
            None => f.message.clone(),
        };
        let state = input
            .baseline_used
            .then(|| f.baseline_state.as_deref().unwrap_or("new"));
        let hash = hashes
            .get(&(f.location.file.clone(), f.location.line))
            .map(String::as_str);
        // Serializing strings and numbers into a Vec cannot fail.
        let shown = Shown {
            f,
            message: &message,
            rule_index: index(f),
        };
        let _ = serde_json::to_writer(&mut *buf, &result(shown, state, hash, ignored));
    };
    super::write_rows(&chosen, 0, w, &row)?;
    if left > 0 {
        w.write_all(if chosen.is_empty() { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *w, &summary_result(left, first_left))?;
    }
    w.write_all(b"\n      ]\n    }\n  ]\n}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Results serialized in parallel windows form one valid log, in order; over the limit of
    /// a run, the first `MAX_RESULTS - 1` and a result counting the rest; the baseline
    /// entries no longer found are never results.
    #[test]
    fn streamed_log_is_capped_in_order_and_leaves_fixed_entries_out() {
        let n = 40_000;
        let (doc, findings, absent) = crate::report::testing::numbered_findings(n);
        let docs = [doc];
        let mut input = ReportInput::new(&findings, &docs);
        input.absent = &absent;
        input.baseline_used = true;
        let mut out = Vec::new();
        write(&input, &mut out).unwrap();
        let log: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), MAX_RESULTS);
        for (i, r) in results[..MAX_RESULTS - 1].iter().enumerate() {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            assert_eq!(region["startLine"], i + 1);
            assert_eq!(r["baselineState"], "new");
        }
        let last = &results[MAX_RESULTS - 1];
        assert_eq!(last["ruleId"], "collatio/truncated");
        let more = n - (MAX_RESULTS - 1);
        assert!(last["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{more} more findings")));
        assert_eq!(results[0]["ruleId"], "substitution/converter");
        assert!(results[0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains(" — "));
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        let k = results[0]["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[k]["id"], "substitution/converter");
        assert!(rules.iter().any(|r| r["id"] == "collatio/truncated"));
        assert!(!String::from_utf8_lossy(&out).contains("file:///"));
    }

    /// Baselined findings are left out, or carried as suppressed with the option; the line
    /// hash is GitHub's for the finding's line.
    #[test]
    fn baselined_findings_are_left_out_or_suppressed() {
        let (doc, mut findings, _) = crate::report::testing::numbered_findings(3);
        findings[0].location.line = 1;
        for (i, f) in findings.iter_mut().enumerate() {
            f.baseline_state = Some(if i == 1 { "new" } else { "unchanged" }.into());
        }
        let docs = [doc];
        let mut input = ReportInput::new(&findings, &docs);
        input.baseline_used = true;
        let log = |input: &ReportInput<'_>| -> serde_json::Value {
            let mut out = Vec::new();
            write(input, &mut out).unwrap();
            serde_json::from_slice(&out).unwrap()
        };
        let l = log(&input);
        let results = l["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 1);
        assert_eq!(results[0]["baselineState"], "new");
        input.include_baselined = true;
        let l = log(&input);
        let results = l["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        let suppressed = results
            .iter()
            .filter(|r| r["suppressions"][0]["kind"] == "external")
            .count();
        assert_eq!(suppressed, 2);
        let want = crate::report::linehash::line_hashes(
            &docs[0].text,
            &std::collections::HashSet::from([1]),
        );
        assert_eq!(
            results[0]["partialFingerprints"]["primaryLocationLineHash"],
            want[&1].as_str()
        );
    }
}
