//! SARIF 2.1.0, as GitHub code scanning and other viewers read it.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Entry;
use crate::analysis::LintCode;
use crate::config::Severity;

pub fn sarif(out: &mut impl Write, entries: &[Entry], docs_url: &str) -> io::Result<()> {
    let rules: Vec<Value> = LintCode::ALL
        .iter()
        .map(|code| {
            json!({
                "id": code.as_str(),
                "shortDescription": { "text": code.as_str().replace('-', " ") },
                "helpUri": format!("{docs_url}#{}", code.as_str()),
                "defaultConfiguration": { "level": level(code.default_severity()) },
            })
        })
        .collect();
    let results: Vec<Value> = entries
        .iter()
        .map(|e| {
            let rule_index = LintCode::ALL.iter().position(|c| *c == e.code).unwrap_or(0);
            json!({
                "ruleId": e.code.as_str(),
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
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
        Severity::Off => "none",
    }
}
