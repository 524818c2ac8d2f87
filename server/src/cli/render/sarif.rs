//! SARIF 2.1.0, as GitHub code scanning and other viewers read it.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Entry;
use crate::config::Severity;

pub fn sarif(out: &mut impl Write, entries: &[Entry], docs_url: &str) -> io::Result<()> {
    let rules = super::rules();
    let rule_values: Vec<Value> = rules
        .iter()
        .map(|(id, text, severity)| {
            json!({
                "id": id,
                "shortDescription": { "text": text },
                "helpUri": format!("{docs_url}#{id}"),
                "defaultConfiguration": { "level": level(*severity) },
            })
        })
        .collect();
    let results: Vec<Value> = entries
        .iter()
        .map(|e| {
            let rule_index = rules.iter().position(|(id, _, _)| *id == e.code).unwrap_or(0);
            json!({
                "ruleId": e.code,
                "ruleIndex": rule_index,
                "level": level(e.severity),
                "message": { "text": format!("{}\n{}", e.message, e.detail) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": e.file.replace('\\', "/"), "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": e.location.line,
                            "startColumn": e.location.column,
                            "endLine": e.location.end_line,
                            "endColumn": e.location.end_column,
                        }
                    }
                }]
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "argus-lsp",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": docs_url,
                "rules": rule_values,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &sorted_keys(log))?;
    writeln!(out)
}

/// Objects with their keys in order, whatever serde_json's map keeps: a dependency
/// (thirtyfour) turns on `preserve_order`, and the SARIF output stays byte-for-byte stable.
fn sorted_keys(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted_keys(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted_keys).collect()),
        other => other,
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
        Severity::Off => "none",
    }
}
