//! SARIF 2.1.0 for code-scanning dashboards: rules with descriptions and help, results with
//! locations, related locations, `partialFingerprints` and, under a baseline, `baselineState`.

use super::ReportInput;
use crate::finding::Finding;
use crate::rules::all_infos;
use serde_json::{json, Value};

fn level(f: &Finding) -> &'static str {
    f.severity.as_str()
}

fn physical(file: &str, line: usize, column: usize, end_line: usize, end_column: usize) -> Value {
    json!({
        "artifactLocation": { "uri": file, "uriBaseId": "%SRCROOT%" },
        "region": {
            "startLine": line,
            "startColumn": column,
            "endLine": end_line.max(line),
            "endColumn": if end_line > line || end_column > column { end_column } else { column + 1 },
        }
    })
}

fn result(f: &Finding, rule_index: Option<usize>, state: Option<&str>) -> Value {
    let l = &f.location;
    let mut message = f.message.clone();
    if let Some(h) = &f.help {
        message.push_str(&format!(" — {h}"));
    }
    let mut r = json!({
        "ruleId": f.rule,
        "level": level(f),
        "message": { "text": message },
        "locations": [ { "physicalLocation": physical(&l.file, l.line, l.column, l.end_line, l.end_column) } ],
        "partialFingerprints": { "collatio/v1": f.fingerprint },
        "properties": { "category": f.category.as_str(), "code": f.code, "witness": f.witness },
    });
    if let Some(i) = rule_index {
        r["ruleIndex"] = json!(i);
    }
    let related: Vec<Value> = f
        .related
        .iter()
        .enumerate()
        .filter_map(|(i, rel)| {
            let loc = rel.location.as_ref()?;
            Some(json!({
                "id": i,
                "physicalLocation": physical(&loc.file, loc.line, loc.column, loc.end_line, loc.end_column),
                "message": { "text": rel.message },
            }))
        })
        .collect();
    if !related.is_empty() {
        r["relatedLocations"] = json!(related);
    }
    if let Some(s) = state {
        r["baselineState"] = json!(s);
    }
    r
}

pub fn render(input: &ReportInput<'_>) -> String {
    let infos = all_infos();
    let rules: Vec<Value> = infos
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
    let index = |f: &Finding| infos.iter().position(|i| i.id == f.rule);
    let mut results: Vec<Value> = input
        .findings
        .iter()
        .map(|f| {
            result(
                f,
                index(f),
                if input.baseline_used {
                    f.baseline_state.as_deref().or(Some("new"))
                } else {
                    None
                },
            )
        })
        .collect();
    if input.baseline_used {
        results.extend(
            input
                .absent
                .iter()
                .map(|f| result(f, index(f), Some("absent"))),
        );
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [ {
            "tool": { "driver": {
                "name": "collatio",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/collatio",
                "rules": rules,
            } },
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": { "%SRCROOT%": { "uri": "file:///" } },
            "results": results,
        } ]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
