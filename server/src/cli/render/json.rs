//! A JSON array of `{file, line, column, end_line, end_column, severity, code, message, source}`,
//! 1-based, columns in Unicode characters. CI failures also carry `root_cause`, `confidence`,
//! `risk`, `failures`, `runs` and `test`.

use std::io::{self, Write};

use serde::Serialize;

use super::{Entry, FailureFacts};

#[derive(Serialize)]
struct JsonFinding<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    source: &'static str,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    failure: Option<&'a FailureFacts>,
}

pub fn json(out: &mut impl Write, entries: &[Entry]) -> io::Result<()> {
    let rows: Vec<JsonFinding> = entries
        .iter()
        .map(|e| JsonFinding {
            file: &e.file,
            line: e.location.line,
            column: e.location.column,
            end_line: e.location.end_line,
            end_column: e.location.end_column,
            severity: e.severity.as_str(),
            code: e.code,
            message: &e.message,
            source: "argus",
            failure: e.failure.as_ref(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    writeln!(out)
}
